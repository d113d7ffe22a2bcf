"""The dashboard's GPT panels: the heads of the shipped tiny GPT on a sentence the teacher
types, and its next-character distribution with a button that writes.

:func:`heads_state` (no widgets) reads the sentence and runs the model; :func:`heads_figure`
draws every head of one layer; :func:`heads_panel` and :func:`next_token_panel` are the widgets.
The next-character bars are lesson 10's :func:`attnlab.viz.interactive_gpt.decoding_explorer`;
the panel adds a Generate button that uses the same prompt and settings.
"""

from __future__ import annotations

import functools
import html
from typing import NamedTuple

import numpy as np

from ..i18n import check_language, set_language, tr
from ..interactive_gpt import encode_prompt, generate_text, token_label

MAX_CHARS = 40  # more characters than this and the labels of a map become unreadable
SENTENCES = {
    "es": "Marta dijo: «¿Dónde está el perro?»",
    "en": 'Nora said, "Where is the new table?"',
}
PROMPTS = {"es": "Había una vez una ", "en": "Once there was a "}


@functools.lru_cache(maxsize=2)
def shipped_gpt(lang: str):
    """``(model, tokenizer)``: the pretrained character GPT of ``lang`` (loaded once)."""
    from ..models import load_pretrained_gpt

    model, tokenizer, _ = load_pretrained_gpt(check_language(lang))
    return model, tokenizer


class HeadsState(NamedTuple):
    maps: np.ndarray  # (H, T, T) the attention weights of every head of the layer
    labels: list  # (T,) the characters read (a space as ␣)
    cut: int  # characters left out at the start (only the last MAX_CHARS are read)


def heads_state(model, tokenizer, sentence: str, layer: int, *, lang: str) -> HeadsState:
    """Every head's attention of ``layer`` on ``sentence`` (its last MAX_CHARS characters).

    Raises ValueError in ``lang`` for an empty sentence or characters the model does not know,
    listing the ones it knows.
    """
    set_language(check_language(lang))  # encode_prompt's messages
    n_layer = model.config.n_layer
    if not 0 <= layer < n_layer:
        raise ValueError(f"layer must be in [0, {n_layer}), got {layer}")
    text = sentence.replace("\n", " ")
    try:
        ids = encode_prompt(tokenizer, text)  # (T,)
    except ValueError as err:
        said = str(err)
        known = " ".join(token_label(c) for c in tokenizer.chars if c != "\n")
        raise ValueError(
            said[:1].upper() + said[1:] + " " + tr(f"Conoce: {known}", f"It knows: {known}", lang)
        ) from None
    cut = max(0, len(ids) - MAX_CHARS)
    ids = ids[cut:]  # (T,)
    model(ids[None])
    maps = np.asarray(model.attention_maps[layer][0], dtype=np.float64)  # (H, T, T)
    return HeadsState(maps, [token_label(c) for c in text[cut:]], cut)


