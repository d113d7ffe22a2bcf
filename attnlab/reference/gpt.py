"""A PyTorch twin of :class:`attnlab.models.GPT`, written from nanoGPT's architecture.

``torch_gpt(config)`` builds it (``nn.Embedding``, ``nn.Linear``, ``F.layer_norm``, exact
``F.gelu``, a manual masked softmax so the attention weights can be compared, or causal SDPA
with ``flash=True``), and every position scheme of ``GPTConfig.position`` ("rope" and "alibi"
from :mod:`attnlab.reference.rope`, written from the papers in torch's idiom); its
``state_dict()`` has nanoGPT's keys, including ``lm_head.weight``
(tied to ``transformer.wte.weight``) and the causal-mask buffers ``transformer.h.{i}.attn.bias``
of nanoGPT's non-flash path. ``twin_generate`` is nanoGPT's ``generate`` loop (cropping to
the model's ``max_context``: block_size, or nothing for relative positions).
``compare_gpt(model, idx, targets)`` runs both and returns a :class:`ParityReport`.
torch is imported only when one of these is called.
"""

from __future__ import annotations

import math

import numpy as np

from ._torch import numpy as to_numpy
from ._torch import require_torch, torch_dtype
from .report import ParityReport
from .rope import torch_alibi_bias, torch_rope

_CLASSES: dict = {}


def _build():
    """Define the torch modules once, after importing torch."""
    if _CLASSES:
        return _CLASSES
    torch = require_torch()
    nn, F = torch.nn, torch.nn.functional

    class LayerNorm(nn.Module):
        def __init__(self, ndim, bias):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(ndim))
            self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

        def forward(self, x):
            return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)

    class CausalSelfAttention(nn.Module):
        def __init__(self, c, flash):
            super().__init__()
            self.c_attn = nn.Linear(c.n_embd, 3 * c.n_embd, bias=c.bias)
            self.c_proj = nn.Linear(c.n_embd, c.n_embd, bias=c.bias)
            self.n_head, self.flash, self.position = c.n_head, flash, c.position
            if not flash:  # nanoGPT's mask buffer (it appears in the state_dict)
                mask = torch.tril(torch.ones(c.block_size, c.block_size))
                self.register_buffer("bias", mask.view(1, 1, c.block_size, c.block_size))
            self.weights = None

        def forward(self, x, head_mask=None):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(C, dim=2)
            q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
            k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            if self.position == "rope":
                q, k = torch_rope(q, np.arange(T)), torch_rope(k, np.arange(T))
            bias = None
            if self.position == "alibi":
                bias = torch_alibi_bias(self.n_head, np.arange(T), np.arange(T), q.dtype)
            causal = torch.tril(torch.ones(T, T, dtype=torch.bool))  # any length
            if self.flash and bias is None:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            elif self.flash:  # SDPA takes one mask: ALiBi with -inf above the diagonal
                mask = bias.masked_fill(~causal, float("-inf"))
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            else:
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                if bias is not None:
                    att = att + bias
                att = att.masked_fill(~causal, float("-inf"))
                att = F.softmax(att, dim=-1)
                self.weights = att
                y = att @ v  # (B, nh, T, hs)
            if head_mask is not None:
                y = y * head_mask[None, :, None, None]
            y = y.transpose(1, 2).contiguous().view(B, T, C)
            return self.c_proj(y)

    class MLP(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.c_fc = nn.Linear(c.n_embd, 4 * c.n_embd, bias=c.bias)
            self.c_proj = nn.Linear(4 * c.n_embd, c.n_embd, bias=c.bias)

        def forward(self, x):
            return self.c_proj(F.gelu(self.c_fc(x)))  # exact erf GELU

    class Block(nn.Module):
        def __init__(self, c, flash):
            super().__init__()
            self.ln_1 = LayerNorm(c.n_embd, c.bias)
            self.attn = CausalSelfAttention(c, flash)
            if not c.attn_only:
                self.ln_2 = LayerNorm(c.n_embd, c.bias)
                self.mlp = MLP(c)
            self.attn_only = c.attn_only

        def forward(self, x, head_mask=None):
            x = x + self.attn(self.ln_1(x), head_mask)
            if not self.attn_only:
                x = x + self.mlp(self.ln_2(x))
            return x

    class TorchGPT(nn.Module):
        def __init__(self, c, flash=False):
            super().__init__()
            self.config = c
            modules = dict(wte=nn.Embedding(c.vocab_size, c.n_embd))
            if c.position == "learned":
                modules["wpe"] = nn.Embedding(c.block_size, c.n_embd)
            modules["h"] = nn.ModuleList([Block(c, flash) for _ in range(c.n_layer)])
            modules["ln_f"] = LayerNorm(c.n_embd, c.bias)
            self.transformer = nn.ModuleDict(modules)
            self.lm_head = nn.Linear(c.n_embd, c.vocab_size, bias=False)
            self.transformer.wte.weight = self.lm_head.weight  # weight tying, as nanoGPT

        def sinusoidal(self, T, dtype):
            E = self.config.n_embd
            pos = torch.arange(T, dtype=torch.float64)[:, None]
            freq = torch.pow(10000.0, -torch.arange(0, E, 2, dtype=torch.float64) / E)
            table = torch.zeros(T, E, dtype=torch.float64)
            table[:, 0::2] = torch.sin(pos * freq)
            table[:, 1::2] = torch.cos(pos * freq)
            return table.to(dtype)

        def forward(self, idx, targets=None, head_mask=None):
            b, t = idx.size()
            x = self.transformer.wte(idx)
            if self.config.position == "learned":
                x = x + self.transformer.wpe(torch.arange(0, t, dtype=torch.long))
            elif self.config.position == "sinusoidal":
                x = x + self.sinusoidal(t, x.dtype)
            for i, block in enumerate(self.transformer.h):
                x = block(x, None if head_mask is None else head_mask[i])
            x = self.transformer.ln_f(x)
            logits = self.lm_head(x)
            loss = None
            if targets is not None:
                loss = F.cross_entropy(
                    logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
                )
            return logits, loss

        @torch.no_grad()
        def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None, crop="block"):
            """nanoGPT's loop: crop to block_size (or to ``crop``; None: never), last logits / T,
            top-k, sample."""
            for _ in range(max_new_tokens):
                bs = self.config.block_size if crop == "block" else crop
                idx_cond = idx if bs is None or idx.size(1) <= bs else idx[:, -bs:]
                logits, _ = self(idx_cond)
                logits = logits[:, -1, :] / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                    logits[logits < v[:, [-1]]] = -float("Inf")
                probs = F.softmax(logits, dim=-1)
                idx_next = torch.multinomial(probs, num_samples=1)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    _CLASSES["TorchGPT"] = TorchGPT
    return _CLASSES


