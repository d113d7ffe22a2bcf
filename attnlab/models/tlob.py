"""TLOB (Berti and Kasneci, 2025, arXiv:2502.15757): dual attention over time and features.

Input x (B, T, F): T order-book events (seq_size) of F features. With hidden width E:

    x = BiN(x^T)^T                               (B, T, F)  bilinear normalisation
    x = emb_layer(x) + positions                 (B, T, E)
    for each of the 2 L transformer layers:      alternately attend over time and features
        x = layer(x); x = x^T                    (B, T, E) -> (B, E, T) -> (B, T, E) ...
    the last pair shrinks: E -> E//4, then T -> T//4, ending at (B, T//4, E//4)
    flatten as (B, E//4, T//4) -> (B, W) with W = (E//4)(T//4); head: Linear(W -> W//4) + GELU
    while W > 128, then Linear(W -> 3)           logits (B, 3): 0 up, 1 stationary, 2 down

Parameter names are those of the published implementation, so its state_dicts load as they
are. ``order_type_embedder.weight`` (3, 1) is only used for LOBSTER inputs with an order-type
column; it is kept (and loaded) but unused here, as for any 40-feature input.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import as_dout, as_float_array, check_float_dtype, check_positive_int
from ..functional import add_positions_backward, add_positions_forward, sinusoidal_encoding
from ..nn import GELU, BiN, Linear, Module, ModuleList
from ..nn.init import make_rng
from .checkpoint import check_state, load_checkpoint, save_checkpoint
from .transformer_layer import TransformerLayer

CLASSES = ("up", "stationary", "down")


class TLOBCache(NamedTuple):
    """What the backward needs from the forward, besides each layer's own cache."""

    positions: tuple  # the cache of add_positions_forward
    last_shape: tuple[int, int, int]  # (B, T//4, E//4): the tokens the head flattens


