"""Training a GPT: n-gram baselines, language-model metrics, the training loop, the
``attnlab train-gpt`` command and the shipped pretrained models."""

import json

import numpy as np
import pytest

from attnlab.cli import main
from attnlab.metrics import perplexity, token_accuracy
from attnlab.models import GPT, GPTConfig
from attnlab.train.gpt import eval_windows, evaluate_lm, get_batch, train_gpt
from attnlab.train.ngram import BigramModel, UnigramModel


# -- baselines and metrics -----------------------------------------------------------------
def test_unigram_and_bigram_by_hand():
    tokens = np.array([0, 1, 0, 1, 0, 2])
    uni = UnigramModel(3, k=1.0).fit(tokens)
    np.testing.assert_allclose(np.exp(uni.logp), [4 / 9, 3 / 9, 2 / 9])
    bi = BigramModel(3, k=1.0).fit(tokens)
    # after 0: 1 twice, 2 once (3 pairs); after 1: 0 twice
    np.testing.assert_allclose(np.exp(bi.logp[0]), [1 / 6, 3 / 6, 2 / 6])
    np.testing.assert_allclose(np.exp(bi.logp[1]), [3 / 5, 1 / 5, 1 / 5])
    np.testing.assert_allclose(np.exp(bi.logp[2]), [1 / 3] * 3)  # never seen: uniform
    val = np.array([0, 1, 0])
    assert bi.perplexity(val) == pytest.approx(np.exp(-(np.log(3 / 6) + np.log(3 / 5)) / 2))
    np.testing.assert_array_equal(bi.predict(np.array([0, 1])), [1, 0])
    with pytest.raises(ValueError, match=r"lie in \[0, 3\)"):
        bi.nll(np.array([0, 3]))
    with pytest.raises(ValueError, match="k must be > 0"):
        BigramModel(3, k=0)


def test_token_accuracy_and_perplexity():
    logits = np.array([[[0.0, 2.0], [3.0, 1.0], [0.0, 1.0]]])
    assert token_accuracy(logits, np.array([[1, 1, -1]])) == 0.5
    assert perplexity(np.log(7.0)) == pytest.approx(7.0)
    with pytest.raises(ValueError, match="must match targets"):
        token_accuracy(logits, np.array([1, 1, 1]))
    with pytest.raises(ValueError, match="finite number >= 0"):
        perplexity(float("nan"))


def test_windows_cover_every_next_token_once():
    tokens = np.arange(10)
    x, y = eval_windows(tokens, 4)
    assert x.shape == y.shape == (3, 4)
    np.testing.assert_array_equal(y[y != -1], tokens[1:])
    np.testing.assert_array_equal(x[y != -1], tokens[:-1])
    xb, yb = get_batch(tokens, 4, 5, np.random.default_rng(0))
    np.testing.assert_array_equal(yb, xb + 1)


def test_a_short_training_run_lowers_the_loss_and_is_seeded():
    rng = np.random.default_rng(0)
    tokens = np.tile(rng.integers(0, 8, 13), 60)  # a repeating pattern: learnable
    config = GPTConfig(block_size=16, vocab_size=8, n_layer=1, n_head=2, n_embd=16)

    seen = []

    def run():
        model = GPT(config, rng=0)
        kw = dict(steps=40, batch_size=8, max_lr=1e-2, min_lr=1e-3, warmup=5, weight_decay=0.1)
        hist = train_gpt(model, tokens, tokens[:200], seed=1, progress=False, log=None,
                         callback=lambda h: seen.append(len(h.train_loss)), **kw)  # fmt: skip
        return model, hist

    model, hist = run()
    assert seen == list(range(1, 41))  # called after every step
    assert hist.val_loss[-1] < 0.5 * np.log(8)
    assert len(hist.train_loss) == len(hist.lr) == 40 and hist.eval_steps == [40]
    _, again = run()
    assert again.train_loss == hist.train_loss
    scores = evaluate_lm(model, tokens[:200])
    assert scores["loss"] == pytest.approx(hist.val_loss[-1])


