"""ALiBi: the slopes of Press et al. (by hand for many head counts), the bias -m_h |i - j| as an
additive mask, and MultiHeadAttention with RoPE and ALiBi (gradcheck, torch parity)."""

import numpy as np
import pytest

import attnlab
from attnlab import alibi_bias, alibi_slopes
from attnlab.nn import MultiHeadAttention

# Worked out by hand from the rule: H a power of two -> 2^(-8/H), 2^(-16/H), ..., 2^(-8);
# otherwise the slopes of n = 2^floor(log2 H), then slopes of 2n at indices 0, 2, 4, ...
R = 2.0**-0.5
BY_HAND = {
    1: [2**-8],
    2: [2**-4, 2**-8],
    3: [2**-4, 2**-8, 2**-2],  # 2 heads, then slopes(4)[0] = 1/4
    4: [2**-2, 2**-4, 2**-6, 2**-8],
    5: [2**-2, 2**-4, 2**-6, 2**-8, 2**-1],  # 4 heads, then slopes(8)[0] = 1/2
    6: [2**-2, 2**-4, 2**-6, 2**-8, 2**-1, 2**-3],  # ... slopes(8)[0], slopes(8)[2]
    8: [2.0**-k for k in range(1, 9)],
    12: [2.0**-k for k in range(1, 9)] + [R, R**3, R**5, R**7],  # slopes(16)[0, 2, 4, 6]
    16: [R ** (k + 1) for k in range(16)],
}


@pytest.mark.parametrize("H", list(BY_HAND))
def test_slopes_are_those_of_press_et_al(H):
    slopes = alibi_slopes(H)
    assert slopes.shape == (H,) and slopes.dtype == np.float64
    np.testing.assert_allclose(slopes, BY_HAND[H], rtol=1e-15, atol=0)  # a few ulp


@pytest.mark.parametrize("H", [1, 2, 3, 5, 7, 8, 12, 16, 20, 24, 32, 48, 64, 100])
def test_slopes_equal_the_authors_recursive_rule_exactly(H):
    from attnlab.reference.rope import torch_alibi_slopes  # pure Python: no torch needed

    assert alibi_slopes(H).tolist() == torch_alibi_slopes(H)


def test_bias_is_minus_slope_times_distance_for_any_positions():
    qpos, kpos = np.array([3, 7]), np.array([0, 2, 3, 9, 12])
    bias = alibi_bias(3, qpos, kpos)
    assert bias.shape == (3, 2, 5) and bias.dtype == np.float64
    m = alibi_slopes(3)
    for h in range(3):
        for i, p in enumerate(qpos):
            for j, s in enumerate(kpos):
                assert bias[h, i, j] == -m[h] * abs(p - s)
    diagonal = alibi_bias(4, [1, 5], [1, 5])[:, [0, 1], [0, 1]]  # distance 0
    assert (diagonal == 0).all() and not np.signbit(diagonal).any()  # 0.0, never -0.0
    assert alibi_bias(2, [0, 1], [0, 1], dtype=np.float32).dtype == np.float32


def test_bias_depends_only_on_the_distance():
    a = alibi_bias(4, np.arange(6), np.arange(6))
    b = alibi_bias(4, np.arange(100, 106), np.arange(100, 106))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "args, err, match",
    [
        ((0, [0], [0]), ValueError, "num_heads must be >= 1"),
        ((2.0, [0], [0]), TypeError, "num_heads must be an int"),
        ((2, None, [0]), ValueError, "query_positions"),
        ((2, 5, [0]), ValueError, r"query_positions must have shape \(T,\)"),
        ((2, [0, 1], [[0, 1]]), ValueError, r"key_positions must have shape \(T,\)"),
        ((2, [0, -3], [0]), ValueError, ">= 0"),
        ((2, [0, 0.5], [0]), TypeError, "whole numbers"),
    ],
)
def test_bad_arguments_are_clear_errors(args, err, match):
    with pytest.raises(err, match=match):
        alibi_bias(*args)


def test_as_a_float_mask_with_the_causal_mask_it_is_attention_with_a_linear_penalty():
    rng = np.random.default_rng(0)
    H, T, D = 4, 6, 8
    q, k, v = rng.standard_normal((3, 2, H, T, D))
    bias = alibi_bias(H, np.arange(T), np.arange(T))  # (H, T, T)
    out, w = attnlab.scaled_dot_product_attention(q, k, v, bias, is_causal=True)
    scores = q @ k.swapaxes(-1, -2) / np.sqrt(D) + bias  # (B, H, T, T)
    scores = np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf)
    expected = np.exp(scores - scores.max(-1, keepdims=True))
    expected /= expected.sum(-1, keepdims=True)
    np.testing.assert_allclose(w, expected, rtol=0, atol=1e-14)
    folded = np.where(attnlab.causal_mask(T), bias, -np.inf)  # the docstring's one-mask form
    np.testing.assert_allclose(
        attnlab.scaled_dot_product_attention(q, k, v, folded)[0], out, rtol=0, atol=1e-14
    )


