"""What a screen asks of the app. A screen posts one of these; it bubbles up to InterviewApp,
which handles it (``@on`` in ui/app.py). This is the one way screens reach the app: no screen
calls a method of the app or reaches for its attributes."""

from __future__ import annotations

from textual.message import Message


class ShowSummary(Message):
    """The interview has ended (finished, or ended early): show its summary."""


class OpenHistory(Message):
    """Show the history of sessions."""


class ResumeSession(Message):
    """Continue this saved session (or offer to read it, if another terminal has it open)."""

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id


class RetryQuestion(Message):
    """Practise this one question again, in a session of its own."""

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id


class SaveElsewhere(Message):
    """The sessions folder refuses the transcript: ask for another folder to write it to."""


class SaveAndQuit(Message):
    """Leave, to resume later: once every answer is on disk (a refused save asks for a folder
    first), exit printing how to resume."""
