#!/usr/bin/env python3
"""snipcheck's benchmark: its cost side by side with what the same work costs without
it, as ratios (speed is measured here, never in tests).

    python3 benches/bench.py [--bin target/release/snipcheck] [--python PYTHON] [--quick]
                             [--only tiny|print|statement|start-up|re-check|memory] [--big]

Each figure is the best of several runs. The ratios and their goals (issue 11):

  tiny -j1, tiny -j2  2,000 one-line questions against a Python script that forks once
                      per example (the floor of a design where every question runs in
                      its own forked process)                        goal <= 2x, <= 1.2x
  print, statement    the cost of one more print / top-level statement inside an
                      example, against the same in plain Python      goal <= 3x
  start-up            the bundled guide against plain Python running its examples
  re-check            a 2,000-question guide re-checked after one question was edited,
                      against a guide of that one question           goal <= 1.5x
  peak memory         of snipcheck and all its processes (proportional set size),
                      2,000 questions at --jobs 2                    goal <= 64 MiB

--big also times reading a 100 MB Markdown guide (no question runs).

--python is the interpreter the plain-Python sides run on; it should be the one the
binary embeds (the default python3 here).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The floor: one process, one fork per example, its output read back through a pipe.
FORK_PER_EXAMPLE = r'''
import json, os, sys
examples = json.load(open(sys.argv[1]))
for code in examples:
    compiled = compile(code, "<guide>", "exec")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        exec(compiled, {"__name__": "__main__"})
        sys.stdout.flush()
        os._exit(0)
    os.close(w)
    out = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        out += chunk
    os.close(r)
    os.waitpid(pid, 0)
'''

# Plain Python running examples one after another in one process.
RUN_ALL = r'''
import json, sys
for code in json.load(open(sys.argv[1])):
    exec(compile(code, "<guide>", "exec"), {"__name__": "__main__"})
'''


def best(fn, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run(cmd, **kw):
    env = dict(os.environ)
    env.pop("CI", None)  # the cache is off under CI=true; the re-check wants it on
    env.update(kw.pop("env", {}))
    subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, **kw)


class Bench:
    def __init__(self, binary, python, tmp, repeat):
        self.binary, self.python, self.tmp, self.repeat = binary, python, tmp, repeat
        help_text = subprocess.run([binary, "check", "--help"], capture_output=True, text=True).stdout
        self.has_cache = "--no-cache" in help_text
        self.cache_dir = os.path.join(tmp, "cache")

    def snipcheck(self, guide, jobs, cache=False, n=None):
        cmd = [self.binary, "check", guide, "--format", "json", "--jobs", str(jobs)]
        env = {"SNIPCHECK_CACHE_DIR": self.cache_dir}
        if self.has_cache and not cache:
            cmd.append("--no-cache")
        return best(lambda: run(cmd, cwd=ROOT, env=env), n or self.repeat)

    def python_file(self, script, *args):
        return best(lambda: run([self.python, "-c", script, *args]), self.repeat)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path


def tiny_guide(count):
    parts = []
    for i in range(1, count + 1):
        parts.append(f"## {i}. Question {i}\n\n```python\nprint({i} * 2)  # {i * 2}\n```\n\n")
    return "".join(parts)


def one_question(code, claim=""):
    return f"## 1. One question\n\n```python\n{code}\n```\n{claim}"


def ratio(name, ours, theirs, goal=None):
    line = f"{name:<34} {ours * 1000:9.1f} ms vs {theirs * 1000:9.1f} ms  = {ours / theirs:5.2f}x"
    if goal is not None:
        line += f"   (goal <= {goal}x{'' if ours / theirs <= goal else ', NOT MET'})"
    print(line, flush=True)


def marginal(b, name, make_code, count, goal):
    """The cost of `count` more units inside one example, snipcheck against plain Python."""
    small, big = make_code(1), make_code(count)
    ours = b.snipcheck(b.write("mn.md", one_question(big)), 1) - \
        b.snipcheck(b.write("m1.md", one_question(small)), 1)
    theirs = b.python_file(big) - b.python_file(small)
    ratio(f"{name} (x{count}, marginal)", ours, theirs, goal)


def tree_memory(root_pid):
    """Proportional set size of a process and all its descendants, in bytes."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parents[int(name)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, todo = set(), [root_pid]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo += [p for p, pp in parents.items() if pp == pid and p not in tree]
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def peak_memory(b, guide, jobs):
    cmd = [b.binary, "check", guide, "--format", "json", "--jobs", str(jobs)]
    if b.has_cache:
        cmd.append("--no-cache")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_memory(proc.pid))
            time.sleep(0.01)
    t = threading.Thread(target=sample)
    t.start()
    proc.wait()
    t.join()
    return peak[0]


