# snipcheck's harness, part 4 of 8: in a question's process, running its examples a
# top-level statement at a time and observing each.


def _names(target):
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        out = []
        for t in target.elts:
            out += _names(t.value if isinstance(t, ast.Starred) else t)
        return out
    return []


def _plain_object(node):
    """True for ``a`` or ``a.b.c``: an object we may evaluate again without side effects."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


_COMPOUND = tuple(getattr(ast, n) for n in (
    "For", "AsyncFor", "While", "If", "With", "AsyncWith", "Try", "FunctionDef",
    "AsyncFunctionDef", "ClassDef", "Match", "TryStar") if hasattr(ast, n))


def _statement_info(stmt):
    return {"line": stmt.lineno, "end": stmt.end_lineno or stmt.lineno,
            "compound": isinstance(stmt, _COMPOUND)}


def _safe_str(value, cap):
    try:
        text = str(value)
    except Exception as e:
        text = "<str failed: %s: %s>" % (type(e).__name__, e)
    return clean(text[:cap])


def _safe_repr(value, cap):
    try:
        text = repr(value)
    except Exception as e:  # a broken __repr__ is the example's business
        text = "<repr failed: %s: %s>" % (type(e).__name__, e)
    return clean(text[:cap])


def _traceback_text(exc, filename):
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next  # drop the harness's own frames
    # the innermost frames only: a deep recursion has a million, and formatting them
    # all would take longer than the question
    lines = _format_exception(type(exc), exc, tb, limit=-_TRACEBACK_FRAMES)
    return clean("".join(lines))


_TRACEBACK_FRAMES = 30
_MEMORY_LIMIT = [0]  # the question's --memory, in bytes, once the child has set it


def _error(exc, line, filename):
    message = clean(str(exc))
    if isinstance(exc, MemoryError) and _MEMORY_LIMIT[0]:
        message = ("the question reached snipcheck's memory limit of %d MiB; raise it "
                   "with --memory" % (_MEMORY_LIMIT[0] >> 20)) + (": " + message if message else "")
    return {"type": type(exc).__name__, "message": message, "line": line,
            "traceback": _traceback_text(exc, filename)}


def _syntax_error(e, offset):
    line = (e.lineno or 1) + offset
    return {"type": type(e).__name__, "message": clean(str(e.msg)), "line": line,
            "traceback": clean("%s: %s (line %d)" % (type(e).__name__, e.msg, line))}


def _not_python(error):
    """A block that does not parse (pseudo-code, Python 2) is said once, as such."""
    error["traceback"] += "\nthe block is not Python 3, so it did not run"
    return error


def _compile(node, filename, mode):
    """Compile without the compiler's SyntaxWarnings: they are not the example's output
    (a REPL shows them only because it compiles in front of the user)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        return compile(node, filename, mode, dont_inherit=True)


def _claimed_between(first, end, expect_lines):
    """A raise claim on one of these lines, or on the comment line right under them."""
    return any(first <= c <= end + 1 for c in expect_lines)


def _expected_to_raise(stmt, expect_lines):
    """A claim on the statement's lines, or on the comment line right under it; inside
    a block only its header line counts, so a claim deep in a loop's body does not
    excuse the whole loop."""
    end = stmt.end_lineno or stmt.lineno
    if isinstance(stmt, _COMPOUND):
        return any(c in (stmt.lineno, end + 1) for c in expect_lines)
    return _claimed_between(stmt.lineno, end, expect_lines)


def _raised(exc, message):
    """What a statement the guide says raises did raise."""
    return {"type": type(exc).__name__, "message": clean(message),
            "mro": [k.__name__ for k in type(exc).__mro__[1:]]}


def _units(ex):
    """The parts of an example compiled on their own: one per prompt of a REPL
    session, as a REPL does; the whole of plain code. Each is (first guide line, code)."""
    prompts = ex["prompts"]
    lines = ex["code"].split("\n")
    starts = [p - ex["line"] for p in prompts if 0 <= p - ex["line"] < len(lines)]
    if not starts or starts[0] != 0:
        starts = [0] + starts
    bounds = starts + [len(lines)]
    return [(ex["line"] + a, "\n".join(lines[a:b])) for a, b in zip(bounds, bounds[1:])]


