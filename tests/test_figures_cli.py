"""``attnlab figures``: what it writes, what it prints, and how it fails."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")

from attnlab import cli  # noqa: E402
from attnlab.gallery import names  # noqa: E402


def run_cli(*argv: str) -> int:
    return cli.main(["figures", *argv])


def test_list_prints_every_figure_name(capsys):
    assert run_cli("--list") == 0
    assert capsys.readouterr().out.split() == names()


def test_only_writes_the_chosen_figures_in_the_chosen_language(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ATTNLAB_LANG", "en")
    assert (
        run_cli(
            "--out",
            str(tmp_path),
            "--only",
            "attention_masks",
            "softmax_temperature",
            "--lang",
            "es",
        )
        == 0
    )
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.png"))
    assert written == ["es/attention_masks.png", "es/softmax_temperature.png"]
    out = capsys.readouterr().out
    assert "[1/2]" in out and "[2/2]" in out  # progress, one line per file
    assert "2 figures in" in out


def test_without_lang_both_languages_are_written(tmp_path):
    assert run_cli("--out", str(tmp_path), "--only", "positional_curves", "--dpi", "50") == 0
    assert (tmp_path / "en" / "positional_curves.png").is_file()
    assert (tmp_path / "es" / "positional_curves.png").is_file()


def test_one_figure_is_reported_in_the_singular_in_the_users_language(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("ATTNLAB_LANG", "en")
    assert run_cli("--out", str(tmp_path), "--only", "positional_curves", "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "1 figure in" in out and "1 figures" not in out
    monkeypatch.setenv("ATTNLAB_LANG", "es")
    assert run_cli("--out", str(tmp_path), "--only", "positional_curves", "softmax_scaling") == 0
    assert "4 figuras en" in capsys.readouterr().out


def test_an_unknown_name_lists_the_valid_ones_and_exits_2(tmp_path, capsys):
    assert run_cli("--out", str(tmp_path), "--only", "attention_heatmap", "heatmapz") == 2
    err = capsys.readouterr().err
    assert "unknown figure name(s): heatmapz" in err
    for name in names():
        assert name in err
    assert not list(tmp_path.rglob("*.png"))  # nothing drawn before the check


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("I am a file")
    assert run_cli("--out", str(blocker), "--only", "softmax_temperature") == 1
    err = capsys.readouterr().err
    assert "cannot create the output directory" in err
    assert str(blocker) in err


@pytest.mark.parametrize("dpi", ["0", "1", "3", "-5", "100000"])
def test_a_dpi_outside_the_drawable_range_is_rejected_before_drawing(dpi, tmp_path, capsys):
    assert run_cli("--dpi", dpi, "--only", "softmax_temperature", "--out", str(tmp_path)) == 2
    assert "--dpi must be between 20 and 600" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.png"))


def test_an_empty_output_path_is_rejected(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("--out", "", "--only", "softmax_temperature") == 2
    assert "--out is empty" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.png"))  # nothing written into the current directory


def test_an_unknown_language_is_rejected():
    with pytest.raises(SystemExit) as exc:
        run_cli("--lang", "fr")
    assert exc.value.code == 2


def test_python_dash_m_attnlab_figures_works():
    result = subprocess.run(
        [sys.executable, "-m", "attnlab", "figures", "--list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == names()
