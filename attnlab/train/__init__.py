"""Training: a NumPy loop with Adam and early stopping, baselines, and the TLOB experiment."""

from .baselines import LastSnapshotLogistic, MajorityClass, WindowMLP
from .loop import History, evaluate, train_classifier

__all__ = [
    "History",
    "LastSnapshotLogistic",
    "MajorityClass",
    "WindowMLP",
    "evaluate",
    "train_classifier",
]
