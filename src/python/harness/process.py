# snipcheck's harness, part 6 of 8: a question's process, from the fork to "done":
# its setup, what CPython does when a script ends, and what hides the harness.


def _question_process(reqfd, donefd, capfd, eventfd, warm, req=None):
    """A question's process. With a core to spare it is forked before its question is
    known, while the question before it runs (see ``_hand_over``): what does not
    depend on the question happens then, and its request comes on ``reqfd``. Else it
    is forked with its request, ``req``."""
    os.setpgid(0, 0)
    _die_with_parent()
    children = _QUESTION_FILES[2]  # made, like the other two, before any fork
    _close_inherited_fds(keep={reqfd, capfd, eventfd, donefd, children} - {None})
    if req is not None:
        _child(req, eventfd, donefd, _question_path(), capfd)
        return
    # while it waits, the question that runs beside it cannot trace it or read its
    # memory (a process that is not dumpable can be traced only by root)
    _prctl(_PR_SET_DUMPABLE, 0)
    if warm:
        _warm_up()
    raw = _read_all(reqfd)
    _os_close(reqfd)
    if not raw:
        return  # the worker ended, or discarded this process
    req = _json_loads(raw)
    _prctl(_PR_SET_DUMPABLE, 1)
    _register_source(req)
    _child(req, eventfd, donefd, _question_path(), capfd)


_PREMADE = []
_PREMADE_KEEP = []  # the worker's streams, which a question's process replaces


def _premade():
    """What every question's process sets up, made once in the worker and never used
    there: a Recorder, the two Capture streams and a ``__main__`` module. Each process
    forked afterwards gets them as they were made, and what it changes stays in its
    own copies of their pages; making them in each process cost some eighty page
    faults (the io machinery of a text stream, a lock, a module). The worker's TMPDIR
    becomes the question directory here too, for the same reason: the question's
    processes inherit it, where setting it in each touched os.environ's pages."""
    if not _PREMADE:
        rec = Recorder("<no guide yet>", 2)
        main = types.ModuleType("__main__")
        main.__dict__["__builtins__"] = _builtins_module  # the real one: the example's
        _PREMADE.extend((rec, Capture(rec, 1), Capture(rec, 2), main))
        os.environ["TMPDIR"] = _question_path()
    return _PREMADE


def _read_all(fd):
    """What a descriptor holds until its end, read through the harness's own os.read."""
    chunks = []
    while True:
        data = _os_read(fd, 1 << 16)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _warm_up():
    """What every question does first, done while the process waits for its question:
    the pages it writes are copied now rather than while a question's clock runs."""
    try:
        compile(ast.parse("x = [i for i in range(3)]\nprint(x)\n"), "<warm-up>", "exec")
        _json_dumps({"t": "stmt", "ex": 0, "line": 1, "lines": {"1": "x\n"}, "stream": "x"})
    except Exception:
        pass


def _child(req, eventfd, donefd, workdir, capfd):
    limit = int(req.get("memory", 0))
    if resource is not None and limit > 0:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            _MEMORY_LIMIT[0] = limit
        except (ValueError, OSError):
            pass
    _confine_writes(_question_root())
    os.chdir(workdir)
    # TMPDIR is the directory already, in the worker's environment (_premade)
    tempfile.tempdir = workdir  # what the example writes stays in its directory
    os.dup2(capfd, 1)
    os.dup2(capfd, 2)
    chan = Channel(eventfd)
    filename = req["file"]
    cap = int(req.get("output_cap", 1 << 20))
    rec, sys.stdout, sys.stderr, main = _premade()
    rec.aim(filename, cap)
    rec.children_fd = _QUESTION_FILES[2]
    if hasattr(os, "register_at_fork"):  # from the first fork on, look for their lines
        os.register_at_fork(after_in_parent=rec.note_fork)
    sys.stdout.adopt()
    sys.stderr.adopt()
    sys.modules["__main__"] = main
    _GUIDE_FILE[0] = req["file"]
    setup = req.get("setup") or []
    run = _Run(main.__dict__, rec, chan, filename, cap, capfd)
    random.seed(int(req.get("seed", 0)))  # a draw is the same on every run
    for ex in setup:
        _run_setup(run, ex)
    run.collect_fd_output(0)
    rec.take()  # what the earlier questions printed is not this question's output
    for index, ex in enumerate(req["examples"]):
        _run_example(run, index, ex)
    _interpreter_exit(main)
    run.collect_fd_output(0)
    lines, _ = rec.take()
    # "t" last: the worker sees from the file's last bytes that it holds the end
    chan.send({"lines": lines, "cut": rec.cut, "t": "done"})
    _os_write(donefd, b"!")  # wakes the worker: every event is in the file


def _interpreter_exit(main):
    """What CPython does when a script ends, so that its output counts, under the
    question's timeout: wait for non-daemon threads, run atexit handlers, and free the
    namespace (``__del__`` methods, generators' ``finally`` blocks)."""
    for step in (getattr(threading, "_shutdown", None), getattr(atexit, "_run_exitfuncs", None)):
        try:
            if step is not None:
                step()
        except BaseException:
            pass
    try:
        main.__dict__.clear()
        # what the worker held was frozen at the fork, so the oldest generation
        # holds only what the question made and kept; when it holds nothing, the
        # cheaper collection finds the same garbage (and leaves the free lists)
        gc.collect(2 if gc.get_objects(2) else 1)
    except BaseException:
        pass


