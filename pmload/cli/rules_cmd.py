"""``pmload rules import FILE`` and ``pmload rules show``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pmload.config import import_rules, read_rules_text
from pmload.context import Context


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "rules",
        help="import or show your settings and rules (rules.toml)",
        description="Your settings and classification rules live in rules.toml in the config dir.",
    )
    rsub = p.add_subparsers(dest="rules_command", metavar="ACTION", required=True)
    imp = rsub.add_parser(
        "import",
        help="validate FILE and make it your rules file",
        description="Validate FILE and make it your rules file; on any error nothing changes.",
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(func=_import)
    show = rsub.add_parser(
        "show", help="print your rules file", description="Print your rules file."
    )
    show.set_defaults(func=_show)


def _import(ctx: Context, args: argparse.Namespace) -> int:
    settings = import_rules(ctx.paths, args.file)
    people = sum(len(v) for v in settings.people.values())
    print(
        f"Imported {args.file} to {ctx.paths.rules_file}: "
        f"{len(settings.me)} address(es) for you, {people} people pattern(s), "
        f"{len(settings.rules)} keyword rule(s)."
    )
    return 0


def _show(ctx: Context, args: argparse.Namespace) -> int:
    text = read_rules_text(ctx.paths)
    if not text.strip():
        print(f"# {ctx.paths.rules_file} does not exist yet; pmload uses its defaults.")
        print('# Start with:  me = ["you@example.com"]')
        return 0
    _ = ctx.settings  # validate, so a broken file is reported rather than echoed
    print(text, end="" if text.endswith("\n") else "\n")
    return 0
