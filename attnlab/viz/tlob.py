"""TLOB pictures: attention maps per layer (temporal T x T, feature maps over hidden features),
training curves, and the confusion matrix.

The maps come from ``model.attention_maps`` after a forward pass: a list of
``(kind, weights)`` with kind "temporal" or "feature" and weights (B, heads, N, N).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch, Rectangle

from ..i18n import check_language
from ..metrics import f1_per_class
from .strings import class_names, text
from .style import (
    CELL_FONTSIZE,
    HIGHLIGHT_COLOR,
    RATIO_CMAP,
    WEIGHTS_CMAP,
    new_figure,
    series_style,
    styled,
    text_color_for,
)


def maps_of_kind(maps, kind: str, *, head: int = 0, average: bool = True) -> list[np.ndarray]:
    """The (N, N) maps of every layer of ``kind``: the batch mean (or sample 0) of ``head``."""
    return [w for _, w in indexed_maps_of_kind(maps, kind, head=head, average=average)]


def indexed_maps_of_kind(maps, kind: str, *, head: int = 0, average: bool = True) -> list:
    """``[(layer index, (N, N) map), ...]`` for the layers of ``kind``: the index is the layer's
    place in the model (TLOB alternates temporal 0, 2, 4, ... and feature 1, 3, 5, ...)."""
    if kind not in ("temporal", "feature"):
        raise ValueError(f"kind must be 'temporal' or 'feature', got {kind!r}")
    out = []
    for i, (k, w) in enumerate(maps):
        if k != kind:
            continue
        w = np.asarray(w)  # (B, h, N, N)
        if w.ndim != 4:
            raise ValueError(f"attention weights must be (B, heads, N, N), got shape {w.shape}")
        out.append((i, w[:, head].mean(axis=0) if average else w[0, head]))  # (N, N)
    if not out:
        raise ValueError(f"no {kind} attention maps: is this a TLOB after a forward pass?")
    return out


def ratio_limit(ratios, floor: float = 4.0, cap: float = 64.0) -> float:
    """The shared colour range [1/R, R] of maps of weight x N: a power of 2 covering every
    map, never below ``floor`` (a nearly uniform map stays nearly white) nor above ``cap``
    (beyond it the colour bar's end arrows say "even further")."""
    logs = [np.abs(np.log2(np.clip(r, 1e-300, None))).max() for r in ratios]
    return float(min(cap, max(floor, 2.0 ** np.ceil(max(logs)))))


@styled
def tlob_attention(
    maps,
    kind: str = "temporal",
    *,
    head: int = 0,
    average: bool = True,
    subtitle: str | None = None,
    lang: str = "en",
):
    """One panel per layer of ``kind``: each weight times N (the number of keys), so 1 means
    "as much as a uniform row gives", on one shared log scale centred at 1 (white).

    ``maps`` is ``model.attention_maps``. With ``average`` the maps are averaged over the
    batch (what the layer does in general); otherwise sample 0 is shown. Panels are named by
    the layer's real index. In temporal maps, the last event (the one the window's label
    belongs to) is outlined. ``subtitle`` replaces the second title line.
    """
    import matplotlib as mpl

    check_language(lang)
    picked = indexed_maps_of_kind(maps, kind, head=head, average=average)
    ratios = [w * w.shape[1] for _, w in picked]  # (N, N) each: weight / (1 / N)
    limit = ratio_limit(ratios)
    norm = mpl.colors.LogNorm(vmin=1.0 / limit, vmax=limit)
    n = len(picked)
    fig, axes = new_figure(1, n, figsize=(4.8 * n + 1.4, 5.6), squeeze=False)
    axis_key = "window_event" if kind == "temporal" else "hidden_channel"
    for col, (ax, (layer, _), ratio) in enumerate(zip(axes[0], picked, ratios, strict=True)):
        N = ratio.shape[0]
        image = ax.imshow(ratio, cmap=RATIO_CMAP, norm=norm, interpolation="nearest")
        step = max(1, N // 4)
        ax.set_xticks(np.arange(0, N, step))
        ax.set_yticks(np.arange(0, N, step))
        for side in ("top", "right"):
            ax.spines[side].set_visible(True)
        name = "tlob_layer_temporal" if kind == "temporal" else "tlob_layer_feature"
        ax.set_title(text(name, lang, n=layer, n_tokens=N))
        ax.set_xlabel(text(axis_key, lang) + " (" + text("key", lang) + ")")
        if col == 0:
            ax.set_ylabel(text(axis_key, lang) + " (" + text("query", lang) + ")")
        if kind == "temporal":  # the labelled event: the last one of the window
            ax.add_patch(
                Rectangle(
                    (-0.5, N - 1.5), N, 1.0, fill=False, edgecolor="black", linewidth=2.2,
                    clip_on=False, zorder=3,
                )
            )  # fmt: skip
    top = int(np.log2(limit))
    ticks = [2.0**k for k in range(-top, top + 1, 1 if top <= 3 else 2)]
    beyond = any(r.max() > limit or r.min() < 1.0 / limit for r in ratios)
    cbar = fig.colorbar(
        image, ax=axes, shrink=0.85, pad=0.02, ticks=ticks, extend="both" if beyond else "neither"
    )
    cbar.ax.set_yticklabels([f"×{t:g}" if t >= 1 else f"×1/{1 / t:g}" for t in ticks])
    cbar.ax.minorticks_off()
    cbar.set_label(text("ratio_to_uniform", lang))
    if kind == "temporal":
        framed = Patch(facecolor="none", edgecolor="black", linewidth=2.2)
        fig.legend(
            [framed], [text("labelled_event", lang)], loc="outside lower center", frameon=False
        )
    title = text("tlob_temporal_title" if kind == "temporal" else "tlob_feature_title", lang)
    if subtitle is None:
        n_windows = len(maps[0][1])
        subtitle = (
            text("mean_of_windows", lang, n=n_windows) if average else text("one_window", lang)
        )
    fig.suptitle(f"{title}\n({subtitle})")
    return fig


@styled
def training_curves(history, *, baselines=None, lang: str = "en"):
    """Loss (train and validation) and validation macro-F1 per epoch; the kept epoch marked.

    ``history`` is a mapping (or object) with ``train_loss``, ``val_loss``, ``val_f1`` lists and
    optionally ``best_epoch`` (0-based: the epoch of the lowest validation loss, the one kept).
    ``baselines`` (optional) may hold ``prior_loss`` (always predicting the training class
    frequencies) and ``majority_f1`` (always the majority class); chance, ln 3, is always drawn.
    """
    check_language(lang)
    get = history.get if hasattr(history, "get") else lambda k, d=None: getattr(history, k, d)
    train_loss = np.asarray(get("train_loss"), dtype=np.float64)  # (epochs,)
    val_loss = np.asarray(get("val_loss"), dtype=np.float64)  # (epochs,)
    val_f1 = np.asarray(get("val_f1"), dtype=np.float64)  # (epochs,)
    best = get("best_epoch", None)
    baselines = dict(baselines or {})
    epochs = np.arange(1, train_loss.size + 1)
    fig, (left, right) = new_figure(1, 2, figsize=(13.0, 5.2))
    left.plot(epochs, train_loss, label=text("train", lang), **series_style(0, linewidth=2))
    left.plot(epochs, val_loss, label=text("validation", lang), **series_style(1, linewidth=2))
    chance = float(np.log(3.0))
    left.axhline(chance, color="black", linestyle=":", linewidth=1.8,
                 label=text("chance_loss", lang, v=chance))  # fmt: skip
    if "prior_loss" in baselines:
        left.axhline(baselines["prior_loss"], color="#777777", linestyle="-.", linewidth=1.8,
                     label=text("prior_loss", lang, v=baselines["prior_loss"]))  # fmt: skip
    left.set_ylabel(text("loss", lang))
    right.plot(epochs, val_f1, label=text("validation", lang), **series_style(1, linewidth=2))
    if "majority_f1" in baselines:
        right.axhline(baselines["majority_f1"], color="#777777", linestyle="--", linewidth=1.8,
                      label=text("majority_f1", lang, v=baselines["majority_f1"]))  # fmt: skip
    right.set_ylabel(text("macro_f1", lang))
    right.set_ylim(0.0, 1.0)
    for ax in (left, right):
        if best is not None and best >= 0:
            ax.axvline(
                best + 1,
                color=HIGHLIGHT_COLOR,
                linestyle="--",
                linewidth=2.2,
                label=text("best_epoch", lang),
            )
        ax.set_xlabel(text("epoch", lang))
        ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
    handles, labels = left.get_legend_handles_labels()
    for handle, label in zip(*right.get_legend_handles_labels(), strict=True):
        if label not in labels:  # one entry per line, shared by both panels
            handles.append(handle)
            labels.append(label)
    fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False)
    fig.suptitle(text("curves_title", lang))
    return fig


@styled
def confusion_matrix(confusion, *, ax=None, lang: str = "en"):
    """A 3 x 3 confusion matrix (rows = true class), coloured by row fraction, with counts."""
    try:
        import seaborn as sns
    except ImportError as err:
        raise ImportError(
            "the confusion matrix is drawn with seaborn, which is not installed: "
            "pip install 'attnlab[viz]'"
        ) from err

    check_language(lang)
    cm = np.asarray(confusion, dtype=np.float64)  # (C, C)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(f"confusion must be a square (C, C) matrix, got shape {cm.shape}")
    frac = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1.0)  # (C, C) row-normalised
    names = class_names(lang) if cm.shape[0] == 3 else [str(i) for i in range(cm.shape[0])]
    if ax is None:
        _, ax = new_figure(figsize=(6.8, 5.6))
    labels = np.array(
        [
            [f"{f:.2f}\n({int(c)})" for f, c in zip(fr, cr, strict=True)]
            for fr, cr in zip(frac, cm, strict=True)
        ]
    )
    sns.heatmap(
        frac,
        ax=ax,
        vmin=0.0,
        vmax=1.0,
        cmap=WEIGHTS_CMAP,
        annot=False,
        square=True,
        linewidths=1.0,
        linecolor="white",
        cbar_kws={"label": text("fraction", lang)},
        xticklabels=names,
        yticklabels=names,
    )
    for (i, j), f in np.ndenumerate(frac):
        ax.text(
            j + 0.5,
            i + 0.5,
            labels[i, j],
            ha="center",
            va="center",
            fontsize=max(CELL_FONTSIZE, 13),
            color=text_color_for(f, 0.0, 1.0, WEIGHTS_CMAP),
        )
    ax.set_xlabel(text("predicted_class", lang))
    ax.set_ylabel(text("true_class", lang))
    ax.tick_params(axis="y", rotation=0)
    f1 = float(f1_per_class(cm).mean())
    accuracy = float(np.trace(cm) / max(cm.sum(), 1.0))
    ax.set_title(
        text("confusion_title", lang) + "\n" + text("confusion_scores", lang, f1=f1, acc=accuracy)
    )
    return ax
