"""Helpers for privacy tests: find journal text wherever it may have leaked."""

from __future__ import annotations

from pathlib import Path


def scan_for(marker: str, *roots: Path) -> list[str]:
    """Every file under ``roots`` holding ``marker`` as UTF-8, UTF-16-LE or UTF-16-BE."""
    needles = [marker.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    hits = []
    for root in roots:
        for p in root.rglob("*"):
            if p.is_file():
                raw = p.read_bytes()
                hits += [f"{p} ({n!r})" for n in needles if n in raw]
    return hits