def _bound_names(stmt):
    """The names a top-level statement binds when it runs to its end; ``*`` for a
    star import, which may bind any name."""
    names = set()
    todo = [stmt]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue  # names inside a new scope are not bound here
        if isinstance(node, (ast.Lambda, ast.GeneratorExp, ast.ListComp, ast.SetComp,
                             ast.DictComp)):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        todo.extend(ast.iter_child_nodes(node))
    return names


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _read_names(stmt):
    """The global names a top-level statement reads, at once or when a function it
    defines is called: names loaded (and augmented) outside any scope that binds them
    itself (a parameter, a local, a comprehension's variable)."""
    names = set()

    def local_names(node):
        bound = set()
        args = getattr(node, "args", None)
        if isinstance(args, ast.arguments):
            for a in args.posonlyargs + args.args + args.kwonlyargs + [args.vararg, args.kwarg]:
                if a is not None:
                    bound.add(a.arg)
        body = node.body if isinstance(node.body, list) else [node.body]
        declared = set()
        for part in body:
            for sub in ast.walk(part):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    bound.add(sub.id)
                elif isinstance(sub, (ast.Global, ast.Nonlocal)):
                    declared.update(sub.names)
        return bound - declared

    def visit(node, local):
        if isinstance(node, _SCOPES):
            for outer in getattr(node, "decorator_list", []) + [
                    d for d in node.args.defaults + node.args.kw_defaults if d is not None]:
                visit(outer, local)
            inner = local | local_names(node)
            for part in (node.body if isinstance(node.body, list) else [node.body]):
                visit(part, inner)
            return
        if isinstance(node, _COMPREHENSIONS):
            inner = set(local)
            for gen in node.generators:
                for sub in ast.walk(gen.target):
                    if isinstance(sub, ast.Name):
                        inner.add(sub.id)
            for child in ast.iter_child_nodes(node):
                visit(child, inner)
            return
        if isinstance(node, (ast.For, ast.AsyncFor)):
            # the loop binds its target before its body reads it
            visit(node.iter, local)
            inner = local | _target_names(node.target)
            for part in node.body + node.orelse:
                visit(part, inner)
            return
        if isinstance(node, (ast.With, ast.AsyncWith)):
            inner = set(local)
            for item in node.items:
                visit(item.context_expr, local)
                if item.optional_vars is not None:
                    inner |= _target_names(item.optional_vars)
            for part in node.body:
                visit(part, inner)
            return
        if isinstance(node, ast.ExceptHandler):
            if node.type is not None:
                visit(node.type, local)
            inner = local | ({node.name} if node.name else set())
            for part in node.body:
                visit(part, inner)
            return
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            if node.id not in local:
                names.add(node.id)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            if node.target.id not in local:
                names.add(node.target.id)
        for child in ast.iter_child_nodes(node):
            visit(child, local)

    visit(stmt, frozenset())
    return names


def _target_names(target):
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _missing_name(exc):
    """The name a NameError (or UnboundLocalError) is about."""
    if not isinstance(exc, NameError):
        return None
    name = getattr(exc, "name", None)  # 3.10+
    if name:
        return name
    parts = str(exc).split("'")
    return parts[1] if len(parts) >= 3 else None


