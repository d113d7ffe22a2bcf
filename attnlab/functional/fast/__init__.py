"""The tuned path: the readable functions' maths, rearranged for speed, tested equal.

The functions a lesson shows (``attnlab.functional.attention_forward``, ``gelu_backward``,
...) are written as the maths reads. Each starts with one dispatch line, as nanoGPT's
``if self.flash: ... else: # manual implementation``: while the fast path is on (the
default) the call goes to the twin in this package, which computes the same numbers with

- attention (:mod:`.attention`): scores written in place a block of heads at a time, the
  softmax in place, ``matmul(out=)``, the row sums of the backward as ``dout . out``, and
  large jobs split between threads (:func:`attnlab.set_num_threads`);
- GELU (:mod:`.gelu`): the forward and the backward each in one array, written in place;
- the embedding's backward (:mod:`.embedding`): the scatter-add by sorting the ids and one
  ``reduceat`` per run of equal ids instead of ``np.add.at``.

Caches are the same NamedTuples on both paths, so a cache made with one setting is accepted
by the backward under the other. The switch is process-wide::

    attnlab.set_fast(False)           # every later call takes the readable path
    with attnlab.fast_path(False):    # only inside the block; the previous setting returns
        ...
"""

from __future__ import annotations

from .attention import attention_backward, attention_forward
from .embedding import embedding_backward
from .gelu import gelu_backward, gelu_forward
from .switch import fast_path, get_fast, set_fast

__all__ = [
    "attention_backward",
    "attention_forward",
    "embedding_backward",
    "fast_path",
    "gelu_backward",
    "gelu_forward",
    "get_fast",
    "set_fast",
]
