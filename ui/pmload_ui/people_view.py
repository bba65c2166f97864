"""The People view: everyone met, their hours and side; setting a side re-classifies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmload.rules.people import PersonRow
from pmload.rules.reasons import full_name
from pmload.rules.sides import UNKNOWN
from pmload.vocab import SIDES
from pmload_ui import commands
from pmload_ui.rows_model import RowsTableModel
from pmload_ui.session import Session
from pmload_ui.style import muted_text
from pmload_ui.tables import ComboDelegate, selected_source_rows, setup_rows_table

Index = QModelIndex | QPersistentModelIndex
# Names first (the calendar's, else read from the address), the address second.
COLUMNS = ("Name", "Address", "Side", "Suggested", "Meetings", "Hours")
COL_NAME, COL_KEY, COL_SIDE, COL_SUGGESTED, COL_COUNT, COL_HOURS = range(6)
SortRole = Qt.ItemDataRole.UserRole + 1
KeyRole = Qt.ItemDataRole.UserRole + 2
SIDE_CHOICES = (*SIDES, UNKNOWN)


def suggestion_text(p: PersonRow) -> str:
    """ "technical · address has 'eng'": the suggested side and why (the core's words)."""
    if not p.suggested:
        return ""
    return f"{p.suggested} · {p.suggested_why}" if p.suggested_why else p.suggested


def person_name(p: PersonRow) -> str:
    """The name the calendar gives, else one read from the address ("Sam Ortiz")."""
    return p.name or full_name(p.key)


class PeopleModel(RowsTableModel[PersonRow]):
    """Rows of :class:`pmload.rules.people.PersonRow`; the side cell is editable.

    Editing a side calls ``on_side([keys], side)``; nothing is written here.
    """

    COLUMNS = COLUMNS

    def __init__(
        self, on_side: Callable[[list[str], str], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._on_side = on_side

    def person(self, row: int) -> PersonRow:
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_SIDE:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        p = self.row_of_index(index)
        if p is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == COL_SIDE:
                return p.side or UNKNOWN
            return (
                person_name(p),
                p.key,
                p.side or UNKNOWN,
                suggestion_text(p),
                str(p.count),
                f"{p.hours:.1f}",
            )[col]
        if role == SortRole:
            return (
                person_name(p).lower(),
                p.key,
                p.side or "~",
                p.suggested or "~",
                p.count,
                p.hours,
            )[col]
        if role == KeyRole:
            return p.key
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SIDE and p.side is None:
            from PySide6.QtWidgets import QApplication

            return QBrush(muted_text(QApplication.palette()))
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_NAME and not p.name:
            return f"No name in the invitations: read from {p.key}"
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_SUGGESTED and p.suggested:
            return f"Suggested {p.suggested}: {p.suggested_why or 'from their meetings'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_COUNT, COL_HOURS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or role != Qt.ItemDataRole.EditRole
            or index.column() != COL_SIDE
            or value not in SIDE_CHOICES
        ):
            return False
        if self._on_side is not None:
            self._on_side([self._rows[index.row()].key], str(value))
        return True


class SideDelegate(ComboDelegate):
    """A combo box of the sides (and unknown) for the side cell."""

    def fill(self, combo: QComboBox) -> None:
        combo.addItems(list(SIDE_CHOICES))

    def load(self, combo: QComboBox, index: Index) -> None:
        combo.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))


class PeopleView(QWidget):
    """Everyone met in counted meetings; unknown people with the most hours come first."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("people-view")
        self.session = session
        self.summary = QLabel()
        f = self.summary.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.summary.setFont(f)
        explain = QLabel(
            "A meeting is translation when you are the only bridge between technical and "
            "business people, so each person's side matters. Changes apply to all history at once."
        )
        explain.setWordWrap(True)
        self.model = PeopleModel(self.set_sides, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(COL_SIDE, SideDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.proxy.sort(-1)  # the core's order: unknown people with the most hours first
        fm = self.fontMetrics()
        setup_rows_table(self.table, fm.height() + 10, editable=True, name="People")
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(COL_KEY, QHeaderView.ResizeMode.Stretch)
        for col, text in enumerate(
            (
                "Hannah Cole (CFO)",
                "priya.sharma@eng.northwind.test",
                "coordination",
                "technical · met mostly with technical people",
                "Meetings",
            )
        ):
            self.table.setColumnWidth(col, fm.horizontalAdvance(text) + 28)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter people")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.side_combo = QComboBox()
        self.side_combo.addItems(list(SIDE_CHOICES))
        self.apply_button = QPushButton("Set side of selected")
        self.apply_button.clicked.connect(
            lambda: self.set_sides(self.selected_keys(), self.side_combo.currentText())
        )
        self.accept_button = QPushButton("Accept suggestions for selected")
        self.accept_button.setToolTip("Give each selected unknown person their suggested side")
        self.accept_button.clicked.connect(self.accept_suggestions)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addSpacing(12)
        bar.addWidget(self.side_combo)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.summary)
        layout.addWidget(explain)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        session.loaded.connect(self.reload)
        session.reclassified.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.reload()

    def reload(self) -> None:
        analysis = self.session.analysis
        selected = set(self.selected_keys())
        rows = analysis.people() if analysis is not None else []
        self.model.set_rows(rows)
        unknown = [r for r in rows if r.side is None]
        suggested = [r for r in unknown if r.suggested]
        text = f"{len(rows)} people met · {len(unknown)} unknown"
        if suggested:
            text += f" · {len(suggested)} with a suggested side"
        self.summary.setText(text)
        if selected:
            self._select(selected)
        self._selection_changed()

    def _select(self, keys: set[str]) -> None:
        from PySide6.QtCore import QItemSelectionModel

        sel = self.table.selectionModel()
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(KeyRole) in keys:
                sel.select(
                    self.proxy.index(row, 0),
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )

    def _selection_changed(self, *_args: object) -> None:
        has = self.table.selectionModel().hasSelection()
        self.apply_button.setEnabled(has)
        self.accept_button.setEnabled(
            any(
                self.model.person(r).suggested and self.model.person(r).side is None
                for r in self._selected_rows()
            )
        )

    def _selected_rows(self) -> list[int]:
        return selected_source_rows(self.table, self.proxy)

    def selected_keys(self) -> list[str]:
        return [self.model.person(r).key for r in self._selected_rows()]

    def set_sides(self, keys: list[str], side: str) -> None:
        """Set the side of these people in rules.toml (undoable), then re-classify."""
        if keys and side in SIDE_CHOICES:
            commands.set_sides(self.session, dict.fromkeys(keys, side))

    def accept_suggestions(self) -> None:
        """Give each selected unknown person their suggested side (one undoable step)."""
        sides = {
            p.key: p.suggested
            for p in (self.model.person(r) for r in self._selected_rows())
            if p.side is None and p.suggested
        }
        if sides:
            n = len(sides)
            who = "1 person" if n == 1 else f"{n} people"
            commands.set_sides(self.session, sides, f"accept the suggested sides of {who}")
