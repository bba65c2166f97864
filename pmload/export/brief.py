"""The one-page brief for a manager one-on-one, as a matplotlib Figure and a PDF.

Layout (top to bottom): title and period; four headline figures (the
period's translation share as ``pmload audit`` computes it, a range when the
period is unsure; complete weeks over the threshold; the current streak; hours
a week as the only bridge), all over the period's complete weeks; a note when
weeks are unsure, saying what settles them; the share and hours charts (the
week in progress labelled "so far"); the top translation series; "My asks" (the PM's own bullets, and what was asked last time); talking
points chosen from the data; a note on method pointing to docs/how-it-counts.md. Everything is placed in inches from the top of a
Letter or A4 page so nothing moves with the data. With redaction, titles
become "Series A"… and people their side; the PDF's metadata never holds
calendar text.
"""

from __future__ import annotations

import io
import logging
import os
import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Rectangle

from pmload.errors import PmloadError, UsageError
from pmload.export.brief_facts import BriefFacts, talking_points
from pmload.export.charts.builders import draw_hours, draw_share
from pmload.export.charts.data import day_month
from pmload.export.charts.style import (
    OKABE_ITO,
    TEXT,
    UNSURE_COLOUR,
    UNSURE_HATCH,
    chart_style,
    figure_bytes,
    literal,
    no_ligatures,
    pdf_metadata,
)
from pmload.export.redact import Redactor
from pmload.fileio import write_export
from pmload.vocab import Verdict

log = logging.getLogger(__name__)

PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
LETTER_TERRITORIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "PR", "SV", "PA"}
MARGIN = 0.6  # inches
SERIES_ROWS = 4
MUTED = "#555555"


def default_paper(env: dict[str, str] | None = None) -> str:
    """'letter' where the locale's territory uses it (or no locale is set), else 'a4'."""
    env = dict(os.environ) if env is None else env
    for var in ("LC_ALL", "LC_PAPER", "LANG"):
        value = env.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            lang = value.split(".")[0]
            territory = lang.split("_")[1] if "_" in lang else ""
            return "letter" if territory.upper() in LETTER_TERRITORIES or not territory else "a4"
    return "letter"


class _Page:
    """Places things in inches from the top-left corner of the page."""

    def __init__(self, fig: Figure, width: float, height: float) -> None:
        self.fig, self.w, self.h = fig, width, height

    def x(self, inches: float) -> float:
        return inches / self.w

    def y(self, inches_from_top: float) -> float:
        return 1.0 - inches_from_top / self.h

    def axes(
        self, top: float, height: float, left: float = 0.0, width: float | None = None
    ) -> Axes:
        width = self.w - 2 * MARGIN - left if width is None else width
        return self.fig.add_axes(
            (
                self.x(MARGIN + left),
                self.y(top + height),
                width / self.w,
                height / self.h,
            )
        )

    def text(self, x: float, top: float, s: str, **kw: object) -> None:
        """Draw ``s`` as written (titles and names may hold ``$``: never mathtext)."""
        self.fig.text(self.x(x), self.y(top), literal(s), va="top", **kw)  # type: ignore[arg-type]

    def lines(self, x: float, top: float, lines: Sequence[str], step: float, **kw: object) -> None:
        """One Text per line: matplotlib drops font features (no ligatures) on multi-line text."""
        for i, line in enumerate(lines):
            self.text(x, top + i * step, line, **kw)


