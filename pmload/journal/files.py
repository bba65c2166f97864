"""The journal's file operations: atomic replace with a backup, shredding, scratch files.

Writes are atomic: the new file is written to a temporary file in the same
directory (ciphertext only), fsynced, the current version is kept as the
backup (a hard link, or a copy where links are not supported), the
temporary file is renamed over the target and the directory is fsynced. At
every instant the target is a complete old or new version, so a crash, a
kill or a full disk never loses the journal.

Only the temporary file a write created itself is ever removed: the folder
may be the user's own (exports) or hold another process's write in
progress. Leftovers of a killed write (ciphertext only) go with
``pmload journal delete``.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pmload.journal.errors import JournalError

TEMP_PREFIX = ".journal-"
TEMP_SUFFIX = ".tmp"


def fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not supported everywhere (e.g. Windows)
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_synced(target: Path, blob: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())


def link_aside(path: Path) -> Path:
    """A new hard link to ``path`` under a temporary name of our own (OSError if unsupported)."""
    for _ in range(8):
        tmp = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}")
        try:
            os.link(path, tmp)
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"no free temporary name beside {path.name}")


def keep_previous(path: Path, backup: Path) -> None:
    """Make the current ``path`` the ``backup``, atomically, without touching ``path``."""
    try:
        tmp = link_aside(path)
    except OSError:  # no hard links here: copy
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
        os.close(fd)
        tmp = Path(name)
        try:
            write_synced(tmp, path.read_bytes())
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    try:
        os.replace(tmp, backup)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _synced_temp(directory: Path, blob: bytes) -> Path:
    """A new temporary file (0600) in ``directory`` holding ``blob``, fsynced."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=directory)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def _not_saved(exc: OSError) -> JournalError:
    return JournalError(
        f"The journal could not be saved ({exc.strerror or 'write error'}); "
        "the previous version is unchanged."
    )


def atomic_write(path: Path, blob: bytes, backup: Path | None = None) -> None:
    """Replace ``path`` with ``blob`` atomically; the old version becomes ``backup`` if given."""
    tmp: Path | None = None
    try:
        tmp = _synced_temp(path.parent, blob)
        if backup is not None and path.exists():
            keep_previous(path, backup)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise _not_saved(exc) from None
    fsync_dir(path.parent)


def create_exclusive(path: Path, blob: bytes) -> bool:
    """Write ``blob`` as ``path`` only if nothing is there yet; False when something is.

    A hard link of a complete temporary file makes the new file appear whole or
    not at all; where links are not supported it is created with O_EXCL.
    """
    tmp: Path | None = None
    try:
        tmp = _synced_temp(path.parent, blob)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # no hard links on this file system
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            try:
                fd = os.open(path, flags, 0o600)
            except FileExistsError:
                return False
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(blob)
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError:
                path.unlink()  # ours: created just above
                raise
    except OSError as exc:
        raise _not_saved(exc) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    fsync_dir(path.parent)
    return True


def replace_shredding_old(path: Path, backup: Path, blob: bytes) -> None:
    """Make both ``path`` and ``backup`` hold ``blob``; shred the versions they held.

    For re-keying: no copy under the old key may stay beside the journal. Each
    old file is linked aside first, so it stays in place until the new file
    replaces it and its bytes can be overwritten after. Where hard links are
    not supported the old backup is shredded in place once the journal is new,
    and the old journal's blocks are only freed.
    """
    aside: dict[Path, Path] = {}
    for p in (path, backup):
        if p.exists():
            with contextlib.suppress(OSError):
                aside[p] = link_aside(p)
    try:
        atomic_write(path, blob)
    except JournalError:
        for extra in aside.values():  # the old journal is still in place: keep it
            with contextlib.suppress(OSError):
                extra.unlink()
        raise
    if backup not in aside:
        shred(backup)
    try:
        atomic_write(backup, blob)
    except JournalError:  # better no backup than one under the old key
        with contextlib.suppress(OSError):
            backup.unlink()
    for old in aside.values():
        shred(old)
    fsync_dir(path.parent)


def shred(p: Path) -> None:
    """Overwrite then unlink (best effort: SSDs and copy-on-write file systems may keep blocks).

    A symbolic link, or a file with other names (hard links), is only unlinked:
    overwriting would destroy what the other name points to.
    """
    with contextlib.suppress(OSError):
        st = p.lstat()
        if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
            with p.open("r+b") as fh:
                fh.write(bytes(st.st_size))
                fh.flush()
                os.fsync(fh.fileno())
    with contextlib.suppress(FileNotFoundError):
        p.unlink()


@contextlib.contextmanager
def private_scratch(name: str) -> Iterator[Path]:
    """An empty file ``name`` (0600) in a new folder only the user can open (0700).

    The folder is in ``$XDG_RUNTIME_DIR`` when that exists (per-user and in
    memory on Linux), else in the temporary folder. On exit every file in it
    (an editor's swap and backup files too) is shredded and the folder removed.
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    base = runtime if runtime and os.path.isdir(runtime) else None
    folder = Path(tempfile.mkdtemp(prefix="pmload-", dir=base))
    path = folder / name
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        yield path
    finally:
        for p in sorted(folder.rglob("*"), key=lambda q: len(q.parts), reverse=True):
            if p.is_dir() and not p.is_symlink():
                with contextlib.suppress(OSError):
                    p.rmdir()
            else:
                shred(p)
        with contextlib.suppress(OSError):
            folder.rmdir()
