"""The gallery's GPT figures (lessons 09 and 10), drawn from the shipped models.

Each figure shows the model of its own language (the Spanish figure, the Spanish model on a
Spanish sentence), so every text in it can be read; the numbers come from
:mod:`attnlab.experiments.gpt`, the drawing from :mod:`attnlab.viz.gpt`.
"""

from __future__ import annotations

import numpy as np

from .experiments import gpt as data
from .experiments.gpt_heads import attention_stack, opening_marks


def _viz():
    from . import viz

    return viz


def gpt_attention(lang: str):
    """The head that looks back at opening marks, next to one of its layer that does not."""
    viz = _viz()
    model, tok, _ = data.shipped_gpt(lang)
    marks = data.shipped_head_survey(lang).scores["marks"]
    layer, head = marks.best()
    other = int(np.argmin(marks.ratio[layer]))  # the same layer's least interested head
    sentence = data.dialogue_sentence(lang)
    maps = attention_stack(model, tok, sentence)  # (L, H, T, T)
    titles = [
        viz.text("gpt_mark_head", lang, layer=layer, head=head, ratio=marks.ratio[layer, head]),
        viz.text("gpt_other_head", lang, layer=layer, head=other, ratio=marks.ratio[layer, other]),
    ]
    return viz.gpt_heads(
        [maps[layer, head], maps[layer, other]],
        [data.token_label(c) for c in sentence],
        titles,
        suptitle=viz.text("gpt_attention_title", lang, model=_model(lang), layer=layer),
        marks=opening_marks(sentence),
        lang=lang,
    )


def gpt_training(lang: str):
    viz = _viz()
    title = viz.text("gpt_training_title", lang, model=_model(lang))
    return viz.gpt_loss_curves(data.training_record(lang), title=title, lang=lang)


def decoding_distributions(lang: str):
    viz = _viz()
    model, tok, _ = data.shipped_gpt(lang)
    prompt = data.PROMPTS[lang]
    panels = data.decoding_panels(data.next_token_logits(model, tok, prompt))
    shown_prompt = prompt[:-1] + data.token_label(prompt[-1])  # the final space made visible
    title = viz.text("decoding_title", lang, model=_model(lang), prompt=shown_prompt)
    labels = [data.token_label(c) for c in tok.chars]
    return viz.decoding_distributions(labels, panels, suptitle=title, lang=lang)


def kv_cache_cost(lang: str):
    bench = data.KV_BENCH
    T = np.arange(1, bench["config"]["block_size"] + 1)  # (N,)
    counted = dict(
        T=T,
        macs_with=data.step_multiply_adds(bench["config"], T, cached=True),
        macs_without=data.step_multiply_adds(bench["config"], T, cached=False),
        kib=data.cache_bytes(bench["config"], T, np.dtype(bench["dtype"]).itemsize) / 1024,
    )
    return _viz().kv_cache_cost(bench, counted, lang=lang)


def _model(lang: str) -> str:
    return _viz().text(f"gpt_model_{lang}", lang)


FIGURES_GPT = {
    "gpt_attention": gpt_attention,
    "gpt_training": gpt_training,
    "decoding_distributions": decoding_distributions,
    "kv_cache_cost": kv_cache_cost,
}
