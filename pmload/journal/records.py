"""What the journal holds, and its JSON form inside the encrypted body.

Body JSON (schema 1)::

    {"schema": 1,
     "entries":  [{"id", "date", "burnout", "isolation", "kinds", "note",
                   "energy", "mood", "written"}],
     "checkins": [{"id", "date", "instrument", "answers"}],
     "peers":    [{"name", "added", "last_talked"}],
     "reviews":  [{"id", "date", "week", "prompt", "answer",
                   "figures": null | {"translation_share", "meeting_hours", "streak"}}]}

Dates are ISO ``YYYY-MM-DD``; ``written`` is an ISO UTC timestamp. Every score of
an entry (burnout, isolation, energy, mood: 0-10) is null when it was not recorded
(pmload before 0.2 always wrote burnout and isolation). A
``JournalData`` is immutable: every change returns a new one.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from pmload.journal.errors import JournalDamaged, JournalError

SCHEMA = 1
ISOLATION_KINDS = ("translation", "credibility", "feedback", "ethical")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def _scale(name: str, value: int | None, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, int) or not 0 <= value <= 10:
        raise JournalError(f"{name} must be a whole number from 0 to 10.")


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal entry: how the day (or week) felt."""

    day: date
    burnout: int | None  # None: not recorded
    isolation: int | None
    kinds: tuple[str, ...] = ()
    note: str = ""
    energy: int | None = None
    mood: int | None = None
    id: str = field(default_factory=new_id)
    written: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        _scale("Burnout", self.burnout, optional=True)
        _scale("Isolation", self.isolation, optional=True)
        _scale("Energy", self.energy, optional=True)
        _scale("Mood", self.mood, optional=True)
        unknown = [k for k in self.kinds if k not in ISOLATION_KINDS]
        if unknown:
            raise JournalError(
                f"Unknown isolation kind '{unknown[0]}'; use {', '.join(ISOLATION_KINDS)}."
            )


@dataclass(frozen=True, slots=True)
class CheckIn:
    """Answers to one instrument ('cbi' or 'ucla'), scored by pmload.journal.instruments."""

    day: date
    instrument: str
    answers: tuple[int, ...]
    id: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class Peer:
    """A member of the user's peer council."""

    name: str
    added: date
    last_talked: date | None = None


@dataclass(frozen=True, slots=True)
class WeekFigures:
    """The week's audit figures as plain values (computed elsewhere, stored as given)."""

    week: str  # ISO week label, e.g. "2026-W02"
    translation_share: float
    meeting_hours: float
    streak: int


@dataclass(frozen=True, slots=True)
class FridayReview:
    """The week's figures saved together with the answer to a short prompt."""

    day: date
    week: str
    figures: WeekFigures | None  # None when the calendar had no figures for the week
    prompt: str
    answer: str
    id: str = field(default_factory=new_id)


