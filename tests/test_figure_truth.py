"""What every gallery figure claims, checked: titles from the string table, colours a colour-
blind reader can tell apart (or a second cue), shared colour scales, trained weights where the
title says trained, numbers as large as the tick labels, no "+1e2" offsets on the axes."""

from __future__ import annotations

import itertools
import re
import string

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
pytest.importorskip("seaborn")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from attnlab import experiments, gallery  # noqa: E402
from attnlab.i18n import LANGUAGES  # noqa: E402
from attnlab.viz import colorblind, style  # noqa: E402
from attnlab.viz.strings import STRINGS  # noqa: E402

NAMES = gallery.names()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def figures():
    """Every gallery figure in both languages, drawn once for the module."""
    built = {}
    mpl.rcParams["figure.max_open_warning"] = 0  # the module keeps every figure to inspect
    for name in NAMES:
        for lang in LANGUAGES:
            fig = gallery.build(name, lang)
            fig.canvas.draw()  # offsets and layout are only settled by a draw
            built[name, lang] = fig
    yield built
    plt.close("all")


pytestmark = pytest.mark.slow  # the module draws the whole gallery once, in both languages


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(mpl.text.Text) if t.get_text().strip()]


@pytest.mark.parametrize("name", NAMES)
def test_every_figure_speaks_its_language(name, figures):
    texts = {}
    for lang in LANGUAGES:
        fig = figures[name, lang]
        assert isinstance(fig, mpl.figure.Figure) and fig.axes, f"{name} ({lang}) has no axes"
        texts[lang] = _texts(fig)
        assert texts[lang], f"{name} ({lang}) has no text at all"
    assert texts["es"] != texts["en"], f"{name}: the Spanish figure has the English texts"


# -- titles come from the string table ------------------------------------------------------------


