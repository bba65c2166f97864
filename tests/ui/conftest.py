"""Fixtures for the GUI tests: a real window over a real store in an isolated home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.session import Session
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.ingest.sample import install_sample

ME = "me@acme.test"

ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//pmload tests//EN\r
BEGIN:VEVENT\r
UID:bridge-1@acme.test\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Model questions from Sales\r
DTSTART;TZID=Europe/Paris:{monday}T100000\r
DTEND;TZID=Europe/Paris:{monday}T110000\r
RRULE:FREQ=WEEKLY;COUNT=6\r
ORGANIZER:mailto:{me}\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{me}\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:priya@eng.acme.test\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:cfo@acme.test\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:mystery-1@acme.test\r
DTSTAMP:20260101T000000Z\r
SUMMARY:Catch-up\r
DTSTART;TZID=Europe/Paris:{monday}T140000\r
DTEND;TZID=Europe/Paris:{monday}T143000\r
ORGANIZER:mailto:stranger@elsewhere.test\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:{me}\r
ATTENDEE;PARTSTAT=ACCEPTED:mailto:stranger@elsewhere.test\r
END:VEVENT\r
END:VCALENDAR\r
"""

RULES = f"""me = ["{ME}"]
timezone = "Europe/Paris"
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""


def write_ics(path: Path, monday: str = "20260105") -> Path:
    path.write_text(ICS.format(monday=monday, me=ME), encoding="utf-8")
    return path


@pytest.fixture
def ctx(pmload_home: Path) -> Iterator[Context]:
    context = Context(str(pmload_home), "Europe/Paris")
    context.paths.ensure()
    yield context
    context.close()


def make_window(qtbot: QtBot, ctx: Context) -> MainWindow:
    session = Session(ctx)
    qsettings = QSettings(str(ctx.paths.gui_settings_file), QSettings.Format.IniFormat)
    window = MainWindow(session, qsettings)
    qtbot.addWidget(window, before_close_func=drop_unsaved_settings)
    return window


def drop_unsaved_settings(window: QWidget) -> None:
    """A test that leaves Settings with unsaved changes would have the window ask
    Save/Discard/Cancel (modally) when qtbot closes it: the form is reloaded first."""
    from pmload_ui.settings_view import SettingsView

    assert isinstance(window, MainWindow)
    view = window._views.get("settings")
    if isinstance(view, SettingsView):
        view.reload()


@pytest.fixture
def window(qtbot: QtBot, ctx: Context) -> MainWindow:
    """A window over an empty store."""
    return make_window(qtbot, ctx)


@pytest.fixture
def sample_window(qtbot: QtBot, ctx: Context) -> MainWindow:
    """A window over the sample calendar, loaded and showing the week view."""
    install_sample(ctx.paths, ctx.conn, ctx.zone)
    ctx.reload_settings()
    w = make_window(qtbot, ctx)
    w.session.load_now()
    w.show_view("week")
    w.show()
    qtbot.waitExposed(w)
    return w
