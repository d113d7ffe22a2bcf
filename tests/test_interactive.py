"""The pure functions behind the classroom widgets, tested without a kernel; the widgets build."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import attnlab
from attnlab.interactive import (
    mask_state,
    parse_numbers,
    parse_pairs,
    pick_map,
    position_state,
    query_state,
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
        ("(0, 1), (2, 3)", [(0, 1), (2, 3)]),
        ("( 2 , 0 )", [(2, 0)]),
    ],
)
def test_blocked_pairs_are_read_with_or_without_spaces_and_brackets(text, pairs):
    assert parse_pairs(text) == pairs


@pytest.mark.parametrize(
    "text, culprit",
    [("a,b", "'a,b'"), ("(0, 1) x", "'x'"), ("0,1,2", "',2'"), ("(0, 1", "'(0,'")],
)
def test_a_blocked_entry_that_is_not_a_pair_is_named(text, culprit):
    with pytest.raises(ValueError, match=re.escape(culprit)):
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
        query_explorer,
        temperature_explorer,
    )

    scores = np.random.default_rng(0).standard_normal((4, 4))
    built = [
        temperature_explorer([1.0, 0.0, -1.0], lang="es"),
        mask_explorer(scores, lang="en"),
        maps_explorer([("temporal", np.full((1, 2, 4, 4), 0.25))], lang="es"),
        position_explorer(attnlab.sinusoidal_encoding(8, 4), lang="en"),
        query_explorer(np.eye(3), np.eye(3)[:, :2], queries=np.eye(3), lang="es"),
    ]
    for w in built:
        assert isinstance(w, widgets.interactive)
        w.update()  # calls the drawing function with the current slider values
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []  # every drawn figure was closed after display


def test_blocked_pair_errors_follow_the_lesson_language():
    with pytest.raises(ValueError, match="no es una pareja"):
        parse_pairs("a,b", lang="es")
    with pytest.raises(ValueError, match="cae fuera"):
        mask_state(np.zeros((3, 3)), blocked=[(5, 0)], lang="es")
    with pytest.raises(ValueError, match="no es un número"):
        parse_numbers("x", lang="es")


def test_a_blocked_pair_the_causal_mask_already_hides_is_reported_not_ignored():
    state = mask_state(np.zeros((4, 4)), causal=True, blocked=parse_pairs("(0, 1) (2, 0)"))
    assert state.already_masked == [(0, 1)]
    assert not state.mask[2, 0] and not state.mask[0, 1]
    assert mask_state(np.zeros((4, 4)), causal=False, blocked=[(0, 1)]).already_masked == []


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("2, 1, 0.5, 0, -1", [2.0, 1.0, 0.5, 0.0, -1.0]),
        ("2 1 .5", [2.0, 1.0, 0.5]),
        ("[3; -1e2; +4]", [3.0, -100.0, 4.0]),
        ("  7  ", [7.0]),
    ],
)
def test_logits_are_read_with_commas_spaces_or_semicolons(text, numbers):
    assert parse_numbers(text) == numbers


@pytest.mark.parametrize(
    "text, culprit", [("2, x, 1", "'x'"), ("1.2.3", "'1.2.3'"), ("2a", "'2a'")]
)
def test_a_logit_that_is_not_a_number_is_named(text, culprit):
    with pytest.raises(ValueError, match=re.escape(culprit)):
        parse_numbers(text)


def test_an_empty_logits_box_asks_for_a_number():
    with pytest.raises(ValueError, match="at least one number"):
        parse_numbers("  , ")


def test_query_state_is_one_row_of_attention():
    rng = np.random.default_rng(2)
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    out, w = attnlab.scaled_dot_product_attention(q, k, v)
    for i in range(3):
        state = query_state(q[i], k, v)
        assert np.allclose(state.weights, w[i]) and np.allclose(state.out, out[i])
        assert np.allclose(state.scores, k @ q[i] / 2.0) and state.top == int(np.argmax(w[i]))


def test_a_query_pointing_at_a_key_takes_its_value():
    k, v = np.eye(3) * 4.0, np.array([[10.0, 0.0], [0.0, 10.0], [-10.0, 10.0]])
    state = query_state([4.0, 0.0, 0.0], k, v)
    assert state.top == 0 and state.weights[0] > 0.99 and np.allclose(state.out, v[0], atol=0.01)
    assert np.allclose(query_state([0.0, 0.0, 0.0], k, v).weights, 1 / 3)  # no preference: mean


def test_query_state_names_shapes_that_do_not_fit():
    with pytest.raises(ValueError, match="do not fit"):
        query_state([1.0, 2.0], np.eye(3), np.eye(3))


@pytest.fixture
def drawn(monkeypatch):
    """The explorers' figures, kept instead of displayed (Agg backend)."""
    pytest.importorskip("ipywidgets")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import attnlab.viz.interactive as vi

    figures = []
    monkeypatch.setattr(vi, "_show", figures.append)
    yield figures
    plt.close("all")


