"""What the shipped tiny GPT attends to: its attention maps on a sentence of its own corpus.

The gallery's attention figures draw these maps: attention a trained model really computes, not
a layer with random weights. Two numbers per head, measured on held-out text (the last 10% of
the corpus, which the model did not train on), say what each map shows in general and not only
on the sentence drawn:

    space share   mean weight a query puts on space characters (word boundaries)
    distance      mean of (t - s) under the weights of query t: how far back the head reads
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import numpy as np

WINDOWS, WINDOW = 32, 128  # held-out windows the head statistics are averaged over
SEED = 0


class SentenceAttention(NamedTuple):
    lang: str
    sentence: str  # the corpus clause drawn
    tokens: list[str]  # its characters (the GPT reads characters)
    maps: list[np.ndarray]  # one (H, T, T) array per layer
    space_share: np.ndarray  # (n_layer, H) on held-out text
    distance: np.ndarray  # (n_layer, H) characters, on held-out text
    config: dict  # the model's GPTConfig as a dict


def corpus_sentence(text: str, min_len: int = 14, max_len: int = 18) -> str:
    """The first clause of ``text`` (ending in "." or ",") of ``min_len`` to ``max_len``
    characters: short enough to label every character of the maps."""
    for sentence in re.findall(r"[^.,;!?¡¿«»\n]+[.,]", text):
        sentence = sentence.strip()
        if min_len <= len(sentence) <= max_len:
            return sentence
    raise ValueError(f"no sentence of {min_len} to {max_len} characters in the text")


def head_statistics(model, ids: np.ndarray, space_id: int) -> tuple[np.ndarray, np.ndarray]:
    """``(space_share, distance)``, each (n_layer, H), of ``model`` on windows ``ids`` (W, T)."""
    model(ids)
    T = ids.shape[1]
    is_space = ids == space_id  # (W, T)
    back = np.arange(T)[:, None] - np.arange(T)[None, :]  # (T, T) t - s, >= 0 where allowed
    share, distance = [], []
    for w in model.attention_maps:  # (W, H, T, T)
        share.append((w * is_space[:, None, None, :]).sum(-1).mean(axis=(0, 2)))  # (H,)
        distance.append((w * back).sum(-1).mean(axis=(0, 2)))  # (H,)
    return np.array(share), np.array(distance)


@functools.lru_cache(maxsize=2)
def gpt_sentence_attention(lang: str) -> SentenceAttention:
    """The shipped GPT for ``lang`` on a short corpus sentence, with its head statistics."""
    from ..data import load_corpus, split_text
    from ..models import load_pretrained_gpt

    model, tok, info = load_pretrained_gpt(lang, dtype=np.float64)
    train_text, val_text = split_text(load_corpus(lang))
    sentence = corpus_sentence(train_text)
    model(tok.encode(sentence)[None])
    maps = [w[0].copy() for w in model.attention_maps]  # n_layer x (H, T, T)
    ids = np.asarray(tok.encode(val_text))  # (N,)
    starts = np.random.default_rng(SEED).integers(0, len(ids) - WINDOW, WINDOWS)  # (W,)
    windows = ids[starts[:, None] + np.arange(WINDOW)]  # (W, T)
    share, distance = head_statistics(model, windows, tok.encode(" ")[0])
    return SentenceAttention(
        lang, sentence, list(sentence), maps, share, distance, dict(info["config"])
    )
