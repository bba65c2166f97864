"""Calendar subscriptions: a private ICS address, remembered, fetched now and on refresh.

Google ("secret address in iCal format"), Outlook/Microsoft 365 ("publish
calendar"), iCloud and Fastmail give each calendar a private URL. A
subscription is a source of kind ``url`` whose ``location`` is a key derived
from the URL (``sha256:<hex>``), never the URL itself; ``url_masked`` holds
what is shown (scheme, host and "…").

The URL is a secret: anyone with it reads the calendar. It is kept in the
system keyring (pmload.keystore, user ``subscription:<config dir>:<key>``)
when one works, else in the store's ``url_secret`` column (the database is
readable only by the user). It never goes to the log, an export or a message.

A refresh sends the validators of the last download (``etag``,
``last_modified``): an unchanged calendar costs one 304 and nothing is
parsed; a changed one goes through the same incremental import as a file
(pmload.ingest.importer.import_bytes). A failed download or a download that
is not a calendar leaves everything stored as it was.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pmload import keystore
from pmload.errors import ImportCancelled, PmloadError
from pmload.ingest.fetch import FetchError, FetchOptions, check_url, fetch
from pmload.ingest.importer import EXPANSION_VERSION, Origin, import_bytes, unchanged_result
from pmload.ingest.plan import SourceState, effective_window, read_state
from pmload.ingest.report import FileResult, ImportReport
from pmload.paths import Paths
from pmload.store import now_utc_iso, transaction

log = logging.getLogger(__name__)

KIND = "url"
_URL = re.compile(r"^\s*(https?|webcals?)://", re.IGNORECASE)

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription as listed (no URL: ``masked`` is all that is shown)."""

    source_id: int
    name: str
    masked: str
    last_checked: str | None
    last_import: str | None
    where: str  # "keyring" or "store"


def is_url(text: str) -> bool:
    """Whether an argument of ``pmload import`` is an address rather than a path."""
    return bool(_URL.match(text))


def normalise_url(text: str) -> str:
    """The address to fetch: ``webcal://`` read as ``https://``; FetchError when pmload refuses it."""
    url = text.strip()
    lower = url.lower()
    for scheme in ("webcals://", "webcal://"):
        if lower.startswith(scheme):
            url = "https://" + url[len(scheme) :]
            break
    if any(c.isspace() for c in url):
        raise FetchError("a calendar address has no spaces; copy it again, whole.")
    check_url(url)
    return url


