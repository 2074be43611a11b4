"""snipcheck's Python side.

The Rust binary loads this one file in two places:

* in its own embedded interpreter, for what needs Python's own grammar while reading a
  guide: where the comments of an example are (``comments``), which lines of a text
  guide are code (``text_blocks``) and what a literal is (``literal``). Nothing here runs
  guide code.
* in a worker process (the embedded interpreter of ``snipcheck __worker``, or any
  CPython 3.9+ given with ``--python``), where ``worker_main`` reads one question per
  line of JSON, runs it in a forked child and answers with one line of JSON.

Every question runs in its own forked child, so nothing it does (patched builtins,
``sys.setrecursionlimit``, ``os.chdir``, signal handlers, threads that never stop,
``os._exit``, a segfault) can reach the worker or another question. The worker only
reads the child's events, enforces the time limit and collects the exit status.
"""

import ast
import atexit
import gc
import io
import json
import linecache
import os
import random
import select
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import tokenize
import traceback
import types
import warnings

try:
    import resource  # imported once here, not in every forked child
except ImportError:  # not a POSIX system
    resource = None

import builtins as _builtins_module

# An example may patch builtins, `json.dumps`, `os.write`, `sys._getframe`...: it sees
# what real CPython would show it, but the harness keeps its own references, taken
# before any example runs. Functions defined below look names up in this private copy
# of the builtins, not in the module an example can change.
__builtins__ = dict(_builtins_module.__dict__)
_json_loads = json.loads


def _json_encoder():
    """One JSON encoder for every event and answer, without spaces: ``json.dumps``
    builds a new encoder for each call, half the cost of a statement's event."""
    try:
        from json.encoder import c_make_encoder, encode_basestring_ascii
        encode = c_make_encoder(None, None, encode_basestring_ascii, None, ":", ",",
                                False, False, True)
        encode({"check": [1, None, True, "x"]}, 0)
        return lambda obj: "".join(encode(obj, 0))
    except Exception:  # no C accelerator in this interpreter
        dumps = json.dumps
        return lambda obj: dumps(obj, separators=(",", ":"))


_json_dumps = _json_encoder()
# the decoder's scanner itself, for the worker's one parse of a question's events:
# json.loads's Python layers touch pages of their own after every fork
_scan_json = json.decoder.JSONDecoder().scan_once
_os_write = os.write
_os_read = os.read
_os_pread = os.pread
_os_fstat = os.fstat
_os_close = os.close
_os_getpid = os.getpid
_os_exit = os._exit
_getframe = sys._getframe
_format_exception = traceback.format_exception
_settrace, _gettrace = sys.settrace, sys.gettrace
_setprofile, _getprofile = sys.setprofile, sys.getprofile
_thread_settrace, _thread_setprofile = threading.settrace, threading.setprofile

# ---------------------------------------------------------------------------------
# Reading guides (main process; never runs guide code)


def comments(code, first_line):
    """The comments of an example: [[guide line, column, text, follows code], ...].

    Only the code up to the end of the last line holding a ``#`` is tokenized: no
    comment can come later, tokens are read left to right (a prefix reads as the same
    tokens), and Python's tokenize module costs about 7 us a line on 3.11, more than
    compiling and running that line."""
    last_hash = code.rfind("#")
    if last_hash < 0:
        return []
    end = code.find("\n", last_hash)
    if end >= 0:
        code = code[:end + 1]
    lines = code.splitlines()
    found = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                row, col = tok.start
                before = lines[row - 1][:col] if row - 1 < len(lines) else ""
                found.append([row + first_line - 1, col, tok.string, bool(before.strip())])
    except (tokenize.TokenError, SyntaxError, IndentationError, ValueError):
        pass  # what was tokenized before the error still counts
    return found


_INCOMPLETE = ("was never closed", "unexpected EOF", "EOF while scanning",
               "expected an indented block", "unterminated triple-quoted")


