#!/usr/bin/env python3
"""CI's gate on the labelled corpora (issue 7): run a scorer and hold its last line to
the bounds given.

Usage: python3 corpus/gate.py SCORE_SCRIPT [score args...] -- MIN_CAUGHT_SHARE MAX_ALARM_SHARE
e.g.   python3 corpus/gate.py ../shared/corpus/score.py -- 0.9 0.012
"""
import re
import subprocess
import sys

args = sys.argv[1:]
cut = args.index("--")
cmd, (min_caught, max_alarms) = args[:cut], map(float, args[cut + 1:])
out = subprocess.run([sys.executable, *cmd], capture_output=True, text=True).stdout
last = out.strip().splitlines()[-1] if out.strip() else ""
print(last)
m = re.match(r"corpus: caught (\d+) of (\d+) false claims, (\d+) false alarms on (\d+)", last)
if not m:
    sys.exit(f"gate: no score line from {' '.join(cmd)}")
caught, falses, alarms, checkable = map(int, m.groups())
ok = caught >= min_caught * falses and alarms <= max_alarms * checkable
if not ok:
    print(out)
    sys.exit(f"gate: want caught >= {min_caught:.0%} and false alarms <= {max_alarms:.1%}")
