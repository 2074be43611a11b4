# snipcheck's harness, part 8 of 8: the worker loop.


PROTOCOL = 2  # src/python/protocol.rs documents the wire format of this version


def describe():
    impl = sys.implementation.name
    return {"implementation": {"cpython": "CPython", "pypy": "PyPy"}.get(impl, impl),
            "version": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable,
            "build": sys.version, "packages": _packages_fingerprint()}


def _packages_fingerprint():
    """What the examples can import, in a few stats: each directory of sys.path and
    when it last changed (installing, upgrading or removing a package adds or removes
    entries there), and the distributions it holds. For the run cache, which hashes
    it (not hashed here: hashlib would load OpenSSL into every worker)."""
    parts = []
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == os.getcwd():
            continue  # the directory snipcheck was started in: examples run elsewhere
        try:
            stat = os.stat(entry)
            names = sorted(n for n in os.listdir(entry)
                           if n.endswith((".dist-info", ".egg-info", ".pth", ".egg-link")))
        except OSError:
            stat, names = None, []
        parts.append(repr((entry, stat and stat.st_mtime_ns, names)))
    return "\n".join(parts)


def _add_virtualenv():
    venv = os.environ.get("VIRTUAL_ENV")
    if not venv:
        return
    import site
    tag = "python%d.%d" % sys.version_info[:2]
    for lib in ("lib", "lib64"):
        path = os.path.join(venv, lib, tag, "site-packages")
        if os.path.isdir(path) and path not in sys.path:
            site.addsitedir(path)


def _trim_heap():
    """Give back to the system the free memory at the C heap's top and inside it: what
    compiling the harness and starting up left free (2.4 MiB of the worker's 11 here).
    A fork copies the page table entry of every page the worker has written, and a
    question's process tears its copy down at exit: a fork costs about 40 us per MiB
    of the worker's memory."""
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError, ImportError):
        pass  # not glibc


def worker_main(python_executable=None):
    """Serve questions: one JSON request per line on stdin, one answer per line."""
    if python_executable and os.path.exists(python_executable):
        sys.executable = python_executable
    requests = os.fdopen(os.dup(0), "rb")
    answers = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):  # stray native writes must not corrupt the protocol
        os.dup2(devnull, fd)
    # what every question starts with: stdin at end of file, interrupts not caught
    # (a question is killed by its group, and the terminal's Ctrl-C never reaches
    # it: it has a group of its own)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(os.devnull, "w")
    # held here too: each question's process replaces sys.stdout, and freeing this
    # stream there (closing it, its buffer, its file) touched some sixty pages
    _PREMADE_KEEP.append(sys.stdout)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    _FORK_AHEAD[0] = os.environ.pop("SNIPCHECK_FORK_AHEAD", "") == "1"
    # set once here, for every question's process: the worker never traces
    _hide_from_tracers()
    _add_virtualenv()
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)  # orphans of a question come back to us
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # and we end when snipcheck does
    out = Channel(answers)
    out.send({"python": describe(), "protocol": PROTOCOL})
    if hasattr(gc, "freeze"):
        gc.freeze()  # the worker's objects stay shared with its children, not copied
    _premade()
    _trim_heap()
    for raw in requests:
        try:
            req = json.loads(raw)
        except ValueError as e:
            out.send({"protocol_error": str(e)})
            continue
        finish = None
        # snipcheck's deadline for the answer counts from here: the question before
        # is cleaned up (finish), however long that took
        out.send({"started": req.get("id") if isinstance(req, dict) else None})
        try:
            answer, finish = run_contained(req, raw)
        except Exception as e:  # snipcheck's own failure: say so, keep serving
            answer = {"examples": [], "lines": {}, "cut": False,
                      "worker_error": "%s: %s" % (type(e).__name__, e)}
        # the answer names its request, so that no answer is taken for another's
        answer["id"] = req.get("id")
        answer["count"] = len(req.get("examples") or [])
        out.send(answer)
        if finish is not None:
            finish()
    discard_ahead()


_collect_harness_code()

if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    worker_main()