def torch_gpt(config, *, flash: bool = False):
    """A torch twin of ``GPT(config)`` (random weights; load ours with :func:`twin_of`)."""
    return _build()["TorchGPT"](config, flash=flash)


def twin_of(model, dtype=None, *, flash: bool = False):
    """The torch twin of an attnlab GPT, holding a copy of its weights, in ``dtype``."""
    torch = require_torch()
    dtype = np.dtype(model.dtype if dtype is None else dtype)
    twin = torch_gpt(model.config, flash=flash).to(torch_dtype(dtype))
    state = {k: torch.tensor(np.asarray(v, dtype=dtype)) for k, v in model.state_dict().items()}
    missing, unexpected = twin.load_state_dict(state, strict=False)
    buffers = {n for n, _ in twin.named_buffers()}
    if unexpected or set(missing) - buffers:
        raise KeyError(f"twin keys differ: missing {missing}, unexpected {unexpected}")
    return twin


def twin_generate(model, idx, max_new_tokens, *, top_k=None, temperature=1.0, seed=0):
    """nanoGPT's ``generate`` run by the torch twin of ``model`` (float64); ids as NumPy.

    The context is cropped to ``model.max_context`` tokens (block_size; never for a GPT whose
    ``max_context`` is None)."""
    torch = require_torch()
    torch.manual_seed(seed)
    twin = twin_of(model, np.float64)
    crop = getattr(model, "max_context", model.config.block_size)
    out = twin.generate(torch.tensor(np.asarray(idx)), max_new_tokens, temperature, top_k, crop)
    return out.numpy()


def compare_gpt(model, idx, targets=None, *, head_mask=None, dlogits=None, seed=0):
    """Run an attnlab GPT and its torch twin; compare logits, loss, gradients, attention.

    With ``targets`` the backward is that of the loss (``backward()``), otherwise of a random
    upstream gradient ``dlogits``. Keys: ``logits``, ``loss``, ``grad:<param>``,
    ``attention:<layer>``.
    """
    torch = require_torch()
    dtype = model.dtype
    idx = model.check_idx(idx)
    twin = twin_of(model)
    tm = None if head_mask is None else torch.tensor(np.asarray(head_mask, dtype=dtype))
    tt = None if targets is None else torch.tensor(np.asarray(targets, dtype=np.int64))
    logits_t, loss_t = twin(torch.tensor(idx), tt, tm)

    model.zero_grad()
    logits, loss = model.forward(idx, targets, head_mask=head_mask)
    if targets is None:
        if dlogits is None:
            dlogits = np.random.default_rng(seed).standard_normal(logits.shape).astype(dtype)
        logits_t.backward(torch.tensor(np.asarray(dlogits, dtype=dtype)))
        model.backward(dlogits)
    else:
        loss_t.backward()
        model.backward()
    ours = {"logits": logits}
    ref = {"logits": to_numpy(logits_t)}
    if loss is not None:
        ours["loss"], ref["loss"] = np.array(loss), to_numpy(loss_t)
    grads = model.grads
    for name, p in twin.named_parameters():  # the tied weight once, as transformer.wte.weight
        ours[f"grad:{name}"], ref[f"grad:{name}"] = grads[name], to_numpy(p.grad)
    for i, block in enumerate(twin.transformer.h):
        if block.attn.weights is not None:
            ours[f"attention:{i}"] = model.attention_maps[i]
            ref[f"attention:{i}"] = to_numpy(block.attn.weights)
    title = "GPT " + model.extra_repr()
    return ParityReport.from_arrays(title, dtype, ours, ref)
