"""How ``pmload journal`` reads passphrases and notes (stdin, environment, terminal)."""

from __future__ import annotations

import getpass as getpass_module
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.cli.journal_cmd import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, read_passphrase
from pmload.errors import UsageError
from pmload.journal import Journal, PassphraseNotText
from pmload.journal import fileformat as ff

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
