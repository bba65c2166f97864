"""``pmload journal ...`` end to end: no plaintext on disk, clear errors, exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.journal import Journal
from tests.privacy import scan_for

PASS = "correct horse battery"
MARKER = "Zq7-journal-marker-5521"


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "pmload", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=full_env,
        timeout=120,
    )


def test_cli_marker_never_reaches_disk(pmload_home: Path, private_tmpdir: Path) -> None:
    env = {"PMLOAD_PASSPHRASE": PASS, "TMPDIR": str(private_tmpdir)}
    init = run("-v", "journal", "init", env=env)
    assert init.returncode == 0, init.stderr
    assert "no way to recover" in init.stdout
    out = run(
        "-v", "journal", "add", "--date", "2026-01-05", "--burnout", "7", "--isolation", "6",
        "--kinds", "translation,ethical", "--note", f"{MARKER} é", env=env,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert MARKER not in out.stderr
    out = run("journal", "peers", "add", MARKER + "-peer", env=env)
    assert out.returncode == 0, out.stderr
    out = run("journal", "export", "--out", str(private_tmpdir / "backup.pmj"), env=env)
    assert out.returncode == 0, out.stderr
    assert (pmload_home / "data" / "journal.pmj").exists()
    assert scan_for(MARKER, pmload_home, private_tmpdir) == []
    assert scan_for("2026-01-05", pmload_home / "data") == []
    listed = run("journal", "list", "--format", "json", env=env)
    doc = json.loads(listed.stdout)
    assert doc["entries"][0]["note"] == f"{MARKER} é"
    assert doc["entries"][0]["kinds"] == ["translation", "ethical"]


def test_cli_flow_in_process(
    fast_kdf: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASS)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no note piped in
    assert main(["journal", "init"]) == 0
    assert main(["journal", "init"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["journal", "add", "--burnout", "3", "--isolation", "8", "--energy", "5"]) == 0
    assert main(["journal", "checkin", "cbi", "--answers", "1,2,3,4,5,5,1"]) == 0
    out = capsys.readouterr().out
    assert "burnout score is 35.7 out of 100" in out and "not a diagnosis" in out
    assert main(["journal", "checkin", "ucla", "--answers", "1,2,3"]) == 0
    assert "loneliness score is 6" in capsys.readouterr().out
    assert main(["journal", "checkin", "ucla", "--answers", "1,2"]) == 1
    assert "has 3 questions" in capsys.readouterr().err
    assert main(["journal", "list"]) == 0
    table = capsys.readouterr().out
    assert "burnout" in table and "CBI   35.7 (on 0-100)" in table and "UCLA  6 (on 3-9)" in table
    assert main(["journal", "list", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [c["score"] for c in doc["checkins"]] == [pytest.approx(250 / 7), 6]
    assert main(["journal", "peers", "add", "Ana"]) == 0
    assert main(["journal", "peers", "talked", "ana", "--date", "2026-01-02"]) == 0
    assert main(["journal", "peers"]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and "last talked: 2026-01-02" in out and "about 3 people" in out
    assert main(["journal", "peers", "talked", "Bo"]) == 1
    assert main(["journal", "peers", "add"]) == 2


def test_cli_wrong_passphrase_and_damage(
    fast_kdf: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pmload_home: Path,
) -> None:
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASS)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no note piped in
    assert main(["journal", "init"]) == 0
    assert main(["journal", "add", "--burnout", "3", "--isolation", "8"]) == 0
    path = pmload_home / "data" / "journal.pmj"
    capsys.readouterr()
    monkeypatch.setenv("PMLOAD_PASSPHRASE", "wrong passphrase")
    assert main(["journal", "list"]) == 1
    assert capsys.readouterr().err == "pmload: That passphrase does not open this journal.\n"
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASS)
    blob = bytearray(path.read_bytes())
    blob[200] ^= 4
    path.write_bytes(bytes(blob))
    assert main(["journal", "add", "--burnout", "1", "--isolation", "1"]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "nothing was changed" in err and "looks intact" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert path.read_bytes() == bytes(blob)
    path.write_bytes(bytes(blob[:150]))
    assert main(["journal", "list"]) == 1
    assert "truncated" in capsys.readouterr().err
    assert main(["journal", "import", str(path) + ".bak", "--yes"]) == 0
    assert main(["journal", "list"]) == 0


def test_cli_passwd_stdin_export_import_delete(
    fast_kdf: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    pmload_home: Path,
) -> None:
    def stdin(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))

    stdin(PASS + "\n")
    assert main(["journal", "init", "--passphrase-stdin"]) == 0
    stdin(PASS + "\n")
    assert main(["journal", "add", "--passphrase-stdin", "--burnout", "2", "--isolation", "2"]) == 0
    stdin(PASS + "\n")
    backup = tmp_path / "b.pmj"
    assert main(["journal", "export", "--passphrase-stdin", "--out", str(backup)]) == 0
    stdin(PASS + "\nnew passphrase 2\n")
    assert main(["journal", "passwd", "--passphrase-stdin"]) == 0
    path = pmload_home / "data" / "journal.pmj"
    assert len(Journal.unlock(path, "new passphrase 2").data.entries) == 1
    stdin("new passphrase 2\nshort\n")
    assert main(["journal", "passwd", "--passphrase-stdin"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    stdin("")
    assert main(["journal", "list", "--passphrase-stdin"]) == 2
    stdin("not it at all\n")
    assert main(["journal", "import", "--passphrase-stdin", "--yes", str(backup)]) == 1
    assert "does not open" in capsys.readouterr().err
    stdin(PASS + "\n")
    assert main(["journal", "import", "--passphrase-stdin", "--yes", str(backup)]) == 0
    assert len(Journal.unlock(path, PASS).data.entries) == 1  # the backup's passphrase
    stdin("")
    assert main(["journal", "delete"]) == 2  # not a terminal: needs --yes
    assert path.exists()
    assert main(["journal", "delete", "--yes"]) == 0
    assert sorted(p.name for p in path.parent.iterdir()) == []
    assert backup.exists()
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASS)
    assert main(["journal", "list"]) == 1
    assert "pmload journal init" in capsys.readouterr().err
    assert main(["journal", "delete"]) == 1  # nothing to delete: said before any question
    assert "There is no journal at" in capsys.readouterr().err


def test_cli_usage_errors(
    fast_kdf: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for argv in (
        ["journal", "add", "--burnout", "11", "--isolation", "1"],
        ["journal", "add", "--burnout", "1", "--isolation", "1", "--kinds", "lonely"],
        ["journal", "checkin", "mbi"],
    ):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2
    capsys.readouterr()
    # without a journal, say so before asking for any passphrase
    assert main(["journal", "list"]) == 1
    assert "no journal yet" in capsys.readouterr().err
    monkeypatch.setenv("PMLOAD_PASSPHRASE", PASS)
    assert main(["journal", "init"]) == 0
    monkeypatch.delenv("PMLOAD_PASSPHRASE")
    capsys.readouterr()
    assert main(["journal", "list"]) == 2  # no passphrase source off a terminal
    assert "PMLOAD_PASSPHRASE" in capsys.readouterr().err


def _on_terminal(args: list[str], replies: list[str], env: dict[str, str]) -> str:
    """Run pmload with a pseudo-terminal as its controlling terminal, typing ``replies``."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: its stdin/stdout/stderr and /dev/tty are the pty
        os.execve(sys.executable, [sys.executable, "-m", "pmload", *args], {**os.environ, **env})
    out = b""
    pending = list(replies)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if pending and chunk.rstrip().endswith(b":"):
                os.write(fd, pending.pop(0).encode() + b"\n")
    os.waitpid(pid, 0)
    os.close(fd)
    return out.decode(errors="replace")


