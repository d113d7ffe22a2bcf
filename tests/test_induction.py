"""Induction heads: the task hides no positional shortcut, the scores measure what they say,
and the shipped model has the two heads the README reports (issue 13)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from attnlab import cli
from attnlab.experiments import (
    RepeatTask,
    induction_scores,
    load_induction_model,
    measure,
    previous_token_scores,
    repeat_batch,
    train_induction,
)
from attnlab.experiments.induction_scores import induction_keys, split_losses, token_losses
from attnlab.experiments.induction_train import eval_batch

# -- the task --------------------------------------------------------------------------------------


def test_every_predictable_target_is_what_followed_the_same_token_before():
    task = RepeatTask(vocab_size=64, length=48, max_prefix=20)
    b = repeat_batch(task, 64, 0)
    np.testing.assert_array_equal(b.idx[:, 1:], b.targets[:, :-1])  # targets are the next tokens
    for row, t in zip(*np.nonzero(b.in_repeat), strict=True):
        earlier = np.nonzero(b.idx[row, :t] == b.idx[row, t])[0]
        assert (b.targets[row, earlier] == b.targets[row, t]).any()


def _copy_offsets(task, n=400, seed=1) -> np.ndarray:
    """How far back each sequence's repeat finds its first time: the smallest D with
    idx[t] == idx[t - D] over the whole predictable run."""
    b = repeat_batch(task, n, seed)
    offsets = []
    for row in range(n):
        run = np.nonzero(b.in_repeat[row])[0]  # queries whose next token is predictable
        D = next(d for d in range(1, run[0] + 1) if (b.idx[row, run] == b.idx[row, run - d]).all())
        offsets.append(D)
    return np.array(offsets)


def test_where_the_copy_comes_back_varies_so_only_content_can_find_it():
    offsets = _copy_offsets(RepeatTask())
    assert np.bincount(offsets).max() < 0.12 * len(offsets)  # no offset serves many copies
    assert len(np.unique(offsets)) >= 15
    fixed = _copy_offsets(RepeatTask(max_prefix=0))  # the first trap: always the same offset
    assert len(np.unique(fixed)) == 1


def test_the_task_rejects_shapes_that_leave_no_segment():
    with pytest.raises(ValueError, match="segment could be"):
        RepeatTask(length=20, max_prefix=18)
    with pytest.raises(ValueError, match="max_prefix"):
        RepeatTask(max_prefix=-1)
    with pytest.raises(ValueError, match="copies"):
        RepeatTask(copies=0)


# -- the scores ----------------------------------------------------------------------------------


def test_induction_keys_point_right_after_earlier_occurrences():
    idx = np.array([[5, 7, 9, 5, 7]])
    keys = induction_keys(idx)[0]  # (T, T)
    assert np.nonzero(keys[3])[0].tolist() == [1]  # 5 at t=3: it was followed by 7 at 1
    assert np.nonzero(keys[4])[0].tolist() == [2]  # 7 at t=4: it was followed by 9 at 2
    assert not keys[:3].any()


def test_a_perfect_head_scores_one_and_a_uniform_head_scores_little():
    b = repeat_batch(RepeatTask(length=48, max_prefix=16), 16, 2)
    B, T = b.idx.shape
    keys = induction_keys(b.idx).astype(float)  # (B, T, T)
    perfect = np.where(
        keys.any(-1, keepdims=True), keys / np.maximum(keys.sum(-1, keepdims=True), 1), np.eye(T)
    )
    previous = np.zeros((B, T, T))
    previous[:, 0, 0] = 1.0
    previous[:, np.arange(1, T), np.arange(T - 1)] = 1.0
    uniform = np.tril(np.ones((T, T))) / np.arange(1, T + 1)[:, None]  # (T, T)
    maps = [
        np.stack([perfect, previous, np.broadcast_to(uniform, (B, T, T))], axis=1)
    ]  # (B, 3, T, T)
    ind = induction_scores(maps, b.idx, b.in_repeat)[0]
    prev = previous_token_scores(maps)[0]
    np.testing.assert_allclose([ind[0], prev[1]], 1.0)
    assert ind[1] < 0.2 and ind[2] < 0.2 and prev[0] < 0.2 and prev[2] < 0.2


def test_token_losses_are_the_cross_entropy_of_each_target():
    logits = np.log(np.array([[[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]]))  # (1, 2, 3)
    np.testing.assert_allclose(
        token_losses(logits, np.array([[0, 2]])), [[np.log(2), -np.log(0.8)]]
    )


# -- training and the shipped model ------------------------------------------------------------


def test_training_is_seeded_and_records_every_evaluation():
    task = RepeatTask(vocab_size=32, length=24, max_prefix=8)
    _, h1 = train_induction(3, task=task, steps=6, eval_every=3)
    _, h2 = train_induction(3, task=task, steps=6, eval_every=3)
    assert h1.eval_steps == [0, 3, 6] and len(h1.train_loss) == 6
    assert h1.train_loss == h2.train_loss and h1.induction == h2.induction
    assert np.asarray(h1.previous_token).shape == (3, 2, 4)


def test_the_shipped_model_has_a_previous_token_head_and_an_induction_head():
    model, record = load_induction_model()
    (lp, hp), (li, hi) = record["previous_token_head"], record["induction_head"]
    assert (lp, li) == (0, 1)
    assert record["previous_token"][lp][hp] >= 0.5
    assert record["induction"][li][hi] >= 0.5
    assert record["loss_repeat"] < 0.5 * record["loss_other"]


def test_the_shipped_record_is_what_the_shipped_weights_compute():
    model, record = load_induction_model()
    batch = eval_batch(RepeatTask(**record["task"]))
    m = measure(model, batch)
    np.testing.assert_allclose(m["previous_token"], record["previous_token"], atol=1e-6)
    np.testing.assert_allclose(m["induction"], record["induction"], atol=1e-6)
    assert m["loss_repeat"] == pytest.approx(record["loss_repeat"], abs=1e-6)


def test_ablating_either_head_brings_the_in_repeat_loss_back_up():
    model, record = load_induction_model()
    batch = eval_batch(RepeatTask(**record["task"]))
    base = split_losses(model, batch)[0]
    L, H = 2, model.config.n_head
    for layer, head in (record["previous_token_head"], record["induction_head"]):
        mask = np.ones((L, H))
        mask[layer, head] = 0.0
        assert split_losses(model, batch, head_mask=mask)[0] > 2 * base  # one head: clearly up
    group = record["ablation_group"]  # every head of a kind: the repeats become unpredictable
    assert group["previous_token"] > 10 * base
    assert group["induction"] > 0.9 * record["loss_other"]


def test_the_cli_trains_measures_and_writes_one_record_per_seed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ATTNLAB_LANG", "en")
    code = cli.main(
        [
            "experiment",
            "induction",
            "--quick",
            "--steps",
            "4",
            "--seeds",
            "0",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "Quick mode" in out and "in-repeat loss" in out
    record = json.loads((tmp_path / "induction_seed0.json").read_text())
    assert record["steps"] == 4 and np.asarray(record["ablation"]).shape == (2, 4)


def test_the_cli_rejects_bad_numbers(capsys):
    assert cli.main(["experiment", "induction", "--steps", "0"]) == 2
    assert "--steps must be >= 1" in capsys.readouterr().err
    assert cli.main(["experiment", "induction", "--threads", str(2**70)]) == 2  # not a ctypes error
    assert "--threads must be >= 1 and <= 1024" in capsys.readouterr().err


def test_quick_trains_one_seed_unless_seeds_are_given(capsys, monkeypatch):
    # --quick promises a smoke run under a minute: three seeds of 600 steps took ~105 s.
    monkeypatch.setenv("ATTNLAB_LANG", "en")
    assert cli.main(["experiment", "induction", "--quick", "--steps", "2"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("seed ")] == ["seed 0: 2 steps"]
    argv = ["experiment", "induction", "--quick", "--steps", "2"]
    assert cli.main([*argv, "--seeds", "3", "4"]) == 0
    out = capsys.readouterr().out
    assert [line for line in out.splitlines() if line.startswith("seed ")] == [
        "seed 3: 2 steps",
        "seed 4: 2 steps",
    ]


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_an_out_that_cannot_be_a_folder_is_a_clear_error_before_training(where, tmp_path, capsys):
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me\n")
    out = taken if where == "a file" else taken / "runs"
    argv = ["experiment", "induction", "--quick", "--steps", "2", "--out", str(out)]
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert "--out" in captured.err and str(out) in captured.err
    assert "not a directory" in captured.err.lower()
    assert "seed" not in captured.out  # nothing trained
    assert taken.read_text() == "keep me\n"


def summary_record(seed: int, best_previous: float, best_induction: float) -> dict:
    """A record as ``report`` returns it, with the best head of each kind scoring as given."""
    prev = np.full((2, 4), 0.01)
    prev[0, 2] = best_previous
    ind = np.full((2, 4), 0.02)
    ind[1, 3] = best_induction
    return dict(
        seed=seed,
        previous_token=prev.tolist(),
        induction=ind.tolist(),
        previous_token_head=[0, 2],
        induction_head=[1, 3],
        loss_repeat=0.5,
        loss_other=4.9,
        ablation=np.full((2, 4), 0.75).tolist(),
        ablation_group={
            "previous_token": 1.9 if best_previous >= 0.5 else None,
            "induction": 6.6 if best_induction >= 0.5 else None,
        },
        seconds=30.0,
        load_average=2.0,
    )


def test_the_summary_names_a_head_only_when_it_scores_at_least_half():
    # The README's rule: below 0.5 no head of that kind formed; the table says "none (best x)"
    # and has nothing to ablate, instead of naming the best of the heads that did not form.
    from attnlab.experiments.induction import summary_table

    records = [summary_record(0, 0.70, 0.93), summary_record(1, 0.31, 0.93)]
    rows = {line.split("|")[1].strip(): line for line in summary_table(records, "en").splitlines()}
    cells = [c.strip() for c in rows["0"].split("|")[1:-1]]
    assert cells[1:3] == ["layer 0 head 2 (0.70)", "layer 1 head 3 (0.93)"]
    assert cells[5:9] == ["0.750", "0.750", "1.900", "6.600"]
    cells = [c.strip() for c in rows["1"].split("|")[1:-1]]
    assert cells[1:3] == ["none (best 0.31)", "layer 1 head 3 (0.93)"]
    assert cells[5:9] == ["—", "0.750", "—", "6.600"]
    spanish = summary_table([summary_record(2, 0.04, 0.49)], "es")
    assert "| ninguna (la mejor, 0.04) | ninguna (la mejor, 0.49) |" in spanish
    assert "cabeza 2" not in spanish and "cabeza 3" not in spanish


# -- the phase-change figure -----------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_phase_change_is_marked_only_when_the_heads_have_formed(lang):
    """A short run (the lesson's quick mode) or a seed without heads has a flat curve: the figure
    must not mark a 'steepest fall' nor say the loss fell when the heads formed."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from attnlab import viz

    _, record = load_induction_model()
    shipped = record["history"]
    E, L, H = np.asarray(shipped["induction"]).shape
    flat = {
        "eval_steps": list(range(0, 61, 20)),
        "loss_repeat": [4.85, 4.84, 4.84, 4.83],
        "loss_other": [4.86, 4.85, 4.85, 4.85],
        "previous_token": np.full((4, L, H), 0.05).tolist(),
        "induction": np.full((4, L, H), 0.03).tolist(),
    }
    marked = viz.text("phase_change_at", lang)
    for history, formed in ((shipped, True), (flat, False)):
        fig = viz.phase_change(history, vocab_size=128, seed=0, lang=lang)
        labels = [line.get_label() for ax in fig.axes for line in ax.get_lines()]
        assert (marked in labels) == formed
        title = fig._suptitle.get_text()
        assert (title == viz.text("phase_title", lang, seed=0)) == formed
        if not formed:
            assert "0.03" in title
        plt.close(fig)


# -- bad input at the public boundary: clear errors, never a silent wrong answer -----------------


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: repeat_batch("task", 4, 0), TypeError, "task must be a RepeatTask"),
        (lambda: repeat_batch(RepeatTask(), 4, -1), ValueError, "rng"),
        (lambda: repeat_batch(RepeatTask(), 4, "a"), TypeError, "rng"),
        (lambda: repeat_batch(RepeatTask(), 4, 1.5), TypeError, "rng"),
        (lambda: RepeatTask(vocab_size=2**70), ValueError, "vocab_size"),
        (lambda: train_induction(0, steps=-1), ValueError, "steps"),
        (lambda: train_induction(0, steps=1, eval_every=0), ValueError, "eval_every"),
        (lambda: train_induction(0, steps=1, lr=1e-3), TypeError, "lr"),
        (lambda: train_induction(0, task="x", steps=1), TypeError, "task must be a RepeatTask"),
        (lambda: train_induction(0, model={"n_layers": 3}, steps=1), TypeError, "n_layers"),
    ],
)
def test_bad_task_batch_and_training_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_repeat_task_stores_plain_ints():
    task = RepeatTask(max_prefix=np.int64(3))
    assert type(task.max_prefix) is int and task.to_dict()["max_prefix"] == 3


