"""The private, encrypted journal: burnout and isolation beside the week's numbers.

* :mod:`.fileformat` — the versioned, documented on-disk format (AEAD, KDF).
* :mod:`.vault` — unlock, atomic save with backup, passphrase change, backup
  and restore, delete.
* :mod:`.files` — atomic replace, exclusive create, shredding, scratch files.
* :mod:`.filelock` — the one write lock every writer holds from check to rename.
* :mod:`.records` — entries, check-ins, peers, Friday reviews (immutable).
* :mod:`.instruments` — CBI work-related burnout and 3-item UCLA loneliness.
* :mod:`.insights` — weekly means, correlation with translation share, calm
  notes and peer reminders.

Nothing in this package prompts, logs journal content, or imports Qt.
"""

from __future__ import annotations

from pmload.journal.errors import (
    JournalBusy,
    JournalChanged,
    JournalDamaged,
    JournalError,
    JournalExists,
    JournalMissing,
    KdfTooExpensive,
    PassphraseNotText,
    WrongPassphrase,
)
from pmload.journal.records import (
    ISOLATION_KINDS,
    CheckIn,
    Entry,
    FridayReview,
    JournalData,
    Peer,
    WeekFigures,
)
from pmload.journal.vault import Journal, delete, restore

__all__ = [
    "ISOLATION_KINDS",
    "CheckIn",
    "Entry",
    "FridayReview",
    "Journal",
    "JournalBusy",
    "JournalChanged",
    "JournalDamaged",
    "JournalData",
    "JournalError",
    "JournalExists",
    "JournalMissing",
    "KdfTooExpensive",
    "PassphraseNotText",
    "Peer",
    "WeekFigures",
    "WrongPassphrase",
    "delete",
    "restore",
]
