"""TLOB pictures: attention maps per layer (temporal T x T, feature maps over hidden features),
training curves, and the confusion matrix.

The maps come from ``model.attention_maps`` after a forward pass: a list of
``(kind, weights)`` with kind "temporal" or "feature" and weights (B, heads, N, N).
"""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from .heatmaps import attention_heatmap
from .strings import class_names, text
from .style import WEIGHTS_CMAP, new_figure, styled, text_color_for


def maps_of_kind(maps, kind: str, *, head: int = 0, average: bool = True) -> list[np.ndarray]:
    """The (N, N) maps of every layer of ``kind``: the batch mean (or sample 0) of ``head``."""
    if kind not in ("temporal", "feature"):
        raise ValueError(f"kind must be 'temporal' or 'feature', got {kind!r}")
    out = []
    for k, w in maps:
        if k != kind:
            continue
        w = np.asarray(w)  # (B, h, N, N)
        if w.ndim != 4:
            raise ValueError(f"attention weights must be (B, heads, N, N), got shape {w.shape}")
        out.append(w[:, head].mean(axis=0) if average else w[0, head])  # (N, N)
    if not out:
        raise ValueError(f"no {kind} attention maps: is this a TLOB after a forward pass?")
    return out


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
    """One panel per layer of ``kind``, each on its own colour scale (maps differ in size).

    ``maps`` is ``model.attention_maps``. With ``average`` the maps are averaged over the
    batch (what the layer does in general); otherwise sample 0 is shown. ``subtitle`` replaces
    the second title line (by default it says which windows are shown).
    """
    check_language(lang)
    picked = maps_of_kind(maps, kind, head=head, average=average)
    n = len(picked)
    fig, axes = new_figure(1, n, figsize=(4.9 * n + 0.6, 4.6), squeeze=False)
    axis_key = "time_step" if kind == "temporal" else "feature"
    for i, (ax, w) in enumerate(zip(axes[0], picked, strict=True)):
        attention_heatmap(
            w,
            ax=ax,
            annotate=False,
            vmax=None,
            colorbar=True,
            lang=lang,
            title=text("tlob_layer", lang, n=i, n_tokens=w.shape[0], u=1.0 / w.shape[1]),
        )
        ax.set_xlabel(text(axis_key, lang) + " (" + text("key", lang) + ")")
        ax.set_ylabel(text(axis_key, lang) + " (" + text("query", lang) + ")" if i == 0 else "")
        # Dashed line on the colour bar at 1/N: what every key gets from a perfectly even row.
        cbar = ax.images[0].colorbar
        uniform = 1.0 / w.shape[1]
        if uniform <= w.max():
            cbar.ax.axhline(uniform, color="white", linewidth=2.0)
            cbar.ax.axhline(uniform, color="black", linewidth=1.0, linestyle="--")
    title = text("tlob_temporal_title" if kind == "temporal" else "tlob_feature_title", lang)
    if subtitle is None:
        n_windows = len(maps[0][1])
        subtitle = (
            text("mean_of_windows", lang, n=n_windows) if average else text("one_window", lang)
        )
    fig.suptitle(f"{title}\n({subtitle})")
    return fig


@styled
def training_curves(history, *, lang: str = "en"):
    """Loss (train and validation) and validation macro-F1 per epoch; the kept epoch marked.

    ``history`` is a mapping (or object) with ``train_loss``, ``val_loss``, ``val_f1`` lists and
    optionally ``best_epoch`` (0-based).
    """
    check_language(lang)
    get = history.get if hasattr(history, "get") else lambda k, d=None: getattr(history, k, d)
    train_loss = np.asarray(get("train_loss"), dtype=np.float64)  # (epochs,)
    val_loss = np.asarray(get("val_loss"), dtype=np.float64)  # (epochs,)
    val_f1 = np.asarray(get("val_f1"), dtype=np.float64)  # (epochs,)
    best = get("best_epoch", None)
    epochs = np.arange(1, train_loss.size + 1)
    fig, (left, right) = new_figure(1, 2, figsize=(12.0, 4.6))
    left.plot(epochs, train_loss, marker="o", linewidth=2, label=text("train", lang))
    left.plot(epochs, val_loss, marker="s", linewidth=2, label=text("validation", lang))
    left.set_ylabel(text("loss", lang))
    right.plot(
        epochs, val_f1, marker="s", linewidth=2, color="#ff7f0e", label=text("validation", lang)
    )
    right.set_ylabel(text("macro_f1", lang))
    for ax in (left, right):
        if best is not None and best >= 0:
            ax.axvline(
                best + 1,
                color="black",
                linestyle=":",
                linewidth=1.2,
                label=text("best_epoch", lang),
            )
        ax.set_xlabel(text("epoch", lang))
        ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend()
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
            fontsize=13,
            color=text_color_for(f, 0.0, 1.0, WEIGHTS_CMAP),
        )
    ax.set_xlabel(text("predicted_class", lang))
    ax.set_ylabel(text("true_class", lang))
    ax.tick_params(axis="y", rotation=0)
    ax.set_title(text("confusion_title", lang))
    return ax
