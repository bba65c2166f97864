"""``pmload note`` and ``pmload notes``: your own words on a meeting or a series.

    pmload note ID "text" [--series]   note a meeting (occurrence id) or a series (UID)
    pmload note ID --clear [--series]  remove that note
    pmload notes [--search TEXT] [--format table|json]

An ID that is a series' UID notes the whole series; an occurrence id (shown by
``pmload meetings`` and ``pmload review``) notes that meeting, or with
``--series`` its whole series. Notes survive re-imports (they are keyed like
tags) and are never exported unless asked (``export csv meetings --include-notes``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from pmload import store
from pmload.cli.common import add_format
from pmload.cli.table import print_table, printable
from pmload.context import Context
from pmload.errors import PmloadError, UsageError
from pmload.model import Occurrence
from pmload.rules.classify import occurrence_start_key
from pmload.rules.notes import Note, load_notes, matching, write_note


def register(sub: Any) -> None:
    n: argparse.ArgumentParser = sub.add_parser(
        "note",
        help="write (or clear) your note on a meeting or a whole series",
        description=(
            "Your own words on a meeting or a series: why it is translation, what would fix "
            "it. ID is an occurrence id (that meeting; --series: its whole series) or a "
            "series' UID (the whole series). Notes survive re-imports, show in the app's "
            "tables and are never exported unless you ask."
        ),
    )
    n.add_argument("id", metavar="ID", help="an occurrence id or a series UID")
    n.add_argument("text", metavar="TEXT", nargs="?", help="the note (replaces an earlier one)")
    n.add_argument("--clear", action="store_true", help="remove the note")
    n.add_argument("--series", action="store_true", help="note the whole series of a meeting")
    n.set_defaults(func=_note)

    ls: argparse.ArgumentParser = sub.add_parser(
        "notes",
        help="list your notes",
        description="Every note, series notes first; --search keeps those containing TEXT.",
    )
    ls.add_argument("--search", metavar="TEXT", help="only notes containing TEXT")
    add_format(ls, "table", "json")
    ls.set_defaults(func=_notes)


def _resolve(occurrences: list[Occurrence], ident: str, series: bool) -> tuple[str, str, str]:
    """(uid, start_key, what) of the note ``ident`` names; what: a phrase for the user."""
    ident = ident.strip()
    for occ in occurrences:
        if occ.id == ident:
            if series:
                return occ.uid, "", f"the series '{printable(occ.title)}'"
            return occ.uid, occurrence_start_key(occ), f"'{printable(occ.title)}'"
    of_uid = [o for o in occurrences if o.uid == ident]
    if of_uid:
        return ident, "", f"the series '{printable(of_uid[-1].title)}'"
    raise PmloadError(
        f"no meeting has the id or UID '{printable(ident)}'; `pmload meetings` shows the ids."
    )


def _note(ctx: Context, args: argparse.Namespace) -> int:
    if args.clear == (args.text is not None):
        raise UsageError('give either the note\'s TEXT or --clear (pmload note ID "text").')
    occurrences = store.load_occurrences(ctx.conn, ctx.zone)
    uid, key, what = _resolve(occurrences, args.id, args.series)
    if args.clear:
        notes = load_notes(ctx.conn)
        had = uid in notes.series if key == "" else (uid, key) in notes.occurrence
        write_note(ctx.conn, uid, key, "")
        print(
            f"Removed the note on {what}."
            if had
            else f"{what[0].upper()}{what[1:]} had no note; nothing changed."
        )
        return 0
    if write_note(ctx.conn, uid, key, args.text) is None:
        print(f"The note was empty: {what} has no note now.")
    else:
        print(f"Noted {what}.")
    return 0


def _titles(occurrences: list[Occurrence]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The latest title of each UID, and the start (local text) of each occurrence key."""
    titles: dict[str, str] = {}
    starts: dict[tuple[str, str], str] = {}
    for occ in occurrences:  # sorted by start: the latest title wins
        titles[occ.uid] = occ.title
        starts[(occ.uid, occurrence_start_key(occ))] = occ.id
    return titles, starts


def _notes(ctx: Context, args: argparse.Namespace) -> int:
    notes = load_notes(ctx.conn)
    chosen: list[Note] = list(matching(notes, args.search) if args.search else notes.all())
    occurrences = store.load_occurrences(ctx.conn, ctx.zone)
    titles, ids = _titles(occurrences)
    if args.format == "json":
        data = [
            {
                "uid": n.uid,
                "series": n.series,
                "occurrence_id": None if n.series else ids.get((n.uid, n.start_key)),
                "title": titles.get(n.uid, ""),
                "text": n.text,
                "noted_at": n.noted_at,
            }
            for n in chosen
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not chosen:
        print(
            "No note matches that search."
            if args.search
            else 'No notes yet: `pmload note ID "text"` writes one.'
        )
        return 0
    print_table(
        [
            (
                "series" if n.series else ids.get((n.uid, n.start_key), "meeting"),
                titles.get(n.uid, "(no longer on your calendar)"),
                n.text.replace("\n", " / "),
            )
            for n in chosen
        ],
        header=("Of", "Title", "Note"),
        max_widths={1: 36, 2: 70},
    )
    return 0
