"""Hardening of the journal vault: temp files, KDF limits, locking, re-keying."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

from pmload.journal import Entry, Journal
from pmload.journal import fileformat as ff

FAST = ff.KdfParams.scrypt(n=2**10, r=8, p=1)
PASS = "correct horse battery"


def make(path: Path) -> Journal:
    path.parent.mkdir(parents=True, exist_ok=True)
    j = Journal.create(path, PASS, kdf=FAST)
    j.save(j.data.with_entry(Entry(date(2026, 1, 5), 6, 4)))
    return j


def _old_file(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))


def test_export_and_save_leave_other_temp_files_alone(tmp_path: Path) -> None:
    j = make(tmp_path / "data" / "journal.pmj")
    dest = tmp_path / "exports"
    dest.mkdir()
    theirs = [dest / ".journal-someone-else.tmp", tmp_path / "data" / ".journal-other.tmp"]
    theirs.append(tmp_path / "data" / f".journal-bak-{os.getpid()}.tmp")
    for p in theirs:
        _old_file(p, b"not ours")
    j.export(dest / "backup.pmj")
    j.save(j.data.with_entry(Entry(date(2026, 1, 6), 1, 1)))
    for p in theirs:
        assert p.read_bytes() == b"not ours", p
    assert sorted(p.name for p in dest.iterdir()) == [".journal-someone-else.tmp", "backup.pmj"]
