"""Exercise checkers: solutions pass; typical mistakes get specific, kind feedback in the
lesson's language."""

from __future__ import annotations

import runpy

import numpy as np
import pytest

import attnlab
from attnlab import exercises as ex
from attnlab.i18n import LANGUAGES as LANGS
from tools.lessons_build import lessons_dir

SOLUTIONS = sorted((lessons_dir() / "solutions" / "src").glob("*.py"))


@pytest.fixture(autouse=True)
def english_by_default():
    ex.set_language("en")
    yield
    ex.set_language("en")


def text(feedback) -> str:
    return str(feedback)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_the_shipped_solutions_pass_every_checker(path, lang):
    module = runpy.run_path(str(lessons_dir() / "solutions" / lang / path.name))
    results = module["check"]()
    assert len(results) >= 2
    for result in results:
        assert result.ok, str(result)
        assert result.messages  # a passing check still says what was learnt
    assert ex.get_language() == lang


@pytest.mark.parametrize(
    "checker",
    [
        ex.check_softmax,
        ex.check_softmax_temperature,
        ex.check_softmax_jacobian,
        ex.check_attention,
        ex.check_causal_mask,
        ex.check_softmax_backward,
        ex.check_attention_backward,
        ex.check_split_heads,
        ex.check_merge_heads,
        ex.check_mha_param_count,
        ex.check_in_proj_split,
        ex.check_sinusoidal,
        ex.check_unpermute,
        ex.check_tlob_map_shapes,
        ex.check_bin_temporal,
        ex.check_tlob_labels,
        ex.check_macro_f1,
    ],
)
def test_an_unwritten_exercise_fails_kindly_in_both_languages(checker):
    def stub(*args):
        return None

    assert not checker(stub)
    assert "is the return missing" in text(checker(stub))
    ex.set_language("es")
    assert "¿falta el return?" in text(checker(stub))

    def raises(*args):
        raise NotImplementedError

    assert "NotImplementedError" in text(checker(raises))


def test_a_crashing_answer_is_reported_not_raised():
    feedback = ex.check_softmax(lambda x: x.nonexistent)
    assert not feedback and "AttributeError" in text(feedback)


def test_wrong_mask_entries_are_listed_with_what_they_should_be():
    mask = attnlab.padding_mask([2, 5, 3], 5).copy()
    mask[0, 3] = True
    mask[2, 1] = False
    feedback = ex.check_padding_mask(mask, [2, 5, 3], max_len=5)
    assert not feedback
    assert "2 wrong entries" in text(feedback)
    assert "(0, 3) should be False" in text(feedback) and "(2, 1) should be True" in text(feedback)
    ex.set_language("es")
    assert "(0, 3) debería ser False" in text(ex.check_padding_mask(mask, [2, 5, 3], max_len=5))


def test_an_inverted_causal_mask_is_recognised():
    feedback = ex.check_causal_mask(lambda T: ~np.tril(np.ones((T, T), dtype=bool)))
    assert "inverted" in text(feedback)


def test_a_mask_of_the_wrong_shape_or_dtype_says_what_was_expected():
    assert "expected (3, 5, 5)" in text(
        ex.check_combined_mask(np.ones((5, 5), bool), [2, 5, 3], T=5)
    )
    assert "True = may attend" in text(ex.check_padding_mask(np.ones((3, 5)), [2, 5, 3], 5))


def test_softmax_without_max_subtraction_gets_the_overflow_hint():
    def naive(x):
        e = np.exp(x)
        return e / e.sum(axis=-1, keepdims=True)

    with np.errstate(all="ignore"):
        feedback = ex.check_softmax(naive)
    assert not feedback and "subtract each row's maximum" in text(feedback)


def test_softmax_over_the_wrong_axis_is_recognised():
    feedback = ex.check_softmax(lambda x: np.exp(x) / np.exp(x).sum(axis=0, keepdims=True))
    assert "axis 0" in text(feedback)


def test_attention_without_scaling_is_recognised():
    def unscaled(q, k, v):
        return attnlab.softmax(q @ k.T) @ v

    assert "sqrt(D)" in text(ex.check_attention(unscaled))


def test_gradient_feedback_gives_the_relative_error_of_each_gradient():
    def wrong_dq(dout, q, k, v):
        w = attnlab.softmax(q @ k.T / np.sqrt(q.shape[1]))
        dw = dout @ v.T
        ds = w * (dw - (dw * w).sum(-1, keepdims=True))
        return ds @ k, ds.T @ q / np.sqrt(q.shape[1]), w.T @ dout  # dq without the scale

    feedback = ex.check_attention_backward(wrong_dq)
    lines = text(feedback).splitlines()
    assert not feedback
    assert any(
        line.strip().startswith("- dq: relative error") and "check this one" in line
        for line in lines
    )
    assert any(
        line.strip().startswith("- dk: relative error") and "check this one" not in line
        for line in lines
    )


def test_softmax_backward_missing_the_coupling_term_gets_a_hint():
    feedback = ex.check_softmax_backward(lambda dout, p: p * dout)
    assert "dx: relative error" in text(feedback) and "sum(dout * p)" in text(feedback)


def test_a_result_of_the_wrong_shape_states_the_expected_shape():
    feedback = ex.check_split_heads(lambda x, H: x)
    assert "expected shape is (2, 2, 3, 4)" in text(feedback)
    feedback = text(ex.check_attention_shapes((2, 5, 8), (2, 5, 7)))
    assert "you wrote (2, 5, 8)" in feedback and "Dv=3" in feedback and "weights" not in feedback


def test_multi_head_parameter_count_feedback_names_the_pieces():
    feedback = ex.check_mha_param_count(lambda E, H, bias: 4 * E * E)
    assert "in_proj (3E x E)" in text(feedback)


def test_bin_with_the_biased_std_gets_the_ddof_hint():
    feedback = ex.check_bin_temporal(
        lambda x: (x - x.mean(1, keepdims=True)) / x.std(1, keepdims=True)
    )
    assert "ddof=1" in text(feedback)


def test_swapped_up_and_down_labels_are_recognised():
    from attnlab.data import tlob_labels

    def swapped(mid, h, k):
        labels, alpha = tlob_labels(mid, h, k)
        return 2 - labels, alpha

    assert "0 = up, 2 = down" in text(ex.check_tlob_labels(swapped))


def test_accuracy_is_not_macro_f1():
    feedback = ex.check_macro_f1(lambda cm: np.trace(cm) / cm.sum())
    assert "That is the accuracy" in text(feedback)


def test_tlob_shape_feedback_points_at_the_shrinking_last_pair():
    def no_shrink(B, T, H, L):
        return [(B, 1, T, T), (B, 1, H, H)] * L

    feedback = ex.check_tlob_map_shapes(no_shrink)
    assert "last pair shrinks" in text(feedback) and "layer 3 (feature)" in text(feedback)


def test_lookup_reports_the_weights_and_a_hint():
    feedback = ex.check_lookup(np.zeros((2, 4)), np.eye(4))
    assert not feedback and "point q[0] along k[2]" in text(feedback)
    assert ex.check_lookup(np.eye(4)[[2, 0]] * 10, np.eye(4))


def test_causal_weights_checker_spots_a_look_into_the_future():
    _, w = attnlab.scaled_dot_product_attention(*(np.eye(3),) * 3)
    assert "future key" in text(ex.check_causal_weights(w))
    _, w = attnlab.scaled_dot_product_attention(*(np.eye(3),) * 3, is_causal=True)
    assert ex.check_causal_weights(w)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        ex.set_language("fr")
