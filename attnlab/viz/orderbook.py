"""The limit order book: one snapshot as a price ladder and a depth chart, and the mid-price
over time coloured by TLOB's labels (0 up, 1 stationary, 2 down).

Colours come from the Okabe-Ito palette (blue for bids and "up", vermillion for asks and
"down"), and never alone: asks are hatched, sides are labelled where they are drawn, and each
label has its own marker and its own row in a strip under the price.

Snapshots are rows in FI-2010 column order: for each of the L levels, ask price, ask volume,
bid price, bid volume (40 columns for 10 levels).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..i18n import check_language
from .strings import class_names, text
from .style import (
    ASK_COLOR,
    ASK_HATCH,
    BID_COLOR,
    BID_HATCH,
    CLASS_COLORS,
    CLASS_MARKERS,
    get_ax,
    new_figure,
    styled,
)


def split_levels(snapshot) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(ask_price, ask_volume, bid_price, bid_volume)``, each (L,), from one FI-2010 row."""
    row = np.asarray(snapshot, dtype=np.float64)
    if row.ndim != 1 or row.size % 4:
        raise ValueError(
            f"snapshot must be one FI-2010 row of 4 x levels values, got shape {row.shape}"
        )
    levels = row.reshape(-1, 4)  # (L, 4)
    return levels[:, 0], levels[:, 1], levels[:, 2], levels[:, 3]


@styled
def depth_chart(snapshot, *, ax=None, title: str | None = None, lang: str = "en"):
    """Cumulative volume by price: bids grow to the left of the mid-price, asks to its right."""
    check_language(lang)
    ask_p, ask_v, bid_p, bid_v = split_levels(snapshot)
    ax = get_ax(ax, figsize=(8.0, 4.8))
    mid = (ask_p[0] + bid_p[0]) / 2.0
    sides = (
        (bid_p, bid_v, BID_COLOR, BID_HATCH, "bids", "-"),
        (ask_p, ask_v, ASK_COLOR, ASK_HATCH, "asks", "--"),
    )
    for prices, volumes, color, hatch, key, style in sides:  # prices run away from the mid
        depth = np.cumsum(volumes)  # (L,) volume available at this price or better
        ax.fill_between(
            prices, depth, step="post", facecolor=color, alpha=0.3, hatch=hatch, edgecolor=color
        )
        ax.step(
            prices, depth, where="post", color=color, linewidth=2.2, linestyle=style,
            label=text(key, lang),
        )  # fmt: skip
        far = int(np.argmax(np.abs(prices - mid)))  # the deepest level: label the side there
        ax.text(
            prices[far], depth[far], " " + text(key + "_short", lang) + " ", color="black",
            ha="left" if key == "bids" else "right", va="bottom", fontsize=12, fontweight="bold",
        )  # fmt: skip
    ax.axvline(mid, color="black", linestyle="--", linewidth=1.2, label=text("mid_price", lang))
    ax.set_xlabel(text("price", lang))
    ax.set_ylabel(text("cum_volume", lang))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center")
    if title:
        ax.set_title(title)
    return ax


@styled
def book_ladder(snapshot, *, ax=None, title: str | None = None, lang: str = "en"):
    """The book as a ladder: one horizontal bar per price level, asks above, bids below."""
    check_language(lang)
    ask_p, ask_v, bid_p, bid_v = split_levels(snapshot)
    ax = get_ax(ax, figsize=(6.0, 6.0))
    tick = float(np.min(np.diff(np.sort(np.concatenate([bid_p, ask_p])))))  # smallest price step
    ax.barh(
        ask_p, ask_v, height=0.8 * tick, color=ASK_COLOR, hatch=ASK_HATCH, edgecolor="white",
        label=text("asks", lang),
    )  # fmt: skip
    ax.barh(
        bid_p, bid_v, height=0.8 * tick, color=BID_COLOR, hatch=BID_HATCH, label=text("bids", lang)
    )
    mid = (ask_p[0] + bid_p[0]) / 2.0
    sides = ((ask_p, ask_v, "asks_short", ASK_COLOR), (bid_p, bid_v, "bids_short", BID_COLOR))
    for prices, volumes, key, color in sides:  # name each side beside its farthest level
        far = int(np.argmax(np.abs(prices - mid)))
        ax.annotate(
            text(key, lang), xy=(volumes[far], prices[far]), xytext=(6, 0),
            textcoords="offset points", va="center", ha="left", fontsize=12,
            fontweight="bold", color=color,
        )  # fmt: skip
    ax.axhline(mid, color="black", linestyle="--", linewidth=1.2)
    vmax = float(max(ask_v.max(), bid_v.max()))
    ax.annotate(
        f"{text('spread', lang)} = {ask_p[0] - bid_p[0]:.2f}",
        xy=(0.62 * vmax, mid),
        va="center",
        ha="left",
        fontsize=11,
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "#555555"},
    )
    ax.set_xlabel(text("volume", lang))
    ax.set_ylabel(text("price", lang))
    ax.set_xlim(0, 1.05 * vmax)
    ax.legend(loc="lower right")
    if title:
        ax.set_title(title)
    return ax


