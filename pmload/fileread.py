"""Reading a file the user named, safely: regular files only, never more than a limit.

A path may name a device (``/dev/zero`` never ends), a FIFO (opening one
blocks until a writer comes), a socket, or a file far larger than any calendar
or settings file. :func:`read_regular_file` opens without blocking, checks on
the open descriptor (no race with a swapped path) that it is a regular file,
and reads at most ``limit + 1`` bytes, so nothing unbounded is ever read.

Used by calendar import (``pmload.ingest.importer``), ``rules import``
(``pmload.config``); ``journal import`` may use it the same way. (Writing files
safely is a different job; this module only reads.)
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from pmload.errors import PmloadError


class FileReadError(PmloadError):
    """The file cannot be read: its message is one sentence without the path.

    Callers put the path in front (``f"{path}: {exc}"``), as every
    per-file message of pmload does.
    """


def _size_text(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, or :class:`FileReadError`.

    Refuses folders, devices, FIFOs and sockets (whatever ``path`` points to
    through symlinks) and files larger than ``limit`` bytes.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileReadError("no such file.") from None
    except IsADirectoryError:
        raise FileReadError("this is a folder, not a file.") from None
    except PermissionError:
        raise FileReadError("permission denied.") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a FIFO opened without a writer
            raise FileReadError(_NOT_REGULAR) from None
        raise FileReadError(f"cannot read it ({exc.strerror or exc}).") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileReadError("this is a folder, not a file.")
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(_NOT_REGULAR)
        if info.st_size > limit:
            raise FileReadError(_too_large(limit))
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte more than allowed tells "too large" (a growing file)
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except PermissionError:
        raise FileReadError("permission denied.") from None
    except IsADirectoryError:
        raise FileReadError("this is a folder, not a file.") from None
    except FileReadError:
        raise
    except OSError as exc:
        raise FileReadError(f"cannot read it ({exc.strerror or exc}).") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise FileReadError(_too_large(limit))
    return data


_NOT_REGULAR = "this is not a regular file (a device, pipe or socket cannot be imported)."


def _too_large(limit: int) -> str:
    return f"the file is too large (more than {_size_text(limit)})."
