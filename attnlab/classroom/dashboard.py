"""The projector dashboard: every classroom panel in one page of tabs, served by Voilà.

:func:`dashboard` shows one tab per panel, each with one sentence saying what to try. A panel
is built the first time its tab is opened (the first one at once), so the page appears in
seconds and the panels that load a model cost nothing until they are wanted. A panel that
fails shows its error in its tab; the others still work. The dashboard notebooks
(``attnlab/classroom/notebooks/{es,en}/dashboard.ipynb``, built from
``lessons/classroom/src/dashboard.py``) only call ``dashboard(LANG)``.
"""

from __future__ import annotations

import html
import traceback
from typing import NamedTuple

import numpy as np

from ..i18n import check_language, set_language, tr


class Panel(NamedTuple):
    key: str
    title: dict  # {"es": ..., "en": ...}: the tab's title
    hint: dict  # one sentence: what to try
    build: object  # build(lang) -> widget


def _mask(lang):
    from .mask_grid import mask_builder

    return mask_builder(lang=lang)


def _temperature(lang):
    from ..viz.interactive import temperature_explorer

    words = tr("gato perro casa sol mar", "cat dog house sun sea", lang).split()
    return temperature_explorer([2.0, 1.0, 0.5, 0.0, -1.0], lang=lang, labels=words)


def _query(lang):
    from ..viz.interactive import query_explorer

    # lesson 02's toy library: three labelled shelves and three queries
    labels = tr("fruta animal color", "fruit animal colour", lang).split()
    k = np.eye(3) * 4.0  # (S, D)
    v = np.array([[10.0, 0.0], [0.0, 10.0], [-10.0, 10.0]])  # (S, Dv)
    q = np.array([[4.0, 0.0, 0.0], [0.0, 2.0, 2.0], [0.0, 0.0, 0.0]])  # (T, D)
    return query_explorer(k, v, queries=q, key_labels=labels, lang=lang)


def _heads(lang):
    from .gpt_panels import heads_panel

    return heads_panel(lang=lang)


def _next_token(lang):
    from .gpt_panels import next_token_panel

    return next_token_panel(lang=lang)


def _rope(lang):
    from ..viz.interactive_positions import rotation_explorer

    return rotation_explorer(dim=16, lang=lang)


def _alibi(lang):
    from ..viz.interactive_positions import alibi_explorer

    return alibi_explorer(num_heads=8, length=32, lang=lang)


def _tlob(lang):
    from .tlob_panel import tlob_panel

    return tlob_panel(lang=lang)


PANELS = (
    Panel("mask", {"es": "Máscara", "en": "Mask"}, {
        "es": "Pulsa una casilla para bloquear (✕) o liberar la pareja (consulta, clave); — es lo "
        "que tapan la máscara causal o el relleno. Cada fila suma 1. Puntuaciones de ejemplo, "
        "aleatorias.",
        "en": "Click a cell to block (✕) or free the pair (query, key); — is what the causal mask "
        "or the padding hides. Every row sums to 1. Example scores, random.",
    }, _mask),
    Panel("temperature", {"es": "Temperatura", "en": "Temperature"}, {
        "es": "Mueve tau, o escribe otros logits separados por comas y pulsa Intro.",
        "en": "Move tau, or type other logits separated by commas and press Enter.",
    }, _temperature),
    Panel("query", {"es": "Consulta", "en": "Query"}, {
        "es": "Mueve la consulta o elige una de la lección 02. Izquierda: sus pesos; derecha: los "
        "valores y la salida (★), su mezcla.",
        "en": "Move the query or choose one of lesson 02. Left: its weights; right: the values "
        "and the output (★), their blend.",
    }, _query),
    Panel("heads", {"es": "Cabezas GPT", "en": "GPT heads"}, {
        "es": "Escribe una frase (Intro) y elige la capa: cada mapa es una cabeza del GPT "
        "diminuto entrenado. Fila: el carácter que pregunta; columna: a cuál mira.",
        "en": "Type a sentence (Enter) and choose the layer: each map is one head of the trained "
        "tiny GPT. Row: the character asking; column: the one it looks at.",
    }, _heads),
    Panel("next", {"es": "Siguiente carácter", "en": "Next character"}, {
        "es": "Barras: el siguiente carácter tras el inicio. Mueve temperatura, top-k y top-p; "
        "Generar escribe con esos ajustes.",
        "en": "Bars: the next character after the prompt. Move temperature, top-k and top-p; "
        "Generate writes with those settings.",
    }, _next_token),
    Panel("rope", {"es": "RoPE", "en": "RoPE"}, {
        "es": "RoPE gira cada par de rasgos según la posición: elige la posición y el par.",
        "en": "RoPE turns each pair of features by the position: choose the position and the "
        "pair.",
    }, _rope),
    Panel("alibi", {"es": "ALiBi", "en": "ALiBi"}, {
        "es": "ALiBi resta m·distancia a cada puntuación: elige la cabeza (su pendiente m) y la "
        "consulta.",
        "en": "ALiBi subtracts m·distance from every score: choose the head (its slope m) and "
        "the query.",
    }, _alibi),
    Panel("tlob", {"es": "TLOB", "en": "TLOB"}, {
        "es": "El TLOB pequeño entrenado sobre una ventana de prueba del libro sintético: elige "
        "la ventana y el tipo de mapa.",
        "en": "The trained small TLOB on one test window of the synthetic book: choose the "
        "window and the kind of map.",
    }, _tlob),
)  # fmt: skip


def _error_box(widgets, lang: str):
    text = traceback.format_exc(limit=3)
    said = tr("Este panel no se pudo construir:", "This panel could not be built:", lang)
    return widgets.HTML(f"<p><b>{said}</b></p><pre>{html.escape(text)}</pre>")


FIGURE_DPI = 130  # figures 1.3 times the size of attnlab's 100 dpi, as sharp: for the back row


def _projector_figures() -> None:
    """In a running kernel, draw every figure at FIGURE_DPI (the text grows with it)."""
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png", dpi=FIGURE_DPI, bbox_inches="tight")


def dashboard(lang: str | None = None, *, show: bool = True):
    """The dashboard's tabs (displayed unless ``show=False``); returns the Tab widget.

    ``tab.open(i)`` builds panel ``i`` (as opening its tab does); ``tab.panels[i]`` is the
    panel once built.
    """
    import ipywidgets as widgets
    from IPython.display import display

    lang = check_language(lang or "en")
    set_language(lang)
    boxes = [widgets.VBox() for _ in PANELS]
    for box, panel in zip(boxes, PANELS, strict=True):
        box.add_class(f"attnlab-panel-{panel.key}")  # for the browser tests and custom CSS
    tab = widgets.Tab(children=boxes, titles=[p.title[lang] for p in PANELS], selected_index=0)
    tab.add_class("attnlab-dashboard")
    tab.panels = [None] * len(PANELS)

    def open_panel(index: int | None) -> None:
        if index is None or tab.panels[index] is not None:
            return
        hint = widgets.HTML(f"<p class='attnlab-hint'>{html.escape(PANELS[index].hint[lang])}</p>")
        boxes[index].children = (hint, widgets.HTML(tr("Cargando…", "Loading…", lang)))
        try:
            panel = PANELS[index].build(lang)
        except Exception:  # noqa: BLE001 - shown in its tab; the other panels go on
            panel = _error_box(widgets, lang)
        tab.panels[index] = panel
        boxes[index].children = (hint, panel)

    tab.observe(lambda change: open_panel(change["new"]), names="selected_index")
    tab.open = open_panel
    if show:
        _projector_figures()
    open_panel(0)
    if show:
        display(tab)
    return tab
