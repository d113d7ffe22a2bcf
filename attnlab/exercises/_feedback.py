"""The result of an exercise check: passed or not, and what to look at, in the lesson's language.

Three outcomes, each printed on its own first line:

- ``✔ name: ¡correcto!`` — with what was learnt;
- ``✘ name: todavía no.`` — with what to look at (never a silent pass);
- ``… name: aún no has respondido.`` — the cell still holds its placeholder. Nothing about
  the answer is printed then, so running a lesson top to bottom gives nothing away.
"""

from __future__ import annotations

import numpy as np

from ..gradcheck import relative_error
from ..i18n import tr


class Feedback:
    """``ok`` plus a list of messages; prints itself kindly (a notebook shows it as the value).

    ``answered`` is False while the exercise still holds its placeholder.
    """

    def __init__(self, exercise: str, ok: bool, messages: list[str], *, answered: bool = True):
        self.exercise = exercise
        self.ok = bool(ok)
        self.answered = bool(answered)
        self.messages = list(messages)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.ok:
            head = "✔ " + self.exercise + ": " + tr("¡correcto!", "correct!")
        elif not self.answered:
            head = (
                "… "
                + self.exercise
                + ": "
                + tr("aún no has respondido.", "you have not answered yet.")
            )
        else:
            head = "✘ " + self.exercise + ": " + tr("todavía no.", "not yet.")
        return "\n".join([head, *("  - " + m for m in self.messages)])

    __repr__ = __str__


def passed(exercise: str, *messages: str) -> Feedback:
    return Feedback(exercise, True, list(messages))


def failed(exercise: str, *messages: str) -> Feedback:
    return Feedback(exercise, False, list(messages))


def unanswered(exercise: str, what: str | None = None) -> Feedback:
    """The placeholder is still there: say so, and nothing about the answer."""
    what = what or tr(
        "escribe tu respuesta en la celda y vuelve a ejecutarla.",
        "write your answer in the cell and run it again.",
    )
    return Feedback(exercise, False, [what], answered=False)


def call_student(exercise: str, fn, *args):
    """Call the student's function: ``(value, None)``, or ``(None, Feedback)`` saying why."""
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
        return None, unanswered(
            exercise,
            tr(
                "la función aún lanza NotImplementedError: escribe tu solución en su cuerpo.",
                "the function still raises NotImplementedError: write your solution in its body.",
            ),
        )
    except Exception as err:  # the student's code may fail in any way: report it kindly
        return None, failed(
            exercise,
            tr(
                f"tu función lanzó {type(err).__name__}: {err}",
                f"your function raised {type(err).__name__}: {err}",
            ),
        )
    if value is None:
        return None, unanswered(
            exercise,
            tr(
                "tu función devuelve None: escribe tu solución en su cuerpo (¿falta el return?).",
                "your function returns None: write your solution in its body (is the return "
                "missing?).",
            ),
        )
    return value, None


def as_array(got) -> np.ndarray | None:
    """The answer as a float64 array, or None when it is not numeric."""
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def same(got, want: np.ndarray, *, rtol: float = 1e-6) -> bool:
    """True when ``got`` has ``want``'s shape and agrees with it (used to recognise mistakes)."""
    got = as_array(got)
    if got is None or got.shape != want.shape:
        return False
    with np.errstate(all="ignore"):
        if not np.isfinite(got).all():
            return bool(
                np.array_equal(np.isnan(got), np.isnan(want))
                and np.allclose(np.nan_to_num(got), np.nan_to_num(want), rtol=rtol, atol=1e-12)
            )
        return bool(np.allclose(got, want, rtol=rtol, atol=1e-12))


def check_array(exercise: str, got, expected: np.ndarray, what: str, *, rtol: float = 1e-6):
    """Compare an array with the expected one: shape first, then NaN, then relative error.

    Returns a failing Feedback, or None when they agree.
    """
    arr = as_array(got)
    if arr is None:
        return failed(
            exercise,
            tr(
                f"{what} no es un array numérico (es {type(got).__name__}).",
                f"{what} is not a numeric array (it is {type(got).__name__}).",
            ),
        )
    if arr.shape != expected.shape:
        return failed(
            exercise,
            tr(
                f"{what} tiene forma {arr.shape}; la forma esperada es {expected.shape}.",
                f"{what} has shape {arr.shape}; the expected shape is {expected.shape}.",
            ),
        )
    if not np.isfinite(arr).all():
        n = int((~np.isfinite(arr)).sum())
        return failed(
            exercise,
            tr(
                f"{what} contiene NaN o inf ({n} entradas).",
                f"{what} contains NaN or inf ({n} entries).",
            ),
        )
    err = relative_error(arr, expected, floor=1e-12)
    if err > rtol:
        return failed(
            exercise,
            tr(
                f"{what}: error relativo {err:.2e} frente a la referencia (tolerancia {rtol:.0e}).",
                f"{what}: relative error {err:.2e} against the reference (tolerance {rtol:.0e}).",
            ),
        )
    return None
