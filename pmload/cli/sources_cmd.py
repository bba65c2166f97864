"""``pmload sources [refresh | remove ID]``."""

from __future__ import annotations

import argparse
from typing import Any

from pmload import store
from pmload.cli.import_cmd import print_report
from pmload.cli.table import print_table
from pmload.context import Context
from pmload.errors import PmloadError
from pmload.ingest import subscriptions
from pmload.ingest.importer import refresh_sources

_MAX_ID = 2**63 - 1  # the largest SQLite integer: a bigger id cannot be a source


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "sources",
        help="list, refresh or remove imported calendars",
        description=(
            "List imported calendars (subscriptions with their address masked); refresh "
            "re-imports every file and zip and fetches every subscription again; remove drops one."
        ),
    )
    p.set_defaults(func=_list)
    ssub = p.add_subparsers(dest="sources_command", metavar="ACTION")
    ls = ssub.add_parser("list", help="list sources (the default)", description="List sources.")
    ls.set_defaults(func=_list)
    rf = ssub.add_parser(
        "refresh",
        help="re-import every source",
        description=(
            "Re-import every file and zip source with its window, and fetch every calendar "
            "subscription again (an unchanged calendar costs one request and no parsing)."
        ),
    )
    rf.set_defaults(func=_refresh)
    rm = ssub.add_parser(
        "remove",
        help="remove a source and its occurrences",
        description="Remove a source and its occurrences.",
    )
    rm.add_argument("id", type=int, metavar="ID")
    rm.set_defaults(func=_remove)


def _list(ctx: Context, args: argparse.Namespace) -> int:
    sources = store.list_sources(ctx.conn)
    if not sources:
        print("No sources yet: import a calendar with `pmload import FILE.ics`.")
        return 0
    # SKIPPED (events that could not be read; `pmload -v sources refresh` names them)
    # only when some source has any, so the usual listing stays as it was
    with_skipped = any(s.skipped for s in sources)
    rows: list[tuple[str, ...]] = []
    for s in sources:
        window = f"{s.window_start} – {s.window_end}" if s.window_start else "-"
        rows.append((str(s.id), s.shown, str(s.events), str(s.occurrences), window, _last(s)))
    header: tuple[str, ...] = ("ID", "SOURCE", "EVENTS", "OCCURRENCES", "WINDOW", "LAST IMPORT")
    right = {0, 2, 3}
    if with_skipped:
        header = (*header[:3], "SKIPPED", *header[3:])
        rows = [(*r[:3], str(s.skipped), *r[3:]) for r, s in zip(rows, sources, strict=True)]
        right = {0, 2, 3, 4}
    print_table(rows, header=header, right=right)
    return 0


def _last(s: store.Source) -> str:
    """The last import; for a subscription the last check, when it came later (a 304)."""
    if s.kind == "url" and s.last_checked and s.last_checked > (s.last_import or ""):
        return f"{s.last_checked} (checked)"
    return s.last_import or "-"


def _refresh(ctx: Context, args: argparse.Namespace) -> int:
    report = refresh_sources(ctx.conn, ctx.zone)
    report.results.extend(subscriptions.refresh(ctx.conn, ctx.paths, ctx.zone).results)
    if not report.results:
        print("No sources to refresh.")
        return 0
    return print_report(report, verbose=bool(getattr(args, "verbose", False)))


def _remove(ctx: Context, args: argparse.Namespace) -> int:
    if not 0 < args.id <= _MAX_ID or not subscriptions.remove_source(ctx.conn, ctx.paths, args.id):
        raise PmloadError(f"there is no source with id {args.id} (see `pmload sources`).")
    print(f"Removed source {args.id} and its occurrences.")
    return 0
