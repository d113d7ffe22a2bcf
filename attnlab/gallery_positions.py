"""Gallery builders for positions inside attention: ``rope_rotation``, ``alibi_bias`` and
``position_extrapolation`` (the last from the shipped results of the extrapolation experiment:
no training). Registered in :data:`attnlab.gallery.FIGURES`."""

from __future__ import annotations

import numpy as np

from .interactive_positions import additive_scores, alibi_state, offset_scores, rotation_state

ROPE = dict(dim=16, pairs=(0, 1, 2), last_position=8, score_dim=64, starts=(40, 100, 300, 1000))
ALIBI = dict(heads=8, length=24, head=0, query=31, distances=33)


def _viz():
    from . import viz

    return viz


def rope_rotation(lang: str):
    c = ROPE
    states = [rotation_state(c["last_position"], i, c["dim"]) for i in c["pairs"]]
    q, k = np.random.default_rng(0).standard_normal((2, c["score_dim"]))  # (D,) each
    starts, offsets = np.array(c["starts"]), np.arange(-40, 41)  # (M,), (O,)
    return _viz().rope_rotation(
        [s.trail for s in states],
        [s.theta for s in states],
        c["pairs"],
        starts,
        offsets,
        offset_scores(q, k, starts, offsets),
        additive_scores(q, k, starts, offsets),
        lang=lang,
    )


def alibi_bias(lang: str):
    c = ALIBI
    H, q = c["heads"], c["query"]
    shown = alibi_state(H, c["length"], c["head"], c["length"] - 1)
    weights = [alibi_state(H, q + 1, h, q).weights for h in range(H)]  # H x (q + 1,)
    return _viz().alibi_bias(
        shown.slopes, shown.bias, c["head"], np.arange(c["distances"]), q, weights, lang=lang
    )


def position_extrapolation(lang: str):
    from .experiments.extrapolation import shipped_extrapolation, summary

    results = shipped_extrapolation()
    seeds = len({r["seed"] for r in results["runs"]})
    return _viz().position_extrapolation(
        summary(results),
        results["lengths"],
        results["model"]["block_size"],
        results["bin"],
        seeds=seeds,
        corpus=results["corpus"],
        lang=lang,
    )


FIGURES = {
    "rope_rotation": rope_rotation,
    "alibi_bias": alibi_bias,
    "position_extrapolation": position_extrapolation,
}
