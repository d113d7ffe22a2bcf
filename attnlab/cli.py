"""The ``attnlab`` command line.

Each subcommand lives in ``attnlab/commands/<name>.py`` and provides ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. With no subcommand, ``attnlab`` runs the
main job, :data:`DEFAULT`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .i18n import default_language

# Subcommand name -> module under attnlab.commands. Imported only when used, so
# ``attnlab tour`` never pays for matplotlib or torch.
COMMANDS = {
    "train-tlob": "train_tlob",
    "train-gpt": "train_gpt",
    "tour": "tour",
    "bench": "bench",
    "figures": "figures",
    "lessons": "lessons",
    "classroom": "classroom",
    "experiment": "experiment",
}
DEFAULT = ["figures", "tour"]  # the README's first command: draw the gallery, then the tour


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="attnlab",
        description="Attention from scratch in NumPy: tour, figures, training and lessons.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f"attnlab.commands.{module_name}")
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def check_attnlab_lang(parser: argparse.ArgumentParser) -> None:
    """Exit with a clear message (status 2) if ATTNLAB_LANG names no language attnlab speaks."""
    try:
        default_language()
    except ValueError as err:  # not a silent fallback to English
        parser.exit(2, f"attnlab: error: {err}\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    if not argv:
        check_attnlab_lang(parser)
        code = 0
        for name in DEFAULT:
            args = parser.parse_args([name])
            code = args._run(args) or code
        return code
    args = parser.parse_args(argv)  # --help works whatever ATTNLAB_LANG says
    check_attnlab_lang(parser)
    if not hasattr(args, "_run"):
        parser.print_help()
        return 2
    return int(args._run(args) or 0)
