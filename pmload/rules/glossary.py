"""What the week's other figures mean, in one place for every surface.

The CLI's legend under ``pmload audit``, the app's tooltips on the Week view's
figures and docs/how-it-counts.md say the same words, taken from here, so the
definition of a "context switch" cannot drift between them. Each entry is
``(term, meaning)``; the meaning is a phrase that reads after the term
("back-to-back chains: runs of meetings …").
"""

from __future__ import annotations

from datetime import time

from pmload.config import Settings
from pmload.rules.audit import BACK_TO_BACK_GAP, FOCUS_BLOCK

_GAP_MIN = int(BACK_TO_BACK_GAP.total_seconds() // 60)
_FOCUS_H = FOCUS_BLOCK.total_seconds() / 3600

BACK_TO_BACK = (
    "back-to-back chains",
    f"runs of meetings in which each starts {_GAP_MIN} min or less after the previous one ends",
)
CONTEXT_SWITCHES = (
    "context switches",
    "changes of category (translation, coordination, strategy or unclassified) from "
    "one meeting to the next on the same day",
)
SOLE_BRIDGE = (
    "as sole bridge",
    "hours of meetings that are translation because you are the only bridge between "
    "their technical and business people",
)


def _window(settings: Settings) -> str:
    start, end = settings.workday
    return f"{_hhmm(start)}-{_hhmm(end)}"


def _hhmm(t: time) -> str:
    return f"{t:%H:%M}"


def outside_hours(settings: Settings) -> tuple[str, str]:
    return (
        "hours outside",
        f"meeting hours outside your working window ({_window(settings)}) on workdays",
    )


def focus_time(settings: Settings) -> tuple[str, str]:
    return (
        "focus time",
        f"free blocks of {_FOCUS_H:g} h or more, without a meeting, inside your working "
        f"window ({_window(settings)}) on workdays",
    )


def explain(term: tuple[str, str]) -> str:
    """'Context switches: changes of category …' as one sentence."""
    name, meaning = term
    return f"{name[:1].upper()}{name[1:]}: {meaning}."
