"""The ``pmload`` command line.

Each command group lives in its own module with a ``register(subparsers)``
function; ``COMMAND_MODULES`` lists them in the order ``--help`` shows them.
Exit codes: 0 success, 1 a failure explained in one sentence on stderr,
2 a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pmload import __version__
from pmload.cli.table import printable
from pmload.context import Context
from pmload.errors import PmloadError, UsageError
from pmload.logs import log_unexpected, setup_logging
from pmload.store import is_read_only, read_only_message

COMMAND_MODULES = (
    "pmload.cli.import_cmd",
    "pmload.cli.sources_cmd",
    "pmload.cli.meetings_cmd",
    "pmload.cli.sample_cmd",
    "pmload.cli.rules_cmd",
    "pmload.cli.audit_cmd",
    "pmload.cli.tag_cmd",
    "pmload.cli.people_cmd",
    "pmload.cli.export_cmd",
    "pmload.cli.journal_cmd",
)

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pmload",
        description=(
            "Audit where a product manager's meeting time goes: translation, "
            "coordination and strategy, with a weekly 40% translation check."
        ),
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"pmload {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep config, data, cache and logs under DIR (same as PMLOAD_HOME)",
    )
    parser.add_argument("--tz", metavar="ZONE", help="your IANA time zone, e.g. Europe/Paris")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _say(sentence: str) -> None:
    """A failure on stderr, prefixed "pmload: " unless the sentence names pmload already."""
    print(sentence if sentence.startswith("pmload ") else f"pmload: {sentence}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
