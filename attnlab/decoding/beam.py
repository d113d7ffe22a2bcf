"""Beam search: keep the ``beams`` most likely continuations instead of one.

    score of a continuation y_1 .. y_n = (sum_i log p(y_i | prompt, y_<i)) / n ** length_penalty

Every step, each of the ``beams`` live hypotheses of a row is extended by every token, and
the extensions are ranked by summed log-probability (all have the same length n, so this is
also their rank by score). Among the ``beams`` best extensions, those that end in a ``stop``
id are finished: they go to the row's pool of finished hypotheses (the ``beams`` best by
score are kept). The ``beams`` best extensions that do not stop are the live hypotheses of
the next step, so a finisher never takes a live beam's place.

A row is done once its pool holds ``beams`` finished hypotheses and no live one scores better
than the worst of them; otherwise it runs to ``max_new_tokens``. Then the finished and the
live hypotheses are ranked together by score, and the ``beams`` best are returned. With
``length_penalty`` 1 the score is the mean log-probability per new token, so short finished
hypotheses are not favoured just for having fewer factors below 1 (0 ranks by the plain sum).

A live hypothesis is compared at its current length. With ``length_penalty`` <= 0 its score
can only fall as it grows, so a done row has found its best; with ``length_penalty`` > 0 a
long run of near-certain tokens could still raise a live mean, and beam search (like
Hugging Face's default) does not wait for that. ``beams=1`` is greedy decoding, with or
without stop ids. Ties go to the earlier beam, then the lower token id, and a finished
hypothesis ranks before a live one of the same score.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .._validate import check_bool, check_number, check_positive_int
from .context import NextLogits, check_model
from .generate import check_stop

# |length_penalty| * ln(n) stays below this: n ** length_penalty within 1e+-260, so a score
# (a sum of log-probabilities divided by it) never overflows to -inf or collapses to 0.
MAX_LOG_FACTOR = 600.0


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
    Raises TypeError / ValueError for bad arguments before any work.
    """
    check_model(model)
    idx = model.check_idx(idx)
    K = check_positive_int(beams, "beams")
    n_new = check_positive_int(max_new_tokens, "max_new_tokens", allow_zero=True)
    alpha = check_number(length_penalty, "length_penalty")
    stop = check_stop(stop, model.config.vocab_size)
    use_cache = check_bool(use_cache, "use_cache")
    if abs(alpha) * math.log(max(n_new, 1)) > MAX_LOG_FACTOR:
        raise ValueError(
            f"length_penalty {alpha} is too large in size for max_new_tokens={n_new}: the "
            f"score divides by n ** length_penalty, which must stay within float64 "
            f"(|length_penalty| * ln(max_new_tokens) <= {MAX_LOG_FACTOR})"
        )
    stops = set() if stop is None else set(stop.tolist())
    B, T = idx.shape
    V = model.config.vocab_size
    seqs = np.repeat(idx, K, axis=0)  # (B K, T) hypotheses of row b at rows b K .. b K + K - 1
    total = np.zeros((B, K))  # (B, K) summed log-probabilities
    total[:, 1:] = -np.inf  # at first all K hypotheses are the prompt: keep only one of them
    pools: list[list[tuple[float, np.ndarray]]] = [[] for _ in range(B)]  # finished, best first
    done = np.zeros(B, dtype=bool)  # (B,)
    next_logits = NextLogits(model, use_cache)

    def score(summed, n):
        return summed / n**alpha if n else summed

    n = 0
    for n in range(1, n_new + 1):
        logp = _log_softmax(next_logits(seqs)).reshape(B, K, V)  # (B, K, V)
        cand = (total[:, :, None] + logp).reshape(B, K * V)  # (B, K V)
        order = np.argsort(-cand, axis=1, kind="stable")  # (B, K V) best first
        parents = np.tile(np.arange(K), (B, 1))  # (B, K) which hypothesis each extends
        tokens = np.zeros((B, K), dtype=np.int64)  # (B, K)
        new_total = np.full((B, K), -np.inf)  # (B, K)
        for b in np.flatnonzero(~done):
            kept = 0
            for rank, c in enumerate(order[b]):
                summed = cand[b, c]
                if kept == K or not np.isfinite(summed):
                    break
                k, v = divmod(int(c), V)
                if v in stops:  # finished, if it is among the K best extensions
                    if rank < K:
                        seq = np.append(seqs[b * K + k], v)  # (T + n,)
                        pools[b].append((score(summed, n), seq))
                    continue
                parents[b, kept], tokens[b, kept], new_total[b, kept] = k, v, summed
                kept += 1
            pools[b].sort(key=lambda p: -p[0])  # stable: the earlier finisher wins ties
            del pools[b][K:]
            best_live = new_total[b, 0]  # the live hypotheses are in order, best first
            full = len(pools[b]) == K and score(best_live, n) <= pools[b][-1][0]
            done[b] = full or not np.isfinite(best_live)
        rows = (np.arange(B)[:, None] * K + parents).reshape(-1)  # (B K,)
        seqs = np.concatenate([seqs[rows], tokens.reshape(-1, 1)], axis=1)  # (B K, T + n)
        next_logits.reorder(rows)
        total = np.where(done[:, None], total, new_total)  # (B, K) done rows keep theirs
        if done.all():
            break
    return _collect(seqs, total, pools, done, n, score, stops)


def _collect(seqs, total, pools, done, n, score, stops) -> BeamSearchResult:
    """Rank finished and live hypotheses per row (done rows: their finished ones); pad."""
    B, K = total.shape
    rows = []
    for b in range(B):
        pool = list(pools[b])
        if not done[b]:
            pool += [(score(total[b, k], n), seqs[b * K + k]) for k in range(K)]
        pool = [p for p in pool if np.isfinite(p[0])]
        pool.sort(key=lambda p: -p[0])  # stable: finished before live, lower beam first
        rows.append(pool[:K])
    width = max(len(s) for r in rows for _, s in r)
    count = min(len(r) for r in rows)
    sequences = np.empty((B, count, width), dtype=np.int64)  # (B, beams, T + n)
    scores = np.empty((B, count))  # (B, beams)
    for b, r in enumerate(rows):
        for j, (value, s) in enumerate(r[:count]):
            sequences[b, j, : len(s)] = s
            sequences[b, j, len(s) :] = s[-1]  # only finished ones are short: their stop id
            scores[b, j] = value
    return BeamSearchResult(sequences[:, 0], scores[:, 0], sequences, scores)
