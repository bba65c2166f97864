"""From numbers to a plan, in the app: comparisons, what-if, notes and the brief's asks.

Every figure the app shows is checked against the core function the CLI prints
(pmload.rules.compare, pmload.rules.whatif, pmload.export.asks), on the sample
calendar, driving the real widgets.
"""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path
from typing import Any

from pmload_ui.export_dialog import ExportDialog
from pmload_ui.main_window import MainWindow
from pmload_ui.meetings_model import COL_TITLE, NOTE_MARK
from pmload_ui.notes_ui import book_for
from pmload_ui.review_view import ReviewView
from pmload_ui.trends_view import TrendsView
from pmload_ui.week_view import WeekView
from pmload_ui.whatif_panel import ACTIONS, WhatIfPanel, plan_for, result_text
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from pmload.export.asks import asks_of
from pmload.export.render import default_period
from pmload.rules.compare import comparison_text, next_week_text
from pmload.rules.notes import load_notes
from pmload.rules.whatif import SeriesChange, what_if
from pmload.vocab import Category, WhatIfChange


def _week(window: MainWindow) -> WeekView:
    view = window.view("week")
    assert isinstance(view, WeekView)
    return view


def _translation_row(view: WeekView) -> tuple[int, Any]:
    for row in range(view.proxy.rowCount()):
        oid = view.proxy.occurrence_ids([row])[0]
        c = view.session.analysis.get(oid)  # type: ignore[union-attr]
        if c.excluded is None and c.category is Category.TRANSLATION:
            return row, c
    raise AssertionError("the sample's week has a translation meeting")


def _trigger(menu: QMenu, text: str) -> None:
    for action in menu.actions():
        if action.text() == text:
            action.trigger()
            return
    raise AssertionError(f"no menu action {text!r} in {[a.text() for a in menu.actions()]}")


def test_week_header_compares_with_last_week_the_average_and_next_week(
    sample_window: MainWindow,
) -> None:
    view = _week(sample_window)
    session = view.session
    result = session.week_result()
    assert result is not None and result.next_week is not None
    w = result.weeks[0]
    assert w.in_progress  # the sample's default week is this week
    thr = session.settings.threshold
    text = view.header.compare_label.text()
    assert view.header.compare_label.isVisibleTo(view)
    assert text == (
        f"This week so far: {comparison_text(w, thr)}.\n{next_week_text(result.next_week, thr)}."
    )
    assert "on last week" in text and "4-week average" in text
    assert "scheduled so far" in text
    # An unsure week or baseline is never compared without saying so.
    if w.verdict == "unsure" or (w.baseline is not None and w.baseline.unsure):
        assert "known translation only" in text
    # A complete week far back: no next-week line, no "so far".
    session.step_week(-8)
    later = view.header.compare_label.text()
    assert not later.startswith("This week") and "Next week" not in later
    sample_window.grab().save(str(Path(session.paths.cache_dir) / "week-compare.png"))