@styled
def orderbook_snapshot(book, t: int, *, label: int | None = None, lang: str = "en"):
    """Event ``t`` of ``book`` (N, 4L): the ladder and the depth chart side by side.

    ``label`` (0 up, 1 stationary, 2 down), when given, is named in the title.
    """
    check_language(lang)
    book = np.asarray(book, dtype=np.float64)  # (N, 4L)
    levels = book.shape[1] // 4
    fig, (left, right) = new_figure(1, 2, figsize=(14.0, 5.6), width_ratios=(1.0, 1.4))
    book_ladder(book[t], ax=left, title=text("ladder", lang), lang=lang)
    depth_chart(book[t], ax=right, title=text("depth", lang), lang=lang)
    title = text("depth_title", lang, t=t, levels=levels)
    if label is not None:
        title += "\n" + text("event_label", lang, name=class_names(lang)[int(label)])
    fig.suptitle(title)
    return fig


@styled
def midprice_labels(mid, labels, *, horizon: int, start: int = 0, ax=None, lang: str = "en"):
    """The mid-price over events, each segment coloured by the label of its event, with a
    marker (▲ up, ● stationary, ▼ down) every few events; without ``ax``, a strip underneath
    puts each event's label in its own row, so the classes read without colour too.

    ``labels`` (M,) label events ``start .. start + M - 1`` (events near the end have no label
    because their future is unknown; they are drawn in black). Returns the price Axes.
    """
    check_language(lang)
    mid = np.asarray(mid, dtype=np.float64)  # (N,)
    labels = np.asarray(labels)
    strip = None
    if ax is None:
        fig, (ax, strip) = new_figure(
            2, 1, figsize=(12.0, 6.2), sharex=True, height_ratios=(3.0, 1.0)
        )
    t = np.arange(mid.size)  # (N,)
    segments = np.stack(
        [np.column_stack([t[:-1], mid[:-1]]), np.column_stack([t[1:], mid[1:]])], axis=1
    )
    colors = np.array(["black"] * (mid.size - 1), dtype=object)  # (N - 1,)
    event_label = np.full(mid.size, -1)  # (N,) -1: no label
    event_label[start : start + labels.size] = labels[: max(0, mid.size - start)]
    for c, color in enumerate(CLASS_COLORS):
        colors[np.nonzero(event_label[:-1] == c)[0]] = color
    ax.add_collection(LineCollection(segments, colors=list(colors), linewidths=2.0))
    every = max(1, mid.size // 40)  # about 40 markers along the line
    for c, (color, marker) in enumerate(zip(CLASS_COLORS, CLASS_MARKERS, strict=True)):
        marked = np.nonzero((event_label == c) & (t % every == 0))[0]
        ax.plot(
            t[marked], mid[marked], linestyle="none", marker=marker, markersize=8,
            color=color, markeredgecolor="black", markeredgewidth=0.6,
        )  # fmt: skip
    ax.set_xlim(0, mid.size - 1)
    pad = 0.05 * float(np.ptp(mid) or 1.0)
    ax.set_ylim(mid.min() - pad, mid.max() + pad)
    ax.set_ylabel(text("mid_price", lang))
    ax.grid(alpha=0.3)
    counts = [int(np.sum(labels == c)) for c in range(3)]
    names = class_names(lang)
    handles = [
        Line2D([], [], color=color, linewidth=3, marker=marker, markersize=9,
               markeredgecolor="black", markeredgewidth=0.6, label=f"{name} ({n})")
        for name, color, marker, n in zip(names, CLASS_COLORS, CLASS_MARKERS, counts, strict=True)
    ]  # fmt: skip
    if start + labels.size < mid.size:
        handles.append(Line2D([], [], color="black", linewidth=3, label=text("no_label", lang)))
    ax.legend(
        handles=handles,
        title=text("label_counts", lang),
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
    )
    ax.set_title(text("midprice_title", lang, h=horizon))
    if strip is None:
        ax.set_xlabel(text("event", lang))
        return ax
    for c, color in enumerate(CLASS_COLORS):  # one row per class: position says the class
        events = np.nonzero(event_label == c)[0]
        strip.vlines(events, 2 - c - 0.38, 2 - c + 0.38, color=color, linewidth=1.6)
    strip.set_yticks([2, 1, 0], names)
    strip.set_ylim(-0.6, 2.6)
    strip.set_xlabel(text("event", lang))
    strip.set_title(text("label_strip", lang), fontsize=13)
    strip.grid(axis="x", alpha=0.3)
    return ax
