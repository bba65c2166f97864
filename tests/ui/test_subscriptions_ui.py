"""The app's calendar subscriptions and zip imports: File › Subscribe to a Calendar URL…,
Settings › Calendar sources (masked address, last refresh, Refresh, Remove), refresh on
start, and dropping a .zip. Served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pmload_ui.import_flow import REFRESH_ON_START_KEY
from pmload_ui.main_window import MainWindow
from pmload_ui.sources_panel import SourcesPanel
from pmload_ui.subscribe_dialog import SubscribeDialog
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox
from pytest_httpserver import HTTPServer
from pytestqt.qtbot import QtBot
from werkzeug import Request, Response

from pmload.context import Context
from pmload.ingest import subscriptions
from tests.ui.conftest import ICS, ME, RULES, make_window

SECRET = "private-77aa0c3e1d"
PATH = f"/calendar/ical/team/{SECRET}/basic.ics"


class Served:
    def __init__(self) -> None:
        self.body = ICS.format(monday="20260105", me=ME).encode()
        self.requests: list[dict[str, str]] = []

    def handler(self, request: Request) -> Response:
        self.requests.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(self.body, headers={"ETag": '"v1"', "Content-Type": "text/calendar"})


@pytest.fixture
def served(httpserver: HTTPServer, ctx: Context) -> Iterator[tuple[Served, str]]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ctx.paths.rules_file.write_text(RULES, encoding="utf-8")
    ctx.reload_settings()
    cal = Served()
    httpserver.expect_request(PATH).respond_with_handler(cal.handler)
    yield cal, httpserver.url_for(PATH)


def shot(widget: object, name: str) -> None:
    folder = os.environ.get("PMLOAD_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))  # type: ignore[attr-defined]


def open_panel(window: MainWindow) -> SourcesPanel:
    window.show_view("settings")
    panel = window.findChild(SourcesPanel, "sources-panel")
    assert panel is not None
    return panel


def cells(panel: SourcesPanel) -> list[list[str]]:
    m = panel.model
    return [
        [str(m.data(m.index(r, c))) for c in range(m.columnCount())] for r in range(m.rowCount())
    ]


def test_subscribe_from_the_file_menu_then_refresh_and_remove_in_settings(
    qtbot: QtBot, window: MainWindow, served: tuple[Served, str], httpserver: HTTPServer
) -> None:
    cal, url = served
    window.show()
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert "Subscribe to a Calendar &URL…" in [a.text() for a in file_menu.actions()]
    assert window.act_subscribe in window.import_menu.actions()  # the toolbar's Import menu
    window.act_subscribe.trigger()
    dialog = window.findChild(SubscribeDialog, "subscribe-dialog")
    assert dialog is not None and dialog.isVisible() and not dialog.ok.isEnabled()

    # plain http beyond this machine: one sentence in the dialog, which stays open
    dialog.url.setText(f"http://calendar.example{PATH}")
    dialog.ok.click()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text().startswith("Only https:// calendar addresses are fetched")
    shot(dialog, "subscribe-dialog-error.png")

    dialog.url.setText(url)
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        dialog.ok.click()
    assert not dialog.isVisible() and dialog.url.text() == ""
    report = window.imports.last_report
    assert report is not None and [r.status for r in report.results] == ["imported"]
    assert window.session.has_data()

    panel = open_panel(window)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10000)
    [row] = cells(panel)
    masked = f"http://localhost:{httpserver.port}/…"
    assert row[1:3] == ["Subscription", masked] and row[3].endswith(" UTC")
    assert all(SECRET not in c for c in row)
    panel.table.selectRow(0)
    assert panel.refresh_button.isEnabled() and panel.remove_button.isEnabled()
    window.resize(1100, 800)
    shot(window, "settings-sources.png")
    shot(panel, "sources-panel.png")

    # Refresh: one conditional request, answered 304, nothing imported again
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        panel.refresh_button.click()
    assert cal.requests[-1].get("If-None-Match") == '"v1"'
    report = window.imports.last_report
    assert report is not None and [r.status for r in report.results] == ["unchanged"]

    # Remove: the source, its meetings and its address go
    panel.table.selectRow(0)
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        panel.remove_selected(confirm=False)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10000)
    assert not window.session.has_data()
    assert window.session.ctx.conn.execute("SELECT COUNT(*) FROM sources").fetchone() == (0,)


def test_a_failed_subscription_says_why_in_a_dialog(
    qtbot: QtBot, window: MainWindow, served: tuple[Served, str], httpserver: HTTPServer
) -> None:
    window.show()
    httpserver.expect_request("/nothing-here.ics").respond_with_data("", status=404)
    missing = httpserver.url_for("/nothing-here.ics")
    with qtbot.waitSignal(window.imports.finished, timeout=20000):
        window.imports.subscribe(missing)
    box = window.findChild(QMessageBox, "rejected-files")
    assert box is not None
    text = box.text()
    assert "there is no calendar at that address (not found, HTTP 404)" in text
    assert "nothing-here" not in text
    box.close()


def test_subscriptions_refresh_on_start_unless_turned_off(
    qtbot: QtBot, ctx: Context, served: tuple[Served, str]
) -> None:
    cal, url = served
    result = subscriptions.subscribe(ctx.conn, ctx.paths, url, ctx.zone)
    assert result.status == "imported" and len(cal.requests) == 1

    window = make_window(qtbot, ctx)
    window.qsettings.setValue(REFRESH_ON_START_KEY, False)
    window.imports.start_once()
    assert len(cal.requests) == 1  # off: nothing fetched

    window = make_window(qtbot, ctx)
    window.qsettings.setValue(REFRESH_ON_START_KEY, True)
    panel_box = open_panel(window).on_start
    assert panel_box.isChecked()
    with qtbot.waitSignal(window.imports.finished, timeout=20000):
        window.imports.start_once()
    assert len(cal.requests) == 2 and cal.requests[1].get("If-None-Match") == '"v1"'
    window.imports.start_once()  # once per session
    assert len(cal.requests) == 2
    panel_box.setChecked(False)
    assert window.qsettings.value(REFRESH_ON_START_KEY, type=bool) is False


def test_drop_a_zip_export_imports_each_calendar(
    qtbot: QtBot, window: MainWindow, ctx: Context, tmp_path: Path
) -> None:
    ctx.paths.rules_file.write_text(RULES, encoding="utf-8")
    ctx.reload_settings()
    archive = tmp_path / "takeout.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Calendar/Work.ics", ICS.format(monday="20260105", me=ME))
        zf.writestr("Calendar/Team.ics", ICS.format(monday="20260112", me=ME).replace("-1@", "-2@"))
        zf.writestr("Calendar/notes.txt", "hi")
    window.show()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(archive))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert window._dropped_paths(event) == [archive]
    with qtbot.waitSignal(window.session.loaded, timeout=20000):
        window.dropEvent(event)
    report = window.imports.last_report
    assert report is not None
    assert [r.status for r in report.results] == ["imported", "imported", "ignored"]
    rows = ctx.conn.execute("SELECT kind, location FROM sources ORDER BY id").fetchall()
    assert rows == [
        ("zip", f"{archive}!Calendar/Work.ics"),
        ("zip", f"{archive}!Calendar/Team.ics"),
    ]
    panel = open_panel(window)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10000)
    assert [r[2] for r in cells(panel)] == [loc for _, loc in rows]


def test_the_subscribe_dialog_reads_in_a_dark_palette(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    light = app.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#303134"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    dark.setColor(QPalette.ColorRole.Button, QColor("#303134"))
    dark.setColor(QPalette.ColorRole.ButtonText, QColor("#e8eaed"))
    app.setPalette(dark)
    try:
        dialog = SubscribeDialog(lambda url: None)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.url.setText("ftp://example.test/x.ics")
        dialog.ok.click()
        assert dialog.error.isVisible() and "https://" in dialog.error.text()
        # the warning colour of a dark palette (light red), not the light theme's dark red
        assert "#ff8a65" in dialog.error.styleSheet().lower()
        shot(dialog, "subscribe-dialog-dark.png")
    finally:
        app.setPalette(light)
