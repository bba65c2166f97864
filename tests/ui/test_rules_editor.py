"""The rules editor in Settings, "Make a Rule from This Meeting", and why a side is suggested."""

from __future__ import annotations

import shiboken6
from pmload_ui.main_window import MainWindow
from pmload_ui.people_view import COL_SUGGESTED, KeyRole, PeopleView
from pmload_ui.review_view import ReviewView
from pmload_ui.rules_editor import RulesEditor, RulesEditorDialog
from pmload_ui.settings_view import SettingsView
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from pmload.rules.impact import impact_text, rules_impact
from pmload.rules.rule_edits import proposed_settings
from pmload.vocab import Category, Side
from tests.ui.test_views import select_title, week_view


def editor(w: MainWindow) -> RulesEditor:
    w.show_view("settings")
    view = w.view("settings")
    assert isinstance(view, SettingsView)
    return view.rules_editor


def wait_preview(qtbot: QtBot, ed: RulesEditor) -> None:
    qtbot.waitUntil(lambda: ed.impact_label.text().startswith("Not saved yet"), timeout=10000)


def test_a_people_pattern_is_previewed_then_saved_with_comments_kept(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    session = sample_window.session
    rules_file = session.paths.rules_file
    text = rules_file.read_text(encoding="utf-8").replace("[people]", "# my people\n[people]")
    rules_file.write_text("# a hand comment\n" + text, encoding="utf-8")
    ed = editor(sample_window)
    assert not ed.save_button.isEnabled()
    ed.add_pattern_button.click()
    assert ed.pattern.hasFocus()
    QTest.keyClicks(ed.pattern, "*@labelco.test")
    ed.side.setCurrentIndex(ed.side.findData("technical"))
    wait_preview(qtbot, ed)
    analysis = session.analysis
    assert analysis is not None
    expected = rules_impact(
        analysis, proposed_settings(analysis.settings, ed.rules), session.today()
    )
    assert expected.meetings > 0
    assert ed.impact_label.text() == f"Not saved yet: {impact_text(expected)}."
    assert "re-classifies" in ed.impact_label.text() and "12-week share" in ed.impact_label.text()
    assert ed.people_label.text() == "Matches 1 person you met: sam.ortiz@labelco.test."
    # nothing is written before Save
    assert "labelco" not in rules_file.read_text(encoding="utf-8")
    with qtbot.waitSignal(session.reclassified, timeout=10000):
        assert ed.save()
    text = rules_file.read_text(encoding="utf-8")
    assert '"*@labelco.test"' in text
    assert "# a hand comment" in text
    assert "# my people\n[people]" in text
    assert "*@labelco.test" in session.settings.people[Side.TECHNICAL]
    analysis = session.analysis
    assert analysis is not None
    assert all(
        c.groups is not None and "sam.ortiz@labelco.test" in c.groups.technical
        for c in analysis.classified
        if "sam.ortiz@labelco.test" in c.people and c.counted
    )
    assert not ed.dirty and ed.impact_label.text() != ""


def test_a_keyword_rule_shows_the_titles_it_matches_and_can_be_reverted(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    ed = editor(sample_window)
    saved = ed.rules
    ed.add_rule_button.click()
    assert ed.keywords.hasFocus()
    QTest.keyClicks(ed.keywords, "crit, go/no-go")
    ed.category.setCurrentIndex(ed.category.findData("strategy"))
    wait_preview(qtbot, ed)
    assert ed.titles_label.text().startswith("Matches 2 titles: “Design crit” (")
    assert "“Launch go/no-go” (" in ed.titles_label.text()
    assert ed.rules.keyword_rules[-1].keywords == ("crit", "go/no-go")
    # a keyword inside a word does not match
    QTest.keyClick(ed.keywords, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(ed.keywords, "cri")
    qtbot.waitUntil(lambda: "no meeting title" in ed.titles_label.text(), timeout=10000)
    ed.revert_button.click()
    assert ed.rules == saved and not ed.save_button.isEnabled()
    # an empty rule is refused with one sentence, and nothing is written
    ed.add_rule_button.click()
    assert not ed.save()
    assert ed.error.text() == "A keyword rule needs at least one keyword."


def open_make_rule_menu(view: QWidget) -> QMenu:
    menus = [m for m in view.findChildren(QMenu) if m.objectName() == "make-rule-menu"]
    assert menus, "no Make a Rule menu"
    return menus[-1]


def test_make_a_rule_from_a_week_meeting_title(qtbot: QtBot, sample_window: MainWindow) -> None:
    view = week_view(sample_window)
    select_title(view, "Design crit")
    view.context_menu(QPoint(10, 10))
    menu = open_make_rule_menu(view)
    titles = [a.text() for a in menu.actions()]
    assert titles[0] == "From Its Title: “design crit”…"
    menu.actions()[0].trigger()
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, RulesEditorDialog))
    ed = dialog.editor
    assert ed.rules.keyword_rules[-1].keywords == ("design crit",)
    assert ed.keywords.text() == "design crit"
    ed.category.setCurrentIndex(ed.category.findData("coordination"))
    wait_preview(qtbot, ed)
    assert "from the review queue" in ed.impact_label.text()
    with qtbot.waitSignal(sample_window.session.reclassified, timeout=10000):
        QTest.keyClick(ed.keywords, Qt.Key.Key_Return)  # Enter saves; it adds no rule
    assert [r.keywords for r in sample_window.session.settings.rules] == [
        ("pricing council",),
        ("design crit",),
    ]
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=3000)  # closed, deleted
    analysis = sample_window.session.analysis
    assert analysis is not None
    crits = [c for c in analysis.classified if c.occ.title == "Design crit" and c.counted]
    assert crits and {c.category for c in crits} == {Category.COORDINATION}
    for m in view.findChildren(QMenu):
        m.close()


def test_make_a_rule_from_a_review_row_uses_the_peoples_domain(
    qtbot: QtBot, sample_window: MainWindow
) -> None:
    sample_window.show_view("review")
    view = sample_window.view("review")
    assert isinstance(view, ReviewView)
    row = next(
        r
        for r in range(view.model.rowCount())
        if view.model.group(r).title == "Labelling vendor check"
    )
    view.table.selectRow(view.proxy.mapFromSource(view.model.index(row, 0)).row())
    assert view.context_menu(QPoint(10, 10)) is not None
    menu = open_make_rule_menu(view)
    people = next(a for a in menu.actions() if a.text().startswith("From Its People"))
    assert people.text() == "From Its People: *@labelco.test…"
    people.trigger()
    dialog = next(d for d in QApplication.topLevelWidgets() if isinstance(d, RulesEditorDialog))
    ed = dialog.editor
    assert ed.pattern.text() == "*@labelco.test"
    wait_preview(qtbot, ed)
    assert ed.people_label.text() == "Matches 1 person you met: sam.ortiz@labelco.test."
    dialog.reject()


def test_people_view_says_why_a_side_is_suggested(qtbot: QtBot, sample_window: MainWindow) -> None:
    sample_window.show_view("people")
    view = sample_window.view("people")
    assert isinstance(view, PeopleView)
    for row in range(view.proxy.rowCount()):
        if view.proxy.index(row, 0).data(KeyRole) == "ravi.menon@northwind.test":
            cell = view.proxy.index(row, COL_SUGGESTED)
            assert cell.data() == "technical · met mostly with technical people"
            assert cell.data(Qt.ItemDataRole.ToolTipRole) == (
                "Suggested technical: met mostly with technical people"
            )
            return
    raise AssertionError("ravi is not listed")