def _pattern(template: str) -> str:
    """A regex matching ``template`` with any value in each ``{field}``."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(r".+?")
    return "".join(parts)


def _templates(lang: str) -> list[re.Pattern]:
    lines = {line for entry in STRINGS.values() for line in entry[lang].split("\n")}
    lines = {line.strip().removeprefix("(").removesuffix(")") for line in lines}
    return [re.compile(_pattern(line)) for line in lines if line]


def _title_lines(fig) -> list[str]:
    titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    titles += [ax.get_title() for ax in fig.axes]
    lines = [line.strip() for t in titles for line in t.split("\n")]
    return [line.removeprefix("(").removesuffix(")") for line in lines if line]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_every_title_line_comes_from_the_string_table(name, lang, figures):
    templates = _templates(lang)
    lines = _title_lines(figures[name, lang])
    assert lines, f"{name} has no title"
    strays = [line for line in lines if not any(p.fullmatch(line) for p in templates)]
    assert not strays, f"{name} ({lang}): titles not in attnlab/viz/strings.py: {strays}"


def test_the_title_check_catches_a_title_written_by_hand():
    fig, ax = plt.subplots()
    ax.set_title("A title typed inline")
    templates = _templates("en")
    assert not any(p.fullmatch(_title_lines(fig)[0]) for p in templates)


# -- colour-blind safety: hue never carries meaning alone ----------------------------------------


def _entries(fig) -> list[list[tuple]]:
    """For each legend of ``fig``: (label, colour, marker, line style, hatch) per entry."""
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    legends += list(fig.legends)
    out = []
    for legend in legends:
        rows = []
        for handle, label in zip(legend.legend_handles, legend.get_texts(), strict=True):
            if isinstance(handle, Line2D):
                color = handle.get_color()
                cue = (handle.get_marker() or "None", handle.get_linestyle(), None)
            elif isinstance(handle, Patch):
                color = handle.get_facecolor()
                if to_rgb(color) == (1.0, 1.0, 1.0) or handle.get_fill() is False:
                    color = handle.get_edgecolor()
                cue = (None, handle.get_linestyle(), handle.get_hatch())
            else:  # a collection (fill_between, scatter): its first face colour
                color = handle.get_facecolor()[0]
                cue = (None, None, getattr(handle, "get_hatch", lambda: None)())
            rows.append((label.get_text(), to_rgb(color), *cue))
        out.append(rows)
    return out


def _distinguishable(a: tuple, b: tuple) -> bool:
    """Entries a and b read apart for red-green colour-blind readers: far apart in colour for
    both dichromacies, or another cue (marker, line style, hatch) differs."""
    if a[2:] != b[2:]:
        return True
    return all(
        colorblind.min_distance([a[1], b[1]], kind) >= colorblind.DISTINCT
        for kind in ("deuteranopia", "protanopia")
    )


@pytest.mark.parametrize("name", NAMES)
def test_legend_entries_stay_apart_for_colour_blind_readers(name, figures):
    for entries in _entries(figures[name, "en"]):
        for a, b in itertools.combinations(entries, 2):
            assert _distinguishable(a, b), f"{name}: {a[0]!r} and {b[0]!r} differ only in hue"


def test_the_old_red_green_palette_would_fail_the_check():
    up, down = (
        ("up", to_rgb("#1a9850"), "None", "-", None),
        ("down", to_rgb("#d73027"), "None", "-", None),
    )
    assert not _distinguishable(up, down)
    assert colorblind.min_distance(["#1a9850", "#d73027"], None) > 100  # vivid for most readers
    assert _distinguishable(up, ("down", to_rgb("#d73027"), "v", "-", None))  # a marker saves it


@pytest.mark.parametrize("kind", colorblind.KINDS)
def test_the_class_colours_and_the_book_sides_survive_every_dichromacy(kind):
    assert colorblind.min_distance(style.CLASS_COLORS, kind) >= colorblind.DISTINCT
    assert (
        colorblind.min_distance((style.BID_COLOR, style.ASK_COLOR), kind) >= 3 * colorblind.DISTINCT
    )


@pytest.mark.parametrize("kind", ["deuteranopia", "protanopia"])
def test_the_first_series_colours_survive_red_green_colour_blindness(kind):
    assert colorblind.min_distance(style.PALETTE[:3], kind) >= colorblind.DISTINCT


def test_every_series_style_adds_a_marker_and_a_line_style_to_its_colour():
    styles = [style.series_style(i) for i in range(4)]
    assert len({s["marker"] for s in styles}) == 4
    assert len({s["linestyle"] for s in styles}) == 4


def test_the_simulation_keeps_greys_and_merges_red_with_green():
    greys = ["#000000", "#777777", "#ffffff"]
    for kind in colorblind.KINDS:
        np.testing.assert_allclose(
            colorblind.simulate(greys, kind), colorblind.as_rgb(greys), atol=0.01
        )
    red, green = colorblind.simulate(["#ff0000", "#00ff00"], "deuteranopia")
    assert (
        abs(red[2] - green[2]) < 0.25 and red[0] > red[2] and green[0] > green[2]
    )  # both yellowish
    with pytest.raises(ValueError, match="kind must be one of"):
        colorblind.simulate(["#ffffff"], "achromatopsia")


def test_classes_have_their_own_markers_and_the_asks_their_own_hatch():
    assert len(set(style.CLASS_MARKERS)) == 3
    assert style.ASK_HATCH != style.BID_HATCH


# -- colour scales ------------------------------------------------------------------------------


def _images(fig):
    return [im for ax in fig.axes for im in ax.images]


@pytest.mark.parametrize("name", ["attention_heads", "attention_layers"])
def test_grids_of_attention_maps_share_one_zero_to_one_scale(name, figures):
    images = _images(figures[name, "en"])
    assert len(images) >= 4
    assert {(im.norm.vmin, im.norm.vmax) for im in images} == {(0.0, 1.0)}


@pytest.mark.parametrize("name", ["tlob_temporal", "tlob_features"])
def test_tlob_maps_share_a_log_scale_of_ratio_to_uniform_centred_at_one(name, figures):
    images = _images(figures[name, "en"])
    assert len(images) == 2
    norms = {(im.norm.vmin, im.norm.vmax, type(im.norm).__name__) for im in images}
    assert len(norms) == 1, "every layer must use the same colour scale"
    vmin, vmax, kind = norms.pop()
    assert kind == "LogNorm" and vmin * vmax == pytest.approx(1.0) and vmax >= 4
    for im in images:  # the drawn values are weight x N: their row means are exactly 1
        np.testing.assert_allclose(np.asarray(im.get_array()).mean(axis=1), 1.0, atol=1e-9)


def test_tlob_panels_name_the_real_layer_index(figures):
    maps = experiments.tlob_run()[0]
    temporal = [i for i, (kind, _) in enumerate(maps) if kind == "temporal"]
    titles = [ax.get_title() for ax in figures["tlob_temporal", "en"].axes if ax.get_title()]
    assert [int(re.match(r"layer (\d+)", t).group(1)) for t in titles] == temporal == [0, 2]
    titles = [ax.get_title() for ax in figures["tlob_features", "es"].axes if ax.get_title()]
    assert [int(re.match(r"capa (\d+)", t).group(1)) for t in titles] == [1, 3]


# -- trained weights where the title says trained --------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_attention_heatmap_draws_the_shipped_gpt_on_its_corpus(lang, figures):
    r = experiments.gpt_sentence_attention(lang)
    layer, head = np.unravel_index(np.argmax(r.space_share), r.space_share.shape)
    (image,) = _images(figures["attention_heatmap", lang])
    np.testing.assert_allclose(np.asarray(image.get_array()), r.maps[layer][head])
    title = figures["attention_heatmap", lang].axes[0].get_title()
    assert f"{layer}" in title and ("GPT" in title)
    assert r.sentence in experiments.gpt_maps.corpus_sentence.__doc__ or len(r.tokens) <= 18


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_layers_figure_shows_every_head_of_every_layer_of_the_gpt(lang, figures):
    r = experiments.gpt_sentence_attention(lang)
    images = _images(figures["attention_layers", lang])
    drawn = np.stack([np.asarray(im.get_array()) for im in images])  # (L H, T, T)
    np.testing.assert_allclose(drawn, np.concatenate(r.maps))


def test_no_gallery_title_presents_random_weights_without_saying_so(figures):
    for (name, lang), fig in figures.items():
        text = " ".join(_title_lines(fig)).lower()
        if name.startswith("attention_") and name != "attention_masks":
            assert "gpt" in text, name
        if name == "attention_masks":  # its weights come from random q, k: the title says so
            assert ("random" in text) if lang == "en" else ("aleatori" in text)


# -- legibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", ["attention_heatmap", "attention_masks", "tlob_confusion"])
def test_numbers_in_cells_are_no_smaller_than_the_tick_labels(name, lang, figures):
    fig = figures[name, lang]
    ticks = [t.get_fontsize() for ax in fig.axes for t in ax.get_xticklabels() if t.get_text()]
    numbers = [
        t.get_fontsize()
        for ax in fig.axes
        for t in ax.texts
        if re.search(r"\d\.\d\d", t.get_text())
    ]
    assert numbers, f"{name} writes no numbers in its cells"
    assert min(numbers) >= max(ticks)


@pytest.mark.parametrize("name", NAMES)
def test_no_axis_hides_its_values_behind_an_offset(name, figures):
    for ax in figures[name, "en"].axes:
        for axis in (ax.xaxis, ax.yaxis):
            assert axis.get_offset_text().get_text() == "", f"{name}: offset on an axis"


def test_repeated_tokens_are_told_apart_by_their_index(figures):
    labels = [t.get_text() for t in figures["attention_heatmap", "en"].axes[0].get_yticklabels()]
    assert len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"\d+ \S", label) for label in labels)


def test_the_masks_figure_is_a_two_by_two_grid_that_marks_padded_queries(figures):
    fig = figures["attention_masks", "en"]
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 4
    rows = [round(ax.get_position().y0, 1) for ax in panels]
    assert sorted(rows.count(r) for r in set(rows)) == [2, 2]  # two rows of two
    legend = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert any("padded queries" in t for t in legend)


def test_the_softmax_figures_say_what_the_numbers_are(figures):
    scaling = figures["softmax_scaling", "en"]
    assert len([ax for ax in scaling.axes if ax.get_title()]) == 3
    assert "N(0, 1)" in scaling._suptitle.get_text() and "S = 16" in scaling._suptitle.get_text()
    labels = [
        t.get_text() for ax in scaling.axes if ax.get_legend() for t in ax.get_legend().get_texts()
    ]
    assert "√d (theory)" in labels
    temperature = figures["softmax_temperature", "en"]
    assert "ln 6 = 1.79 nats" in temperature._suptitle.get_text()
    assert all(
        "nats" in t.get_text()
        for ax in temperature.axes
        for t in ax.texts
        if "entropy" in t.get_text()
    )


# -- Spanish terms follow the glossary ----------------------------------------------------------


def test_spanish_figure_terms_follow_the_glossary():
    spanish = " ".join(entry["es"] for entry in STRINGS.values()).lower()
    assert "puntuación z" not in spanish  # a z-score; the softmax input is a logit z
    assert not re.search(r"\bvariables?\b", spanish)  # a feature is a "rasgo"
    assert "conjunto de test" not in spanish and "test split" not in spanish
    assert "de prueba" in spanish  # the one term for the test split
