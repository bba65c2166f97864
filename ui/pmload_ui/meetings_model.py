"""The meetings table: a QAbstractTableModel over core ``Classified`` records.

Sorting is done by the model itself (one Python sort with a key, fast for
tens of thousands of rows); the proxy forwards sort requests to it and only
filters, with a regular expression over one precomputed filter string per
row (so filtering runs in C++).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QWidget,
)

from pmload.model import Occurrence
from pmload.rules.classify import Classified
from pmload.rules.reasons import reason_detail, reason_text
from pmload.vocab import CATEGORIES
from pmload_ui.rows_model import RowsTableModel
from pmload_ui.style import category_icon, muted_text
from pmload_ui.tables import ComboDelegate

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("When", "Title", "People", "Min", "Category", "Reason")
COL_WHEN, COL_TITLE, COL_PEOPLE, COL_MINUTES, COL_CATEGORY, COL_REASON = range(6)
SortRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2
FilterRole = Qt.ItemDataRole.UserRole + 3
NOT_COUNTED = "not counted"


NOTE_MARK = "✎ "  # before a title that has a note (pmload_ui.notes_ui)


def _no_note(_occ: Occurrence) -> str:
    return ""


def people_text(people: Sequence[str]) -> str:
    if not people:
        return ""
    first = people[0].split("@")[0]
    return first if len(people) == 1 else f"{first} +{len(people) - 1}"


class MeetingsModel(RowsTableModel[Classified]):
    """Rows of classified occurrences; the category cell is editable for meetings.

    Editing the category does not write anything itself: it calls
    ``on_tag(occurrence_id, category)``, which pushes an undoable command.
    """

    COLUMNS = COLUMNS

    def __init__(
        self,
        zone: ZoneInfo,
        on_tag: Callable[[str, str], None] | None = None,
        parent: QWidget | None = None,
        with_date: bool = False,
    ) -> None:
        super().__init__(parent)
        self._zone = zone
        self._on_tag = on_tag
        self._with_date = with_date
        self._now = datetime.now(UTC)  # meetings starting later are scheduled, still to come
        self._sort: tuple[int, Qt.SortOrder] = (COL_WHEN, Qt.SortOrder.AscendingOrder)
        self._chrono: list[Classified] = []
        self._perm: list[int] = []
        self._filter_text: dict[int, str] = {}
        self._values: dict[int, list[Any]] = {}  # sort values per column, chronological
        self._note_of: Callable[[Occurrence], str] = _no_note

    def set_notes(self, note_of: Callable[[Occurrence], str]) -> None:
        """Show and search the user's notes (``note_of(occ)``: its notes, or '')."""
        self._note_of = note_of
        self._filter_text.clear()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, COL_TITLE), self.index(len(self._rows) - 1, COL_TITLE)
            )

    # --- data -------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Classified],
        zone: ZoneInfo | None = None,
        with_date: bool | None = None,
    ) -> None:
        """Show ``rows``; ``with_date`` adds the year to the When column (many weeks)."""
        self.beginResetModel()
        if zone is not None:
            self._zone = zone
        if with_date is not None:
            self._with_date = with_date
        self._chrono = sorted(rows, key=lambda c: (c.occ.start, c.occ.id))
        self._now = datetime.now(UTC)
        self._values.clear()
        self._sort_rows()
        self.endResetModel()

    def row_record(self, row: int) -> Classified:
        return self._rows[row]

    def records(self) -> list[Classified]:
        return list(self._rows)

    def row_of(self, occurrence_id: str) -> int:
        for i, c in enumerate(self._rows):
            if c.occ.id == occurrence_id:
                return i
        return -1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and orientation == Qt.Orientation.Horizontal
            and section == COL_MINUTES
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == COL_CATEGORY and self._rows[index.row()].excluded is None:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def _when(self, c: Classified) -> str:
        occ = c.occ
        if occ.all_day and occ.start_local is not None:
            return f"{occ.start_local:%a %d %b}  all day"
        local = occ.start.astimezone(self._zone)
        return f"{local:%a %d %b %Y  %H:%M}" if self._with_date else f"{local:%a %d %b  %H:%M}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        if role == FilterRole:  # first: the proxy asks it of every row when filtering
            text = self._filter_text.get(row)
            if text is None:
                c = self._rows[row]
                cat = c.category if c.excluded is None else NOT_COUNTED
                text = f"{cat}\x1f{c.occ.title}\x1f{' '.join(c.people)}\x1f{c.reason or ''}"
                note = self._note_of(c.occ)
                if note:
                    text += "\x1f" + note.replace("\n", " ")
                self._filter_text[row] = text
            return text
        c = self._rows[row]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_WHEN:
                return self._when(c)
            if col == COL_TITLE:
                title = c.occ.title or "(no title)"
                return NOTE_MARK + title if self._note_of(c.occ) else title
            if col == COL_PEOPLE:
                return people_text(c.people)
            if col == COL_MINUTES:
                return f"{c.occ.minutes:.0f}"
            if col == COL_CATEGORY:
                return c.category if c.excluded is None else NOT_COUNTED
            if col == COL_REASON:
                return reason_text(c)  # written for people; addresses in the tooltip
            return None
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_CATEGORY:
                return c.category
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == SortRole:
            return self._sort_key(col)(c)
        if role == IdRole:
            return c.occ.id
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_WHEN and c.occ.start > self._now:
            return "Scheduled: this meeting is still to come"
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_PEOPLE and c.people:
                return "\n".join(c.people)
            if col in (COL_REASON, COL_CATEGORY, COL_TITLE):
                note = self._note_of(c.occ) if col == COL_TITLE else ""
                tip = f"{c.occ.title}\n{reason_detail(c)}"
                return f"{tip}\n\nYour note:\n{note}" if note else tip
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_CATEGORY:
            return category_icon(c.category if c.excluded is None else None)
        if role == Qt.ItemDataRole.ForegroundRole and c.excluded is not None:
            app = QApplication.instance()
            pal = app.palette() if isinstance(app, QApplication) else QPalette()
            return muted_text(pal)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_MINUTES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and c.occ.start > self._now:
            font = QFont()
            font.setItalic(True)  # scheduled, still to come (the When tooltip says so)
            return font
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or role != Qt.ItemDataRole.EditRole
            or index.column() != COL_CATEGORY
            or value not in CATEGORIES
        ):
            return False
        c = self._rows[index.row()]
        if c.excluded is not None or (c.category == value and c.rule == "tag"):
            return False
        if self._on_tag is not None:
            self._on_tag(c.occ.id, str(value))
        return True

    def refresh(self, lookup: Callable[[str], Classified]) -> None:
        """Replace every row by its re-classified record (same rows, same order)."""
        if not self._rows:
            return
        self._chrono = [lookup(c.occ.id) for c in self._chrono]
        for column in (COL_CATEGORY, COL_REASON):  # what a re-classification changes
            self._values.pop(column, None)
        self._rows = [self._chrono[i] for i in self._perm]
        self._filter_text.clear()
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    # --- sorting ------------------------------------------------------------------
    # Rows are kept in chronological order (``_chrono``); a sort computes one plain
    # value per row for the column and sorts row numbers by it (stable, so ties
    # stay chronological). ``_perm[r]`` is the chronological index of row r.

    def _sort_key(self, column: int) -> Callable[[Classified], Any]:
        if column == COL_WHEN:
            return lambda c: c.occ.start.timestamp()
        if column == COL_TITLE:
            return lambda c: c.occ.title.lower()
        if column == COL_PEOPLE:
            return lambda c: len(c.people)
        if column == COL_MINUTES:
            return lambda c: c.occ.minutes
        if column == COL_CATEGORY:
            return lambda c: c.category or "~"
        return lambda c: c.reason or f"~{c.excluded}"

    def _sort_rows(self) -> None:
        column, order = self._sort
        n = len(self._chrono)
        descending = order == Qt.SortOrder.DescendingOrder
        if column == COL_WHEN:
            perm = list(range(n - 1, -1, -1)) if descending else list(range(n))
        else:
            values = self._values.get(column)
            if values is None:
                values = self._values[column] = [self._sort_key(column)(c) for c in self._chrono]
            perm = sorted(range(n), key=values.__getitem__, reverse=descending)
        self._perm = perm
        chrono = self._chrono
        self._rows = [chrono[i] for i in perm]
        self._filter_text.clear()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or (column, order) == self._sort:
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_chrono = [(self._perm[i.row()], i.column()) for i in old if i.isValid()]
        self._sort = (column, order)
        self._sort_rows()
        if old:
            where = [0] * len(self._perm)
            for row, ci in enumerate(self._perm):
                where[ci] = row
            self.changePersistentIndexList(
                [i for i in old if i.isValid()],
                [self.index(where[ci], col) for ci, col in old_chrono],
            )
        self.layoutChanged.emit()


