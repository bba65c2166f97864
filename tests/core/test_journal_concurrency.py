"""Two writers at once (threads, and pmload processes): nothing is lost, one init wins."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pmload.journal import (
    Entry,
    Journal,
    JournalBusy,
    JournalChanged,
    JournalExists,
    WrongPassphrase,
    delete,
    filelock,
    restore,
)
from pmload.journal import fileformat as ff
from pmload.journal.vault import CHANGED
from tests.core.test_journal_hardening import FAST, PASS, make

ROUNDS = 100


def test_two_writers_at_once_one_saves_the_other_is_told(tmp_path: Path) -> None:
    path = tmp_path / "journal.pmj"
    make(path)
    barrier = threading.Barrier(2)
    saved: list[str] = []
    refused: list[str] = []

    def add(j: Journal, note: str) -> None:
        data = j.data.with_entry(Entry(date(2026, 2, 1), 1, 1, (), note))
        barrier.wait(timeout=30)
        try:
            j.save(data)
        except JournalChanged as exc:
            assert str(exc) == CHANGED
            refused.append(note)
        else:
            saved.append(note)

    for r in range(ROUNDS):
        # two windows (or commands) that both read the same version
        pair = [Journal.unlock(path, PASS), Journal.unlock(path, PASS)]
        threads = [threading.Thread(target=add, args=(j, f"{r}-{w}")) for w, j in enumerate(pair)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    on_disk = {e.note for e in Journal.unlock(path, PASS).data.entries} - {""}
    assert on_disk == set(saved)  # every saved entry is there, nothing else
    assert len(saved) == len(refused) == ROUNDS  # each round: exactly one wins


def _cli_worker(home: str, worker: int, kind: str, rounds: int, barrier: Any, out: Any) -> None:
    """One pmload process running ``journal add`` or ``journal init``, in step with another."""
    os.environ["PMLOAD_HOME"] = home
    os.environ["PMLOAD_PASSPHRASE"] = f"{PASS} {worker}" if kind == "init" else PASS
    ff.DEFAULT_KDF = FAST
    from pmload.cli import main
    from pmload.journal import delete

    path = Path(home) / "data" / "journal.pmj"
    results = []
    for r in range(rounds):
        argv = ["journal", "init"]
        if kind == "add":
            argv = [
                "journal",
                "add",
                "--burnout",
                "1",
                "--isolation",
                "1",
                "--note",
                f"{r}-{worker}",
            ]
        stdout, stderr = io.StringIO(), io.StringIO()
        barrier.wait(timeout=60)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(argv)
        opens = ""
        if kind == "init":
            barrier.wait(timeout=60)
            if worker == 0:
                for w in (0, 1):
                    with contextlib.suppress(WrongPassphrase):
                        Journal.unlock(path, f"{PASS} {w}")
                        opens += str(w)
                delete(path)
        results.append((r, code, stdout.getvalue(), stderr.getvalue(), opens))
    out.put((worker, results))


def _run_pair(home: Path, kind: str, rounds: int) -> list[tuple[int, int, int, str, str, str]]:
    mp = multiprocessing.get_context("spawn")
    barrier, out = mp.Barrier(2), mp.Queue()
    procs = [
        mp.Process(target=_cli_worker, args=(str(home), w, kind, rounds, barrier, out))
        for w in (0, 1)
    ]
    for p in procs:
        p.start()
    got = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return sorted((r, w, *rest) for w, results in got for r, *rest in results)


@pytest.mark.slow
def test_two_cli_adds_at_once_never_lose_an_entry(pmload_home: Path) -> None:
    path = pmload_home / "data" / "journal.pmj"
    make(path)
    runs = _run_pair(pmload_home, "add", ROUNDS)
    added = {f"{r}-{w}" for r, w, code, *_ in runs if code == 0}
    on_disk = {e.note for e in Journal.unlock(path, PASS).data.entries} - {""}
    assert on_disk == added  # every "Added" entry is there
    for _r, _w, code, out, err, _ in runs:
        if code == 0:
            assert out.startswith("Added an entry") and err == ""
        else:
            assert (code, out, err) == (1, "", f"pmload: {CHANGED}\n")
    print(f"\n{ROUNDS} rounds of two concurrent 'journal add': {len(added)} added, "
          f"{2 * ROUNDS - len(added)} told to try again, 0 lost")  # fmt: skip


def test_two_inits_at_once_exactly_one_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "journal.pmj"
    barrier = threading.Barrier(2)
    won: list[str] = []

    def create(passphrase: str) -> None:
        barrier.wait(timeout=30)
        with contextlib.suppress(JournalExists):
            Journal.create(path, passphrase, kdf=FAST)
            won.append(passphrase)

    for _ in range(50):
        won.clear()
        threads = [threading.Thread(target=create, args=(f"{PASS} {w}",)) for w in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(won) == 1
        Journal.unlock(path, won[0])
        delete(path)


@pytest.mark.slow
def test_two_cli_inits_at_once_exactly_one_succeeds(pmload_home: Path) -> None:
    runs = _run_pair(pmload_home, "init", 20)
    for r in range(20):
        (_, _, code0, _, err0, opens), (_, _, code1, _, err1, _) = runs[2 * r : 2 * r + 2]
        assert sorted((code0, code1))[0] == 0 and sorted((code0, code1))[1] in (1, 2)
        assert opens == ("0" if code0 == 0 else "1")  # the winner's passphrase opens it
        assert "already exists" in (err1 if code0 == 0 else err0)


def test_a_writer_waits_for_the_lock_then_gives_up_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.pmj"
    j = make(path)
    before = path.read_bytes()
    monkeypatch.setattr(filelock, "LOCK_TIMEOUT", 0.2)
    with filelock.exclusive(path):  # another writer, stuck
        start = time.perf_counter()
        with pytest.raises(JournalBusy, match=r"^Another pmload window or command is saving"):
            j.save(j.data.with_entry(Entry(date(2026, 3, 1), 1, 1)))
        assert 0.2 <= time.perf_counter() - start < 2
        Journal.create(tmp_path / "other.pmj", PASS, kdf=FAST)  # another journal: its own lock
        assert path.read_bytes() == before
    j.save(j.data.with_entry(Entry(date(2026, 3, 1), 1, 1)))
    assert len(Journal.unlock(path, PASS).data.entries) == 2
    assert oct((tmp_path / "journal.pmj.lock").stat().st_mode & 0o777) == "0o600"


def test_reload_after_a_conflict_then_trying_again_keeps_both(tmp_path: Path) -> None:
    path = tmp_path / "journal.pmj"
    make(path)
    a, b = Journal.unlock(path, PASS), Journal.unlock(path, PASS)
    a.save(a.data.with_entry(Entry(date(2026, 4, 1), 1, 1, (), "from a")))
    with pytest.raises(JournalChanged):
        b.save(b.data.with_entry(Entry(date(2026, 4, 2), 1, 1, (), "from b")))
    b.reload()
    b.save(b.data.with_entry(Entry(date(2026, 4, 2), 1, 1, (), "from b")))
    assert {"from a", "from b"} <= {e.note for e in Journal.unlock(path, PASS).data.entries}
    other = tmp_path / "other.pmj"
    make(other)
    restore(path, other, PASS)  # a different journal (another key) replaces it
    with pytest.raises(JournalChanged, match="replaced elsewhere"):
        b.reload()
