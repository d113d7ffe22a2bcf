"""Pure functions: every differentiable op as a ``name_forward`` / ``name_backward`` pair.

``name_forward(...) -> (out, cache)`` and ``name_backward(dout, cache) -> grads``, the
gradients in the order of the forward's array arguments. Caches are NamedTuples.
"""

from .alibi import alibi_bias, alibi_slopes
from .attention import AttentionCache, attention_backward, attention_forward
from .bin import BinCache, bin_backward, bin_forward
from .embedding import EmbeddingCache, embedding_backward, embedding_forward
from .gelu import GeluCache, gelu_backward, gelu_forward
from .layer_norm import LayerNormCache, layer_norm_backward, layer_norm_forward
from .linear import LinearCache, linear_backward, linear_forward
from .losses import CrossEntropyCache, cross_entropy_backward, cross_entropy_forward
from .multi_head import (
    MultiHeadCache,
    merge_heads,
    multi_head_attention_backward,
    multi_head_attention_forward,
    split_heads,
)
from .positional import (
    AddPositionsCache,
    add_positions_backward,
    add_positions_forward,
    sinusoidal_encoding,
)
from .rope import RopeCache, rope_backward, rope_forward
from .softmax import SoftmaxCache, softmax_backward, softmax_forward
from .tiled_attention import (
    TiledAttentionCache,
    tiled_attention_backward,
    tiled_attention_forward,
)

__all__ = [
    "AddPositionsCache",
    "AttentionCache",
    "BinCache",
    "CrossEntropyCache",
    "EmbeddingCache",
    "GeluCache",
    "LayerNormCache",
    "LinearCache",
    "MultiHeadCache",
    "RopeCache",
    "SoftmaxCache",
    "TiledAttentionCache",
    "add_positions_backward",
    "add_positions_forward",
    "alibi_bias",
    "alibi_slopes",
    "attention_backward",
    "attention_forward",
    "bin_backward",
    "bin_forward",
    "cross_entropy_backward",
    "cross_entropy_forward",
    "embedding_backward",
    "embedding_forward",
    "gelu_backward",
    "gelu_forward",
    "layer_norm_backward",
    "layer_norm_forward",
    "linear_backward",
    "linear_forward",
    "merge_heads",
    "multi_head_attention_backward",
    "multi_head_attention_forward",
    "rope_backward",
    "rope_forward",
    "sinusoidal_encoding",
    "softmax_backward",
    "softmax_forward",
    "split_heads",
    "tiled_attention_backward",
    "tiled_attention_forward",
]
