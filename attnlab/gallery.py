"""The gallery: every named figure attnlab draws, built the same way for ``es`` and ``en``.

Each builder takes the data from :mod:`attnlab.experiments` (example layers, the synthetic book,
the shipped trained models) and hands it to a drawing function of :mod:`attnlab.viz`, so the
Spanish and English pictures show the same numbers. The names are known without matplotlib
(``attnlab figures --list``); drawing needs the ``viz`` extra.

    from attnlab import gallery
    fig = gallery.build("softmax_scaling", lang="es")
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import experiments, gallery_gpt
from . import gallery_positions as positions
from .i18n import check_language

VIZ_HINT = "pip install 'attnlab[viz]'"


def _viz():
    """:mod:`attnlab.viz`, imported when a figure is first drawn (it imports matplotlib)."""
    from . import viz

    return viz


def _tokens(lang: str) -> list[str]:
    return _viz().text("tokens", lang).split()


def attention_heatmap(lang: str):
    viz = _viz()
    words = _tokens(lang)
    causal_weights = experiments.example_layer()[1][0]  # (T, T) head 0
    causal = np.tril(np.ones(causal_weights.shape, dtype=bool))  # (T, T)
    title = viz.text("heatmap_title", lang)
    ax = viz.attention_heatmap(causal_weights, words, words, mask=causal, title=title, lang=lang)
    return ax.figure


def attention_heads(lang: str):
    viz = _viz()
    weights = experiments.example_layer()[0]  # (H, T, T)
    words = _tokens(lang)
    title = viz.text("heads_title", lang, h=len(weights))
    return viz.heads_grid(weights, words, words, title=title, lang=lang)


def attention_layers(lang: str):
    viz = _viz()
    maps = experiments.example_stack()
    words = _tokens(lang)
    title = viz.text("layers_title", lang, head=0, n=len(maps))
    return viz.layers_grid(maps, 0, words, words, lang=lang, title=title)


def attention_masks(lang: str):
    return _viz().masks_side_by_side(lang=lang)


def softmax_temperature(lang: str):
    return _viz().softmax_temperature(lang=lang)


def softmax_scaling(lang: str):
    return _viz().scaling_effect(lang=lang)


def positional_table(lang: str):
    return _viz().sinusoidal_table(lang=lang).figure


def positional_curves(lang: str):
    return _viz().sinusoidal_curves(lang=lang).figure


def positional_similarity(lang: str):
    return _viz().position_similarity(lang=lang)


def positional_learned(lang: str):
    return _viz().learnable_positions(experiments.shipped_learned_positions(), lang=lang)


def orderbook_snapshot(lang: str):
    lob, labels, _ = experiments.example_book()
    t = 300
    return _viz().orderbook_snapshot(lob.book, t, label=labels[t], lang=lang)


def orderbook_labels(lang: str):
    lob, labels, horizon = experiments.example_book()
    return _viz().midprice_labels(lob.mid, labels, horizon=horizon, lang=lang).figure


def _trained_maps(kind: str, lang: str):
    viz = _viz()
    maps = experiments.tlob_run()[0]
    subtitle = viz.text("trained_windows", lang, n=len(maps[0][1]))
    return viz.tlob_attention(maps, kind, subtitle=subtitle, lang=lang)


def tlob_temporal(lang: str):
    return _trained_maps("temporal", lang)


def tlob_features(lang: str):
    return _trained_maps("feature", lang)


def tlob_training(lang: str):
    return _viz().training_curves(experiments.tlob_run()[1], lang=lang)


def tlob_confusion(lang: str):
    return _viz().confusion_matrix(experiments.tlob_run()[2], lang=lang).figure


FIGURES: dict[str, Callable] = {
    "attention_heatmap": attention_heatmap,
    "attention_heads": attention_heads,
    "attention_layers": attention_layers,
    "attention_masks": attention_masks,
    "softmax_temperature": softmax_temperature,
    "softmax_scaling": softmax_scaling,
    "positional_table": positional_table,
    "positional_curves": positional_curves,
    "positional_similarity": positional_similarity,
    "positional_learned": positional_learned,
    "orderbook_snapshot": orderbook_snapshot,
    "orderbook_labels": orderbook_labels,
    "tlob_temporal": tlob_temporal,
    "tlob_features": tlob_features,
    "tlob_training": tlob_training,
    "tlob_confusion": tlob_confusion,
    "gpt_attention": gallery_gpt.gpt_attention,
    "gpt_training": gallery_gpt.gpt_training,
    "decoding_distributions": gallery_gpt.decoding_distributions,
    "kv_cache_cost": gallery_gpt.kv_cache_cost,
    "rope_rotation": positions.rope_rotation,
    "alibi_bias": positions.alibi_bias,
    "position_extrapolation": positions.position_extrapolation,
}


def names() -> list[str]:
    """Every figure name, in gallery order (no matplotlib needed)."""
    return list(FIGURES)


def build(name: str, lang: str = "en"):
    """Draw the gallery figure ``name`` in ``lang`` and return its Figure (not shown, not saved).

    Raises KeyError for an unknown name (listing the valid ones), ValueError for an unknown
    language and ImportError naming the ``viz`` extra when matplotlib is not installed.
    """
    check_language(lang)
    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")
    return FIGURES[name](lang)


__all__ = ["FIGURES", "build", "names"]
