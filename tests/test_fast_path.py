"""Two paths, one answer: the readable functions and their tuned twins compute the same numbers.

The functions a lesson shows read like the maths; ``attnlab.functional.fast`` holds the tuned
versions the library uses by default. ``attnlab.set_fast`` / ``attnlab.fast_path`` switch.
"""

import ast
import inspect
import textwrap

import numpy as np
import pytest
from _core_strategies import float_arrays, seeds
from hypothesis import given, settings
from hypothesis import strategies as st

import attnlab
from attnlab import functional as F
from attnlab import nn
from attnlab.functional import fast

MASK_KINDS = ("none", "bool", "float", "causal", "bool+causal", "fully masked rows")


@st.composite
def attention_problems(draw, dtype=np.float64):
    """q, k, v whose leading axes broadcast (k, v shared or not), T != S, Dv != D, a mask."""
    B, H = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    T, S, D, Dv = (draw(st.integers(1, 7)) for _ in range(4))
    lead_q = draw(st.sampled_from([(B, H), (H,), ()]))
    lead_kv = draw(st.sampled_from([lead_q, (1,) * len(lead_q), lead_q[-1:]]))
    q = draw(float_arrays((*lead_q, T, D), -3, 3, dtype))
    k = draw(float_arrays((*lead_kv, S, D), -3, 3, dtype))
    v = draw(float_arrays((*lead_kv, S, Dv), -3, 3, dtype))
    return q, k, v, draw(st.sampled_from(MASK_KINDS))


