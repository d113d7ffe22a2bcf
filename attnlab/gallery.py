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


def _gpt_head(lang: str):
    """The shipped GPT's maps on a corpus clause, and the head that reads spaces the most."""
    r = experiments.gpt_sentence_attention(lang)
    layer, head = np.unravel_index(np.argmax(r.space_share), r.space_share.shape)
    return r, int(layer), int(head)


def attention_heatmap(lang: str):
    viz = _viz()
    r, layer, head = _gpt_head(lang)
    labels = viz.indexed_labels(r.tokens)
    causal = np.tril(np.ones((len(labels), len(labels)), dtype=bool))  # (T, T)
    title = (
        viz.text("gpt_heatmap_title", lang, l=layer, h=head)
        + "\n("
        + viz.text("gpt_heatmap_note", lang, share=r.space_share[layer, head])
        + ")"
    )
    weights = r.maps[layer][head]  # (T, T)
    ax = viz.attention_heatmap(weights, labels, labels, mask=causal, title=title, lang=lang)
    return ax.figure


def attention_heads(lang: str):
    viz = _viz()
    r, layer, _ = _gpt_head(lang)
    labels = viz.indexed_labels(r.tokens)
    causal = np.tril(np.ones((len(labels), len(labels)), dtype=bool))  # (T, T)
    weights = r.maps[layer]  # (H, T, T)
    titles = [
        viz.text("head_stats", lang, h=h, share=r.space_share[layer, h])
        for h in range(len(weights))
    ]
    title = (
        viz.text("gpt_heads_title", lang, n=len(weights), l=layer)
        + "\n"
        + viz.text("held_out_note", lang, n=experiments.gpt_maps.WINDOWS)
    )
    return viz.heads_grid(
        weights, labels, labels, mask=causal, title=title, titles=titles, ncols=2, lang=lang
    )


def attention_layers(lang: str):
    viz = _viz()
    r, _, _ = _gpt_head(lang)
    labels = viz.indexed_labels(r.tokens)
    causal = np.tril(np.ones((len(labels), len(labels)), dtype=bool))  # (T, T)
    titles = [
        [viz.text("head_back", lang, h=h, d=r.distance[l, h]) for h in range(len(m))]
        for l, m in enumerate(r.maps)
    ]
    title = (
        viz.text("gpt_layers_title", lang)
        + "\n"
        + viz.text("distance_note", lang, n=experiments.gpt_maps.WINDOWS)
    )
    return viz.layer_head_grid(
        r.maps, labels, labels, mask=causal, titles=titles, title=title, lang=lang
    )


def attention_masks(lang: str):
    return _viz().masks_side_by_side(lang=lang)


def softmax_temperature(lang: str):
    return _viz().softmax_temperature(lang=lang)


def softmax_scaling(lang: str):
    return _viz().scaling_effect(lang=lang)


def positional_table(lang: str):
    return _viz().sinusoidal_table(lang=lang)


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
    history = experiments.tlob_run()[1]
    return _viz().training_curves(history, baselines=experiments.tlob_baselines(), lang=lang)


def tlob_confusion(lang: str):
    return _viz().confusion_matrix(experiments.tlob_run()[2], lang=lang).figure


def induction_heads(lang: str):
    viz = _viz()
    probe = experiments.induction_probe()
    _, record = experiments.load_induction_model()
    return viz.induction_heads_grid(
        probe.maps, probe.spans, record["previous_token"], record["induction"],
        seed=record["seed"], n_eval=experiments.induction_train.EVAL_BATCH, lang=lang,
    )  # fmt: skip


def induction_phase_change(lang: str):
    _, record = experiments.load_induction_model()
    return _viz().phase_change(
        record["history"], vocab_size=record["task"]["vocab_size"], seed=record["seed"], lang=lang
    )


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
    "induction_heads": induction_heads,
    "induction_phase_change": induction_phase_change,
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