# -- MultiHeadAttention with positions -----------------------------------------------------------
def test_mha_alibi_flag_equals_passing_the_bias_as_a_mask():
    x = np.random.default_rng(1).standard_normal((2, 5, 8))
    with_flag = MultiHeadAttention(8, 4, alibi=True, rng=3)
    plain = MultiHeadAttention(8, 4, rng=3)
    bias = alibi_bias(4, np.arange(5), np.arange(5))
    a, wa = with_flag(x, is_causal=True)
    b, wb = plain(x, mask=bias, is_causal=True)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(wa, wb)
    keep = np.random.default_rng(2).random((2, 1, 5, 5)) < 0.7
    keep[..., 0] = True
    a, _ = with_flag(x, mask=keep)  # a boolean mask and ALiBi together
    b, _ = plain(x, mask=np.where(keep, bias, -np.inf))
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)


def test_mha_with_rope_or_alibi_is_unchanged_by_shifting_every_position():
    x = np.random.default_rng(4).standard_normal((2, 6, 8))
    for kw in (dict(rope=True), dict(alibi=True), dict(rope=True, alibi=True)):
        mha = MultiHeadAttention(8, 2, rng=5, **kw)
        base, _ = mha(x, is_causal=True)
        pos = np.arange(50, 56)
        shifted, _ = mha(x, is_causal=True, query_positions=pos, key_positions=pos)
        np.testing.assert_allclose(shifted, base, rtol=0, atol=1e-12)
    plain = MultiHeadAttention(8, 2, rng=5)  # without positions the order of keys is invisible
    perm = [0, 1, 2, 3, 5, 4]
    np.testing.assert_allclose(plain(x)[0][:, perm], plain(x[:, perm])[0], atol=1e-14)
    rope = MultiHeadAttention(8, 2, rng=5, rope=True)
    assert np.abs(rope(x)[0][:, perm] - rope(x[:, perm])[0]).max() > 1e-3


def test_mha_position_options_are_checked():
    with pytest.raises(ValueError, match="must be even"):
        MultiHeadAttention(6, 2, rope=True)
    with pytest.raises(TypeError, match="rope must be True or False"):
        MultiHeadAttention(8, 2, rope=1)
    with pytest.raises(ValueError, match="base must be > 1"):
        MultiHeadAttention(8, 2, rope=True, rope_base=0.5)
    mha = MultiHeadAttention(8, 2, rope=True)
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        mha(np.ones((1, 4, 8)), query_positions=[0, 1, 2])
    assert "rope=True" in repr(mha) and "alibi" not in repr(mha)


def _mha_cases():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((2, 5, 8))
    mem = rng.standard_normal((2, 7, 8))
    pos = np.array([10, 11, 12, 13, 14])
    return {
        "rope self causal": (dict(rope=True), (x,), dict(is_causal=True)),
        "rope cross, positions": (
            dict(rope=True, rope_base=100.0),
            (x, mem, mem),
            dict(query_positions=pos, key_positions=np.arange(7)),
        ),
        "alibi self causal": (dict(alibi=True), (x,), dict(is_causal=True)),
        "alibi no bias, cross": (dict(alibi=True, bias=False), (x, mem, mem), {}),
        "rope and alibi": (dict(rope=True, alibi=True), (x,), dict(is_causal=True)),
    }


@pytest.mark.parametrize("name", list(_mha_cases()))
def test_mha_with_positions_passes_gradcheck(name):
    options, inputs, kwargs = _mha_cases()[name]
    mha = MultiHeadAttention(8, 2, rng=7, **options)
    err = attnlab.gradcheck(mha, inputs=inputs, kwargs=kwargs)
    assert set(mha.params) <= set(err) and err.passed(1e-7), err


@pytest.mark.torch
@pytest.mark.parametrize("name", list(_mha_cases()))
def test_mha_with_positions_matches_torch(name):
    from attnlab.reference.rope import compare_mha_positions

    options, inputs, kwargs = _mha_cases()[name]
    mha = MultiHeadAttention(8, 2, rng=8, **options)
    report = compare_mha_positions(mha, *inputs, **kwargs)
    assert report.max_abs <= 1e-12, report
    mha32 = MultiHeadAttention(8, 2, rng=8, dtype=np.float32, **options)
    inputs32 = tuple(a.astype(np.float32) for a in inputs)
    report = compare_mha_positions(mha32, *inputs32, **kwargs)
    assert report.passed(rel_tol=1e-5), report


def test_huge_positions_are_an_error_not_a_wrapped_distance():
    with pytest.raises(ValueError, match=r"query_positions must be < 2\*\*53"):
        alibi_bias(1, np.array([2**63 + 10], dtype=np.uint64), np.array([0]))
    with pytest.raises(ValueError, match=r"key_positions must be < 2\*\*53"):
        alibi_bias(1, [0], [1e20])
    far = alibi_bias(1, [2**53 - 1], [0])  # the largest position: an exact distance
    assert far[0, 0, 0] == -alibi_slopes(1)[0] * (2**53 - 1)
