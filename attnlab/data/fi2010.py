"""Reader for the public FI-2010 benchmark text files (Ntakaris et al., 2018).

Whitespace-separated text with one ROW per feature and one COLUMN per event: 149 rows. Rows
0..143 are features (rows 0..39 the 10-level book in the order ask price, ask volume, bid
price, bid volume per level); rows 144..148 are labels for the horizons 10, 20, 30, 50, 100
events, with 1 = up, 2 = stationary, 3 = down (we subtract 1 to get TLOB's classes).
Files are named like ``Train_Dst_NoAuction_ZScore_CF_7.txt``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .._validate import check_positive_int
from .windows import Windows

N_FEATURES = 144
HORIZONS = (10, 20, 30, 50, 100)
N_ROWS = N_FEATURES + len(HORIZONS)


class FI2010(NamedTuple):
    features: np.ndarray  # (N, 144) one row per event
    labels: np.ndarray  # (N, 5) int64 classes 0 up, 1 stationary, 2 down; columns = HORIZONS


def _read_text(path: Path) -> str:
    """The file's text (ASCII or UTF-8), or a ValueError naming the path and the first bad byte."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError(f"{path} is a binary file, not an FI-2010 text file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path} is not an FI-2010 text file: byte 0x{raw[err.start]:02x} at offset "
            f"{err.start} is not text (ASCII or UTF-8)"
        ) from None


def _data_lines(text: str):
    """``(line number, cells)`` of every line with data: text after ``#`` is a comment."""
    for n, line in enumerate(text.splitlines(), start=1):
        cells = line.split("#", 1)[0].split()
        if cells:
            yield n, cells


def _find_bad_cell(text: str) -> str:
    """Locate the first ragged row or non-numeric cell, for an error message."""
    width = None
    for r, (n, cells) in enumerate(_data_lines(text)):
        if width is not None and len(cells) != width:
            return f"row {r} has {len(cells)} columns but the rows above have {width} (line {n})"
        width = len(cells)
        for c, cell in enumerate(cells):
            try:
                float(cell)
            except ValueError:
                return f"row {r}, column {c} is not a number: {cell!r} (line {n})"
    return "unknown problem"


def read_fi2010(path) -> FI2010:
    """Read one FI-2010 text file; events become rows.

    Raises FileNotFoundError for a missing file and ValueError naming the path for a file that
    is not in the format: not text, empty, a non-numeric cell or ragged rows (located by row,
    column and line; ``#`` starts a comment), not 149 rows, NaN, or labels outside {1, 2, 3}.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no FI-2010 file at {path}")
    text = _read_text(path)
    if next(_data_lines(text), None) is None:
        raise ValueError(f"{path} is empty: an FI-2010 file has {N_ROWS} rows of numbers")
    try:
        data = np.loadtxt(io.StringIO(text), dtype=np.float64, ndmin=2, comments="#")  # (149, N)
    except ValueError:
        raise ValueError(f"{path} is not an FI-2010 text file: {_find_bad_cell(text)}") from None
    if data.shape[0] != N_ROWS:
        raise ValueError(
            f"{path} has {data.shape[0]} rows; an FI-2010 file has {N_ROWS} "
            f"({N_FEATURES} feature rows + {len(HORIZONS)} label rows, one column per event)"
        )
    if not np.isfinite(data).all():
        raise ValueError(f"{path} contains NaN or inf")
    raw = data[N_FEATURES:]  # (5, N)
    if not np.isin(raw, (1.0, 2.0, 3.0)).all():
        bad = np.unique(raw[~np.isin(raw, (1.0, 2.0, 3.0))])[:5]
        raise ValueError(
            f"{path}: label rows must hold 1, 2 or 3 (up, stationary, down), found {bad.tolist()}"
        )
    labels = raw.T.astype(np.int64) - 1  # (N, 5) classes 0..2
    return FI2010(features=np.ascontiguousarray(data[:N_FEATURES].T), labels=labels)


def fi2010_windows(data: FI2010, seq_size: int, horizon: int = 10, n_features: int = 40) -> Windows:
    """Windows over the first ``n_features`` features (40 = the raw book) for one horizon."""
    if horizon not in HORIZONS:
        raise ValueError(f"horizon must be one of {HORIZONS}, got {horizon}")
    if not 1 <= check_positive_int(n_features, "n_features") <= N_FEATURES:
        raise ValueError(f"n_features must be in 1..{N_FEATURES}, got {n_features}")
    return Windows(data.features[:, :n_features], data.labels[:, HORIZONS.index(horizon)], seq_size)


def fi2010_dataset(
    train_path,
    test_path,
    seq_size: int = 32,
    horizon: int = 10,
    n_features: int = 40,
    val_fraction: float = 0.15,
):
    """Train / validation / test windows from one FI-2010 training file and one test file.

    The last ``val_fraction`` of the training events (in time order) is the validation split.
    Every split is z-scored with the statistics of the training part (the public files are
    already z-scored, so this changes little); labels are the file's own for ``horizon``.
    """
    from .dataset import LOBDataset
    from .windows import ZScore

    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction}")
    if horizon not in HORIZONS:
        raise ValueError(f"horizon must be one of {HORIZONS}, got {horizon}")
    train, test = read_fi2010(train_path), read_fi2010(test_path)
    cut = int(round(len(train.features) * (1 - val_fraction)))
    parts = [
        FI2010(train.features[:cut], train.labels[:cut]),
        FI2010(train.features[cut:], train.labels[cut:]),
        test,
    ]
    zscore = ZScore.fit(parts[0].features[:, :n_features])
    sets = [
        fi2010_windows(
            FI2010(zscore(p.features[:, :n_features]), p.labels), seq_size, horizon, n_features
        )
        for p in parts
    ]
    return LOBDataset(*sets, alphas=(None, None, None), zscore=zscore)
