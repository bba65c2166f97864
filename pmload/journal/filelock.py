"""The journal's write lock: one lock file beside the journal, held from check to rename.

Every writer of ``journal.pmj`` (a save from the app or a command, a new
journal, a passphrase change, a restore, a delete) holds an exclusive lock
on ``journal.pmj.lock`` while it checks the file and replaces it, so two
writers can never both pass the check and one of them lose its change. The
lock is ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows: both are
released by the operating system when a process dies, so a crash never
leaves the journal locked. Readers need no lock: a rename is atomic. The
lock file itself is empty.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from pmload.journal.errors import JournalBusy, JournalError

LOCK_TIMEOUT = 10.0  # seconds; a writer holds the lock for milliseconds
_POLL = 0.005

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def exclusive(path: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the write lock of the journal at ``path``, waiting up to ``timeout`` seconds.

    JournalBusy when another writer keeps it that long. Not reentrant: a
    holder must not ask for it again (even from another thread).
    """
    lock = lock_path(path)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise JournalError(f"The journal cannot be locked for writing ({exc.strerror}).") from None
    try:
        deadline = time.monotonic() + (LOCK_TIMEOUT if timeout is None else timeout)
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise JournalBusy(
                    "Another pmload window or command is saving the journal; try again."
                )
            time.sleep(_POLL)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def remove_lock_file(path: Path) -> None:
    """Remove the lock file (after the journal itself was deleted)."""
    with contextlib.suppress(OSError):
        lock_path(path).unlink()
