"""Beam search: keep the ``beams`` most likely continuations instead of one.

    score of a continuation y_1 .. y_n = (sum_i log p(y_i | prompt, y_<i)) / n ** length_penalty

Every step, each of the ``beams`` hypotheses of a row is extended by every token; the
``beams`` best extensions by summed log-probability survive. A hypothesis that produces a
stop token is finished and set aside. At the end (or once a row has ``beams`` finished
hypotheses) the finished and the surviving ones are ranked by their *length-normalised*
score: with ``length_penalty`` 1 that is the mean log-probability per new token, so short
finished hypotheses are not favoured just for having fewer factors below 1 (0 ranks by the
plain sum). Ties go to the lower token id and the earlier beam.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import check_positive_int
from .context import NextLogits
from .generate import check_stop


class BeamSearchResult(NamedTuple):
    tokens: np.ndarray  # (B, T + n) the best sequence of each row (prompt included)
    scores: np.ndarray  # (B,) its length-normalised log-probability
    sequences: np.ndarray  # (B, beams, T + n) every returned hypothesis, best first
    all_scores: np.ndarray  # (B, beams) their scores


def _log_softmax(z: np.ndarray) -> np.ndarray:
    m = z.max(axis=-1, keepdims=True)  # (N, 1)
    shifted = z - m  # (N, V)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # (N, V)


def beam_search(
    model,
    idx,
    beams: int,
    max_new_tokens: int,
    *,
    length_penalty: float = 1.0,
    stop=None,
    use_cache: bool = True,
) -> BeamSearchResult:
    """Beam search from every row of ``idx`` (B, T): see the module docstring.

    Finished hypotheses shorter than the longest returned one are padded with their stop id.
    ``beams=1`` without ``stop`` is greedy decoding.
    """
    idx = model.check_idx(idx)
    K = check_positive_int(beams, "beams")
    n_new = check_positive_int(max_new_tokens, "max_new_tokens", allow_zero=True)
    if isinstance(length_penalty, bool) or not np.isfinite(length_penalty):
        raise ValueError(f"length_penalty must be a finite number, got {length_penalty}")
    stop = check_stop(stop, model.config.vocab_size)
    B, T = idx.shape
    V = model.config.vocab_size
    seqs = np.repeat(idx, K, axis=0)  # (B K, T) hypotheses of row b at rows b K .. b K + K - 1
    total = np.zeros((B, K))  # (B, K) summed log-probabilities
    total[:, 1:] = -np.inf  # at first all K hypotheses are the prompt: keep only one of them
    finished: list[list[tuple[float, np.ndarray]]] = [[] for _ in range(B)]
    done = np.zeros(B, dtype=bool)  # (B,) rows that have K finished hypotheses
    next_logits = NextLogits(model, use_cache)

    def norm(score, n):
        return score / (n**length_penalty) if n else score

    n = 0
    for n in range(1, n_new + 1):
        logp = _log_softmax(next_logits(seqs)).reshape(B, K, V)  # (B, K, V)
        cand = (total[:, :, None] + logp).reshape(B, K * V)  # (B, K V)
        n_stop = 0 if stop is None else len(stop)
        order = np.argsort(-cand, axis=1, kind="stable")[:, : K + n_stop]  # (B, K + n_stop)
        parents = np.empty((B, K), dtype=np.int64)  # (B, K) which hypothesis each extends
        tokens = np.empty((B, K), dtype=np.int64)  # (B, K)
        new_total = np.empty((B, K))  # (B, K)
        for b in range(B):
            kept = 0
            for c in order[b]:
                k, v = divmod(int(c), V)
                score = cand[b, c]
                if stop is not None and v in stop:
                    if not done[b] and np.isfinite(score):
                        seq = np.append(seqs[b * K + k], v)  # (T + n,)
                        finished[b].append((norm(score, n), seq))
                    continue
                if kept < K:
                    parents[b, kept], tokens[b, kept], new_total[b, kept] = k, v, score
                    kept += 1
            done[b] |= len(finished[b]) >= K
        rows = (np.arange(B)[:, None] * K + parents).reshape(-1)  # (B K,)
        seqs = np.concatenate([seqs[rows], tokens.reshape(-1, 1)], axis=1)  # (B K, T + n)
        next_logits.reorder(rows)
        total = new_total
        if done.all():
            break
    return _collect(seqs, total, finished, done, K, n, norm, stop)


def _collect(seqs, total, finished, done, K, n, norm, stop) -> BeamSearchResult:
    """Rank finished and surviving hypotheses per row; pad to one length."""
    B = total.shape[0]
    rows = []
    for b in range(B):
        pool = list(finished[b])
        if not done[b]:
            pool += [(norm(total[b, k], n), seqs[b * K + k]) for k in range(K)]
        pool = [p for p in pool if np.isfinite(p[0])]
        pool.sort(key=lambda p: -p[0])  # stable: earlier (finished first, lower beam) wins ties
        rows.append(pool[:K])
    width = max(len(s) for r in rows for _, s in r)
    count = min(len(r) for r in rows)
    sequences = np.empty((B, count, width), dtype=np.int64)  # (B, beams, T + n)
    scores = np.empty((B, count))  # (B, beams)
    for b, r in enumerate(rows):
        for j, (score, s) in enumerate(r[:count]):
            pad = s[-1] if stop is not None and s[-1] in stop else 0
            sequences[b, j, : len(s)] = s
            sequences[b, j, len(s) :] = pad
            scores[b, j] = score
    return BeamSearchResult(sequences[:, 0], scores[:, 0], sequences, scores)