def _headline(page: _Page, facts: BriefFacts) -> None:
    n = facts.n_weeks
    thr = facts.threshold_text
    streak = facts.current_streak
    unsure = facts.verdict is Verdict.UNSURE
    share_label = (
        f"translation share range\nacross the {thr} line"
        if unsure
        else f"translation share of\n{facts.basis_unit} (line: {thr})"
    )
    also = f", {facts.weeks_unsure} unsure" if facts.weeks_unsure else ""
    cards = [
        (facts.share_text, share_label),
        (f"{facts.weeks_over} of {n}", f"complete weeks over\nthe {thr} line{also}"),
        (f"{streak} week{'s' if streak != 1 else ''}", "current streak of\nweeks over"),
        (f"{facts.bridge_hours_per_week:.1f} h", "a week as the\nonly bridge"),
    ]
    top, height, gap = 1.2, 0.85, 0.15
    width = (page.w - 2 * MARGIN - gap * (len(cards) - 1)) / len(cards)
    over = facts.verdict is Verdict.OVER
    for i, (value, label) in enumerate(cards):
        left = MARGIN + i * (width + gap)
        alert = (i == 0 and over) or (i == 2 and streak >= 2)
        doubt = i == 0 and unsure
        box = FancyBboxPatch(
            (page.x(left), page.y(top + height)),
            width / page.w,
            height / page.h,
            boxstyle="round,pad=0,rounding_size=0.01",
            transform=page.fig.transFigure,
            facecolor="#FBEFE6" if alert else "#F2F2F2",
            edgecolor=OKABE_ITO["vermillion"] if alert else ("#666666" if doubt else "#999999"),
            linewidth=1.4 if alert or doubt else 0.8,
            linestyle="--" if doubt else "-",
        )
        page.fig.patches.append(box)
        cx = left + width / 2
        size = 20 if len(value) <= 7 else 16
        page.text(cx, top + 0.07 + (20 - size) * 0.006, value, ha="center", fontsize=size,
                  fontweight="bold")  # fmt: skip
        page.text(cx, top + 0.45, label, ha="center", fontsize=8, color=MUTED, linespacing=1.2)


def _unsure_note(page: _Page, note: str, top: float) -> float:
    """The 'not settled yet' note beside a neutral swatch; returns the inch below it."""
    page.fig.patches.append(
        Rectangle(
            (page.x(MARGIN), page.y(top + 0.16)),
            0.16 / page.w,
            0.16 / page.h,
            transform=page.fig.transFigure,
            facecolor=UNSURE_COLOUR,
            hatch=UNSURE_HATCH,
            edgecolor="#333333",
            linewidth=0.6,
        )
    )
    lines = textwrap.wrap(note, int((page.w - 2 * MARGIN - 0.3) * 15.5))
    page.lines(MARGIN + 0.28, top, lines, fontsize=8.5, step=0.152, color=TEXT)
    return top + 0.152 * len(lines) + 0.05


def _subtitle(facts: BriefFacts, today: date) -> str:
    """Two lines: the period and what it counts; when it was made, and what is only charted."""
    n = facts.n_weeks
    first = (
        f"{facts.period_text}, {n} complete week{'s' if n != 1 else ''}; "
        f"threshold {facts.threshold_text} of {facts.basis_unit}"
    )
    second = f"Prepared {day_month(today)} {today.year} from my calendar with pmload"
    now = facts.in_progress
    scheduled = facts.result.summary.scheduled_weeks
    beside = []
    if now is not None:
        beside.append(f"{now.week} so far")
    if scheduled:
        beside.append(f"{scheduled} scheduled week{'s' if scheduled != 1 else ''}")
    if beside:
        second += f"; {' and '.join(beside)} charted, not counted"
    return f"{first}\n{second}"


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _series_table(page: _Page, facts: BriefFacts, redactor: Redactor, top: float) -> float:
    """The top translation series; returns the inch position below the table."""
    page.text(MARGIN, top, "Top translation meetings", fontsize=11, fontweight="bold")
    rows = list(facts.series[:SERIES_ROWS])
    y = top + 0.28
    cols = [
        (MARGIN, "meeting", "left"),
        (MARGIN + 3.15, "h / week", "right"),
        (MARGIN + 3.95, "meetings", "right"),
        (MARGIN + 4.85, "only bridge", "right"),
        (MARGIN + 5.0, "with", "left"),
    ]
    for x, name, ha in cols:
        page.text(x, y, name, fontsize=7.5, color=MUTED, ha=ha, fontweight="bold")
    y += 0.18
    page.fig.add_artist(
        _rule(page, y - 0.03),
    )
    if not rows:
        empty = (
            "No translation meetings in this period's complete weeks."
            if facts.n_weeks
            else "No complete week in this period yet."
        )
        page.text(MARGIN, y + 0.02, empty, fontsize=8.5)
        return y + 0.25
    with_chars = int((page.w - 2 * MARGIN - 5.0) * 13.5)  # the "with" column's room
    for s in rows:
        values = [
            _short(s.label(redactor), 40),
            f"{facts.per_week(s.hours):.1f}",
            f"{s.meetings}",
            f"{facts.per_week(s.bridge_hours):.1f} h/wk" if s.bridge_hours else "-",
            _short(redactor.people_summary(s.people, limit=2), with_chars),
        ]
        for (x, _name, ha), v in zip(cols, values, strict=True):
            page.text(x, y, v, fontsize=8.5, ha=ha)
        y += 0.19
    return y + 0.05