class TLOB(Module):
    """The TLOB classifier; see the module docstring for the computation.

    Parameters
    ----------
    hidden_dim : width E of the embedding (published default 40; 144 for FI-2010's features)
    num_layers : number of (temporal, feature) layer pairs L
    seq_size : number of events T per window
    num_features : features F per event (40 for a 10-level book)
    num_heads : attention heads h (each as wide as its layer's tokens)
    is_sin_emb : fixed sinusoidal positions (True) or a learned ``pos_encoder`` (1, T, E)
    dtype : float32 or float64 (TypeError otherwise)
    """

    def __init__(
        self,
        hidden_dim: int = 40,
        num_layers: int = 4,
        seq_size: int = 128,
        num_features: int = 40,
        num_heads: int = 1,
        is_sin_emb: bool = True,
        rng=None,
        dtype=np.float64,
    ):
        super().__init__()
        E = check_positive_int(hidden_dim, "hidden_dim")
        L = check_positive_int(num_layers, "num_layers")
        T = check_positive_int(seq_size, "seq_size")
        F = check_positive_int(num_features, "num_features")
        h = check_positive_int(num_heads, "num_heads")
        if E < 4 or T < 4:
            raise ValueError(
                f"hidden_dim and seq_size must be >= 4 (the last pair divides them by 4), "
                f"got {E} and {T}"
            )
        if is_sin_emb and E % 2:
            raise ValueError(f"sinusoidal positions need an even hidden_dim, got {E}")
        if F < 2:
            raise ValueError(f"num_features must be >= 2 (BiN's std over features), got {F}")
        dtype = check_float_dtype(dtype)
        self.config = dict(
            hidden_dim=E,
            num_layers=L,
            seq_size=T,
            num_features=F,
            num_heads=h,
            is_sin_emb=bool(is_sin_emb),
        )
        rng = make_rng(rng)
        self.order_type_embedder = Module()
        self.order_type_embedder.add_param("weight", rng.standard_normal((3, 1)).astype(dtype))
        self.norm_layer = BiN(F, T, rng=rng, dtype=dtype)
        self.emb_layer = Linear(F, E, rng=rng, dtype=dtype)
        if is_sin_emb:
            self.positions = sinusoidal_encoding(T, E, dtype=dtype)  # (T, E), not a parameter
        else:
            self.add_param("pos_encoder", rng.standard_normal((1, T, E)).astype(dtype))
        self.layers = ModuleList()
        for i in range(L):
            last = i == L - 1
            self.layers.append(TransformerLayer(E, h, E // 4 if last else E, rng=rng, dtype=dtype))
            self.layers.append(TransformerLayer(T, h, T // 4 if last else T, rng=rng, dtype=dtype))
        self.final_layers = ModuleList()
        width = (E // 4) * (T // 4)  # W, what the head reads per window
        while width > 128:
            self.final_layers.append(Linear(width, width // 4, rng=rng, dtype=dtype))
            self.final_layers.append(GELU())
            width //= 4
        self.final_layers.append(Linear(width, 3, rng=rng, dtype=dtype))
        self._cache: TLOBCache | None = None

    # -- forward and backward -----------------------------------------------------------------
    def check_input(self, x) -> np.ndarray:
        """x as an array of the model's dtype, or a ValueError naming the expected shape."""
        x = as_float_array(x, "x")  # NaN / inf -> ValueError
        T, F = self.config["seq_size"], self.config["num_features"]
        if x.ndim != 3:
            raise ValueError(
                f"TLOB expects x of shape (B, seq_size={T}, num_features={F}), got {x.shape}"
            )
        if x.shape[2] != F:
            raise ValueError(
                f"x has {x.shape[2]} features per event but this TLOB was built for "
                f"num_features={F} (x: {x.shape})"
            )
        if x.shape[1] != T:
            raise ValueError(
                f"x has {x.shape[1]} events per window but this TLOB was built for "
                f"seq_size={T} (x: {x.shape})"
            )
        return x.astype(self.dtype, copy=False)

    def forward(self, x) -> np.ndarray:
        """Logits (B, 3) for x (B, seq_size, num_features)."""
        x = self.check_input(x)  # (B, T, F)
        x = self.norm_layer(x.transpose(0, 2, 1)).transpose(0, 2, 1)  # (B, T, F)
        x = self.emb_layer(x)  # (B, T, E)
        table = self.positions if self.config["is_sin_emb"] else self.pos_encoder[0]  # (T, E)
        x, pos_cache = add_positions_forward(x, table)  # (B, T, E)
        for layer in self.layers:  # after each layer, tokens and features swap roles
            x = layer(x).swapaxes(1, 2)  # (B, E, T), then (B, T, E), ...
        # x is (B, T//4, E//4); the published code flattens it as (B, E//4, T//4) in C order
        B, t, e = x.shape
        flat = np.ascontiguousarray(x.swapaxes(1, 2)).reshape(B, e * t)  # (B, W)
        for module in self.final_layers:
            flat = module(flat)  # (B, W//4) ... (B, 3)
        self._cache = TLOBCache(positions=pos_cache, last_shape=(B, t, e))
        return flat

    def backward(self, dlogits) -> np.ndarray:
        """Gradient of the input (B, T, F); adds every parameter's gradient into ``grads``."""
        if self._cache is None:
            raise RuntimeError("call forward before backward")
        B, t, e = self._cache.last_shape
        dflat = as_dout(dlogits, (B, 3), self.dtype, "dlogits")  # (B, 3)
        for module in reversed(self.final_layers):
            dflat = module.backward(dflat)  # ... (B, W)
        dx = dflat.reshape(B, e, t).swapaxes(1, 2)  # (B, T//4, E//4)
        for layer in reversed(self.layers):
            dx = layer.backward(dx.swapaxes(1, 2))  # undo the swap, then the layer
        dx, dtable = add_positions_backward(dx, self._cache.positions)  # (B, T, E), (T, E)
        if not self.config["is_sin_emb"]:
            self._grads["pos_encoder"] += dtable[None]
        dx = self.emb_layer.backward(dx)  # (B, T, F)
        return self.norm_layer.backward(dx.transpose(0, 2, 1)).transpose(0, 2, 1)  # (B, T, F)

    @property
    def attention_maps(self) -> list[tuple[str, np.ndarray]]:
        """``[(kind, weights), ...]`` of the last forward, kind "temporal" or "feature",
        weights (B, h, N, N): N = seq_size for temporal layers, the layer's feature count for
        feature layers (hidden_dim, and hidden_dim // 4 in the last pair)."""
        if self._cache is None:
            raise RuntimeError("no attention maps yet: call forward first")
        return [
            ("temporal" if i % 2 == 0 else "feature", layer.weights)
            for i, layer in enumerate(self.layers)
        ]

    def predict(self, x) -> np.ndarray:
        """Class indices (B,): 0 up, 1 stationary, 2 down."""
        return np.argmax(self.forward(x), axis=1)

    # -- saving and loading -------------------------------------------------------------------
    def save(self, path) -> None:
        """Write the config and every parameter to an ``.npz`` file."""
        save_checkpoint(path, "TLOB", self.config, self.state_dict())

    @classmethod
    def load(cls, path, dtype=np.float64) -> TLOB:
        """Build a TLOB from the config stored in ``path`` and load its weights.

        Everything is checked before the model exists: the file, its config (a TLOB can be
        built from it) and every weight (:func:`~attnlab.models.checkpoint.check_state`).
        """
        dtype = check_float_dtype(dtype)
        config, state = load_checkpoint(path, "TLOB")
        try:
            model = cls(**config, dtype=dtype)
        except (TypeError, ValueError) as err:  # an unknown key, a wrong type or value
            raise ValueError(f"{path} holds a config TLOB cannot build: {config} ({err})") from None
        model.load_state_dict(check_state(model.params, state, str(path)))
        return model

    def load_weights(self, path) -> None:
        """Load weights saved by :meth:`save` into this model, all or nothing.

        Another config is a ValueError; so is any weight that fails
        :func:`~attnlab.models.checkpoint.check_state`. Nothing is written unless all fit.
        """
        config, state = load_checkpoint(path, "TLOB")
        diff = {k: (config.get(k), v) for k, v in self.config.items() if config.get(k) != v}
        if diff:
            raise ValueError(f"{path} holds a TLOB with another config (file, model): {diff}")
        self.load_state_dict(check_state(self.params, state, str(path)))

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.config.items())