def _compiles(src):
    """'code', 'incomplete' or 'prose' for a chunk of a text guide."""
    last = src.rstrip().rsplit("\n", 1)[-1].lstrip()
    if last.startswith("@") and _is_expression(last[1:]):
        return "incomplete"  # a decorator: the def or class under it completes it
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "'str' object is not callable" marks prose
        try:
            tree = ast.parse(src)
            compile(tree, "<guide>", "exec", dont_inherit=True)
        except SyntaxError as e:
            msg = str(e.msg or "")
            return "incomplete" if any(m in msg for m in _INCOMPLETE) else "prose"
        except (ValueError, MemoryError, RecursionError, Warning):
            return "prose"
    if not tree.body:
        return "prose"
    trivial = (ast.Name, ast.Constant, ast.Attribute)
    if all(isinstance(s, ast.Expr) and isinstance(s.value, trivial) for s in tree.body):
        return "prose"  # a title like "Introduction" parses as a name
    return "code"


def _is_expression(src):
    try:
        ast.parse(src.strip(), mode="eval")
        return True
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False


def text_blocks(lines, bodies):
    """Code blocks of a fence-less text guide, as [[first, last], ...] (1-based lines).

    ``bodies`` are the [start, end) line ranges (0-based) of the questions. Inside one,
    a block is a run of code chunks that only blank and comment lines separate; a prose
    line ends it. A chunk starts at an unindented line and takes the indented lines
    after it (and more chunks while Python says the statement is incomplete).
    """
    blocks = []
    for start, end in bodies:
        kinds = {}  # line index -> 'code' | 'comment'
        i = start
        while i < end:
            text = lines[i]
            stripped = text.strip()
            if not stripped:
                i += 1
                continue
            if stripped.startswith("#"):
                kinds[i] = "comment"
                i += 1
                continue
            if text[0] in " \t":
                i += 1  # an indented line with no statement above it: a bullet, prose
                continue
            j = _chunk_end(lines, i, end)
            verdict = _compiles("\n".join(lines[i:j]))
            grown = j
            while verdict == "incomplete" and grown < end and grown - i < 200:
                grown = _chunk_end(lines, grown, end) if lines[grown].strip() else grown + 1
                verdict = _compiles("\n".join(lines[i:grown]))
            if verdict == "code":
                j = grown
                for k in range(i, j):
                    kinds[k] = "code"
            i = j if verdict == "code" else i + 1
        run = []
        for k in range(start, end + 1):
            if k < end and k in kinds:
                run.append(k)
            elif k < end and not lines[k].strip():
                continue
            else:
                if any(kinds[x] == "code" for x in run):
                    blocks.append([run[0] + 1, run[-1] + 1])
                run = []
    return blocks


def _chunk_end(lines, i, end):
    """One past the last line of the chunk starting at i: its indented continuation."""
    j = i + 1
    last = j
    while j < end:
        text = lines[j]
        if not text.strip():
            j += 1
            continue
        if text[0] in " \t" or text.lstrip().startswith(("#",)) and text[0] in " \t":
            j += 1
            last = j
            continue
        break
    return last


_STATEMENT_CALLS = {"print", "input", "exec", "help", "breakpoint", "setattr", "delattr"}
# methods called for their effect: `x.append(4)` is code, never the repr of a value
_MUTATING_METHODS = {"append", "extend", "insert", "remove", "pop", "clear", "sort",
                     "reverse", "update", "add", "discard", "setdefault", "write",
                     "writelines", "close", "popitem", "appendleft", "extendleft"}


def is_code(text):
    """A comment that is commented-out code: it parses as a statement that states no
    value (an assignment, an import, a def, a loop, a print call...)."""
    text = text.strip()
    if not text or len(text) > 10_000:
        return False
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    if not tree.body:
        return False
    for stmt in tree.body:
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
            return False  # `Output: 5`, `KeyError: 'k'`: a marker or an exception
        if isinstance(stmt, ast.Expr):
            call = stmt.value
            func = call.func if isinstance(call, ast.Call) else None
            called = isinstance(func, ast.Name) and func.id in _STATEMENT_CALLS
            mutates = isinstance(func, ast.Attribute) and func.attr in _MUTATING_METHODS
            if not (called or mutates):
                return False  # a value, a repr, a name: what a claim looks like
    return True


