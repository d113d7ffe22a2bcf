"""Every hand-written backward, op or module, agrees with central differences (rel. err <= 1e-6)."""

import numpy as np
import pytest

import attnlab
from attnlab import functional as F
from attnlab import nn

TOL = 1e-6


def _rng():
    return np.random.default_rng(42)


def test_gradcheck_linear_with_and_without_bias():
    rng = _rng()
    x, w, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4)), rng.standard_normal(5)
    err = attnlab.gradcheck(F.linear_forward, F.linear_backward, (x, w, b))
    assert set(err) == {"x", "weight", "bias"} and err.passed(TOL), err
    err = attnlab.gradcheck(F.linear_forward, F.linear_backward, (x, w))
    assert set(err) == {"x", "weight"} and err.passed(TOL), err


def test_gradcheck_layer_norm_including_a_constant_row():
    rng = _rng()
    x = rng.standard_normal((3, 6)) * 2 + 1
    x[1] = 0.25  # var = 0: r = 1 / sqrt(eps), still finite
    w, b = rng.standard_normal(6), rng.standard_normal(6)
    err = attnlab.gradcheck(F.layer_norm_forward, F.layer_norm_backward, (x, w, b))
    assert set(err) == {"x", "weight", "bias"} and err.passed(TOL), err


def test_gradcheck_gelu():
    x = np.linspace(-5, 5, 41).reshape(41) + 0.013
    err = attnlab.gradcheck(F.gelu_forward, F.gelu_backward, (x,))
    assert err.passed(TOL), err


def test_gradcheck_cross_entropy():
    rng = _rng()
    logits, targets = rng.standard_normal((4, 5)) * 3, np.array([0, 4, 2, 2])
    err = attnlab.gradcheck(
        F.cross_entropy_forward, F.cross_entropy_backward, (logits,), kwargs={"targets": targets}
    )
    assert err.passed(TOL), err


def test_cross_entropy_value_is_mean_negative_log_probability():
    logits, targets = np.array([[0.0, np.log(3.0)], [2.0, 2.0]]), np.array([1, 0])
    loss, _ = F.cross_entropy_forward(logits, targets)
    np.testing.assert_allclose(loss, -(np.log(0.75) + np.log(0.5)) / 2, rtol=1e-14)


def test_gradcheck_add_positions_gives_the_table_a_gradient():
    rng = _rng()
    x, table = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4))
    err = attnlab.gradcheck(F.add_positions_forward, F.add_positions_backward, (x, table))
    assert set(err) == {"x", "table"} and err.passed(TOL), err


@pytest.mark.parametrize("bias", [True, False])
def test_gradcheck_multi_head_attention_functional(bias):
    rng = _rng()
    E, H = 6, 3
    q, kv = rng.standard_normal((2, 3, E)), rng.standard_normal((2, 4, E))
    w_in, w_out = rng.standard_normal((3 * E, E)) * 0.5, rng.standard_normal((E, E)) * 0.5
    b_in = rng.standard_normal(3 * E) if bias else None  # None inputs are passed through
    b_out = rng.standard_normal(E) if bias else None
    err = attnlab.gradcheck(
        F.multi_head_attention_forward,
        F.multi_head_attention_backward,
        (q, kv, kv, w_in, b_in, w_out, b_out),
        kwargs={"num_heads": H, "is_causal": True},
    )
    assert len(err) == (7 if bias else 5) and err.passed(TOL), err


def _module_cases():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 4, 6))
    mask = rng.random((2, 1, 4, 4)) < 0.6
    mask[..., 0] = True  # every query keeps a key
    mask[1, 0, 2] = False  # ... except one: a fully masked row is fine here too
    return {
        "Linear": (nn.Linear(6, 3, rng=1), (x,), {}),
        "Linear without bias": (nn.Linear(6, 3, bias=False, rng=1), (x,), {}),
        "LayerNorm": (nn.LayerNorm(6), (x,), {}),
        "GELU": (nn.GELU(), (x,), {}),
        "MHA self": (nn.MultiHeadAttention(6, 2, rng=1), (x,), {}),
        "MHA causal": (nn.MultiHeadAttention(6, 3, rng=2), (x,), {"is_causal": True}),
        "MHA bool mask": (nn.MultiHeadAttention(6, 2, rng=3), (x,), {"mask": mask}),
        "MHA cross": (nn.MultiHeadAttention(6, 2, rng=4), (x[:, :3], x, x), {}),
        "MHA no bias": (nn.MultiHeadAttention(6, 1, bias=False, rng=5), (x,), {"is_causal": True}),
        "SinusoidalPositionalEncoding": (nn.SinusoidalPositionalEncoding(7, 6), (x,), {}),
        "LearnablePositionalEncoding": (nn.LearnablePositionalEncoding(5, 6, rng=6), (x,), {}),
    }


