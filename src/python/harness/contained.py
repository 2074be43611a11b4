# snipcheck's harness, part 7 of 8: the worker's side of one question: its directory
# and files, the fork (or the process forked ahead), the wait, reaping and sweeping,
# and the answer assembled from the events.


def _question_path():
    """The working directory of the worker's questions (and their TMPDIR): ``work``
    in a root of its own, so that its parent (``..``) is the question's too."""
    # found once: tempfile.gettempdir() and os.path.join touch pages of their own
    # after every fork, and the worker's temporary directory does not change
    if not _QUESTION_PATH:
        root = os.path.join(tempfile.gettempdir(), "snipcheck-question")
        _QUESTION_PATH.extend((os.path.join(root, "work"), root))
    return _QUESTION_PATH[0]


def _question_root():
    _question_path()
    return _QUESTION_PATH[1]


_QUESTION_PATH = []  # [working directory, its root]


def _question_directory():
    """The root of the worker's questions' directories: one path, holding only an
    empty ``work``, both private, for each question. They are made again only when a
    question left something in them or changed them: making and removing a directory
    per question costs the filesystem's journal."""
    root, workdir = _question_root(), _question_path()
    try:
        if _private_dir(root) and _private_dir(workdir) and os.listdir(root) == ["work"] \
                and not os.listdir(workdir):
            return root
        _remove_question_directory(root)
    except (FileNotFoundError, NotADirectoryError):
        pass
    os.mkdir(root, 0o700)
    os.mkdir(workdir, 0o700)
    return root


def _private_dir(path):
    st = os.lstat(path)
    return stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700


def _remove_question_directory(root):
    """The root and all under it, whatever rights a question took away inside."""
    try:
        if not os.path.islink(root):
            os.chmod(root, 0o700)  # a question may have taken its own rights away
        os.rmdir(root)
    except FileNotFoundError:
        return
    except OSError:
        shutil.rmtree(root, ignore_errors=True)
        if os.path.isdir(root) and not os.path.islink(root):
            _remove_unwritable(root)
    if os.path.lexists(root):
        os.unlink(root)  # a symlink or a file put in its place


def _remove_unwritable(root):
    """What rmtree left: directories whose rights a question took away, given back
    from the top down, then removed again."""
    todo = [root]
    while todo:
        path = todo.pop()
        try:
            os.chmod(path, 0o700)
            todo.extend(e.path for e in os.scandir(path)
                        if e.is_dir(follow_symlinks=False))
        except OSError:
            pass
    shutil.rmtree(root, ignore_errors=True)


def run_contained(req, raw=None, ahead=True):
    """Run one question in a forked child. Returns the answer the Rust side reads and
    what is left to do after it is sent: a child that said "done" has nothing more to
    tell, so reaping it, killing what it left and emptying its directory happen while
    snipcheck reads the answer (and before the next question starts).

    The child writes its events to an unlinked file and one byte on a pipe when it is
    done; the worker sleeps until that byte, the child's exit or the deadline, and
    only then reads the file: while the question runs the worker does nothing, so it
    writes to none of the pages it shares with the child."""
    root = _question_directory()
    capfd, eventfd, _ = _question_files()
    handed_over = bool(_AHEAD) and ahead
    if handed_over:
        pid, rfd = _hand_over(raw if raw is not None else _json_dumps(req).encode("utf-8"),
                              capfd, eventfd)
    else:  # forked with its request, which it need not read and parse again
        _register_source(req)
        pid, _, rfd = _fork_question_process(capfd, eventfd, req=req)
    if _FORK_AHEAD[0] and not _AHEAD:
        # the next question's process, forked now, gets ready while this one runs
        _AHEAD.append(_fork_question_process(capfd, eventfd, warm=True))

    def finish(timed_out=False):
        try:
            return _reap(pid, stop_first=timed_out)
        finally:
            os.close(rfd)
            _empty_question_directory(root)

    timeout = float(req.get("timeout", 10))
    try:
        timed_out = not _await_question(pid, rfd, eventfd, timeout)
        events, done = _read_events(eventfd, req)
        if done:
            return _assemble(req, events, True, False, timeout, None), finish
        if timed_out:
            # answered within snipcheck's margin: stopped, read, and reaped afterwards
            _stop(pid)
            events, _ = _read_events(eventfd, req)
            return _assemble(req, events, False, True, timeout, None), finish
        status = finish()
        events, _ = _read_events(eventfd, req)  # all it wrote before it ended
        if handed_over and not events and not timed_out:
            # it ended before its question began: the question before it killed it
            # (a SIGKILL sent just before that question ended lands after the hand-
            # over). Nothing of this question ran; it runs in a process of its own.
            return run_contained(req, raw, ahead=False)
    except BaseException:
        finish(True)
        raise
    return _assemble(req, events, False, timed_out, timeout, status), lambda: None


