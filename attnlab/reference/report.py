"""``ParityReport``: the largest differences between attnlab and a reference, per array."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..i18n import tr


@dataclass
class Difference:
    """How far one of our arrays is from the reference array of the same name."""

    name: str
    max_abs: float  # max |ours - ref|
    max_rel: float  # max |ours - ref| / max |ref|: relative to the array's scale
    shape: tuple[int, ...]
    scale: float = 1.0  # max |ref|

    def within(self, rel_tol: float) -> bool:
        """``max_abs <= rel_tol * max(scale, 1)``.

        The floor of 1 matters for arrays that are zero up to rounding (``dk`` when every
        query sees a single key): their relative difference is rounding noise over rounding
        noise, not a measure of agreement. Inputs in the comparisons are of order 1.
        """
        return self.max_abs <= rel_tol * max(self.scale, 1.0)


def difference(name: str, ours, ref) -> Difference:
    """Compare two arrays of the same shape (NaN anywhere gives a NaN difference)."""
    ours = np.asarray(ours, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if ours.shape != ref.shape:
        raise ValueError(f"{name}: our shape {ours.shape} differs from the reference's {ref.shape}")
    if ours.size == 0:
        return Difference(name, 0.0, 0.0, ours.shape, 0.0)
    max_abs = float(np.max(np.abs(ours - ref)))
    scale = float(np.max(np.abs(ref)))
    max_rel = max_abs / scale if scale > 0 else max_abs
    return Difference(name, max_abs, max_rel, ours.shape, scale)


@dataclass
class ParityReport:
    """Differences for an op's output(s) and every gradient; ``str()`` prints a table."""

    title: str
    dtype: str
    diffs: list[Difference] = field(default_factory=list)
    note: str = ""

    @classmethod
    def from_arrays(cls, title: str, dtype, ours: Mapping, ref: Mapping, note: str = ""):
        """Compare every array in ``ref`` with ``ours[name]`` (None entries are skipped)."""
        diffs = [difference(k, ours[k], r) for k, r in ref.items() if r is not None]
        return cls(title, str(np.dtype(dtype)), diffs, note)

    @property
    def max_abs(self) -> float:
        return max((d.max_abs for d in self.diffs), default=0.0)

    @property
    def max_rel(self) -> float:
        return max((d.max_rel for d in self.diffs), default=0.0)

    def __getitem__(self, name: str) -> Difference:
        for d in self.diffs:
            if d.name == name:
                return d
        raise KeyError(name)

    def passed(self, abs_tol: float | None = None, rel_tol: float | None = None) -> bool:
        """Within tolerance; default: float64 max abs <= 1e-10, float32 relative <= 1e-5.

        The relative test is :meth:`Difference.within` for every array (relative to the
        array's largest entry, or to 1 if that is smaller). NaN never passes.
        """
        if abs_tol is None and rel_tol is None:
            if self.dtype == "float64":
                abs_tol = 1e-10
            else:
                rel_tol = 1e-5
        ok_abs = abs_tol is None or all(d.max_abs <= abs_tol for d in self.diffs)
        ok_rel = rel_tol is None or all(d.within(rel_tol) for d in self.diffs)
        return bool(ok_abs and ok_rel)

    def __str__(self) -> str:
        """The table, in the current language (:func:`attnlab.i18n.set_language`)."""
        width = max((len(d.name) for d in self.diffs), default=5)
        abs_, rel = tr("dif. abs. máx.", "max abs diff"), tr("dif. rel. máx.", "max rel diff")
        lines = [f"{self.title} ({self.dtype})"]
        lines.append(f"  {'array':<{width}}  {abs_:>14}  {rel:>14}  {tr('forma', 'shape')}")
        for d in self.diffs:
            lines.append(f"  {d.name:<{width}}  {d.max_abs:14.2e}  {d.max_rel:14.2e}  {d.shape}")
        if self.note:
            lines.append(f"  {tr('nota', 'note')}: {self.note}")
        return "\n".join(lines)
