"""``pmload google connect | disconnect | calendars | use ID… | sync``.

The Google libraries are imported by the actions, never by ``register``:
other commands do not pay for them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pmload.cli.common import iso_date
from pmload.cli.import_cmd import window_arg
from pmload.context import Context


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "google",
        help="connect Google Calendar (read-only) and sync it",
        description=(
            "Connect Google Calendar once with your own OAuth client (read-only access), "
            "choose calendars, and sync them: the first sync reads the whole window, later "
            "syncs only what changed. Without an action, shows the connection."
        ),
    )
    p.set_defaults(func=_status)
    gsub = p.add_subparsers(dest="google_command", metavar="ACTION")
    c = gsub.add_parser(
        "connect",
        help="sign in with Google in your browser",
        description=(
            "Open your browser to let pmload read your calendars (read-only), with the "
            "OAuth client file of a Desktop app client of your Google Cloud project "
            "(README, Google Calendar)."
        ),
    )
    c.add_argument(
        "--client-secrets", required=True, type=Path, metavar="FILE", help="the client JSON file"
    )
    c.set_defaults(func=_connect)
    d = gsub.add_parser(
        "disconnect",
        help="revoke pmload's access and delete the token",
        description="Revoke the access at Google and delete the token; synced meetings stay.",
    )
    d.set_defaults(func=_disconnect)
    ls = gsub.add_parser(
        "calendars",
        help="list your calendars and which are synced",
        description="List your Google calendars with their ids; * marks those pmload syncs.",
    )
    ls.set_defaults(func=_calendars)
    u = gsub.add_parser(
        "use",
        help="choose the calendars to sync",
        description=(
            "Sync exactly these calendars (ids from `pmload google calendars`, or 'primary'). "
            "Calendars left out stop syncing and their meetings leave the audit; tags are kept."
        ),
    )
    u.add_argument("ids", nargs="+", metavar="ID")
    u.set_defaults(func=_use)
    s = gsub.add_parser(
        "sync",
        help="sync the chosen calendars now",
        description=(
            "Sync the chosen calendars (by default the primary one). The window is the one "
            "of `pmload import`: five years back to 26 weeks ahead, unless --from/--to."
        ),
    )
    s.add_argument("--calendar", metavar="ID", help="sync only this chosen calendar")
    s.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help="first day")
    s.add_argument("--to", dest="date_to", type=iso_date, metavar="DATE", help="last day")
    s.set_defaults(func=_sync)


def _status(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.google import account, tokens
    from pmload.google.sync import google_sources

    stored = tokens.load(ctx.paths)
    if stored is None:
        print("Google Calendar is not connected: `pmload google connect --client-secrets FILE`.")
        return 0
    who = account.account(ctx.conn) or "your Google account"
    print(f"Connected to {who} (read-only); the token is kept {tokens.WHERE_TEXT[stored.where]}.")
    for s in google_sources(ctx.conn):
        when = f"last synced {s.last_sync}" if s.last_sync else "not synced yet"
        print(f"  {s.name} ({s.calendar_id}): {s.occurrences:,} occurrences, {when}")
    return 0


def _connect(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.google import account, tokens

    def show(url: str, opened: bool) -> None:
        if opened:
            print(
                "Your browser opened Google's sign-in page; waiting for your answer…",
                file=sys.stderr,
            )
        print(f"If no browser opened, visit this address:\n  {url}", file=sys.stderr)

    done = account.connect(ctx.paths, ctx.conn, args.client_secrets, show_url=show)
    print(
        f"Connected to {done.account} (read-only); the token is kept {tokens.WHERE_TEXT[done.where]}."
    )
    if done.added_me:
        print(f"Added {', '.join(done.added_me)} to your addresses (me) in rules.toml.")
    print("Run `pmload google sync` to read your primary calendar.")
    return 0


def _disconnect(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.google import account

    reached = account.disconnect(ctx.paths, ctx.conn)
    if reached is None:
        print("Google Calendar is not connected; nothing to do.")
        return 0
    if reached:
        print("Disconnected: Google revoked pmload's access and the token is deleted.")
    else:
        print(
            "pmload: the token is deleted here, but Google could not be reached to revoke it; "
            "remove pmload at https://myaccount.google.com/permissions.",
            file=sys.stderr,
        )
    print("Synced meetings stay; `pmload sources remove ID` removes a calendar's meetings.")
    return 0


def _calendars(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.google import account
    from pmload.google.sync import google_sources

    found = account.calendars(ctx.paths)
    last = {s.calendar_id: s.last_sync or "-" for s in google_sources(ctx.conn)}
    marked = set(last) or {c.id for c in found if c.primary}  # by default the primary one
    rows = [("", "ID", "NAME", "ACCESS", "LAST SYNC")]
    for c in found:
        name = c.name + (" (primary)" if c.primary else "")
        rows.append(("*" if c.id in marked else "", c.id, name, c.access, last.get(c.id, "-")))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    return 0


def _use(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.google import account

    chosen, dropped = account.use(ctx.paths, ctx.conn, args.ids)
    print("Syncing " + ", ".join(c.name for c in chosen) + "; run `pmload google sync`.")
    for s in dropped:
        print(
            f"Stopped syncing {s.name}: its {s.occurrences:,} occurrences left the audit "
            "(your tags are kept)."
        )
    return 0


def _sync(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.google import account
    from pmload.google.sync import describe

    window = window_arg(args)
    report = account.sync(ctx.paths, ctx.conn, ctx.zone, args.calendar, window)
    for result in report.results:
        print(describe(result))
    if report.added_me:
        print(f"Added {', '.join(report.added_me)} to your addresses (me) in rules.toml.")
    return 0
