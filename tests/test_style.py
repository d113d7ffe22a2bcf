"""The code reads the same everywhere: ruff's lint and format rules, lessons included."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(exe).exists():
        pytest.skip("ruff is not installed (it comes with the dev extra)")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.mark.parametrize(
    "args",
    [
        ("check", "."),
        ("format", "--check", "."),
        ("check", "--config", "lessons/ruff.toml", "lessons/src", "lessons/solutions"),
        ("format", "--check", "--config", "lessons/ruff.toml", "lessons/src", "lessons/solutions"),
    ],
    ids=["lint", "format", "lessons-lint", "lessons-format"],
)
def test_ruff_is_clean(args):
    result = ruff(*args)
    assert result.returncode == 0, result.stdout + result.stderr
