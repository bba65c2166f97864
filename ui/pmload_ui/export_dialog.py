"""The Export dialog: the brief and each chart with a live preview, saved or copied.

Usage (the app wires a menu item to it)::

    dialog = ExportDialog(analysis, paths, parent=window, week=session.week)
    dialog.exec()

``analysis`` is the app's :class:`pmload.rules.analysis.Analysis` (read only here,
from a pool thread too: the app never changes an Analysis once it is shown; its
settings, threshold included, and zone are used); ``paths`` is the
:class:`pmload.paths.Paths` of the session (the Save dialog starts in the user's
home folder). Optional ``today`` fixes "today" (tests) and ``weeks`` the initial
number of complete weeks. The week chart shows ``week`` (the week on screen; by
default the core's :func:`pmload.export.render.default_week`), and the dialog
names it and offers every week of ``bounds`` (first and last Mondays). With
``source`` (a callable giving the app's current Analysis), :meth:`analysis_changed`
picks up a re-classified one (new settings) and renders again. All figures come
from :mod:`pmload.export.render`, the same code as ``pmload export``; this widget
only gathers choices and shows results.

The brief's "My asks" (:mod:`pmload.export.asks`) are in a text box, one ask a
line: a draft from the data and the what-if ``proposals`` (stacks of
:class:`pmload.rules.whatif.SeriesChange` the user added from the What-if panel),
or the asks remembered for the same period; once the user edits them, their text
is what the brief prints. Saving the brief remembers its asks for the period (the
store's ``asks`` table), so the next brief says what was asked last time.

Previews render to PNG in memory in a background op, a short moment after the
last change; a stale result (the user changed something meanwhile) is dropped.

Signals:
    previewReady(): a new preview is shown (tests wait on it).
    saved(str): a file was written; the argument is its path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pmload.errors import PmloadError
from pmload.export.charts.data import date_label
from pmload.export.render import EXPORT_KINDS, EXPORT_TITLES, default_period, default_week
from pmload.period import Period, monday_of, week_label
from pmload_ui.background import EXPORT_MODULES, BackgroundOp, Job, failure_text

log = logging.getLogger(__name__)

REDACTIONS = (
    ("none", "Nothing hidden"),
    ("titles", "Hide meeting titles"),
    ("people", "Hide people (show their side)"),
    ("all", "Hide titles and people"),
)
FORMATS = (("pdf", "PDF"), ("png", "PNG image"), ("svg", "SVG"))
PREVIEW_DPI = {"brief": 80.0}
DEBOUNCE_MS = 150


@dataclass(frozen=True, slots=True)
class BriefAsks:
    """What the brief's "My asks" will print, and the facts they were made for."""

    asks: list[str]
    since: str | None
    redactor: Any
    facts: Any


def brief_asks(
    analysis: Any,
    database: Path,
    period: Period,
    redact: str,
    today: date,
    edited: list[str] | None,
    proposals: Sequence[Sequence[Any]],
) -> BriefAsks:
    """The asks of the brief (off the GUI thread): the user's ``edited`` lines, else the
    asks remembered for ``period`` (after the proposals), else the draft; and what
    was asked last time. Raises ``UsageError`` for asks that do not fit the page."""
    from pmload import store
    from pmload.export.asks import (
        MAX_ASKS,
        asks_of,
        clean_asks,
        draft_for,
        previous_asks,
        proposals_for,
        since_text,
    )
    from pmload.export.brief_facts import brief_facts
    from pmload.export.render import redactor_for

    facts = brief_facts(analysis, period, today)
    redactor = redactor_for(analysis.settings, redact)
    with store.connected(database) as conn:
        remembered = asks_of(conn, period)
        before = previous_asks(conn, period)
    if edited is not None:
        asks = clean_asks(edited)
    elif remembered is not None:  # new proposals go first
        texts = proposals_for(analysis, period, proposals, redactor, today) if proposals else []
        asks = list(dict.fromkeys([*texts, *remembered.asks]))[:MAX_ASKS]
    else:
        asks = draft_for(analysis, facts, redactor, proposals, today)
    since = since_text(before, facts) if before is not None else None
    return BriefAsks(asks=asks, since=since, redactor=redactor, facts=facts)


