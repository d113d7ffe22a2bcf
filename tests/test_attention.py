"""Scaled dot-product attention: the properties that define it, checked on drawn shapes."""

import numpy as np
import pytest
from _core_strategies import float_arrays, qkv, random_mask, seeds
from hypothesis import given
from hypothesis import strategies as st

import attnlab
from attnlab.functional import attention_backward, attention_forward

sdpa = attnlab.scaled_dot_product_attention


@given(qkv(), seeds)
def test_masked_weights_are_exactly_zero_and_rows_with_keys_sum_to_one(qkv_, seed):
    q, k, v = qkv_
    mask = random_mask(seed, (q.shape[0], q.shape[1], k.shape[1]), p_keep=0.5)
    out, w = sdpa(q, k, v, mask)
    assert (w[~mask] == 0.0).all()
    has_key = mask.any(axis=-1)
    np.testing.assert_allclose(w.sum(axis=-1)[has_key], 1.0, atol=1e-12)
    assert (w[~has_key] == 0.0).all() and (out[~has_key] == 0.0).all()


@given(qkv(), seeds)
def test_minus_inf_entries_of_a_float_mask_get_weight_zero(qkv_, seed):
    q, k, v = qkv_
    keep = random_mask(seed, (q.shape[1], k.shape[1]))
    bias = np.random.default_rng(seed).standard_normal(keep.shape)
    mask = np.where(keep, bias, -np.inf)
    _, w = sdpa(q, k, v, mask)
    assert (w[:, ~keep] == 0.0).all()
    _, w_bool = sdpa(q, k, v, keep)
    assert (w_bool[:, ~keep] == 0.0).all()


@given(qkv(low=-100.0, high=100.0), seeds)
def test_no_nan_or_inf_for_huge_scores_and_fully_masked_rows(qkv_, seed):
    q, k, v = qkv_  # scores up to 100 * 100 * D / sqrt(D): beyond 1e4
    mask = random_mask(seed, (q.shape[1], k.shape[1]), p_keep=0.4)
    mask[0] = False  # at least one query row with no key at all
    out, cache = attention_forward(q, k, v, mask)
    dq, dk, dv = attention_backward(np.ones_like(out), cache)
    for a in (out, cache.weights, dq, dk, dv):
        assert np.isfinite(a).all()
    assert (out[:, 0] == 0).all() and (dq[:, 0] == 0).all()


@given(qkv(), st.data())
def test_causal_output_ignores_later_keys_and_values(qkv_, data):
    q, k, v = qkv_
    S = k.shape[1]
    cut = data.draw(st.integers(0, S - 1), label="first changed key")
    k2, v2 = k.copy(), v.copy()
    k2[:, cut:] = data.draw(float_arrays(k2[:, cut:].shape, -3, 3))
    v2[:, cut:] = data.draw(float_arrays(v2[:, cut:].shape, -3, 3))
    out, _ = sdpa(q, k, v, is_causal=True)
    out2, _ = sdpa(q, k2, v2, is_causal=True)
    # query i sees keys 0..i: queries before `cut` never see a changed key
    np.testing.assert_array_equal(out[:, :cut], out2[:, :cut])


@given(qkv(), seeds)
def test_without_positions_attention_is_permutation_equivariant(qkv_, seed):
    q, k, v = qkv_
    rng = np.random.default_rng(seed)
    pq, pk = rng.permutation(q.shape[1]), rng.permutation(k.shape[1])
    out, _ = sdpa(q, k, v)
    out_pq, _ = sdpa(q[:, pq], k, v)  # permuting queries permutes the outputs
    np.testing.assert_allclose(out_pq, out[:, pq], atol=1e-12)
    out_pk, _ = sdpa(q, k[:, pk], v[:, pk])  # permuting key/value pairs changes nothing
    np.testing.assert_allclose(out_pk, out, atol=1e-12)


