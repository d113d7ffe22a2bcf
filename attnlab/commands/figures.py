"""``attnlab figures``: draw the whole gallery (or part of it) as PNGs, in Spanish and English.

Output: ``OUT/<lang>/<name>.png``. The files are byte-identical from one run to the next and
from one machine to another with the same matplotlib: fixed seeds, trained figures drawn from
shipped weights, and no software version or date in the PNG metadata.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

HELP = "draw the figure gallery as PNG files (both languages unless --lang)"
DPI_RANGE = (20, 600)  # below ~4 FreeType cannot size the text; far above, memory runs out
DPI = 200  # crisp on a projector; the same as attnlab.viz.style.DPI (which imports matplotlib)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..i18n import LANGUAGES

    parser.add_argument(
        "--out",
        default="figures",
        metavar="DIR",
        help="output directory (default: figures/); one subfolder per language",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="draw only these figures (see --list)"
    )
    parser.add_argument("--lang", choices=LANGUAGES, help="only this language (default: both)")
    parser.add_argument(
        "--dpi",
        type=int,
        default=DPI,
        help=f"resolution in dots per inch, {DPI_RANGE[0]} to {DPI_RANGE[1]} (default {DPI})",
    )
    parser.add_argument("--list", action="store_true", help="list the figure names and exit")


def fail(message: str, code: int = 2) -> int:
    print(f"attnlab figures: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    from .. import gallery
    from ..i18n import LANGUAGES, default_language, tr
    from ._common import check_writable, plural

    names = gallery.names()
    if args.list:  # needs no matplotlib
        for name in names:
            print(name)
        return 0
    selected = names if not args.only else list(dict.fromkeys(args.only))
    unknown = [n for n in selected if n not in names]
    if unknown:
        return fail(
            f"unknown figure name(s): {', '.join(unknown)}\nvalid names:\n  " + "\n  ".join(names)
        )
    low, high = DPI_RANGE
    if not low <= args.dpi <= high:
        return fail(f"--dpi must be between {low} and {high}, got {args.dpi}")
    if args.out.strip() == "":
        return fail("--out is empty: name the output directory (e.g. --out figures)")
    missing = [name for name in ("matplotlib", "seaborn") if importlib.util.find_spec(name) is None]
    if missing:
        return fail(
            f"drawing needs {' and '.join(missing)}, not installed here: {gallery.VIZ_HINT}",
            code=1,
        )
    import matplotlib

    matplotlib.use("Agg")  # files only: no window, and the same pixels everywhere
    import matplotlib.pyplot as plt

    from ..viz import save_figure

    langs = [args.lang] if args.lang else list(LANGUAGES)
    out = Path(args.out)
    for lang in langs:
        problem = check_writable(out / lang)
        if problem:
            return fail(problem, code=1)
    total = len(selected) * len(langs)
    start = time.perf_counter()
    done, width = 0, len(str(total))
    for name in selected:
        for lang in langs:
            tick = time.perf_counter()
            fig = gallery.build(name, lang)
            path = out / lang / f"{name}.png"
            try:
                save_figure(fig, path, dpi=args.dpi)
            except OSError as exc:
                return fail(f"cannot write {path}: {exc.strerror or exc}", code=1)
            finally:
                plt.close(fig)
            done += 1
            print(
                f"[{done:>{width}}/{total}] {os.fspath(path)}"
                f"  ({time.perf_counter() - tick:.1f} s)",
                flush=True,
            )
    seconds = time.perf_counter() - start
    print(
        tr(  # the messages follow ATTNLAB_LANG or the locale (--lang chooses what is drawn)
            f"{plural(total, 'figura')} en {seconds:.1f} s -> {out}/",
            f"{plural(total, 'figure')} in {seconds:.1f} s -> {out}/",
            default_language(),
        )
    )
    return 0
