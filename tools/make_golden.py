"""Regenerate the golden vectors in ``attnlab/reference/golden/`` with torch (repository tooling).

    python tools/make_golden.py

Inputs are drawn from a fixed seed, torch computes outputs and gradients (see
:mod:`attnlab.reference.twins`), and each case is saved as ``golden/<name>.npz`` (format
described in :mod:`attnlab.reference.golden`).
"""

from __future__ import annotations

import json

import numpy as np

from attnlab.reference import twins
from attnlab.reference._torch import require_torch
from attnlab.reference.golden import GOLDEN_DIR


def _normal(rng, *shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


def _op_cases(rng) -> dict:
    """name -> (op, description, inputs, kwargs) for the functional ops."""
    n = _normal
    fmask = np.where(rng.random((4, 6)) < 0.3, -np.inf, rng.standard_normal((4, 6)))  # (T, S)
    fmask[:, 0] = 0.0  # every query keeps key 0
    bmask = rng.random((2, 1, 4, 6)) < 0.6  # (B, 1, T, S)
    bmask[0, 0, 1] = False  # one query row with no key at all
    bmask[1, 0, :, 0] = True
    q, k, v = n(rng, 2, 2, 4, 8), n(rng, 2, 2, 6, 8), n(rng, 2, 2, 6, 3)
    smask = rng.random((3, 5)) < 0.6
    smask[:, 2] = True
    return {
        "softmax": (
            "softmax",
            "softmax of (3, 5) logits with one large row",
            {"x": n(rng, 3, 5) * [[1], [30], [3]]},
            {},
        ),
        "softmax_masked": (
            "softmax",
            "masked softmax along axis 0",
            {"x": n(rng, 3, 5), "mask": smask},
            {"axis": 0},
        ),
        "linear": (
            "linear",
            "x (2, 3, 4) @ W (5, 4)^T + b",
            {"x": n(rng, 2, 3, 4), "weight": n(rng, 5, 4), "bias": n(rng, 5)},
            {},
        ),
        "layer_norm": (
            "layer_norm",
            "layer_norm over E=6",
            {"x": n(rng, 2, 3, 6) * 3 + 1, "weight": n(rng, 6), "bias": n(rng, 6)},
            {},
        ),
        "gelu": ("gelu", "exact GELU", {"x": n(rng, 4, 5) * 3}, {}),
        "attention": (
            "attention",
            "q, k, v (2, 4, 8)",
            {"q": n(rng, 2, 4, 8), "k": n(rng, 2, 4, 8), "v": n(rng, 2, 4, 8)},
            {},
        ),
        "attention_causal": (
            "attention",
            "is_causal, T=S=5",
            {"q": n(rng, 5, 4), "k": n(rng, 5, 4), "v": n(rng, 5, 3)},
            {"is_causal": True},
        ),
        "attention_bool_mask": (
            "attention",
            "boolean mask (B, 1, T, S), T != S, one fully masked row",
            {"q": q, "k": k, "v": v, "mask": bmask},
            {},
        ),
        "attention_float_mask": (
            "attention",
            "additive float mask with -inf and biases",
            {"q": n(rng, 4, 8), "k": n(rng, 6, 8), "v": n(rng, 6, 2), "mask": fmask},
            {},
        ),
        "attention_cross": (
            "attention",
            "T=3, S=7, k and v shared across the batch, scale=0.5",
            {"q": n(rng, 2, 3, 4), "k": n(rng, 7, 4), "v": n(rng, 7, 5)},
            {"scale": 0.5},
        ),
        "attention_float32": (
            "attention",
            "float32, is_causal",
            {
                "q": n(rng, 2, 6, 8, dtype=np.float32),
                "k": n(rng, 2, 6, 8, dtype=np.float32),
                "v": n(rng, 2, 6, 8, dtype=np.float32),
            },
            {"is_causal": True},
        ),
    }


def _mha_cases(rng) -> dict:
    E, H, B, T = 8, 2, 2, 5
    state = {
        "in_proj_weight": _normal(rng, 3 * E, E) * 0.4,
        "in_proj_bias": _normal(rng, 3 * E) * 0.1,
        "out_proj.weight": _normal(rng, E, E) * 0.4,
        "out_proj.bias": _normal(rng, E) * 0.1,
    }
    x = _normal(rng, B, T, E)
    pad = (np.arange(T)[None, :] < np.array([[5], [3]]))[:, None, None, :]  # (B, 1, 1, S)
    cross_q = _normal(rng, B, 3, E)
    return {
        "multi_head_attention": (
            "multi_head_attention",
            "self-attention E=8, H=2, padding mask",
            state,
            {"query": x, "key": x, "value": x, "mask": pad},
            {"num_heads": H},
        ),
        "multi_head_attention_causal": (
            "multi_head_attention",
            "cross-attention T=3, S=5, is_causal",
            state,
            {"query": cross_q, "key": x, "value": x},
            {"num_heads": H, "is_causal": True},
        ),
    }


def _optimizer_cases(rng) -> dict:
    params = {"weight": _normal(rng, 3, 4), "bias": _normal(rng, 3)}
    grads = {k: _normal(rng, 5, *p.shape) for k, p in params.items()}  # (steps, ...)
    return {
        "sgd": (
            "SGD momentum=0.9, dampening=0.1, weight_decay=0.01, 5 steps",
            params,
            grads,
            {"name": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
        ),
        "sgd_nesterov": (
            "SGD nesterov, momentum=0.8, 5 steps",
            params,
            grads,
            {"name": "sgd", "lr": 0.05, "momentum": 0.8, "nesterov": True},
        ),
        "adam": (
            "Adam lr=0.01, weight_decay=0.01, 5 steps",
            params,
            grads,
            {"name": "adam", "lr": 0.01, "betas": [0.8, 0.99], "weight_decay": 0.01},
        ),
    }


def _out_shape(op: str, inputs: dict) -> tuple[int, ...]:
    """The forward output's shape, to draw an upstream gradient ``dout`` of that shape."""
    if op == "linear":
        return (*inputs["x"].shape[:-1], inputs["weight"].shape[0])
    if op == "attention":
        q, k, v = inputs["q"], inputs["k"], inputs["v"]
        return (
            *np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2]),
            q.shape[-2],
            v.shape[-1],
        )
    return inputs["x"].shape