def make_mask(kind, seed, T, S, dtype):
    """``(mask, kwargs)`` of one kind, drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    if kind == "bool":
        return rng.random((T, S)) < 0.6, {}
    if kind == "float":
        return np.where(rng.random((T, S)) < 0.7, rng.standard_normal((T, S)), -np.inf).astype(
            dtype
        ), {}
    if kind == "causal":
        return None, {"is_causal": True}
    if kind == "bool+causal":
        return rng.random((T, S)) < 0.7, {"is_causal": True}
    if kind == "fully masked rows":
        keep = rng.random((T, S)) < 0.5
        keep[rng.integers(T)] = False
        return keep, {}
    return None, {}


def both_paths(forward, backward, inputs, dout_seed, **kwargs):
    """``(readable, fast)``: each a tuple (out, *grads) for the same inputs and upstream grad."""
    results = []
    for enabled in (False, True):
        with attnlab.fast_path(enabled):
            out, cache = forward(*inputs, **kwargs)
            dout = np.random.default_rng(dout_seed).standard_normal(np.shape(out))
            grads = backward(dout.astype(out.dtype), cache)
        results.append((out, *(grads if isinstance(grads, tuple) else (grads,))))
    return results


def assert_attention_paths_agree(problem, seed, tol):
    """Readable and fast attention: same shapes and dtypes, values within ``tol``."""
    q, k, v, kind = problem
    mask, kwargs = make_mask(kind, seed, q.shape[-2], k.shape[-2], q.dtype)
    readable, tuned = both_paths(
        F.attention_forward, F.attention_backward, (q, k, v, mask), seed, **kwargs
    )
    for name, a, b in zip(("out", "dq", "dk", "dv"), readable, tuned, strict=True):
        assert a.shape == b.shape and a.dtype == b.dtype == q.dtype, name
        np.testing.assert_allclose(b, a, rtol=tol, atol=tol, err_msg=name)


@settings(max_examples=120, deadline=None)
@given(attention_problems(), seeds)
def test_fast_attention_equals_the_readable_one_to_1e_12(problem, seed):
    assert_attention_paths_agree(problem, seed, tol=1e-12)


@settings(max_examples=30, deadline=None)
@given(attention_problems(np.float32), seeds)
def test_fast_attention_equals_the_readable_one_in_float32(problem, seed):
    assert_attention_paths_agree(problem, seed, tol=1e-5)


def test_fast_attention_equals_the_readable_one_on_a_threaded_job_with_tail_blocks():
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((3, 5, 200, 16)) for _ in range(3))  # 4.8 MB of scores
    mask = rng.random((3, 1, 200, 200)) < 0.8
    try:
        attnlab.set_num_threads(2)
        readable, tuned = both_paths(F.attention_forward, F.attention_backward, (q, k, v, mask), 1)
    finally:
        attnlab.set_num_threads(None)
    for a, b in zip(readable, tuned, strict=True):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 4), min_size=0, max_size=3).map(tuple),
    st.sampled_from([np.float32, np.float64]),
    seeds,
)
def test_fast_gelu_equals_the_readable_one(shape, dtype, seed):
    x = (np.random.default_rng(seed).standard_normal(shape) * 4).astype(dtype)
    readable, tuned = both_paths(F.gelu_forward, F.gelu_backward, (x,), seed)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    for a, b in zip(readable, tuned, strict=True):
        assert np.shape(a) == np.shape(b) and np.asarray(b).dtype == dtype
        np.testing.assert_allclose(b, a, rtol=tol, atol=tol)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=0, max_size=3).map(tuple),
    st.integers(1, 6),
    st.integers(1, 4),
    st.sampled_from([np.float32, np.float64]),
    seeds,
)
def test_fast_embedding_backward_equals_the_readable_one(ids_shape, V, E, dtype, seed):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, V, ids_shape)  # few ids in a small vocabulary: many repeats
    weight = rng.standard_normal((V, E)).astype(dtype)
    dout = rng.standard_normal((*ids_shape, E)).astype(dtype)
    grads = []
    for enabled in (False, True):
        with attnlab.fast_path(enabled):
            _, cache = F.embedding_forward(ids, weight)
            grads.append(F.embedding_backward(dout, cache))
    readable, tuned = grads
    assert tuned.shape == readable.shape == (V, E) and tuned.dtype == readable.dtype == dtype
    if dtype == np.float64:
        np.testing.assert_allclose(tuned, readable, rtol=0, atol=1e-12)
        return
    # float32: the two add the same numbers in another order (reduceat sums pairwise), so
    # each is judged against the float64 truth, within n eps sum |dout| for a row of n ids.
    truth, size = np.zeros((V, E)), np.zeros((V, E))
    np.add.at(truth, ids, dout.astype(np.float64))
    np.add.at(size, ids, np.abs(dout.astype(np.float64)))
    count = np.bincount(ids.reshape(-1), minlength=V)[:, None]  # (V, 1)
    bound = count * np.finfo(np.float32).eps * size + 1e-30
    for got in (readable, tuned):
        assert np.all(np.abs(got - truth) <= bound)


def test_embedding_backward_takes_the_tuned_path_only_while_fast_is_on(monkeypatch):
    calls = []
    tuned = fast.embedding_backward
    monkeypatch.setattr(
        fast, "embedding_backward", lambda *a, **kw: calls.append(1) or tuned(*a, **kw)
    )
    _, cache = F.embedding_forward(np.array([0, 1, 1]), np.ones((2, 3)))
    F.embedding_backward(np.ones((3, 3)), cache)
    with attnlab.fast_path(False):
        F.embedding_backward(np.ones((3, 3)), cache)
    assert calls == [1]


def test_fast_multi_head_attention_equals_the_readable_one():
    rng = np.random.default_rng(3)
    mha = nn.MultiHeadAttention(12, 3, rng=1)
    x, kv = rng.standard_normal((2, 5, 12)), rng.standard_normal((2, 7, 12))
    mask = rng.random((2, 1, 5, 7)) < 0.7
    results = []
    for enabled in (False, True):
        with attnlab.fast_path(enabled):
            mha.zero_grad()
            out, w = mha(x, kv, kv, mask)
            grads = mha.backward(np.ones_like(out))
            results.append((out, w, *grads, *(g.copy() for g in mha.grads.values())))
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-12)


@pytest.mark.parametrize("forward_fast", [False, True])
def test_a_cache_from_either_path_gives_the_same_gradients_under_the_other(forward_fast):
    rng = np.random.default_rng(5)
    q, k, v = (
        rng.standard_normal((2, 4, 3)),
        rng.standard_normal((2, 6, 3)),
        rng.standard_normal((2, 6, 2)),
    )
    mask = rng.random((4, 6)) < 0.6
    dout = rng.standard_normal((2, 4, 2))
    x = rng.standard_normal((3, 5))
    with attnlab.fast_path(forward_fast):
        _, cache = F.attention_forward(q, k, v, mask)
        _, gcache = F.gelu_forward(x)
    for backward_fast in (False, True):  # same path and the other one
        with attnlab.fast_path(backward_fast):
            grads = F.attention_backward(dout, cache)
            dx = F.gelu_backward(x, gcache)
        with attnlab.fast_path(False):
            want = F.attention_backward(dout, F.attention_forward(q, k, v, mask)[1])
            want_dx = F.gelu_backward(x, F.gelu_forward(x)[1])
        for g, w in zip(grads, want, strict=True):
            np.testing.assert_allclose(g, w, rtol=0, atol=1e-12)
        np.testing.assert_allclose(dx, want_dx, rtol=0, atol=1e-12)


def test_the_switch_defaults_to_fast_and_the_context_manager_restores_it():
    assert attnlab.get_fast() is True
    with attnlab.fast_path(False):
        assert attnlab.get_fast() is False
        with attnlab.fast_path(True):
            assert attnlab.get_fast() is True
        assert attnlab.get_fast() is False
    assert attnlab.get_fast() is True
    with pytest.raises(RuntimeError), attnlab.fast_path(False):
        raise RuntimeError("inside")
    assert attnlab.get_fast() is True  # restored after an exception too
    try:
        attnlab.set_fast(False)
        assert attnlab.get_fast() is False
    finally:
        attnlab.set_fast(True)


@pytest.mark.parametrize("bad", [1, "yes", None])
def test_set_fast_wants_a_bool(bad):
    with pytest.raises(TypeError, match="enabled must be True or False"):
        attnlab.set_fast(bad)


def test_the_switch_chooses_which_code_runs(monkeypatch):
    calls = []
    tuned = fast.attention.attention_forward
    monkeypatch.setattr(
        fast, "attention_forward", lambda *a, **kw: calls.append(1) or tuned(*a, **kw)
    )
    x = np.ones((1, 3, 4))
    nn.MultiHeadAttention(4, 2)(x)  # modules take the fast path by default
    assert calls == [1]
    with attnlab.fast_path(False):
        nn.MultiHeadAttention(4, 2)(x)
    assert calls == [1]


@pytest.mark.parametrize(
    "function",
    [
        F.attention_forward,
        F.attention_backward,
        F.gelu_forward,
        F.gelu_backward,
        F.embedding_backward,
    ],
)
def test_the_shown_source_is_the_maths_not_the_tuning(function):
    source = inspect.getsource(function)
    body = source.split('"""')[2]  # after the docstring
    tunings = ("out=", "run_blocks", "copyto", "einsum", "*=", "+=", "-=", "argsort", "reduceat")
    for tuning in tunings:
        assert tuning not in body, f"{function.__name__} shows {tuning!r}"
    assert len([line for line in body.splitlines() if line.strip()]) <= 16
    if function is F.attention_forward:
        assert "scores = q @ k.swapaxes(-1, -2) * scale" in body
        assert "out = weights @ v" in body
    if function is F.attention_backward:
        for line in (
            "dweights = dout @ v",
            "dv = weights.swapaxes(-1, -2) @ dout",
            "dq = dscores @ k",
        ):
            assert line in body