def test_cli_prompts_on_a_terminal(pmload_home: Path) -> None:
    out = _on_terminal(["journal", "init"], [PASS, PASS], {})
    assert "There is no way to recover" in out and "Created your encrypted journal" in out
    assert PASS not in out  # getpass does not echo
    env = {"PMLOAD_PASSPHRASE": PASS}
    out = _on_terminal(["journal", "checkin", "ucla"], ["x", "1", "2", "3"], env)
    assert "How often do you feel left out?" in out and "Hardly ever" in out
    assert "Please type a number from 1 to 3." in out
    assert "Your loneliness score is 6 on a scale from 3 to 9" in out
    journal = Journal.unlock(pmload_home / "data" / "journal.pmj", PASS)
    assert journal.data.checkins[0].answers == (1, 2, 3)


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_journal_import_of_a_device_or_fifo_is_one_sentence(
    pmload_home: Path, tmp_path: Path, kind: str
) -> None:
    """`journal import /dev/zero` read gigabytes and a FIFO hung: regular files only."""
    if kind == "device":
        source = Path("/dev/zero")
    else:
        source = tmp_path / "fifo"
        os.mkfifo(source)
    started = time.monotonic()
    out = run("--home", str(pmload_home), "journal", "import", "--passphrase-stdin", "--yes",
              str(source), stdin=PASS + "\n")  # fmt: skip
    assert time.monotonic() - started < 20
    assert out.returncode == 1, out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "not a regular file" in out.stderr or "cannot be read" in out.stderr
