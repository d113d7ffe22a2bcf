"""Small helpers for the lessons: show library source, speak the lesson's language, compare.

Lessons call :func:`setup_lesson` once (language, NumPy print options, quick mode), then
:func:`show_source` to display the code they teach (so students read exactly what the tests
check) and :func:`report_diff` to print how far attnlab is from a reference (torch or the
shipped golden values). IPython is imported lazily: outside a notebook, source is printed.
"""

from __future__ import annotations

import inspect
import os

import numpy as np

from .i18n import get_language, set_language, tr  # noqa: F401 (re-exported)


def quick_mode() -> bool:
    """True when ``ATTNLAB_QUICK=1``: lessons shorten training and sweeps (used by CI)."""
    return os.environ.get("ATTNLAB_QUICK", "") not in ("", "0")


def setup_lesson(lang: str, *, precision: int = 4) -> bool:
    """Set the language and NumPy print options; return :func:`quick_mode`."""
    set_language(lang)
    np.set_printoptions(precision=precision, suppress=True, linewidth=100)
    return quick_mode()


def source_of(obj) -> str:
    """The source code of a function, class or module (``inspect.getsource``)."""
    try:
        return inspect.getsource(obj)
    except (TypeError, OSError) as err:
        raise TypeError(f"cannot show the source of {obj!r}: {err}") from None


def show_source(obj, *, lines: tuple[int, int] | None = None) -> None:
    """Display the source of ``obj`` with syntax highlighting in a notebook (plain text elsewhere).

    ``lines=(first, last)`` keeps only those lines (1-based, inclusive) of the object's source.
    """
    src = source_of(obj)
    if lines is not None:
        first, last = lines
        src = "\n".join(src.splitlines()[first - 1 : last]) + "\n"
    where = (
        f"# {obj.__module__}.{getattr(obj, '__qualname__', '')}"
        if hasattr(obj, "__module__")
        else ""
    )
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        print(where + "\n" + src)
        return
    if get_ipython() is None:
        print(where + "\n" + src)
        return
    display(
        Markdown(
            f"`{obj.__module__}` · `{getattr(obj, '__qualname__', obj)}`\n\n```python\n{src}```"
        )
    )


def max_abs_diff(a, b) -> float:
    """``max |a - b|`` over every entry (arrays, lists or torch tensors), as a Python float."""
    a = _to_numpy(a).astype(np.float64)
    b = _to_numpy(b).astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare arrays of shapes {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    both_nan = np.isnan(a) & np.isnan(b)
    return float(np.max(np.where(both_nan, 0.0, np.abs(a - b))))


def _to_numpy(x) -> np.ndarray:
    if hasattr(x, "detach") and hasattr(x, "cpu"):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def report_diff(label: str, ours, theirs, *, against: str = "torch", tol: float = 1e-6) -> float:
    """Print ``label: max |attnlab - <against>| = ...`` with a verdict; return the difference."""
    diff = max_abs_diff(ours, theirs)
    verdict = (
        tr("coinciden", "they match") if diff <= tol else tr("¡NO coinciden!", "they DO NOT match!")
    )
    print(f"{label}: {tr('máx', 'max')} |attnlab - {against}| = {diff:.2e}  ({verdict})")
    return diff


def explain_error(err: BaseException, es: str, en: str, *, limit: int | None = None) -> None:
    """Print an error a lesson provokes on purpose: what it means, then attnlab's own message.

    attnlab's exceptions are in English (like NumPy's and torch's); the explanation follows the
    lesson's language, so a Spanish notebook never shows English without saying what it means.
    ``limit`` shortens a long original message to that many characters.
    """
    message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
    if limit is not None and len(message) > limit:
        message = message[:limit].rstrip() + " …"
    print(f"{type(err).__name__}: {tr(es, en)}")
    print("  " + tr("mensaje original de attnlab (en inglés): ", "attnlab's message: ") + message)


def thousands(n: int) -> str:
    """A whole number with its thousands grouped: ``1 135 974`` in Spanish, ``1,135,974`` in
    English (the lessons' convention, see lessons/GLOSARIO.md)."""
    return tr(f"{int(n):,}".replace(",", " "), f"{int(n):,}")


def label_real_layers(fig, maps, kind: str) -> None:
    """Title each panel of :func:`attnlab.viz.tlob_attention` with the layer's real index.

    The figure numbers the layers of one kind 0, 1, 2...; in the model they are every other
    layer (temporal 0, 2, 4...; feature 1, 3, 5...), as the lessons' tables count them.
    """
    layers = [i for i, (k, _) in enumerate(maps) if k == kind]
    panels = [ax for ax in fig.axes if ax.images]  # the maps, not their colour bars
    for ax, layer in zip(panels, layers, strict=True):
        rest = ax.get_title().split(":", 1)[-1]
        ax.set_title(f"{tr('capa', 'layer')} {layer}:{rest}")


def torch_or_none():
    """The ``torch`` module, or None after printing how to install it (in the lesson's language).

    ``ATTNLAB_NO_TORCH=1`` pretends torch is missing (to try the golden-value path).
    """
    try:
        if os.environ.get("ATTNLAB_NO_TORCH", "") not in ("", "0"):
            raise ImportError("ATTNLAB_NO_TORCH is set")
        import torch
    except ImportError:
        from .reference._torch import install_hint

        print(
            tr(
                "PyTorch no está instalado: compararemos con los valores de referencia que trae "
                f"attnlab.\nPara comparar en vivo con torch: {install_hint()}.",
                "PyTorch is not installed: we compare with the reference values shipped with "
                f"attnlab.\nTo compare live with torch: {install_hint()}.",
            )
        )
        return None
    return torch


def parity(golden_name: str, compare=None, *args, **kwargs):
    """Check attnlab against torch: live with ``compare(*args, **kwargs)`` when torch is installed,
    otherwise against the shipped golden case ``golden_name`` (see :mod:`attnlab.reference.golden`).

    Prints the :class:`~attnlab.reference.ParityReport` and a one-line verdict; returns the report.
    """
    from .reference import golden

    torch = torch_or_none() if compare is not None else None
    if torch is not None:
        report = compare(*args, **kwargs)
        against = "torch " + torch.__version__
    else:
        report = golden.check(golden_name)
        against = tr("valores de referencia guardados", "stored reference values")
    print(report)
    verdict = (
        tr("coinciden", "they match")
        if report.passed()
        else tr("¡NO coinciden!", "they DO NOT match!")
    )
    print(
        tr(
            f"→ diferencia máxima con {against}: {report.max_abs:.1e} ({verdict})",
            f"→ max difference from {against}: {report.max_abs:.1e} ({verdict})",
        )
    )
    return report
