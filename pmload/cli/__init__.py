"""The ``pmload`` command line.

Each command group lives in its own module with a ``register(subparsers)``
function; ``COMMANDS`` maps each command to its module, in the order ``--help``
shows them. Only the module of the command being run is imported (a re-import
of an unchanged calendar must not pay for the audit, the journal or the
charts); ``pmload --help`` and an unknown command import them all.
Exit codes: 0 success, 1 a failure explained in one sentence on stderr,
2 a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pmload.cli.table import printable
from pmload.context import Context
from pmload.errors import PmloadError, UsageError
from pmload.logs import log_unexpected, setup_logging
from pmload.store import is_read_only, read_only_message

COMMANDS: dict[str, str] = {
    "import": "pmload.cli.import_cmd",
    "sources": "pmload.cli.sources_cmd",
    "google": "pmload.cli.google_cmd",
    "meetings": "pmload.cli.meetings_cmd",
    "sample": "pmload.cli.sample_cmd",
    "rules": "pmload.cli.rules_cmd",
    "audit": "pmload.cli.audit_cmd",
    "what-if": "pmload.cli.whatif_cmd",
    "tag": "pmload.cli.tag_cmd",
    "untag": "pmload.cli.tag_cmd",
    "review": "pmload.cli.tag_cmd",
    "note": "pmload.cli.note_cmd",
    "notes": "pmload.cli.note_cmd",
    "people": "pmload.cli.people_cmd",
    "export": "pmload.cli.export_cmd",
    "journal": "pmload.cli.journal_cmd",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))
# Global options that take a value (the command is the first other word).
_VALUE_OPTIONS = ("--home", "--tz")

log = logging.getLogger(__name__)


class _Version(argparse.Action):
    """``--version``: reads the version only when asked (metadata costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show pmload's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from pmload.appinfo import version

        print(f"pmload {version()}")
        parser.exit(0)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _command_of(argv: Sequence[str]) -> str | None:
    """The command word of ``argv`` (after the global options), or None."""
    args = iter(argv)
    for arg in args:
        if arg in _VALUE_OPTIONS:
            next(args, None)
        elif not arg.startswith("-"):
            return arg
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the module of its command is imported."""
    parser = _Parser(
        prog="pmload",
        description=(
            "Audit where a product manager's meeting time goes: translation, "
            "coordination and strategy, with a weekly 40% translation check."
        ),
        allow_abbrev=False,
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep config, data, cache and logs under DIR (same as PMLOAD_HOME)",
    )
    parser.add_argument("--tz", metavar="ZONE", help="your IANA time zone, e.g. Europe/Paris")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    command = _command_of(argv) if argv is not None else None
    modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def _say(sentence: str) -> None:
    """A failure on stderr, prefixed "pmload: " unless the sentence names pmload already."""
    print(sentence if sentence.startswith("pmload ") else f"pmload: {sentence}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    ctx: Context | None = None
    try:
        ctx = Context(home=args.home, tz=args.tz)
        setup_logging(ctx.paths, verbose=args.verbose)
        code: int = args.func(ctx, args)
        return code
    except UsageError as exc:
        print(f"pmload: error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except PmloadError as exc:
        _say(printable(str(exc)))
        return 1
    except KeyboardInterrupt:
        print("pmload: interrupted.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if ctx is not None and is_read_only(exc):
            _say(read_only_message(ctx.paths.data_dir))
            return 1
        log_unexpected(log, exc)
        where = f"; details are in {ctx.paths.log_file}" if ctx is not None else ""
        print(f"pmload: an unexpected error occurred{where}.", file=sys.stderr)
        return 1
    finally:
        if ctx is not None:
            ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