@pytest.mark.parametrize("name", list(_module_cases()))
def test_gradcheck_module_inputs_and_every_parameter(name):
    module, inputs, kwargs = _module_cases()[name]
    if "LayerNorm" in name:  # move away from weight 1, bias 0
        module.load_state_dict({"weight": np.linspace(0.5, 2, 6), "bias": np.linspace(-1, 1, 6)})
    err = attnlab.gradcheck(module, inputs=inputs, kwargs=kwargs)
    assert set(module.params) <= set(err), err
    assert err.passed(TOL), f"{name}:\n{err}"


def test_mha_backward_returns_three_input_gradients_whose_sum_is_the_self_attention_gradient():
    mha = nn.MultiHeadAttention(4, 2, rng=0)
    x = np.random.default_rng(0).standard_normal((1, 3, 4))
    out, w = mha(x, is_causal=True)
    assert out.shape == (1, 3, 4) and w.shape == (1, 2, 3, 3)
    grads = mha.backward(np.ones_like(out))
    assert len(grads) == 3 and all(g.shape == x.shape for g in grads)


def test_module_backward_adds_into_grads_and_zero_grad_resets():
    lin = nn.Linear(3, 2, rng=0)
    x = np.ones((4, 3))
    lin(x)
    lin.backward(np.ones((4, 2)))
    first = lin.grads["weight"].copy()
    lin(x)
    lin.backward(np.ones((4, 2)))
    np.testing.assert_allclose(lin.grads["weight"], 2 * first)
    lin.zero_grad()
    assert all((g == 0).all() for g in lin.grads.values())


@pytest.mark.parametrize(
    "dtype, size", [(np.float64, 1e200), (np.float64, 1e-200), (np.float32, 1e30)]
)
def test_layer_norm_of_huge_or_tiny_rows_is_right_not_zero(dtype, size):
    # xhat of [c, -c, c, -c] is [1, -1, 1, -1] for any c much larger than sqrt(eps)
    x = np.array([[1.0, -1.0, 1.0, -1.0], [3.0, 1.0, -2.0, 0.5]]) * np.array([[size], [1.0]])
    x = x.astype(dtype)
    w, b = np.ones(4, dtype), np.zeros(4, dtype)
    y, cache = F.layer_norm_forward(x, w, b)
    y_ref, _ = F.layer_norm_forward(x[1:].astype(np.float64), np.ones(4), np.zeros(4))
    if size > 1:
        np.testing.assert_allclose(y[0], [1, -1, 1, -1], rtol=1e-6)
    else:  # far below sqrt(eps): (x - mu) / sqrt(eps) ~ 0
        assert np.abs(y[0]).max() < 1e-190
    np.testing.assert_allclose(y[1], y_ref[0], rtol=1e-6)
    # LayerNorm ignores the row's scale: dx at c * x is dx at x divided by c
    dy = np.random.default_rng(0).standard_normal(x.shape).astype(dtype)
    dx, _, _ = F.layer_norm_backward(dy, cache)
    assert np.isfinite(dx).all()
    if size > 1:
        _, unit_cache = F.layer_norm_forward(
            np.array([[1.0, -1.0, 1.0, -1.0]]), np.ones(4), np.zeros(4)
        )
        dx_unit, _, _ = F.layer_norm_backward(dy[:1].astype(np.float64), unit_cache)
        np.testing.assert_allclose(
            dx[0].astype(np.float64) * size, dx_unit[0], rtol=1e-4, atol=1e-9
        )


def test_gradcheck_layer_norm_on_rows_larger_than_one():
    rng = _rng()
    x = rng.standard_normal((3, 6)) * 50 + 20  # the rows are scaled by their largest |x|
    w, b = rng.standard_normal(6), rng.standard_normal(6)
    err = attnlab.gradcheck(F.layer_norm_forward, F.layer_norm_backward, (x, w, b))
    assert err.passed(TOL), err
