"""Showing only some people in the People view: those whose side settles an unsure week.

The Week header's "Set sides for 20 people" button leads here. The People view's
filter box still works as before: typing in it shows everyone that matches again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QRegularExpression
from PySide6.QtWidgets import QWidget

PLACEHOLDER = "Filter people"


def show_only(view: QWidget, keys: Sequence[str], week: str) -> None:
    """Filter the People ``view`` to the people ``keys`` (exact addresses), and say so."""
    from pmload_ui.people_view import PeopleView

    if not isinstance(view, PeopleView) or not keys:
        return
    search = view.search
    if search.property("focus-hint") is None:
        search.textChanged.connect(lambda _t: search.setPlaceholderText(PLACEHOLDER))
    search.setProperty("focus-hint", True)
    search.blockSignals(True)
    search.clear()
    search.blockSignals(False)
    pattern = "^(?:" + "|".join(re.escape(k) for k in keys) + ")$"
    view.proxy.setFilterRegularExpression(
        QRegularExpression(pattern, QRegularExpression.PatternOption.CaseInsensitiveOption)
    )
    who = "the 1 person" if len(keys) == 1 else f"the {len(keys)} people"
    search.setPlaceholderText(f"Showing {who} with no side in {week}; type to see everyone")
    view.table.setFocus()
