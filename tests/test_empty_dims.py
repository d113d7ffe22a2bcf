"""Empty dimensions follow torch: readable, fast and tiled paths agree, never a raw NumPy error.

- an empty batch, T = 0 or Dv = 0: an empty result;
- S = 0 (no keys): output 0 and gradients 0, like a fully masked row;
- D = 0: every score is 0, so each query averages v uniformly (the scale has no effect);
- softmax over an axis of length 0: an empty result.
"""

import numpy as np
import pytest

import attnlab
from attnlab import functional as F
from attnlab import nn

SHAPES = {  # q, k, v shapes
    "S = 0": ((2, 3, 4), (2, 0, 4), (2, 0, 5)),
    "T = 0": ((2, 0, 4), (2, 3, 4), (2, 3, 5)),
    "D = 0": ((2, 3, 0), (2, 4, 0), (2, 4, 5)),
    "Dv = 0": ((2, 3, 4), (2, 4, 4), (2, 4, 0)),
    "B = 0": ((0, 3, 4), (0, 4, 4), (0, 4, 5)),
    "T = S = 0": ((2, 0, 4), (2, 0, 4), (2, 0, 5)),
    "no batch, S = 0": ((3, 4), (0, 4), (0, 2)),
}


def run(path, q, k, v, **kwargs):
    if path == "tiled":
        out, cache = F.tiled_attention_forward(q, k, v, **kwargs)
        return (out, *F.tiled_attention_backward(np.ones_like(out), cache))
    with attnlab.fast_path(path == "fast"):
        out, cache = F.attention_forward(q, k, v, **kwargs)
        return (out, *F.attention_backward(np.ones_like(out), cache))


def expected(q, k, v):
    """What torch gives (checked against torch in test_fuzz.py): computed by hand here."""
    T, S = q.shape[-2], k.shape[-2]
    out = np.zeros((*q.shape[:-1], v.shape[-1]))
    if S and T and q.shape[-1] == 0:  # D = 0: uniform weights
        out = np.broadcast_to(v.mean(axis=-2, keepdims=True), out.shape)
    return out


@pytest.mark.parametrize("is_causal", [False, True])
@pytest.mark.parametrize("path", ["readable", "fast", "tiled"])
@pytest.mark.parametrize("case", list(SHAPES))
def test_empty_dimensions_give_torchs_result_on_every_path(case, path, is_causal):
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal(s) for s in SHAPES[case])
    out, dq, dk, dv = run(path, q, k, v, is_causal=is_causal)
    assert (out.shape, dq.shape, dk.shape, dv.shape) == (
        (*q.shape[:-1], v.shape[-1]),
        q.shape,
        k.shape,
        v.shape,
    )
    assert np.isfinite(out).all() and all(np.isfinite(g).all() for g in (dq, dk, dv))
    if not is_causal:
        np.testing.assert_allclose(out, expected(q, k, v), rtol=0, atol=1e-15)
    if k.shape[-2] == 0:
        assert not dq.any()  # no keys: nothing depends on q


def test_d_zero_with_the_default_scale_gives_uniform_weights():
    q, k, v = np.zeros((3, 0)), np.zeros((4, 0)), np.arange(8.0).reshape(4, 2)
    out, w = attnlab.scaled_dot_product_attention(q, k, v)
    np.testing.assert_array_equal(w, np.full((3, 4), 0.25))
    np.testing.assert_array_equal(out, np.broadcast_to(v.mean(axis=0), (3, 2)))


@pytest.mark.parametrize("shape, axis", [((3, 0), -1), ((0, 3), -1), ((3, 0), 0), ((2, 0, 4), 1)])
def test_softmax_over_empty_arrays_is_empty(shape, axis):
    out, cache = F.softmax_forward(np.zeros(shape), axis=axis)
    assert out.shape == shape
    assert F.softmax_backward(np.zeros(shape), cache).shape == shape


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("T, S", [(0, 0), (0, 3), (3, 0)])
def test_multi_head_attention_on_empty_sequences(fast, T, S):
    mha = nn.MultiHeadAttention(4, 2, rng=0)
    rng = np.random.default_rng(1)
    query, key = rng.standard_normal((2, T, 4)), rng.standard_normal((2, S, 4))
    with attnlab.fast_path(fast):
        out, w = mha(query, key, key, is_causal=True)
        dq, dk, dv = mha.backward(np.ones_like(out))
    assert out.shape == (2, T, 4) and w.shape == (2, 2, T, S)
    assert dq.shape == query.shape and dk.shape == dv.shape == key.shape
    if S == 0:  # no keys: attention gives 0, so out is the output bias
        np.testing.assert_array_equal(out, np.broadcast_to(mha.out_proj.bias, out.shape))
    assert all(np.isfinite(g).all() for g in mha.grads.values())


def test_layers_on_zero_rows():
    x = np.zeros((0, 4))
    for module in (nn.Linear(4, 3), nn.LayerNorm(4), nn.GELU()):
        y = module(x)
        assert y.shape[0] == 0
        assert module.backward(np.zeros_like(y)).shape == x.shape