def test_what_if_from_the_week_and_review_stacks_removes_and_goes_to_the_brief(
    qtbot: QtBot, sample_window: MainWindow, tmp_path: Path
) -> None:
    view = _week(sample_window)
    session = view.session
    analysis = session.analysis
    assert analysis is not None
    panel = view.what_if
    assert isinstance(panel, WhatIfPanel) and not panel.isVisibleTo(view)
    row, meeting = _translation_row(view)
    view.table.selectRow(row)
    menu = QMenu(view)
    view._plan_actions(menu, view.selected_ids())
    with qtbot.waitSignal(panel.resultReady, timeout=20_000):
        _trigger(menu, ACTIONS[WhatIfChange.SHARED])
    assert panel.isVisibleTo(view)
    period = panel.period()
    expected = what_if(
        analysis,
        period,
        [SeriesChange(meeting.occ.uid, WhatIfChange.SHARED)],
        today=session.today(),
    )
    assert panel.figures.text() == result_text(expected)
    assert period == default_period("brief", session.today())  # the brief's weeks

    # A second change from the Review view stacks on the first; both panels agree.
    sample_window.show_view("review")
    review = sample_window.view("review")
    assert isinstance(review, ReviewView)
    review.table.selectRow(0)
    group = review.selected_groups()[0]
    menu = QMenu(review)
    review_panel = review.what_if
    with qtbot.waitSignal(review_panel.resultReady, timeout=20_000):
        assert review.fill_menu(menu)
        _trigger(menu, ACTIONS[WhatIfChange.WITHOUT])
    plan = plan_for(session)
    assert [(c.uid, c.what) for c in plan.changes] == [
        (meeting.occ.uid, WhatIfChange.SHARED),
        (group.uid, WhatIfChange.WITHOUT),
    ]
    both = what_if(analysis, period, plan.changes, today=session.today())
    assert review_panel.figures.text() == result_text(both)
    assert review_panel.changes_box.count() == 2

    # Propose the stack for the brief, then remove the second change.
    review_panel.propose_button.click()
    assert plan.proposals == [tuple(plan.changes)]
    assert not review_panel.propose_button.isEnabled()
    with qtbot.waitSignal(panel.resultReady, timeout=20_000):
        plan.remove(group.uid)
    assert panel.figures.text() == result_text(expected)
    assert panel.propose_button.isEnabled()  # this smaller stack is not proposed yet

    # The Export dialog's asks start with the proposal's sentence.
    dialog = ExportDialog(
        analysis, session.paths, sample_window, today=session.today(), proposals=plan.proposals
    )
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        dialog.show()
    first = dialog.asks_lines()[0]
    assert first.startswith(f"- Sharing '{meeting.occ.title}' with a second bridge and dropping")
    assert "would bring my share from" in first

    panel.clear_button.click()
    assert not plan.changes and not panel.isVisibleTo(view)
    assert plan.proposals  # the proposal stays for the brief


