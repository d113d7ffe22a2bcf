"""A PyTorch twin of TLOB, written from the same description (torch.nn modules, same key names).

``torch_tlob(**config)`` builds it; ``compare_tlob(model, x)`` copies an attnlab TLOB's weights
into the twin, runs both forward and backward with the same upstream gradient, and returns a
:class:`ParityReport` over the logits, the input gradient, every parameter gradient and every
attention map. torch is imported only when one of these is called.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_positive_int
from ._torch import numpy as to_numpy
from ._torch import require_torch, torch_dtype
from .report import ParityReport

STD_GUARD = 1e-4
# TLOB's config keys, in the order of its constructor (the sizes, then the flag).
CONFIG_KEYS = ("hidden_dim", "num_layers", "seq_size", "num_features", "num_heads", "is_sin_emb")
_CLASSES = {}


def _build():
    """Define the torch modules once, after importing torch."""
    if _CLASSES:
        return _CLASSES
    torch = require_torch()
    nn = torch.nn

    def zscore(x, dim):
        mu = x.mean(dim=dim, keepdim=True)
        s = x.std(dim=dim, keepdim=True)  # ddof=1 (unbiased), torch's default
        s = torch.where(s < STD_GUARD, torch.ones_like(s), s)
        return (x - mu) / s

    class BiN(nn.Module):
        def __init__(self, F, T):
            super().__init__()
            self.B1 = nn.Parameter(torch.zeros(T, 1))
            self.l1 = nn.Parameter(nn.init.xavier_normal_(torch.empty(T, 1)))
            self.B2 = nn.Parameter(torch.zeros(F, 1))
            self.l2 = nn.Parameter(nn.init.xavier_normal_(torch.empty(F, 1)))
            self.y1 = nn.Parameter(torch.full((1,), 0.5))
            self.y2 = nn.Parameter(torch.full((1,), 0.5))

        def forward(self, x):  # (B, F, T)
            X2 = self.l2 * zscore(x, 2) + self.B2  # temporal branch: over T, per feature
            X1 = self.l1.T * zscore(x, 1) + self.B1.T  # feature branch: over F, per time step
            return self.y1 * X1 + self.y2 * X2

    class MLP(nn.Module):
        def __init__(self, d_in, d_hidden, d_out):
            super().__init__()
            self.fc = nn.Linear(d_in, d_hidden)
            self.fc2 = nn.Linear(d_hidden, d_out)
            self.layer_norm = nn.LayerNorm(d_out)
            self.gelu = nn.GELU()

        def forward(self, x):
            y = self.fc2(self.gelu(self.fc(x)))
            if y.shape[-1] == x.shape[-1]:
                y = y + x
            return self.gelu(self.layer_norm(y))

    class QKV(nn.Module):
        def __init__(self, d, h):
            super().__init__()
            self.q, self.k, self.v = nn.Linear(d, d * h), nn.Linear(d, d * h), nn.Linear(d, d * h)

        def forward(self, x):
            return self.q(x), self.k(x), self.v(x)

    class TransformerLayer(nn.Module):
        def __init__(self, d, h, o):
            super().__init__()
            self.norm = nn.LayerNorm(d)
            self.qkv = QKV(d, h)
            self.attention = nn.MultiheadAttention(d * h, h, batch_first=True)
            self.mlp = MLP(d, 4 * d, o)
            self.w0 = nn.Linear(d * h, d)

        def forward(self, x):
            q, k, v = self.qkv(x)
            a, w = self.attention(q, k, v, need_weights=True, average_attn_weights=False)
            y = self.mlp(self.norm(self.w0(a) + x))
            if y.shape[-1] == x.shape[-1]:
                y = y + x
            return y, w

    class TorchTLOB(nn.Module):
        def __init__(
            self,
            hidden_dim=40,
            num_layers=4,
            seq_size=128,
            num_features=40,
            num_heads=1,
            is_sin_emb=True,
        ):
            super().__init__()
            E, L, T, F, h = hidden_dim, num_layers, seq_size, num_features, num_heads
            self.is_sin_emb = is_sin_emb
            self.order_type_embedder = nn.Embedding(3, 1)
            self.norm_layer = BiN(F, T)
            self.emb_layer = nn.Linear(F, E)
            if is_sin_emb:
                pos = torch.arange(T, dtype=torch.float64)[:, None]
                freq = 10000.0 ** (-torch.arange(0, E, 2, dtype=torch.float64) / E)
                table = torch.zeros(T, E, dtype=torch.float64)
                table[:, 0::2], table[:, 1::2] = torch.sin(pos * freq), torch.cos(pos * freq)
                self.sin_table = table  # a plain attribute: not in the state_dict
            else:
                self.pos_encoder = nn.Parameter(torch.randn(1, T, E))
            self.layers = nn.ModuleList()
            for i in range(L):
                last = i == L - 1
                self.layers.append(TransformerLayer(E, h, E // 4 if last else E))
                self.layers.append(TransformerLayer(T, h, T // 4 if last else T))
            head, d = [], (E // 4) * (T // 4)
            while d > 128:
                head += [nn.Linear(d, d // 4), nn.GELU()]
                d //= 4
            head.append(nn.Linear(d, 3))
            self.final_layers = nn.ModuleList(head)

        def forward(self, x):  # (B, T, F)
            x = self.norm_layer(x.permute(0, 2, 1)).permute(0, 2, 1)
            x = self.emb_layer(x)
            x = x + (self.sin_table.to(x.dtype) if self.is_sin_emb else self.pos_encoder)
            maps = []
            for layer in self.layers:
                x, w = layer(x)
                maps.append(w)
                x = x.permute(0, 2, 1)
            x = x.permute(0, 2, 1).reshape(x.shape[0], -1)
            for m in self.final_layers:
                x = m(x)
            return x, maps

    _CLASSES["TorchTLOB"] = TorchTLOB
    return _CLASSES


def torch_tlob(**config):
    """A torch ``nn.Module`` twin of :class:`attnlab.models.TLOB` with the same config and keys.

    ``forward(x)`` returns ``(logits, attention_maps)``, the maps as a list of (B, h, N, N).
    The config is checked as attnlab's TLOB checks it (TypeError / ValueError naming the key).
    """
    unknown = sorted(set(config) - set(CONFIG_KEYS))
    if unknown:
        raise TypeError(f"unknown TLOB config key(s) {unknown}; known: {list(CONFIG_KEYS)}")
    for key in CONFIG_KEYS[:-1]:  # the sizes; is_sin_emb is a flag
        if key in config:
            check_positive_int(config[key], key)
    for key in ("hidden_dim", "seq_size"):
        if config.get(key, 4) < 4:
            raise ValueError(
                f"{key} must be >= 4 (the last pair divides it by 4), got {config[key]}"
            )
    return _build()["TorchTLOB"](**config)


def twin_of(model, dtype=None):
    """The torch twin of an attnlab TLOB, holding a copy of its weights, in ``dtype``."""
    torch = require_torch()
    dtype = np.dtype(model.dtype if dtype is None else dtype)
    twin = torch_tlob(**model.config).to(torch_dtype(dtype))
    state = {k: torch.tensor(np.asarray(v, dtype=dtype)) for k, v in model.state_dict().items()}
    twin.load_state_dict(state, strict=True)  # raises on any missing / unexpected key
    return twin


def compare_tlob(model, x, dlogits=None, seed: int = 0) -> ParityReport:
    """Run an attnlab TLOB and its torch twin on ``x`` (B, T, F); compare everything.

    The report holds ``logits``, ``dx``, ``grad:<param name>`` for every parameter (except the
    unused ``order_type_embedder.weight``) and ``attention:<i>`` for every layer.
    """
    from ..models import TLOB

    if not isinstance(model, TLOB):
        raise TypeError(f"model must be an attnlab.models.TLOB, got {type(model).__name__}")
    seed = check_positive_int(seed, "seed", allow_zero=True)
    torch = require_torch()
    x = model.check_input(x)
    dtype = model.dtype
    if dlogits is None:
        dlogits = np.random.default_rng(seed).standard_normal((x.shape[0], 3)).astype(dtype)
    twin = twin_of(model)
    xt = torch.tensor(x, requires_grad=True)
    logits_t, maps_t = twin(xt)
    logits_t.backward(torch.tensor(np.asarray(dlogits, dtype=dtype)))

    model.zero_grad()
    logits = model.forward(x)
    dx = model.backward(dlogits)
    ours = {"logits": logits, "dx": dx}
    ref = {"logits": to_numpy(logits_t), "dx": to_numpy(xt.grad)}
    grads = model.grads
    for name, p in twin.named_parameters():
        if name == "order_type_embedder.weight":
            continue  # not used by 40-feature inputs: torch leaves its grad None
        ours[f"grad:{name}"], ref[f"grad:{name}"] = grads[name], to_numpy(p.grad)
    for i, ((kind, w), wt) in enumerate(zip(model.attention_maps, maps_t, strict=True)):
        ours[f"attention:{i}:{kind}"], ref[f"attention:{i}:{kind}"] = w, to_numpy(wt)
    title = "TLOB " + ", ".join(f"{k}={v}" for k, v in model.config.items())
    return ParityReport.from_arrays(title, dtype, ours, ref)
