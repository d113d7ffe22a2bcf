"""Mask helpers: one convention (True = may attend), shapes that broadcast against (B, H, T, S)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import attnlab


@given(st.integers(1, 8), st.integers(1, 8))
def test_causal_mask_is_top_left_aligned_like_torch_is_causal(t, s):
    m = attnlab.causal_mask(t, s)
    assert m.shape == (t, s) and m.dtype == bool
    i, j = np.indices((t, s))
    np.testing.assert_array_equal(m, j <= i)


@given(st.lists(st.integers(0, 6), min_size=1, max_size=4), st.integers(0, 3))
def test_padding_mask_marks_the_first_length_positions(lengths, extra):
    max_len = max(lengths) + extra
    m = attnlab.padding_mask(lengths, max_len)
    assert m.shape == (len(lengths), max_len) and m.dtype == bool
    np.testing.assert_array_equal(m.sum(axis=1), lengths)
    for row, n in zip(m, lengths, strict=True):
        assert row[:n].all() and not row[n:].any()


def test_padding_mask_defaults_to_the_longest_length():
    assert attnlab.padding_mask([2, 3]).shape == (2, 3)


def test_key_mask_broadcasts_to_scores_and_hides_padded_keys():
    pad = attnlab.padding_mask([3, 1], 4)  # (B, S)
    km = attnlab.key_mask(pad)  # (B, 1, 1, S)
    assert km.shape == (2, 1, 1, 4)
    rng = np.random.default_rng(0)
    q, k, v = (
        rng.standard_normal((2, 2, 5, 3)),
        rng.standard_normal((2, 2, 4, 3)),
        rng.standard_normal((2, 2, 4, 3)),
    )
    _, w = attnlab.scaled_dot_product_attention(q, k, v, km)
    assert (w[0, :, :, 3:] == 0).all() and (w[1, :, :, 1:] == 0).all()
    np.testing.assert_allclose(w[1, :, :, 0], 1.0)


def test_boolean_and_equivalent_float_masks_give_the_same_attention():
    rng = np.random.default_rng(1)
    q, k, v = rng.standard_normal((4, 3)), rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    keep = rng.random((4, 6)) < 0.5
    keep[:, 0] = True
    out_b, w_b = attnlab.scaled_dot_product_attention(q, k, v, keep)
    out_f, w_f = attnlab.scaled_dot_product_attention(q, k, v, np.where(keep, 0.0, -np.inf))
    np.testing.assert_array_equal(w_b, w_f)
    np.testing.assert_array_equal(out_b, out_f)


def test_fully_masked_row_differs_from_a_minus_1e9_fill_which_gives_uniform_weights():
    # The documented choice: attnlab gives 0; a finite -1e9 fill spreads the row uniformly.
    q, k, v = np.ones((2, 2)), np.ones((3, 2)), np.arange(6.0).reshape(3, 2)
    keep = np.array([[True, False, False], [False, False, False]])
    _, w = attnlab.scaled_dot_product_attention(q, k, v, keep)
    _, w_fill = attnlab.scaled_dot_product_attention(q, k, v, np.where(keep, 0.0, -1e9))
    np.testing.assert_array_equal(w[1], [0, 0, 0])
    np.testing.assert_allclose(w_fill[1], [1 / 3] * 3)
