"""Transcripts on disk: saved after every answer, never torn, resumable, and robust to bad files.

Every transcript here is made by running the engine with a fake clock; files are only ever
written under tmp_path.
"""

from __future__ import annotations

import json
import os
import random
import stat
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml

from interview_sim.core import index as index_module
from interview_sim.core import transcript as transcript_module
from interview_sim.core.bank import Bank, load_bank
from interview_sim.core.grading import Grader
from interview_sim.core.index import INDEX_NAME, INDEX_VERSION
from interview_sim.core.plan import plan_questions
from interview_sim.core.recorder import new_interview, resume_interview
from interview_sim.core.report import (
    model_answer_for,
    render_markdown,
    summarise,
    weakness,
)
from interview_sim.core.retired import RETIRED_IDS
from interview_sim.core.scheduling import build, focus_priorities
from interview_sim.core.settings import SessionError, SessionSettings
from interview_sim.core.store import (
    SessionStore,
    StoreError,
    Unreadable,
    atomic_write,
)
from interview_sim.core.transcript import Transcript, TranscriptError, read_transcript
from interview_sim.locations import bundled_banks_dir

from .conftest import MINI_BANKS, FakeClock
from .transcript_factory import (
    answer,
    good,
    good_except,
    in_memory_transcript,
    poor,
    session_id,
    start_session,
)

TRICKY = [
    "first line\nsecond line\n\n  indented third\n",
    "emoji 🎉🧠 and a family 👨‍👩‍👧 with ZWJ",
    "CJK 注意力机制 と 日本語 한국어",
    "[bold]not bold[/bold] and [/ and [link=https://x]link[/link]",
    "\x1b[31mred\x1b[0m and a bell \x07 and a tab\t",
    "  leading and trailing spaces  ",
    "quotes ' \" and: colons, - dashes, # hashes, {braces}, &anchors *aliases !tags",
    "windows\r\nline endings\r\n",
    "zero\u200bwidth\u200d joiners \ufeff BOM \u2028 line separator",
]


def _yaml_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _finished_session(
    bank: Bank,
    grader: Grader,
    folder: Path,
    clock: FakeClock,
    settings: SessionSettings,
    answer_with=good,
) -> str:
    interview = start_session(bank, grader, folder, clock, settings)
    answer(interview, answer_with, advance=clock.advance)
    assert interview.status == "completed"
    return session_id(interview)


# --------------------------------------------------------------------------- saving


