"""``pmload audit``: the weekly translation audit, as a Friday table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pmload.cli.common import add_format
from pmload.cli.table import printable, table_lines
from pmload.config import Settings
from pmload.context import Context
from pmload.period import (
    add_period_arguments,
    monday_of,
    period_from_args,
    today_in,
    week_label,
)
from pmload.rules import glossary
from pmload.rules.analysis import Analysis
from pmload.rules.audit import AuditResult, WeekAudit, audit_to_json
from pmload.rules.compare import comparison_phrases, comparison_text, next_week_text
from pmload.rules.verdict import threshold_pct, verdict_pct
from pmload.vocab import ALL_CATEGORIES, Basis, Verdict


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "audit",
        help="weekly translation share against your threshold, with the other load figures",
        description=(
            "For each ISO week: meeting hours by category, the translation share "
            "(flagged when above the threshold; a range marked 'unsure' when unclassified "
            "hours could still take it over), streaks of complete weeks, people met, bridge hours, "
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
    today = today_in(ctx.zone)
    result = analysis.audit(period, today)
    if args.format == "json":
        print(json.dumps(audit_to_json(result), indent=2, ensure_ascii=False))
    else:
        print(render_table(result, ctx.settings), end="")
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


def _week_cell(w: WeekAudit) -> str:
    if w.in_progress:
        return f"{w.week} so far"
    return f"{w.week} scheduled" if w.scheduled else w.week


def _flag(w: WeekAudit) -> str:
    if not w.has_data:
        return "no data"
    if w.verdict is Verdict.OVER:
        return f"OVER x{w.streak}" if w.streak > 1 else "OVER"
    return "unsure" if w.verdict is Verdict.UNSURE else ""


def _row(w: WeekAudit, threshold: float) -> list[str]:
    share = verdict_pct(w.share_low, w.share_high, w.verdict, threshold, decimals=1)
    return [
        _week_cell(w),
        _h(w.meeting_hours),
        *(_h(w.hours[c]) for c in ALL_CATEGORIES),
        share if w.has_data else "-",
        _flag(w),
        str(w.people_met),
        _h(w.bridge_hours),
        str(len(w.back_to_back)),
        str(w.context_switches),
        _h(w.hours_outside_window),
        _h(w.focus_hours),
    ]


def _settles(people: int, series: int) -> str:
    """'sides for 20 people (`pmload people`) and 7 series to review (`pmload review`)'."""
    parts = []
    if people:
        parts.append(f"sides for {_n(people, 'person', 'people')} (`pmload people`)")
    if series:
        parts.append(f"{_n(series, 'series', 'series')} to review (`pmload review`)")
    return " and ".join(parts) or "tagging its unclassified meetings (`pmload review`)"


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def summary_lines(result: AuditResult, basis: str) -> list[str]:
    """The period's figures (complete weeks only), the latest complete week against last
    week and the 4-week average, and beside them the week in progress and, when the
    period reaches it, next week as scheduled so far."""
    s = result.summary
    thr = result.threshold
    n = s.complete_weeks
    if s.verdict is None:
        lines = [
            f"Period: no complete week with calendar data ({_n(n, 'complete week', 'complete weeks')})."
        ]
    else:
        share = verdict_pct(s.share_low, s.share_high, s.verdict, thr, decimals=1)
        line = threshold_pct(thr)
        verdict = {
            Verdict.OVER: f"over the {line} line",
            Verdict.UNDER: f"under the {line} line",
            Verdict.UNSURE: f"a range across the {line} line",
        }
        least = "at least " if s.verdict is Verdict.UNSURE else ""
        weeks = _n(n, "complete week", "complete weeks")
        if s.weeks_without_data:
            weeks += f", {s.weeks_without_data} without calendar data"
        lines = [
            f"Period ({weeks}): translation {share} of "
            f"{basis}, {verdict[s.verdict]}; mean weekly share {least}"
            f"{_pct(s.mean_weekly_share)}; last 4 weeks {least}{_pct(s.rolling_4w_share)}."
        ]
    lines.append(
        f"Weeks over {threshold_pct(thr)}: {s.weeks_over} of {n}, {s.weeks_unsure} unsure; "
        f"longest streak {s.longest_streak}, current streak {s.current_streak}."
    )
    if s.weeks_unsure or s.verdict is Verdict.UNSURE:
        lines.append(
            "Unsure: unclassified hours could still be translation; "
            f"{_settles(len(s.unknown_people), len(s.unclassified_series))} settle it."
        )
    latest = next((w for w in reversed(result.weeks) if w.complete and w.has_data), None)
    if latest is not None:
        lines.append(
            f"Latest complete week ({latest.week}): {comparison_text(latest, thr, decimals=1)}."
        )
    w = s.in_progress_week
    if w is not None:
        share = verdict_pct(w.share_low, w.share_high, w.verdict, thr, decimals=1)
        lines.append(
            f"This week so far ({w.week}, as scheduled): translation {share}, "
            f"{', '.join([_verdict_words(w), *comparison_phrases(w)])}; not counted above."
        )
    if s.scheduled_weeks:
        lines.append(
            f"{_n(s.scheduled_weeks, 'later week is', 'later weeks are')} scheduled, "
            "not counted above."
        )
    nxt = result.next_week
    today = result.today
    if nxt is not None and today is not None and result.period.last_sunday >= monday_of(today):
        lines.append(_next_week_line(nxt, thr))
    return lines


def _next_week_line(w: WeekAudit, threshold: float) -> str:
    """Next week as scheduled so far: what is already on the calendar (core's words)."""
    text = next_week_text(w, threshold, decimals=1)
    return text if not w.has_data else f"{text}; not counted above."


def _verdict_words(w: WeekAudit) -> str:
    if not w.has_data:
        return "no calendar data"
    return {Verdict.OVER: "over", Verdict.UNDER: "under", Verdict.UNSURE: "unsure"}[w.verdict]


def render_table(result: AuditResult, settings: Settings) -> str:
    """The audit as a person reads it on Friday: aligned columns, flagged weeks marked.

    Which week is in progress comes from the audit (``result.today``).
    """
    basis = "meeting hours" if result.basis is Basis.MEETINGS else "working hours"
    lines = [
        f"Translation audit {result.period.label()} "
        f"(flag: translation above {threshold_pct(result.threshold)} of {basis})",
        "",
    ]
    rows = [_row(w, result.threshold) for w in result.weeks]
    lines += table_lines(
        rows,
        header=[name for name, _ in _COLUMNS],
        right={i for i, (_, align) in enumerate(_COLUMNS) if align == ">"},
    )
    lines += ["", *summary_lines(result, basis)]
    if result.top_translation_series:
        lines.append(
            "Top translation series: "
            + "; ".join(f"{printable(t)} ({_h(h)} h)" for t, h in result.top_translation_series)
            + "."
        )
    lines.append("")
    lines += [
        f"Share: translation / {basis}; a range low–high when unclassified hours "
        "could still be translation.",
        "Flag: OVER (xN: N complete weeks in a row), unsure (the range crosses the line), "
        "blank: under.",
        "so far: the week in progress, as scheduled; scheduled: later weeks. Neither is "
        "counted in the period's figures or streaks.",
        "Meet h: counted meeting hours.  Bridge: translation as the sole bridge.",
        *(
            f"{column}: {term[0]}, {term[1]}."
            for column, term in (
                ("B2B", glossary.BACK_TO_BACK),
                ("Switch", glossary.CONTEXT_SWITCHES),
                ("Outside", glossary.outside_hours(settings)),
                ("Focus", glossary.focus_time(settings)),
            )
        ),
    ]
    return "\n".join(lines) + "\n"
