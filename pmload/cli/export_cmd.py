"""``pmload export chart|brief|csv``: charts, the one-page brief and spreadsheets.

    pmload export chart share|hours|series|week [PERIOD] [--redact …] --out FILE.png|.svg|.pdf
    pmload export brief [PERIOD] [--redact titles|people|all] [--include-journal]
                        [--paper letter|a4] [--asks FILE] --out brief.pdf
    pmload export csv meetings|weeks [PERIOD] [--redact …] [--include-notes] --out FILE.csv

PERIOD follows ``pmload audit`` (--week, --weeks N, --from/--to); the brief
defaults to the last 6 complete weeks, the week chart to the last complete
week with calendar data (or the week given with --week, or the last week of
the period given; a week without calendar data is refused in one sentence). Nothing from the journal is
read unless --include-journal is given, and then only scores. The brief's "My
asks" come from --asks FILE (one a line), else the asks remembered for the same
period, else a draft from the data; they are remembered for the period, so the
next brief says what was asked last time. Notes are exported only with
--include-notes (meetings CSV, not with --redact).
"""

from __future__ import annotations

import argparse
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from pmload.cli.journal_input import PASSPHRASE_ENV, read_passphrase
from pmload.context import Context
from pmload.errors import PmloadError, UsageError
from pmload.export.redact import REDACT_MODES
from pmload.period import Period, add_period_arguments, period_from_args, today_in, week_label

log = logging.getLogger(__name__)

BRIEF_DEFAULT_WEEKS = 6  # pmload.export.render.BRIEF_DEFAULT_WEEKS


def _common(p: argparse.ArgumentParser, out_help: str) -> None:
    add_period_arguments(p)
    p.add_argument(
        "--redact",
        choices=REDACT_MODES[1:],
        help="titles: neutral labels (Series A, Meeting 12); people: their side only; all: both",
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help=out_help)


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "export",
        help="charts, the one-page brief for a manager, and CSV for spreadsheets",
        description="Export charts (PNG, SVG, PDF), the one-page PDF brief, or CSV.",
    )
    esub = p.add_subparsers(dest="export_command", metavar="WHAT", required=True)

    chart = esub.add_parser(
        "chart",
        help="one chart as .png, .svg or .pdf",
        description=(
            "share: weekly translation share with the threshold; hours: stacked hours per "
            "category per week; series: top recurring meetings by translation hours; week: "
            "one week's breakdown by day (--week YYYY-Www, or the last week of the period; "
            "default the last complete week with calendar data)."
        ),
    )
    chart.add_argument("kind", choices=("share", "hours", "series", "week"), metavar="KIND")
    _common(chart, "where to write the chart; .png, .svg or .pdf")
    chart.add_argument(
        "--rolling",
        action="store_true",
        help="share chart: add the 4-week average line (complete weeks)",
    )
    chart.set_defaults(func=_chart)

    brief = esub.add_parser(
        "brief",
        help="the one-page PDF brief for a manager one-on-one",
        description=(
            "A one-page PDF: headline figures, the share and hours charts, the top "
            "translation meetings and talking points. Default period: the last "
            f"{BRIEF_DEFAULT_WEEKS} complete weeks."
        ),
    )
    _common(brief, "where to write the PDF")
    brief.add_argument(
        "--include-journal",
        action="store_true",
        help="add your journal scores (never notes; the PDF is then readable by you only); "
        f"asks for the passphrase (or reads {PASSPHRASE_ENV})",
    )
    brief.add_argument(
        "--paper",
        choices=("letter", "a4"),
        help="page size (default: from your locale, letter when unknown)",
    )
    brief.add_argument(
        "--asks",
        type=Path,
        metavar="FILE",
        help='your "My asks" bullets, one a line (default: those remembered for this '
        "period, else a draft from the data); remembered for the next brief",
    )
    brief.set_defaults(func=_brief)

    csvp = esub.add_parser(
        "csv",
        help="meetings or weeks as CSV",
        description=(
            "meetings: every occurrence of the period with whether it counts, its category "
            "and the reason; weeks: the audit's weekly figures."
        ),
    )
    csvp.add_argument("table", choices=("meetings", "weeks"), metavar="meetings|weeks")
    _common(csvp, "where to write the CSV")
    csvp.add_argument(
        "--include-notes",
        action="store_true",
        help="add your notes as a column (meetings only; never with --redact)",
    )
    csvp.set_defaults(func=_csv)


def _period_given(args: argparse.Namespace) -> bool:
    return any(
        getattr(args, k, None) is not None for k in ("week", "weeks", "date_from", "date_to")
    )


def _check_out(path: Path, allowed: tuple[str, ...]) -> None:
    if path.suffix.lower() not in allowed:
        choices = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
        raise UsageError(f"'{path.name}' must end in {choices}.")


