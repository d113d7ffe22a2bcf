"""Sequences in which only content can find the copy: a random prefix, then a repeated segment.

    a random prefix of P tokens              P drawn per sequence from 0 .. max_prefix
    a random segment of L tokens             L = (T + 1 - P) // (copies + 1): it varies with P
    the segment again, copies times          (and a random token at the end when one is left)

    x = 17 90 5 | 41 63 2 88 120 7 | 41 63 2 88 120 7       (P = 3, L = 6, copies = 1)
                  first time          repeat: 63 2 88 120 7 are predictable

Inside a repeat, every token after the first is predictable: it followed the same token last
time. Everything else (the prefix, the first time, the first token of a repeat) is random: its
best loss is ln V. The prefix moves the segment and changes its length from sequence to
sequence, so no fixed offset finds the earlier occurrence: the model has to match on content.
The two traps of the issue are one argument away: ``max_prefix=0`` puts every repeat at the
same place (a fixed-offset lookup solves it), and ``copies=2`` lets a model guess "the segment
token it saw least recently" from token counts, with no induction head at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import NamedTuple

import numpy as np

from .._validate import as_rng, check_positive_int

MAX_VOCAB = 2**63 - 1  # ids are int64


@dataclass(frozen=True)
class RepeatTask:
    """V tokens, T per sequence, a random prefix of up to ``max_prefix``, ``copies`` repeats."""

    vocab_size: int = 128
    length: int = 64
    max_prefix: int = 32
    copies: int = 1

    def __post_init__(self) -> None:
        # frozen: the checked values (plain ints) go in through object.__setattr__
        for name in ("vocab_size", "length", "copies", "max_prefix"):
            value = check_positive_int(getattr(self, name), name, allow_zero=name == "max_prefix")
            object.__setattr__(self, name, value)
        if not 2 <= self.vocab_size <= MAX_VOCAB:
            raise ValueError(
                f"vocab_size must be at least 2 and at most 2**63 - 1 (int64 ids), "
                f"got {self.vocab_size}"
            )
        if self.shortest_segment < 2:
            raise ValueError(
                f"with length {self.length}, max_prefix {self.max_prefix} and {self.copies} "
                f"copies the segment could be {self.shortest_segment} token(s) long: lower "
                f"max_prefix or copies, or raise length"
            )

    @property
    def shortest_segment(self) -> int:
        """The segment length L when the prefix is longest."""
        return (self.length + 1 - self.max_prefix) // (self.copies + 1)

    def to_dict(self) -> dict:
        return asdict(self)


class RepeatBatch(NamedTuple):
    idx: np.ndarray  # (B, T) the tokens the model reads
    targets: np.ndarray  # (B, T) the next tokens
    in_repeat: np.ndarray  # (B, T) bool: the target sits inside a repeat, after its first token


def repeat_batch(task: RepeatTask, batch: int, rng) -> RepeatBatch:
    """``batch`` sequences of ``task`` drawn with ``rng`` (a NumPy Generator, an int seed >= 0,
    or None for fresh entropy). Raises TypeError / ValueError for bad arguments."""
    if not isinstance(task, RepeatTask):
        raise TypeError(f"task must be a RepeatTask, got {type(task).__name__}")
    rng = as_rng(rng, "rng")
    batch = check_positive_int(batch, "batch")
    V, T, n = task.vocab_size, task.length, task.copies + 1
    tokens = rng.integers(0, V, (batch, T + 1))  # (B, T + 1) prefix, segment, and a spare end
    predictable = np.zeros((batch, T + 1), dtype=bool)  # (B, T + 1)
    prefixes = rng.integers(0, task.max_prefix + 1, batch)  # (B,)
    for b, P in enumerate(prefixes):
        L = (T + 1 - P) // n  # the segment fills what the prefix leaves
        for k in range(1, n):  # each repeat: the same tokens as the first time
            start = P + k * L
            tokens[b, start : start + L] = tokens[b, P : P + L]
            predictable[b, start + 1 : start + L] = True
    return RepeatBatch(tokens[:, :-1], tokens[:, 1:], predictable[:, 1:])


def check_batch(batch) -> RepeatBatch:
    """``batch`` if it is a RepeatBatch of int ids and a bool ``in_repeat``, all (B, T)."""
    if not isinstance(batch, RepeatBatch):
        raise TypeError(
            f"batch must be a RepeatBatch (from repeat_batch), got {type(batch).__name__}"
        )
    shape = np.shape(batch.idx)
    for name in ("targets", "in_repeat"):
        other = np.shape(getattr(batch, name))
        if other != shape:
            raise ValueError(f"batch.{name} has shape {other}, batch.idx has shape {shape}")
    in_repeat = np.asarray(batch.in_repeat)
    if in_repeat.dtype != bool:  # an int array would index positions, not select them
        raise TypeError(f"batch.in_repeat must be a bool array, got dtype {in_repeat.dtype}")
    if not in_repeat.any():
        raise ValueError("batch.in_repeat is all False: no target inside a repeat to score")
    return batch
