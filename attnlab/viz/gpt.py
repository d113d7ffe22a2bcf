"""Pictures of a small GPT: its heads on a sentence and its training (a live curve too).
Every function draws the arrays it is given (see :mod:`attnlab.experiments.gpt` for where
the gallery's come from); decoding has its own module, :mod:`attnlab.viz.decoding`.

Colours are the Okabe-Ito palette (safe for every common colour-vision deficiency) and every
line also has its own style, marker or direct label, so nothing depends on colour alone.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Polygon

from ..i18n import check_language
from ..metrics import moving_average
from .heatmaps import attention_heatmap, masked_legend_handle
from .strings import text
from .style import MASKED_EDGE, MASKED_FACE, MASKED_HATCH, new_figure, styled

# Okabe & Ito (2008), "Color Universal Design"
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY, PURPLE, GREY = "#56B4E9", "#CC79A7", "#7f7f7f"
BIG = dict(fontsize=14)  # axis labels and titles readable from the back of a classroom


@styled
def gpt_heads(maps, labels, titles, *, suptitle=None, marks=(), lang: str = "en"):
    """Attention maps (T, T) of a few heads on the same text, side by side.

    ``labels``: the T characters (tick labels); ``marks``: positions whose labels are drawn
    bold (e.g. the opening marks a head looks for). The future (upper triangle) is hatched.
    """
    check_language(lang)
    maps = [np.asarray(m, dtype=np.float64) for m in maps]
    T = len(labels)
    if any(m.shape != (T, T) for m in maps):
        raise ValueError(
            f"every map must be ({T}, {T}) for {T} labels, got {[m.shape for m in maps]}"
        )
    if len(titles) != len(maps):
        raise ValueError(f"got {len(titles)} titles for {len(maps)} maps")
    fig, axes = new_figure(1, len(maps), figsize=(8.2 * len(maps), 8.6), squeeze=False)
    for ax, w, title in zip(axes[0], maps, titles, strict=True):
        attention_heatmap(w, labels, labels, annotate=False, vmax=1.0, ax=ax, lang=lang)
        _hatch_future(ax, T, lang)
        ax.set_xticks(np.arange(T), labels, rotation=0, ha="center", fontsize=11)
        ax.set_yticks(np.arange(T), labels, fontsize=11)
        for i in marks:  # the marks' labels in bold vermillion: colour and weight
            for tick in (ax.get_xticklabels()[i], ax.get_yticklabels()[i]):
                tick.set_fontweight("bold")
                tick.set_color(VERMILLION)
        ax.set_title(title, fontsize=13, loc="left")
    if suptitle:
        fig.suptitle(suptitle, fontsize=16)
    return fig


def _hatch_future(ax, T: int, lang: str) -> None:
    """Hatch the keys after each query (the causal mask's False cells) as one staircase
    polygon: the same picture as one hatched square per cell, drawn much faster."""
    if T < 2:
        return
    # the right edge, then down the stairs from row T - 2 back to row 0 (rows grow downwards)
    stairs = [p for i in range(T - 2, -1, -1) for p in ((i + 0.5, i + 0.5), (i + 0.5, i - 0.5))]
    corners = [(T - 0.5, -0.5), (T - 0.5, T - 1.5), *stairs]
    ax.add_patch(
        Polygon(
            corners,
            closed=True,
            facecolor=MASKED_FACE,
            edgecolor=MASKED_EDGE,
            hatch=MASKED_HATCH,
            linewidth=0.0,
            zorder=2,
        )
    )
    ax.legend(handles=[masked_legend_handle(lang)], loc="upper right", framealpha=0.95)


def _baseline(ax, y, label, style, color, x_end) -> None:
    ax.axhline(y, color=color, linestyle=style, linewidth=2)
    ax.text(x_end, y, " " + label, color=color, va="bottom", ha="right", fontsize=12)


@styled
def gpt_loss_curves(record, *, window: int = 25, title=None, lang: str = "en"):
    """Training loss (each step, and its moving mean), validation loss, and the baselines.

    ``record``: an object or mapping with ``steps``, ``train_loss``, ``eval_steps``,
    ``val_loss``, ``bigram_loss``, ``unigram_loss``, ``uniform_loss`` (nats) and
    ``gpt_perplexity``, ``bigram_perplexity``: see :func:`attnlab.experiments.gpt.training_record`.
    """
    check_language(lang)
    get = record.get if hasattr(record, "get") else lambda k: getattr(record, k)
    steps = np.asarray(get("steps"))  # (N,)
    train = np.asarray(get("train_loss"), dtype=np.float64)  # (N,)
    fig, ax = new_figure(figsize=(12.0, 6.4))
    ax.plot(steps, train, color=SKY, linewidth=0.8, alpha=0.8, label=text("gpt_train_raw", lang))
    ax.plot(
        steps,
        moving_average(train, window),
        color=BLUE,
        linewidth=2.5,
        label=text("gpt_train_avg", lang),
    )
    val = np.asarray(get("val_loss"), dtype=np.float64)  # (M,)
    ax.plot(
        get("eval_steps"),
        val,
        color=ORANGE,
        linestyle="--",
        marker="s",
        markersize=9,
        linewidth=2.5,
        label=text("gpt_val", lang),
    )
    x_end = steps[-1]
    _baseline(
        ax,
        get("uniform_loss"),
        text("gpt_uniform", lang, loss=get("uniform_loss")),
        ":",
        GREY,
        x_end,
    )
    _baseline(
        ax,
        get("unigram_loss"),
        text("gpt_unigram", lang, loss=get("unigram_loss")),
        ":",
        PURPLE,
        x_end,
    )
    bigram = get("bigram_loss")
    _baseline(
        ax,
        bigram,
        text("gpt_bigram", lang, loss=bigram, ppl=get("bigram_perplexity")),
        "-.",
        VERMILLION,
        x_end,
    )
    ax.annotate(
        text("gpt_final", lang, loss=val[-1], ppl=get("gpt_perplexity")),
        xy=(get("eval_steps")[-1], val[-1]),
        xytext=(0.55, 0.3),
        textcoords="axes fraction",
        fontsize=13,
        arrowprops=dict(arrowstyle="->", color=ORANGE, linewidth=1.5),
    )
    ax.set_xlabel(text("gpt_step", lang), **BIG)
    ax.set_ylabel(text("gpt_loss", lang), **BIG)
    ax.set_ylim(0, max(float(train.max()), get("uniform_loss")) * 1.08)
    ax.set_xlim(0, x_end * 1.01)
    ax.grid(alpha=0.3)
    ax.legend(loc="center", bbox_to_anchor=(0.5, 0.58), fontsize=12)
    if title:
        ax.set_title(title, fontsize=15)
    return fig


class LiveLoss:
    """A loss curve that redraws itself during training (``train_gpt(..., callback=live)``).

    Every ``every`` steps it draws the loss so far against ``steps`` and the ``baseline``
    (e.g. the bigram's loss) in the notebook's output, replacing the previous drawing.
    """

    def __init__(self, steps: int, *, every: int = 10, baseline=None, lang: str = "en"):
        self.steps, self.every, self.baseline = steps, every, baseline
        self.lang = check_language(lang)
        self.handle = None

    @styled
    def draw(self, history):
        """The figure for the history so far (train loss per step, validation loss)."""
        fig, ax = new_figure(figsize=(9.0, 4.2))
        train = np.asarray(history.train_loss)
        ax.plot(
            np.arange(1, train.size + 1),
            train,
            color=BLUE,
            linewidth=1.5,
            label=text("gpt_train_raw", self.lang),
        )
        if history.val_loss:
            ax.plot(
                history.eval_steps,
                history.val_loss,
                color=ORANGE,
                linestyle="--",
                marker="s",
                markersize=8,
                label=text("gpt_val", self.lang),
            )
        if self.baseline is not None:
            ax.axhline(
                self.baseline,
                color=VERMILLION,
                linestyle="-.",
                linewidth=2,
                label=text(
                    "gpt_bigram", self.lang, loss=self.baseline, ppl=float(np.exp(self.baseline))
                ),
            )
        ax.set_xlim(0, self.steps)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(text("gpt_step", self.lang))
        ax.set_ylabel(text("gpt_loss", self.lang))
        ax.set_title(text("gpt_live_title", self.lang, step=train.size, steps=self.steps))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right")
        return fig

    def __call__(self, history) -> None:
        n = len(history.train_loss)
        if n % self.every and n != self.steps:
            return
        import matplotlib.pyplot as plt
        from IPython.display import display

        fig = self.draw(history)
        if self.handle is None:
            self.handle = display(fig, display_id=True)
        else:
            self.handle.update(fig)
        plt.close(fig)
