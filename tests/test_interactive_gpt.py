"""The GPT explorers of lesson 10: what they show is a pure function of the widget values."""

from __future__ import annotations

import numpy as np
import pytest

from attnlab.data import CharTokenizer
from attnlab.decoding import probabilities
from attnlab.i18n import set_language
from attnlab.interactive_gpt import (
    decoding_state,
    encode_prompt,
    generate_text,
    settings,
    token_label,
)
from attnlab.models import GPT, GPTConfig

TEXT = "abc abd, abe. (ab) ba!\n"


@pytest.fixture(scope="module")
def model_and_tok():
    tok = CharTokenizer().fit(TEXT)
    model = GPT(
        GPTConfig(block_size=8, vocab_size=tok.vocab_size, n_layer=1, n_head=2, n_embd=8), rng=0
    )
    return model, tok


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_widget_values_become_probabilities_arguments_with_0_and_1_meaning_off():
    assert settings() == dict(temperature=1.0, top_k=None, top_p=None)
    assert settings(0.5, 3, 0.9) == dict(temperature=0.5, top_k=3, top_p=0.9)
    with pytest.raises(ValueError, match="temperature"):
        settings(0.0)
    with pytest.raises(ValueError, match="top_k"):
        settings(top_k=-2)


def test_labels_make_spaces_and_newlines_visible():
    assert [token_label(c) for c in " \na"] == ["␣", "⏎", "a"]


@pytest.mark.parametrize(
    "lang, prompt, message",
    [
        ("en", "", "at least one character"),
        ("es", "", "al menos un carácter"),
        ("en", "abz", "does not know these characters: 'z'"),
        ("es", "zab¿", "no conoce estos caracteres: 'z' '¿'"),
    ],
)
def test_a_bad_prompt_is_explained_in_the_lesson_language(model_and_tok, lang, prompt, message):
    _, tok = model_and_tok
    set_language(lang)
    with pytest.raises(ValueError, match=message):
        encode_prompt(tok, prompt)


def test_the_state_shows_the_model_distribution_and_the_filtered_one(model_and_tok):
    model, tok = model_and_tok
    prompt = "abc ab"
    logits = model(tok.encode(prompt)[None])[0][0, -1]
    state = decoding_state(model, tok, prompt, temperature=0.7, top_k=3, top_p=1.0, show=5)
    order = np.argsort(-probabilities(logits), kind="stable")[:5]
    np.testing.assert_array_equal(state.ids, order)
    np.testing.assert_allclose(state.original, probabilities(logits)[order], rtol=1e-12)
    np.testing.assert_allclose(state.probs, probabilities(logits, temperature=0.7, top_k=3)[order])
    assert state.kept == 3 and len(state.labels) == 5
    assert np.all(np.diff(state.original) <= 0)  # most likely first


def test_no_filter_keeps_every_token_and_a_low_temperature_sharpens(model_and_tok):
    model, tok = model_and_tok
    free = decoding_state(model, tok, "ab")
    full = probabilities(model(tok.encode("ab")[None])[0][0, -1])  # (V,)
    assert free.kept == tok.vocab_size
    assert free.entropy == pytest.approx(float(-(full * np.log(full)).sum()), rel=1e-9)
    cold = decoding_state(model, tok, "ab", temperature=0.01)
    assert cold.entropy < free.entropy and cold.top == free.labels[0]
    assert decoding_state(model, tok, "ab", top_k=1).kept == 1


def test_the_prompt_is_cropped_to_the_model_context(model_and_tok):
    model, tok = model_and_tok
    long = "abc abd, abe. (ab) ba! abc"
    a, b = decoding_state(model, tok, long), decoding_state(model, tok, long[-8:])
    np.testing.assert_array_equal(a.probs, b.probs)
    assert a.labels == b.labels


def test_generated_text_repeats_with_its_seed_and_greedy_is_the_model_argmax(model_and_tok):
    model, tok = model_and_tok
    a = generate_text(model, tok, "ab", new_tokens=12, temperature=1.5, seed=3)
    assert a == generate_text(model, tok, "ab", new_tokens=12, temperature=1.5, seed=3)
    assert len(a) == 12
    greedy = generate_text(model, tok, "ab", new_tokens=6, greedy=True)
    expected = model.generate(tok.encode("ab")[None], 6, greedy=True)[0, 2:]
    assert greedy == tok.decode(expected)


# -- the widgets themselves ---------------------------------------------------------------------
def test_the_explorer_and_the_generation_box_build_and_generate(model_and_tok):
    widgets = pytest.importorskip("ipywidgets")
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from attnlab.viz.interactive_gpt import decoding_explorer, generation_box

    model, tok = model_and_tok
    explorer = decoding_explorer(model, tok, "ab", lang="es")
    assert isinstance(explorer, widgets.interactive)
    box = generation_box(model, tok, "ab", lang="es")
    box.generate()
    assert box.result.value.count("<b>ab</b>") == 1
    box.children[0].value = "abz"
    box.generate()
    assert "no conoce" in box.result.value
