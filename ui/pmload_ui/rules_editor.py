"""The rules editor: keyword rules and people patterns, with their impact before saving.

:class:`RulesEditor` is a group of the Settings view; :class:`RulesEditorDialog`
opens one on its own, prefilled with a rule drafted from a meeting ("Make a
Rule from This Meeting" in the Week and Review tables, :func:`add_rule_actions`).

The editor keeps the proposal (:class:`pmload.rules.rule_edits.UserRules`) and
nothing else: every number it shows is the core's, computed off the GUI thread
(:func:`pmload.rules.impact.rules_impact`, :func:`titles_matching`,
:func:`people_matching`) a moment after each change, and a result that a newer
change overtook is dropped. Save writes the proposal into rules.toml through
the session (comments kept, :func:`pmload.rules.rule_edits.write_user_rules`),
which re-classifies all history.

Signals:
    saved(): the proposal was written to rules.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from tomlkit.toml_document import TOMLDocument

from pmload.config import KeywordRule
from pmload.errors import ConfigError
from pmload.rules.analysis import Analysis
from pmload.rules.classify import Classified
from pmload.rules.impact import (
    RulesImpact,
    TitleMatch,
    impact_text,
    people_matching,
    rules_impact,
    titles_matching,
)
from pmload.rules.rule_edits import (
    PeoplePattern,
    RuleDraft,
    UserRules,
    check_keyword_rule,
    check_people_pattern,
    proposed_settings,
    rule_from_meeting,
    user_rules_of,
    write_user_rules,
)
from pmload.vocab import CATEGORIES, SIDES, Category, Side
from pmload_ui.background import BackgroundOp, Job
from pmload_ui.session import Session

PREVIEW_DELAY_MS = 250
PREVIEW_LINES = 6


@dataclass(frozen=True, slots=True)
class Preview:
    """What the editor shows for a proposal: its impact and the two live previews."""

    impact: RulesImpact | None  # None when nothing differs from the saved rules
    titles: list[TitleMatch]
    titles_total: int
    people: list[str]
    people_total: int


def compute_preview(
    analysis: Analysis,
    rules: UserRules,
    saved: UserRules,
    keywords: Sequence[str],
    pattern: str,
    today: date,
) -> Preview:
    """The preview of ``rules`` (run off the GUI thread: it re-classifies all history)."""
    impact = None
    if rules != saved:
        impact = rules_impact(analysis, proposed_settings(analysis.settings, rules), today)
    titles, n_titles = titles_matching(analysis.classified, keywords, PREVIEW_LINES)
    met = {p for c in analysis.classified if c.excluded is None for p in c.people}
    people, n_people = people_matching(met, pattern, PREVIEW_LINES) if pattern else ([], 0)
    return Preview(impact, titles, n_titles, people, n_people)


def _rule_text(rule: KeywordRule) -> str:
    return f"{rule.category.capitalize()}: {', '.join(rule.keywords)}"


def _pattern_text(p: PeoplePattern) -> str:
    return f"{p.pattern}  →  {p.side}"


def split_keywords(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


class RulesEditor(QGroupBox):
    """Keyword rules and people patterns, previewed, saved to rules.toml (see the module)."""

    saved = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Rules", parent)
        self.setObjectName("rules-editor")
        self.session = session
        self._saved = user_rules_of(session.settings)
        self.rules = self._saved
        self._generation = 0
        self.last_preview: Preview | None = None

        intro = QLabel(
            "Your keyword rules apply before pmload's own, in this order; a keyword matches "
            "whole words of a title. A people pattern gives a side to every address it "
            "matches (* is any text)."
        )
        intro.setWordWrap(True)

        self.rule_list = QListWidget()
        self.rule_list.setObjectName("keyword-rules")
        self.rule_list.setAccessibleName("Keyword rules")
        self.category = QComboBox()
        for cat in CATEGORIES:
            self.category.addItem(cat.capitalize(), str(cat))
        self.keywords = QLineEdit()
        self.keywords.setPlaceholderText("pricing council, deal review")
        self.keywords.setAccessibleName("Keywords")
        self.add_rule_button = QPushButton("&Add Keyword Rule")
        self.remove_rule_button = QPushButton("Remove")
        self.titles_label = QLabel()
        self.titles_label.setWordWrap(True)
        self.titles_label.setObjectName("title-preview")

        self.pattern_list = QListWidget()
        self.pattern_list.setObjectName("people-patterns")
        self.pattern_list.setAccessibleName("People patterns")
        self.pattern = QLineEdit()
        self.pattern.setPlaceholderText("*@eng.example.com")
        self.pattern.setAccessibleName("Address pattern")
        self.side = QComboBox()
        for side in SIDES:
            self.side.addItem(side.capitalize(), str(side))
        self.add_pattern_button = QPushButton("Add &People Pattern")
        self.remove_pattern_button = QPushButton("Remove")
        self.people_label = QLabel()
        self.people_label.setWordWrap(True)
        self.people_label.setObjectName("people-preview")

        self.impact_label = QLabel()
        self.impact_label.setWordWrap(True)
        self.impact_label.setObjectName("rules-impact")
        f = self.impact_label.font()
        f.setBold(True)
        self.impact_label.setFont(f)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        self.save_button = QPushButton("Save Rules")
        self.revert_button = QPushButton("Revert Rules")

        form_k = QFormLayout()
        form_k.addRow("Category:", self.category)
        form_k.addRow("Keywords:", self.keywords)
        kb = QHBoxLayout()
        kb.addWidget(self.add_rule_button)
        kb.addWidget(self.remove_rule_button)
        kb.addStretch(1)
        form_p = QFormLayout()
        form_p.addRow("Addresses like:", self.pattern)
        form_p.addRow("Are:", self.side)
        pb = QHBoxLayout()
        pb.addWidget(self.add_pattern_button)
        pb.addWidget(self.remove_pattern_button)
        pb.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.impact_label, 1)
        actions.addWidget(self.revert_button)
        actions.addWidget(self.save_button)

        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addWidget(QLabel("Keyword rules:"))
        col.addWidget(self.rule_list)
        col.addLayout(form_k)
        col.addWidget(self.titles_label)
        col.addLayout(kb)
        col.addWidget(QLabel("People patterns:"))
        col.addWidget(self.pattern_list)
        col.addLayout(form_p)
        col.addWidget(self.people_label)
        col.addLayout(pb)
        col.addWidget(self.error)
        col.addLayout(actions)
        for lst in (self.rule_list, self.pattern_list):
            lst.setMaximumHeight(self.fontMetrics().height() * 6 + 12)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._start_preview)
        self.rule_list.currentRowChanged.connect(self._rule_selected)
        self.pattern_list.currentRowChanged.connect(self._pattern_selected)
        self.category.currentIndexChanged.connect(self._rule_edited)
        self.keywords.textEdited.connect(self._rule_edited)
        self.pattern.textEdited.connect(self._pattern_edited)
        self.side.currentIndexChanged.connect(self._pattern_edited)
        self.add_rule_button.clicked.connect(lambda: self.add_keyword_rule(Category.STRATEGY, ""))
        self.remove_rule_button.clicked.connect(self.remove_keyword_rule)
        self.add_pattern_button.clicked.connect(lambda: self.add_pattern("", Side.TECHNICAL))
        self.remove_pattern_button.clicked.connect(self.remove_pattern)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        session.settingsChanged.connect(self._settings_changed)
        session.loaded.connect(self.schedule_preview)
        session.reclassified.connect(self.schedule_preview)
        self._fill()

    # --- the proposal ----------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.rules != self._saved

    def _settings_changed(self) -> None:
        """rules.toml was rewritten (here, in the People view, or imported): start from it,
        keeping an unsaved proposal when the rules it edits did not change."""
        fresh = user_rules_of(self.session.settings)
        if fresh != self._saved:
            self._saved = fresh
            if not self.dirty or self.rules == fresh:
                self.rules = fresh
            self._fill()

    def _fill(self, rule_row: int | None = None, pattern_row: int | None = None) -> None:
        for lst, texts, row in (
            (self.rule_list, [_rule_text(r) for r in self.rules.keyword_rules], rule_row),
            (self.pattern_list, [_pattern_text(p) for p in self.rules.patterns], pattern_row),
        ):
            lst.blockSignals(True)
            lst.clear()
            lst.addItems(texts)
            if texts:
                lst.setCurrentRow(len(texts) - 1 if row is None else min(row, len(texts) - 1))
            lst.blockSignals(False)
        self._rule_selected(self.rule_list.currentRow())
        self._pattern_selected(self.pattern_list.currentRow())
        self.schedule_preview()

    def _rule_selected(self, row: int) -> None:
        has = 0 <= row < len(self.rules.keyword_rules)
        for w in (self.category, self.keywords, self.remove_rule_button):
            w.setEnabled(has)
        self.category.blockSignals(True)
        if has:
            rule = self.rules.keyword_rules[row]
            self.category.setCurrentIndex(self.category.findData(str(rule.category)))
            self.keywords.setText(", ".join(rule.keywords))
        else:
            self.keywords.clear()
        self.category.blockSignals(False)
        self.schedule_preview()

    def _pattern_selected(self, row: int) -> None:
        has = 0 <= row < len(self.rules.patterns)
        for w in (self.pattern, self.side, self.remove_pattern_button):
            w.setEnabled(has)
        self.side.blockSignals(True)
        if has:
            p = self.rules.patterns[row]
            self.pattern.setText(p.pattern)
            self.side.setCurrentIndex(self.side.findData(str(p.side)))
        else:
            self.pattern.clear()
        self.side.blockSignals(False)
        self.schedule_preview()

    def _rule_edited(self, *_args: object) -> None:
        row = self.rule_list.currentRow()
        if not 0 <= row < len(self.rules.keyword_rules):
            return
        words = tuple(" ".join(k.lower().split()) for k in split_keywords(self.keywords.text()))
        rule = KeywordRule(Category(str(self.category.currentData())), words)
        rules = list(self.rules.keyword_rules)
        rules[row] = rule
        self.rules = replace(self.rules, keyword_rules=tuple(rules))
        item = self.rule_list.item(row)
        if item is not None:
            item.setText(_rule_text(rule))
        self.schedule_preview()

    def _pattern_edited(self, *_args: object) -> None:
        row = self.pattern_list.currentRow()
        if not 0 <= row < len(self.rules.patterns):
            return
        p = PeoplePattern(self.pattern.text().strip().lower(), Side(str(self.side.currentData())))
        patterns = list(self.rules.patterns)
        patterns[row] = p
        self.rules = replace(self.rules, patterns=tuple(patterns))
        item = self.pattern_list.item(row)
        if item is not None:
            item.setText(_pattern_text(p))
        self.schedule_preview()

    def add_keyword_rule(self, category: Category, keyword: str) -> None:
        """A new keyword rule at the end, selected, its keywords field focused."""
        rule = KeywordRule(category, (keyword,) if keyword else ())
        self.rules = replace(self.rules, keyword_rules=(*self.rules.keyword_rules, rule))
        self._fill(rule_row=len(self.rules.keyword_rules) - 1)
        self.keywords.setFocus()
        self.keywords.selectAll()

    def remove_keyword_rule(self) -> None:
        row = self.rule_list.currentRow()
        if 0 <= row < len(self.rules.keyword_rules):
            rules = list(self.rules.keyword_rules)
            del rules[row]
            self.rules = replace(self.rules, keyword_rules=tuple(rules))
            self._fill(rule_row=row)

    def add_pattern(self, pattern: str, side: Side) -> None:
        """A new people pattern at the end, selected, its pattern field focused."""
        p = PeoplePattern(pattern, side)
        self.rules = replace(self.rules, patterns=(*self.rules.patterns, p))
        self._fill(pattern_row=len(self.rules.patterns) - 1)
        self.pattern.setFocus()

    def remove_pattern(self) -> None:
        row = self.pattern_list.currentRow()
        if 0 <= row < len(self.rules.patterns):
            patterns = list(self.rules.patterns)
            del patterns[row]
            self.rules = replace(self.rules, patterns=tuple(patterns))
            self._fill(pattern_row=row)

    def checked(self) -> UserRules:
        """The proposal, each rule checked as rules.toml would check it (ConfigError)."""
        rules = tuple(
            check_keyword_rule(str(r.category), r.keywords) for r in self.rules.keyword_rules
        )
        patterns = tuple(check_people_pattern(p.pattern, str(p.side)) for p in self.rules.patterns)
        return UserRules(rules, patterns)

    # --- the preview -----------------------------------------------------------------

    def schedule_preview(self) -> None:
        self._generation += 1
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)
        self._timer.start()

    def _start_preview(self) -> None:
        analysis = self.session.analysis
        try:
            rules = self.checked()
            self.error.setVisible(False)
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            rules = None
        if analysis is None:
            self.impact_label.setText("Import a calendar to see what your rules change.")
            return
        generation = self._generation
        saved, today = self._saved, self.session.today()
        row = self.rule_list.currentRow()
        keywords = (
            self.rules.keyword_rules[row].keywords
            if 0 <= row < len(self.rules.keyword_rules)
            else ()
        )
        prow = self.pattern_list.currentRow()
        pattern = self.rules.patterns[prow].pattern if 0 <= prow < len(self.rules.patterns) else ""
        proposal = rules if rules is not None else saved
        if self.dirty and rules is not None:
            self.impact_label.setText("Working out what this changes…")

        def work(_job: Job) -> Preview:
            return compute_preview(analysis, proposal, saved, keywords, pattern, today)

        def done(preview: Preview) -> None:
            if generation == self._generation:
                self._show(preview, rules is not None)

        self.session.run(BackgroundOp(work, self).success(done))

    def _show(self, preview: Preview, valid: bool) -> None:
        self.last_preview = preview
        if preview.impact is not None:
            self.impact_label.setText("Not saved yet: " + impact_text(preview.impact) + ".")
        elif self.dirty and not valid:
            self.impact_label.setText("Fix the rule above to see what it changes.")
        else:
            self.impact_label.setText("These are your saved rules.")
        if self.keywords.isEnabled() and split_keywords(self.keywords.text()):
            if preview.titles_total:
                shown = ", ".join(f"“{m.title}” ({m.count})" for m in preview.titles)
                more = preview.titles_total - len(preview.titles)
                tail = f" and {more} more" if more > 0 else ""
                n = preview.titles_total
                self.titles_label.setText(
                    f"Matches {n} title{'s' if n != 1 else ''}: {shown}{tail}."
                )
            else:
                self.titles_label.setText("Matches no meeting title (whole words only).")
        else:
            self.titles_label.setText("")
        self.titles_label.setVisible(bool(self.titles_label.text()))
        if self.pattern.isEnabled() and self.pattern.text().strip():
            if preview.people_total:
                more = preview.people_total - len(preview.people)
                tail = f" and {more} more" if more > 0 else ""
                n = preview.people_total
                who = f"{n} {'person' if n == 1 else 'people'} you met"
                self.people_label.setText(f"Matches {who}: {', '.join(preview.people)}{tail}.")
            else:
                self.people_label.setText("Matches no one you met.")
        else:
            self.people_label.setText("")
        self.people_label.setVisible(bool(self.people_label.text()))

    # --- saving ----------------------------------------------------------------------

    def save(self) -> bool:
        try:
            rules = self.checked()
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return False

        def mutate(doc: TOMLDocument) -> None:
            write_user_rules(doc, rules)

        try:
            self.session.update_rules(mutate, "Rules saved")
        except ConfigError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return False
        self._saved = self.rules = user_rules_of(self.session.settings)
        self._fill()
        self.saved.emit()
        return True

    def revert(self) -> None:
        self.rules = self._saved
        self._fill()


class RulesEditorDialog(QDialog):
    """A rules editor on its own, with a rule drafted from a meeting added (not saved)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rules-editor-dialog")
        self.setWindowTitle("Make a Rule")
        self.editor = RulesEditor(session, self)
        self.editor.setTitle("")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        # Enter in a field saves (after the preview said what it does); it never adds or
        # removes a rule, as the first button of a dialog otherwise would.
        for button in (*self.editor.findChildren(QPushButton), *buttons.buttons()):
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)
        self.editor.save_button.setDefault(True)
        col = QVBoxLayout(self)
        col.addWidget(self.editor)
        col.addWidget(buttons)
        self.editor.saved.connect(self.accept)
        self.resize(720, 640)


