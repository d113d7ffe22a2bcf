"""SGD and Adam: torch's update rules, applied in place; checked by hand and against torch.optim."""

import numpy as np
import pytest

from attnlab import nn
from attnlab.functional import cross_entropy_backward, cross_entropy_forward
from attnlab.optim import SGD, Adam


def _pair(value=1.0, grad=0.5):
    return {"w": np.array([value, -value])}, {"w": np.array([grad, grad])}


def test_sgd_plain_step_is_p_minus_lr_g():
    params, grads = _pair()
    SGD(params, grads, lr=0.1).step()
    np.testing.assert_allclose(params["w"], [1 - 0.05, -1 - 0.05])


def test_sgd_momentum_and_weight_decay_follow_torchs_recurrence():
    params, grads = _pair(value=2.0, grad=1.0)
    opt = SGD(params, grads, lr=0.1, momentum=0.9, weight_decay=0.5)
    p = 2.0
    buf = None
    for _ in range(3):
        g = 1.0 + 0.5 * p
        buf = g if buf is None else 0.9 * buf + g
        p -= 0.1 * buf
        opt.step()
    np.testing.assert_allclose(params["w"][0], p, rtol=1e-14)


def test_adam_first_step_moves_each_parameter_by_about_lr():
    # after bias correction m / sqrt(v) = g / |g|: the first step has size lr whatever |g|
    params = {"w": np.array([1.0, 1.0, 1.0])}
    grads = {"w": np.array([1e-3, -5.0, 300.0])}
    Adam(params, grads, lr=0.01).step()
    np.testing.assert_allclose(params["w"], [0.99, 1.01, 0.99], rtol=1e-6)


def test_updates_are_in_place_on_the_modules_arrays():
    lin = nn.Linear(3, 2, rng=0)
    weight = lin.weight
    before = weight.copy()
    lin.grads["weight"][...] = 1.0
    Adam(lin, lr=0.1).step()
    assert lin.weight is weight
    assert not np.array_equal(weight, before)


def test_zero_grad_clears_module_and_dict_gradients():
    lin = nn.Linear(3, 2)
    lin.grads["weight"][...] = 1.0
    SGD(lin, lr=0.1).zero_grad()
    assert (lin.grads["weight"] == 0).all()
    params, grads = _pair()
    SGD(params, grads, lr=0.1).zero_grad()
    assert (grads["w"] == 0).all()


@pytest.mark.parametrize(
    "make", [lambda m: SGD(m, lr=0.1, momentum=0.9), lambda m: Adam(m, lr=0.01)]
)
def test_float32_parameters_stay_float32(make):
    lin = nn.Linear(3, 2, dtype=np.float32)
    lin.grads["weight"][...] = 1.0
    opt = make(lin)
    opt.step()
    opt.step()
    assert lin.weight.dtype == np.float32
    assert all(
        b.dtype == np.float32 for s in opt.state.values() for b in s.values() if hasattr(b, "dtype")
    )


@pytest.mark.parametrize(
    "make", [lambda m: SGD(m, lr=0.5, momentum=0.9), lambda m: Adam(m, lr=0.05)]
)
def test_training_a_linear_classifier_lowers_the_loss(make):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4))
    y = (x[:, 0] + x[:, 1] > 0).astype(int)
    model = nn.Linear(4, 2, rng=1)
    opt = make(model)
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss, cache = cross_entropy_forward(model(x), y)
        model.backward(cross_entropy_backward(1.0, cache))
        opt.step()
        losses.append(loss)
    assert losses[-1] < 0.5 * losses[0]


SETTINGS = {
    "sgd plain": ("sgd", {"lr": 0.1}),
    "sgd momentum + decay": ("sgd", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
    "sgd dampening": ("sgd", {"lr": 0.05, "momentum": 0.5, "dampening": 0.3}),
    "sgd nesterov": ("sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    "adam default": ("adam", {"lr": 1e-3}),
    "adam betas + decay": ("adam", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.1}),
    "adam amsgrad": ("adam", {"lr": 0.01, "amsgrad": True, "eps": 1e-6}),
}


@pytest.mark.torch
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_optimizer_matches_torch_optim_over_several_steps(setting, dtype):
    from attnlab.reference import compare_optimizer

    name, hyper = SETTINGS[setting]
    model = nn.MultiHeadAttention(8, 2, rng=0, dtype=dtype)
    report = compare_optimizer(name, model, steps=6, seed=3, **hyper)
    assert {d.name for d in report.diffs} == set(model.params)
    if dtype == np.float64:
        assert report.max_abs <= 1e-10, report
    else:
        assert report.passed(rel_tol=1e-5), report


@pytest.mark.parametrize("betas", [0.9, (0.9,), "ab", None])
def test_adam_betas_must_be_a_pair(betas):
    with pytest.raises(TypeError, match=r"betas must be a pair \(beta1, beta2\)"):
        Adam(nn.Linear(2, 2), betas=betas)


@pytest.mark.parametrize("make", [lambda p, g: SGD(p, g, lr=0.1), lambda p, g: Adam(p, g)])
def test_a_read_only_parameter_is_refused_when_the_optimizer_is_built(make):
    w = np.ones(3)
    w.flags.writeable = False
    with pytest.raises(ValueError, match="parameter 'w' is read-only"):
        make({"w": w}, {"w": np.ones(3)})


@pytest.mark.parametrize("make", [lambda m: SGD(m, lr=0.1), lambda m: Adam(m)])
def test_a_parameter_made_read_only_later_stops_the_step_before_any_update(make):
    model = nn.MultiHeadAttention(4, 2, rng=0)
    opt = make(model)
    for g in model.grads.values():
        g[...] = 1.0
    before = {k: v.copy() for k, v in model.params.items()}
    model.params["out_proj.bias"].flags.writeable = False
    with pytest.raises(ValueError, match="parameter 'out_proj.bias' is read-only"):
        opt.step()
    for k, v in model.params.items():  # all or nothing: no parameter moved
        np.testing.assert_array_equal(v, before[k])
