"""Training a 2-layer attention-only GPT until induction heads form (NumPy, AdamW).

    for each step:
        a fresh batch of RepeatTask sequences (never the same twice: no overfitting)
        lr = warmup_cosine(step);  loss = model(idx, targets);  model.backward()
        clip the gradients to global norm 1;  AdamW step (decay on 2-d weights only)
        every eval_every steps: losses and head scores on a fixed evaluation batch

The evaluation batch is drawn once (its own seed), so every point of the curves is measured on
the same sequences: the in-repeat loss falling from about ln V towards 0 while the loss on the
other tokens stays at about ln V is the phase change; the scores say which heads did it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from .._threads import blas_threads
from .._validate import check_positive_int, check_seed
from ..optim import AdamW, clip_grad_norm, warmup_cosine
from .induction_data import RepeatTask, repeat_batch
from .induction_scores import induction_scores, previous_token_scores, split_losses

EVAL_SEED, EVAL_BATCH = 12345, 128
# The settings that make the heads form (see the README and lesson 12 for the search).
TASK = dict(vocab_size=128, length=64, max_prefix=32, copies=1)
MODEL = dict(n_layer=2, n_head=4, n_embd=64, position="learned", attn_only=True)
# nanoGPT starts every weight at std 0.02; q.k is then ~0 and attention uniform, a saddle the
# heads take thousands of steps to leave. Starting c_attn (q, k, v) at std 0.1 lets them form
# within a few hundred steps (measured: see the README).
ATTN_INIT_STD = 0.1
TRAIN = dict(
    steps=2000,
    batch_size=32,
    max_lr=3e-3,
    min_lr=3e-4,
    warmup=200,
    weight_decay=0.1,
    betas=(0.9, 0.95),
    grad_clip=1.0,
    eval_every=50,
)
QUICK_STEPS = 600


@dataclass
class InductionHistory:
    """Training loss every step; losses and (n_layer, H) scores at every evaluation."""

    train_loss: list[float] = field(default_factory=list)
    eval_steps: list[int] = field(default_factory=list)
    loss_repeat: list[float] = field(default_factory=list)
    loss_other: list[float] = field(default_factory=list)
    previous_token: list[list[list[float]]] = field(default_factory=list)
    induction: list[list[list[float]]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        def r(x):
            return np.round(np.asarray(x, dtype=np.float64), 4).tolist()

        return dict(
            train_loss=r(self.train_loss),
            eval_steps=list(self.eval_steps),
            loss_repeat=r(self.loss_repeat),
            loss_other=r(self.loss_other),
            previous_token=r(self.previous_token),
            induction=r(self.induction),
            seconds=round(self.seconds, 1),
        )

    @classmethod
    def from_dict(cls, d: dict) -> InductionHistory:
        return cls(**{k: d[k] for k in cls.__dataclass_fields__})


def eval_batch(task: RepeatTask):
    """The fixed evaluation sequences (the same for every run of ``task``)."""
    return repeat_batch(task, EVAL_BATCH, EVAL_SEED)


def build_model(task: RepeatTask, seed: int, dtype=np.float32, **model):
    """A fresh attention-only GPT sized for ``task``: nanoGPT's init (seeded), with the
    attention's input projection c_attn at std ``attn_init_std`` (default ATTN_INIT_STD)."""
    from ..models import GPT, GPTConfig

    attn_std = model.pop("attn_init_std", ATTN_INIT_STD)
    qk_only = model.pop("qk_only", False)
    wpe_std = model.pop("wpe_init_std", None)
    config = GPTConfig(block_size=task.length, vocab_size=task.vocab_size, **{**MODEL, **model})
    gpt = GPT(config, rng=seed, dtype=dtype)
    E = config.n_embd
    for block in gpt.transformer.h:  # nanoGPT's N(0, 0.02^2) draw, rescaled to std attn_std
        rows = slice(0, 2 * E) if qk_only else slice(None)
        block.attn.c_attn.weight[rows] *= attn_std / 0.02
    if wpe_std is not None:
        gpt.transformer.wpe.weight[...] *= wpe_std / 0.02
    return gpt


def evaluate(model, batch, history: InductionHistory, step: int) -> None:
    """Append the losses and the scores of ``model`` on ``batch`` to ``history``."""
    loss_repeat, loss_other = split_losses(model, batch)
    maps = model.attention_maps
    history.eval_steps.append(step)
    history.loss_repeat.append(loss_repeat)
    history.loss_other.append(loss_other)
    history.previous_token.append(previous_token_scores(maps).tolist())
    history.induction.append(induction_scores(maps, batch.idx, batch.in_repeat).tolist())


def train_induction(
    seed: int = 0,
    *,
    task: RepeatTask | None = None,
    model: dict | None = None,
    steps: int | None = None,
    threads: int = 1,
    callback=None,
    log=None,
    **overrides,
):
    """Train a fresh model on ``task`` (default :data:`TASK`): ``(model, history)``.

    ``model`` changes entries of :data:`MODEL` (and ``attn_init_std``); ``overrides`` change
    entries of :data:`TRAIN`; ``callback(history)`` runs after every
    evaluation (e.g. to redraw a live curve); ``log(line)`` gets one line per evaluation.
    Raises TypeError / ValueError for bad arguments (an unknown override too) before training.
    """
    seed = check_seed(seed)
    task = RepeatTask(**TASK) if task is None else task
    if not isinstance(task, RepeatTask):
        raise TypeError(f"task must be a RepeatTask or None, got {type(task).__name__}")
    unknown = sorted(set(overrides) - set(TRAIN))
    if unknown:
        raise TypeError(
            f"train_induction got unknown setting(s) {', '.join(unknown)}; the settings are "
            f"{', '.join(TRAIN)}"
        )
    settings = {**TRAIN, **overrides}
    if steps is not None:
        settings["steps"] = steps
    settings["steps"] = check_positive_int(settings["steps"], "steps", allow_zero=True)
    for name in ("batch_size", "eval_every"):
        settings[name] = check_positive_int(settings[name], name)
    threads = check_positive_int(threads, "threads")
    total, every = settings["steps"], settings["eval_every"]
    model = build_model(task, seed, **(model or {}))
    no_decay = [k for k, p in model.params.items() if p.ndim < 2]  # biases, LayerNorm
    opt = AdamW(
        model,
        lr=settings["max_lr"],
        betas=settings["betas"],
        weight_decay=settings["weight_decay"],
        no_decay=no_decay,
    )
    rng = np.random.default_rng(seed)
    probe = eval_batch(task)
    history = InductionHistory()
    start = time.perf_counter()
    warmup = min(settings["warmup"], total)
    with blas_threads(threads):
        evaluate(model, probe, history, 0)
        for step in range(total):
            opt.lr = warmup_cosine(
                step, max_lr=settings["max_lr"], min_lr=settings["min_lr"], warmup=warmup,
                total=total,
            )  # fmt: skip
            batch = repeat_batch(task, settings["batch_size"], rng)
            model.zero_grad()
            _, loss = model(batch.idx, batch.targets)
            model.backward()
            clip_grad_norm(model, settings["grad_clip"])
            opt.step()
            history.train_loss.append(float(loss))
            if (step + 1) % every == 0 or step + 1 == total:
                evaluate(model, probe, history, step + 1)
                history.seconds = time.perf_counter() - start
                if log is not None:
                    log(history)
                if callback is not None:
                    callback(history)
    history.seconds = time.perf_counter() - start
    return model, history
