"""How ``pmload journal`` reads passphrases and notes (stdin, environment, terminal)."""

from __future__ import annotations

import getpass as getpass_module
import io
import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.cli.journal_cmd import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, read_passphrase
from pmload.cli.journal_input import NO_EDITOR
from pmload.errors import UsageError
from pmload.journal import Journal, PassphraseNotText
from pmload.journal import fileformat as ff
from tests.privacy import scan_for

PASS = "correct horse battery"
FAST = ff.KdfParams.scrypt(n=2**10, r=8, p=1)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_read_passphrase_takes_one_stdin_line_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "from the environment")
    monkeypatch.setattr(sys, "stdin", io.StringIO("first one\r\nsecond one\nthe note\nmore\n"))
    assert read_passphrase(stdin_line=True) == "first one"
    assert read_passphrase(stdin_line=True, env=NEW_PASSPHRASE_ENV) == "second one"
    assert sys.stdin.read() == "the note\nmore\n"  # left for the note
    with pytest.raises(UsageError, match="standard input has no passphrase"):
        read_passphrase(stdin_line=True)


def test_read_passphrase_environment_then_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setenv(PASSPHRASE_ENV, PASS)
    assert read_passphrase(stdin_line=False) == PASS
    with pytest.raises(UsageError, match=f"or the {NEW_PASSPHRASE_ENV} variable"):
        read_passphrase(stdin_line=False, env=NEW_PASSPHRASE_ENV)  # off a terminal: no prompt
    monkeypatch.setattr(sys, "stdin", Terminal())
    typed = iter(["typed one", "typed one", "typed two", "typo"])
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr(getpass_module, "getpass", getpass)
    assert read_passphrase("Mine: ", stdin_line=False, env=None, confirm="Again: ") == "typed one"
    assert prompts == ["Mine: ", "Again: "]
    with pytest.raises(UsageError, match="differ; nothing was changed"):
        read_passphrase(stdin_line=False, env=NEW_PASSPHRASE_ENV, confirm="Again: ")


NOT_TEXT = "\udcffnot text at all"  # what Python makes of the byte 0xff from argv/env/stdin


@pytest.fixture
def journal(pmload_home: Path) -> Path:
    path = pmload_home / "data" / "journal.pmj"
    path.parent.mkdir(parents=True)
    Journal.create(path, PASS, kdf=FAST)
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_bytes(*args: str, stdin: bytes = b"", env: dict[bytes, bytes] | None = None) -> Run:
    full: dict[bytes, bytes] = {os.fsencode(k): os.fsencode(v) for k, v in os.environ.items()}
    full.update(env or {})
    out = subprocess.run(
        [sys.executable, "-m", "pmload", *args], input=stdin, capture_output=True, env=full,
        timeout=60,
    )  # fmt: skip
    return Run(out.returncode, out.stdout.decode(errors="replace"), out.stderr.decode())


def one_sentence(err: str, *needles: str) -> None:
    assert err.count("\n") == 1 and "Traceback" not in err and "unexpected" not in err, err
    assert all(n in err for n in needles), err


def test_passphrase_bytes_on_stdin_that_are_not_utf8(journal: Path) -> None:
    r = run_bytes("journal", "list", "--passphrase-stdin", stdin=b"\xff\xfe pass phrase\n")
    assert r.code == 2
    one_sentence(r.err, "passphrase on standard input is not valid UTF-8")


def test_passphrase_variable_that_is_not_utf8(journal: Path) -> None:
    r = run_bytes("journal", "list", env={b"PMLOAD_PASSPHRASE": b"\xffcorrect horse"})
    assert r.code == 2
    one_sentence(r.err, "passphrase in PMLOAD_PASSPHRASE is not valid UTF-8")


def test_passphrase_typed_that_is_not_text(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(getpass_module, "getpass", lambda prompt: NOT_TEXT)
    assert main(["journal", "list"]) == 2
    one_sentence(capsys.readouterr().err, "passphrase typed is not valid UTF-8")

    def undecodable(prompt: str) -> str:
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    monkeypatch.setattr(getpass_module, "getpass", undecodable)
    assert main(["journal", "list"]) == 2
    one_sentence(capsys.readouterr().err, "not valid text for this terminal")


def test_init_with_a_passphrase_that_is_not_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], pmload_home: Path
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, NOT_TEXT)
    assert main(["journal", "init"]) == 2
    one_sentence(capsys.readouterr().err, "not valid UTF-8")
    assert not (pmload_home / "data" / "journal.pmj").exists()


def test_core_refuses_a_passphrase_that_is_not_text(journal: Path) -> None:
    with pytest.raises(PassphraseNotText, match=r"^The passphrase is not valid UTF-8 text\.$"):
        Journal.unlock(journal, NOT_TEXT)
    other = journal.with_name("other.pmj")
    with pytest.raises(PassphraseNotText):
        Journal.create(other, NOT_TEXT, kdf=FAST)
    assert not other.exists()


