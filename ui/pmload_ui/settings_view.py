"""The Settings view: the values of rules.toml, rules import/export, and deleting all data.

The form says when it holds changes not saved yet ("Unsaved changes", the changed
fields' labels marked, Save and Revert enabled only then), and leaving it with
such changes asks first (:meth:`SettingsView.confirm_leave`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTime
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from tomlkit.toml_document import TOMLDocument

from pmload.config import (
    WEEKDAYS,
    check_pattern,
    check_zone,
    import_rules,
    read_rules_text,
    system_zone,
)
from pmload.errors import ConfigError, PmloadError
from pmload.vocab import Basis
from pmload_ui.first_run import split_addresses, zone_combo
from pmload_ui.rules_editor import RulesEditor
from pmload_ui.session import Session

if TYPE_CHECKING:
    from pmload_ui.import_flow import ImportFlow


_AUDIT_FIELDS = ("threshold", "basis", "working_hours", "window", "workdays", "max_bridge")
FIELD_NAMES = {
    "me": "your addresses",
    "zone": "time zone",
    "threshold": "threshold",
    "basis": "share of",
    "working_hours": "working hours",
    "window": "working window",
    "workdays": "workdays",
    "max_bridge": "sole bridge size",
}


class SettingsView(QWidget):
    """Edit rules.toml through a form; Save writes it (comments kept) and re-classifies."""

    def __init__(
        self, session: Session, imports: ImportFlow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings-view")
        self.session = session
        self.imports = imports

        self.me = QLineEdit()
        self.me.setPlaceholderText("you@company.com, you@personal.example")
        self.zone = zone_combo(system_zone())
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 100)
        self.threshold.setSuffix(" %")
        self.basis = QComboBox()
        self.basis.addItem("Meeting hours", Basis.MEETINGS.value)
        self.basis.addItem("Working hours", Basis.WORKING_HOURS.value)
        self.working_hours = QDoubleSpinBox()
        self.working_hours.setRange(1, 168)
        self.working_hours.setDecimals(1)
        self.working_hours.setSuffix(" h per week")
        self.day_start = QTimeEdit()
        self.day_start.setDisplayFormat("HH:mm")
        self.day_end = QTimeEdit()
        self.day_end.setDisplayFormat("HH:mm")
        window = QHBoxLayout()
        window.addWidget(self.day_start)
        window.addWidget(QLabel("to"))
        window.addWidget(self.day_end)
        window.addStretch(1)
        self.days = {d: QCheckBox(d.capitalize()) for d in WEEKDAYS}
        days = QHBoxLayout()
        for box in self.days.values():
            days.addWidget(box)
        days.addStretch(1)
        self._window_row, self._days_row = window, days
        self.max_bridge = QSpinBox()
        self.max_bridge.setRange(2, 500)
        self.max_bridge.setSuffix(" other people")

        you = QGroupBox("You")
        f1 = QFormLayout(you)
        f1.addRow("Your addresses:", self.me)
        f1.addRow("Time zone:", self.zone)
        audit = QGroupBox("The weekly audit")
        f2 = QFormLayout(audit)
        f2.addRow("Flag a week when translation is over:", self.threshold)
        f2.addRow("Share of:", self.basis)
        f2.addRow("Working hours:", self.working_hours)
        f2.addRow("Working window:", window)
        f2.addRow("Workdays:", days)
        f2.addRow("Sole bridge with at most:", self.max_bridge)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.dirty_label = QLabel("Unsaved changes")
        self.dirty_label.setObjectName("unsaved")
        dirty_font = self.dirty_label.font()
        dirty_font.setItalic(True)
        self.dirty_label.setFont(dirty_font)
        self.dirty_label.setVisible(False)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(self.reload)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.dirty_label)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.save_button)

        rules = QGroupBox("Rules file")
        rl = QVBoxLayout(rules)
        self.rules_path = QLabel()
        self.rules_path.setWordWrap(True)
        self.rules_path.setEnabled(False)
        rb = QHBoxLayout()
        self.import_rules_button = QPushButton("Import Rules File…")
        self.import_rules_button.clicked.connect(self.import_rules)
        self.export_rules_button = QPushButton("Export Rules File…")
        self.export_rules_button.clicked.connect(self.export_rules)
        rb.addWidget(self.import_rules_button)
        rb.addWidget(self.export_rules_button)
        rb.addStretch(1)
        rl.addWidget(self.rules_path)
        rl.addLayout(rb)

        danger = QGroupBox("Your data")
        dl = QVBoxLayout(danger)
        note = QLabel(
            "Everything pmload knows stays in its data folder on this computer: the "
            "imported calendars, your tags, your rules and your journal."
        )
        note.setWordWrap(True)
        self.delete_button = QPushButton("Delete All My Data…")
        self.delete_button.clicked.connect(self.delete_all)
        db = QHBoxLayout()
        db.addWidget(self.delete_button)
        db.addStretch(1)
        dl.addWidget(note)
        dl.addLayout(db)

        self.rules_group = rules
        self.rules_editor = RulesEditor(session)
        inner = QWidget()
        col = QVBoxLayout(inner)
        self._column = col
        col.setContentsMargins(16, 12, 16, 12)
        col.addWidget(you)
        col.addWidget(audit)
        col.addWidget(self.error)
        col.addLayout(actions)
        col.addWidget(self.rules_editor)
        col.addWidget(rules)
        col.addWidget(danger)
        col.addStretch(1)
        inner.setMaximumWidth(760)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        # Each field's label, to mark it while its value differs from the saved one.
        self._labels: dict[str, QLabel] = {}
        for form, names in ((f1, ("me", "zone")), (f2, _AUDIT_FIELDS)):
            for name in names:
                label = form.labelForField(self._field_widget(name))
                if isinstance(label, QLabel):
                    self._labels[name] = label
        self._saved: dict[str, object] = {}
        self.me.textChanged.connect(self._update_dirty)
        self.zone.currentTextChanged.connect(self._update_dirty)
        for spin in (self.threshold, self.working_hours, self.max_bridge):
            spin.valueChanged.connect(self._update_dirty)
        self.basis.currentIndexChanged.connect(self._update_dirty)
        self.day_start.timeChanged.connect(self._update_dirty)
        self.day_end.timeChanged.connect(self._update_dirty)
        for box in self.days.values():
            box.toggled.connect(self._update_dirty)
        session.settingsChanged.connect(self.reload)
        session.deletingChanged.connect(self._deleting_changed)
        self.reload()

    def add_group(self, group: QWidget) -> None:
        """Add a group of the app's own settings (saved apart from rules.toml) above the rules file."""
        self._column.insertWidget(self._column.indexOf(self.rules_group), group)

    def reload(self) -> None:
        """Fill the form from the current settings."""
        s = self.session.settings
        self.me.setText(", ".join(s.me))
        self.zone.setCurrentText(
            self.session.zone_or_utc().key if s.timezone is None else s.timezone
        )
        self.threshold.setValue(round(s.threshold * 100))
        self.basis.setCurrentIndex(max(0, self.basis.findData(s.basis)))
        self.working_hours.setValue(s.working_hours)
        self.day_start.setTime(QTime(s.workday[0].hour, s.workday[0].minute))
        self.day_end.setTime(QTime(s.workday[1].hour, s.workday[1].minute))
        for i, d in enumerate(WEEKDAYS):
            self.days[d].setChecked(i in s.workdays)
        self.max_bridge.setValue(s.max_bridge_attendees)
        self.rules_path.setText(f"Saved in {self.session.paths.rules_file}")
        self.error.setVisible(False)
        self._saved = self._values()
        self._update_dirty()

    # --- unsaved changes -------------------------------------------------------

    def _field_widget(self, name: str) -> QWidget | QLayout:
        """The widget (or layout, for a row of several) a form row holds for ``name``."""
        if name == "window":
            return self._window_row
        if name == "workdays":
            return self._days_row
        widget: QWidget | None = {
            "me": self.me,
            "zone": self.zone,
            "threshold": self.threshold,
            "basis": self.basis,
            "working_hours": self.working_hours,
            "max_bridge": self.max_bridge,
        }.get(name)
        assert widget is not None, name
        return widget

    def _values(self) -> dict[str, object]:
        """What the form says, field by field, as compared with what was saved."""
        return {
            "me": tuple(split_addresses(self.me.text())),
            "zone": self.zone.currentText().strip(),
            "threshold": self.threshold.value(),
            "basis": self.basis.currentData(),
            "working_hours": self.working_hours.value(),
            "window": (
                self.day_start.time().toString("HH:mm"),
                self.day_end.time().toString("HH:mm"),
            ),
            "workdays": tuple(d for d in WEEKDAYS if self.days[d].isChecked()),
            "max_bridge": self.max_bridge.value(),
        }

    def changed_fields(self) -> list[str]:
        """The fields whose value is not the saved one."""
        if not self._saved:
            return []
        now = self._values()
        return [name for name, value in now.items() if self._saved.get(name) != value]

    def is_dirty(self) -> bool:
        return bool(self.changed_fields())

    def _update_dirty(self, *_args: object) -> None:
        changed = set(self.changed_fields())
        self.dirty_label.setVisible(bool(changed))
        self.save_button.setEnabled(bool(changed))
        self.revert_button.setEnabled(bool(changed))
        for name, label in self._labels.items():
            mark = name in changed
            font = QFont(label.font())
            font.setBold(mark)
            label.setFont(font)
            label.setToolTip("Changed, not saved yet" if mark else "")

    def confirm_leave(self) -> bool:
        """With unsaved changes, ask: Save (and leave when it worked), Discard, or Cancel
        (stay). True when the view may be left."""
        if not self.is_dirty():
            return True
        box = self._leave_box()
        box.exec()
        clicked = box.standardButton(box.clickedButton())
        if clicked == QMessageBox.StandardButton.Save:
            return self.save()
        if clicked == QMessageBox.StandardButton.Discard:
            self.reload()
            return True
        return False

    def _leave_box(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setObjectName("unsaved-settings")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved Settings")
        names = ", ".join(FIELD_NAMES[n] for n in self.changed_fields())
        box.setText("Save your changes to the settings?")
        box.setInformativeText(f"Changed, not saved yet: {names}.")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return box

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)

    def save(self) -> bool:
        try:
            me = [check_pattern(a) for a in split_addresses(self.me.text())]
            zone = check_zone(self.zone.currentText().strip())
        except ConfigError as exc:
            self._show_error(str(exc))
            return False
        start, end = self.day_start.time(), self.day_end.time()
        workdays = [d for d in WEEKDAYS if self.days[d].isChecked()]
        if not workdays:
            self._show_error("Choose at least one workday.")
            return False

        def mutate(doc: TOMLDocument) -> None:
            doc["me"] = me
            doc["timezone"] = zone
            doc["threshold"] = self.threshold.value() / 100
            doc["basis"] = str(self.basis.currentData())
            doc["working_hours"] = self.working_hours.value()
            doc["workday"] = f"{start.toString('HH:mm')}-{end.toString('HH:mm')}"
            doc["workdays"] = workdays
            doc["max_bridge_attendees"] = self.max_bridge.value()

        try:
            self.session.update_rules(mutate, "Settings saved")
        except ConfigError as exc:
            self._show_error(str(exc))
            return False
        self.error.setVisible(False)
        self._saved = self._values()
        self._update_dirty()
        return True

    def import_rules(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import Rules File", str(Path.home()), "Rules (*.toml);;All files (*)"
        )
        if not name:
            return
        try:
            import_rules(self.session.paths, Path(name))
        except PmloadError as exc:
            self._show_error(str(exc))
            return
        self.session.update_rules(lambda _doc: None, f"Rules imported from {Path(name).name}")

    def export_rules(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export Rules File", str(Path.home() / "pmload-rules.toml"), "Rules (*.toml)"
        )
        if not name:
            return
        try:
            text = read_rules_text(self.session.paths)
            Path(name).write_text(
                text or "# pmload rules: every key is optional\n", encoding="utf-8"
            )
        except (OSError, PmloadError) as exc:
            self._show_error(f"Cannot write {name}: {exc}")
            return
        self.session.message.emit(f"Rules exported to {name}.")

    def delete_all(self) -> bool:
        """Ask, then delete every calendar, tag, rule and the journal (in the background:
        the session says when it is done)."""
        if not self.confirm_delete():
            return False
        self.session.delete_all_data()
        return True

    def _deleting_changed(self, deleting: bool) -> None:
        self.delete_button.setEnabled(not deleting)
        self.delete_button.setText("Deleting your data…" if deleting else "Delete All My Data…")

    def confirm_delete(self) -> bool:
        box = QMessageBox(self)
        box.setObjectName("confirm-delete")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Delete All My Data")
        box.setText(
            "Delete every imported calendar, your tags, your rules, your journal "
            "and your Google Calendar token?"
        )
        box.setInformativeText("This cannot be undone. Your original .ics files are not touched.")
        delete = box.addButton("Delete Everything", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is delete
