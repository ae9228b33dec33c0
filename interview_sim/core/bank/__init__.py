"""Question banks: the values (model), finding and loading files (loader), the cache of
validated files (cache), and the format's rules (validate, with lines to locate problems).

Every name other modules use is importable from here: ``from interview_sim.core.bank import X``.
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
    UnknownQuestionError,
)
from interview_sim.core.bank.validate import alias_words

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
    "UnknownQuestionError",
    "alias_words",
    "bank_files",
    "load_bank",
    "load_topic_file",
]