def mask_url(url: str) -> str:
    """What pmload shows of a private address: scheme, host (and port) and "…"."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a number: shown as nothing rather than echoed
        port = ""
    return f"{parts.scheme.lower()}://{host}{port}/…"


def key_of(url: str) -> str:
    return "sha256:" + hashlib.sha256(url.encode("utf-8")).hexdigest()


def _keyring_user(paths: Paths, key: str) -> str:
    return f"subscription:{paths.config_dir.absolute()}:{key}"


def _save_url(conn: sqlite3.Connection, paths: Paths, source_id: int, key: str, url: str) -> str:
    """Keep the URL in the keyring when one works, else in the store; where it went."""
    backend = keystore.keyring_backend()
    where = "store"
    if backend is not None and keystore.set_secret(backend, _keyring_user(paths, key), url):
        where = "keyring"
    with transaction(conn):
        conn.execute(
            "UPDATE sources SET url_masked = ?, url_secret = ? WHERE id = ?",
            (mask_url(url), None if where == "keyring" else url, source_id),
        )
    return where


def _load_url(conn: sqlite3.Connection, paths: Paths, source_id: int, key: str) -> str:
    row = conn.execute("SELECT url_secret FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is not None and row[0]:
        return str(row[0])
    backend = keystore.keyring_backend()
    url = keystore.get_secret(backend, _keyring_user(paths, key)) if backend is not None else None
    if not url:
        raise PmloadError(
            "the address of this subscription is no longer stored (not in the system keyring); "
            "subscribe again with its address."
        )
    return url


def _looks_like_web_page(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")) or b"<html" in head


_WEB_PAGE = (
    "the address gives a web page, not a calendar; copy the calendar's ICS (iCal) link, "
    "not the address of the page that shows it."
)


def _options(options: FetchOptions | None) -> FetchOptions:
    return options or FetchOptions()


# No version in it: reading the installed version costs a refresh more than its 304.
USER_AGENT = "pmload (calendar subscription)"


def subscribe(
    conn: sqlite3.Connection,
    paths: Paths,
    text: str,
    zone: ZoneInfo,
    window: tuple[date, date] | None = None,
    options: FetchOptions | None = None,
    today: date | None = None,
) -> FileResult:
    """Subscribe to the calendar at ``text``: fetch it now, import it, remember the URL.

    Subscribing again to the same address fetches it again (a refresh). A
    refused address or failed download is a rejected result; nothing is stored.
    """
    try:
        url = normalise_url(text)
    except FetchError as exc:
        shown = mask_url(text.strip()) if is_url(text) else "that address"
        return FileResult(Path("subscription"), "rejected", str(exc), name=shown)
    key = key_of(url)
    masked = mask_url(url)
    row = conn.execute(
        "SELECT id FROM sources WHERE kind = ? AND location = ?", (KIND, key)
    ).fetchone()
    result = _download_and_import(
        conn, url, key, masked, zone, window, _options(options), None, None, today
    )
    if result.source_id is not None and result.status in ("imported", "unchanged"):
        _save_url(conn, paths, result.source_id, key, url)
        log.info("subscribed: source %d (%s)", result.source_id, "again" if row else "new")
    return result


def _origin(key: str, masked: str) -> Origin:
    return Origin(KIND, key, Path("subscription"), "Subscribed calendar", masked)


def _download_and_import(
    conn: sqlite3.Connection,
    url: str,
    key: str,
    masked: str,
    zone: ZoneInfo,
    window: tuple[date, date] | None,
    options: FetchOptions,
    etag: str | None,
    last_modified: str | None,
    today: date | None,
    cancelled: Cancelled | None = None,
    known: SourceState | None = None,
) -> FileResult:
    """Fetch (conditionally when validators are given) and import; ``known``: the source's
    state as just read (without event hashes), so a 304 reads nothing more."""
    origin = _origin(key, masked)
    try:
        got = fetch(url, etag, last_modified, options, USER_AGENT)
    except FetchError as exc:
        return FileResult(origin.path, "rejected", str(exc), name=masked)
    if cancelled is not None and cancelled():
        raise ImportCancelled
    if not got.changed:
        state = known or read_state(conn, key, KIND, with_events=False)
        if state is not None:
            _mark_checked(conn, state.source_id, etag, last_modified)
            return unchanged_result(conn, origin, state)
    if _looks_like_web_page(got.body):
        return FileResult(origin.path, "rejected", _WEB_PAGE, name=masked)
    result = import_bytes(conn, got.body, origin, zone, window, cancelled, today)
    if result.source_id is not None and result.status in ("imported", "unchanged"):
        _mark_checked(conn, result.source_id, got.etag, got.last_modified)
    return result


def _mark_checked(
    conn: sqlite3.Connection, source_id: int, etag: str | None, last_modified: str | None
) -> None:
    with transaction(conn):
        conn.execute(
            "UPDATE sources SET etag = ?, last_modified = ?, last_checked = ? WHERE id = ?",
            (etag, last_modified, now_utc_iso(), source_id),
        )


def _needs_full_fetch(state: SourceState | None, zone: ZoneInfo, today: date) -> bool:
    """A 304 would not do: the window must roll forward or the zone changed (re-expand)."""
    if state is None:
        return True
    _, moved = effective_window(state, None, today)
    return moved or state.context_key != f"{EXPANSION_VERSION}|{zone.key}"


def refresh(
    conn: sqlite3.Connection,
    paths: Paths,
    zone: ZoneInfo,
    source_ids: Sequence[int] | None = None,
    options: FetchOptions | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: date | None = None,
) -> ImportReport:
    """Fetch every subscription (or those of ``source_ids``) again; one result each."""
    rows = conn.execute(
        "SELECT id, location, url_masked, etag, last_modified FROM sources WHERE kind = ?"
        " ORDER BY id",
        (KIND,),
    ).fetchall()
    if source_ids is not None:
        wanted = set(source_ids)
        rows = [r for r in rows if r[0] in wanted]
    report = ImportReport()
    day = today or date.today()
    for i, (source_id, key, masked, etag, last_modified) in enumerate(rows):
        if progress is not None:
            progress(i, len(rows), masked or "")
        if cancelled is not None and cancelled():
            raise ImportCancelled
        shown = masked or "a subscription"
        try:
            url = _load_url(conn, paths, source_id, key)
        except PmloadError as exc:
            report.results.append(
                FileResult(Path("subscription"), "rejected", str(exc), name=shown)
            )
            continue
        state = read_state(conn, key, KIND, with_events=False)
        if _needs_full_fetch(state, zone, day):
            etag = last_modified = None
        report.results.append(
            _download_and_import(
                conn,
                url,
                key,
                shown,
                zone,
                None,
                _options(options),
                etag,
                last_modified,
                day,
                cancelled,
                state,
            )
        )
    if progress is not None:
        progress(len(rows), len(rows), "")
    return report


def list_subscriptions(conn: sqlite3.Connection) -> list[Subscription]:
    rows = conn.execute(
        "SELECT id, name, url_masked, last_checked, last_import, url_secret IS NOT NULL"
        " FROM sources WHERE kind = ? ORDER BY id",
        (KIND,),
    ).fetchall()
    return [
        Subscription(r[0], r[1] or "", r[2] or "…", r[3], r[4], "store" if r[5] else "keyring")
        for r in rows
    ]


def remove_source(conn: sqlite3.Connection, paths: Paths, source_id: int) -> bool:
    """Remove any source and its occurrences; a subscription's URL is forgotten too."""
    from pmload import store

    row = conn.execute("SELECT kind, location FROM sources WHERE id = ?", (source_id,)).fetchone()
    if row is None:
        return False
    if row[0] == KIND:
        _forget_url(paths, row[1])
    return store.remove_source(conn, source_id)


def _forget_url(paths: Paths, key: str) -> None:
    backend = keystore.keyring_backend()
    if backend is None:
        return
    try:
        keystore.delete_secret(backend, _keyring_user(paths, key))
    except keystore.KeyringLocked:
        raise PmloadError(
            "the subscription's address in the system keyring cannot be deleted (it may be "
            "locked); unlock it and try again."
        ) from None


def forget_all(conn: sqlite3.Connection, paths: Paths) -> None:
    """Forget the URL of every subscription (delete all my data); a locked keyring keeps them."""
    for (key,) in conn.execute("SELECT location FROM sources WHERE kind = ?", (KIND,)).fetchall():
        try:
            _forget_url(paths, key)
        except PmloadError:
            log.info("a subscription's keyring entry could not be deleted")
