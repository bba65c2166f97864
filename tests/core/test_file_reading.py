"""Only regular files are read, and never more than a limit: /dev/zero, FIFOs, huge files."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.fileread import FileReadError, read_regular_file

FIX = Path(__file__).parent / "fixtures"


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_import_of_dev_zero_is_refused_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    t0 = time.monotonic()
    assert main(["import", "/dev/zero"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "/dev/zero" in line and "not a regular file" in line
    assert time.monotonic() - t0 < 5


def test_a_symlink_to_a_device_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    link = tmp_path / "calendar.ics"
    link.symlink_to("/dev/zero")
    assert main(["import", str(link)]) == 1
    assert "not a regular file" in _one_line(capsys.readouterr().err)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_does_not_block_the_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "invite.ics"
    os.mkfifo(fifo)
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(main(["import", str(fifo)])), daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # unblock the thread before failing, so pytest can end
        with open(fifo, "wb") as writer:
            writer.write(b"")
        worker.join(5)
        pytest.fail("importing a FIFO blocked waiting for a writer")
    assert done == [1]
    assert "not a regular file" in _one_line(capsys.readouterr().err)


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.ics"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(FileReadError, match=r"too large \(more than 1 KB\)"):
        read_regular_file(big, 1024)
    assert read_regular_file(big, 2048) == b"x" * 2048


def test_a_calendar_larger_than_the_import_limit_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmload.ingest import ics_text

    monkeypatch.setattr(ics_text, "MAX_BYTES", 1000)
    cal = tmp_path / "work.ics"
    cal.write_bytes((FIX / "recurrence.ics").read_bytes())
    assert main(["import", str(cal)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert str(cal) in line and "too large" in line


def test_folder_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match="folder"):
        read_regular_file(tmp_path, 10)
    with pytest.raises(FileReadError, match="no such file"):
        read_regular_file(tmp_path / "nope.ics", 10)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_rules_import_from_a_device_is_refused(
    pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t0 = time.monotonic()
    assert main(["rules", "import", "/dev/zero"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "/dev/zero" in line and "not a regular file" in line
    assert time.monotonic() - t0 < 5
    assert not (pmload_home / "config" / "rules.toml").exists()


def test_rules_file_over_the_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "rules.toml"
    huge.write_text('me = ["me@acme.test"]\n' + "# padding\n" * 200_000)
    assert main(["rules", "import", str(huge)]) == 1
    assert "too large" in _one_line(capsys.readouterr().err)
