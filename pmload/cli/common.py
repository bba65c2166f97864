"""What every command shares: argument types and options (the context lives in pmload.context)."""

from __future__ import annotations

import argparse

from pmload.period import iso_date

__all__ = ["add_format", "iso_date"]


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default=choices[0],
        help=f"output format (default {choices[0]})",
    )
