"""The switch between the readable path and the tuned one (process-wide; on by default)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

_enabled = True


def set_fast(enabled: bool) -> None:
    """Use the tuned path (True, the default) or the readable one (False) from now on."""
    global _enabled
    if not isinstance(enabled, (bool, np.bool_)):
        raise TypeError(f"enabled must be True or False, got {enabled!r}")
    _enabled = bool(enabled)


def get_fast() -> bool:
    """True while the tuned path is on (the default)."""
    return _enabled


@contextmanager
def fast_path(enabled: bool = True) -> Iterator[None]:
    """``with attnlab.fast_path(False): ...`` runs the block on the readable path.

    The previous setting comes back when the block ends, also after an exception.
    """
    previous = get_fast()
    set_fast(enabled)
    try:
        yield
    finally:
        set_fast(previous)