@dataclass(frozen=True, slots=True)
class JournalData:
    """The whole decrypted journal."""

    entries: tuple[Entry, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    peers: tuple[Peer, ...] = ()
    reviews: tuple[FridayReview, ...] = ()

    def with_entry(self, entry: Entry) -> JournalData:
        """Add ``entry``, or replace the entry with the same id."""
        kept = tuple(e for e in self.entries if e.id != entry.id)
        return replace(
            self, entries=tuple(sorted((*kept, entry), key=lambda e: (e.day, e.written)))
        )

    def without_entry(self, entry_id: str) -> JournalData:
        return replace(self, entries=tuple(e for e in self.entries if e.id != entry_id))

    def with_checkin(self, checkin: CheckIn) -> JournalData:
        return replace(self, checkins=tuple(sorted((*self.checkins, checkin), key=lambda c: c.day)))

    def with_review(self, review: FridayReview) -> JournalData:
        """Add ``review``, replacing an earlier review of the same week."""
        kept = tuple(r for r in self.reviews if r.week != review.week)
        return replace(self, reviews=tuple(sorted((*kept, review), key=lambda r: r.week)))

    def review(self, week: str) -> FridayReview | None:
        return next((r for r in self.reviews if r.week == week), None)

    def peer(self, name: str) -> Peer | None:
        key = name.strip().casefold()
        return next((p for p in self.peers if p.name.casefold() == key), None)

    def with_peer(self, name: str, added: date) -> JournalData:
        name = name.strip()
        if not name:
            raise JournalError("A peer needs a name.")
        if self.peer(name) is not None:
            raise JournalError("That peer is already in your council.")
        return replace(self, peers=(*self.peers, Peer(name, added)))

    def talked_to(self, name: str, day: date) -> JournalData:
        found = self.peer(name)
        if found is None:
            raise JournalError("There is no peer of that name in your council.")
        updated = replace(found, last_talked=max(day, found.last_talked or day))
        return replace(self, peers=tuple(updated if p is found else p for p in self.peers))

    def without_peer(self, name: str) -> JournalData:
        found = self.peer(name)
        if found is None:
            raise JournalError("There is no peer of that name in your council.")
        return replace(self, peers=tuple(p for p in self.peers if p is not found))


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_json(data: JournalData) -> bytes:
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "entries": [
            {
                "id": e.id,
                "date": e.day.isoformat(),
                "burnout": e.burnout,
                "isolation": e.isolation,
                "kinds": list(e.kinds),
                "note": e.note,
                "energy": e.energy,
                "mood": e.mood,
                "written": e.written.isoformat(),
            }
            for e in data.entries
        ],
        "checkins": [
            {
                "id": c.id,
                "date": c.day.isoformat(),
                "instrument": c.instrument,
                "answers": list(c.answers),
            }
            for c in data.checkins
        ],
        "peers": [
            {"name": p.name, "added": p.added.isoformat(), "last_talked": _d(p.last_talked)}
            for p in data.peers
        ],
        "reviews": [
            {
                "id": r.id,
                "date": r.day.isoformat(),
                "week": r.week,
                "figures": None
                if r.figures is None
                else {
                    "translation_share": r.figures.translation_share,
                    "meeting_hours": r.figures.meeting_hours,
                    "streak": r.figures.streak,
                },
                "prompt": r.prompt,
                "answer": r.answer,
            }
            for r in data.reviews
        ],
    }
    try:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: bytes from argv or a file that were not text
        raise JournalError("Some of the text is not valid UTF-8; nothing was saved.") from None


def _figures(week: str, f: dict[str, Any] | None) -> WeekFigures | None:
    if f is None:
        return None
    return WeekFigures(week, f["translation_share"], f["meeting_hours"], f["streak"])


def from_json(raw: bytes) -> JournalData:
    try:
        doc = json.loads(raw.decode("utf-8"))
        if doc.get("schema") != SCHEMA:
            raise JournalDamaged("The journal was written by a newer pmload; update pmload.")
        entries = tuple(
            Entry(
                day=date.fromisoformat(e["date"]),
                burnout=e["burnout"],
                isolation=e["isolation"],
                kinds=tuple(e["kinds"]),
                note=e["note"],
                energy=e["energy"],
                mood=e["mood"],
                id=e["id"],
                written=datetime.fromisoformat(e["written"]),
            )
            for e in doc["entries"]
        )
        checkins = tuple(
            CheckIn(date.fromisoformat(c["date"]), c["instrument"], tuple(c["answers"]), c["id"])
            for c in doc["checkins"]
        )
        peers = tuple(
            Peer(
                p["name"],
                date.fromisoformat(p["added"]),
                date.fromisoformat(p["last_talked"]) if p["last_talked"] else None,
            )
            for p in doc["peers"]
        )
        reviews = tuple(
            FridayReview(
                day=date.fromisoformat(r["date"]),
                week=r["week"],
                figures=_figures(r["week"], r["figures"]),
                prompt=r["prompt"],
                answer=r["answer"],
                id=r["id"],
            )
            for r in doc["reviews"]
        )
    except JournalDamaged:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, JournalError):
        # Never echo the content: the message says only that the structure is wrong.
        raise JournalDamaged("The journal decrypted but its contents are not valid.") from None
    return JournalData(entries, checkins, peers, reviews)
