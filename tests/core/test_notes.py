"""Notes on a meeting or a series: stored like tags, kept across re-imports, private."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.context import Context
from pmload.errors import UsageError
from pmload.paths import resolve_paths
from pmload.rules.notes import MAX_NOTE_CHARS, clean_note, load_notes, matching, set_note
from pmload.store import SCHEMA_VERSION, connect, load_occurrences
from tests.core.export_calendar import calendar_text, import_calendar

SECRET = "Omar-only-knows-the-KPI 4471"


@pytest.fixture
def imported(tmp_path: Path) -> Path:
    import_calendar(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _falcon_ids(capsys: pytest.CaptureFixture[str]) -> list[str]:
    code, out, _ = _run(capsys, "meetings", "--format", "json", "--from", "2026-01-05")
    assert code == 0
    return [m["id"] for m in json.loads(out) if m["uid"] == "falcon@test"]


def test_a_version_3_store_gains_notes_and_asks(tmp_path: Path) -> None:
    from pmload import store

    db = tmp_path / "v3.sqlite3"
    raw = sqlite3.connect(db)
    for step in (1, 2, 3):
        raw.executescript(store._MIGRATIONS[step])
    raw.execute("INSERT INTO tags VALUES ('u1', '', 'strategy', '2026-01-01T00:00:00Z')")
    raw.execute("PRAGMA user_version = 3")
    raw.commit()
    raw.close()
    conn = connect(db)
    assert SCHEMA_VERSION == 5  # 5: calendar subscriptions (tests/core/test_store.py)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 5
    assert conn.execute("SELECT uid, category FROM tags").fetchall() == [("u1", "strategy")]
    assert conn.execute("SELECT COUNT(*) FROM notes").fetchone() == (0,)
    assert conn.execute("SELECT COUNT(*) FROM asks").fetchone() == (0,)
    conn.close()


def test_series_and_meeting_notes_show_together_and_survive_a_reimport(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _falcon_ids(capsys)
    assert _run(capsys, "note", "falcon@test", "Why: only I speak both; fix: a contract")[0] == 0
    code, out, _ = _run(capsys, "note", ids[2], "this one ran long")
    assert (code, out) == (0, "Noted 'Falcon ranking model review'.\n")
    # The calendar changes (a new description line) and is imported again.
    ics = imported / "export-test.ics"
    ics.write_text(
        calendar_text().replace("SUMMARY:Eng sync", "SUMMARY:Eng sync (moved)"),
        encoding="utf-8",
        newline="",
    )
    assert main(["import", str(ics), "--from", "2026-01-01", "--to", "2026-03-31"]) == 0
    ctx = Context()
    try:
        notes = load_notes(ctx.conn)
        occs = [o for o in load_occurrences(ctx.conn, ctx.zone) if o.uid == "falcon@test"]
    finally:
        ctx.close()
    by_id = {o.id: o for o in occs}
    assert notes.of(by_id[ids[2]]) == "this one ran long\nWhy: only I speak both; fix: a contract"
    assert notes.of(by_id[ids[0]]) == "Why: only I speak both; fix: a contract"
    assert [n.text for n in matching(notes, "CONTRACT")] == [
        "Why: only I speak both; fix: a contract"
    ]


def test_notes_list_and_clear(imported: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _falcon_ids(capsys)
    main(["note", ids[0], "meeting note", "--series"])
    code, out, _ = _run(capsys, "notes", "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert (row["uid"], row["series"], row["title"], row["text"]) == (
        "falcon@test",
        True,
        "Falcon ranking model review",
        "meeting note",
    )
    code, out, _ = _run(capsys, "notes")
    assert "series" in out and "meeting note" in out
    code, out, _ = _run(capsys, "note", "falcon@test", "--clear")
    assert (code, out) == (0, "Removed the note on the series 'Falcon ranking model review'.\n")
    code, out, _ = _run(capsys, "note", "falcon@test", "--clear")
    assert "had no note; nothing changed" in out
    assert _run(capsys, "notes")[1].startswith("No notes yet")


def test_bad_note_commands_are_one_sentence(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "note", "no-such-uid", "text")
    assert code == 1 and err.count("\n") == 1 and "no meeting has the id or UID" in err
    code, _, err = _run(capsys, "note", "falcon@test")
    assert code == 2 and "TEXT or --clear" in err
    code, _, err = _run(capsys, "note", "falcon@test", "x" * (MAX_NOTE_CHARS + 1))
    assert code == 2 and "at most 2000 characters" in err and "Traceback" not in err


def test_clean_note_keeps_line_breaks_drops_control_characters() -> None:
    assert clean_note("  a\x1b[2J line\r\nnext\u202e  ") == "a[2J line\nnext"
    with pytest.raises(UsageError):
        clean_note("x" * (MAX_NOTE_CHARS + 1))


def test_notes_are_never_exported_unless_asked_nor_logged(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["note", "falcon@test", SECRET])
    plain = imported / "plain.csv"
    assert main(["export", "csv", "meetings", "--out", str(plain), "--from", "2026-01-05"]) == 0
    assert SECRET not in plain.read_text(encoding="utf-8")
    brief = imported / "brief.pdf"
    assert (
        main(["export", "brief", "--from", "2026-01-05", "--to", "2026-02-15", "--out", str(brief)])
        == 0
    )
    assert SECRET.encode() not in brief.read_bytes()
    with_notes = imported / "notes.csv"
    args = ["export", "csv", "meetings", "--include-notes", "--from", "2026-01-05"]
    assert main([*args, "--out", str(with_notes)]) == 0
    rows = list(csv.DictReader(with_notes.read_text(encoding="utf-8").splitlines()))
    assert {r["note"] for r in rows if r["uid"] == "falcon@test"} == {SECRET}
    assert {r["note"] for r in rows if r["uid"] != "falcon@test"} == {""}
    code, _, err = _run(capsys, *args, "--redact", "titles", "--out", str(imported / "r.csv"))
    assert code == 2 and "do not go together" in err
    assert not (imported / "r.csv").exists()
    log = resolve_paths().log_file
    assert SECRET not in log.read_text(encoding="utf-8")
    assert "falcon@test" not in log.read_text(encoding="utf-8")


def test_set_note_on_an_occurrence_and_its_series(imported: Path) -> None:
    ctx = Context()
    try:
        occ = next(o for o in load_occurrences(ctx.conn, ctx.zone) if o.uid == "pricing@test")
        set_note(ctx.conn, occ, "mine", series=False)
        set_note(ctx.conn, occ, "all of them", series=True)
        notes = load_notes(ctx.conn)
        assert (notes.own(occ, series=False), notes.own(occ, series=True)) == (
            "mine",
            "all of them",
        )
        assert set_note(ctx.conn, occ, "   ", series=False) is None
        assert load_notes(ctx.conn).of(occ) == "all of them"
        assert len(load_notes(ctx.conn)) == 1
    finally:
        ctx.close()


def test_delete_all_data_empties_every_table_notes_and_asks_included(imported: Path) -> None:
    from pmload.wipe import STORE_TABLES, delete_all_data

    main(["note", "falcon@test", SECRET])
    brief = imported / "brief.pdf"
    assert (
        main(["export", "brief", "--from", "2026-01-05", "--to", "2026-02-15", "--out", str(brief)])
        == 0
    )
    ctx = Context()
    try:
        conn = ctx.conn
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        assert tables == set(STORE_TABLES)
        assert conn.execute("SELECT COUNT(*) FROM asks").fetchone()[0] == 1
        delete_all_data(conn, ctx.paths)
        for table in tables:
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
    finally:
        ctx.close()
    db = resolve_paths().database
    assert SECRET.encode() not in db.read_bytes()
