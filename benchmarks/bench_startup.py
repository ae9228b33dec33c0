"""Start-up to an interactive setup screen, against a bare Textual app showing one label.

Each run is a fresh process. Ours goes through the real entry point (`interview_sim.cli.main`
with no arguments: parse, load the banks, check the sessions folder, build the app, push the
setup screen); the bare app composes one Label. Both run headless at 100x32 and are timed
from launch to the same point: the first screen is on display, has painted, and no widget on
it has a message waiting (so nothing more is about to appear and a key press would be handled
next). Shutting down afterwards is not counted, for either side: it is not start-up, and it
depends on things (the garbage collector at exit, say) that a user never waits for.
Both kinds run interleaved in the same loop so machine noise hits both; the figure that
matters is the ratio of medians. Bytecode is cached (in a temporary folder, for both sides),
as it is for an installed program, even where PYTHONDONTWRITEBYTECODE is set.
Also: Start pressed -> interview screen settled, with and without the interview being prepared
(imports, grader) while the setup screen is shown; fresh processes, interleaved.
Run: python benchmarks/bench_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"  # settled_screen.py
RUNS = 9
START_RUNS = 5

# Shared by both sides (tests/settled_screen.py): run every App headless; once its first screen
# has settled, print the time and exit. The probe runs after a screen refresh, once that screen is
# idle with nothing left to lay out or paint; if any node still has messages queued (a widget
# still composing, say) it waits for the next refresh.
HARNESS = """
import resource, sys, time
sys.path.append(sys.argv[1])
from settled_screen import when_settled

def _headless_run(is_target):
    when_settled(is_target, lambda app: print("ready", time.time()))
"""

OURS_RUN = """
import os, tempfile
os.environ["INTERVIEW_SIM_SESSIONS"] = tempfile.mkdtemp()
os.environ["TEXTUAL"] = "headless"  # run headless: interview-sim then needs no terminal
_headless_run(lambda screen: type(screen).__name__ == "SetupScreen")
from interview_sim.cli.main import main
code = main([])
assert code == 0, code
print("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

BARE_RUN = """
from textual.app import App
from textual.widgets import Label
_headless_run(lambda screen: True)
class Bare(App):
    def compose(self):
        yield Label("hello")
Bare().run()
print("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

OURS, BARE = HARNESS + OURS_RUN, HARNESS + BARE_RUN

# Start pressed on the setup screen -> the interview screen settled, in a fresh process each
# time (imports count): after the setup screen has been up for a second, with the app's
# preparation (imports, grader) done meanwhile, against the same with preparation switched off.
START_RUN = """
import asyncio, os, sys, tempfile, time
from pathlib import Path
from interview_sim.cli.loading import load_all_banks
from interview_sim.core.settings import SessionSettings
from interview_sim.ui.app import InterviewApp, make_app

if sys.argv[1] == "off":
    InterviewApp.PREPARE_AFTER = 1e9

async def main():
    app = make_app(load_all_banks([]), Path(tempfile.mkdtemp()), settings=SessionSettings())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await asyncio.sleep(1.0)  # the person reads the setup screen
        started = time.perf_counter()
        await pilot.press("ctrl+s")
        while type(app.screen).__name__ != "InterviewScreen" or any(
                node.message_queue_size for node in app.screen.walk_children(with_self=True)):
            await asyncio.sleep(0.002)
        print("start", (time.perf_counter() - started) * 1000)

asyncio.run(main())
"""


def run(code: str, env: dict[str, str]) -> tuple[float, int]:
    """Milliseconds from launch to a settled first screen, and peak memory (KiB)."""
    launched = time.time()  # wall clock: the child reads the same clock
    out = subprocess.run(
        [sys.executable, "-c", code, str(TESTS)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    figures = dict(line.split() for line in out.splitlines() if line.startswith(("ready", "rss")))
    return (float(figures["ready"]) - launched) * 1000, int(figures["rss"])


def main() -> None:
    with tempfile.TemporaryDirectory() as pycache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pycache
        env["INTERVIEW_SIM_SESSIONS"] = tempfile.mkdtemp()
        measure(env)
        measure_start(env)


def start_latency(prepare: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", START_RUN, prepare],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return float(next(line.split()[1] for line in out.splitlines() if line.startswith("start")))


def measure_start(env: dict[str, str]) -> None:
    on, off = [], []
    for _ in range(START_RUNS):
        on.append(start_latency("on", env))
        off.append(start_latency("off", env))
    a, b = statistics.median(on), statistics.median(off)
    print(
        f"Start pressed -> interview screen settled: median {a:.0f} ms with the interview "
        f"prepared while setup is shown, {b:.0f} ms without ({START_RUNS} interleaved runs)"
    )


def measure(env: dict[str, str]) -> None:
    run(OURS, env)  # warm the file and bytecode caches once for both
    run(BARE, env)
    ours, bare, ours_rss, bare_rss = [], [], [], []
    for _ in range(RUNS):
        t, rss = run(OURS, env)
        ours.append(t)
        ours_rss.append(rss)
        t, rss = run(BARE, env)
        bare.append(t)
        bare_rss.append(rss)
    o, b = statistics.median(ours), statistics.median(bare)
    print(
        f"start-up to the setup screen: median {o:.0f} ms vs bare Textual label app "
        f"{b:.0f} ms, ratio {o / b:.2f} ({RUNS} interleaved runs)"
    )
    print(
        f"peak memory (max RSS): {statistics.median(ours_rss) / 1024:.1f} MiB vs bare "
        f"{statistics.median(bare_rss) / 1024:.1f} MiB, ratio "
        f"{statistics.median(ours_rss) / statistics.median(bare_rss):.2f}"
    )


if __name__ == "__main__":
    main()
