"""attnlab's attention against the straightforward NumPy version it replaced (no torch).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m benchmarks.naive_vs_core [--threads 1]

The naive version is the textbook one: ``(q @ k^T) * scale``, a softmax that makes a new T x S
array at each step, ``dscores = w * (dw - sum(dw * w))``. Both run in this process on the same
inputs, alternating; the ratio is attnlab / naive (below 1: attnlab is faster). With one thread
the CPU time of this thread is used, which other processes on the machine disturb the least.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import attnlab


def naive_forward(q, k, v, scale):
    scores = (q @ k.swapaxes(-1, -2)) * scale  # (..., T, S)
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))  # (..., T, S)
    w = e / e.sum(axis=-1, keepdims=True)  # (..., T, S)
    return w @ v, (q, k, v, w, scale)


def naive_backward(dout, cache):
    q, k, v, w, scale = cache
    dw = dout @ v.swapaxes(-1, -2)  # (..., T, S)
    dv = w.swapaxes(-1, -2) @ dout  # (..., S, Dv)
    dscores = w * (dw - np.sum(dw * w, axis=-1, keepdims=True))  # (..., T, S)
    return (dscores @ k) * scale, (dscores.swapaxes(-1, -2) @ q) * scale, dv


def naive_outputs(q, k, v, dout, scale):
    """out, dq, dk, dv of the naive version (to check their dtype)."""
    out, cache = naive_forward(q, k, v, scale)
    return (out, *naive_backward(dout, cache))


def main() -> None:
    from threadpoolctl import threadpool_limits

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=11)
    args = parser.parse_args()
    clock = time.thread_time if args.threads == 1 else time.perf_counter
    print(f"{args.threads} thread(s), clock: {clock.__name__}")
    print("| shape | dtype | attnlab ms | naive ms | attnlab / naive [min, max] |")
    print("|---|---|---|---|---|")
    attnlab.set_num_threads(args.threads)  # its head blocks too, not only BLAS
    with threadpool_limits(limits=args.threads, user_api="blas"):
        for shape in [(8, 8, 128, 64), (4, 8, 512, 64)]:
            for dtype in (np.float32, np.float64):
                print(row(shape, dtype, args.repeats, clock))


def row(shape, dtype, repeats: int, clock) -> str:
    from attnlab.functional import attention_backward, attention_forward

    rng = np.random.default_rng(0)
    q, k, v, dout = (rng.standard_normal(shape).astype(dtype) for _ in range(4))
    # The scale in the inputs' dtype: a NumPy float64 scalar would turn the float32 baseline
    # into a float64 one (NumPy 2 keeps the dtype of NumPy scalars), and make it look slower.
    scale = np.dtype(dtype).type(1.0 / np.sqrt(shape[-1]))
    for name, out in zip(
        ("out", "dq", "dk", "dv"), naive_outputs(q, k, v, dout, scale), strict=True
    ):
        assert out.dtype == dtype, f"the naive {name} is {out.dtype}, not {np.dtype(dtype).name}"

    def ours():
        attention_backward(dout, attention_forward(q, k, v)[1])

    def naive():
        naive_backward(dout, naive_forward(q, k, v, scale)[1])

    a, b = [], []
    ours(), naive()
    for i in range(repeats):
        for times, fn in [(a, ours), (b, naive)][:: 1 if i % 2 == 0 else -1]:
            time.sleep(0.05)
            start = clock()
            fn()
            times.append(clock() - start)
    r = [x / y for x, y in zip(a, b, strict=True)]
    return (
        f"| {shape} | {np.dtype(dtype).name} | {statistics.median(a) * 1e3:.1f} "
        f"| {statistics.median(b) * 1e3:.1f} | {statistics.median(r):.2f} "
        f"[{min(r):.2f}, {max(r):.2f}] |"
    )


if __name__ == "__main__":
    main()
