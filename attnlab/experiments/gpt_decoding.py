"""Lesson 10's measurements: how repetitive and how diverse each decoding strategy's text is,
and what one new token costs with and without the KV cache.

Repetition and diversity are measured on the characters a model writes after one prompt,
over several samples drawn with one seeded generator:

- ``distinct_4``: distinct 4-grams / all 4-grams over every sample (an n-gram never spans two
  samples): low when the samples repeat each other or themselves;
- ``repeated_8``: in each sample, the share of its 8-grams already written earlier in the
  same sample (loops), averaged over the samples;
- ``new_words``: the share of the (whole) words written that never occur in the training
  text (invented words: the price of sampling too freely).
"""

from __future__ import annotations

import re
import time
from typing import NamedTuple

import numpy as np

from .._threads import blas_threads
from ..decoding import beam_search, distinct_n
from ..i18n import tr

WORD = re.compile(r"[^\W\d_]+")  # letters only: punctuation and spaces split words

# (name, generate() arguments); beam search is a separate row (it is not sampled)
STRATEGIES = (
    ("greedy", dict(greedy=True)),
    ("T=0.5", dict(temperature=0.5)),
    ("T=1", dict(temperature=1.0)),
    ("T=1.5", dict(temperature=1.5)),
    ("top-k=5", dict(top_k=5)),
    ("top-p=0.9", dict(top_p=0.9)),
)


def strategy_label(name: str, lang: str | None = None) -> str:
    """A strategy's name in the lesson's language ("greedy" -> "voraz", "beam=4" -> "haz=4")."""
    if name == "greedy":
        return tr("voraz", "greedy", lang)
    if name.startswith("beam="):
        return tr("haz=", "beam=", lang) + name[len("beam=") :]
    return name


def repeated_ngram_share(row, n: int) -> float:
    """Share of the n-grams of ``row`` (L,) already seen earlier in it (0 for L < n)."""
    seen, repeats, total = set(), 0, 0
    for i in range(len(row) - n + 1):
        gram = tuple(row[i : i + n])
        repeats += gram in seen
        total += 1
        seen.add(gram)
    return repeats / total if total else 0.0


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def new_word_share(texts: list[str], known: set[str]) -> float:
    """Share of the words of ``texts`` that are not in ``known`` (a sample's last word is left
    out when the sample stops in the middle of it)."""
    written = []
    for text in texts:
        found = words(text)
        if found and text[-1:].isalpha():
            found = found[:-1]  # cut off by the end of the sample, not invented
        written += found

    return sum(w not in known for w in written) / max(len(written), 1)


class DecodingRow(NamedTuple):
    name: str
    distinct_4: float
    repeated_8: float
    new_words: float
    sample: str  # the first sample's text


def decoding_report(
    model,
    tokenizer,
    prompt: str,
    known_words: set[str],
    *,
    samples: int = 8,
    new_tokens: int = 100,
    seed: int = 0,
    beams: int = 4,
) -> list[DecodingRow]:
    """One :class:`DecodingRow` per strategy of :data:`STRATEGIES`, plus beam search."""
    ids = tokenizer.encode(prompt)  # (T,)
    batch = np.repeat(ids[None], samples, axis=0)  # (samples, T)
    rows = []
    with blas_threads(1):
        for name, kwargs in STRATEGIES:
            out = model.generate(batch, new_tokens, rng=seed, **kwargs)[:, len(ids) :]  # (S, n)
            rows.append(_row(name, out, tokenizer, known_words))
        beam = beam_search(model, ids[None], beams, new_tokens).tokens[:, len(ids) :]  # (1, n)
    rows.append(_row(f"beam={beams}", np.repeat(beam, samples, axis=0), tokenizer, known_words))
    return rows


def _row(name, out, tokenizer, known_words) -> DecodingRow:
    texts = [tokenizer.decode(r) for r in out]
    return DecodingRow(
        name=name,
        distinct_4=distinct_n(out, 4),
        repeated_8=float(np.mean([repeated_ngram_share(r, 8) for r in out])),
        new_words=new_word_share(texts, known_words),
        sample=texts[0],
    )


class TokenCost(NamedTuple):
    T: np.ndarray  # (n,) tokens already in the context
    ms_without: np.ndarray  # (n,) best time of one next-token forward over the whole window
    ms_with: np.ndarray  # (n,) best time of one new token against a cache of T - 1 tokens


def time_next_token(model, ids, T_values, *, reps: int = 5) -> TokenCost:
    """Milliseconds to get the logits after ``ids[:T]`` (a 1-d id array), for each T: the
    whole window through the model, or one token through it with the first T - 1 cached
    (the prefill of the cache is not timed). Best of ``reps`` runs, BLAS on one thread."""
    ids = np.asarray(ids)
    without, with_cache = [], []

    def prefill(T):
        cache = model.new_kv_cache(1)
        model(ids[None, : T - 1], kv_cache=cache)  # T - 1 tokens cached
        return cache

    with blas_threads(1):
        for T in T_values:
            without.append(_best(lambda _, T=T: model(ids[None, :T]), lambda: None, reps))
            step = lambda cache, T=T: model(ids[None, T - 1 : T], kv_cache=cache)  # noqa: E731
            with_cache.append(_best(step, lambda T=T: prefill(T), reps))
    return TokenCost(np.asarray(T_values), np.asarray(without), np.asarray(with_cache))


def _best(fn, setup, reps: int) -> float:
    """The shortest of ``reps`` runs of ``fn(setup())``, in ms (setup not timed)."""
    best = float("inf")
    for _ in range(reps):
        state = setup()
        start = time.perf_counter()
        fn(state)
        best = min(best, time.perf_counter() - start)
    return best * 1e3