def remember_asks(database: Path, facts: Any, asks: Sequence[str]) -> None:
    """Keep the saved brief's asks for its period (one small transaction)."""
    from pmload import store
    from pmload.export.asks import save_asks

    with store.connected(database) as conn:
        save_asks(conn, facts, asks)


class ExportDialog(QDialog):
    """Choose what to export, see it, then Save… or Copy image to clipboard."""

    previewReady = Signal()
    saved = Signal(str)

    def __init__(
        self,
        analysis: Any,
        paths: Any,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        weeks: int | None = None,
        week: date | None = None,
        bounds: tuple[date, date] | None = None,
        source: Callable[[], Any] | None = None,
        proposals: Sequence[Sequence[Any]] = (),
    ) -> None:
        super().__init__(parent)
        self._proposals = [tuple(p) for p in proposals]
        self._asks_edited = False
        self._filling_asks = False
        self._brief_facts: Any = None
        self._brief_asks: list[str] = []
        self.setWindowTitle("Export")
        self._analysis = analysis
        self._source = source
        self._paths = paths
        self._today = today or datetime.now(analysis.zone).date()
        self._viewed = monday_of(week) if week is not None else None
        self._generation = 0
        self._png: bytes = b""
        self._figure: Any = None
        self._figure_choice: tuple[Any, ...] | None = None

        self.kind = QComboBox()
        for k in EXPORT_KINDS:
            self.kind.addItem(EXPORT_TITLES[k], k)
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 156)
        self.weeks.setSuffix(" complete weeks")
        self.weeks.setValue(weeks or 6)
        self.week = QComboBox()
        self.week.setAccessibleName("Week to export")
        self._fill_weeks(bounds)
        self.paper = QComboBox()
        self.paper.addItem("Letter", "letter")
        self.paper.addItem("A4", "a4")
        self.redact = QComboBox()
        for value, label in REDACTIONS:
            self.redact.addItem(label, value)
        self.format = QComboBox()
        for value, label in FORMATS:
            self.format.addItem(label, value)
        self.period_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Export", self.kind)
        form.addRow("Period", self.weeks)
        form.addRow("Week", self.week)
        form.addRow("", self.period_label)
        self._form = form
        form.addRow("Paper", self.paper)
        form.addRow("Privacy", self.redact)
        form.addRow("Format", self.format)

        self.preview = QLabel("Rendering…")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setMinimumSize(420, 320)
        scroll = self._scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(680)

        self.save_button = QPushButton("Save…")
        self.copy_button = QPushButton("Copy image to clipboard")
        close = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        self.asks_label = QLabel("My asks (one a line):")
        self.asks_edit = QPlainTextEdit()
        self.asks_edit.setAccessibleName("My asks")
        self.asks_edit.setPlaceholderText("- A second bridge for the weekly model review")
        self.asks_edit.setMinimumWidth(300)
        self.asks_reset = QPushButton("Back to the draft")
        self.asks_reset.setToolTip("Replace your edits with the draft from the data and what-ifs")
        self.asks_reset.setEnabled(False)
        self.asks_box = QWidget()
        asks_layout = QVBoxLayout(self.asks_box)
        asks_layout.setContentsMargins(0, 8, 0, 0)
        asks_layout.addWidget(self.asks_label)
        asks_layout.addWidget(self.asks_edit, 1)
        asks_layout.addWidget(self.asks_reset, 0, Qt.AlignmentFlag.AlignRight)

        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.asks_box, 1)
        body = QHBoxLayout()
        body.addLayout(left)
        body.addWidget(scroll, 1)
        root = QVBoxLayout(self)
        root.addLayout(body, 1)
        root.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)

        self._timer.timeout.connect(self._render)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.weeks.valueChanged.connect(self._changed)
        self.week.currentIndexChanged.connect(self._changed)
        self.paper.currentIndexChanged.connect(self._changed)
        self.redact.currentIndexChanged.connect(self._changed)
        self.asks_edit.textChanged.connect(self._asks_changed)
        self.asks_reset.clicked.connect(self.reset_asks)
        self.save_button.clicked.connect(self._save)
        self.copy_button.clicked.connect(self.copy_image)
        close.clicked.connect(self.reject)

        self.resize(1080, 760)
        self._kind_changed()

    # --- choices -----------------------------------------------------------

    def _fill_weeks(self, bounds: tuple[date, date] | None) -> None:
        """Every week from ``bounds`` (default: the calendar's, with the week in progress),
        latest first, each named with its state; the week on screen is chosen."""
        current = monday_of(self._today)
        if bounds is None:
            first = self._analysis.first_week or current
            bounds = (min(first, current), max(self._analysis.last_week or current, current))
        chosen = self._viewed or default_week(self._analysis, self._today).first_monday
        chosen = min(max(chosen, bounds[0]), bounds[1])
        monday = bounds[1]
        while monday >= bounds[0]:
            self.week.addItem(self._week_text(monday), monday.isoformat())
            monday -= timedelta(weeks=1)
        self.week.setCurrentIndex(max(self.week.findData(chosen.isoformat()), 0))

    def _week_text(self, monday: date) -> str:
        """'2026-W49 so far (30 Nov - 6 Dec 2026)', as the week chart titles it."""
        current = monday_of(self._today)
        state = " so far" if monday == current else ", scheduled" if monday > current else ""
        return f"{week_label(monday)}{state} ({date_label(monday, monday + timedelta(days=6))})"

    def chosen_week(self) -> date:
        """The Monday of the week the week chart shows."""
        value = self.week.currentData()
        return date.fromisoformat(value) if isinstance(value, str) else monday_of(self._today)

    def choice(self) -> tuple[str, Any, str, str]:
        """(kind, period, redaction, paper) as chosen now."""
        kind = str(self.kind.currentData())
        if kind == "week":
            period = Period.of_weeks(self.chosen_week(), 1)
        else:
            period = default_period(kind, self._today, self.weeks.value())
        return kind, period, str(self.redact.currentData()), str(self.paper.currentData())

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        brief = kind == "brief"
        self.paper.setEnabled(brief)
        self.weeks.setEnabled(kind != "week")
        self.week.setEnabled(kind == "week")
        self._form.setRowVisible(self.weeks, kind != "week")
        self._form.setRowVisible(self.week, kind == "week")
        self.redact.setEnabled(kind in ("brief", "series"))
        self.asks_box.setVisible(brief)
        self._changed()

    def _asks_changed(self) -> None:
        if self._filling_asks:
            return
        self._asks_edited = True
        self.asks_reset.setEnabled(True)
        self._changed()

    def reset_asks(self) -> None:
        """Forget the user's edits: the draft (or the remembered asks) again."""
        self._asks_edited = False
        self.asks_reset.setEnabled(False)
        self._changed()

    def asks_lines(self) -> list[str]:
        return self.asks_edit.toPlainText().splitlines()

    def _fill_asks(self, asks: Sequence[str]) -> None:
        self._filling_asks = True
        try:
            self.asks_edit.setPlainText("\n".join(f"- {a}" for a in asks))
        finally:
            self._filling_asks = False

    def analysis_changed(self) -> None:
        """The app re-classified its history (new tags or settings): render again."""
        if self._source is not None:
            analysis = self._source()
            if analysis is not None and analysis is not self._analysis:
                self._analysis = analysis
                self._changed()

    def period_text(self) -> str:
        """The period under the choices; for the week chart, whether it is the week on screen."""
        kind, period, _redact, _paper = self.choice()
        label = str(period.label())
        if kind != "week" or self._viewed is None:
            return label
        if period.first_monday == self._viewed:
            return f"{label}: the week on screen"
        return f"{label} (on screen: {week_label(self._viewed)})"

    def _changed(self) -> None:
        self.period_label.setText(self.period_text())
        self._generation += 1
        self.save_button.setEnabled(False)
        self.copy_button.setEnabled(False)
        self.status.setText("Rendering the preview…")
        self._timer.start()

    # --- preview (off the GUI thread) --------------------------------------

    def _render(self) -> None:
        from pmload.export.render import export_figure, preview_png

        generation = self._generation
        kind, period, redact, paper = self.choice()
        analysis, today = self._analysis, self._today
        edited = self.asks_lines() if self._asks_edited else None
        proposals, database = list(self._proposals), self._paths.database

        def work(_job: Job) -> tuple[int, Any, bytes, tuple[Any, ...], Any]:
            asks = None
            if kind == "brief":
                asks = brief_asks(analysis, database, period, redact, today, edited, proposals)
                fig = export_figure(
                    analysis,
                    kind,
                    period,
                    redact=redact,
                    paper=paper,
                    today=today,
                    asks=asks.asks,
                    since=asks.since,
                    redactor=asks.redactor,
                )
            else:
                fig = export_figure(analysis, kind, period, redact=redact, paper=paper, today=today)
            png = preview_png(fig, dpi=PREVIEW_DPI.get(kind, 90.0))
            return generation, fig, png, (kind, period, redact, paper), asks

        op = BackgroundOp(work, self, imports=EXPORT_MODULES)  # imported on the GUI thread
        op.success(self._show).failure(lambda exc: self._failed(generation, exc))
        op.run_in_background()

    def _show(self, result: tuple[int, Any, bytes, tuple[Any, ...], Any]) -> None:
        generation, fig, png, choice, asks = result
        if generation != self._generation:
            return  # the user changed something meanwhile; a newer render is on its way
        self._figure, self._png, self._figure_choice = fig, png, choice
        if asks is not None:
            self._brief_facts, self._brief_asks = asks.facts, list(asks.asks)
            if not self._asks_edited:
                self._fill_asks(asks.asks)
        pixmap = QPixmap.fromImage(QImage.fromData(png))
        self.preview.setPixmap(pixmap)
        self.preview.setMinimumSize(pixmap.size())  # scroll, never clip, a tall page
        self.preview.updateGeometry()
        self._scroll.verticalScrollBar().setValue(0)
        self.status.setText("")
        self.save_button.setEnabled(True)
        self.copy_button.setEnabled(True)
        self.previewReady.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return  # a newer render is on its way
        self.status.setText(failure_text(exc))
        self.preview.setText("No preview.")

    # --- actions -----------------------------------------------------------

    def preview_image(self) -> QImage:
        """The preview shown now (null before the first render)."""
        return QImage.fromData(self._png)

    def copy_image(self) -> None:
        """Put the current preview on the clipboard as an image."""
        image = self.preview_image()
        if image.isNull():
            return
        QGuiApplication.clipboard().setImage(image)
        self.status.setText("Copied the image to the clipboard.")

    def save_to(self, path: Path) -> Path:
        """Write the current figure to ``path`` (the format follows the extension)."""
        from pmload.export.render import save_export

        if self._figure is None or self._figure_choice is None:
            raise PmloadError("the preview is not ready yet; try again in a moment.")
        written = save_export(self._figure, str(self._figure_choice[0]), Path(path))
        if self._figure_choice[0] == "brief" and self._brief_facts is not None:
            remember_asks(self._paths.database, self._brief_facts, self._brief_asks)
        self.status.setText(f"Saved {written.name}.")
        self.saved.emit(str(written))
        return written

    def _save(self) -> None:
        kind = str(self.kind.currentData())
        fmt = str(self.format.currentData())
        name = f"pmload-{kind}-{self._figure_choice[1].label() if self._figure_choice else ''}"
        start = Path.home() / f"{name.replace(' ', '_')}.{fmt}"
        filters = {"pdf": "PDF (*.pdf)", "png": "PNG image (*.png)", "svg": "SVG (*.svg)"}
        chosen, _ = QFileDialog.getSaveFileName(self, "Save export", str(start), filters[fmt])
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".pdf", ".png", ".svg"):
            path = path.with_suffix(f".{fmt}")
        try:
            self.save_to(path)
        except PmloadError as exc:
            self.status.setText(str(exc))
