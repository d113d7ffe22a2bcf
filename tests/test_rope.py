"""RoPE: the rotate-half rotation of GPT-NeoX / LLaMA, its inverse as the backward, the score
that depends only on the offset, the interleaved convention as a permutation, torch parity and
clear errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import attnlab
from attnlab.functional import rope_backward, rope_forward
from attnlab.functional.rope import RopeCache, interleaved_order


def by_the_definition(x, positions, base=10000.0):
    """out_i = x_i cos - x_{i+h} sin, out_{i+h} = x_{i+h} cos + x_i sin, one pair at a time."""
    x = np.asarray(x, dtype=np.float64)
    T, D = x.shape[-2:]
    h = D // 2
    out = np.empty_like(x)
    for t, p in enumerate(positions):
        for i in range(h):
            a = p * base ** (-2.0 * i / D)
            c, s = np.cos(a), np.sin(a)
            out[..., t, i] = x[..., t, i] * c - x[..., t, i + h] * s
            out[..., t, i + h] = x[..., t, i + h] * c + x[..., t, i] * s
    return out


def interleaved_by_the_definition(x, positions, base=10000.0):
    """RoFormer / GPT-J: pairs (x_2i, x_2i+1) rotated by the same angles."""
    T, D = x.shape[-2:]
    out = np.empty_like(x)
    for t, p in enumerate(positions):
        for i in range(D // 2):
            a = p * base ** (-2.0 * i / D)
            c, s = np.cos(a), np.sin(a)
            out[..., t, 2 * i] = x[..., t, 2 * i] * c - x[..., t, 2 * i + 1] * s
            out[..., t, 2 * i + 1] = x[..., t, 2 * i + 1] * c + x[..., t, 2 * i] * s
    return out


def test_rope_rotates_pair_i_and_i_plus_half_by_position_times_theta():
    x = np.random.default_rng(0).standard_normal((2, 3, 5, 8))
    for positions, base in ((None, 10000.0), ([7, 0, 3, 100, 2], 10000.0), ([1, 2, 3, 4, 5], 50.0)):
        out, _ = rope_forward(x, positions, base=base)
        pos = np.arange(5) if positions is None else positions
        np.testing.assert_allclose(out, by_the_definition(x, pos, base), rtol=0, atol=1e-13)


def test_position_zero_is_the_identity_and_rows_keep_their_length():
    x = np.random.default_rng(1).standard_normal((4, 6, 10))
    out, _ = rope_forward(x, [0, 1, 2, 3, 4, 1000])
    np.testing.assert_array_equal(out[:, 0], x[:, 0])
    np.testing.assert_allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(x, axis=-1), rtol=1e-14)


@settings(max_examples=60, deadline=None)
@given(
    half=st.integers(1, 8),
    m=st.integers(0, 5000),
    n=st.integers(0, 5000),
    shift=st.integers(0, 5000),
    seed=st.integers(0, 2**16),
)
def test_rotated_scores_depend_only_on_the_offset(half, m, n, shift, seed):
    """(R_m q) . (R_n k) = (R_{m+s} q) . (R_{n+s} k) for every shift s."""
    rng = np.random.default_rng(seed)
    q, k = rng.standard_normal((2, 1, 2 * half))  # (1, D) each
    score = (rope_forward(q, [m])[0] @ rope_forward(k, [n])[0].T).item()
    shifted = (rope_forward(q, [m + shift])[0] @ rope_forward(k, [n + shift])[0].T).item()
    scale = np.linalg.norm(q) * np.linalg.norm(k)
    assert abs(score - shifted) <= 1e-10 * scale


def test_the_offset_alone_fixes_the_score_over_a_whole_table():
    rng = np.random.default_rng(2)
    q, k = rng.standard_normal((2, 16))
    T = 40
    Q = rope_forward(np.tile(q, (T, 1)), np.arange(T))[0]  # (T, D) q at every position
    K = rope_forward(np.tile(k, (T, 1)), np.arange(T))[0]  # (T, D) k at every position
    scores = Q @ K.T  # (T, T): a Toeplitz matrix, constant along each diagonal
    for offset in range(-T + 1, T):
        diag = np.diagonal(scores, offset=offset)
        np.testing.assert_allclose(diag, diag[0], rtol=0, atol=1e-12)


def test_the_interleaved_convention_is_the_same_rotation_of_permuted_features():
    x = np.random.default_rng(3).standard_normal((2, 6, 12))
    pos = [0, 5, 1, 9, 3, 40]
    perm = interleaved_order(12)
    np.testing.assert_array_equal(perm, [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11])
    ours, _ = rope_forward(x[..., perm], pos)
    theirs = interleaved_by_the_definition(x, pos)
    np.testing.assert_allclose(ours, theirs[..., perm], rtol=0, atol=1e-13)
    assert np.abs(rope_forward(x, pos)[0] - theirs).max() > 0.1  # not the same without it


def test_backward_is_the_inverse_rotation_and_passes_gradcheck():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((2, 5, 6))
    out, cache = rope_forward(x, [3, 1, 4, 1, 5])
    np.testing.assert_allclose(rope_backward(out, cache), x, rtol=0, atol=1e-14)
    err = attnlab.gradcheck(
        rope_forward, rope_backward, (x,), kwargs={"positions": [3, 1, 4, 1, 5]}
    )
    assert err.passed(1e-8), err
    err = attnlab.gradcheck(rope_forward, rope_backward, (x,), kwargs={"base": 7.0})
    assert err.passed(1e-8), err


def test_float32_stays_float32_and_keeps_float64_accuracy_at_large_positions():
    x = np.random.default_rng(5).standard_normal((3, 4, 16)).astype(np.float32)
    pos = [0, 1000, 123_456, 2_000_000]
    out, cache = rope_forward(x, pos)
    assert out.dtype == np.float32 and cache.cos.dtype == np.float32
    truth = by_the_definition(x.astype(np.float64), pos)
    assert np.abs(out - truth).max() <= 1e-6 * np.abs(truth).max()
    dx = rope_backward(np.ones_like(out), cache)
    assert dx.dtype == np.float32


def test_inputs_are_never_changed_and_outputs_are_new_arrays():
    x = np.random.default_rng(6).standard_normal((2, 3, 4))
    pos = np.array([2, 0, 1])
    before, pos_before = x.copy(), pos.copy()
    out, cache = rope_forward(x, pos)
    dout = np.ones_like(out)
    dx = rope_backward(dout, cache)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_array_equal(pos, pos_before)
    assert not np.shares_memory(out, x) and not np.shares_memory(dx, dout)


@pytest.mark.parametrize("shape", [(0, 4, 6), (2, 0, 6), (2, 3, 0)])
def test_empty_dimensions_give_empty_results(shape):
    x = np.zeros(shape)
    out, cache = rope_forward(x)
    assert out.shape == shape and rope_backward(out, cache).shape == shape


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        (dict(x=np.ones((2, 3, 5))), ValueError, r"even number of features D.*D=5"),
        (dict(x=np.ones(4)), ValueError, r"\(\.\.\., T, D\)"),
        (dict(positions=[0, 1]), ValueError, r"shape \(3,\).*got shape \(2,\)"),
        (dict(positions=[[0, 1, 2]]), ValueError, r"shape \(3,\)"),
        (dict(positions=[0, -1, 2]), ValueError, r">= 0.*-1"),
        (dict(positions=[0.0, 0.5, 1.0]), TypeError, "whole numbers"),
        (dict(positions=[0.0, np.nan, 1.0]), ValueError, "finite"),
        (dict(positions=np.array([True, False, True])), TypeError, "integers"),
        (dict(positions=["a", "b", "c"]), TypeError, "integers"),
        (dict(base=1.0), ValueError, "base must be > 1"),
        (dict(base=-3.0), ValueError, "base must be > 1"),
        (dict(base=np.inf), ValueError, "finite"),
        (dict(base="10000"), TypeError, "base must be a number"),
        (dict(x=np.ones((3, 4), dtype=np.float16)), TypeError, "float32 or float64"),
        (dict(x=np.full((3, 4), np.nan)), ValueError, "NaN"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, err, match):
    args = dict(x=np.ones((2, 3, 4)), positions=None)
    args.update(kwargs)
    x = args.pop("x")
    with pytest.raises(err, match=match):
        rope_forward(x, **args)


def test_whole_float_positions_are_accepted_as_integers():
    x = np.random.default_rng(7).standard_normal((3, 4))
    np.testing.assert_array_equal(
        rope_forward(x, [0.0, 2.0, 5.0])[0], rope_forward(x, [0, 2, 5])[0]
    )


def test_backward_checks_its_arguments():
    out, cache = rope_forward(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match=r"shape \(2, 3, 4\)"):
        rope_backward(np.ones((2, 3, 5)), cache)
    with pytest.raises(TypeError, match="RopeCache returned by rope_forward"):
        rope_backward(out, (cache.cos, cache.sin))
    assert isinstance(cache, RopeCache)


@pytest.mark.torch
@pytest.mark.parametrize("positions", [None, [5, 2, 9, 0, 300, 7, 7]])
def test_parity_with_torch_rotate_half_float64(positions):
    from attnlab.reference.rope import compare_rope

    x = np.random.default_rng(8).standard_normal((2, 3, 7, 10))
    report = compare_rope(x, positions, base=500.0)
    assert report.max_abs <= 1e-12, report
    report = compare_rope(x, positions)
    assert report.max_abs <= 1e-12, report


@pytest.mark.torch
def test_parity_with_torch_float32_relative():
    from attnlab.reference.rope import compare_rope

    x = np.random.default_rng(9).standard_normal((2, 9, 8)).astype(np.float32)
    report = compare_rope(x, np.arange(100, 109))
    assert report.dtype == "float32" and report.passed(rel_tol=1e-6), report


# -- positions are bounded: exact in float64, never wrapped around -------------------------------
@pytest.mark.parametrize(
    "positions",
    [
        np.array([2**63 + 1], dtype=np.uint64),  # would wrap to a negative int64
        np.array([1e20]),  # would become -2**63
        np.array([2**53]),  # the first integer past which float64 skips integers
        [0, 2**62],
    ],
)
def test_positions_beyond_2_to_the_53_are_a_clear_error(positions):
    x = np.ones((len(positions), 4))
    with pytest.raises(ValueError, match=r"positions must be < 2\*\*53"):
        rope_forward(x, positions)


def test_the_largest_position_is_exact():
    x = np.ones((1, 4))
    p = 2**53 - 1
    out, _ = rope_forward(x, np.array([p], dtype=np.uint64))
    np.testing.assert_array_equal(out, rope_forward(x, [p])[0])
    np.testing.assert_array_equal(out, rope_forward(x, [float(p)])[0])


def test_python_ints_beyond_int64_are_checked_too():
    with pytest.raises(ValueError, match=r"must be < 2\*\*53"):
        rope_forward(np.ones((2, 4)), [0, 2**70])
    with pytest.raises(ValueError, match="must be >= 0"):
        rope_forward(np.ones((2, 4)), [0, -(2**70)])
