"""The one way the CLI prints a table: aligned columns, control characters escaped.

Text from a calendar (titles, addresses, file names) can carry terminal escape
sequences: an invite titled ``ESC ] 0 ; … BEL`` renames the user's terminal,
``ESC [ 2 J`` clears it. Every cell is therefore printed through
:func:`printable`, which shows control characters escaped (``\\x1b``, ``\\n``,
``\\u202e``) instead of sending them to the terminal. Columns are aligned by
display cells, so a line with CJK titles (two cells a character) or combining
accents (none) stays in its column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Format characters that reorder or hide what the terminal shows ("Trojan Source").
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_GAP = "  "


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI


def printable(text: str) -> str:
    """``text`` safe for a terminal: control, line-separator and bidi characters escaped."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if _is_control(ch) else ch for ch in text)


def _char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` (already printable) takes."""
    if text.isascii():
        return len(text)
    return sum(_char_cells(ch) for ch in text)


def clip(text: str, width: int, marker: str = "…") -> str:
    """``text`` cut to at most ``width`` cells, ending with ``marker`` when it was cut."""
    if cells(text) <= width:
        return text
    room = width - cells(marker)
    out: list[str] = []
    used = 0
    for ch in text:
        w = _char_cells(ch)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out) + marker


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - cells(text))
    return fill + text if right else text + fill


def table_lines(
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] | None = None,
    right: Collection[int] = (),
    min_widths: Mapping[int, int] | None = None,
    max_widths: Mapping[int, int] | None = None,
    marker: str = "…",
) -> list[str]:
    """The lines of a table: columns two spaces apart, right-aligned where asked.

    Every cell is made :func:`printable`; a column in ``max_widths`` is clipped
    to that many cells (ending with ``marker``); a column is at least as wide as
    ``min_widths`` says. Trailing spaces are stripped.
    """
    limits = max_widths or {}
    table = [
        [
            clip(printable(cell), limits[i], marker) if i in limits else printable(cell)
            for i, cell in enumerate(row)
        ]
        for row in ([header] if header is not None else []) + list(rows)
    ]
    if not table:
        return []
    n = max(len(row) for row in table)
    widths = [
        max([cells(row[i]) for row in table if i < len(row)] + [(min_widths or {}).get(i, 0)])
        for i in range(n)
    ]
    return [
        _GAP.join(_pad(cell, widths[i], i in right) for i, cell in enumerate(row)).rstrip()
        for row in table
    ]


def print_table(
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] | None = None,
    right: Collection[int] = (),
    min_widths: Mapping[int, int] | None = None,
    max_widths: Mapping[int, int] | None = None,
    marker: str = "…",
) -> None:
    """Print :func:`table_lines` to standard output."""
    for line in table_lines(
        rows,
        header=header,
        right=right,
        min_widths=min_widths,
        max_widths=max_widths,
        marker=marker,
    ):
        print(line)