# how the done event ends, as the encoder writes it ("t" is its last key)
_DONE_TAIL = (_json_dumps({"t": "done"})[1:] + "\n").encode("utf-8")


def _said_done(eventfd):
    size = os.fstat(eventfd).st_size
    return size >= len(_DONE_TAIL) and \
        os.pread(eventfd, len(_DONE_TAIL), size - len(_DONE_TAIL)) == _DONE_TAIL


def _empty_question_directory(root):
    """What the question wrote goes, in its directory or beside it; the common case,
    nothing, costs two listings."""
    try:
        if os.listdir(root) != ["work"] or os.listdir(os.path.join(root, "work")):
            _remove_question_directory(root)
    except OSError:
        _remove_question_directory(root)


# the capture file, the event file and the file of what forked processes print (see
# Recorder.write_in_child), made once per worker
_QUESTION_FILES = []


def _question_files():
    """The capture, event and children's files, emptied: made once, since making a file per
    question costs the filesystem's journal. Every process that could hold them
    from the question before is gone (reaped, its group and orphans killed)."""
    if not _QUESTION_FILES:
        _QUESTION_FILES.extend((_unlinked_file(), _unlinked_file(), _unlinked_file()))
    for fd in _QUESTION_FILES:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)  # the offset is shared with the child's fds 1, 2
    return _QUESTION_FILES


def _unlinked_file():
    """A file of the worker's scratch directory that no path names: only the
    descriptor reaches it, and it is gone when the last one is closed."""
    scratch = tempfile.gettempdir()
    try:
        return os.open(scratch, os.O_TMPFILE | os.O_RDWR, 0o600)
    except (AttributeError, OSError):  # no O_TMPFILE here: a named file, unlinked
        fd, path = tempfile.mkstemp(dir=scratch)
        os.unlink(path)
        return fd


def _await_question(pid, donefd, eventfd, timeout):
    """Sleep until the child is done or ends: False when the deadline came first. The
    byte on the pipe only wakes the worker (any process of the question can write
    it); done is the last event in the file."""
    deadline = time.monotonic() + timeout
    waiter = select.poll()
    waiter.register(donefd, select.POLLIN)
    try:
        pidfd = os.pidfd_open(pid)
        waiter.register(pidfd, select.POLLIN)
    except (AttributeError, OSError):
        pidfd = None  # no pidfds: look at the child every 10 ms
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            step = left if pidfd is not None else min(left, 0.01)
            for fd, _ in waiter.poll(step * 1000):
                if fd == pidfd:
                    return True  # it ended
                if not os.read(donefd, 4096):
                    waiter.unregister(donefd)  # closed by the question: the exit tells
                if _said_done(eventfd):
                    return True
            if pidfd is None and _exited(pid):
                return True
    finally:
        if pidfd is not None:
            _os_close(pidfd)


_AHEAD = []  # the process forked for the next question, at most one
# Fork ahead only with a core to spare (snipcheck says so when it starts the worker):
# it hides a fork and a process's first page copies behind the running question, and
# costs CPU time of its own, which a machine whose cores all run questions lacks.
_FORK_AHEAD = [False]


def _fork_question_process(capfd, eventfd, warm=False, req=None):
    """(pid, request pipe, done pipe) of a new question's process; given ``req``, it
    runs that request and has no request pipe."""
    rreq, wreq = os.pipe() if req is None else (None, None)
    rdone, wdone = os.pipe()
    pid = _fork()
    if pid == 0:
        code = 0
        try:
            _question_process(rreq, wdone, capfd, eventfd, warm, req)
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    if rreq is not None:
        os.close(rreq)
    os.close(wdone)
    return pid, wreq, rdone


def _hand_over(raw, capfd, eventfd):
    """Give a request to the process forked ahead for it, or to a new one when that
    one is gone (the question before may have killed it): (pid, done pipe)."""
    for _ in range(3):
        pid, reqfd, donefd = _AHEAD.pop() if _AHEAD else _fork_question_process(capfd, eventfd)
        try:
            if _exited(pid):
                raise OSError("the question's process ended before its question")
            _kill(pid, signal.SIGCONT)  # the question before may have stopped it
            view = memoryview(raw)
            while view:
                view = view[os.write(reqfd, view):]
            os.close(reqfd)
            return pid, donefd
        except OSError:
            _discard((pid, reqfd, donefd))
    raise OSError("no process could be started for the question")


