"""``LOBEventTokenizer``: order-book events <-> token ids, for next-event prediction."""

from __future__ import annotations

import numpy as np

from .lob_events import KINDS, SIDES, LOBEvents

FIELDS = ("kind", "side", "level", "size")


class LOBEventTokenizer:
    """Events <-> token ids: kind x side x level bucket x size bucket.

    With the default buckets (levels 0, 1, 2, 3+; sizes 1-99, 100-299, 300-999, 1000+):

        id = ((kind * 2 + side) * 4 + level_bucket) * 4 + size_bucket      V = 3 * 2 * 4 * 4 = 96

    ``decode`` gives back each bucket's lower edge (level 3 for "3+", size 100 for
    "100-299"). Market orders always have level 0, so their ids with level buckets 1-3 stand
    for no possible event: :meth:`possible_ids` lists the others (72 with the default
    buckets), ``decode`` and ``describe`` refuse the impossible ones (ValueError naming the
    id), and ``encode(decode(ids)) == ids`` for every possible id. The formula keeps them so
    that an id reads as its four fields; a model learns never to predict them, and a sampler
    can exclude them with ``is_possible``.
    """

    def __init__(self, level_edges=(0, 1, 2, 3), size_edges=(1, 100, 300, 1000)):
        self.level_edges = self._edges(level_edges, "level_edges", 0)
        self.size_edges = self._edges(size_edges, "size_edges", 1)
        self.L, self.S = len(self.level_edges), len(self.size_edges)

    @staticmethod
    def _edges(edges, name, first):
        want = f"{name} must be increasing integers starting at {first}"
        try:
            arr = np.asarray(edges)
        except (TypeError, ValueError):
            raise TypeError(f"{want}, got {edges!r}") from None
        if arr.dtype == bool or arr.dtype.kind not in "iuf" or arr.ndim != 1:
            raise TypeError(f"{want}, got {edges!r}")
        if arr.dtype.kind == "f" and not (np.isfinite(arr).all() and (arr == np.round(arr)).all()):
            raise TypeError(f"{want} (whole numbers), got {edges!r}")
        if isinstance(edges, (list, tuple)) and any(isinstance(e, (bool, np.bool_)) for e in edges):
            raise TypeError(f"{want}, got {edges!r}")
        arr = arr.astype(np.int64)
        if arr.size < 1 or arr[0] != first or (np.diff(arr) <= 0).any():
            raise ValueError(f"{want}, got {edges}")
        return arr

    @property
    def vocab_size(self) -> int:
        return len(KINDS) * len(SIDES) * self.L * self.S

    def is_possible(self, ids) -> np.ndarray:
        """True for the ids of possible events (every id except a market order at a level
        bucket other than 0), bool of the shape of ``ids``."""
        ids = np.asarray(ids)
        level_bucket = (ids // self.S) % self.L
        return (self.kind_of(ids) != 2) | (level_bucket == 0)

    def possible_ids(self) -> np.ndarray:
        """The ids (int64, increasing) of every event that can happen."""
        return np.flatnonzero(self.is_possible(np.arange(self.vocab_size))).astype(np.int64)

    def encode(self, events) -> np.ndarray:
        """Token ids (N,) for events (an :class:`LOBEvents` or any object with kind, side,
        level, size arrays). Raises ValueError for impossible values."""
        kind, side, level, size = (np.asarray(getattr(events, k)) for k in FIELDS)
        for name, a in zip(FIELDS, (kind, side, level, size), strict=True):
            if a.dtype.kind not in "iu":
                raise TypeError(f"events.{name} must hold integers, got dtype {a.dtype}")
        if not (kind.shape == side.shape == level.shape == size.shape) or kind.ndim != 1:
            raise ValueError("events.kind, side, level and size must be 1-d of one length")
        checks = [
            ("kind", (kind < 0) | (kind > 2)),
            ("side", (side < 0) | (side > 1)),
            ("level", level < 0),
            ("size", size < 1),
            ("level of a market order", (kind == 2) & (level != 0)),
        ]
        for name, bad in checks:
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(f"event {i} has an impossible {name}")
        lb = np.searchsorted(self.level_edges, level, side="right") - 1  # (N,)
        sb = np.searchsorted(self.size_edges, size, side="right") - 1  # (N,)
        return (((kind * 2 + side) * self.L + lb) * self.S + sb).astype(np.int64)

    def decode(self, ids) -> LOBEvents:
        """Events for token ids (N,): each bucket's lower edge; ``mid``/``regime`` are 0.

        ValueError for ids outside [0, V) and for the ids of impossible events."""
        ids = np.asarray(ids)
        if ids.dtype.kind not in "iu" or ids.ndim != 1:
            raise TypeError(f"ids must be a 1-d integer array, got {ids.dtype} {ids.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"ids must lie in [0, {self.vocab_size})")
        impossible = ~self.is_possible(ids)
        if impossible.any():
            bad = int(ids[np.argmax(impossible)])
            raise ValueError(
                f"id {bad} is a market order at level bucket {(bad // self.S) % self.L}: no "
                f"such event exists (market orders take the best price, level 0)"
            )
        rest, sb = np.divmod(ids, self.S)
        rest, lb = np.divmod(rest, self.L)
        kind, side = np.divmod(rest, 2)
        zeros = np.zeros(len(ids))
        return LOBEvents(
            kind=kind.astype(np.int64),
            side=side.astype(np.int64),
            level=self.level_edges[lb],
            size=self.size_edges[sb],
            mid=zeros,
            regime=zeros.astype(np.int64),
        )

    def kind_of(self, ids) -> np.ndarray:
        """The event kind (0 add, 1 cancel, 2 market) of each token id."""
        return np.asarray(ids) // (2 * self.L * self.S)

    def describe(self, token: int) -> str:
        """A readable name: ``"market ask L0 size 100-299"``."""
        e = self.decode(np.array([token]))
        lb = int(np.searchsorted(self.level_edges, e.level[0], side="right") - 1)
        sb = int(np.searchsorted(self.size_edges, e.size[0], side="right") - 1)
        level = f"L{e.level[0]}" + ("+" if lb == self.L - 1 else "")
        hi = self.size_edges[sb + 1] - 1 if sb + 1 < self.S else None
        size = f"{e.size[0]}-{hi}" if hi is not None else f"{e.size[0]}+"
        return f"{KINDS[e.kind[0]]} {SIDES[e.side[0]]} {level} size {size}"
