"""Opening, saving, re-keying, backing up and deleting the encrypted journal file.

Every write goes through :func:`pmload.journal.files.atomic_write`, which
keeps the previous version as ``journal.pmj.bak``, and happens under the
journal's write lock (:mod:`pmload.journal.filelock`) together with the check
that the file is still the version it started from: of two writers at once,
one saves and the other is told the journal was changed elsewhere. Nothing
here prompts and nothing logs journal content.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from pmload.fileread import FileReadError, read_regular_file
from pmload.journal import fileformat as ff
from pmload.journal.errors import (
    JournalChanged,
    JournalDamaged,
    JournalError,
    JournalExists,
    JournalMissing,
    KdfTooExpensive,
)
from pmload.journal.filelock import exclusive, remove_lock_file
from pmload.journal.files import (
    TEMP_PREFIX,
    TEMP_SUFFIX,
    atomic_write,
    create_exclusive,
    fsync_dir,
    replace_shredding_old,
    shred,
)
from pmload.journal.records import JournalData, from_json, to_json

log = logging.getLogger(__name__)

MIN_PASSPHRASE = 8
CHANGED = "The journal was changed elsewhere; try again."
OLD_COPIES = (
    "Backups exported before this change, and other copies of the old file such as cloud "
    "backups, still open with the old passphrase (but hold nothing written from now on); "
    "delete them if someone else may know that passphrase."
)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


# A journal of ten years of daily entries is well under 1 MiB; a file far larger,
# a device or a FIFO is not a journal (regular files only, read with a bound).
MAX_JOURNAL_BYTES = 64 * 2**20


def _read(path: Path) -> bytes:
    if not path.exists():
        raise JournalMissing("There is no journal yet; create one with 'pmload journal init'.")
    try:
        return read_regular_file(path, MAX_JOURNAL_BYTES)
    except FileReadError as exc:
        raise JournalError(f"The journal cannot be read: {exc}") from None


def _damaged(path: Path, exc: JournalDamaged) -> JournalDamaged:
    bak = backup_path(path)
    if bak.exists() and ff.looks_intact(bak.read_bytes()):
        hint = (
            f"nothing was changed, and the previous version {bak.name} looks intact "
            f"(restore it with 'pmload journal import {bak}')"
        )
    else:
        hint = "nothing was changed"
    return JournalDamaged(f"{str(exc).rstrip('.')} in {path}; {hint}.")


def check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise JournalError(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters.")


class Journal:
    """An unlocked journal: the decrypted data and the data key, never the passphrase.

    Create one with :meth:`create`, :meth:`unlock` or :func:`restore`; change
    ``data`` through :meth:`save`; forget the key with :meth:`lock`.
    """

    def __init__(
        self, path: Path, header: ff.Header, data_key: bytes, data: JournalData, digest: bytes
    ) -> None:
        self.path = path
        self._header = header
        self._key: bytes | None = data_key
        self._digest = digest
        self.data = data

    @classmethod
    def create(cls, path: Path, passphrase: str, kdf: ff.KdfParams | None = None) -> Journal:
        """A new, empty journal at ``path``; JournalExists if one is there (even if it
        appeared while the key was being derived: the file is created exclusively)."""
        if path.exists():
            raise JournalExists(f"A journal already exists at {path}.")
        check_new_passphrase(passphrase)
        key = ff.new_data_key()
        header = ff.wrap_key(passphrase, key, kdf or ff.default_kdf())
        blob = ff.seal(header, key, to_json(JournalData()))
        with exclusive(path):
            if not create_exclusive(path, blob):
                raise JournalExists(f"A journal already exists at {path}.")
        log.info("created a journal (%s)", header.kdf.describe())
        return cls(path, header, key, JournalData(), blob[-ff.DIGEST_LEN :])

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> Journal:
        blob = _read(path)
        try:
            header, sealed = ff.parse(blob)
            key = ff.unwrap_key(header, passphrase)
            data = from_json(ff.open_body(header, sealed, key))
        except KdfTooExpensive:
            raise
        except JournalDamaged as exc:
            raise _damaged(path, exc) from None
        return cls(path, header, key, data, blob[-ff.DIGEST_LEN :])

    @property
    def is_locked(self) -> bool:
        return self._key is None

    def _data_key(self) -> bytes:
        if self._key is None:
            raise JournalError("The journal is locked; unlock it first.")
        return self._key

    def _check_unchanged(self) -> None:
        """JournalChanged unless the file is still the version this object read or wrote."""
        try:
            with self.path.open("rb") as fh:
                fh.seek(-ff.DIGEST_LEN, os.SEEK_END)
                current = fh.read()
        except FileNotFoundError:
            raise JournalMissing("The journal file was deleted while it was open.") from None
        except OSError:
            current = b""
        if current != self._digest:
            raise JournalChanged(CHANGED)

    def save(self, data: JournalData) -> None:
        """Encrypt and write ``data`` atomically; the previous version becomes the backup.

        The check that nobody else saved since this object read the file and the
        rename happen under the write lock: when another window or command saved
        meanwhile, JournalChanged and nothing is written (:meth:`reload`, then
        apply the change again).
        """
        blob = ff.seal(self._header, self._data_key(), to_json(data))
        with exclusive(self.path):
            self._check_unchanged()
            atomic_write(self.path, blob, backup_path(self.path))
        self._digest = blob[-ff.DIGEST_LEN :]
        self.data = data

    def reload(self) -> None:
        """Read the journal again with the key already held (no passphrase, no KDF).

        JournalChanged when the file on disk no longer opens with that key (its
        passphrase was changed or a backup restored elsewhere): unlock it again.
        Used after a conflict, so that trying the change again applies it to
        what is on disk now.
        """
        key = self._data_key()
        blob = _read(self.path)
        try:
            header, sealed = ff.parse(blob)
        except KdfTooExpensive:
            raise
        except JournalDamaged as exc:
            raise _damaged(self.path, exc) from None
        try:
            body = ff.open_body(header, sealed, key)
        except JournalDamaged:  # intact, but sealed under another data key
            raise JournalChanged(
                "The journal was replaced elsewhere (a new passphrase or a restored backup); "
                "open it again with its passphrase."
            ) from None
        try:
            data = from_json(body)
        except JournalDamaged as exc:
            raise _damaged(self.path, exc) from None
        self._header, self._digest, self.data = header, blob[-ff.DIGEST_LEN :], data

    def change_passphrase(self, new_passphrase: str, kdf: ff.KdfParams | None = None) -> None:
        """Re-key the journal for ``new_passphrase``: a new data key, salt and body.

        The backup beside it is re-encrypted the same way and the versions both
        files held are shredded, so nothing under the old key stays in the
        journal's folder. Copies made elsewhere before (exports, cloud backups)
        still open with the old passphrase: tell the user (:data:`OLD_COPIES`).
        """
        check_new_passphrase(new_passphrase)
        self._check_unchanged()  # before the slow derivation; again under the lock
        key = ff.new_data_key()
        header = ff.wrap_key(new_passphrase, key, kdf or ff.default_kdf())
        blob = ff.seal(header, key, to_json(self.data))
        with exclusive(self.path):
            self._check_unchanged()
            replace_shredding_old(self.path, backup_path(self.path), blob)
        self._header, self._key, self._digest = header, key, blob[-ff.DIGEST_LEN :]
        log.info("re-keyed the journal (%s)", header.kdf.describe())

    def export(self, out: Path) -> None:
        """Write an encrypted backup (same passphrase) to ``out``."""
        if out.resolve() in (self.path.resolve(), backup_path(self.path).resolve()):
            raise JournalError("Choose a backup file outside the journal's own files.")
        atomic_write(out, ff.seal(self._header, self._data_key(), to_json(self.data)))

    def lock(self) -> None:
        """Forget the key and the decrypted data."""
        self._key = None
        self.data = JournalData()


def exists(path: Path) -> bool:
    return path.exists()


def restore(path: Path, source: Path, passphrase: str) -> Journal:
    """Replace the journal at ``path`` with the backup ``source`` after it decrypts fully.

    The current journal (if any) is kept as the backup file. Returns the
    restored journal, unlocked with ``passphrase`` (the backup's passphrase).
    """
    try:
        blob = read_regular_file(source, MAX_JOURNAL_BYTES)
    except FileReadError as exc:
        raise JournalError(f"The backup cannot be read: {exc}") from None
    try:
        header, sealed = ff.parse(blob)
        key = ff.unwrap_key(header, passphrase)
        data = from_json(ff.open_body(header, sealed, key))
    except KdfTooExpensive:
        raise
    except JournalDamaged as exc:
        raise JournalDamaged(f"{str(exc).rstrip('.')} in {source}; nothing was changed.") from None
    with exclusive(path):
        atomic_write(path, blob, backup_path(path))
    log.info("restored the journal from a backup")
    return Journal(path, header, key, data, blob[-ff.DIGEST_LEN :])


def journal_files(path: Path) -> Iterator[Path]:
    """The journal, its backup and any temporary files an interrupted write left."""
    for p in (path, backup_path(path)):
        if p.exists():
            yield p
    if path.parent.is_dir():
        yield from sorted(path.parent.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))


def delete(path: Path) -> int:
    """Remove the journal, its backup and leftover temporary files; return how many."""
    with exclusive(path):
        files = list(journal_files(path))
        for p in files:
            shred(p)
        fsync_dir(path.parent)
    remove_lock_file(path)  # once released: it was ours, even when there was nothing to delete
    if not files:
        raise JournalMissing(f"There is no journal at {path}.")
    log.info("deleted the journal (%d files)", len(files))
    return len(files)
