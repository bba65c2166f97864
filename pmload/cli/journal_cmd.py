"""``pmload journal ...``: the private, encrypted journal from the command line.

Passphrases and notes are read by :mod:`pmload.cli.journal_input`
(:func:`read_passphrase` and the ``*_PASSPHRASE_ENV`` names are re-exported
here for other commands). Nothing the journal holds is ever logged.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from pmload.cli.common import add_format, iso_date
from pmload.cli.journal_input import (
    NEW_PASSPHRASE_ENV,
    NEW_PASSPHRASE_PROMPT,
    PASSPHRASE_ENV,
    edited_note,
    piped_note,
    read_passphrase,
)
from pmload.context import Context
from pmload.errors import UsageError
from pmload.journal import ISOLATION_KINDS, CheckIn, Entry, Journal, JournalData, JournalMissing
from pmload.journal import delete as delete_journal
from pmload.journal import restore as restore_journal
from pmload.journal.insights import peer_reminders, sustained_high
from pmload.journal.instruments import instrument, score
from pmload.journal.vault import OLD_COPIES, backup_path, journal_files

__all__ = ["NEW_PASSPHRASE_ENV", "PASSPHRASE_ENV", "read_passphrase", "register"]

NO_RECOVERY = (
    "There is no way to recover the journal without this passphrase: "
    "if you forget it, the journal is lost."
)


def _scale(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 0 to 10")
    return value


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip().lower() for k in text.split(",") if k.strip())
    for k in kinds:
        if k not in ISOLATION_KINDS:
            raise argparse.ArgumentTypeError(f"'{k}' is not one of {', '.join(ISOLATION_KINDS)}")
    return kinds


def _answers(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(a) for a in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list like 1,2,3") from None


def register(sub: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help="read the passphrase from the first line of standard input "
        f"(else ${PASSPHRASE_ENV}, else a prompt)",
    )
    p: argparse.ArgumentParser = sub.add_parser(
        "journal",
        help="your private, encrypted journal of burnout and isolation",
        description="A journal only you can read: encrypted with your passphrase, never "
        "leaves this machine. " + NO_RECOVERY,
    )
    js = p.add_subparsers(dest="journal_command", metavar="ACTION", required=True)

    def action(name: str, help_: str, func: Any) -> argparse.ArgumentParser:
        a: argparse.ArgumentParser = js.add_parser(
            name, help=help_, description=help_[0].upper() + help_[1:] + ".", parents=[common]
        )
        a.set_defaults(func=func)
        return a

    action("init", "create a new encrypted journal", _init)
    add = action("add", "add a journal entry", _add)
    add.description = (
        "Add a journal entry. Without --note the note is read from standard input when it "
        "is not a terminal (with --passphrase-stdin: the lines after the passphrase), else "
        "written in $VISUAL or $EDITOR."
    )
    add.add_argument("--date", type=iso_date, help="the day (default today)")
    add.add_argument("--burnout", type=_scale, required=True, metavar="N", help="0-10")
    add.add_argument("--isolation", type=_scale, required=True, metavar="N", help="0-10")
    add.add_argument("--kinds", type=_kinds, default=(), help=",".join(ISOLATION_KINDS))
    add.add_argument(
        "--note",
        metavar="TEXT",
        help="the note; text given here is visible to other processes and users of this "
        "computer (ps, /proc) and stays in your shell history: leave it out to pipe the "
        "note in or write it in your editor",
    )
    add.add_argument("--energy", type=_scale, metavar="N", help="0-10 (optional)")
    add.add_argument("--mood", type=_scale, metavar="N", help="0-10 (optional)")
    lst = action("list", "show entries, check-ins and reminders", _list)
    add_format(lst, "table", "json")
    chk = action("checkin", "answer the CBI burnout or UCLA loneliness questions", _checkin)
    chk.add_argument("instrument", choices=("cbi", "ucla"))
    chk.add_argument("--answers", type=_answers, help="option numbers, e.g. 1,2,3 (no prompts)")
    chk.add_argument("--date", type=iso_date, help="the day (default today)")
    action("passwd", "change the passphrase", _passwd)
    exp = action("export", "write an encrypted backup (same passphrase)", _export)
    exp.add_argument("--out", type=Path, required=True, metavar="FILE")
    imp = action("import", "restore an encrypted backup, replacing the journal", _import)
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--yes", action="store_true", help="replace an existing journal unasked")
    dele = action("delete", "delete the journal and its backup copy for good", _delete)
    dele.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    peers = action("peers", "your peer council: add, log a talk, list", _peers)
    peers.add_argument("peer_action", nargs="?", choices=("add", "talked", "list", "remove"))
    peers.add_argument("name", nargs="?")
    peers.add_argument("--date", type=iso_date, help="when you talked (default today)")


def _open(ctx: Context, args: argparse.Namespace) -> Journal:
    path = ctx.paths.journal_file
    if not path.exists() and not backup_path(path).exists():
        # say so before asking for a passphrase that cannot help
        raise JournalMissing("There is no journal yet; create one with 'pmload journal init'.")
    return Journal.unlock(path, read_passphrase(stdin_line=args.passphrase_stdin))


def _notes(data: JournalData) -> list[str]:
    today = date.today()
    note = sustained_high(data.entries, today)
    return ([note] if note else []) + peer_reminders(data.peers, today)


def _init(ctx: Context, args: argparse.Namespace) -> int:
    path = ctx.paths.ensure().journal_file
    if path.exists():
        raise UsageError(f"a journal already exists at {path}")
    if sys.stdin.isatty() and not args.passphrase_stdin and not os.environ.get(PASSPHRASE_ENV):
        print(NO_RECOVERY, file=sys.stderr)  # before the prompt, where it is read
    passphrase = read_passphrase(
        NEW_PASSPHRASE_PROMPT, stdin_line=args.passphrase_stdin, confirm="Type it again: "
    )
    Journal.create(path, passphrase)
    print(f"Created your encrypted journal at {path}.")
    print(NO_RECOVERY)
    return 0


def _add(ctx: Context, args: argparse.Namespace) -> int:
    j = _open(ctx, args)  # first: the passphrase is checked before a note is asked for
    note = args.note if args.note is not None else piped_note()
    if note is None:
        note = edited_note()
        j.reload()  # what others saved while the editor was open is kept, not refused
    day = args.date or date.today()
    entry = Entry(
        day=day,
        burnout=args.burnout,
        isolation=args.isolation,
        kinds=args.kinds,
        note=note,
        energy=args.energy,
        mood=args.mood,
    )
    j.save(j.data.with_entry(entry))
    print(f"Added an entry for {day} (burnout {args.burnout}, isolation {args.isolation}).")
    note = sustained_high(j.data.entries, date.today())
    if note:
        print(note)
    return 0


def _one_line(text: str, width: int = 48) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _list(ctx: Context, args: argparse.Namespace) -> int:
    data = _open(ctx, args).data
    if args.format == "json":
        doc = json.loads(_to_json(data))
        for c in doc["checkins"]:
            c["score"] = score(c["instrument"], tuple(c["answers"])).value
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    if not data.entries and not data.checkins:
        print("The journal is empty; add an entry with 'pmload journal add'.")
    if data.entries:
        print(
            f"{'date':<10}  {'burnout':>7}  {'isolation':>9}  {'energy':>6}  {'mood':>4}  "
            f"{'kinds':<24}  note"
        )
        for e in data.entries:
            burnout, isolation, energy, mood = (
                "" if v is None else str(v) for v in (e.burnout, e.isolation, e.energy, e.mood)
            )
            print(
                f"{e.day.isoformat():<10}  {burnout:>7}  {isolation:>9}  {energy:>6}  "
                f"{mood:>4}  {','.join(e.kinds):<24}  {_one_line(e.note)}"
            )
    if data.checkins:
        print("\nCheck-ins:")
        for c in data.checkins:
            s = score(c.instrument, c.answers)
            print(f"{c.day.isoformat():<10}  {c.instrument.upper():<5} {s.display()}")
    notes = _notes(data)
    if notes:
        print("\n" + "\n".join(notes))
    return 0


def _to_json(data: JournalData) -> str:
    from pmload.journal.records import to_json

    return to_json(data).decode("utf-8")


def _ask(question: str, options: tuple[str, ...]) -> int:
    print(question)
    for i, opt in enumerate(options, 1):
        print(f"  {i}. {opt}")
    while True:
        text = input(f"Your answer (1-{len(options)}): ").strip()
        if text.isdigit() and 1 <= int(text) <= len(options):
            return int(text)
        print(f"Please type a number from 1 to {len(options)}.")


def _checkin(ctx: Context, args: argparse.Namespace) -> int:
    inst = instrument(args.instrument)
    if args.answers is None and (args.passphrase_stdin or not sys.stdin.isatty()):
        raise UsageError("give --answers when not answering on a terminal")
    j = _open(ctx, args)
    if args.answers is not None:
        answers = args.answers
    else:
        print(f"{inst.title}\n{inst.intro}\n")
        answers = tuple(
            _ask(f"{n}. {item.text}", item.options) for n, item in enumerate(inst.items, 1)
        )
    result = score(inst.key, answers)  # validates before anything is saved
    j.save(j.data.with_checkin(CheckIn(args.date or date.today(), inst.key, answers)))
    print(result.explanation)
    return 0


def _passwd(ctx: Context, args: argparse.Namespace) -> int:
    stdin_line = args.passphrase_stdin
    current = read_passphrase("Current passphrase: ", stdin_line=stdin_line)
    j = Journal.unlock(ctx.paths.journal_file, current)
    new = read_passphrase(
        NEW_PASSPHRASE_PROMPT,
        stdin_line=stdin_line,
        env=NEW_PASSPHRASE_ENV,
        confirm="Type it again: ",
    )
    j.change_passphrase(new)
    print(
        "Changed the journal passphrase: the journal and its backup copy are re-encrypted "
        "with a new key."
    )
    print(OLD_COPIES)
    print(NO_RECOVERY)
    return 0


def _export(ctx: Context, args: argparse.Namespace) -> int:
    _open(ctx, args).export(args.out)
    print(f"Wrote an encrypted backup to {args.out}; it opens with your current passphrase.")
    return 0


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("add --yes to do this without a question")
    return input(question).strip().lower() in ("y", "yes", "delete")


def _import(ctx: Context, args: argparse.Namespace) -> int:
    path = ctx.paths.ensure().journal_file
    if path.exists() and not _confirm(
        "Replace your current journal with this backup? [y/N] ", args.yes
    ):
        print("Nothing was changed.")
        return 1
    passphrase = read_passphrase("Passphrase of the backup: ", stdin_line=args.passphrase_stdin)
    j = restore_journal(path, args.file, passphrase)
    print(f"Restored the journal from {args.file} ({len(j.data.entries)} entries).")
    if backup_path(path).exists():
        print(f"The journal it replaced is kept as {backup_path(path)} until your next change.")
    return 0


def _delete(ctx: Context, args: argparse.Namespace) -> int:
    path = ctx.paths.journal_file
    if not any(journal_files(path)):
        raise JournalMissing(f"There is no journal at {path}.")
    if not _confirm(f"Delete {path} and its backup for good? Type 'delete': ", args.yes):
        print("Nothing was deleted.")
        return 1
    n = delete_journal(path)
    print(f"Deleted the journal ({n} file(s)). Backups you exported elsewhere are not touched.")
    return 0


def _peers(ctx: Context, args: argparse.Namespace) -> int:
    action = args.peer_action or "list"
    if action != "list" and not args.name:
        raise UsageError(f"'peers {action}' needs a NAME")
    j = _open(ctx, args)
    today = date.today()
    if action == "add":
        j.save(j.data.with_peer(args.name, today))
        print(f"Added {args.name.strip()} to your peer council.")
    elif action == "talked":
        j.save(j.data.talked_to(args.name, args.date or today))
        print(f"Logged a conversation with {args.name.strip()}.")
    elif action == "remove":
        j.save(j.data.without_peer(args.name))
        print(f"Removed {args.name.strip()} from your peer council.")
    else:
        if not j.data.peers:
            print("No peers yet; add one with 'pmload journal peers add NAME'.")
        for p in j.data.peers:
            talked = p.last_talked.isoformat() if p.last_talked else "never"
            print(f"{p.name:<24} last talked: {talked}")
    for line in peer_reminders(j.data.peers, today):
        print(line)
    return 0
