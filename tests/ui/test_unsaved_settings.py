"""Settings never shows a value as applied before it is saved, and never loses it silently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.settings_view import SettingsView
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.ingest.sample import install_sample
from tests.ui.conftest import make_window


def settings_view(w: MainWindow) -> SettingsView:
    w.show_view("settings")
    view = w.view("settings")
    assert isinstance(view, SettingsView)
    return view


def answer_next_box(qtbot: QtBot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click ``button`` on the next modal message box, noting its text in ``seen``."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(f"{box.text()} {box.informativeText()}")
        box.button(button).click()

    QTimer.singleShot(0, click)


def test_unsaved_changes_are_marked_and_save_is_enabled_only_then(
    sample_window: MainWindow,
) -> None:
    view = settings_view(sample_window)
    assert not view.dirty_label.isVisible()
    assert not view.save_button.isEnabled() and not view.revert_button.isEnabled()
    label = view._labels["threshold"]
    assert not label.font().bold()
    saved = view.threshold.value()
    view.threshold.setValue(saved - 5)
    assert view.dirty_label.isVisible() and view.dirty_label.text() == "Unsaved changes"
    assert view.save_button.isEnabled() and view.revert_button.isEnabled()
    assert view.changed_fields() == ["threshold"]
    assert label.font().bold() and "not saved" in label.toolTip()
    assert not view._labels["max_bridge"].font().bold()
    # The threshold in use is still the saved one.
    assert round(sample_window.session.settings.threshold * 100) == saved
    view.threshold.setValue(saved)  # back to the saved value: nothing to save
    assert not view.dirty_label.isVisible() and not view.save_button.isEnabled()
    view.threshold.setValue(saved - 5)
    view.revert_button.click()
    assert view.threshold.value() == saved and not view.is_dirty()


def test_leaving_with_unsaved_changes_asks_save_discard_or_cancel(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = settings_view(sample_window)
    session = sample_window.session
    view.threshold.setValue(30)
    seen: list[str] = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Cancel, seen)
    sample_window.show_view("week")
    assert seen and "threshold" in seen[0]
    assert sample_window.current_view() == "settings" and view.is_dirty()
    assert sample_window.stack.currentWidget() is view
    # The sidebar asks the same way and stays on Settings after Cancel.
    answer_next_box(qtbot, QMessageBox.StandardButton.Cancel, seen)
    sample_window.sidebar.setCurrentRow(0)
    assert sample_window.current_view() == "settings"
    assert sample_window.sidebar.currentItem().text() == "Settings"
    # Discard: the form is the saved settings again.
    answer_next_box(qtbot, QMessageBox.StandardButton.Discard, seen)
    sample_window.show_view("trends")
    assert sample_window.current_view() == "trends"
    assert session.settings.threshold == pytest.approx(0.40)
    assert view.threshold.value() == 40 and not view.is_dirty()
    # Save: written, then left.
    settings_view(sample_window).threshold.setValue(30)
    answer_next_box(qtbot, QMessageBox.StandardButton.Save, seen)
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        sample_window.show_view("week")
    assert sample_window.current_view() == "week"
    assert session.settings.threshold == pytest.approx(0.30)
    assert "threshold = 0.3" in session.paths.rules_file.read_text(encoding="utf-8")
    assert len(seen) == 4


def test_closing_the_window_with_unsaved_changes_asks(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = settings_view(sample_window)
    view.max_bridge.setValue(3)
    seen: list[str] = []
    answer_next_box(qtbot, QMessageBox.StandardButton.Cancel, seen)
    event = QCloseEvent()
    sample_window.closeEvent(event)
    assert seen and not event.isAccepted() and view.is_dirty()
    answer_next_box(qtbot, QMessageBox.StandardButton.Discard, seen)
    event = QCloseEvent()
    sample_window.closeEvent(event)
    assert event.isAccepted() and len(seen) == 2
    # Nothing unsaved: no question.
    event = QCloseEvent()
    sample_window.closeEvent(event)
    assert event.isAccepted() and len(seen) == 2


@pytest.fixture
def unset_zone_window(
    qtbot: QtBot, pmload_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """The sample with no zone in rules.toml and none on the command line: the system's."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    ctx = Context(str(pmload_home), None)
    ctx.paths.ensure()
    install_sample(ctx.paths, ctx.conn, ctx.zone)
    rules = ctx.paths.rules_file
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("timezone")) + "\n",
        encoding="utf-8",
    )
    ctx.reload_settings()
    assert ctx.settings.timezone is None and ctx.zone.key == "Europe/Paris"
    w = make_window(qtbot, ctx)
    w.session.load_now()
    yield w
    ctx.close()


def test_saving_without_a_new_zone_does_not_say_history_was_re_read(
    qtbot: QtBot, unset_zone_window: MainWindow
) -> None:
    w = unset_zone_window
    session = w.session
    view = settings_view(w)
    assert view.zone.currentText() == "Europe/Paris"
    view.threshold.setValue(35)
    messages: list[str] = []
    session.message.connect(messages.append)
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        assert view.save()
    qtbot.waitUntil(lambda: not session.busy, timeout=10000)
    # The zone in use was written down, unchanged: no new zone, nothing re-read.
    assert session.settings.timezone == "Europe/Paris"
    assert messages[-1] == "Settings saved: all history re-classified."
    assert not any("new zone" in m for m in messages)
    # A real change of zone still says so.
    view.zone.setCurrentText("America/New_York")
    with qtbot.waitSignal(session.loaded, timeout=10000):
        assert view.save()
    qtbot.waitUntil(lambda: any("new zone" in m for m in messages), timeout=10000)
