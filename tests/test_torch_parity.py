"""attnlab vs PyTorch, outputs and every gradient: float64 max abs <= 1e-10, float32 rel <= 1e-5.

What torch does with a query row whose keys are all masked:
- ``F.scaled_dot_product_attention`` (bool or -inf float mask): output 0 and gradient 0, as attnlab;
- ``nn.MultiheadAttention``: NaN (so its parity is checked on rows with at least one key);
- ``torch.softmax`` after ``masked_fill(-inf)``: NaN (attnlab's softmax gives 0).
"""

import numpy as np
import pytest
from _core_strategies import random_mask, seeds
from hypothesis import given, settings
from hypothesis import strategies as st

from attnlab import nn
from attnlab.reference import (
    compare_attention,
    compare_gelu,
    compare_layer_norm,
    compare_linear,
    compare_multi_head_attention,
    compare_softmax,
)

pytestmark = pytest.mark.torch
DTYPES = [np.float64, np.float32]


def assert_parity(report, dtype, expected_names):
    assert {d.name for d in report.diffs} == set(expected_names), report
    if np.dtype(dtype) == np.float64:
        assert report.max_abs <= 1e-10, report
    else:
        assert report.passed(rel_tol=1e-5), report


def _normal(rng, shape, dtype):
    return rng.standard_normal(shape).astype(dtype)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 2),
    st.integers(1, 2),
    st.integers(1, 6),
    st.integers(1, 6),
    st.integers(1, 8),
    st.sampled_from(["none", "bool", "float", "causal", "bool+causal"]),
    st.sampled_from(DTYPES),
    seeds,
)
def test_attention_matches_sdpa_for_drawn_shapes_and_masks(B, H, T, S, D, kind, dtype, seed):
    rng = np.random.default_rng(seed)
    q, k, v = (
        _normal(rng, (B, H, T, D), dtype),
        _normal(rng, (B, H, S, D), dtype),
        _normal(rng, (B, H, S, 3), dtype),
    )
    mask = None
    if kind.startswith("bool"):
        mask = random_mask(seed, (B, 1, T, S), p_keep=0.5)  # may contain fully masked rows
    elif kind == "float":
        keep = random_mask(seed, (T, S))
        mask = np.where(keep, rng.standard_normal((T, S)), -np.inf).astype(dtype)
    report = compare_attention(q, k, v, mask, is_causal=kind.endswith("causal"), seed=seed)
    assert_parity(report, dtype, ["out", "dq", "dk", "dv"])


@pytest.mark.parametrize("dtype", DTYPES)
def test_attention_parity_with_broadcast_kv_custom_scale_and_cross_lengths(dtype):
    rng = np.random.default_rng(0)
    q, k, v = (
        _normal(rng, (2, 3, 4, 8), dtype),
        _normal(rng, (7, 8), dtype),
        _normal(rng, (1, 7, 5), dtype),
    )
    assert_parity(compare_attention(q, k, v, scale=0.3), dtype, ["out", "dq", "dk", "dv"])


@pytest.mark.parametrize("dtype", DTYPES)
def test_fully_masked_rows_are_zero_in_attnlab_and_in_torch_sdpa(dtype):
    import torch

    rng = np.random.default_rng(1)
    q, k, v = (
        _normal(rng, (2, 4, 3), dtype),
        _normal(rng, (2, 5, 3), dtype),
        _normal(rng, (2, 5, 2), dtype),
    )
    mask = np.ones((4, 5), dtype=bool)
    mask[2] = False
    out = torch.nn.functional.scaled_dot_product_attention(
        torch.tensor(q), torch.tensor(k), torch.tensor(v), attn_mask=torch.tensor(mask)
    )
    assert (out[:, 2] == 0).all()  # what torch does, documented above
    report = compare_attention(q, k, v, mask)
    assert "no allowed key" in report.note
    assert_parity(report, dtype, ["out", "dq", "dk", "dv"])


