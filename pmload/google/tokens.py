"""Where the Google token lives: the system keyring when one works, else a private file.

The token is Google's authorized-user JSON (``Credentials.to_json()``: access
and refresh token, client id and secret, scopes). With a working keyring
(pmload.keystore: Secret Service, macOS Keychain, Windows Credential Locker) it is
stored there under service ``pmload``, one entry per pmload home; otherwise
in ``config/google-token.json``, readable and writable only by the user
(0600). ``PMLOAD_GOOGLE_TOKEN_FILE`` names a file to read instead of either
(it is never written or deleted by pmload).

Whether pmload is connected is also remembered in the store (``meta`` key
``google:account``, the account's address, set on connect and removed on
disconnect), so the app can tell at start without waking the keyring.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pmload import keystore
from pmload.google.errors import GoogleError
from pmload.paths import Paths

log = logging.getLogger(__name__)

TOKEN_FILE_ENV = "PMLOAD_GOOGLE_TOKEN_FILE"
ACCOUNT_KEY = "google:account"
KEYRING_SERVICE = keystore.SERVICE
FILE_NAME = "google-token.json"

_WRITE_LOCK = threading.Lock()  # a sync and a calendar listing may both keep a refresh

Where = Literal["keyring", "file", "env"]
WHERE_TEXT: dict[Where, str] = {
    "keyring": "in the system keyring",
    "file": "in a file only you can read",
    "env": f"in the file named by {TOKEN_FILE_ENV}",
}


@dataclass(frozen=True, slots=True)
class StoredToken:
    text: str
    where: Where


def connected_account(conn: sqlite3.Connection) -> str | None:
    """The address of the connected account as the store remembers it (no keyring, no network)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (ACCOUNT_KEY,)).fetchone()
    return str(row[0]) if row else None


def seems_connected(conn: sqlite3.Connection) -> bool:
    """Connected as far as can be told cheaply: the env token file, or a remembered account."""
    return bool(os.environ.get(TOKEN_FILE_ENV)) or connected_account(conn) is not None


def token_file(paths: Paths) -> Path:
    return paths.config_dir / FILE_NAME


def _keyring_user(paths: Paths) -> str:
    return f"google-token:{paths.config_dir.absolute()}"


def _keyring() -> Any | None:
    """The keyring backend when a real one is available, else None (pmload.keystore)."""
    return keystore.keyring_backend()


def load(paths: Paths) -> StoredToken | None:
    """The token: the env file, else the private file, else the keyring; None when absent."""
    env = os.environ.get(TOKEN_FILE_ENV)
    if env:
        try:
            return StoredToken(Path(env).read_text(encoding="utf-8"), "env")
        except OSError as exc:
            raise GoogleError(
                f"the token file named by {TOKEN_FILE_ENV} cannot be read ({exc.strerror or exc})."
            ) from None
    path = token_file(paths)
    if path.is_file():
        try:
            return StoredToken(path.read_text(encoding="utf-8"), "file")
        except OSError as exc:
            raise GoogleError(
                f"the Google token file cannot be read ({exc.strerror or exc})."
            ) from None
    backend = _keyring()
    if backend is None:
        return None
    try:
        text = keystore.get_secret(backend, _keyring_user(paths))
    except keystore.KeyringLocked as exc:
        raise GoogleError(str(exc)) from None
    return StoredToken(text, "keyring") if text else None


def save(paths: Paths, text: str) -> Where:
    """Keep ``text`` in the keyring if one works, else in the private file; where it went."""
    backend = _keyring()
    if backend is not None:
        if keystore.set_secret(backend, _keyring_user(paths), text):
            token_file(paths).unlink(missing_ok=True)
            return "keyring"
        log.info("using the private file")
    _write_private(token_file(paths), text)
    return "file"


def update(paths: Paths, stored: StoredToken, text: str) -> None:
    """Write a refreshed token back where it came from (never to the env file)."""
    if stored.where == "env" or _same(text, stored.text):
        return
    if stored.where == "file":
        _write_private(token_file(paths), text)
        return
    backend = _keyring()
    if backend is not None:
        keystore.set_secret(backend, _keyring_user(paths), text)


def _same(a: str, b: str) -> bool:
    """The same tokens and expiry (the JSON may differ in key order or extra keys)."""
    import json

    try:
        x, y = json.loads(a), json.loads(b)
    except ValueError:
        return a == b
    keys = ("token", "refresh_token", "expiry")
    return all(x.get(k) == y.get(k) for k in keys)


def delete(paths: Paths) -> bool:
    """Remove the stored token (file and keyring entry); True when there was one."""
    found = False
    path = token_file(paths)
    if path.exists():
        path.unlink()
        found = True
    backend = _keyring()
    if backend is not None:
        try:
            found = keystore.delete_secret(backend, _keyring_user(paths)) or found
        except keystore.KeyringLocked:
            raise GoogleError(
                "the token in the system keyring cannot be deleted (it may be locked); "
                "unlock it and try again."
            ) from None
    return found


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, atomically (two writers may race)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _WRITE_LOCK:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # mkstemp makes it 0600 already; say so
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
