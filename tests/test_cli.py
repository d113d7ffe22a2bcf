"""The command line as a newcomer meets it: languages, missing extras, and where tooling lives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from attnlab.cli import main
from attnlab.gallery import names
from attnlab.i18n import get_language

ROOT = Path(__file__).resolve().parents[1]
# Makes `import matplotlib` (and seaborn) fail in a child process, as without the viz extra.
NO_VIZ = "import sys\nfor m in ('matplotlib', 'seaborn'): sys.modules[m] = None\n"


def attnlab_in_child(*argv: str, prelude: str = "", cwd=None, env=None, path=None):
    """Run ``attnlab ARGV`` in a fresh Python, optionally with a prelude and another sys.path."""
    code = prelude + "from attnlab.cli import main\nraise SystemExit(main(sys.argv[1:]))\n"
    environment = {**os.environ, "ATTNLAB_LANG": "en", **(env or {})}
    if path is not None:
        environment["PYTHONPATH"] = str(path)
    return subprocess.run(
        [sys.executable, "-c", "import sys\n" + code, *argv],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env=environment,
    )


# -- without the viz extra -------------------------------------------------------------------------


def test_figures_list_works_without_matplotlib(tmp_path):
    result = attnlab_in_child("figures", "--list", prelude=NO_VIZ, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == names()


def test_figures_without_matplotlib_names_the_extra_to_install(tmp_path):
    result = attnlab_in_child("figures", prelude=NO_VIZ, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "pip install 'attnlab[viz]'" in result.stderr
    assert not (tmp_path / "figures").exists()


def test_bare_attnlab_without_matplotlib_still_runs_the_tour(tmp_path):
    result = attnlab_in_child(prelude=NO_VIZ, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "pip install 'attnlab[viz]'" in result.stderr
    assert "scaled_dot_product_attention" in result.stdout and "passed" in result.stdout
    assert result.returncode == 1  # the figures, half of the main job, could not be drawn


# -- languages -----------------------------------------------------------------------------------


def test_the_tour_speaks_spanish_with_lang_es(capsys):
    assert get_language() == "en"
    assert main(["tour", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "fila = consulta, columna = clave" in out and "superado" in out
    assert "row = query" not in out and "passed" not in out
    assert get_language() == "en"  # the tour leaves the language as it found it


@pytest.mark.torch
def test_the_tours_parity_table_follows_the_language(capsys):
    assert main(["tour", "--lang", "es"]) == 0
    out = capsys.readouterr().out
    assert "atención frente a torch" in out and "dif. abs. máx." in out
    assert "max abs diff" not in out


def test_the_tour_language_defaults_to_attnlab_lang(monkeypatch, capsys):
    monkeypatch.setenv("ATTNLAB_LANG", "es")
    assert main(["tour"]) == 0
    assert "fila = consulta" in capsys.readouterr().out
    monkeypatch.setenv("ATTNLAB_LANG", "en")
    assert main(["tour"]) == 0
    assert "row = query" in capsys.readouterr().out


def test_an_unknown_attnlab_lang_is_a_clear_error_not_silent_english(monkeypatch, capsys):
    monkeypatch.setenv("ATTNLAB_LANG", "xx")
    with pytest.raises(SystemExit) as info:
        main(["tour"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "ATTNLAB_LANG='xx'" in err and "'es'" in err and "'en'" in err
    assert "row = query" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "value, lang", [("es", "es"), ("EN", "en"), ("es_AR.UTF-8", "es"), ("en-US", "en")]
)
def test_attnlab_lang_accepts_a_language_or_a_locale_of_it(monkeypatch, value, lang):
    from attnlab.i18n import default_language

    monkeypatch.setenv("ATTNLAB_LANG", value)
    assert default_language() == lang


@pytest.mark.parametrize("value", ["xx", "english", "fr_FR.UTF-8"])
def test_default_language_names_attnlab_lang_and_the_choices(monkeypatch, value):
    from attnlab.i18n import default_language

    monkeypatch.setenv("ATTNLAB_LANG", value)
    with pytest.raises(ValueError, match=r"ATTNLAB_LANG=.*'es' or 'en'"):
        default_language()


# -- repository tooling ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed_copy(tmp_path_factory):
    """The package alone, copied outside the repository (as a wheel installs it)."""
    site = tmp_path_factory.mktemp("site-packages")
    shutil.copytree(
        ROOT / "attnlab", site / "attnlab", ignore=shutil.ignore_patterns("__pycache__")
    )
    return site


@pytest.mark.parametrize("argv", [["lessons", "build"], ["lessons", "list"], ["bench", "--quick"]])
def test_repository_tooling_says_plainly_where_it_lives(argv, installed_copy, tmp_path):
    result = attnlab_in_child(*argv, cwd=tmp_path, path=installed_copy)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "lives in the attnlab repository" in result.stderr
    assert "pip install -e ." in result.stderr


def test_the_installed_copy_really_is_outside_the_repository(installed_copy, tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import attnlab; print(attnlab.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed_copy)},
    )
    assert result.stdout.strip().startswith(str(installed_copy))


def test_lessons_check_is_a_command_of_its_own(capsys):
    pytest.importorskip("jupytext")
    assert main(["lessons", "--check"]) == 0
    assert "0 files out of date" in capsys.readouterr().out


@pytest.mark.parametrize("out", ["", "   "])
def test_lessons_html_refuses_an_empty_folder_name_before_running_anything(
    out, tmp_path, monkeypatch, capsys
):
    import attnlab.classroom.export as export

    def must_not_run(*args, **kwargs):
        raise AssertionError("the lessons ran although the folder name was empty")

    monkeypatch.setattr(export, "export_lessons", must_not_run)
    monkeypatch.chdir(tmp_path)
    assert main(["lessons", "--html", out]) == 2
    assert "--html needs a folder name" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- output folders ------------------------------------------------------------------------
# Every argument naming a folder to write into, with the function that would do the work: a
# path that cannot be a folder is refused with exit 2 and a message naming it, before any work.
OUT_FOLDER_ARGUMENTS = {
    "experiment induction": (
        ["experiment", "induction", "--quick", "--steps", "1", "--out"],
        "attnlab.experiments.induction_train.train_induction",
    ),
    "experiment extrapolation": (
        ["experiment", "extrapolation", "--quick", "--steps", "1", "--out"],
        "attnlab.experiments.extrapolation.run_extrapolation",
    ),
    "train-gpt": (
        ["train-gpt", "--quick", "--steps", "1", "--out"],
        "attnlab.train.gpt_experiment.run_seed",
    ),
    "train-tlob": (
        ["train-tlob", "--quick", "--save-pretrained"],
        "attnlab.train.experiment.run_experiment",
    ),
    "bench": (["bench", "--quick", "--out"], "benchmarks.suite.run_suite"),
    "lessons --html": (["lessons", "--quick", "--html"], "attnlab.classroom.export.export_lessons"),
}


@pytest.mark.parametrize("where", ["a file", "under a file"])
@pytest.mark.parametrize("command", sorted(OUT_FOLDER_ARGUMENTS))
def test_an_output_folder_that_cannot_be_one_is_refused_before_any_work(
    command, where, tmp_path, monkeypatch, capsys
):
    argv, worker = OUT_FOLDER_ARGUMENTS[command]
    if command == "lessons --html":
        pytest.importorskip("nbformat")

    def must_not_run(*args, **kwargs):
        raise AssertionError(f"{command} started working although its output folder is a file")

    monkeypatch.setattr(worker, must_not_run)
    monkeypatch.setenv("ATTNLAB_LANG", "en")
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me\n")
    out = taken if where == "a file" else taken / "sub"
    assert main([*argv, str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err, err
    words = "exists and is not a directory" if where == "a file" else "Not a directory"
    assert words in err, err
    assert taken.read_text() == "keep me\n"