class _Run:
    """What the examples of one question share while they run in the child."""

    def __init__(self, ns, rec, chan, filename, cap, capfd):
        self.ns, self.rec, self.chan = ns, rec, chan
        self.filename, self.cap, self.capfd = filename, cap, capfd
        self.fd_read = 0  # how much of the fd capture file has been attributed
        # names that a statement which failed would have bound -> that statement's line
        self.unbound = {}

    def failed(self, stmt, cause_line):
        for name in _bound_names(stmt):
            self.unbound[name] = cause_line

    def succeeded(self, stmt):
        if self.unbound:
            for name in _bound_names(stmt):
                self.unbound.pop(name, None)

    def stale_read(self, stmt):
        """The line of an earlier failed statement whose names this one reads: it runs
        on a value that line would have replaced (or on none), so what it shows says
        nothing of the guide's claim. None when no statement failed, the common case."""
        if not self.unbound:
            return None
        lines = [self.unbound[n] for n in _read_names(stmt) if n in self.unbound]
        return min(lines) if lines else None

    def ran(self, stmt, stale):
        """A statement ran to its end: what it binds is fresh, unless it read a stale
        name, which makes its names stale in turn."""
        if stale is None:
            self.succeeded(stmt)
        else:
            self.failed(stmt, stale)

    def blocked_by(self, exc):
        """The line of an earlier failed statement this exception follows from: a name
        it would have bound is missing."""
        name = _missing_name(exc)
        if name is None:
            return None
        return self.unbound.get(name, self.unbound.get("*"))

    def compile(self, node, mode):
        return _compile(node, self.filename, mode)

    def collect_fd_output(self, line):
        """Output written to fds 1 and 2 directly (C code, os.write, children),
        attributed to the top-level statement that was running."""
        try:
            size = _os_fstat(self.capfd).st_size
            if size > self.fd_read:
                data = _os_pread(self.capfd, min(size - self.fd_read, self.cap), self.fd_read)
                self.fd_read = size
                self.rec.add(data.decode("utf-8", "replace"), [line])
        except OSError:
            pass


def _run_example(run, index, ex):
    """Runs an example to its end, or until something ends it (a parse error,
    SystemExit). An exception nobody claimed is recorded at its statement and the
    example goes on, as a notebook's "run all" would; the first such is the example's
    error."""
    outcome = {"error": None, "stopped": None}
    for first, code in _units(ex):
        if not _run_unit(run, index, ex, first, code, not ex.get("prompts"), outcome):
            break
    run.chan.send({"t": "end", "ex": index, "error": outcome["error"],
                   "stopped": outcome["stopped"]})


def _ended(outcome, error, stopped=None):
    """The example stops: nothing from line ``stopped`` on runs (the error's line when
    not given). The error is the example's when none came before."""
    outcome["stopped"] = stopped if stopped is not None else error.get("line")
    if outcome["error"] is None:
        outcome["error"] = error
    return False


def _unit_syntax_error(run, index, ex, first, code, e, offset, outcome):
    """A prompt that does not compile: raised there if the guide says so; else, as in
    a REPL, an error at that prompt, and the session goes on with the next one."""
    end = first + len(code.rstrip("\n").split("\n")) - 1
    run.chan.send({"t": "stmts", "ex": index, "add": True,
                   "statements": [{"line": first, "end": end, "compound": False}]})
    obs = {"t": "stmt", "ex": index, "line": first, "stream": "", "lines": {}}
    if _claimed_between(first, end, ex.get("expect_raise", [])):
        obs["raised"] = _raised(e, str(e.msg))
    else:
        obs["error"] = _syntax_error(e, offset)
        if outcome["error"] is None:
            outcome["error"] = obs["error"]
        try:
            for name in _names_assigned_in_text(code):
                run.unbound[name] = first
        except Exception:
            pass
    run.chan.send(obs)
    return True


def _names_assigned_in_text(code):
    """Names a prompt that does not compile seems to assign (``x = ...``), so that what
    needs them is reported as not reached rather than as new errors."""
    names = []
    for line in code.split("\n"):
        head = line.split("=", 1)[0] if "=" in line and "==" not in line else ""
        for part in head.split(","):
            part = part.strip()
            if part.isidentifier():
                names.append(part)
    return names


def _lines_before(first, code):
    """How code that starts at guide line ``first`` is parsed at that line: after
    blank lines (the tokenizer skips one in about 10 ns), or shifted afterwards
    (``ast.increment_lineno`` visits every node in Python, about 0.3 us per character
    of code): whichever is cheaper. The blank lines it is parsed after."""
    return first - 1 if first - 1 <= 30 * len(code) else 0


def _parse_at(code, first, filename, blank):
    tree = ast.parse("\n" * blank + code, filename)
    if first - 1 > blank:
        ast.increment_lineno(tree, first - 1 - blank)
    return tree


