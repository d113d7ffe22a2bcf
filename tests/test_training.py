"""Training: the loop lowers the loss, metrics match hand counts, baselines behave, the command
prints its table, and the shipped pretrained TLOB loads."""

from __future__ import annotations

import numpy as np
import pytest

from attnlab.data import make_dataset
from attnlab.metrics import accuracy, confusion_matrix, f1_per_class, macro_f1
from attnlab.models import TLOB, load_pretrained
from attnlab.train import LastSnapshotLogistic, MajorityClass, evaluate, train_classifier


@pytest.fixture(scope="module")
def tiny_data():
    return make_dataset(3000, seq_size=8, horizon=5, seed=0)


def test_confusion_matrix_and_f1_by_hand():
    y_true = np.array([0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 0, 1])
    cm = confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [0, 2, 0], [1, 1, 1]])
    # class 0: p = 1/2, r = 1/2 -> 0.5;  class 1: p = 2/4, r = 1 -> 2/3
    # class 2: p = 1, r = 1/3 -> 0.5
    np.testing.assert_allclose(f1_per_class(cm), [0.5, 2 / 3, 0.5])
    assert macro_f1(y_true, y_pred) == pytest.approx((0.5 + 2 / 3 + 0.5) / 3)
    assert accuracy(y_true, y_pred) == pytest.approx(4 / 7)


def test_macro_f1_of_a_constant_prediction_ignores_absent_classes_fairly():
    y = np.array([1, 1, 1, 0])
    assert macro_f1(y, np.ones(4, dtype=int)) == pytest.approx((0 + 2 * 0.75 / 1.75 + 0) / 3)


def test_metrics_reject_bad_labels():
    with pytest.raises(ValueError, match="lie in"):
        confusion_matrix([0, 3], [0, 1])
    with pytest.raises(ValueError, match="same shape"):
        confusion_matrix([0, 1], [0])


def test_loss_decreases_on_a_fixed_tiny_run(tiny_data):
    model = TLOB(hidden_dim=8, num_layers=1, seq_size=8, num_features=40, rng=0)
    x, y = tiny_data.train.batch(np.arange(64))
    from attnlab.functional import cross_entropy_forward

    before, _ = cross_entropy_forward(model(x), y)
    history = train_classifier(
        model,
        tiny_data.train,
        tiny_data.val,
        epochs=3,
        batch_size=32,
        lr=3e-3,
        max_batches=15,
        patience=5,
        seed=0,
        progress=False,
        log=None,
    )
    after, _ = cross_entropy_forward(model(x), y)
    assert len(history.train_loss) == 3
    assert history.train_loss[-1] < history.train_loss[0]
    assert after < before
    assert history.best_epoch == int(np.argmin(history.val_loss))


def test_training_is_seeded(tiny_data):
    runs = []
    for _ in range(2):
        model = TLOB(hidden_dim=8, num_layers=1, seq_size=8, rng=1)
        h = train_classifier(
            model,
            tiny_data.train,
            tiny_data.val,
            epochs=1,
            max_batches=3,
            seed=4,
            progress=False,
            log=None,
        )
        runs.append((h.train_loss, model.state_dict()["emb_layer.weight"]))
    assert runs[0][0] == runs[1][0]
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_early_stopping_restores_the_best_weights(tiny_data):
    model = TLOB(hidden_dim=8, num_layers=1, seq_size=8, rng=2)
    h = train_classifier(
        model,
        tiny_data.train,
        tiny_data.val,
        epochs=6,
        lr=0.05,
        patience=1,
        max_batches=5,
        seed=0,
        progress=False,
        log=None,
    )
    assert len(h.val_loss) - 1 - h.best_epoch <= 1  # stopped one epoch after no improvement
    assert evaluate(model, tiny_data.val)["loss"] == pytest.approx(min(h.val_loss))


def test_baselines(tiny_data):
    majority = MajorityClass().fit(np.array([2, 2, 1, 0, 2]))
    np.testing.assert_array_equal(majority.predict(3), [2, 2, 2])
    logistic = LastSnapshotLogistic(40, rng=0)
    x, _ = tiny_data.train.batch(np.arange(4))
    logits = logistic(x)
    np.testing.assert_allclose(logits, x[:, -1] @ logistic.linear.weight.T + logistic.linear.bias)
    dx = logistic.backward(np.ones((4, 3)))
    assert dx.shape == x.shape and not dx[:, :-1].any()


def test_train_tlob_command_quick_prints_the_table(capsys):
    from attnlab.cli import main

    assert main(["train-tlob", "--quick", "--seeds", "0", "--epochs", "1", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "| seed | TLOB | logistic (last snapshot) | majority class |" in out
    assert "| 0 |" in out


def test_pretrained_tlob_loads_with_its_record():
    model, info = load_pretrained()
    assert isinstance(model, TLOB)
    assert model.config == info["config"]
    assert len(info["history"]["train_loss"]) == len(info["history"]["val_loss"]) >= 1
    cm = np.array(info["test"]["confusion"])
    assert cm.shape == (3, 3)
    assert info["test"]["macro_f1"] == pytest.approx(f1_per_class(cm).mean())
    data = make_dataset(**info["data"])
    assert np.trace(cm) / cm.sum() == pytest.approx(info["test"]["accuracy"])
    x, y = data.test.batch(np.arange(256))
    model.forward(x)
    assert len(model.attention_maps) == 2 * model.config["num_layers"]
    assert cm.sum() == len(data.test)


def test_train_tlob_command_on_fi2010_files(tmp_path, capsys):
    from attnlab.cli import main

    rng = np.random.default_rng(0)
    for name, n in (("Train.txt", 300), ("Test.txt", 80)):
        rows = rng.standard_normal((149, n))
        rows[144:] = rng.integers(1, 4, (5, n))
        (tmp_path / name).write_text("\n".join(" ".join(f"{v:.5f}" for v in r) for r in rows))
    args = [
        "train-tlob",
        "--fi2010",
        str(tmp_path / "Train.txt"),
        str(tmp_path / "Test.txt"),
        "--quick",
        "--seeds",
        "0",
        "--epochs",
        "1",
        "--no-progress",
    ]
    assert main(args) == 0
    assert "FI-2010, horizon 10" in capsys.readouterr().out
    (tmp_path / "Test.txt").write_text("1 2\n3 x\n")
    assert main(args) == 2
    assert "row 1, column 1 is not a number" in capsys.readouterr().out
