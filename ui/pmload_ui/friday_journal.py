"""The Friday review's journal step: a one-minute check-in, when a journal exists.

The journal is unlocked off the GUI thread (a deliberately slow key derivation)
and locked again when the step is left; the passphrase is never kept. The three
questions are the journal's own check-in dialog
(:class:`pmload_ui.journal_dialogs.CheckInDialog`, the UCLA three-item scale).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from pmload_ui.background import JOURNAL_MODULES, BackgroundOp, Job, failure_text
from pmload_ui.friday_steps import StepPage, headline, wrapped
from pmload_ui.session import Session

CHECKIN = "ucla"  # the one-minute check-in: three questions


class _PassphraseEdit(QLineEdit):
    """Enter unlocks (``returnPressed``) and stops there: it does not also press the
    flow's Next, as Enter in a dialog's line edit otherwise would."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class JournalPage(StepPage):
    """Step 3: a one-minute check-in (three questions) in the journal, when there is one.

    The journal is unlocked off the GUI thread and locked again when the page is
    left; the passphrase is never kept.

    Signals:
        checkedIn(): the check-in was saved.
    """

    checkedIn = Signal()

    def __init__(self, session: Session, week: date, parent: QWidget | None = None) -> None:
        super().__init__(session, week, parent)
        self.journal: Any = None
        self._unlocking = False
        self._saved = False  # this week's check-in was saved here
        self.status = headline()
        self.detail = wrapped()
        self.passphrase = _PassphraseEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Journal passphrase")
        self.passphrase.setPlaceholderText("Your journal passphrase, then Enter")
        self.passphrase.returnPressed.connect(self.unlock)
        self.answer = QPushButton("&Answer Three Questions…")
        self.answer.clicked.connect(self.start_checkin)
        self.result = wrapped()
        col = QVBoxLayout(self)
        col.addWidget(self.status)
        col.addWidget(self.detail)
        col.addWidget(self.passphrase)
        row = QHBoxLayout()
        row.addWidget(self.answer)
        row.addStretch(1)
        col.addLayout(row)
        col.addWidget(self.result)
        col.addStretch(1)
        self.dialog: Any = None

    @property
    def exists(self) -> bool:
        return self.session.paths.journal_file.exists()

    def enter(self) -> None:
        self._show()

    def _show(self) -> None:
        unlocked = self.journal is not None
        if not self.exists:
            self.status.setText("You have no journal yet.")
            self.detail.setText(
                "The journal is optional: set it up in the Journal view when you want to keep "
                "a private record beside your numbers. Press Next to go on."
            )
        elif unlocked:
            self.status.setText("How did this week feel?")
            self.detail.setText(
                "Three questions from the UCLA Loneliness Scale, about a minute. "
                "A self-check for reflection, not a diagnosis."
            )
        else:
            self.status.setText("A one-minute check-in")
            self.detail.setText("Unlock your journal to answer three short questions.")
        self.passphrase.setVisible(self.exists and not unlocked)
        self.passphrase.setEnabled(not self._unlocking)
        self.answer.setVisible(unlocked)

    def focus_widget(self) -> QWidget | None:
        if self.exists and self.journal is None:
            return self.passphrase
        if self.journal is not None:
            return self.answer
        return None

    def unlock(self) -> None:
        if self._unlocking or self.journal is not None:
            return
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        if not passphrase:
            self.result.setText("Type your passphrase.")
            return
        from pmload.journal import Journal

        path = self._path = self.session.paths.journal_file
        self._unlocking = True
        self.result.setText("Unlocking…")
        self._show()

        def work(_job: Job) -> Any:
            return Journal.unlock(path, passphrase)

        def done(journal: Any) -> None:
            self._unlocking = False
            self.journal = journal
            self.result.setText("")
            self._show()
            self.answer.setFocus()

        def failed(exc: BaseException) -> None:
            self._unlocking = False
            self.result.setText(failure_text(exc))
            self._show()
            self.passphrase.setFocus()

        op = BackgroundOp(work, self, imports=JOURNAL_MODULES).success(done).failure(failed)
        op.run_in_background()

    def start_checkin(self) -> Any:
        from pmload.journal.instruments import instrument
        from pmload_ui.journal_dialogs import CheckInDialog

        if self.journal is None:
            return None
        dialog = CheckInDialog(instrument(CHECKIN), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save(dialog.answers()))
        dialog.finished.connect(self._back_from_checkin)
        self.dialog = dialog
        dialog.open()
        dialog.activateWindow()  # the keyboard goes to the questions
        return dialog

    def _back_from_checkin(self, _result: int = 0) -> None:
        """The keyboard comes back to the review when the questions close: to Next once
        the check-in is saved (``checkedIn``), else to the button that asks again."""
        self.window().activateWindow()
        if self._saved:
            self.checkedIn.emit()
        else:
            self.answer.setFocus()

    def _save(self, answers: tuple[int, ...]) -> None:
        from pmload.errors import PmloadError
        from pmload.journal import CheckIn
        from pmload.journal.instruments import score

        journal = self.journal
        if journal is None:
            return
        try:
            journal.save(journal.data.with_checkin(CheckIn(date.today(), CHECKIN, answers)))
        except PmloadError as exc:
            self.result.setText(failure_text(exc))
            return
        self.result.setText("Check-in saved. " + score(CHECKIN, answers).explanation)
        self._saved = True

    def leave(self) -> None:
        """Lock the journal again: its data key is dropped."""
        if self.journal is not None:
            self.journal.lock()
            self.journal = None
