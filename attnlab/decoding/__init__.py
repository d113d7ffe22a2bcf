"""Decoding: turning a language model's logits into tokens.

- :func:`probabilities`: the distribution sampling draws from (temperature, top-k, top-p);
- :func:`sample`: one reproducible draw per row;
- :func:`generate`: greedy or sampled continuation, with a KV cache (``GPT.generate``);
- :func:`beam_search`: the ``beams`` best continuations by length-normalised log-probability;
- :func:`distinct_n`: how repetitive a generated text is.
"""

from .beam import BeamSearchResult, beam_search
from .context import NextLogits
from .distribution import probabilities, sample
from .diversity import distinct_n
from .generate import generate

__all__ = [
    "BeamSearchResult",
    "NextLogits",
    "beam_search",
    "distinct_n",
    "generate",
    "probabilities",
    "sample",
]