_HARNESS_CODE = set()  # the harness's code objects, filled in at the end (worker.py)


def _hide_from_tracers():
    """An example's ``sys.settrace``/``sys.setprofile`` sees its own frames and never
    the harness's, as under real CPython, where print and sys.stdout are C code."""

    def hiding(func):
        if func is None:
            return None

        def tracer(frame, event, arg):
            # the harness's own frames, and each top-level statement's frame, which
            # real CPython runs in the one module frame that was already running
            caller = frame.f_back
            if _harness_frame(frame) or (caller is not None and caller.f_code in _HARNESS_CODE):
                return None
            return func(frame, event, arg)
        tracer.__wrapped__ = func
        return tracer

    def unwrap(func):
        return getattr(func, "__wrapped__", func)

    sys.settrace = lambda func: _settrace(hiding(func))
    sys.setprofile = lambda func: _setprofile(hiding(func))
    sys.gettrace = lambda: unwrap(_gettrace())
    sys.getprofile = lambda: unwrap(_getprofile())
    threading.settrace = lambda func: _thread_settrace(hiding(func))
    threading.setprofile = lambda func: _thread_setprofile(hiding(func))


_GUIDE_FILE = [None]  # the filename the question's code is compiled under


def _harness_frame(frame):
    """A frame the harness runs: its own code, or what its code called (the warnings
    module under a compile, say), as opposed to what the example called."""
    while frame is not None:
        code = frame.f_code
        if code in _HARNESS_CODE:
            return True
        if code.co_filename == _GUIDE_FILE[0]:
            return False
        frame = frame.f_back
    return False


def _collect_harness_code():
    todo = [v.__code__ for v in globals().values() if isinstance(v, types.FunctionType)]
    todo += [f.__code__ for c in globals().values() if isinstance(c, type)
             for f in vars(c).values() if isinstance(f, types.FunctionType)]
    while todo:
        code = todo.pop()
        if code not in _HARNESS_CODE:
            _HARNESS_CODE.add(code)
            todo.extend(c for c in code.co_consts if isinstance(c, types.CodeType))


def _close_inherited_fds(keep):
    """The question's process holds nothing of the worker's: not its request and
    answer pipes, nor any descriptor snipcheck inherited."""
    if sys.version_info >= (3, 10):  # one close_range call per gap, no listing
        low = 3
        for fd in sorted(keep) + [1 << 30]:
            if fd > low:
                os.closerange(low, fd)
            low = max(low, fd + 1)
        return
    try:
        fds = [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(3, 4096)
    for fd in fds:
        if fd > 2 and fd not in keep:
            try:
                _os_close(fd)
            except OSError:
                pass


_PR_SET_PDEATHSIG, _PR_SET_DUMPABLE, _PR_SET_CHILD_SUBREAPER = 1, 4, 36


_LIBC = []


def _libc():
    """The C library, loaded once, in the worker, before it forks."""
    if not _LIBC:
        import ctypes
        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    return _LIBC[0]


def _prctl(option, value):
    try:
        return _libc().prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):
        return False  # not Linux: the process-group kill still applies


# Landlock (linux/landlock.h): the syscalls, and the rights to write, by ABI version
_LANDLOCK_CREATE, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT = 444, 445, 446
_PR_SET_NO_NEW_PRIVS = 38
_WRITE_FILE, _TRUNCATE = 1 << 1, 1 << 14
_WRITES = (1 << 1) | sum(1 << bit for bit in range(4, 13))  # write, remove, make
_WRITES_BY_ABI = {1: _WRITES, 2: _WRITES | 1 << 13}  # 2: refer; 3 and on: truncate


def _confine_writes(root):
    """A Landlock layer of the question's own over its worker's: it may write only
    under its root (its directory and that directory's parent), in /dev/shm and to
    /dev/null, not elsewhere in the worker's scratch directory, where the questions
    before it ran. Nothing happens where the kernel has no Landlock (the worker is
    not confined either, and the report says so)."""
    try:
        import ctypes
        libc = _libc()
        abi = libc.syscall(_LANDLOCK_CREATE, None, 0, 1)  # 1: ask for the ABI version
        if abi < 1:
            return
        handled = _WRITES_BY_ABI.get(abi, _WRITES | 1 << 13 | _TRUNCATE)
        attr = ctypes.create_string_buffer(handled.to_bytes(8, "little"), 8)
        ruleset = libc.syscall(_LANDLOCK_CREATE, attr, 8, 0)
        if ruleset < 0:
            return
        try:
            file_rights = handled & (_WRITE_FILE | _TRUNCATE)
            for path, rights in ((root, handled), ("/dev/shm", handled),
                                 ("/dev/null", file_rights)):
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue  # no /dev/shm here
                try:
                    rule = ctypes.create_string_buffer(
                        rights.to_bytes(8, "little") + fd.to_bytes(4, "little", signed=True), 12)
                    libc.syscall(_LANDLOCK_ADD_RULE, ruleset, 1, rule, 0)
                finally:
                    os.close(fd)
            libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
            libc.syscall(_LANDLOCK_RESTRICT, ruleset, 0)
        finally:
            os.close(ruleset)
    except (OSError, AttributeError, ImportError, ValueError):
        pass


def _die_with_parent():
    """If the worker dies, so does this process (and the worker kills what it left)."""
    parent = os.getppid()
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        _os_exit(70)  # the parent died before the request took hold


def _signal_name(num):
    try:
        return signal.Signals(num).name
    except ValueError:
        return "signal %d" % num
