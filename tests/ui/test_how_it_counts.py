"""Help › How pmload Counts shows the page in the app, from the package's resources."""

from __future__ import annotations

from pmload_ui.how_it_counts import HowItCountsDialog
from pmload_ui.main_window import MainWindow
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot


def test_the_help_menu_opens_how_pmload_counts(qtbot: QtBot, sample_window: MainWindow) -> None:
    help_menu = next(a.menu() for a in sample_window.menuBar().actions() if a.text() == "&Help")
    assert isinstance(help_menu, QMenu)
    help_items = [a.text().replace("&", "") for a in help_menu.actions()]
    assert help_items[0] == "How pmload Counts"
    assert sample_window.act_how.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    sample_window.act_how.trigger()
    dialog = sample_window.findChild(HowItCountsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    text = dialog.browser.toPlainText()
    # Rendered from Markdown: headings and emphasis, no Markdown syntax left.
    assert text.startswith("How pmload counts")
    assert 'The range, and "unsure"' in text and "The week in progress" in text
    assert "## " not in text and "**" not in text
    assert "context switches: changes of category" in text
    html = dialog.browser.toHtml()
    assert "<h2" in html or "font-size" in html
    dialog.reject()
