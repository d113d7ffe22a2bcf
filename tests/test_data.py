"""Order-book data: a valid synthetic book, TLOB's labels against a hand-computed example,
windows aligned with their labels, train-only z-scores, chronological splits, FI-2010 files."""

from __future__ import annotations

import numpy as np
import pytest

from attnlab.data import (
    FI2010,
    Windows,
    ZScore,
    chronological_split,
    fi2010_windows,
    make_dataset,
    mid_price,
    read_fi2010,
    synthetic_lob,
    tlob_labels,
    tlob_returns,
)


def test_synthetic_book_is_valid_and_in_fi2010_order():
    lob = synthetic_lob(3000, seed=1)
    book = lob.book
    assert book.shape == (3000, 40)
    ask, ask_vol, bid, bid_vol = book[:, 0::4], book[:, 1::4], book[:, 2::4], book[:, 3::4]
    assert (ask[:, 0] > bid[:, 0]).all()  # positive spread
    assert (np.diff(ask, axis=1) > 0).all() and (np.diff(bid, axis=1) < 0).all()  # no crossing
    assert (ask_vol > 0).all() and (bid_vol > 0).all()
    np.testing.assert_allclose(lob.mid, (book[:, 0] + book[:, 2]) / 2)
    ticks = book[:, 0::2] / 0.01
    np.testing.assert_allclose(ticks, np.round(ticks), atol=1e-6)  # prices on the tick grid
    assert set(np.unique(lob.regime)) == {0, 1, 2}


def test_synthetic_book_is_seeded():
    np.testing.assert_array_equal(synthetic_lob(500, seed=3).book, synthetic_lob(500, seed=3).book)
    assert not np.array_equal(synthetic_lob(500, seed=3).book, synthetic_lob(500, seed=4).book)


def test_labels_match_a_hand_computed_example():
    mid = np.array([10.0, 10.0, 10.0, 11.0, 12.0, 10.0, 9.0, 10.0])
    # h = 2, k = 2: l(t) = (mean(mid[t+2:t+4]) - mean(mid[t:t+2])) / mean(mid[t:t+2])
    l0 = (10.5 - 10.0) / 10.0  # 0.05
    l1 = (11.5 - 10.0) / 10.0  # 0.15
    l2 = (11.0 - 10.5) / 10.5  # 0.047619...
    l3 = (9.5 - 11.5) / 11.5  # -0.173913...
    l4 = (9.5 - 11.0) / 11.0  # -0.136363...
    expected_l = np.array([l0, l1, l2, l3, l4])
    np.testing.assert_allclose(tlob_returns(mid, horizon=2, k=2), expected_l)
    labels, alpha = tlob_labels(mid, horizon=2, k=2)
    assert alpha == pytest.approx(np.mean(np.abs(expected_l)) / 2)  # 0.05566...
    np.testing.assert_array_equal(labels, [1, 0, 1, 2, 2])  # 0.05 and 0.0476 are below alpha


def test_default_smoothing_window_is_10_or_the_horizon():
    mid = 100 + np.cumsum(np.random.default_rng(0).standard_normal(200)) * 0.01
    assert len(tlob_returns(mid, horizon=20)) == 200 - 20 - 10 + 1
    assert len(tlob_returns(mid, horizon=5)) == 200 - 5 - 5 + 1
    labels, _ = tlob_labels(mid, horizon=5, alpha=0.0)
    np.testing.assert_array_equal(labels == 0, tlob_returns(mid, horizon=5) > 0)


def test_mid_price_reads_columns_0_and_2():
    book = np.zeros((2, 40))
    book[:, 0], book[:, 2] = [10.02, 10.04], [10.00, 10.00]
    np.testing.assert_allclose(mid_price(book), [10.01, 10.02])


