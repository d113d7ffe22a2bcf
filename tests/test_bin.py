"""BiN: the published formulas (ddof=1 stds, the temporal guard), its guard on the feature
branch, and a hand-written backward that matches central differences."""

from __future__ import annotations

import numpy as np
import pytest

import attnlab
from attnlab.functional import bin_backward, bin_forward
from attnlab.nn import BiN


def params(rng, F, T):
    return (
        rng.standard_normal((T, 1)),
        rng.standard_normal((T, 1)),
        rng.standard_normal((F, 1)),
        rng.standard_normal((F, 1)),
        np.array([0.7]),
        np.array([0.3]),
    )


def test_bin_matches_the_formulas_written_out(rng):
    B, F, T = 2, 5, 7
    x = rng.standard_normal((B, F, T))
    l1, B1, l2, B2, y1, y2 = params(rng, F, T)
    out, _ = bin_forward(x, l1, B1, l2, B2, y1, y2)
    expected = np.empty_like(x)
    for b in range(B):
        for f in range(F):
            for t in range(T):
                row, col = x[b, f, :], x[b, :, t]
                z2 = (x[b, f, t] - row.mean()) / row.std(ddof=1)
                z1 = (x[b, f, t] - col.mean()) / col.std(ddof=1)
                expected[b, f, t] = y1[0] * (l1[t, 0] * z1 + B1[t, 0]) + y2[0] * (
                    l2[f, 0] * z2 + B2[f, 0]
                )
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_constant_rows_and_columns_give_finite_output_and_gradients(rng):
    x = rng.standard_normal((2, 4, 6))
    x[0, 1, :] = 3.0  # a feature constant over time: the published temporal guard
    x[1, :, 2] = -1.0  # a time step where every feature is equal: attnlab's feature guard
    p = params(rng, 4, 6)
    out, cache = bin_forward(x, *p)
    grads = bin_backward(rng.standard_normal(out.shape), cache)
    assert np.isfinite(out).all()
    assert all(np.isfinite(g).all() for g in grads)
    # the guard replaces the std by 1: the constant feature becomes exactly B2 in that branch
    np.testing.assert_allclose(cache.z2[0, 1], 0.0)
    np.testing.assert_allclose(cache.z1[1, :, 2], 0.0)


def test_temporal_guard_threshold_is_1e_minus_4(rng):
    x = rng.standard_normal((1, 3, 5))
    x[0, 0] = 1.0 + 1e-6 * np.arange(5)  # std ~ 1.6e-6 < 1e-4: replaced by 1
    x[0, 1] = 1.0 + 1e-3 * np.arange(5)  # std ~ 1.6e-3: kept
    _, cache = bin_forward(x, *params(rng, 3, 5))
    assert cache.guard2[0, 0, 0] and not cache.guard2[0, 1, 0]
    np.testing.assert_allclose(cache.z2[0, 0], x[0, 0] - x[0, 0].mean())


@pytest.mark.parametrize("guarded", [False, True])
def test_bin_gradcheck(rng, guarded):
    x = rng.standard_normal((2, 4, 5))
    if guarded:
        x[0, 2, :] = 0.5
        x[1, :, 3] = 2.0
    errors = attnlab.gradcheck(bin_forward, bin_backward, (x, *params(rng, 4, 5)), max_entries=None)
    assert set(errors) == {"x", "l1", "B1", "l2", "B2", "y1", "y2"}
    assert errors.passed(1e-6), str(errors)


def test_bin_module_gradcheck_and_init(rng):
    m = BiN(4, 6, rng=0)
    assert m.params.keys() == {"B1", "l1", "B2", "l2", "y1", "y2"}
    assert m.l1.shape == (6, 1) and m.l2.shape == (4, 1)
    np.testing.assert_array_equal(m.y1, [0.5])
    np.testing.assert_array_equal(m.B1, 0.0)
    errors = attnlab.gradcheck(m, inputs=(rng.standard_normal((3, 4, 6)),))
    assert errors.passed(1e-6), str(errors)


def test_float32_stays_float32(rng):
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    p = [a.astype(np.float32) for a in params(rng, 3, 4)]
    out, cache = bin_forward(x, *p)
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in bin_backward(np.ones_like(out), cache))


@pytest.mark.parametrize(
    "shape, match", [((3, 4), "shape \\(B, F, T\\)"), ((2, 1, 5), "at least 2")]
)
def test_bad_shapes_are_clear_errors(rng, shape, match):
    with pytest.raises(ValueError, match=match):
        bin_forward(np.ones(shape), *params(rng, 4, 5))


def test_wrong_parameter_shape_names_the_parameter(rng):
    l1, B1, l2, B2, y1, y2 = params(rng, 3, 4)
    with pytest.raises(ValueError, match="l2 must have shape \\(3, 1\\)"):
        bin_forward(rng.standard_normal((2, 3, 4)), l1, B1, l2[:2], B2, y1, y2)


def test_nan_input_is_an_error(rng):
    x = rng.standard_normal((1, 3, 4))
    x[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        bin_forward(x, *params(rng, 3, 4))


@pytest.mark.torch
def test_bin_matches_torch_module_in_twin(rng):
    import torch

    from attnlab.reference.tlob import torch_tlob  # the twin's BiN is its norm_layer

    F, T = 4, 8
    twin = torch_tlob(hidden_dim=8, num_layers=1, seq_size=T, num_features=F).double().norm_layer
    ours = BiN(F, T, rng=3)
    twin.load_state_dict({k: torch.tensor(v) for k, v in ours.state_dict().items()})
    x = rng.standard_normal((2, F, T))
    x[0, 1] = 2.0  # constant feature: both guard it
    xt = torch.tensor(x, requires_grad=True)
    g = rng.standard_normal(x.shape)
    twin(xt).backward(torch.tensor(g))
    out = ours(x)
    dx = ours.backward(g)
    np.testing.assert_allclose(out, twin(xt).detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), atol=1e-10)
    for name, p in twin.named_parameters():
        np.testing.assert_allclose(ours.grads[name], p.grad.numpy(), atol=1e-10, err_msg=name)
