"""Positional encodings: the sinusoidal table's formula, and tables added to (B, T, E) inputs."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import attnlab
from attnlab import nn


@given(st.integers(1, 12), st.integers(1, 8).map(lambda h: 2 * h))
def test_sinusoidal_table_has_sin_on_even_and_cos_on_odd_columns(length, dim):
    pe = attnlab.sinusoidal_encoding(length, dim)
    assert pe.shape == (length, dim)
    pos = np.arange(length)[:, None]
    i = np.arange(dim // 2)[None, :]
    angle = pos / 10000.0 ** (2 * i / dim)
    np.testing.assert_allclose(pe[:, 0::2], np.sin(angle), atol=1e-12)
    np.testing.assert_allclose(pe[:, 1::2], np.cos(angle), atol=1e-12)
    # each (sin, cos) pair is a point on the unit circle: every row has norm sqrt(dim / 2)
    np.testing.assert_allclose(np.linalg.norm(pe, axis=1), np.sqrt(dim / 2), rtol=1e-12)


def test_sinusoidal_table_dtype_and_base():
    assert attnlab.sinusoidal_encoding(3, 4, dtype=np.float32).dtype == np.float32
    pe = attnlab.sinusoidal_encoding(3, 4, base=100.0)
    np.testing.assert_allclose(pe[2, 2], np.sin(2 / 100.0**0.5))


def test_positional_modules_add_the_first_t_rows_of_their_table():
    x = np.zeros((2, 3, 4))
    sin = nn.SinusoidalPositionalEncoding(5, 4)
    np.testing.assert_array_equal(
        sin(x), np.broadcast_to(attnlab.sinusoidal_encoding(5, 4)[:3], x.shape)
    )
    learn = nn.LearnablePositionalEncoding(5, 4, rng=0)
    np.testing.assert_array_equal(learn(x)[1], learn.weight[:3])
    assert sin.num_parameters() == 0 and learn.num_parameters() == 20


def test_learnable_table_gets_a_gradient_only_on_the_rows_used():
    learn = nn.LearnablePositionalEncoding(5, 4, rng=0)
    x = np.zeros((2, 3, 4))
    learn(x)
    dx = learn.backward(np.ones_like(x))
    np.testing.assert_array_equal(dx, np.ones_like(x))
    np.testing.assert_array_equal(learn.grads["weight"][:3], 2.0)  # summed over the batch
    np.testing.assert_array_equal(learn.grads["weight"][3:], 0.0)
