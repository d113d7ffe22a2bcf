"""The dashboard's panels, without a browser: what each one computes, shows and says.

The browser test (test_browser_dashboard.py) checks that they render and respond in Chromium in
Spanish; these check the numbers and messages behind them, in both languages.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

from attnlab.classroom import gpt_panels, mask_grid, tlob_panel  # noqa: E402
from attnlab.classroom.dashboard import PANELS, dashboard  # noqa: E402
from attnlab.i18n import LANGUAGES  # noqa: E402
from attnlab.interactive import mask_state  # noqa: E402


@pytest.fixture(autouse=True)
def _agg(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")


# -- the dashboard --------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_panel_builds_in_both_languages_with_titles_and_hints_in_that_language(lang):
    tab = dashboard(lang, show=False)
    assert tab.titles == tuple(p.title[lang] for p in PANELS)
    assert tab.panels[0] is not None and all(p is None for p in tab.panels[1:])  # built lazily
    for i in range(len(PANELS)):
        tab.open(i)
    for panel, built, box in zip(PANELS, tab.panels, tab.children, strict=True):
        hint = box.children[0].value
        assert panel.hint[lang] in hint.replace("&#x27;", "'")
        assert box.children[1] is built
        assert "could not be built" not in str(getattr(built, "value", ""))
        assert "no se pudo construir" not in str(getattr(built, "value", ""))


def test_opening_a_tab_builds_its_panel_once():
    tab = dashboard("en", show=False)
    tab.selected_index = 3
    heads = tab.panels[3]
    assert heads is not None
    tab.selected_index = 0
    tab.selected_index = 3
    assert tab.panels[3] is heads


def test_a_panel_that_fails_shows_its_error_and_the_others_still_work(monkeypatch):
    import attnlab.classroom.dashboard as board

    def broken(lang):
        raise RuntimeError("no model here")

    panels = list(board.PANELS)
    panels[1] = panels[1]._replace(build=broken)
    monkeypatch.setattr(board, "PANELS", tuple(panels))
    tab = board.dashboard("es", show=False)
    tab.open(1)
    tab.open(2)
    assert "Este panel no se pudo construir" in tab.panels[1].value
    assert "no model here" in tab.panels[1].value
    assert tab.panels[2].last_state is not None  # the query explorer drew


# -- the mask grid --------------------------------------------------------------------------
def test_the_grid_shows_each_weight_and_greys_what_the_masks_hide():
    scores = mask_grid.example_scores()
    state = mask_state(scores, causal=True, length=5, blocked=[(4, 1)])
    cells = mask_grid.grid_cells(state, [(4, 1)])
    assert len(cells) == 6 and all(len(row) == 6 for row in cells)
    assert cells[4][1].text == "✕" and cells[4][1].kind == "blocked"
    assert cells[0][3].text == "—" and cells[0][3].kind == "hidden"  # the future
    assert cells[5][5].kind == "hidden"  # padding: key 5 is not real
    for (i, j), w in np.ndenumerate(state.weights):
        if state.mask[i, j]:
            assert cells[i][j].text == f"{w:.2f}" and cells[i][j].kind == "weight"
    assert cells[0][0].color == "black"  # weight 1: viridis' yellow needs black text
    dark = min((w, i, j) for (i, j), w in np.ndenumerate(state.weights) if state.mask[i, j])
    assert cells[dark[1]][dark[2]].color == "white"
    assert mask_grid.grid_cells(state, [])[4][1].kind == "hidden"  # not blocked by hand: —


def test_clicking_a_cell_blocks_the_pair_and_clicking_again_frees_it():
    grid = mask_grid.mask_builder(lang="en")
    before = grid.last_state.weights.copy()
    grid.click(5, 0)
    assert not grid.last_state.mask[5, 0] and grid.last_state.weights[5, 0] == 0
    assert np.allclose(grid.last_state.weights.sum(axis=1), 1.0)
    assert grid.last_state.weights[5, 5] > before[5, 5]  # the others fill the hole
    grid.click(5, 0)
    assert np.array_equal(grid.last_state.weights, before)


def test_blocking_a_pair_the_causal_mask_hides_says_it_changes_nothing():
    grid = mask_grid.mask_builder(lang="es")
    grid.click(0, 3)
    message = grid.children[-1].value
    assert "ya estaban tapadas" in message and "(0, 3)" in message


def test_a_query_with_no_key_left_is_named():
    grid = mask_grid.mask_builder(lang="en")
    grid.click(0, 0)  # query 0 sees only key 0 under the causal mask
    assert grid.last_state.empty_rows == [0]
    assert "queries with no key left" in grid.children[-1].value
    assert np.allclose(grid.last_state.weights[0], 0.0)


def test_other_scores_keep_the_grids_shape_and_clear_blocks_frees_every_pair():
    scores = mask_grid.example_scores(3, T=4, S=5)
    assert scores.shape == (4, 5)
    grid = mask_grid.mask_builder(scores, lang="en")
    grid.click(3, 4)
    other_scores, clear = grid.children[1].children
    other_scores.click()
    assert grid.last_state.weights.shape == (4, 5) and not grid.last_state.mask[3, 4]
    clear.click()
    assert grid.last_state.mask[3, 3] and not grid.last_state.mask[0, 1]  # causal only


@pytest.mark.parametrize("shape", [(6,), (0, 3), (11, 4)])
def test_scores_that_do_not_fit_the_grid_are_refused_naming_the_shape(shape):
    with pytest.raises(ValueError, match=r"scores must be \(T, S\) with 1 <= T, S <= 10"):
        mask_grid.mask_builder(np.zeros(shape), lang="en")


# -- the GPT heads --------------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGUAGES)
def test_heads_state_gives_every_heads_causal_map_labelled_by_the_typed_characters(lang):
    model, tok = gpt_panels.shipped_gpt(lang)
    sentence = gpt_panels.SENTENCES[lang]
    state = gpt_panels.heads_state(model, tok, sentence, 2, lang=lang)
    T = len(sentence)
    assert state.maps.shape == (model.config.n_head, T, T) and state.cut == 0
    assert np.allclose(state.maps.sum(axis=-1), 1.0, atol=1e-5)
    assert np.all(np.triu(state.maps, k=1) == 0)  # no head looks at the future
    assert "".join(state.labels) == sentence.replace(" ", "␣")
    other = gpt_panels.heads_state(model, tok, sentence, 0, lang=lang)
    assert not np.allclose(other.maps, state.maps)  # another layer, other maps


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es", "El modelo no conoce estos caracteres: 'K' 'W'"), ("en", "It knows:")],
)
def test_unknown_characters_are_named_in_the_chosen_language(lang, words):
    model, tok = gpt_panels.shipped_gpt(lang)
    sentence = "Kiko y Wanda" if lang == "es" else "Zoe saw a jar"
    with pytest.raises(ValueError, match=words) as err:
        gpt_panels.heads_state(model, tok, sentence, 0, lang=lang)
    if lang == "en":
        assert "does not know these characters: 'Z' 'j'" in str(err.value)


def test_an_empty_sentence_and_a_missing_layer_are_errors():
    model, tok = gpt_panels.shipped_gpt("es")
    with pytest.raises(ValueError, match="al menos un carácter"):
        gpt_panels.heads_state(model, tok, "", 0, lang="es")
    with pytest.raises(ValueError, match=r"layer must be in \[0, 4\)"):
        gpt_panels.heads_state(model, tok, "hola", 4, lang="es")


def test_a_long_sentence_is_read_from_its_last_characters_and_says_so():
    model, tok = gpt_panels.shipped_gpt("en")
    sentence = "Once there was a cow. " * 4  # 88 characters
    state = gpt_panels.heads_state(model, tok, sentence, 0, lang="en")
    assert state.cut == len(sentence) - gpt_panels.MAX_CHARS
    assert state.maps.shape[-1] == gpt_panels.MAX_CHARS
    panel = gpt_panels.heads_panel(lang="en", sentence=sentence)
    assert panel.last_state.cut == state.cut


def test_typing_in_the_heads_panel_reruns_the_model_and_bad_input_clears_the_state():
    panel = gpt_panels.heads_panel(lang="es")
    box, layer = panel.children[0], panel.children[1]
    first = panel.last_state
    box.value = "Había una vez"
    assert panel.last_state.maps.shape[-1] == len("Había una vez")
    layer.value = 3
    assert not np.allclose(panel.last_state.maps, first.maps[:, :13, :13])
    box.value = "Kiko"
    assert panel.last_state is None


# -- next character and Generate -----------------------------------------------------------
def test_generate_writes_a_continuation_with_the_explorers_settings_and_a_new_seed_each_time():
    panel = gpt_panels.next_token_panel(lang="en")
    panel.children[1].children[0].value = 30  # new characters: short, for a quick test
    panel.generate()
    first = panel.result.value
    assert "<b>Once there was a </b>" in first and "seed 0" in first
    panel.generate()
    assert "seed 1" in panel.result.value and panel.result.value != first


def test_generate_with_greedy_like_settings_follows_the_sliders():
    from attnlab.interactive_gpt import generate_text

    panel = gpt_panels.next_token_panel(lang="es")
    explorer = panel.children[0]
    top_k = next(w for w in explorer.children if getattr(w, "_kwarg", "") == "top_k")
    top_k.value = 1  # only the most likely character: the text no longer depends on the seed
    panel.children[1].children[0].value = 30
    panel.generate()
    model, tok = gpt_panels.shipped_gpt("es")
    expected = generate_text(model, tok, "Había una vez una ", new_tokens=30, greedy=True)
    assert expected in panel.result.value


def test_generate_names_unknown_characters_instead_of_writing():
    panel = gpt_panels.next_token_panel(lang="es", prompt="Kiko")
    panel.generate()
    assert "no conoce estos caracteres" in panel.result.value
    assert "attnlab-message" in panel.result.value


# -- TLOB -------------------------------------------------------------------------------------
def test_a_tlob_window_gives_its_maps_true_class_and_prediction():
    model, windows = tlob_panel.shipped_tlob()
    state = tlob_panel.window_state(model, windows, 7)
    assert [kind for kind, _ in state.maps] == ["temporal", "feature", "temporal", "feature"]
    assert all(w.shape[0] == 1 for _, w in state.maps)
    assert state.label == int(windows.batch(np.array([7]))[1][0])
    assert np.isclose(state.probs.sum(), 1.0) and state.predicted == int(np.argmax(state.probs))
    other = tlob_panel.window_state(model, windows, 4000)
    assert not np.allclose(other.maps[0][1], state.maps[0][1])
    title = tlob_panel.window_title(state, 7, "es")
    assert title.startswith("ventana 7 · clase real: ")


def test_a_window_outside_the_test_split_is_an_error():
    model, windows = tlob_panel.shipped_tlob()
    with pytest.raises(ValueError, match=rf"window must be in \[0, {len(windows)}\)"):
        tlob_panel.window_state(model, windows, len(windows))


def test_the_window_slider_redraws_the_chosen_window():
    panel = tlob_panel.tlob_panel(lang="en")
    slider = panel.children[0]
    slider.value = 123
    model, windows = tlob_panel.shipped_tlob()
    expected = tlob_panel.window_state(model, windows, 123)
    assert np.allclose(panel.last_state.probs, expected.probs)
