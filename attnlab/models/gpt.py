"""A GPT (decoder-only transformer) in NumPy, weight-compatible with nanoGPT's ``model.py``.

    x = wte[idx] + positions                 (B, T, E)  token embedding (+ learned/sinusoidal)
    for each block:                          pre-LayerNorm residual blocks
        x = x + attn(ln_1(x))                causal multi-head self-attention (+ RoPE/ALiBi)
        x = x + mlp(ln_2(x))                 E -> 4E -> E with exact GELU
    logits = ln_f(x) wte^T                   (B, T, V)  the head is tied to the embedding
    loss = mean cross-entropy(logits, targets) over positions whose target is not -1

The backward walks these lines in reverse. The tied weight ``transformer.wte.weight`` is used
twice (embedding and head), so its gradient is the sum of both uses.

Positions (``GPTConfig.position``): "learned" (nanoGPT's table ``wpe``, at most block_size
tokens) and "sinusoidal" (a fixed table, any length) are added to the token embeddings;
"rope" and "alibi" act inside every attention layer (:class:`gpt_blocks.CausalSelfAttention`)
and "none" uses the causal mask alone. Only "learned" has a ``transformer.wpe.weight``.
"""

from __future__ import annotations

import dataclasses
import math
from typing import NamedTuple

import numpy as np

from .._validate import as_dout, check_float_dtype, check_positive_int
from ..functional import (
    CrossEntropyCache,
    LinearCache,
    cross_entropy_backward,
    cross_entropy_forward,
    linear_backward,
    linear_forward,
    sinusoidal_encoding,
)
from ..nn import Linear, Module, ModuleList
from ..nn.embedding import Embedding
from ..nn.init import make_rng
from .checkpoint import load_checkpoint, save_checkpoint
from .gpt_blocks import Block, LayerNorm
from .gpt_config import RELATIVE_POSITIONS, GPTConfig
from .gpt_inputs import IGNORE_INDEX, check_head_mask, check_idx, check_targets
from .gpt_weights import load_gpt_state, state_with_head
from .kv_cache import KVCache, check_kv_cache


class GPTLossCache(NamedTuple):
    ce: CrossEntropyCache  # the loss over the kept positions
    keep: np.ndarray  # (B T,) True where the target is not -1
    logits_shape: tuple[int, int, int]  # (B, T, V)


class GPTCache(NamedTuple):
    head: LinearCache  # logits = ln_f(x) wte^T
    loss: GPTLossCache | None  # None for a forward without targets
    cached: bool  # True after a forward with a KV cache (no backward then)
    logits_shape: tuple[int, int, int]  # (B, T, V)