def _run_unit(run, index, ex, first, code, whole, outcome):
    """Compiles and runs one unit statement by statement; False when the example ends."""
    if not code.strip():
        return True
    blank = _lines_before(first, code)
    try:
        tree = _parse_at(code, first, run.filename, blank)
    except SyntaxError as e:
        shift = first - 1 - blank  # a syntax error's line is where the parse saw it
        if not whole:
            return _unit_syntax_error(run, index, ex, first, code, e, shift, outcome)
        return _ended(outcome, _not_python(_syntax_error(e, shift)))
    except (ValueError, MemoryError, RecursionError) as e:
        return _ended(outcome, _beyond_limits(e, first))
    groups = _groups(tree.body, code, first) if whole else [[stmt] for stmt in tree.body]
    try:
        compiled = _compile_statements(run, groups, code, interactive=not whole)
    except SyntaxError as e:
        if not whole:
            return _unit_syntax_error(run, index, ex, first, code, e, 0, outcome)
        return _ended(outcome, _not_python(_syntax_error(e, 0)))
    except (ValueError, MemoryError, RecursionError) as e:
        return _ended(outcome, _beyond_limits(e, first))
    # a group is listed by its first statement (where the report says it stopped if
    # it never ends); the rest only if they write, with what they wrote
    run.chan.send({"t": "stmts", "ex": index, "add": not whole,
                   "statements": [_statement_info(group[0]) for group in groups]})
    expect = set(ex.get("expect_raise", []))
    for group, code_obj in zip(groups, compiled):
        if len(group) > 1:
            going = _run_together(run, index, group, code_obj, expect, outcome)
        else:
            going = _run_alone(run, index, group[0], code_obj, not whole, expect, outcome)
        if not going:
            return False
    return True


def _run_alone(run, index, stmt, code_obj, interactive, expect, outcome,
               raised=None, stream=""):
    """Runs one top-level statement and sends its observation; False when the example
    ends there. ``raised``: the statement already ran, in a group, and raised this
    after writing ``stream``."""
    obs = {"t": "stmt", "ex": index, "line": stmt.lineno}
    stop = None
    stale = run.stale_read(stmt)
    if raised is not None:
        stop = _failed(run, stmt, raised, expect, outcome, obs, stale)
    else:
        try:
            obs.update(_run_statement(run, stmt, code_obj, interactive))
            run.ran(stmt, stale)
            if stale is not None:
                obs["blocked_by"] = stale
        except BaseException as e:  # the example's exception, whatever it is
            stop = _failed(run, stmt, e, expect, outcome, obs, stale)
    run.collect_fd_output(stmt.lineno)
    obs["lines"], taken = run.rec.take()
    obs["stream"] = stream + taken
    run.chan.send(obs)
    if stop is None:
        return True
    if stop is not True:
        return _ended(outcome, stop)
    outcome["stopped"] = (stmt.end_lineno or stmt.lineno) + 1
    return False


def _failed(run, stmt, e, expect, outcome, obs, stale=None):
    """What a statement's exception makes of its observation. None when the example
    goes on; when it ends (SystemExit), True, or the error it ends with. A statement
    that read a name an earlier failed statement would have bound (``stale``, that
    statement's line) failed because of it, whatever it raised."""
    if isinstance(e, SystemExit):
        if e.code in (None, 0):
            return True
        exit_error = _error(e, stmt.lineno, run.filename)
        exit_error["message"] = clean(str(e.code))
        return exit_error
    if stale is not None:
        obs["blocked_by"] = stale
        run.failed(stmt, stale)
        return None
    if _expected_to_raise(stmt, expect):
        obs["raised"] = _raised(e, str(e))
        run.failed(stmt, stmt.lineno)
        return None
    cause = run.blocked_by(e)
    if cause is not None:
        obs["blocked_by"] = cause
        run.failed(stmt, cause)
        return None
    obs["error"] = _error(e, stmt.lineno, run.filename)
    run.failed(stmt, stmt.lineno)
    if outcome["error"] is None:
        outcome["error"] = obs["error"]
    return None


def _beyond_limits(e, first):
    """A unit too deep, too large or not valid for the parser or compiler, as the
    SyntaxError that stops it at its first line."""
    return {"type": "SyntaxError", "message": str(e), "line": first, "traceback": str(e)}


