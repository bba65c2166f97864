"""Opening, saving, re-keying, backing up and deleting the encrypted journal file.

Every write goes through :func:`pmload.journal.files.atomic_write`, which
keeps the previous version as ``journal.pmj.bak``. Nothing here prompts and
nothing logs journal content.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

from pmload.journal import fileformat as ff
from pmload.journal.errors import (
    JournalChanged,
    JournalDamaged,
    JournalError,
    JournalExists,
    JournalMissing,
    KdfTooExpensive,
)
from pmload.journal.files import TEMP_PREFIX, TEMP_SUFFIX, atomic_write, fsync_dir, shred
from pmload.journal.records import JournalData, from_json, to_json

log = logging.getLogger(__name__)

MIN_PASSPHRASE = 8


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise JournalMissing(
            "There is no journal yet; create one with 'pmload journal init'."
        ) from None
    except OSError as exc:
        raise JournalError(f"The journal cannot be read ({exc.strerror}).") from None


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
        """A new, empty journal at ``path``; JournalExists if one is there."""
        if path.exists():
            raise JournalExists(f"A journal already exists at {path}.")
        check_new_passphrase(passphrase)
        key = ff.new_data_key()
        header = ff.wrap_key(passphrase, key, kdf or ff.default_kdf())
        journal = cls(path, header, key, JournalData(), b"")
        journal._write(JournalData(), check=False)
        log.info("created a journal (%s)", header.kdf.describe())
        return journal

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

    def _write(self, data: JournalData, check: bool = True, target: Path | None = None) -> None:
        blob = ff.seal(self._header, self._data_key(), to_json(data))
        if check:
            self._check_unchanged()
        atomic_write(target or self.path, blob, None if target else backup_path(self.path))
        if target is None:
            self._digest = blob[-ff.DIGEST_LEN :]
            self.data = data

    def _check_unchanged(self) -> None:
        try:
            with self.path.open("rb") as fh:
                fh.seek(-ff.DIGEST_LEN, os.SEEK_END)
                current = fh.read()
        except FileNotFoundError:
            raise JournalMissing("The journal file was deleted while it was open.") from None
        except OSError:
            current = b""
        if current != self._digest:
            raise JournalChanged(
                "The journal changed on disk since it was unlocked (another pmload window or "
                "command saved it); lock and unlock it again, then redo this change."
            )

    def save(self, data: JournalData) -> None:
        """Encrypt and write ``data`` atomically; the previous version becomes the backup."""
        self._write(data)

    def change_passphrase(self, new_passphrase: str, kdf: ff.KdfParams | None = None) -> None:
        """Re-wrap the same data key under ``new_passphrase`` (a new salt, default KDF)."""
        check_new_passphrase(new_passphrase)
        self._check_unchanged()
        self._header = ff.wrap_key(new_passphrase, self._data_key(), kdf or ff.default_kdf())
        self._write(self.data)

    def export(self, out: Path) -> None:
        """Write an encrypted backup (same passphrase) to ``out``."""
        if out.resolve() in (self.path.resolve(), backup_path(self.path).resolve()):
            raise JournalError("Choose a backup file outside the journal's own files.")
        self._write(self.data, check=False, target=out)

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
        blob = source.read_bytes()
    except OSError as exc:
        raise JournalError(f"The backup {source} cannot be read ({exc.strerror}).") from None
    try:
        header, sealed = ff.parse(blob)
        key = ff.unwrap_key(header, passphrase)
        data = from_json(ff.open_body(header, sealed, key))
    except KdfTooExpensive:
        raise
    except JournalDamaged as exc:
        raise JournalDamaged(f"{str(exc).rstrip('.')} in {source}; nothing was changed.") from None
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
    files = list(journal_files(path))
    if not files:
        raise JournalMissing(f"There is no journal at {path}.")
    for p in files:
        shred(p)
    fsync_dir(path.parent)
    log.info("deleted the journal (%d files)", len(files))
    return len(files)