MARKER = "Zq8-note-marker-4410"
EDITOR = """
import json, os, stat, sys
from pathlib import Path
path = sys.argv[1]
folder = os.path.dirname(path)
mode = lambda p: stat.S_IMODE(os.stat(p).st_mode)
report = {"folder": folder, "file_mode": mode(path), "folder_mode": mode(folder)}
for name in (path, os.path.join(folder, ".journal-note.txt.swp")):  # the note and a swap file
    with open(name, "w", encoding="utf-8") as fh:
        fh.write(os.environ["NOTE_TEXT"])
with open(os.environ["EDITOR_REPORT"], "w") as fh:
    json.dump(report, fh)
if os.environ.get("SAVE_MEANWHILE"):  # the app saves while the editor is open
    from datetime import date
    from pmload.journal import Entry, Journal
    j = Journal.unlock(Path(os.environ["SAVE_MEANWHILE"]), os.environ["PMLOAD_PASSPHRASE"])
    j.save(j.data.with_entry(Entry(date(2026, 1, 1), 1, 1, (), "saved meanwhile")))
sys.exit(int(os.environ.get("EDITOR_EXIT", "0")))
"""
ADD = ["journal", "add", "--burnout", "2", "--isolation", "3"]


def notes(path: Path) -> list[str]:
    return [e.note for e in Journal.unlock(path, PASS).data.entries]


def test_note_piped_after_the_passphrase_line(journal: Path) -> None:
    r = run_bytes(*ADD, "--passphrase-stdin", stdin=f"{PASS}\n{MARKER} é\nline two\n".encode())
    assert r.code == 0, r.err
    assert notes(journal) == [f"{MARKER} é\nline two"]


def test_note_piped_with_the_passphrase_in_the_environment(journal: Path) -> None:
    r = run_bytes(*ADD, stdin=b"just the note\n", env={b"PMLOAD_PASSPHRASE": PASS.encode()})
    assert r.code == 0, r.err
    assert notes(journal) == ["just the note"]
    r = run_bytes(*ADD, stdin=b"\xffnot text", env={b"PMLOAD_PASSPHRASE": PASS.encode()})
    assert r.code == 2
    one_sentence(r.err, "note on standard input is not valid UTF-8")
    assert notes(journal) == ["just the note"]


def test_note_in_the_editor_lives_in_a_private_shredded_folder(
    journal: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    private_tmpdir: Path,
    pmload_home: Path,
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(EDITOR)
    report = tmp_path / "report.json"
    monkeypatch.setenv(PASSPHRASE_ENV, PASS)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("VISUAL", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    monkeypatch.setenv("EDITOR", "/nonexistent/ignored-when-VISUAL-is-set")
    monkeypatch.setenv("NOTE_TEXT", f"{MARKER} from the editor\n\n")
    monkeypatch.setenv("EDITOR_REPORT", str(report))
    assert main(ADD) == 0
    seen = json.loads(report.read_text())
    assert (seen["file_mode"], seen["folder_mode"]) == (0o600, 0o700)
    assert Path(seen["folder"]).parent == private_tmpdir
    assert not Path(seen["folder"]).exists()
    assert notes(journal) == [f"{MARKER} from the editor"]
    assert scan_for(MARKER, private_tmpdir, pmload_home) == []

    monkeypatch.setenv("SAVE_MEANWHILE", str(journal))
    assert main(ADD) == 0
    assert sorted(notes(journal)) == [f"{MARKER} from the editor"] * 2 + ["saved meanwhile"]
    monkeypatch.delenv("SAVE_MEANWHILE")

    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("EDITOR_EXIT", "3")
    assert main(ADD) == 1
    assert Path(json.loads(report.read_text())["folder"]).parent == runtime
    assert list(runtime.iterdir()) == [] and len(notes(journal)) == 3


def test_on_a_terminal_without_an_editor_the_note_is_skipped(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASS)
    monkeypatch.setattr(sys, "stdin", Terminal())
    for name in ("VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)
    assert main(ADD) == 0
    assert capsys.readouterr().err == f"{NO_EDITOR}\n"
    assert notes(journal) == [""]
    monkeypatch.setenv("EDITOR", "   ")
    assert main(ADD) == 0  # blank is not an editor (and the note file is never run)
    assert capsys.readouterr().err == f"{NO_EDITOR}\n"
    monkeypatch.setenv("EDITOR", "/nonexistent/editor --wait")
    assert main(ADD) == 2
    one_sentence(capsys.readouterr().err, "'/nonexistent/editor' could not be started")
    assert notes(journal) == ["", ""]


def test_note_on_the_command_line_is_flagged_and_checked(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["journal", "add", "--help"])
    assert exc.value.code == 0
    helptext = " ".join(capsys.readouterr().out.split())
    assert "visible to other processes" in helptext and "shell history" in helptext
    assert "the lines after the passphrase" in helptext
    monkeypatch.setenv(PASSPHRASE_ENV, PASS)
    assert main([*ADD, "--note", NOT_TEXT]) == 1  # undecodable bytes in argv
    one_sentence(capsys.readouterr().err, "not valid UTF-8; nothing was saved")
    assert main([*ADD, "--note", ""]) == 0  # given, even empty: nothing is read or opened
    assert notes(journal) == [""]
