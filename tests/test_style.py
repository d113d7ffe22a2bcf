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


def _cache_unpackings(source: str) -> list[int]:
    """Lines that unpack a cache by position: ``a, b = cache`` or ``a, b = self._cache["x"]``."""
    import ast

    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Tuple):
            continue
        value = node.value.value if isinstance(node.value, ast.Subscript) else node.value
        name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
        if "cache" in name.lower():
            lines.append(node.lineno)
    return lines


def test_the_cache_unpacking_check_finds_positional_unpacking():
    assert _cache_unpackings("ids, (V, E), dtype = cache\nx = cache.ids\n") == [1]
    assert _cache_unpackings('ce, keep, shape = self._cache["loss"]\n') == [1]
    assert _cache_unpackings("out, cache = f(x)\n") == []


def test_backward_reads_caches_by_field_name_not_by_position():
    # A student reads ``cache.ids``, not the third element of a tuple (issue 10).
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "attnlab").rglob("*.py"))
        for line in _cache_unpackings(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"caches unpacked by position: {found}"
