"""Aliasing, one policy: an array attnlab returns never shares memory with a cache or an argument.

So changing a result in place (``out *= 2``, ``weights /= 2``) can never change a later backward.
What callers may not do between forward and backward is change the *inputs* they passed in
(caches keep references to them, as torch's autograd does).
"""

import numpy as np
import pytest

import attnlab
from attnlab import functional as F
from attnlab import nn

rng = np.random.default_rng(0)
X = rng.standard_normal((2, 3, 4))
W, B = rng.standard_normal((5, 4)), rng.standard_normal(5)
Q, K, V = (
    rng.standard_normal((2, 3, 4)),
    rng.standard_normal((2, 6, 4)),
    rng.standard_normal((2, 6, 2)),
)
MASK = rng.random((3, 6)) < 0.7

PAIRS = {
    "attention": (F.attention_forward, F.attention_backward, (Q, K, V, MASK)),
    "tiled attention": (F.tiled_attention_forward, F.tiled_attention_backward, (Q, K, V, MASK)),
    "softmax": (F.softmax_forward, F.softmax_backward, (X,)),
    "gelu": (F.gelu_forward, F.gelu_backward, (X,)),
    "linear": (F.linear_forward, F.linear_backward, (X, W, B)),
    "layer_norm": (F.layer_norm_forward, F.layer_norm_backward, (X, W[0], B[:4])),
    "add_positions": (F.add_positions_forward, F.add_positions_backward, (X, X[0])),
    "multi_head": (
        F.multi_head_attention_forward,
        F.multi_head_attention_backward,
        (X, X, X, rng.standard_normal((12, 4)), None, W[:4], None, 2),
    ),
}


def arrays_in(obj):
    """Every ndarray inside a (nested) cache."""
    if isinstance(obj, np.ndarray):
        yield obj
    elif isinstance(obj, tuple):
        for item in obj:
            yield from arrays_in(item)


def grads_of(backward, dout, cache):
    grads = backward(dout, cache)
    return [g.copy() for g in (grads if isinstance(grads, tuple) else (grads,)) if g is not None]


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("name", list(PAIRS))
def test_changing_a_returned_output_cannot_change_the_backward(name, fast):
    forward, backward, inputs = PAIRS[name]
    with attnlab.fast_path(fast):
        out, cache = forward(*inputs)
        assert not any(np.shares_memory(out, a) for a in arrays_in(cache))
        assert not any(np.shares_memory(out, a) for a in arrays_in(tuple(inputs)))
        dout = np.random.default_rng(1).standard_normal(out.shape)
        want = grads_of(backward, dout, forward(*inputs)[1])
        out *= 7.0  # the caller edits the result in place
        got = grads_of(backward, dout, cache)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("name", list(PAIRS))
def test_gradients_never_share_memory_with_dout_or_the_cache(name, fast):
    forward, backward, inputs = PAIRS[name]
    with attnlab.fast_path(fast):
        out, cache = forward(*inputs)
        dout = np.ones_like(out)
        grads = backward(dout, cache)
    for g in grads if isinstance(grads, tuple) else (grads,):
        if g is not None:
            assert not np.shares_memory(g, dout)
            assert not any(np.shares_memory(g, a) for a in arrays_in(cache))


def test_dividing_the_weights_mha_returns_does_not_move_its_gradients():
    mha = nn.MultiHeadAttention(8, 2, rng=0)
    x = rng.standard_normal((2, 5, 8))
    out, w = mha(x)
    want = [g.copy() for g in mha.backward(np.ones_like(out))]
    out, w = mha(x)
    w /= 2.0  # in place on the returned weights
    out *= 3.0
    got = mha.backward(np.ones_like(out))
    for g, ww in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, ww)


def test_positional_backward_returns_a_new_array_not_the_callers_dout():
    for module in (nn.SinusoidalPositionalEncoding(3, 4), nn.LearnablePositionalEncoding(3, 4)):
        module(X[:, :3])
        dout = np.ones((2, 3, 4))
        dx = module.backward(dout)
        assert dx is not dout and not np.shares_memory(dx, dout)
        np.testing.assert_array_equal(dx, dout)


def test_editing_the_gpt_attention_maps_does_not_move_its_gradients():
    from attnlab.models import GPT, GPTConfig

    model = GPT(GPTConfig(block_size=8, vocab_size=7, n_layer=2, n_head=2, n_embd=8), rng=0)
    idx = rng.integers(0, 7, (2, 6))
    model(idx, idx)
    model.backward()
    want = {k: g.copy() for k, g in model.grads.items()}
    model.zero_grad()
    model(idx, idx)
    maps = model.attention_maps
    cache_weights = [block.attn.cache.attn.weights for block in model.transformer.h]
    for w, c in zip(maps, cache_weights, strict=True):
        assert not np.shares_memory(w, c)
        w *= 0.0  # the caller edits every returned map in place
    for block in model.transformer.h:
        assert not np.shares_memory(block.attn.weights, block.attn.cache.attn.weights)
    model.backward()
    for k, g in model.grads.items():
        np.testing.assert_array_equal(g, want[k], err_msg=k)
