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


@pytest.mark.slow
def test_train_tlob_command_quick_prints_the_table(capsys):
    from attnlab.cli import main

    argv = ["train-tlob", "--quick", "--seeds", "0", "--epochs", "1", "--no-progress"]
    assert main([*argv, "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "| semilla | TLOB | logística (última instantánea) | clase mayoritaria |" in out
    assert "| 0 |" in out
    assert "época   1  pérdida de entrenamiento" in out
    assert "--quick es una prueba de humo" in out and "no dicen nada de TLOB" in out


def test_the_results_table_and_the_training_log_follow_the_language(tiny_data, capsys):
    from attnlab.i18n import set_language
    from attnlab.train.experiment import results_table

    row = dict(seed=0, tlob=0.5, logistic=0.4, majority=0.2)
    try:
        for lang, head, log in (
            ("en", "| seed | TLOB | logistic (last snapshot) | majority class |", "train loss"),
            ("es", "| semilla | TLOB | logística (última instantánea) |", "pérdida de validación"),
        ):
            set_language(lang)
            assert results_table([row, row]).startswith(head)
            train_classifier(
                LastSnapshotLogistic(40, rng=0),
                tiny_data.train,
                tiny_data.val,
                epochs=1,
                max_batches=1,
                progress=False,
            )
            assert log in capsys.readouterr().out
    finally:
        set_language("en")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--epochs", "0"], "--epochs must be >= 1, got 0"),
        (["--epochs", "-3"], "--epochs must be >= 1, got -3"),
        (["--seeds", "-1"], "--seeds must be >= 0"),
        (["--threads", "0"], "--threads must be >= 1"),
        (["--horizon", "0"], "--horizon must be >= 1"),
        (["--fi2010", "nope.txt", "nope.txt"], "no FI-2010 file at nope.txt"),
        (
            ["--fi2010", "{tmp}/a.txt", "{tmp}/a.txt", "--horizon", "7"],
            "one of (10, 20, 30, 50, 100)",
        ),
        (["--save-pretrained", "{tmp}/file.txt"], "cannot create the output directory"),
    ],
)
def test_train_tlob_checks_every_argument_before_any_work(
    argv, message, tmp_path, capsys, monkeypatch
):
    from attnlab.cli import main
    from attnlab.train import experiment

    def forbidden(*args, **kwargs):
        raise AssertionError("training started before the arguments were checked")

    monkeypatch.setattr(experiment, "make_dataset", forbidden)
    monkeypatch.setattr(experiment, "run_seed", forbidden)
    (tmp_path / "a.txt").write_text("1 2\n")
    (tmp_path / "file.txt").write_text("not a folder")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["train-tlob", "--quick", "--no-progress", *argv]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_train_tlob_refuses_an_unwritable_save_folder_before_training(
    tmp_path, capsys, monkeypatch
):
    import os

    from attnlab.cli import main
    from attnlab.train import experiment

    if os.geteuid() == 0:
        pytest.skip("root can write into a read-only folder")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setattr(experiment, "run_seed", lambda *a, **k: pytest.fail("trained first"))
    try:
        assert main(["train-tlob", "--quick", "--save-pretrained", str(locked / "w")]) == 2
    finally:
        locked.chmod(0o700)
    assert "cannot" in capsys.readouterr().err


def test_the_horizon_sets_the_synthetic_labels_too(monkeypatch, capsys):
    from attnlab.cli import main
    from attnlab.train import experiment

    seen = {}

    def spy(**config):
        seen.update(config)
        return "dataset"

    def fake_seed(dataset, seed, **kwargs):  # the training itself is tested elsewhere
        return dict(seed=seed, tlob=0.5, logistic=0.4, majority=0.2, model=None)

    monkeypatch.setattr(experiment, "make_dataset", spy)
    monkeypatch.setattr(experiment, "run_seed", fake_seed)
    assert main(["train-tlob", "--quick", "--seeds", "0", "--horizon", "20", "--lang", "en"]) == 0
    assert seen["horizon"] == 20
    assert "(synthetic book, horizon 20," in capsys.readouterr().out


def test_training_holds_blas_to_one_thread_and_gives_it_back(tiny_data):
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas_threads_now():
        return [
            i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"
        ]

    seen = []

    class Spy(LastSnapshotLogistic):
        def forward(self, x):
            seen.append(blas_threads_now())
            return super().forward(x)

    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        for threads, inside in ((1, {1}), (None, {2})):  # None leaves BLAS as it is
            seen.clear()
            train_classifier(
                Spy(40, rng=0),
                tiny_data.train,
                tiny_data.val,
                epochs=1,
                max_batches=2,
                progress=False,
                log=None,
                threads=threads,
            )
            assert seen and all(set(s) == inside for s in seen)
            assert set(blas_threads_now()) == {2}  # given back after the loop


@pytest.mark.parametrize(
    "settings, exc, match",
    [
        (dict(epochs=0), ValueError, "epochs must be >= 1"),
        (dict(batch_size=0), ValueError, "batch_size must be >= 1"),
        (dict(patience=0), ValueError, "patience must be >= 1"),
        (dict(max_batches=0), ValueError, "max_batches must be >= 1"),
        (dict(epochs=2.5), TypeError, "epochs must be an int"),
    ],
)
def test_bad_training_settings_are_clear_errors(tiny_data, settings, exc, match):
    model = LastSnapshotLogistic(40, rng=0)
    with pytest.raises(exc, match=match):
        train_classifier(
            model, tiny_data.train, tiny_data.val, progress=False, log=None, **settings
        )


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: MajorityClass().fit([]), ValueError, "non-empty 1-d array"),
        (lambda: MajorityClass().predict(3), RuntimeError, "call fit before predict"),
        (
            lambda: LastSnapshotLogistic(4).forward(np.zeros((2, 4))),
            ValueError,
            "windows \\(B, T, F\\)",
        ),
        (
            lambda: LastSnapshotLogistic(4).backward(np.zeros((2, 3))),
            RuntimeError,
            "forward before",
        ),
        (lambda: f1_per_class("abc"), TypeError, "confusion"),
        (lambda: f1_per_class([[1, 2]]), ValueError, "square"),
        (lambda: confusion_matrix([0], [0], num_classes=0), ValueError, "num_classes must be >= 1"),
    ],
)
def test_baselines_and_metrics_reject_bad_input_clearly(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


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
    assert main([*args, "--lang", "en"]) == 0
    assert "FI-2010, horizon 10" in capsys.readouterr().out
    (tmp_path / "Test.txt").write_text("1 2\n3 x\n")
    assert main(args) == 2
    assert "row 1, column 1 is not a number" in capsys.readouterr().err
