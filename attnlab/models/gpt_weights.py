"""Loading nanoGPT-style state dicts into :class:`attnlab.models.GPT`, all or nothing.

nanoGPT's ``state_dict()`` has the tied head twice (``transformer.wte.weight`` and
``lm_head.weight``, one tensor) and, without flash attention, a causal-mask buffer
``transformer.h.{i}.attn.bias`` per block; a ``torch.compile``d model prefixes every key with
``_orig_mod.``. All of that loads: the head is checked to equal the embedding, the buffers and
the prefix are dropped. Everything is validated before the first weight is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

HEAD = "lm_head.weight"
WTE = "transformer.wte.weight"
MASK_BUFFER = re.compile(r"transformer\.h\.\d+\.attn\.bias$")  # nanoGPT's causal-mask buffer
COMPILE_PREFIX = "_orig_mod."


def state_with_head(state: dict) -> dict:
    """``state`` plus ``lm_head.weight``: the same array as ``transformer.wte.weight``."""
    state = dict(state)
    state[HEAD] = state[WTE]
    return state


def as_array(value, key: str) -> np.ndarray:
    """A NumPy array from an array, a list or a torch tensor (no torch import)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        t = value.detach().cpu()
        if t.is_floating_point() and t.dtype not in _numpy_floats(t):
            t = t.float()  # bfloat16 and the like have no NumPy dtype: widen first
        return t.numpy()
    try:
        return np.asarray(value)
    except (TypeError, ValueError) as err:
        raise TypeError(f"state[{key!r}] is not an array: {err}") from None


def _numpy_floats(t) -> tuple:
    import torch  # only reached with a torch tensor in hand

    return (torch.float16, torch.float32, torch.float64)


def load_gpt_state(model, state: Mapping, *, strict: bool = True) -> None:
    """Validate ``state`` against ``model`` (names, shapes, dtypes, finiteness, tie), then copy."""
    if not isinstance(state, Mapping):
        raise TypeError(f"state must be a mapping name -> array, got {type(state).__name__}")
    arrays = {}
    for key, value in state.items():
        name = key[len(COMPILE_PREFIX) :] if key.startswith(COMPILE_PREFIX) else key
        if MASK_BUFFER.match(name):
            continue  # the causal mask is not a weight: attnlab builds it on the fly
        arrays[name] = as_array(value, key)
    params = model.params
    head = arrays.pop(HEAD, None)

    missing = [k for k in params if k not in arrays]
    unexpected = [k for k in arrays if k not in params]
    if strict and (missing or unexpected):
        raise KeyError(
            f"state_dict does not match this GPT ({model.config}): missing keys {missing}, "
            f"unexpected keys {unexpected}"
        )
    present = [k for k in params if k in arrays]
    bad_shapes = [
        f"{k}: expected {params[k].shape}, got {arrays[k].shape}"
        for k in present
        if arrays[k].shape != params[k].shape
    ]
    if head is not None and head.shape != params[WTE].shape:
        bad_shapes.append(f"{HEAD}: expected {params[WTE].shape}, got {head.shape}")
    if bad_shapes:
        raise ValueError("mis-shaped entries in state_dict: " + "; ".join(bad_shapes))
    checked = {k: arrays[k] for k in present}
    if head is not None:
        checked[HEAD] = head
    bad_types = [f"{k} ({a.dtype})" for k, a in checked.items() if a.dtype.kind != "f"]
    if bad_types:
        raise TypeError("state_dict entries must hold real floats: " + ", ".join(bad_types))
    bad_values = [k for k, a in checked.items() if not np.isfinite(a).all()]
    if bad_values:
        raise ValueError("state_dict entries contain NaN or inf: " + ", ".join(bad_values))
    if head is not None:
        wte = arrays.get(WTE, params[WTE])
        if not np.array_equal(head, wte):
            raise ValueError(
                f"{HEAD} differs from {WTE}: this GPT ties the head to the token embedding "
                f"(max difference {np.max(np.abs(head - wte)):.3g}); load a model with tied "
                f"weights, or drop {HEAD} from the state_dict to use the embedding for both"
            )
    for k in present:  # every check passed: now write
        np.copyto(params[k], arrays[k].astype(params[k].dtype, copy=False))
