"""The four charts, as matplotlib ``Figure`` objects built without pyplot.

Each builder takes plain data (pmload.export.charts.data) and returns a Figure that
the CLI saves (pmload.export.charts.style.save_figure), the brief places on its page
and the app embeds with FigureCanvasQTAgg. Every chart names its period, its
unit and the threshold, and reads in black and white (hatches, direct labels).
"""

from __future__ import annotations

import math
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
    period_label,
)
from pmload.export.charts.style import (
    CATEGORY_COLOURS,
    CATEGORY_HATCHES,
    CHART_CATEGORIES,
    NOT_COMPLETE_ALPHA,
    OVER_COLOUR,
    OVER_HATCH,
    SCHEDULED_SHADE,
    STREAK_COLOUR,
    TEXT,
    UNDER_COLOUR,
    UNSURE_COLOUR,
    UNSURE_HATCH,
    UNSURE_KNOWN_COLOUR,
    VERDICT_COLOURS,
    VERDICT_HATCHES,
    chart_style,
    hatch_colour,
    literal,
    new_figure,
)
from pmload.rules.verdict import range_pct, share_pct, threshold_pct, verdict_pct
from pmload.vocab import Basis, Category, Verdict, WeekState

CHART_KINDS = ("share", "hours", "series", "week")
DEFAULT_SIZE = (8.0, 4.0)
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_BAR_CODES = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]


def _basis_unit(basis: str) -> str:
    return "working hours" if basis is Basis.WORKING_HOURS else "meeting hours"


def _week_ticks(
    ax: Axes, weeks: Sequence[WeekPoint], label: Callable[[WeekPoint], str] | None = None
) -> None:
    """Week labels under the bars, thinned so they never overlap (the week in progress kept)."""
    n = len(weeks)
    step = max(1, -(-n // 14))
    idx = list(range(0, n, step))
    current = next((i for i, w in enumerate(weeks) if w.state is WeekState.IN_PROGRESS), None)
    if current is not None and current not in idx:
        idx = [i for i in idx if abs(i - current) >= step] + [current]
        idx.sort()
    ax.set_xticks(idx)
    text = label or (lambda w: f"W{w.week[-2:]}\n{day_month(w.start)}")
    ax.set_xticklabels([text(weeks[i]) for i in idx], fontsize=7.5)
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
    alpha: float = 1.0,
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
            alpha=alpha if alpha < 1.0 else None,
        )
    )


def _no_data(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=TEXT)
    ax.set_xticks([])
    ax.set_yticks([])


def _streak_runs(weeks: Sequence[WeekPoint]) -> list[tuple[int, int]]:
    """(first index, last index) of every run of over complete weeks that makes a streak of 2+.

    A run at the start of the chart may continue a streak from before the period;
    the week in progress and scheduled weeks are never part of a streak.
    """
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, w in enumerate([*weeks, None]):
        flagged = w is not None and w.over and w.complete
        if flagged and start is None:
            start = i
        elif not flagged and start is not None:
            if weeks[i - 1].streak >= 2:
                runs.append((start, i - 1))
            start = None
    return runs


def _share_tick(w: WeekPoint) -> str:
    label = f"W{w.week[-2:]}\n{day_month(w.start)}"
    return label + "\nso far" if w.state is WeekState.IN_PROGRESS else label


def _scheduled_span(ax: Axes, weeks: Sequence[WeekPoint], top: float) -> None:
    """Shade the scheduled weeks (after the week in progress) and name them once."""
    first = next((i for i, w in enumerate(weeks) if w.state is WeekState.SCHEDULED), None)
    if first is None:
        return
    last = len(weeks) - 1
    ax.axvspan(first - 0.5, last + 0.5, color=SCHEDULED_SHADE, lw=0, zorder=0)
    ax.text(
        (first + last) / 2,
        top * 0.985,
        "scheduled",
        ha="center",
        va="top",
        fontsize=7.5,
        color=TEXT,
        clip_on=True,
    )


