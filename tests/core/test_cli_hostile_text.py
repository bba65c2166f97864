"""Invites written by someone else: titles and names that attack a terminal or a spreadsheet.

Anyone can send an invite. Its title may hold ESC sequences (``ESC ] 0 ; … BEL``
renames the terminal, ``ESC [ 2 J`` clears it) or start with ``=`` so that a
spreadsheet runs it as a formula. pmload prints the first escaped and writes
the second as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.cli.table import cells, printable, table_lines
from pmload.export.csv_export import spreadsheet_safe

ESC_TITLE = "\x1b]0;pwned\x07\x1b[2JModel chat"
RULES = """\
me = ["me@acme.test"]
timezone = "UTC"
[people]
technical = ["*@eng.acme.test"]
business = ["cfo@acme.test"]
"""
FORMULAS = (
    '=HYPERLINK("http://evil.test","Q3 numbers")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "=1+1",
)


def _event(uid: str, day: int, title: str, people: list[str], cn: str = "", end: int = 18) -> str:
    name = f';CN="{cn}"' if cn else ""
    return "\r\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART:202601{day:02d}T170000Z",
            f"DTEND:202601{day:02d}T{end}0000Z",
            f"SUMMARY:{title}",
            "ORGANIZER:mailto:me@acme.test",
            *(f"ATTENDEE;PARTSTAT=ACCEPTED{name}:mailto:{p}" for p in people),
            "END:VEVENT",
        ]
    )


@pytest.fixture
def hostile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Sole-bridge meetings titled with ESC and with a formula, an unknown person with an
    ESC in their address, one unclassified meeting per formula title (a title's leading
    tab does not survive the calendar parser); the file name holds an ESC."""
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    assert main(["rules", "import", str(rules)]) == 0
    events = [
        _event("bridge@x", 5, ESC_TITLE, ["priya@eng.acme.test", "cfo@acme.test"]),
        _event("vendor@x", 6, ESC_TITLE + " (vendor)", ["sam\x1b[31m@labelco.test"], cn="Sam"),
        *(
            _event(f"f{i}@x", 7 + i, title, ["-dash@labelco.test", "ana@eng.acme.test"])
            for i, title in enumerate(FORMULAS)
        ),
        # the top translation series (3 h), so the weeks CSV starts a cell with it
        _event("bridge2@x", 20, "=2+5", ["priya@eng.acme.test", "cfo@acme.test"], end=20),
    ]
    ics = tmp_path / "cal\x1b[31m.ics"
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pmload tests//EN\r\n"
    ics.write_text(head + "\r\n".join(events) + "\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    assert main(["import", str(ics), "--from", "2026-01-01", "--to", "2026-01-31"]) == 0
    capsys.readouterr()
    return ics


PERIOD = ["--from", "2026-01-01", "--to", "2026-01-31"]


@pytest.mark.parametrize(
    "command",
    [
        ["meetings"],
        ["review", *PERIOD],
        ["audit", *PERIOD],
        ["people"],
        ["sources"],
    ],
)
def test_tables_never_send_control_characters_to_the_terminal(
    hostile: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(command) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b" in out  # shown, escaped, so the user sees what the invite holds


def test_tag_and_untag_messages_escape_the_title(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert main(["meetings", "--format", "json"]) == 0
    ident = json.loads(capsys.readouterr().out)[0]["id"]
    for args in (
        ["tag", ident, "strategy"],
        ["untag", ident],
        ["tag", ident, "translation", "--series"],
    ):
        assert main(args) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\\x1b]0;pwned\\x07" in out


def test_an_error_quoting_the_command_line_is_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tag", "\x1b[2Jnope", "strategy"]) in (1, 2)
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1


def test_table_aligns_by_display_cells() -> None:
    lines = table_lines(
        [("会議の準備", "1.0"), ("café", "12.5"), ("a\u0301b", "3.0")],
        header=("Title", "Hours"),
        right={1},
    )
    ends = {cells(line) for line in lines}
    assert ends == {len("Title       Hours")}, lines  # every line ends in the same column
    assert lines[1] == "会議の準備    1.0"


def test_printable_names_every_control_character() -> None:
    assert printable("a\nb\tc\r\x1b[0m\x7f\x9b\u202e") == "a\\nb\\tc\\r\\x1b[0m\\x7f\\x9b\\u202e"
    assert printable("Pricing — 日本語 café") == "Pricing — 日本語 café"


def test_clipped_titles_stay_inside_their_column() -> None:
    lines = table_lines([("x" * 50, "why")], max_widths={0: 40})
    assert lines == ["x" * 39 + "…  why"]
    lines = table_lines([("会" * 30, "why")], max_widths={0: 40})
    assert lines == ["会" * 19 + "…  why"]  # 39 cells: a wide character does not fit in 40


@pytest.mark.parametrize("value", [*FORMULAS, "\t=1+1", "\r=1+1"])
def test_formula_cells_are_neutralised(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value
    assert spreadsheet_safe("Model chat") == "Model chat"
    assert spreadsheet_safe(-2) == -2  # numbers stay numbers


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _assert_safe(text: str) -> None:
    for cell in _cells(text):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for title in FORMULAS:
        assert "'" + title in _cells(text)


def test_export_csv_meetings_writes_formulas_as_text(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "meetings.csv"
    assert main(["export", "csv", "meetings", *PERIOD, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    _assert_safe(text)
    assert "'-dash@labelco.test; ana@eng.acme.test" in _cells(text)


def test_export_csv_weeks_writes_series_names_as_text(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "weeks.csv"
    assert main(["export", "csv", "weeks", *PERIOD, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    series = [row["top_translation_series"] for row in csv.DictReader(io.StringIO(text))]
    assert series[3] == "'=2+5 (3.0)"  # 2026-W04, the week of 20 Jan
    for cell in _cells(text):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_meetings_format_csv_writes_formulas_as_text(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["meetings", "--format", "csv"]) == 0
    _assert_safe(capsys.readouterr().out)
