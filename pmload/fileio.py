"""Writing a file so that a crash never leaves half of it, and private files stay private.

:func:`atomic_write_bytes` writes a temporary file in the target's folder
(created with at most ``mode``: the umask can only narrow it), fsyncs it,
renames it over the target and fsyncs the folder, so the target is always a
complete old or new version; :func:`write_export` is that for the files a user
exports (charts, the brief, CSV). :func:`tighten` takes the group and other bits
off a file or folder pmload keeps (never adding any: a folder the user made
read-only stays read-only).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from pmload.errors import PmloadError

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
SHARED_FILE = 0o666  # "what the umask allows", for exports meant to be shared
_TEMP_SUFFIX = ".tmp"


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _create_temp(path: Path, mode: int) -> tuple[int, Path]:
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{_TEMP_SUFFIX}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path.name}")


def atomic_write_bytes(path: Path, data: bytes, mode: int = PRIVATE_FILE) -> Path:
    """Replace ``path`` by ``data`` atomically; the new file has at most ``mode``.

    OSError (a missing folder, a full disk, no permission) leaves ``path`` as
    it was and no temporary file behind.
    """
    path = Path(path)
    fd, tmp = _create_temp(path, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def write_export(path: Path, data: bytes, *, private: bool = False) -> Path:
    """Write a file the user asked for, atomically: 0600 when ``private`` (it carries
    journal scores), else what the umask allows. A failure is one PmloadError sentence."""
    path = Path(path)
    if not path.parent.is_dir():
        raise PmloadError(f"cannot write {path}: folder {path.parent} does not exist.")
    try:
        return atomic_write_bytes(path, data, PRIVATE_FILE if private else SHARED_FILE)
    except OSError as exc:
        raise PmloadError(f"cannot write {path}: {exc.strerror or exc}.") from None


def tighten(path: Path) -> None:
    """Take the group and other permission bits off ``path`` if it exists (best effort)."""
    with contextlib.suppress(OSError):
        current = stat.S_IMODE(path.stat().st_mode)
        if current & 0o077:
            path.chmod(current & ~0o077)
