"""Question ids taken out of the bundled banks, each with the question that now covers it.

An id is never reused, because saved transcripts name it: a bank that defines a retired id is
refused, and a transcript naming one still resumes and reports, using the question it went into.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

RETIRED_IDS: Mapping[str, str] = MappingProxyType(
    {
        # 2026-12: perplexity was asked three times; its "limits" angle went here.
        "llm-perplexity": "dec-perplexity-vs-quality",
    }
)


def current_id(question_id: str) -> str:
    """The id to look a question up by: a retired id's replacement, otherwise the id itself."""
    return RETIRED_IDS.get(question_id, question_id)
