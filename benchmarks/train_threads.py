"""One epoch of ``attnlab train-tlob --quick`` with BLAS on one thread and on its default.

    python -m benchmarks.train_threads [--repeats 4]

The small TLOB of the experiment (float32), 20 batches of 64 windows and the validation pass,
timed with ``threads=1`` (what training uses: ``attnlab.blas_threads(1)``) and ``threads=None``
(OpenBLAS's default, one thread per core), alternating. To see the machine under load, keep
another core busy meanwhile (e.g. ``python -c "while True: pass" &``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from attnlab.data import make_dataset
from attnlab.models import TLOB
from attnlab.train import train_classifier
from attnlab.train.experiment import DATA, MODEL, QUICK, TRAIN


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=4)
    args = parser.parse_args()
    data = make_dataset(**{**DATA, **QUICK["data"]})
    settings = {**TRAIN, **QUICK["train"], "epochs": 1}
    seconds: dict = {1: [], None: []}
    for i in range(args.repeats):
        for threads in (1, None) if i % 2 == 0 else (None, 1):
            model = TLOB(**MODEL, rng=0, dtype=np.float32)
            start = time.perf_counter()
            train_classifier(
                model, data.train, data.val, progress=False, log=None, threads=threads, **settings
            )
            seconds[threads].append(time.perf_counter() - start)
    print(f"load average before the end: {os.getloadavg()[0]:.1f}")
    for threads, times in seconds.items():
        name = "1 BLAS thread" if threads == 1 else "BLAS default"
        print(
            f"{name:>14}: median {statistics.median(times):.2f} s "
            f"[{min(times):.2f}, {max(times):.2f}] over {len(times)} epochs"
        )


if __name__ == "__main__":
    main()
