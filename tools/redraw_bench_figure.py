"""Redraw figures/bench/time_memory_vs_T_{es,en}.png from the numbers in figures/bench/results.md.

``attnlab bench --out figures/bench`` measures and draws; this redraws the same figure (after a
change of style) from the recorded table, without measuring again:

    PYTHONPATH=. python tools/redraw_bench_figure.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
HEADER = "| T | standard ms | tiled ms | torch SDPA ms | standard MiB | tiled MiB |"


def memory_points(markdown: str) -> list:
    """The standard-vs-tiled rows of a results.md as points ``bench_time_memory`` draws."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADER))
    points = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        T, ms_std, ms_tiled, ms_torch, mib_std, mib_tiled, _, mib_torch = cells
        seconds = {"standard": ms_std, "tiled": ms_tiled, "torch SDPA": ms_torch}
        peak = {"standard": mib_std, "tiled": mib_tiled, "torch SDPA": mib_torch}
        points.append(
            SimpleNamespace(
                T=int(T),
                seconds={k: float(v) / 1e3 for k, v in seconds.items()},
                peak={k: float(v) * 2**20 for k, v in peak.items()},
            )
        )
    return points


def main() -> int:
    import matplotlib

    matplotlib.use("Agg")
    from attnlab.i18n import LANGUAGES
    from attnlab.viz.bench import bench_time_memory
    from attnlab.viz.style import save_figure

    out = ROOT / "figures" / "bench"
    points = memory_points((out / "results.md").read_text(encoding="utf-8"))
    head_dim = int(re.search(r"D = (\d+)", (out / "results.md").read_text()).group(1))
    for lang in LANGUAGES:
        path = out / f"time_memory_vs_T_{lang}.png"
        save_figure(bench_time_memory(points, lang=lang, head_dim=head_dim), path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
