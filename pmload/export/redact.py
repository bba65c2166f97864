"""Redaction for exports: neutral labels instead of titles, sides instead of people.

``Redactor(mode, sides, me)`` with mode ``none``, ``titles``, ``people`` or
``all``. Titles become "Series A", "Series B"… for recurring meetings (one
label per series UID, handed out in the order asked, so the biggest series
asked for first is "Series A") and "Meeting 1", "Meeting 2"… for one-offs.
People become their side only ("technical", "business", "product",
"unknown"; the user is "you"). Labels are stable within one Redactor, so a
brief's table, chart and talking points agree.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from pmload.errors import UsageError
from pmload.rules.sides import SideIndex

REDACT_MODES = ("none", "titles", "people", "all")


def _letters(n: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA …"""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = string.ascii_uppercase[r] + out
    return out


@dataclass
class Redactor:
    mode: str = "none"
    sides: SideIndex | None = None
    me: frozenset[str] = frozenset()
    _series: dict[str, str] = field(default_factory=dict)
    _meetings: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.mode not in REDACT_MODES:
            raise UsageError(f"'{self.mode}' is not a redaction (use titles, people or all).")

    @property
    def titles(self) -> bool:
        return self.mode in ("titles", "all")

    @property
    def people(self) -> bool:
        return self.mode in ("people", "all")

    def title(self, title: str, uid: str, recurring: bool = True, key: str | None = None) -> str:
        """The title to show: as is, or a neutral label when titles are redacted.

        ``key`` identifies a one-off meeting (its occurrence id); series use ``uid``.
        """
        if not self.titles:
            return title
        if recurring:
            label = self._series.get(uid)
            if label is None:
                label = self._series[uid] = f"Series {_letters(len(self._series))}"
            return label
        k = key or uid
        label = self._meetings.get(k)
        if label is None:
            label = self._meetings[k] = f"Meeting {len(self._meetings) + 1}"
        return label

    def side_of(self, key: str) -> str:
        if key.lower() in self.me:
            return "you"
        side = self.sides.side(key) if self.sides is not None else None
        return side or "unknown"

    def person(self, key: str | None) -> str:
        """A person as shown: the address, or their side when people are redacted."""
        if key is None:
            return ""
        return self.side_of(key) if self.people else key

    def people_summary(self, keys: Iterable[str], limit: int = 3) -> str:
        """'priya@…, cfo@… +2' or, redacted, '2 technical, 1 business'."""
        keys = list(keys)
        if self.people:
            counts: dict[str, int] = {}
            for k in keys:
                s = self.side_of(k)
                counts[s] = counts.get(s, 0) + 1
            order = ("technical", "business", "product", "unknown", "you")
            return ", ".join(f"{counts[s]} {s}" for s in order if s in counts)
        shown = ", ".join(keys[:limit])
        return shown + (f" +{len(keys) - limit}" if len(keys) > limit else "")
