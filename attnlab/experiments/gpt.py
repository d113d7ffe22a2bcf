"""What the GPT figures and lessons 09-10 draw: the shipped models, their training record, a
real next-token distribution under each decoding setting, and the cost of the KV cache.

Everything here is deterministic: the models and their records ship with attnlab
(:func:`attnlab.models.load_pretrained_gpt`), the KV-cache timings are the numbers measured
once by ``benchmarks/bench_gpt.py`` (copied below, with where they come from), and the
operation and memory counts are formulas. Nothing is timed or trained when a figure is drawn.
"""

from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

import numpy as np

from ..decoding import probabilities
from ..i18n import check_language
from ..interactive_gpt import token_label  # noqa: F401 (the figures' labels)
from ..metrics import moving_average  # noqa: F401 (the loss curves' smoothing)

# The prompts whose next token the decoding figure and lesson 10 look at: after them the
# corpus allows several continuations (the first letter of a job), none of them certain.
PROMPTS = {"es": "Había una vez una ", "en": "Once there was a "}


@functools.lru_cache(maxsize=4)
def shipped_gpt(lang: str, dtype: str = "float64"):
    """``(model, tokenizer, info)`` of the shipped GPT for ``lang`` (cached; do not train it).

    float64 by default: attention maps and distributions then agree to ~1e-16 on any machine,
    so the figures drawn from them are identical everywhere.
    """
    from ..models import load_pretrained_gpt

    return load_pretrained_gpt(check_language(lang), dtype=np.dtype(dtype))


def validation_lines(lang: str) -> list[str]:
    """The stories of the validation split (never trained on), one per line."""
    from ..data import load_corpus, split_text

    return split_text(load_corpus(check_language(lang)))[1].splitlines()


# -- training ---------------------------------------------------------------------------------
class TrainingRecord(NamedTuple):
    """The shipped model's training, as losses (nats per character)."""

    steps: np.ndarray  # (N,) 1 .. N
    train_loss: np.ndarray  # (N,) the loss of each step's batch
    eval_steps: np.ndarray  # (M,) steps at which the validation loss was measured
    val_loss: np.ndarray  # (M,) mean loss over the whole validation split
    bigram_loss: float  # log(perplexity) of the smoothed bigram on the same split
    unigram_loss: float  # log(perplexity) of the smoothed unigram
    uniform_loss: float  # log(V): a model that knows nothing
    gpt_perplexity: float
    bigram_perplexity: float


def training_record(lang: str) -> TrainingRecord:
    """The shipped GPT's training history and its baselines, from its ``.json`` record."""
    _, tok, info = shipped_gpt(lang)
    h, val = info["history"], info["val"]
    train = np.asarray(h["train_loss"], dtype=np.float64)  # (N,)
    return TrainingRecord(
        steps=np.arange(1, train.size + 1),
        train_loss=train,
        eval_steps=np.asarray(h["eval_steps"]),
        val_loss=np.asarray(h["val_loss"], dtype=np.float64),
        bigram_loss=math.log(val["bigram"]),
        unigram_loss=math.log(val["unigram"]),
        uniform_loss=math.log(tok.vocab_size),
        gpt_perplexity=val["perplexity"],
        bigram_perplexity=val["bigram"],
    )


# -- decoding ---------------------------------------------------------------------------------
def next_token_logits(model, tokenizer, prompt: str) -> np.ndarray:
    """The model's logits for the character after ``prompt`` (its last block_size characters)."""
    ids = tokenizer.encode(prompt)[-model.config.block_size :]  # (T,)
    logits, _ = model(ids[None])  # (1, T, V)
    return logits[0, -1].astype(np.float64)  # (V,)


# (label, probabilities() arguments); greedy is the limit temperature -> 0 (top_k = 1)
DECODING_SETTINGS = (
    ("model", dict()),
    ("temperature", dict(temperature=0.5)),
    ("temperature", dict(temperature=2.0)),
    ("top_k", dict(top_k=3)),
    ("top_p", dict(top_p=0.8)),
    ("greedy", dict(top_k=1)),
)


class DecodingPanel(NamedTuple):
    kind: str  # "model", "temperature", "top_k", "top_p" or "greedy"
    settings: dict  # the arguments of probabilities()
    probs: np.ndarray  # (V,) the distribution sampling draws from


def decoding_panels(logits, settings=DECODING_SETTINGS) -> list[DecodingPanel]:
    """The same logits (V,) under each decoding setting: what sampling would draw from."""
    return [DecodingPanel(kind, dict(kw), probabilities(logits, **kw)) for kind, kw in settings]


# -- the KV cache -----------------------------------------------------------------------------
# Measured by benchmarks/bench_gpt.py (benchmarks/gpt.md, "KV cache"): greedy decoding, batch
# 1, float32, best of 9, on a shared 2-core machine with load average 2.2. A figure plots
# these numbers; it never times anything itself (timings differ between machines and runs).
KV_BENCH = dict(
    source="benchmarks/gpt.md",
    load="2.2",  # the load average when measured, as the report says
    config=dict(n_layer=4, n_head=4, n_embd=128, vocab_size=64, block_size=256),
    dtype="float32",
    T=(16, 64, 128, 192, 255),  # tokens already there
    ms_without=(2.20, 4.59, 8.05, 12.35, 16.53),  # ms per new token
    ms_with=(0.96, 1.10, 1.01, 1.02, 1.05),
)


def step_multiply_adds(config, T, *, cached: bool) -> np.ndarray:
    """Multiply-adds to produce the logits of the token after ``T`` tokens (array of T).

    Without the cache the whole window of T tokens goes through every layer (projections
    12 E^2 per token: 3 E^2 for q, k, v, E^2 for c_proj, 8 E^2 for the MLP; attention 2 T^2 E
    for the full T x T scores and weights @ v) and the head makes V logits per position.
    With the cache only the newest token does (12 E^2, one query row: 2 T E) and one row of
    logits is made.
    """
    T = np.asarray(T, dtype=np.float64)  # (n,)
    E, L, V = config["n_embd"], config["n_layer"], config["vocab_size"]
    if cached:
        return L * (12 * E * E + 2 * T * E) + E * V  # (n,)
    return L * (12 * E * E * T + 2 * T * T * E) + T * E * V  # (n,)


def cache_bytes(config, T, itemsize: int) -> np.ndarray:
    """Bytes of the KV cache of one sequence after T tokens: 2 n_layer n_embd numbers each."""
    return 2 * config["n_layer"] * config["n_embd"] * np.asarray(T) * itemsize  # (n,)


# -- heads ------------------------------------------------------------------------------------
DIALOGUE = {
    "es": re.compile(r"[A-ZÁÉÍÓÚ][a-záéíóúñ]+ dijo: «[¿¡][^»]*»"),
    "en": re.compile(r'[A-Z][a-z]+ said, "[^"]*"'),
}


def dialogue_sentence(lang: str) -> str:
    """The first line of dialogue of the validation split: a name, said, and a quote."""
    for line in validation_lines(lang):
        match = DIALOGUE[lang].search(line)
        if match:
            return match.group()
    raise LookupError(f"no dialogue in the {lang} validation split")


@functools.lru_cache(maxsize=2)
def shipped_head_survey(lang: str):
    """:func:`attnlab.experiments.gpt_heads.head_scores` of the shipped GPT on its whole
    validation split (cached)."""
    from .gpt_heads import head_scores

    model, tok, _ = shipped_gpt(lang)
    return head_scores(model, tok, validation_lines(lang), lang)
