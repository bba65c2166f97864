"""The encrypted journal file: round trip, wrong passphrase, damage, atomic writes, kills."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmload.journal import (
    Entry,
    Journal,
    JournalChanged,
    JournalDamaged,
    JournalError,
    JournalExists,
    JournalMissing,
    WrongPassphrase,
    delete,
    restore,
)
from pmload.journal import fileformat as ff
from pmload.journal.files import TEMP_PREFIX, TEMP_SUFFIX
from pmload.journal.records import JournalData, from_json, to_json
from pmload.journal.vault import backup_path, journal_files

# Test hook: tiny KDF cost, passed explicitly; the default stays scrypt n=2**17.
FAST = ff.KdfParams.scrypt(n=2**10, r=8, p=1)
PASS = "correct horse battery"
MARKER = "zq-private-marker-7731"


def make(path: Path, notes: int = 1) -> Journal:
    j = Journal.create(path, PASS, kdf=FAST)
    data = j.data
    for i in range(notes):
        day = date(2026, 1, 5) + timedelta(days=i)
        data = data.with_entry(Entry(day, 6, 4, ("translation",), f"{MARKER} {i}"))
    j.save(data)
    return j


def test_default_kdf_is_strong(tmp_path: Path) -> None:
    assert ff.DEFAULT_KDF is None  # no weakening hook set outside tests
    assert ff.argon2id_supported()  # cryptography 50 with its bundled OpenSSL
    assert ff.default_kdf() == ff.KdfParams(ff.KDF_ARGON2ID, 65536, 3, 4)  # RFC 9106 option 2
    assert ff.KdfParams(ff.KDF_SCRYPT, 2**17, 8, 1) == ff.SCRYPT_DEFAULT  # the fallback
    path = tmp_path / "j.pmj"
    Journal.create(path, PASS)
    header, _ = ff.parse(path.read_bytes())
    assert header.kdf == ff.ARGON2ID_DEFAULT


def test_scrypt_fallback_files_open(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    Journal.create(path, PASS, kdf=ff.SCRYPT_DEFAULT)
    assert Journal.unlock(path, PASS).data.entries == ()


def test_round_trip_and_no_plaintext_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "journal.pmj"
    make(path, notes=3)
    j = Journal.unlock(path, PASS)
    assert [e.note for e in j.data.entries] == [f"{MARKER} {i}" for i in range(3)]
    assert j.data.entries[0].kinds == ("translation",)
    for p in journal_files(path):
        raw = p.read_bytes()
        assert raw.startswith(ff.MAGIC)
        assert len(raw) % ff.PAD_TO == 0
        for needle in (MARKER, "translation", "2026-01-05", "burnout"):
            assert needle.encode() not in raw
            assert needle.encode("utf-16-le") not in raw


def test_argon2id_files_open(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    Journal.create(path, PASS, kdf=ff.KdfParams.argon2id(memory_kib=1024, iterations=1, lanes=1))
    assert Journal.unlock(path, PASS).data.entries == ()


def test_create_refuses_existing_and_short_passphrase(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    with pytest.raises(JournalError, match="at least 8 characters"):
        Journal.create(path, "short", kdf=FAST)
    assert not path.exists()
    make(path)
    with pytest.raises(JournalExists):
        Journal.create(path, PASS, kdf=FAST)


def test_missing_journal(tmp_path: Path) -> None:
    with pytest.raises(JournalMissing, match="pmload journal init"):
        Journal.unlock(tmp_path / "none.pmj", PASS)


def test_wrong_passphrase_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    make(path)
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase) as exc:
        Journal.unlock(path, "not the passphrase")
    assert str(exc.value) == "That passphrase does not open this journal."
    assert path.read_bytes() == before


@pytest.mark.parametrize("where", [0, 9, 13, 30, 60, 105, 200, -40, -1])
def test_flipped_byte_is_detected_and_nothing_overwritten(tmp_path: Path, where: int) -> None:
    path = tmp_path / "j.pmj"
    make(path)
    make_second_version(path)
    blob = bytearray(path.read_bytes())
    blob[where] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(JournalDamaged) as exc:
        Journal.unlock(path, PASS)
    msg = str(exc.value)
    assert str(path) in msg and "nothing was changed" in msg and MARKER not in msg
    assert msg.count(". ") == 0 and msg.endswith(".")
    assert "journal.pmj.bak" not in msg or "looks intact" in msg
    assert path.read_bytes() == bytes(blob)
    assert f"{path.name}.bak looks intact" in msg
    restored = restore(path, backup_path(path), PASS)
    assert restored.data.entries[0].note == f"{MARKER} 0"


def make_second_version(path: Path) -> None:
    j = Journal.unlock(path, PASS)
    j.save(j.data.with_entry(Entry(date(2026, 2, 1), 1, 1)))


def test_tampered_body_with_recomputed_checksum_fails_authentication(tmp_path: Path) -> None:
    import hashlib

    path = tmp_path / "j.pmj"
    make(path)
    blob = bytearray(path.read_bytes())
    blob[ff.HEADER_LEN + 5] ^= 0x80
    body = bytes(blob[: -ff.DIGEST_LEN])
    path.write_bytes(body + hashlib.sha256(body).digest())
    with pytest.raises(JournalDamaged, match="fail authentication"):
        Journal.unlock(path, PASS)


@pytest.mark.parametrize("keep", [0, 5, 20, 100, 111, 200, -1, -33])
def test_truncated_file_is_detected(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "j.pmj"
    make(path)
    blob = path.read_bytes()
    path.write_bytes(blob[:keep])
    with pytest.raises(JournalDamaged) as exc:
        Journal.unlock(path, PASS)
    assert "nothing was changed" in str(exc.value)
    assert path.read_bytes() == blob[:keep]


def test_backup_holds_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    make(path, notes=1)
    first = path.read_bytes()
    make_second_version(path)
    assert backup_path(path).read_bytes() == first
    assert len(Journal.unlock(path, PASS).data.entries) == 2


def test_change_passphrase_draws_a_new_data_key(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    j = make(path)
    old_header, _ = ff.parse(path.read_bytes())
    j.change_passphrase("a brand new passphrase", kdf=FAST)
    new_header, _ = ff.parse(path.read_bytes())
    assert new_header.salt != old_header.salt
    with pytest.raises(WrongPassphrase):
        Journal.unlock(path, PASS)
    j2 = Journal.unlock(path, "a brand new passphrase")
    assert j2.data.entries[0].note == f"{MARKER} 0"
    assert ff.unwrap_key(new_header, "a brand new passphrase") != ff.unwrap_key(old_header, PASS)


def test_export_restore_and_delete(tmp_path: Path) -> None:
    path = tmp_path / "data" / "journal.pmj"
    path.parent.mkdir()
    j = make(path)
    out = tmp_path / "backup.pmj"
    j.export(out)
    assert MARKER.encode() not in out.read_bytes()
    j.save(j.data.with_entry(Entry(date(2026, 3, 1), 2, 2)))
    with pytest.raises(WrongPassphrase):
        restore(path, out, "wrong passphrase!")
    assert len(Journal.unlock(path, PASS).data.entries) == 2
    back = restore(path, out, PASS)
    assert len(back.data.entries) == 1
    assert len(Journal.unlock(backup_path(path), PASS).data.entries) == 2
    (path.parent / ".journal-stale.tmp").write_bytes(b"x")
    assert delete(path) == 3
    assert list(path.parent.iterdir()) == []
    with pytest.raises(JournalMissing):
        delete(path)


def test_concurrent_writer_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "j.pmj"
    make(path)
    a = Journal.unlock(path, PASS)
    b = Journal.unlock(path, PASS)
    a.save(a.data.with_entry(Entry(date(2026, 4, 1), 1, 1)))
    with pytest.raises(JournalChanged):
        b.save(b.data.with_entry(Entry(date(2026, 4, 2), 1, 1)))
    assert len(Journal.unlock(path, PASS).data.entries) == 2


def test_full_disk_keeps_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "j.pmj"
    j = make(path)
    before = path.read_bytes()

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(JournalError, match=r"No space left on device.*previous version"):
        j.save(j.data.with_entry(Entry(date(2026, 5, 1), 1, 1)))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.pmj", "j.pmj.bak", "j.pmj.lock"]


def test_lock_forgets_key(tmp_path: Path) -> None:
    j = make(tmp_path / "j.pmj")
    j.lock()
    assert j.is_locked and j.data.entries == ()
    with pytest.raises(JournalError, match="locked"):
        j.save(j.data)


WRITER = """
import sys
from datetime import date, timedelta
from pathlib import Path
from pmload.journal import Entry, Journal
from pmload.journal import fileformat as ff
path = Path(sys.argv[1])
j = Journal.unlock(path, sys.argv[2])
i = 0
while True:
    i += 1
    data = j.data.with_entry(Entry(date(2020, 1, 1) + timedelta(days=i), i % 11, 3, (), "x" * 500))
    j.save(data)
    if i == 1:
        print("ready", flush=True)
