"""Input at the edges gets one clear sentence and exit 1 or 2, never "an unexpected error".

Dates far in the past or future, an id bigger than SQLite's integers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pmload.cli import main

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pmload tests//EN\r\n"
    "BEGIN:VEVENT\r\nUID:one@x\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART:20260105T170000Z\r\nDTEND:20260105T180000Z\r\nSUMMARY:Model chat\r\n"
    "ORGANIZER:mailto:me@acme.test\r\nATTENDEE:mailto:priya@eng.acme.test\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _exit_code(args: list[str]) -> int:
    """What the shell sees: main's return value, or argparse's exit for a bad argument."""
    try:
        return main(args)
    except SystemExit as exc:
        return int(exc.code or 0)


def _one_sentence(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "unexpected" not in err and "Traceback" not in err, err
    last = err.strip().splitlines()[-1]  # after argparse's usage line, if any
    assert last.startswith("pmload"), err
    return last


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["audit", "--week", "9999-W52"], 2, "out of range"),
        (["audit", "--week", "1899-W52"], 2, "out of range"),
        (["audit", "--weeks", "10000000"], 2, "reaches back too far"),
        (["audit", "--from", "0001-01-01"], 2, "out of range"),
        (["--tz", "Asia/Tokyo", "audit", "--from", "0001-01-01"], 2, "out of range"),
        (["--tz", "Asia/Tokyo", "audit", "--to", "9999-12-31"], 2, "out of range"),
        (["review", "--week", "9999-W52"], 2, "out of range"),
        (["meetings", "--from", "0001-01-01"], 2, "out of range"),
        (["export", "chart", "week", "--week", "9999-W52", "--out", "w.png"], 2, "out of range"),
        (["export", "csv", "weeks", "--weeks", "99999999", "--out", "w.csv"], 2, "too far"),
        (["sources", "remove", "99999999999999999999"], 1, "no source with id"),
    ],
)
def test_dates_and_ids_at_the_edges_are_one_sentence(
    args: list[str], code: int, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample"]) == 0  # a calendar, so only the argument can be refused
    capsys.readouterr()
    assert _exit_code(args) == code
    assert words in _one_sentence(capsys)


def test_import_window_at_the_edges_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "cal.ics"
    ics.write_text(ICS, encoding="utf-8")
    window = ["--from", "0001-01-01", "--to", "9999-12-31"]
    assert _exit_code(["import", str(ics), *window]) == 2
    assert "out of range" in _one_sentence(capsys)
    # the widest window pmload accepts imports
    assert _exit_code(["import", str(ics), "--from", "1900-01-01", "--to", "2200-12-31"]) == 0


def test_the_widest_periods_accepted_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--tz", "Asia/Tokyo", "sample"]) == 0
    for args in (
        ["--tz", "Asia/Tokyo", "audit", "--week", "1900-W01"],
        ["--tz", "Pacific/Kiritimati", "audit", "--from", "1900-01-01", "--to", "1900-01-14"],
        ["--tz", "Etc/GMT+12", "audit", "--week", "2200-W52"],
        ["--tz", "Etc/GMT+12", "review", "--from", "2200-12-20", "--to", "2200-12-31"],
        ["meetings", "--from", "1900-01-01", "--to", "2200-12-31"],
    ):
        assert main(args) == 0, args
    assert "unexpected" not in capsys.readouterr().err
