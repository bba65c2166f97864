"""Small dialogs of the Journal view: check-ins, passphrases, delete confirmation.

They collect input only; the Journal view calls the core with what they return.
Passphrases live in the line edits until the dialog closes and are never stored.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pmload.journal.instruments import Instrument
from pmload.journal.vault import MIN_PASSPHRASE

NO_RECOVERY = (
    "There is no way to recover the journal without this passphrase: "
    "if you forget it, the journal is lost."
)


class CheckInDialog(QDialog):
    """One group of radio buttons per question; OK is enabled once all are answered."""

    def __init__(self, instrument: Instrument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.instrument = instrument
        self.setWindowTitle(instrument.title)
        outer = QVBoxLayout(self)
        intro = QLabel(instrument.intro + " There are no right or wrong answers.", self)
        intro.setWordWrap(True)
        outer.addWidget(intro)
        inner = QWidget()
        col = QVBoxLayout(inner)
        self.groups: list[QButtonGroup] = []
        for n, item in enumerate(instrument.items, 1):
            box = QGroupBox(f"{n}. {item.text}", inner)
            row = QVBoxLayout(box)
            group = QButtonGroup(box)
            for i, option in enumerate(item.options, 1):
                button = QRadioButton(option, box)
                group.addButton(button, i)
                row.addWidget(button)
            group.idClicked.connect(self._update)
            self.groups.append(group)
            col.addWidget(box)
        scroll = QScrollArea(self)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll, 1)
        note = QLabel("A self-check for reflection, not a diagnosis.", self)
        outer.addWidget(note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self._update()
        self.resize(560, 640 if len(instrument.items) > 3 else 420)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(all(g.checkedId() > 0 for g in self.groups))

    def choose(self, answers: tuple[int, ...]) -> None:
        """Tick the given option numbers (1 = first option)."""
        for group, a in zip(self.groups, answers, strict=True):
            group.button(a).setChecked(True)
        self._update()

    def answers(self) -> tuple[int, ...]:
        return tuple(g.checkedId() for g in self.groups)


class NewPassphraseDialog(QDialog):
    """Asks for the current passphrase (optional) and a new one twice."""

    def __init__(self, title: str, ask_current: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        self.current = QLineEdit(self)
        self.new = QLineEdit(self)
        self.again = QLineEdit(self)
        for edit in (self.current, self.new, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._update)
        if ask_current:
            form.addRow("Current passphrase:", self.current)
        else:
            self.current.hide()
        form.addRow("New passphrase:", self.new)
        form.addRow("Type it again:", self.again)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        form.addRow(self.hint)
        warning = QLabel(NO_RECOVERY, self)
        warning.setWordWrap(True)
        form.addRow(warning)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._ask_current = ask_current
        self._update()
        self.setMinimumWidth(440)

    def _update(self) -> None:
        problem = passphrase_problem(self.new.text(), self.again.text())
        if self._ask_current and not self.current.text():
            problem = problem or "Type your current passphrase."
        self.hint.setText(problem or "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)


class PassphraseDialog(QDialog):
    """Asks for one passphrase (e.g. the passphrase of a backup being restored)."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        label = QLabel(text, self)
        label.setWordWrap(True)
        form.addRow(label)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Passphrase:", self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)


def passphrase_problem(new: str, again: str) -> str | None:
    """Why a new passphrase cannot be used yet, or None."""
    if len(new) < MIN_PASSPHRASE:
        return f"Use at least {MIN_PASSPHRASE} characters; a short sentence is easy to remember."
    if new != again:
        return "The two passphrases differ."
    return None
