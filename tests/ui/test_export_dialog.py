"""The Export dialog: live preview of the brief and each chart, Save and Copy image."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pmload_ui.export_dialog import ExportDialog
from pypdf import PdfReader
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from pmload.context import Context
from pmload.rules.analysis import Analysis
from tests.core.export_calendar import TITLES, imported_analysis

TODAY = date(2026, 2, 18)  # a Wednesday of 2026-W08: the last complete week is 2026-W07


@pytest.fixture
def analysis(tmp_path: Path) -> Iterator[Analysis]:
    yield from imported_analysis(tmp_path)


@pytest.fixture
def dialog(qtbot: QtBot, analysis: Analysis) -> ExportDialog:
    ctx = Context()
    dlg = ExportDialog(analysis, ctx.paths, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.save_button.isEnabled(), timeout=20_000)
    return dlg


def _select(qtbot: QtBot, dlg: ExportDialog, combo_name: str, value: str) -> None:
    combo = getattr(dlg, combo_name)
    with qtbot.waitSignal(dlg.previewReady, timeout=20_000):
        combo.setCurrentIndex(combo.findData(value))


def test_brief_preview_then_save(qtbot: QtBot, dialog: ExportDialog, tmp_path: Path) -> None:
    assert dialog.period_label.text() == "2026-W02 to 2026-W07"
    image = dialog.preview_image()
    assert not image.isNull() and image.height() > image.width()  # a portrait page
    out = dialog.save_to(tmp_path / "brief.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "50%" in text and "3 of 6" in text
    if os.environ.get("PMLOAD_SCREENSHOTS"):
        dialog.grab().save(str(Path(os.environ["PMLOAD_SCREENSHOTS"]) / "export-brief.png"))


@pytest.mark.parametrize("kind", ["share", "hours", "series", "week"])
def test_every_chart_previews_and_saves(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path, kind: str
) -> None:
    _select(qtbot, dialog, "kind", kind)
    image = dialog.preview_image()
    assert not image.isNull() and image.width() > image.height()  # a landscape chart
    for ext in ("png", "svg", "pdf"):
        out = dialog.save_to(tmp_path / f"{kind}.{ext}")
        assert out.stat().st_size > 5_000
    if kind == "week":
        assert dialog.period_label.text() == "2026-W07"
        assert not dialog.weeks.isEnabled()
    if os.environ.get("PMLOAD_SCREENSHOTS"):
        qtbot.wait(100)  # let the scroll area take the new preview's size
        dialog.grab().save(str(Path(os.environ["PMLOAD_SCREENSHOTS"]) / f"export-{kind}.png"))


def test_redaction_changes_the_preview_and_the_file(
    qtbot: QtBot, dialog: ExportDialog, tmp_path: Path
) -> None:
    before = dialog.preview_image()
    _select(qtbot, dialog, "redact", "titles")
    assert dialog.preview_image() != before
    text = PdfReader(dialog.save_to(tmp_path / "r.pdf")).pages[0].extract_text()
    assert "Series A" in text
    assert not any(title in text for title in TITLES)


def test_changing_weeks_updates_period(qtbot: QtBot, dialog: ExportDialog) -> None:
    with qtbot.waitSignal(dialog.previewReady, timeout=20_000):
        dialog.weeks.setValue(3)
    assert dialog.period_label.text() == "2026-W05 to 2026-W07"


def test_copy_image_to_clipboard(qtbot: QtBot, dialog: ExportDialog) -> None:
    dialog.copy_image()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull()
    assert image.size() == dialog.preview_image().size()
    assert "Copied" in dialog.status.text()


def test_paper_choice_only_for_the_brief(qtbot: QtBot, dialog: ExportDialog) -> None:
    assert dialog.paper.isEnabled()
    _select(qtbot, dialog, "paper", "a4")
    _select(qtbot, dialog, "kind", "share")
    assert not dialog.paper.isEnabled()