def test_multi_head_attention_forward_shows_the_maths_after_one_validation_call():
    body = inspect.getsource(F.multi_head_attention_forward).split('"""')[2]
    for validation in ("raise", "isinstance", "check_base", "check_positions", "% 2"):
        assert validation not in body, f"multi_head_attention_forward shows {validation!r}"
    assert body.count("check_") == 1  # one helper validates everything ...
    tree = ast.parse(textwrap.dedent(inspect.getsource(F.multi_head_attention_forward)))
    first = tree.body[0].body[1]  # ... in the first statement after the docstring
    assert isinstance(first, ast.Assign) and first.value.func.id == "check_multi_head"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=4).map(tuple),
    st.integers(0, 300),
    st.integers(1, 500),
)
def test_head_blocks_cover_every_head_once_and_group_small_heads(batch, scores_per_head, target):
    seen = np.zeros(batch, dtype=int)
    blocks = list(fast.attention.head_blocks(batch, scores_per_head, target))
    for h in blocks:
        seen[h] += 1
        block_heads = seen[h].size
        assert block_heads * scores_per_head <= target or seen[h].shape[0] == 1
    assert (seen == 1).all()
    if 0 < scores_per_head * seen.size <= target:
        assert len(blocks) == 1  # everything fits: one block, one NumPy call per step
