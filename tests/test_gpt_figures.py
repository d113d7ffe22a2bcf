"""The GPT figures and what lessons 09-10 measure: head scores that find what they should,
decoding and KV-cache numbers that follow from their definitions, figures that draw exactly
those numbers, deterministically."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from attnlab.data import CharTokenizer
from attnlab.experiments import gpt as data
from attnlab.experiments.gpt_decoding import (
    decoding_report,
    new_word_share,
    repeated_ngram_share,
    time_next_token,
)
from attnlab.experiments.gpt_heads import (
    OPENERS,
    closing_mark_loss,
    find_cases,
    head_scores,
    mark_cases,
    name_cases,
    opening_marks,
    scan_marks,
    subject_cases,
    windows,
)
from attnlab.models import GPT, GPTConfig
from attnlab.models.pretrained_gpt import pretrained_gpt_files

ROOT = Path(__file__).resolve().parents[1]


# -- what the head measurements find ------------------------------------------------------------
def test_mark_cases_point_every_position_inside_marks_at_the_marks_still_open():
    text = "Ana dijo: «¡Qué casa!» y se fue (lejos)."
    cases = mark_cases(text)
    inside = {t for t, _, _ in cases}
    assert text.index("Q") + 1 in inside and text.index("»") not in inside
    t = text.index("c")  # "casa": inside « and ¡, keys from « to ¡
    assert (t, text.index("«"), text.index("¡") + 1) in cases
    t = text.index("j", text.index("("))
    assert (t, text.index("("), text.index("(") + 1) in cases
    assert opening_marks(text) == [text.index(c) for c in "«¡("]
    assert scan_marks(text).closing == [text.index(c) for c in "!»)"]


def test_a_double_quote_opens_then_closes():
    text = 'Tom said, "Hi there." Then "no".'
    assert opening_marks(text) == [text.index('"'), text.index('"no')]
    assert all(text[k0] == '"' for _, k0, _ in mark_cases(text))


def test_subject_and_name_cases_point_at_the_words_agreement_and_copying_need():
    es = "María estaba muy cansada. Julia y Pablo estaban contentos."
    (t1, a1, b1), (t2, a2, b2) = subject_cases(es, "es")
    assert es[a1:b1] == "María" and es[t1] == "d" and es[t1 + 1] == "a"
    assert es[a2:b2] == "Julia y Pablo" and es[t2 + 1 : t2 + 3] == "os"
    en = "The cows near the letter hide all day. The bird near the tables waits all day."
    assert [en[a:b] for _, a, b in subject_cases(en, "en")] == ["cows", "bird"]
    names = "Marta vivía. Luego Marta salió."
    second = names.index("Marta", 1)
    assert {t for t, _, _ in name_cases(names)} == set(range(second + 1, second + 4))
    assert {(a, b) for _, a, b in name_cases(names)} == {(0, 5)}
    with pytest.raises(ValueError, match="kind must be one of"):
        find_cases("verbs", es, "es")


def test_windows_cut_between_sentences_and_never_exceed_the_context():
    line = "Uno dijo: «¿Sí?» Dos. " * 12
    pieces = windows([line, ""], 40)
    assert all(len(p) <= 40 for p in pieces)
    assert "".join(p.replace(" ", "") for p in pieces) == line.replace(" ", "")
    assert all(p.count("«") == p.count("»") for p in pieces)  # no pair split


class FakeModel:
    """Head 0 looks only at the last open mark (inside marks) or at itself; head 1 at the
    previous character. Enough to check the bookkeeping of head_scores."""

    config = SimpleNamespace(n_layer=1, n_head=2, block_size=64)

    def __init__(self, tok):
        self.tok = tok

    def __call__(self, idx, head_mask=None):
        text = self.tok.decode(idx[0])
        T = len(text)
        A = np.zeros((1, 2, T, T))
        for t in range(T):
            A[0, 0, t, t] = 1.0
            A[0, 1, t, max(t - 1, 0)] = 1.0
        for t, _, k1 in mark_cases(text):
            A[0, 0, t] = 0.0
            A[0, 0, t, k1 - 1] = 1.0
        self.attention_maps = [A]
        return np.zeros((1, T, self.tok.vocab_size)), None


def test_head_scores_find_the_head_that_looks_at_the_opening_mark():
    lines = ["Eva dijo: «¡Qué mesa tan roja!» Eva fue al río.", "Luis dijo: «¿Dónde está?»"]
    tok = CharTokenizer().fit("".join(lines))
    survey = head_scores(FakeModel(tok), tok, lines, "es")
    marks = survey.scores["marks"]
    assert marks.best() == (0, 0)
    assert marks.observed[0, 0] == pytest.approx(1.0) and marks.ratio[0, 0] > 3
    assert marks.observed[0, 1] < 0.1
    assert survey.local_head(1) == (0, 1) and survey.habit[0, 1, 1] == pytest.approx(1.0)
    assert survey.scores["subject"].count == 0  # no "estaba" here: an empty score, no error


@pytest.fixture(scope="module")
def shipped():
    return {lang: data.shipped_gpt(lang, "float32") for lang in ("es", "en")}


@pytest.mark.parametrize("lang, head", [("es", (2, 0)), ("en", (2, 2))])
def test_the_shipped_models_have_a_head_for_marks_and_none_for_subjects_or_names(
    shipped, lang, head
):
    """What lesson 09 and the gpt_attention figure say, on the lesson's quick sample."""
    model, tok, _ = shipped[lang]
    scores = head_scores(model, tok, data.validation_lines(lang)[:8], lang).scores
    assert scores["marks"].best() == head and scores["marks"].ratio.max() > 5
    assert scores["subject"].ratio.max() < 3 and scores["names"].ratio.max() < 3


