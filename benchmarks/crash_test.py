"""The crash test, long form: SIGKILL the real app in a real terminal (tmux) at random moments
(after a submit, mid-typing, after a pause, during a submit), then compare the answers
confirmed on screen with the answers on disk, and resume. Prints the counts.

Run: python benchmarks/crash_test.py [KILLS] [SEED]   (default 300 kills; needs tmux and the
installed `interview-sim`). Everything is written to a temporary folder. The short form is
tests/test_e2e_crash.py. Exit status 1 if anything was lost, torn or misplaced.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests/crash_harness.py and the mini banks

from tests.crash_harness import crash_test  # noqa: E402


def main() -> int:
    kills = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="interview-sim-crash-") as tmp:
        counts = crash_test(Path(tmp), kills=kills, seed=seed)
    minutes = (time.monotonic() - started) / 60
    by_moment = ", ".join(f"{k} {v}" for k, v in sorted(counts.moments.items()))
    print(
        f"SIGKILLs: {counts.kills} ({by_moment}) over {counts.sessions} sessions, {minutes:.1f} min"
    )
    print(f"answers confirmed on screen: {counts.confirmed}; lost from disk: {counts.lost}")
    print(
        f"torn or unreadable transcripts: {counts.torn}; answers or drafts never typed "
        f"for their step: {counts.strays}"
    )
    print(
        f"kills after a 2 s pause in typing: draft on disk {counts.drafts_kept}, "
        f"missing {counts.drafts_missing}"
    )
    print(
        f"resumes: {counts.resumes}; continued at the right question with the draft: "
        f"{counts.resumes_continued}"
    )
    return 1 if counts.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
