"""Google Calendar in the app: connect from the Welcome view, choose calendars, sync, cancel.

Real widgets over the real client library and a fake Google on 127.0.0.1;
only the user's browser is stood in for (tests.google_fake.browser).
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pmload_ui.google_dialog import GoogleDialog
from pmload_ui.google_sync import GoogleSync, synced_ago
from pmload_ui.main_window import MainWindow
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from pmload.context import Context
from tests.core.google_helpers import at, snapshot
from tests.google_fake import ME, FakeGoogle, browser, event, rate_limited
from tests.ui.conftest import make_window

TEAM = "team@group.calendar.google.com"


@pytest.fixture
def calendars(google: FakeGoogle) -> FakeGoogle:
    google.events[ME] = [
        event(
            "e1",
            "Model questions from Sales",
            at(0, "10:00"),
            at(0, "11:00"),
            ("priya@eng.acme.test", "cfo@acme.test"),
        ),
        event("e2", "Roadmap review", at(1, "14:00"), at(1, "15:00")),
    ]
    google.events[TEAM] = [event("t1", "Team retro", at(2, "16:00"), at(2, "17:00"))]
    return google


@pytest.fixture(autouse=True)
def drained(qtbot: QtBot) -> Iterator[None]:
    """Every background job ends (and reports) while the test's widgets still live."""
    yield
    QThreadPool.globalInstance().waitForDone(20000)
    qtbot.wait(50)


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What would have been shown in a warning box (recorded, not shown)."""
    shown: list[str] = []

    def warning(
        _parent: object, _title: str, text: str, *args: object
    ) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return shown


def open_dialog(qtbot: QtBot, window: MainWindow) -> GoogleDialog:
    window.open_google()
    dialog = window.google_dialog
    qtbot.waitExposed(dialog)
    return dialog


def test_connect_from_the_welcome_view_then_the_first_sync(
    qtbot: QtBot,
    window: MainWindow,
    calendars: FakeGoogle,
    client_file: Path,
    pmload_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_dialogs: list[str],
) -> None:
    monkeypatch.delenv("PMLOAD_GOOGLE_TOKEN_FILE")
    opened = browser(monkeypatch)
    window.show()
    assert window.stack.currentWidget() is window.welcome
    assert not window.google.label.isVisible()  # not connected: nothing to say
    QTest.mouseClick(window.welcome.google_button, Qt.MouseButton.LeftButton)
    dialog = window.google_dialog
    assert dialog.pages.currentWidget() is dialog.connect_page
    dialog.secrets.setText(str(client_file))
    QTest.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.connected_page, timeout=20000)
    assert len(opened) == 1
    assert "Connected to me@acme.test (read-only)" in dialog.account.text()
    token = pmload_home / "config" / "google-token.json"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    # the first sync starts by itself, and the history reloads
    qtbot.waitUntil(lambda: window.session.has_data() and not window.session.busy, timeout=20000)
    titles = {o.title for o in window.session.analysis.occurrences}  # type: ignore[union-attr]
    assert titles == {"Model questions from Sales", "Roadmap review"}
    assert window.stack.currentWidget() is not window.welcome
    assert window.google.label.text() == "Google Calendar: synced just now"
    assert window.session.settings.me == ("me@acme.test",)
    qtbot.waitUntil(lambda: dialog.calendars.count() == 2, timeout=10000)
    states = [dialog.calendars.item(i).checkState() for i in range(2)]
    assert states == [Qt.CheckState.Checked, Qt.CheckState.Unchecked]  # primary first
    assert window.google.sync_on_start and no_dialogs == []


def test_checking_a_calendar_syncs_it_too(
    qtbot: QtBot, window: MainWindow, calendars: FakeGoogle, no_dialogs: list[str]
) -> None:
    window.show()
    dialog = open_dialog(qtbot, window)
    assert dialog.pages.currentWidget() is dialog.connected_page
    qtbot.waitUntil(lambda: dialog.calendars.count() == 2, timeout=10000)
    dialog.calendars.item(1).setCheckState(Qt.CheckState.Checked)
    QTest.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: (
            window.session.has_data() and not window.session.busy and window.google.running is None
        ),
        timeout=20000,
    )
    titles = {o.title for o in window.session.analysis.occurrences}  # type: ignore[union-attr]
    assert "Team retro" in titles and "Roadmap review" in titles
    assert "Syncing 2 calendars" in dialog.status.text()
    assert no_dialogs == []


def test_cancelling_a_sync_leaves_everything_as_it_was(
    qtbot: QtBot,
    window: MainWindow,
    calendars: FakeGoogle,
    pmload_home: Path,
    no_dialogs: list[str],
) -> None:
    window.show()
    window.google.sync()
    qtbot.waitUntil(
        lambda: window.google.running is None and not window.session.busy, timeout=20000
    )
    before = snapshot(pmload_home)
    calendars.gone.add(f"sync-{ME}-0")  # the next sync is a full one, a page per event…
    calendars.page_size = 1
    calendars.fail_next(rate_limited(429, retry_after="60"), after=2)  # …and Google makes it wait
    messages: list[str] = []
    window.session.message.connect(messages.append)
    window.google.sync()
    assert window.google.label.text() == "Google Calendar: syncing…"
    qtbot.waitUntil(lambda: not calendars.faults, timeout=10000)  # page 1 read, page 2 waits
    progress = window.google.progress
    assert progress is not None
    progress.canceled.emit()  # what its Cancel button sends
    qtbot.waitUntil(lambda: window.google.running is None, timeout=5000)
    assert snapshot(pmload_home) == before
    assert any("cancelled" in m for m in messages) and no_dialogs == []
    assert window.google.label.text() == "Google Calendar: synced just now"


def test_sync_on_start_follows_the_setting(
    qtbot: QtBot, ctx: Context, calendars: FakeGoogle
) -> None:
    window = make_window(qtbot, ctx)
    window.google.set_sync_on_start(False)
    window.google.start_once()
    assert window.google.running is None and calendars.events_requests() == []
    again = make_window(qtbot, ctx)
    assert not again.google.sync_on_start  # remembered in the window settings
    again.google.set_sync_on_start(True)
    again.google.start_once()
    qtbot.waitUntil(lambda: again.google.running is None and not again.session.busy, timeout=20000)
    assert len(calendars.events_requests()) == 1
    again.google.start_once()  # once per session
    assert again.google.running is None


def test_a_revoked_grant_says_how_to_reconnect_in_the_app(
    qtbot: QtBot, window: MainWindow, calendars: FakeGoogle, no_dialogs: list[str]
) -> None:
    calendars.valid.discard("at-1")
    calendars.invalid_grant = True
    window.google.sync()
    qtbot.waitUntil(lambda: window.google.running is None, timeout=20000)
    qtbot.waitUntil(lambda: bool(no_dialogs), timeout=5000)
    [text] = no_dialogs
    assert "File › Google Calendar… › Reconnect" in text and "already synced is kept" in text
    dialog = open_dialog(qtbot, window)
    QTest.mouseClick(dialog.reconnect_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentWidget() is dialog.connect_page


def test_synced_ago_reads_like_a_person_would_say_it() -> None:
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)

    def ago(**delta: float) -> str:
        return synced_ago((now - timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ"), now)

    assert ago(seconds=20) == "synced just now"
    assert ago(minutes=1) == "synced 1 minute ago"
    assert ago(minutes=42) == "synced 42 minutes ago"
    assert ago(hours=3, minutes=5) == "synced 3 hours ago"
    assert ago(days=2) == "synced 2 days ago"
    assert synced_ago(None) == ""
    assert isinstance(GoogleSync.sync_on_start, property)


def test_the_window_opens_without_waking_the_keyring(
    qtbot: QtBot, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking a desktop keyring may block (D-Bus, an unlock prompt): never on the way to the window."""
    from pmload.google import tokens

    asked: list[str] = []
    monkeypatch.setattr(tokens, "_keyring", lambda: asked.append("keyring"))
    window = make_window(qtbot, ctx)
    window.show()
    window.google.refresh_label()
    window.google.start_once()
    assert asked == [] and not window.google.connected()
