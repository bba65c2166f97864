"""The import dialog names the events it had to skip (the rest of the calendar is imported)."""

from __future__ import annotations

from pathlib import Path

from pmload_ui.main_window import MainWindow
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.conftest import write_ics

BROKEN = """BEGIN:VEVENT
UID:planning@acme.test
DTSTAMP:20260101T000000Z
SUMMARY:Sprint planning
DTSTART:20260105T160000Z
DTEND:20260105T170000Z
RRULE:FREQ=WEEKLY;UNTL=20260301T000000Z
END:VEVENT
END:VCALENDAR
"""


def test_skipped_events_are_shown_after_an_import(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    cal = write_ics(tmp_path / "work.ics")
    text = cal.read_bytes().decode().replace("\r\n", "\n")
    cal.write_text(text.replace("END:VCALENDAR\n", BROKEN), encoding="utf-8")
    window.show()
    with qtbot.waitSignal(window.imports.finished, timeout=20000) as blocker:
        window.imports.start([cal])
    report = blocker.args[0]
    assert [r.status for r in report.results] == ["imported"]
    assert [s.title for s in report.results[0].skipped] == ["Sprint planning"]
    box = window.findChild(QMessageBox, "rejected-files")
    assert box is not None and box.windowTitle() == "Some events were skipped"
    assert "1 event was skipped" in box.text()
    assert "work.ics: skipped 'Sprint planning' (UID planning@acme.test): its RRULE" in box.text()
    assert "UNTL" in box.text()
    box.close()
    qtbot.waitUntil(lambda: not window.session.busy, timeout=10000)
