"""``attnlab train-tlob``: train a small TLOB on the synthetic order book (or on FI-2010 files),
compare it with two baselines over several seeds, print the table of test macro-F1."""

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
        "--fi2010",
        nargs=2,
        metavar=("TRAIN", "TEST"),
        help="train on FI-2010 text files instead (e.g. Train_Dst_NoAuction_ZScore_CF_7.txt "
        "Test_Dst_NoAuction_ZScore_CF_7.txt); the last 15%% of TRAIN is the validation split",
    )
    parser.add_argument(
        "--horizon", type=int, default=10, help="FI-2010 label horizon: 10, 20, 30, 50 or 100"
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
    from attnlab.train.experiment import DATA, results_table, run_experiment, save_pretrained

    train_config = {} if args.epochs is None else {"epochs": args.epochs}
    dataset = None
    source = "synthetic book"
    if args.fi2010:
        from attnlab.data import fi2010_dataset

        try:
            dataset = fi2010_dataset(*args.fi2010, seq_size=DATA["seq_size"], horizon=args.horizon)
        except (OSError, ValueError) as err:
            print(f"attnlab train-tlob: {err}")
            return 2
        source = f"FI-2010, horizon {args.horizon}"
    start = time.perf_counter()
    rows, _ = run_experiment(
        args.seeds,
        quick=args.quick,
        train_config=train_config,
        dataset=dataset,
        progress=not args.no_progress,
    )
    seconds = time.perf_counter() - start
    print(f"\nTest macro-F1 ({source}, chronological split, classes up/stationary/down):\n")
    print(results_table(rows))
    print(f"\n{len(rows)} seed(s) in {seconds:.0f} s")
    if args.save_pretrained is not None:
        directory = args.save_pretrained or WEIGHTS_DIR
        save_pretrained(rows[0], directory)
        print(f"saved the seed-{rows[0]['seed']} model and its training record to {directory}")
    return 0
