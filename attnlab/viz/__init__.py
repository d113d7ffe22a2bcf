"""Pictures of every idea attnlab teaches: plots of the arrays they are given.

matplotlib (and, for the confusion matrix, seaborn) are imported only here: ``pip install
'attnlab[viz]'``. Nothing here trains or computes a model: the data comes from the caller, from
:mod:`attnlab.experiments`, or, for the named figures of the gallery, from :mod:`attnlab.gallery`.

Every function returns a matplotlib Figure or Axes and never calls ``plt.show()``: in Jupyter
the figure appears inline, in a script call ``save_figure(fig, path)``. Titles and labels come
in Spanish or English (``lang="es"`` or ``lang="en"``). No backend is chosen here.

    from attnlab import viz
    ax = viz.attention_heatmap(weights, tokens, tokens, mask=attnlab.causal_mask(5), lang="es")
"""

from __future__ import annotations

try:
    import matplotlib  # noqa: F401
except ImportError as err:  # say which extra brings it, not just "No module named matplotlib"
    raise ImportError(
        "attnlab.viz draws with matplotlib, which is not installed: pip install 'attnlab[viz]'"
    ) from err

from .decoding import decoding_distributions, kv_cache_cost
from .gpt import LiveLoss, gpt_heads, gpt_loss_curves
from .heatmaps import attention_heatmap, heads_grid, layer_head_grid, layers_grid
from .induction import LivePhaseChange, induction_heads_grid, phase_change
from .masks import draw_mask, masks_side_by_side
from .orderbook import book_ladder, depth_chart, midprice_labels, orderbook_snapshot
from .positional import (
    learnable_positions,
    position_similarity,
    sinusoidal_curves,
    sinusoidal_table,
)
from .rope_alibi import alibi_bias, position_extrapolation, rope_rotation
from .softmax import scaling_effect, scaling_statistics, softmax_temperature
from .strings import text
from .style import indexed_labels, save_figure, series_style
from .tlob import confusion_matrix, maps_of_kind, tlob_attention, training_curves

__all__ = [
    "alibi_bias",
    "LivePhaseChange",
    "attention_heatmap",
    "book_ladder",
    "confusion_matrix",
    "depth_chart",
    "draw_mask",
    "heads_grid",
    "indexed_labels",
    "induction_heads_grid",
    "layer_head_grid",
    "layers_grid",
    "learnable_positions",
    "maps_of_kind",
    "masks_side_by_side",
    "midprice_labels",
    "orderbook_snapshot",
    "position_extrapolation",
    "phase_change",
    "position_similarity",
    "rope_rotation",
    "save_figure",
    "scaling_effect",
    "scaling_statistics",
    "series_style",
    "sinusoidal_curves",
    "sinusoidal_table",
    "softmax_temperature",
    "text",
    "tlob_attention",
    "training_curves",
]
__all__ += ["LiveLoss", "decoding_distributions", "gpt_heads", "gpt_loss_curves", "kv_cache_cost"]