def test_silencing_the_marks_head_costs_the_closing_marks_most(shipped):
    model, tok, _ = shipped["es"]
    lines = data.validation_lines("es")[:8]
    base = closing_mark_loss(model, tok, lines)
    assert base == closing_mark_loss(model, tok, lines, np.ones((4, 4)))
    mask = np.ones((4, 4))
    mask[2, 0] = 0
    off = closing_mark_loss(model, tok, lines, mask)
    assert off.count == base.count > 10
    assert off.closing / base.closing > 3 > off.other / base.other


# -- the training record, decoding and the KV cache ---------------------------------------------
@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_training_record_is_the_shipped_one(lang):
    record = data.training_record(lang)
    info = json.loads(pretrained_gpt_files(lang)[1].read_text(encoding="utf-8"))
    assert record.train_loss.tolist() == info["history"]["train_loss"]
    assert record.steps[-1] == info["train"]["steps"] == len(record.train_loss)
    assert record.bigram_loss == pytest.approx(math.log(info["val"]["bigram"]))
    assert record.val_loss[-1] < record.bigram_loss < record.unigram_loss < record.uniform_loss


def test_the_moving_average_is_the_mean_of_the_last_values():
    x = np.array([4.0, 2.0, 6.0, 0.0])
    np.testing.assert_allclose(data.moving_average(x, 2), [4.0, 3.0, 4.0, 3.0])
    np.testing.assert_allclose(data.moving_average(x, 10), np.cumsum(x) / np.arange(1, 5))


def test_every_decoding_panel_is_what_probabilities_gives():
    from attnlab.decoding import probabilities

    logits = np.array([2.0, 1.0, 1.0, -1.0, 0.5])
    panels = data.decoding_panels(logits)
    assert [p.kind for p in panels] == [k for k, _ in data.DECODING_SETTINGS]
    for p in panels:
        np.testing.assert_array_equal(p.probs, probabilities(logits, **p.settings))
    assert np.count_nonzero(panels[-1].probs) == 1  # greedy


def test_operation_counts_follow_the_formula_and_the_cache_memory_is_the_library_s():
    cfg = dict(n_layer=2, n_head=2, n_embd=8, vocab_size=11, block_size=16)
    T = np.array([1, 5, 16])
    uncached = data.step_multiply_adds(cfg, T, cached=False)
    cached = data.step_multiply_adds(cfg, T, cached=True)
    np.testing.assert_array_equal(cached, 2 * (12 * 64 + 2 * T * 8) + 8 * 11)
    np.testing.assert_array_equal(uncached[0], cached[0])  # one token: the same work
    assert np.all(np.diff(uncached / cached) > 0)
    model = GPT(GPTConfig(**cfg), rng=0, dtype=np.float32)
    cache = model.new_kv_cache(1)
    model(np.zeros((1, 5), dtype=np.int64), kv_cache=cache)
    assert data.cache_bytes(cfg, 5, 4) == cache.nbytes


def test_the_kv_timings_drawn_are_the_ones_in_the_benchmark_report():
    report = (ROOT / "benchmarks" / "gpt.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([\d.]+) ms \| ([\d.]+) ms \|$", report, flags=re.M)
    assert [int(r[0]) for r in rows] == list(data.KV_BENCH["T"])
    assert [float(r[1]) for r in rows] == list(data.KV_BENCH["ms_without"])
    assert [float(r[2]) for r in rows] == list(data.KV_BENCH["ms_with"])
    c = data.KV_BENCH["config"]
    assert f"n_layer {c['n_layer']}, n_embd {c['n_embd']}" in report
    assert f"load average at the start: {data.KV_BENCH['load']} on 2 cores" in report


def test_repetition_and_new_words_count_what_they_say():
    assert repeated_ngram_share([1, 2, 3, 1, 2, 3], 3) == pytest.approx(1 / 4)
    assert repeated_ngram_share([1, 2], 3) == 0.0
    known = {"la", "casa", "roja"}
    assert new_word_share(["la casa rojo."], known) == pytest.approx(1 / 3)
    assert new_word_share(["la casa ro"], known) == 0.0  # the cut-off last word is not counted