def literal(text):
    """A Python literal as tagged JSON in source order, or None if it is not one."""
    text = text.strip()
    if not text or len(text) > 100_000:
        return None
    try:
        node = ast.parse(text, mode="eval").body
        return _canon(node)
    except (SyntaxError, ValueError, TypeError, MemoryError, RecursionError):
        return None


def _canon(node):
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None:
            return ["None"]
        if v is Ellipsis:
            raise ValueError("ellipsis")
        if isinstance(v, bool):
            return ["bool", v]
        if isinstance(v, int):
            return ["int", str(v)]
        if isinstance(v, float):
            return ["float", repr(v)]
        if isinstance(v, complex):
            return ["complex", repr(v)]
        if isinstance(v, str):
            return ["str", v]
        if isinstance(v, bytes):
            return ["bytes", v.decode("latin-1")]
        raise ValueError("constant")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _canon(node.operand)
        if inner[0] not in ("int", "float", "complex"):
            raise ValueError("sign")
        v = ast.literal_eval(node)
        return _canon(ast.Constant(value=v))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        return ["complex", repr(ast.literal_eval(node))]
    if isinstance(node, ast.List):
        return ["list", [_canon(e) for e in node.elts]]
    if isinstance(node, ast.Tuple):
        return ["tuple", [_canon(e) for e in node.elts]]
    if isinstance(node, ast.Set):
        return ["set", [_canon(e) for e in node.elts]]
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise ValueError("dict unpacking")
        return ["dict", [[_canon(k), _canon(v)] for k, v in zip(node.keys, node.values)]]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "set" and not node.args and not node.keywords):
        return ["set", []]
    raise ValueError("not a literal")


def clean(s):
    """Text that survives UTF-8 (lone surrogates from odd bytes become escapes)."""
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        return s.encode("utf-8", "backslashreplace").decode("utf-8")


# ---------------------------------------------------------------------------------
# Running a question (forked child)


