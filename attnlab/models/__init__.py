"""Models built from attnlab modules: TLOB and its parts, plus a small pretrained TLOB."""

from .mlp import MLP
from .pretrained import load_pretrained
from .tlob import CLASSES, TLOB
from .transformer_layer import QKV, TransformerLayer

__all__ = ["CLASSES", "MLP", "QKV", "TLOB", "TransformerLayer", "load_pretrained"]