def _exited(pid):
    """Whether the child has ended, leaving it a zombie for _reap to collect its status."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _discard(process):
    pid, reqfd, donefd = process
    _kill_child(pid, signal.SIGKILL)
    _wait(pid, 5.0)
    for fd in (reqfd, donefd):
        try:
            if fd is not None:
                _os_close(fd)
        except OSError:
            pass


def discard_ahead():
    """The worker ends: so does the process it forked for a question to come."""
    while _AHEAD:
        _discard(_AHEAD.pop())


def _fork():
    """Fork a question's process. What the worker holds is frozen first, so that the
    child's collections (and its full one at exit) walk only what the child made, and
    never write to the pages it shares with the worker."""
    gc.freeze()
    pid = os.fork()
    if pid != 0:
        gc.unfreeze()  # the worker's own garbage stays collectable
    return pid


def _read_events(fd, req):
    """The events in a question's event file: (events, done). What is past the limit
    is not read (a child flooding the file behind the channel's back)."""
    limit = 64 * int(req.get("output_cap", 1 << 20)) + (1 << 20)
    size = min(os.fstat(fd).st_size, limit)
    data = os.pread(fd, size, 0) if size else b""
    lines = [raw for raw in data.split(b"\n") if raw]
    try:  # one parse for all: a call per event costs three times as much
        text = "[" + b",".join(lines).decode("ascii") + "]"  # the encoder writes ASCII
        parsed, end = _scan_json(text, 0)
        if end != len(text):
            raise ValueError("more after the events")
    except (ValueError, RecursionError, StopIteration):
        # a line the question wrote behind our back: the others still count
        parsed = []
        for raw in lines:
            try:
                parsed.append(json.loads(raw))
            except (ValueError, RecursionError):
                pass
    events = []
    for ev in parsed:
        if not isinstance(ev, dict):
            continue
        events.append(ev)
        if ev.get("t") == "done":
            return events, True
    return events, False


def _stop(pid):
    """At the deadline: ask the child to stop, and kill it 0.2 s later (a loop in C, or
    one that swallows interrupts, ignores the first)."""
    _kill_child(pid, signal.SIGTERM)
    if _wait(pid, 0.2) is None:
        _kill_child(pid, signal.SIGKILL)


def _reap(pid, stop_first):
    """Wait for the child: ask it to stop, then kill it and everything it started."""
    if stop_first:
        _stop(pid)
    status = _wait(pid, 2.0)
    if status is None:
        _kill_child(pid, signal.SIGKILL)
        status = _wait(pid, 5.0)
    _kill_group(pid, signal.SIGKILL)  # grandchildren the example left running
    _sweep_descendants(keep={ahead[0] for ahead in _AHEAD})
    return status


def _kill_child(pid, sig):
    """By group (what it started there) and by pid (it may have left its group)."""
    _kill_group(pid, sig)
    _kill(pid, sig)


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def _children():
    """This process's children: as a child subreaper, also every orphan the question
    left, whatever session or process group it moved to."""
    me = os.getpid()
    kids = set()
    try:
        # raw descriptors, not open(): a file object and its decoder touch some thirty
        # pages of the worker, each a page fault after every fork
        for tid in os.listdir("/proc/self/task"):
            fd = os.open("/proc/self/task/%s/children" % tid, os.O_RDONLY)
            try:
                data = _read_all(fd)
            finally:
                os.close(fd)
            kids.update(int(p) for p in data.split())
        return kids
    except OSError:
        pass
    try:  # kernels without the children file: read every process's parent
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open("/proc/%s/stat" % name) as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == me:
                            kids.add(int(name))
                except (OSError, ValueError, IndexError):
                    pass
    except OSError:
        pass
    return kids


def _sweep_descendants(keep=()):
    """Kill and reap what outlived the question: double-forked daemons, processes
    that called setsid(). Killing one hands its own children to us, hence the loop.
    ``keep``: the process forked for the next question."""
    for _ in range(100):
        kids = _children() - set(keep)
        if not kids:
            return
        for kid in kids:
            _kill(kid, signal.SIGKILL)
        for kid in kids:
            _wait(kid, 2.0)


def _kill_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except OSError:
        pass


def _wait(pid, seconds):
    """The child's exit status, or None if it is still running after ``seconds``:
    woken by the kernel when it exits (a pidfd), else by polling."""
    ended, status = _try_reap(pid)
    if ended:
        return status
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return _poll_wait(pid, seconds)
    try:
        waiter = select.poll()
        waiter.register(fd, select.POLLIN)
        waiter.poll(max(seconds, 0) * 1000)
    finally:
        _os_close(fd)
    return _try_reap(pid)[1]


def _try_reap(pid):
    """(True, exit status) once the child has ended, reaping it; (False, None) while it
    runs. A process that is no longer our child counts as ended with status 0."""
    try:
        got, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True, 0
    return (True, status) if got == pid else (False, None)


def _poll_wait(pid, seconds):
    end = time.monotonic() + seconds
    pause = 0.0002  # a child that said it is done exits within a fraction of a millisecond
    while True:
        ended, status = _try_reap(pid)
        if ended:
            return status
        if time.monotonic() >= end:
            return None
        time.sleep(pause)
        pause = min(pause * 2, 0.01)


_OBSERVATION = {"value": None, "value_str": None, "none": False, "state": None,
                "raised": None, "stream": "", "error": None, "blocked_by": None}


def _observation(ev):
    """A statement's event with every field of the protocol, and nothing else."""
    obs = {"line": ev.get("line")}
    for key, default in _OBSERVATION.items():
        obs[key] = ev.get(key, default)
    return obs


def _line_of(statement):
    line = statement.get("line") if isinstance(statement, dict) else None
    return line if isinstance(line, int) else 0


def _where_it_stopped(examples, ran, events):
    """The example that was running when the question ended without saying done, and
    the line of its first statement after the last one it observed or ran (statements
    run in order)."""
    index = 0
    for ev in events:
        ex = ev.get("ex")
        if isinstance(ex, int) and 0 <= ex < len(examples):
            index = ex + 1 if ev.get("t") == "end" else ex
    index = min(index, len(examples) - 1)
    statements = examples[index]["statements"] or []
    last = max([o["line"] for o in examples[index]["observed"] if isinstance(o["line"], int)]
               + [ran.get(index, 0)])
    starts = [line for line in map(_line_of, statements) if line]
    later = [line for line in starts if line > last]
    return index, later[0] if later else (starts[-1] if starts else None)


def _merge_lines(lines, more):
    """Output by guide line, with an event's added after what came before."""
    for k, v in (more or {}).items():
        lines[k] = lines.get(k, "") + v


def _assemble(req, events, done, timed_out, timeout, status):
    examples = [{"statements": None, "observed": [], "error": None, "stopped": None}
                for _ in req["examples"]]
    lines = {}
    ran = {}  # example -> the last line of a group of statements that ran as one
    running = {}  # example -> [first, last] lines of a group that has not said it ran
    unsorted = set()  # examples with statements of a group listed as they wrote
    cut = False
    for ev in events:
        t = ev.get("t")
        ex = ev.get("ex")
        target = examples[ex] if isinstance(ex, int) and 0 <= ex < len(examples) else None
        if t == "stmts" and target is not None:
            if ev.get("add") and target["statements"] is not None:
                target["statements"] += ev.get("statements") or []
                unsorted.add(ex)
            else:
                target["statements"] = ev.get("statements")
        elif t == "stmt" and target is not None:
            _merge_lines(lines, ev.pop("lines", None))
            target["observed"].append(_observation(ev))
            if isinstance(ev.get("statement"), dict) and isinstance(target["statements"], list):
                target["statements"].append(ev["statement"])
                unsorted.add(ex)
        elif t == "runs" and target is not None:
            running[ex] = ev.get("lines")
        elif t == "ran" and target is not None:
            running.pop(ex, None)
            _merge_lines(lines, ev.get("lines"))
            if isinstance(ev.get("through"), int):
                ran[ex] = max(ran.get(ex, 0), ev["through"])
        elif t == "end" and target is not None:
            target["error"] = ev.get("error")
            target["stopped"] = ev.get("stopped")
        elif t == "done":
            _merge_lines(lines, ev.get("lines"))
            cut = bool(ev.get("cut"))
    for ex in unsorted:
        if isinstance(examples[ex]["statements"], list):
            examples[ex]["statements"].sort(key=_line_of)
    if not done:
        index, line = _where_it_stopped(examples, ran, events)
        if not isinstance(line, int):
            line = req["examples"][index]["line"]
        if timed_out:
            error = {"type": "Timeout", "message": "did not finish within %g s" % timeout,
                     "line": line}
        elif status is not None and os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            error = {"type": "Crash", "message": "killed by %s" % _signal_name(sig),
                     "line": line, "signal": sig}
        else:
            code = os.WEXITSTATUS(status) if status is not None and os.WIFEXITED(status) else -1
            error = {"type": "Crash", "message": "the process exited with code %d" % code,
                     "line": line, "exit_code": code}
        lines_of_group = running.get(index)
        if isinstance(lines_of_group, list) and len(lines_of_group) == 2 \
                and lines_of_group[0] == line and isinstance(lines_of_group[1], int):
            error["message"] += ", in lines %d-%d (statements run as one)" % (
                line, lines_of_group[1])
        if isinstance(index, int) and 0 <= index < len(examples):
            examples[index]["error"] = error
            examples[index]["stopped"] = line
            for later in examples[index + 1:]:
                later["error"] = {"type": "NotRun", "line": None,
                                  "message": "not run: an earlier example of this question stopped"}
                later["stopped"] = 0
    return {"examples": examples, "lines": lines, "cut": cut, "worker_error": None}
