"""The Week view: the translation share against the line, the week's chart, its meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pmload.rules.audit import AuditResult, WeekAudit
from pmload.rules.classify import UNCLASSIFIED
from pmload.vocab import CATEGORIES
from pmload_ui import commands
from pmload_ui.charts import ChartView
from pmload_ui.meetings_model import (
    COL_CATEGORY,
    COL_MINUTES,
    COL_PEOPLE,
    COL_REASON,
    COL_TITLE,
    COL_WHEN,
    NOT_COUNTED,
    CategoryDelegate,
    MeetingsFilter,
    MeetingsModel,
)
from pmload_ui.notes_ui import NoteDialog, book_for
from pmload_ui.session import Session
from pmload_ui.style import category_icon, hex_of, muted_text
from pmload_ui.tables import category_key, is_untag_key, setup_rows_table
from pmload_ui.week_header import WeekHeader, week_chart_description
from pmload_ui.whatif_panel import WhatIfPanel
from pmload_ui.whatif_panel import add_actions as add_what_if_actions

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class MeetingsTable(QTableView):
    """The week's meetings; keys 1/2/3 tag the selection, 0 removes its tags."""

    def __init__(self, view: WeekView) -> None:
        super().__init__(view)
        self._view = view

    def keyPressEvent(self, event: QKeyEvent) -> None:
        category = category_key(event)
        if category is not None:
            self._view.tag_selection(category)
            return
        if is_untag_key(event):
            self._view.tag_selection(None)
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self._view.context_menu(event.globalPos())


