# snipcheck's harness, part 2 of 8 (prelude.py says what the whole is): reading
# guides in the main process, with CPython's own grammar; nothing here runs guide code.


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
    lines = code.split("\n")  # as the tokenizer counts rows: not at a form feed
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


def ipython(code):
    """What of a notebook cell is IPython's syntax, not Python's: ``[magic, []]`` for a
    cell magic (``%%timeit``: the whole cell is the magic's), else ``["", lines]``, the
    0-based lines that are line magics (``%matplotlib inline``), shell escapes
    (``!pip install x``, ``files = !ls``) or help (``len?``). A cell that parses has
    none; the lines found are IPython's only if none is inside a string once they are
    ``pass`` and the cell then parses, so a real syntax error stays one."""
    lines = code.split("\n")
    first = next((l.strip() for l in lines if l.strip()), "")
    if first.startswith("%%"):
        return [first.split()[0], []]
    if _parses(code):
        return ["", []]
    found = [i for i, l in enumerate(lines) if _is_ipython_line(l)]
    for _ in range(len(found)):
        inside = _rows_inside_strings("\n".join(_as_pass(lines, found)))
        kept = [i for i in found if i not in inside]
        if kept == found:
            break
        found = kept
    if found and _parses("\n".join(_as_pass(lines, found))):
        return ["", found]
    return ["", []]


def _is_ipython_line(line):
    s = line.strip()
    if s.startswith(("%", "!")):
        return True
    if s.endswith("?") and s.rstrip("?").replace(".", "").replace("_", "").isalnum():
        return True  # `len?`, `os.path??`: help
    target, eq, value = s.partition("=")
    names = target.replace(",", " ").replace(".", " ").split()
    return (bool(eq) and bool(names) and all(n.isidentifier() for n in names)
            and value.lstrip().startswith(("%", "!")))


def _as_pass(lines, rows):
    out = list(lines)
    for i in rows:
        out[i] = out[i][:len(out[i]) - len(out[i].lstrip())] + "pass"
    return out


def _rows_inside_strings(code):
    """0-based lines that begin inside a string token (a triple-quoted string's
    second line on)."""
    inside = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            (r0, _), (r1, _) = tok.start, tok.end
            inside.update(range(r0, r1))  # rows r0+1..r1, 1-based
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return inside


def _parses(code):
    try:
        ast.parse(code)
        return True
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
