"""The listing index reads only what changed: a touched transcript is read again and no other,
an index of version 4 or 5 is taken over without reading any, an entry round-trips through the
file, and a rebuild reports its progress (newest first), can be stopped, and keeps what it read
every CHECKPOINT files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from interview_sim.core import index as index_module
from interview_sim.core import index_entries
from interview_sim.core import transcript as transcript_module
from interview_sim.core.bank import Bank
from interview_sim.core.index import INDEX_NAME, update
from interview_sim.core.rows import Listing, SessionResults, SessionRow
from interview_sim.core.store import SessionStore
from interview_sim.core.transcript import Transcript

from .snapshot_helpers import recorded_session

SESSIONS = 6


@pytest.fixture
def folder(mini_bank: Bank, tmp_path: Path) -> Path:
    root = tmp_path / "sessions"
    for day in range(SESSIONS):
        recorded_session(
            mini_bank,
            root,
            f"2026110{day + 1}-090000-aaa{day}",
            f"2026-11-0{day + 1}T09:00:00+00:00",
            [None, "no idea"],
            seed=day + 1,
            questions=2,
        )
    (root / "broken.yaml").write_text("schema_version: 99\n", encoding="utf-8")
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the transcripts read, in order."""
    read: list[str] = []
    real = transcript_module.read_transcript

    def counting(path: Path) -> Transcript:
        read.append(path.name)
        return real(path)

    monkeypatch.setattr(transcript_module, "read_transcript", counting)
    return read


def test_touching_one_transcript_reads_only_that_one_again(folder: Path, reads: list[str]) -> None:
    store = SessionStore(folder)
    first = store.indexed()
    assert len(reads) == SESSIONS + 1 and len(first.listing.rows) == SESSIONS
    reads.clear()
    again = store.indexed()
    assert reads == [] and again == first  # the same listing, the same digest

    path = folder / "20261103-090000-aaa2.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    touched = store.indexed()
    assert reads == [path.name]
    assert touched.listing == first.listing and touched.digest != first.digest
    reads.clear()
    assert store.listing() == first.listing and reads == []


def test_a_version_4_index_is_taken_over_without_reading_a_transcript(
    folder: Path, reads: list[str]
) -> None:
    store = SessionStore(folder)
    expected = store.listing()
    reads.clear()
    kept = index_module.flat_entries((folder / INDEX_NAME).read_bytes())
    v4: dict[str, object] = {}
    for name, entry in kept.items():  # the version 4 format, written out by hand
        if entry[2] is None:
            v4[name] = {"key": entry[:2], "error": entry[3]}
            continue
        row = next(r for r in expected.rows if r.file == name)
        results = next(r for r in expected.results if r.id == row.id)
        v4[name] = {"key": entry[:2], "row": row.to_json(), "results": results.to_json()}
    (folder / INDEX_NAME).write_text(json.dumps({"version": 4, "entries": v4}))
    assert store.listing() == expected
    assert reads == []
    assert (
        json.loads((folder / INDEX_NAME).read_bytes().partition(b"\n")[0])["version"]
        == index_module.INDEX_VERSION
    )

    v4[next(iter(v4))] = {"key": [1, 2], "row": {}}  # one entry that no longer fits its file
    (folder / INDEX_NAME).write_text(json.dumps({"version": 4, "entries": v4}))
    assert store.listing() == expected
    assert reads == [next(iter(v4))]


def test_a_version_5_index_is_taken_over_without_reading_a_transcript(
    folder: Path, reads: list[str]
) -> None:
    store = SessionStore(folder)
    expected = store.listing()
    reads.clear()
    v5: dict[str, object] = {}
    for row in expected.rows:  # the version 5 format: row and results as nested arrays
        results = next(r for r in expected.results if r.id == row.id)
        st = (folder / row.file).stat()
        v5[row.file] = [
            *[st.st_mtime_ns, st.st_size, row.id, row.created, row.mode, list(row.topics)],
            *[row.difficulty, row.questions, row.answered, row.score, row.duration, row.status],
            *[[list(a) for a in results.answers], list(results.missed)],
            [list(r) for r in results.reviews],
        ]
    st = (folder / "broken.yaml").stat()
    v5["broken.yaml"] = [st.st_mtime_ns, st.st_size, None, expected.unreadable[0].reason]
    (folder / INDEX_NAME).write_text(json.dumps({"version": 5, "entries": v5}))
    assert store.listing() == expected
    assert reads == []
    assert (
        json.loads((folder / INDEX_NAME).read_bytes().partition(b"\n")[0])["version"]
        == index_module.INDEX_VERSION
    )
    assert store.listing() == expected and reads == []  # and read back in the new form

    first = expected.rows[0].file
    for damaged in ([1, 2], [*v5[first][:5], "a topic", *v5[first][6:]]):  # type: ignore[misc]
        v5[first] = damaged
        (folder / INDEX_NAME).write_text(json.dumps({"version": 5, "entries": v5}))
        assert store.listing() == expected
        assert reads == [first]
        reads.clear()


