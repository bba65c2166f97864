"""Undoable tag changes (QUndoStack): every tag the user makes can be undone."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QUndoCommand

from pmload_ui.session import Session


class TagCommand(QUndoCommand):
    """Tag (or untag, category None) meetings or their whole series."""

    def __init__(
        self,
        session: Session,
        occurrence_ids: Sequence[str],
        category: str | None,
        series: bool = False,
    ) -> None:
        super().__init__()
        self._session = session
        self._changes = session.plan_tags(occurrence_ids, category, series)
        n = len(self._changes)
        what = (
            ("series" if n == 1 else f"{n} series")
            if series
            else ("meeting" if n == 1 else f"{n} meetings")
        )
        self.setText(f"tag {what} as {category}" if category else f"untag {what}")

    @property
    def count(self) -> int:
        return len(self._changes)

    def redo(self) -> None:
        self._session.apply_tag_changes(self._changes)

    def undo(self) -> None:
        self._session.apply_tag_changes(self._changes, undo=True)


def tag(
    session: Session, occurrence_ids: Sequence[str], category: str | None, series: bool = False
) -> bool:
    """Push a tag command (which applies it); False when there was nothing to tag."""
    if not occurrence_ids or session.analysis is None:
        return False
    command = TagCommand(session, occurrence_ids, category, series)
    if command.count == 0:
        return False
    session.undo_stack.push(command)
    noun = "series" if series else "meeting"
    plural = "" if command.count == 1 or series else "s"
    session.message.emit(
        f"Tagged {command.count} {noun}{plural} as {category}."
        if category
        else f"Removed the tag of {command.count} {noun}{plural}."
    )
    return True
