"""``pmload people`` (everyone met, with sides) and ``pmload people set ADDRESS SIDE``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pmload.cli.audit_cmd import warn_without_me
from pmload.cli.common import add_format
from pmload.cli.table import print_table
from pmload.config import check_pattern, edit_rules
from pmload.context import Context
from pmload.errors import ConfigError, UsageError
from pmload.rules.analysis import Analysis
from pmload.rules.sides import UNKNOWN, set_side
from pmload.vocab import SIDES


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "people",
        help="everyone you meet, with their side; set a side",
        description=(
            "List everyone met in your counted meetings with their side (technical, "
            "business, product or unknown), meeting hours and count: unknown people with "
            "the most hours first, with a suggested side (and why) where co-attendance, "
            "the address or the domain makes one likely."
        ),
    )
    add_format(p, "table", "json")
    p.set_defaults(func=_list)
    psub = p.add_subparsers(dest="people_command", metavar="ACTION")
    s = psub.add_parser(
        "set",
        help="give an address (or a glob pattern) a side in rules.toml",
        description=(
            "Write ADDRESS (or a pattern such as '*@eng.example.com') under SIDE in "
            "rules.toml, keeping your comments; 'unknown' removes it. History is re-classified."
        ),
    )
    s.add_argument("address", metavar="ADDRESS")
    s.add_argument(
        "side", metavar="SIDE", choices=(*SIDES, UNKNOWN), help=", ".join(SIDES) + " or unknown"
    )
    s.set_defaults(func=_set)


def _list(ctx: Context, args: argparse.Namespace) -> int:
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    warn_without_me(ctx, analysis)
    rows = analysis.people()
    if args.format == "json":
        data = [
            {
                "key": r.key,
                "name": r.name,
                "side": r.side,
                "hours": round(r.hours, 2),
                "meetings": r.count,
                "suggested_side": r.suggested,
                "suggested_why": r.suggested_why,
            }
            for r in rows
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No people met yet: import a calendar with `pmload import FILE`.")
        return 0
    print_table(
        [
            (
                r.key,
                r.name or "",
                r.side or UNKNOWN,
                f"{r.hours:.1f}",
                str(r.count),
                r.suggested or "",
                r.suggested_why or "",
            )
            for r in rows
        ],
        header=("Person", "Name", "Side", "Hours", "Meetings", "Suggested", "Why"),
        right={3, 4},
    )
    unknown = sum(1 for r in rows if r.side is None)
    if unknown:
        print(f"\n{unknown} unknown; give one a side with: pmload people set ADDRESS SIDE")
    return 0


def _set(ctx: Context, args: argparse.Namespace) -> int:
    try:
        address = check_pattern(args.address)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    before = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    old = [c.category for c in before.classified]
    with edit_rules(ctx.paths) as doc:
        set_side(doc, address, args.side)
    settings = ctx.reload_settings()
    before.reclassify(settings)
    changed = sum(1 for a, c in zip(old, before.classified, strict=True) if a != c.category)
    where = "removed from [people]" if args.side == UNKNOWN else f"now {args.side}"
    print(f"{address} is {where} in {ctx.paths.rules_file}; {changed} meeting(s) changed category.")
    return 0
