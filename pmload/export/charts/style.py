"""How every pmload chart looks: palette, patterns, fonts, and saving.

Charts must read printed in black and white and for colour-blind readers, so
each category has an Okabe–Ito colour *and* a hatch pattern, and values are
labelled directly on the chart. Style is applied per figure through
``matplotlib.rc_context`` (never global pyplot state), both while a figure is
built and while it is saved: ``pdf.fonttype = 42`` embeds fonts as TrueType,
``svg.fonttype = "none"`` keeps SVG text as text. Text that comes from the
user's data goes through :func:`literal` before it is drawn.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

import matplotlib
from matplotlib.figure import Figure
from matplotlib.text import Text

from pmload.errors import PmloadError, UsageError
from pmload.fileio import write_export
from pmload.vocab import ALL_CATEGORIES, Category, Verdict

log = logging.getLogger(__name__)

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#BBBBBB"
TEXT = "#222222"

CHART_CATEGORIES = ALL_CATEGORIES
CATEGORY_COLOURS = {
    Category.TRANSLATION: OKABE_ITO["vermillion"],
    Category.COORDINATION: OKABE_ITO["blue"],
    Category.STRATEGY: OKABE_ITO["bluish_green"],
    Category.UNCLASSIFIED: GREY,
}
# Patterns tell the categories apart without colour.
CATEGORY_HATCHES = {
    Category.TRANSLATION: "////",
    Category.COORDINATION: "..",
    Category.STRATEGY: "",
    Category.UNCLASSIFIED: "xx",
}


def literal(text: str) -> str:
    """``text`` to draw as written: every ``$`` escaped, so matplotlib never reads a title
    such as "Pricing $5k vs $10k" as mathtext (it would draw "Pricing 5kvs10k")."""
    return text.replace("$", "\\$")


def hatch_colour(face: str) -> str:
    """Light hatching on dark fills (blue), dark hatching on the others: visible in grey."""
    return "#FFFFFF" if face == OKABE_ITO["blue"] else "#1A1A1A"


# A week's verdict has one colour and one pattern everywhere it is drawn (charts, the
# brief, the app): over is vermillion and hatched, under a blue, unsure a neutral grey
# with the unclassified category's cross-hatch (the unclassified hours decide it).
VERDICT_COLOURS = {
    Verdict.OVER: OKABE_ITO["vermillion"],
    Verdict.UNDER: OKABE_ITO["sky_blue"],
    Verdict.UNSURE: GREY,
}
VERDICT_HATCHES = {
    Verdict.OVER: "////",
    Verdict.UNDER: "",
    Verdict.UNSURE: "xx",
}
# The part of an unsure week already known to be translation (below its range).
UNSURE_KNOWN_COLOUR = "#E6E6E6"
OVER_COLOUR = VERDICT_COLOURS[Verdict.OVER]
OVER_HATCH = VERDICT_HATCHES[Verdict.OVER]
UNDER_COLOUR = VERDICT_COLOURS[Verdict.UNDER]
UNSURE_COLOUR = VERDICT_COLOURS[Verdict.UNSURE]
UNSURE_HATCH = VERDICT_HATCHES[Verdict.UNSURE]
STREAK_COLOUR = OKABE_ITO["orange"]
# The week in progress and scheduled weeks are drawn paler: their figures may change.
NOT_COMPLETE_ALPHA = 0.45
SCHEDULED_SHADE = "#EFEFEF"  # behind scheduled weeks

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

RC: dict[str, Any] = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "normal",  # one font weight: one subset to embed, faster PDFs
    "axes.labelsize": 9.0,
    "axes.edgecolor": "#555555",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 8.0,
    "ytick.labelsize": 8.0,
    "legend.fontsize": 8.0,
    "legend.frameon": False,
    "hatch.linewidth": 0.6,
    "hatch.color": "#1A1A1A",
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.unicode_minus": False,  # ASCII text keeps PDFs to one font subset per weight
    "svg.hashsalt": "pmload",  # stable ids: the same chart gives the same SVG
    "savefig.dpi": 150,
}


# rcParams are global: rc_context is not thread-safe. The app renders previews on a
# worker thread while the window may build its own charts, so pmload's style blocks
# never interleave (an interleaved restore would leave the wrong rcParams behind).
_RC_LOCK = threading.RLock()


@contextmanager
def chart_style() -> Iterator[None]:
    """Apply pmload's chart style for the duration of the block (one thread at a time)."""
    with _RC_LOCK, matplotlib.rc_context(cast(Any, RC)):
        yield


