"""Exercise checkers for the lessons: specific, kind feedback in the lesson's language.

Each ``check_*`` takes the student's answer (usually a function they wrote), runs it on small
inputs, compares with attnlab's own tested code, and returns a :class:`Feedback` that prints
what is right or what to look at (which mask entries are wrong, the relative error of a
gradient, the expected shape). An exercise that still holds its placeholder says "not answered
yet" and gives nothing away. The language follows :func:`attnlab.i18n.set_language`.

One module per lesson: ``tour`` (00), ``softmax`` (01), ``attention`` (02), ``masks`` (03),
``backprop`` (04), ``heads`` (05), ``positions`` (06), ``tlob`` (07), ``training`` (08), ``gpt``
(09), ``decoding`` (10), ``rope_alibi`` (11). Every lesson imports them the same way:
``from attnlab import exercises as ex``; ``ex.check_rope(my_rope)``.
"""

from ..i18n import get_language, set_language
from ._feedback import Feedback
from .attention import check_attention, check_lookup
from .backprop import check_attention_backward, check_gelu_backward, check_softmax_backward
from .decoding import check_kv_step, check_nucleus, check_top_k
from .gpt import check_embedding_backward, check_masked_loss, check_shifted_batch
from .heads import check_in_proj_split, check_merge_heads, check_mha_param_count, check_split_heads
from .masks import check_causal_mask, check_combined_mask, check_padding_mask
from .positions import check_sinusoidal, check_unpermute
from .rope_alibi import check_alibi_slopes, check_rope, check_shift_rotation
from .softmax import check_softmax, check_softmax_jacobian, check_softmax_temperature
from .tlob import check_bin_temporal, check_tlob_map_shapes
from .tour import check_attention_shapes, check_causal_weights
from .training import check_macro_f1, check_tlob_labels

__all__ = [
    "Feedback",
    "check_alibi_slopes",
    "check_attention",
    "check_attention_backward",
    "check_attention_shapes",
    "check_bin_temporal",
    "check_causal_mask",
    "check_causal_weights",
    "check_combined_mask",
    "check_embedding_backward",
    "check_gelu_backward",
    "check_in_proj_split",
    "check_kv_step",
    "check_lookup",
    "check_macro_f1",
    "check_masked_loss",
    "check_merge_heads",
    "check_mha_param_count",
    "check_nucleus",
    "check_padding_mask",
    "check_rope",
    "check_shift_rotation",
    "check_shifted_batch",
    "check_sinusoidal",
    "check_softmax",
    "check_softmax_backward",
    "check_softmax_jacobian",
    "check_softmax_temperature",
    "check_split_heads",
    "check_tlob_labels",
    "check_tlob_map_shapes",
    "check_top_k",
    "check_unpermute",
    "get_language",
    "set_language",
]
