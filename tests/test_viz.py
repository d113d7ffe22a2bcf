"""attnlab.viz: every gallery figure draws in both languages, reproducibly, and looks like its
committed baseline; the building blocks show what they promise (masked cells, annotations)."""

from __future__ import annotations

import importlib
import io
import os
import re
import string
import struct
from pathlib import Path

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")  # tests draw to files only; attnlab.viz itself never picks a backend
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

import attnlab  # noqa: E402
from attnlab import experiments, gallery, viz  # noqa: E402
from attnlab.i18n import LANGUAGES  # noqa: E402
from attnlab.viz.strings import STRINGS  # noqa: E402

BASELINES = Path(__file__).parent / "baselines"
# Figures compared pixel by pixel with tests/baselines/<name>_<lang>.png (RMS on 0..255).
BASELINE_FIGURES = [
    ("attention_heatmap", "en"),
    ("attention_masks", "es"),
    ("softmax_temperature", "en"),
    ("positional_table", "es"),
]
BASELINE_TOLERANCE = 2.0
UPDATE_BASELINES = os.environ.get("ATTNLAB_UPDATE_BASELINES") == "1"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def png_bytes(fig, dpi: int = 60) -> bytes:
    buffer = io.BytesIO()
    viz.save_figure(fig, buffer, dpi=dpi)
    return buffer.getvalue()


def all_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text().strip()]


