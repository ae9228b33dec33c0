"""Kept only for the screens not yet switched: the key bar is now Textual's Footer
(``widgets/footer.py``).

``history.py``, ``question_history.py`` and ``stats.py`` still import ``KeyBar`` from here;
once they yield ``Footer()`` themselves, delete this module.
"""

from __future__ import annotations

from interview_sim.ui.widgets.footer import Footer as KeyBar

__all__ = ["KeyBar"]
