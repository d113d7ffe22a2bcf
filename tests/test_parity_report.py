"""ParityReport: how attnlab.reference measures and judges differences (no torch needed)."""

import numpy as np
import pytest

from attnlab.reference import ParityReport
from attnlab.reference.report import difference


def test_difference_reports_max_abs_and_max_rel_to_the_reference_scale():
    d = difference("out", np.array([1.0, 2.0, 4.1]), np.array([1.0, 2.0, 4.0]))
    assert d.max_abs == pytest.approx(0.1)
    assert d.max_rel == pytest.approx(0.1 / 4.0)
    assert d.scale == 4.0


def test_float64_passes_only_within_1e_minus_10_absolute():
    ref = {"out": np.zeros(3)}
    assert ParityReport.from_arrays("t", np.float64, {"out": np.full(3, 1e-11)}, ref).passed()
    assert not ParityReport.from_arrays("t", np.float64, {"out": np.full(3, 1e-9)}, ref).passed()


def test_float32_relative_test_uses_a_floor_of_one_for_arrays_that_are_rounding_noise():
    ref = {"big": np.array([1000.0]), "tiny": np.array([1e-8])}
    ok = ParityReport.from_arrays(
        "t", np.float32, {"big": np.array([1000.005]), "tiny": np.array([0.0])}, ref
    )
    assert ok.passed()  # 5e-6 relative on the big array, 1e-8 absolute noise on the tiny one
    bad = ParityReport.from_arrays(
        "t", np.float32, {"big": np.array([1000.02]), "tiny": np.array([0.0])}, ref
    )
    assert not bad.passed()  # 2e-5 relative


def test_nan_never_passes_and_shapes_must_match():
    ref = {"out": np.ones(2)}
    assert not ParityReport.from_arrays(
        "t", np.float64, {"out": np.array([1.0, np.nan])}, ref
    ).passed()
    with pytest.raises(ValueError, match="shape"):
        difference("out", np.ones(2), np.ones(3))


def test_report_prints_a_table_with_every_array():
    ref = {"out": np.ones(2), "dx": np.ones((2, 2)), "dbias": None}
    report = ParityReport.from_arrays(
        "softmax", np.float64, {"out": np.ones(2), "dx": np.ones((2, 2))}, ref
    )
    text = str(report)
    assert "softmax (float64)" in text and "max abs diff" in text and "dx" in text
    assert "dbias" not in text  # None in the reference: nothing to compare


def test_importing_attnlab_reference_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, attnlab.reference, attnlab.reference.golden; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (
            lambda r: r.compare_attention(
                np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3)), seed="a"
            ),
            TypeError,
            "seed must be an int",
        ),
        (lambda r: r.compare_gelu(np.ones(3), seed=-1), ValueError, "seed must be >= 0"),
        (
            lambda r: r.compare_multi_head_attention("m", np.ones((1, 2, 4))),
            TypeError,
            "module must be an attnlab.nn.MultiHeadAttention, got str",
        ),
        (
            lambda r: r.compare_tlob("m", np.ones((1, 8, 4))),
            TypeError,
            "model must be an attnlab.models.TLOB, got str",
        ),
        (lambda r: r.torch_tlob(hidden_dim=-1), ValueError, "hidden_dim must be >= 1"),
        (lambda r: r.torch_tlob(seq_size=2), ValueError, "seq_size must be >= 4"),
        (lambda r: r.torch_tlob(hidden="x"), TypeError, "unknown TLOB config key"),
    ],
)
def test_comparisons_check_their_arguments_before_any_torch_work(call, exc, match):
    import attnlab.reference as reference

    with pytest.raises(exc, match=match):
        call(reference)
