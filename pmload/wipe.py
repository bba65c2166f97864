"""Delete all my data: the store emptied, rules.toml, the sample and the journal removed.

The Google Calendar token is deleted from this computer too (the keyring
entry or the private file); the grant at Google is not revoked, as that needs
the network (``pmload google disconnect`` does both). The addresses of calendar
subscriptions leave the keyring too.

The app's Settings calls it after the user confirmed; it runs off the GUI
thread (VACUUM of a large store takes a while). The journal is overwritten
before it is removed, with its backup and temporary files.
"""

from __future__ import annotations

import contextlib
import sqlite3

from pmload.paths import Paths
from pmload.store import transaction

# Every table of the store (tests/core/test_notes.py checks none is missing): notes and
# asks are the user's own words, so they go too.
STORE_TABLES = (
    "notes",
    "asks",
    "tags",
    "skipped",
    "occurrences",
    "events",
    "google_events",
    "sources",
    "meta",
)


def delete_all_data(conn: sqlite3.Connection, paths: Paths) -> None:
    """Empty every table of the store and remove the user's files under ``paths``."""
    from pmload.google import tokens
    from pmload.google.errors import GoogleError
    from pmload.ingest.subscriptions import forget_all
    from pmload.journal import JournalMissing
    from pmload.journal import delete as delete_journal

    forget_all(conn, paths)  # needs the store's keys, so before it is emptied
    with transaction(conn):
        for table in STORE_TABLES:
            conn.execute(f"DELETE FROM {table}")
    conn.execute("VACUUM")
    for f in (paths.rules_file, paths.data_dir / "sample-calendar.ics"):
        f.unlink(missing_ok=True)
    with contextlib.suppress(JournalMissing):
        delete_journal(paths.journal_file)
    with contextlib.suppress(GoogleError):  # a locked keyring keeps its entry
        tokens.delete(paths)
