"""The Journal view's lock screen (unlocking itself runs as a background op of the view).

The lock screen only holds the widgets: the Journal view decides what happens
when the passphrase is submitted. The passphrase stays in the line edit until
it is submitted and is cleared at once.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pmload_ui.journal_dialogs import NO_RECOVERY


class LockScreen(QWidget):
    """Title, explanation, passphrase field(s), the no-recovery warning and status.

    Signals:
        submitted(): the user pressed the button or Return in a field.
        recoverRequested(): the user chose to open the previous version (backup).
    """

    submitted = Signal()
    recoverRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QWidget(self)
        card.setMaximumWidth(520)
        col = QVBoxLayout(card)
        self.title = QLabel(card)
        self.title.setStyleSheet("font-size: 16pt; font-weight: 600")
        self.text = QLabel(card)
        self.text.setWordWrap(True)
        self.passphrase = QLineEdit(card)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("Passphrase")
        self.confirm = QLineEdit(card)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setPlaceholderText("The same passphrase again")
        self.warning = QLabel(NO_RECOVERY, card)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("font-weight: 600")
        self.button = QPushButton(card)
        self.button.setDefault(True)
        self.status = QLabel(card)
        self.status.setWordWrap(True)
        self.recover_button = QPushButton("Open the previous version instead", card)
        self.recover_button.setToolTip(
            "Restore journal.pmj.bak, the version saved before the last change, with the "
            "passphrase typed above; the damaged file is kept as the backup."
        )
        self.recover_button.hide()
        for w in (self.title, self.text, self.passphrase, self.confirm, self.warning):
            col.addWidget(w)
        for right in (self.button, None, self.recover_button):
            if right is None:
                col.addWidget(self.status)
                continue
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(right)
            col.addLayout(row)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card, 4)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        self.button.clicked.connect(self.submitted)
        self.passphrase.returnPressed.connect(self.submitted)
        self.confirm.returnPressed.connect(self.submitted)
        self.recover_button.clicked.connect(self.recoverRequested)

    def set_mode(self, creating: bool) -> None:
        """Create-journal form (two fields and the warning) or the unlock form."""
        if creating:
            self.title.setText("Start your private journal")
            self.text.setText(
                "Keep a few words on how the week felt — burnout, isolation, what helped — "
                "beside your calendar numbers. It is encrypted with a passphrase only you "
                "know and never leaves this computer."
            )
            self.button.setText("Create journal")
        else:
            self.title.setText("Your journal is locked")
            self.text.setText("Type your passphrase to open it.")
            self.button.setText("Unlock")
        self.confirm.setVisible(creating)
        self.warning.setVisible(creating)
        self.recover_button.hide()
        self.passphrase.clear()
        self.confirm.clear()
        self.passphrase.setFocus()
