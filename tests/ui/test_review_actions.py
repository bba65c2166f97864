"""Review's group actions say how many meetings they tag, and a series' title makes a rule."""

from __future__ import annotations

from pmload_ui.main_window import MainWindow
from pmload_ui.review_view import ReviewView
from pmload_ui.rules_editor import RulesEditorDialog
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.test_review_to_people import review_of, row_titled


def test_tag_all_n_and_make_a_keyword_rule(qtbot: QtBot, sample_window: MainWindow) -> None:
    view: ReviewView = review_of(sample_window)
    row = row_titled(view, "Lunch & learn: prompt evals")
    view.table.clearSelection()
    view.table.selectRow(row)
    [group] = view.selected_groups()
    assert view.tag_label.text() == f"Tag all {group.count} meetings of the selection as:"
    assert view.rule_button.isEnabled()
    view.rule_button.click()
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RulesEditorDialog))
    assert dialog.isVisible()
    assert dialog.editor.dirty  # the drafted rule is added, not yet saved
    rules = [dialog.editor.rule_list.item(i).text() for i in range(dialog.editor.rule_list.count())]
    assert any("lunch" in r.lower() or "evals" in r.lower() for r in rules)
    dialog.reject()
    view.table.clearSelection()
    assert view.tag_label.text() == "Tag the selected series as:"
    assert not view.rule_button.isEnabled()
