"""Summary maths (per topic, per difficulty, weak spots) and Markdown reports."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from interview_sim.core.bank import Bank, FollowUp, Misconception, Question
from interview_sim.core.printable import printable
from interview_sim.core.results import PASS_SCORE
from interview_sim.core.retired import current_id
from interview_sim.core.rows import SessionResults
from interview_sim.core.session import SCORE_RULE, AnswerRecord, question_scores
from interview_sim.core.transcript import Transcript


@dataclass(frozen=True, slots=True)
class Summary:
    score: float | None
    by_topic: dict[str, float]
    by_difficulty: dict[str, float]
    seconds_used: float
    answered: int
    skipped: int
    timed_out: int
    hints: int
    missed_concepts: list[tuple[str, int]]  # concept name, times missed (most first)
    review_next: list[str]  # human sentences, most useful first


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 1) if values else None


def summarise(transcript: Transcript) -> Summary:
    records = transcript.records
    scored = question_scores(records)  # follow-ups counted in, as for the overall score
    by_topic: dict[str, list[float]] = defaultdict(list)
    by_difficulty: dict[str, list[float]] = defaultdict(list)
    for r, score in scored:
        by_topic[r.topic].append(score)
        by_difficulty[r.difficulty].append(score)
    missed: Counter[str] = Counter()
    for r in records:
        for c in r.grade.concepts:
            if not c.matched and not c.bonus and c.name not in r.overruled:
                missed[c.name] += 1
    topic_scores = {t: _mean(v) or 0.0 for t, v in by_topic.items()}
    review: list[str] = []
    for topic, score in sorted(topic_scores.items(), key=lambda kv: kv[1]):
        if score < PASS_SCORE:
            review.append(f"{topic}: averaged {score:.0f}; revisit its model answers")
    for r, score in scored:
        if score < PASS_SCORE:
            names = [
                c.name
                for c in r.grade.concepts
                if not c.matched and c.required and c.name not in r.overruled
            ]
            what = f" (missed: {', '.join(names)})" if names else ""
            review.append(f"{_shortened(r.prompt)}: scored {score:.0f}{what}")
    return Summary(
        score=transcript.score,
        by_topic=topic_scores,
        by_difficulty={d: _mean(v) or 0.0 for d, v in by_difficulty.items()},
        seconds_used=transcript.elapsed_seconds,
        answered=sum(1 for r in records if r.outcome == "answered"),
        skipped=sum(1 for r in records if r.outcome == "skipped"),
        timed_out=sum(1 for r in records if r.outcome == "timeout"),
        hints=sum(1 for r in records if r.hint_used),
        missed_concepts=missed.most_common(5),
        review_next=review[:6],
    )


def _shortened(text: str, limit: int = 70) -> str:
    """A question as a line of a list: one line, at most `limit` characters."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def format_duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}m {whole % 60:02d}s" if whole >= 60 else f"{whole}s"


# --------------------------------------------------------------------------- Markdown


def _md_escape(text: str) -> str:
    """Keep a person's text literal in Markdown (no accidental headings, links, HTML), and
    show control characters as their symbols (ESC as ␛), so that an answer holding terminal
    escape codes cannot restyle a terminal that prints the report."""
    out = printable(text).replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def _highlight_md(answer: str, record: AnswerRecord) -> str:
    spans = sorted(
        (c.start, c.end)
        for c in record.grade.concepts
        if c.matched and c.start is not None and c.end is not None
    )
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    pieces, pos = [], 0
    for s, e in merged:
        pieces.append(_md_escape(answer[pos:s]))
        pieces.append(f"**{_md_escape(answer[s:e])}**")
        pos = e
    pieces.append(_md_escape(answer[pos:]))
    text = "".join(pieces)
    if not text.strip():
        return "> *(no answer)*"
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.splitlines())


