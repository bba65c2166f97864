"""``pmload import PATH... [--from DATE --to DATE]``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from pmload.cli.common import iso_date
from pmload.context import Context
from pmload.errors import UsageError
from pmload.ingest.importer import FileResult, ImportReport, import_paths
from pmload.ingest.subscriptions import is_url, subscribe


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "import",
        help="import .ics files, folders, zip exports, or subscribe to a calendar URL",
        description=(
            "Import .ics files, every .ics file inside folders, or each calendar inside a "
            ".zip export. An https:// (or webcal://) address subscribes to that calendar: "
            "it is fetched now and again by `pmload sources refresh`; the address is kept "
            "private and shown masked. Recurring events are expanded over a window: by "
            "default from the earliest event (at most 5 years back) to 26 weeks after today. "
            "Re-importing updates only what changed."
        ),
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help=".ics file, folder, .zip export, or https:// / webcal:// calendar address",
    )
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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """Text from a calendar file made safe for a terminal (no escape sequences)."""
    return _CONTROL.sub("?", text)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _skipped_summary(r: FileResult, verbose: bool) -> str:
    """'skipped 2 events', with how many of them an earlier import reported already."""
    if not r.skipped:
        return ""
    n = len(r.skipped)
    text = f"skipped {_plural(n, 'event')}"
    hidden = n - len(r.new_skipped)
    if hidden and not verbose:
        which = "" if hidden == n else f" {hidden:,}"
        text += f",{which} reported before (-v lists {'it' if hidden == 1 else 'them'})"
    return text


def print_report(report: ImportReport, verbose: bool = False) -> int:
    """Print what each file gave: results on stdout, problems on stderr (one line each)."""
    for r in report.results:
        where = safe_text(r.shown)
        if r.status == "rejected":
            print(f"pmload: {where}: {safe_text(r.message)}", file=sys.stderr)
            continue
        if r.status == "ignored":
            print(f"pmload: warning: {where}: {safe_text(r.message)}", file=sys.stderr)
            continue
        for w in r.warnings:
            print(f"pmload: warning: {where}: {safe_text(w)}.", file=sys.stderr)
        for s in r.skipped if verbose else r.new_skipped:
            print(f"pmload: warning: {where}: skipped {safe_text(s.sentence)}", file=sys.stderr)
        skipped = _skipped_summary(r, verbose)
        if r.status == "unchanged":
            extra = f"; {skipped}" if skipped else ""
            print(f"{where}: unchanged ({r.events} events, {r.occurrences} occurrences{extra}).")
        else:
            detail = ""
            if r.changed_events != r.events or r.removed_events:
                detail = f"; {r.changed_events} changed, {r.removed_events} removed"
            if skipped:
                detail += f"; {skipped}"
            print(f"{where}: imported {r.events} events, {r.occurrences} occurrences{detail}.")
    return 0 if report.ok else 1


def _run(ctx: Context, args: argparse.Namespace) -> int:
    window = window_arg(args)
    urls = [a for a in args.paths if is_url(a)]
    paths = [Path(a) for a in args.paths if not is_url(a)]
    report = import_paths(ctx.conn, paths, ctx.zone, window) if paths else ImportReport()
    for url in urls:
        report.results.append(subscribe(ctx.conn, ctx.paths, url, ctx.zone, window))
    return print_report(report, verbose=bool(getattr(args, "verbose", False)))