def test_the_mask_explorer_reads_pairs_with_spaces_and_says_when_they_change_nothing(drawn, capsys):
    from attnlab.viz.interactive import mask_explorer

    explorer = mask_explorer(np.zeros((4, 4)), lang="es")
    _, _, box = explorer.kwargs_widgets
    box.value = "(2, 0)"
    assert not explorer.last_state.mask[2, 0] and explorer.last_state.already_masked == []
    box.value = "(0, 1), (3, 1)"
    assert explorer.last_state.already_masked == [(0, 1)] and not explorer.last_state.mask[3, 1]
    assert "ya estaban enmascaradas" in capsys.readouterr().out


def test_the_mask_explorer_with_no_real_key_keeps_axes_hatching_and_colour_bar(drawn, capsys):
    from matplotlib.collections import PatchCollection

    from attnlab.viz.interactive import mask_explorer

    explorer = mask_explorer(np.random.default_rng(0).standard_normal((6, 6)), lang="es")
    causal, length, _ = explorer.kwargs_widgets
    length.value = 0
    fig = drawn[-1]
    ax, cbar = fig.axes  # the map and its colour bar
    hatched = [c for c in ax.collections if isinstance(c, PatchCollection)]
    extents = [p.get_extents() for p in hatched[0].get_paths()]  # masked cells, in row runs
    assert hatched and sum(e.width * e.height for e in extents) == 36  # every cell hatched
    assert [t.get_text() for t in ax.get_xticklabels()] and ax.get_xlabel()
    assert any("ninguna clave" in t.get_text() for t in ax.texts)
    assert "filas sin ninguna clave" in capsys.readouterr().out


def test_the_masked_legend_sits_above_the_map_and_covers_no_weight(drawn):
    from attnlab.viz.interactive import mask_explorer

    explorer = mask_explorer(np.random.default_rng(0).standard_normal((6, 6)), lang="es")
    causal, length, _ = explorer.kwargs_widgets
    causal.value = False
    length.value = 4  # keys 4 and 5 are padding; row 0 has weights under the top-right corner
    fig = drawn[-1]
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.y0 >= ax.get_window_extent().y1 - 1  # above the map, not on it


def test_the_temperature_explorer_redraws_with_typed_logits(drawn, capsys):
    from attnlab.viz.interactive import temperature_explorer

    explorer = temperature_explorer([2.0, 1.0], lang="es")
    assert explorer.last_state.probs.shape == (2,)
    _, box = explorer.kwargs_widgets
    box.value = "0, 0, 0, 5"
    assert explorer.last_state.top == 3 and explorer.last_state.probs.shape == (4,)
    box.value = "0, x"
    assert explorer.last_state.top == 3  # a bad box keeps the last drawing and says why
    assert "no es un número" in capsys.readouterr().out


def test_the_query_explorer_follows_its_sliders_and_presets(drawn):
    from attnlab.viz.interactive import query_explorer

    k, v = np.eye(3) * 4.0, np.array([[10.0, 0.0], [0.0, 10.0], [-10.0, 10.0]])
    queries = np.array([[4.0, 0.0, 0.0], [0.0, 2.0, 2.0]])
    explorer = query_explorer(k, v, queries=queries, key_labels=["a", "b", "c"], lang="es")
    assert explorer.last_state.top == 0
    choose = explorer.children[0]
    choose.value = 1
    assert np.allclose(explorer.last_state.weights[1:], explorer.last_state.weights[2])
    explorer.kwargs_widgets[2].value = 6.0  # q[2] up: key c wins
    assert explorer.last_state.top == 2
    assert np.allclose(explorer.last_state.out, query_state([0.0, 2.0, 6.0], k, v).out)