"""


def _kill_when_saving(proc: subprocess.Popen[str], directory: Path) -> bool:
    """SIGKILL ``proc`` as soon as a save's temporary file exists; True if one was seen."""
    deadline = time.monotonic() + 10
    seen = False
    while not seen and time.monotonic() < deadline:
        names = os.listdir(directory)
        seen = any(n.startswith(TEMP_PREFIX) and n.endswith(TEMP_SUFFIX) for n in names)
    proc.send_signal(signal.SIGKILL)
    return seen


@pytest.mark.slow
def test_killed_mid_write_leaves_a_readable_journal(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "j.pmj"
    make(path, notes=40)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    seen = 40
    mid_save = 0
    for attempt in range(8):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(path), PASS], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        if attempt % 2:
            time.sleep(0.03 * attempt)
            proc.send_signal(signal.SIGKILL)
        else:
            _kill_when_saving(proc, data_dir)
        proc.wait()
        proc.stdout.close()
        leftovers = list(data_dir.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))
        mid_save += bool(leftovers)
        j = Journal.unlock(path, PASS)  # never damaged
        assert len(j.data.entries) > seen
        seen = len(j.data.entries)
        assert f"{MARKER} 39" in {e.note for e in j.data.entries}
        assert Journal.unlock(backup_path(path), PASS).data.entries
        for p in leftovers:  # an interrupted save leaves ciphertext only
            assert MARKER.encode() not in p.read_bytes()
            p.unlink()
    assert mid_save >= 3, "the kills never landed inside a save"


