"""What the Week view's first screen does not pay for (issue 10, item 6): a second draw of a
chart already drawn, matplotlib's font-matching debug lines in the log, tomlkit and the
package metadata before anything is rewritten or shown."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from pmload_ui.charts import ChartView
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pmload.logs import setup_logging
from pmload.paths import resolve_paths


def _bars(width: float, height: float) -> object:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.add_subplot().bar(["a", "b"], [1, 2])
    return fig


def test_settle_draws_a_chart_only_when_a_draw_is_pending(qtbot: QtBot) -> None:
    view = ChartView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.set_builder(_bars)  # type: ignore[arg-type]
    view.show()
    qtbot.waitExposed(view)
    draws: list[object] = []
    view.mpl_connect("draw_event", draws.append)
    qtbot.waitUntil(lambda: view.canvas is not None and not view.canvas._draw_pending)
    for _ in range(5):
        QApplication.processEvents()
    drawn = len(draws)
    view.settle()
    assert len(draws) == drawn  # the same pixels: no second draw
    view.canvas.draw_idle()  # a redraw asked for and not yet done
    view.settle()
    assert len(draws) == drawn + 1


def test_matplotlib_debug_lines_stay_out_of_the_log(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path / "home").ensure()
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        setup_logging(paths)
        logging.getLogger("matplotlib.font_manager").debug("findfont: score(...) = 0.05")
        logging.getLogger("matplotlib").info("a matplotlib notice")
        logging.getLogger("pmload.test").debug("a pmload debug line")
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()
    text = paths.log_file.read_text(encoding="utf-8")
    assert "findfont" not in text
    assert "a matplotlib notice" in text and "a pmload debug line" in text


def test_the_week_view_imports_neither_tomlkit_nor_the_package_metadata() -> None:
    code = (
        "import sys, pmload_ui.app, pmload_ui.main_window, pmload_ui.week_view, "
        "pmload.rules.first_screen\n"
        "print(sorted(m for m in ('tomlkit', 'importlib.metadata') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
