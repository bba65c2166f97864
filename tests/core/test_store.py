"""The SQLite store: schema version, WAL, and clear errors for a database it cannot use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pmload.cli import main
from pmload.store import SCHEMA_VERSION, StoreError, connect


def test_new_database_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    conn = connect(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sources", "events", "occurrences", "tags", "meta"} <= tables
    with conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')")
    conn.close()
    again = connect(tmp_path / "db.sqlite3")  # opening again migrates nothing and keeps data
    assert again.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert again.execute("SELECT value FROM meta WHERE key = 'kept'").fetchone() == ("yes",)
    again.close()


def test_newer_schema_is_refused_in_one_sentence(
    pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = pmload_home / "data" / "pmload.sqlite3"
    db.parent.mkdir(parents=True)
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer pmload"):
        connect(db)
    assert main(["sources"]) == 1
    err = capsys.readouterr().err
    assert "newer pmload" in err and err.count("\n") == 1


def test_a_file_that_is_not_a_database(
    pmload_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = pmload_home / "data" / "pmload.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    assert main(["sources"]) == 1
    err = capsys.readouterr().err
    assert "cannot be opened" in err and "Traceback" not in err
    assert db.read_bytes() == b"this is not a database" * 100  # left as it was


def test_a_version_1_database_gains_the_google_columns_and_keeps_its_data(tmp_path: Path) -> None:
    from pmload import store

    db = tmp_path / "v1.sqlite3"
    raw = sqlite3.connect(db)
    raw.executescript(store._MIGRATIONS[1])
    raw.execute("INSERT INTO sources (id, location, added) VALUES (1, '/cal.ics', 'x')")
    raw.execute(
        "INSERT INTO occurrences (source_id, id, uid, start_ts, end_ts, time_kind, start_key)"
        " VALUES (1, 'abc', 'u1', 0, 3600, 'utc', '1970-01-01T00:00:00Z')"
    )
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT id, sync_token FROM sources").fetchall() == [(1, None)]
    assert conn.execute("SELECT id, event_type FROM occurrences").fetchall() == [("abc", None)]
    assert conn.execute("SELECT COUNT(*) FROM google_events").fetchone() == (0,)
    conn.close()


def test_a_version_4_database_gains_the_subscription_columns_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    from pmload import store

    db = tmp_path / "v4.sqlite3"
    raw = sqlite3.connect(db)
    for step in (1, 2, 3, 4):
        raw.executescript(store._MIGRATIONS[step])
    raw.execute("INSERT INTO sources (id, location, added) VALUES (1, '/cal.ics', 'x')")
    raw.execute("PRAGMA user_version = 4")
    raw.commit()
    raw.close()
    conn = connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    assert conn.execute(
        "SELECT id, kind, url_masked, url_secret, etag, last_modified, last_checked FROM sources"
    ).fetchall() == [(1, "file", None, None, None, None, None)]
    [source] = store.list_sources(conn)
    assert source.shown == "/cal.ics" and source.url_masked is None
    conn.close()
