"""How ``pmload journal`` reads passphrases and notes (stdin, environment, terminal)."""

from __future__ import annotations

import getpass as getpass_module
import io
import sys

import pytest

from pmload.cli.journal_cmd import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, read_passphrase
from pmload.errors import UsageError

PASS = "correct horse battery"


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
