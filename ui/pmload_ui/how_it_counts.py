"""Help › How pmload Counts: docs/how-it-counts.md, shown in the app.

The page ships inside the package as the resource ``how-it-counts.md`` (a copy of
docs/how-it-counts.md that tests/core/test_packaging.py keeps identical), so an
installed or frozen app shows it without a checkout or a browser.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from pmload.resources_path import read_text

RESOURCE = "how-it-counts.md"


class HowItCountsDialog(QDialog):
    """The page rendered from its Markdown; links to the web open in the browser."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("how-it-counts")
        self.setWindowTitle("How pmload Counts")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("how-it-counts-text")
        self.browser.setAccessibleName("How pmload counts")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(read_text(RESOURCE))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(min(72 * em, 960), min(48 * self.fontMetrics().height(), 760))
