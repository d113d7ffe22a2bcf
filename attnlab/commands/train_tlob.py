"""``attnlab train-tlob``: train a small TLOB on the synthetic order book (or on FI-2010 files),
compare it with two baselines over several seeds, print the table of test macro-F1.

Every argument is checked before any work (a bad one is a message on stderr and exit code 2),
including that the ``--save-pretrained`` folder can be written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HELP = "train a small TLOB on a synthetic order book and compare it with baselines (macro-F1)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..i18n import LANGUAGES

    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[0, 1, 2], help="training seeds (default: 0 1 2)"
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="maximum epochs per seed, >= 1 (default 10)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke test (small data, 2 short epochs): checks that everything runs; its "
        "scores say nothing about TLOB",
    )
    parser.add_argument(
        "--fi2010",
        nargs=2,
        metavar=("TRAIN", "TEST"),
        help="train on FI-2010 text files instead (e.g. Train_Dst_NoAuction_ZScore_CF_7.txt "
        "Test_Dst_NoAuction_ZScore_CF_7.txt); the last 15%% of TRAIN is the validation split",
    )
    parser.add_argument(
        "--horizon",
        type=int,
        default=None,
        help="label horizon in events (default 10; FI-2010: 10, 20, 30, 50 or 100)",
    )
    parser.add_argument(
        "--save-pretrained",
        metavar="DIR",
        nargs="?",
        const="",
        default=None,
        help="save the first seed's model as the shipped pretrained TLOB "
        "(default: attnlab/models/weights)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for NumPy's BLAS and attnlab's head blocks while training (default 1: "
        "faster for a small model, above all on a busy machine)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the logs and the table (default: ATTNLAB_LANG, else the locale's)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def problem_with(args: argparse.Namespace) -> str | None:
    """What is wrong with the arguments (checked before any work), or None."""
    from ..data import HORIZONS
    from ._common import check_writable

    if args.epochs is not None and args.epochs < 1:
        return f"--epochs must be >= 1, got {args.epochs}"
    if any(seed < 0 for seed in args.seeds):
        return f"--seeds must be >= 0, got {args.seeds}"
    if args.threads < 1:
        return f"--threads must be >= 1, got {args.threads}"
    if args.horizon is not None:
        if args.fi2010 and args.horizon not in HORIZONS:
            return f"--horizon must be one of {HORIZONS} for FI-2010 files, got {args.horizon}"
        if args.horizon < 1:
            return f"--horizon must be >= 1, got {args.horizon}"
    for path in args.fi2010 or ():
        if not Path(path).is_file():
            return f"no FI-2010 file at {path}"
    if args.save_pretrained is not None:
        from ..models.pretrained import WEIGHTS_DIR

        return check_writable(Path(args.save_pretrained or WEIGHTS_DIR))
    return None


def run(args: argparse.Namespace) -> int:
    from ..i18n import default_language, get_language, set_language

    problem = problem_with(args)
    if problem:
        print(f"attnlab train-tlob: {problem}", file=sys.stderr)
        return 2
    previous = get_language()
    set_language(args.lang or default_language())
    try:
        return train(args)
    finally:
        set_language(previous)


def train(args: argparse.Namespace) -> int:
    """Run the experiment on checked arguments."""
    from .. import get_num_threads, set_num_threads
    from ..i18n import tr
    from ..models.pretrained import WEIGHTS_DIR
    from ..train.experiment import DATA, results_table, run_experiment, save_pretrained

    horizon = args.horizon or DATA["horizon"]
    train_config = {} if args.epochs is None else {"epochs": args.epochs}
    dataset, data_config = None, {"horizon": horizon}
    source = tr("libro sintético", "synthetic book")
    if args.fi2010:
        from ..data import fi2010_dataset

        try:
            dataset = fi2010_dataset(*args.fi2010, seq_size=DATA["seq_size"], horizon=horizon)
        except (OSError, ValueError) as err:
            print(f"attnlab train-tlob: {err}", file=sys.stderr)
            return 2
        source = tr(f"FI-2010, horizonte {horizon}", f"FI-2010, horizon {horizon}")
    elif horizon != DATA["horizon"]:
        source += tr(f", horizonte {horizon}", f", horizon {horizon}")
    start = time.perf_counter()
    head_blocks = get_num_threads()
    set_num_threads(args.threads)  # attnlab's own threads too, not only BLAS
    try:
        rows, _ = run_experiment(
            args.seeds,
            quick=args.quick,
            data_config=data_config,
            train_config=train_config,
            dataset=dataset,
            progress=not args.no_progress,
            threads=args.threads,
        )
    finally:
        set_num_threads(head_blocks)
    seconds = time.perf_counter() - start
    print(
        tr(
            f"\nF1 macro en el conjunto de prueba ({source}, división cronológica, "
            "clases sube/estable/baja):\n",
            f"\nTest macro-F1 ({source}, chronological split, classes up/stationary/down):\n",
        )
    )
    print(results_table(rows))
    print(
        tr(
            f"\n{len(rows)} semilla(s) en {seconds:.0f} s",
            f"\n{len(rows)} seed(s) in {seconds:.0f} s",
        )
    )
    if args.quick:
        print(
            tr(
                "--quick es una prueba de humo (pocos datos, 2 épocas cortas): comprueba que "
                "todo funciona; estas puntuaciones no dicen nada de TLOB.",
                "--quick is a smoke test (little data, 2 short epochs): it checks that "
                "everything runs; these scores say nothing about TLOB.",
            )
        )
    if args.save_pretrained is not None:
        directory = args.save_pretrained or WEIGHTS_DIR
        save_pretrained(rows[0], directory)
        print(
            tr(
                f"modelo de la semilla {rows[0]['seed']} y su registro guardados en {directory}",
                f"saved the seed-{rows[0]['seed']} model and its training record to {directory}",
            )
        )
    return 0