def _share_bars(ax: Axes, weeks: Sequence[WeekPoint]) -> None:
    """One compound patch per look: verdict x (complete or not).

    Over and under weeks are a bar up to the share; an unsure week is its range
    (share to high end) in the neutral unsure look over a pale bar up to the share,
    so it never reads as an under bar.
    """
    for complete in (True, False):
        alpha = 1.0 if complete else NOT_COMPLETE_ALPHA
        mine = [(i, w) for i, w in enumerate(weeks) if w.complete is complete and w.has_data]
        if not mine:
            continue
        xs = [float(i) for i, _ in mine]
        for verdict in (Verdict.OVER, Verdict.UNDER):
            heights = [w.share * 100 if w.verdict is verdict else 0.0 for _, w in mine]
            _bars(
                ax,
                xs,
                heights,
                colour=VERDICT_COLOURS[verdict],
                hatch=VERDICT_HATCHES[verdict],
                linewidth=0.5,
                alpha=alpha,
            )
        unsure = [w.verdict is Verdict.UNSURE for _, w in mine]
        lows = [w.share * 100 if u else 0.0 for (_, w), u in zip(mine, unsure, strict=True)]
        spans = [
            (w.share_high - w.share) * 100 if u else 0.0
            for (_, w), u in zip(mine, unsure, strict=True)
        ]
        _bars(ax, xs, lows, colour=UNSURE_KNOWN_COLOUR, linewidth=0.5, alpha=alpha)
        _bars(
            ax,
            xs,
            spans,
            lows,
            colour=UNSURE_COLOUR,
            hatch=UNSURE_HATCH,
            linewidth=0.5,
            alpha=alpha,
        )


def _share_legend(ax: Axes, weeks: Sequence[WeekPoint], threshold: float, top: float) -> None:
    line = threshold_pct(threshold)
    handles = [
        Patch(facecolor=OVER_COLOUR, hatch=OVER_HATCH, edgecolor="#333333", label=f"over {line}"),
        Patch(facecolor=UNDER_COLOUR, edgecolor="#333333", label="at or under"),
    ]
    if any(w.verdict is Verdict.UNSURE and w.has_data for w in weeks):
        handles.append(
            Patch(
                facecolor=UNSURE_COLOUR,
                hatch=UNSURE_HATCH,
                hatchcolor=hatch_colour(UNSURE_COLOUR),
                edgecolor="#333333",
                label="unsure: the range",
            )
        )
    if any(not w.complete and w.has_data for w in weeks):  # drawn paler
        scheduled = any(w.state is WeekState.SCHEDULED and w.has_data for w in weeks)
        handles.append(
            Patch(
                facecolor="#FFFFFF",
                edgecolor="#777777",
                label="so far / scheduled" if scheduled else "so far",
            )
        )
    handles.extend(ln for ln in ax.get_lines() if str(ln.get_label()).startswith(ROLLING_LABEL))  # type: ignore[misc]
    # Outside on the right, above or below the threshold label, whichever has room.
    fig = ax.get_figure(root=True)
    height = ax.get_position().height * (fig.get_figheight() if isinstance(fig, Figure) else 4.0)
    needed = (0.17 * len(handles) + 0.1) / max(height, 0.1)  # of the axes' height
    at = threshold * 100 / top
    below = 1.0 - at < needed + 0.06 and at > 1.0 - at
    ax.legend(
        handles=handles,
        loc="lower left" if below else "upper left",
        bbox_to_anchor=(1.0, 0.0 if below else 1.0),
        borderaxespad=0.3,
    )


def draw_share(
    ax: Axes,
    weeks: Sequence[WeekPoint],
    threshold: float,
    basis: Basis = Basis.MEETINGS,
    rolling: bool = False,
) -> None:
    """The share chart's content on an existing Axes (the brief and the app's Trends reuse it).

    Bars take the verdict's colour and pattern (style.VERDICT_COLOURS); an unsure
    week shows its range, labelled "20–60%"; the week in progress is labelled
    "so far" and drawn paler, as are scheduled weeks; a week without calendar data
    has no bar and says "no data". Streaks are shaded over complete weeks only.
    ``rolling`` adds the 4-week average line (``WeekPoint.rolling_4w``, complete weeks
    only, as the audit computes it).
    """
    if not weeks:
        _no_data(ax, "No weeks in this period.")
        return
    xs = list(range(len(weeks)))
    highs = [max(w.share, w.share_high) * 100 for w in weeks]
    top = max(100.0 * threshold + 15, max(highs) + 12, 50.0)
    top = min(top, 112.0) if max(highs) <= 100 else max(highs) + 12
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
    _scheduled_span(ax, weeks, top)
    _share_bars(ax, weeks)
    ax.axhline(threshold * 100, color="black", linestyle="--", linewidth=1.1, zorder=3)
    ax.text(
        1.0,
        threshold * 100,
        f" threshold {threshold_pct(threshold)}",
        transform=ax.get_yaxis_transform(),
        ha="left",
        va="center",
        fontsize=8,
        fontweight="normal",
        clip_on=False,
    )
    labelled = len(weeks) <= 16
    for x, w in zip(xs, weeks, strict=True):
        if not w.has_data:
            ax.text(x, 1.0, "no\ndata", ha="center", va="bottom", fontsize=6.5, color=TEXT)
            continue
        if labelled:
            unsure = w.verdict is Verdict.UNSURE
            ax.text(
                x,
                (w.share_high if unsure else w.share) * 100 + 1.0,
                verdict_pct(w.share, w.share_high, w.verdict, threshold),
                ha="center",
                va="bottom",
                fontsize=6.5 if unsure else 7,
                fontweight="normal",
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
            )
    if rolling:
        _rolling_line(ax, weeks)
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylabel(f"translation share (% of {_basis_unit(basis)})")
    _week_ticks(ax, weeks, _share_tick)
    _share_legend(ax, weeks, threshold, top)


