"""Checkers of lessons 09 and 10: the solutions pass, the placeholders say "not answered yet"
and give nothing away, and plausible wrong answers fail with a hint aimed at the mistake."""

from __future__ import annotations

import runpy

import numpy as np
import pytest

import attnlab
from attnlab import exercises as ex
from attnlab.i18n import LANGUAGES
from tools.lessons_build import lessons_dir

SOLUTIONS = {"09_gpt": 3, "10_decoding": 3}
CHECKERS = (
    ex.check_embedding_backward,
    ex.check_shifted_batch,
    ex.check_masked_loss,
    ex.check_top_k,
    ex.check_nucleus,
    ex.check_kv_step,
)


@pytest.fixture(autouse=True)
def english_by_default():
    ex.set_language("en")
    yield
    ex.set_language("en")


def solutions(lang: str = "en") -> dict:
    found = {}
    for stem in SOLUTIONS:
        found.update(runpy.run_path(str(lessons_dir() / "solutions" / lang / f"{stem}.py")))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("stem", sorted(SOLUTIONS))
def test_the_solutions_pass_in_both_languages(stem, lang):
    module = runpy.run_path(str(lessons_dir() / "solutions" / lang / f"{stem}.py"))
    results = module["check"]()
    assert len(results) == SOLUTIONS[stem]
    assert all(r.ok and r.messages for r in results), "\n".join(map(str, results))
    assert ("¡correcto!" if lang == "es" else "correct!") in str(results[0])


# -- placeholders ----------------------------------------------------------------------------
def placeholder(*args):
    return None


def not_implemented(*args):
    raise NotImplementedError


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("stub", [placeholder, not_implemented], ids=["none", "raises"])
def test_a_placeholder_is_not_answered_yet_and_reveals_nothing(checker, stub, lang):
    ex.set_language(lang)
    result = checker(stub)
    text = str(result)
    assert not result.ok and result.answered is False
    assert ("aún no has respondido" if lang == "es" else "you have not answered yet") in text
    # nothing about the answer: no shapes, no numbers, no hint of the mistakes
    assert len(result.messages) == 1
    assert not any(ch.isdigit() for ch in result.messages[0]), text


def test_a_function_that_fails_is_answered_and_the_error_is_reported():
    def broken(*args):
        raise IndexError("index 9 is out of bounds")

    result = ex.check_top_k(broken)
    assert not result.ok and getattr(result, "answered", True)
    assert "IndexError" in str(result) and "index 9" in str(result)
    assert "not yet" in str(ex.check_top_k(42))


# -- lesson 09 --------------------------------------------------------------------------------
def embedding_assign(dout, ids, V):
    dw = np.zeros((V, dout.shape[-1]))
    dw[ids] = dout  # the last write wins: repeated ids lose gradients
    return dw


def embedding_fancy_add(dout, ids, V):
    dw = np.zeros((V, dout.shape[-1]))
    dw[ids] += dout  # buffered: the same as assignment
    return dw


def embedding_mean(dout, ids, V):
    dw = np.zeros((V, dout.shape[-1]))
    np.add.at(dw, ids, dout)
    return dw / np.maximum(np.bincount(ids.ravel(), minlength=V), 1)[:, None]


def embedding_transposed(dout, ids, V):
    return solutions()["my_embedding_backward"](dout, ids, V).T


@pytest.mark.parametrize(
    "answer, hint",
    [
        (embedding_assign, "np.add.at"),
        (embedding_fancy_add, "overwrite each other"),
        (embedding_mean, "averaged"),
        (embedding_transposed, "(V, E)"),
    ],
)
def test_embedding_backward_rejects_answers_that_do_not_add_repeated_ids(answer, hint):
    result = ex.check_embedding_backward(answer)
    assert not result.ok and hint in str(result), str(result)


def test_embedding_backward_hint_speaks_spanish():
    ex.set_language("es")
    assert "los ids repetidos se pisan" in str(ex.check_embedding_backward(embedding_assign))


def batch(tokens, starts, T):
    return solutions()["my_batch"](tokens, starts, T)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda t, s, T: (batch(t, s, T)[0], batch(t, s, T)[0]), "not shifted"),
        (lambda t, s, T: batch(t, s, T)[::-1], "swapped"),
        (lambda t, s, T: (batch(t, s, T)[0], t[s[:, None] + np.arange(T) - 1]), "one token back"),
        (lambda t, s, T: (batch(t, s, T)[0], batch(t, s, T)[1][:, :-1]), "both must be (B, T)"),
        (lambda t, s, T: (batch(t, s, T)[0] + 1, batch(t, s, T)[1]), "windows tokens[s : s + T]"),
        (lambda t, s, T: batch(t, s, T)[0], "pair (x, y)"),
    ],
)
def test_shifted_batch_rejects_targets_that_are_not_the_next_token(answer, hint):
    result = ex.check_shifted_batch(answer)
    assert not result.ok and hint in str(result), str(result)


def log_softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def loss_with_ignored(logits, targets):  # -1 picks the last class: no error, a wrong loss
    return -log_softmax(logits)[np.arange(len(targets)), targets].mean()


def loss_over_all(logits, targets):
    keep = targets != -1
    nll = -log_softmax(logits[keep])[np.arange(keep.sum()), targets[keep]]
    return nll.sum() / len(targets)


