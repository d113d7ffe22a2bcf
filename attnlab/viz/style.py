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
SIGNED_CMAP = "RdBu_r"
SIMILARITY_CMAP = "magma"  # sequential too, but not the weights' map: a similarity is no weight
MASKED_FACE = "#d0d0d0"  # light grey, hatched: "masked" must never look like "weight 0"
MASKED_EDGE = "#8c8c8c"
MASKED_HATCH = "///"
# One colour per TLOB class (0 up, 1 stationary, 2 down), also used for bids and asks.
UP_COLOR = "#1a9850"
FLAT_COLOR = "#7f7f7f"
DOWN_COLOR = "#d73027"
CLASS_COLORS = (UP_COLOR, FLAT_COLOR, DOWN_COLOR)
BID_COLOR = UP_COLOR
ASK_COLOR = DOWN_COLOR

# Readable from the back of a classroom.
RC = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "figure.titlesize": 15,
    "figure.dpi": 100,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "hatch.linewidth": 0.8,
    "svg.hashsalt": "attnlab",
}


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


def save_figure(fig, path, *, dpi: int = 100):
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