def new_figure(width: float, height: float) -> Figure:
    """A pyplot-free figure of ``width`` x ``height`` inches (call inside chart_style)."""
    return Figure(figsize=(width, height), layout="constrained")


def figure_format(path: Path) -> str:
    """'png', 'svg' or 'pdf' from the file name, else a one-sentence UsageError."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"'{path.name}' must end in .png, .svg or .pdf.")
    return fmt


def pdf_metadata(title: str = "pmload chart") -> dict[str, Any]:
    """Neutral document metadata: nothing from the calendar ever goes here."""
    return {"Title": title, "Author": None, "Subject": None, "Keywords": None, "Creator": "pmload"}


def no_ligatures(fig: Figure) -> None:
    """Turn off ligatures ("fi", "ff") on every text of ``fig``.

    A ligature glyph has no character of its own: PDF text extraction and
    copy-paste would garble "unclassified", and the PDF would embed a second
    subset of the font (slower to write).
    """
    for text in fig.findobj(Text):
        if not text.get_fontfeatures():
            text.set_fontfeatures(["-liga"])


def render_figure(fig: Figure, fmt: str, target: Any, *, dpi: float | None = None) -> None:
    """Write ``fig`` as ``fmt`` to a path or binary file object, with pmload's rc."""
    kwargs: dict[str, Any] = {"format": fmt}
    if dpi is not None:
        kwargs["dpi"] = dpi
    if fmt == "pdf":
        kwargs["metadata"] = pdf_metadata()
    elif fmt == "svg":
        kwargs["metadata"] = {"Title": "pmload chart", "Date": None, "Creator": "pmload"}
    elif fmt == "png":
        kwargs["metadata"] = {"Software": "pmload"}
    no_ligatures(fig)
    engine = fig.get_layout_engine()
    with chart_style():
        if engine is None:
            # print_figure picks the canvas class for the format: no pyplot involved.
            fig.canvas.print_figure(target, **kwargs)
            return
        # With a layout engine, print_figure draws everything twice (a dry run for the
        # layout, then the output). Laying out once and pausing the engine for the
        # output draw gives the same positions at about half the cost.
        engine.execute(fig)
        fig.set_layout_engine("none")
        try:
            fig.canvas.print_figure(target, **kwargs)
        finally:
            fig.set_layout_engine(engine)


def figure_bytes(fig: Figure, fmt: str, *, dpi: float | None = None) -> bytes:
    """The figure as ``fmt`` ('png', 'svg', 'pdf') bytes in memory, with pmload's rc."""
    buf = io.BytesIO()
    render_figure(fig, fmt, buf, dpi=dpi)
    return buf.getvalue()


def save_figure(fig: Figure, path: Path) -> Path:
    """Save ``fig`` to ``path``; the format follows the extension (.png, .svg, .pdf)."""
    path = Path(path)
    fmt = figure_format(path)
    if not path.parent.is_dir():
        raise PmloadError(f"cannot write {path}: folder {path.parent} does not exist.")
    write_export(path, figure_bytes(fig, fmt))
    log.info("saved a %s chart", fmt)  # not the path: a file name can be private
    return path


def png_bytes(fig: Figure, dpi: float = 100) -> bytes:
    """The figure as PNG bytes in memory (for previews and the clipboard)."""
    return figure_bytes(fig, "png", dpi=dpi)
