"""``pmload meetings [--from DATE --to DATE] [--format table|json|csv]``."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from pmload.cli.common import add_format, iso_date
from pmload.context import Context
from pmload.errors import UsageError
from pmload.export.meeting_records import FIELDS, record, select
from pmload.rules.analysis import Analysis


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
    rows = [
        record(c, ctx.zone)
        for c in select(analysis.classified, ctx.zone, args.date_from, args.date_to)
    ]
    out = sys.stdout
    if args.format == "json":
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif args.format == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "attendees": "; ".join(r["attendees"])})
    else:
        _table(rows)
    return 0


def _table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("No occurrences in that period.")
        return
    for r in rows:
        when = r["start"][:16].replace("T", " ")
        status = r["category"] if r["counted"] else f"({r['excluded']})"
        print(f"{r['id']}  {when:16}  {r['minutes']:>6}  {status:<14}  {r['title'][:60]}")
