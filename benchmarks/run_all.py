"""Every figure the README's Performance table claims, in one command.

Run: python benchmarks/run_all.py [--quick]   (--quick: 1,000 sessions for the history figure)
Each script prints medians over repeated runs, and ratios against a baseline measured in
the same run, so that a noisy machine moves both sides together.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    sessions = "1000" if "--quick" in sys.argv else "5000"
    steps = [
        ["bench_core.py"],
        ["bench_startup.py"],
        ["bench_history.py", sessions],
        ["grader_quality.py"],
    ]
    failed = 0
    for step in steps:
        script = HERE / step[0]
        if not script.exists():
            continue
        print(f"\n== {step[0]} ==", flush=True)
        failed |= subprocess.call([sys.executable, str(script), *step[1:]])
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
