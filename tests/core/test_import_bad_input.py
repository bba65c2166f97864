"""Bad input: one clear line naming the file, exit 1, and stored data untouched."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from pmload.cli import main

FIX = Path(__file__).parent / "fixtures"
GOOD = (FIX / "recurrence.ics").read_bytes()


def _garbage(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def _one_event(extra: bytes) -> bytes:
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//pmload tests//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:only@acme.test\r\nSUMMARY:Pricing review\r\nDTSTART:20260106T170000Z\r\n"
        b"DURATION:PT45M\r\n" + (extra + b"\r\n" if extra else b"") + b"END:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )


BAD: dict[str, tuple[Callable[[], bytes], str]] = {
    "not_a_calendar.ics": (
        lambda: b"Dear team,\nplease find the agenda attached.\n",
        "not an iCalendar file",
    ),
    "empty.ics": (lambda: b"", "empty"),
    "blank.ics": (lambda: b"\n\n  \n", "empty"),
    "truncated.ics": (lambda: GOOD[: len(GOOD) // 2], "truncated"),
    "binary.ics": (lambda: b"\x89PNG\r\n\x1a\n" + _garbage(4096), "binary"),
    # a file whose only event is damaged (one damaged event among good ones is skipped:
    # tests/core/test_skipped_events.py)
    "invalid_rrule.ics": (lambda: _one_event(b"RRULE:FREQ=SOMETIMES;BYDAY=XX"), "invalid"),
    "bad_dtstart.ics": (
        lambda: _one_event(b"").replace(b"DTSTART:20260106T170000Z", b"DTSTART:tomorrow-ish"),
        "start time",
    ),
    "garbage_50mb.ics": (lambda: _garbage(50 * 1024 * 1024), "binary"),
    "garbage_text.ics": (lambda: b"lorem ipsum " * 400_000, "not an iCalendar file"),
    "one_enormous_line.ics": (
        lambda: (
            b"BEGIN:VCALENDAR\r\nX-HUGE:" + b"a" * (30 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n"
        ),
        "",
    ),
    "enormous_line_no_calendar.ics": (lambda: b"x" * (20 * 1024 * 1024), "not an iCalendar file"),
}


@pytest.fixture
def stored(pmload_home: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A good calendar already imported; returns its meetings JSON."""
    (pmload_home / "config").mkdir(parents=True)
    (pmload_home / "config" / "rules.toml").write_text('me = ["me@acme.test"]\n')
    assert (
        main(["import", str(FIX / "recurrence.ics"), "--from", "2026-01-01", "--to", "2026-04-30"])
        == 0
    )
    capsys.readouterr()
    return _snapshot(capsys)


def _snapshot(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["meetings", "--format", "json"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_rejected_clearly(
    name: str, stored: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = BAD[name]
    path = tmp_path / name
    path.write_bytes(make())
    code = main(["import", str(path), "--from", "2026-01-01", "--to", "2026-04-30"])
    out, err = capsys.readouterr()
    if name == "one_enormous_line.ics":
        # a valid (if odd) calendar with no events: imported, nothing breaks
        assert code == 0, err
    else:
        assert code == 1
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert str(path) in lines[0] and expected in lines[0], lines[0]
    assert "Traceback" not in err + out
    assert _snapshot(capsys) == stored


def test_good_files_still_import_beside_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_bytes(b"nope")
    code = main(
        [
            "import",
            str(bad),
            str(FIX / "thisandfuture.ics"),
            "--from",
            "2026-01-01",
            "--to",
            "2026-04-30",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 1 and "bad.ics" in err and "thisandfuture.ics: imported" in out
    assert len(json.loads(_snapshot(capsys))) == 6


def test_missing_path_and_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    (empty / "readme.txt").write_text("hi")
    code = main(["import", str(tmp_path / "nope.ics"), str(empty)])
    err = capsys.readouterr().err
    assert code == 1
    assert "nope.ics: no such file or folder." in err
    assert "empty-folder: the folder holds no .ics files." in err
    assert "Traceback" not in err


def test_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    p = tmp_path / "locked.ics"
    p.write_bytes(GOOD)
    real = os.open

    def deny(path: object, flags: int, *args: object) -> int:  # as for a file without permission
        if str(path).endswith("locked.ics"):
            raise PermissionError(13, "Permission denied")
        return real(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    assert main(["import", str(p)]) == 1
    assert "locked.ics: permission denied." in capsys.readouterr().err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(FIX / "recurrence.ics"), "--from", "2026-01-01"]) == 2
    assert "--from and --to go together" in capsys.readouterr().err
    assert (
        main(["import", str(FIX / "recurrence.ics"), "--from", "2026-02-01", "--to", "2026-01-01"])
        == 2
    )
    with pytest.raises(SystemExit) as exc:
        main(["import", "x.ics", "--from", "yesterday", "--to", "2026-01-01"])
    assert exc.value.code == 2


def test_unknown_tz_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--tz", "Mars/Base", "import", str(FIX / "recurrence.ics")])
    assert code == 2
    assert "not a known IANA time zone" in capsys.readouterr().err


def test_unreadable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "a.ics").write_bytes(GOOD)

    def deny(self: Path, pattern: str) -> object:  # as the OS does for a folder without permission
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "rglob", deny)
    assert main(["import", str(folder)]) == 1
    err = capsys.readouterr().err
    assert (
        "calendars: cannot read the folder (Permission denied)." in err and "Traceback" not in err
    )