def test_attention_parity_is_checked_independently_of_the_reference_helpers():
    # The same comparison written out with torch directly, so a bug in attnlab.reference
    # cannot hide a bug in attnlab.
    import torch

    from attnlab.functional import attention_backward, attention_forward

    rng = np.random.default_rng(2)
    q, k, v = (
        rng.standard_normal((2, 5, 4)),
        rng.standard_normal((2, 6, 4)),
        rng.standard_normal((2, 6, 3)),
    )
    mask = rng.random((5, 6)) < 0.7
    dout = rng.standard_normal((2, 5, 3))
    out, cache = attention_forward(q, k, v, mask)
    grads = attention_backward(dout, cache)
    tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    tout = torch.nn.functional.scaled_dot_product_attention(
        tq, tk, tv, attn_mask=torch.tensor(mask)
    )
    tout.backward(torch.tensor(dout))
    assert np.abs(out - tout.detach().numpy()).max() <= 1e-10
    for g, t in zip(grads, (tq, tk, tv), strict=True):
        assert np.abs(g - t.grad.numpy()).max() <= 1e-10


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_matches_torch_softmax(dtype, axis):
    rng = np.random.default_rng(3)
    x = _normal(rng, (4, 6), dtype) * 5
    assert_parity(compare_softmax(x, axis=axis), dtype, ["out", "dx"])
    mask = rng.random((4, 6)) < 0.6
    mask[:, 0] = mask[0, :] = True  # no fully masked row along either axis (torch gives NaN)
    assert_parity(compare_softmax(x, mask, axis=axis), dtype, ["out", "dx"])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch_linear(dtype, bias):
    rng = np.random.default_rng(4)
    x, w = _normal(rng, (2, 3, 5), dtype), _normal(rng, (4, 5), dtype)
    b = _normal(rng, (4,), dtype) if bias else None
    names = ["out", "dx", "dweight"] + (["dbias"] if bias else [])
    assert_parity(compare_linear(x, w, b), dtype, names)


@pytest.mark.parametrize("dtype", DTYPES)
def test_layer_norm_matches_torch_layer_norm(dtype):
    rng = np.random.default_rng(5)
    x = _normal(rng, (3, 4, 7), dtype) * 4 + 2
    w, b = _normal(rng, (7,), dtype), _normal(rng, (7,), dtype)
    assert_parity(compare_layer_norm(x, w, b), dtype, ["out", "dx", "dweight", "dbias"])


@pytest.mark.parametrize("dtype", DTYPES)
def test_gelu_matches_torch_gelu(dtype):
    x = (np.linspace(-6, 6, 61) + 0.01).astype(dtype)
    assert_parity(compare_gelu(x), dtype, ["out", "dx"])


MHA_NAMES = [
    "out",
    "weights",
    "dquery",
    "dkey",
    "dvalue",
    "din_proj_weight",
    "din_proj_bias",
    "dout_proj.weight",
    "dout_proj.bias",
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "case", ["self", "causal", "padding mask", "float mask", "cross", "no bias"]
)
def test_multi_head_attention_matches_torch_with_loaded_weights(dtype, case):
    rng = np.random.default_rng(6)
    B, T, S, E, H = 2, 5, 4, 8, 2
    mha = nn.MultiHeadAttention(E, H, bias=case != "no bias", rng=7, dtype=dtype)
    if case != "no bias":  # torch initialises biases to 0: use non-zero ones
        for key in ("in_proj_bias", "out_proj.bias"):
            mha.params[key][...] = _normal(rng, mha.params[key].shape, dtype)
    x = _normal(rng, (B, T, E), dtype)
    key = _normal(rng, (B, S, E), dtype)
    kwargs, args = {}, (x,)
    if case == "causal":
        kwargs["is_causal"] = True
    elif case == "padding mask":
        kwargs["mask"] = np.arange(T)[None, None, None, :] < np.array([5, 2])[:, None, None, None]
    elif case == "float mask":
        keep = rng.random((B, H, T, T)) < 0.6
        keep[..., 0] = True
        kwargs["mask"] = np.where(keep, rng.standard_normal(keep.shape), -np.inf).astype(dtype)
    elif case == "cross":
        args = (x, key, key * 0.5)
    names = [n for n in MHA_NAMES if case != "no bias" or "bias" not in n]
    assert_parity(compare_multi_head_attention(mha, *args, **kwargs), dtype, names)


def test_multi_head_attention_loads_a_torch_state_dict_and_matches_its_forward():
    import torch

    torch.manual_seed(0)
    tmha = torch.nn.MultiheadAttention(6, 3, batch_first=True, dtype=torch.float64)
    mha = nn.MultiHeadAttention(6, 3)
    mha.load_torch_state_dict(tmha.state_dict())
    x = np.random.default_rng(8).standard_normal((2, 4, 6))
    tx = torch.tensor(x)
    tout, tw = tmha(tx, tx, tx, average_attn_weights=False)
    out, w = mha(x)
    assert np.abs(out - tout.detach().numpy()).max() <= 1e-10
    assert np.abs(w - tw.detach().numpy()).max() <= 1e-10


def test_multi_head_comparison_refuses_fully_masked_rows_where_torch_gives_nan():
    mha = nn.MultiHeadAttention(4, 2)
    mask = np.ones((3, 3), dtype=bool)
    mask[1] = False
    with pytest.raises(ValueError, match="NaN"):
        compare_multi_head_attention(mha, np.ones((1, 3, 4)), mask=mask)
