"""The About dialog: version, license, the libraries pmload ships, and where the data lives."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pmload.appinfo import LICENSE, components, is_frozen, version
from pmload.paths import Paths
from pmload_ui.icon import app_icon


class AboutDialog(QDialog):
    """About pmload. "Show Data Folder" opens the data folder in the file manager."""

    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.setWindowTitle("About pmload")
        self.paths = paths

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(f"<h2>pmload {version()}</h2>")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        blurb = QLabel(
            "Where a product manager's meeting time goes: translation, coordination and "
            "strategy, with a weekly check against the 40% translation line. Your calendar, "
            "rules and journal stay on this computer; pmload makes no network call."
        )
        blurb.setWordWrap(True)
        self.license = QLabel(
            f"Free software under the {LICENSE} license"
            f" · {'bundled build' if is_frozen() else 'running from Python'}"
        )
        text = QVBoxLayout()
        text.addWidget(self.title)
        text.addWidget(blurb)
        text.addWidget(self.license)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addLayout(text, 1)

        where = QFormLayout()
        where.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, path in (
            ("Data:", paths.data_dir),
            ("Settings:", paths.config_dir),
            ("Logs and crash reports:", paths.log_dir),
        ):
            shown = QLabel(str(path))
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            where.addRow(label, shown)
        self.show_folder = QPushButton("Show Data Folder")
        self.show_folder.clicked.connect(self.open_data_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.show_folder)
        folder_row.addStretch(1)

        shipped = components()
        self.libraries = QTableWidget(len(shipped), 3)
        self.libraries.setObjectName("about-libraries")
        self.libraries.setHorizontalHeaderLabels(["Library", "Version", "License"])
        self.libraries.verticalHeader().setVisible(False)
        self.libraries.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.libraries.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.libraries.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.libraries.setWordWrap(False)
        for row, c in enumerate(shipped):
            for col, value in enumerate((c.name, c.version, c.license)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.libraries.setItem(row, col, item)
        head = self.libraries.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        libraries_label = QLabel(
            f"pmload is built on {len(shipped)} libraries, each under its own license:"
        )

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(6)
        layout.addLayout(where)
        layout.addLayout(folder_row)
        layout.addSpacing(6)
        layout.addWidget(libraries_label)
        layout.addWidget(self.libraries, 1)
        layout.addWidget(buttons)
        self.resize(640, 620)

    def open_data_folder(self) -> bool:
        """Open the data folder (created if need be) in the desktop's file manager."""
        with contextlib.suppress(OSError):
            self.paths.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.paths.data_dir)))