@given(qkv(), seeds)
def test_batch_elements_are_independent(qkv_, seed):
    q, k, v = qkv_
    mask = random_mask(seed, (q.shape[0], 1, k.shape[1]))
    out, _ = sdpa(q, k, v, mask)
    for b in range(q.shape[0]):
        out_b, _ = sdpa(q[b], k[b], v[b], mask[b])
        np.testing.assert_allclose(out[b], out_b, atol=1e-12)
    k2 = k.copy()
    k2[0] += 1.0  # change batch element 0 only
    out2, _ = sdpa(q, k2, v, mask)
    np.testing.assert_array_equal(out2[1:], out[1:])


def test_causal_flag_equals_the_causal_mask_top_left_aligned():
    rng = np.random.default_rng(0)
    q, k, v = (
        rng.standard_normal((2, 3, 4)),
        rng.standard_normal((2, 5, 4)),
        rng.standard_normal((2, 5, 2)),
    )
    out, w = sdpa(q, k, v, is_causal=True)
    out_m, w_m = sdpa(q, k, v, attnlab.causal_mask(3, 5))
    np.testing.assert_array_equal(out, out_m)
    assert (w[:, 0, 1:] == 0).all() and (w[:, 2, 3:] == 0).all()


def test_scale_defaults_to_one_over_sqrt_d_and_can_be_set():
    rng = np.random.default_rng(1)
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    _, w = sdpa(q, k, v)
    np.testing.assert_allclose(w, attnlab.softmax(q @ k.T / 2.0), atol=1e-15)
    _, w2 = sdpa(q, k, v, scale=0.3)
    np.testing.assert_allclose(w2, attnlab.softmax(q @ k.T * 0.3), atol=1e-15)


GRAD_CASES = {
    "plain": dict(shapes=[(2, 3, 4), (2, 3, 4), (2, 3, 4)]),
    "T != S and Dv != D": dict(shapes=[(2, 3, 4), (2, 6, 4), (2, 6, 5)]),
    "causal": dict(shapes=[(2, 5, 3), (2, 5, 3), (2, 5, 3)], kwargs={"is_causal": True}),
    "bool mask with empty row": dict(shapes=[(2, 4, 3), (2, 5, 3), (2, 5, 2)], mask="bool"),
    "float mask": dict(shapes=[(4, 3), (5, 3), (5, 2)], mask="float"),
    "broadcast k, v over heads": dict(shapes=[(2, 3, 4, 5), (2, 1, 6, 5), (6, 3)]),
    "custom scale": dict(shapes=[(3, 4), (4, 4), (4, 4)], kwargs={"scale": 0.7}),
}


@pytest.mark.parametrize("case", list(GRAD_CASES))
def test_attention_backward_matches_central_differences(case):
    spec = GRAD_CASES[case]
    rng = np.random.default_rng(7)
    q, k, v = (rng.standard_normal(s) for s in spec["shapes"])
    kwargs = dict(spec.get("kwargs", {}))
    T, S = q.shape[-2], k.shape[-2]
    if spec.get("mask") == "bool":
        mask = rng.random((T, S)) < 0.6
        mask[1] = False
        kwargs["mask"] = mask
    elif spec.get("mask") == "float":
        kwargs["mask"] = np.where(rng.random((T, S)) < 0.7, rng.standard_normal((T, S)), -np.inf)
    err = attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs=kwargs)
    assert set(err) == {"q", "k", "v"}
    assert err.passed(1e-6), f"{case}:\n{err}"


@given(st.integers(1, 3), st.integers(1, 6), seeds)
def test_multi_head_self_attention_is_permutation_equivariant_until_positions_are_added(B, T, seed):
    rng = np.random.default_rng(seed)
    mha = attnlab.nn.MultiHeadAttention(8, 2, rng=seed % 1000)
    x = rng.standard_normal((B, T, 8))
    perm = rng.permutation(T)
    out, _ = mha(x)
    out_p, _ = mha(x[:, perm])
    np.testing.assert_allclose(out_p, out[:, perm], atol=1e-12)
    if T > 1 and not np.array_equal(perm, np.arange(T)):
        pos = attnlab.nn.SinusoidalPositionalEncoding(T, 8)
        out_pos, _ = mha(pos(x))
        out_pos_p, _ = mha(pos(x[:, perm]))
        assert not np.allclose(out_pos_p, out_pos[:, perm])
