"""Exercise checkers: the solutions pass; the lessons' placeholders say "not answered yet" and
give nothing away; plausible wrong answers fail, most with a hint aimed at the mistake."""

from __future__ import annotations

import runpy
from functools import partial

import numpy as np
import pytest
from scipy.special import erf

import attnlab
from attnlab import exercises as ex
from attnlab.data import tlob_labels
from attnlab.i18n import LANGUAGES as LANGS
from tools.lessons_build import lessons_dir

SOLUTIONS = sorted((lessons_dir() / "solutions" / "src").glob("*.py"))
Y = np.random.default_rng(0).standard_normal((6, 4))  # lesson 00's y (T, D)


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


def test_every_public_checker_is_exercised_by_a_solution():
    used = "".join(p.read_text(encoding="utf-8") for p in SOLUTIONS)
    checkers = [name for name in ex.__all__ if name.startswith("check_")]
    assert [c for c in checkers if f"ex.{c}(" not in used] == []


# -- placeholders: "not answered yet", and nothing about the answer ---------------------------
def stub(*args):
    return None


PLACEHOLDERS = {
    # checker call with the lesson's placeholder -> text that would give the answer away
    "attention_shapes": (lambda: ex.check_attention_shapes((), ()), "(2, 5, 3)"),
    "causal_weights": (lambda: ex.check_causal_weights(None, Y), "(6, 6)"),
    "lookup": (lambda: ex.check_lookup(np.zeros((2, 4)), np.eye(4)), "point q[0]"),
    "padding_mask": (
        lambda: ex.check_padding_mask(np.ones((3, 5), dtype=bool), [2, 5, 3], max_len=5),
        "should be",
    ),
    "combined_mask": (lambda: ex.check_combined_mask(None, [2, 5, 3], T=5), "(3, 5, 5)"),
    **{
        name: (partial(getattr(ex, f"check_{name}"), stub), "expected")
        for name in (
            "softmax",
            "softmax_temperature",
            "softmax_jacobian",
            "attention",
            "causal_mask",
            "softmax_backward",
            "attention_backward",
            "gelu_backward",
            "split_heads",
            "merge_heads",
            "mha_param_count",
            "in_proj_split",
            "sinusoidal",
            "unpermute",
            "tlob_map_shapes",
            "bin_temporal",
            "tlob_labels",
            "macro_f1",
        )
    },
}


def test_every_checker_has_a_placeholder_case():
    checkers = {name[len("check_") :] for name in ex.__all__ if name.startswith("check_")}
    assert checkers == set(PLACEHOLDERS)


@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_a_placeholder_says_not_answered_and_gives_nothing_away(name):
    call, answer = PLACEHOLDERS[name]
    feedback = call()
    assert not feedback and not feedback.answered
    assert "you have not answered yet" in text(feedback) and answer not in text(feedback)
    ex.set_language("es")
    assert "aún no has respondido" in text(call())


def test_an_unwritten_function_is_told_what_is_missing_in_both_languages():
    assert "is the return missing?" in text(ex.check_softmax(stub))
    ex.set_language("es")
    assert "¿falta el return?" in text(ex.check_softmax(stub))

    def raises(*args):
        raise NotImplementedError

    assert "NotImplementedError" in text(ex.check_softmax(raises))


def test_a_crashing_answer_is_reported_not_raised():
    feedback = ex.check_softmax(lambda x: x.nonexistent)
    assert not feedback and feedback.answered and "AttributeError" in text(feedback)


# -- plausible wrong answers: each must fail, most with a pointed hint ------------------------
def global_max_softmax(x):
    e = np.exp(x - x.max())  # one maximum for the whole array
    return e / e.sum(axis=-1, keepdims=True)


