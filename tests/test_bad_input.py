"""Every public function refuses bad input up front, naming the argument and the shapes."""

import warnings

import numpy as np
import pytest

import attnlab
from attnlab import functional as F
from attnlab import nn
from attnlab.optim import SGD, Adam
from attnlab.reference import (
    compare_attention,
    compare_multi_head_attention,
    compare_optimizer,
    compare_softmax,
    golden,
)

z = np.zeros
sdpa = attnlab.scaled_dot_product_attention


def _forward_then(module, x):
    """Run ``module`` forward on ``x`` and return the module (to call its backward next)."""
    module(x)
    return module


# (description, call, exception type, regex the message must match)
CASES = [
    # attention
    (
        "q without a T axis",
        lambda: sdpa(z(4), z((3, 4)), z((3, 4))),
        ValueError,
        r"q must have shape \(\.\.\., T, D\).*\(4,\)",
    ),
    (
        "D mismatch between q and k",
        lambda: sdpa(z((2, 8, 16, 64)), z((2, 8, 16, 32)), z((2, 8, 16, 32))),
        ValueError,
        r"k has 32 features but q has 64 \(q: \(2, 8, 16, 64\), k: \(2, 8, 16, 32\)",
    ),
    (
        "S mismatch between k and v",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((6, 4))),
        ValueError,
        r"v has 6 keys/values but k has 5",
    ),
    (
        "batch dims that do not broadcast",
        lambda: sdpa(z((2, 3, 4)), z((3, 5, 4)), z((3, 5, 4))),
        ValueError,
        r"do not broadcast.*\(2, 3, 4\)",
    ),
    (
        "mask that does not broadcast",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((5, 4)), np.ones((3, 4), bool)),
        ValueError,
        r"mask of shape \(3, 4\) does not broadcast.*\(3, 5\)",
    ),
    (
        "int mask",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((5, 4)), np.ones((3, 5), int)),
        TypeError,
        r"mask must be boolean.*int64",
    ),
    (
        "NaN in q",
        lambda: sdpa(np.full((3, 4), np.nan), z((5, 4)), z((5, 4))),
        ValueError,
        r"q contains NaN \(shape \(3, 4\)\)",
    ),
    (
        "inf in v",
        lambda: sdpa(z((3, 4)), z((5, 4)), np.full((5, 4), np.inf)),
        ValueError,
        r"v contains inf",
    ),
    (
        "+inf in a float mask",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((5, 4)), np.full((3, 5), np.inf)),
        ValueError,
        r"mask contains \+inf",
    ),
    ("string q", lambda: sdpa("abc", z((5, 4)), z((5, 4))), TypeError, r"q must hold real numbers"),
    (
        "scale NaN",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((5, 4)), scale=float("nan")),
        ValueError,
        r"scale must be a finite",
    ),
    (
        "scale string",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((5, 4)), scale="a"),
        TypeError,
        r"scale must be a number",
    ),
    (
        "dout of the wrong shape",
        lambda: F.attention_backward(
            z((2, 2)), F.attention_forward(z((3, 4)), z((5, 4)), z((5, 4)))[1]
        ),
        ValueError,
        r"dout must have the forward output's shape \(3, 4\), got \(2, 2\)",
    ),
    # softmax
    ("softmax of a string", lambda: attnlab.softmax("x"), TypeError, r"x must hold real numbers"),
    (
        "softmax int mask",
        lambda: attnlab.softmax(z((2, 3)), mask=np.ones((2, 3), int)),
        TypeError,
        r"mask must be boolean.*int64",
    ),
    (
        "softmax mask shape",
        lambda: attnlab.softmax(z((2, 3)), mask=np.ones(4, bool)),
        ValueError,
        r"mask of shape \(4,\).*\(2, 3\)",
    ),
    (
        "softmax axis",
        lambda: attnlab.softmax(z((2, 3)), axis=2),
        ValueError,
        r"axis=2 is out of range",
    ),
    (
        "softmax +inf",
        lambda: attnlab.softmax(np.array([np.inf, 0.0])),
        ValueError,
        r"x contains \+inf",
    ),
    (
        "softmax NaN",
        lambda: attnlab.softmax(np.array([np.nan, 0.0])),
        ValueError,
        r"x contains NaN",
    ),
    # linear, layer_norm, gelu, cross-entropy
    (
        "linear feature mismatch",
        lambda: F.linear_forward(z((2, 3)), z((4, 5))),
        ValueError,
        r"x has 3 features but weight expects 5 \(x: \(2, 3\), weight: \(4, 5\)\)",
    ),
    (
        "linear bias shape",
        lambda: F.linear_forward(z((2, 3)), z((4, 3)), z(5)),
        ValueError,
        r"bias must have shape \(4,\), got \(5,\)",
    ),
    (
        "linear 1-d weight",
        lambda: F.linear_forward(z((2, 3)), z(3)),
        ValueError,
        r"weight must have shape \(F_out, F_in\)",
    ),
    (
        "linear scalar x",
        lambda: F.linear_forward(1.0, z((4, 3))),
        ValueError,
        r"x must have shape \(\.\.\., F_in\)",
    ),
    (
        "layer_norm weight shape",
        lambda: F.layer_norm_forward(z((2, 3)), z(4), z(3)),
        ValueError,
        r"weight must have shape \(3,\).*\(4,\)",
    ),
    (
        "layer_norm eps 0",
        lambda: F.layer_norm_forward(z((2, 3)), z(3), z(3), eps=0),
        ValueError,
        r"eps must be > 0",
    ),
    ("gelu of strings", lambda: F.gelu_forward(["a"]), TypeError, r"x must hold real numbers"),
    (
        "cross-entropy float targets",
        lambda: F.cross_entropy_forward(z((2, 3)), np.array([0.0, 1.0])),
        TypeError,
        r"targets must be integer",
    ),
    (
        "cross-entropy target out of range",
        lambda: F.cross_entropy_forward(z((2, 3)), np.array([0, 3])),
        ValueError,
        r"targets must lie in \[0, 3\)",
    ),
    (
        "cross-entropy 1-d logits",
        lambda: F.cross_entropy_forward(z(3), np.array([0])),
        ValueError,
        r"logits must have shape \(B, C\)",
    ),
    # masks
    (
        "causal_mask negative",
        lambda: attnlab.causal_mask(-1),
        ValueError,
        r"t must be >= 1, got -1",
    ),
    ("causal_mask float", lambda: attnlab.causal_mask(2.5), TypeError, r"t must be an int"),
    (
        "negative lengths",
        lambda: attnlab.padding_mask([3, -1], 4),
        ValueError,
        r"lengths must be >= 0, got \[3, -1\]",
    ),
    (
        "length over max_len",
        lambda: attnlab.padding_mask([3, 5], 4),
        ValueError,
        r"length \(5\) is larger than max_len=4",
    ),
    ("2-d lengths", lambda: attnlab.padding_mask([[3]], 4), ValueError, r"lengths must be 1-d"),
    ("fractional lengths", lambda: attnlab.padding_mask([1.5], 4), TypeError, r"whole numbers"),
    (
        "key_mask of ints",
        lambda: attnlab.key_mask(np.ones((2, 3), int)),
        TypeError,
        r"pad must be a boolean \(B, S\) mask.*int64",
    ),
    # positions
    ("odd dim", lambda: attnlab.sinusoidal_encoding(4, 5), ValueError, r"dim must be even.*5"),
    ("zero length", lambda: attnlab.sinusoidal_encoding(0, 4), ValueError, r"length must be >= 1"),
    (
        "input longer than the table",
        lambda: nn.SinusoidalPositionalEncoding(3, 4)(z((1, 5, 4))),
        ValueError,
        r"sequence has 5 positions but the table only covers 3",
    ),
    (
        "learned table too short",
        lambda: nn.LearnablePositionalEncoding(3, 4)(z((1, 5, 4))),
        ValueError,
        r"only covers 3",
    ),
    (
        "position table width",
        lambda: nn.SinusoidalPositionalEncoding(3, 4)(z((1, 2, 6))),
        ValueError,
        r"x has 6 features but the position table has 4",
    ),
    # modules
    (
        "num_heads not dividing embed_dim",
        lambda: nn.MultiHeadAttention(10, 3),
        ValueError,
        r"embed_dim 10 is not divisible by num_heads 3",
    ),
    ("zero heads", lambda: nn.MultiHeadAttention(8, 0), ValueError, r"num_heads must be >= 1"),
    (
        "functional num_heads not dividing",
        lambda: F.multi_head_attention_forward(
            z((1, 2, 6)), z((1, 2, 6)), z((1, 2, 6)), z((18, 6)), None, z((6, 6)), None, 4
        ),
        ValueError,
        r"embed_dim 6 is not divisible by num_heads 4",
    ),
    (
        "MHA query of the wrong width",
        lambda: nn.MultiHeadAttention(8, 2)(z((2, 3, 6))),
        ValueError,
        r"query has 6 features but the projection weights expect 8",
    ),
    (
        "MHA 2-d query",
        lambda: nn.MultiHeadAttention(4, 2)(z((3, 4))),
        ValueError,
        r"query must have shape \(B, L, E\), got \(3, 4\)",
    ),
    (
        "MHA key/value mismatch",
        lambda: nn.MultiHeadAttention(4, 2)(z((2, 3, 4)), z((2, 5, 4)), z((2, 4, 4))),
        ValueError,
        r"key \(2, 5, 4\) and value \(2, 4, 4\)",
    ),
    (
        "MHA batch mismatch",
        lambda: nn.MultiHeadAttention(4, 2)(z((2, 3, 4)), z((3, 3, 4))),
        ValueError,
        r"query has batch 2 but key has 3",
    ),
    (
        "MHA mask shape",
        lambda: nn.MultiHeadAttention(4, 2)(z((2, 3, 4)), mask=np.ones((5, 5), bool)),
        ValueError,
        r"mask of shape \(5, 5\)",
    ),
    (
        "MHA int mask",
        lambda: nn.MultiHeadAttention(4, 2)(z((2, 3, 4)), mask=np.ones((3, 3), int)),
        TypeError,
        r"mask must be boolean",
    ),
    ("Linear with 0 inputs", lambda: nn.Linear(0, 2), ValueError, r"in_features must be >= 1"),
    ("LayerNorm size -1", lambda: nn.LayerNorm(-1), ValueError, r"normalized_shape must be >= 1"),
    (
        "Linear on the wrong width",
        lambda: nn.Linear(3, 2)(z((4, 5))),
        ValueError,
        r"x has 5 features but weight expects 3",
    ),
    (
        "state_dict missing key",
        lambda: nn.Linear(3, 2).load_state_dict({"weight": z((2, 3))}),
        KeyError,
        r"missing keys \['bias'\]",
    ),
    (
        "state_dict unexpected key",
        lambda: nn.Linear(3, 2).load_state_dict({"weight": z((2, 3)), "bias": z(2), "x": z(1)}),
        KeyError,
        r"unexpected keys \['x'\]",
    ),
    (
        "state_dict wrong shape",
        lambda: nn.Linear(3, 2).load_state_dict({"weight": z((3, 3)), "bias": z(2)}),
        ValueError,
        r"weight: expected \(2, 3\), got \(3, 3\)",
    ),
    # optimizers and tools
    ("negative lr", lambda: SGD(nn.Linear(2, 2), lr=-1), ValueError, r"lr must be >= 0"),
    (
        "nesterov without momentum",
        lambda: SGD(nn.Linear(2, 2), lr=1, nesterov=True),
        ValueError,
        r"nesterov",
    ),
    (
        "beta2 = 1",
        lambda: Adam(nn.Linear(2, 2), betas=(0.9, 1.0)),
        ValueError,
        r"betas\[1\] must be in \[0, 1.0\)",
    ),
    (
        "params/grads keys differ",
        lambda: SGD({"a": z(2)}, {"b": z(2)}, lr=1),
        ValueError,
        r"same keys",
    ),
    (
        "grads of the wrong shape",
        lambda: Adam({"a": z(2)}, {"a": z(3)}),
        ValueError,
        r"grads\['a'\] has shape \(3,\) but params\['a'\] has \(2,\)",
    ),
    ("params without grads", lambda: Adam({"a": z(2)}), TypeError, r"two dicts"),
    # issue 9, item 11: raw errors where a clear one is due
    (
        "split_heads of a 2-d array",
        lambda: F.split_heads(z((3, 4)), 2),
        ValueError,
        r"x must have shape \(B, T, E\) with E divisible by num_heads=2, got \(3, 4\)",
    ),
    (
        "split_heads with heads not dividing E",
        lambda: F.split_heads(z((1, 3, 5)), 2),
        ValueError,
        r"E divisible by num_heads=2, got \(1, 3, 5\)",
    ),
    ("split_heads with 0 heads", lambda: F.split_heads(z((1, 3, 4)), 0), ValueError, r"num_heads"),
    (
        "merge_heads of a 3-d array",
        lambda: F.merge_heads(z((2, 3, 4))),
        ValueError,
        r"x must have shape \(B, H, T, D\), got \(2, 3, 4\)",
    ),
    (
        "padding_mask of inf",
        lambda: attnlab.padding_mask([np.inf]),
        ValueError,
        r"lengths must be finite whole numbers, got \[inf\]",
    ),
    (
        "padding_mask of NaN",
        lambda: attnlab.padding_mask([2, np.nan]),
        ValueError,
        r"lengths must be finite",
    ),
    (
        "key_mask of a 3-d bool array",
        lambda: attnlab.key_mask(np.ones((2, 3, 4), bool)),
        ValueError,
        r"pad must be a 2-d boolean \(B, S\) mask, got shape \(2, 3, 4\)",
    ),
    (
        "sinusoidal base as a string",
        lambda: attnlab.sinusoidal_encoding(4, 4, base="10"),
        TypeError,
        r"base must be a number, got str",
    ),
    (
        "sinusoidal base NaN",
        lambda: attnlab.sinusoidal_encoding(4, 4, base=float("nan")),
        ValueError,
        r"base must be a finite number",
    ),
    ("LayerNorm eps string", lambda: nn.LayerNorm(4, eps="a"), TypeError, r"eps must be a number"),
    ("LayerNorm eps 0", lambda: nn.LayerNorm(4, eps=0.0), ValueError, r"eps must be > 0"),
    (
        "layer_norm eps string",
        lambda: F.layer_norm_forward(z((2, 3)), z(3), z(3), eps="a"),
        TypeError,
        r"eps must be a number",
    ),
    (
        "layer_norm over zero features",
        lambda: F.layer_norm_forward(z((2, 0)), z(0), z(0)),
        ValueError,
        r"x must have at least one feature",
    ),
    (
        "is_causal as a string",
        lambda: sdpa(z((3, 4)), z((5, 4)), z((5, 4)), is_causal="yes"),
        TypeError,
        r"is_causal must be True or False",
    ),
    (
        "a cache from another op",
        lambda: F.attention_backward(z((3, 2)), F.softmax_forward(z((3, 2)))[1]),
        TypeError,
        r"cache must be the AttentionCache returned by attention_forward, got SoftmaxCache",
    ),
    (
        "no cache at all",
        lambda: F.layer_norm_backward(z((3, 2)), None),
        TypeError,
        r"cache must be the LayerNormCache returned by layer_norm_forward, got NoneType",
    ),
    (
        "cross-entropy with no rows",
        lambda: F.cross_entropy_forward(z((0, 3)), np.zeros(0, int)),
        ValueError,
        r"logits must have at least one row and one class",
    ),
    (
        "cross-entropy dloss string",
        lambda: F.cross_entropy_backward(
            "a", F.cross_entropy_forward(z((2, 3)), np.array([0, 1]))[1]
        ),
        TypeError,
        r"dloss must be a number",
    ),
    # issue 9, item 14: the dtype contract
    (
        "float16 q",
        lambda: sdpa(z((3, 4), np.float16), z((5, 4)), z((5, 4))),
        TypeError,
        r"q has dtype float16; attnlab computes in float32 or float64",
    ),
    (
        "longdouble x",
        lambda: attnlab.softmax(z(3, np.longdouble)),
        TypeError,
        r"x has dtype float128|x has dtype longdouble",
    ),
    ("bool x for gelu", lambda: F.gelu_forward(z(3, bool)), TypeError, r"x must hold real numbers"),
    (
        "sinusoidal table of ints",
        lambda: attnlab.sinusoidal_encoding(4, 4, dtype=int),
        TypeError,
        r"dtype must be np.float32 or np.float64",
    ),
    (
        "MHA of int64",
        lambda: nn.MultiHeadAttention(4, 2, dtype=np.int64),
        TypeError,
        r"dtype must be np.float32 or np.float64",
    ),
    # issue 9, item 8: every backward checks dout's full shape
    (
        "learnable positions, dout of another batch size",
        lambda: _forward_then(nn.LearnablePositionalEncoding(5, 4), z((2, 3, 4))).backward(
            z((7, 3, 4))
        ),
        ValueError,
        r"dout must have the forward output's shape \(2, 3, 4\), got \(7, 3, 4\)",
    ),
    (
        "add_positions, dout of another batch size",
        lambda: F.add_positions_backward(
            z((1, 3, 4)), F.add_positions_forward(z((2, 3, 4)), z((5, 4)))[1]
        ),
        ValueError,
        r"dout must have the forward output's shape \(2, 3, 4\), got \(1, 3, 4\)",
    ),
    (
        "MHA dout of another length",
        lambda: _forward_then(nn.MultiHeadAttention(4, 2), z((2, 3, 4))).backward(z((2, 5, 4))),
        ValueError,
        r"dout must have the forward output's shape \(2, 3, 4\), got \(2, 5, 4\)",
    ),
    (
        "softmax dout of another shape",
        lambda: F.softmax_backward(z((3, 2)), F.softmax_forward(z((2, 3)))[1]),
        ValueError,
        r"dout must have the forward output's shape \(2, 3\), got \(3, 2\)",
    ),
    (
        "gelu dout of another shape",
        lambda: F.gelu_backward(z(4), F.gelu_forward(z(3))[1]),
        ValueError,
        r"dout must have the forward output's shape \(3,\), got \(4,\)",
    ),
    (
        "tiled dout of another shape",
        lambda: F.tiled_attention_backward(
            z((3, 4)), F.tiled_attention_forward(z((3, 4)), z((5, 4)), z((5, 2)))[1]
        ),
        ValueError,
        r"dout must have the forward output's shape \(3, 2\), got \(3, 4\)",
    ),
    # the torch comparisons validate with attnlab's checks before they need torch
    (
        "compare_attention D mismatch",
        lambda: compare_attention(z((3, 4)), z((3, 5)), z((3, 5))),
        ValueError,
        r"k has 5 features but q has 4",
    ),
    (
        "compare_softmax bad mask",
        lambda: compare_softmax(z((2, 3)), mask=np.ones((2, 3), int)),
        TypeError,
        r"mask must be boolean",
    ),
    (
        "compare_multi_head_attention 2-d query",
        lambda: compare_multi_head_attention(nn.MultiHeadAttention(4, 2), z((3, 4))),
        ValueError,
        r"query must have shape \(B, L, E\)",
    ),
    (
        "compare_optimizer unknown name",
        lambda: compare_optimizer("rmsprop", {"w": z(2)}),
        ValueError,
        r"name must be one of \['adam', 'sgd'\]",
    ),
    (
        "golden case that does not exist",
        lambda: golden.load("nope"),
        KeyError,
        r"no golden case 'nope'",
    ),
    (
        "gradcheck without backward",
        lambda: attnlab.gradcheck(F.gelu_forward, None, (z(2),)),
        TypeError,
        r"backward is missing",
    ),
]


