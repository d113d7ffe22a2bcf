"""The gallery: every named figure, in both languages, byte for byte the committed files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
pytest.importorskip("seaborn")

import matplotlib.pyplot as plt  # noqa: E402

from attnlab import experiments, gallery  # noqa: E402
from attnlab.i18n import LANGUAGES  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# PNG bytes depend on matplotlib's version (its text layout and PNG writer), not on the BLAS:
# the committed gallery was drawn with this one.
DRAWN_WITH = "3.11.2"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.slow
def test_regenerating_the_whole_gallery_gives_the_committed_files_byte_for_byte(tmp_path):
    if mpl.__version__ != DRAWN_WITH:
        pytest.skip(
            f"the committed gallery was drawn with matplotlib {DRAWN_WITH}, not {mpl.__version__}"
        )
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run(
        [sys.executable, "-m", "attnlab", "figures", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    made = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.png"))
    expected = [f"{lang}/{name}.png" for name in gallery.names() for lang in LANGUAGES]
    assert made == sorted(expected)
    different = [
        rel
        for rel in made
        if (tmp_path / rel).read_bytes() != (ROOT / "figures" / rel).read_bytes()
    ]
    assert not different, f"these figures differ from the committed ones: {different}"


def test_unknown_figure_name_or_language_is_a_clear_error():
    with pytest.raises(KeyError, match="attention_heatmap"):
        gallery.build("no_such_figure")
    with pytest.raises(ValueError, match="lang must be one of 'es', 'en'"):
        gallery.build("attention_heatmap", "fr")


def test_figure_functions_never_call_show(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("a figure called plt.show()")

    monkeypatch.setattr(plt, "show", forbidden)
    for name in ("attention_heatmap", "attention_masks", "softmax_scaling"):
        gallery.build(name, "en")


def test_the_learned_positions_figure_draws_what_training_learns():
    """The shipped weights are what the experiment learns: retraining from the recorded seed
    gives the same attention (the table itself is chaotic in its last digits, the maps are not)."""
    shipped = experiments.shipped_learned_positions()
    trained = experiments.train_learnable_positions()
    np.testing.assert_array_equal(shipped.before, trained.before)
    np.testing.assert_allclose(shipped.weights_after, trained.weights_after, atol=1e-3)
    assert np.diagonal(shipped.weights_after, offset=-1).mean() > 0.99  # attends to t - 1
    assert shipped.losses[-1] == pytest.approx(trained.losses[-1], rel=0.05)
    assert len(shipped.losses) == len(trained.losses)


def test_without_the_pretrained_model_the_tlob_figures_train_a_small_one(monkeypatch):
    import attnlab.models
    from attnlab.experiments import small_tlob

    def missing(dtype=None):
        raise FileNotFoundError("no pretrained TLOB")

    def quick(seed=0):
        return real_train(seed, n_events=3000, epochs=1, max_batches=3)

    real_train = small_tlob.train_small_tlob
    monkeypatch.setattr(attnlab.models, "load_pretrained", missing)
    monkeypatch.setattr(small_tlob, "train_small_tlob", quick)
    small_tlob.tlob_run.cache_clear()
    try:
        maps, history, confusion = small_tlob.tlob_run()
        assert [kind for kind, _ in maps] == ["temporal", "feature"] * 2
        assert len(history["train_loss"]) == 1
        assert confusion.shape == (3, 3)
        for name in ("tlob_temporal", "tlob_features", "tlob_training", "tlob_confusion"):
            assert gallery.build(name, "es").axes
    finally:
        small_tlob.tlob_run.cache_clear()  # later tests see the shipped model again
