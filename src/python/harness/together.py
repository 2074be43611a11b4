# snipcheck's harness, part 5 of 8: in a question's process, runs of plain statements
# compiled and run as one, each still observed as if it had run alone (DESIGN.md,
# "Plain statements run together").


# Statements that bind or drop names and are no block. Written without a parenthesis
# they call nothing (but a class's special methods), so they are not where an example
# hangs or crashes, which the report must point at; one that raises is found from its
# traceback. Imports are left out: importing runs a module's code.
_PLAIN = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Pass, ast.Delete,
          ast.Global, ast.Assert)


def _groups(body, code, first):
    """The top-level statements of plain code, as the groups that are compiled and run
    as one. A group of more than one is a run of plain statements, each alone on its
    lines, with no ``#`` from its first line to the next statement: no comment, so no
    claim, is about what one of them alone did. Every other statement is a group of
    its own."""
    lines = code.split("\n")
    hashes = [i for i, text in enumerate(lines) if "#" in text]
    calls = [i for i, text in enumerate(lines) if "(" in text]
    groups, together = [], []
    for i, stmt in enumerate(body):
        start, end = stmt.lineno - first, (stmt.end_lineno or stmt.lineno) - first
        upto = body[i + 1].lineno - first if i + 1 < len(body) else len(lines)
        if (isinstance(stmt, _PLAIN) and end < upto
                and (i == 0 or body[i - 1].end_lineno < stmt.lineno)
                and _none_within(hashes, start, upto)
                and _none_within(calls, start, end + 1)):
            together.append(stmt)
            continue
        groups += [together] if len(together) > 1 else [[s] for s in together]
        groups.append([stmt])
        together = []
    groups += [together] if len(together) > 1 else [[s] for s in together]
    return groups


def _none_within(marked, start, end):
    """No line index in ``marked`` (sorted) from ``start`` up to ``end``."""
    at = bisect.bisect_left(marked, start)
    return at == len(marked) or marked[at] >= end


def _run_together(run, index, group, code_obj, expect, outcome):
    """Runs a group of plain statements as one compiled unit. A statement that wrote
    is observed with what it wrote (the recorder notes the line the group was at);
    the others are not observed; one event says which lines run as one, and one how
    far they ran (a question that hangs or dies among them is reported at the first,
    naming their lines). One that raises is found from the traceback and observed as
    if it had run alone; the statements after it run alone."""
    last = group[-1]
    run.chan.send({"t": "runs", "ex": index, "lines": [group[0].lineno,
                                                       last.end_lineno or last.lineno]})
    run.rec.mark()
    raised = None
    try:
        exec(code_obj, run.ns)
    except BaseException as e:  # the example's exception, whatever it is
        raised = e
    done = len(group) if raised is None else _raised_at(raised, code_obj, group)
    run.collect_fd_output(group[min(done, len(group) - 1)].lineno)
    lines, streams = run.rec.take_marked([s.lineno for s in group])
    for stmt, stream in zip(group[:done], streams):
        stale = run.stale_read(stmt)
        run.ran(stmt, stale)
        if stream or stale is not None:
            obs = {"t": "stmt", "ex": index, "line": stmt.lineno, "stream": stream,
                   "lines": {}}
            if stale is not None:
                obs["blocked_by"] = stale
            if stmt is not group[0]:
                obs["statement"] = _statement_info(stmt)  # not listed before it ran
            run.chan.send(obs)
    run.chan.send({"t": "ran", "ex": index, "lines": lines,
                   "through": group[done - 1].lineno if done else 0})
    if raised is None:
        return True
    # the statements from the one that raised on run alone: list them, as a claim on
    # the whole cell (a notebook's saved error or result) looks for them by line
    rest = [_statement_info(stmt) for stmt in group[done:] if stmt is not group[0]]
    if rest:
        run.chan.send({"t": "stmts", "ex": index, "add": True, "statements": rest})
    if not _run_alone(run, index, group[done], None, False, expect, outcome,
                      raised, streams[done]):
        return False
    for stmt in group[done + 1:]:
        try:
            code_obj = run.compile(*_unit_of([stmt], interactive=False))
        except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
            return _ended(outcome, _beyond_limits(e, stmt.lineno))
        if not _run_alone(run, index, stmt, code_obj, False, expect, outcome):
            return False
    return True


def _raised_at(exc, code_obj, group):
    """Which statement of a group raised: the one holding the line its traceback shows
    for the group's frame. The first when the frame never ran; the last when the line
    is unknown, so that no statement runs twice."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code is not code_obj:
        tb = tb.tb_next
    if tb is None:
        return 0
    line = tb.tb_lineno
    if not isinstance(line, int) or line < group[0].lineno:
        return len(group) - 1
    done = 0
    for i, stmt in enumerate(group):
        if stmt.lineno <= line:
            done = i
    return done
