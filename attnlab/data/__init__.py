"""Order-book data: a synthetic book, TLOB's labels, windows and splits, the FI-2010 reader."""

from .dataset import LOBDataset, make_dataset, split_and_window
from .fi2010 import FI2010, HORIZONS, fi2010_dataset, fi2010_windows, read_fi2010
from .labels import DOWN, STATIONARY, UP, mid_price, smoothing_window, tlob_labels, tlob_returns
from .synthetic import LEVELS, REGIMES, SyntheticLOB, synthetic_lob
from .windows import Windows, ZScore, chronological_split

__all__ = [
    "DOWN",
    "FI2010",
    "HORIZONS",
    "LEVELS",
    "LOBDataset",
    "REGIMES",
    "STATIONARY",
    "UP",
    "SyntheticLOB",
    "Windows",
    "ZScore",
    "chronological_split",
    "fi2010_dataset",
    "fi2010_windows",
    "make_dataset",
    "mid_price",
    "read_fi2010",
    "smoothing_window",
    "split_and_window",
    "synthetic_lob",
    "tlob_labels",
    "tlob_returns",
]
