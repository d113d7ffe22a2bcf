"""float32 stays float32 end to end, other numbers become float64, anything else is a TypeError."""

import numpy as np
import pytest

import attnlab
from attnlab import functional as F
from attnlab import nn


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_functional_ops_preserve_float32_and_float64_forward_and_backward(dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4)).astype(dtype)
    w, b = rng.standard_normal((5, 4)).astype(dtype), rng.standard_normal(5).astype(dtype)
    pairs = [
        (F.softmax_forward, F.softmax_backward, (x,)),
        (F.gelu_forward, F.gelu_backward, (x,)),
        (F.linear_forward, F.linear_backward, (x, w, b)),
        (F.layer_norm_forward, F.layer_norm_backward, (x, w[0], b[:4])),
        (F.attention_forward, F.attention_backward, (x, x, x)),
        (F.add_positions_forward, F.add_positions_backward, (x, x[0])),
    ]
    for forward, backward, inputs in pairs:
        out, cache = forward(*inputs)
        assert out.dtype == dtype, forward.__name__
        grads = backward(np.ones_like(out), cache)
        grads = grads if isinstance(grads, tuple) else (grads,)
        assert all(g.dtype == dtype for g in grads if g is not None), backward.__name__


def test_float32_attention_with_float_mask_and_causal_stays_float32():
    x = np.ones((2, 3, 4), dtype=np.float32)
    mask = np.zeros((3, 3))  # a float64 mask must not upcast float32 scores
    out, w = attnlab.scaled_dot_product_attention(x, x, x, mask, is_causal=True)
    assert out.dtype == w.dtype == np.float32


def test_float32_modules_run_end_to_end_in_float32():
    x = np.random.default_rng(0).standard_normal((2, 4, 8)).astype(np.float32)
    mha = nn.MultiHeadAttention(8, 2, dtype=np.float32)
    norm, lin = nn.LayerNorm(8, dtype=np.float32), nn.Linear(8, 3, dtype=np.float32)
    pos = nn.SinusoidalPositionalEncoding(4, 8, dtype=np.float32)
    h, w = mha(pos(x), is_causal=True)
    y = lin(nn.GELU()(norm(h)))
    assert y.dtype == h.dtype == w.dtype == np.float32
    dh = norm.backward(np.ones_like(h))
    assert dh.dtype == np.float32
    dq, dk, dv = mha.backward(np.ones_like(h))
    assert dq.dtype == np.float32
    assert all(g.dtype == np.float32 for g in mha.grads.values())


def test_lists_and_ints_become_float64():
    out, w = attnlab.scaled_dot_product_attention(
        [[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 2], [3, 4]]
    )
    assert out.dtype == w.dtype == np.float64
    assert attnlab.softmax([1, 2, 3]).dtype == np.float64
    assert F.gelu_forward(np.arange(3, dtype=np.int32))[0].dtype == np.float64
    assert F.linear_forward([[1, 2]], [[1, 0], [0, 1]])[0].dtype == np.float64


def test_mixed_float32_and_float64_inputs_compute_in_float64():
    q = np.ones((2, 3), dtype=np.float32)
    out, _ = attnlab.scaled_dot_product_attention(q, q.astype(np.float64), q)
    assert out.dtype == np.float64


@pytest.mark.parametrize(
    "bad", ["abc", ["a", "b"], np.array([1 + 2j]), np.array([True, False]), [[1, 2], [3]]]
)
def test_non_numeric_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match="x must"):
        attnlab.softmax(bad)


def test_module_astype_casts_parameters_and_gradients():
    mha = nn.MultiHeadAttention(4, 2).astype(np.float32)
    assert mha.dtype == np.float32
    assert all(g.dtype == np.float32 for g in mha.grads.values())