def test_notes_from_week_and_review_are_shown_searched_and_kept(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = _week(sample_window)
    session = view.session
    row, meeting = _translation_row(view)
    dialog = view.edit_note(meeting.occ.id)
    assert dialog is not None and not dialog.series_box.isChecked()
    dialog.text.setPlainText("Only I can explain the eval contract to sales")
    assert dialog.save()
    title = view.proxy.index(row, COL_TITLE)
    assert str(title.data()).startswith(NOTE_MARK)
    assert "Only I can explain the eval contract" in str(title.data(Qt.ItemDataRole.ToolTipRole))
    view.search.setText("eval contract")
    view._filters_changed()
    assert view.proxy.rowCount() == 1
    assert view.proxy.occurrence_ids([0]) == [meeting.occ.id]
    view.search.setText("")
    view._filters_changed()

    # A series note from Review shows on that series' row.
    sample_window.show_view("review")
    review = sample_window.view("review")
    assert isinstance(review, ReviewView)
    review.table.selectRow(0)
    group = review.selected_groups()[0]
    note = review.edit_note(group)
    assert note.series_box.isChecked()
    note.text.setPlainText("Needs a side for Mei; then it is coordination")
    assert note.save()
    cell = review.proxy.index(0, 0)
    assert str(cell.data()).startswith(NOTE_MARK)
    assert "Needs a side for Mei" in str(cell.data(Qt.ItemDataRole.ToolTipRole))

    # Stored keyed like tags, read again after a reload; clearing removes the mark.
    stored = load_notes(session.ctx.conn)
    assert stored.of(meeting.occ) == "Only I can explain the eval contract to sales"
    assert stored.series[group.uid].text == "Needs a side for Mei; then it is coordination"
    session.load_now()
    assert book_for(session).of(meeting.occ) == "Only I can explain the eval contract to sales"
    again = view.edit_note(meeting.occ.id)
    assert again is not None
    assert again.text.toPlainText() == "Only I can explain the eval contract to sales"
    again.text.setPlainText("")
    assert again.save()
    row = next(
        r
        for r in range(view.proxy.rowCount())
        if view.proxy.occurrence_ids([r])[0] == meeting.occ.id
    )
    assert not str(view.proxy.index(row, COL_TITLE).data()).startswith(NOTE_MARK)


def test_export_dialog_asks_are_edited_remembered_and_recalled_next_week(
    qtbot: QtBot, sample_window: MainWindow, tmp_path: Path
) -> None:
    session = sample_window.session
    analysis = session.analysis
    today = session.today()
    dialog = ExportDialog(analysis, session.paths, sample_window, today=today)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        dialog.show()
    assert dialog.asks_box.isVisibleTo(dialog)
    assert dialog.asks_lines() and all(line.startswith("- ") for line in dialog.asks_lines())
    with qtbot.waitSignal(dialog.previewReady, timeout=30_000):
        dialog.asks_edit.setPlainText("- A second bridge for the model reviews\n- Shared KPIs")
    out = dialog.save_to(tmp_path / "brief.pdf")
    page = " ".join(str(PdfReader(out).pages[0].extract_text()).split())
    assert "A second bridge for the model reviews" in page
    saved = asks_of(session.ctx.conn, default_period("brief", today))
    assert saved is not None and saved.asks == (
        "A second bridge for the model reviews",
        "Shared KPIs",
    )

    # Too many asks: one sentence in the dialog, no preview, nothing saved.
    dialog.asks_edit.setPlainText("\n".join(f"- ask {i}" for i in range(7)))
    qtbot.waitUntil(lambda: "room for 5 asks" in dialog.status.text(), timeout=30_000)
    assert not dialog.save_button.isEnabled()
    dialog.close()

    # A week later the brief recalls what was asked and how the share moved.
    later = ExportDialog(analysis, session.paths, sample_window, today=today + timedelta(days=7))
    qtbot.addWidget(later)
    with qtbot.waitSignal(later.previewReady, timeout=30_000):
        later.show()
    out = later.save_to(tmp_path / "next.pdf")
    page = " ".join(str(PdfReader(out).pages[0].extract_text()).split())
    assert "I asked: A second bridge for the model reviews; Shared KPIs" in page
    assert "Since then my share" in page
    later.grab().save(str(tmp_path / "export-asks.png"))


def test_trends_rolling_line_toggle(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("trends")
    trends = sample_window.view("trends")
    assert isinstance(trends, TrendsView)
    labels = [str(ln.get_label()) for ln in trends._build(8, 6).axes[0].get_lines()]
    assert not any(label.startswith("4-week average") for label in labels)
    trends.rolling_box.setChecked(True)
    fig = trends._build(8, 6)
    line = next(ln for ln in fig.axes[0].get_lines() if str(ln.get_label()).startswith("4-week"))
    assert trends.result is not None
    expected = [w.rolling_4w for w in trends.result.weeks]
    data: Any = line.get_ydata()
    ys = [float(y) for y in data]
    for y, r in zip(ys, expected, strict=True):
        assert (r is None and math.isnan(y)) or (r is not None and abs(y - r * 100) < 1e-9)


def test_what_if_of_a_series_gone_from_the_calendar_is_dropped_on_reload(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    view = _week(sample_window)
    plan = plan_for(view.session)
    plan.add("no-longer-there@test", WhatIfChange.SHARED, "Old sync")
    qtbot.waitUntil(
        lambda: "no longer on your calendar" in view.what_if.figures.text(), timeout=20_000
    )
    assert view.what_if.result is None and not view.what_if.propose_button.isEnabled()
    messages: list[str] = []
    view.session.message.connect(messages.append)
    view.session.load_now()
    assert plan.changes == [] and not view.what_if.isVisibleTo(view)
    assert messages == ["What-if: a series you were trying is no longer on your calendar."]


def test_a_note_is_undone_and_redone_and_a_long_one_is_refused(sample_window: MainWindow) -> None:
    view = _week(sample_window)
    session = view.session
    _row, meeting = _translation_row(view)
    book = book_for(session)
    dialog = view.edit_note(meeting.occ.id)
    assert dialog is not None
    dialog.text.setPlainText("x" * 2001)
    assert not dialog.save()
    assert dialog.error.text() == "A note holds at most 2000 characters; this one has 2001."
    assert book.of(meeting.occ) == ""
    dialog.text.setPlainText("first words")
    assert dialog.save()
    assert session.undo_stack.undoText() == f"note on '{meeting.occ.title}'"
    session.undo_stack.undo()
    assert book.of(meeting.occ) == "" and load_notes(session.ctx.conn).of(meeting.occ) == ""
    session.undo_stack.redo()
    assert load_notes(session.ctx.conn).of(meeting.occ) == "first words"
