"""The benchmark harness measures fairly; no timing assertions (times depend on the machine)."""

import numpy as np

from attnlab.cli import main
from benchmarks.cases import MemoryPoint, Row
from benchmarks.harness import PairTiming, attention_flops, blas_info, time_pair
from benchmarks.suite import markdown, summary


def test_time_pair_alternates_which_side_runs_first_and_times_each_side_repeats_times():
    calls = []
    timing = time_pair(
        lambda: calls.append("a"), lambda: calls.append("b"), repeats=4, warmup=1, pause=0
    )
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b", "b", "a"]
    assert len(timing.ours) == len(timing.theirs) == len(timing.ratios) == 4


def test_ratio_is_the_median_of_per_pair_ratios_with_its_range():
    t = PairTiming(ours=[1.0, 2.0, 9.0], theirs=[1.0, 1.0, 1.0])
    assert t.ratio == 2.0 and t.ratio_range == (1.0, 9.0)


def test_attention_flops_count_two_products_forward_and_six_with_backward():
    assert attention_flops(1, 2, 3, 4, 4, backward=False) == 2 * (2 * 2 * 3 * 4)
    assert attention_flops(1, 2, 3, 4, 4, backward=True) == 6 * (2 * 2 * 3 * 4)


def test_blas_info_names_numpy_version():
    assert np.__version__ in blas_info()


def test_markdown_has_one_table_line_per_row_and_marks_targets():
    timing = PairTiming(ours=[1.0, 1.0], theirs=[2.0, 2.0])
    row = Row(
        "attention",
        "standard",
        "torch",
        "(1, 1, 4, 2)",
        "float64",
        timing,
        timing,
        100,
        2**20,
        None,
        3 * 2**20,
        target=1.0,
    )
    point = MemoryPoint(
        8,
        {"standard": 1.0, "tiled": 1.0, "torch SDPA": 1.0},
        {"standard": 8.0, "tiled": 1.0, "torch SDPA": None},
    )
    text = markdown({"header": ["h"], "rows": [row], "memory": [point], "matmul": {"float64": 1.0}})
    assert "| attention | standard | torch |" in text and "**0.50**" in text and "✓" in text
    assert "| 8 |" in text and "(1/8.0)" in text


def test_bench_command_rejects_unknown_cases(capsys):
    assert main(["bench", "--cases", "attention,nope"]) == 2
    assert "nope" in capsys.readouterr().err


def test_summary_tables_in_both_languages_mark_missed_targets():
    slow = PairTiming(ours=[3.0, 3.0], theirs=[2.0, 2.0])
    row = Row(
        "attention",
        "standard",
        "torch",
        "(1, 1, 4, 2)",
        "float32",
        slow,
        slow,
        None,
        None,
        None,
        None,
        target=1.0,
    )
    result = {"rows": [row]}
    assert "**1.50x**" in summary(result, "en") and "✗ (missed)" in summary(result, "en")
    assert "proporción" in summary(result, "es") and "no alcanzado" in summary(result, "es")
    spanish = summary(result, "es").splitlines()[-1]
    assert spanish.startswith("| atención (1, 1, 4, 2) | float32 | estándar | torch |"), spanish


def test_rounds_pool_every_pair_of_the_same_case():
    from benchmarks.suite import _pool

    def row(ours, theirs):
        t = PairTiming(ours=ours, theirs=theirs)
        return Row("c", "o", "t", "s", "float64", t, t, None, 1, None, None)

    pooled = _pool(row([1.0], [2.0]), row([3.0, 5.0], [1.0, 1.0]))
    assert pooled.both.ratios == [0.5, 3.0, 5.0] and pooled.mem_ours == 1


def test_bench_gpt_compares_the_readable_gelu_with_the_tuned_one_and_restores_it():
    import attnlab
    from attnlab.functional import fast, gelu_backward, gelu_forward
    from benchmarks import bench_gpt

    x = np.linspace(-4, 4, 1001)  # the fast erf differs from SciPy's by an ulp on many of them

    def step():  # the GELU inside, as a model calls it, while the fast path is on
        out, cache = gelu_forward(x)
        return out, gelu_backward(np.ones_like(x), cache), cache

    tuned = fast.gelu_forward, fast.gelu_backward
    out, dx, cache = bench_gpt.readable_gelu(step)
    with attnlab.fast_path(False):
        want_out, want_cache = gelu_forward(x)  # SciPy's erf
        want_dx = gelu_backward(np.ones_like(x), want_cache)
    np.testing.assert_array_equal(out, want_out)
    np.testing.assert_array_equal(dx, want_dx)
    np.testing.assert_array_equal(cache.cdf, want_cache.cdf)
    assert not np.array_equal(gelu_forward(x)[1].cdf, want_cache.cdf)  # outside: tuned again
    assert (fast.gelu_forward, fast.gelu_backward) == tuned  # restored
    assert attnlab.get_fast()