class Recorder:
    """Output of a question, attributed to every example line on the writer's stack.

    One budget (``cap`` characters) bounds what is kept for the whole question, and a
    single write keeps at most half of it, so one flood is cut but later output still
    counts.
    """

    def __init__(self, filename, cap):
        self.aim(filename, cap)
        self.used = 0
        self.cut = False
        self.pending = {}  # line -> [text], not yet sent
        self.stream = []  # output of the current top-level statement
        self.lock = threading.RLock()

    def aim(self, filename, cap):
        """The guide whose lines are attributed output, and the budget."""
        self.filename = filename
        self.cap = max(cap, 2)

    def write(self, s):
        lines = []
        f = _getframe(1)
        while f is not None:
            if f.f_code.co_filename == self.filename and f.f_lineno not in lines:
                lines.append(f.f_lineno)
            f = f.f_back
        self.add(s, lines)

    def add(self, s, lines):
        with self.lock:
            room = min(self.cap - self.used, self.cap // 2)
            if len(s) > room:
                s = s[:max(room, 0)]
                self.cut = True
            if not s:
                return
            self.used += len(s)
            s = clean(s)
            self.stream.append(s)
            for line in lines:
                self.pending.setdefault(line, []).append(s)

    def take(self):
        with self.lock:
            lines = {str(k): "".join(v) for k, v in self.pending.items()}
            stream = "".join(self.stream)
            self.pending, self.stream = {}, []
            return lines, stream


class _Bytes:
    """``sys.stdout.buffer`` for code that writes bytes."""

    def __init__(self, text):
        self._text = text

    def write(self, b):
        self._text.write(bytes(b).decode("utf-8", "replace"))
        return len(b)

    def flush(self):
        pass


class Capture(io.TextIOBase):
    def __init__(self, recorder, fd):
        super().__init__()
        self._rec = recorder
        self._fd = fd
        self._owner = _os_getpid()
        self.buffer = _Bytes(self)

    encoding = "utf-8"
    errors = "strict"

    def adopt(self):
        """This process writes through this stream (it was made in the worker)."""
        self._owner = _os_getpid()

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if _os_getpid() != self._owner:
            # a process the example forked: it writes to the shared capture file, as
            # real CPython's would, and the question's process reads it from there
            data = s.encode("utf-8", "backslashreplace")
            while data:
                data = data[_os_write(self._fd, data):]
            return len(s)
        self._rec.write(s)
        return len(s)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        return self._fd


class Channel:
    """Events of the question's process, one JSON line each, written unbuffered: to the
    worker's stdout (answers), or to a question's event file, where what was written
    survives a crash and the worker reads it all once, when the question is over."""

    def __init__(self, fd):
        self.fd = fd
        self.owner = _os_getpid()

    def send(self, event):
        if _os_getpid() != self.owner:
            return  # a process the example forked: only the question's process reports
        data = (_json_dumps(event) + "\n").encode("utf-8")
        while data:
            n = _os_write(self.fd, data)
            data = data[n:]


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
        return _ended(outcome, {"type": "SyntaxError", "message": str(e), "line": first,
                                "traceback": str(e)})
    try:
        compiled = _compile_statements(run, tree, code, interactive=not whole)
    except SyntaxError as e:
        if not whole:
            return _unit_syntax_error(run, index, ex, first, code, e, 0, outcome)
        return _ended(outcome, _not_python(_syntax_error(e, 0)))
    except (ValueError, MemoryError, RecursionError) as e:
        return _ended(outcome, {"type": "SyntaxError", "message": str(e), "line": first,
                                "traceback": str(e)})
    run.chan.send({"t": "stmts", "ex": index, "add": not whole,
                   "statements": [_statement_info(s) for s in tree.body]})
    expect = set(ex.get("expect_raise", []))
    for stmt, code_obj in zip(tree.body, compiled):
        obs = {"t": "stmt", "ex": index, "line": stmt.lineno}
        exit_error, stop = None, False
        try:
            obs.update(_run_statement(run, stmt, code_obj, interactive=not whole))
            run.succeeded(stmt)
        except SystemExit as e:
            stop = True
            if e.code not in (None, 0):
                exit_error = _error(e, stmt.lineno, run.filename)
                exit_error["message"] = clean(str(e.code))
        except BaseException as e:  # the example's exception, whatever it is
            if _expected_to_raise(stmt, expect):
                obs["raised"] = _raised(e, str(e))
                run.failed(stmt, stmt.lineno)
            else:
                cause = run.blocked_by(e)
                if cause is not None:
                    obs["blocked_by"] = cause
                    run.failed(stmt, cause)
                else:
                    obs["error"] = _error(e, stmt.lineno, run.filename)
                    run.failed(stmt, stmt.lineno)
                    if outcome["error"] is None:
                        outcome["error"] = obs["error"]
        run.collect_fd_output(stmt.lineno)
        obs["lines"], obs["stream"] = run.rec.take()
        run.chan.send(obs)
        if stop:
            if exit_error is not None:
                return _ended(outcome, exit_error)
            outcome["stopped"] = (stmt.end_lineno or stmt.lineno) + 1
            return False
    return True


def _compile_statements(run, tree, code, interactive):
    """Each top-level statement compiled on its own (so that one statement's exception
    is recorded and the next runs), all before any runs, so that a compile error stops
    the unit before anything runs. An expression statement is compiled as an
    expression, for its value; a session's statement for a REPL's ``single`` mode.

    The whole unit is compiled as well only when it may hold an error that no
    statement holds alone, which only global declarations and ``__future__`` imports
    make. One warnings filter covers every compile (its setting costs more than a
    small statement's compile)."""
    filename = run.filename
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # see _compile
        if "global" in code or "__future__" in code:
            compile(tree, filename, "exec", dont_inherit=True)
        compiled = []
        for stmt in tree.body:
            if isinstance(stmt, ast.Expr):
                unit, mode = ast.Expression(stmt.value), "eval"
            elif interactive:
                unit, mode = ast.Interactive(body=[stmt]), "single"
            else:
                unit, mode = ast.Module(body=[stmt], type_ignores=[]), "exec"
            compiled.append(compile(unit, filename, mode, dont_inherit=True))
        return compiled


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


def _register_source(filename, examples):
    """Let tracebacks show the guide's code lines at the guide's line numbers. The
    entry has no modification time, so linecache never checks it against a file, and
    its size is not used: it is not counted (that would cost as much as the guide is
    long, for every question)."""
    last = max(ex["line"] + ex["code"].count("\n") for ex in examples)
    lines = ["\n"] * (last + 1)
    for ex in examples:
        first = ex["line"] - 1
        code = ex["code"].split("\n")
        lines[first:first + len(code)] = [text + "\n" for text in code]
    linecache.cache[filename] = (0, None, lines, filename)


def _question_process(reqfd, donefd, capfd, eventfd, warm, req=None):
    """A question's process. With a core to spare it is forked before its question is
    known, while the question before it runs (see ``_hand_over``): what does not
    depend on the question happens then, and its request comes on ``reqfd``. Else it
    is forked with its request, ``req``."""
    os.setpgid(0, 0)
    _die_with_parent()
    _close_inherited_fds(keep={reqfd, capfd, eventfd, donefd} - {None})
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
    _register_source(req["file"], req["examples"] + (req.get("setup") or []))
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


_HARNESS_CODE = set()  # the code objects of this file, filled in at the end


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


def _prctl(option, value):
    try:
        if not _LIBC:
            import ctypes  # once, in the worker, before it forks
            _LIBC.append(ctypes.CDLL(None, use_errno=True))
        return _LIBC[0].prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError, ImportError):
        return False  # not Linux: the process-group kill still applies


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


