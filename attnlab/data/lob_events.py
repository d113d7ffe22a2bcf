"""Order-book *events*: a synthetic event stream (tokens: :mod:`attnlab.data.lob_tokenizer`).

Each event touches one side of the book (0 bid, 1 ask) and is one of three kinds:

- add (0): a limit order joins the queue ``level`` ticks behind the best price of its side;
- cancel (1): a resting order at ``level`` leaves;
- market (2): an incoming order eats liquidity at the best price of that side (level 0):
  "market ask" is a buy that takes the best ask.

``synthetic_lob_events(n)`` draws such a stream with structure a sequence model can use:

- regimes (up, down, calm; long stays): in an up trend buyers are aggressive, so market
  orders take the ask side more often, bids are added near the best price and asks cancelled;
- clustering: every market order on a side makes the next ones on that side more likely
  (an excitation that fades by a factor ``decay`` per event, as in a Hawkes process);
- replenishment: liquidity taken by a market order tends to come back, a few events later, as
  an add at level 0 of the same side, of about the same size;
- fleeting orders: some limit orders behind the best price are cancelled a few events after
  they were added, at the same level and with the same size (quotes that "flicker");
- order slicing: now and then a large trader splits a big order into many market orders of
  one size on one side, spread over the next few dozen events.

The mid-price moves one tick when a market order empties the best level (drawn with a fixed
probability), so ``mid`` is a price path for plots.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import check_positive_int, check_seed

KINDS = ("add", "cancel", "market")
SIDES = ("bid", "ask")
EVENT_REGIMES = ("up", "down", "calm")


class LOBEvents(NamedTuple):
    kind: np.ndarray  # (N,) 0 add, 1 cancel, 2 market
    side: np.ndarray  # (N,) 0 bid, 1 ask
    level: np.ndarray  # (N,) ticks behind the best price of that side (0 for market orders)
    size: np.ndarray  # (N,) shares, >= 1
    mid: np.ndarray  # (N,) mid-price in ticks after the event
    regime: np.ndarray  # (N,) index into EVENT_REGIMES (hidden state, for checks and plots)


def synthetic_lob_events(
    n_events: int = 120_000,
    *,
    seed: int = 0,
    stay: float = 0.998,
    trend: float = 2.5,
    decay: float = 0.85,
    excitation: float = 2.0,
    slicing: float = 0.004,
) -> LOBEvents:
    """Draw ``n_events`` events (seeded by ``seed``, an int >= 0: reproducible); see the
    module docstring.

    ``stay``: probability the regime stays put at each event; ``trend``: how much more likely
    the trend side's aggressive events are; ``decay`` and ``excitation``: the clustering of
    market orders; ``slicing``: the chance per event that a sliced order starts.
    """
    n = check_positive_int(n_events, "n_events")
    seed = check_seed(seed, "seed")
    if not 0 < stay < 1 or not 0 <= decay < 1:
        raise ValueError(f"stay must be in (0, 1) and decay in [0, 1), got {stay}, {decay}")
    rng = np.random.default_rng(seed)
    out = {k: np.zeros(n, dtype=np.int64) for k in ("kind", "side", "level", "size", "regime")}
    mid = np.zeros(n)  # (N,)
    regime, price = int(rng.integers(3)), 0.0
    excite = np.zeros(2)  # per side, market-order excitation
    refill = []  # pending replenishments: [side, size, events to wait]
    fleeting = []  # pending cancels of fleeting orders: [side, level, size, events to wait]
    slice_left, slice_side, slice_size = 0, 0, 0
    u = rng.random((n, 10))  # (N, 10) every uniform number the loop needs, drawn at once
    z = rng.standard_normal((n, 2))  # (N, 2)
    for t in range(n):
        if u[t, 0] > stay:
            regime = (regime + 1 + int(u[t, 1] * 2)) % 3  # switch to one of the other two
        buy = 1.5 if regime == 0 else 0.0  # aggressive buyers: take asks, add bids
        sell = 1.5 if regime == 1 else 0.0
        lean = np.array([trend if regime == 1 else 1.0, trend if regime == 0 else 1.0])
        w = np.array(
            [
                0.30 * (1 + 0.4 * buy),  # add bid
                0.30 * (1 + 0.4 * sell),  # add ask
                0.14 * (1 + 0.4 * sell),  # cancel bid
                0.14 * (1 + 0.4 * buy),  # cancel ask
                0.05 * lean[0] * (1 + excitation * excite[0]),  # market bid (a sell)
                0.05 * lean[1] * (1 + excitation * excite[1]),  # market ask (a buy)
            ]
        )  # (6,) kind-major: (add, cancel, market) x (bid, ask)
        due = [r for r in refill if r[2] <= 0]
        gone = [f for f in fleeting if f[3] <= 0]
        if slice_left and u[t, 2] < 0.35:
            kind, side, level, size = 2, slice_side, 0, slice_size
            slice_left -= 1
        elif gone and u[t, 2] < 0.75:
            kind, (side, level, size) = 1, gone[0][:3]
            fleeting.remove(gone[0])
        elif due and u[t, 2] < 0.6:
            side, size = due[0][0], due[0][1]
            refill.remove(due[0])
            kind, level = 0, 0
            size = max(1, int(round(size * np.exp(0.15 * z[t, 0]))))
        else:
            j = int(np.searchsorted(np.cumsum(w) / w.sum(), u[t, 3], side="right"))
            kind, side = divmod(min(j, 5), 2)
            if kind == 2:
                level, size = 0, int(np.exp(4.3 + 0.8 * z[t, 0])) + 1
            else:
                near = 0.55 if (side == 0) == (regime == 0) else 0.4  # the trend side adds near
                level = min(9, int(np.log(u[t, 4]) / np.log(1 - near)))  # geometric >= 0
                size = int(np.exp(4.8 + 0.15 * level + 0.7 * z[t, 0])) + 1
        excite *= decay
        for r in refill:
            r[2] -= 1
        for f in fleeting:
            f[3] -= 1
        if kind == 0 and level > 0 and u[t, 5] < 0.35:  # a fleeting quote: gone in 2 to 6 events
            fleeting.append([side, level, size, 2 + int(u[t, 6] * 5)])
        if kind == 2:
            excite[side] += 1.0
            if u[t, 5] < 0.7:  # the taken liquidity comes back in 1 to 4 events
                refill.append([side, size, 1 + int(u[t, 6] * 4)])
            if u[t, 7] < 0.3:  # the best level emptied: the mid moves away from that side
                price += 1.0 if side == 1 else -1.0
        if not slice_left and u[t, 8] < slicing:
            slice_left, slice_side = 10 + int(u[t, 9] * 20), int(u[t, 1] < 0.5)
            slice_size = int(np.exp(5.0 + 0.5 * z[t, 1])) + 1
        for key, value in zip(("kind", "side", "level", "size", "regime"),
                              (kind, side, level, size, regime), strict=True):  # fmt: skip
            out[key][t] = value
        mid[t] = price
    return LOBEvents(mid=mid, **out)
