"""The About dialog, and crash reports that hold nothing from the calendar or journal."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from pmload_ui.about import AboutDialog
from pmload_ui.crash import (
    OFFERED_KEY,
    collect_fault_log,
    offer_last_report,
    reports,
    write_report,
)
from pmload_ui.main_window import MainWindow
from PySide6.QtCore import QObject, QSettings, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pmload.context import Context
from tests.privacy import scan_for

REPO = Path(__file__).resolve().parents[2]
TITLE = "MARKER-Board prep with Dana 8812"
NOTE = "MARKER-journal-burnout-note-5521"


class Opened(QObject):
    """Receives the file: URLs the app asks the desktop to open (instead of a file manager)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def catch_file_urls() -> Opened:
    opened = Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")  # type: ignore[arg-type]
    return opened


def test_about_shows_the_version_license_libraries_and_where_the_data_lives(
    qtbot: QtBot, window: MainWindow, ctx: Context
) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    window.act_about.trigger()
    dialog = window.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    assert f"pmload {version}" in dialog.title.text()
    assert "MIT license" in dialog.license.text()
    table = dialog.libraries
    cells = [(table.item(r, 0), table.item(r, 2)) for r in range(table.rowCount())]
    rows = {name.text(): lic.text() for name, lic in cells if name is not None and lic is not None}
    assert len(rows) == table.rowCount()
    assert "LGPL-3.0" in rows["PySide6_Essentials"] and "cryptography" in rows
    texts = [label.text() for label in dialog.findChildren(type(dialog.title))]
    assert str(ctx.paths.data_dir) in texts and str(ctx.paths.log_dir) in texts
    opened = catch_file_urls()
    try:
        dialog.show_folder.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in opened.urls] == [str(ctx.paths.data_dir)]


def test_a_report_holds_versions_and_code_lines_but_no_message(tmp_path: Path) -> None:
    def classify(title: str) -> None:
        raise KeyError(f"no rule for {title}")

    def save_entry(note: str) -> None:
        try:
            classify(TITLE)
        except KeyError as exc:
            raise RuntimeError(f"could not save {note}") from exc

    try:
        save_entry(NOTE)
    except RuntimeError as exc:
        report = write_report(tmp_path / "logs", exc)
    assert report is not None and report.parent == tmp_path / "logs"
    text = report.read_text(encoding="utf-8")
    assert text.startswith("pmload ") and "Python 3." in text and "Qt 6." in text
    assert "builtins.KeyError (message withheld)" in text
    assert "which led to:\nbuiltins.RuntimeError (message withheld)" in text
    assert "in classify" in text and "raise KeyError" in text
    assert scan_for("MARKER-", tmp_path) == []


def test_only_the_newest_reports_are_kept(tmp_path: Path) -> None:
    for _ in range(14):
        write_report(tmp_path, ValueError("x"))
    assert len(reports(tmp_path)) == 10


def test_a_crash_inside_a_library_becomes_a_report_at_the_next_start(tmp_path: Path) -> None:
    log_dir = tmp_path / "logs"
    code = (
        "import ctypes, sys\n"
        "from pathlib import Path\n"
        "from pmload_ui.crash import enable_fault_log\n"
        "enable_fault_log(Path(sys.argv[1]))\n"
        f"def handle_meeting(title={TITLE!r}):\n"
        "    ctypes.string_at(0)\n"
        "handle_meeting()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(log_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode != 0
    report = collect_fault_log(log_dir)
    assert report is not None and not (log_dir / "fault.txt").exists()
    text = report.read_text(encoding="utf-8")
    assert "Segmentation fault" in text and "handle_meeting" in text
    assert scan_for("MARKER-", tmp_path) == []
    assert collect_fault_log(log_dir) is None  # made into a report once


def test_the_next_start_offers_the_newest_report_once(
    qtbot: QtBot, window: MainWindow, ctx: Context
) -> None:
    qsettings = QSettings(str(ctx.paths.gui_settings_file), QSettings.Format.IniFormat)
    assert not offer_last_report(window, ctx.paths.log_dir, qsettings)  # nothing to offer
    report = write_report(ctx.paths.log_dir, ValueError("x"))
    assert report is not None
    assert offer_last_report(window, ctx.paths.log_dir, qsettings)
    box = window.findChild(QMessageBox, "crash-offer")
    assert box is not None and box.isVisible() and str(report) in box.informativeText()
    opened = catch_file_urls()
    try:
        next(b for b in box.buttons() if b.text() == "Open Report").click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in opened.urls] == [str(report)]
    assert qsettings.value(OFFERED_KEY) == report.name
    assert not offer_last_report(window, ctx.paths.log_dir, qsettings), "offered twice"


def test_the_window_and_the_dialog_carry_the_apps_icon(qtbot: QtBot, window: MainWindow) -> None:
    from pmload_ui.icon import app_icon

    sizes = {(s.width(), s.height()) for s in app_icon().availableSizes()}
    assert {(16, 16), (48, 48), (512, 512)} <= sizes
    assert not window.windowIcon().isNull()
