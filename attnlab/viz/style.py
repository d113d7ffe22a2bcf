"""Shared look of every attnlab figure: fonts, colour maps, and deterministic PNG saving.

Importing this module imports matplotlib but does **not** pick a backend: in Jupyter the
figures show inline. The CLI and the tests choose Agg themselves.
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

# Sequential maps for weights (0 .. 1, darker = less), diverging maps for signed values.
WEIGHTS_CMAP = "viridis"
SIGNED_CMAP = "RdBu_r"  # blue-white-red: both ends stay apart for red-green colour blindness
RATIO_CMAP = "PuOr_r"  # diverging around 1 for "times the uniform weight" (log scale)
SIMILARITY_CMAP = "magma"  # sequential too, but not the weights' map: a similarity is no weight
MASKED_FACE = "#d0d0d0"  # light grey, hatched: "masked" must never look like "weight 0"
MASKED_EDGE = "#8c8c8c"
MASKED_HATCH = "///"

# Okabe and Ito's palette (2008): eight colours that stay distinct for the common colour
# blindnesses (checked in tests/test_figure_truth.py with attnlab.viz.colorblind). Meaning is
# never carried by hue alone: every figure adds a marker, a line style, a hatch or a label.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# The order series take in line plots (yellow, too light on white, is left out).
PALETTE = tuple(
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black")
)
LINESTYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

# TLOB's classes (0 up, 1 stationary, 2 down): colour, marker and hatch, so that a reader who
# cannot tell the colours apart still can. Bids and asks use the up and down colours.
UP_COLOR = OKABE_ITO["blue"]
FLAT_COLOR = "#8a8a8a"
DOWN_COLOR = OKABE_ITO["vermillion"]
CLASS_COLORS = (UP_COLOR, FLAT_COLOR, DOWN_COLOR)
CLASS_MARKERS = ("^", "o", "v")  # up, stationary, down: the marker points the way
BID_COLOR = UP_COLOR
ASK_COLOR = DOWN_COLOR
BID_HATCH = ""
ASK_HATCH = "//"
HIGHLIGHT_COLOR = OKABE_ITO["orange"]  # frames around the panels a figure wants you to look at

DPI = 200  # default resolution of saved PNGs: crisp on a projector and in the README

# Readable from the back of a classroom: no text smaller than the tick labels (12 pt), and
# figures kept at most about 13 inches wide so the README does not shrink them below that.
RC = {
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
    "legend.title_fontsize": 12,
    "figure.titlesize": 16,
    "figure.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,  # 100.6, not "0.6 + 1e2", on price axes
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "attnlab",
}
CELL_FONTSIZE = 12  # numbers written in heatmap cells: as large as the tick labels


def series_style(i: int, **extra) -> dict:
    """Colour, line style and marker of the ``i``-th series of a line plot (all three vary, so
    the series stay apart in grey print and for colour-blind readers)."""
    return {
        "color": PALETTE[i % len(PALETTE)],
        "linestyle": LINESTYLES[i % len(LINESTYLES)],
        "marker": MARKERS[i % len(MARKERS)],
        **extra,
    }


def highlight(ax, label: str | None = None, *, color: str = HIGHLIGHT_COLOR) -> None:
    """Frame ``ax`` with a thick coloured border (and a tag in its upper right corner, which a
    causal attention map leaves masked) to point a reader at it."""
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor(color)
        spine.set_linewidth(4.0)
    if label:
        ax.text(
            0.96,
            0.96,
            label,
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=RC["axes.titlesize"],
            fontweight="bold",
            color="black",
            bbox={"boxstyle": "round,pad=0.2", "facecolor": color, "edgecolor": "none"},
            zorder=5,
        )


def indexed_labels(tokens) -> list[str]:
    """``["0 the", "1 cat", ..., "4 the"]``: a repeated token stays tellable apart; spaces (of
    character tokens) show as ␣."""
    return [f"{i} {str(t).replace(' ', '␣') or '␣'}" for i, t in enumerate(tokens)]


@contextlib.contextmanager
def style():
    """Context manager applying attnlab's figure style (fonts, spines) to figures made inside."""
    with mpl.rc_context(RC):
        yield
        # The first figure may load the backend here; Jupyter's inline backend then switches
        # interactive mode on, which rc_context would undo on exit (and later figures would
        # no longer show inline). Keep the backend's choice.
        interactive = mpl.is_interactive()
    mpl.interactive(interactive)


def styled(func):
    """Decorator: run a figure function under :func:`style` (text takes its size when created)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style():
            return func(*args, **kwargs)

    return wrapper


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(6.4, 4.8), **kwargs):
    """``plt.subplots`` with a constrained layout, so labels and colour bars are never clipped."""
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", **kwargs)
    fig.get_layout_engine().set(h_pad=0.08, w_pad=0.06)  # a little air between titles
    return fig, axes


def get_ax(ax, figsize=(6.4, 4.8)):
    """``ax`` itself, or the single Axes of a new figure when ``ax`` is None."""
    if ax is None:
        _, ax = new_figure(figsize=figsize)
    return ax


def text_color_for(value: float, vmin: float, vmax: float, cmap) -> str:
    """Black or white, whichever reads better on the colour of ``value`` in ``cmap``."""
    cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
    span = (vmax - vmin) or 1.0
    r, g, b, _ = cmap(float(np.clip((value - vmin) / span, 0.0, 1.0)))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.5 else "white"


def save_figure(fig, path, *, dpi: int = DPI):
    """Write ``fig`` as a PNG (to a path or a binary file object) whose bytes depend only on
    the figure: no software version and no date in the metadata."""
    if isinstance(path, (str, os.PathLike)):
        path = Path(path)
    with style():
        fig.savefig(
            path,
            dpi=dpi,
            format="png",
            metadata={"Software": None},
            bbox_inches="tight",
            pad_inches=0.15,
        )
    return path


def close(fig) -> None:
    """Release a figure made outside pyplot's interactive loop (the CLI makes dozens)."""
    plt.close(fig)