@pytest.mark.parametrize("call,exc,pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_a_torch_tensor_is_refused_with_a_hint():
    class FakeTensor:  # duck-typed like torch.Tensor, so the test needs no torch
        def detach(self):
            return self

        def numpy(self):
            return z((2, 2))

    with pytest.raises(TypeError, match=r"q is a torch tensor.*detach\(\)\.cpu\(\)\.numpy\(\)"):
        sdpa(FakeTensor(), z((2, 2)), z((2, 2)))


def _opposite_rows(value, dtype):
    """q (1, 1, 2, 4): a row of ``value`` and its negation; q q^T overflows ``dtype``."""
    q = np.full((1, 1, 2, 4), value, dtype)
    q[..., 1, :] *= -1
    return q


OVERFLOWING_SCORES = {
    "float32 q k^T": (lambda: (_opposite_rows(1e20, np.float32),) * 3, {}, "float32"),
    "float64 q k^T": (lambda: (_opposite_rows(1e154, np.float64),) * 3, {}, "float64"),
    "float64 scale": (lambda: (np.ones((1, 1, 2, 4)),) * 3, {"scale": 1e308}, "float64"),
    "float32 mixed signs": (
        lambda: (np.array([[[1e20, -1e20], [1e20, 1e20]]], np.float32),) * 3,
        {},
        "float32",
    ),
    "float mask": (
        lambda: (np.full((1, 2, 4), 1e153),) * 3,
        {"mask": np.full((2, 2), 1.79e308)},
        "float64",
    ),
}


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "readable"])
@pytest.mark.parametrize("case", list(OVERFLOWING_SCORES))
@pytest.mark.parametrize(
    "attention",
    [F.attention_forward, F.tiled_attention_forward, sdpa],
    ids=["attention", "tiled", "sdpa"],
)
def test_scores_that_overflow_from_finite_input_are_a_clear_error_not_nan(attention, case, fast):
    make, kwargs, dtype = OVERFLOWING_SCORES[case]
    with attnlab.fast_path(fast), warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning may escape either
        with pytest.raises(OverflowError, match=rf"scores q k\^T \* scale.*overflowed {dtype}"):
            attention(*make(), **kwargs)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "readable"])
