"""AdamW, the warmup + cosine schedule and clipping by global norm, checked against torch."""

import math

import numpy as np
import pytest

from attnlab.optim import AdamW, clip_grad_norm, warmup_cosine


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    params = {"w": rng.standard_normal((3, 4)), "b": rng.standard_normal(4)}
    return params, {k: np.zeros_like(v) for k, v in params.items()}, rng


def test_weight_decay_is_decoupled_from_the_gradient():
    params, grads, _ = _problem()
    w0 = params["w"].copy()
    opt = AdamW(params, grads, lr=0.1, weight_decay=0.5)
    for _ in range(3):
        opt.step()  # zero gradient: Adam moves nothing, only the decay acts
    np.testing.assert_allclose(params["w"], w0 * (1 - 0.1 * 0.5) ** 3, rtol=1e-14)


def test_no_decay_names_are_not_decayed_and_unknown_names_are_errors():
    params, grads, _ = _problem()
    b0 = params["b"].copy()
    AdamW(params, grads, lr=0.1, weight_decay=0.5, no_decay=["b"]).step()
    np.testing.assert_array_equal(params["b"], b0)
    with pytest.raises(KeyError, match="do not exist"):
        AdamW(params, grads, no_decay=["c"])
    with pytest.raises(ValueError, match="betas"):
        AdamW(params, grads, betas=(0.9, 1.0))


@pytest.mark.torch
@pytest.mark.parametrize("amsgrad", [False, True])
@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.9, 0.95)])
def test_matches_torch_adamw_over_several_steps(amsgrad, betas):
    import torch

    params, grads, rng = _problem(1)
    tp = {k: torch.tensor(v.copy(), requires_grad=True) for k, v in params.items()}
    ours = AdamW(params, grads, lr=0.02, betas=betas, weight_decay=0.1, amsgrad=amsgrad,
                 no_decay=["b"])  # fmt: skip
    ref = torch.optim.AdamW(
        [{"params": [tp["w"]], "weight_decay": 0.1}, {"params": [tp["b"]], "weight_decay": 0.0}],
        lr=0.02, betas=betas, amsgrad=amsgrad,
    )  # fmt: skip
    for step in range(6):
        lr = 0.02 * (1 - step / 10)  # a schedule changes lr between steps
        ours.lr = lr
        for group in ref.param_groups:
            group["lr"] = lr
        for k in params:
            g = rng.standard_normal(params[k].shape) * (10.0 if step == 2 else 1.0)
            grads[k][...] = g
            tp[k].grad = torch.tensor(g)
        ours.step()
        ref.step()
        for k in params:
            np.testing.assert_allclose(params[k], tp[k].detach().numpy(), rtol=1e-13, atol=1e-15)


def test_warmup_then_cosine_down_to_min_lr():
    kw = dict(max_lr=1.0, min_lr=0.1, warmup=10, total=110)
    assert warmup_cosine(0, **kw) == pytest.approx(0.1)
    assert warmup_cosine(9, **kw) == pytest.approx(1.0)
    assert warmup_cosine(10, **kw) == pytest.approx(1.0)
    assert warmup_cosine(60, **kw) == pytest.approx(0.55)
    assert warmup_cosine(110, **kw) == warmup_cosine(500, **kw) == 0.1
    lrs = [warmup_cosine(s, **kw) for s in range(10, 111)]
    assert all(a >= b for a, b in zip(lrs, lrs[1:], strict=False))
    with pytest.raises(ValueError, match="min_lr <= max_lr"):
        warmup_cosine(0, max_lr=0.1, min_lr=1.0, warmup=0, total=5)


@pytest.mark.torch
@pytest.mark.parametrize("max_norm", [0.5, 1e3])
def test_clip_grad_norm_matches_torch(max_norm):
    import torch

    rng = np.random.default_rng(2)
    grads = [rng.standard_normal((4, 5)), rng.standard_normal(7)]
    tensors = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(tensors, grads, strict=True):
        t.grad = torch.tensor(g.copy())
    ref_norm = torch.nn.utils.clip_grad_norm_(tensors, max_norm)
    norm = clip_grad_norm(grads, max_norm)
    assert norm == pytest.approx(float(ref_norm), rel=1e-14)
    for g, t in zip(grads, tensors, strict=True):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-14)


def test_clip_grad_norm_scales_to_max_norm_and_refuses_nan():
    grads = {"a": np.array([3.0, 4.0])}
    assert clip_grad_norm(grads, 1.0) == 5.0
    assert math.hypot(*grads["a"]) == pytest.approx(1.0, rel=1e-6)
    with pytest.raises(ValueError, match="NaN or inf"):
        clip_grad_norm({"a": np.array([np.nan])}, 1.0)


# -- options are what they say ----------------------------------------------------------------
def test_no_decay_is_a_collection_of_names():
    params, grads, _ = _problem()
    with pytest.raises(TypeError, match="no_decay must be a collection of parameter names"):
        AdamW(params, grads, no_decay="b")  # not the letters "b"
    with pytest.raises(TypeError, match="no_decay must be a collection of parameter names"):
        AdamW(params, grads, no_decay=[1])
    assert AdamW(params, grads, no_decay=None).no_decay == set()


def test_eps_must_be_positive_and_amsgrad_a_bool():
    # eps = 0 divides 0 by 0 wherever a gradient has been 0 from the start (torch gives NaN)
    params, grads, _ = _problem()
    with pytest.raises(ValueError, match="eps must be > 0"):
        AdamW(params, grads, eps=0.0)
    with pytest.raises(TypeError, match="amsgrad must be True or False"):
        AdamW(params, grads, amsgrad="no")


# -- clipping huge but finite gradients ----------------------------------------------------------
@pytest.mark.parametrize("dtype, scale", [(np.float64, 1e200), (np.float32, 1e20)])
def test_clip_grad_norm_of_huge_finite_gradients_is_exact(dtype, scale):
    rng = np.random.default_rng(4)
    base = [rng.standard_normal((3, 4)), rng.standard_normal(5)]
    true_norm = math.sqrt(sum(float(np.sum(b * b)) for b in base))
    grads = [(b * scale).astype(dtype) for b in base]  # finite, but their squares overflow
    norm = clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(true_norm * scale, rel=1e-6 if dtype == np.float32 else 1e-13)
    for g, b in zip(grads, base, strict=True):
        assert g.dtype == dtype and np.isfinite(g).all()
        np.testing.assert_allclose(g, b / true_norm, rtol=1e-5 if dtype == np.float32 else 1e-12)
    tiny = [b * 1e-200 for b in base]  # squares underflow to 0: the norm must not
    assert clip_grad_norm(tiny, 1.0) == pytest.approx(true_norm * 1e-200, rel=1e-13)
    with pytest.raises(ValueError, match="NaN or inf"):
        clip_grad_norm([np.array([1.0, np.inf])], 1.0)
