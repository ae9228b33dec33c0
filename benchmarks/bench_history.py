"""History listing speed: `review --json` over 5,000 saved sessions, with and without the index,
an index of the version before (5) taken over, and the history screen: opened, sorted, and opened
while its index is rebuilt (what is on screen first, and when every row is).

Run: python benchmarks/bench_history.py [N] [--against CHECKOUT]. Everything is written to a
temporary folder. With --against (another checkout of the project, e.g. `git worktree add
/tmp/before <commit>`), opening the history is also timed with that code, in turns with this
code over the same sessions, so that both meet the same load on a shared machine.
Transcripts are real: a few sessions are run through the engine, then copied under new ids
and dates (text substitution, so making 5,000 takes a second or two, not minutes).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The code timed (--against runs this very harness with another checkout's code), then this
# checkout for tests/transcript_factory.py and the mini banks.
CODE = Path(os.environ.get("BENCH_HISTORY_CODE", ROOT))
sys.path[:0] = [str(CODE), str(ROOT)]

from interview_sim.cli import main as cli  # noqa: E402
from interview_sim.core.bank import load_bank  # noqa: E402
from interview_sim.core.grading import Grader  # noqa: E402
from interview_sim.core.index import INDEX_NAME  # noqa: E402
from interview_sim.core.session import Step  # noqa: E402
from interview_sim.core.settings import SessionSettings  # noqa: E402
from interview_sim.core.transcript import read_transcript  # noqa: E402
from tests.transcript_factory import answer, good, poor, session_id, start_session  # noqa: E402

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

MINI_BANKS = ROOT / "tests" / "fixtures" / "mini_banks"
TESTS = str(ROOT / "tests")  # settled_screen.py, for the history run headless
SESSIONS = 5_000
TEMPLATES = 8
RUNS = 5


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


Template = tuple[str, str, str | None]  # session id, transcript, report (None: unfinished)


def make_templates(folder: Path) -> list[Template]:
    """Real transcripts (and reports) of varied length, scores and status."""
    bank = load_bank([MINI_BANKS])
    grader = Grader(bank.questions())
    out = []
    for k in range(TEMPLATES):
        clock = Clock()
        settings = SessionSettings(
            questions=3 + k % 4, follow_ups=k % 3, seed=k, mode=("interview", "practice")[k % 2]
        )
        interview = start_session(bank, grader, folder, clock, settings)
        mix = k

        def answer_with(step: Step, mix: int = mix) -> str:  # scores vary from 0 to 100
            return good(step) if (len(step.item_id) + mix) % 3 else poor(step)

        steps = None if k % 4 else 2  # every fourth one left in progress
        answer(interview, answer_with, steps=steps, seconds=25.0 + k, advance=clock.advance)
        path = folder / f"{session_id(interview)}.yaml"
        md = path.with_suffix(".md")
        out.append(
            (
                session_id(interview),
                path.read_text(encoding="utf-8"),
                md.read_text(encoding="utf-8") if md.exists() else None,
            )
        )
    return out


def write_history(folder: Path, templates: list[Template], n: int) -> int:
    start = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    total = 0
    for i in range(n):
        old_id, text, md = templates[i % len(templates)]
        when = start + timedelta(hours=3 * i, minutes=i % 60)
        sid = f"{when:%Y%m%d-%H%M%S}-{i:04x}"
        stamp = when.isoformat(timespec="seconds")
        text = text.replace(old_id, sid)
        text = re.sub(r"^created: .*$", f"created: '{stamp}'", text, count=1, flags=re.M)
        text = re.sub(r"^updated: .*$", f"updated: '{stamp}'", text, count=1, flags=re.M)
        data = text.encode("utf-8")
        (folder / f"{sid}.yaml").write_bytes(data)
        total += len(data)
        if md is not None:
            (folder / f"{sid}.md").write_text(md.replace(old_id, sid), encoding="utf-8")
    return total


def review_json(folder: Path) -> dict:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(["review", "--json", "--sessions-dir", str(folder)])
    assert code == 0, code
    return json.loads(buffer.getvalue())


def median_ms(
    fn: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def cpu_and_wall(fn: Callable[[], object]) -> tuple[float, float]:
    """Milliseconds of wall time and of CPU time (every thread of this process) that fn takes."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def parse_all(folder: Path) -> int:
    n = 0
    for path in folder.glob("*.yaml"):
        yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)
        n += 1
    return n


