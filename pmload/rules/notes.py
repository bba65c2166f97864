"""Notes: the user's own words on a meeting or a whole series.

"Why it is translation, what would fix it." A note lives in the store's
``notes`` table keyed like a manual tag, by (uid, start_key), start_key ''
for the whole series, so it survives re-imports and follows a series' future
occurrences. A meeting shows its own note and its series' note (:meth:`Notes.of`).

Notes are private: they are never logged (not even their length), never in a
crash report, and an export includes them only when the user asks for it
(``pmload export csv meetings --include-notes``, the Export dialog's checkbox);
a redacted export never includes them, since a note may name people or titles.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from pmload.errors import UsageError
from pmload.model import Occurrence
from pmload.rules.classify import occurrence_start_key
from pmload.store import now_utc_iso, transaction

log = logging.getLogger(__name__)

MAX_NOTE_CHARS = 2000


@dataclass(frozen=True, slots=True)
class Note:
    uid: str
    start_key: str  # '' for the whole series
    text: str
    noted_at: str  # UTC ISO timestamp

    @property
    def series(self) -> bool:
        return self.start_key == ""


@dataclass(frozen=True, slots=True)
class Notes:
    """All notes: by (uid, start_key) for occurrences, by uid for series."""

    occurrence: dict[tuple[str, str], Note] = field(default_factory=dict)
    series: dict[str, Note] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.occurrence) + len(self.series)

    def of(self, occ: Occurrence) -> str:
        """The notes shown for ``occ``: its own, then its series' (one per line), or ''."""
        own = self.occurrence.get((occ.uid, occurrence_start_key(occ))) if self.occurrence else None
        whole = self.series.get(occ.uid)
        return "\n".join(n.text for n in (own, whole) if n is not None)

    def own(self, occ: Occurrence, *, series: bool) -> str:
        """The note on ``occ`` itself (or, with ``series``, on its series), or ''."""
        n = (
            self.series.get(occ.uid)
            if series
            else self.occurrence.get((occ.uid, occurrence_start_key(occ)))
        )
        return n.text if n is not None else ""

    def all(self) -> list[Note]:
        """Every note, series notes first, then by uid and start."""
        return sorted(
            [*self.series.values(), *self.occurrence.values()],
            key=lambda n: (n.start_key != "", n.uid, n.start_key),
        )


def clean_note(text: str) -> str:
    """``text`` as stored: control characters (but line breaks) removed, ends stripped.

    Raises ``UsageError`` for a note longer than :data:`MAX_NOTE_CHARS`.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = "".join(ch for ch in text if ch == "\n" or ch == "\t" or ch.isprintable())
    cleaned = "\n".join(line.rstrip() for line in cleaned.strip().split("\n"))
    if len(cleaned) > MAX_NOTE_CHARS:
        raise UsageError(
            f"a note holds at most {MAX_NOTE_CHARS} characters; this one has {len(cleaned)}."
        )
    return cleaned


def load_notes(conn: sqlite3.Connection) -> Notes:
    occurrence: dict[tuple[str, str], Note] = {}
    series: dict[str, Note] = {}
    for uid, key, text, noted_at in conn.execute(
        "SELECT uid, start_key, text, noted_at FROM notes"
    ):
        note = Note(uid, key, text, noted_at)
        if key == "":
            series[uid] = note
        else:
            occurrence[(uid, key)] = note
    return Notes(occurrence, series)


def note_key(occ: Occurrence, series: bool) -> tuple[str, str]:
    return occ.uid, "" if series else occurrence_start_key(occ)


def write_note(conn: sqlite3.Connection, uid: str, start_key: str, text: str) -> Note | None:
    """Set the note of (uid, start_key) to ``text`` (cleaned); an empty text removes it.

    Returns the note written, or None when it was removed. One transaction.
    """
    cleaned = clean_note(text)
    with transaction(conn):
        if not cleaned:
            conn.execute("DELETE FROM notes WHERE uid = ? AND start_key = ?", (uid, start_key))
            log.info("removed a note")  # never the text or the UID: private
            return None
        note = Note(uid, start_key, cleaned, now_utc_iso())
        conn.execute(
            "INSERT OR REPLACE INTO notes (uid, start_key, text, noted_at) VALUES (?,?,?,?)",
            (note.uid, note.start_key, note.text, note.noted_at),
        )
    log.info("wrote a %s note", "series" if start_key == "" else "meeting")
    return note


def set_note(conn: sqlite3.Connection, occ: Occurrence, text: str, *, series: bool) -> Note | None:
    """Note ``occ`` (or its whole series); an empty ``text`` clears it."""
    uid, key = note_key(occ, series)
    return write_note(conn, uid, key, text)


def matching(notes: Notes, needle: str) -> Iterable[Note]:
    """The notes whose text contains ``needle`` (case-insensitive)."""
    folded = needle.casefold()
    return (n for n in notes.all() if folded in n.text.casefold())
