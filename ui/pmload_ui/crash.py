"""Crash reports: what went wrong, in the log folder, with nothing private in them.

A report, ``logs/crash-YYYYMMDD-HHMMSS.txt``, holds the versions (pmload,
Python, Qt, the platform, bundle or not), then the exception's type and the
file, line, function and code line of each frame of its traceback (and of the
exceptions it came from). Never the exception's message, a variable or any
value: those can quote a meeting title, journal text or a passphrase.

A crash of Python itself (a segmentation fault in a library) is caught by
:mod:`faulthandler` into ``logs/fault.txt``, which holds only file names, line
numbers and function names; the next start turns it into a report.

The next start offers to open the newest report not offered yet (QSettings key
``crash/offered``). Only the newest KEEP reports are kept.
"""

from __future__ import annotations

import faulthandler
import platform
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

KEEP = 10
FAULT_LOG = "fault.txt"
OFFERED_KEY = "crash/offered"
_fault_file: IO[str] | None = None


def environment() -> list[str]:
    """The versions a report starts with."""
    from PySide6 import __version__ as pyside
    from PySide6.QtCore import qVersion

    from pmload.appinfo import is_frozen, version

    qt = f"Qt {qVersion()}, PySide6 {pyside}"
    return [
        f"pmload {version()} ({'bundle' if is_frozen() else 'Python environment'})",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        qt,
        f"{platform.system()} {platform.release()} {platform.machine()}",
    ]


def frames_text(exc: BaseException, tb: TracebackType | None = None) -> list[str]:
    """Types and code lines of ``exc`` and its causes, outermost cause first."""
    chain: list[tuple[BaseException, TracebackType | None]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    current_tb = tb if tb is not None else exc.__traceback__
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, current_tb))
        nxt = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        current, current_tb = nxt, (nxt.__traceback__ if nxt is not None else None)
    lines: list[str] = []
    for i, (e, t) in enumerate(reversed(chain)):
        if i:
            lines += ["", "which led to:"]
        lines.append(f"{type(e).__module__}.{type(e).__qualname__} (message withheld)")
        lines += [line.rstrip("\n") for line in traceback.format_list(traceback.extract_tb(t))]
    return lines


def write_report(
    log_dir: Path, exc: BaseException, tb: TracebackType | None = None, what: str = ""
) -> Path | None:
    """Write a report of ``exc`` into ``log_dir``; its path, or None if it cannot be written."""
    lines = [
        *environment(),
        "",
        what or "An unexpected error inside pmload:",
        *frames_text(exc, tb),
    ]
    return _save(log_dir, lines)


def _save(log_dir: Path, lines: list[str]) -> Path | None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = log_dir / f"crash-{stamp}.txt"
        n = 1
        while target.exists():
            n += 1
            target = log_dir / f"crash-{stamp}-{n}.txt"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    for old in reports(log_dir)[KEEP:]:
        old.unlink(missing_ok=True)
    return target


def reports(log_dir: Path) -> list[Path]:
    """The crash reports in ``log_dir``, newest first."""
    try:
        found = [p for p in log_dir.glob("crash-*.txt") if p.is_file()]
    except OSError:
        return []
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def enable_fault_log(log_dir: Path) -> None:
    """Send a native crash's Python stack (names and lines only) to ``logs/fault.txt``.

    A fault log left by the previous run is made into a report first.
    """
    global _fault_file
    collect_fault_log(log_dir)
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _fault_file = open(log_dir / FAULT_LOG, "w", encoding="utf-8")  # noqa: SIM115
    except OSError:
        return
    faulthandler.enable(_fault_file, all_threads=True)


def collect_fault_log(log_dir: Path) -> Path | None:
    """A non-empty fault log of an earlier run, made into a crash report."""
    fault = log_dir / FAULT_LOG
    try:
        text = fault.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if not text or (_fault_file is not None and not _fault_file.closed):
        return None
    fault.unlink(missing_ok=True)
    lines = [*environment(), "", "pmload stopped at a crash inside a library:", *text.splitlines()]
    return _save(log_dir, lines)


def disable_fault_log(log_dir: Path) -> None:
    """At a clean exit: stop the fault handler and remove its empty file."""
    global _fault_file
    if _fault_file is None:
        return
    faulthandler.disable()
    _fault_file.close()
    _fault_file = None
    fault = log_dir / FAULT_LOG
    try:
        if fault.stat().st_size == 0:
            fault.unlink()
    except OSError:
        pass


def unoffered(log_dir: Path, offered: str) -> Path | None:
    """The newest report, when it is not the one named ``offered``."""
    found = reports(log_dir)
    return found[0] if found and found[0].name != offered else None


def offer_last_report(parent: QWidget | None, log_dir: Path, qsettings: QSettings) -> bool:
    """At start: offer to open the newest report not offered before; True if one was."""
    report = unoffered(log_dir, str(qsettings.value(OFFERED_KEY, "")))
    if report is None:
        return False
    qsettings.setValue(OFFERED_KEY, report.name)
    qsettings.sync()
    box = QMessageBox(parent)
    box.setObjectName("crash-offer")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("pmload")
    box.setText("pmload ran into a problem last time.")
    box.setInformativeText(
        f"A report is in {report}. It holds versions and code lines only, nothing from "
        "your calendar or journal. Open it, to read it or to send it with a bug report?"
    )
    open_button = box.addButton("Open Report", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)

    def answered(_result: int) -> None:
        if box.clickedButton() is open_button:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(report)))

    box.finished.connect(answered)
    box.open()
    return True
