"""The extrapolation experiment: every length reads the same tokens, learned positions are not
scored where they cannot run, the table and the CLI, and the shipped results the README and
the figure show."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from attnlab.cli import main
from attnlab.experiments import extrapolation as xp
from attnlab.models import GPT, GPTConfig

ROOT = Path(__file__).resolve().parents[1]


def small(position, seed=0):
    config = GPTConfig(block_size=8, vocab_size=7, n_layer=1, n_head=2, n_embd=8, position=position)
    return GPT(config, rng=seed)


def test_every_length_reads_the_same_tokens():
    val = np.arange(1000) % 7
    tokens = xp.eval_tokens(val, 64)
    assert len(tokens) == 15 * 64 + 1  # the most whole windows of the longest length, + 1
    assert len(xp.eval_tokens(val, 64, windows=4)) == 4 * 64 + 1
    for L in (8, 16, 32, 64):
        x = tokens[:-1].reshape(-1, L)
        np.testing.assert_array_equal(x.reshape(-1), tokens[:-1])
    with pytest.raises(ValueError, match="fewer than 65"):
        xp.eval_tokens(val[:64], 64)


def test_loss_by_position_is_the_models_cross_entropy():
    model = small("rope")
    tokens = np.random.default_rng(0).integers(0, 7, 4 * 16 + 1)
    per = xp.losses_by_position(model, tokens, 16, batch=3)  # (W, L)
    assert per.shape == (4, 16)
    x, y = tokens[:-1].reshape(4, 16), tokens[1:].reshape(4, 16)
    _, loss = model(x, y)
    assert per.mean() == pytest.approx(loss, rel=1e-12)


def test_learned_positions_are_scored_only_where_they_can_run():
    tokens = np.random.default_rng(1).integers(0, 7, 4 * 32 + 1)
    learned = xp.evaluate(small("learned"), tokens, lengths=(8, 16, 32))
    assert learned["loss"]["8"] is not None and learned["loss"]["16"] is None
    assert learned["loss"]["32"] is None and len(learned["by_position"]) == 1  # 8 // min(32, 8)
    for position in ("sinusoidal", "rope", "alibi", "none"):
        scores = xp.evaluate(small(position), tokens, lengths=(8, 16, 32))
        assert all(np.isfinite(v) for v in scores["loss"].values())
        assert len(scores["by_position"]) == 1  # 32 positions in one bin of 32


def test_the_control_is_the_sinusoidal_table_at_a_tenth():
    Quiet = xp._quiet_sinusoid_class()
    config = GPTConfig(
        block_size=8, vocab_size=7, n_layer=1, n_head=2, n_embd=8, position="sinusoidal"
    )
    loud, quiet = GPT(config, rng=0), Quiet(config, rng=0)
    np.testing.assert_allclose(quiet._positions(3, 5), 0.1 * loud._positions(3, 5), rtol=1e-15)
    x = np.random.default_rng(2).integers(0, 7, (1, 6))
    assert np.abs(quiet(x)[0] - loud(x)[0]).max() > 1e-4


def fake_results():
    runs = []
    for scheme, base in (("learned", 1.0), ("rope", 2.0)):
        for seed in (0, 1):
            loss = {
                str(L): (None if scheme == "learned" and L > 64 else base + seed / 10 + L / 1000)
                for L in (64, 128)
            }
            runs.append(
                dict(
                    scheme=scheme, seed=seed, loss=loss, by_position=[1.0, 2.0], seconds=10.0 + seed
                )
            )
    return dict(lengths=[64, 128], runs=runs, bin=32)


def test_the_table_gives_mean_and_half_range_and_a_dash_where_a_scheme_cannot_run():
    table = xp.results_table(fake_results(), "en")
    lines = table.splitlines()
    assert lines[0] == "| positions | L = 64 | L = 128 | time per seed |"
    assert lines[2] == "| learned | 1.114 ± 0.050 | — | 10 s |"
    assert lines[3] == "| RoPE | 2.114 ± 0.050 | 2.178 ± 0.050 | 10 s |"
    spanish = xp.results_table(fake_results(), "es")
    assert "| aprendida |" in spanish and "tiempo por semilla" in spanish


def test_quick_cli_run_writes_the_results(tmp_path, capsys):
    assert (
        main(["experiment", "extrapolation", "--quick", "--lang", "en", "--out", str(tmp_path)])
        == 0
    )
    out = capsys.readouterr().out
    assert "smoke test" in out and "| positions | L = 64" in out
    results = json.loads((tmp_path / "extrapolation.json").read_text())
    assert [r["scheme"] for r in results["runs"]] == [*xp.SCHEMES, xp.CONTROL]
    assert results["quick"] and results["lengths"] == [64, 128, 256, 512]
    learned = results["runs"][0]
    assert learned["loss"]["64"] is not None and learned["loss"]["128"] is None
    assert (tmp_path / "extrapolation.md").read_text().startswith("| positions |")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seeds", "0", "0"], "distinct seeds"),
        (["--seeds", "-1"], "distinct seeds >= 0"),
        (["--steps", "0"], "--steps must be >= 1"),
        (["--threads", "0"], "--threads must be >= 1"),
        (["--threads", str(2**70)], "--threads must be >= 1 and <= 1024"),
    ],
)
def test_bad_arguments_are_refused_before_any_training(argv, message, capsys):
    assert main(["experiment", "extrapolation", "--quick", *argv]) == 2
    assert message in capsys.readouterr().err


# -- the shipped results ---------------------------------------------------------------------
def test_the_shipped_results_are_the_full_experiment():
    results = xp.shipped_extrapolation()
    assert not results["quick"] and results["corpus"] == "es"
    assert results["model"]["block_size"] == 64 and results["lengths"] == [64, 128, 256, 512]
    pairs = {(r["scheme"], r["seed"]) for r in results["runs"]}
    assert pairs == {(s, seed) for s in (*xp.SCHEMES, xp.CONTROL) for seed in (0, 1, 2)}
    for r in results["runs"]:
        runnable = [L for L in results["lengths"] if r["scheme"] != "learned" or L <= 64]
        assert [L for L, v in r["loss"].items() if v is not None] == [str(L) for L in runnable]
        assert len(r["by_position"]) == max(runnable) // results["bin"]


@pytest.mark.parametrize("readme, lang", [("README.md", "en"), ("README.es.md", "es")])
def test_both_readmes_show_the_shipped_table(readme, lang):
    text = (ROOT / readme).read_text(encoding="utf-8")
    table = xp.results_table(xp.shipped_extrapolation(), lang)
    assert table in text, f"{readme} does not hold the table of the shipped results"
    assert re.search(r"attnlab experiment extrapolation", text)
