"""Data: a synthetic book, TLOB's labels, windows and splits, the FI-2010 reader; order-book
events as tokens; a character tokenizer and a small bilingual corpus for language models."""

from .corpus import generate_corpus, load_corpus
from .dataset import LOBDataset, make_dataset, split_and_window
from .fi2010 import FI2010, HORIZONS, fi2010_dataset, fi2010_windows, read_fi2010
from .labels import DOWN, STATIONARY, UP, mid_price, smoothing_window, tlob_labels, tlob_returns
from .lob_events import LOBEvents, synthetic_lob_events
from .lob_tokenizer import LOBEventTokenizer
from .synthetic import LEVELS, REGIMES, SyntheticLOB, synthetic_lob
from .text import CharTokenizer, split_text
from .windows import Windows, ZScore, chronological_split

__all__ = [
    "CharTokenizer",
    "LOBEventTokenizer",
    "LOBEvents",
    "generate_corpus",
    "load_corpus",
    "split_text",
    "synthetic_lob_events",
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
