"""Modules: parameters + gradients + the cache of the last forward, over the functional pairs."""

from .._validate import to_numpy
from .activation import GELU
from .attention import MultiHeadAttention
from .bin import BiN
from .embedding import Embedding
from .linear import LayerNorm, Linear
from .module import Module, ModuleList
from .positional import LearnablePositionalEncoding, SinusoidalPositionalEncoding

__all__ = [
    "BiN",
    "Embedding",
    "GELU",
    "LayerNorm",
    "LearnablePositionalEncoding",
    "Linear",
    "Module",
    "ModuleList",
    "MultiHeadAttention",
    "SinusoidalPositionalEncoding",
    "to_numpy",
]