def loss_sum(logits, targets):
    keep = targets != -1
    return -log_softmax(logits[keep])[np.arange(keep.sum()), targets[keep]].sum()


@pytest.mark.parametrize(
    "answer, hint",
    [
        (loss_with_ignored, "*last* class"),
        (loss_over_all, "divide by every position"),
        (loss_sum, "that is the sum"),
        (lambda logits, targets: 0.0, "your loss is 0.000000"),
        (lambda logits, targets: np.ones(3), "single number"),
    ],
)
def test_masked_loss_rejects_losses_that_count_the_ignored_positions(answer, hint):
    result = ex.check_masked_loss(answer)
    assert not result.ok and hint in str(result), str(result)


# -- lesson 10 --------------------------------------------------------------------------------
def top_k_breaking_ties(logits, k):
    out = np.full_like(logits, -np.inf)
    keep = np.argsort(logits)[-k:]  # exactly k: one of the tied tokens is dropped
    out[keep] = logits[keep]
    return out


def top_k_smallest(logits, k):
    kth = np.sort(logits)[k - 1]
    return np.where(logits <= kth, logits, -np.inf)


def top_k_probabilities(logits, k):
    kth = np.sort(logits)[::-1][min(k, logits.size) - 1]
    return attnlab.softmax(np.where(logits >= kth, logits, -np.inf))


def top_k_in_place(logits, k):
    kth = np.sort(logits)[::-1][min(k, logits.size) - 1]
    logits[logits < kth] = -np.inf
    return logits


def top_k_one_more(logits, k):
    kth = np.sort(logits)[::-1][min(k + 1, logits.size) - 1]
    return np.where(logits >= kth, logits, -np.inf)


def top_k_zeroing(logits, k):
    kth = np.sort(logits)[::-1][min(k, logits.size) - 1]
    return np.where(logits >= kth, logits, 0.0)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (top_k_breaking_ties, "tie at the k-th value"),
        (top_k_smallest, "k smallest"),
        (top_k_probabilities, "you returned probabilities"),
        (top_k_in_place, "changed the logits it was given"),
        (top_k_one_more, "you keep tokens"),
        (top_k_zeroing, "must be -inf"),
        (lambda logits, k: logits[:k], "shape (8,)"),
    ],
)
def test_top_k_rejects_filters_that_break_ties_or_touch_their_argument(answer, hint):
    result = ex.check_top_k(answer)
    assert not result.ok and hint in str(result), str(result)


def nucleus(probs, p):
    return solutions()["my_nucleus"](probs, p)


def nucleus_without_crossing(probs, p):
    order = np.argsort(-probs, kind="stable")
    keep = np.zeros(probs.shape, dtype=bool)
    keep[order] = np.cumsum(probs[order]) <= p  # drops the token that crosses p
    return keep


def nucleus_unsorted(probs, p):
    return np.cumsum(probs) - probs < p


@pytest.mark.parametrize(
    "answer, hint",
    [
        (nucleus_without_crossing, "the token that crosses p is missing"),
        (nucleus_unsorted, "order of the ids"),
        (lambda probs, p: np.zeros(probs.shape, dtype=bool), "no token is left"),
        (lambda probs, p: nucleus(probs, p).astype(int), "boolean array"),
        (lambda probs, p: ~nucleus(probs, p) | (probs == probs.max()), "you keep"),
    ],
)
def test_nucleus_rejects_sets_without_the_crossing_token_or_unsorted(answer, hint):
    result = ex.check_nucleus(answer)
    assert not result.ok and hint in str(result), str(result)


def test_nucleus_hint_in_spanish():
    ex.set_language("es")
    text = str(ex.check_nucleus(nucleus_without_crossing))
    assert "te falta el token que cruza p" in text


def kv_step(q, k, v, K, V):
    return solutions()["my_kv_step"](q, k, v, K, V)


def attend(q, K, V, scale):
    s = np.einsum("hd,hsd->hs", q, K) * scale
    return np.einsum("hs,hsd->hd", attnlab.softmax(s), V)


def kv_old_cache_only(q, k, v, K, V):
    out, K2, V2 = kv_step(q, k, v, K, V)
    if K.shape[1]:
        out = attend(q, K, V, 1 / np.sqrt(q.shape[-1]))  # the new token does not see itself
    return out, K2, V2


def kv_no_scale(q, k, v, K, V):
    _, K2, V2 = kv_step(q, k, v, K, V)
    return attend(q, K2, V2, 1.0), K2, V2


def kv_prepend(q, k, v, K, V):
    out, K2, V2 = kv_step(q, k, v, K, V)
    return out, np.roll(K2, 1, axis=1), np.roll(V2, 1, axis=1)


@pytest.mark.parametrize(
    "answer, hint",
    [
        (kv_old_cache_only, "old cache only"),
        (kv_no_scale, "1/sqrt(D)"),
        (kv_prepend, "goes at the end"),
        (lambda q, k, v, K, V: (kv_step(q, k, v, K, V)[0], K, V), "appended at the end"),
        (lambda q, k, v, K, V: kv_step(q, k, v, K, V)[0], "return (out, K, V)"),
    ],
)
def test_kv_step_rejects_a_query_that_misses_itself_or_a_cache_in_the_wrong_order(answer, hint):
    result = ex.check_kv_step(answer)
    assert not result.ok and hint in str(result), str(result)
