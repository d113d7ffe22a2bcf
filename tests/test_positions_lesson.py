"""Lesson 11's explorers: their pure state (no kernel, no matplotlib) and the widgets.

The lesson's exercise checkers are specified with all the others in tests/test_exercises.py."""

from __future__ import annotations

import numpy as np
import pytest

from attnlab import alibi_bias, alibi_slopes
from attnlab.functional import rope_forward
from attnlab.interactive_positions import (
    additive_scores,
    alibi_state,
    offset_scores,
    rotation_state,
)


# -- explorers' state -----------------------------------------------------------------------------
def test_rotation_state_walks_the_unit_circle_at_theta_per_position():
    s = rotation_state(position=5, pair=1, dim=8, base=100.0)
    theta = 100.0 ** (-2 / 8)
    assert s.theta == pytest.approx(theta) and s.angle == pytest.approx(5 * theta)
    assert s.wavelength == pytest.approx(2 * np.pi / theta)
    assert s.degrees == pytest.approx(np.degrees(5 * theta) % 360)
    expected = np.stack([np.cos(theta * np.arange(6)), np.sin(theta * np.arange(6))], 1)
    np.testing.assert_allclose(s.trail, expected, atol=1e-14)
    assert rotation_state(0, 0, 4).trail.tolist() == [[1.0, 0.0]]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(position=3, pair=4, dim=8), r"pair must be in \[0, 4\)"),
        (dict(position=-1, pair=0, dim=8), "position must be >= 0"),
        (dict(position=3, pair=0, dim=7), "dim must be even"),
        (dict(position=3, pair=0, dim=8, base=1.0), "base must be > 1"),
    ],
)
def test_rotation_state_rejects_what_does_not_exist(kwargs, match):
    with pytest.raises(ValueError, match=match):
        rotation_state(**kwargs)


def test_rope_scores_collapse_onto_one_curve_and_added_tables_do_not():
    q, k = np.random.default_rng(0).standard_normal((2, 32))
    starts, offsets = np.array([40, 100, 1000]), np.arange(-40, 41)
    rope = offset_scores(q, k, starts, offsets)
    assert rope.shape == (3, 81)
    np.testing.assert_allclose(rope, np.broadcast_to(rope[0], rope.shape), atol=1e-10)
    qm = rope_forward(q[None], [100])[0][0]
    kn = rope_forward(k[None], [100 + 7])[0][0]
    assert rope[1, 47] == pytest.approx(qm @ kn)  # offset 7 sits at index 47
    added = additive_scores(q, k, starts, offsets)
    assert added.shape == (3, 81) and np.abs(added - added[0]).max() > 1.0
    with pytest.raises(ValueError, match="even length"):
        offset_scores(np.ones(3), np.ones(3), [0], [0])


def test_alibi_state_is_one_heads_causal_bias_and_its_softmax():
    s = alibi_state(num_heads=4, length=10, head=2, query=6)
    m = alibi_slopes(4)[2]
    np.testing.assert_array_equal(s.slopes, alibi_slopes(4))
    assert s.bias[6, 2] == -m * 4 and np.isneginf(s.bias[2, 6])
    causal = np.tril(np.ones((10, 10), dtype=bool))
    full = alibi_bias(4, np.arange(10), np.arange(10))[2]  # (T, T)
    np.testing.assert_array_equal(s.bias[causal], full[causal])
    np.testing.assert_allclose(s.row, -m * np.arange(6, -1, -1))
    expected = np.exp(s.row) / np.exp(s.row).sum()
    np.testing.assert_allclose(s.weights, expected, rtol=1e-14)
    assert s.weights[-1] / s.weights[-1 - 1] == pytest.approx(np.exp(m))  # one step back: e^-m
    assert s.half_distance == pytest.approx(np.log(2) / m)
    with pytest.raises(ValueError, match=r"head must be in \[0, 4\)"):
        alibi_state(4, 10, 4, 0)
    with pytest.raises(ValueError, match=r"query must be in \[0, 10\)"):
        alibi_state(4, 10, 0, 10)


def test_the_pure_state_imports_without_matplotlib_or_ipywidgets():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "for name in ('matplotlib', 'ipywidgets', 'seaborn'): sys.modules[name] = None\n"
        "from attnlab.interactive_positions import alibi_state, rotation_state\n"
        "print(alibi_state(2, 4, 0, 3).row.size, rotation_state(2, 0, 4).trail.shape[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["4", "3"]


def test_the_explorers_build_and_draw_without_a_kernel():
    widgets = pytest.importorskip("ipywidgets")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from attnlab.viz.interactive_positions import alibi_explorer, rotation_explorer

    for w in (rotation_explorer(8, lang="es"), alibi_explorer(4, 12, lang="en")):
        assert isinstance(w, widgets.interactive)
        w.update()
    assert plt.get_fignums() == []