def open_rule_dialog(
    session: Session, draft: RuleDraft, use: str, parent: QWidget | None = None
) -> RulesEditorDialog:
    """The rules editor dialog with ``draft``'s keyword (``use`` 'title') or pattern
    ('people') added as a new, unsaved rule."""
    dialog = RulesEditorDialog(session, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if use == "title" and draft.keyword:
        dialog.editor.add_keyword_rule(draft.category or Category.COORDINATION, draft.keyword)
    elif use == "people" and draft.pattern:
        dialog.editor.add_pattern(draft.pattern, draft.side or Side.TECHNICAL)
    dialog.open()
    return dialog


def add_rule_actions(
    menu: QMenu, session: Session, meeting: Classified | None, parent: QWidget
) -> QMenu | None:
    """Add "Make a Rule from This Meeting" (its title's words, or its people's domain) to
    ``menu``; nothing for an event that does not count as a meeting."""
    if meeting is None or meeting.excluded is not None:
        return None
    draft = rule_from_meeting(meeting, session.settings.me_set)
    sub = menu.addMenu("Make a &Rule from This Meeting")
    sub.setObjectName("make-rule-menu")
    if draft.keyword:
        act = sub.addAction(f"From Its Title: “{draft.keyword}”…")
        act.triggered.connect(lambda: open_rule_dialog(session, draft, "title", parent))
    if draft.pattern:
        why = f" ({draft.hint})" if draft.hint else ""
        act = sub.addAction(f"From Its People: {draft.pattern}{why}…")
        act.triggered.connect(lambda: open_rule_dialog(session, draft, "people", parent))
    sub.setEnabled(bool(draft.keyword or draft.pattern))
    return sub


__all__ = [
    "RulesEditor",
    "RulesEditorDialog",
    "add_rule_actions",
    "compute_preview",
    "open_rule_dialog",
]
