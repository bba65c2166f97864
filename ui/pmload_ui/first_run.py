"""The first-run question: which addresses are yours, and which time zone you live in.

It is asked before the first week is drawn (:meth:`pmload_ui.import_flow.ImportFlow.
ask_first_run_questions`), so its guesses come from the store alone, through the
core (:mod:`pmload.ingest.calendar_facts`): the addresses on nearly every event,
and the zone the calendar is written in (its TZID or X-WR-TIMEZONE).
"""

from __future__ import annotations

import re
from zoneinfo import available_timezones

from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from tomlkit.toml_document import TOMLDocument

from pmload.config import check_pattern, check_zone
from pmload.errors import ConfigError
from pmload.ingest.calendar_facts import calendar_zone, guess_me
from pmload_ui.session import Session


def split_addresses(text: str) -> list[str]:
    return [a for a in re.split(r"[\s,;]+", text.strip()) if a]


def zone_combo(current: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    zones = sorted(available_timezones())
    combo.addItems(zones)
    combo.setCurrentText(current)
    completer = QCompleter(zones, combo)
    completer.setCaseSensitivity(completer.caseSensitivity().CaseInsensitive)
    completer.setFilterMode(completer.filterMode().MatchContains)
    combo.setCompleter(completer)
    return combo


class FirstRunDialog(QDialog):
    """Asks once for the user's own addresses ("me") and time zone; writes rules.toml."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first-run")
        self.session = session
        self.setWindowTitle("Welcome to pmload")
        intro = QLabel(
            "pmload needs to know which addresses are yours, to tell your meetings "
            "with other people from time you block for yourself, and which time zone "
            "your weeks are in."
        )
        intro.setWordWrap(True)
        guessed = guess_me(session.ctx.conn)
        self.me = QLineEdit(", ".join(session.settings.me or guessed))
        self.me.setPlaceholderText("you@company.com, you@personal.example")
        self.me.setMinimumWidth(360)
        hint = QLabel(
            "Found in most of your events." if guessed and not session.settings.me else ""
        )
        hint.setEnabled(False)
        written_in = None if session.settings.timezone else calendar_zone(session.ctx.conn)
        self.zone = zone_combo(session.settings.timezone or written_in or session.zone_or_utc().key)
        zone_hint = QLabel("The zone your calendar is written in." if written_in else "")
        zone_hint.setEnabled(False)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        form = QFormLayout()
        form.addRow("Your email addresses:", self.me)
        if hint.text():
            form.addRow("", hint)
        form.addRow("Your time zone:", self.zone)
        if zone_hint.text():
            form.addRow("", zone_hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            me = [check_pattern(a) for a in split_addresses(self.me.text())]
            zone = check_zone(self.zone.currentText().strip())
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return

        def mutate(doc: TOMLDocument) -> None:
            doc["me"] = me
            doc["timezone"] = zone

        try:
            self.session.update_rules(mutate, "Your addresses and time zone are saved")
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        super().accept()
