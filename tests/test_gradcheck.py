"""gradcheck itself: it must fail a wrong backward and refuse to check nothing."""

import numpy as np
import pytest

import attnlab
from attnlab import functional as F
from attnlab import nn

rng = np.random.default_rng(0)
Q, K, V = (
    rng.standard_normal((2, 3, 4)),
    rng.standard_normal((2, 5, 4)),
    rng.standard_normal((2, 5, 2)),
)


def test_a_correct_backward_passes_and_every_input_is_checked():
    err = attnlab.gradcheck(F.attention_forward, F.attention_backward, (Q, K, V))
    assert set(err) == {"q", "k", "v"} and err.passed()


@pytest.mark.parametrize(
    "backward",
    [
        lambda d, c: F.attention_backward(d, c)[:1],  # (dq,)
        lambda d, c: (F.attention_backward(d, c)[0], None, None),  # (dq, None, None)
        lambda d, c: F.attention_backward(d, c)[0],  # dq alone
    ],
)
def test_fewer_gradients_than_inputs_is_an_error(backward):
    with pytest.raises(ValueError, match=r"gradient\(s\) for 3 inputs.*none for k"):
        attnlab.gradcheck(F.attention_forward, backward, (Q, K, V))


def test_extra_gradients_must_be_none():
    def backward(d, c):
        return (*F.attention_backward(d, c), np.ones(3))

    with pytest.raises(ValueError, match="extra ones must be None"):
        attnlab.gradcheck(F.attention_forward, backward, (Q, K, V))


def test_none_for_a_missing_bias_is_fine_and_counted_as_not_checked():
    x, w = rng.standard_normal((2, 3)), rng.standard_normal((4, 3))
    err = attnlab.gradcheck(F.linear_forward, F.linear_backward, (x, w))  # (dx, dw, None)
    assert set(err) == {"x", "weight"}
    err = attnlab.gradcheck(F.linear_forward, F.linear_backward, (x, w, None))
    assert set(err) == {"x", "weight"}


def test_an_input_declared_non_differentiable_is_passed_as_given_and_not_checked():
    logits, targets = rng.standard_normal((4, 3)), np.array([0, 2, 1, 1])
    for declared in (("targets",), (1,), "targets"):
        err = attnlab.gradcheck(
            F.cross_entropy_forward,
            F.cross_entropy_backward,
            (logits, targets),
            non_differentiable=declared,
        )
        assert set(err) == {"logits"} and err.passed()
    with pytest.raises(ValueError, match="non_differentiable: 'target' is not an input"):
        attnlab.gradcheck(
            F.cross_entropy_forward,
            F.cross_entropy_backward,
            (logits, targets),
            non_differentiable="target",
        )


def test_a_gradient_of_the_wrong_shape_is_an_error_not_a_reshape():
    def backward(d, c):
        dq, dk, dv = F.attention_backward(d, c)
        return dq.reshape(-1), dk, dv  # same numbers, wrong shape

    with pytest.raises(ValueError, match=r"gradient of shape \(24,\) for q of shape \(2, 3, 4\)"):
        attnlab.gradcheck(F.attention_forward, backward, (Q, K, V))


@pytest.mark.parametrize(
    "eps, exc", [(0, ValueError), (-1e-6, ValueError), (np.nan, ValueError), ("a", TypeError)]
)
def test_eps_must_be_a_finite_positive_number(eps, exc):
    with pytest.raises(exc, match="eps"):
        attnlab.gradcheck(F.gelu_forward, F.gelu_backward, (Q,), eps=eps)


def test_checking_nothing_is_an_error():
    with pytest.raises(ValueError, match="max_entries must be >= 1"):
        attnlab.gradcheck(F.attention_forward, F.attention_backward, (Q, K, V), max_entries=0)
    with pytest.raises(ValueError, match="checked nothing"):
        attnlab.gradcheck(F.gelu_forward, F.gelu_backward, (np.zeros((0, 3)),))


def test_a_wrong_backward_fails():
    def backward(d, c):
        dq, dk, dv = F.attention_backward(d, c)
        return dq / c.scale, dk, dv

    err = attnlab.gradcheck(F.attention_forward, backward, (Q, K, V))
    assert not err.passed() and err["q"] > 1e-2 and err["k"] < 1e-6


def test_module_gradients_must_match_the_inputs_too():
    class Broken(nn.Linear):
        def backward(self, dy):
            super().backward(dy)
            return None  # forgets the input gradient

    with pytest.raises(ValueError, match="none for input0"):
        attnlab.gradcheck(Broken(3, 2, rng=0), inputs=(rng.standard_normal((2, 3)),))
    err = attnlab.gradcheck(nn.Linear(3, 2, rng=0), inputs=(rng.standard_normal((2, 3)),))
    assert set(err) == {"input0", "weight", "bias"} and err.passed()
