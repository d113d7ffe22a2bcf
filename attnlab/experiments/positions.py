"""What a learnable position table learns: one causal head must copy the previous token.

Inputs are random token vectors x (B, T, E); the target at position t is x[t-1], which the head
can only find through the positions. The model is a
:class:`~attnlab.nn.LearnablePositionalEncoding` (T, E) and one causal
:class:`~attnlab.nn.MultiHeadAttention` head, trained with Adam on the mean squared error.

Training is chaotic in its details: a change of 1e-13 in the learning rate moves the learned
table by 0.2 after 300 steps (the attention it produces by 1e-4), so two BLAS builds, whose
matrix products round differently, learn visibly different tables. The gallery therefore
draws the trained weights shipped in ``weights/learned_positions.npz``
(:func:`shipped_learned_positions`); the repository's ``tools/make_learned_positions.py``
trains and writes them again.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import NamedTuple

import numpy as np

SHIPPED = Path(__file__).with_name("weights") / "learned_positions.npz"
DEFAULTS = dict(length=16, dim=16, steps=300, seed=0, batch=32, lr=0.03)


class LearnedPositions(NamedTuple):
    before: np.ndarray  # (T, E) table at initialisation
    after: np.ndarray  # (T, E) table after training
    weights_before: np.ndarray  # (T, T) attention of one sequence at initialisation
    weights_after: np.ndarray  # (T, T) the same sequence after training
    losses: np.ndarray  # (steps,)
    state: dict  # the trained model's state_dict ("pos.weight", "attn.in_proj_weight", ...)


def _build(length: int, dim: int, seed: int):
    """The untrained model, the random generator after initialising it, and the probe sequence."""
    from ..nn import LearnablePositionalEncoding, Module, MultiHeadAttention

    rng = np.random.default_rng(seed)
    model = Module()
    model.pos = LearnablePositionalEncoding(length, dim, rng=rng)
    model.attn = MultiHeadAttention(dim, 1, rng=rng)
    probe = rng.standard_normal((1, length, dim))  # (1, T, E) the sequence shown in the figure
    return model, rng, probe


def _attention_of(model, x) -> np.ndarray:
    _, w = model.attn.forward(model.pos.forward(x), is_causal=True)  # (B, 1, T, T)
    return w[0, 0].copy()  # (T, T)


@functools.lru_cache(maxsize=4)
def train_learnable_positions(
    length: int = 16,
    dim: int = 16,
    steps: int = 300,
    seed: int = 0,
    batch: int = 32,
    lr: float = 0.03,
) -> LearnedPositions:
    """Train the table and the head for ``steps`` Adam steps (seeded; a second on one core).

    Returns the tables and the attention maps of a probe sequence before and after, the loss of
    every step and the trained ``state``. BLAS runs on one thread (small matrices: see
    :func:`attnlab.blas_threads`).
    """
    from .. import blas_threads
    from ..optim import Adam

    model, rng, probe = _build(length, dim, seed)
    before, weights_before = model.pos.weight.copy(), _attention_of(model, probe)
    opt, losses = Adam(model, lr=lr), []
    with blas_threads(1):
        for _ in range(steps):
            x = rng.standard_normal((batch, length, dim))  # (B, T, E)
            out, _ = model.attn.forward(model.pos.forward(x), is_causal=True)  # (B, T, E)
            diff = (out - np.roll(x, 1, axis=1))[:, 1:]  # (B, T-1, E) position 0 has no previous
            losses.append(float(np.mean(diff**2)))
            dout = np.zeros_like(out)  # (B, T, E)
            dout[:, 1:] = 2.0 * diff / diff.size
            opt.zero_grad()
            dq, dk, dv = model.attn.backward(dout)
            model.pos.backward(dq + dk + dv)  # self-attention: the input fed q, k and v
            opt.step()
    return LearnedPositions(
        before,
        model.pos.weight.copy(),
        weights_before,
        _attention_of(model, probe),
        np.array(losses),
        model.state_dict(),
    )


def save_learned_positions(result: LearnedPositions, path=SHIPPED, **config) -> Path:
    """Write a trained result (its state, its losses and the ``config`` it was trained with)."""
    config = {**DEFAULTS, **config}
    path = Path(path)
    arrays = {f"state.{k}": v for k, v in result.state.items()}
    with open(path, "wb") as f:  # an open file: np.savez does not append ".npz" to the name
        np.savez(f, losses=result.losses, config=np.array(json.dumps(config)), **arrays)
    return path


@functools.lru_cache(maxsize=1)
def shipped_learned_positions(path=SHIPPED) -> LearnedPositions:
    """The shipped trained result: the same tables and maps on any machine.

    The untrained side is rebuilt from the recorded seed (random draws, no arithmetic), the
    trained side from the shipped weights.
    """
    from ..models.checkpoint import read_npz

    arrays = read_npz(path)
    config = json.loads(str(arrays.pop("config")))
    losses = arrays.pop("losses")
    state = {k.removeprefix("state."): v for k, v in arrays.items()}
    model, _, probe = _build(config["length"], config["dim"], config["seed"])
    before, weights_before = model.pos.weight.copy(), _attention_of(model, probe)
    model.load_state_dict(state)
    return LearnedPositions(
        before, model.pos.weight.copy(), weights_before, _attention_of(model, probe), losses, state
    )
