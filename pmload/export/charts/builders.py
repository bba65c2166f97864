"""The four charts, as matplotlib ``Figure`` objects built without pyplot.

Each builder takes plain data (pmload.export.charts.data) and returns a Figure that
the CLI saves (pmload.export.charts.style.save_figure), the brief places on its page
and the app embeds with FigureCanvasQTAgg. Every chart names its period, its
unit and the threshold, and reads in black and white (hatches, direct labels).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from pmload.export.charts.data import (
    SeriesPoint,
    WeekDetail,
    WeekPoint,
    date_label,
    day_month,
    pct,
    period_label,
)
from pmload.export.charts.style import (
    CATEGORY_COLOURS,
    CATEGORY_HATCHES,
    CHART_CATEGORIES,
    OVER_COLOUR,
    OVER_HATCH,
    STREAK_COLOUR,
    TEXT,
    UNDER_COLOUR,
    chart_style,
    hatch_colour,
    literal,
    new_figure,
)
from pmload.vocab import Basis, Category

CHART_KINDS = ("share", "hours", "series", "week")
DEFAULT_SIZE = (8.0, 4.0)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BAR_CODES = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]


def _basis_unit(basis: str) -> str:
    return "working hours" if basis is Basis.WORKING_HOURS else "meeting hours"


def _week_ticks(ax: Axes, weeks: Sequence[WeekPoint]) -> None:
    """Week labels under the bars, thinned so they never overlap."""
    n = len(weeks)
    step = max(1, -(-n // 14))
    idx = list(range(0, n, step))
    ax.set_xticks(idx)
    ax.set_xticklabels(
        [f"W{weeks[i].week[-2:]}\n{day_month(weeks[i].start)}" for i in idx], fontsize=7.5
    )
    ax.set_xlim(-0.6, n - 0.4)


def _bars(
    ax: Axes,
    xs: Sequence[float],
    heights: Sequence[float],
    bottoms: Sequence[float] | None = None,
    *,
    colour: str,
    hatch: str = "",
    width: float = 0.8,
    linewidth: float = 0.4,
    zorder: float = 2,
) -> None:
    """Bars drawn as one compound patch: a hatch is rendered once, not once per bar (fast)."""
    verts: list[tuple[float, float]] = []
    codes: list[Any] = []
    base = bottoms if bottoms is not None else [0.0] * len(xs)
    for x, h, b in zip(xs, heights, base, strict=True):
        if h <= 0:
            continue
        left, right = x - width / 2, x + width / 2
        verts += [(left, b), (right, b), (right, b + h), (left, b + h), (left, b)]
        codes += _BAR_CODES
    if not verts:
        return
    ax.add_patch(
        PathPatch(
            Path(verts, codes),
            facecolor=colour,
            hatch=hatch or None,
            hatchcolor=hatch_colour(colour),
            edgecolor="#333333",
            linewidth=linewidth,
            zorder=zorder,
        )
    )


def _no_data(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=TEXT)
    ax.set_xticks([])
    ax.set_yticks([])


def _streak_runs(weeks: Sequence[WeekPoint]) -> list[tuple[int, int]]:
    """(first index, last index) of every run of flagged weeks that makes a streak of 2+.

    A run at the start of the chart may continue a streak from before the period.
    """
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, w in enumerate([*weeks, None]):
        flagged = w is not None and w.over
        if flagged and start is None:
            start = i
        elif not flagged and start is not None:
            if weeks[i - 1].streak >= 2:
                runs.append((start, i - 1))
            start = None
    return runs


def draw_share(
    ax: Axes, weeks: Sequence[WeekPoint], threshold: float, basis: Basis = Basis.MEETINGS
) -> None:
    """The share chart's content on an existing Axes (the brief reuses it)."""
    if not weeks:
        _no_data(ax, "No weeks in this period.")
        return
    xs = list(range(len(weeks)))
    shares = [w.share * 100 for w in weeks]
    top = max(100.0 * threshold + 15, max(shares) + 12, 50.0)
    top = min(top, 112.0) if max(shares) <= 100 else max(shares) + 12
    for lo, hi in _streak_runs(weeks):
        ax.axvspan(lo - 0.5, hi + 0.5, color=STREAK_COLOUR, alpha=0.18, lw=0, zorder=0)
        ax.text(
            (lo + hi) / 2,
            top * 0.985,
            f"{weeks[hi].streak}-week streak",
            ha="center",
            va="top",
            fontsize=7.5,
            color=TEXT,
            clip_on=True,
        )
    over = [sh if w.over else 0.0 for sh, w in zip(shares, weeks, strict=True)]
    under = [0.0 if w.over else sh for sh, w in zip(shares, weeks, strict=True)]
    _bars(ax, xs, over, colour=OVER_COLOUR, hatch=OVER_HATCH, linewidth=0.5)
    _bars(ax, xs, under, colour=UNDER_COLOUR, linewidth=0.5)
    ax.axhline(threshold * 100, color="black", linestyle="--", linewidth=1.1, zorder=3)
    ax.text(
        1.0,
        threshold * 100,
        f" threshold {pct(threshold)}",
        transform=ax.get_yaxis_transform(),
        ha="left",
        va="center",
        fontsize=8,
        fontweight="normal",
        clip_on=False,
    )
    if len(weeks) <= 16:
        for x, w in zip(xs, weeks, strict=True):
            ax.text(
                x,
                w.share * 100 + 1.0,
                f"{pct(w.share)}",
                ha="center",
                va="bottom",
                fontsize=7,
                fontweight="normal",
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
            )
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylabel(f"translation share (% of {_basis_unit(basis)})")
    _week_ticks(ax, weeks)
    # Legend outside on the right, away from the threshold label.
    high = threshold * 100 / top > 0.6
    ax.legend(
        handles=[
            Patch(
                facecolor=OVER_COLOUR,
                hatch=OVER_HATCH,
                edgecolor="#333333",
                label=f"over {pct(threshold)}",
            ),
            Patch(facecolor=UNDER_COLOUR, edgecolor="#333333", label="at or under"),
        ],
        loc="lower left" if high else "upper left",
        bbox_to_anchor=(1.0, 0.0 if high else 1.0),
        borderaxespad=0.3,
    )


