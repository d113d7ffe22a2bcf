"""Golden vectors made by torch and shipped with attnlab: parity is checked even without torch."""

import subprocess
import sys

import numpy as np
import pytest

from attnlab.reference import golden

NAMES = golden.names()


def test_the_expected_golden_cases_are_shipped():
    for name in [
        "softmax",
        "softmax_masked",
        "linear",
        "layer_norm",
        "gelu",
        "attention",
        "attention_causal",
        "attention_bool_mask",
        "attention_float_mask",
        "attention_cross",
        "attention_float32",
        "multi_head_attention",
        "multi_head_attention_causal",
        "sgd",
        "sgd_nesterov",
        "adam",
    ]:
        assert name in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_attnlab_matches_the_stored_torch_results(name):
    report = golden.check(name)
    assert report.diffs, report
    case = golden.load(name)
    if all(a.dtype == np.float64 for a in case.expected.values()):
        assert report.max_abs <= 1e-10, report
    else:
        assert report.passed(rel_tol=1e-5), report


def test_golden_bool_mask_case_holds_a_fully_masked_row_that_torch_set_to_zero():
    case = golden.load("attention_bool_mask")
    empty = ~case.inputs["mask"].any(axis=-1)  # (B, 1, T)
    assert empty.any()
    rows = np.broadcast_to(empty, case.expected["out"].shape[:-1])
    assert (case.expected["out"][rows] == 0).all()


def test_unknown_golden_case_lists_the_available_ones():
    with pytest.raises(KeyError, match="available"):
        golden.load("no_such_case")


def _run_without_torch(code: str) -> subprocess.CompletedProcess:
    prelude = "import sys; sys.modules['torch'] = None\n"  # makes `import torch` fail
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True)


def test_golden_checks_and_reference_imports_work_without_torch():
    result = _run_without_torch(
        "from attnlab.reference import golden, compare_attention\n"
        "assert golden.check('attention_causal').passed()\n"
        "import numpy as np\n"
        "try:\n"
        "    compare_attention(np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)))\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    assert result.returncode == 0, result.stderr
    assert "pip install torch==2.13.0" in result.stdout and "attnlab[torch]" in result.stdout


def test_tour_runs_without_torch_and_says_the_comparison_was_skipped():
    code = "from attnlab.cli import main; raise SystemExit(main(['tour', '--lang', 'en']))"
    result = _run_without_torch(code)
    assert result.returncode == 0, result.stderr
    assert "attnlab.gradcheck" in result.stdout and "passed" in result.stdout
    assert "torch comparison skipped" in result.stdout and "attnlab[torch]" in result.stdout


@pytest.mark.torch
def test_tour_prints_weights_gradcheck_and_the_torch_comparison(capsys):
    from attnlab.cli import main

    assert main(["tour", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "row = query, column = key" in out and "[[1.    0.    0.    0.   ]" in out
    assert "passed" in out
    assert "scaled_dot_product_attention" in out and "max abs diff" in out


@pytest.mark.torch
def test_regenerating_golden_vectors_reproduces_the_shipped_ones(tmp_path, monkeypatch):
    from tools import make_golden

    monkeypatch.setattr(make_golden, "GOLDEN_DIR", tmp_path)
    make_golden.main()
    for name in NAMES:
        with (
            np.load(tmp_path / f"{name}.npz") as new,
            np.load(golden.GOLDEN_DIR / f"{name}.npz") as old,
        ):
            assert sorted(new.files) == sorted(old.files)
            for key in old.files:
                if key != "meta":
                    np.testing.assert_allclose(new[key], old[key], rtol=1e-12, atol=1e-12)
