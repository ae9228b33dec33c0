"""The wall clock the schedule and new transcripts read, which tests can set.

``INTERVIEW_SIM_NOW`` (an ISO date and time) is for tests only: a terminal test can live through
a week of sessions in a minute. Code that can be handed a time takes ``now`` as an argument.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

NOW_ENV = "INTERVIEW_SIM_NOW"


def now() -> datetime:
    """The current time, aware and in the local zone (or as INTERVIEW_SIM_NOW says)."""
    text = os.environ.get(NOW_ENV, "").strip()
    if text:
        try:
            fake = datetime.fromisoformat(text)
        except ValueError:
            fake = None
        if fake is not None:
            return fake if fake.tzinfo is not None else fake.replace(tzinfo=UTC)
    return datetime.now(UTC).astimezone()
