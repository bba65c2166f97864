"""``pmload-gui``: the Qt application entry point."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from pmload import __version__

    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    window = QMainWindow()
    window.setWindowTitle(f"pmload {__version__}")
    window.setCentralWidget(QLabel("pmload"))
    window.resize(1100, 720)
    window.show()
    return int(app.exec())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
