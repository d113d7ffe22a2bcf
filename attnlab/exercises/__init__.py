"""Exercise checkers for the lessons: specific, kind feedback in the lesson's language.

Each ``check_*`` takes the student's answer (usually a function they wrote), runs it on small
inputs, compares with attnlab's own tested code, and returns a :class:`Feedback` that prints
what is right or what to look at (which mask entries are wrong, the relative error of a
gradient, the expected shape). The language follows :func:`attnlab.show.set_language`.
"""

from ..show import get_language, set_language
from ._feedback import Feedback
from .backprop import check_attention_backward, check_softmax_backward
from .basics import (
    check_attention,
    check_attention_shapes,
    check_causal_mask,
    check_causal_weights,
    check_combined_mask,
    check_lookup,
    check_padding_mask,
    check_softmax,
    check_softmax_jacobian,
    check_softmax_temperature,
)
from .decoding import check_kv_step, check_nucleus, check_top_k  # lesson 10
from .gpt import check_embedding_backward, check_masked_loss, check_shifted_batch  # lesson 09
from .heads import (
    check_in_proj_split,
    check_merge_heads,
    check_mha_param_count,
    check_sinusoidal,
    check_split_heads,
    check_unpermute,
)
from .tlob import check_bin_temporal, check_macro_f1, check_tlob_labels, check_tlob_map_shapes

__all__ = [
    "Feedback",
    "check_attention",
    "check_attention_backward",
    "check_attention_shapes",
    "check_bin_temporal",
    "check_causal_mask",
    "check_causal_weights",
    "check_combined_mask",
    "check_in_proj_split",
    "check_lookup",
    "check_macro_f1",
    "check_merge_heads",
    "check_mha_param_count",
    "check_padding_mask",
    "check_sinusoidal",
    "check_softmax",
    "check_softmax_backward",
    "check_softmax_jacobian",
    "check_softmax_temperature",
    "check_split_heads",
    "check_tlob_labels",
    "check_tlob_map_shapes",
    "check_unpermute",
    "get_language",
    "set_language",
]
__all__ += ["check_embedding_backward", "check_kv_step", "check_masked_loss", "check_nucleus"]
__all__ += ["check_shifted_batch", "check_top_k"]
