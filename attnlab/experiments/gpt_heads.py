"""What the heads of a trained character-level GPT look at, measured on real sentences.

A "case" is one query position and the keys it *should* find if a head tracks some structure
of the corpus:

- ``marks``: inside « », ( ), ¿ ?, ¡ ! or " ", the opening mark (it says which closing mark
  is due);
- ``subject``: while writing the ending that agrees with a subject (``María estaba cansad|a``,
  ``The cows near the letter hid|e``), the subject several characters back;
- ``names``: inside a name said again (``Marta ... Mar|ta``), its first mention.

A head's score is the mean attention its queries put on those keys (``observed``), compared
with what the same head puts, on average, at the same distances anywhere in the text
(``expected``). Most heads of a character model look mostly at the last few characters, so
the plain attention on a nearby key says little; a ratio well above 1 means the head seeks
those keys out. The ratio only says what a head looks at, not that the model uses it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from .._threads import blas_threads

OPENERS = {"«": "»", "(": ")", "¿": "?", "¡": "!", '"': '"'}
NAME = re.compile(r"\b[A-ZÁÉÍÓÚ][a-záéíóúñ]{3,}\b")
SUBJECT = {
    # the name (or two names) before "estaba(n) [muy] <adjective>"; the query is the last
    # character of the adjective's stem, where the ending (o, a, os, as) must agree
    "es": re.compile(
        r"\b([A-ZÁÉÍÓÚ][a-záéíóúñ]+(?: y [A-ZÁÉÍÓÚ][a-záéíóúñ]+)?) estaban? (?:muy )?"
        r"([a-z]+?)(?:os|as|o|a)\b"
    ),
    # "The <noun> near the <noun> <verb>(s) all day": the verb agrees with the first noun
    "en": re.compile(r"\bThe ([a-z]+) near the [a-z]+ ([a-z]+?)s? all day"),
}
KINDS = ("marks", "subject", "names")


class Marks(NamedTuple):
    """The pairs of marks of a text, read left to right with a stack of the open ones."""

    opening: list  # positions of the marks that open a pair (« ( ¿ ¡ and the first " of two)
    closing: list  # positions of the marks that close one
    inside: list  # (query, first key, last key + 1): see mark_cases


def scan_marks(text: str) -> Marks:
    """Every opening and closing mark of ``text``, and the positions inside pairs."""
    opening, closing, inside, stack = [], [], [], []
    for t, ch in enumerate(text):
        if stack and ch == OPENERS[text[stack[-1]]]:
            stack.pop()
            closing.append(t)
        elif ch in OPENERS:
            stack.append(t)
            opening.append(t)
        elif stack and t >= stack[-1] + 2:
            inside.append((t, stack[0], stack[-1] + 1))
    return Marks(opening, closing, inside)


def mark_cases(text: str) -> list[tuple[int, int, int]]:
    """``(query, first key, last key + 1)``: each position at least two characters inside a
    pair of marks, with the marks still open as its keys (from the outermost to the innermost;
    in the corpus nested marks always touch: «¿ and «¡)."""
    return scan_marks(text).inside


def opening_marks(text: str) -> list[int]:
    """Positions of the marks that open a pair (« ( ¿ ¡ and the first " of two)."""
    return scan_marks(text).opening


def subject_cases(text: str, lang: str) -> list[tuple[int, int, int]]:
    """``(query, subject start, subject end)``: the position before an agreeing ending."""
    return [(m.end(2) - 1, m.start(1), m.end(1)) for m in SUBJECT[lang].finditer(text)]


def name_cases(text: str) -> list[tuple[int, int, int]]:
    """``(query, first mention start, end)``: positions inside a name already said before."""
    first: dict[str, int] = {}
    cases = []
    for m in NAME.finditer(text):
        word = m.group()
        if word in first:
            start = first[word]
            cases += [(t, start, start + len(word)) for t in range(m.start() + 1, m.end() - 1)]
        else:
            first[word] = m.start()
    return cases


def find_cases(kind: str, text: str, lang: str) -> list[tuple[int, int, int]]:
    if kind == "marks":
        return mark_cases(text)
    if kind == "subject":
        return subject_cases(text, lang)
    if kind == "names":
        return name_cases(text)
    raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")


SENTENCE_END = re.compile(r"(?<=[.»\"]) (?=[A-ZÁÉÍÓÚ¿¡«])")


def windows(lines: list[str], size: int) -> list[str]:
    """The lines as pieces of at most ``size`` characters (the model's context), cut between
    sentences so that no pair of marks is split; a longer sentence is cut at ``size``."""
    pieces = []
    for line in lines:
        current = ""
        for sentence in SENTENCE_END.split(line):
            joined = f"{current} {sentence}" if current else sentence
            if len(joined) <= size:
                current = joined
                continue
            if current:
                pieces.append(current)
            while len(sentence) > size:
                pieces.append(sentence[:size])
                sentence = sentence[size:]
            current = sentence
        if current:
            pieces.append(current)
    return pieces


def attention_stack(model, tokenizer, text: str) -> np.ndarray:
    """Every head's attention on ``text``: (L, H, T, T) (one forward, batch 1)."""
    model(tokenizer.encode(text)[None])
    return np.stack([w[0] for w in model.attention_maps])  # (L, H, T, T)


class HeadScores(NamedTuple):
    observed: np.ndarray  # (L, H) mean attention on the cases' keys
    expected: np.ndarray  # (L, H) mean attention the head puts at the same distances
    count: int  # cases measured

    @property
    def ratio(self) -> np.ndarray:
        """observed / expected: how much more than its habit a head looks at those keys."""
        return self.observed / np.maximum(self.expected, 1e-12)  # (L, H)

    def best(self) -> tuple[int, int]:
        """``(layer, head)`` with the largest ratio."""
        layer, head = np.unravel_index(np.argmax(self.ratio), self.ratio.shape)
        return int(layer), int(head)


class HeadSurvey(NamedTuple):
    scores: dict  # kind -> HeadScores
    habit: np.ndarray  # (L, H, block_size) mean weight of each head at each distance

    def local_head(self, distance: int = 1) -> tuple[int, int]:
        """``(layer, head)`` that puts the most weight ``distance`` characters back."""
        layer, head = np.unravel_index(np.argmax(self.habit[:, :, distance]), self.habit.shape[:2])
        return int(layer), int(head)


def head_scores(model, tokenizer, lines: list[str], lang: str) -> HeadSurvey:
    """:class:`HeadScores` of every kind of case (and every head's habit by distance), on
    ``lines`` cut into context windows."""
    with blas_threads(1):  # many small products: one BLAS thread is several times faster
        return _head_scores(model, tokenizer, lines, lang)


def _head_scores(model, tokenizer, lines, lang):
    L, H = model.config.n_layer, model.config.n_head
    size = model.config.block_size
    by_distance = np.zeros((L, H, size))  # (L, H, T) summed weight at each distance
    pairs = np.zeros(size)  # (T,) how many (query, key) pairs at each distance
    found = {kind: [] for kind in KINDS}
    for text in windows(lines, size):
        A = attention_stack(model, tokenizer, text)  # (L, H, T, T)
        T = len(text)
        for d in range(T):  # the d-th diagonal below the main one: query t, key t - d
            by_distance[:, :, d] += np.diagonal(A, offset=-d, axis1=2, axis2=3).sum(-1)
        pairs[:T] += np.arange(T, 0, -1)  # T - d pairs at distance d
        for kind in KINDS:
            for t, k0, k1 in find_cases(kind, text, lang):
                found[kind].append((A[:, :, t, k0:k1].sum(-1), t - k1 + 1, t - k0 + 1))
    habit = by_distance / np.maximum(pairs, 1)  # (L, H, T) mean weight at each distance
    scores = {}
    for kind, cases in found.items():
        if not cases:
            scores[kind] = HeadScores(np.zeros((L, H)), np.zeros((L, H)), 0)
            continue
        observed = np.mean([c[0] for c in cases], axis=0)  # (L, H)
        expected = np.mean([habit[:, :, d0:d1].sum(-1) for _, d0, d1 in cases], axis=0)
        scores[kind] = HeadScores(observed, expected, len(cases))
    return HeadSurvey(scores, habit)


class Ablation(NamedTuple):
    """Mean loss (nats) on the characters that close a pair of marks and on all the others."""

    closing: float
    other: float
    count: int  # closing marks scored


def closing_mark_loss(model, tokenizer, lines: list[str], head_mask=None) -> Ablation:
    """The loss of predicting each closing mark (» ) ? ! and the closing ") vs every other
    character, with ``head_mask`` (n_layer, n_head) applied (0 silences a head)."""
    closing, other = [], []
    with blas_threads(1):
        for text in windows(lines, model.config.block_size + 1):
            if len(text) < 2:
                continue
            ids = tokenizer.encode(text)  # (T + 1,)
            logits, _ = model(ids[None, :-1], head_mask=head_mask)  # (1, T, V)
            z = logits[0] - logits[0].max(-1, keepdims=True)  # (T, V)
            logp = z - np.log(np.exp(z).sum(-1, keepdims=True))  # (T, V)
            nll = -logp[np.arange(len(ids) - 1), ids[1:]]  # (T,)
            closes = np.zeros(len(text), dtype=bool)  # (T + 1,) True at each closing mark
            closes[scan_marks(text).closing] = True
            closing += nll[closes[1:]].tolist()
            other += nll[~closes[1:]].tolist()
    return Ablation(float(np.mean(closing)), float(np.mean(other)), len(closing))
