"""The third outcome of a check: the exercise still holds its placeholder.

Running a lesson top to bottom calls every checker on the empty cells. Those must say "not
answered yet" and nothing about the answer (no expected shape, no expected value). Used by the
checkers of lessons 09 and 10.
"""

from __future__ import annotations

import numpy as np

from ..i18n import tr
from ._feedback import Feedback, failed


class NotAnswered(Feedback):
    """A failed check that prints ``… name: aún no has respondido.`` / ``you have not answered
    yet.`` and what to do, never the answer."""

    def __init__(self, exercise: str, what: str | None = None):
        what = what or tr(
            "escribe tu respuesta en la celda y vuelve a ejecutarla.",
            "write your answer in the cell and run it again.",
        )
        super().__init__(exercise, False, [what])
        self.answered = False

    def __str__(self) -> str:
        head = f"… {self.exercise}: " + tr("aún no has respondido.", "you have not answered yet.")
        return "\n".join([head, *("  - " + m for m in self.messages)])

    __repr__ = __str__


def ask(exercise: str, fn, *args):
    """Call the student's function: ``(value, None)``, or ``(None, Feedback)`` saying why.

    A function that returns None or raises NotImplementedError is the lesson's placeholder:
    not answered yet.
    """
    if not callable(fn):
        return None, failed(
            exercise,
            tr(
                f"esperaba una función, pero recibí {type(fn).__name__}.",
                f"I expected a function, but got {type(fn).__name__}.",
            ),
        )
    try:
        value = fn(*args)
    except NotImplementedError:
        return None, NotAnswered(exercise)
    except Exception as err:  # the student's code may fail in any way: report it kindly
        return None, failed(
            exercise,
            tr(
                f"tu función lanzó {type(err).__name__}: {err}",
                f"your function raised {type(err).__name__}: {err}",
            ),
        )
    if value is None:
        return None, NotAnswered(exercise)
    return value, None


def same(got, want: np.ndarray, *, rtol: float = 1e-9) -> bool:
    """True when ``got`` is a finite numeric array of ``want``'s shape that agrees with it
    (used to recognise a known mistake)."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if got.shape != want.shape or not np.isfinite(got).all():
        return False
    return bool(np.allclose(got, want, rtol=rtol, atol=1e-12))
