"""What the CLI and the app do with Google Calendar: connect, choose, sync, disconnect.

Each function takes what it needs (paths, a database connection, the zone)
and returns plain records; the front ends only print or show them.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pmload.config import normalize_address, update_rules
from pmload.errors import ConfigError
from pmload.google import tokens
from pmload.google.auth import ShowUrl, load_credentials, revoke, save_refreshed
from pmload.google.client import CalendarInfo, Client
from pmload.google.errors import GoogleError
from pmload.google.sync import (
    CalendarResult,
    GoogleSource,
    add_calendar,
    choose_calendars,
    google_sources,
    sync_calendar,
)
from pmload.paths import Paths
from pmload.store import transaction

if TYPE_CHECKING:
    from tomlkit.toml_document import TOMLDocument

log = logging.getLogger(__name__)

ACCOUNT_KEY = tokens.ACCOUNT_KEY
Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Connected:
    account: str
    where: tokens.Where
    added_me: tuple[str, ...]


@dataclass(slots=True)
class SyncReport:
    results: list[CalendarResult] = field(default_factory=list)
    added_me: tuple[str, ...] = ()


def account(conn: sqlite3.Connection) -> str | None:
    return tokens.connected_account(conn)


def remember_addresses(paths: Paths, addresses: Sequence[str]) -> tuple[str, ...]:
    """Add the user's own Google addresses to ``me`` in rules.toml; those added."""
    from pmload.config import load_settings

    try:
        known = load_settings(paths).me_set
    except ConfigError:
        return ()
    new = tuple(a for a in dict.fromkeys(normalize_address(x) for x in addresses) if a not in known)
    if not new:
        return ()

    def add(doc: TOMLDocument) -> None:
        doc["me"] = [str(a) for a in doc.get("me", [])] + list(new)

    try:
        update_rules(paths, add)
    except (ConfigError, OSError) as exc:
        log.info("cannot add the Google address to rules.toml (%s)", type(exc).__name__)
        return ()
    return new


def connect(
    paths: Paths,
    conn: sqlite3.Connection,
    client_secrets: Path,
    cancelled: Cancelled | None = None,
    show_url: ShowUrl | None = None,
) -> Connected:
    """The browser flow, then the account's primary calendar becomes the one synced."""
    from pmload.google import auth

    credentials, where = auth.connect(paths, client_secrets, cancelled, show_url)
    primary = Client(credentials, cancelled).primary()
    with transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (ACCOUNT_KEY, primary.id)
        )
    if not google_sources(conn):
        add_calendar(conn, primary)
    added = remember_addresses(paths, [primary.id]) if "@" in primary.id else ()
    return Connected(primary.id, where, added)


def disconnect(paths: Paths, conn: sqlite3.Connection) -> bool | None:
    """Revoke at Google and delete the token: True revoked, False not reached, None not connected.

    Synced calendars stay in the store; their sync tokens are dropped, so a
    later connection (perhaps to another account) starts with a full sync.
    """
    stored = tokens.load(paths)
    if stored is None:
        return None
    try:
        credentials, _ = load_credentials(paths)
        reached = revoke(credentials)
    except GoogleError:
        reached = False
    tokens.delete(paths)
    with transaction(conn):
        conn.execute("UPDATE sources SET sync_token = NULL WHERE kind = 'google'")
        conn.execute("DELETE FROM meta WHERE key = ?", (ACCOUNT_KEY,))
    return reached


def client_for(
    paths: Paths, cancelled: Cancelled | None = None
) -> tuple[Client, Callable[[], None]]:
    """A client on the stored token, and a function that keeps a refreshed token."""
    credentials, stored = load_credentials(paths)
    client = Client(credentials, cancelled)
    return client, lambda: save_refreshed(paths, stored, credentials)


def calendars(paths: Paths) -> list[CalendarInfo]:
    client, keep = client_for(paths)
    try:
        return client.calendars()
    finally:
        keep()


def use(
    paths: Paths, conn: sqlite3.Connection, ids: Sequence[str]
) -> tuple[list[CalendarInfo], list[GoogleSource]]:
    """Sync exactly the calendars ``ids``: (chosen, dropped). Unknown ids: one sentence."""
    available = {c.id: c for c in calendars(paths)}
    by_name = {c.name.lower(): c for c in available.values()}
    chosen: list[CalendarInfo] = []
    for i in dict.fromkeys(ids):
        cal = available.get(i) or by_name.get(i.lower())
        if i == "primary":
            cal = next((c for c in available.values() if c.primary), None)
        if cal is None:
            raise GoogleError(
                f"'{i}' is not one of your Google calendars; `pmload google calendars` lists them."
            )
        chosen.append(cal)
    if not chosen:
        raise GoogleError("choose at least one calendar.")
    return chosen, choose_calendars(conn, chosen)


def sync(
    paths: Paths,
    conn: sqlite3.Connection,
    zone: ZoneInfo,
    calendar: str | None = None,
    window: tuple[date, date] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> SyncReport:
    """Sync the chosen calendars (or the one ``calendar``), each in its own transaction."""
    client, keep = client_for(paths, cancelled)
    report = SyncReport()
    try:
        sources = google_sources(conn)
        if not sources:
            add_calendar(conn, client.primary())
            sources = google_sources(conn)
        if calendar is not None:
            sources = [s for s in sources if calendar in (s.calendar_id, str(s.id))]
            if not sources:
                raise GoogleError(
                    f"'{calendar}' is not a calendar pmload syncs; choose it with "
                    "`pmload google use ID…` first."
                )
        mine: list[str] = []
        for i, source in enumerate(sources):
            if progress is not None:
                progress(i, len(sources), f"{source.name}…")
            result = sync_calendar(
                conn, client, source, zone, window, today, progress, cancelled, (i, len(sources))
            )
            report.results.append(result)
            mine.extend(result.self_addresses)
        if progress is not None:
            progress(len(sources), len(sources), "")
        report.added_me = remember_addresses(paths, mine)
    finally:
        keep()
    return report