class GPT(Module):
    """nanoGPT's GPT: see the module docstring. ``GPT(config, rng=0, dtype=np.float64)``.

    Parameters (``params``, ``grads``) use nanoGPT's names: ``transformer.wte.weight``,
    ``transformer.wpe.weight`` (learned positions only), ``transformer.h.{i}.ln_1.weight``,
    ``transformer.h.{i}.attn.c_attn.weight``, ... ``transformer.ln_f.weight``. The head
    ``lm_head.weight`` is not a separate parameter: it *is* ``transformer.wte.weight`` (as in
    torch's ``named_parameters()``); :meth:`state_dict` lists it under both names, as
    nanoGPT's ``state_dict()`` does.
    """

    def __init__(self, config: GPTConfig, *, rng=None, dtype=np.float64):
        super().__init__()
        if isinstance(config, dict):
            config = GPTConfig(**config)
        if not isinstance(config, GPTConfig):
            raise TypeError(f"config must be a GPTConfig, got {type(config).__name__}")
        dtype = check_float_dtype(dtype)
        # The model's own copy, checked again: nothing done to ``config`` later reaches it.
        self.config = c = dataclasses.replace(config)
        self.transformer = Module()
        self.transformer.wte = Embedding(c.vocab_size, c.n_embd, dtype=dtype)
        if c.position == "learned":
            self.transformer.wpe = Embedding(c.block_size, c.n_embd, dtype=dtype)
        self.transformer.h = ModuleList(
            Block(c.n_embd, c.n_head, c.bias, c.attn_only, c.position, dtype=dtype)
            for _ in range(c.n_layer)
        )
        self.transformer.ln_f = LayerNorm(c.n_embd, c.bias, dtype=dtype)
        self._init_weights(make_rng(rng))
        self._sin_table = np.zeros((0, c.n_embd), dtype=dtype)  # grown on demand
        self._cache = None
        self._max_context = None if c.position in RELATIVE_POSITIONS else c.block_size

    def _init_weights(self, rng: np.random.Generator) -> None:
        """nanoGPT's init: N(0, 0.02^2) weights, c_proj weights N(0, (0.02 / sqrt(2 L))^2),
        zero biases, LayerNorm weight 1 (in the order of ``params``)."""
        proj_std = 0.02 / math.sqrt(2 * self.config.n_layer)
        for name, module in self.named_modules():
            if isinstance(module, (Linear, Embedding)):
                std = proj_std if name.endswith("c_proj.") else 0.02
                w = module.weight
                w[...] = rng.standard_normal(w.shape) * std
                if "bias" in module._params:
                    module.bias[...] = 0.0

    # -- inputs ----------------------------------------------------------------------------
    def check_idx(self, idx, name: str = "idx") -> np.ndarray:
        """``idx`` as an int64 (B, T) array of valid token ids, or a clear error."""
        return check_idx(idx, self.config.vocab_size, name)

    def _positions(self, start: int, T: int) -> np.ndarray | None:
        """The position rows added to tokens start .. start + T - 1: (T, E), or None."""
        c = self.config
        if c.position == "learned":
            return self.transformer.wpe(np.arange(start, start + T))  # (T, E)
        if c.position == "sinusoidal":
            if self._sin_table.shape[0] < start + T or self._sin_table.dtype != self.dtype:
                size = max(start + T, c.block_size)
                self._sin_table = sinusoidal_encoding(size, c.n_embd, dtype=self.dtype)
            return self._sin_table[start : start + T]  # (T, E)
        return None

    # -- forward and backward --------------------------------------------------------------
    def forward(self, idx, targets=None, *, head_mask=None, kv_cache: KVCache | None = None):
        """``(logits (B, T, V), loss)`` for token ids ``idx`` (B, T).

        ``targets`` (B, T): ids or -1 (ignored); the loss is the mean cross-entropy over the
        other positions (None without targets; all -1 is a ValueError). ``head_mask``
        (n_layer, n_head) multiplies each head's output (0 ablates a head). With a
        ``kv_cache`` (:meth:`new_kv_cache`), ``idx`` holds only the tokens that follow the
        cached ones (generation; no backward). The attention weights of every layer are in
        :attr:`attention_maps` afterwards.
        """
        c = self.config
        idx = self.check_idx(idx)
        B, T = idx.shape
        if kv_cache is not None:  # checked before any layer appends to it
            check_kv_cache(kv_cache, c, B, self.dtype)
        start = 0 if kv_cache is None else kv_cache.length
        if c.position == "learned" and start + T > c.block_size:
            where = f" after {start} cached tokens" if start else ""
            raise ValueError(
                f"cannot read {T} tokens{where}: this GPT learned positions for at most "
                f"block_size={c.block_size}; crop the context to the last {c.block_size} tokens"
            )
        if targets is not None:
            targets = check_targets(targets, idx.shape, c.vocab_size)
        if head_mask is not None:
            head_mask = check_head_mask(head_mask, c.n_layer, c.n_head, self.dtype)

        x = self.transformer.wte(idx)  # (B, T, E)
        pos = self._positions(start, T)  # (T, E) or None
        if pos is not None:
            x = x + pos  # (B, T, E)
        for i, block in enumerate(self.transformer.h):
            kv = None if kv_cache is None else kv_cache.layer(i)
            x = block(x, kv, None if head_mask is None else head_mask[i])  # (B, T, E)
        if kv_cache is not None:
            kv_cache.advance(T)
        x = self.transformer.ln_f(x)  # (B, T, E)
        logits, head_cache = linear_forward(x, self.transformer.wte.weight)  # (B, T, V)

        loss, loss_cache = None, None
        if targets is not None:
            loss, loss_cache = self._loss_forward(logits, targets)
        self._cache = GPTCache(
            head=head_cache, loss=loss_cache, cached=kv_cache is not None, logits_shape=logits.shape
        )
        return logits, loss

    def _loss_forward(self, logits, targets):
        V = logits.shape[-1]
        flat = logits.reshape(-1, V)  # (B T, V)
        t = targets.reshape(-1)  # (B T,)
        keep = t != IGNORE_INDEX  # (B T,)
        if keep.all():
            loss, ce = cross_entropy_forward(flat, t)
        else:
            loss, ce = cross_entropy_forward(flat[keep], t[keep])
        return loss, GPTLossCache(ce=ce, keep=keep, logits_shape=logits.shape)

    def backward(self, dlogits=None) -> None:
        """Add every parameter's gradient into ``grads``.

        ``backward()``: the gradient of the loss of the last forward (which needs targets).
        ``backward(dlogits)``: for any upstream gradient of the logits (B, T, V).
        """
        if self._cache is None:
            raise RuntimeError("call forward before backward")
        cache = self._cache
        if cache.cached:
            raise RuntimeError("no backward after a forward with a KV cache (generation only)")
        if dlogits is None:
            if cache.loss is None:
                raise RuntimeError(
                    "backward() needs the loss: call forward(idx, targets) first, "
                    "or pass the gradient of the logits: backward(dlogits)"
                )
            keep = cache.loss.keep  # (B T,)
            dflat = cross_entropy_backward(1.0, cache.loss.ce)  # (N kept, V)
            if not keep.all():
                full = np.zeros((keep.size, dflat.shape[-1]), dtype=dflat.dtype)  # (B T, V)
                full[keep] = dflat
                dflat = full
            dlogits = dflat.reshape(cache.loss.logits_shape)  # (B, T, V)
        else:
            dlogits = as_dout(dlogits, cache.logits_shape, self.dtype, "dlogits")  # (B, T, V)
        # logits = ln_f(x) wte^T: the head's use of wte
        dx, dwte, _ = linear_backward(dlogits, cache.head)  # (B, T, E), (V, E)
        self.transformer.wte._grads["weight"] += dwte
        dx = self.transformer.ln_f.backward(dx)  # (B, T, E)
        for block in reversed(self.transformer.h):
            dx = block.backward(dx)  # (B, T, E)
        # x = wte[idx] + wpe[arange(T)]: the embedding's use of wte, and the positions
        self.transformer.wte.backward(dx)
        if self.config.position == "learned":
            self.transformer.wpe.backward(dx.sum(axis=0))  # (T, E)
        return None

    @property
    def attention_maps(self) -> list[np.ndarray]:
        """Attention weights of the last forward, one (B, H, T, S) array per layer.

        Each is a new array (a copy of the layer's cache): changing it cannot change the
        backward."""
        if self._cache is None:
            raise RuntimeError("no attention maps yet: call forward first")
        return [block.attn.weights for block in self.transformer.h]

    # -- generation ------------------------------------------------------------------------
    @property
    def max_context(self) -> int | None:
        """The most tokens generation shows the model at once; older ones are cropped.

        "learned" and "sinusoidal": ``block_size``, nanoGPT's crop (a learned table has no
        rows beyond it; a sinusoidal model was never trained on positions past it). "rope",
        "alibi", "none": None, no crop: these positions are relative (or absent), so the whole
        sequence stays in context and the KV cache keeps every step (a step then costs one
        query row against all the previous keys: time per token grows with the length).
        Assign an int to crop to that window instead (at most block_size for "learned"), or
        None to keep everything (not for "learned").
        """
        return self._max_context

    @max_context.setter
    def max_context(self, value: int | None) -> None:
        learned = self.config.position == "learned"
        if value is None and learned:
            raise ValueError("learned positions cannot read past block_size: max_context=None")
        if value is not None:
            value = check_positive_int(value, "max_context")
            if learned and value > self.config.block_size:
                raise ValueError(
                    f"max_context={value} exceeds block_size={self.config.block_size}, the "
                    f"positions this GPT learned"
                )
        self._max_context = value

    def new_kv_cache(self, batch: int) -> KVCache:
        """An empty :class:`KVCache` for ``batch`` sequences (capacity block_size)."""
        c = self.config
        return KVCache(
            c.n_layer, batch, c.n_head, c.head_dim, capacity=c.block_size, dtype=self.dtype
        )

    def generate(
        self,
        idx,
        max_new_tokens: int,
        *,
        temperature: float = 1.0,
        top_k: int | None = None,
        top_p: float | None = None,
        greedy: bool = False,
        rng=None,
        use_cache: bool = True,
        stop=None,
        suppress=None,
    ) -> np.ndarray:
        """Continue ``idx`` (B, T) by up to ``max_new_tokens``: (B, T + n).

        Greedy (argmax) or sampled from :func:`attnlab.decoding.probabilities` with ``rng`` (a
        NumPy Generator or an int seed), over a KV cache unless ``use_cache=False`` (same
        tokens). Rows that produce a ``stop`` id are finished and padded with it; ``suppress``
        ids are never generated. See :func:`attnlab.decoding.generate`.
        """
        from ..decoding import generate

        return generate(
            self, idx, max_new_tokens, temperature=temperature, top_k=top_k, top_p=top_p,
            greedy=greedy, rng=rng, use_cache=use_cache, stop=stop, suppress=suppress,
        )  # fmt: skip

    # -- sizes, saving and loading ---------------------------------------------------------
    def get_num_params(self, non_embedding: bool = True) -> int:
        """Parameters, nanoGPT's way: wte once (tied); minus wpe when ``non_embedding``."""
        n = self.num_parameters()
        if non_embedding and self.config.position == "learned":
            n -= self.transformer.wpe.weight.size
        return n

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter by nanoGPT's name, plus ``lm_head.weight`` (the same
        array as ``transformer.wte.weight``), like nanoGPT's ``state_dict()``."""
        return state_with_head(super().state_dict())

    def load_state_dict(self, state, strict: bool = True) -> None:
        """Load a nanoGPT / torch-twin ``state_dict()`` (tensors or arrays), all or nothing.

        ``lm_head.weight`` may be present (it must equal ``transformer.wte.weight``);
        the ``transformer.h.{i}.attn.bias`` buffer (nanoGPT's causal mask) of each of this
        model's blocks is ignored (for a block it does not have: an unexpected key), and so
        is torch.compile's ``_orig_mod.`` prefix (a prefixed key beside its plain twin must
        hold the same value). Names, shapes, kinds of number (float or int: not bool,
        complex, None), values (finite, within the parameter's dtype: 1e300 cannot become inf
        in float32) are all checked before anything is written, as ``Module.load_state_dict``
        does: KeyError, ValueError, TypeError naming the key. ``strict``: True or False.
        """
        load_gpt_state(self, state, strict=strict)

    def load_torch_state_dict(self, state, strict: bool = True) -> None:
        """Same as :meth:`load_state_dict` (nanoGPT's keys are attnlab's keys)."""
        load_gpt_state(self, state, strict=strict)

    def save(self, path) -> None:
        """Write the config and the weights to an ``.npz`` checkpoint."""
        save_checkpoint(path, "GPT", self.config.to_dict(), super().state_dict())

    @classmethod
    def load(cls, path, dtype=np.float64) -> GPT:
        """A GPT from a checkpoint written by :meth:`save` (all or nothing)."""
        dtype = check_float_dtype(dtype)
        config, state = load_checkpoint(path, "GPT")
        try:
            model = cls(GPTConfig(**config), dtype=dtype)
        except TypeError as err:
            raise ValueError(f"{path} holds a config GPT cannot build: {config} ({err})") from None
        model.load_state_dict(state)
        return model

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.config.to_dict().items() if k != "dropout")