def main(argv):
    binary = os.path.join(ROOT, "target/release/snipcheck")
    python = shutil.which("python3")
    if "--bin" in argv:
        binary = os.path.abspath(argv[argv.index("--bin") + 1])
    if "--python" in argv:
        python = argv[argv.index("--python") + 1]
    repeat = 2 if "--quick" in argv else 5
    only = argv[argv.index("--only") + 1] if "--only" in argv else None

    def wanted(name):
        return only is None or only == name
    with tempfile.TemporaryDirectory() as tmp:
        b = Bench(binary, python, tmp, repeat)
        print(f"snipcheck: {binary}{'' if b.has_cache else ' (no run cache)'}")
        print(f"python:    {python}\n")

        many = b.write("many.md", tiny_guide(2000))
        if wanted("tiny"):
            codes = [f"print({i} * 2)" for i in range(1, 2001)]
            codes_file = b.write("codes.json", json.dumps(codes))
            floor = b.python_file(FORK_PER_EXAMPLE, codes_file)
            for jobs, goal in ((1, 2), (2, 1.2)):
                ratio(f"2,000 tiny questions, --jobs {jobs}", b.snipcheck(many, jobs, n=3), floor, goal)
        if wanted("print"):
            marginal(b, "print-heavy", lambda n: f"for i in range({n}):\n    print(i)", 50000, 3)
        if wanted("statement"):
            marginal(b, "statement-heavy",
                     lambda n: "\n".join(f"x{i} = {i} * 2" for i in range(n)) or "pass", 5000, 3)

        seed = os.path.join(ROOT, "guides/python-advanced.txt")
        # the bundled guide's examples, as `snipcheck extract` records them
        seed_codes = []
        for name in sorted(os.listdir(os.path.join(ROOT, "questions"))):
            with open(os.path.join(ROOT, "questions", name)) as f:
                seed_codes.append(f.read())
        if seed_codes and wanted("start-up"):
            plain = b.python_file(RUN_ALL, b.write("seed.json", json.dumps(seed_codes)))
            ratio("start-up: bundled guide, --jobs 2", b.snipcheck(seed, 2), plain)

        if not wanted("re-check"):
            pass
        elif b.has_cache:
            edited = b.write("edited.md", tiny_guide(2000))
            b.snipcheck(edited, 2, cache=True, n=1)  # fills the cache

            def recheck(k=[0]):
                k[0] += 1
                text = tiny_guide(2000).replace("print(1000 * 2)  # 2000",
                                                f"print(1000 * 2 + {k[0]} - {k[0]})  # 2000")
                b.write("edited.md", text)
                t = time.perf_counter()
                run([binary, "check", edited, "--format", "json", "--jobs", "2"], cwd=ROOT,
                    env={"SNIPCHECK_CACHE_DIR": b.cache_dir})
                return time.perf_counter() - t
            ours = min(recheck() for _ in range(repeat))
        else:
            ours = b.snipcheck(many, 2, n=1)  # before the cache: everything runs again
        if wanted("re-check"):
            single = b.write("single.md", one_question("print(1000 * 2)", "# 2000\n"))
            ratio("re-check after one edit", ours, b.snipcheck(single, 2), 1.5)
        if "--big" in argv:
            big = os.path.join(tmp, "big.md")
            chunk = "Some prose about the example below.\n\n```python\nx = 1\n```\n\n" * 100
            with open(big, "w") as f:
                while f.tell() < 100 * 1024 * 1024:
                    f.write(chunk)
            t = time.perf_counter()
            run([binary, "check", big, "--format", "json", "--question", "nothing"])
            print(f"{'100 MB Markdown guide, read':<34} {time.perf_counter() - t:9.2f} s")
        if not wanted("memory"):
            return
        peak = peak_memory(b, many, 2)
        print(f"{'peak memory, 2,000 questions -j2':<34} {peak / 2**20:9.1f} MiB"
              f"   (goal <= 64 MiB{'' if peak <= 64 * 2**20 else ', NOT MET'})")


if __name__ == "__main__":
    main(sys.argv[1:])
