#!/usr/bin/env python3
"""Benchmarks for snipcheck's runner (figures for DESIGN.md; speed is measured here,
never in tests).

    python3 benches/bench.py [--bin target/release/snipcheck] [--big]

Prints: the cost of a fork, of a bare interpreter start and of a tiny in-process run
on this machine; snipcheck's wall time on the bundled guide with --jobs 1 and 2; on a
generated guide of 2,000 tiny questions with --jobs 1 and 2; and with --big, on a
100 MB Markdown guide.
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def best(fn, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def fork_cost(n=200):
    t = time.perf_counter()
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    return (time.perf_counter() - t) / n


def interpreter_start():
    return best(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))


def in_process_run(n=2000):
    code = compile("print(1)", "<bench>", "exec")
    import io
    import contextlib
    t = time.perf_counter()
    for _ in range(n):
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, {"__name__": "__main__"})
    return (time.perf_counter() - t) / n


def snipcheck(binary, guide, jobs):
    cmd = [binary, "check", guide, "--format", "json", "--jobs", str(jobs)]
    return best(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, cwd=ROOT), n=3)


def main(argv):
    binary = os.path.join(ROOT, "target/release/snipcheck")
    if "--bin" in argv:
        binary = argv[argv.index("--bin") + 1]
    print(f"fork + exit + wait:          {fork_cost() * 1000:.2f} ms")
    print(f"bare interpreter start:      {interpreter_start() * 1000:.1f} ms")
    print(f"tiny example, in process:    {in_process_run() * 1000:.3f} ms")
    seed = os.path.join(ROOT, "guides/python-advanced.txt")
    for jobs in (1, 2):
        print(f"bundled guide, --jobs {jobs}:     {snipcheck(binary, seed, jobs):.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        many = os.path.join(tmp, "many.md")
        with open(many, "w") as f:
            for i in range(1, 2001):
                f.write(f"## {i}. Question {i}\n\n```python\nprint({i} * 2)  # {i * 2}\n```\n\n")
        for jobs in (1, 2):
            secs = snipcheck(binary, many, jobs)
            print(f"2,000 tiny questions, --jobs {jobs}: {secs:.2f} s ({secs / 2000 * 1000:.2f} ms each)")
        if "--big" in argv:
            big = os.path.join(tmp, "big.md")
            chunk = "Some prose about the example below.\n\n```python\nx = 1\n```\n\n" * 100
            with open(big, "w") as f:
                while f.tell() < 100 * 1024 * 1024:
                    f.write(chunk)
            t = time.perf_counter()
            subprocess.run([binary, "check", big, "--format", "json", "--question", "nothing"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"100 MB Markdown guide, read: {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
