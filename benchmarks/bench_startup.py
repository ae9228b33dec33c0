"""Start-up to an interactive setup screen, against a bare Textual app showing one label.

Each run is a fresh process that builds the app, runs it headless and exits as soon as the
first screen has been mounted and painted. Both kinds run interleaved in the same loop so
machine noise hits both; the figure that matters is the ratio of medians.
Run: python benchmarks/bench_startup.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 9

OURS = """
import resource, sys
from interview_sim.cli import load_all_banks
from interview_sim.core.session import SessionSettings
from interview_sim.core.transcript import SessionStore
from interview_sim.ui.app import InterviewApp
from interview_sim.ui.screens.setup import SetupScreen
import tempfile, pathlib
app = InterviewApp(load_all_banks([]), SessionStore(pathlib.Path(tempfile.mkdtemp())),
                   settings=SessionSettings())
def ready():
    if isinstance(app.screen, SetupScreen):
        app.exit()
    else:
        app.call_after_refresh(ready)
app.call_after_refresh(ready)
app.run(headless=True, size=(100, 32))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BARE = """
import resource
from textual.app import App
from textual.widgets import Label
class Bare(App):
    def compose(self):
        yield Label("hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Bare().run(headless=True, size=(100, 32))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    elapsed = (time.perf_counter() - t0) * 1000
    return elapsed, int(out.strip().splitlines()[-1])


def main() -> None:
    run(OURS)  # warm the file cache once for both
    run(BARE)
    ours, bare, ours_rss, bare_rss = [], [], [], []
    for _ in range(RUNS):
        t, rss = run(OURS)
        ours.append(t)
        ours_rss.append(rss)
        t, rss = run(BARE)
        bare.append(t)
        bare_rss.append(rss)
    o, b = statistics.median(ours), statistics.median(bare)
    print(f"start-up to the setup screen: median {o:.0f} ms vs bare Textual label app "
          f"{b:.0f} ms, ratio {o / b:.2f} ({RUNS} interleaved runs)")
    print(f"peak memory (max RSS): {statistics.median(ours_rss) / 1024:.1f} MiB vs bare "
          f"{statistics.median(bare_rss) / 1024:.1f} MiB, ratio "
          f"{statistics.median(ours_rss) / statistics.median(bare_rss):.2f}")


if __name__ == "__main__":
    main()
