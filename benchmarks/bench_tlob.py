"""TLOB forward + backward, float32, batch 32, default config: attnlab vs the torch twin.

Both run in this process on the CPU with the same number of threads and the same weights.
Prints the median time of each and the ratio attnlab / torch (target: <= 2).

    python -m benchmarks.bench_tlob [--batch 32] [--repeats 10] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import attnlab


def median_seconds(fn, repeats: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_tlob(batch: int = 32, repeats: int = 10, threads: int = 1, config=None) -> dict:
    """``{"attnlab": s, "torch": s, "ratio": attnlab / torch}`` for one forward + backward."""
    import torch
    from threadpoolctl import threadpool_limits

    from attnlab.models import TLOB
    from attnlab.reference.tlob import twin_of

    torch.set_num_threads(threads)
    model = TLOB(**(config or {}), rng=0, dtype=np.float32)
    twin = twin_of(model)
    T, F = model.config["seq_size"], model.config["num_features"]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, T, F)).astype(np.float32)
    dlogits = rng.standard_normal((batch, 3)).astype(np.float32)
    xt, dt = torch.tensor(x, requires_grad=True), torch.tensor(dlogits)

    def ours():
        model.zero_grad()
        model.forward(x)
        model.backward(dlogits)

    def theirs():
        twin.zero_grad()
        xt.grad = None
        logits, _ = twin(xt)
        logits.backward(dt)

    attnlab.set_num_threads(threads)  # attention head blocks too, not only BLAS
    with threadpool_limits(limits=threads):
        t_ours = median_seconds(ours, repeats)
        t_torch = median_seconds(theirs, repeats)
    return {"attnlab": t_ours, "torch": t_torch, "ratio": t_ours / t_torch}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    r = bench_tlob(args.batch, args.repeats, args.threads)
    print(
        f"TLOB default config, float32, batch {args.batch}, forward + backward, "
        f"{args.threads} thread(s):"
    )
    print(f"  attnlab {r['attnlab'] * 1e3:8.1f} ms")
    print(f"  torch   {r['torch'] * 1e3:8.1f} ms")
    print(f"  ratio   {r['ratio']:8.2f}x  (target <= 2)")


if __name__ == "__main__":
    main()
