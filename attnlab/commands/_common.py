"""Small pieces several commands share: plurals in messages, and checking an output folder."""

from __future__ import annotations

import tempfile
from pathlib import Path


def plural(n: int, noun: str) -> str:
    """``1 figure``, ``2 figures``, ``0 figures``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def check_writable(out: Path) -> str | None:
    """None if the folder ``out`` can hold files (creating it if needed), else why not."""
    if str(out) == "":
        return "the output path is empty"
    if out.exists() and not out.is_dir():  # mkdir would only say "File exists"
        return f"cannot create the output directory {str(out)!r}: it exists and is not a directory"
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
