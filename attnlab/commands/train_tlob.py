"""``attnlab train-tlob``: train a small TLOB on the synthetic order book, compare it with two
baselines over several seeds, print the table of test macro-F1."""

from __future__ import annotations

import argparse
import time

HELP = "train a small TLOB on a synthetic order book and compare it with baselines (macro-F1)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seeds", type=int, nargs="+", default=[0, 1, 2], help="training seeds (default: 0 1 2)"
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="maximum epochs per seed (default 10)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a tiny run (small data, 2 short epochs) to check that everything works",
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
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")


def run(args: argparse.Namespace) -> int:
    from attnlab.models.pretrained import WEIGHTS_DIR
    from attnlab.train.experiment import results_table, run_experiment, save_pretrained

    train_config = {} if args.epochs is None else {"epochs": args.epochs}
    start = time.perf_counter()
    rows, _ = run_experiment(
        args.seeds, quick=args.quick, train_config=train_config, progress=not args.no_progress
    )
    seconds = time.perf_counter() - start
    print("\nTest macro-F1 (synthetic book, chronological split, classes up/stationary/down):\n")
    print(results_table(rows))
    print(f"\n{len(rows)} seed(s) in {seconds:.0f} s")
    if args.save_pretrained is not None:
        directory = args.save_pretrained or WEIGHTS_DIR
        save_pretrained(rows[0], directory, train_config=train_config)
        print(f"saved the seed-{rows[0]['seed']} model and its training record to {directory}")
    return 0
