"""What the list tables (Week, Review, People) share besides their models.

Their look and selection (whole rows, several at once, no grid, alternating
colours, no row numbers), the source rows of a sorted and filtered selection,
and the combo-box cell editor that commits as soon as a choice is made.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex
EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.SelectedClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)


def setup_rows_table(table: QTableView, row_height: int, editable: bool) -> None:
    """Whole rows selected, several at once; ``editable`` cells open on double-click or F2."""
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

    Subclasses fill the combo box (:meth:`fill`) and move the value in and out
    (``setEditorData``, ``setModelData``).
    """

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent)
        self.fill(combo)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def fill(self, combo: QComboBox) -> None:
        """Add the choices to a new editor."""
        raise NotImplementedError

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)
