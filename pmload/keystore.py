"""Secrets in the system keyring (Secret Service, macOS Keychain, Windows Credential Locker).

One place decides whether a real keyring works (:func:`keyring_backend`) and
talks to it; pmload.google.tokens keeps the Google token here and
pmload.ingest.subscriptions the private calendar URLs. Every entry is under
service ``pmload``; callers name the user part (one per pmload home). When no
keyring works, each caller keeps its secret in a place readable only by the
user (a 0600 file, or the store, which is 0600 too).

Failures are logged by exception type only: a secret never reaches the log.
"""

from __future__ import annotations

import logging
from typing import Any

from pmload.errors import PmloadError

log = logging.getLogger(__name__)

SERVICE = "pmload"


class KeyringLocked(PmloadError):
    """The keyring exists but cannot be read or changed (locked, D-Bus gone)."""


def keyring_backend() -> Any | None:
    """The keyring backend when a real one is available, else None."""
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend module must not stop pmload
        log.info("no keyring (%s)", type(exc).__name__)
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


def get_secret(backend: Any, user: str) -> str | None:
    """The secret stored for ``user``, None when there is none; KeyringLocked when unreadable."""
    try:
        text = backend.get_password(SERVICE, user)
    except Exception as exc:
        log.info("keyring read failed (%s)", type(exc).__name__)
        raise KeyringLocked(
            "the system keyring cannot be read (it may be locked); unlock it and try again."
        ) from None
    return str(text) if text else None


def set_secret(backend: Any, user: str, text: str) -> bool:
    """Store ``text`` for ``user``; False (logged) when the keyring refused."""
    try:
        backend.set_password(SERVICE, user, text)
    except Exception as exc:
        log.info("keyring write failed (%s)", type(exc).__name__)
        return False
    return True


def delete_secret(backend: Any, user: str) -> bool:
    """Remove the entry of ``user``: True when there was one; KeyringLocked when it cannot."""
    try:
        if not backend.get_password(SERVICE, user):
            return False
        backend.delete_password(SERVICE, user)
    except Exception as exc:
        log.info("keyring delete failed (%s)", type(exc).__name__)
        raise KeyringLocked(
            "the secret in the system keyring cannot be deleted (it may be locked); "
            "unlock it and try again."
        ) from None
    return True