def test_the_decoding_report_has_a_row_per_strategy_and_greedy_samples_are_identical():
    tok = CharTokenizer().fit("abcd efg.\n")
    model = GPT(
        GPTConfig(block_size=16, vocab_size=tok.vocab_size, n_layer=1, n_head=1, n_embd=8), rng=0
    )
    rows = decoding_report(model, tok, "ab", {"ab"}, samples=3, new_tokens=10)
    assert [r.name for r in rows][:2] == ["greedy", "T=0.5"] and rows[-1].name == "beam=4"
    one = model.generate(tok.encode("ab")[None], 10, greedy=True)[:, 2:]
    from attnlab.decoding import distinct_n

    assert rows[0].distinct_4 == distinct_n(np.repeat(one, 3, axis=0), 4)
    again = decoding_report(model, tok, "ab", {"ab"}, samples=3, new_tokens=10)
    assert rows == again  # fixed seeds


def test_next_token_timings_are_positive_for_every_context_length():
    model = GPT(GPTConfig(block_size=16, vocab_size=3, n_layer=1, n_head=1, n_embd=8), rng=0)
    cost = time_next_token(model, np.arange(16) % 3, [2, 8, 16], reps=1)
    assert (
        cost.T.tolist() == [2, 8, 16] and (cost.ms_with > 0).all() and (cost.ms_without > 0).all()
    )


# -- the figures --------------------------------------------------------------------------------
mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from attnlab import gallery, viz  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(mpl.text.Text))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_attention_figure_names_the_model_layer_and_head_it_measured(lang):
    fig = gallery.build("gpt_attention", lang)
    layer, head = data.shipped_head_survey(lang).scores["marks"].best()
    words = texts(fig)
    assert (
        f"capa {layer}, cabeza {head}" if lang == "es" else f"layer {layer}, head {head}"
    ) in words
    assert ("español" if lang == "es" else "English") in words
    assert data.dialogue_sentence(lang)[0] in words


def test_the_training_figure_draws_the_record_and_the_bigram_line():
    fig = gallery.build("gpt_training", "en")
    record = data.training_record("en")
    ax = fig.axes[0]
    ys = [line.get_ydata() for line in ax.get_lines()]
    assert any(np.array_equal(y, record.train_loss) for y in ys)
    assert any(np.allclose(y, record.bigram_loss) for y in ys if len(y) == 2)
    assert "bigram" in texts(fig)


def test_the_decoding_figure_says_how_many_tokens_each_setting_keeps():
    fig = gallery.build("decoding_distributions", "en")
    words = texts(fig)
    assert "tokens that can be drawn: 3" in words  # top-k = 3 (no tie there)
    assert "tokens that can be drawn: 1" in words  # greedy
    assert len([ax for ax in fig.axes if ax.get_visible()]) == len(data.DECODING_SETTINGS)


def test_the_kv_figure_plots_the_benchmark_numbers_and_says_where_they_come_from():
    fig = gallery.build("kv_cache_cost", "es")
    left = fig.axes[0]
    ys = [list(line.get_ydata()) for line in left.get_lines()]
    assert list(data.KV_BENCH["ms_with"]) in ys and list(data.KV_BENCH["ms_without"]) in ys
    assert "benchmarks/gpt.md" in texts(fig) and "con la caché" in texts(fig)


def png(fig) -> bytes:
    buf = io.BytesIO()
    viz.save_figure(fig, buf)
    return buf.getvalue()


def test_a_model_drawn_figure_is_byte_for_byte_reproducible():
    name = "decoding_distributions"
    assert png(gallery.build(name, "en")) == png(gallery.build(name, "en"))


def test_bad_inputs_to_the_drawing_functions_are_clear_errors():
    with pytest.raises(ValueError, match="every map must be"):
        viz.gpt_heads([np.eye(3)], list("ab"), ["t"])
    with pytest.raises(ValueError, match="titles"):
        viz.gpt_heads([np.eye(2)], list("ab"), [])


def test_the_live_curve_redraws_only_every_few_steps(monkeypatch):
    shown = []
    import IPython.display

    class Handle:
        def update(self, fig):
            shown.append("update")

    monkeypatch.setattr(
        IPython.display, "display", lambda fig, display_id=False: shown.append("new") or Handle()
    )
    live = viz.LiveLoss(6, every=3, baseline=2.0, lang="es")
    history = SimpleNamespace(train_loss=[], eval_steps=[], val_loss=[])
    for step in range(6):
        history.train_loss.append(3.0 - 0.1 * step)
        live(history)
    assert shown == ["new", "update"]
    assert "bigrama" in texts(live.draw(history))


def test_openers_close_with_their_own_mark():
    assert OPENERS["«"] == "»" and OPENERS["¿"] == "?" and OPENERS['"'] == '"'


def test_strategy_names_speak_the_lesson_language():
    from attnlab.experiments.gpt_decoding import strategy_label

    assert [strategy_label(n, "es") for n in ("greedy", "beam=4", "top-p=0.9")] == [
        "voraz",
        "haz=4",
        "top-p=0.9",
    ]
    assert strategy_label("greedy", "en") == "greedy"
