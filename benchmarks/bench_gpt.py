"""The GPT's speed: the KV cache, one training step against the torch twin, the fast erf.

    python -m benchmarks.bench_gpt [--repeats 7] [--threads 1]      writes benchmarks/gpt.md

1. KV cache: 200 new tokens (greedy) from a 16-token prompt at block_size 256, with and
   without the cache; the time per token against the length T; the cache's memory.
2. One training step (forward + backward of the loss) of the default ``train-gpt`` model,
   attnlab vs its torch twin (``attnlab.reference.gpt``), float32, same weights and threads;
   the two alternate and each pair gives a ratio (median and range).
3. erf: ``attnlab.functional.erf.erf`` vs ``scipy.special.erf`` on 655,360 numbers, and what
   it buys inside the training step: the default step (the tuned GELU, with the fast erf)
   against the same step with the readable GELU (SciPy's exact erf), everything else tuned.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import numpy as np

import attnlab
from attnlab.functional import fast
from attnlab.functional import gelu as gelu_module
from attnlab.functional.erf import erf as fast_erf
from attnlab.models import GPT, GPTConfig
from attnlab.train.gpt_experiment import MODEL

OUT = Path(__file__).with_name("gpt.md")


def best(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def kv_cache(repeats: int) -> list[str]:
    config = GPTConfig(block_size=256, vocab_size=64, n_layer=4, n_head=4, n_embd=128)
    model = GPT(config, rng=0, dtype=np.float32)
    prompt = np.random.default_rng(0).integers(0, 64, (1, 16))
    times = {}
    for use_cache in (True, False):
        times[use_cache] = best(
            lambda u=use_cache: model.generate(prompt, 200, greedy=True, use_cache=u), repeats
        )
    same = np.array_equal(
        model.generate(prompt, 200, greedy=True),
        model.generate(prompt, 200, greedy=True, use_cache=False),
    )
    lines = [
        "## KV cache",
        "",
        f"Model: n_layer 4, n_embd 128, 4 heads, V 64, block_size 256, float32, batch 1; "
        f"greedy, 200 new tokens after a 16-token prompt (best of {repeats}). Same tokens with "
        f"and without the cache: {same}.",
        "",
        "| | total | per new token |",
        "|---|---:|---:|",
        f"| without cache | {times[False] * 1e3:.0f} ms | {times[False] / 200 * 1e3:.2f} ms |",
        f"| with cache | {times[True] * 1e3:.0f} ms | {times[True] / 200 * 1e3:.2f} ms |",
        f"| speed-up | {times[False] / times[True]:.1f}x | |",
        "",
    ]
    # time per step against the length T already in the context
    rows = ["| T (tokens already there) | without cache | with cache |", "|---:|---:|---:|"]
    for T in (16, 64, 128, 192, 255):
        idx = np.random.default_rng(1).integers(0, 64, (1, T))
        full = best(lambda i=idx: model(i), repeats)
        cache = model.new_kv_cache(1)
        model(idx[:, :-1], kv_cache=cache)

        def step(c=cache, i=idx):
            c.length = i.shape[1] - 1  # overwrite the last position each time
            model(i[:, -1:], kv_cache=c)

        rows.append(f"| {T} | {full * 1e3:.2f} ms | {best(step, repeats) * 1e3:.2f} ms |")
    per_token = 2 * config.n_layer * config.n_embd
    lines += rows + [
        "",
        f"Cache memory: 2 x n_layer x n_embd = {per_token} numbers per token and sequence "
        f"({per_token * 4 / 1024:.0f} KiB in float32); the full 256-token context of one "
        f"sequence holds {per_token * 256 * 4 / 2**20:.2f} MiB.",
        "",
    ]
    return lines


def train_step(repeats: int, threads: int) -> tuple[list[str], float]:
    import torch

    from attnlab.reference.gpt import twin_of

    torch.set_num_threads(threads)
    config = GPTConfig(vocab_size=56, **MODEL)
    model = GPT(config, rng=0, dtype=np.float32)
    twin = twin_of(model, np.float32, flash=True)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 56, (16, config.block_size))
    y = rng.integers(0, 56, (16, config.block_size))
    xt, yt = torch.tensor(x), torch.tensor(y)

    def ours():
        model.zero_grad()
        model(x, y)
        model.backward()

    def theirs():
        twin.zero_grad()
        twin(xt, yt)[1].backward()

    ratios, t_ours, t_torch = [], [], []
    with attnlab.blas_threads(threads):
        ours(), theirs()
        for i in range(repeats):
            pair = (ours, theirs) if i % 2 == 0 else (theirs, ours)
            got = {}
            for fn in pair:
                start = time.perf_counter()
                fn()
                got[fn] = time.perf_counter() - start
            t_ours.append(got[ours])
            t_torch.append(got[theirs])
            ratios.append(got[ours] / got[theirs])
        readable = readable_gelu(lambda: best(ours, repeats))
    med = statistics.median(ratios)
    lines = [
        "## One training step vs torch",
        "",
        f"The default `train-gpt` model (n_layer 4, n_embd 64, 4 heads, block_size 128, V 56), "
        f"batch 16, float32, forward + backward of the loss; torch uses the twin with "
        f"`scaled_dot_product_attention`; {threads} thread(s) for both (BLAS, attnlab's head "
        f"blocks, torch).",
        "",
        f"{len(ratios)} alternating pairs:",
        "",
        "| | attnlab | torch | attnlab / torch |",
        "|---|---:|---:|---:|",
        f"| median | {statistics.median(t_ours) * 1e3:.1f} ms | "
        f"{statistics.median(t_torch) * 1e3:.1f} ms | {med:.2f} (pairs: [{min(ratios):.2f}, "
        f"{max(ratios):.2f}]) |",
        f"| best | {min(t_ours) * 1e3:.1f} ms | {min(t_torch) * 1e3:.1f} ms | "
        f"{min(t_ours) / min(t_torch):.2f} |",
        "",
        f"The GELU's share: the same step with the readable GELU (SciPy's exact erf; "
        f"everything else on the tuned path) takes {readable * 1e3:.1f} ms, best of {repeats}, "
        f"against {min(t_ours) * 1e3:.1f} ms best with the default tuned GELU (attnlab's fast "
        f"erf): {readable / min(t_ours):.2f}x.",
        "",
    ]
    return lines, med


def readable_gelu(fn):
    """Run ``fn`` with the GELU on its readable path (SciPy's erf), everything else tuned."""
    tuned = fast.gelu_forward, fast.gelu_backward

    def forward(x):
        with attnlab.fast_path(False):
            return gelu_module.gelu_forward(x)

    def backward(dout, cache):
        with attnlab.fast_path(False):
            return gelu_module.gelu_backward(dout, cache)

    fast.gelu_forward, fast.gelu_backward = forward, backward  # what the readable ones call
    try:
        return fn()
    finally:
        fast.gelu_forward, fast.gelu_backward = tuned


def erf_speed(repeats: int) -> list[str]:
    from scipy.special import erf as scipy_erf

    lines = [
        "## erf",
        "",
        "655,360 numbers drawn as x / sqrt(2) with x ~ N(0, 1) (a GELU's input), best of "
        f"{repeats}. Accuracy (tests/test_erf.py): float64 within 4 ulp of SciPy (which is within "
        "3 ulp of 40-digit mpmath; ours within 4); float32 within 1 ulp, equal to the correctly "
        "rounded value for 99% of inputs.",
        "",
        "| dtype | scipy.special.erf | attnlab erf | speed-up | np.exp (for scale) |",
        "|---|---:|---:|---:|---:|",
    ]
    for dtype in (np.float64, np.float32):
        x = (np.random.default_rng(0).standard_normal(655360) / np.sqrt(2)).astype(dtype)
        s = best(lambda v=x: scipy_erf(v), repeats)
        f = best(lambda v=x: fast_erf(v), repeats)
        e = best(lambda v=x: np.exp(v), repeats)
        lines.append(
            f"| {np.dtype(dtype).name} | {s * 1e3:.2f} ms | {f * 1e3:.2f} ms | {s / f:.1f}x "
            f"| {e * 1e3:.2f} ms |"
        )
    return lines + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    attnlab.set_num_threads(args.threads)  # attnlab's head blocks too: same threads as torch
    with attnlab.blas_threads(args.threads):
        lines = ["# GPT benchmarks", "", f"`python -m benchmarks.bench_gpt` (load average at "
                 f"the start: {load:.1f} on {os.cpu_count()} cores; a shared machine makes "
                 f"every time noisy).", ""]  # fmt: skip
        lines += kv_cache(args.repeats)
    step_lines, _ = train_step(args.repeats * 4, args.threads)
    lines += step_lines
    lines += erf_speed(args.repeats)
    lines.append(f"Load average at the end: {os.getloadavg()[0]:.1f}.")
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
