"""Input at the edges gets one clear sentence and exit 1 or 2, never "an unexpected error".

Dates far in the past or future, an id bigger than SQLite's integers, a data
folder pmload cannot write, a --home that is a file.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
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


def test_home_that_is_a_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("not a folder", encoding="utf-8")
    for home in (afile, afile / "pmload"):
        for command in (["audit"], ["rules", "show"], ["sources"]):
            assert main(["--home", str(home), *command]) == 2
            assert f"{afile} is a file" in _one_sentence(capsys)
    assert afile.read_text(encoding="utf-8") == "not a folder"


NOBODY = 65534


@pytest.fixture
def own_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A PMLOAD_HOME that a non-root user owns, outside pytest's root-only tmp folder.

    File permissions do not stop root, so under root the test's body runs with
    the effective ids of ``nobody`` (see :func:`as_owner`).
    """
    home = Path(tempfile.mkdtemp(prefix="pmload-ro-"))
    monkeypatch.setenv("PMLOAD_HOME", str(home))
    yield home
    shutil.rmtree(home, ignore_errors=True)


class as_owner:
    """Run a block as the owner of ``home`` (as ``nobody`` when the tests run as root)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.root = os.geteuid() == 0

    def __enter__(self) -> None:
        if self.root:
            for folder, dirs, files in os.walk(self.home):
                for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
                    os.chown(name, NOBODY, NOBODY)
            os.setegid(NOBODY)
            os.seteuid(NOBODY)

    def __exit__(self, *exc: object) -> None:
        if self.root:
            os.seteuid(0)
            os.setegid(0)


def _make_read_only_database(home: Path) -> None:
    (home / "data" / "pmload.sqlite3").chmod(0o444)


def _make_read_only_folder(home: Path) -> None:
    (home / "data").chmod(0o555)


@pytest.mark.parametrize("make_read_only", [_make_read_only_database, _make_read_only_folder])
def test_a_read_only_data_folder_is_one_sentence(
    own_home: Path, capsys: pytest.CaptureFixture[str], make_read_only: object
) -> None:
    ics = own_home / "cal.ics"
    ics.write_text(ICS, encoding="utf-8")
    assert main(["import", str(ics)]) == 0  # also imports every module the commands use
    capsys.readouterr()
    assert callable(make_read_only)
    make_read_only(own_home)
    before = (own_home / "data" / "pmload.sqlite3").read_bytes()
    with as_owner(own_home):
        for command in (["import", str(ics)], ["tag", "0" * 12, "strategy"], ["sources"]):
            assert main(command) == 1
            sentence = _one_sentence(capsys)
            assert sentence == f"pmload cannot write to its data folder {own_home / 'data'}."
    assert (own_home / "data" / "pmload.sqlite3").read_bytes() == before
    if make_read_only is _make_read_only_folder:  # tightened, never loosened
        assert stat.S_IMODE((own_home / "data").stat().st_mode) == 0o500
