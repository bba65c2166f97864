"""The first-run questions come before the first week is drawn, in the calendar's zone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pmload_ui.first_run import FirstRunDialog
from pmload_ui.main_window import MainWindow
from pmload_ui.week_view import WeekView
from pytestqt.qtbot import QtBot

from pmload.context import Context
from tests.ui.conftest import make_window

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//pmload tests//EN\r
X-WR-TIMEZONE:America/Chicago\r
BEGIN:VEVENT\r
UID:evening-1@acme.test\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Model questions from Sales\r
DTSTART:20260105T170000\r
DTEND:20260105T180000\r
ORGANIZER:mailto:me@acme.test\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:priya@eng.acme.test\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:evening-2@acme.test\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Roadmap\r
DTSTART;TZID=America/Chicago:20260106T170000\r
DTEND;TZID=America/Chicago:20260106T180000\r
ORGANIZER:mailto:me@acme.test\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@acme.test\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:cfo@acme.test\r
END:VEVENT\r
END:VCALENDAR\r
"""


@pytest.fixture
def utc_window(
    qtbot: QtBot, pmload_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """A first start on a machine in UTC, no zone set anywhere."""
    monkeypatch.setenv("TZ", "UTC")
    ctx = Context(str(pmload_home), None)
    ctx.paths.ensure()
    w = make_window(qtbot, ctx)
    w.show()
    yield w
    ctx.close()


def test_the_questions_come_first_with_the_calendars_zone(
    qtbot: QtBot, utc_window: MainWindow, tmp_path: Path
) -> None:
    w = utc_window
    ics = tmp_path / "work.ics"
    ics.write_text(ICS, encoding="utf-8")
    drawn: list[str] = []
    w.session.loaded.connect(lambda: drawn.append(w.session.zone_or_utc().key))
    w.imports.start([ics])
    qtbot.waitUntil(lambda: w.findChild(FirstRunDialog) is not None, timeout=20000)
    dialog = w.findChild(FirstRunDialog)
    assert dialog is not None and dialog.isVisible()
    # Nothing was drawn in UTC behind the question.
    assert drawn == [] and w.session.analysis is None
    assert w.stack.currentWidget() is w.welcome
    # The zone the calendar is written in, not the machine's UTC.
    assert dialog.zone.currentText() == "America/Chicago"
    assert dialog.me.text() == "me@acme.test"
    with qtbot.waitSignal(w.session.loaded, timeout=20000):
        dialog.accept()
    assert drawn == ["America/Chicago"]
    w.session.set_week(date(2026, 1, 5))
    w.show_view("week")
    view = w.view("week")
    assert isinstance(view, WeekView)
    starts = [
        c.occ.start.astimezone(w.session.zone_or_utc()).hour for c in w.session.week_meetings()
    ]
    assert sorted(starts) == [17, 17]  # 17:00 in Chicago, never 23:00 "UTC"


def test_a_cancelled_question_still_draws_the_week(
    qtbot: QtBot, utc_window: MainWindow, tmp_path: Path
) -> None:
    w = utc_window
    ics = tmp_path / "work.ics"
    ics.write_text(ICS, encoding="utf-8")
    w.imports.start([ics])
    qtbot.waitUntil(lambda: w.findChild(FirstRunDialog) is not None, timeout=20000)
    dialog = w.findChild(FirstRunDialog)
    assert dialog is not None
    with qtbot.waitSignal(w.session.loaded, timeout=20000):
        dialog.reject()
    assert w.session.has_data()