def _compile_statements(run, groups, code, interactive):
    """Each group of top-level statements compiled on its own (so that one statement's
    exception is recorded and the next runs), all before any runs, so that a compile
    error stops the unit before anything runs. An expression statement alone is
    compiled as an expression, for its value; a session's statement for a REPL's
    ``single`` mode.

    The whole unit is compiled as well only when it may hold an error that no
    statement holds alone, which only global declarations and ``__future__`` imports
    make. One warnings filter covers every compile (its setting costs more than a
    small statement's compile)."""
    filename = run.filename
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # see _compile
        if "global" in code or "__future__" in code:
            body = [stmt for group in groups for stmt in group]
            compile(ast.Module(body=body, type_ignores=[]), filename, "exec",
                    dont_inherit=True)
        units = [_unit_of(group, interactive) for group in groups]
        return [compile(unit, filename, mode, dont_inherit=True) for unit, mode in units]


def _unit_of(group, interactive):
    """What a group of statements is compiled as, and in which mode."""
    if len(group) > 1:
        return ast.Module(body=group, type_ignores=[]), "exec"
    if isinstance(group[0], ast.Expr):
        return ast.Expression(group[0].value), "eval"
    if interactive:
        return ast.Interactive(body=group), "single"
    return ast.Module(body=group, type_ignores=[]), "exec"


def _run_statement(run, stmt, code_obj, interactive):
    """Runs one top-level statement, compiled: its value, or the state it leaves."""
    ns, cap = run.ns, run.cap
    if isinstance(stmt, ast.Expr):
        found = {}
        value = eval(code_obj, ns)
        if value is not None and interactive:
            import builtins
            builtins._ = value  # a REPL's `_`: the last value it showed
        if value is not None:
            found["value"] = _safe_repr(value, cap)
            text = _safe_str(value, cap)
            if text != found["value"]:
                found["value_str"] = text
            return found
        found["none"] = True
        call = stmt.value
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                and _plain_object(call.func.value):
            obj = eval(run.compile(ast.Expression(call.func.value), "eval"), ns)
            found["state"] = _safe_repr(obj, cap)
        return found
    # a session prompt was compiled for a REPL's mode: values of expressions inside
    # a block are echoed by sys.displayhook
    exec(code_obj, ns)
    targets = []
    if isinstance(stmt, ast.Assign):
        targets = _names(stmt.targets[0])
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        targets = _names(stmt.target)
    if targets and all(t in ns for t in targets):
        value = ns[targets[0]] if len(targets) == 1 else tuple(ns[t] for t in targets)
        return {"state": _safe_repr(value, cap)}
    return {}


def _run_setup(run, ex):
    """Runs an earlier question's example whose names this question uses: quietly, and
    past its errors (its own report says what went wrong)."""
    for first, code in _units(ex):
        try:
            tree = _parse_at(code, first, run.filename, _lines_before(first, code))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            continue
        for stmt in tree.body:
            try:
                exec(run.compile(ast.Module(body=[stmt], type_ignores=[]), "exec"), run.ns)
            except SystemExit:
                return
            except BaseException:
                pass


def top_level_names(code):
    """The names an example binds at top level (for questions that use them later)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return []
    names = set()
    for stmt in tree.body:
        names |= _bound_names(stmt)
    names.discard("*")
    return sorted(names)


def _register_source(req):
    """Let tracebacks (and ``inspect``) show the lines of a question's examples (and
    of those it runs after) at their guide line numbers. The entry has no
    modification time, so linecache never checks it against a file, and its size is
    not used: it is not counted."""
    known = {}
    last = 0
    for ex in req["examples"] + (req.get("setup") or []):
        first = ex["line"] - 1
        for i, text in enumerate(ex["code"].split("\n")):
            known[first + i] = text + "\n"
        last = max(last, first + i + 1)
    linecache.cache[req["file"]] = (0, None, _GuideLines(known, last + 1), req["file"])


class _GuideLines:
    """The lines of a guide as linecache holds a file's (a sequence of lines, each with
    its newline), the question's examples' lines and blank lines around them, made
    from those lines alone: a list as long as the guide, made for every question, cost
    as much as the guide is long (quadratic over a guide: 5% of a long guide's CPU)."""

    __slots__ = ("_known", "_length")

    def __init__(self, known, length):
        self._known, self._length = known, length

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("line index out of range")
        return self._known.get(index, "\n")

    def __iter__(self):
        return (self[i] for i in range(self._length))
