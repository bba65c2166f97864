"""The Review view: unclassified meetings grouped by series, cleared one series at a time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QFont, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmload.period import monday_of
from pmload.rules.analysis import ReviewGroup
from pmload.rules.reasons import reason_detail, reason_text
from pmload.rules.rule_edits import RuleDraft, rule_from_meeting
from pmload.vocab import CATEGORIES
from pmload_ui import commands
from pmload_ui.meetings_model import NOTE_MARK, people_text
from pmload_ui.notes_ui import NoteDialog, book_for
from pmload_ui.rows_model import RowsTableModel
from pmload_ui.session import Session
from pmload_ui.style import category_icon
from pmload_ui.tables import category_key, selected_source_rows, setup_rows_table
from pmload_ui.whatif_panel import WhatIfPanel
from pmload_ui.whatif_panel import add_actions as add_what_if_actions

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Series", "Meetings", "Hours", "People", "Last", "Why it waits")
COL_REASON = 5
GroupRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2


class ReviewModel(RowsTableModel[ReviewGroup]):
    """Rows of :class:`pmload.rules.analysis.ReviewGroup`; "Last" is shown in ``zone``."""

    COLUMNS = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zone: Any = None
        self.series_note: Callable[[str], str] = lambda _uid: ""

    def set_rows(self, rows: Sequence[ReviewGroup], zone: Any = None) -> None:
        self._zone = zone
        super().set_rows(rows)

    def group(self, row: int) -> ReviewGroup:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        g = self.row_of_index(index)
        if g is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            last = g.last.astimezone(self._zone) if self._zone else g.last
            title = g.title or "(no title)"
            return (
                NOTE_MARK + title if self.series_note(g.uid) else title,
                str(g.count),
                f"{g.hours:.1f}",
                people_text(g.people),
                f"{last:%a %d %b %Y}",
                reason_text(g.latest),  # written for people; the addresses in the tooltip
            )[col]
        if role == SortRole:
            return (g.title.lower(), g.count, g.hours, len(g.people), g.last.timestamp(), g.reason)[
                col
            ]
        if role == GroupRole:
            return g.uid
        if role == Qt.ItemDataRole.ToolTipRole and col == 3 and g.people:
            return "\n".join(g.people)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            note = self.series_note(g.uid)
            return f"{g.title}\n\nYour note:\n{note}" if note else g.title
        # A reason naming people with no side is a link to them in People.
        if col == COL_REASON and g.unknown:
            if role == Qt.ItemDataRole.ForegroundRole:
                from PySide6.QtWidgets import QApplication

                return QApplication.palette().brush(QPalette.ColorRole.Link)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setUnderline(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                n = len(g.unknown)
                who = "this person" if n == 1 else f"these {n} people"
                return f"{reason_detail(g.latest)}\n\nClick to give {who} a side in People."
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_REASON:
            return reason_detail(g.latest)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ReviewTable(QTableView):
    def __init__(self, view: ReviewView) -> None:
        super().__init__(view)
        self._view = view

    def keyPressEvent(self, event: QKeyEvent) -> None:
        category = category_key(event)
        if category is not None:
            self._view.clear_selected(category)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self._view.context_menu(event.globalPos())


class ReviewView(QWidget):
    """The review queue: select a series and press 1, 2 or 3 (or click) to tag all of it.

    Signals:
        weekOpened(object): the Monday (``date``) of the week of a double-clicked
            series' latest meeting.
        peopleRequested(object, str): the people with no side (a tuple of addresses)
            of a series whose reason names them (clicked, or "Set Their Sides…"),
            and the series ("“Catch-up”").
    """

    weekOpened = Signal(object)
    peopleRequested = Signal(object, str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review-view")
        self.session = session
        self.summary = QLabel()
        f = self.summary.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.summary.setFont(f)
        explain = QLabel(
            "These meetings fit no rule. Tag a series once and every meeting in it, past "
            "and future, follows. Select one or more rows, then press 1, 2 or 3; double-click "
            "a series to see its latest week."
        )
        explain.setWordWrap(True)
        self.model = ReviewModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = ReviewTable(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.setWordWrap(False)
        fm = self.fontMetrics()
        setup_rows_table(self.table, fm.height() + 10, editable=False, name="Review queue")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, text in enumerate(
            ("M" * 20, "Meetings", "Hours", "priya.sharma +4", "Wed 28 Sep 2026")
        ):
            self.table.setColumnWidth(col, fm.horizontalAdvance(text) + 28)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        self.tag_label = QLabel("Tag the selected series as:")
        row.addWidget(self.tag_label)
        for i, cat in enumerate(CATEGORIES, start=1):
            b = QPushButton(category_icon(cat), f"{i}  {cat.capitalize()}")
            b.setToolTip(f"Tag every meeting of the selected series as {cat} (key {i})")
            b.clicked.connect(lambda _c=False, c=cat: self.clear_selected(c))
            self.buttons[cat] = b
            row.addWidget(b)
        row.addStretch(1)
        self.rule_button = QPushButton("Make a Keyword Rule…")
        self.rule_button.setToolTip(
            "A keyword rule from the selected series' title: every meeting with those words, "
            "now and later, gets the category you pick (a preview says what it changes)"
        )
        self.rule_button.clicked.connect(self._rule_from_selected)
        row.addWidget(self.rule_button)
        self.people_button = QPushButton("Set Their Sides…")
        self.people_button.setToolTip(
            "Show the selected series' people with no side in People: a side lets the rules "
            "classify their meetings"
        )
        self.people_button.clicked.connect(self._people_of_selected)
        row.addWidget(self.people_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.summary)
        layout.addWidget(explain)
        layout.addLayout(row)
        self.what_if = WhatIfPanel(session)
        layout.addWidget(self.what_if)
        layout.addWidget(self.table, 1)
        self.notes = book_for(session)
        self.model.series_note = self.notes.series_note
        self.notes.changed.connect(self._notes_changed)
        session.loaded.connect(self.reload)
        session.reclassified.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._open)
        self.table.clicked.connect(self._clicked)
        self.reload()

    def _notes_changed(self) -> None:
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0, 0), self.model.index(self.model.rowCount() - 1, 0)
            )

    def fill_menu(self, menu: QMenu) -> bool:
        """The context menu's actions for the selected series; False without a selection."""
        groups = self.selected_groups()
        if not groups:
            return False
        first = groups[0]
        menu.addAction("Note on This Series…").triggered.connect(lambda: self.edit_note(first))
        menu.addSeparator()
        add_what_if_actions(menu, self.session, [(g.uid, g.title) for g in groups])
        analysis = self.session.analysis
        if analysis is not None:
            from pmload_ui.rules_editor import add_rule_actions

            menu.addSeparator()
            add_rule_actions(menu, self.session, analysis.get(first.occurrence_ids[0]), self)
        return True

    def edit_note(self, group: ReviewGroup) -> NoteDialog:
        dialog = NoteDialog(self.notes, group.latest.occ, True, self)
        dialog.open()
        return dialog

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_REASON:
            self._people_of(self.model.group(self.proxy.mapToSource(index).row()))

    def _people_of_selected(self) -> None:
        groups = self.selected_groups()
        if groups:
            self._people_of(groups[0])

    def _people_of(self, group: ReviewGroup) -> None:
        if group.unknown:
            self.peopleRequested.emit(tuple(group.unknown), f"“{group.title or '(no title)'}”")

    def _open(self, index: QModelIndex) -> None:
        group = self.model.group(self.proxy.mapToSource(index).row())
        day = group.last.astimezone(self.session.zone_or_utc()).date()
        self.weekOpened.emit(monday_of(day))

    def reload(self) -> None:
        analysis = self.session.analysis
        groups = analysis.review_queue() if analysis is not None else []
        self.model.set_rows(groups, self.session.zone_or_utc())
        hours = sum(g.hours for g in groups)
        if groups:
            self.summary.setText(
                f"{len(groups)} series wait for a category: {hours:.1f} h of meetings"
            )
        else:
            self.summary.setText("Nothing to review: every meeting has a category.")
        if groups and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        has = self.table.selectionModel().hasSelection()
        for b in self.buttons.values():
            b.setEnabled(has)
        groups = self.selected_groups() if has else []
        self.people_button.setEnabled(bool(groups and groups[0].unknown))
        n = sum(g.count for g in groups)
        self.tag_label.setText(
            f"Tag all {n} meeting{'s' if n != 1 else ''} of the selection as:"
            if groups
            else "Tag the selected series as:"
        )
        self.rule_button.setEnabled(self._rule_draft(groups) is not None)

    def _rule_draft(self, groups: list[ReviewGroup]) -> RuleDraft | None:
        """The keyword rule drafted from the first selected series' title, if it has words."""
        analysis = self.session.analysis
        if not groups or analysis is None:
            return None
        meeting = analysis.get(groups[0].occurrence_ids[0])
        draft = rule_from_meeting(meeting, self.session.settings.me_set)
        return draft if draft.keyword else None

    def _rule_from_selected(self) -> None:
        draft = self._rule_draft(self.selected_groups())
        if draft is not None:
            from pmload_ui.rules_editor import open_rule_dialog

            open_rule_dialog(self.session, draft, "title", self)

    def selected_groups(self) -> list[ReviewGroup]:
        return [self.model.group(r) for r in selected_source_rows(self.table, self.proxy)]

    def context_menu(self, where: QPoint) -> QMenu | None:
        """The selected series' menu: Note…, the what-ifs and "Make a Rule from This Meeting"."""
        menu = QMenu(self)
        if not self.fill_menu(menu):
            return None
        menu.popup(where)
        return menu

    def clear_selected(self, category: str) -> bool:
        """Tag every selected series (all its occurrences) with ``category``."""
        groups = self.selected_groups()
        if not groups:
            return False
        first_row = min(i.row() for i in self.table.selectionModel().selectedRows())
        done = commands.tag(
            self.session, [g.occurrence_ids[0] for g in groups], category, series=True
        )
        if self.proxy.rowCount():
            self.table.selectRow(min(first_row, self.proxy.rowCount() - 1))
        return done