def _question_path():
    # found once: tempfile.gettempdir() and os.path.join touch pages of their own
    # after every fork, and the worker's temporary directory does not change
    if not _QUESTION_PATH:
        _QUESTION_PATH.append(os.path.join(tempfile.gettempdir(), "snipcheck-question"))
    return _QUESTION_PATH[0]


_QUESTION_PATH = []


def _question_directory():
    """The working directory of the worker's questions: one path, empty and private
    for each. A directory is made again only when a question left something in it or
    changed it: making and removing one per question costs the filesystem's journal."""
    workdir = _question_path()
    try:
        st = os.lstat(workdir)
        if stat.S_ISDIR(st.st_mode) and stat.S_IMODE(st.st_mode) == 0o700 \
                and not os.listdir(workdir):
            return workdir
        _remove_question_directory(workdir)
    except FileNotFoundError:
        pass
    os.mkdir(workdir, 0o700)
    return workdir


def _remove_question_directory(workdir):
    try:
        if not os.path.islink(workdir):
            os.chmod(workdir, 0o700)  # a question may have taken its own rights away
        os.rmdir(workdir)
    except FileNotFoundError:
        return
    except OSError:
        shutil.rmtree(workdir, ignore_errors=True)
    if os.path.lexists(workdir):
        os.unlink(workdir)  # a symlink or a file put in its place


def run_contained(req, raw=None, ahead=True):
    """Run one question in a forked child. Returns the answer the Rust side reads and
    what is left to do after it is sent: a child that said "done" has nothing more to
    tell, so reaping it, killing what it left and emptying its directory happen while
    snipcheck reads the answer (and before the next question starts).

    The child writes its events to an unlinked file and one byte on a pipe when it is
    done; the worker sleeps until that byte, the child's exit or the deadline, and
    only then reads the file: while the question runs the worker does nothing, so it
    writes to none of the pages it shares with the child."""
    workdir = _question_directory()
    capfd, eventfd = _question_files()
    _premade()
    handed_over = bool(_AHEAD) and ahead
    if handed_over:
        pid, rfd = _hand_over(raw if raw is not None else _json_dumps(req).encode("utf-8"),
                              capfd, eventfd)
    else:  # forked with its request, which it need not read and parse again
        _register_source(req["file"], req["examples"] + (req.get("setup") or []))
        pid, _, rfd = _fork_question_process(capfd, eventfd, req=req)
    if _FORK_AHEAD[0] and not _AHEAD:
        # the next question's process, forked now, gets ready while this one runs
        _AHEAD.append(_fork_question_process(capfd, eventfd, warm=True))

    def finish(timed_out=False):
        try:
            return _reap(pid, stop_first=timed_out)
        finally:
            os.close(rfd)
            _empty_question_directory(workdir)

    timeout = float(req.get("timeout", 10))
    try:
        timed_out = not _await_question(pid, rfd, eventfd, timeout)
        events, done = _read_events(eventfd, req)
        if done:
            return _assemble(req, events, True, False, timeout, None), finish
        status = finish(timed_out)
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


