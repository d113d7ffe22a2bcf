"""Golden vectors: small inputs with torch's outputs and gradients, shipped with attnlab.

They let tests and lessons check parity with torch where torch is not installed::

    >>> from attnlab.reference import golden
    >>> golden.names()                                   # doctest: +SKIP
    ['adam', 'attention', 'attention_causal', ...]
    >>> print(golden.check("attention_causal"))          # attnlab vs the stored torch result

Each ``golden/<name>.npz`` holds ``input.*`` arrays (including the upstream gradient
``dout``), ``state.*`` (module weights or the optimizer's starting parameters), ``grads.*``
(one gradient per optimizer step), ``expected.*`` (torch's results) and ``meta``: JSON with
the op, its keyword arguments and the torch version. Regenerate them with
``python tools/make_golden.py`` in the repository (needs torch).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..i18n import tr
from . import ours
from .report import ParityReport

GOLDEN_DIR = Path(__file__).with_name("golden")


@dataclass
class Golden:
    """One stored case: what went in, what torch gave back, and how to run it."""

    name: str
    op: str
    description: str
    torch_version: str
    kwargs: dict
    inputs: dict[str, np.ndarray]
    state: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]
    expected: dict[str, np.ndarray]

    def run_ours(self) -> dict[str, np.ndarray]:
        """attnlab's results for the same inputs, named like :attr:`expected`."""
        if self.op == "optimizer":
            kwargs = dict(self.kwargs)
            name = kwargs.pop("name")
            steps = len(next(iter(self.grads.values())))
            per_step = [{k: g[i] for k, g in self.grads.items()} for i in range(steps)]
            return ours.optimizer(name, self.state, per_step, **kwargs)
        if self.op == "multi_head_attention":
            return ours.multi_head_attention(**self.inputs, state=self.state, **self.kwargs)
        return getattr(ours, self.op)(**self.inputs, **self.kwargs)


def names() -> list[str]:
    """Names of the shipped golden cases."""
    return sorted(p.stem for p in GOLDEN_DIR.glob("*.npz"))


def load(name: str) -> Golden:
    """Load ``golden/<name>.npz``; KeyError listing the available names if it is not there."""
    path = GOLDEN_DIR / f"{name}.npz"
    if not path.is_file():
        raise KeyError(f"no golden case {name!r}; available: {names()}")
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        groups: dict[str, dict[str, np.ndarray]] = {
            "input": {},
            "state": {},
            "grads": {},
            "expected": {},
        }
        for key in data.files:
            group, _, field = key.partition(".")
            if group in groups:
                groups[group][field] = data[key]
    return Golden(
        name=name,
        op=meta["op"],
        description=meta["description"],
        torch_version=meta["torch_version"],
        kwargs=meta["kwargs"],
        inputs=groups["input"],
        state=groups["state"],
        grads=groups["grads"],
        expected=groups["expected"],
    )


def check(name: str) -> ParityReport:
    """Run attnlab on a golden case and report the differences from torch's stored results."""
    case = load(name)
    dtype = np.result_type(*case.expected.values())
    title = tr(
        f"valores de referencia {name!r} frente a torch {case.torch_version}",
        f"golden {name!r} ({case.description}) vs torch {case.torch_version}",
    )
    return ParityReport.from_arrays(title, dtype, case.run_ours(), case.expected)
