"""The first-run view, shown while there is no calendar data."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from pmload_ui.style import hex_of, muted_text

if TYPE_CHECKING:
    from pmload_ui.import_flow import ImportFlow

GOOGLE_TIP = (
    "Read your calendars straight from Google, read-only, and keep them in sync "
    "(you need an OAuth client of your own: see the README)"
)


class WelcomeView(QWidget):
    """Three ways in: import .ics files, connect Google Calendar, or the sample calendar."""

    def __init__(
        self,
        imports: ImportFlow,
        google: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel("See where your week goes")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "pmload reads your calendar and splits your meeting time into translation, "
            "coordination and strategy. When translating between engineers and the "
            "business takes more than 40% of your meetings, it says so, week after week."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setFixedWidth(540)
        text.setMinimumHeight(text.heightForWidth(540))

        self.import_button = QPushButton("Import .ics files…")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(imports.choose_files)
        self.google_button = QPushButton("Connect Google Calendar…")
        self.google_button.setEnabled(google is not None)
        self.google_button.setToolTip(GOOGLE_TIP)
        if google is not None:
            self.google_button.clicked.connect(google)
        self.sample_button = QPushButton("Try the sample calendar")
        self.sample_button.setToolTip(
            "A few months of an AI product manager's calendar, dated to this week"
        )
        self.sample_button.clicked.connect(imports.install_sample)
        buttons = QVBoxLayout()
        buttons.setSpacing(10)
        for b in (self.import_button, self.google_button, self.sample_button):
            b.setMinimumHeight(int(b.sizeHint().height() * 1.4))
            b.setMinimumWidth(280)
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            buttons.addWidget(b, 0, Qt.AlignmentFlag.AlignHCenter)
        drop = QLabel("You can also drop .ics files or folders anywhere on this window.")
        drop.setAlignment(Qt.AlignmentFlag.AlignCenter)
        muted = f"color: {hex_of(muted_text(self.palette()))};"
        drop.setStyleSheet(muted)
        private = QLabel("Everything stays on this computer.")
        private.setAlignment(Qt.AlignmentFlag.AlignCenter)
        private.setStyleSheet(muted)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(drop)
        layout.addWidget(private)
        layout.addStretch(3)