def main(n: int = SESSIONS, against: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seeds, history = Path(tmp) / "seeds", Path(tmp) / "history"
        seeds.mkdir()
        history.mkdir()
        t0 = time.perf_counter()
        templates = make_templates(seeds)
        size = write_history(history, templates, n)
        made_s = time.perf_counter() - t0
        read_transcript(next(history.glob("*.yaml")))  # the copies are real transcripts
        print(
            f"wrote {n:,} transcripts ({size / 1e6:.1f} MB, {size // n:,} bytes each on "
            f"average) from {len(templates)} engine-made sessions in {made_s:.1f} s"
        )

        index = history / INDEX_NAME
        listing = review_json(history)
        assert len(listing["sessions"]) == n and listing["unreadable"] == [], listing.keys()
        assert index.is_file()

        cold = median_ms(lambda: review_json(history), 3, before=lambda: index.unlink())
        warm = median_ms(lambda: review_json(history), RUNS)
        baseline = median_ms(lambda: parse_all(history), 3)
        print(f"review --json, {n:,} sessions, cold (no index):   median {cold:7.0f} ms of 3")
        print(f"review --json, {n:,} sessions, warm (index):      median {warm:7.0f} ms of {RUNS}")
        print(f"baseline: yaml-parse every transcript (C loader): median {baseline:7.0f} ms of 3")
        print(
            f"ratio baseline / warm: {baseline / warm:.1f}x faster with the index; "
            f"cold / warm: {cold / warm:.1f}x"
        )
        upgrade_figures(history, n)
        schedule_figures(history, n)
        print(f"history screen (review), {n:,} sessions, index warm: " + open_figures(history))
        keyed = [asyncio.run(history_screen(history, key="down"))[1] for _ in range(5)]
        print(
            f"history screen, {n:,} sessions: a key pressed as soon as the rows show (down) "
            f"answered on screen at median {statistics.median(keyed):7.0f} ms of 5 from opening"
        )
        empty = Path(tmp) / "empty"
        empty.mkdir()
        print(
            "history screen with no session (what opening costs whatever the history): "
            + open_figures(empty)
        )
        if against is not None:
            compare_open(history, against)
        sorts = asyncio.run(history_sorts(history))
        idle = asyncio.run(history_sorts(history, key="x"))
        print(
            f"history screen, {n:,} sessions: a sort (s) redrawn in median "
            f"{statistics.median(sorts):7.0f} ms of {len(sorts)}; a key that does nothing "
            f"(x: the harness's own press and settle) median {statistics.median(idle):5.0f} ms"
        )
        index.unlink()
        first, done = asyncio.run(history_rebuilt(history))
        print(
            f"history screen, {n:,} sessions, index missing: progress line and the first rows "
            f"on screen after {first:7.0f} ms, every row after {done:7.0f} ms"
        )


def open_figures(folder: Path, runs: int = 5) -> str:
    """Opening the history ``runs`` times: rows on screen, everything drawn, CPU (medians)."""
    asyncio.run(history_screen(folder))  # imports, and Textual's first-time work
    times, cpu = [], []
    for _ in range(runs):
        process = time.process_time()
        times.append(asyncio.run(history_screen(folder)))
        cpu.append((time.process_time() - process) * 1000)
    return (
        f"the first rows on screen (open) after median "
        f"{statistics.median(r for r, _ in times):5.0f} ms of {runs}; trends, weak spots and "
        f"due counts too after {statistics.median(a for _, a in times):5.0f} ms (process CPU "
        f"time to the end: {statistics.median(cpu):4.0f} ms; the wall time grows with other "
        f"jobs on the machine, the CPU time less)"
    )


_NO_INDEX = shutil.ignore_patterns(INDEX_NAME, ".schedule.json")
_LISTING = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from interview_sim.core.store import SessionStore
from interview_sim.core.stats import current_statistics
listing = SessionStore(Path(sys.argv[2])).listing()
current_statistics(Path(sys.argv[2]), listing.results)
"""

_OPEN_N = """
import sys
sys.path.insert(0, sys.argv[1])
import bench_history as b
from pathlib import Path
print(b.open_figures(Path(sys.argv[2]), int(sys.argv[3])))
"""


# The real command, headless: `interview-sim review` in a fresh interpreter, imports and all,
# until the history has nothing left to read, lay out or paint.
_REVIEW = """
import sys, time
sys.path.insert(0, sys.argv[1])
sys.path.append(sys.argv[4])
from textual.app import App
from settled_screen import when_settled

painted = []  # when the history was first painted with rows (the clock of the machine)
display = App._display
def _display(self, screen, renderable):
    if not painted and renderable is not None and type(screen).__name__ == "HistoryScreen":
        try:
            if screen.query_one("#sessions").row_count:
                painted.append(time.time())
        except Exception:
            pass
    display(self, screen, renderable)
App._display = _display

def _write_painted(app):
    open(sys.argv[3], "w").write(str(painted[0] if painted else time.time()))

when_settled(
    lambda screen: type(screen).__name__ == "HistoryScreen",
    _write_painted,
    app_messages=False,
    workers=True,
)

from interview_sim.cli.main import main
sys.exit(main(["review", "--sessions-dir", sys.argv[2]]))
"""


def review_command(root: Path, history: Path) -> tuple[float, float, float]:
    """Milliseconds of `interview-sim review` run with ``root``'s code, from the interpreter
    starting: to the history drawn and the app gone (wall and CPU), and to its first rows
    painted (wall)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        started, t0 = time.time(), time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", _REVIEW, str(root), str(history), f"{tmp}/painted", TESTS],
            capture_output=True,
            check=True,
            env={**os.environ, "TEXTUAL": "headless"},
        )
        wall = (time.perf_counter() - t0) * 1000
        rows = (float(Path(f"{tmp}/painted").read_text()) - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000
    return wall, cpu, rows


def compare_open(history: Path, against: Path, rounds: int = 3, runs: int = 5) -> None:
    """Opening the history with this code and with ``against``'s, in turns, each in a fresh
    interpreter (medians of ``runs`` opens a round, wall and CPU milliseconds); and the whole
    `interview-sim review` command, start-up and imports included."""
    figures: dict[str, list[str]] = {"before": [], "this code": []}
    commands: dict[str, list[tuple[float, float, float]]] = {"before": [], "this code": []}
    folders = {}
    for name, root in (("before", against), ("this code", ROOT)):
        # Each code its own index (their versions may differ: each would rebuild the other's),
        # beside the same transcripts (hard links); built before the timing starts.
        folders[name] = history.parent / f"history ({name})"
        shutil.copytree(history, folders[name], copy_function=os.link, ignore=_NO_INDEX)
        subprocess.run([sys.executable, "-c", _LISTING, str(root), str(folders[name])], check=True)
    for _ in range(rounds):
        for name, root in (("before", against), ("this code", ROOT)):
            folder = folders[name]
            out = subprocess.run(  # this harness, timing ``root``'s code
                [sys.executable, "-c", _OPEN_N, str(ROOT / "benchmarks"), str(folder), str(runs)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "BENCH_HISTORY_CODE": str(root)},
            ).stdout
            figures[name].append(out.strip())
            commands[name] += [review_command(root, folder) for _ in range(runs)]
    for name, values in figures.items():
        print(f"history screen opened, {name} ({against if name == 'before' else ROOT}), in turns:")
        for value in values:
            print(f"  {value}")
    for name, timed in commands.items():
        print(
            f"`interview-sim review` from start, {name}: its first rows on screen after median "
            f"{statistics.median(r for _, _, r in timed):,.0f} ms, the history drawn "
            f"{statistics.median(w for w, _, _ in timed):,.0f} ms (CPU "
            f"{statistics.median(c for _, c, _ in timed):,.0f}) of {len(timed)}, in the same turns"
        )


def upgrade_figures(folder: Path, n: int) -> None:
    """An index of version 5 (the one before) is taken over without reading a transcript; a
    transcript written since is the only one read."""
    from interview_sim.core import transcript as transcript_module
    from interview_sim.core.index import INDEX_VERSION, flat_entries
    from interview_sim.core.store import SessionStore

    store, index = SessionStore(folder), folder / INDEX_NAME
    listing = store.listing()
    current = index.read_bytes()
    rows = {r.file: r for r in listing.rows}
    results = {r.id: r for r in listing.results}
    v5 = {}
    for name, entry in flat_entries(current).items():
        row, done = rows[name], results[rows[name].id]
        v5[name] = [
            *[*entry[:2], row.id, row.created, row.mode, list(row.topics), row.difficulty],
            *[row.questions, row.answered, row.score, row.duration, row.status],
            *[[list(a) for a in done.answers], list(done.missed), [list(r) for r in done.reviews]],
        ]
    old = json.dumps({"version": 5, "entries": v5}).encode()
    reads = [0]
    real = transcript_module.read_transcript

    def counting(path: Path):  # type: ignore[no-untyped-def]
        reads[0] += 1
        return real(path)

    transcript_module.read_transcript = counting
    try:
        upgraded = median_ms(store.listing, 3, before=lambda: index.write_bytes(old))
        version = json.loads(index.read_bytes().partition(b"\n")[0])["version"]
        assert reads[0] == 0 and version == INDEX_VERSION
        assert store.listing() == listing
        path = folder / listing.rows[len(listing.rows) // 2].file
        touched = median_ms(store.listing, 3, before=lambda: path.touch())
        assert reads[0] == 3, reads
    finally:
        transcript_module.read_transcript = real
    print(
        f"listing, {n:,} sessions, index of version 5: taken over in median {upgraded:7.0f} ms "
        f"of 3 (no transcript read); one transcript touched: median {touched:7.0f} ms of 3 "
        f"(that one read)"
    )


def schedule_figures(folder: Path, n: int) -> None:
    """The review schedule (FSRS) over the whole history: rebuilt from the indexed results,
    and brought up to date when nothing changed (what every listing pays)."""
    from interview_sim.core.scheduling import sync
    from interview_sim.core.store import SessionStore

    results = SessionStore(folder).results()
    reviews = sum(len(r.reviews) for r in results)
    rebuilt = median_ms(lambda: sync(folder, results, rebuild=True), 3)
    current = median_ms(lambda: sync(folder, results), RUNS)
    print(
        f"schedule, {n:,} sessions ({reviews:,} reviews): rebuilt in median {rebuilt:7.0f} ms "
        f"of 3; up to date, checked in median {current:7.0f} ms of {RUNS}"
    )


async def history_screen(folder: Path, key: str | None = None) -> tuple[float, float]:
    """Milliseconds from opening the history screen to its first rows painted (what a person
    sees as open: the keys move through them), and to everything on it drawn (trends, weak
    spots, due counts: the screen idle). With ``key``, that key is pressed as soon as the rows
    are painted, and the second figure is when the screen is painted after it was handled."""
    from textual.widgets import DataTable

    from interview_sim.cli.loading import load_all_banks
    from interview_sim.core.settings import SessionSettings
    from interview_sim.ui.app import make_app

    app = make_app(
        load_all_banks([]), folder, settings=SessionSettings(), open_history=True, tick=0
    )
    painted: list[tuple[float, int]] = []  # painted with rows in the table: when, cursor row
    display = app._display

    def paint(screen: object, renderable: object) -> None:
        if renderable is not None and type(screen).__name__ == "HistoryScreen":
            with contextlib.suppress(Exception):  # not mounted yet
                table = screen.query_one("#sessions", DataTable)  # type: ignore[attr-defined]
                if table.row_count:
                    painted.append(((time.perf_counter() - t0) * 1000, table.cursor_row))
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = paint  # type: ignore[method-assign]
    t0 = time.perf_counter()
    async with app.run_test(size=(100, 32)) as pilot:
        if key is not None:
            while not painted:
                await asyncio.sleep(0.001)
            await pilot.press(key)
            while painted[-1][1] == painted[0][1]:
                await asyncio.sleep(0.001)
            return painted[0][0], next(at for at, row in painted if row != painted[0][1])
        while (
            type(app.screen).__name__ != "HistoryScreen"
            or any(not w.is_finished for w in app.workers)
            or any(node.message_queue_size for node in app.screen.walk_children(with_self=True))
        ):
            await asyncio.sleep(0.005)
        await pilot.pause()
        end = (time.perf_counter() - t0) * 1000
        return (painted[0][0] if painted else end), end


async def history_rebuilt(folder: Path) -> tuple[float, float]:
    """Milliseconds from opening the history with no index to the progress line and the first
    rows drawn, and to every row and figure drawn."""
    from textual.widgets import DataTable, Static

    from interview_sim.cli.loading import load_all_banks
    from interview_sim.core.settings import SessionSettings
    from interview_sim.ui.app import make_app

    app = make_app(
        load_all_banks([]), folder, settings=SessionSettings(), open_history=True, tick=0
    )
    t0 = time.perf_counter()
    first = None
    async with app.run_test(size=(100, 32)) as pilot:
        while True:
            screen = app.screen
            if first is None and type(screen).__name__ == "HistoryScreen":
                line = screen.query_one("#history-progress", Static)
                rows = screen.query_one("#sessions", DataTable).row_count
                if line.display and "Reading saved sessions" in str(line.render()) and rows:
                    first = (time.perf_counter() - t0) * 1000  # painted on the next refresh
            if first is not None and not any(not w.is_finished for w in app.workers):
                break
            await asyncio.sleep(0.005)
        await pilot.pause()
        return first, (time.perf_counter() - t0) * 1000


async def history_sorts(folder: Path, runs: int = 4, key: str = "s") -> list[float]:
    """Milliseconds from pressing s (next sort key) to the table redrawn, once it is open."""
    from interview_sim.cli.loading import load_all_banks
    from interview_sim.core.settings import SessionSettings
    from interview_sim.ui.app import make_app

    app = make_app(
        load_all_banks([]), folder, settings=SessionSettings(), open_history=True, tick=0
    )
    async with app.run_test(size=(100, 32)) as pilot:
        while type(app.screen).__name__ != "HistoryScreen" or any(
            not w.is_finished for w in app.workers
        ):
            await asyncio.sleep(0.005)
        await pilot.pause()
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append((time.perf_counter() - t0) * 1000)
        return times


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=SESSIONS)
    parser.add_argument("--against", type=Path, help="another checkout, timed in turns")
    args = parser.parse_args()
    main(args.n, args.against)