class WeekView(QWidget):
    """Header (share, verdict, streak), chart of hours, and the meetings table.

    Signals:
        settleRequested(str, object): the user asked to settle an unsure week: the view
            to show ("people" or "review") and the addresses (a tuple) of its people
            with no side (see :class:`pmload_ui.week_header.WeekHeader`).
    """

    settleRequested = Signal(str, object)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("week-view")
        self.session = session
        self.audit: WeekAudit | None = None
        self.result: AuditResult | None = None

        # header: share, verdict, what settles it ------------------------------------
        self.header = WeekHeader()
        self.header.settleRequested.connect(self.settleRequested)
        self.share_label = self.header.share_label
        self.share_caption = self.header.share_caption
        self.verdict_label = self.header.verdict_label
        self.facts_label = self.header.facts_label
        self.settle_button = self.header.settle_button

        # chart -----------------------------------------------------------------------
        self.chart = ChartView(min_height=190, name="Week chart")

        # filters and tag buttons ---------------------------------------------------------
        self.category_filter = QComboBox()
        self.category_filter.addItem("All categories", "")
        for cat in (*CATEGORIES, UNCLASSIFIED):
            self.category_filter.addItem(category_icon(cat), cat.capitalize(), cat)
        self.category_filter.addItem("Not counted", NOT_COUNTED)
        self.unclassified_only = QCheckBox("Unclassified only")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search title, people, reason, notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(120)
        self.series_box = QCheckBox("Tag whole series")
        self.series_box.setToolTip(
            "Tags apply to every occurrence of the selected meetings' series"
        )
        self.tag_buttons: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(12, 0, 12, 0)
        self.scope = QComboBox()
        self.scope.addItem("This week", "week")
        self.scope.addItem("All weeks", "all")
        self.scope.setToolTip("Show the chosen week's meetings, or every meeting in your history")
        bar.addWidget(self.scope)
        bar.addWidget(self.category_filter)
        bar.addWidget(self.unclassified_only)
        bar.addWidget(self.search, 1)
        tags = QHBoxLayout()
        tags.setContentsMargins(12, 0, 12, 4)
        self.tag_label = QLabel("Tag the selection:")
        self.tag_label.setToolTip(
            "Keys 1, 2 and 3 tag the selected meetings, 0 removes their tags; "
            "double-click a category to change it, or right-click for more"
        )
        tags.addWidget(self.tag_label)
        for i, cat in enumerate(CATEGORIES, start=1):
            b = QToolButton()
            b.setText(f"{i} {cat.capitalize()}")
            b.setIcon(category_icon(cat))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setToolTip(f"Tag the selected meetings as {cat} (key {i})")
            b.clicked.connect(lambda _c=False, c=cat: self.tag_selection(c))
            self.tag_buttons[cat] = b
            tags.addWidget(b)
        tags.addWidget(self.series_box)

        # table ---------------------------------------------------------------------------
        self.model = MeetingsModel(session.zone_or_utc(), self._tag_one, self)
        self.notes = book_for(session)
        self.model.set_notes(self.notes.of)
        self.notes.changed.connect(lambda: self.model.set_notes(self.notes.of))
        self.proxy = MeetingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = MeetingsTable(self)
        self.table.setModel(self.proxy)
        self.table.setItemDelegateForColumn(COL_CATEGORY, CategoryDelegate(self.table))
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_WHEN, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        fm = self.fontMetrics()
        setup_rows_table(self.table, fm.height() + 10, editable=True, name="Meetings")
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(True)
        hh.setHighlightSections(False)
        widths = {
            COL_WHEN: fm.horizontalAdvance("Wed 28 Sep  10:30") + 24,
            COL_TITLE: fm.horizontalAdvance("M") * 22,
            COL_PEOPLE: fm.horizontalAdvance("priya.sharma +4") + 20,
            COL_MINUTES: fm.horizontalAdvance("Min") + 28,
            COL_CATEGORY: fm.horizontalAdvance("coordination") + 48,
        }
        for col, w in widths.items():
            self.table.setColumnWidth(col, w)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(f"color: {hex_of(muted_text(self.palette()))};")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 4, 0, 0)
        tl.addLayout(bar)
        tl.addWidget(self.table, 1)
        tags.addStretch(1)
        tags.addWidget(self.count_label)
        tl.addLayout(tags)
        splitter.addWidget(table_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([220, 460])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        self.what_if = WhatIfPanel(session)
        layout.addWidget(self.what_if)
        layout.addWidget(splitter, 1)

        self.category_filter.currentIndexChanged.connect(self._filters_changed)
        self.unclassified_only.toggled.connect(self._unclassified_toggled)
        # Filtering all history takes a moment: wait for a pause in typing.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._filters_changed)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._filters_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        session.weekChanged.connect(lambda _m: self._week_changed())
        session.loaded.connect(self.reload)
        session.reclassified.connect(self.refresh)
        self._selection_changed()
        self.reload()

    # --- data ---------------------------------------------------------------------

    def all_weeks(self) -> bool:
        return bool(self.scope.currentData() == "all")

    def reload(self) -> None:
        """The rows, figures and chart (after a load, or a change of scope)."""
        analysis = self.session.analysis
        if self.all_weeks():
            rows = analysis.classified if analysis is not None else []
        else:
            rows = self.session.week_meetings()
        self.model.set_rows(rows, self.session.zone_or_utc(), with_date=self.all_weeks())
        self.table.setColumnWidth(COL_WHEN, self._when_width())
        self._update_header()

    def _week_changed(self) -> None:
        if self.all_weeks():
            self._update_header()
        else:
            self.reload()

    def _when_width(self) -> int:
        sample = "Wed 28 Sep 2026  10:30" if self.all_weeks() else "Wed 28 Sep  10:30"
        return self.fontMetrics().horizontalAdvance(sample) + 24

    def refresh(self) -> None:
        """Categories changed in place: update the rows, keep the selection."""
        analysis = self.session.analysis
        if analysis is None:
            return
        self.model.refresh(analysis.get)
        self._update_header()

    def _update_header(self) -> None:
        result = self.result = self.session.week_result()
        w = self.audit = result.weeks[0] if result is not None else None
        if w is None:
            self.header.show_loading(self.session.analysis is None)
            self.chart.set_builder(None)
            self._update_count()
            return
        analysis = self.session.analysis
        span = None
        if analysis is not None and analysis.first_week and analysis.last_week:
            span = (analysis.first_week, analysis.last_week)
        nxt = result.next_week if result is not None else None
        self.header.show_week(w, self.session.settings, self._to_come(), span, nxt)
        self.chart.set_builder(self._build_chart)
        self.chart.setAccessibleDescription(week_chart_description(w, self.session.settings))
        self._update_count()

    def _to_come(self) -> int:
        """The chosen week's counted meetings that have not started yet."""
        if self.audit is None or self.audit.complete:
            return 0
        now = datetime.now(UTC)
        return sum(
            1 for c in self.session.week_meetings() if c.excluded is None and c.occ.start > now
        )

    def _build_chart(self, width: float, height: float) -> Figure:
        from pmload.export.charts import week_chart
        from pmload.export.data import week_detail

        analysis, result = self.session.analysis, self.result
        assert analysis is not None and result is not None
        detail = week_detail(analysis, result, analysis.zone)
        fig = week_chart(detail, result.threshold, result.basis, size=(width, height))
        for ax in fig.axes:
            ax.set_title("", loc="left")
            ax.set_ylabel("hours")
            legend = ax.get_legend()
            if legend is not None:  # beside the bars, never over them
                labels = [t.get_text() for t in legend.get_texts()]
                handles = [h for h in legend.legend_handles if h is not None]
                ax.legend(handles, labels, loc="center left", bbox_to_anchor=(1.01, 0.5))
        return fig

    def _update_count(self) -> None:
        shown = self.proxy.rowCount()
        total = self.model.rowCount()
        self.count_label.setText(
            f"{shown} of {total} events" if shown != total else f"{total} events"
        )

    def settle(self) -> None:
        self.chart.settle()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "count_label"):
            self.count_label.setStyleSheet(f"color: {hex_of(muted_text(self.palette()))};")
            self.header.refresh_colours()

    def week(self) -> date:
        return self.session.week

    # --- filters --------------------------------------------------------------------

    def _filters_changed(self) -> None:
        category = str(self.category_filter.currentData() or "")
        if self.unclassified_only.isChecked():
            category = UNCLASSIFIED
        self.proxy.set_filter(category, self.search.text())
        self._update_count()

    def _unclassified_toggled(self, on: bool) -> None:
        self.category_filter.setEnabled(not on)
        self._filters_changed()

    # --- tagging -----------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return self.proxy.occurrence_ids(rows)

    def _selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        for b in self.tag_buttons.values():
            b.setEnabled(bool(ids))

    def _tag_one(self, occurrence_id: str, category: str) -> None:
        commands.tag(self.session, [occurrence_id], category, self.series_box.isChecked())

    def tag_selection(self, category: str | None) -> bool:
        """Tag (or untag) the selected meetings; counted meetings only."""
        analysis = self.session.analysis
        if analysis is None:
            return False
        ids = [i for i in self.selected_ids() if analysis.get(i).excluded is None]
        if not ids:
            self.session.message.emit(
                "Select counted meetings first; events that are not counted have no category."
            )
            return False
        selected = set(self.selected_ids())
        done = commands.tag(self.session, ids, category, self.series_box.isChecked())
        self._reselect(selected)
        return done

    def tag_series(self, category: str | None) -> bool:
        """Tag (or untag) the whole series of each selected meeting."""
        before = self.series_box.isChecked()
        self.series_box.setChecked(True)
        try:
            return self.tag_selection(category)
        finally:
            self.series_box.setChecked(before)

    def context_menu(self, where: QPoint) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        for i, cat in enumerate(CATEGORIES, start=1):
            action = menu.addAction(category_icon(cat), f"Tag as {cat.capitalize()}\t{i}")
            action.triggered.connect(lambda _c=False, c=cat: self.tag_selection(c))
        series = menu.addMenu("Tag Whole Series as")
        for cat in CATEGORIES:
            action = series.addAction(category_icon(cat), cat.capitalize())
            action.triggered.connect(lambda _c=False, c=cat: self.tag_series(c))
        menu.addSeparator()
        menu.addAction("Remove Tag\t0").triggered.connect(lambda: self.tag_selection(None))
        menu.addAction("Remove Series Tag").triggered.connect(lambda: self.tag_series(None))
        menu.addSeparator()
        self._plan_actions(menu, ids)
        self._add_rule_actions(menu, ids[0])
        menu.addSeparator()
        menu.addAction("Copy Meeting Id").triggered.connect(
            lambda: QGuiApplication.clipboard().setText("\n".join(ids))
        )
        menu.popup(where)

    def _plan_actions(self, menu: QMenu, ids: list[str]) -> None:
        """ "Note…" on the first selected meeting; the what-ifs on the selected series."""
        analysis = self.session.analysis
        if analysis is None:
            return
        first = analysis.get(ids[0]).occ
        menu.addAction("Note…").triggered.connect(lambda: self.edit_note(first.id))
        series: dict[str, str] = {}
        for i in ids:
            c = analysis.get(i)
            if c.excluded is None:
                series.setdefault(c.occ.uid, c.occ.title)
        if series:
            add_what_if_actions(menu, self.session, list(series.items()))

    def edit_note(self, occurrence_id: str) -> NoteDialog | None:
        """Open the note of a meeting (its series' when "Tag whole series" is on)."""
        analysis = self.session.analysis
        if analysis is None:
            return None
        dialog = NoteDialog(
            self.notes, analysis.get(occurrence_id).occ, self.series_box.isChecked(), self
        )
        dialog.open()
        return dialog

    def _add_rule_actions(self, menu: QMenu, occurrence_id: str) -> None:
        """ "Make a Rule from This Meeting" (pmload_ui.rules_editor)."""
        from pmload_ui.rules_editor import add_rule_actions

        analysis = self.session.analysis
        if analysis is not None:
            add_rule_actions(menu, self.session, analysis.get(occurrence_id), self)

    def _reselect(self, ids: set[str]) -> None:
        sel = self.table.selectionModel()
        sel.clearSelection()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if self.proxy.occurrence_ids([row])[0] in ids:
                sel.select(
                    index,
                    QItemSelectionModel.SelectionFlag.Select
                    | QItemSelectionModel.SelectionFlag.Rows,
                )


__all__ = ["COL_MINUTES", "COL_PEOPLE", "COL_REASON", "COL_TITLE", "WeekView"]
