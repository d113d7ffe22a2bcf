"""Where attnlab's attention time goes: its six matrix products alone vs the whole, vs torch.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python -m benchmarks.profile_attention

For each case: attnlab forward + backward; the same six products (q k^T, w v, dout v^T, w^T dout,
ds k, ds^T q) done alone with NumPy over the same head blocks, split between the cores as
the core splits them; everything else (softmax passes,
validation, allocation) as the difference; torch's SDPA and its six bmm calls for comparison.
If attnlab's products alone take longer than torch's whole SDPA, no elementwise trick can close
the gap: that is the measured limit reported in the README.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

import attnlab


def main() -> None:
    import torch
    from threadpoolctl import threadpool_limits

    from attnlab.functional import attention_backward, attention_forward
    from attnlab.functional.fast.attention import head_blocks
    from benchmarks.harness import blas_info, time_one

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument(
        "--pause",
        type=float,
        default=0.2,
        help="seconds of sleep before each timed call (0: back to back, as in a training loop)",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    attnlab.set_num_threads(args.threads)  # its head blocks too, not only BLAS
    with threadpool_limits(limits=args.threads, user_api="blas"):
        print(
            f"{args.threads} thread(s), {args.pause * 1e3:.0f} ms pause before each call; "
            f"{blas_info()}; load {os.getloadavg()[0]:.2f}"
        )
        print(
            "| shape | dtype | attnlab fwd+bwd ms | its 6 products alone ms | the rest ms "
            "| torch SDPA fwd+bwd ms | torch 6 bmm ms |"
        )
        print("|---|---|---|---|---|---|---|")
        for shape in [(8, 8, 128, 64), (4, 8, 512, 64)]:
            for dtype in (np.float32, np.float64):
                row = profile(
                    shape,
                    dtype,
                    args.repeats,
                    args.pause,
                    torch,
                    time_one,
                    head_blocks,
                    attention_forward,
                    attention_backward,
                )
                print("| " + " | ".join(row) + " |")


def profile(shape, dtype, repeats, pause, torch, time_one, head_blocks, forward, backward):
    from attnlab._threads import run_blocks

    B, H, T, D = shape
    rng = np.random.default_rng(0)
    q, k, v, dout = (rng.standard_normal(shape).astype(dtype) for _ in range(4))  # (B, H, T, D)
    w = np.empty((B, H, T, T), dtype=dtype)  # (B, H, T, S) as the forward keeps it
    out, dq, dk, dv = (np.empty_like(q) for _ in range(4))  # (B, H, T, D)

    def whole():
        backward(dout, forward(q, k, v)[1])

    def products():  # the same blocks, run as the core runs them (on every core if large)
        def group(blocks):
            for h in blocks:
                np.matmul(q[h], k[h].swapaxes(-1, -2), out=w[h])
                np.matmul(w[h], v[h], out=out[h])
                ds = np.empty_like(w[h])  # (g, ..., T, S) one buffer per block
                np.matmul(dout[h], v[h].swapaxes(-1, -2), out=ds)
                np.matmul(w[h].swapaxes(-1, -2), dout[h], out=dv[h])
                np.matmul(ds, k[h], out=dq[h])
                np.matmul(ds.swapaxes(-1, -2), q[h], out=dk[h])

        run_blocks(group, list(head_blocks((B, H), T * T)), w.nbytes)

    tq, tk, tv = (torch.tensor(x, requires_grad=True) for x in (q, k, v))
    tdout = torch.tensor(dout)
    tq3, tk3, tv3, tdo3 = (torch.tensor(x.reshape(B * H, T, D)) for x in (q, k, v, dout))
    tw = torch.tensor(w.reshape(B * H, T, T))

    def sdpa():
        for t in (tq, tk, tv):
            t.grad = None
        torch.nn.functional.scaled_dot_product_attention(tq, tk, tv).backward(tdout)

    def bmm6():
        s = torch.bmm(tq3, tk3.transpose(1, 2))
        torch.bmm(s, tv3)
        ds = torch.bmm(tdo3, tv3.transpose(1, 2))
        torch.bmm(tw.transpose(1, 2), tdo3)
        torch.bmm(ds, tk3)
        torch.bmm(ds.transpose(1, 2), tq3)

    t_whole, t_products, t_sdpa, t_bmm = (
        time_one(fn, repeats=repeats, pause=pause) for fn in (whole, products, sdpa, bmm6)
    )
    ms = [f"{x * 1e3:.1f}" for x in (t_whole, t_products, t_whole - t_products, t_sdpa, t_bmm)]
    return [str(shape), np.dtype(dtype).name, *ms]


if __name__ == "__main__":
    main()
