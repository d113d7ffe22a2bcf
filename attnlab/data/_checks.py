"""Checks of the data functions' settings (numbers and seeds), each naming the argument."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


def check_real(value, name: str) -> float:
    """``value`` as a finite float, or TypeError (not a real number) / ValueError (NaN, inf)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def check_seed(seed, name: str = "seed"):
    """An int seed (>= 0) or a NumPy Generator, else TypeError / ValueError."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{name} must be an int or a numpy Generator, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"{name} must be >= 0, got {seed}")
    return int(seed)