def heads_figure(state: HeadsState, layer: int, *, lang: str):
    """One heat map per head (two per row), the typed characters as labels, future hatched."""
    import matplotlib as mpl

    from ..viz.heatmaps import attention_heatmap
    from ..viz.strings import text
    from ..viz.style import WEIGHTS_CMAP, new_figure, style

    H, T, _ = state.maps.shape
    cols = 2 if H <= 4 else 4
    rows = -(-H // cols)
    causal = np.tril(np.ones((T, T), dtype=bool))  # (T, T) True = may attend
    size = 14 if T <= 16 else 12 if T <= 28 else 10  # points: one label per character
    with style():
        fig, axes = new_figure(
            rows, cols, figsize=(5.6 * cols + 0.8, 5.4 * rows + 0.4), squeeze=False
        )
        for h, ax in enumerate(axes.flat):
            if h >= H:
                ax.set_visible(False)
                continue
            title = tr(f"capa {layer} · cabeza {h}", f"layer {layer} · head {h}", lang)
            attention_heatmap(
                state.maps[h], state.labels, state.labels, mask=causal, annotate=False,
                ax=ax, title=title, colorbar=False, lang=lang,
            )  # fmt: skip
            ax.set_xticks(np.arange(T), state.labels, rotation=0, ha="center", fontsize=size)
            ax.set_yticks(np.arange(T), state.labels, fontsize=size)
            if h % cols:
                ax.set_ylabel("")
        weights = mpl.cm.ScalarMappable(mpl.colors.Normalize(0.0, 1.0), cmap=WEIGHTS_CMAP)
        fig.colorbar(weights, ax=axes, shrink=0.6, pad=0.01).set_label(text("attn_weight", lang))
    return fig


def _show(out, fig=None, message: str | None = None) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    out.clear_output(wait=True)
    with out:
        if message:
            display(HTML(f"<p class='attnlab-message'>{html.escape(message)}</p>"))
        if fig is not None:
            display(fig)
            plt.close(fig)


def heads_panel(*, lang: str = "en", sentence: str | None = None):
    """A sentence box and a layer switch over every head of the shipped GPT of ``lang``."""
    import ipywidgets as widgets

    check_language(lang)
    model, tokenizer = shipped_gpt(lang)
    box = widgets.Text(
        value=sentence or SENTENCES[lang],
        description=tr("frase", "sentence", lang),
        continuous_update=False,  # run the model on Enter, not on every key
        layout=widgets.Layout(width="95%"),
    )
    layer = widgets.ToggleButtons(
        options=list(range(model.config.n_layer)), description=tr("capa", "layer", lang)
    )
    out = widgets.Output()
    panel = widgets.VBox([box, layer, out])
    panel.add_class("attnlab-heads")

    def redraw(*_) -> None:
        try:
            state = heads_state(model, tokenizer, box.value, layer.value, lang=lang)
        except ValueError as err:
            panel.last_state = None
            _show(out, message=str(err))
            return
        panel.last_state = state
        note = None
        if state.cut:
            note = tr(
                f"Solo se leen los últimos {MAX_CHARS} caracteres.",
                f"Only the last {MAX_CHARS} characters are read.",
                lang,
            )
        _show(out, heads_figure(state, layer.value, lang=lang), note)

    box.observe(redraw, names="value")
    layer.observe(redraw, names="value")
    redraw()
    return panel


def next_token_panel(*, lang: str = "en", prompt: str | None = None):
    """Lesson 10's next-character explorer, plus a Generate button with the same settings.

    Every press samples with the next seed (shown), so the class sees a new text each time and
    can get any of them back.
    """
    import ipywidgets as widgets

    from ..viz.interactive_gpt import decoding_explorer
    from ..viz.strings import text

    check_language(lang)
    model, tokenizer = shipped_gpt(lang)
    explorer = decoding_explorer(model, tokenizer, prompt or PROMPTS[lang], lang=lang)
    new = widgets.IntSlider(value=120, min=10, max=400, description=text("new_tokens", lang))
    button = widgets.Button(description=text("generate", lang), button_style="primary")
    button.add_class("attnlab-generate")
    result = widgets.HTML()
    result.add_class("attnlab-generated")
    seed = {"next": 0}

    def generate(_=None) -> None:
        settings = dict(explorer.kwargs)  # the prompt and sliders as they are now
        set_language(lang)
        try:
            written = generate_text(
                model, tokenizer, settings.pop("prompt"), new_tokens=new.value,
                seed=seed["next"], **settings,
            )  # fmt: skip
        except ValueError as err:
            result.value = f"<p class='attnlab-message'>{html.escape(str(err))}</p>"
            return
        shown = f"<b>{html.escape(explorer.kwargs['prompt'])}</b>{html.escape(written)}"
        used = tr("semilla", "seed", lang) + f" {seed['next']}"
        result.value = f"<div class='attnlab-text'>{shown}</div><small>{used}</small>"
        seed["next"] += 1

    button.on_click(generate)
    panel = widgets.VBox([explorer, widgets.HBox([new, button]), result])
    panel.generate = generate  # what a press does (for tests and scripts)
    panel.result = result
    return panel