def _rule(page: _Page, at: float) -> Line2D:
    return Line2D(
        [page.x(MARGIN), page.x(page.w - MARGIN)],
        [page.y(at), page.y(at)],
        transform=page.fig.transFigure,
        color="#999999",
        linewidth=0.6,
    )


def _asks(
    page: _Page, asks: Sequence[str], since: str | None, top: float, bottom_limit: float
) -> float:
    """ "My asks": the PM's own bullets, then what was asked last time (in muted text)."""
    page.text(MARGIN, top, "My asks", fontsize=11, fontweight="bold")
    y = _bullets(page, asks, top + 0.27, bottom_limit)
    if since:
        width_chars = int((page.w - 2 * MARGIN) * 17.5)
        lines = textwrap.wrap(since, width_chars)
        page.lines(MARGIN, y, lines, fontsize=7.8, step=0.14, color=MUTED)
        y += 0.14 * len(lines) + 0.05
    return y


def _points(page: _Page, points: Sequence[str], top: float, bottom_limit: float) -> float:
    """The talking points, under a heading only when at least the first one fits."""
    width_chars = int((page.w - 2 * MARGIN - 0.25) * 16.2)
    first = len(textwrap.wrap(points[0], width_chars)) if points else 0
    if not points or top + 0.27 + 0.16 * first > bottom_limit:
        log.debug("brief: no talking point fitted under the asks")
        return top
    page.text(MARGIN, top, "Talking points", fontsize=11, fontweight="bold")
    return _bullets(page, points, top + 0.27, bottom_limit)


def _bullets(page: _Page, points: Sequence[str], top: float, bottom_limit: float) -> float:
    y = top
    width_chars = int((page.w - 2 * MARGIN - 0.25) * 16.2)
    for p in points:
        lines = textwrap.wrap(p, width_chars)
        if y + 0.16 * len(lines) > bottom_limit:
            log.debug("brief: a bullet did not fit the page and was left out")
            break
        page.fig.add_artist(
            Line2D(
                [page.x(MARGIN + 0.05)],
                [page.y(y + 0.065)],
                transform=page.fig.transFigure,
                marker="o",
                markersize=3.2,
                color=TEXT,
            )
        )
        page.lines(MARGIN + 0.2, y, lines, fontsize=8.5, step=0.152)
        y += 0.152 * len(lines) + 0.07
    return y


