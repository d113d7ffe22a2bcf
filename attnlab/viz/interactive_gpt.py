"""Classroom explorers for a GPT (lesson 10): sliders over the next-token distribution of a
prompt, and a prompt box that generates. The numbers come from :mod:`attnlab.interactive_gpt`
(tested without widgets); this module only wires widgets to them and draws.

In a notebook::

    from attnlab.models import load_pretrained_gpt
    from attnlab.viz.interactive_gpt import decoding_explorer, generation_box
    model, tok, _ = load_pretrained_gpt("es")
    decoding_explorer(model, tok, "Había una vez una ", lang="es")
    generation_box(model, tok, "Había una vez", lang="es")
"""

from __future__ import annotations

import html

from ..i18n import check_language, set_language
from ..interactive_gpt import decoding_state, generate_text
from .decoding import next_token_bars
from .strings import text


def _sliders(widgets, V: int, lang: str) -> dict:
    style = {"description_width": "initial"}
    return dict(
        temperature=widgets.FloatLogSlider(
            value=1.0,
            base=10,
            min=-1,
            max=1,
            step=0.02,
            description=text("temperature", lang),
            style=style,
        ),
        top_k=widgets.IntSlider(
            value=0, min=0, max=V, description=text("topk_slider", lang), style=style
        ),
        top_p=widgets.FloatSlider(
            value=1.0,
            min=0.05,
            max=1.0,
            step=0.05,
            description=text("topp_slider", lang),
            style=style,
        ),
    )


def decoding_explorer(model, tokenizer, prompt: str = "", *, lang: str = "en", show: int = 12):
    """A prompt box and temperature / top-k / top-p sliders over the model's next-token
    distribution: bars of the setting's distribution over the model's, removed tokens marked."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    check_language(lang)

    def draw(prompt: str, temperature: float, top_k: int, top_p: float) -> None:
        set_language(lang)  # the error messages of the state functions
        try:
            state = decoding_state(
                model,
                tokenizer,
                prompt,
                temperature=temperature,
                top_k=top_k,
                top_p=top_p,
                show=show,
            )
        except ValueError as err:
            print(err)
            return
        fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
        title = " · ".join(
            [
                text("dec_settings", lang, t=temperature, k=top_k, p=top_p),
                text("dec_kept", lang, n=state.kept),
                text("entropy_nats", lang, h=state.entropy),
            ]
        )
        next_token_bars(
            ax, state.labels, state.original, state.probs, title=title, legend=True, lang=lang
        )
        ax.set_ylabel(text("probability", lang))
        ax.set_xlabel(text("next_char", lang))
        display(fig)
        plt.close(fig)

    box = widgets.Text(
        value=prompt, description=text("prompt", lang), layout=widgets.Layout(width="90%")
    )
    return widgets.interactive(draw, prompt=box, **_sliders(widgets, tokenizer.vocab_size, lang))


def generation_box(model, tokenizer, prompt: str = "", *, lang: str = "en"):
    """A prompt box, decoding settings and a button that writes the model's continuation."""
    import ipywidgets as widgets

    check_language(lang)
    box = widgets.Text(
        value=prompt, description=text("prompt", lang), layout=widgets.Layout(width="90%")
    )
    sliders = _sliders(widgets, tokenizer.vocab_size, lang)
    new = widgets.IntSlider(value=100, min=1, max=400, description=text("new_tokens", lang))
    greedy = widgets.Checkbox(value=False, description=text("greedy_box", lang))
    seed = widgets.IntText(value=0, description=text("seed", lang))
    button = widgets.Button(description=text("generate", lang), button_style="primary")
    result = widgets.HTML()

    def on_click(_=None) -> None:
        set_language(lang)
        try:
            continuation = generate_text(
                model,
                tokenizer,
                box.value,
                new_tokens=new.value,
                greedy=greedy.value,
                seed=seed.value,
                **{k: w.value for k, w in sliders.items()},
            )
        except ValueError as err:
            result.value = f"<i>{html.escape(str(err))}</i>"
            return
        shown = f"<b>{html.escape(box.value)}</b>{html.escape(continuation)}"
        result.value = f"<div style='white-space: pre-wrap; font-size: 1.1em'>{shown}</div>"

    button.on_click(on_click)
    controls = [box, *sliders.values(), new, widgets.HBox([greedy, seed]), button, result]
    ui = widgets.VBox(controls)
    ui.generate = on_click  # so a cell (or a test) can press the button
    ui.result = result
    return ui
