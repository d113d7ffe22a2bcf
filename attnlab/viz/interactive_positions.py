"""Classroom explorers for lesson 11: a RoPE rotation-angle explorer and an ALiBi bias explorer.

Thin widgets over the pure, tested functions of :mod:`attnlab.interactive_positions`
(ipywidgets is imported only when an explorer is made).

    rotation_explorer(dim=16, lang="es")        position and pair sliders
    alibi_explorer(num_heads=8, length=32)      head and query sliders
"""

from __future__ import annotations

import numpy as np

from ..i18n import check_language
from ..interactive_positions import alibi_state, rotation_state
from .heatmaps import draw_masked
from .strings import text


def _show(fig) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    display(fig)
    plt.close(fig)


def rotation_explorer(
    dim: int = 16, *, max_position: int = 64, base: float = 10000.0, lang: str = "en"
):
    """Sliders for a position and a pair: where RoPE turns that pair of a vector that starts at
    (1, 0), the path it took from position 0, and the angle (radians, degrees, turns)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    check_language(lang)

    def draw(position: int = 3, pair: int = 0) -> None:
        state = rotation_state(position, pair, dim, base)
        fig, ax = plt.subplots(figsize=(5.2, 5.2))
        t = np.linspace(0, 2 * np.pi, 200)
        ax.plot(np.cos(t), np.sin(t), color="#bbbbbb", linewidth=1)
        ax.plot(state.trail[:, 0], state.trail[:, 1], color="#56B4E9", marker="o", markersize=4)
        x, y = state.trail[-1]
        ax.annotate("", (x, y), (0, 0), arrowprops=dict(arrowstyle="-|>", color="#0072B2", lw=2.5))
        ax.set_aspect("equal")
        ax.set_xlim(-1.2, 1.2)
        ax.set_ylim(-1.2, 1.2)
        ax.set_xlabel(text("feature_i", lang))
        ax.set_ylabel(text("feature_i_half", lang))
        title = text(
            "rotation_explorer_title",
            lang,
            i=pair,
            a=state.angle,
            d=state.degrees,
            w=state.wavelength,
        )
        ax.set_title(title, fontsize=11)
        _show(fig)

    return widgets.interactive(
        draw,
        position=widgets.IntSlider(3, 0, max_position, description="pos"),
        pair=widgets.IntSlider(0, 0, dim // 2 - 1, description=text("pair", lang)),
    )


def alibi_explorer(num_heads: int = 8, length: int = 32, *, lang: str = "en"):
    """Head and query sliders: the head's causal bias matrix, and the weights the query gives
    to every earlier key when the content scores are all equal (ALiBi alone)."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    check_language(lang)

    def draw(head: int = 0, query: int = length - 1) -> None:
        state = alibi_state(num_heads, length, head, query)
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
        image = left.imshow(np.where(np.isfinite(state.bias), state.bias, np.nan), cmap="cividis")
        draw_masked(left, ~np.isfinite(state.bias))
        left.axhline(query, color="#D55E00", linewidth=2)
        fig.colorbar(image, ax=left, shrink=0.85).set_label(text("bias", lang))
        left.set_xlabel(text("key_pos", lang))
        left.set_ylabel(text("query_pos", lang))
        right.bar(np.arange(query + 1), state.weights, color="#009E73")
        right.set_xlabel(text("key_pos", lang))
        right.set_ylabel(text("weight_axis", lang))
        m = state.slopes[head]
        fig.suptitle(text("alibi_explorer_title", lang, h=head, m=m, d=state.half_distance))
        _show(fig)

    return widgets.interactive(
        draw,
        head=widgets.IntSlider(0, 0, num_heads - 1, description=text("head", lang)),
        query=widgets.IntSlider(length - 1, 0, length - 1, description=text("query", lang)),
    )
