"""``pmload tag``, ``pmload untag`` and ``pmload review`` (the unclassified queue)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pmload.cli.audit_cmd import warn_without_me
from pmload.cli.common import add_format
from pmload.cli.table import print_table, printable
from pmload.context import Context
from pmload.period import add_period_arguments, period_from_args
from pmload.rules.analysis import Analysis
from pmload.vocab import CATEGORIES


def register(sub: Any) -> None:
    t: argparse.ArgumentParser = sub.add_parser(
        "tag",
        help="give a meeting (or its whole series) a category by hand",
        description=(
            "Tag one meeting, or with --series every occurrence of its series, past and "
            "future. Tags win over every rule (an occurrence's own tag over its series "
            "tag) and survive re-import. Ids are shown by `pmload meetings` and `pmload review`."
        ),
    )
    t.add_argument("occurrence_id", metavar="OCCURRENCE_ID")
    t.add_argument("category", metavar="CATEGORY", choices=CATEGORIES, help=", ".join(CATEGORIES))
    t.add_argument("--series", action="store_true", help="tag the whole series (same UID)")
    t.set_defaults(func=_tag)

    u: argparse.ArgumentParser = sub.add_parser(
        "untag",
        help="remove a manual tag from a meeting (or its series)",
        description="Remove the tag on one meeting, or with --series the tag on its series.",
    )
    u.add_argument("occurrence_id", metavar="OCCURRENCE_ID")
    u.add_argument("--series", action="store_true", help="remove the series tag")
    u.set_defaults(func=_untag)

    r: argparse.ArgumentParser = sub.add_parser(
        "review",
        help="unclassified meetings, grouped by series, most hours first",
        description=(
            "Counted meetings no rule could classify, grouped by series with the most hours "
            "first. Clear them with `pmload tag ID CATEGORY --series` or `pmload people set`."
        ),
    )
    add_period_arguments(r)
    add_format(r, "table", "json")
    r.set_defaults(func=_review)


def _when(analysis: Analysis, occurrence_id: str) -> str:
    c = analysis.get(occurrence_id)
    return c.occ.start.astimezone(analysis.zone).strftime("%Y-%m-%d %H:%M")


def _tag(ctx: Context, args: argparse.Namespace) -> int:
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    c = analysis.get(args.occurrence_id)
    analysis.tag(c.occ.id, args.category, series=args.series)
    if args.series:
        n = analysis.series_count(c.occ.uid)
        print(
            f"Tagged the series '{printable(c.occ.title)}' ({n} occurrence(s)) as {args.category}."
        )
        own = sum(1 for (uid, _) in analysis.tags.occurrence if uid == c.occ.uid)
        if own:
            print(f"{own} occurrence(s) keep their own tag, which wins over the series tag.")
    else:
        print(
            f"Tagged '{printable(c.occ.title)}' on {_when(analysis, c.occ.id)} as {args.category}."
        )
    if c.excluded is not None:
        print(f"Note: it is not counted as a meeting ({c.excluded}), so the tag has no effect yet.")
    return 0


def _untag(ctx: Context, args: argparse.Namespace) -> int:
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    c = analysis.get(args.occurrence_id)
    title = printable(c.occ.title)
    what = f"the series '{title}'" if args.series else f"'{title}'"
    if not analysis.untag(c.occ.id, series=args.series):
        print(f"{what[0].upper()}{what[1:]} had no tag; nothing changed.")
        return 0
    now = analysis.get(c.occ.id)
    shown = now.category or f"not counted ({now.excluded})"
    why = printable(now.reason or now.excluded or "")
    print(f"Removed the tag on {what}; it is now {shown}: {why}.")
    return 0


def _review(ctx: Context, args: argparse.Namespace) -> int:
    period = period_from_args(args, ctx.zone)
    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    warn_without_me(ctx, analysis)
    groups = analysis.review_queue(period)
    if args.format == "json":
        data = [
            {
                "uid": g.uid,
                "title": g.title,
                "hours": round(g.hours, 2),
                "meetings": g.count,
                "first": g.first.astimezone(ctx.zone).isoformat(),
                "last": g.last.astimezone(ctx.zone).isoformat(),
                "people": list(g.people),
                "reason": g.reason,
                "occurrence_ids": list(g.occurrence_ids),
                # Added: one-off meetings alike are one group; "uids" lists them all.
                "uids": list(g.uids),
                "one_offs": g.one_offs,
            }
            for g in groups
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not analysis.occurrences:
        print("No calendar imported yet: run `pmload import FILE`.")
        return 0
    if not groups:
        print(f"Nothing to review in {period.label()}: every counted meeting has a category.")
        return 0
    total = sum(g.hours for g in groups)
    print(
        f"Unclassified meetings {period.label()}: {len(groups)} series, {total:.1f} h. "
        "Most hours first."
    )
    print()
    print_table(
        [
            (
                f"{g.hours:.1f}",
                str(g.count),
                g.occurrence_ids[-1],
                f"{g.title} (one-offs)" if g.one_offs and g.count > 1 else g.title,
                g.reason,
            )
            for g in groups
        ],
        header=("Hours", "Mtgs", "Id", "Title", "Why"),
        right={0, 1},
        max_widths={3: 40},
    )
    print()
    print("Tag a whole series:  pmload tag ID translation|coordination|strategy --series")
    if any(g.one_offs and g.count > 1 for g in groups):
        print("One-offs alike are separate invitations: --format json lists each one's id.")
    print("Or give people a side:  pmload people set ADDRESS technical|business|product")
    return 0
