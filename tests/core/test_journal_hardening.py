"""Hardening of the journal vault: temp files, KDF limits, re-keying on passwd."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from pmload.journal import (
    Entry,
    Journal,
    JournalDamaged,
    KdfTooExpensive,
    WrongPassphrase,
    restore,
)
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


EXPENSIVE = (
    "This journal file asks for unusually expensive key derivation; it was not made by pmload."
)
COSTLY = [
    ff.KdfParams.argon2id(memory_kib=2**21, iterations=64, lanes=64),  # 2 GiB, t=64, p=64
    ff.KdfParams.argon2id(memory_kib=2**18 + 1024),  # 257 MiB
    ff.KdfParams.argon2id(iterations=11),
    ff.KdfParams.argon2id(memory_kib=2**18, lanes=9),
    ff.KdfParams.scrypt(n=2**20, r=32, p=1),
    ff.KdfParams.scrypt(n=2**19, r=1, p=1),
    ff.KdfParams.scrypt(n=2**17, r=17, p=1),
    ff.KdfParams.scrypt(n=2**18, r=16, p=1),  # 512 MiB
    ff.KdfParams.scrypt(n=2**17, r=8, p=5),
    ff.KdfParams.scrypt(n=2**18, r=8, p=4),  # n*r*p = 2**23
]


def crafted(kdf: ff.KdfParams) -> bytes:
    """A well-framed file (valid checksum) whose header asks for ``kdf``."""
    head = ff.Header(kdf, os.urandom(16), os.urandom(12), os.urandom(48), os.urandom(12)).pack()
    out = head + os.urandom(ff.PAD_TO - len(head) - ff.DIGEST_LEN)
    return out + hashlib.sha256(out).digest()


@pytest.fixture
def no_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> bytes:
        raise AssertionError("key derivation started for a crafted header")

    monkeypatch.setattr(ff, "derive_key", refuse)


@pytest.mark.parametrize("kdf", COSTLY, ids=lambda k: k.describe())
def test_costly_kdf_is_refused_before_derivation(
    tmp_path: Path, kdf: ff.KdfParams, no_derivation: None
) -> None:
    path = tmp_path / "journal.pmj"
    path.write_bytes(crafted(kdf))
    start = time.perf_counter()
    with pytest.raises(KdfTooExpensive) as exc:
        Journal.unlock(path, PASS)
    assert str(exc.value) == EXPENSIVE
    with pytest.raises(KdfTooExpensive):
        restore(tmp_path / "other.pmj", path, PASS)
    assert time.perf_counter() - start < 1.0
    assert not ff.looks_intact(path.read_bytes())
    assert not (tmp_path / "other.pmj").exists()


def test_defaults_and_the_limits_themselves_are_accepted() -> None:
    for kdf in (
        ff.ARGON2ID_DEFAULT,
        ff.SCRYPT_DEFAULT,
        ff.KdfParams.argon2id(memory_kib=2**18, iterations=10, lanes=8),
        ff.KdfParams.scrypt(n=2**18, r=8, p=2),
        ff.KdfParams.scrypt(n=2**14, r=16, p=4),
    ):
        header, _ = ff.parse(crafted(kdf))
        assert header.kdf == kdf


def test_cli_refuses_a_costly_header_in_one_sentence(pmload_home: Path) -> None:
    path = pmload_home / "data" / "journal.pmj"
    path.parent.mkdir(parents=True)
    path.write_bytes(crafted(COSTLY[0]))
    env = {**os.environ, "PMLOAD_PASSPHRASE": PASS}
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "pmload", "journal", "list"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert time.perf_counter() - start < 10  # interpreter start included; no 2 GiB derivation
    assert out.returncode == 1
    assert out.stderr == f"pmload: {EXPENSIVE}\n"


NEW = "a brand new passphrase"


def test_passwd_rekeys_the_body_and_the_backup_and_shreds_the_old_versions(
    tmp_path: Path,
) -> None:
    path = tmp_path / "data" / "journal.pmj"
    bak = path.with_name("journal.pmj.bak")
    j = make(path)  # two versions: journal.pmj and journal.pmj.bak, both under PASS
    old_export = tmp_path / "old-export.pmj"
    j.export(old_export)
    old_header, _ = ff.parse(path.read_bytes())
    old_key = ff.unwrap_key(old_header, PASS)
    old_files = [os.open(p, os.O_RDONLY) for p in (path, bak)]  # to look at them afterwards
    try:
        j.change_passphrase(NEW, kdf=FAST)
        j.save(j.data.with_entry(Entry(date(2026, 6, 1), 2, 2, (), "written after passwd")))
        header, sealed = ff.parse(path.read_bytes())
        assert ff.unwrap_key(header, NEW) != old_key
        with pytest.raises(JournalDamaged):  # the old key (from the export) opens nothing new
            ff.open_body(header, sealed, old_key)
        for p in (path, bak):
            with pytest.raises(WrongPassphrase):
                Journal.unlock(p, PASS)
            assert len(Journal.unlock(p, NEW).data.entries) >= 1
        for fd in old_files:  # the replaced versions were overwritten before they were unlinked
            size = os.fstat(fd).st_size
            assert size > 0 and os.pread(fd, size, 0) == bytes(size)
    finally:
        for fd in old_files:
            os.close(fd)
    old = Journal.unlock(old_export, PASS)  # an older copy still opens with the old passphrase
    assert "written after passwd" not in {e.note for e in old.data.entries}
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "journal.pmj",
        "journal.pmj.bak",
        "journal.pmj.lock",
    ]


def test_cli_passwd_says_that_older_copies_keep_the_old_passphrase(
    fast_kdf: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pmload.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASS}\n"))
    assert main(["journal", "init", "--passphrase-stdin"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASS}\n{NEW}\n"))
    assert main(["journal", "passwd", "--passphrase-stdin"]) == 0
    out = capsys.readouterr().out
    assert "re-encrypted with a new key" in out
    assert "exported before this change" in out and "still open with the old passphrase" in out
