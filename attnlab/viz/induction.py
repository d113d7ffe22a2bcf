"""Induction heads: every head's map on one repeated sequence, and the phase change.

Both figures draw what :mod:`attnlab.experiments.induction` measured; nothing is computed here
beyond picking which head to highlight (the best score of each kind).
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch, Rectangle

from ..i18n import check_language
from .heatmaps import layer_head_grid, masked_legend_handle
from .strings import text
from .style import HIGHLIGHT_COLOR, OKABE_ITO, PALETTE, new_figure, styled

SPAN_COLORS = ("#bbbbbb", OKABE_ITO["sky_blue"])  # first occurrence, its copy


def _mark_spans(ax, spans, T: int) -> None:
    """Bars under the key axis and left of the query axis: where the segment and its copy sit."""
    for (start, stop), color in zip(spans, SPAN_COLORS, strict=True):
        for rect in (
            Rectangle((start - 0.5, T - 0.5), stop - start, 1.6, clip_on=False),  # under x
            Rectangle((-2.1, start - 0.5), 1.6, stop - start, clip_on=False),  # left of y
        ):
            rect.set(facecolor=color, edgecolor="none", zorder=4)
            ax.add_patch(rect)


@styled
def induction_heads_grid(
    maps, spans, prev_scores, ind_scores, *, seed: int = 0, n_eval: int = 128, lang: str = "en"
):
    """Every head of a 2-layer model on one sequence (``maps``: one (H, T, T) per layer).

    ``spans`` = ((start, stop) of the first occurrence, (start, stop) of the copy);
    ``prev_scores``, ``ind_scores`` (L, H) measured on held-out sequences. The head with the
    best previous-token score in layer 0 and the one with the best induction score in layer
    1 are framed and named.
    """
    check_language(lang)
    prev, ind = np.asarray(prev_scores), np.asarray(ind_scores)  # (L, H)
    L, H = prev.shape
    titles = [
        [text("ind_panel", lang, h=h, p=prev[l, h], i=ind[l, h]) for h in range(H)]
        for l in range(L)
    ]
    marks = {
        (0, int(np.argmax(prev[0]))): text("prev_head_tag", lang),
        (L - 1, int(np.argmax(ind[L - 1]))): text("ind_head_tag", lang),
    }
    T = np.asarray(maps[0]).shape[-1]
    causal = np.tril(np.ones((T, T), dtype=bool))  # (T, T)
    title = text("ind_grid_title", lang) + "\n" + text("ind_grid_note", lang, seed=seed, n=n_eval)
    fig = layer_head_grid(
        maps, mask=causal, titles=titles, marks=marks, title=title, panel_size=3.1, lang=lang
    )
    step = 16 if T > 32 else 4
    for ax in (ax for ax in fig.axes if ax.images):
        _mark_spans(ax, spans, T)
        ax.set_xticks(np.arange(0, T, step))
        ax.set_yticks(np.arange(0, T, step))
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    handles = [
        Patch(facecolor=SPAN_COLORS[0], label=text("first_time", lang)),
        Patch(facecolor=SPAN_COLORS[1], label=text("repeat", lang)),
        masked_legend_handle(lang),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False)
    return fig


FORMED = 0.5  # an induction score this high means the head has formed (README, lesson 12)


def steepest_fall(steps, losses) -> int:
    """The evaluation step after which the loss fell the most (the phase change)."""
    drops = -np.diff(np.asarray(losses, dtype=np.float64))  # (E - 1,)
    return int(np.asarray(steps)[int(np.argmax(drops)) + 1])


@styled
def phase_change(history, *, vocab_size: int, seed: int = 0, lang: str = "en"):
    """Left: loss on in-repeat tokens and on the others, per step, with ln V. Right: every
    head's scores per step, the best previous-token head of layer 0 and the best induction
    head of the last layer drawn thick. ``history`` is an :class:`InductionHistory` (or its
    dict). When the best induction head of the last layer scores at least ``FORMED`` at the end,
    the step of the steepest fall of the in-repeat loss is marked on both panels; otherwise the
    title says that no phase change has happened (yet) and nothing is marked."""
    check_language(lang)
    get = history.get if hasattr(history, "get") else lambda k: getattr(history, k)
    steps = np.asarray(get("eval_steps"))  # (E,)
    prev = np.asarray(get("previous_token"))  # (E, L, H)
    ind = np.asarray(get("induction"))  # (E, L, H)
    fig, (left, right) = new_figure(1, 2, figsize=(13.0, 5.4))
    left.plot(steps, get("loss_repeat"), color=PALETTE[0], linewidth=2.5, linestyle="-",
              label=text("loss_repeat", lang))  # fmt: skip
    left.plot(steps, get("loss_other"), color=PALETTE[1], linewidth=2.5, linestyle="--",
              label=text("loss_other", lang))  # fmt: skip
    ln_v = float(np.log(vocab_size))
    left.axhline(
        ln_v, color="black", linestyle=":", linewidth=1.5, label=text("ln_v", lang, v=ln_v)
    )
    left.set_ylim(0.0, ln_v * 1.15)
    left.set_ylabel(text("loss_nats", lang))
    left.set_title(text("phase_losses", lang))
    L, H = prev.shape[1:]
    h_prev, h_ind = int(np.argmax(prev[-1, 0])), int(np.argmax(ind[-1, L - 1]))
    for layer in range(L):
        for h in range(H):
            for score, chosen in (
                (prev, layer == 0 and h == h_prev),
                (ind, layer == L - 1 and h == h_ind),
            ):
                if not chosen:
                    right.plot(steps, score[:, layer, h], color="#bbbbbb", linewidth=1.0, zorder=1)
    right.plot([], [], color="#bbbbbb", linewidth=1.0, label=text("other_heads", lang))
    right.plot(steps, prev[:, 0, h_prev], color=PALETTE[2], linewidth=2.8, linestyle="-.",
               label=text("prev_score_line", lang, h=h_prev))  # fmt: skip
    right.plot(steps, ind[:, L - 1, h_ind], color=PALETTE[0], linewidth=2.8, linestyle="-",
               label=text("ind_score_line", lang, h=h_ind))  # fmt: skip
    right.set_ylim(0.0, 1.02)
    right.set_ylabel(text("induction_score_axis", lang))
    right.set_title(text("phase_scores", lang))
    best = float(ind[-1, L - 1].max())  # the best induction score at the last evaluation
    formed = best >= FORMED  # no head yet (a short run, or a seed that never forms one)
    for ax in (left, right):
        if formed:  # only a run whose heads formed has a phase change to mark
            change = steepest_fall(steps, get("loss_repeat"))
            ax.axvline(change, color=HIGHLIGHT_COLOR, linewidth=2.5, linestyle=":",
                       label=text("phase_change_at", lang), zorder=0)  # fmt: skip
        ax.set_xlabel(text("step", lang))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=1, frameon=False)
    if formed:
        fig.suptitle(text("phase_title", lang, seed=seed))
    else:
        fig.suptitle(text("phase_title_none", lang, seed=seed, best=best, t=FORMED))
    return fig


class LivePhaseChange:
    """A :func:`phase_change` figure that redraws itself while a model trains (in a notebook).

    Pass it as ``callback`` to :func:`attnlab.experiments.train_induction`: after every
    evaluation the same output cell shows the curves so far. Outside IPython it draws nothing.
    """

    def __init__(self, vocab_size: int, *, seed: int = 0, lang: str = "en"):
        check_language(lang)
        self.vocab_size, self.seed, self.lang = vocab_size, seed, lang
        self._handle = None

    def __call__(self, history) -> None:
        import matplotlib.pyplot as plt

        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        if get_ipython() is None:
            return
        fig = phase_change(history, vocab_size=self.vocab_size, seed=self.seed, lang=self.lang)
        if self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)
        plt.close(fig)
