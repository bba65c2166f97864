"""The Week header, week navigation and the Export dialog's week tell the core's verdicts.

On the calendar of tests/ui/verdict_calendar.py, with today frozen on Wednesday of
2026-W10: what a PM reads must never reassure on unknown data (an unsure week is
never "under"), the week in progress is "so far" and never in the past tense, a
week without calendar data says so, and the verdict colours are the charts' own.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from pmload_ui.export_dialog import ExportDialog
from pmload_ui.main_window import MainWindow
from pmload_ui.meetings_model import COL_TITLE, COL_WHEN
from pmload_ui.people_view import KeyRole, PeopleView
from pmload_ui.style import VERDICT_HEX, verdict_text_colour
from pmload_ui.week_picker import WeekPicker
from pmload_ui.week_view import WeekView
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tomlkit.toml_document import TOMLDocument

from pmload.context import Context
from pmload.export.charts.style import VERDICT_COLOURS
from pmload.period import parse_week
from pmload.vocab import Verdict
from tests.ui.conftest import make_window
from tests.ui.verdict_calendar import PEOPLE, PRICING, RULES, frozen_today, import_calendar

Opener = Callable[..., MainWindow]


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path) -> Iterator[Opener]:
    """open_window(rules, *extra_events): the app over the calendar, today frozen."""
    contexts: list[Context] = []
    with frozen_today():

        def opener(rules: str = RULES + PEOPLE, *extra: str) -> MainWindow:
            import_calendar(tmp_path, rules, *extra)
            ctx = Context()
            contexts.append(ctx)
            window = make_window(qtbot, ctx)
            window.session.load_now()
            window.show_view("week")
            window.show()
            qtbot.waitExposed(window)
            return window

        yield opener
    for ctx in contexts:
        ctx.close()


def week_view(window: MainWindow, week: str | None = None) -> WeekView:
    if week is not None:
        window.session.set_week(parse_week(week))
    view = window.view("week")
    assert isinstance(view, WeekView)
    return view


def hue_of(css: str) -> QColor:
    return QColor(css.split("color:")[1].strip(" ;"))


def test_an_unsure_week_shows_its_range_in_grey_and_leads_to_the_people_who_settle_it(
    qtbot: QtBot, open_window: Opener
) -> None:
    window = open_window(RULES)  # nobody's side is known yet: the false all-clear's case
    view = week_view(window, "2026-W08")
    # 2 h of Model chat and 3 h of Vendor call are unclassified, 1 h of sync is not.
    assert view.share_label.text() == "0–83%"
    text = view.verdict_label.text()
    assert text.startswith("Unsure: 0–83%, 5.0 h unclassified.")
    assert "under" not in text.lower() and not re.search(r"(?<![\d.–])0%", text)
    colour = hue_of(view.share_label.styleSheet())
    assert colour.hsvSaturation() == 0  # the neutral grey, not green or blue
    assert colour == verdict_text_colour(Verdict.UNSURE, view.palette(), 3.0)
    assert view.header.swatch.verdict is Verdict.UNSURE
    assert view.share_label.accessibleName() == "Translation share"
    assert view.share_label.accessibleDescription() == text
    assert view.verdict_label.accessibleName() == "Verdict"
    button = view.settle_button
    assert button.isVisible() and button.text() == "Set sides for 3 people"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.current_view() == "people"
    people = window.view("people")
    assert isinstance(people, PeopleView)
    shown = {people.proxy.index(r, 0).data(KeyRole) for r in range(people.proxy.rowCount())}
    assert shown == {"priya@eng.acme.test", "cfo@acme.test", "vendor@outside.test"}
    assert "3 people with no side in 2026-W08" in people.search.placeholderText()
    QTest.keyClicks(people.search, "@")  # typing filters everyone again
    assert people.proxy.rowCount() == 3 and people.model.rowCount() == 3
    people.search.clear()
    assert people.search.placeholderText() == "Filter people"


def test_an_unsure_week_whose_people_are_all_known_leads_to_review(
    qtbot: QtBot, open_window: Opener
) -> None:
    window = open_window(RULES + PEOPLE, PRICING)
    view = week_view(window, "2026-W09")
    assert view.share_label.text() == "33–83%"
    assert view.settle_button.text() == "Review 1 series"
    QTest.mouseClick(view.settle_button, Qt.MouseButton.LeftButton)
    assert window.current_view() == "review"
    # A settled week has no button.
    view = week_view(window, "2026-W07")
    window.show_view("week")
    assert view.audit is not None and view.audit.verdict is Verdict.OVER
    assert view.settle_button.isHidden()


def test_over_and_under_take_the_charts_colours_and_the_threshold_as_set(
    qtbot: QtBot, open_window: Opener
) -> None:
    assert {v: h.upper() for v, h in VERDICT_HEX.items()} == {
        v: h.upper() for v, h in VERDICT_COLOURS.items()
    }
    window = open_window()
    view = week_view(window, "2026-W07")
    assert view.share_label.text() == "67%"
    over = hue_of(view.share_label.styleSheet())
    assert abs(over.hsvHue() - QColor(VERDICT_COLOURS[Verdict.OVER]).hsvHue()) <= 4
    assert view.verdict_label.text().startswith("Over the 40% line — the 3rd week in a row:")
    # A threshold of 67%: 66.7% is under it, and one decimal says so.
    session = window.session

    def threshold(value: float) -> Callable[[TOMLDocument], None]:
        def mutate(doc: TOMLDocument) -> None:
            doc["threshold"] = value

        return mutate

    with qtbot.waitSignal(session.reclassified, timeout=10_000):
        session.update_rules(threshold(0.67), "Threshold")
    assert view.share_label.text() == "66.7%"
    assert "(line: 67%)" in view.share_caption.text()
    assert view.verdict_label.text().startswith("Under the 67% line: 2.0 h of your 3.0 h")
    under = hue_of(view.share_label.styleSheet())
    assert abs(under.hsvHue() - QColor(VERDICT_COLOURS[Verdict.UNDER]).hsvHue()) <= 4
    assert view.header.swatch.verdict is Verdict.UNDER
    with qtbot.waitSignal(session.reclassified, timeout=10_000):
        session.update_rules(threshold(0.375), "Threshold")
    assert "(line: 37.5%)" in view.share_caption.text()
    assert "Over the 37.5% line" in view.verdict_label.text()


def test_the_week_in_progress_is_so_far_and_its_meetings_to_come_are_scheduled(
    qtbot: QtBot, open_window: Opener
) -> None:
    window = open_window()
    view = week_view(window)  # opens on the week in progress: a meeting of it has started
    assert window.session.week == date(2026, 3, 2)
    assert "week 2026-W10 so far" in view.share_caption.text()
    text = view.verdict_label.text()
    assert text.startswith("This week so far: 50%, over the 40% line: 2.0 h of your 4.0 h")
    assert "held and still to come, are translation" in text
    assert " were " not in text and "in a row" not in text  # no streak for an unfinished week
    assert "(1 scheduled, still to come)" in view.facts_label.text()
    assert "focus time as scheduled" in view.facts_label.text()
    rows = {view.model.index(r, COL_TITLE).data(): r for r in range(view.model.rowCount())}
    future, held = rows["Roadmap review"], rows["Model chat"]
    tip = view.model.index(future, COL_WHEN).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Scheduled: this meeting is still to come"
    font = view.model.index(future, COL_TITLE).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert view.model.index(held, COL_WHEN).data(Qt.ItemDataRole.ToolTipRole) is None
    # The streak shown is the complete weeks' one: W09 follows an unsure week.
    view = week_view(window, "2026-W09")
    assert view.verdict_label.text().startswith("Over the 40% line: 2.0 h of your 3.0 h")
    view = week_view(window, "2026-W11")
    assert "week 2026-W11, scheduled" in view.share_caption.text()
    assert view.verdict_label.text().startswith("As scheduled: 67%, over the 40% line: 2.0 h")
    assert "meetings scheduled are translation" in view.verdict_label.text()


def test_a_week_without_data_says_so_and_navigation_stops_at_the_calendar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with frozen_today():
        import_calendar(tmp_path, RULES + PEOPLE)
    # Six weeks later the calendar has not been imported again: W12..W16 have no data.
    with freeze_time("2026-04-15 12:00:00", tz_offset=0, tick=True):
        ctx = Context()
        try:
            window = make_window(qtbot, ctx)
            window.session.load_now()
            window.show_view("week")
            session = window.session
            assert session.week == date(2026, 3, 9)  # the last complete week with data
            assert session.week_bounds() == (date(2026, 1, 26), date(2026, 4, 13))
            view = week_view(window, "2026-W14")
            assert view.share_label.text() == "–"
            assert view.verdict_label.text() == "No calendar data for this week."
            facts = view.facts_label.text()
            assert "focus time" not in facts and "0%" not in view.share_label.text()
            assert "your calendar has data from 2026-W05 to 2026-W11" in facts
            assert view.settle_button.isHidden() and view.header.swatch.isHidden()
            # Navigation: from the first week with data to the week in progress.
            session.set_week(date(2026, 1, 26))
            assert not window.act_prev.isEnabled() and window.act_next.isEnabled()
            window.act_prev.trigger()
            session.step_week(-1)
            assert session.week == date(2026, 1, 26)
            session.set_week(date(2026, 4, 13))
            assert window.act_prev.isEnabled() and not window.act_next.isEnabled()
            QTest.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
            session.step_week(1)
            assert session.week == date(2026, 4, 13)
            session.set_week(date(2030, 1, 7))
            assert session.week == date(2026, 4, 13)
            picker = WeekPicker(session.week, window, bounds=session.week_bounds())
            qtbot.addWidget(picker)
            assert picker.calendar.minimumDate().toPython() == date(2026, 1, 26)
            assert picker.calendar.maximumDate().toPython() == date(2026, 4, 19)
            picker.typed.setText("2026-W20")
            picker.accept()
            assert picker.result() == 0 and not picker.error.isHidden()
            assert picker.error.text() == (
                "2026-W20 is outside your calendar: choose a week from 2026-W05 to 2026-W16."
            )
            picker.typed.setText("2026-W06")
            picker.accept()
            assert picker.result() == 1 and picker.monday() == date(2026, 2, 2)
        finally:
            window.close()
            ctx.close()


def _svg_texts(path: Path) -> list[str]:
    return [
        "".join(t.itertext()).strip()
        for t in ET.parse(path).iter()
        if t.tag.endswith("text") and "".join(t.itertext()).strip()
    ]


def _dialog(qtbot: QtBot, window: MainWindow) -> ExportDialog:
    window.export()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog)]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=20_000)
    return dialog


def _choose(qtbot: QtBot, dialog: ExportDialog, combo: str, value: object) -> None:
    box = getattr(dialog, combo)
    with qtbot.waitSignal(dialog.previewReady, timeout=20_000):
        box.setCurrentIndex(box.findData(value))


def test_the_week_chart_exports_the_week_on_screen_or_any_other_and_the_set_threshold(
    qtbot: QtBot, open_window: Opener, tmp_path: Path
) -> None:
    window = open_window()
    week_view(window, "2026-W08")
    dialog = _dialog(qtbot, window)
    _choose(qtbot, dialog, "kind", "week")
    assert dialog.week.isVisibleTo(dialog) and not dialog.weeks.isVisibleTo(dialog)
    assert dialog.week.currentText() == "2026-W08 (16 Feb - 22 Feb 2026)"
    assert dialog.period_label.text() == "2026-W08: the week on screen"
    title = " ".join(_svg_texts(dialog.save_to(tmp_path / "w08.svg")))
    assert "Week 2026-W08" in title and "unsure: 33–83%" in title
    # Any other week: the one in progress, named as such.
    _choose(qtbot, dialog, "week", "2026-03-02")
    assert dialog.week.currentText() == "2026-W10 so far (2 Mar - 8 Mar 2026)"
    assert dialog.period_label.text() == "2026-W10 (on screen: 2026-W08)"
    assert "Week 2026-W10 so far" in " ".join(_svg_texts(dialog.save_to(tmp_path / "w10.svg")))
    texts = [dialog.week.itemText(i) for i in range(dialog.week.count())]
    assert texts[0].startswith("2026-W11, scheduled") and texts[-1].startswith("2026-W05 (")
    # A threshold saved while the dialog is open: the preview follows the settings.
    _choose(qtbot, dialog, "kind", "share")

    def mutate(doc: TOMLDocument) -> None:
        doc["threshold"] = 0.35

    with qtbot.waitSignal(dialog.previewReady, timeout=20_000):
        window.session.update_rules(mutate, "Threshold")
    assert any("threshold 35%" in t for t in _svg_texts(dialog.save_to(tmp_path / "s.svg")))
    dialog.close()


def test_navigation_stays_clamped_after_a_reload(qtbot: QtBot, open_window: Opener) -> None:
    window = open_window()
    session = window.session
    session.set_week(date(2026, 3, 16))  # W12: after the last week with data and today
    assert session.week == date(2026, 3, 9)
    session.load_now()
    assert session.week == date(2026, 3, 9)
    assert not window.act_next.isEnabled()
    session.step_week(-1)
    assert window.act_next.isEnabled()
    assert session.week == date(2026, 3, 9) - timedelta(weeks=1)
