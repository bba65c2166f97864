"""What the list tables (Week, Review, People) share besides their models.

Their look and selection (whole rows, several at once, no grid, alternating
colours, no row numbers), the source rows of a sorted and filtered selection,
and the combo-box cell editor that commits as soon as a choice is made (and only
then).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from pmload.vocab import Category

Index = QModelIndex | QPersistentModelIndex
KEY_CATEGORIES = {
    Qt.Key.Key_1: Category.TRANSLATION,
    Qt.Key.Key_2: Category.COORDINATION,
    Qt.Key.Key_3: Category.STRATEGY,
}
"""The tagging keys of every table: 1, 2, 3 (0 removes a tag where a table allows it)."""


def category_key(event: QKeyEvent) -> Category | None:
    """The category a bare 1, 2 or 3 (main keyboard or keypad) stands for, else None."""
    if event.modifiers() not in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.KeypadModifier,
    ):
        return None
    return KEY_CATEGORIES.get(Qt.Key(event.key()))


def is_untag_key(event: QKeyEvent) -> bool:
    """A bare 0: remove the tag."""
    return Qt.Key(event.key()) == Qt.Key.Key_0 and event.modifiers() in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.KeypadModifier,
    )


EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.SelectedClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)
_CHOSEN = "pmloadChosen"  # the user picked an item (activated), even the same one
_OPENED_WITH = "pmloadOpenedWith"  # the item index the editor opened with


def setup_rows_table(table: QTableView, row_height: int, editable: bool, name: str = "") -> None:
    """Whole rows selected, several at once; ``editable`` cells open on double-click or F2.

    Tab leaves the table for the next control (the arrow keys move inside it), and
    ``name`` is what a screen reader calls it.
    """
    table.setTabKeyNavigation(False)
    if name:
        table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setEditTriggers(
        EDIT_TRIGGERS if editable else QAbstractItemView.EditTrigger.NoEditTriggers
    )
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)


def selected_source_rows(table: QTableView, proxy: QSortFilterProxyModel) -> list[int]:
    """The source model's rows of the table's selected rows, in source order."""
    return sorted({proxy.mapToSource(i).row() for i in table.selectionModel().selectedRows()})


class ComboDelegate(QStyledItemDelegate):
    """A combo box cell editor; choosing an item commits it and closes the editor.

    Only a choice writes: opening the editor (double-click, F2) and leaving it
    (a click elsewhere, Tab, Enter, Escape) with the value it opened with writes
    nothing, so no manual tag or side appears that the user never chose.
    Subclasses fill the combo box (:meth:`fill`) and load the cell's value
    (``setEditorData``); :meth:`value` is what a choice writes (EditRole).
    """

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        self.fill(combo)
        combo.setProperty(_CHOSEN, False)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def fill(self, combo: QComboBox) -> None:
        """Add the choices to a new editor."""
        raise NotImplementedError

    def value(self, combo: QComboBox) -> str | None:
        """What choosing the combo's current item writes (None: nothing)."""
        return combo.currentText() if combo.currentIndex() >= 0 else None

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        self.load(editor, index)
        editor.setProperty(_OPENED_WITH, editor.currentIndex())

    def load(self, combo: QComboBox, index: Index) -> None:
        """Show the cell's value in a new editor."""
        raise NotImplementedError

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        changed = editor.currentIndex() != editor.property(_OPENED_WITH)
        if not (editor.property(_CHOSEN) or changed):
            return  # opened and left as it was: not a choice
        editor.setProperty(_CHOSEN, False)
        editor.setProperty(_OPENED_WITH, editor.currentIndex())  # a later focus-out: no-op
        value = self.value(editor)
        if value is not None:
            model.setData(index, value, Qt.ItemDataRole.EditRole)

    def _commit(self, combo: QComboBox) -> None:
        combo.setProperty(_CHOSEN, True)
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)
