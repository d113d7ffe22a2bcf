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
from .orderbook import book_ladder, depth_chart, midprice_labels, orderbook_snapshot
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
from .tlob import confusion_matrix, maps_of_kind, tlob_attention, training_curves

__all__ = [
    "FIGURES",
    "LANGS",
    "attention_heatmap",
    "book_ladder",
    "build",
    "confusion_matrix",
    "depth_chart",
    "draw_mask",
    "heads_grid",
    "layers_grid",
    "learnable_positions",
    "maps_of_kind",
    "masks_side_by_side",
    "midprice_labels",
    "names",
    "orderbook_snapshot",
    "position_similarity",
    "save_figure",
    "scaling_effect",
    "scaling_statistics",
    "sinusoidal_curves",
    "sinusoidal_table",
    "softmax_temperature",
    "text",
    "tlob_attention",
    "train_learnable_positions",
    "training_curves",
]
