"""Calendars inside a zip (Google Calendar's export: one .ics per calendar).

Each ``.ics`` member, at any depth, is imported as a source of its own (kind
``zip``, location ``<absolute zip path>!<member name>``) through the same
path as a loose file (pmload.ingest.importer.import_bytes). Nothing is ever
extracted to disk: the archive is read into memory through the bounded reader
and each member is decompressed into memory with a limit, so a zip bomb costs
at most the limits below, whatever the archive's headers claim.

Refused as a whole: an archive larger than ``MAX_ZIP_BYTES``, with more than
``MAX_MEMBERS`` entries, or that is not a zip. Refused per member: a name that
leaves the archive (absolute, ``..``, a drive letter), a symbolic link, an
encrypted or unreadable member, one that unpacks to more than a calendar file
may hold, and everything once the archive has unpacked to ``MAX_TOTAL_BYTES``.
Members that are not ``.ics`` are skipped and named (status ``ignored``).
"""

from __future__ import annotations

import io
import logging
import stat
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from pmload.errors import ImportCancelled
from pmload.fileread import FileReadError, read_regular_file
from pmload.ingest import ics_text
from pmload.ingest.report import FileResult

log = logging.getLogger(__name__)

MAX_ZIP_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
SEPARATOR = "!"

Cancelled = Callable[[], bool]
ImportBytes = Callable[[bytes, str, str], FileResult]


def is_zip_path(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def member_location(zip_path: Path, member: str) -> str:
    return f"{zip_path}{SEPARATOR}{member}"


def zip_path_of(location: str) -> Path:
    """The archive of a zip source's location (the first ``.zip!`` ends it)."""
    end = location.lower().find(".zip" + SEPARATOR)
    return Path(location[: end + 4] if end >= 0 else location)


def _leaves_archive(name: str) -> bool:
    if name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    parts = PurePosixPath(name).parts
    return ".." in parts or (bool(parts) and len(parts[0]) >= 2 and parts[0][1] == ":")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """At most ``limit + 1`` decompressed bytes of a member (the caller checks the length)."""
    with zf.open(info) as fh:
        out = io.BytesIO()
        while out.tell() <= limit:
            chunk = fh.read(min(1024 * 1024, limit + 1 - out.tell()))
            if not chunk:
                break
            out.write(chunk)
        return out.getvalue()


def import_zip(
    path: Path,
    import_member: ImportBytes,
    cancelled: Cancelled | None = None,
) -> list[FileResult]:
    """Import every .ics member of the zip at ``path`` with ``import_member(raw, location, name)``.

    Returns one FileResult per member (imported, unchanged, rejected or
    ignored), or one rejected result for the archive. Never raises for a bad archive.
    """
    path = Path(path).absolute()
    try:
        raw = read_regular_file(path, MAX_ZIP_BYTES)
    except FileReadError as exc:
        return [FileResult(path, "rejected", str(exc))]
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return [FileResult(path, "rejected", "this is not a zip archive, or it is damaged.")]
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            return [
                FileResult(
                    path,
                    "rejected",
                    f"the archive holds {len(infos):,} entries, more than the {MAX_MEMBERS:,} "
                    "pmload opens; unpack it and import the .ics files you need.",
                )
            ]
        results: list[FileResult] = []
        budget = MAX_TOTAL_BYTES
        for info in infos:
            if info.is_dir():
                continue
            if cancelled is not None and cancelled():
                raise ImportCancelled
            name = info.filename
            shown = member_location(path, name)

            def refuse(reason: str, shown: str = shown) -> None:
                results.append(FileResult(path, "rejected", reason, name=shown))

            if _leaves_archive(name):
                refuse("its name points outside the archive; pmload does not read it.")
                continue
            if not name.lower().endswith(".ics"):
                results.append(
                    FileResult(path, "ignored", "not a calendar (.ics) file; skipped.", name=shown)
                )
                continue
            if _is_symlink(info):
                refuse("it is a symbolic link, not a calendar file.")
                continue
            if info.flag_bits & 0x1:
                refuse("it is encrypted; unpack the archive with its password first.")
                continue
            if budget <= 0:
                refuse(
                    f"the archive unpacks to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MB; "
                    "pmload stopped reading it here."
                )
                continue
            limit = min(ics_text.MAX_BYTES, budget)
            try:
                data = _read_member(zf, info, limit)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
                log.info("zip member unreadable (%s)", type(exc).__name__)
                refuse("it cannot be unpacked (the archive is damaged or uses an unknown method).")
                continue
            except RuntimeError:  # zipfile: a password is required
                refuse("it is encrypted; unpack the archive with its password first.")
                continue
            budget -= len(data)
            if len(data) > limit:
                mb = ics_text.MAX_BYTES // (1024 * 1024)
                refuse(f"it unpacks to more than {mb} MB, larger than any calendar pmload imports.")
                continue
            results.append(import_member(data, shown, PurePosixPath(name).stem))
        if not any(r.status != "ignored" for r in results):
            results.insert(0, FileResult(path, "rejected", "the archive holds no .ics files."))
        return results