def test_every_answer_is_on_disk_verbatim_before_the_next_question(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(questions=3, follow_ups=2, seed=11)
    interview = start_session(mini_bank, mini_grader, tmp_path, clock, settings)
    path = tmp_path / f"{session_id(interview)}.yaml"
    assert not path.exists(), "nothing is saved before the first answer"
    typed: list[str] = []
    while interview.current is not None:
        text = TRICKY[len(typed) % len(TRICKY)]
        clock.advance(12)
        interview.submit(text)
        typed.append(text)
        saved = _yaml_of(path)
        assert [a["answer"] for a in saved["answers"]] == typed
        assert read_transcript(path).records[-1].answer == text
        if interview.current is not None:
            assert saved["status"] == "in progress"
            assert not path.with_suffix(".md").exists()
    assert len(typed) >= 4, "follow-ups were asked"
    saved = _yaml_of(path)
    assert saved["status"] == "completed"
    assert path.with_suffix(".md").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_the_markdown_report_beside_a_finished_transcript(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(questions=3, follow_ups=1, seed=5)
    plan = plan_questions(mini_bank, settings)
    weak = plan[1].id
    sid = _finished_session(mini_bank, mini_grader, tmp_path, clock, settings, good_except(weak))
    transcript = read_transcript(tmp_path / f"{sid}.yaml")
    md = (tmp_path / f"{sid}.md").read_text(encoding="utf-8")
    assert md == render_markdown(transcript, mini_bank)
    assert md.startswith(f"# Interview report: {sid}\n")

    main = [r for r in transcript.records if r.follow_up_id is None]
    assert "## Scores by topic" in md and "## Scores by difficulty" in md
    for topic in {r.topic for r in main}:
        scores = [r.score for r in main if r.topic == topic]
        assert f"| {topic} | {sum(scores) / len(scores):.0f} |" in md
    for difficulty in {r.difficulty for r in main}:
        scores = [r.score for r in main if r.difficulty == difficulty]
        assert f"| {difficulty} | {sum(scores) / len(scores):.0f} |" in md
    assert f"**Overall score:** {transcript.score:.0f}/100" in md

    plain = md.replace("**", "")  # matched concepts are bolded inside the answer
    for r in transcript.records:
        section = plain.split(
            f"Q{r.number}" + (f" follow-up ({r.follow_up_id})" if r.follow_up_id else "") + ":", 1
        )[1]
        section = section.split("\n### ", 1)[0]
        assert f"> {r.answer}" in section
        hit = [c.name for c in r.grade.concepts if c.matched]
        missed = [c.name for c in r.grade.concepts if not c.matched]
        if hit:
            assert f"- Hit: {', '.join(hit)}" in section
        if missed:
            assert f"- Missed: {', '.join(missed)}" in section
        q = mini_bank.by_id[r.question_id]
        model = (
            q.model_answer
            if r.follow_up_id is None
            else next(fu.model_answer for fu in q.follow_ups if fu.id == r.follow_up_id)
        )
        assert model in section
    assert "- Missed:" in md and "- Hit:" in md  # the weak question missed its concepts


# --------------------------------------------------------------------------- atomic writes

STEPS = ("open", "write", "write-half", "flush", "fsync", "rename", "dir-fsync")


class Crash(Exception):
    """The process 'dies' here."""


def crash_at(step: str, occurrence: int = 1):
    seen: list[str] = []

    def hook(name: str) -> None:
        seen.append(name)
        if name == step and seen.count(step) == occurrence:
            raise Crash(step)

    return hook


def test_a_save_passes_every_step_in_order(tmp_path: Path) -> None:
    """The crash tests below cover every step: fail here if a step is added or renamed."""
    steps: list[str] = []
    atomic_write(tmp_path / "f.yaml", b"data", crash=steps.append)
    assert tuple(steps) == STEPS


@pytest.fixture
def overwrite_case(mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock):
    """A transcript saved after 2 answers (old) and what the 3rd and last answer saves (new)."""
    settings = SessionSettings(questions=3, follow_ups=0, seed=2)
    interview = start_session(mini_bank, mini_grader, tmp_path, clock, settings)
    answer(interview, good, steps=2, advance=clock.advance)
    path = tmp_path / f"{session_id(interview)}.yaml"
    old = path.read_bytes()
    answer(interview, good, advance=clock.advance)
    new = path.read_bytes()
    report = path.with_suffix(".md").read_text(encoding="utf-8")
    new_transcript = read_transcript(path)
    assert old != new
    return path, old, new, new_transcript, report


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("which", [1, 2], ids=["transcript-write", "report-write"])
def test_killed_at_any_step_leaves_old_or_new_never_torn(
    overwrite_case, step: str, which: int
) -> None:
    path, old, new, transcript, report = overwrite_case
    path.write_bytes(old)
    md = path.with_suffix(".md")
    md.write_text("old report\n", encoding="utf-8")
    store = SessionStore(path.parent)

    with pytest.raises(Crash):
        store.save(transcript, report, crash=crash_at(step, which))

    on_disk = path.read_bytes()
    transcript_done = which == 2 or step == "dir-fsync"
    assert on_disk == (new if transcript_done else old)
    read_transcript(path)  # parses
    report_done = which == 2 and step == "dir-fsync"
    assert md.read_text(encoding="utf-8") == (report if report_done else "old report\n")
    rows, bad = store.rows()  # a leftover temporary file is not a session
    assert [r.id for r in rows] == [transcript.id] and bad == []

    store.save(transcript, report)  # the next save succeeds
    assert path.read_bytes() == new
    assert md.read_text(encoding="utf-8") == report


@pytest.mark.parametrize("step", STEPS)
def test_atomic_write_killed_at_any_step(tmp_path: Path, step: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"old: 1\n")
    with pytest.raises(Crash):
        atomic_write(path, b"new: 2\n" * 1000, crash=crash_at(step))
    assert path.read_bytes() in (b"old: 1\n", b"new: 2\n" * 1000)
    atomic_write(path, b"after: 3\n")
    assert path.read_bytes() == b"after: 3\n"


def test_stale_temporary_files_are_ignored(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    sid = _finished_session(
        mini_bank, mini_grader, tmp_path, clock, SessionSettings(questions=1, follow_ups=0)
    )
    (tmp_path / f".{sid}.yaml.4242.tmp").write_bytes(b"schema_version: 1\nid: torn")
    (tmp_path / f".{sid}.yaml.4243.tmp").write_bytes(b"")
    (tmp_path / f"{sid}.yaml.tmp").write_bytes(b"\xff\xfe")
    store = SessionStore(tmp_path)
    rows, bad = store.rows()
    assert [r.id for r in rows] == [sid]
    assert bad == []
    assert [r.id for r in store.results()] == [sid]


# --------------------------------------------------------------------------- resume


@pytest.mark.parametrize(
    ("follow_ups", "answered", "expect_follow_up"),
    [
        pytest.param(1, 3, True, id="follow-up-of-q2-due"),
        pytest.param(1, 4, False, id="q3-after-q2-follow-up"),
        pytest.param(0, 2, False, id="q3-no-follow-ups"),
    ],
)
def test_resume_continues_at_the_next_unanswered_step(
    mini_bank: Bank,
    mini_grader: Grader,
    tmp_path: Path,
    clock: FakeClock,
    follow_ups: int,
    answered: int,
    expect_follow_up: bool,
) -> None:
    settings = SessionSettings(questions=3, follow_ups=follow_ups, seed=9)
    interview = start_session(mini_bank, mini_grader, tmp_path, clock, settings)
    plan = list(interview.plan)
    typed = []
    for i in range(answered):
        text = TRICKY[i]
        clock.advance(40)
        interview.submit(text)
        typed.append(text)
    sid = session_id(interview)
    assert interview.current is not None and interview.current.number == 2 + (not expect_follow_up)
    del interview  # the program quits; only the file remains

    store = SessionStore(tmp_path)
    saved = store.load(sid)
    assert saved.status == "in progress"
    assert saved.elapsed_seconds == pytest.approx(40 * answered)
    later = FakeClock(start=987_654.0)  # a new process: its monotonic clock is unrelated
    resumed = resume_interview(mini_bank, mini_grader, store, saved, later)
    step = resumed.start()

    assert step is not None
    assert step.is_follow_up == expect_follow_up
    if expect_follow_up:
        assert (step.number, step.question.id) == (2, plan[1].id)
    else:
        assert (step.number, step.question.id) == (3, plan[2].id)
    assert [q.id for q in resumed.plan] == [q.id for q in plan]
    later.advance(5)
    assert resumed.elapsed() == pytest.approx(40 * answered + 5)

    answer(resumed, good, seconds=20, advance=later.advance)
    assert resumed.status == "completed"
    final = store.load(sid)
    assert final.status == "completed"
    assert [r.answer for r in final.records[:answered]] == typed
    assert final.created == saved.created
    assert final.elapsed_seconds == pytest.approx(
        40 * answered + 5 + 20 * (len(final.records) - answered)
    )
    assert {r.number for r in final.records} == {1, 2, 3}
    assert (tmp_path / f"{sid}.md").is_file()
    assert [p.name for p in tmp_path.glob("*.yaml")] == [f"{sid}.yaml"]


@pytest.mark.parametrize("status", ["completed", "abandoned"])
def test_only_a_session_in_progress_can_be_resumed(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock, status: str
) -> None:
    settings = SessionSettings(questions=2, follow_ups=0)
    interview = start_session(mini_bank, mini_grader, tmp_path, clock, settings)
    if status == "completed":
        answer(interview, good, advance=clock.advance)
    else:
        answer(interview, good, steps=1, advance=clock.advance)
        interview.finish("abandoned")
    store = SessionStore(tmp_path)
    saved = store.load(session_id(interview))
    assert saved.status == status
    with pytest.raises(SessionError, match=status):
        resume_interview(mini_bank, mini_grader, store, saved, clock)


def test_resume_needs_the_sessions_questions(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(topics=("architecture",), questions=2, follow_ups=0)
    interview = start_session(mini_bank, mini_grader, tmp_path, clock, settings)
    answer(interview, good, steps=1, advance=clock.advance)
    store = SessionStore(tmp_path)
    saved = store.load(session_id(interview))
    interview.on_record.close()  # the first process has ended
    sampling_only = load_bank([MINI_BANKS / "sampling.yaml"])
    with pytest.raises(SessionError, match="not in the loaded banks"):
        resume_interview(sampling_only, mini_grader, store, saved, clock)


def test_a_transcript_naming_a_retired_question_resumes_and_reports(
    tmp_path: Path, clock: FakeClock
) -> None:
    """Saved before a question was merged away: it still resumes, reports its model answer and
    counts towards the question it went into."""
    bank = load_bank([bundled_banks_dir()])
    grader = Grader(bank.questions())
    retired, kept = next(iter(RETIRED_IDS.items()))
    assert retired not in bank.by_id
    settings = SessionSettings(questions=2, follow_ups=1, seed=3)
    plan = [bank.question(kept), bank.question("math-overfitting")]
    interview = new_interview(bank, grader, SessionStore(tmp_path), settings, plan, clock)
    interview.start()
    clock.advance(30)
    interview.submit(plan[0].model_answer)  # the main question answered; a follow-up waits
    sid = session_id(interview)
    interview.on_record.close()  # the first process has ended
    path = tmp_path / f"{sid}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(kept, retired), encoding="utf-8")

    store = SessionStore(tmp_path)
    saved = store.load(sid)
    assert saved.plan[0]["id"] == saved.records[0].question_id == retired
    step = resume_interview(bank, grader, store, saved, clock).start()
    assert step is not None and step.is_follow_up
    assert (step.number, step.question.id) == (1, kept)

    assert model_answer_for(bank, saved.records[0]) == plan[0].model_answer
    assert "Model answer" in render_markdown(saved, bank)
    cards = build([saved.results()]).cards  # the schedule knows it by its current id
    assert kept in cards and retired not in cards


# --------------------------------------------------------------------------- bad files


def _good_text(folder: Path) -> tuple[str, str]:
    path = sorted(folder.glob("*.yaml"))[0]
    return path.name, path.read_text(encoding="utf-8")


def _edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _drop_key(text: str, key: str) -> str:
    data = yaml.safe_load(text)
    del data[key]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _set_answer_field(text: str, key: str, value) -> str:
    data = yaml.safe_load(text)
    data["answers"][0][key] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _set_setting(text: str, key: str, value) -> str:
    data = yaml.safe_load(text)
    data["settings"][key] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# name -> (make bytes from a good transcript's text, a fragment of the expected reason)
BAD_FILES = {
    "truncated": (lambda t: t[: len(t) // 2].encode(), ""),
    "truncated-mid-line": (lambda t: t[: t.index("concepts:") + 5].encode(), ""),
    "random-bytes": (lambda t: random.Random(3).randbytes(600), "UTF-8"),
    "latin-1": (
        lambda t: _edit(t, "answer: ", "answer: caf\u00e9 ").encode("latin-1"),
        "not UTF-8",
    ),
    "empty": (lambda t: b"", "empty"),
    "only-whitespace": (lambda t: b"\n  \n", "empty"),
    "not-a-mapping": (lambda t: b"- just\n- a list\n", "expected a mapping"),
    "bad-yaml": (lambda t: b"schema_version: 1\nid: [unclosed\n", "not valid YAML"),
    "newer-schema": (
        lambda t: _edit(t, "schema_version: 1", "schema_version: 99").encode(),
        "newer",
    ),
    "answer-score-text": (
        lambda t: _set_answer_field(t, "score", "high").encode(),
        "answers[0].score",
    ),
    "answers-mapping": (
        lambda t: _edit(_drop_key(t, "answers"), "\n", "\nanswers: {}\n").encode(),
        "answers: expected a list",
    ),
    "missing-plan": (lambda t: _drop_key(t, "plan").encode(), "plan: missing"),
    "missing-id": (lambda t: _drop_key(t, "id").encode(), "id: missing"),
    "unknown-status": (
        lambda t: _edit(t, "status: completed", "status: finished").encode(),
        "unknown status",
    ),
    "unknown-setting": (lambda t: _set_setting(t, "colour", "blue").encode(), "settings"),
    "setting-wrong-type": (
        lambda t: _set_setting(t, "follow_ups", "one").encode(),
        "settings.follow_ups",
    ),
    "topics-not-a-list": (
        lambda t: _set_setting(t, "topics", "sampling").encode(),
        "settings.topics",
    ),
    "answer-numbered-beyond-plan": (
        lambda t: _set_answer_field(t, "number", 9).encode(),
        "numbered 9",
    ),
    "bool-as-number": (
        lambda t: _set_answer_field(t, "seconds", True).encode(),
        "answers[0].seconds",
    ),
    "python-tag": (lambda t: b"!!python/object/apply:os.system ['true']\n", "YAML"),
    "impossible-date": (
        lambda t: _edit(t, "\ncreated: '", "\ncreated: 2026-13-01 #").encode(),
        "not valid YAML",
    ),
    "huge-number": (
        lambda t: _edit(
            t, "\nelapsed_seconds: ", "\nelapsed_seconds: " + "9" * 5000 + " #"
        ).encode(),
        "not valid YAML",
    ),
    "bad-int-tag": (
        lambda t: _edit(t, "\nelapsed_seconds: ", "\nelapsed_seconds: !!int x #").encode(),
        "not valid YAML",
    ),
}


@pytest.fixture
def good_sessions(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> list[str]:
    return sorted(
        _finished_session(
            mini_bank,
            mini_grader,
            tmp_path,
            clock,
            SessionSettings(questions=2, follow_ups=0, seed=s),
        )
        for s in (1, 2)
    )


def test_bad_files_are_listed_as_unreadable_and_left_alone(
    tmp_path: Path, good_sessions: list[str]
) -> None:
    _, text = _good_text(tmp_path)
    made: dict[str, tuple[bytes, int, str]] = {}
    for name, (make, fragment) in BAD_FILES.items():
        path = tmp_path / f"{name}.yaml"
        data = make(text)
        path.write_bytes(data)
        made[path.name] = (data, path.stat().st_mtime_ns, fragment)

    store = SessionStore(tmp_path)
    for attempt in ("scan", "from-index"):
        rows, bad = store.rows()
        assert sorted(r.id for r in rows) == good_sessions, attempt
        assert [u.file for u in bad] == sorted(made), attempt
        for u in bad:
            assert isinstance(u, Unreadable)
            assert made[u.file][2] in u.reason, (u.file, u.reason)
            assert u.reason.strip()
    assert sorted(r.id for r in store.results()) == good_sessions
    for file, (data, mtime, _) in made.items():
        path = tmp_path / file
        assert path.read_bytes() == data, file
        assert path.stat().st_mtime_ns == mtime, file


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_reading_a_bad_file_names_it(tmp_path: Path, good_sessions: list[str], name: str) -> None:
    _, text = _good_text(tmp_path)
    make, fragment = BAD_FILES[name]
    path = tmp_path / "20250101-000000-bad0.yaml"
    path.write_bytes(make(text))
    with pytest.raises(TranscriptError) as info:
        read_transcript(path)
    assert info.value.file == path.name
    assert str(info.value).startswith(f"{path.name}: ")
    assert fragment in info.value.reason
    with pytest.raises(TranscriptError):
        SessionStore(tmp_path).load("20250101-000000-bad0")


def test_a_hand_edit_that_keeps_the_types_still_reads(
    tmp_path: Path, good_sessions: list[str]
) -> None:
    """The top-level score is derived from the answers, so editing it changes nothing."""
    name, text = _good_text(tmp_path)
    edited = tmp_path / "20250101-000000-ed17.yaml"
    edited.write_text(_edit(text, "\nscore: ", "\nscore: 1234 # was "), encoding="utf-8")
    assert read_transcript(edited).score == read_transcript(tmp_path / name).score


# --------------------------------------------------------------------------- ids and folders


@pytest.mark.parametrize(
    "bad_id",
    [
        "../x",
        "/etc/passwd",
        "..%2f..%2fetc%2fpasswd",
        "a/b",
        "",
        ".",
        "..",
        "~/x",
        "20260101-120000-abcd/../../x",
        "../20260101-120000-abcd",
        "20260101-120000-ABCD",
        "20260101-120000-abcd\n",
        "20260101-120000-abcd\x00",
        ".index.json",
        "C:\\x",
    ],
)
def test_path_for_rejects_ids_that_are_not_ids(tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(StoreError, match="not a session id"):
        SessionStore(tmp_path).path_for(bad_id)


def test_path_for_rejects_absolute_paths_even_to_real_transcripts(
    tmp_path: Path, good_sessions: list[str]
) -> None:
    store = SessionStore(tmp_path)
    real = tmp_path / f"{good_sessions[0]}.yaml"
    for given in (str(real), str(real.with_suffix(""))):
        with pytest.raises(StoreError):
            store.path_for(given)


def test_path_for_finds_ids_and_file_names(tmp_path: Path, good_sessions: list[str]) -> None:
    store = SessionStore(tmp_path)
    sid = good_sessions[0]
    assert store.path_for(sid) == tmp_path / f"{sid}.yaml"
    assert store.path_for(f"{sid}.yaml") == tmp_path / f"{sid}.yaml"
    with pytest.raises(StoreError, match="no session '20200101-000000-0000'"):
        store.path_for("20200101-000000-0000")


def test_check_writable_creates_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b"
    SessionStore(root).check_writable()
    assert root.is_dir() and list(root.iterdir()) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_check_writable_read_only_folder(tmp_path: Path) -> None:
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(StoreError, match="not writable") as info:
            SessionStore(root).check_writable()
        assert str(root) in str(info.value)
    finally:
        root.chmod(0o700)


def test_check_writable_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    root = blocker / "sessions"
    with pytest.raises(StoreError, match="cannot create sessions folder") as info:
        SessionStore(root).check_writable()
    assert str(root) in str(info.value)
    assert blocker.read_text() == "x"


def test_check_writable_on_a_file(tmp_path: Path) -> None:
    root = tmp_path / "file"
    root.write_text("x")
    with pytest.raises(StoreError, match="is not a folder") as info:
        SessionStore(root).check_writable()
    assert str(root) in str(info.value)
    assert root.read_text() == "x"


# --------------------------------------------------------------------------- the index


def test_the_index_is_written_and_follows_edits(tmp_path: Path, good_sessions: list[str]) -> None:
    store = SessionStore(tmp_path)
    index = tmp_path / INDEX_NAME
    assert not index.exists()
    first, _ = store.rows()
    assert index.is_file()
    entries = index_module.flat_entries(index.read_bytes())
    assert sorted(entries) == sorted(f"{s}.yaml" for s in good_sessions)
    assert store.rows()[0] == first

    # same size, newer mtime: "completed" and "abandoned" are both nine letters
    path = tmp_path / f"{good_sessions[0]}.yaml"
    before = path.stat()
    path.write_text(
        _edit(path.read_text(encoding="utf-8"), "status: completed", "status: abandoned"),
        encoding="utf-8",
    )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2_000_000_000))
    assert path.stat().st_size == before.st_size
    rows, _ = store.rows()
    assert {r.id: r.status for r in rows}[good_sessions[0]] == "abandoned"

    # a different size, same mtime as before the edit
    before = path.stat()
    path.write_text(
        _edit(path.read_text(encoding="utf-8"), "status: abandoned", "status: in progress"),
        encoding="utf-8",
    )
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    rows, _ = store.rows()
    assert {r.id: r.status for r in rows}[good_sessions[0]] == "in progress"

    # a file that becomes unreadable, then a deleted file
    path.write_text("schema_version: 99\n", encoding="utf-8")
    rows, bad = store.rows()
    assert [r.id for r in rows] == [good_sessions[1]]
    assert [u.file for u in bad] == [path.name]
    path.unlink()
    rows, bad = store.rows()
    assert [r.id for r in rows] == [good_sessions[1]] and bad == []
    assert sorted(index_module.flat_entries(index.read_bytes())) == [f"{good_sessions[1]}.yaml"]


def test_results_for_trends_and_weak_spots_come_from_the_index(
    tmp_path: Path, good_sessions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once indexed, a long history's trends and weak spots need no transcript read."""
    store = SessionStore(tmp_path)
    transcripts = [store.load(sid) for sid in good_sessions]  # ids sort oldest first
    expected = [t.results() for t in transcripts]
    assert all(r.answers for r in expected)
    assert store.results() == expected  # read from the transcripts, oldest first, and indexed

    def no_reading(path: Path) -> Transcript:
        raise AssertionError(f"read {path.name} again")

    monkeypatch.setattr(transcript_module, "read_transcript", no_reading)
    assert store.results() == expected
    assert weakness(store.results()) == weakness(expected)
    assert build(store.results()).to_json() == build(expected).to_json()


def _runs(entry: list) -> list[int]:
    """Where an index entry counts its topics, answers, missed concepts and reviews (each
    count followed by that many items of 1, 3, 1 and 5 fields)."""
    at, counts = 11, []
    for width in (1, 3, 1, 5):
        counts.append(at)
        at += 1 + entry[at] * width
    return counts


def _set(entry: list, run: int, offset: int, value: object) -> list:
    """The entry with the item ``offset`` places after run ``run``'s count set to ``value``."""
    changed = list(entry)
    changed[_runs(entry)[run] + offset] = value
    return changed


def _one_review(entry: list, review: list) -> list:
    return [*entry[: _runs(entry)[3]], 1, *review]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(None, id="deleted"),
        pytest.param(b"", id="empty"),
        pytest.param(b"{not json", id="not-json"),
        pytest.param(b'{"version": 1, "entries": {}}', id="older-version"),
        pytest.param(b'["a list"]', id="a-list"),
        pytest.param(b'{"version": 2, "entries": []}', id="entries-a-list"),
        pytest.param(
            b'{"version": 6, "rows": {"x.yaml": [1, 2, null, "x"]}}\n{"results": {}}',
            id="wrong-names",
        ),
        pytest.param(
            b'{"version": 6, "rows": {"nan.yaml": [NaN, Infinity, null, "x"]}}\n{"results": {}}',
            id="nan-infinity",
        ),
        pytest.param(lambda e: e[:3], id="matching-key-row-cut-short"),
        pytest.param(lambda e: e[:4], id="matching-key-row-cut-to-four"),
        pytest.param(lambda e: [*e[:2], None, ["a"]], id="matching-key-reason-not-a-string"),
        pytest.param(lambda e: [*e[:2], *e[2:][::-1]], id="matching-key-fields-reversed"),
        pytest.param(lambda e: [*e[:10], float("nan"), *e[11:]], id="matching-key-nan-duration"),
        pytest.param(lambda e: [*e[:10], 1e400, *e[11:]], id="matching-key-infinite-duration"),
        pytest.param(lambda e: [*e[:9], "9", *e[10:]], id="matching-key-session-score-a-string"),
        pytest.param(lambda e: _set(e, 1, 0, "done"), id="matching-key-answers-counted-in-words"),
        pytest.param(
            lambda e: _set(e, 1, 0, e[_runs(e)[1]] + 1), id="matching-key-answers-miscounted"
        ),
        pytest.param(lambda e: _set(e, 1, 0, -1), id="matching-key-answers-counted-below-zero"),
        pytest.param(lambda e: _set(e, 1, 3, 1.0), id="matching-key-answer-score-a-float"),
        pytest.param(
            lambda e: _one_review(e, ["q", "t", 1.0, 0, 2.0]), id="matching-key-hint-not-bool"
        ),
        pytest.param(
            lambda e: _one_review(e, ["q", "t", "x", False, 2]),
            id="matching-key-review-score-a-string",
        ),
        pytest.param(
            lambda e: _one_review(e, ["q", "t", 1, False, float("nan")]),
            id="matching-key-review-nan",
        ),
        pytest.param(
            lambda e: _one_review(e, ["q", "t", 1, False, 1e400]), id="matching-key-review-infinite"
        ),
        pytest.param(lambda e: _set(e, 0, 1, 1), id="matching-key-topic-a-number"),
        pytest.param(lambda e: _set(e, 2, 0, 99), id="matching-key-missed-counted-past-the-end"),
    ],
)
def test_a_damaged_or_missing_index_is_harmless(
    tmp_path: Path, good_sessions: list[str], damage
) -> None:
    store = SessionStore(tmp_path)
    expected = store.listing()
    index = tmp_path / INDEX_NAME
    if damage is None:
        index.unlink()
    elif isinstance(damage, bytes):
        index.write_bytes(damage)
    else:
        data = index_module.flat_entries(index.read_bytes())
        index.write_bytes(index_module.written({name: damage(e) for name, e in data.items()}))
    assert store.listing() == expected
    assert store.listing() == expected  # and the index is repaired
    assert json.loads(index.read_bytes().partition(b"\n")[0])["version"] == INDEX_VERSION


def test_listing_an_empty_or_missing_folder(tmp_path: Path) -> None:
    assert SessionStore(tmp_path / "nope").rows() == ([], [])
    assert not (tmp_path / "nope").exists()
    assert SessionStore(tmp_path).rows() == ([], [])


# --------------------------------------------------------------------------- reports


def test_weakness_ranks_topics_and_schedules_the_weak_question_first(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(questions=3, follow_ups=0, seed=4)
    plan = plan_questions(mini_bank, settings)
    weak_q, strong_q = plan[1], plan[0]
    weak_topic = weak_q.topic
    strong_topic = next(t for t in mini_bank.topics if t != weak_topic)
    sid = _finished_session(
        mini_bank, mini_grader, tmp_path, clock, settings, good_except(weak_q.id)
    )
    transcript = SessionStore(tmp_path).load(sid)
    scores = {r.question_id: r.score for r in transcript.records}
    assert scores[weak_q.id] <= 20 and scores[strong_q.id] >= 95

    now = datetime.fromisoformat(transcript.created) + timedelta(days=2)
    w = weakness([transcript.results()])
    assert w.topics[0][0] == weak_topic
    if strong_topic in dict(w.topics):
        assert dict(w.topics)[strong_topic] > w.topics[0][1]
    due = focus_priorities("due", build([transcript.results()]), now)
    assert due[weak_q.id] > due[strong_q.id]
    assert due[weak_q.id] >= 0 > due[strong_q.id]  # due now / not for a week

    replan = plan_questions(mini_bank, replace(settings, questions=4), priorities=due)
    assert replan[0].id == weak_q.id
    ids = [q.id for q in replan]
    assert strong_q.id not in ids[:2]
    summary = summarise(transcript)
    assert any(line.startswith(weak_q.prompt[:40]) for line in summary.review_next)


def test_weakness_over_several_sessions_uses_the_latest_answer(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    settings = SessionSettings(questions=2, follow_ups=0, seed=8)
    plan = plan_questions(mini_bank, settings)
    first = _finished_session(mini_bank, mini_grader, tmp_path, clock, settings, poor)
    store = SessionStore(tmp_path)
    old = store.load(first)
    old = replace(
        old, created=(datetime.fromisoformat(old.created) - timedelta(days=30)).isoformat()
    )
    second = _finished_session(mini_bank, mini_grader, tmp_path, clock, settings, good)
    new = store.load(second)
    now = datetime.fromisoformat(new.created) + timedelta(days=1)
    due = focus_priorities("due", build([old.results(), new.results()]), now)
    for q in plan:
        assert due[q.id] < 0, "answered well yesterday: not due, whatever came before"


def test_render_markdown_keeps_a_persons_text_literal() -> None:
    bank = load_bank([MINI_BANKS])
    grader = Grader(bank.questions())
    nasty = "# not a heading\n[link](http://x) <script>x</script> | pipe | `code` *em*"
    t = in_memory_transcript(bank, grader, SessionSettings(questions=1, follow_ups=0), [nasty])
    md = render_markdown(t, bank)
    assert "\n> \\# not a heading" in md
    assert "\\[link\\](http://x)" in md
    assert "<script>" not in md


def test_render_markdown_shows_escape_codes_instead_of_obeying_them() -> None:
    bank = load_bank([MINI_BANKS])
    grader = Grader(bank.questions())
    answer = "divides the \x1b[31mlogits\x1b[0m\x07 before softmax\r\nnext line"
    t = in_memory_transcript(bank, grader, SessionSettings(questions=1, follow_ups=0), [answer])
    md = render_markdown(t, bank)
    assert "\x1b" not in md and "\x07" not in md and "\r" not in md
    assert "\u241b[31mlogits" in md.replace("\\[", "[")
    assert "next line" in md


def test_transcript_dump_read_round_trip(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    sid = _finished_session(
        mini_bank,
        mini_grader,
        tmp_path,
        clock,
        SessionSettings(questions=3, follow_ups=2, seed=1),
        lambda s: TRICKY[len(s.item_id) % len(TRICKY)],
    )
    path = tmp_path / f"{sid}.yaml"
    t = read_transcript(path)
    assert isinstance(t, Transcript)
    assert t.dumps().encode("utf-8") == path.read_bytes()


def test_a_kept_draft_round_trips_resumes_and_goes_once_answered(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(
        mini_bank, mini_grader, tmp_path, clock, SessionSettings(questions=2, follow_ups=0, seed=3)
    )
    answer(interview, good, steps=1)
    waiting = interview.current.item_id
    interview.save_draft(TRICKY[0], waiting)
    path = tmp_path / f"{session_id(interview)}.yaml"
    saved = read_transcript(path)
    assert (saved.draft_for, saved.draft) == (waiting, TRICKY[0])
    assert saved.dumps().encode("utf-8") == path.read_bytes()

    interview.on_record.close()  # the first process has ended
    resumed = resume_interview(mini_bank, mini_grader, SessionStore(tmp_path), saved, clock)
    resumed.start()
    assert resumed.draft_text() == TRICKY[0]
    resumed.submit(resumed.draft_text())
    after = read_transcript(path)
    assert after.records[-1].answer == TRICKY[0]
    assert after.draft_for is None and "draft:" not in path.read_text(encoding="utf-8")


def test_a_draft_that_is_not_text_is_reported_with_its_field(tmp_path: Path) -> None:
    bank = load_bank([MINI_BANKS])
    t = in_memory_transcript(
        bank, Grader(bank.questions()), SessionSettings(questions=1, follow_ups=0), []
    )
    text = t.dumps() + "draft:\n  for: smp-top-k\n  text: [not, text]\n"
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptError, match=r"draft\.text"):
        read_transcript(path)


def test_whitespace_alone_is_not_kept_as_a_draft(
    mini_bank: Bank, mini_grader: Grader, tmp_path: Path, clock: FakeClock
) -> None:
    interview = start_session(
        mini_bank, mini_grader, tmp_path, clock, SessionSettings(questions=1, follow_ups=0, seed=3)
    )
    interview.save_draft("  \n ", interview.current.item_id)
    assert interview.draft_for is None and not list(tmp_path.glob("*.yaml"))
