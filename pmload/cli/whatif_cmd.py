"""``pmload what-if``: the period's share if a series did not happen, or were shared."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pmload.cli.audit_cmd import warn_without_me
from pmload.cli.common import add_format
from pmload.cli.table import table_lines
from pmload.context import Context
from pmload.errors import UsageError
from pmload.period import add_period_arguments, period_from_args, today_in
from pmload.rules.analysis import Analysis
from pmload.rules.verdict import threshold_pct, verdict_pct
from pmload.rules.whatif import Figures, SeriesChange, WhatIf, figures, what_if, what_if_to_json
from pmload.vocab import Basis, Verdict, WhatIfChange


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "what-if",
        help="your translation share if a series did not happen, or someone else bridged it",
        description=(
            "Before and after: the period's translation share, range, verdict and weeks "
            "over (complete weeks only, as `pmload audit` counts them) if some series did "
            "not happen (--without) or someone else bridged them (--shared: their "
            "translation hours count as coordination). Repeat the options to stack changes; "
            "`pmload review --format json` and `pmload meetings --format json` show the UIDs."
        ),
    )
    add_period_arguments(p)
    p.add_argument(
        "--without",
        dest="changes",
        action="append",
        type=_change(WhatIfChange.WITHOUT),
        metavar="UID",
        help="the series with this UID does not happen (or you stop attending)",
    )
    p.add_argument(
        "--shared",
        dest="changes",
        action="append",
        type=_change(WhatIfChange.SHARED),
        metavar="UID",
        help="someone else bridges this series: its translation becomes coordination",
    )
    add_format(p, "table", "json")
    p.set_defaults(func=_what_if, changes=None)


def _change(what: WhatIfChange) -> Any:
    def parse(uid: str) -> SeriesChange:
        if not uid.strip():
            raise argparse.ArgumentTypeError("a UID cannot be empty")
        return SeriesChange(uid, what)

    return parse


def _what_if(ctx: Context, args: argparse.Namespace) -> int:
    if not args.changes:
        raise UsageError(
            "name at least one series with --without UID or --shared UID "
            "(`pmload review --format json` shows the UIDs)."
        )
    period = period_from_args(args, ctx.zone)
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    warn_without_me(ctx, analysis)
    result = what_if(analysis, period, args.changes, today=today_in(ctx.zone))
    if args.format == "json":
        print(json.dumps(what_if_to_json(result), indent=2, ensure_ascii=False))
    else:
        print(render_table(result), end="")
    return 0


_WHAT = {
    WhatIfChange.WITHOUT: ("without", "not held"),
    WhatIfChange.SHARED: ("shared", "translation becomes coordination"),
}


def _share(f: Figures, threshold: float) -> str:
    if f.verdict is None:
        return "no data"
    share = verdict_pct(f.share, f.share_high, f.verdict, threshold, decimals=1)
    words = {Verdict.OVER: "over", Verdict.UNDER: "under", Verdict.UNSURE: "unsure"}
    return f"{share} {words[f.verdict]}"


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def render_table(result: WhatIf) -> str:
    """The changes, then the figures before and after them, side by side."""
    thr = result.before.threshold
    basis = "meeting hours" if result.before.basis is Basis.MEETINGS else "working hours"
    before, after = figures(result.before), figures(result.after)
    n = before.complete_weeks
    lines = [
        f"What if, {result.before.period.label()} "
        f"({_n(n, 'complete week', 'complete weeks')}; flag: translation above "
        f"{threshold_pct(thr)} of {basis})",
        "",
    ]
    rows = [
        [_WHAT[e.what][0], e.title, f"{e.hours:.1f}", e.note or _WHAT[e.what][1]]
        for e in result.effects
    ]
    lines += table_lines(
        rows, header=["Change", "Series", "Hours", "What it moves"], right={2}, max_widths={1: 50}
    )
    lines.append("")
    lines += table_lines(
        [
            ["Share", _share(before, thr), _share(after, thr)],
            ["Weeks over", f"{before.weeks_over} of {n}", f"{after.weeks_over} of {n}"],
            ["Weeks unsure", str(before.weeks_unsure), str(after.weeks_unsure)],
            ["Translation h", f"{before.translation_hours:.1f}", f"{after.translation_hours:.1f}"],
            ["Meeting h", f"{before.meeting_hours:.1f}", f"{after.meeting_hours:.1f}"],
        ],
        header=["", "Before", "After"],
        right={1, 2},
    )
    lines.append("")
    if before.weeks_unsure or after.weeks_unsure:
        lines.append(
            "Unsure weeks: unclassified hours could still be translation; "
            "`pmload review` and `pmload people` settle them."
        )
    if result.in_progress_week is not None:
        lines.append(
            f"The week in progress ({result.in_progress_week}) is left out of both, "
            "as in `pmload audit`."
        )
    lines.append("Hours: what the change moves in those complete weeks.")
    return "\n".join(lines) + "\n"