KEY = bytes(range(32))
HEADER = ff.Header(FAST, bytes(16), bytes(12), bytes(48), b"")


@given(
    st.text(st.characters(min_codepoint=32, codec="utf-8"), max_size=300),
    st.integers(0, 10),
    st.integers(0, 10),
)
@settings(max_examples=40)
def test_any_text_round_trips_and_never_shows(note: str, burnout: int, isolation: int) -> None:
    data = JournalData().with_entry(Entry(date(2026, 1, 1), burnout, isolation, (), note))
    blob = ff.seal(HEADER, KEY, to_json(data))
    header, sealed = ff.parse(blob)
    assert from_json(ff.open_body(header, sealed, KEY)) == data
    if len(note) >= 4:
        assert note.encode() not in blob


@given(st.data())
@settings(max_examples=60)
def test_any_single_byte_change_is_detected(data: st.DataObject) -> None:
    blob = bytearray(ff.seal(HEADER, KEY, to_json(JournalData())))
    where = data.draw(st.integers(0, len(blob) - 1))
    blob[where] ^= data.draw(st.integers(1, 255))
    with pytest.raises(JournalDamaged):
        header, sealed = ff.parse(bytes(blob))
        ff.open_body(header, sealed, KEY)


def test_text_that_is_not_utf8_is_refused_in_one_sentence() -> None:
    data = JournalData().with_entry(Entry(date(2026, 1, 1), 1, 1, (), "lone \ud800 surrogate"))
    with pytest.raises(JournalError, match=r"^Some of the text is not valid UTF-8; nothing"):
        to_json(data)


def test_delete_without_a_journal_leaves_no_lock_file(tmp_path: Path) -> None:
    with pytest.raises(JournalMissing):
        delete(tmp_path / "j.pmj")
    assert list(tmp_path.iterdir()) == []