class MeetingsFilter(QSortFilterProxyModel):
    """Filters by category ('' = all, or a category, or 'not counted') and by text.

    Sorting is forwarded to the source model (see the module docstring).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFilterRole(FilterRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._category = ""
        self._text = ""

    def set_filter(self, category: str | None = None, text: str | None = None) -> None:
        if category is not None:
            self._category = category
        if text is not None:
            self._text = text.strip()
        parts = []
        if self._category:
            parts.append("^" + re.escape(self._category) + "\x1f")
        if self._text:
            parts.append(".*" if parts else "")
            parts.append(re.escape(self._text))
        pattern = "".join(parts)
        self.setFilterRegularExpression(
            QRegularExpression(pattern, QRegularExpression.PatternOption.CaseInsensitiveOption)
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, QAbstractItemModel):
            source.sort(column, order)

    def occurrence_ids(self, rows: Sequence[int]) -> list[str]:
        return [str(self.index(r, 0).data(IdRole)) for r in rows]


class CategoryDelegate(ComboDelegate):
    """A combo box of the three categories for the category cell."""

    def fill(self, combo: QComboBox) -> None:
        for cat in CATEGORIES:
            combo.addItem(category_icon(cat), cat)
        combo.setFrame(False)

    def load(self, combo: QComboBox, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        combo.setCurrentIndex(combo.findText(str(value)) if value in CATEGORIES else -1)