def test_the_rows_are_heard_before_the_results_are_read_and_a_damaged_results_line_is_read_again(
    folder: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SessionStore(folder)
    expected = store.listing()
    reads.clear()
    events: list[str] = []
    seen: list[Listing] = []
    real = index_module._results_part

    def results_part(data: bytes) -> dict[str, object]:
        events.append("results read")
        return real(data)

    def shown(listing: Listing) -> None:
        events.append("rows shown")
        seen.append(listing)

    monkeypatch.setattr(index_module, "_results_part", results_part)
    assert store.indexed(shown=shown).listing == expected
    assert events == ["rows shown", "results read"] and reads == []
    assert seen == [Listing(expected.rows, expected.unreadable, [])]

    index = folder / INDEX_NAME
    rows_line = index.read_bytes().partition(b"\n")[0]
    index.write_bytes(rows_line + b"\n{not json")
    assert store.listing() == expected
    assert sorted(reads) == sorted(r.file for r in expected.rows)  # not broken.yaml: no results
    reads.clear()
    assert store.listing() == expected and reads == []  # and the index is whole again


ROW = SessionRow("20261101-090000-aaaa", "x.yaml", "2026-11-01T09:00:00+00:00", "practice",
                 ("rag", "évals ✓"), "mixed", 3, 2, 71.5, 90.0, "completed")  # fmt: skip
RESULTS = SessionResults(
    ROW.id,
    ROW.created,
    ROW.score,
    (("q1", "rag", 80), ("q2", "évals ✓", 63)),
    ("chunking", "chunking", "recall"),
    (("q1", "rag", 80.0, False, 12.5), ("q2", "évals ✓", 63.0, True, 140.0)),
)


@pytest.mark.parametrize(
    "found",
    [
        pytest.param((ROW, RESULTS), id="whole"),
        pytest.param(
            (
                ROW._replace(topics=(), score=None, questions=0, answered=0),
                RESULTS._replace(score=None, answers=(), missed=(), reviews=()),
            ),
            id="nothing-answered",
        ),
        pytest.param(
            (ROW._replace(topics=("[b]x[/b]", "")), RESULTS._replace(missed=("",))),
            id="odd-strings",
        ),
        pytest.param("not a transcript: schema_version 99", id="unreadable"),
    ],
)
def test_an_index_entry_round_trips_through_the_file(found: object) -> None:
    key = [1_733_389_200_123_456_789, 5863]
    kept = json.loads(json.dumps(index_entries.encode(key, found)))  # type: ignore[arg-type]
    assert index_entries.decode("x.yaml", key, kept) == found
    assert index_entries.decode("x.yaml", [key[0] + 1, key[1]], kept) is None  # another file


def test_a_rebuild_reports_progress_newest_first_and_can_stop(
    folder: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(index_module, "PROGRESS_SHARE", 1.0)  # every file read is reported
    seen: list[tuple[int, int, int]] = []
    stop_at = 3

    def progress(listing: Listing, done: int, total: int) -> bool:
        seen.append((len(listing.rows) + len(listing.unreadable), done, total))
        return done < stop_at

    indexed = update(folder, progress)
    total = SESSIONS + 1
    assert seen == [(0, 0, total), (1, 1, total), (2, 2, total), (3, 3, total)]
    assert reads == sorted(reads, reverse=True) and len(reads) == 3
    assert [r.id[-4:] for r in indexed.listing.rows] == ["aaa5", "aaa4"]
    assert [u.file for u in indexed.listing.unreadable] == ["broken.yaml"]

    reads.clear()
    seen.clear()
    stop_at = total
    indexed = update(folder, progress)  # what was read is kept: only the rest is read
    assert len(reads) == total - 3 and seen[0] == (3, 0, total - 3) and len(seen) == 4
    assert len(indexed.listing.rows) == SESSIONS and len(indexed.listing.unreadable) == 1


def test_an_interrupted_rebuild_keeps_what_it_read_at_each_checkpoint(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "CHECKPOINT", 2)
    real = transcript_module.read_transcript
    reads: list[str] = []

    def dies_on_the_fifth(path: Path) -> Transcript:
        if len(reads) == 4:
            raise KeyboardInterrupt
        reads.append(path.name)
        return real(path)

    monkeypatch.setattr(transcript_module, "read_transcript", dies_on_the_fifth)
    with pytest.raises(KeyboardInterrupt):
        SessionStore(folder).listing()
    kept = index_module.flat_entries((folder / INDEX_NAME).read_bytes())
    assert sorted(kept) == sorted(reads)  # four read, four kept

    monkeypatch.setattr(transcript_module, "read_transcript", real)
    listing = SessionStore(folder).listing()
    assert len(listing.rows) == SESSIONS and len(listing.unreadable) == 1
