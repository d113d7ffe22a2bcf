"""The flattened-window MLP baseline of lesson 08: right gradients, clear errors, it learns."""

from __future__ import annotations

import numpy as np
import pytest

import attnlab
from attnlab.train import WindowMLP, evaluate, train_classifier


def test_window_mlp_gradients_match_central_differences():
    model = WindowMLP(4, 3, hidden=5, rng=0)
    x = np.random.default_rng(1).standard_normal((2, 4, 3))  # (B, T, F)
    errors = attnlab.gradcheck(model, inputs=(x,))
    assert errors.passed(), errors
    assert set(errors) >= {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}


def test_window_mlp_reads_every_event_of_the_window():
    model = WindowMLP(4, 3, hidden=5, rng=0)
    x = np.random.default_rng(1).standard_normal((1, 4, 3))
    changed = x.copy()
    changed[0, 0] += 1.0  # the first event, which a last-snapshot model never sees
    assert not np.allclose(model.forward(x), model.forward(changed))


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda m: m.forward(np.zeros((2, 5, 3))), ValueError, r"windows \(B, T=4, F=3\)"),
        (lambda m: m.forward(np.zeros((4, 3))), ValueError, "got shape"),
        (lambda m: m.backward(np.zeros((2, 3))), RuntimeError, "forward before"),
    ],
)
def test_window_mlp_bad_input_is_a_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call(WindowMLP(4, 3, rng=0))


def test_window_mlp_learns_a_pattern_spread_over_time():
    from attnlab.data import make_dataset

    data = make_dataset(n_events=3000, seq_size=8, horizon=5, seed=0)
    model = WindowMLP(8, 40, rng=0)
    before = evaluate(model, data.val)["loss"]
    train_classifier(model, data.train, data.val, epochs=3, lr=1e-3, progress=False, log=None)
    assert evaluate(model, data.val)["loss"] < before
