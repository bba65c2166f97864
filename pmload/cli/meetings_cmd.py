"""``pmload meetings [--from DATE --to DATE] [--format table|json|csv]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pmload.cli.common import add_format, iso_date
from pmload.cli.table import print_table
from pmload.context import Context
from pmload.errors import UsageError
from pmload.export.csv_export import csv_text
from pmload.export.meeting_records import FIELDS, record, select
from pmload.rules.analysis import Analysis
from pmload.rules.reasons import reason_text


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "meetings",
        help="list occurrences with whether they count and their category",
        description=(
            "List every occurrence (in your time zone) with whether it counts as a meeting, "
            "why not, and its category with the reason. Without --from/--to, everything."
        ),
    )
    p.add_argument(
        "--from", dest="date_from", type=iso_date, metavar="DATE", help="first day (inclusive)"
    )
    p.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="DATE", help="last day (inclusive)"
    )
    add_format(p, "table", "json", "csv")
    p.set_defaults(func=_run)


def _run(ctx: Context, args: argparse.Namespace) -> int:
    if args.date_from and args.date_to and args.date_to < args.date_from:
        raise UsageError("--to is before --from.")
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    chosen = list(select(analysis.classified, ctx.zone, args.date_from, args.date_to))
    rows = [record(c, ctx.zone) for c in chosen]
    out = sys.stdout
    if args.format == "json":
        # "reason" is the contract (with addresses); "reason_text" is the line for people.
        rows = [{**r, "reason_text": reason_text(c)} for r, c in zip(rows, chosen, strict=True)]
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "csv":
        out.write(csv_text(FIELDS, ({**r, "attendees": "; ".join(r["attendees"])} for r in rows)))
    else:
        _table(rows)
    return 0


def _table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("No occurrences in that period.")
        return
    print_table(
        [
            (
                r["id"],
                r["start"][:16].replace("T", " "),
                str(r["minutes"]),
                r["category"] if r["counted"] else f"({r['excluded']})",
                r["title"],
            )
            for r in rows
        ],
        right={2},
        min_widths={1: 16, 2: 6, 3: 14},
        max_widths={4: 60},
        marker="",
    )
