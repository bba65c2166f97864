"""The guided Friday review: keyboard only through every step on the sample, skipping,
remembering where it stopped, settling in place, the journal check-in, the comparison."""

from __future__ import annotations

import time

import pytest
import shiboken6
from pmload_ui.friday_review import DONE, STEPS, FridayReviewDialog, saved_step
from pmload_ui.main_window import MainWindow
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QRadioButton
from pytestqt.qtbot import QtBot

from pmload.journal import Journal
from pmload.period import Period, monday_of, week_label
from pmload.rules.compare import comparison_text
from pmload.vocab import Category, Side

ALT = Qt.KeyboardModifier.AltModifier


def review_of(w: MainWindow) -> FridayReviewDialog:
    dialog = getattr(w, "friday_review", None)
    assert isinstance(dialog, FridayReviewDialog)
    return dialog


def key(qtbot: QtBot, k: Qt.Key, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press sent where the keyboard focus is, as a user's would be; a button's
    Alt+letter clicks it a moment later (animateClick), so that moment is waited for."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClick(target, k, mod)


def alt(qtbot: QtBot, dialog: FridayReviewDialog, k: Qt.Key, step: str) -> None:
    """Alt+``k`` clicks a button a moment later (animateClick): wait for ``step``."""
    key(qtbot, k, ALT)
    qtbot.waitUntil(lambda: dialog.step == step, timeout=3000)


def test_the_keyboard_alone_gets_through_every_step_on_the_sample(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    w = sample_window
    session = w.session
    started = time.perf_counter()
    w.activateWindow()
    QTest.keyClick(
        w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = review_of(w)
    qtbot.waitExposed(dialog)
    assert dialog.step == "refresh"
    # step 1: the refresh starts by itself and says what it did
    qtbot.waitUntil(lambda: dialog.refresh.done, timeout=10000)
    assert dialog.refresh.status.text() == "1 calendar file read again: none changed."
    key(qtbot, Qt.Key.Key_Return)
    # step 2: the counts, then a series tagged and the suggested sides accepted, by keys
    assert dialog.step == "settle"
    period = Period.of_weeks(dialog.week, 1)
    analysis = session.analysis
    assert analysis is not None
    groups = analysis.review_queue(period)
    unknown = [p for p in analysis.people(period) if p.side is None]
    meetings = sum(g.count for g in groups)
    assert dialog.settle.counts.text() == (
        f"{week_label(dialog.week)}: {meetings} meetings wait for a category "
        f"({sum(g.hours for g in groups):.1f} h) · {len(unknown)} people with no side"
    )
    key(qtbot, Qt.Key.Key_Tab)  # to the queue's table
    assert QApplication.focusWidget() is dialog.settle.queue
    first = dialog.settle.queue_model.group(0)
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        key(qtbot, Qt.Key.Key_2)  # coordination
    analysis = session.analysis
    assert analysis is not None
    assert {c.category for c in analysis.classified if c.occ.uid == first.uid} == {
        Category.COORDINATION
    }
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        key(qtbot, Qt.Key.Key_A, ALT)  # accept suggested sides
    assert "ravi.menon@northwind.test" in session.settings.people[Side.TECHNICAL]
    qtbot.waitUntil(lambda: not session.busy, timeout=10000)
    alt(qtbot, dialog, Qt.Key.Key_N, "journal")
    # step 3: no journal on the sample: it says so, and Enter goes on
    assert dialog.step == "journal"
    assert dialog.journal.status.text() == "You have no journal yet."
    key(qtbot, Qt.Key.Key_Return)
    # step 4: the core's comparison
    assert dialog.step == "compare"
    result = session.week_result(dialog.week)
    assert result is not None
    assert comparison_text(result.weeks[0], result.threshold) in dialog.compare.headline.text()
    assert dialog.compare.headline.text().startswith(f"{week_label(dialog.week)} so far: ")
    key(qtbot, Qt.Key.Key_Return)
    # step 5: the brief in the Export dialog, then Finish
    assert dialog.step == "export"
    assert QApplication.focusWidget() is dialog.export_page.export_button
    key(qtbot, Qt.Key.Key_Return)
    exports = [
        d for d in QApplication.topLevelWidgets() if d.windowTitle() == "Export" and d.isVisible()
    ]
    assert exports, "the Export dialog did not open"
    export = exports[-1]
    assert export.kind.currentData() == "brief"  # type: ignore[attr-defined]
    QTest.keyClick(export, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(export) or not export.isVisible())
    # the keyboard is back on Finish
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.next_button, timeout=3000)
    with qtbot.waitSignal(dialog.reviewDone):
        key(qtbot, Qt.Key.Key_F, ALT)  # Finish
    assert saved_step(w.qsettings, week_label(dialog.week)) == DONE
    elapsed = time.perf_counter() - started
    print(f"\nFriday review on the sample, keyboard only: {elapsed:.1f} s")
    assert elapsed < 120


def test_every_step_can_be_skipped_and_the_flow_resumes_where_it_stopped(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    w = sample_window
    w.start_friday_review()
    dialog = review_of(w)
    qtbot.waitUntil(lambda: dialog.refresh.done, timeout=10000)
    for expected in STEPS[1:]:
        alt(qtbot, dialog, Qt.Key.Key_S, expected)  # Skip
    assert dialog.skipped == set(STEPS[:-1])
    assert not dialog.skip_button.isEnabled()  # the last step is finished, not skipped
    alt(qtbot, dialog, Qt.Key.Key_B, "compare")  # Back
    assert saved_step(w.qsettings, dialog.label) == "compare"
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog))
    w.start_friday_review()
    again = review_of(w)
    assert again.step == "compare"  # where it stopped
    assert saved_step(w.qsettings, "2001-W01") is None  # another week starts afresh
    # jumping to the full People view closes the flow, which resumes there next time
    again.go(STEPS.index("settle"))
    again.settle.to_people.click()
    assert w.current_view() == "people"
    qtbot.waitUntil(lambda: not shiboken6.isValid(again))
    w.start_friday_review()
    assert review_of(w).step == "settle"
    review_of(w).reject()


@pytest.mark.usefixtures("fast_kdf")
def test_the_journal_check_in_unlocks_off_the_gui_thread_and_saves(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    w = sample_window
    path = w.session.paths.journal_file
    Journal.create(path, "correct horse battery").lock()
    w.start_friday_review()
    dialog = review_of(w)
    qtbot.waitUntil(lambda: dialog.refresh.done, timeout=10000)
    dialog.go(STEPS.index("journal"))
    page = dialog.journal
    assert page.passphrase.isVisible() and QApplication.focusWidget() is page.passphrase
    QTest.keyClicks(page.passphrase, "wrong passphrase")
    key(qtbot, Qt.Key.Key_Return)  # unlocks; it does not go on to the next step
    assert dialog.step == "journal"
    qtbot.waitUntil(lambda: not page._unlocking, timeout=10000)
    assert page.journal is None and page.result.text() != ""
    assert page.passphrase.text() == ""  # never kept
    QTest.keyClicks(page.passphrase, "correct horse battery")
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.journal is not None, timeout=10000)
    assert dialog.step == "journal"
    assert QApplication.focusWidget() is page.answer
    key(qtbot, Qt.Key.Key_Space)
    checkin = page.dialog
    assert isinstance(checkin, QDialog)
    qtbot.waitExposed(checkin)
    qtbot.waitUntil(
        lambda: (f := QApplication.focusWidget()) is not None and checkin.isAncestorOf(f),
        timeout=3000,
    )
    # three questions answered by keyboard: Tab into each group, Space picks its option
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert isinstance(focused, QRadioButton)
        key(qtbot, Qt.Key.Key_Space)
    with qtbot.waitSignal(page.checkedIn):
        QTest.keyClick(checkin, Qt.Key.Key_Return)
    assert page.result.text().startswith("Check-in saved. ")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.next_button, timeout=3000)
    alt(qtbot, dialog, Qt.Key.Key_N, "compare")
    assert page.journal is None  # locked again on leaving the step
    reopened = Journal.unlock(path, "correct horse battery")
    assert [c.instrument for c in reopened.data.checkins] == ["ucla"]
    assert reopened.data.checkins[0].answers == (1, 1, 1)
    dialog.reject()


def test_the_review_is_about_this_week(sample_window: MainWindow) -> None:
    w = sample_window
    w.session.set_week(w.session.week.replace(year=w.session.week.year - 1))
    w.start_friday_review()
    dialog = review_of(w)
    assert dialog.week == monday_of(w.session.today())
    dialog.reject()
