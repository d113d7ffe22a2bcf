"""Softmax: a distribution along the axis, stable for huge logits, exact zeros where masked."""

import numpy as np
import pytest
from _core_strategies import float_arrays, random_mask, seeds
from hypothesis import example, given, settings
from hypothesis import strategies as st

import attnlab
from attnlab.functional import softmax_backward, softmax_forward

shapes = st.tuples(st.integers(1, 4), st.integers(1, 6))


@given(shapes.flatmap(lambda s: float_arrays(s, -1e4, 1e4)), st.sampled_from([0, 1, -1]))
def test_softmax_rows_sum_to_one_even_for_logits_of_1e4(x, axis):
    p = attnlab.softmax(x, axis=axis)
    assert np.isfinite(p).all()
    assert ((p >= 0) & (p <= 1)).all()
    np.testing.assert_allclose(p.sum(axis=axis), 1.0, rtol=0, atol=1e-12)


@given(shapes.flatmap(lambda s: float_arrays(s, -50, 50)), st.data())
def test_softmax_is_unchanged_by_adding_a_constant_per_row(x, data):
    c = data.draw(float_arrays((x.shape[0], 1), -100, 100))
    np.testing.assert_allclose(attnlab.softmax(x + c), attnlab.softmax(x), rtol=0, atol=1e-12)


@given(shapes.flatmap(lambda s: float_arrays(s, -1e4, 1e4)), seeds)
def test_softmax_masked_entries_are_exactly_zero_and_full_masked_rows_are_zero(x, seed):
    mask = random_mask(seed, x.shape, p_keep=0.5)
    p = attnlab.softmax(x, mask=mask)
    assert np.isfinite(p).all()
    assert (p[~mask] == 0.0).all()
    has_key = mask.any(axis=-1)
    np.testing.assert_allclose(p.sum(axis=-1)[has_key], 1.0, atol=1e-12)
    assert (p[~has_key] == 0.0).all()


def test_softmax_of_all_minus_inf_row_is_zero_not_nan():
    x = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    out, cache = softmax_forward(x)
    np.testing.assert_array_equal(out, [[0.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(softmax_backward(np.ones_like(x), cache), np.zeros_like(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_float32_and_float64_survive_logits_of_plus_minus_1e4(dtype):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], dtype=dtype)
    p = attnlab.softmax(x)
    assert p.dtype == dtype
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 5)), st.integers(0, 2), seeds)
@example(shape=(2, 2, 2), axis=0, seed=106643)  # the only live pair is saturated: p ~ e^-11
def test_softmax_backward_matches_central_differences_on_any_axis(shape, axis, seed):
    x = np.random.default_rng(seed).standard_normal(shape) * 3
    mask = random_mask(seed + 1, shape)
    # Masks can leave only saturated pairs, whose gradient is ~1e-5 of the loss: with a step of
    # 1e-6 the differences' rounding (~1e-16 * loss / step) is then 1e-5 of the gradient itself.
    # A step of 1e-4 keeps rounding ~1e-7 of it, and truncation (~step^2) ~1e-8.
    err = attnlab.gradcheck(
        softmax_forward, softmax_backward, (x,), kwargs={"axis": axis, "mask": mask}, eps=1e-4
    )
    assert err.passed(1e-6), err