def test_measure_rejects_a_batch_that_does_not_fit_the_model():
    model, _ = load_induction_model()
    b = repeat_batch(RepeatTask(), 4, 1)
    with pytest.raises(TypeError, match="batch must be a RepeatBatch"):
        measure(model, (b.idx, b.targets))
    with pytest.raises(TypeError, match="model must be a GPT"):
        measure("model", b)
    with pytest.raises(TypeError, match=r"in_repeat must be a bool array.*int64"):
        measure(model, b._replace(in_repeat=b.in_repeat.astype(np.int64)))  # not indices
    with pytest.raises(ValueError, match=r"targets.*\(4, 3\).*idx.*\(4, 64\)"):
        measure(model, b._replace(targets=b.targets[:, :3]))
    with pytest.raises(ValueError, match="in_repeat.*no target inside a repeat"):
        measure(model, b._replace(in_repeat=np.zeros_like(b.in_repeat)))


def test_the_scores_reject_maps_and_queries_of_the_wrong_shape():
    maps = [np.full((2, 3, 5, 5), 0.2)]
    idx = np.zeros((2, 5), dtype=np.int64)
    with pytest.raises(ValueError, match=r"previous-token score needs T >= 2.*\(2, 3, 1, 1\)"):
        previous_token_scores([np.ones((2, 3, 1, 1))])  # no query has a previous token: not NaN
    with pytest.raises(ValueError, match=r"maps\[0\] must have shape \(B, H, T, T\).*\(2, 3, 5\)"):
        previous_token_scores([np.ones((2, 3, 5))])
    with pytest.raises(ValueError, match="maps must hold one"):
        previous_token_scores([])
    with pytest.raises(ValueError, match=r"queries.*\(2, 5\).*got \(2, 4\)"):
        induction_scores(maps, idx, np.ones((2, 4), dtype=bool))
    with pytest.raises(ValueError, match=r"idx.*\(2, 5\).*maps.*got \(3, 5\)"):
        induction_scores(maps, np.zeros((3, 5), dtype=np.int64), np.ones((3, 5), dtype=bool))
    with pytest.raises(TypeError, match="queries must be a bool array"):
        induction_scores(maps, idx, np.ones((2, 5), dtype=np.int64))
