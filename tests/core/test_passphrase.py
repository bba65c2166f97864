"""The core never prompts: the CLI reads the passphrase (HOUSE_STYLE.md, after jrnl).

A prompt inside the core would hang the app's worker thread waiting on a
terminal nobody sees; the core is given the passphrase by its caller.
"""

from __future__ import annotations

import ast
import getpass
import io
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.paths import resolve_paths
from tests.core.export_calendar import import_calendar

REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery"
SIX_WEEKS = ("--from", "2026-01-05", "--to", "2026-02-15")


def _prompting_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if "getpass" in names or module == "getpass":
                found.append(f"{path.name}:{node.lineno} imports getpass")
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "input":
            found.append(f"{path.name}:{node.lineno} calls input()")
    return found


def test_no_core_module_prompts() -> None:
    core = [p for p in (REPO / "pmload").rglob("*.py") if "cli" not in p.relative_to(REPO).parts]
    assert len(core) > 30
    assert [hit for p in core for hit in _prompting_calls(p)] == []


@pytest.fixture
def with_journal(tmp_path: Path) -> Path:
    from pmload.journal import Journal
    from pmload.journal.fileformat import KdfParams

    import_calendar(tmp_path)
    paths = resolve_paths().ensure()
    Journal.create(paths.journal_file, PASSPHRASE, KdfParams.scrypt(n=2**10))
    return tmp_path


def test_brief_reads_the_passphrase_on_a_terminal(
    with_journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts: list[str] = []

    def answer(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSPHRASE

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(getpass, "getpass", answer)
    monkeypatch.setattr("sys.stdin", Terminal())
    out = with_journal / "brief.pdf"
    assert main(["export", "brief", *SIX_WEEKS, "--include-journal", "--out", str(out)]) == 0
    assert prompts == ["Journal passphrase: "] and out.exists()


def test_brief_off_a_terminal_says_how_to_give_the_passphrase(
    with_journal: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = with_journal / "brief.pdf"
    assert main(["export", "brief", *SIX_WEEKS, "--include-journal", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (
        "pmload: error: --include-journal needs the journal passphrase: "
        "set PMLOAD_PASSPHRASE or run the command in a terminal.\n"
    )
    assert not out.exists()
