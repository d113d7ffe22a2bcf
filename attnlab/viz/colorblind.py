"""How a figure's colours look to a colour-blind reader, and whether they stay apart.

About 1 man in 12 sees red and green poorly. A figure whose meaning rides on hue alone (up in
green, down in red) then shows two classes in one colour. This module simulates the three
dichromacies with the matrices of Machado, Oliveira and Fernandes (2009, severity 1), which act
on *linear* RGB, and measures how far apart colours stay in CIELAB (ΔE 1976: about 2.3 is just
noticeable, above about 20 two patches read as different colours at a glance).

    >>> min_distance(["#1a9850", "#d73027"], "deuteranopia") < 20    # red/green: one colour
    True

The palette of every figure is checked this way in ``tests/test_figure_truth.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.colors import to_rgb

# Machado et al. (2009), severity 1.0, linear RGB -> linear RGB.
MACHADO = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
KINDS = tuple(MACHADO)
DISTINCT = 20.0  # ΔE76 above which two flat colours read as different at a glance


def _linear(srgb: np.ndarray) -> np.ndarray:
    """sRGB in [0, 1] -> linear light (the sRGB transfer function undone)."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _encode(linear: np.ndarray) -> np.ndarray:
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055)


def as_rgb(colors) -> np.ndarray:
    """Any matplotlib colours (names, hex, tuples) as an (N, 3) sRGB array in [0, 1]."""
    return np.array([to_rgb(c) for c in colors], dtype=np.float64)  # (N, 3)


def simulate(colors, kind: str = "deuteranopia") -> np.ndarray:
    """The sRGB colours (N, 3) a reader with the dichromacy ``kind`` sees instead of ``colors``."""
    if kind not in MACHADO:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    linear = _linear(as_rgb(colors))  # (N, 3)
    return _encode(linear @ MACHADO[kind].T)  # (N, 3)


def to_lab(rgb) -> np.ndarray:
    """sRGB (N, 3) in [0, 1] -> CIELAB (N, 3), D65 white."""
    linear = _linear(np.asarray(rgb, dtype=np.float64))  # (N, 3)
    m = np.array(
        [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
         [0.0193339, 0.1191920, 0.9503041]]
    )  # fmt: skip
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])  # (N, 3) relative to white
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], axis=1
    )  # (N, 3)


def min_distance(colors, kind: str | None = "deuteranopia") -> float:
    """The smallest ΔE76 between any two of ``colors`` as seen with ``kind`` (None: as drawn)."""
    colors = list(colors)
    if len(colors) < 2:
        raise ValueError("need at least two colours to compare")
    rgb = as_rgb(colors) if kind is None else simulate(colors, kind)
    lab = to_lab(rgb)  # (N, 3)
    return float(
        min(np.linalg.norm(lab[i] - lab[j]) for i, j in itertools.combinations(range(len(lab)), 2))
    )
