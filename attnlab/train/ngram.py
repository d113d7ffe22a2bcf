"""Count-based baselines for next-token prediction: unigram and bigram, add-k smoothed.

    unigram:  p(v) = (count(v) + k) / (N + k V)
    bigram:   p(v | u) = (count(u v) + k) / (count(u .) + k V)

Perplexity on a token sequence = exp(mean negative log-likelihood of each next token), the
same quantity as exp(cross-entropy loss) of a language model. A GPT has to beat the bigram,
which already knows which token tends to follow which; what it adds is longer context.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_positive_int


def _check_tokens(tokens, vocab_size: int, name: str = "tokens") -> np.ndarray:
    arr = np.asarray(tokens)
    if arr.ndim != 1 or arr.dtype == bool or arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be a 1-d array of integer ids, got {arr.dtype} {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= vocab_size):
        raise ValueError(f"{name} must lie in [0, {vocab_size})")
    return arr.astype(np.int64, copy=False)


def _check_k(k) -> float:
    if isinstance(k, bool) or not isinstance(k, (int, float, np.integer, np.floating)):
        raise TypeError(f"k must be a number, got {type(k).__name__}")
    if not (np.isfinite(k) and k > 0):
        raise ValueError(f"k must be > 0 (add-k smoothing), got {k}")
    return float(k)


class UnigramModel:
    """``p(v)`` from counts, add-k smoothed (k=1: Laplace)."""

    def __init__(self, vocab_size: int, k: float = 1.0):
        self.V = check_positive_int(vocab_size, "vocab_size")
        self.k = _check_k(k)
        self.logp = None

    def fit(self, tokens) -> UnigramModel:
        counts = np.bincount(_check_tokens(tokens, self.V), minlength=self.V)  # (V,)
        self.logp = np.log((counts + self.k) / (counts.sum() + self.k * self.V))  # (V,)
        return self

    def nll(self, tokens) -> float:
        """Mean negative log-likelihood of tokens[1:] (each predicted without context)."""
        t = _check_tokens(tokens, self.V)
        return float(-self.logp[t[1:]].mean())

    def perplexity(self, tokens) -> float:
        return float(np.exp(self.nll(tokens)))


class BigramModel:
    """``p(v | previous token u)`` from pair counts, add-k smoothed."""

    def __init__(self, vocab_size: int, k: float = 1.0):
        self.V = check_positive_int(vocab_size, "vocab_size")
        self.k = _check_k(k)
        self.logp = None

    def fit(self, tokens) -> BigramModel:
        t = _check_tokens(tokens, self.V)
        counts = np.bincount(t[:-1] * self.V + t[1:], minlength=self.V * self.V)  # (V V,)
        counts = counts.reshape(self.V, self.V)  # (V, V) rows: previous token
        self.logp = np.log(
            (counts + self.k) / (counts.sum(axis=1, keepdims=True) + self.k * self.V)
        )  # (V, V)
        return self

    def nll(self, tokens) -> float:
        """Mean negative log-likelihood of tokens[1:] given the token before each."""
        t = _check_tokens(tokens, self.V)
        return float(-self.logp[t[:-1], t[1:]].mean())

    def perplexity(self, tokens) -> float:
        return float(np.exp(self.nll(tokens)))

    def predict(self, tokens) -> np.ndarray:
        """The most likely next token after each of ``tokens`` (N,)."""
        return np.argmax(self.logp[_check_tokens(tokens, self.V)], axis=1)