def _analysis(ctx: Context) -> Any:
    from pmload.rules.analysis import Analysis

    analysis = Analysis.load(ctx.conn, ctx.settings, ctx.zone)
    if not analysis.occurrences:
        # an all-zero brief would only mislead whoever reads it
        raise PmloadError(
            "there is nothing to export yet: import a calendar with `pmload import FILE` "
            "(or try `pmload sample`)."
        )
    return analysis


def _chart(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.export.render import default_week, export_figure, save_export

    _check_out(args.out, (".png", ".svg", ".pdf"))
    analysis = _analysis(ctx)
    today = today_in(ctx.zone)
    if args.kind == "week" and not _period_given(args):
        period = default_week(analysis, today)
    else:
        period = period_from_args(args, ctx.zone)
    if args.kind == "week":
        period = Period.of_weeks(period.last_sunday - timedelta(days=6), 1)
        if not analysis.has_data(period.first_monday):
            raise PmloadError(
                f"{period.label()} has no calendar data; your calendar runs from "
                f"{week_label(analysis.first_week)} to {week_label(analysis.last_week)}."
            )
    fig = export_figure(
        analysis,
        args.kind,
        period,
        redact=args.redact or "none",
        today=today,
        rolling=args.rolling,
    )
    save_export(fig, args.kind, args.out)
    print(f"Wrote the {args.kind} chart for {period.label()} to {args.out}.")
    return 0


def _brief(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.export.brief import default_paper
    from pmload.export.render import export_figure, save_export

    _check_out(args.out, (".pdf",))
    if not _period_given(args):
        args.weeks = BRIEF_DEFAULT_WEEKS
    period = period_from_args(args, ctx.zone)
    journal = None
    if args.include_journal:
        from pmload.export.brief_journal import journal_lines, load_journal

        passphrase = read_passphrase(
            "Journal passphrase: ", stdin_line=False, purpose="--include-journal"
        )
        journal = journal_lines(load_journal(ctx.paths.journal_file, passphrase), period)
    from pmload.export.asks import (
        asks_of,
        draft_for,
        previous_asks,
        read_asks_file,
        save_asks,
        since_text,
    )
    from pmload.export.brief_facts import brief_facts
    from pmload.export.render import redactor_for

    given = read_asks_file(args.asks) if args.asks is not None else None
    source = "from your file" if given is not None else ""  # what the user is told
    analysis = _analysis(ctx)
    today = today_in(ctx.zone)
    redactor = redactor_for(ctx.settings, args.redact or "none")
    facts = brief_facts(analysis, period, today)
    if given is None:
        remembered = asks_of(ctx.conn, period)
        given = list(remembered.asks) if remembered is not None else None
        if given is not None:
            source = f"remembered from your brief to {week_label(period.last_sunday)}"
    asks = given if given is not None else draft_for(analysis, facts, redactor, today=today)
    source = source or "drafted from the data; write your own with --asks FILE"
    before = previous_asks(ctx.conn, period)
    since = since_text(before, facts) if before is not None else None
    fig = export_figure(
        analysis,
        "brief",
        period,
        redact=args.redact or "none",
        paper=args.paper or default_paper(),
        today=today,
        journal_lines=journal,
        asks=asks,
        since=since,
        redactor=redactor,
    )
    save_export(fig, "brief", args.out, private=journal is not None)
    save_asks(ctx.conn, facts, asks)
    print(f"Wrote the brief for {period.label()} to {args.out}.")
    print(f'"My asks" ({len(asks)}): {source}.' if asks else '"My asks": none.')
    return 0


def _csv(ctx: Context, args: argparse.Namespace) -> int:
    from pmload.export.csv_export import (
        MEETING_FIELDS,
        WEEK_FIELDS,
        meeting_rows,
        week_rows,
        write_csv,
    )
    from pmload.export.data import uid_counts
    from pmload.export.render import redactor_for

    _check_out(args.out, (".csv",))
    if args.include_notes and args.redact:
        raise UsageError(
            "--include-notes and --redact do not go together: a note may name people or titles."
        )
    if args.include_notes and args.table != "meetings":
        raise UsageError("--include-notes adds a column to the meetings CSV only.")
    period = period_from_args(args, ctx.zone)
    analysis = _analysis(ctx)
    redactor = redactor_for(ctx.settings, args.redact or "none")
    if args.table == "meetings":
        items = analysis.in_period(period)
        notes = None
        if args.include_notes:
            from pmload.rules.notes import load_notes

            notes = load_notes(ctx.conn)
        rows = meeting_rows(items, ctx.zone, redactor, uid_counts(analysis), notes=notes)
        fields = (*MEETING_FIELDS, "note") if notes is not None else MEETING_FIELDS
        write_csv(args.out, fields, rows)
    else:
        rows = week_rows(analysis.audit(period), redactor)
        write_csv(args.out, WEEK_FIELDS, rows)
    print(f"Wrote {len(rows)} {args.table} rows for {period.label()} to {args.out}.")
    return 0