ROLLING_LABEL = "4-week average"


def _rolling_line(ax: Axes, weeks: Sequence[WeekPoint]) -> None:
    """The 4-week average of complete weeks as a line; gaps where there is none.

    With unsure weeks it averages known translation only (the low ends), and says so."""
    ys = [w.rolling_4w * 100 if w.rolling_4w is not None else float("nan") for w in weeks]
    if all(math.isnan(y) for y in ys):
        return
    unsure = any(w.verdict is Verdict.UNSURE and w.has_data and w.complete for w in weeks)
    ax.plot(
        range(len(weeks)),
        ys,
        color="black",
        linewidth=1.6,
        marker="o",
        markersize=3,
        zorder=5,
        label=f"{ROLLING_LABEL}\n(known translation)" if unsure else ROLLING_LABEL,
    )


def share_chart(
    weeks: Sequence[WeekPoint],
    threshold: float,
    basis: Basis = Basis.MEETINGS,
    size: tuple[float, float] = DEFAULT_SIZE,
    rolling: bool = False,
) -> Figure:
    """Weekly translation share, the threshold line, flagged weeks hatched, streaks shaded;
    ``rolling``: with the 4-week average line."""
    with chart_style():
        fig = new_figure(*size)
        ax = fig.add_subplot()
        draw_share(ax, weeks, threshold, basis, rolling)
        ax.set_title(
            f"Translation share by week, threshold {threshold_pct(threshold)}\n"
            f"{period_label(list(weeks))}",
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
    _week_ticks(ax, weeks, _share_tick)
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
        if not w.has_data:
            _no_data(ax, "No calendar data for this week.")
            ax.set_title(_week_title(w, threshold, basis), loc="left")
            return fig
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
        ax.set_title(_week_title(w, threshold, basis), loc="left")
    return fig


def _week_title(w: WeekPoint, threshold: float, basis: Basis) -> str:
    """The week chart's two title lines: the week and its state, then its verdict."""
    line = threshold_pct(threshold)
    unit = _basis_unit(basis)
    when = {
        WeekState.COMPLETE: f"Week {w.week}",
        WeekState.IN_PROGRESS: f"Week {w.week} so far",
        WeekState.SCHEDULED: f"Week {w.week}, scheduled",
    }[w.state]
    head = f"{when} ({date_label(w.start, w.end)})"
    if not w.has_data:
        return f"{head}\nno calendar data for this week"
    scheduled = "" if w.complete else " as scheduled"
    head += f": {w.meeting_hours:.1f} h of meetings{scheduled}"
    if w.verdict is Verdict.UNSURE:
        unclassified = w.hours.get(Category.UNCLASSIFIED, 0.0)
        return (
            f"{head}, {unclassified:.1f} h unclassified\ntranslation share unsure: "
            f"{range_pct(w.share, w.share_high, threshold)} of {unit}, across the {line} "
            "threshold"
        )
    flag = "OVER" if w.verdict is Verdict.OVER else "at or under"
    streak = f", streak {w.streak} weeks" if w.streak > 1 else ""
    return (
        f"{head}\ntranslation share {share_pct(w.share, threshold)} of {unit}, {flag} the "
        f"{line} threshold{streak}"
    )