def _empty_question_directory(workdir):
    """What the question wrote goes; the common case, nothing, costs a listing."""
    try:
        if os.listdir(workdir):
            _remove_question_directory(workdir)
    except OSError:
        _remove_question_directory(workdir)


_QUESTION_FILES = []  # the capture file and the event file, made once per worker


def _question_files():
    """The capture and event files, emptied: made once, since making a file per
    question costs the filesystem's journal. Every process that could hold them
    from the question before is gone (reaped, its group and orphans killed)."""
    if not _QUESTION_FILES:
        _QUESTION_FILES.extend((_unlinked_file(), _unlinked_file()))
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


def _reap(pid, stop_first):
    """Wait for the child: ask it to stop, then kill it and everything it started."""
    if stop_first:
        _kill_child(pid, signal.SIGTERM)
        if _wait(pid, 0.5) is None:
            _kill_child(pid, signal.SIGKILL)
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


def _where_it_stopped(examples, events):
    """The example that was running when the question ended without saying done, and
    the line of its first statement with no observation (statements are observed in
    order, one event each)."""
    index = 0
    for ev in events:
        ex = ev.get("ex")
        if isinstance(ex, int) and 0 <= ex < len(examples):
            index = ex + 1 if ev.get("t") == "end" else ex
    index = min(index, len(examples) - 1)
    statements = examples[index]["statements"] or []
    done = len(examples[index]["observed"])
    if statements:
        return index, statements[min(done, len(statements) - 1)].get("line")
    return index, None


def _assemble(req, events, done, timed_out, timeout, status):
    examples = [{"statements": None, "observed": [], "error": None, "stopped": None}
                for _ in req["examples"]]
    lines = {}
    cut = False
    for ev in events:
        t = ev.get("t")
        ex = ev.get("ex")
        target = examples[ex] if isinstance(ex, int) and 0 <= ex < len(examples) else None
        if t == "stmts" and target is not None:
            if ev.get("add") and target["statements"] is not None:
                target["statements"] += ev.get("statements") or []
            else:
                target["statements"] = ev.get("statements")
        elif t == "stmt" and target is not None:
            for k, v in (ev.pop("lines", None) or {}).items():
                lines[k] = lines.get(k, "") + v
            target["observed"].append(_observation(ev))
        elif t == "end" and target is not None:
            target["error"] = ev.get("error")
            target["stopped"] = ev.get("stopped")
        elif t == "done":
            for k, v in (ev.get("lines") or {}).items():
                lines[k] = lines.get(k, "") + v
            cut = bool(ev.get("cut"))
    if not done:
        index, line = _where_it_stopped(examples, events)
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
        if isinstance(index, int) and 0 <= index < len(examples):
            examples[index]["error"] = error
            examples[index]["stopped"] = line
            for later in examples[index + 1:]:
                later["error"] = {"type": "NotRun", "line": None,
                                  "message": "not run: an earlier example of this question stopped"}
                later["stopped"] = 0
    return {"examples": examples, "lines": lines, "cut": cut, "worker_error": None}


# ---------------------------------------------------------------------------------
# The worker loop


PROTOCOL = 1  # src/python/protocol.rs documents the wire format of this version


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
    for raw in requests:
        try:
            req = json.loads(raw)
        except ValueError as e:
            out.send({"protocol_error": str(e)})
            continue
        finish = None
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
