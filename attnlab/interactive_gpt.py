"""What the GPT explorers of lesson 10 show, as functions of the widget values (no
ipywidgets, no matplotlib): the next-token distribution of a prompt under a decoding setting,
and a generated continuation. :mod:`attnlab.viz.interactive_gpt` wires them to widgets.

Widget conventions: ``top_k = 0`` means no top-k limit and ``top_p = 1`` no nucleus.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .decoding import probabilities
from .decoding.distribution import check_temperature, check_top_k, check_top_p
from .i18n import tr


def token_label(ch: str) -> str:
    """A character as a readable label: a space is ␣ and a newline ⏎."""
    return {" ": "␣", "\n": "⏎"}.get(ch, ch)


def settings(temperature: float = 1.0, top_k: int = 0, top_p: float = 1.0) -> dict:
    """Widget values as :func:`attnlab.decoding.probabilities` arguments (0 / 1 = off)."""
    top_k = None if top_k in (0, None) else check_top_k(top_k)
    top_p = None if top_p is None or top_p >= 1 else check_top_p(top_p)
    return dict(temperature=check_temperature(temperature), top_k=top_k, top_p=top_p)


def encode_prompt(tokenizer, prompt: str) -> np.ndarray:
    """The prompt's ids (T,), or a ValueError in the lesson's language naming what is wrong."""
    if not isinstance(prompt, str) or not prompt:
        raise ValueError(
            tr(
                "escribe un inicio de al menos un carácter.",
                "write a prompt of at least one character.",
            )
        )
    unknown = sorted({c for c in prompt if c not in tokenizer.chars})
    if unknown:
        shown = " ".join(repr(c) for c in unknown)
        raise ValueError(
            tr(
                f"el modelo no conoce estos caracteres: {shown}. Usa solo los de su corpus.",
                f"the model does not know these characters: {shown}. Use only those of its corpus.",
            )
        )
    return tokenizer.encode(prompt)


class DecodingState(NamedTuple):
    labels: list  # (n,) the n most likely next tokens under the model, as labels
    ids: np.ndarray  # (n,) their ids
    original: np.ndarray  # (n,) their probability under the model (temperature 1)
    probs: np.ndarray  # (n,) their probability under the setting
    kept: int  # tokens of the whole vocabulary that can still be drawn
    entropy: float  # of the setting's whole distribution, in nats
    top: str  # the most likely token under the setting (what greedy would pick)


def decoding_state(
    model, tokenizer, prompt: str, *, temperature=1.0, top_k=0, top_p=1.0, show: int = 12
) -> DecodingState:
    """The next-token distribution after ``prompt`` (its last block_size characters) under a
    decoding setting, for its ``show`` most likely tokens."""
    ids = encode_prompt(tokenizer, prompt)[-model.config.block_size :]  # (T,)
    kwargs = settings(temperature, top_k, top_p)
    logits = model(ids[None])[0][0, -1].astype(np.float64)  # (V,)
    original = probabilities(logits)  # (V,)
    probs = probabilities(logits, **kwargs)  # (V,)
    order = np.argsort(-original, kind="stable")[:show]  # (n,) most likely first
    nz = probs[probs > 0]
    return DecodingState(
        labels=[token_label(tokenizer.chars[i]) for i in order],
        ids=order,
        original=original[order],
        probs=probs[order],
        kept=int(nz.size),
        entropy=float(-(nz * np.log(nz)).sum()),
        top=token_label(tokenizer.chars[int(np.argmax(probs))]),
    )


def generate_text(
    model,
    tokenizer,
    prompt: str,
    *,
    new_tokens: int = 100,
    temperature=1.0,
    top_k=0,
    top_p=1.0,
    greedy: bool = False,
    seed: int = 0,
) -> str:
    """The continuation (without the prompt) of ``prompt``: greedy, or sampled with ``seed``."""
    ids = encode_prompt(tokenizer, prompt)  # (T,)
    out = model.generate(
        ids[None], new_tokens, greedy=greedy, rng=seed, **settings(temperature, top_k, top_p)
    )
    return tokenizer.decode(out[0, len(ids) :])
