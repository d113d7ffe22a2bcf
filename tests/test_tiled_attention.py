"""Tiled (online-softmax) attention: the same numbers as the standard path, without T x S memory."""

import numpy as np
import pytest
from _core_strategies import float_arrays, seeds
from hypothesis import given, settings
from hypothesis import strategies as st

import attnlab
from attnlab.functional import (
    attention_backward,
    attention_forward,
    tiled_attention_backward,
    tiled_attention_forward,
)
from attnlab.memory import peak_memory

MASK_KINDS = ("none", "bool", "float", "causal", "bool+causal", "key padding")


def make_mask(kind: str, seed: int, batch, T: int, S: int):
    """``(mask, kwargs)`` of one of MASK_KINDS, drawn from ``seed``; rows may be fully masked."""
    rng = np.random.default_rng(seed)
    if kind == "none":
        return None, {}
    if kind == "bool":
        return rng.random((*batch, T, S)) < 0.5, {}
    if kind == "float":  # additive: finite biases and -inf
        keep = rng.random((T, S)) < 0.7
        return np.where(keep, rng.standard_normal((T, S)), -np.inf), {}
    if kind == "causal":
        return None, {"is_causal": True}
    if kind == "bool+causal":
        return rng.random((T, S)) < 0.7, {"is_causal": True}
    pad = rng.random((batch[0], S)) < 0.7  # (B, S) True = a real key; some rows may have none
    return pad.reshape(batch[0], *([1] * (len(batch) - 1)), 1, S), {}


@st.composite
def problems(draw, dtype=np.float64):
    """q, k, v with batch axes (B, H) and k, v sometimes shared over heads, plus a mask kind."""
    B, H = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    T, S, D, Dv = (draw(st.integers(1, 9)) for _ in range(4))
    shared = draw(st.booleans())  # k, v of shape (B, 1, S, .): one per batch element
    q = draw(float_arrays((B, H, T, D), -3, 3, dtype))
    k = draw(float_arrays((B, 1 if shared else H, S, D), -3, 3, dtype))
    v = draw(float_arrays((B, 1 if shared else H, S, Dv), -3, 3, dtype))
    kind = draw(st.sampled_from(MASK_KINDS))
    block_size = draw(st.integers(1, S + 2))
    return q, k, v, kind, block_size


@settings(max_examples=150, deadline=None)
@given(problems(), seeds)
def test_tiled_equals_standard_attention_and_its_gradients_to_1e_12(problem, seed):
    q, k, v, kind, block_size = problem
    mask, kwargs = make_mask(kind, seed, q.shape[:-2], q.shape[-2], k.shape[-2])
    out, cache = attention_forward(q, k, v, mask, **kwargs)
    tiled, tcache = tiled_attention_forward(q, k, v, mask, block_size=block_size, **kwargs)
    assert tiled.shape == out.shape and tiled.dtype == out.dtype
    np.testing.assert_allclose(tiled, out, rtol=0, atol=1e-12)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    for name, g, tg in zip(
        "qkv", attention_backward(dout, cache), tiled_attention_backward(dout, tcache), strict=True
    ):
        assert tg.shape == g.shape, name
        np.testing.assert_allclose(tg, g, rtol=0, atol=1e-12, err_msg=f"d{name}")


@settings(max_examples=40, deadline=None)
@given(problems(np.float32), seeds)
def test_float32_stays_float32_and_agrees_to_float32_precision(problem, seed):
    q, k, v, kind, block_size = problem
    mask, kwargs = make_mask(kind, seed, q.shape[:-2], q.shape[-2], k.shape[-2])
    out, cache = attention_forward(q, k, v, mask, **kwargs)
    tiled, tcache = tiled_attention_forward(q, k, v, mask, block_size=block_size, **kwargs)
    assert tiled.dtype == np.float32
    np.testing.assert_allclose(tiled, out, rtol=1e-4, atol=1e-5)
    dout = np.random.default_rng(seed).standard_normal(out.shape).astype(np.float32)
    for g, tg in zip(
        attention_backward(dout, cache), tiled_attention_backward(dout, tcache), strict=True
    ):
        assert tg.dtype == np.float32
        np.testing.assert_allclose(tg, g, rtol=1e-3, atol=1e-4)


def test_fully_masked_rows_give_zero_output_and_zero_gradients_never_nan():
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((2, 6, 4)) for _ in range(3))
    mask = rng.random((2, 6, 6)) < 0.6
    mask[0, 1] = False  # query 1 of batch 0 may attend to nothing
    mask[1] = False  # batch 1: nothing at all
    out, cache = tiled_attention_forward(q, k, v, mask, block_size=4)
    assert np.isfinite(out).all()
    assert np.all(out[0, 1] == 0) and np.all(out[1] == 0)
    dq, dk, dv = tiled_attention_backward(np.ones_like(out), cache)
    assert all(np.isfinite(g).all() for g in (dq, dk, dv))
    assert np.all(dq[0, 1] == 0) and np.all(dq[1] == 0)
    assert np.all(dk[1] == 0) and np.all(dv[1] == 0)