def test_overflowing_scores_in_multi_head_attention_are_a_clear_error(fast):
    mha = nn.MultiHeadAttention(4, 2, bias=False, rng=0)
    mha.in_proj_weight = np.tile(np.eye(4), (3, 1)) * 1e155  # q = k = v = x * 1e155
    x = _opposite_rows(1.0, np.float64)[0]  # (1, 2, 4)
    with attnlab.fast_path(fast), warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(OverflowError, match="overflowed float64"):
            mha(x)


def test_a_fully_masked_row_still_gives_zeros_not_an_overflow_error():
    q = np.ones((1, 2, 4))
    for fast in (True, False):
        with attnlab.fast_path(fast):
            out, cache = F.attention_forward(q, q, q, np.array([[True, True], [False, False]]))
            np.testing.assert_array_equal(out[0, 1], 0.0)
            np.testing.assert_array_equal(cache.weights[0, 1], 0.0)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "readable"])
@pytest.mark.parametrize(
    "forward, backward",
    [
        (F.attention_forward, F.attention_backward),
        (F.tiled_attention_forward, F.tiled_attention_backward),
    ],
    ids=["attention", "tiled"],
)
def test_scores_near_the_float64_limit_give_exact_weights_without_warnings(forward, backward, fast):
    q = np.array([[1.0], [-1.0]])  # scores +-1.5e308: finite, but their differences are not
    v = np.array([[1.0, 2.0], [3.0, 4.0]])
    with attnlab.fast_path(fast), warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = forward(q, q, v, scale=1.5e308)
        grads = backward(np.ones_like(out), cache)
    np.testing.assert_array_equal(out, v)  # each query attends only to itself
    assert all(np.isfinite(g).all() for g in grads)


def test_softmax_of_logits_near_the_float64_limit_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, _ = F.softmax_forward(np.array([[1e308, -1e308, 0.0]]))
    np.testing.assert_array_equal(out, [[1.0, 0.0, 0.0]])
