"""The figures' meanings are said in one set of words: the CLI legend, the app, the docs."""

from __future__ import annotations

import re
from pathlib import Path

from pmload.config import Settings
from pmload.rules import glossary

DOC = Path(__file__).resolve().parents[2] / "docs" / "how-it-counts.md"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("`", "")).strip()


def test_the_docs_define_every_figure_in_the_cores_words() -> None:
    doc = _words(DOC.read_text(encoding="utf-8"))
    for term in (glossary.SOLE_BRIDGE, glossary.BACK_TO_BACK, glossary.CONTEXT_SWITCHES):
        assert f"**{term[0]}**: {term[1]}." in doc, term[0]
    # The two that name the working window do so in general terms in the docs.
    assert "**hours outside**: meeting hours outside your working window" in doc
    focus = glossary.focus_time(Settings())[1].split(" inside ")[0]
    assert f"**focus time**: {focus} inside your working window on workdays." in doc


def test_the_window_in_the_meaning_is_the_users() -> None:
    from datetime import time

    s = Settings(workday=(time(8, 0), time(16, 30)))
    assert "(08:00-16:30)" in glossary.focus_time(s)[1]
    assert "(08:00-16:30)" in glossary.outside_hours(s)[1]
    assert glossary.explain(glossary.CONTEXT_SWITCHES).startswith("Context switches: changes")