def naive_softmax(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def phi(x):
    return (1 + erf(x / np.sqrt(2))) / 2


def attention_weights(x, **kwargs):
    return attnlab.scaled_dot_product_attention(x, x, x, **kwargs)[1]


def sin_then_cos(T, E):
    pos = np.arange(T)[:, None] * 10000.0 ** (-np.arange(0, E, 2) / E)  # (T, E/2)
    return np.concatenate([np.sin(pos), np.cos(pos)], axis=1)  # [sin | cos]


def cos_then_sin(T, E):
    table = attnlab.sinusoidal_encoding(T, E)  # (T, E)
    return np.stack([table[:, 1::2], table[:, 0::2]], axis=-1).reshape(T, E)  # cos on even


def head_dependent_count(E, H, bias):
    return 4 * E * E * H + 4 * E  # every head with full E x E projections


def transposed_blocks(w):
    E = w.shape[1]
    return w[:E].T, w[E : 2 * E].T, w[2 * E :].T


def split_attention_backward(scale_dq: bool):
    def backward(dout, q, k, v):
        s = 1 / np.sqrt(q.shape[1])
        w = attnlab.softmax(q @ k.T * s)
        dw = dout @ v.T
        ds = w * (dw - (dw * w).sum(-1, keepdims=True))
        return ds @ k * (s if scale_dq else 1.0), ds.T @ q * s, w.T @ dout

    return backward


def labels_swapped(mid, h, k):
    labels, alpha = tlob_labels(mid, h, k)
    return 2 - labels, alpha


def f1_with_nan(cm):
    cm = np.asarray(cm, dtype=float)
    tp = np.diag(cm)
    with np.errstate(all="ignore"):
        precision, recall = tp / cm.sum(0), tp / cm.sum(1)
        return float(np.mean(2 * precision * recall / (precision + recall)))


WRONG = [
    # (id, call that must fail, a phrase the feedback must contain)
    ("shapes: D for Dv", lambda: ex.check_attention_shapes((2, 5, 8), (2, 5, 7)), "not each query"),
    (
        "shapes: weights transposed",
        lambda: ex.check_attention_shapes((2, 5, 3), (2, 7, 5)),
        "swapped",
    ),
    ("causal weights: np.eye", lambda: ex.check_causal_weights(np.eye(3), Y), "(6, 6)"),
    (
        "causal weights: eye of the right size",
        lambda: ex.check_causal_weights(np.eye(6), Y),
        "q = k = v = y",
    ),
    (
        "causal weights: not causal",
        lambda: ex.check_causal_weights(attention_weights(Y), Y),
        "future key",
    ),
    (
        "causal weights: unscaled",
        lambda: ex.check_causal_weights(attention_weights(Y, is_causal=True, scale=1.0), Y),
        "scale",
    ),
    (
        "softmax: no max subtracted",
        lambda: ex.check_softmax(naive_softmax),
        "subtract each row's maximum",
    ),
    (
        "softmax: one global max",
        lambda: ex.check_softmax(global_max_softmax),
        "one maximum for the whole",
    ),
    (
        "softmax: wrong axis",
        lambda: ex.check_softmax(lambda x: np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)),
        "axis 0",
    ),
    (
        "temperature: multiplied",
        lambda: ex.check_softmax_temperature(lambda x, tau: attnlab.softmax(x * tau)),
        "you multiplied by tau",
    ),
    (
        "temperature: outside the softmax",
        lambda: ex.check_softmax_temperature(lambda x, tau: attnlab.softmax(x) / tau),
        "inside the softmax",
    ),
    ("jacobian: diagonal only", lambda: ex.check_softmax_jacobian(np.diag), "off-diagonal"),
    (
        "jacobian: sign flipped",
        lambda: ex.check_softmax_jacobian(lambda p: np.outer(p, p) - np.diag(p)),
        "sign is flipped",
    ),
    (
        "attention: unscaled",
        lambda: ex.check_attention(lambda q, k, v: attnlab.softmax(q @ k.T) @ v),
        "√D",
    ),
    (
        "attention: divided by D",
        lambda: ex.check_attention(lambda q, k, v: attnlab.softmax(q @ k.T / q.shape[1]) @ v),
        "divided by D",
    ),
    (
        "attention: no softmax",
        lambda: ex.check_attention(lambda q, k, v: q @ k.T / np.sqrt(8) @ v),
        "softmax",
    ),
    ("lookup: too short", lambda: ex.check_lookup(np.eye(4)[[2, 0]], np.eye(4)), "make it longer"),
    (
        "causal mask: upper triangle",
        lambda: ex.check_causal_mask(lambda T: np.triu(np.ones((T, T), bool))),
        "np.tril",
    ),
    (
        "causal mask: inverted",
        lambda: ex.check_causal_mask(lambda T: ~np.tril(np.ones((T, T), bool))),
        "inverted",
    ),
    (
        "padding mask: torch's convention",
        lambda: ex.check_padding_mask(~attnlab.padding_mask([2, 5, 3], 5), [2, 5, 3], max_len=5),
        "torch's convention",
    ),
    (
        "padding mask: ints",
        lambda: ex.check_padding_mask(attnlab.padding_mask([2, 5, 3], 5).astype(int), [2, 5, 3], 5),
        "True = may attend",
    ),
    (
        "combined mask: inverted",
        lambda: ex.check_combined_mask(
            ~(attnlab.causal_mask(5)[None] & attnlab.padding_mask([2, 5, 3], 5)[:, None]),
            [2, 5, 3],
            T=5,
        ),
        "torch's convention",
    ),
    (
        "combined mask: or instead of and",
        lambda: ex.check_combined_mask(
            attnlab.causal_mask(5)[None] | attnlab.padding_mask([2, 5, 3], 5)[:, None],
            [2, 5, 3],
            T=5,
        ),
        "you used | (or)",
    ),
    (
        "combined mask: 2-d",
        lambda: ex.check_combined_mask(np.ones((5, 5), bool), [2, 5, 3], T=5),
        "expected (3, 5, 5)",
    ),
    (
        "softmax backward: no coupling",
        lambda: ex.check_softmax_backward(lambda dout, p: p * dout),
        "sum(dout * p)",
    ),
    (
        "softmax backward: sum over everything",
        lambda: ex.check_softmax_backward(lambda dout, p: p * (dout - np.sum(dout * p))),
        "per row",
    ),
    (
        "attention backward: dq unscaled",
        lambda: ex.check_attention_backward(split_attention_backward(False)),
        "check this one",
    ),
    (
        "gelu backward: Phi only",
        lambda: ex.check_gelu_backward(lambda dout, x: dout * phi(x)),
        "x·φ(x)",
    ),
    (
        "gelu backward: no dout",
        lambda: ex.check_gelu_backward(
            lambda dout, x: phi(x) + x * np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
        ),
        "upstream gradient",
    ),
    (
        "split heads: direct reshape",
        lambda: ex.check_split_heads(lambda x, H: x.reshape(2, H, 3, 4)),
        "mixes positions",
    ),
    (
        "split heads: no transpose",
        lambda: ex.check_split_heads(lambda x, H: x.reshape(2, 3, H, 4)),
        "transpose",
    ),
    (
        "merge heads: direct reshape",
        lambda: ex.check_merge_heads(lambda x: x.reshape(2, 3, 8)),
        "transpose(0, 2, 1, 3)",
    ),
    (
        "param count: grows with H",
        lambda: ex.check_mha_param_count(head_dependent_count),
        "changes with H",
    ),
    (
        "param count: no biases",
        lambda: ex.check_mha_param_count(lambda E, H, bias: 4 * E * E),
        "biases",
    ),
    ("in_proj: transposed", lambda: ex.check_in_proj_split(transposed_blocks), "transposes"),
    (
        "in_proj: every third row",
        lambda: ex.check_in_proj_split(lambda w: (w[0::3], w[1::3], w[2::3])),
        "consecutive",
    ),
    (
        "in_proj: v, k, q",
        lambda: ex.check_in_proj_split(lambda w: (w[8:], w[4:8], w[:4])),
        "another order",
    ),
    ("sinusoidal: [sin | cos]", lambda: ex.check_sinusoidal(sin_then_cos), "[sin | cos]"),
    ("sinusoidal: sin and cos swapped", lambda: ex.check_sinusoidal(cos_then_sin), "swapped"),
    ("unpermute: perm again", lambda: ex.check_unpermute(lambda y, perm: y[perm]), "argsort"),
    (
        "map shapes: no shrink",
        lambda: ex.check_tlob_map_shapes(lambda B, T, E, L: [(B, 1, T, T), (B, 1, E, E)] * L),
        "last pair shrinks",
    ),
    (
        "map shapes: time and features swapped",
        lambda: ex.check_tlob_map_shapes(lambda B, T, E, L: [(B, 1, E, E), (B, 1, T, T)] * L),
        "time steps",
    ),
    (
        "BiN: biased std",
        lambda: ex.check_bin_temporal(
            lambda x: (
                (x - x.mean(1, keepdims=True))
                / np.where(x.std(1, keepdims=True) < 1e-4, 1, x.std(1, keepdims=True))
            )
        ),
        "ddof=1",
    ),
    (
        "BiN: no guard",
        lambda: ex.check_bin_temporal(
            lambda x: (x - x.mean(1, keepdims=True)) / x.std(1, ddof=1, keepdims=True)
        ),
        "constant",
    ),
    (
        "labels: up and down swapped",
        lambda: ex.check_tlob_labels(labels_swapped),
        "0 = up, 2 = down",
    ),
    (
        "labels: every event",
        lambda: ex.check_tlob_labels(lambda mid, h, k: (np.ones(len(mid), int), 1.0)),
        "full future window",
    ),
    (
        "macro-F1: accuracy",
        lambda: ex.check_macro_f1(lambda cm: np.trace(cm) / cm.sum()),
        "accuracy",
    ),
    (
        "macro-F1: NaN for a class never predicted",
        lambda: ex.check_macro_f1(f1_with_nan),
        "not NaN",
    ),
]


