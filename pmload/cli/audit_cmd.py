"""``pmload audit``: the weekly translation audit, as a Friday table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from typing import Any

from pmload.cli.common import add_format
from pmload.cli.table import printable, table_lines
from pmload.config import Settings
from pmload.context import Context
from pmload.period import add_period_arguments, period_from_args, today_in, week_label
from pmload.rules.analysis import Analysis
from pmload.rules.audit import AuditResult, WeekAudit, audit_to_json
from pmload.vocab import ALL_CATEGORIES, Basis


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "audit",
        help="weekly translation share against your threshold, with the other load figures",
        description=(
            "For each ISO week: meeting hours by category, the translation share "
            "(flagged when above the threshold), streaks, people met, bridge hours, "
            "back-to-back chains, context switches, hours outside the working window "
            "and focus time."
        ),
    )
    add_period_arguments(p)
    add_format(p, "table", "json")
    p.set_defaults(func=_audit)


def warn_without_me(ctx: Context, analysis: Analysis) -> None:
    """Without ``me`` addresses the user counts as one of the other people: say so."""
    if not ctx.settings.me and analysis.occurrences:
        print(
            f"pmload: warning: {ctx.paths.rules_file} lists none of your addresses (me = [...]), "
            "so you are counted as one of the other people.",
            file=sys.stderr,
        )


def _audit(ctx: Context, args: argparse.Namespace) -> int:
    period = period_from_args(args, ctx.zone)
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    warn_without_me(ctx, analysis)
    result = analysis.audit(period)
    if args.format == "json":
        print(json.dumps(audit_to_json(result), indent=2, ensure_ascii=False))
    else:
        print(render_table(result, ctx.settings, today_in(ctx.zone)), end="")
        if not any(w.meetings for w in result.weeks):
            first, last = analysis.first_week, analysis.last_week
            if first is None or last is None:
                print("\nNo calendar imported yet: run `pmload import FILE`.")
            else:
                print(
                    f"\nNo counted meetings in this period; your calendar runs from "
                    f"{week_label(first)} to {week_label(last)}."
                )
    return 0


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _h(x: float) -> str:
    return f"{x:.1f}"


_COLUMNS = (
    ("Week", "<"),
    ("Meet h", ">"),
    ("Transl", ">"),
    ("Coord", ">"),
    ("Strat", ">"),
    ("Uncl", ">"),
    ("Share", ">"),
    ("Flag", "<"),
    ("People", ">"),
    ("Bridge", ">"),
    ("B2B", ">"),
    ("Switch", ">"),
    ("Outside", ">"),
    ("Focus", ">"),
)


def _row(w: WeekAudit, today: date | None) -> list[str]:
    so_far = today is not None and w.start <= today < w.start + timedelta(days=7)
    return [
        w.week + ("*" if so_far else ""),
        _h(w.meeting_hours),
        *(_h(w.hours[c]) for c in ALL_CATEGORIES),
        _pct(w.translation_share),
        (f"OVER x{w.streak}" if w.streak > 1 else "OVER") if w.over_threshold else "",
        str(w.people_met),
        _h(w.bridge_hours),
        str(len(w.back_to_back)),
        str(w.context_switches),
        _h(w.hours_outside_window),
        _h(w.focus_hours),
    ]


def render_table(result: AuditResult, settings: Settings, today: date | None = None) -> str:
    """The audit as a person reads it on Friday: aligned columns, flagged weeks marked."""
    basis = "meeting hours" if result.basis is Basis.MEETINGS else "working hours"
    lines = [
        f"Translation audit {result.period.label()} "
        f"(flag: translation above {_pct(result.threshold)} of {basis})",
        "",
    ]
    rows = [_row(w, today) for w in result.weeks]
    lines += table_lines(
        rows,
        header=[name for name, _ in _COLUMNS],
        right={i for i, (_, align) in enumerate(_COLUMNS) if align == ">"},
    )
    s = result.summary
    n = len(result.weeks)
    lines += [
        "",
        f"Period: translation {_pct(s.share)} of {basis}; "
        f"mean weekly share {_pct(s.mean_weekly_share)}; "
        f"last 4 weeks {_pct(s.rolling_4w_share)}.",
        f"Weeks over {_pct(result.threshold)}: {s.weeks_over} of {n}; "
        f"longest streak {s.longest_streak}, current streak {s.current_streak}.",
    ]
    if result.top_translation_series:
        lines.append(
            "Top translation series: "
            + "; ".join(f"{printable(t)} ({_h(h)} h)" for t, h in result.top_translation_series)
            + "."
        )
    start, end = settings.workday
    lines.append("")
    if any(r[0].endswith("*") for r in rows):
        lines.append("* this week so far.")
    lines += [
        "Meet h: counted meeting hours.  Bridge: translation as the sole bridge.",
        "B2B: back-to-back chains (5 min or less between meetings).",
        "Switch: category changes between consecutive meetings in a day.",
        f"Outside: meeting hours outside {start:%H:%M}-{end:%H:%M} on workdays.",
        "Focus: free blocks of 2 h or more inside that window on workdays.",
    ]
    return "\n".join(lines) + "\n"