def brief_figure(
    facts: BriefFacts,
    redactor: Redactor | None = None,
    paper: str = "letter",
    journal_lines: Sequence[str] | None = None,
    today: date | None = None,
    asks: Sequence[str] = (),
    since: str | None = None,
) -> Figure:
    """The whole brief as one page-sized Figure (no pyplot).

    ``asks``: the "My asks" bullets (:mod:`pmload.export.asks`), placed before the
    talking points, which give way to them when the page is full; ``since``: what was
    asked last time and what changed, under them.
    """
    if paper not in PAPERS:
        raise UsageError(f"'{paper}' is not a paper size (use letter or a4).")
    redactor = redactor or Redactor()
    width, height = PAPERS[paper]
    today = today or date.today()
    with chart_style():
        fig = Figure(figsize=(width, height))
        page = _Page(fig, width, height)
        page.text(
            MARGIN,
            MARGIN - 0.1,
            "Translation load: where my meeting time goes",
            fontsize=15,
            fontweight="bold",
        )
        page.text(
            MARGIN,
            MARGIN + 0.22,
            _subtitle(facts, today),
            fontsize=8.5,
            color=MUTED,
            linespacing=1.4,
        )
        _headline(page, facts)
        y = 2.15
        if journal_lines:
            page.text(MARGIN, y - 0.05, ";  ".join(journal_lines), fontsize=8.5, color=TEXT)
            y += 0.2
        note = facts.unsure_note()
        if note:
            y = _unsure_note(page, note, y - 0.05) + 0.05
        chart_w = width - 2 * MARGIN - 1.55
        # With "My asks" the charts give up some height, so the talking points keep room.
        squeeze = 0.5 if (asks or since) else 0.0
        ax = page.axes(y + 0.3, 1.6 - squeeze, left=0.45, width=chart_w)
        draw_share(ax, facts.weeks, facts.result.threshold, facts.result.basis)
        ax.set_ylabel(f"% of {facts.basis_unit}")
        ax.set_title("Translation share by week", loc="left", fontsize=10, fontweight="bold")
        y += 2.3 - squeeze
        ax = page.axes(y + 0.3, 1.2 - squeeze / 2, left=0.45, width=chart_w)
        draw_hours(ax, facts.weeks)
        ax.set_ylabel("hours (h)")
        ax.set_title(
            "Meeting hours by category, per week", loc="left", fontsize=10, fontweight="bold"
        )
        y += 1.85 - squeeze / 2
        y = _series_table(page, facts, redactor, y + 0.1)
        footer = height - MARGIN - 0.25
        if asks or since:
            y = _asks(page, asks, since, y + 0.1, footer - 0.05)
        _points(page, talking_points(facts, redactor), y + 0.1, footer - 0.05)
        note = (
            "Translation: a meeting where I am the only bridge between technical and business "
            "people, or whose title marks it as a readout, escalation or exec brief. Share = "
            f"translation hours / {facts.basis_unit}, per ISO week; a week is over when its "
            f"share is above the {facts.threshold_text} threshold, unsure when its unclassified "
            "hours could still take it over (shown as a range). Figures count complete weeks "
            "only. How pmload counts: docs/how-it-counts.md."
        )
        wrap = int((width - 2 * MARGIN) * 21.5)
        page.lines(MARGIN, footer, textwrap.wrap(note, wrap), fontsize=6.8, step=0.12, color=MUTED)
    return fig


def write_brief(fig: Figure, path: Path, *, private: bool = False) -> Path:
    """Save the brief: a one-page PDF (or PNG/SVG for a preview) by the extension.

    ``private`` (a brief with journal scores) makes the file 0600, whatever the umask.
    """
    path = Path(path)
    fmt = {".pdf": "pdf", ".png": "png", ".svg": "svg"}.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"'{path.name}' must end in .pdf (or .png or .svg).")
    if not path.parent.is_dir():
        raise PmloadError(f"cannot write {path}: folder {path.parent} does not exist.")
    if fmt == "pdf":
        no_ligatures(fig)
        buf = io.BytesIO()
        with chart_style():
            fig.canvas.print_figure(buf, format="pdf", metadata=pdf_metadata("pmload brief"))
        data = buf.getvalue()
    else:
        data = figure_bytes(fig, fmt)
    write_export(path, data, private=private)
    log.info("saved the brief as %s", fmt)  # not the path: a file name can be private
    return path