def png_chunk_types(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kinds.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


# -- drawing -------------------------------------------------------------------------------------


def test_png_has_no_software_version_or_timestamp():
    data = png_bytes(gallery.build("softmax_temperature", "en"))
    kinds = png_chunk_types(data)
    assert b"tIME" not in kinds
    assert b"Software" not in data
    assert mpl.__version__.encode() not in data


@pytest.mark.parametrize(("name", "lang"), BASELINE_FIGURES)
def test_key_figures_match_their_committed_baselines(name, lang, tmp_path):
    expected = BASELINES / f"{name}_{lang}.png"
    actual = tmp_path / f"{name}_{lang}.png"
    viz.save_figure(gallery.build(name, lang), actual, dpi=60)
    if UPDATE_BASELINES:
        BASELINES.mkdir(exist_ok=True)
        expected.write_bytes(actual.read_bytes())
    assert expected.exists(), f"missing baseline {expected}; run with ATTNLAB_UPDATE_BASELINES=1"
    problem = compare_images(str(expected), str(actual), tol=BASELINE_TOLERANCE)
    assert problem is None, problem


# -- strings -------------------------------------------------------------------------------------


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_exists_in_both_languages_with_the_same_placeholders(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert _fields(entry["es"]) == _fields(entry["en"])


def _area_tables() -> dict[str, dict]:
    """Every per-area string table: each upper-case ``*STRINGS*`` dict of viz/strings_<area>.py."""
    folder = Path(viz.__file__).parent
    tables = {}
    for path in sorted(folder.glob("strings_*.py")):
        module = importlib.import_module(f"attnlab.viz.{path.stem}")
        for name, value in vars(module).items():
            if name.isupper() and "STRINGS" in name and isinstance(value, dict):
                tables[f"{path.stem}.{name}"] = value
    return tables


def test_no_two_string_tables_share_a_key():
    # strings.py merges the area tables into STRINGS with dict.update: a key two tables share
    # would be silently overwritten by the table merged last (a y-axis said "score (0 to 1)"
    # over values from -10 to 27 that way).
    from attnlab.viz import strings

    tables = {"strings.STRINGS (base)": dict.fromkeys(strings.BASE_KEYS), **_area_tables()}
    assert len(tables) >= 4, sorted(tables)
    names = sorted(tables)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            shared = set(tables[first]) & set(tables[second])
            assert not shared, f"{first} and {second} both define {sorted(shared)}"
    merged = set().union(*(set(table) for table in tables.values()))
    assert merged == set(STRINGS)


def test_spanish_strings_keep_their_accents():
    spanish = " ".join(entry["es"] for entry in STRINGS.values())
    for word in ("atención", "posición", "máscaras", "consulta", "clave"):
        assert word in spanish
    for wrong in ("atencion", "posicion ", "mascara"):
        assert not re.search(rf"\b{wrong}", spanish), wrong


def test_an_unknown_language_is_a_clear_error():
    with pytest.raises(ValueError, match="lang must be one of 'es', 'en'"):
        viz.attention_heatmap(np.eye(3), lang="fr")


# -- building blocks -----------------------------------------------------------------------------


def test_masked_cells_are_hatched_and_not_annotated():
    T = 5
    weights = attnlab.softmax(np.zeros((T, T)), mask=attnlab.causal_mask(T))  # (T, T)
    ax = viz.attention_heatmap(weights, mask=attnlab.causal_mask(T), annotate=True)
    hatched = [c for c in ax.collections if isinstance(c, PatchCollection)]
    assert len(hatched) == 1
    assert hatched[0].get_hatch()
    covered = np.zeros((T, T), dtype=bool)  # the cells the hatched rectangles cover
    for path in hatched[0].get_paths():
        (x0, y0), (x1, y1) = path.get_extents().get_points()
        covered[round(y0 + 0.5) : round(y1 + 0.5), round(x0 + 0.5) : round(x1 + 0.5)] = True
    np.testing.assert_array_equal(covered, ~attnlab.causal_mask(T))  # exactly the masked cells
    numbers = [t for t in ax.texts if re.fullmatch(r"\d\.\d\d", t.get_text())]
    assert len(numbers) == T * (T + 1) // 2  # only the allowed cells carry a value


def test_heatmap_returns_axes_with_token_labels_and_a_colour_bar():
    words = ["a", "b", "c"]
    ax = viz.attention_heatmap(np.full((3, 3), 1 / 3), words, words, lang="es")
    assert isinstance(ax, mpl.axes.Axes)
    assert [t.get_text() for t in ax.get_xticklabels()] == words
    assert ax.get_ylabel() == "consulta"
    assert len(ax.figure.axes) == 2  # the map and its colour bar


def test_heatmap_rejects_wrong_label_count_and_non_boolean_masks():
    with pytest.raises(ValueError, match="2 x-labels for 3 keys"):
        viz.attention_heatmap(np.eye(3), keys=["a", "b"])
    with pytest.raises(TypeError, match="boolean"):
        viz.attention_heatmap(np.eye(3), mask=np.ones((3, 3)))


def test_heads_grid_draws_one_panel_per_head():
    weights = attnlab.softmax(np.random.default_rng(0).standard_normal((3, 4, 4)))  # (H, T, S)
    fig = viz.heads_grid(weights, lang="en")
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["head 0", "head 1", "head 2"]


def test_layers_grid_checks_the_head_exists():
    with pytest.raises(ValueError, match="head 2 does not exist in layer 0"):
        viz.layers_grid([np.ones((2, 3, 3)) / 3], head=2)


def test_sqrt_d_scaling_keeps_the_score_spread_at_one():
    stats = viz.scaling_statistics((4, 64, 1024), rows=300)
    np.testing.assert_allclose(stats["std_raw"], np.sqrt([4, 64, 1024]), rtol=0.1)
    np.testing.assert_allclose(stats["std_scaled"], 1.0, rtol=0.1)
    assert stats["max_raw"][-1] > 0.8 > stats["max_scaled"][-1]


def test_learnable_positions_learn_to_attend_to_the_previous_token():
    result = experiments.train_learnable_positions(length=8, dim=8, steps=150, seed=3)
    previous = np.diagonal(result.weights_after, offset=-1)  # weight of query t on key t-1
    assert previous.mean() > 0.9
    assert np.diagonal(result.weights_before, offset=-1).mean() < 0.6
    assert result.losses[-10:].mean() < 0.5 * result.losses[:10].mean()
    assert np.abs(result.after).std() > 10 * np.abs(result.before).std()


def test_tlob_maps_are_split_by_kind():
    maps = [("temporal", np.ones((2, 1, 4, 4)) / 4), ("feature", np.ones((2, 1, 3, 3)) / 3)]
    assert [m.shape for m in viz.maps_of_kind(maps, "feature")] == [(3, 3)]
    with pytest.raises(ValueError, match="no temporal attention maps"):
        viz.maps_of_kind(maps[1:], "temporal")


def test_confusion_matrix_shows_row_fractions_and_counts():
    ax = viz.confusion_matrix([[8, 2, 0], [1, 1, 2], [0, 0, 5]], lang="es")
    texts = [t.get_text() for t in ax.texts]
    assert "0.80\n(8)" in texts and "1.00\n(5)" in texts
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sube", "estable", "baja"]


def test_order_book_snapshot_must_be_whole_levels():
    with pytest.raises(ValueError, match="FI-2010 row"):
        viz.depth_chart(np.ones(6))
