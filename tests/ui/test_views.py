"""The views driven through their real widgets: tagging, undo, navigation, people, trends."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from pmload_ui.main_window import MainWindow
from pmload_ui.meetings_model import COL_CATEGORY, COL_MINUTES, COL_TITLE, MeetingsModel
from pmload_ui.people_view import COL_SIDE, KeyRole, PeopleView
from pmload_ui.review_view import ReviewView
from pmload_ui.trends_view import TrendsView
from pmload_ui.week_view import WeekView
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from pmload.paths import Paths
from pmload.rules.classify import Classified
from pmload.vocab import Side
from pmload.wipe import STORE_TABLES


def week_view(w: MainWindow) -> WeekView:
    view = w.view("week")
    assert isinstance(view, WeekView)
    return view


def select_title(view: WeekView, title: str) -> Classified:
    """Select the first row with this title (through the proxy) and return its record."""
    for row in range(view.proxy.rowCount()):
        if view.proxy.index(row, COL_TITLE).data() == title:
            view.table.selectionModel().select(
                view.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            view.table.setCurrentIndex(view.proxy.index(row, 0))
            source = view.proxy.mapToSource(view.proxy.index(row, 0))
            return view.model.row_record(source.row())
    raise AssertionError(f"no row titled {title!r}")


def category_of(w: MainWindow, occurrence_id: str) -> str | None:
    assert w.session.analysis is not None
    return w.session.analysis.get(occurrence_id).category


def test_keys_tag_the_selection_and_undo_restores(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    record = select_title(view, "Design crit")
    assert record.category == "unclassified"
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_1)
    assert category_of(sample_window, record.occ.id) == "translation"
    row = view.model.row_of(record.occ.id)
    assert view.model.index(row, COL_CATEGORY).data() == "translation"
    assert view.model.row_record(row).reason is not None
    assert view.model.row_record(row).reason.startswith("tagged by you on")  # type: ignore[union-attr]
    # Only this occurrence: last week's Design crit is still unclassified.
    analysis = sample_window.session.analysis
    assert analysis is not None
    others = [
        c for c in analysis.classified if c.occ.uid == record.occ.uid and c.occ.id != record.occ.id
    ]
    assert others and all(c.category == "unclassified" for c in others)
    QTest.keyClick(view.table, Qt.Key.Key_3)
    assert category_of(sample_window, record.occ.id) == "strategy"
    stack = sample_window.session.undo_stack
    assert stack.count() == 2
    sample_window.act_undo.trigger()
    assert category_of(sample_window, record.occ.id) == "translation"
    sample_window.act_undo.trigger()
    assert category_of(sample_window, record.occ.id) == "unclassified"
    sample_window.act_redo.trigger()
    assert category_of(sample_window, record.occ.id) == "translation"
    # The selection survives re-classification.
    assert view.selected_ids() == [record.occ.id]


def test_a_tag_can_apply_to_the_whole_series(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    record = select_title(view, "Labelling vendor check")
    view.series_box.setChecked(True)
    shown = sample_window.session.analysis
    QTest.mouseClick(view.tag_buttons["coordination"], Qt.MouseButton.LeftButton)
    analysis = sample_window.session.analysis
    assert analysis is not None and shown is not None
    series = [c for c in analysis.classified if c.occ.uid == record.occ.uid and c.excluded is None]
    assert len(series) > 10
    assert {c.category for c in series} == {"coordination"}
    assert {c.rule for c in series} == {"series-tag"}
    # a copy was swapped in: what a view or the export preview held has not moved
    assert {c.category for c in shown.classified if c.occ.uid == record.occ.uid} == {"unclassified"}
    sample_window.session.undo_stack.undo()
    analysis = sample_window.session.analysis
    assert analysis is not None
    assert {c.category for c in analysis.classified if c.occ.uid == record.occ.uid} == {
        "unclassified"
    }


def test_the_category_delegate_tags(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    record = select_title(view, "ML standup")
    assert record.category == "coordination"
    index = view.table.currentIndex().siblingAtColumn(COL_CATEGORY)
    view.table.edit(index)
    editor = view.table.findChild(QComboBox)
    assert editor is not None
    assert editor.currentText() == "coordination"
    editor.setCurrentText("strategy")
    editor.activated.emit(editor.currentIndex())
    assert category_of(sample_window, record.occ.id) == "strategy"
    assert sample_window.session.undo_stack.count() == 1


def test_events_that_do_not_count_cannot_be_tagged(sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    record = select_title(view, "Gym")
    assert record.excluded == "free"
    row = view.proxy.mapFromSource(view.model.index(view.model.row_of(record.occ.id), COL_CATEGORY))
    assert not (view.proxy.flags(row) & Qt.ItemFlag.ItemIsEditable)
    assert not view.tag_selection("strategy")
    assert sample_window.session.undo_stack.count() == 0


def test_week_navigation(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    session = sample_window.session
    start = session.week
    first_rows = {view.model.row_record(r).occ.id for r in range(view.model.rowCount())}
    sample_window.act_prev.trigger()
    assert session.week == start - timedelta(weeks=1)
    rows = {view.model.row_record(r).occ.id for r in range(view.model.rowCount())}
    assert rows and rows.isdisjoint(first_rows)
    assert view.audit is not None and view.audit.start == session.week
    assert str(view.audit.week) in sample_window.week_button.text()
    sample_window.act_next.trigger()
    sample_window.act_next.trigger()
    assert session.week == start + timedelta(weeks=1)
    sample_window.act_today.trigger()
    assert session.week == start


def test_jump_to_week(qtbot: QtBot, sample_window: MainWindow) -> None:
    from pmload_ui.week_picker import WeekPicker

    picker = WeekPicker(sample_window.session.week, sample_window)
    qtbot.addWidget(picker)
    picker.typed.setText("2026-W60")
    picker.accept()
    assert not picker.error.isHidden() and "no ISO week 60" in picker.error.text()
    picker.typed.setText("2025-W10")
    picker.accept()
    assert picker.result() == 1
    assert picker.monday().isoformat() == "2025-03-03"


def test_filters(sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    total = view.proxy.rowCount()
    view.unclassified_only.setChecked(True)
    shown = [
        view.model.row_record(view.proxy.mapToSource(view.proxy.index(r, 0)).row())
        for r in range(view.proxy.rowCount())
    ]
    assert shown and all(c.category == "unclassified" for c in shown)
    view.unclassified_only.setChecked(False)
    view.category_filter.setCurrentIndex(view.category_filter.findData("translation"))
    assert 0 < view.proxy.rowCount() < total
    view.search.setText("war room")
    QTest.keyClick(view.search, Qt.Key.Key_Return)  # or a pause in typing
    titles = {view.proxy.index(r, COL_TITLE).data() for r in range(view.proxy.rowCount())}
    assert titles == {"Launch war room: ML x Sales"}
    view.category_filter.setCurrentIndex(0)
    view.search.setText("")
    QTest.keyClick(view.search, Qt.Key.Key_Return)  # or a pause in typing
    assert view.proxy.rowCount() == total
    assert f"{total} events" == view.count_label.text()


def test_sorting_goes_through_the_model(sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    view.table.sortByColumn(COL_MINUTES, Qt.SortOrder.DescendingOrder)
    minutes = [float(view.proxy.index(r, COL_MINUTES).data()) for r in range(view.proxy.rowCount())]
    assert minutes == sorted(minutes, reverse=True)


def test_review_clears_a_series_with_one_key(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("review")
    view = sample_window.view("review")
    assert isinstance(view, ReviewView)
    before = view.model.rowCount()
    top = view.model.group(view.proxy.mapToSource(view.proxy.index(0, 0)).row())
    assert top.title == "Design crit"  # the most hours waiting
    view.table.selectRow(0)
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_3)
    assert view.model.rowCount() == before - 1
    analysis = sample_window.session.analysis
    assert analysis is not None
    assert {
        c.category for c in analysis.classified if c.occ.uid == top.uid and c.excluded is None
    } == {"strategy"}
    # The next series is selected, ready for the next key.
    assert view.table.selectionModel().hasSelection()
    sample_window.session.undo_stack.undo()
    assert view.model.rowCount() == before


def test_people_side_change_reclassifies(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("people")
    view = sample_window.view("people")
    assert isinstance(view, PeopleView)
    analysis = sample_window.session.analysis
    assert analysis is not None
    vendor = [
        c
        for c in analysis.classified
        if c.occ.title == "Labelling vendor check" and c.excluded is None
    ]
    assert {c.category for c in vendor} == {"unclassified"}
    row = next(
        r
        for r in range(view.proxy.rowCount())
        if view.proxy.index(r, 0).data(KeyRole) == "sam.ortiz@labelco.test"
    )
    assert view.proxy.index(row, COL_SIDE).data() == "unknown"
    with qtbot.waitSignal(sample_window.session.reclassified, timeout=10000):
        assert view.proxy.setData(view.proxy.index(row, COL_SIDE), "technical")
    assert "sam.ortiz@labelco.test" in sample_window.session.settings.people[Side.TECHNICAL]
    vendor_ids = {c.occ.id for c in vendor}
    fresh = sample_window.session.analysis
    assert fresh is not None and fresh is not analysis  # re-classified off the GUI thread
    after = {c.category for c in fresh.classified if c.occ.id in vendor_ids}
    assert after == {"coordination"}  # everyone known, all technical
    # the Analysis the views were reading while it ran is unchanged
    assert {c.category for c in analysis.classified if c.occ.id in vendor_ids} == {"unclassified"}
    assert "sam.ortiz@labelco.test" not in analysis.settings.people[Side.TECHNICAL]
    row = next(
        r
        for r in range(view.proxy.rowCount())
        if view.proxy.index(r, 0).data(KeyRole) == "sam.ortiz@labelco.test"
    )
    assert view.proxy.index(row, COL_SIDE).data() == "technical"


def test_people_multi_select_and_suggestions(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("people")
    view = sample_window.view("people")
    assert isinstance(view, PeopleView)
    sel = view.table.selectionModel()
    wanted = {"mei.lin@northwind.test", "ravi.menon@northwind.test"}
    for r in range(view.proxy.rowCount()):
        if view.proxy.index(r, 0).data(KeyRole) in wanted:
            sel.select(
                view.proxy.index(r, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
    assert set(view.selected_keys()) == wanted
    assert view.accept_button.isEnabled()
    with qtbot.waitSignal(sample_window.session.reclassified, timeout=10000):
        QTest.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    people = sample_window.session.settings.people
    assert "mei.lin@northwind.test" in people[Side.PRODUCT]
    assert "ravi.menon@northwind.test" in people[Side.TECHNICAL]


def test_trends_hover_and_click_open_the_week(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("trends")
    view = sample_window.view("trends")
    assert isinstance(view, TrendsView)
    view.settle()
    assert view.result is not None and len(view.result.weeks) > 8
    canvas = view.chart.canvas
    assert canvas is not None and view.chart.figure is not None
    share_ax = view.chart.figure.axes[0]
    target = view.result.weeks[-5]
    i = len(view.result.weeks) - 5
    x, y = share_ax.transData.transform((i, max(target.translation_share * 50, 5)))
    ratio = canvas.device_pixel_ratio
    pos = QPoint(int(x / ratio), int(canvas.height() - y / ratio))
    QTest.mouseMove(canvas, pos)
    qtbot.waitUntil(lambda: target.week in view.hover_label.text(), timeout=3000)
    with qtbot.waitSignal(view.weekOpened, timeout=3000) as blocker:
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [target.start]
    assert sample_window.session.week == target.start
    assert sample_window.current_view() == "week"


def test_settings_save_rewrites_rules_and_reclassifies(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    from pmload_ui.settings_view import SettingsView

    sample_window.show_view("settings")
    view = sample_window.view("settings")
    assert isinstance(view, SettingsView)
    ctx = sample_window.session.ctx
    ctx.paths.rules_file.write_text(
        "# my comment\n" + ctx.paths.rules_file.read_text(encoding="utf-8"), encoding="utf-8"
    )
    view.threshold.setValue(30)
    view.max_bridge.setValue(3)
    view.zone.setCurrentText(sample_window.session.zone_or_utc().key)
    with qtbot.waitSignal(sample_window.session.reclassified, timeout=10000):
        assert view.save()
    text = ctx.paths.rules_file.read_text(encoding="utf-8")
    assert "# my comment" in text and "max_bridge_attendees = 3" in text
    assert sample_window.session.settings.threshold == 0.3
    view.zone.setCurrentText("Mars/Olympus")
    assert not view.save()
    assert "Mars/Olympus" in view.error.text()


def test_delete_all_my_data(
    qtbot: QtBot, sample_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmload_ui.settings_view import SettingsView

    import pmload.wipe

    sample_window.show_view("settings")
    view = sample_window.view("settings")
    assert isinstance(view, SettingsView)
    view.confirm_delete = lambda: False  # type: ignore[method-assign]
    assert not view.delete_all()
    assert sample_window.session.has_data()
    # a journal with its previous version beside it: both must go
    paths = sample_window.session.paths
    paths.journal_file.write_bytes(b"encrypted journal")
    backup = paths.journal_file.with_name(paths.journal_file.name + ".bak")
    backup.write_bytes(b"previous version")
    wipe_on_gui_thread: list[bool] = []
    real_wipe = pmload.wipe.delete_all_data

    def wipe(conn: sqlite3.Connection, paths: Paths) -> None:
        wipe_on_gui_thread.append(threading.current_thread() is threading.main_thread())
        real_wipe(conn, paths)

    monkeypatch.setattr(pmload.wipe, "delete_all_data", wipe)
    messages: list[str] = []
    session = sample_window.session
    session.message.connect(messages.append)
    view.confirm_delete = lambda: True  # type: ignore[method-assign]
    with qtbot.waitSignal(session.dataDeleted, timeout=20000):
        assert view.delete_all()
        # it runs in the background and the window says so; nothing is swapped in yet
        assert session.busy and sample_window._busy.isVisible()
        assert not view.delete_button.isEnabled() and "Deleting" in view.delete_button.text()
        assert messages == ["Deleting all your data…"]
        assert session.has_data()
    qtbot.waitUntil(lambda: not session.busy, timeout=10000)
    assert wipe_on_gui_thread == [False]
    assert messages[-1] == "All your data was deleted."
    assert view.delete_button.isEnabled()
    assert not session.has_data()
    for table in STORE_TABLES:
        assert session.ctx.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)
    assert not paths.rules_file.exists()
    assert not paths.journal_file.exists() and not backup.exists()
    sample_window.show_view("week")
    assert sample_window.stack.currentWidget() is sample_window.welcome


def test_item_models_pass_the_model_tester(
    qtmodeltester: object, sample_window: MainWindow
) -> None:
    tester = qtmodeltester
    week = week_view(sample_window)
    tester.check(week.model)  # type: ignore[attr-defined]
    tester.check(week.proxy)  # type: ignore[attr-defined]
    sample_window.show_view("review")
    review = sample_window.view("review")
    assert isinstance(review, ReviewView)
    tester.check(review.model)  # type: ignore[attr-defined]
    sample_window.show_view("people")
    people = sample_window.view("people")
    assert isinstance(people, PeopleView)
    tester.check(people.model)  # type: ignore[attr-defined]
    tester.check(people.proxy)  # type: ignore[attr-defined]
    empty = MeetingsModel(sample_window.session.zone_or_utc())
    tester.check(empty)  # type: ignore[attr-defined]


def test_context_menu_tags_the_whole_series_and_removes_it(sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    record = select_title(view, "Design crit")
    assert not view.series_box.isChecked()
    assert view.tag_series("strategy")
    analysis = sample_window.session.analysis
    assert analysis is not None
    series = [c for c in analysis.classified if c.occ.uid == record.occ.uid]
    assert len(series) > 3 and {c.category for c in series} == {"strategy"}
    assert not view.series_box.isChecked()
    assert view.tag_series(None)
    analysis = sample_window.session.analysis
    assert analysis is not None
    assert {c.category for c in analysis.classified if c.occ.uid == record.occ.uid} == {
        "unclassified"
    }


def test_double_click_in_review_opens_the_week(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("review")
    view = sample_window.view("review")
    assert isinstance(view, ReviewView)
    group = view.model.group(view.proxy.mapToSource(view.proxy.index(0, 0)).row())
    with qtbot.waitSignal(view.weekOpened) as blocker:
        view.table.doubleClicked.emit(view.proxy.index(0, 0))
    monday = blocker.args[0]
    assert monday.weekday() == 0
    assert sample_window.session.week == monday
    assert sample_window.current_view() == "week"
    assert any(c.occ.uid == group.uid for c in sample_window.session.week_meetings())


def test_all_weeks_shows_every_meeting_and_tags_them(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = week_view(sample_window)
    analysis = sample_window.session.analysis
    assert analysis is not None
    view.scope.setCurrentIndex(view.scope.findData("all"))
    assert view.model.rowCount() == len(analysis.classified)
    assert re.search(r" 20\d\d ", view.proxy.index(0, 0).data())  # the year is shown
    sample_window.act_prev.trigger()
    assert view.model.rowCount() == len(analysis.classified)  # the week header moves, not the table
    view.search.setText("Coffee with Ravi")
    QTest.keyClick(view.search, Qt.Key.Key_Return)  # or a pause in typing
    n = view.proxy.rowCount()
    assert n > 3
    view.table.selectAll()
    view.table.setFocus()
    QTest.keyClick(view.table, Qt.Key.Key_2)
    analysis = sample_window.session.analysis
    assert analysis is not None
    coffee = [
        c for c in analysis.classified if c.occ.title == "Coffee with Ravi" and c.excluded is None
    ]
    assert len(coffee) == n and {c.category for c in coffee} == {"coordination"}
    assert sample_window.session.undo_stack.undoText() == f"tag {n} meetings as coordination"


def test_search_applies_after_a_pause_in_typing(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    total = view.proxy.rowCount()
    QTest.keyClicks(view.search, "standup")
    assert view.proxy.rowCount() == total  # not on every key press
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 5, timeout=3000)
    assert {view.proxy.index(r, COL_TITLE).data() for r in range(5)} == {"ML standup"}


def test_charts_follow_a_switch_to_a_dark_palette(qtbot: QtBot, sample_window: MainWindow) -> None:
    from matplotlib.colors import to_hex
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    view = week_view(sample_window)
    view.settle()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    try:
        app.setPalette(dark)
        QApplication.processEvents()
        view.settle()  # draws only when the palette change marked the chart for redrawing
        assert view.chart.figure is not None
        assert to_hex(view.chart.figure.get_facecolor()) == "#202020"
        ax = view.chart.figure.axes[0]
        assert to_hex(ax.yaxis.label.get_color()) == "#eeeeee"
    finally:
        app.setPalette(before)


def test_people_side_combo_delegate(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("people")
    view = sample_window.view("people")
    assert isinstance(view, PeopleView)
    row = next(
        r
        for r in range(view.proxy.rowCount())
        if view.proxy.index(r, 0).data(KeyRole) == "taylor@cornerbakery.test"
    )
    index = view.proxy.index(row, COL_SIDE)
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = view.table.findChild(QComboBox)
    assert editor is not None and editor.currentText() == "unknown"
    editor.setCurrentText("business")
    with qtbot.waitSignal(sample_window.session.reclassified, timeout=10000):
        editor.activated.emit(editor.currentIndex())
    assert "taylor@cornerbakery.test" in sample_window.session.settings.people[Side.BUSINESS]


def test_rules_export_and_import(
    qtbot: QtBot, sample_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmload_ui.settings_view import SettingsView
    from PySide6.QtWidgets import QFileDialog

    sample_window.show_view("settings")
    view = sample_window.view("settings")
    assert isinstance(view, SettingsView)
    out = tmp_path / "exported.toml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    view.export_rules_button.click()
    assert "alex.rivera@northwind.test" in out.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('threshold = "high"\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    view.import_rules_button.click()
    assert "threshold" in view.error.text() and "line 1" in view.error.text()
    assert sample_window.session.settings.me == ("alex.rivera@northwind.test",)
    good = tmp_path / "good.toml"
    good.write_text('me = ["alex.rivera@northwind.test"]\nthreshold = 0.5\n', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    with qtbot.waitSignal(sample_window.session.reclassified, timeout=10000):
        view.import_rules_button.click()
    assert sample_window.session.settings.threshold == 0.5
    assert view.threshold.value() == 50