def share_chart(
    weeks: Sequence[WeekPoint],
    threshold: float,
    basis: Basis = Basis.MEETINGS,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """Weekly translation share, the threshold line, flagged weeks hatched, streaks shaded."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        draw_share(ax, weeks, threshold, basis)
        ax.set_title(
            f"Translation share by week, threshold {pct(threshold)}\n{period_label(list(weeks))}",
            loc="left",
        )
    return fig


def _stack_categories(
    ax: Axes,
    xs: list[int],
    values: Callable[[Category], list[float]],
    label: Callable[[Category], str],
) -> tuple[list[float], list[Patch]]:
    """Stacked bars, one layer per category (unclassified only when present).

    Returns the stack totals and the legend handles, bottom layer first.
    """
    bottom = [0.0] * len(xs)
    handles: list[Patch] = []
    for cat in CHART_CATEGORIES:
        vals = values(cat)
        if cat is Category.UNCLASSIFIED and not any(vals):
            continue
        _bars(ax, xs, vals, bottom, colour=CATEGORY_COLOURS[cat], hatch=CATEGORY_HATCHES[cat])
        handles.append(
            Patch(
                facecolor=CATEGORY_COLOURS[cat],
                hatch=CATEGORY_HATCHES[cat],
                hatchcolor=hatch_colour(CATEGORY_COLOURS[cat]),
                edgecolor="#333333",
                label=label(cat),
            )
        )
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    return bottom, handles


def draw_hours(ax: Axes, weeks: Sequence[WeekPoint]) -> None:
    """Stacked meeting hours per category per week, on an existing Axes."""
    if not weeks:
        _no_data(ax, "No weeks in this period.")
        return
    xs = list(range(len(weeks)))
    bottom, handles = _stack_categories(
        ax, xs, lambda cat: [float(w.hours.get(cat, 0.0)) for w in weeks], lambda cat: cat
    )
    if len(weeks) <= 16:
        for x, total in zip(xs, bottom, strict=True):
            ax.text(x, total + 0.3, f"{total:.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_ylim(0, max(max(bottom) * 1.22, 1.0))
    ax.set_ylabel("meeting hours per week (h)")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    _week_ticks(ax, weeks)
    ax.legend(handles=handles[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0))


def hours_chart(weeks: Sequence[WeekPoint], size: tuple[float, float] = DEFAULT_SIZE) -> Figure:
    """Stacked meeting hours per category per week."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        draw_hours(ax, weeks)
        ax.set_title(
            f"Meeting hours by category, per week\n{period_label(list(weeks))}", loc="left"
        )
    return fig


def _short(label: str, width: int = 38) -> str:
    return label if len(label) <= width else label[: width - 3] + "..."


def series_chart(
    series: Sequence[SeriesPoint],
    weeks: Sequence[WeekPoint],
    size: tuple[float, float] = DEFAULT_SIZE,
    top: int = 8,
) -> Figure:
    """The top recurring meetings by translation hours over the period (horizontal bars)."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        rows = sorted(series, key=lambda s: (-s.hours, s.label))[:top]
        if not rows:
            _no_data(ax, "No translation meetings in this period.")
        else:
            ys = [max(len(rows), 5) - 1 - i for i in range(len(rows))]
            ax.barh(
                ys,
                [s.hours for s in rows],
                color=CATEGORY_COLOURS[Category.TRANSLATION],
                hatch=CATEGORY_HATCHES[Category.TRANSLATION],
                edgecolor="#333333",
                linewidth=0.5,
                height=0.6,
            )
            ax.set_ylim(-0.6, max(len(rows), 5) - 0.4)  # bars keep their thickness
            ax.set_yticks(ys)
            ax.set_yticklabels([literal(_short(s.label)) for s in rows])
            width = max(s.hours for s in rows)
            for y, s in zip(ys, rows, strict=True):
                note = f"{s.hours:.1f} h" + (f", {s.meetings} meetings" if s.meetings else "")
                ax.text(s.hours + width * 0.01, y, " " + note, va="center", fontsize=7.5)
            ax.set_xlim(0, width * 1.3)
            ax.set_xlabel("translation hours in the period (h)")
        ax.set_title(
            f"Top recurring meetings by translation hours\n{period_label(list(weeks))}",
            loc="left",
        )
    return fig


def week_chart(
    detail: WeekDetail,
    threshold: float,
    basis: Basis = Basis.MEETINGS,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """One week: meeting hours per day by category, with the week's share in the title."""
    w = detail.week
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        days = list(detail.days)
        xs = list(range(len(days)))
        bottom, handles = _stack_categories(
            ax,
            xs,
            lambda cat: [float(d.hours.get(cat, 0.0)) for d in days],
            lambda cat: f"{cat} {w.hours.get(cat, 0.0):.1f} h",
        )
        for x, total in zip(xs, bottom, strict=True):
            if total > 0:
                ax.text(x, total + 0.05, f"{total:.1f} h", ha="center", va="bottom", fontsize=7.5)
        ax.set_xticks(xs)
        ax.set_xticklabels([f"{WEEKDAY_NAMES[d.day.weekday()]}\n{day_month(d.day)}" for d in days])
        ax.set_xlim(-0.6, len(days) - 0.4)
        ax.set_ylim(0, max(max(bottom, default=0.0) * 1.3, 1.0))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:g}"))
        ax.set_ylabel("meeting hours per day (h)")
        ax.legend(handles=handles, loc="upper left", ncols=min(len(handles), 4))
        flag = "OVER" if w.over else "at or under"
        streak = f", streak {w.streak} weeks" if w.streak > 1 else ""
        ax.set_title(
            f"Week {w.week} ({date_label(w.start, w.end)}): {w.meeting_hours:.1f} h of meetings\n"
            f"translation share {pct(w.share)} of {_basis_unit(basis)}, {flag} the "
            f"{pct(threshold)} threshold{streak}",
            loc="left",
        )
    return fig
