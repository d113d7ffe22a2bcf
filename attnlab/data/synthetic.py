"""A synthetic limit order book with regimes, in FI-2010's column order.

Each event is one snapshot of a 10-level book: for level 1..10, (ask price, ask volume, bid
price, bid volume), so 40 columns; column 0 is the best ask, column 2 the best bid.

The hidden mid-price switches between three regimes (a Markov chain, long stays):

    trend up / trend down:  m_{t+1} = m_t +/- drift + noise         momentum: a trend that has
                                                                     been running tends to go on
    mean-reverting:         m_{t+1} = m_t - theta (m_t - anchor) + noise

so the recent path says something about the next moves, but the noise, the switches and tick
rounding keep it far from certain. The book around it is built so that it is always valid:
prices on a tick grid, positive spread, ask levels strictly increasing, bid levels strictly
decreasing (never crossing), and volumes > 0. Volumes lean slightly towards the trend (more
bid volume in an up trend), a weak signal visible in a single snapshot.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import check_positive_int
from ._checks import check_real, check_seed

LEVELS = 10
REGIMES = ("trend up", "trend down", "mean-reverting")


class SyntheticLOB(NamedTuple):
    book: (
        np.ndarray
    )  # (N, 40) FI-2010 order: ask price, ask volume, bid price, bid volume per level
    mid: np.ndarray  # (N,) (best ask + best bid) / 2
    regime: np.ndarray  # (N,) index into REGIMES (hidden state, for plots and checks)


def _regimes(n: int, stay: float, rng: np.random.Generator) -> np.ndarray:
    """A Markov chain over the three regimes that stays put with probability ``stay``."""
    switches = rng.random(n) > stay  # (N,)
    regime = np.empty(n, dtype=np.int64)  # (N,)
    current = int(rng.integers(3))
    for t in range(n):
        if switches[t]:
            current = int(rng.choice([r for r in range(3) if r != current]))
        regime[t] = current
    return regime


def _mid_path(regime, drift, theta, noise, tick, rng) -> np.ndarray:
    n = len(regime)
    shocks = rng.standard_normal(n) * noise * tick  # (N,)
    mid = np.empty(n)  # (N,)
    m = anchor = 100.0
    for t in range(n):
        if t and regime[t] != regime[t - 1]:
            anchor = m  # a new mean-reverting spell pulls towards where it started
        if regime[t] == 0:
            m += drift * tick
        elif regime[t] == 1:
            m -= drift * tick
        else:
            m -= theta * (m - anchor)
        m += shocks[t]
        mid[t] = m
    return mid


def synthetic_lob(
    n_events: int = 60000,
    *,
    seed: int = 0,
    tick: float = 0.01,
    stay: float = 0.997,
    drift: float = 0.3,
    theta: float = 0.05,
    noise: float = 1.0,
    imbalance: float = 0.15,
) -> SyntheticLOB:
    """Generate ``n_events`` snapshots of a 10-level book (seeded, reproducible).

    ``drift`` (ticks per event, >= 0) and ``noise`` (ticks, >= 0) set how visible the trends
    are, ``stay`` (0 < stay < 1) how long regimes last (mean stay 1 / (1 - stay) events),
    ``theta`` (0..1) the pull of the mean-reverting regime and ``imbalance`` how much volumes
    lean towards the trend. Bad settings raise TypeError or ValueError naming them.
    """
    n = check_positive_int(n_events, "n_events")
    tick, stay, drift, theta, noise, imbalance = (
        check_real(v, k)
        for k, v in dict(
            tick=tick, stay=stay, drift=drift, theta=theta, noise=noise, imbalance=imbalance
        ).items()
    )
    if not 0 < stay < 1:
        raise ValueError(f"stay must be in (0, 1), got {stay}")
    if not tick > 0:
        raise ValueError(f"tick must be > 0, got {tick}")
    if not 0 <= theta <= 1:
        raise ValueError(f"theta must be in [0, 1] (the fraction of the gap closed), got {theta}")
    for name, value in (("drift", drift), ("noise", noise)):
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    rng = np.random.default_rng(check_seed(seed))
    regime = _regimes(n, stay, rng)  # (N,)
    hidden = _mid_path(regime, drift, theta, noise, tick, rng)  # (N,)

    # prices on the tick grid: best bid below the hidden mid, spread of 1..3 ticks
    spread = 1 + rng.poisson(0.5, n).clip(max=2)  # (N,) ticks
    best_bid = np.floor(hidden / tick - spread / 2.0 + 0.5)  # (N,) in ticks
    best_ask = best_bid + spread  # (N,) in ticks, > best bid
    gaps = 1 + rng.poisson(0.3, (n, LEVELS - 1, 2))  # (N, 9, 2) ticks between levels, >= 1
    ask = best_ask[:, None] + np.concatenate(
        [np.zeros((n, 1)), gaps[:, :, 0].cumsum(1)], 1
    )  # (N, 10)
    bid = best_bid[:, None] - np.concatenate(
        [np.zeros((n, 1)), gaps[:, :, 1].cumsum(1)], 1
    )  # (N, 10)

    # volumes: log-normal, growing with depth, leaning to the trend side
    lean = np.select([regime == 0, regime == 1], [imbalance, -imbalance], 0.0)  # (N,)
    depth = np.log1p(np.arange(LEVELS))  # (10,)
    base = 5.0 + 0.3 * depth  # (10,)
    ask_vol = np.exp(base - lean[:, None] + 0.5 * rng.standard_normal((n, LEVELS)))  # (N, 10)
    bid_vol = np.exp(base + lean[:, None] + 0.5 * rng.standard_normal((n, LEVELS)))  # (N, 10)
    ask_vol, bid_vol = np.ceil(ask_vol), np.ceil(bid_vol)  # whole shares, >= 1

    ask, bid = np.round(ask * tick, 8), np.round(bid * tick, 8)  # (N, 10) prices, no float dust
    book = np.stack([ask, ask_vol, bid, bid_vol], axis=2).reshape(n, 4 * LEVELS)  # (N, 40)
    mid = (book[:, 0] + book[:, 2]) / 2.0  # (N,)
    return SyntheticLOB(book=book, mid=mid, regime=regime)
