"""The repository checkout this attnlab runs from, for the commands that need its tooling.

The benchmark harness (``benchmarks/``) and the lesson builder (``tools/lessons_build.py``)
are repository tooling, not part of the installed package. ``attnlab bench`` and ``attnlab
lessons`` use them when attnlab runs from a checkout (``pip install -e .``, or the source
folder on the path) and otherwise say plainly where they live.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


class NotInCheckout(RuntimeError):
    """The tool lives in the repository, and this attnlab was installed without it."""


def checkout() -> Path | None:
    """The folder holding ``attnlab/`` and its ``pyproject.toml``, or None (an installed wheel)."""
    root = Path(__file__).resolve().parents[1]
    pyproject = root / "pyproject.toml"
    try:
        ours = 'name = "attnlab"' in pyproject.read_text(encoding="utf-8")
    except OSError:
        return None
    return root if ours else None


def import_tool(module: str, what: str):
    """Import ``module`` (e.g. ``"benchmarks.suite"``) from the checkout.

    Raises :class:`NotInCheckout` naming ``what`` and where it lives when there is no checkout.
    """
    root = checkout()
    path = None if root is None else root.joinpath(*module.split(".")).with_suffix(".py")
    if path is None or not path.is_file():
        folder = module.split(".")[0] + "/"
        raise NotInCheckout(
            f"{what} lives in the attnlab repository ({folder}), not in the installed package. "
            "Clone the repository, install it with `pip install -e .` and run the command "
            "inside the checkout."
        )
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(module)
