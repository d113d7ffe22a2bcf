"""The result of an exercise check: passed or not, and what to look at, in the lesson's language."""

from __future__ import annotations

import numpy as np

from ..gradcheck import relative_error
from ..show import tr


class Feedback:
    """``ok`` plus a list of messages; prints itself kindly (a notebook shows it as the value)."""

    def __init__(self, exercise: str, ok: bool, messages: list[str]):
        self.exercise = exercise
        self.ok = bool(ok)
        self.messages = list(messages)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = ("✔ " if self.ok else "✘ ") + self.exercise + ": "
        head += tr("¡correcto!", "correct!") if self.ok else tr("todavía no.", "not yet.")
        return "\n".join([head, *("  - " + m for m in self.messages)])

    __repr__ = __str__


def passed(exercise: str, *messages: str) -> Feedback:
    return Feedback(exercise, True, list(messages))


def failed(exercise: str, *messages: str) -> Feedback:
    return Feedback(exercise, False, list(messages))


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
        return None, failed(
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
        return None, failed(
            exercise,
            tr(
                "tu función devolvió None: ¿falta el return? (Es normal si aún no la has escrito.)",
                "your function returned None: is the return missing? (Normal if you have not "
                "written it yet.)",
            ),
        )
    return value, None


def check_array(exercise: str, got, expected: np.ndarray, what: str, *, rtol: float = 1e-6):
    """Compare an array with the expected one: shape first, then NaN, then relative error.

    Returns a failing Feedback, or None when they agree.
    """
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return failed(
            exercise,
            tr(
                f"{what} no es un array numérico (es {type(got).__name__}).",
                f"{what} is not a numeric array (it is {type(got).__name__}).",
            ),
        )
    if got.shape != expected.shape:
        return failed(
            exercise,
            tr(
                f"{what} tiene forma {got.shape}; la forma esperada es {expected.shape}.",
                f"{what} has shape {got.shape}; the expected shape is {expected.shape}.",
            ),
        )
    if not np.isfinite(got).all():
        return failed(
            exercise,
            tr(
                f"{what} contiene NaN o inf ({int((~np.isfinite(got)).sum())} entradas).",
                f"{what} contains NaN or inf ({int((~np.isfinite(got)).sum())} entries).",
            ),
        )
    err = relative_error(got, expected, floor=1e-12)
    if err > rtol:
        return failed(
            exercise,
            tr(
                f"{what}: error relativo {err:.2e} frente a la referencia (tolerancia {rtol:.0e}).",
                f"{what}: relative error {err:.2e} against the reference (tolerance {rtol:.0e}).",
            ),
        )
    return None
