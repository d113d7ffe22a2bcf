"""The benchmark cases: attnlab against torch on the CPU (torch is imported only when one runs).

Each case builds its inputs once, with NumPy, hands torch copies of the same numbers, and
times forward and forward + backward of both sides with :func:`~.harness.time_pair`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from attnlab.memory import peak_memory

from .harness import PairTiming, attention_flops, peak_rss, time_pair


@dataclass
class Row:
    """One line of the results table: attnlab (``ours``) against one torch baseline."""

    case: str  # what is computed, e.g. "attention"
    ours: str  # which attnlab code path
    theirs: str  # which torch code path
    shape: str
    dtype: str
    forward: PairTiming
    both: PairTiming  # forward + backward
    flops: int | None  # useful FLOPs of forward + backward (None: not counted)
    mem_ours: int | None  # peak extra bytes of forward + backward, tracemalloc
    mem_ours_rss: int | None  # the same, as growth of peak resident memory
    mem_theirs_rss: int | None  # torch's, as growth of peak resident memory
    target: float | None = None  # the ratio to reach (attnlab / torch), if there is one


def _torch():
    from attnlab.reference._torch import require_torch

    return require_torch()


def _leaves(torch, *arrays):
    return [torch.tensor(a, requires_grad=True) for a in arrays]


def _clear(*tensors):
    for t in tensors:
        t.grad = None


def _row(
    case,
    ours_name,
    theirs_name,
    shape,
    dtype,
    ours_fwd,
    ours_both,
    theirs_fwd,
    theirs_both,
    flops,
    repeats,
    target=None,
) -> Row:
    forward = time_pair(ours_fwd, theirs_fwd, repeats=repeats)
    both = time_pair(ours_both, theirs_both, repeats=repeats)
    return Row(
        case,
        ours_name,
        theirs_name,
        shape,
        np.dtype(dtype).name,
        forward,
        both,
        flops,
        peak_memory(ours_both),
        peak_rss(ours_both),
        peak_rss(theirs_both),
        target,
    )


def attention_rows(
    shape, dtype, *, repeats: int = 7, targets=None, tiled: bool = True
) -> list[Row]:
    """Scaled dot-product attention (B, H, T, D) against torch's SDPA and plain torch ops.

    ``targets`` maps a torch side ("sdpa", "plain") to the ratio to reach, if any.
    """
    from attnlab.functional import (
        attention_backward,
        attention_forward,
        tiled_attention_backward,
        tiled_attention_forward,
    )

    torch = _torch()
    targets = targets or {}
    B, H, T, D = shape
    rng = np.random.default_rng(0)
    q, k, v, dout = (rng.standard_normal(shape).astype(dtype) for _ in range(4))  # (B, H, T, D)
    tq, tk, tv = _leaves(torch, q, k, v)
    tdout = torch.tensor(dout)
    scale = 1.0 / np.sqrt(D)
    F = torch.nn.functional

    def sdpa():
        return F.scaled_dot_product_attention(tq, tk, tv)

    def plain():  # the textbook formula with torch's ops (as in torch's SDPA documentation)
        return torch.softmax((tq @ tk.transpose(-1, -2)) * scale, dim=-1) @ tv

    def theirs_both(fn):
        def run():
            _clear(tq, tk, tv)
            fn().backward(tdout)

        return run

    def ours_pair(forward, backward):
        def both():
            backward(dout, forward(q, k, v)[1])

        return (lambda: forward(q, k, v)), both

    paths = [("standard", attention_forward, attention_backward)]
    if tiled:
        paths.append(("tiled", tiled_attention_forward, tiled_attention_backward))
    flops = attention_flops(B * H, T, T, D, D, backward=True)
    rows = []
    for ours_name, forward, backward in paths:
        ours_fwd, ours_both = ours_pair(forward, backward)
        for key, name, fn in (
            ("sdpa", "F.scaled_dot_product_attention", sdpa),
            ("plain", "plain torch ops", plain),
        ):
            target = targets.get(key) if ours_name == "standard" else None
            rows.append(
                _row(
                    "attention",
                    ours_name,
                    name,
                    str(shape),
                    dtype,
                    ours_fwd,
                    ours_both,
                    fn,
                    theirs_both(fn),
                    flops,
                    repeats,
                    target,
                )
            )
    return rows


def mha_rows(B, T, E, H, dtype, *, repeats: int = 7, target: float | None = 1.5) -> list[Row]:
    """Self-attention with :class:`attnlab.nn.MultiHeadAttention` vs ``nn.MultiheadAttention``.

    Same weights; torch runs with ``need_weights=False`` (its fastest path) although attnlab
    still returns the per-head weights. Both compute every parameter gradient and the input's.
    """
    from attnlab.nn import MultiHeadAttention

    torch = _torch()
    ours = MultiHeadAttention(E, H, rng=0, dtype=dtype)
    theirs = torch.nn.MultiheadAttention(
        E, H, batch_first=True, dtype=getattr(torch, np.dtype(dtype).name)
    )
    theirs.load_state_dict({name: torch.tensor(p) for name, p in ours.state_dict().items()})
    rng = np.random.default_rng(0)
    x = rng.standard_normal((B, T, E)).astype(dtype)  # (B, T, E)
    dout = rng.standard_normal((B, T, E)).astype(dtype)  # (B, T, E)
    tx, tdout = torch.tensor(x, requires_grad=True), torch.tensor(dout)

    def ours_both():
        ours.zero_grad()
        ours.forward(x)
        dq, dk, dv = ours.backward(dout)
        return dq + dk + dv  # (B, T, E) self-attention: x feeds query, key and value

    def theirs_fwd():
        return theirs(tx, tx, tx, need_weights=False)[0]

    def theirs_both():
        theirs.zero_grad()
        _clear(tx)
        theirs_fwd().backward(tdout)

    D = E // H
    flops = 3 * (2 * B * T * E * E * 4) + attention_flops(B * H, T, T, D, D, backward=True)
    return [
        _row(
            "multi-head attention",
            "nn.MultiHeadAttention",
            "nn.MultiheadAttention",
            f"B={B} T={T} E={E} H={H}",
            dtype,
            lambda: ours.forward(x),
            ours_both,
            theirs_fwd,
            theirs_both,
            flops,
            repeats,
            target,
        )
    ]


def tlob_rows(
    batch: int = 32, dtype=np.float32, *, repeats: int = 7, target: float | None = 2.0
) -> list[Row]:
    """TLOB (default config) forward + backward against its torch twin, same weights."""
    from attnlab.models import TLOB
    from attnlab.reference.tlob import twin_of

    torch = _torch()
    model = TLOB(rng=0, dtype=dtype)
    twin = twin_of(model)
    T, F = model.config["seq_size"], model.config["num_features"]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, T, F)).astype(dtype)  # (B, T, F)
    dlogits = rng.standard_normal((batch, 3)).astype(dtype)  # (B, 3)
    tx, tdlogits = torch.tensor(x, requires_grad=True), torch.tensor(dlogits)

    def ours_both():
        model.zero_grad()
        model.forward(x)
        model.backward(dlogits)

    def theirs_both():
        twin.zero_grad()
        _clear(tx)
        twin(tx)[0].backward(tdlogits)

    return [
        _row(
            "TLOB",
            "models.TLOB",
            "torch twin",
            f"B={batch} T={T} F={F}",
            dtype,
            lambda: model.forward(x),
            ours_both,
            lambda: twin(tx)[0],
            theirs_both,
            None,
            repeats,
            target,
        )
    ]


@dataclass
class MemoryPoint:
    """Standard vs tiled attention (and torch's SDPA) at one sequence length."""

    T: int
    seconds: dict  # path name -> seconds of forward + backward
    peak: dict  # path name -> peak extra bytes (tracemalloc for attnlab, RSS growth for torch)


def memory_points(lengths, *, D: int = 64, dtype=np.float64, repeats: int = 3) -> list[MemoryPoint]:
    """Time and peak extra memory of forward + backward versus T, one head, S = T."""
    return [_memory_point(T, D, dtype, repeats) for T in lengths]


def _memory_point(T: int, D: int, dtype, repeats: int) -> MemoryPoint:
    from attnlab.functional import (
        attention_backward,
        attention_forward,
        tiled_attention_backward,
        tiled_attention_forward,
    )

    from .harness import time_one

    torch = _torch()
    rng = np.random.default_rng(0)
    shape = (1, T, D)
    q, k, v, dout = (rng.standard_normal(shape).astype(dtype) for _ in range(4))  # (1, T, D)
    tq, tk, tv = _leaves(torch, q, k, v)
    tdout = torch.tensor(dout)

    def standard():
        attention_backward(dout, attention_forward(q, k, v)[1])

    def tiled():
        tiled_attention_backward(dout, tiled_attention_forward(q, k, v)[1])

    def sdpa():
        _clear(tq, tk, tv)
        torch.nn.functional.scaled_dot_product_attention(tq, tk, tv).backward(tdout)

    n = repeats if T <= 4096 else 1
    paths = (("standard", standard), ("tiled", tiled), ("torch SDPA", sdpa))
    seconds = {name: time_one(fn, repeats=n, warmup=1 if T <= 4096 else 0) for name, fn in paths}
    peak = {
        "standard": peak_memory(standard),
        "tiled": peak_memory(tiled),
        "torch SDPA": peak_rss(sdpa),
    }
    return MemoryPoint(T, seconds, peak)