def _save(name: str, meta: dict, **groups) -> None:
    arrays = {"meta": np.array(json.dumps(meta))}
    for group, values in groups.items():
        arrays.update({f"{group}.{k}": np.asarray(v) for k, v in values.items() if v is not None})
    np.savez_compressed(GOLDEN_DIR / f"{name}.npz", **arrays)


def main() -> int:
    torch = require_torch()
    rng = np.random.default_rng(2024)
    GOLDEN_DIR.mkdir(exist_ok=True)
    version = torch.__version__
    for name, (op, description, inputs, kwargs) in _op_cases(rng).items():
        first = next(iter(inputs.values()))
        inputs = {**inputs, "dout": _normal(rng, *_out_shape(op, inputs), dtype=first.dtype)}
        expected = getattr(twins, op)(**inputs, **kwargs)
        meta = {"op": op, "description": description, "kwargs": kwargs, "torch_version": version}
        _save(name, meta, input=inputs, expected=expected)
        print(f"wrote {name}")
    for name, (op, description, state, inputs, kwargs) in _mha_cases(rng).items():
        B, T, E = inputs["query"].shape
        inputs = {**inputs, "dout": _normal(rng, B, T, E)}
        expected = twins.multi_head_attention(**inputs, state=state, **kwargs)
        meta = {"op": op, "description": description, "kwargs": kwargs, "torch_version": version}
        _save(name, meta, input=inputs, state=state, expected=expected)
        print(f"wrote {name}")
    for name, (description, params, grads, kwargs) in _optimizer_cases(rng).items():
        hyper = {k: v for k, v in kwargs.items() if k != "name"}
        steps = [{k: g[i] for k, g in grads.items()} for i in range(len(grads["weight"]))]
        expected = twins.optimizer(kwargs["name"], params, steps, **hyper)
        meta = {
            "op": "optimizer",
            "description": description,
            "kwargs": kwargs,
            "torch_version": version,
        }
        _save(name, meta, state=params, grads=grads, expected=expected)
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
