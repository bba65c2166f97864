"""What pmload keeps is the user's alone: 0700 folders, 0600 files, whatever the umask.

The database holds every meeting title and attendee, the log may hold UIDs,
rules.toml lists colleagues by side, and a brief with journal scores is
health data. On a shared machine with the usual umask 022 all of it was
readable by every account, and an existing 0755 data folder stayed so. The
log itself never holds an exception's message (it may quote a title).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pmload import store
from pmload.cli import main
from pmload.fileio import SHARED_FILE, atomic_write_bytes
from pmload.journal import Entry, Journal
from pmload.journal.fileformat import KdfParams
from pmload.paths import resolve_paths
from tests.core.export_calendar import import_calendar

PASSPHRASE = "correct horse battery"
SIX_WEEKS = ("--from", "2026-01-05", "--to", "2026-02-15")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask of most desktop sessions: new files 0644, new folders 0755."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _folders(home: Path) -> list[Path]:
    return [home / name for name in ("config", "data", "cache", "logs")]


def test_a_new_home_is_private(
    pmload_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import_calendar(tmp_path)
    assert main(["people", "set", "ana@eng.acme.test", "technical"]) == 0
    # the log file is opened at its first record (start-up never pays for it)
    logging.getLogger("pmload.test").warning("a record")
    for folder in _folders(pmload_home):
        assert mode(folder) == 0o700, folder
    for file in (
        pmload_home / "data" / "pmload.sqlite3",
        pmload_home / "config" / "rules.toml",
        pmload_home / "logs" / "pmload.log",
    ):
        assert mode(file) == 0o600, file


def test_the_database_journals_are_private_while_it_is_open(pmload_home: Path) -> None:
    paths = resolve_paths().ensure()
    conn = store.connect(paths.database)
    try:
        conn.execute("INSERT INTO meta VALUES ('k', 'v')")
        for suffix in ("", "-wal", "-shm"):
            file = paths.data_dir / f"pmload.sqlite3{suffix}"
            assert file.exists() and mode(file) == 0o600, file
    finally:
        conn.close()


def test_an_existing_home_is_tightened(pmload_home: Path, tmp_path: Path) -> None:
    """A home made by an older pmload (0755 folders, 0644 files) loses group and other bits."""
    import_calendar(tmp_path)
    logs = pmload_home / "logs"
    old_files = [
        pmload_home / "data" / "pmload.sqlite3",
        logs / "pmload.log",
        logs / "pmload.log.1",
        logs / "pmload.log.3",
    ]
    for name in ("pmload.log", "pmload.log.1", "pmload.log.3"):
        (logs / name).write_text("an older rotation\n", encoding="utf-8")
    for folder in _folders(pmload_home):
        folder.chmod(0o755)
    for file in old_files:
        file.chmod(0o644)
    import logging

    for handler in logging.getLogger().handlers:  # a new process opens the log afresh
        if type(handler).__name__ == "_PmloadLog":
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert main(["sources"]) == 0
    for folder in _folders(pmload_home):
        assert mode(folder) == 0o700, folder
    for file in old_files:
        assert mode(file) == 0o600, file


def test_rotated_logs_are_private(pmload_home: Path) -> None:
    import logging

    assert main(["sources"]) == 0
    handler = next(h for h in logging.getLogger().handlers if type(h).__name__ == "_PmloadLog")
    logging.getLogger("pmload.test").warning("the first record opens the file")
    rotating = getattr(handler, "_file")  # noqa: B009 (made at the first record)
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    rotating.doRollover()
    logging.getLogger("pmload.test").warning("after the rollover")
    for name in ("pmload.log", "pmload.log.1"):
        assert mode(pmload_home / "logs" / name) == 0o600, name


def _journal() -> None:
    paths = resolve_paths().ensure()
    journal = Journal.create(paths.journal_file, PASSPHRASE, KdfParams.scrypt(n=2**10))
    entry = Entry(day=date(2026, 1, 12), burnout=7, isolation=5, kinds=(), note="private note")
    journal.save(journal.data.with_entry(entry))


def test_a_brief_with_journal_scores_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_calendar(tmp_path)
    _journal()
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASSPHRASE)
    private, shared = tmp_path / "with-journal.pdf", tmp_path / "plain.pdf"
    shared.write_bytes(b"an older export")
    private.write_bytes(b"an older export, readable by all")
    private.chmod(0o644)
    assert main(["export", "brief", *SIX_WEEKS, "--include-journal", "--out", str(private)]) == 0
    assert main(["export", "brief", *SIX_WEEKS, "--out", str(shared)]) == 0
    assert mode(private) == 0o600
    assert mode(shared) == 0o644  # an export to share follows the umask
    assert private.read_bytes().startswith(b"%PDF")


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "rules.toml"
    target.write_text("me = []\n", encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "text, not bytes")  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "me = []\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rules.toml"]
    atomic_write_bytes(target, b"me = ['a@b.test']\n")
    assert mode(target) == 0o600
    atomic_write_bytes(target, b"shared", SHARED_FILE)
    assert mode(target) == 0o644 and target.read_bytes() == b"shared"


def test_a_logged_traceback_withholds_its_message(pmload_home: Path) -> None:
    """icalendar's errors quote the offending line, title included; the log keeps the code."""
    import logging

    assert main(["sources"]) == 0
    marker = "Offsite " + "about Dana's exit"  # data, not code: in no source line
    try:
        raise ValueError(f"Content line could not be parsed: 'SUMMARY:{marker}'")
    except ValueError:
        logging.getLogger("pmload.ingest.expand").debug("icalendar rejected it", exc_info=True)
    log = (pmload_home / "logs" / "pmload.log").read_text(encoding="utf-8")
    assert "icalendar rejected it" in log and "ValueError" in log
    assert "test_private_files.py" in log  # where it happened is kept
    assert marker not in log
