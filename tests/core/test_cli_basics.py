"""Global CLI behaviour: version, help, exit codes, rules import/show."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pmload import __version__
from pmload.cli import COMMAND_MODULES, build_parser, main


def run(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pmload", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def test_version_and_help() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"pmload {__version__}"
    out = run("--help")
    assert out.returncode == 0 and "translation" in out.stdout


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = list(sub.choices)  # type: ignore[arg-type]
    assert len(names) >= len(COMMAND_MODULES)
    for name in names:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: pmload" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["no-such-command"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["--hom", "x", "rules", "show"])  # no abbreviations
    assert exc.value.code == 2


def test_rules_import_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "rules.toml"
    good.write_text('# mine\nme = ["Me@Acme.test"]\ntimezone = "Europe/Paris"\n')
    assert main(["rules", "import", str(good)]) == 0
    capsys.readouterr()
    assert main(["rules", "show"]) == 0
    assert "# mine" in capsys.readouterr().out


def test_rules_import_bad_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text('me = ["me@acme.test"]\n')
    assert main(["rules", "import", str(good)]) == 0
    cases = {
        "me = [\n": "line",
        'me = ["a"]\ncolour = "red"\n': "line 2: unknown setting 'colour'",
        'timezone = "Mars/Olympus"\n': "line 1",
        '[[rules]]\ncategory = "fun"\nkeywords = ["x"]\n': "line 2",
        '[people]\ntechnical = ["has space@x"]\n': "line 2",
    }
    for text, expected in cases.items():
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        capsys.readouterr()
        assert main(["rules", "import", str(bad)]) == 1
        err = capsys.readouterr().err
        assert expected in err and err.count("\n") == 1, err
        assert "Traceback" not in err
    capsys.readouterr()
    main(["rules", "show"])
    assert capsys.readouterr().out == 'me = ["me@acme.test"]\n'


def test_missing_rules_file_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "import", "/nonexistent/rules.toml"]) == 1
    assert "no such file" in capsys.readouterr().err


def test_home_option_isolates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "r.toml"
    rules.write_text('me = ["x@y.test"]\n')
    other = tmp_path / "other"
    assert main(["--home", str(other), "rules", "import", str(rules)]) == 0
    assert (other / "config" / "rules.toml").read_text() == 'me = ["x@y.test"]\n'


def test_sample_command_installs_a_full_current_week(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["--tz", "Europe/Paris", "sample"]) == 0
    assert "Sample installed" in capsys.readouterr().out
    assert main(["--tz", "Europe/Paris", "audit", "--format", "json"]) == 0
    weeks = json.loads(capsys.readouterr().out)["weeks"]
    assert weeks[-1]["meeting_hours"] > 5  # the current week is full
    assert all(w["meeting_hours"] > 0 for w in weeks)


def test_unexpected_errors_say_one_sentence_and_log_no_message(
    pmload_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmload import store

    note = "SECRET-" + "4242 from a journal note"  # data, not code: not in any source line

    def broken(*_args: object) -> int:
        raise RuntimeError(note)

    monkeypatch.setattr(store, "list_sources", broken)
    assert main(["sources"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error" in err and "SECRET-4242" not in err
    log = (pmload_home / "logs" / "pmload.log").read_text()
    assert "RuntimeError" in log and "SECRET-4242" not in log


def test_an_unchanged_reimport_loads_only_what_it_uses(tmp_path: Path) -> None:
    """Start-up pays only for the command: no audit, journal, tomlkit, charts, parser or Google."""
    ics = Path(__file__).parent / "fixtures" / "recurrence.ics"
    home = tmp_path / "home"
    assert main(["--home", str(home), "import", str(ics)]) == 0
    code = (
        "import sys\n"
        "from pmload.cli import main\n"
        f"rc = main(['--home', {str(home)!r}, 'import', {str(ics)!r}])\n"
        "heavy = ('pmload.rules', 'pmload.journal', 'pmload.export', 'tomlkit', 'matplotlib',\n"
        "         'icalendar', 'recurring_ical_events', 'cryptography', 'logging.handlers',\n"
        "         'pmload.google', 'googleapiclient', 'google.auth', 'google_auth_httplib2',\n"
        "         'httplib2', 'keyring')\n"
        "print(rc, sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "unchanged" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_rules_with_a_byte_order_mark_are_read(
    tmp_path: Path, pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Notepad saves UTF-8 with a BOM; pmload said "empty key" and refused the file."""
    text = '# from Notepad\nme = ["me@acme.test"]\n[people]\ntechnical = ["*@eng.acme.test"]\n'
    bom = tmp_path / "rules.toml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert main(["rules", "import", str(bom)]) == 0, capsys.readouterr().err
    assert "1 address(es) for you, 1 people pattern(s)" in capsys.readouterr().out
    # and when the user edits rules.toml itself with such an editor
    rules = pmload_home / "config" / "rules.toml"
    rules.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert main(["people", "set", "cfo@acme.test", "business"]) == 0, capsys.readouterr().err
    assert main(["rules", "show"]) == 0
    shown = capsys.readouterr().out
    assert "# from Notepad" in shown and 'business = ["cfo@acme.test"]' in shown
