"""``attnlab figures``: draw the whole gallery (or part of it) as PNGs, in Spanish and English.

Output: ``OUT/<lang>/<name>.png``. The files are byte-identical from one run to the next:
fixed seeds, and no software version or date in the PNG metadata.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HELP = "draw the figure gallery as PNG files (both languages unless --lang)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        default="figures",
        metavar="DIR",
        help="output directory (default: figures/); one subfolder per language",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="draw only these figures (see --list)"
    )
    parser.add_argument("--lang", choices=("es", "en"), help="only this language (default: both)")
    parser.add_argument(
        "--dpi", type=int, default=100, help="resolution in dots per inch (default 100)"
    )
    parser.add_argument("--list", action="store_true", help="list the figure names and exit")


def _check_writable(out: Path) -> str | None:
    """None if ``out`` can hold files (creating it if needed), else a message saying why not."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create the output directory {str(out)!r}: {exc.strerror or exc}"
    if not out.is_dir():
        return f"the output path {str(out)!r} exists and is not a directory"
    try:
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        return f"cannot write into the output directory {str(out)!r}: {exc.strerror or exc}"
    return None


def run(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")  # files only: no window, and the same pixels everywhere
    import matplotlib.pyplot as plt

    from attnlab import viz

    names = viz.names()
    if args.list:
        for name in names:
            print(name)
        return 0
    selected = names if not args.only else list(dict.fromkeys(args.only))
    unknown = [n for n in selected if n not in names]
    if unknown:
        print(f"attnlab figures: unknown figure name(s): {', '.join(unknown)}", file=sys.stderr)
        print("valid names:\n  " + "\n  ".join(names), file=sys.stderr)
        return 2
    if args.dpi <= 0:
        print(f"attnlab figures: --dpi must be a positive integer, got {args.dpi}", file=sys.stderr)
        return 2
    langs = [args.lang] if args.lang else list(viz.LANGS)
    out = Path(args.out)
    for lang in langs:
        problem = _check_writable(out / lang)
        if problem:
            print(f"attnlab figures: {problem}", file=sys.stderr)
            return 1
    total = len(selected) * len(langs)
    start = time.perf_counter()
    done, width = 0, len(str(total))
    for name in selected:
        for lang in langs:
            tick = time.perf_counter()
            fig = viz.build(name, lang)
            path = out / lang / f"{name}.png"
            try:
                viz.save_figure(fig, path, dpi=args.dpi)
            except OSError as exc:
                print(
                    f"attnlab figures: cannot write {path}: {exc.strerror or exc}", file=sys.stderr
                )
                return 1
            finally:
                plt.close(fig)
            done += 1
            print(
                f"[{done:>{width}}/{total}] {os.fspath(path)}"
                f"  ({time.perf_counter() - tick:.1f} s)",
                flush=True,
            )
    print(f"{total} figures in {time.perf_counter() - start:.1f} s -> {out}/")
    return 0
