"""Showing only some people in the People view: those whose side settles an unsure week.

The Week header's "Set sides for 20 people" button leads here, and so does a
Review reason naming people with no side ("No rule applies; unknown: Sam"). The
first of them is selected, ready for a side. The People view's filter box still
works as before: typing in it shows everyone that matches again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QRegularExpression
from PySide6.QtWidgets import QWidget

PLACEHOLDER = "Filter people"


def show_only(view: QWidget, keys: Sequence[str], where: str) -> None:
    """Filter the People ``view`` to the people ``keys`` (exact addresses), and say so;
    ``where`` they have no side: a week ("2026-W49") or a series ("“Catch-up”")."""
    from pmload_ui.people_view import COL_SIDE, PeopleView

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
    search.setPlaceholderText(f"Showing {who} with no side in {where}; type to see everyone")
    view.table.clearSelection()
    if view.proxy.rowCount():
        view.table.setCurrentIndex(view.proxy.index(0, COL_SIDE))
        view.table.selectRow(0)
    view.table.setFocus()