def test_huge_scores_do_not_overflow_when_the_maximum_moves_between_blocks():
    # Later keys have far larger scores than earlier ones: the running maximum must rescale.
    T, S, D = 3, 8, 2
    q = np.full((T, D), 30.0)
    k = np.arange(S, dtype=float)[:, None] * np.ones((1, D))  # scores grow with the key index
    v = np.random.default_rng(1).standard_normal((S, 3))
    out, _ = attention_forward(q, k, v)
    tiled, _ = tiled_attention_forward(q, k, v, block_size=3)
    assert np.isfinite(tiled).all()
    np.testing.assert_allclose(tiled, out, rtol=0, atol=1e-12)


GRAD_CASES = {
    "plain": dict(shapes=[(2, 5, 3), (2, 7, 3), (2, 7, 4)], block_size=3),
    "causal": dict(shapes=[(2, 5, 3), (2, 5, 3), (2, 5, 3)], kwargs={"is_causal": True}),
    "bool mask with empty row": dict(shapes=[(2, 4, 3), (2, 5, 3), (2, 5, 2)], mask="bool"),
    "float mask": dict(shapes=[(4, 3), (5, 3), (5, 2)], mask="float"),
    "broadcast k, v over heads": dict(shapes=[(2, 3, 4, 5), (2, 1, 6, 5), (6, 3)]),
    "custom scale": dict(shapes=[(3, 4), (4, 4), (4, 4)], kwargs={"scale": 0.7}),
}


@pytest.mark.parametrize("case", list(GRAD_CASES))
def test_tiled_backward_matches_central_differences(case):
    spec = GRAD_CASES[case]
    rng = np.random.default_rng(3)
    q, k, v = (rng.standard_normal(s) for s in spec["shapes"])
    kwargs = {"block_size": spec.get("block_size", 2), **spec.get("kwargs", {})}
    T, S = q.shape[-2], k.shape[-2]
    if spec.get("mask") == "bool":
        mask = rng.random((T, S)) < 0.6
        mask[1] = False
        kwargs["mask"] = mask
    elif spec.get("mask") == "float":
        kwargs["mask"] = np.where(rng.random((T, S)) < 0.7, rng.standard_normal((T, S)), -np.inf)
    err = attnlab.gradcheck(
        tiled_attention_forward, tiled_attention_backward, (q, k, v), kwargs=kwargs
    )
    assert set(err) == {"q", "k", "v"}
    assert err.passed(1e-6), f"{case}:\n{err}"


def test_the_cache_holds_o_of_t_numbers_not_the_t_by_s_weights():
    T = S = 256
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((T, 8)) for _ in range(3))
    _, cache = tiled_attention_forward(q, k, v, is_causal=True, block_size=32)
    arrays = [x for x in cache if isinstance(x, np.ndarray)]
    assert max(a.size for a in arrays) < T * S // 8  # q, k, v, out: T x D; lse: T


def test_peak_memory_grows_with_block_size_not_with_t_squared():
    T, D = 2048, 8
    rng = np.random.default_rng(0)
    q, k, v, dout = (rng.standard_normal((T, D)) for _ in range(4))

    def standard():
        attention_backward(dout, attention_forward(q, k, v)[1])

    def tiled():
        tiled_attention_backward(dout, tiled_attention_forward(q, k, v, block_size=32)[1])

    weights_bytes = T * T * 8
    assert peak_memory(standard) >= weights_bytes  # it holds the T x T weights
    assert peak_memory(tiled) <= weights_bytes / 8


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_block_size_must_be_a_positive_int(bad):
    q = np.ones((3, 2))
    with pytest.raises((ValueError, TypeError), match="block_size"):
        tiled_attention_forward(q, q, q, block_size=bad)


def test_bad_shapes_and_masks_raise_the_same_errors_as_the_standard_path():
    q, k = np.ones((2, 3, 4)), np.ones((2, 5, 3))
    with pytest.raises(ValueError, match="k has 3 features but q has 4"):
        tiled_attention_forward(q, k, k)
    q = k = v = np.ones((2, 3, 4))
    with pytest.raises(ValueError, match="does not broadcast"):
        tiled_attention_forward(q, k, v, np.ones((4, 4), dtype=bool))
    with pytest.raises(TypeError, match="mask"):
        tiled_attention_forward(q, k, v, np.ones((3, 3), dtype=int))
    q[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        tiled_attention_forward(q, k, v)