@pytest.mark.parametrize("case", WRONG, ids=[c[0] for c in WRONG])
def test_a_plausible_wrong_answer_fails_with_a_pointed_hint(case):
    _, call, phrase = case
    with np.errstate(all="ignore"):
        feedback = call()
    assert not feedback and feedback.answered, text(feedback)
    assert phrase in text(feedback), text(feedback)


def test_every_checker_rejects_at_least_one_plausible_wrong_answer():
    import inspect

    sources = "".join(inspect.getsource(call) for _, call, _ in WRONG)
    checkers = [name for name in ex.__all__ if name.startswith("check_")]
    assert [c for c in checkers if f"ex.{c}(" not in sources] == []


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


def test_gradient_feedback_gives_the_relative_error_of_each_gradient():
    lines = text(ex.check_attention_backward(split_attention_backward(False))).splitlines()
    assert any(
        line.strip().startswith("- dq: relative error") and "check this one" in line
        for line in lines
    )
    assert any(
        line.strip().startswith("- dk: relative error") and "check this one" not in line
        for line in lines
    )


def test_a_result_of_the_wrong_shape_states_the_expected_shape():
    assert "expected shape is (2, 2, 3, 4)" in text(ex.check_split_heads(lambda x, H: x))
    feedback = text(ex.check_attention_shapes((2, 5, 8), (2, 5, 7)))
    assert "you wrote (2, 5, 8)" in feedback and "weights" not in feedback


def test_a_right_answer_for_a_few_checkers_is_accepted():
    assert ex.check_lookup(np.eye(4)[[2, 0]] * 10, np.eye(4))
    assert ex.check_causal_weights(attention_weights(Y, is_causal=True), Y)
    assert ex.check_attention_shapes((2, 5, 3), [2, 5, 7])


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be one of"):
        ex.set_language("fr")
