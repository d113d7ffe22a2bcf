"""Exercise checkers: the solutions pass; the lessons' placeholders say "not answered yet" and
give nothing away; plausible wrong answers fail, most with a hint aimed at the mistake."""

from __future__ import annotations

import runpy
from functools import cache, partial

import numpy as np
import pytest
from scipy.special import erf

import attnlab
from attnlab import exercises as ex
from attnlab.data import tlob_labels
from attnlab.functional import alibi_slopes, rope_forward
from attnlab.functional.rope import interleaved_order
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
        assert ("¡correcto!" if lang == "es" else "correct!") in str(result)
    assert ex.get_language() == lang


def test_every_public_checker_is_exercised_by_a_solution():
    used = "".join(p.read_text(encoding="utf-8") for p in SOLUTIONS)
    checkers = [name for name in ex.__all__ if name.startswith("check_")]
    assert [c for c in checkers if f"ex.{c}(" not in used] == []


# -- placeholders: "not answered yet", and nothing about the answer ---------------------------
def stub(*args):
    return None


def not_implemented(*args):
    raise NotImplementedError


# checkers that take the student's function -> text that would give the answer away
FUNCTION_CHECKERS = {
    **{
        name: "expected"
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
    "embedding_backward": "np.add.at",  # lesson 09
    "shifted_batch": "s + 1",
    "masked_loss": "-log",
    "top_k": "-inf",  # lesson 10
    "nucleus": "crosses",
    "kv_step": "S + 1",
    "shift_rotation": "ω·k",  # lesson 11
    "rope": "θ_i",
    "alibi_slopes": "2^",
}
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
        name: (partial(getattr(ex, f"check_{name}"), stub), answer)
        for name, answer in FUNCTION_CHECKERS.items()
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
    assert len(feedback.messages) == 1  # what to do, nothing more
    assert "you have not answered yet" in text(feedback) and answer not in text(feedback)
    ex.set_language("es")
    assert "aún no has respondido" in text(call())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("placeholder", [stub, not_implemented], ids=["none", "raises"])
@pytest.mark.parametrize("name", sorted(FUNCTION_CHECKERS))
def test_an_unwritten_function_is_not_answered_and_says_what_is_missing(name, placeholder, lang):
    ex.set_language(lang)
    feedback = getattr(ex, f"check_{name}")(placeholder)
    assert not feedback and not feedback.answered
    missing = {
        (stub, "es"): "¿falta el return?",
        (stub, "en"): "is the return missing?",
        (not_implemented, "es"): "NotImplementedError",
        (not_implemented, "en"): "NotImplementedError",
    }
    assert missing[placeholder, lang] in text(feedback)
    assert not any(ch.isdigit() for ch in feedback.messages[0])  # no shape, no value


def test_a_crashing_answer_is_reported_not_raised():
    feedback = ex.check_softmax(lambda x: x.nonexistent)
    assert not feedback and feedback.answered and "AttributeError" in text(feedback)

    def broken(*args):
        raise IndexError("index 9 is out of bounds")

    feedback = ex.check_top_k(broken)
    assert not feedback and feedback.answered
    assert "IndexError" in text(feedback) and "index 9" in text(feedback)
    feedback = ex.check_top_k(42)  # not a function at all
    assert not feedback and feedback.answered and "I expected a function" in text(feedback)


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


# lessons 09-11: the shipped solutions stand in for the right answer inside some mistakes
@cache
def solution(name: str):
    for path in SOLUTIONS:
        found = runpy.run_path(str(lessons_dir() / "solutions" / "en" / path.name))
        if name in found:
            return found[name]
    raise KeyError(name)


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
    return solution("my_embedding_backward")(dout, ids, V).T


def batch(tokens, starts, T):
    return solution("my_batch")(tokens, starts, T)


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


def kth_largest(logits, k):
    return np.sort(logits)[::-1][min(k, logits.size) - 1]


def top_k_breaking_ties(logits, k):
    out = np.full_like(logits, -np.inf)
    keep = np.argsort(logits)[-k:]  # exactly k: one of the tied tokens is dropped
    out[keep] = logits[keep]
    return out


def top_k_smallest(logits, k):
    kth = np.sort(logits)[k - 1]
    return np.where(logits <= kth, logits, -np.inf)


def top_k_in_place(logits, k):
    logits[logits < kth_largest(logits, k)] = -np.inf
    return logits


def nucleus_without_crossing(probs, p):
    order = np.argsort(-probs, kind="stable")
    keep = np.zeros(probs.shape, dtype=bool)
    keep[order] = np.cumsum(probs[order]) <= p  # drops the token that crosses p
    return keep


def nucleus(probs, p):
    return solution("my_nucleus")(probs, p)


def kv_step(q, k, v, K, V):
    return solution("my_kv_step")(q, k, v, K, V)


def attend(q, K, V, scale):
    s = np.einsum("hd,hsd->hs", q, K) * scale  # (H, S)
    return np.einsum("hs,hsd->hd", attnlab.softmax(s), V)  # (H, D)


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


def right_rotation(omega, k):
    c, s = np.cos(omega * k), np.sin(omega * k)
    return np.array([[c, s], [-s, c]])


def interleaved_rope(x, positions):
    perm = interleaved_order(x.shape[1])
    out = np.empty_like(x)
    out[:, perm] = rope_forward(x[:, perm], positions)[0]
    return out


def backwards_rope(x, positions):
    h = x.shape[1] // 2
    swap = np.r_[h : 2 * h, 0:h]
    return rope_forward(x[:, swap], positions)[0][:, swap]


def slopes_odd_indices(H):
    n = 2 ** int(np.floor(np.log2(H)))
    return np.concatenate([alibi_slopes(n), alibi_slopes(2 * n)[1::2][: H - n]])


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
    # lesson 09
    ("embedding: assigned", lambda: ex.check_embedding_backward(embedding_assign), "np.add.at"),
    (
        "embedding: fancy +=",
        lambda: ex.check_embedding_backward(embedding_fancy_add),
        "overwrite each other",
    ),
    ("embedding: averaged", lambda: ex.check_embedding_backward(embedding_mean), "averaged"),
    ("embedding: transposed", lambda: ex.check_embedding_backward(embedding_transposed), "(V, E)"),
    (
        "batch: not shifted",
        lambda: ex.check_shifted_batch(lambda t, s, T: (batch(t, s, T)[0], batch(t, s, T)[0])),
        "not shifted",
    ),
    (
        "batch: x and y swapped",
        lambda: ex.check_shifted_batch(lambda t, s, T: batch(t, s, T)[::-1]),
        "swapped",
    ),
    (
        "batch: y one token back",
        lambda: ex.check_shifted_batch(
            lambda t, s, T: (batch(t, s, T)[0], t[s[:, None] + np.arange(T) - 1])
        ),
        "one token back",
    ),
    (
        "batch: y too short",
        lambda: ex.check_shifted_batch(
            lambda t, s, T: (batch(t, s, T)[0], batch(t, s, T)[1][:, :-1])
        ),
        "both must be (B, T)",
    ),
    (
        "batch: wrong windows",
        lambda: ex.check_shifted_batch(lambda t, s, T: (batch(t, s, T)[0] + 1, batch(t, s, T)[1])),
        "windows tokens[s : s + T]",
    ),
    (
        "batch: x only",
        lambda: ex.check_shifted_batch(lambda t, s, T: batch(t, s, T)[0]),
        "pair (x, y)",
    ),
    ("loss: -1 used", lambda: ex.check_masked_loss(loss_with_ignored), "*last* class"),
    (
        "loss: divided by every position",
        lambda: ex.check_masked_loss(loss_over_all),
        "divide by every position",
    ),
    ("loss: sum", lambda: ex.check_masked_loss(loss_sum), "that is the sum"),
    ("loss: zero", lambda: ex.check_masked_loss(lambda logits, t: 0.0), "your loss is 0.000000"),
    ("loss: array", lambda: ex.check_masked_loss(lambda logits, t: np.ones(3)), "single number"),
    # lesson 10
    ("top-k: ties broken", lambda: ex.check_top_k(top_k_breaking_ties), "tie at the k-th value"),
    ("top-k: k smallest", lambda: ex.check_top_k(top_k_smallest), "k smallest"),
    (
        "top-k: probabilities",
        lambda: ex.check_top_k(
            lambda z, k: attnlab.softmax(np.where(z >= kth_largest(z, k), z, -np.inf))
        ),
        "you returned probabilities",
    ),
    ("top-k: in place", lambda: ex.check_top_k(top_k_in_place), "changed the logits it was given"),
    (
        "top-k: one more",
        lambda: ex.check_top_k(lambda z, k: np.where(z >= kth_largest(z, k + 1), z, -np.inf)),
        "you keep tokens",
    ),
    (
        "top-k: zeros",
        lambda: ex.check_top_k(lambda z, k: np.where(z >= kth_largest(z, k), z, 0.0)),
        "must be -inf",
    ),
    ("top-k: sliced", lambda: ex.check_top_k(lambda z, k: z[:k]), "shape (8,)"),
    (
        "nucleus: crossing token dropped",
        lambda: ex.check_nucleus(nucleus_without_crossing),
        "the token that crosses p is missing",
    ),
    (
        "nucleus: unsorted",
        lambda: ex.check_nucleus(lambda probs, p: np.cumsum(probs) - probs < p),
        "order of the ids",
    ),
    (
        "nucleus: empty",
        lambda: ex.check_nucleus(lambda probs, p: np.zeros(probs.shape, dtype=bool)),
        "no token is left",
    ),
    (
        "nucleus: ints",
        lambda: ex.check_nucleus(lambda probs, p: nucleus(probs, p).astype(int)),
        "boolean array",
    ),
    (
        "nucleus: complement",
        lambda: ex.check_nucleus(lambda probs, p: ~nucleus(probs, p) | (probs == probs.max())),
        "you keep",
    ),
    ("kv: old cache only", lambda: ex.check_kv_step(kv_old_cache_only), "old cache only"),
    ("kv: no scale", lambda: ex.check_kv_step(kv_no_scale), "1/sqrt(D)"),
    ("kv: prepended", lambda: ex.check_kv_step(kv_prepend), "goes at the end"),
    (
        "kv: cache not grown",
        lambda: ex.check_kv_step(lambda q, k, v, K, V: (kv_step(q, k, v, K, V)[0], K, V)),
        "appended at the end",
    ),
    (
        "kv: output only",
        lambda: ex.check_kv_step(lambda q, k, v, K, V: kv_step(q, k, v, K, V)[0]),
        "return (out, K, V)",
    ),
    # lesson 11
    (
        "rotation: transposed",
        lambda: ex.check_shift_rotation(lambda w, k: right_rotation(w, k).T),
        "other way",
    ),
    (
        "rotation: one step",
        lambda: ex.check_shift_rotation(lambda w, k: right_rotation(w, 1)),
        "ω·k, not ω",
    ),
    ("rope: interleaved", lambda: ex.check_rope(interleaved_rope), "interleaved convention"),
    ("rope: backwards", lambda: ex.check_rope(backwards_rope), "other way"),
    (
        "rope: wrong base",
        lambda: ex.check_rope(lambda x, p: rope_forward(x, p, base=100.0)[0]),
        "θ_i = base^(−2i/D)",
    ),
    ("rope: identity", lambda: ex.check_rope(lambda x, p: x.copy()), "did you use the positions"),
    ("rope: wrong shape", lambda: ex.check_rope(lambda x, p: x[:, :3]), "shape"),
    (
        "slopes: geometric for any H",
        lambda: ex.check_alibi_slopes(lambda H: 2.0 ** (-8.0 * np.arange(1, H + 1) / H)),
        "not a power of two",
    ),
    (
        "slopes: sorted",
        lambda: ex.check_alibi_slopes(lambda H: np.sort(alibi_slopes(H))),
        "another order",
    ),
    ("slopes: odd indices", lambda: ex.check_alibi_slopes(slopes_odd_indices), "even indices"),
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


SPANISH_HINTS = [
    (lambda: ex.check_embedding_backward(embedding_assign), "los ids repetidos se pisan"),
    (lambda: ex.check_nucleus(nucleus_without_crossing), "te falta el token que cruza p"),
    (lambda: ex.check_shift_rotation(lambda w, k: right_rotation(w, k).T), "otro lado"),
]


@pytest.mark.parametrize("call, phrase", SPANISH_HINTS, ids=["embedding", "nucleus", "rotation"])
def test_hints_speak_spanish_in_a_spanish_lesson(call, phrase):
    ex.set_language("es")
    feedback = call()
    assert not feedback and phrase in text(feedback), text(feedback)


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
