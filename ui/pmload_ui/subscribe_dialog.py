"""File › Subscribe to a Calendar URL…: paste a private ICS address, check it, subscribe.

The address is a secret: the field does not echo it into any log, the dialog
never shows it again after it closes, and the core keeps it in the keyring
(pmload.ingest.subscriptions).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pmload.ingest.fetch import FetchError
from pmload.ingest.subscriptions import normalise_url
from pmload_ui.style import hex_of, warning_colour

HELP = (
    "Paste the private address your calendar service gives in iCalendar (ICS) format: "
    "Google Calendar's <i>Secret address in iCal format</i>, Outlook's published "
    "<i>ICS</i> link, an iCloud public calendar's <i>webcal://</i> link, or Fastmail's "
    "iCal link. pmload fetches it now, again when it starts and when you refresh, "
    "and keeps the address private (in your system keyring when one works); it is "
    "shown as <i>https://host/…</i> from now on."
)


class SubscribeDialog(QDialog):
    """Ask for a calendar address; ``subscribe(url)`` is called with a valid one on OK."""

    def __init__(self, subscribe: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("subscribe-dialog")
        self.setWindowTitle("Subscribe to a Calendar URL")
        self._subscribe = subscribe
        text = QLabel(HELP)
        text.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setObjectName("subscribe-url")
        self.url.setPlaceholderText("https://calendar.google.com/calendar/ical/…/basic.ics")
        self.url.setClearButtonEnabled(True)
        self.error = QLabel()
        self.error.setObjectName("subscribe-error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {hex_of(warning_colour(self.palette()))};")
        self.error.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Subscribe")
        self.ok.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.url)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _changed(self, text: str) -> None:
        self.ok.setEnabled(bool(text.strip()))
        self.error.setVisible(False)

    def accept(self) -> None:
        """Refuse what pmload never fetches here, in one sentence; else subscribe and close."""
        try:
            url = normalise_url(self.url.text())
        except FetchError as exc:
            message = str(exc)
            self.error.setText(message[:1].upper() + message[1:])
            self.error.setVisible(True)
            return
        self.url.clear()  # the secret does not stay in the widget
        super().accept()
        self._subscribe(url)
