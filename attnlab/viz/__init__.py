"""Pictures of every idea attnlab teaches (matplotlib + seaborn are imported only here).

Every function returns a matplotlib Figure or Axes and never calls ``plt.show()``: in Jupyter
the figure appears inline, in a script call ``fig.savefig(...)``. Titles and labels come in
Spanish or English (``lang="es"`` or ``lang="en"``). No backend is chosen here.

    from attnlab import viz
    ax = viz.attention_heatmap(weights, tokens, tokens, mask=attnlab.causal_mask(5), lang="es")
    fig = viz.build("positional_table", lang="en")    # any figure of the gallery by name
"""

from __future__ import annotations

from .gallery import FIGURES, build, names
from .heatmaps import attention_heatmap, heads_grid, layers_grid
from .masks import draw_mask, masks_side_by_side
from .positional import (
    learnable_positions,
    position_similarity,
    sinusoidal_curves,
    sinusoidal_table,
    train_learnable_positions,
)
from .softmax import scaling_effect, scaling_statistics, softmax_temperature
from .strings import LANGS, text
from .style import save_figure

__all__ = [
    "FIGURES",
    "LANGS",
    "attention_heatmap",
    "build",
    "draw_mask",
    "heads_grid",
    "layers_grid",
    "learnable_positions",
    "masks_side_by_side",
    "names",
    "position_similarity",
    "save_figure",
    "scaling_effect",
    "scaling_statistics",
    "sinusoidal_curves",
    "sinusoidal_table",
    "softmax_temperature",
    "text",
    "train_learnable_positions",
]
