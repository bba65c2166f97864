"""Settings › Calendar sources: every calendar pmload reads, with Refresh and Remove.

Subscriptions show their masked address (scheme, host and "…") and when they
were last fetched; files and zip members their path. Refresh fetches a
subscription again (conditionally) or re-reads a file or zip; Remove drops a
source with its meetings and, for a subscription, forgets its address. The
list is read and every change made off the GUI thread (BackgroundOp); the
import flow (pmload_ui.import_flow) does the imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pmload import store
from pmload.store import Source
from pmload_ui.background import BackgroundOp, Job
from pmload_ui.session import Session

if TYPE_CHECKING:
    from pmload_ui.import_flow import ImportFlow

_Index = QModelIndex | QPersistentModelIndex
_KIND = {"file": "File", "zip": "Zip", "url": "Subscription", "google": "Google"}
HEADERS = ("Calendar", "Kind", "Where", "Last refresh", "Events")


def last_refresh(s: Source) -> str:
    """When the source was last read: for a subscription, its last fetch (a 304 too)."""
    stamp = s.last_import or ""
    if s.kind == "url" and s.last_checked and s.last_checked > stamp:
        stamp = s.last_checked
    return stamp.replace("T", " ").removesuffix("Z") + " UTC" if stamp else "never"


class SourcesModel(QAbstractTableModel):
    """The sources (pmload.store.Source) as a table; swapped whole by :meth:`set_sources`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources: list[Source] = []

    def set_sources(self, sources: list[Source]) -> None:
        self.beginResetModel()
        self.sources = list(sources)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sources)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.sources):
            return None
        s = self.sources[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return s.name or "—"
            if col == 1:
                return _KIND.get(s.kind, s.kind)
            if col == 2:
                return s.shown if s.kind != "google" else "Google Calendar"
            if col == 3:
                return last_refresh(s)
            if col == 4:
                return f"{s.events:,}"
        if role == Qt.ItemDataRole.ToolTipRole and col == 2 and s.kind != "google":
            return s.shown
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SourcesPanel(QGroupBox):
    """The "Calendar sources" group of Settings (a list, Subscribe, Refresh, Remove)."""

    def __init__(
        self, session: Session, imports: ImportFlow, parent: QWidget | None = None
    ) -> None:
        super().__init__("Calendar sources", parent)
        self.setObjectName("sources-panel")
        self.session = session
        self.imports = imports
        self.model = SourcesModel(self)
        self.table = QTableView()
        self.table.setObjectName("sources-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.empty = QLabel("No calendars yet: import a file or subscribe to a calendar URL.")
        self.empty.setWordWrap(True)
        self.subscribe_button = QPushButton("Subscribe to a Calendar URL…")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Fetch or read the selected calendar again")
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setToolTip("Remove the selected calendar and its meetings")
        self.on_start = QCheckBox("Refresh subscribed calendars when pmload starts")
        self.on_start.setChecked(imports.refresh_on_start)
        buttons = QHBoxLayout()
        buttons.addWidget(self.subscribe_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.on_start)

        self.subscribe_button.clicked.connect(self.open_subscribe)
        self.refresh_button.clicked.connect(self.refresh_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.on_start.toggled.connect(imports.set_refresh_on_start)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        session.loaded.connect(self.reload)
        session.dataDeleted.connect(self.reload)
        self._update_buttons()
        self.reload()

    # --- the list ----------------------------------------------------------------

    def reload(self) -> None:
        """Read the sources off the GUI thread and swap them in."""
        db = self.session.paths.database

        def work(_job: Job) -> list[Source]:
            with store.connected(db) as conn:
                return store.list_sources(conn)

        self.session.run(BackgroundOp(work, self).success(self._loaded))

    def _loaded(self, sources: list[Source]) -> None:
        selected = self.selected()
        self.model.set_sources(sources)
        self.empty.setVisible(not sources)
        if selected is not None:
            for row, s in enumerate(sources):
                if s.id == selected.id:
                    self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> Source | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.model.sources):
            return None
        return self.model.sources[rows[0].row()]

    def _update_buttons(self) -> None:
        s = self.selected()
        self.remove_button.setEnabled(s is not None)
        self.refresh_button.setEnabled(s is not None and s.kind != "google")

    # --- actions ----------------------------------------------------------------

    def open_subscribe(self) -> None:
        from pmload_ui.subscribe_dialog import SubscribeDialog

        dialog = SubscribeDialog(self.imports.subscribe, self.window())
        dialog.open()

    def refresh_selected(self) -> None:
        s = self.selected()
        if s is None or s.kind == "google":
            return
        if s.kind == "url":
            self.imports.refresh_subscriptions([s.id])
        elif s.kind == "zip":
            from pmload.ingest.zipped import zip_path_of

            self.imports.start([zip_path_of(s.location)])
        else:
            self.imports.start([Path(s.location)])

    def remove_selected(self, confirm: bool = True) -> None:
        s = self.selected()
        if s is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Remove this Calendar?",
                f"Remove “{s.name or s.shown}” and its {s.occurrences:,} meetings from pmload? "
                + (
                    "pmload forgets its address too."
                    if s.kind == "url"
                    else "The calendar itself is not changed."
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        db, paths, source_id = self.session.paths.database, self.session.paths, s.id

        def work(_job: Job) -> bool:
            from pmload.ingest.subscriptions import remove_source

            with store.connected(db) as conn:
                return remove_source(conn, paths, source_id)

        def done(_removed: bool) -> None:
            self.session.message.emit(f"Removed {s.name or 'the calendar'} and its meetings.")
            self.session.load_async()

        def failed(exc: BaseException) -> None:
            from pmload_ui.background import failure_text

            self.session.failed.emit(failure_text(exc))

        self.session.run(BackgroundOp(work, self).success(done).failure(failed))
