"""The gallery: every named figure attnlab draws, built the same way for ``es`` and ``en``.

``FIGURES`` maps a name to a builder ``f(lang) -> Figure``. The data behind each figure
(random examples, small trainings) is computed once, from fixed seeds, and shared by both
languages, so the Spanish and English pictures show the same numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from . import heatmaps, masks, orderbook, positional, softmax, tlob
from .strings import check_lang, text

SEED = 0


@functools.lru_cache(maxsize=1)
def example_layer(num_heads: int = 4, embed: int = 16, t: int = 7):
    """One multi-head layer with random weights on random tokens: weights (H, T, T)."""
    from ..nn import MultiHeadAttention

    rng = np.random.default_rng(SEED)
    x = 2.0 * rng.standard_normal((1, t, embed))  # (1, T, E) larger inputs -> sharper maps
    mha = MultiHeadAttention(embed, num_heads, rng=rng)
    _, weights = mha.forward(x)  # (1, H, T, T)
    _, causal_weights = mha.forward(x, is_causal=True)  # (1, H, T, T)
    return weights[0], causal_weights[0]


@functools.lru_cache(maxsize=1)
def example_stack(num_layers: int = 4, num_heads: int = 2, embed: int = 16, t: int = 7):
    """A stack of residual self-attention layers (random weights): a (H, T, T) map per layer."""
    from ..nn import MultiHeadAttention

    rng = np.random.default_rng(SEED + 1)
    h = 2.0 * rng.standard_normal((1, t, embed))  # (1, T, E)
    maps = []
    for _ in range(num_layers):
        layer = MultiHeadAttention(embed, num_heads, rng=rng)
        out, weights = layer.forward(h)  # (1, T, E), (1, H, T, T)
        h = h + out  # (1, T, E) residual
        maps.append(weights[0])
    return maps


def tokens(lang: str) -> list[str]:
    return text("tokens", lang).split()


def attention_heatmap(lang: str):
    causal = np.tril(np.ones((7, 7), dtype=bool))  # (T, T)
    words = tokens(lang)
    ax = heatmaps.attention_heatmap(
        example_layer()[1][0],
        words,
        words,
        mask=causal,
        title=text("heatmap_title", lang),
        lang=lang,
    )
    return ax.figure


def attention_heads(lang: str):
    weights = example_layer()[0]  # (H, T, T)
    words = tokens(lang)
    return heatmaps.heads_grid(
        weights, words, words, title=text("heads_title", lang, h=len(weights)), lang=lang
    )


def attention_layers(lang: str):
    maps = example_stack()
    words = tokens(lang)
    return heatmaps.layers_grid(
        maps, 0, words, words, lang=lang, title=text("layers_title", lang, head=0, n=len(maps))
    )


def attention_masks(lang: str):
    return masks.masks_side_by_side(lang=lang)


def softmax_temperature(lang: str):
    return softmax.softmax_temperature(lang=lang)


def softmax_scaling(lang: str):
    return softmax.scaling_effect(lang=lang)


def positional_table(lang: str):
    return positional.sinusoidal_table(lang=lang).figure


def positional_curves(lang: str):
    return positional.sinusoidal_curves(lang=lang).figure


def positional_similarity(lang: str):
    return positional.position_similarity(lang=lang)


def positional_learned(lang: str):
    return positional.learnable_positions(
        positional.train_learnable_positions(seed=SEED), lang=lang
    )


@functools.lru_cache(maxsize=1)
def example_book(n_events: int = 600, horizon: int = 10):
    """A short stretch of the synthetic order book and TLOB's labels for it."""
    from ..data import synthetic_lob, tlob_labels

    lob = synthetic_lob(n_events, seed=SEED)
    labels, _ = tlob_labels(lob.mid, horizon)  # (N - h - k + 1,)
    return lob, labels, horizon


def orderbook_snapshot(lang: str):
    lob, labels, _ = example_book()
    t = 300
    return orderbook.orderbook_snapshot(lob.book, t, label=labels[t], lang=lang)


def orderbook_labels(lang: str):
    lob, labels, horizon = example_book()
    return orderbook.midprice_labels(lob.mid, labels, horizon=horizon, lang=lang).figure


def train_small_tlob(
    seed: int = SEED, *, n_events: int = 8000, epochs: int = 6, max_batches: int = 30
):
    """Train a small TLOB on the synthetic book in a few seconds: ``(model, info)``.

    Used only when the shipped pretrained model is missing; ``info`` has the keys of the
    pretrained one that the figures read (``data``, ``history``, ``test``).
    """
    from ..data import make_dataset
    from ..models import TLOB
    from ..train import evaluate, train_classifier

    data = dict(n_events=n_events, seq_size=32, horizon=10, seed=seed)
    ds = make_dataset(**data)
    model = TLOB(
        hidden_dim=16, num_layers=2, seq_size=32, num_features=40, rng=np.random.default_rng(seed)
    )
    history = train_classifier(
        model,
        ds.train,
        ds.val,
        epochs=epochs,
        batch_size=64,
        lr=1e-3,
        patience=epochs,
        seed=seed,
        max_batches=max_batches,
        progress=False,
        log=None,
    )
    test = evaluate(model, ds.test)
    info = dict(
        data=data,
        history=history.as_dict(),
        seed=seed,
        test=dict(
            accuracy=test["accuracy"],
            macro_f1=test["macro_f1"],
            confusion=test["confusion"].tolist(),
        ),
    )
    return model, info


@functools.lru_cache(maxsize=1)
def tlob_run(windows: int = 64):
    """The pretrained small TLOB (or a quickly trained one), its attention maps on test windows,
    its training history and its test confusion matrix."""
    from ..data import make_dataset
    from ..models import load_pretrained

    try:
        model, info = load_pretrained()
    except FileNotFoundError:
        model, info = train_small_tlob()
    test = make_dataset(**info["data"]).test
    x, _ = test.batch(np.arange(min(windows, len(test))))  # (B, T, F)
    model.forward(x)
    maps = [(kind, np.array(w)) for kind, w in model.attention_maps]
    return maps, info["history"], np.asarray(info["test"]["confusion"])


def _trained_maps(kind: str, lang: str):
    maps = tlob_run()[0]
    subtitle = text("trained_windows", lang, n=len(maps[0][1]))
    return tlob.tlob_attention(maps, kind, subtitle=subtitle, lang=lang)


def tlob_temporal(lang: str):
    return _trained_maps("temporal", lang)


def tlob_features(lang: str):
    return _trained_maps("feature", lang)


def tlob_training(lang: str):
    return tlob.training_curves(tlob_run()[1], lang=lang)


def tlob_confusion(lang: str):
    return tlob.confusion_matrix(tlob_run()[2], lang=lang).figure


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
}


def names() -> list[str]:
    """Every figure name, in gallery order."""
    return list(FIGURES)


def build(name: str, lang: str = "en"):
    """Draw the gallery figure ``name`` in ``lang`` and return its Figure (not shown, not saved)."""
    check_lang(lang)
    if name not in FIGURES:
        raise KeyError(f"unknown figure {name!r}; valid names: {', '.join(FIGURES)}")
    return FIGURES[name](lang)