def test_window_ending_at_t_gets_the_label_of_t():
    features = np.arange(20.0)[:, None] * np.ones((1, 3))  # feature value = event index
    labels = np.arange(15) % 3  # 15 labelled events (the last 5 have no future)
    w = Windows(features, labels, seq_size=4)
    assert len(w) == 15 - 4 + 1
    x, y = w.batch(np.arange(len(w)))
    assert x.shape == (12, 4, 3)
    for i in range(len(w)):
        t = i + 3  # window i ends at event t
        np.testing.assert_array_equal(x[i, :, 0], [t - 3, t - 2, t - 1, t])
        assert y[i] == labels[t]
    np.testing.assert_array_equal(w.last_snapshots()[:, 0], np.arange(3, 15))


def test_zscore_uses_training_statistics_only():
    train = np.array([[0.0, 5.0], [2.0, 5.0]])
    z = ZScore.fit(train)
    np.testing.assert_allclose(z(np.array([[4.0, 7.0]])), [[3.0, 2.0]])  # constant column: std 1


def test_chronological_split_keeps_time_order():
    parts = chronological_split(100, (0.7, 0.15, 0.15))
    assert [(s.start, s.stop) for s in parts] == [(0, 70), (70, 85), (85, 100)]
    with pytest.raises(ValueError, match="sum to 1"):
        chronological_split(100, (0.5, 0.2))


def test_make_dataset_splits_label_and_normalise_each_part():
    d = make_dataset(3000, seq_size=16, horizon=5, seed=2)
    book = synthetic_lob(3000, seed=2).book
    assert len(d.train) == 2100 - 5 - 5 + 1 - 16 + 1
    np.testing.assert_allclose(d.zscore.mean, book[:2100].mean(axis=0))  # train events only
    test_labels, test_alpha = tlob_labels(mid_price(book[2550:]), horizon=5)
    assert d.alphas[2] == test_alpha  # alpha from the split being labelled
    np.testing.assert_array_equal(d.test.y, test_labels[15:])
    x, _ = d.test.batch([0])
    np.testing.assert_allclose(x[0], d.zscore(book[2550:2566]))


def write_fi2010(path, n_events, rng, labels=None):
    rows = rng.standard_normal((149, n_events))
    rows[144:] = rng.integers(1, 4, (5, n_events)) if labels is None else labels
    path.write_text("\n".join("  ".join(f"{v:.6e}" for v in row) for row in rows) + "\n")
    return rows


def test_fi2010_reader_turns_rows_into_events(tmp_path, rng):
    path = tmp_path / "Train_Dst_NoAuction_ZScore_CF_7.txt"
    rows = write_fi2010(path, 30, rng)
    data = read_fi2010(path)
    assert isinstance(data, FI2010)
    assert data.features.shape == (30, 144) and data.labels.shape == (30, 5)
    np.testing.assert_allclose(data.features, rows[:144].T, rtol=1e-6)
    np.testing.assert_array_equal(data.labels, rows[144:].T.astype(int) - 1)
    w = fi2010_windows(data, seq_size=10, horizon=50)
    x, y = w.batch([0, 20])
    assert x.shape == (2, 10, 40)
    np.testing.assert_array_equal(y, data.labels[[9, 29], 3])  # horizon 50 is the 4th label row


def test_fi2010_wrong_row_count_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("1 2 3\n4 5 6\n")
    with pytest.raises(ValueError, match="has 2 rows; an FI-2010 file has 149"):
        read_fi2010(path)


@pytest.mark.parametrize("header, line", [("", 8), ("# FI-2010 excerpt, one row per feature\n", 9)])
def test_fi2010_non_numeric_cell_is_located_by_row_column_and_line(tmp_path, rng, header, line):
    path = tmp_path / "bad.txt"
    write_fi2010(path, 4, rng)
    lines = path.read_text().splitlines()
    cells = lines[7].split()
    cells[2] = "abc"
    lines[7] = " ".join(cells)
    path.write_text(header + "\n".join(lines))  # a comment header does not shift the row
    with pytest.raises(
        ValueError, match=f"row 7, column 2 is not a number: 'abc' \\(line {line}\\)"
    ):
        read_fi2010(path)


def test_fi2010_comment_lines_are_skipped(tmp_path, rng):
    path = tmp_path / "commented.txt"
    rows = write_fi2010(path, 5, rng)
    path.write_text("# header\n" + path.read_text())
    np.testing.assert_allclose(read_fi2010(path).features, rows[:144].T, rtol=1e-6)


