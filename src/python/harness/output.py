# snipcheck's harness, part 3 of 8: in a question's process, its output (attributed
# to the guide's lines) and its events.


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
        self.marks = None  # see mark
        self.lock = threading.RLock()
        # the file where processes the example forks write what they print, and how
        # much of it has been taken (see from_children)
        self.children_fd = None
        self.children_read = 0
        self.forked = False

    def aim(self, filename, cap):
        """The guide whose lines are attributed output, and the budget."""
        self.filename = filename
        self.cap = max(cap, 2)

    def write(self, s):
        self.add(s, self._lines_on_stack(_getframe(1)))

    def _lines_on_stack(self, f):
        lines = []
        while f is not None:
            if f.f_code.co_filename == self.filename and f.f_lineno not in lines:
                lines.append(f.f_lineno)
            f = f.f_back
        return lines

    def write_in_child(self, s):
        """What a process the example forked prints, with the guide lines on its own
        stack, as one line of the children's file: the question's process takes it
        from there (``from_children``). No lock: a fork may have copied it held."""
        fd = self.children_fd
        if fd is None:
            return False
        record = _json_dumps({"lines": self._lines_on_stack(_getframe(1)), "text": s})
        data = (record + "\n").encode("utf-8", "backslashreplace")
        while data:  # one write as a rule: children's records do not interleave
            data = data[_os_write(fd, data):]
        return True

    def note_fork(self):
        self.forked = True

    def from_children(self):
        """What processes the example forked printed since the last look, as if this
        process had printed it from their stacks: it counts for their guide lines and
        for the statement running now (its output blocks). Looked at only once the
        question's process has forked (``os.register_at_fork``)."""
        if not self.forked:
            return
        try:
            size = _os_fstat(self.children_fd).st_size
            if size <= self.children_read:
                return
            data = _os_pread(self.children_fd, min(size - self.children_read, 4 * self.cap + 4096),
                             self.children_read)
        except OSError:
            return
        end = data.rfind(b"\n") + 1  # a record still being written waits for the next look
        self.children_read += end if end or len(data) < 4 * self.cap else len(data)
        for raw in data[:end].split(b"\n"):
            try:
                record = _json_loads(raw)
                text, lines = record["text"], record["lines"]
                if isinstance(text, str) and isinstance(lines, list) \
                        and all(type(line) is int for line in lines):
                    self.add(text, lines)
            except (ValueError, KeyError, TypeError, RecursionError):
                pass  # not a record: the example wrote to the file itself

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
        self.from_children()
        with self.lock:
            lines, pieces = self._take_pieces()
            return lines, "".join(pieces)

    def _take_pieces(self):
        """The output by line and the pieces of the stream, both emptied."""
        lines = {str(k): "".join(v) for k, v in self.pending.items()}
        pieces = self.stream
        self.pending, self.stream = {}, []
        return lines, pieces

    def mark(self):
        """Until ``take_marked``, note for each piece of output the line the outermost
        example frame was at: the statement of a group run as one that wrote it."""
        self.marks = []
        self.add = self._add_marked  # the plain path pays nothing for this

    def _add_marked(self, s, lines):
        with self.lock:
            pieces = len(self.stream)
            Recorder.add(self, s, lines)
            if len(self.stream) > pieces:
                self.marks.append(lines[-1] if lines else None)

    def take_marked(self, starts):
        """``take``, with the output split between statements that start at these
        lines (in order): each piece goes to the statement holding its line, a piece
        with no example line on its stack (another thread's) with the one before."""
        self.from_children()  # through the marking add, so each piece has its mark
        with self.lock:
            del self.add
            lines, pieces = self._take_pieces()
            marks, self.marks = self.marks, None
        streams = [[] for _ in starts]
        at = 0
        for piece, line in zip(pieces, marks):
            if line is not None:
                at = max(bisect.bisect_right(starts, line) - 1, 0)
            streams[at].append(piece)
        return lines, ["".join(parts) for parts in streams]


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
            # a process the example forked: its lines go to the question's process on
            # a file of their own; without it, to the shared capture file, as real
            # CPython's would, and the question's process reads them from there
            if self._rec.write_in_child(s):
                return len(s)
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
    survives a crash and the worker reads it all once, when the question is over.

    A question's events, by ``t`` (``ex``: the example's index), in the order written:
    ``stmts`` (``statements``: the top-level statements listed before they run, each
    ``{line, end, compound}``; ``add``: appended to those listed before, a session's
    prompt at a time), ``stmt`` (one statement's observation: ``line``, ``stream``,
    ``lines`` and what it found; ``statement`` when it was not listed), ``runs``
    (``lines``: [first, last] of plain statements about to run as one) and ``ran``
    (``through``: the last of them that ran; ``lines``: their output by guide line),
    ``end`` (``error``, ``stopped``), and ``done`` last (``lines``, ``cut``): the worker
    assembles the answer from them (contained.py, ``_assemble``)."""

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
