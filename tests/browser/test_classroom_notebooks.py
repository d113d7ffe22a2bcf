"""The dashboard notebooks: one bilingual source, built into the package, found when installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from attnlab.classroom.server import NOTEBOOKS, ClassroomError, dashboard_notebook
from attnlab.i18n import LANGUAGES

REPO = Path(__file__).resolve().parents[2]
TITLES = {"es": "# attnlab · panel de clase", "en": "# attnlab · classroom dashboard"}


def test_the_shipped_dashboard_notebooks_equal_a_fresh_build_of_their_source():
    pytest.importorskip("jupytext")
    from tools import lessons_build as lb

    sources = lb.classroom_sources()
    assert [p.name for p in sources] == ["dashboard.py"]
    assert lb.classroom_dir() == NOTEBOOKS
    for path in sources:
        nb = lb.read_source(path)
        assert not lb.check_source(nb, path)
        for lang in LANGUAGES:
            source = f"lessons/classroom/src/{path.name}"
            fresh = lb.render(lb.to_notebook(nb, lang, path.stem, source, title=True))
            shipped = (NOTEBOOKS / lang / f"{path.stem}.ipynb").read_text(encoding="utf-8")
            assert shipped == fresh, f"{lang}/{path.stem}.ipynb is stale: `attnlab lessons build`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_its_own_dashboard_notebook_that_speaks_it(lang):
    nb = json.loads(dashboard_notebook(lang).read_text(encoding="utf-8"))
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    code = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "".join(markdown[0]["source"]) == TITLES[lang]
    assert nb["metadata"]["title"] == TITLES[lang][2:]  # the page's <title> in Voilà
    assert all(c["metadata"]["lang"] == lang for c in markdown)
    assert f'LANG = "{lang}"' in code and "dashboard(LANG)" in code
    assert all(not c.get("outputs") for c in nb["cells"])
    assert sorted(p.name for p in (NOTEBOOKS / lang).iterdir()) == ["dashboard.ipynb"]


def test_an_unknown_language_has_no_dashboard():
    with pytest.raises(ValueError, match="lang must be one of"):
        dashboard_notebook("fr")


def test_a_missing_notebook_says_how_to_build_it(monkeypatch, tmp_path):
    import attnlab.classroom.server as server

    monkeypatch.setattr(server, "NOTEBOOKS", tmp_path)
    with pytest.raises(ClassroomError, match="attnlab lessons build"):
        server.dashboard_notebook("es")


def test_an_installed_copy_of_the_package_finds_its_dashboard_outside_the_repository(tmp_path):
    """What ``pip install attnlab[classroom]`` gives: the package alone, no lessons/ beside it."""
    site = tmp_path / "site-packages"
    shutil.copytree(
        REPO / "attnlab", site / "attnlab", ignore=shutil.ignore_patterns("__pycache__")
    )
    code = (
        "from attnlab.classroom.server import dashboard_notebook\n"
        "from attnlab._checkout import checkout\n"
        "print(checkout())\n"
        "for lang in ('es', 'en'): print(dashboard_notebook(lang))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split()
    assert lines[0] == "None"  # really not a checkout
    for line in lines[1:]:
        assert Path(line).is_file() and site in Path(line).parents