def render_markdown(transcript: Transcript, bank: Bank | None = None) -> str:
    s = summarise(transcript)
    settings = transcript.settings
    lines = [
        f"# Interview report: {transcript.id}",
        "",
        f"- **Status:** {transcript.status}",
        f"- **Date:** {transcript.created}",
        f"- **Mode:** {settings.mode}; **difficulty:** {settings.difficulty}; "
        f"**seed:** {settings.seed}",
        f"- **Topics:** {', '.join(transcript.topics)}",
        f"- **Overall score:** {'-' if s.score is None else f'{s.score:.0f}/100'} ({SCORE_RULE})",
        f"- **Time used:** {format_duration(s.seconds_used)}",
        f"- **Answered:** {s.answered}, **timed out:** {s.timed_out}, "
        f"**skipped:** {s.skipped}, **hints:** {s.hints}",
        "",
        "## Scores by topic",
        "",
        "| topic | score |",
        "|---|---:|",
        *(f"| {t} | {v:.0f} |" for t, v in s.by_topic.items()),
        "",
        "## Scores by difficulty",
        "",
        "| difficulty | score |",
        "|---|---:|",
        *(f"| {d} | {v:.0f} |" for d, v in s.by_difficulty.items()),
        "",
    ]
    if s.missed_concepts:
        lines += [
            "## Concepts missed most",
            "",
            *(f"- {_md_escape(name)} ({n}x)" for name, n in s.missed_concepts),
            "",
        ]
    if s.review_next:
        lines += ["## Review next", "", *(f"- {_md_escape(item)}" for item in s.review_next), ""]
    lines += ["## Questions", ""]
    for r in transcript.records:
        label = f"Q{r.number}" + (f" follow-up ({r.follow_up_id})" if r.follow_up_id else "")
        lines += [
            f"### {label}: {_md_escape(r.prompt)}",
            "",
            f"*{r.topic} / {r.difficulty} / {r.question_id}* - **score {r.score}**"
            + (f" (self-assessed; grader {r.grade.score})" if r.self_assessed else "")
            + " - "
            f"{r.outcome}, {format_duration(r.seconds)}" + (", hint used" if r.hint_used else ""),
            "",
            _highlight_md(r.answer, r),
            "",
        ]
        hit = [c.name for c in r.grade.concepts if c.matched]
        miss = [
            c.name + (" (covered, says the candidate)" if c.name in r.overruled else "")
            for c in r.grade.concepts
            if not c.matched
        ]
        if hit:
            lines.append(f"- Hit: {', '.join(_md_escape(n) for n in hit)}")
        if miss:
            lines.append(f"- Missed: {', '.join(_md_escape(n) for n in miss)}")
        for m in r.grade.misconceptions:
            unclaimed = " (not claimed, says the candidate)" if m.statement in r.disputed else ""
            lines.append(
                f"- {m.label}: {_md_escape(m.statement)}{unclaimed} "
                f"Actually: {_md_escape(m.correction)}"
            )
        model = model_answer_for(bank, r)
        if model:
            lines += [
                "",
                "<details><summary>Model answer</summary>",
                "",
                _md_escape(model),
                "",
                "</details>",
            ]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def question_for(bank: Bank | None, record: AnswerRecord) -> Question | None:
    """The question a record answers (its follow-up's question), if the loaded banks still have
    it (a retired question's: its replacement)."""
    return None if bank is None else bank.by_id.get(current_id(record.question_id))


def gradable_for(bank: Bank | None, record: AnswerRecord) -> Question | FollowUp | None:
    """The question or follow-up a record answers, if the loaded banks still have it (a retired
    question's: its replacement's)."""
    question = question_for(bank, record)
    if question is None:
        return None
    if record.follow_up_id is None:
        return question
    for fu in question.follow_ups:
        if fu.id == record.follow_up_id:
            return fu
    return None


def model_answer_for(bank: Bank | None, record: AnswerRecord) -> str | None:
    item = gradable_for(bank, record)
    return item.model_answer if item is not None else None


def unflagged_misconceptions(bank: Bank | None, record: AnswerRecord) -> tuple[Misconception, ...]:
    """The wrong claims the bank lists for a record's question (follow-ups share their
    question's) that its grade did not flag. The grader matches words, not meaning: an answer
    right but for one wrong claim can pass, so feedback lists these for a person to check."""
    question = question_for(bank, record)
    if question is None or record.outcome == "skipped":  # nothing was written to check
        return ()
    flagged = {m.statement for m in record.grade.misconceptions}
    return tuple(m for m in question.misconceptions if m.statement not in flagged)


def report_json(transcript: Transcript) -> dict[str, Any]:
    s = summarise(transcript)
    return {
        "id": transcript.id,
        "status": transcript.status,
        "created": transcript.created,
        "settings": transcript.to_dict()["settings"],
        "score": s.score,
        "score_rule": SCORE_RULE,
        "by_topic": s.by_topic,
        "by_difficulty": s.by_difficulty,
        "seconds_used": s.seconds_used,
        "answered": s.answered,
        "skipped": s.skipped,
        "timed_out": s.timed_out,
        "hints": s.hints,
        "missed_concepts": [{"name": n, "count": c} for n, c in s.missed_concepts],
        "review_next": s.review_next,
        "answers": transcript.to_dict()["answers"],
    }


# --------------------------------------------------------------------------- history


@dataclass(frozen=True, slots=True)
class Weakness:
    topics: list[tuple[str, float]]  # weakest first: topic, mean of recent scores
    concepts: list[tuple[str, int]]  # missed most in recent sessions


def weakness(sessions: Sequence[SessionResults], recent: int = 20) -> Weakness:
    """Weak topics and concepts from recent answers. Which questions are due again is the
    schedule's business (core/scheduling.py).

    ``sessions`` oldest first, as SessionStore.results gives them (or Transcript.results)."""
    topic_scores: dict[str, list[int]] = defaultdict(list)
    concepts: Counter[str] = Counter()
    for session in sessions[-recent:]:
        for _question_id, topic, score in session.answers:
            topic_scores[topic].append(score)
        concepts.update(session.missed)
    topics = sorted(((t, _mean(v) or 0.0) for t, v in topic_scores.items()), key=lambda kv: kv[1])
    return Weakness(topics=topics, concepts=concepts.most_common(8))


def trend_caption(points: Sequence[tuple[str, float]], today: datetime | None = None) -> str:
    """A score trend in words, as a person reads it off the chart: "62 → 71 over 9 sessions
    since 3 Nov". ``points``: (ISO date, score), oldest first."""
    if not points:
        return "no scores yet"
    today = today or datetime.now().astimezone()
    try:
        first = datetime.fromisoformat(points[0][0])
        when = f"{first.day} {first:%b}" + ("" if first.year == today.year else f" {first.year}")
    except ValueError:
        when = ""
    if len(points) == 1:
        return f"{points[0][1]:.0f} in 1 session" + (f" on {when}" if when else "")
    return f"{points[0][1]:.0f} → {points[-1][1]:.0f} over {len(points)} sessions" + (
        f" since {when}" if when else ""
    )
