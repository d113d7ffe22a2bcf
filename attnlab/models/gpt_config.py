"""``GPTConfig``: the size and the options of a GPT, with nanoGPT's field names."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .._validate import check_bool, check_positive_int

# How the model knows where a token sits. Added to the token embeddings: "learned", nanoGPT's
# table wpe (block_size, E); "sinusoidal", the fixed sin/cos table (no parameters). Inside
# attention (no parameters): "rope" rotates each head's queries and keys by their positions;
# "alibi" subtracts m_h |i - j| from the scores. "none": no position information at all, only
# the causal mask.
POSITIONS = ("learned", "sinusoidal", "rope", "alibi", "none")
# Schemes with no table of absolute positions: the model runs on any length, and generation
# keeps the whole sequence in context (see GPT.max_context).
RELATIVE_POSITIONS = ("rope", "alibi", "none")


@dataclass(frozen=True)
class GPTConfig:
    """The shape of a GPT (nanoGPT's ``GPTConfig`` field names).

    Parameters
    ----------
    block_size : the context length: the rows of the learned table, the window generation
        crops to for learned and sinusoidal positions (the others run on any length)
    vocab_size : V, the number of token ids
    n_layer, n_head, n_embd : blocks, heads per block, width E (a multiple of n_head)
    bias : Linear and LayerNorm biases (False drops all of them, as in nanoGPT)
    position : "learned", "sinusoidal", "rope", "alibi" or "none" (see ``POSITIONS``)
    attn_only : blocks without MLP (and without ln_2), for interpretability
    dropout : kept for nanoGPT's ``model_args``; must be 0 (attnlab's GPT has no dropout)

    Frozen (unlike nanoGPT's): a config cannot change under a model built from it. For a
    variant, ``dataclasses.replace(config, position="rope")`` (checked again).
    Raises TypeError / ValueError for bad values.
    """

    block_size: int
    vocab_size: int
    n_layer: int
    n_head: int
    n_embd: int
    bias: bool = True
    position: str = "learned"
    attn_only: bool = False
    dropout: float = 0.0

    def __post_init__(self) -> None:
        # frozen: the checked values (plain int and bool) go in through object.__setattr__
        for name in ("block_size", "vocab_size", "n_layer", "n_head", "n_embd"):
            object.__setattr__(self, name, check_positive_int(getattr(self, name), name))
        for name in ("bias", "attn_only"):
            object.__setattr__(self, name, check_bool(getattr(self, name), name))
        if self.n_embd % self.n_head:
            raise ValueError(
                f"n_embd {self.n_embd} is not divisible by n_head {self.n_head}: "
                f"each head needs n_embd / n_head features"
            )
        if not isinstance(self.position, str) or self.position not in POSITIONS:
            raise ValueError(f"position must be one of {POSITIONS}, got {self.position!r}")
        if self.position == "sinusoidal" and self.n_embd % 2:
            raise ValueError(f"sinusoidal positions need an even n_embd, got {self.n_embd}")
        if self.position == "rope" and self.head_dim % 2:
            raise ValueError(
                f"rope rotates pairs of features: the head size n_embd / n_head = "
                f"{self.head_dim} must be even"
            )
        dropout = self.dropout
        if isinstance(dropout, bool) or not isinstance(
            dropout, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"dropout must be a number, got {dropout!r}")
        if dropout != 0:
            raise ValueError(
                f"dropout={dropout!r}, but attnlab's GPT has no dropout: it trains without it "
                f"and computes what nanoGPT computes in eval mode (inference never uses it). "
                f"Pass dropout=0.0; for nanoGPT's model_args (e.g. from a checkpoint): "
                f'GPTConfig(**{{**model_args, "dropout": 0.0}})'
            )

    @property
    def head_dim(self) -> int:
        """D = n_embd / n_head, the width of each head."""
        return self.n_embd // self.n_head

    def to_dict(self) -> dict:
        return asdict(self)
