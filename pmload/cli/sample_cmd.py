"""``pmload sample``: install the bundled sample calendar to explore pmload."""

from __future__ import annotations

import argparse
from typing import Any

from pmload.cli.import_cmd import print_report
from pmload.context import Context
from pmload.ingest.sample import install_sample


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "sample",
        help="install the bundled sample calendar to explore pmload",
        description=(
            "Install a few months of a fictional AI product manager's calendar, dated so "
            "the current week is full, and merge its people and rules into your rules.toml."
        ),
    )
    p.set_defaults(func=_run)


def _run(ctx: Context, args: argparse.Namespace) -> int:
    report = install_sample(ctx.paths, ctx.conn, ctx.zone)
    code = print_report(report)
    if code == 0:
        print("Sample installed: try `pmload audit` or open the app with `pmload-gui`.")
    return code
