"""Every Python block of both READMEs runs as written, on its own (a namespace of its own)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READMES = ("README.md", "README.es.md")
BLOCK = re.compile(r"^```python\n(.*?)^```", flags=re.MULTILINE | re.DOTALL)


def blocks() -> list:
    found = []
    for name in READMES:
        text = (ROOT / name).read_text(encoding="utf-8")
        for i, match in enumerate(BLOCK.finditer(text)):
            code = match.group(1)
            marks = [pytest.mark.torch] if "torch" in code else []
            found.append(pytest.param(code, id=f"{name}-block{i + 1}", marks=marks))
    return found


def test_both_readmes_have_the_same_number_of_python_blocks():
    counts = [len(BLOCK.findall((ROOT / name).read_text(encoding="utf-8"))) for name in READMES]
    assert counts[0] == counts[1] >= 3


@pytest.mark.parametrize("code", blocks())
def test_readme_python_block_runs_as_written(code, tmp_path, monkeypatch, capsys):
    if "viz" in code:
        mpl = pytest.importorskip("matplotlib")
        mpl.use("Agg")
    monkeypatch.chdir(tmp_path)  # blocks may write files (tlob.npz, scaling.png)
    try:
        exec(compile(code, "<README block>", "exec"), {"__name__": "__readme__"})
    finally:
        if "viz" in code:
            import matplotlib.pyplot as plt

            plt.close("all")
