"""The pure functions behind the classroom widgets, tested without a kernel; the widgets build."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import attnlab
from attnlab.interactive import (
    mask_state,
    parse_pairs,
    pick_map,
    position_state,
    temperature_state,
    toggle,
)

logits_1d = arrays(np.float64, st.integers(2, 8), elements=st.floats(-50, 50))


@settings(max_examples=50, deadline=None)
@given(logits_1d, st.floats(0.05, 20))
def test_temperature_state_is_a_distribution_with_bounded_entropy(z, tau):
    state = temperature_state(z, tau)
    assert np.isclose(state.probs.sum(), 1.0) and (state.probs >= 0).all()
    assert -1e-12 <= state.entropy <= np.log(len(z)) + 1e-9
    assert state.probs[state.top] == state.probs.max()


def test_temperature_sharpens_when_low_and_flattens_when_high():
    z = [2.0, 1.0, 0.5, 0.0]
    entropies = [temperature_state(z, tau).entropy for tau in (0.05, 0.5, 1.0, 5.0, 500.0)]
    assert entropies == sorted(entropies)
    assert temperature_state(z, 0.05).probs[0] > 0.999
    assert np.allclose(temperature_state(z, 500.0).probs, 0.25, atol=1e-3)


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_temperature_must_be_positive(bad):
    with pytest.raises(ValueError, match="temperature must be > 0"):
        temperature_state([1.0, 2.0], bad)


def test_mask_state_combines_causal_padding_and_hand_blocked_entries():
    scores = np.random.default_rng(0).standard_normal((5, 5))
    state = mask_state(scores, causal=True, length=3, blocked=[(2, 0)])
    want = attnlab.causal_mask(5) & (np.arange(5) < 3)[None, :]
    want[2, 0] = False
    assert np.array_equal(state.mask, want)
    assert (state.weights[~state.mask] == 0).all()
    assert np.allclose(state.weights.sum(axis=1), 1.0)
    assert state.empty_rows == []


def test_mask_state_reports_rows_with_no_key_and_gives_them_zero_weights():
    state = mask_state(np.zeros((3, 4)), length=0)
    assert state.empty_rows == [0, 1, 2]
    assert not np.isnan(state.weights).any() and (state.weights == 0).all()
    state = mask_state(np.zeros((3, 3)), causal=True, blocked=[(0, 0)])
    assert state.empty_rows == [0]


def test_mask_state_equals_attention_with_the_same_mask():
    rng = np.random.default_rng(1)
    q, k = rng.standard_normal((4, 8)), rng.standard_normal((6, 8))
    scores = q @ k.T / np.sqrt(8)
    state = mask_state(scores, causal=True, length=5)
    _, w = attnlab.scaled_dot_product_attention(q, k, np.eye(6), mask=state.mask)
    assert np.allclose(state.weights, w)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"length": 7}, "length must be between 0 and S=5"), ({"blocked": [(5, 0)]}, "outside the")],
)
def test_mask_state_rejects_toggles_outside_the_scores(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mask_state(np.zeros((5, 5)), **kwargs)


def test_toggle_switches_one_pair_on_and_off():
    blocked = toggle((), 1, 2)
    assert blocked == ((1, 2),)
    assert toggle(toggle(blocked, 0, 0), 1, 2) == ((0, 0),)


def test_pick_map_selects_layer_head_sample_and_kind():
    w0 = np.random.default_rng(0).random((2, 3, 4, 4))
    w1 = np.random.default_rng(1).random((2, 3, 6, 6))
    m, kind = pick_map([("temporal", w0), ("feature", w1)], layer=1, head=2, sample=1)
    assert kind == "feature" and np.array_equal(m, w1[1, 2])
    m, kind = pick_map([w0], layer=0, head=0)
    assert kind == "" and m.shape == (4, 4)


@pytest.mark.parametrize(
    "layer, head, sample, message",
    [
        (2, 0, 0, "layer 2 does not exist"),
        (0, 3, 0, "head 3 does not exist"),
        (0, 0, 2, "sample 2"),
    ],
)
def test_pick_map_names_what_does_not_exist(layer, head, sample, message):
    with pytest.raises(ValueError, match=message):
        pick_map([np.zeros((2, 3, 4, 4))] * 2, layer, head, sample)


def test_position_state_slices_the_table_and_its_similarities():
    table = attnlab.sinusoidal_encoding(16, 8)
    state = position_state(table, position=3, dim=2)
    assert np.array_equal(state.row, table[3]) and np.array_equal(state.column, table[:, 2])
    assert np.allclose(state.similarity, table @ table[3])
    assert state.similarity.argmax() == 3  # a position resembles itself most
    with pytest.raises(ValueError, match="position must be in"):
        position_state(table, 16, 0)
    with pytest.raises(ValueError, match="dim must be in"):
        position_state(table, 0, 8)


@pytest.mark.parametrize(
    "text, pairs",
    [
        ("", []),
        ("0,1 2,3", [(0, 1), (2, 3)]),
        ("(0, 1)", [(0, 1)]),
        ("(0, 1); (2, 3)", [(0, 1), (2, 3)]),
        (" 0, 1   2,3 ", [(0, 1), (2, 3)]),
        ("(0,1)(2,3)", [(0, 1), (2, 3)]),
    ],
)
def test_blocked_pairs_are_read_with_or_without_spaces_and_brackets(text, pairs):
    assert parse_pairs(text) == pairs


@pytest.mark.parametrize(
    "text, culprit", [("a,b", "'a,b'"), ("(0, 1) x", "'x'"), ("0,1,2", "',2'")]
)
def test_a_blocked_entry_that_is_not_a_pair_is_named(text, culprit):
    with pytest.raises(ValueError, match=culprit):
        parse_pairs(text)


def test_the_pure_functions_import_without_matplotlib_or_ipywidgets():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "for name in ('matplotlib', 'ipywidgets', 'seaborn'): sys.modules[name] = None\n"
        "from attnlab.interactive import mask_state, temperature_state\n"
        "print(temperature_state([1.0, 0.0], 1.0).top)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"


def test_the_widgets_build_and_draw_without_a_kernel():
    widgets = pytest.importorskip("ipywidgets")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from attnlab.viz.interactive import (
        maps_explorer,
        mask_explorer,
        position_explorer,
        temperature_explorer,
    )

    scores = np.random.default_rng(0).standard_normal((4, 4))
    built = [
        temperature_explorer([1.0, 0.0, -1.0], lang="es"),
        mask_explorer(scores, lang="en"),
        maps_explorer([("temporal", np.full((1, 2, 4, 4), 0.25))], lang="es"),
        position_explorer(attnlab.sinusoidal_encoding(8, 4), lang="en"),
    ]
    for w in built:
        assert isinstance(w, widgets.interactive)
        w.update()  # calls the drawing function with the current slider values
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # every drawn figure was closed after display