@pytest.mark.parametrize(
    "content, match",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("# A\u00f1o 2010\n1 2 3\n".encode("latin-1"), "byte 0xf1 at offset 3 is not text"),
        (b"", "is empty"),
        (b"# only a comment\n\n", "is empty"),
    ],
)
def test_fi2010_a_file_that_is_not_text_is_named(tmp_path, content, match):
    path = tmp_path / "odd.txt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=match) as err:
        read_fi2010(path)
    assert str(path) in str(err.value)


def test_fi2010_ragged_rows_and_bad_labels(tmp_path, rng):
    path = tmp_path / "ragged.txt"
    write_fi2010(path, 4, rng)
    lines = path.read_text().splitlines()
    lines[3] += " 1.0"
    path.write_text("\n".join(lines))
    with pytest.raises(ValueError, match="row 3 has 5 columns .* \\(line 4\\)"):
        read_fi2010(path)
    write_fi2010(path, 4, rng, labels=np.full((5, 4), 4.0))
    with pytest.raises(ValueError, match="1, 2 or 3"):
        read_fi2010(path)
    with pytest.raises(FileNotFoundError):
        read_fi2010(tmp_path / "missing.txt")


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="NaN"):
        tlob_labels(np.array([1.0, np.nan, 1.0, 1.0]), horizon=1, k=1)
    with pytest.raises(ValueError, match="too short"):
        tlob_labels(np.ones(5), horizon=5)
    with pytest.raises(ValueError, match="NaN"):
        Windows(np.full((5, 2), np.nan), np.zeros(5, dtype=int), 2)
    with pytest.raises(ValueError, match="cannot fill one window"):
        Windows(np.zeros((5, 2)), np.zeros(3, dtype=int), 4)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: make_dataset(3000, fractions=(0.5, 0.5)), ValueError, "fractions must be three"),
        (lambda: make_dataset(3000, fractions="ab"), TypeError, "fractions must be three"),
        (lambda: make_dataset(3000, fractions=(0.7, 0.2, 0.2)), ValueError, "sum to 1"),
        (lambda: synthetic_lob(100, seed="a"), TypeError, "seed must be an int"),
        (lambda: synthetic_lob(100, drift=float("nan")), ValueError, "drift must be a finite"),
        (lambda: synthetic_lob(100, noise=-1.0), ValueError, "noise must be >= 0"),
        (lambda: synthetic_lob(100, theta=1.5), ValueError, "theta must be in"),
        (lambda: synthetic_lob(100, imbalance="x"), TypeError, "imbalance must be a real number"),
        (lambda: tlob_labels(np.arange(1.0, 60.0), 5, alpha="x"), TypeError, "alpha"),
        (lambda: tlob_labels(np.arange(1.0, 60.0), 5, alpha=-0.1), ValueError, "alpha must be"),
        (
            lambda: Windows(np.zeros((10, 2)), np.zeros(10, int), 3).batch([8]),
            IndexError,
            "window 8 does not exist: there are 8 windows",
        ),
    ],
)
def test_bad_data_arguments_are_clear_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_fi2010_dataset_splits_the_training_file_in_time_order(tmp_path, rng):
    from attnlab.data import fi2010_dataset

    train_rows = write_fi2010(tmp_path / "Train.txt", 100, rng)
    write_fi2010(tmp_path / "Test.txt", 30, rng)
    d = fi2010_dataset(
        tmp_path / "Train.txt", tmp_path / "Test.txt", seq_size=8, horizon=20, val_fraction=0.2
    )
    assert len(d.train) == 80 - 7 and len(d.val) == 20 - 7 and len(d.test) == 30 - 7
    np.testing.assert_array_equal(d.val.y, train_rows[145, 87:].astype(int) - 1)
    x, _ = d.train.batch([0])
    np.testing.assert_allclose(x[0], d.zscore(train_rows[:40, :8].T), rtol=1e-5, atol=1e-6)
