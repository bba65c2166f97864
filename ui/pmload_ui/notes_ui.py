"""Notes in the app: the user's own words on a meeting or a series.

:class:`NotesBook` holds the store's notes (:func:`pmload.rules.notes.load_notes`)
for the session's views; one per session (:func:`book_for`), read again after a
load or when all data is deleted, and written through
:func:`pmload.rules.notes.write_note` (one transaction, on the session's
connection, as tags are). :class:`NoteDialog` edits one note: the meeting's own
or its whole series'; saving pushes a :class:`NoteCommand` on the session's undo
stack, so Edit › Undo takes a note back as it does a tag. Notes are shown in the Week and Review tables (a marker in
the title, the text in the tooltip) and the Week filter box finds them.

Signals of :class:`NotesBook`:
    changed(): the notes changed (views refresh their rows).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from pmload.errors import PmloadError
from pmload.model import Occurrence
from pmload.rules.notes import Notes, clean_note, load_notes, note_key, write_note
from pmload_ui.background import failure_text
from pmload_ui.meetings_model import NOTE_MARK

__all__ = ["NOTE_MARK", "NoteCommand", "NoteDialog", "NotesBook", "book_for"]

if TYPE_CHECKING:
    from pmload_ui.session import Session


class NotesBook(QObject):
    """The notes of the session's store (see the module)."""

    changed = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.setObjectName("notes-book")
        self.session = session
        self.notes = Notes()
        session.loaded.connect(self.reload)
        session.dataDeleted.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        try:
            self.notes = load_notes(self.session.ctx.conn)
        except Exception:  # a store that cannot be read shows no notes; the load says why
            self.notes = Notes()
        self.changed.emit()

    def of(self, occ: Occurrence) -> str:
        return self.notes.of(occ)

    def series_note(self, uid: str) -> str:
        n = self.notes.series.get(uid)
        return n.text if n is not None else ""

    def write(self, occ: Occurrence, text: str, *, series: bool) -> None:
        """Write (or, with empty ``text``, remove) the note; raises PmloadError for bad text."""
        uid, key = note_key(occ, series)
        self.write_key(uid, key, text)

    def write_key(self, uid: str, key: str, text: str) -> None:
        write_note(self.session.ctx.conn, uid, key, text)
        self.notes = load_notes(self.session.ctx.conn)
        self.changed.emit()


class NoteCommand(QUndoCommand):
    """Write a note (undo puts the earlier one back); its text names the meeting only."""

    def __init__(
        self, book: NotesBook, occ: Occurrence, series: bool, before: str, after: str
    ) -> None:
        super().__init__()
        self._book = book
        self._uid, self._key = note_key(occ, series)
        self._before, self._after = before, after
        title = " ".join((occ.title or "(no title)").split())[:40]
        what = f"series '{title}'" if series else f"'{title}'"
        self.setText(f"note on {what}" if after else f"remove the note on {what}")

    def redo(self) -> None:
        self._book.write_key(self._uid, self._key, self._after)

    def undo(self) -> None:
        self._book.write_key(self._uid, self._key, self._before)


def book_for(session: Session) -> NotesBook:
    """The session's notes (a child object, created on first use)."""
    book = session.findChild(NotesBook, "notes-book")
    if book is None:
        book = NotesBook(session)
    return book


class NoteDialog(QDialog):
    """Edit the note on a meeting or (checkbox) its whole series."""

    def __init__(
        self, book: NotesBook, occ: Occurrence, series: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        self.book, self.occ = book, occ
        title = occ.title or "(no title)"
        intro = QLabel(
            f"Your note on '{title}': why it is translation, what would fix it. "
            "It stays on this computer and is never exported unless you ask."
        )
        intro.setWordWrap(True)
        self.series_box = QCheckBox("The whole series (every meeting of it)")
        self.series_box.setChecked(series)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Note")
        self.text.setPlaceholderText("e.g. Only I can explain the model's limits to sales.")
        self.error = QLabel()
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.series_box)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.series_box.toggled.connect(self._load)
        self._load()
        self.resize(460, 260)

    def _load(self) -> None:
        self.text.setPlainText(self.book.notes.own(self.occ, series=self.series_box.isChecked()))
        self.error.setText("")

    def save(self) -> bool:
        series = self.series_box.isChecked()
        try:
            text = clean_note(self.text.toPlainText())
        except PmloadError as exc:
            self.error.setText(failure_text(exc))
            return False
        before = self.book.notes.own(self.occ, series=series)
        if text != before:  # undoable, like tags (Edit › Undo)
            self.book.session.undo_stack.push(
                NoteCommand(self.book, self.occ, series, before, text)
            )
        self.accept()
        return True
