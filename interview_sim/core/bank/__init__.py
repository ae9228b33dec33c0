"""Question banks: the values (model), finding and loading files (loader), the cache of
validated files (cache), and the format's rules (validate, with lines to locate problems).

Every name other modules use is importable from here: ``from interview_sim.core.bank import X``.
Start-up reads banks from the cache and imports neither validate nor the YAML parsers; it
needs only each topic's summary (TopicSummary), and a bank's questions are decoded when first
asked for (Bank.topics, Bank.by_id).
"""

from __future__ import annotations

from interview_sim.core.bank.cache import CACHE_ENV
from interview_sim.core.bank.loader import bank_files, load_bank, load_topic_file
from interview_sim.core.bank.model import (
    BANK_SUFFIXES,
    DIFFICULTIES,
    MAX_ALIAS_WORDS,
    MAX_BANK_BYTES,
    MIN_PER_DIFFICULTY,
    Bank,
    BankError,
    Concept,
    FollowUp,
    Misconception,
    Problem,
    Question,
    Topic,
    TopicSummary,
    UnknownQuestionError,
)

__all__ = [
    "BANK_SUFFIXES",
    "CACHE_ENV",
    "DIFFICULTIES",
    "MAX_ALIAS_WORDS",
    "MAX_BANK_BYTES",
    "MIN_PER_DIFFICULTY",
    "Bank",
    "BankError",
    "Concept",
    "FollowUp",
    "Misconception",
    "Problem",
    "Question",
    "Topic",
    "TopicSummary",
    "UnknownQuestionError",
    "bank_files",
    "load_bank",
    "load_topic_file",
]
