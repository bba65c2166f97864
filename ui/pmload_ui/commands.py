"""Undoable changes (QUndoStack): tags, people's sides and keyword rules.

Each command's text says what it did in words a status bar can repeat
("tag 'Sales x ML sync' as translation", "set sam.ortiz@labelco.test to
technical"); the window shows "Undone: …" and "Redone: …" with it.

Tags are written to the store (:meth:`Session.apply_tag_changes`); sides and
keyword rules to rules.toml (:meth:`Session.update_rules`, comments kept), each
through the same core function the CLI uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from pmload.errors import ConfigError
from pmload.rules.keywords import add_keyword_rule, remove_keyword_rule
from pmload.rules.sides import UNKNOWN, SideIndex, set_side
from pmload.vocab import Category
from pmload_ui.session import Session

if TYPE_CHECKING:  # tomlkit is imported when rules.toml is first rewritten, not at start-up
    from tomlkit.toml_document import TOMLDocument

Mutate = Callable[["TOMLDocument"], None]


def _quoted(title: str, limit: int = 40) -> str:
    title = " ".join(title.split()) or "(no title)"
    return f"'{title if len(title) <= limit else title[: limit - 1] + '…'}'"


class TagCommand(QUndoCommand):
    """Tag (or untag, category None) meetings or their whole series."""

    def __init__(
        self,
        session: Session,
        occurrence_ids: Sequence[str],
        category: str | None,
        series: bool = False,
        label: str | None = None,
    ) -> None:
        super().__init__()
        self._session = session
        self._changes = session.plan_tags(occurrence_ids, category, series)
        n = len(self._changes)
        if label is None and n == 1 and session.analysis is not None:
            title = _quoted(session.analysis.get(self._changes[0].occurrence_id).occ.title)
            label = f"series {title}" if series else title
        what = label or (f"{n} series" if series else f"{n} meetings")
        self.setText(f"tag {what} as {category}" if category else f"remove the tag of {what}")

    @property
    def count(self) -> int:
        return len(self._changes)

    def redo(self) -> None:
        self._session.apply_tag_changes(self._changes)

    def undo(self) -> None:
        self._session.apply_tag_changes(self._changes, undo=True)


def tag(
    session: Session,
    occurrence_ids: Sequence[str],
    category: str | None,
    series: bool = False,
    label: str | None = None,
) -> bool:
    """Push a tag command (which applies it); False when there was nothing to tag."""
    if not occurrence_ids or session.analysis is None:
        return False
    command = TagCommand(session, occurrence_ids, category, series, label)
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


class RulesCommand(QUndoCommand):
    """A change of rules.toml, with the change that takes it back.

    The change is applied before the command is pushed (so that a file that cannot
    be written is said at once and never reaches the stack): the first redo, which
    QUndoStack.push calls, does nothing.
    """

    def __init__(self, session: Session, text: str, do: Mutate, undo: Mutate) -> None:
        super().__init__(text)
        self._session = session
        self._do, self._undo = do, undo
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._apply(self._do, f"Redone: {self.text()}")
        self._applied = True

    def undo(self) -> None:
        self._apply(self._undo, f"Undone: {self.text()}")
        self._applied = False

    def _apply(self, mutate: Mutate, what: str) -> None:
        try:
            self._session.update_rules(mutate, what)
        except ConfigError as exc:  # rules.toml cannot be written or no longer validates
            self._session.failed.emit(str(exc))


def change_rules(session: Session, text: str, do: Mutate, undo: Mutate, what: str) -> bool:
    """Apply ``do`` to rules.toml (re-classifying history) and push it as undoable."""
    try:
        session.update_rules(do, what)
    except ConfigError as exc:
        session.failed.emit(str(exc))
        return False
    session.undo_stack.push(RulesCommand(session, text, do, undo))
    return True


def set_sides(session: Session, sides: Mapping[str, str], what: str | None = None) -> bool:
    """Give each person (key) their side (or unknown); undo gives back the sides before.

    People whose side would not change are left alone; False when that is everyone.
    """
    index = SideIndex(session.settings.people)
    wanted = {k: s for k, s in sides.items() if (index.side(k) or UNKNOWN) != s}
    if not wanted:
        return False
    # Undo restores the exact entries: a person known through a pattern gets no entry back.
    before = {k: str(index.exact(k) or UNKNOWN) for k in wanted}

    def do(doc: TOMLDocument) -> None:
        for key, side in wanted.items():
            set_side(doc, key, side)

    def undo(doc: TOMLDocument) -> None:
        for key, side in before.items():
            set_side(doc, key, side)

    chosen = set(wanted.values())
    if len(wanted) == 1:
        key, side = next(iter(wanted.items()))
        text = f"set {key} to {side}"
    elif len(chosen) == 1:
        text = f"set {len(wanted)} people to {next(iter(chosen))}"
    else:
        text = f"set the sides of {len(wanted)} people"
    return change_rules(session, what or text, do, undo, _capital(what or text))


def keyword_rule(session: Session, keyword: str, category: Category) -> bool:
    """Add the keyword rule ``keyword`` -> ``category``; undo removes it again."""
    text = f"add the rule {_quoted(keyword)} -> {category}"

    def do(doc: TOMLDocument) -> None:
        add_keyword_rule(doc, category, keyword)

    def undo(doc: TOMLDocument) -> None:
        remove_keyword_rule(doc, category, keyword)

    return change_rules(session, text, do, undo, _capital(text))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
