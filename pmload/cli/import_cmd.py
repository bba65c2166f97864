"""``pmload import PATH... [--from DATE --to DATE]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmload.cli.common import iso_date
from pmload.context import Context
from pmload.errors import UsageError
from pmload.ingest.importer import ImportReport, import_paths


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="import .ics files or folders of them",
        description=(
            "Import .ics files, or every .ics file inside folders. Recurring events are "
            "expanded over a window: by default from the earliest event (at most 5 years "
            "back) to 26 weeks after today. Re-importing a file updates only what changed."
        ),
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=".ics file or folder")
    p.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        metavar="DATE",
        help="first day of the window (YYYY-MM-DD, inclusive)",
    )
    p.add_argument(
        "--to",
        dest="date_to",
        type=iso_date,
        metavar="DATE",
        help="last day of the window (YYYY-MM-DD, inclusive)",
    )
    p.set_defaults(func=_run)


def window_arg(args: argparse.Namespace) -> tuple[Any, Any] | None:
    if (args.date_from is None) != (args.date_to is None):
        raise UsageError("--from and --to go together.")
    if args.date_from is None:
        return None
    if args.date_to < args.date_from:
        raise UsageError("--to is before --from.")
    return (args.date_from, args.date_to)


def print_report(report: ImportReport) -> int:
    for r in report.results:
        if r.status == "rejected":
            print(f"pmload: {r.path}: {r.message}", file=sys.stderr)
            continue
        for w in r.warnings:
            print(f"pmload: warning: {r.path}: {w}.", file=sys.stderr)
        if r.status == "unchanged":
            print(f"{r.path}: unchanged ({r.events} events, {r.occurrences} occurrences).")
        else:
            detail = ""
            if r.changed_events != r.events or r.removed_events:
                detail = f"; {r.changed_events} changed, {r.removed_events} removed"
            print(f"{r.path}: imported {r.events} events, {r.occurrences} occurrences{detail}.")
    return 0 if report.ok else 1


def _run(ctx: Context, args: argparse.Namespace) -> int:
    window = window_arg(args)
    report = import_paths(ctx.conn, args.paths, ctx.zone, window)
    return print_report(report)
