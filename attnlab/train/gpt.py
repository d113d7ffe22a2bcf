"""Training a small GPT as nanoGPT does, in NumPy: AdamW, warmup + cosine, clipping.

    for each step:
        x, y = batch_size random windows of the training tokens, y = x shifted by one
        lr = warmup_cosine(step);  loss = model(x, y);  model.backward()
        clip the gradients to global norm grad_clip;  AdamW step (decay on 2-d weights only)
        every eval_every steps: validation loss on fixed windows of the held-out tokens

The validation loss is the mean cross-entropy of every next token of the validation split,
read in consecutive windows of block_size tokens (so the first token of each window is
predicted with no context); its exponential is the perplexity, comparable with the unigram
and bigram baselines on the same tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .._threads import blas_threads
from ..i18n import tr
from ..metrics import perplexity, token_accuracy
from ..optim import AdamW, clip_grad_norm, warmup_cosine

TRAIN = dict(
    steps=1200,
    batch_size=16,
    max_lr=3e-3,
    min_lr=3e-4,
    warmup=60,
    weight_decay=0.1,
    betas=(0.9, 0.95),  # nanoGPT's and seed 001's
    grad_clip=1.0,
    eval_every=200,
)


@dataclass
class GPTHistory:
    """What happened during training: losses per step and per evaluation."""

    train_loss: list[float] = field(default_factory=list)  # every step
    lr: list[float] = field(default_factory=list)  # every step
    eval_steps: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)  # at eval_steps
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(
            train_loss=[round(x, 5) for x in self.train_loss],
            lr=[round(x, 8) for x in self.lr],
            eval_steps=self.eval_steps,
            val_loss=[round(x, 5) for x in self.val_loss],
            seconds=round(self.seconds, 1),
        )


def get_batch(tokens: np.ndarray, block_size: int, batch_size: int, rng) -> tuple:
    """``batch_size`` random windows: x (B, T) and the next tokens y (B, T)."""
    starts = rng.integers(0, len(tokens) - block_size, batch_size)  # (B,)
    offsets = starts[:, None] + np.arange(block_size)  # (B, T)
    return tokens[offsets], tokens[offsets + 1]


def eval_windows(tokens: np.ndarray, block_size: int) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive windows covering ``tokens``: x (W, T), y (W, T); the tail padded with -1."""
    n = len(tokens) - 1  # tokens that have a next token
    W = -(-n // block_size)  # ceil
    x = np.zeros(W * block_size, dtype=np.int64)  # (W T,)
    y = np.full(W * block_size, -1, dtype=np.int64)  # (W T,) -1: ignored by the loss
    x[:n], y[:n] = tokens[:-1], tokens[1:]
    return x.reshape(W, block_size), y.reshape(W, block_size)


def evaluate_lm(model, tokens: np.ndarray, batch_size: int = 64, kinds=None) -> dict:
    """Mean loss, perplexity, next-token accuracy (and event-kind accuracy) on ``tokens``.

    ``kinds`` (V,): the kind of each token id (order-book events); the kind accuracy compares
    the most likely kind (summing the probabilities of its tokens) with the true one.
    """
    x, y = eval_windows(tokens, model.config.block_size)
    total, count, hits, kind_hits = 0.0, 0, 0, 0
    for i in range(0, len(x), batch_size):
        xb, yb = x[i : i + batch_size], y[i : i + batch_size]
        logits, loss = model(xb, yb)  # (b, T, V)
        keep = yb != -1
        n = int(keep.sum())
        total += loss * n
        count += n
        hits += token_accuracy(logits[keep], yb[keep]) * n
        if kinds is not None:
            z = logits[keep]  # (n, V)
            p = np.exp(z - z.max(-1, keepdims=True))  # (n, V) unnormalised is enough
            by_kind = np.stack([p[:, kinds == k].sum(-1) for k in range(kinds.max() + 1)], 1)
            kind_hits += int((by_kind.argmax(1) == kinds[yb[keep]]).sum())
    loss = total / count
    out = dict(loss=loss, perplexity=perplexity(loss), accuracy=hits / count)
    if kinds is not None:
        out["kind_accuracy"] = kind_hits / count
    return out


def _progress(total: int, enabled: bool, desc: str):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is optional: no bar without it
        return None
    return tqdm(total=total, desc=desc, leave=False)


def train_gpt(
    model,
    train_tokens: np.ndarray,
    val_tokens: np.ndarray,
    *,
    steps: int,
    batch_size: int,
    max_lr: float,
    min_lr: float,
    warmup: int,
    weight_decay: float,
    betas=(0.9, 0.95),
    grad_clip: float = 1.0,
    eval_every: int = 250,
    seed: int = 0,
    threads: int = 1,
    progress: bool = True,
    log=print,
    lang: str | None = None,
    callback=None,
) -> GPTHistory:
    """Train ``model`` in place on ``train_tokens`` (see the module docstring).

    ``log`` gets one line per evaluation (None: quiet); ``callback(history)``, if given, is
    called after every step (e.g. to redraw a live loss curve every few steps).
    """
    rng = np.random.default_rng(seed)
    no_decay = [k for k, p in model.params.items() if p.ndim < 2]  # biases, LayerNorm
    opt = AdamW(model, lr=max_lr, betas=betas, weight_decay=weight_decay, no_decay=no_decay)
    history = GPTHistory()
    T = model.config.block_size
    bar = _progress(steps, progress, tr("entrenando", "training", lang))
    start = time.perf_counter()
    with blas_threads(threads):
        for step in range(steps):
            opt.lr = warmup_cosine(step, max_lr=max_lr, min_lr=min_lr, warmup=warmup, total=steps)
            x, y = get_batch(train_tokens, T, batch_size, rng)
            model.zero_grad()
            _, loss = model(x, y)
            model.backward()
            clip_grad_norm(model, grad_clip)
            opt.step()
            history.train_loss.append(loss)
            history.lr.append(opt.lr)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{loss:.3f}")
            if (step + 1) % eval_every == 0 or step + 1 == steps:
                val = evaluate_lm(model, val_tokens)["loss"]
                history.eval_steps.append(step + 1)
                history.val_loss.append(val)
                if log is not None:
                    recent = float(np.mean(history.train_loss[-eval_every:]))
                    log(
                        tr(
                            f"paso {step + 1:5d}  pérdida de entrenamiento {recent:.4f}  "
                            f"pérdida de validación {val:.4f}",
                            f"step {step + 1:5d}  train loss {recent:.4f}  val loss {val:.4f}",
                            lang,
                        )
                    )
            if callback is not None:
                callback(history)
    if bar is not None:
        bar.close()
    history.seconds = time.perf_counter() - start
    return history
