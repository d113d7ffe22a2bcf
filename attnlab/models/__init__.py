"""Models built from attnlab modules: TLOB and its parts, a GPT, and small pretrained models."""

from .gpt import GPT
from .gpt_config import GPTConfig
from .kv_cache import KVCache
from .mlp import MLP
from .pretrained import load_pretrained
from .pretrained_gpt import load_pretrained_gpt
from .tlob import CLASSES, TLOB
from .transformer_layer import QKV, TransformerLayer

__all__ = [
    "CLASSES",
    "GPT",
    "GPTConfig",
    "KVCache",
    "MLP",
    "QKV",
    "TLOB",
    "TransformerLayer",
    "load_pretrained",
    "load_pretrained_gpt",
]