# -- the command ---------------------------------------------------------------------------
def test_train_gpt_quick_run_writes_a_loadable_checkpoint(tmp_path, capsys):
    assert main(["train-gpt", "--quick", "--lang", "en", "--no-progress", "--steps", "30", "--out",
                 str(tmp_path)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Quick smoke test" in out and "not a trained model" in out
    assert "| seed | GPT | bigram | unigram |" in out and "| 0 |" in out
    assert "Generated sample" in out and "Once there was" in out
    model = GPT.load(tmp_path / "gpt_text_en_seed0.npz")
    info = json.loads((tmp_path / "gpt_text_en_seed0.json").read_text())
    assert info["config"] == model.config.to_dict()
    assert (tmp_path / "results_text.md").read_text().startswith("| seed |")


def test_train_gpt_speaks_spanish_and_runs_on_events(capsys):
    assert main(["train-gpt", "--quick", "--data", "lob", "--lang", "es", "--no-progress",
                 "--steps", "5"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Prueba rápida" in out and "eventos del libro de órdenes" in out
    assert "exactitud de tipo GPT" in out and "market" in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--threads", "0"], "--threads must be >= 1"),
        (["--steps", "0"], "--steps must be >= 1"),
        (["--seed", "1", "1"], "distinct seeds"),
        (["--data", "lob", "--lang", "both"], "only applies to --data text"),
        (["--save-pretrained", "--quick"], "--save-pretrained needs"),
    ],
)
def test_train_gpt_rejects_bad_arguments_before_any_work(args, message, capsys):
    assert main(["train-gpt", "--lang", "en", *args]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Data:" not in captured.out


def test_train_gpt_unknown_choice_is_an_argparse_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["train-gpt", "--data", "images"])
    assert exc.value.code == 2 and "invalid choice" in capsys.readouterr().err


# -- the shipped models --------------------------------------------------------------------
@pytest.mark.parametrize("lang, prompt", [("es", "Había una vez"), ("en", "Once there was")])
def test_pretrained_gpt_loads_with_its_record_and_writes_the_corpus(lang, prompt):
    from attnlab.data import load_corpus
    from attnlab.models import load_pretrained_gpt
    from attnlab.train.gpt_experiment import text_data

    model, tok, info = load_pretrained_gpt(lang)
    assert model.config.to_dict() == info["config"] and tok.vocab_size == model.config.vocab_size
    assert info["val"]["perplexity"] < 0.5 * info["val"]["bigram"]
    data = text_data(lang)
    scores = evaluate_lm(model, data.val)
    assert scores["perplexity"] == pytest.approx(info["val"]["perplexity"], rel=1e-4)
    out = model.generate(tok.encode(prompt)[None], 120, greedy=True)
    words = set(load_corpus(lang).replace(".", " ").replace(",", " ").split())
    written = tok.decode(out[0]).replace(".", " ").replace(",", " ").split()[:-1]
    assert np.mean([w in words for w in written]) > 0.9  # recognisable words of the corpus
    with pytest.raises(ValueError, match="lang must be one of"):
        load_pretrained_gpt("fr")


def test_the_event_sample_never_shows_an_impossible_event():
    from attnlab.data import LOBEventTokenizer
    from attnlab.train.gpt_experiment import LMData, sample_text

    tok = LOBEventTokenizer()
    impossible = np.flatnonzero(~tok.is_possible(np.arange(tok.vocab_size)))

    class Tempted(GPT):
        """A GPT that puts nearly all its mass on impossible events."""

        def forward(self, idx, targets=None, **kwargs):
            logits, loss = super().forward(idx, targets, **kwargs)
            logits = logits.copy()
            logits[..., impossible] += 30.0
            return logits, loss

    config = GPTConfig(block_size=64, vocab_size=tok.vocab_size, n_layer=1, n_head=2, n_embd=8)
    val = np.random.default_rng(0).choice(tok.possible_ids(), 64)
    data = LMData("lob events", val, val, tok.vocab_size, tok, tok.kind_of(np.arange(96)))
    lines = sample_text(Tempted(config, rng=0), data, "en", seed=0).splitlines()
    possible = {tok.describe(int(i)) for i in tok.possible_ids()}
    assert len(lines) == 12 and set(lines) <= possible


def test_token_accuracy_and_perplexity_refuse_what_gpt_forward_refuses():
    logits = np.array([[[0.0, 2.0], [3.0, 1.0]]])
    with pytest.raises(ValueError, match="every target is -1"):
        token_accuracy(logits, np.array([[-1, -1]]))
    with pytest.raises(ValueError, match=r"targets holds 7 at position \(0, 1\)"):
        token_accuracy(logits, np.array([[1, 7]]))
    with pytest.raises(ValueError, match="logits contains NaN"):
        token_accuracy(np.full((1, 2, 2), np.nan), np.array([[1, 0]]))
    with pytest.raises(TypeError, match="mean_nll must be a number"):
        perplexity("1")


def test_perplexity_beyond_float64_is_inf_without_a_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert perplexity(1000.0) == np.inf  # exp(1000) ~ 2e434: more than float64 holds
        assert perplexity(709.0) == pytest.approx(np.exp(709.0))
