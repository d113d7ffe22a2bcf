"""``attnlab experiment NAME``: the experiments that reproduce a published result.

Each experiment lives in its own module and provides ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``, like the commands. They are imported only
when used.
"""

from __future__ import annotations

import argparse
import importlib

HELP = "run an experiment that reproduces a published result (see --help for the list)"

# Experiment name -> module that implements it (HELP, add_arguments, run).
EXPERIMENTS: dict[str, str] = {
    "extrapolation": "attnlab.experiments.extrapolation",
    "induction": "attnlab.experiments.induction",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="experiment", metavar="NAME")
    for name, module_name in EXPERIMENTS.items():
        module = importlib.import_module(module_name)
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_experiment=module.run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "_experiment", None) is None:
        names = ", ".join(EXPERIMENTS) or "(none yet)"
        print(f"attnlab experiment: choose an experiment: {names}")
        return 2
    return int(args._experiment(args) or 0)
