"""Opening, saving, re-keying, backing up and deleting the encrypted journal file.

Writes are atomic: the new file is written to a temporary file in the same
directory (ciphertext only), fsynced, the current version is kept as
``journal.pmj.bak`` (a hard link, or a copy where links are not supported),
the temporary file is renamed over ``journal.pmj`` and the directory is
fsynced. At every instant ``journal.pmj`` is a complete old or new version,
so a crash, a kill or a full disk never loses the journal. Nothing here
prompts and nothing logs journal content.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pmload.journal import fileformat as ff
from pmload.journal.errors import (
    JournalChanged,
    JournalDamaged,
    JournalError,
    JournalExists,
    JournalMissing,
)
from pmload.journal.records import JournalData, from_json, to_json

log = logging.getLogger(__name__)

MIN_PASSPHRASE = 8
TEMP_PREFIX = ".journal-"
TEMP_SUFFIX = ".tmp"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not supported everywhere (e.g. Windows)
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _keep_previous(path: Path) -> None:
    """Make the current ``path`` the backup, atomically, without touching ``path``."""
    bak = backup_path(path)
    tmp = path.with_name(f"{TEMP_PREFIX}bak-{os.getpid()}{TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(path, tmp)
    except OSError:
        _write_synced(tmp, path.read_bytes())
    os.replace(tmp, bak)


def _write_synced(target: Path, blob: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write(path: Path, blob: bytes, keep_backup: bool = True) -> None:
    """Replace ``path`` with ``blob`` atomically, keeping the old version as the backup."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and path.exists():
            _keep_previous(path)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise JournalError(
            f"The journal could not be saved ({exc.strerror or 'write error'}); "
            "the previous version is unchanged."
        ) from None
    _fsync_dir(path.parent)
    _remove_stale_temps(path.parent, older_than=60.0)


def _remove_stale_temps(directory: Path, older_than: float) -> None:
    """Remove temporary files left by an interrupted write (they hold ciphertext only)."""
    now = time.time()
    for p in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if now - p.stat().st_mtime >= older_than:
                p.unlink()


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
        atomic_write(target or self.path, blob, keep_backup=target is None)
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
    except JournalDamaged as exc:
        raise JournalDamaged(f"{str(exc).rstrip('.')} in {source}; nothing was changed.") from None
    atomic_write(path, blob, keep_backup=True)
    log.info("restored the journal from a backup")
    return Journal(path, header, key, data, blob[-ff.DIGEST_LEN :])


def _shred(p: Path) -> None:
    """Overwrite then unlink (best effort: SSDs and copy-on-write file systems may keep blocks,
    which hold only ciphertext)."""
    with contextlib.suppress(OSError):
        size = p.stat().st_size
        with p.open("r+b") as fh:
            fh.write(bytes(size))
            fh.flush()
            os.fsync(fh.fileno())
    with contextlib.suppress(FileNotFoundError):
        p.unlink()


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
        _shred(p)
    _fsync_dir(path.parent)
    log.info("deleted the journal (%d files)", len(files))
    return len(files)
