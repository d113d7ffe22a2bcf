"""Loading nanoGPT-style state dicts into :class:`attnlab.models.GPT`, all or nothing.

nanoGPT's ``state_dict()`` has the tied head twice (``transformer.wte.weight`` and
``lm_head.weight``, one tensor) and, without flash attention, a causal-mask buffer
``transformer.h.{i}.attn.bias`` per block; a ``torch.compile``d model prefixes every key with
``_orig_mod.``. All of that loads: the head is checked to equal the embedding, the buffers of
the model's blocks and the prefix are dropped (a prefixed key next to its plain twin must hold
the same value). Every value is checked as ``Module.load_state_dict`` checks it
(:func:`attnlab._validate.check_state_value`: real numbers, the parameter's shape, finite,
within the parameter's dtype) before the first weight is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from .._validate import check_bool, check_state_value, to_numpy

HEAD = "lm_head.weight"
WTE = "transformer.wte.weight"
MASK_BUFFER = re.compile(r"transformer\.h\.(\d+)\.attn\.bias$")  # nanoGPT's causal-mask buffer
COMPILE_PREFIX = "_orig_mod."


def state_with_head(state: dict) -> dict:
    """``state`` plus ``lm_head.weight``: the same array as ``transformer.wte.weight``."""
    state = dict(state)
    state[HEAD] = state[WTE]
    return state


def _same_value(a, b) -> bool:
    try:
        return np.array_equal(to_numpy(a), to_numpy(b))
    except (TypeError, ValueError, RuntimeError, NotImplementedError):
        return False


def _entries(state: Mapping, n_layer: int) -> dict[str, tuple[str, object]]:
    """name -> (key as given, value): the compile prefix dropped, the mask buffers skipped."""
    entries: dict[str, tuple[str, object]] = {}
    for key, value in state.items():
        name = key[len(COMPILE_PREFIX) :] if str(key).startswith(COMPILE_PREFIX) else key
        buffer = MASK_BUFFER.match(str(name))
        if buffer and int(buffer.group(1)) < n_layer:
            continue  # the causal mask of one of our blocks: attnlab builds it on the fly
        if name in entries:
            other = entries[name][0]
            if not _same_value(entries[name][1], value):
                raise ValueError(
                    f"state_dict has both {other!r} and {key!r} (torch.compile's prefix) with "
                    f"different values: keep one of them"
                )
            continue
        entries[name] = (key, value)
    return entries


def load_gpt_state(model, state: Mapping, *, strict: bool = True) -> None:
    """Validate ``state`` against ``model`` (names, shapes, numbers, range, tie), then copy."""
    if not isinstance(state, Mapping):
        raise TypeError(f"state must be a mapping name -> array, got {type(state).__name__}")
    strict = check_bool(strict, "strict")
    entries = _entries(state, model.config.n_layer)
    params = model.params
    head = entries.pop(HEAD, None)

    missing = [k for k in params if k not in entries]
    unexpected = [k for k in entries if k not in params]
    if strict and (missing or unexpected):
        raise KeyError(
            f"state_dict does not match this GPT ({model.config}): missing keys {missing}, "
            f"unexpected keys {unexpected}"
        )
    values = {k: check_state_value(entries[k][1], entries[k][0], params[k]) for k in params
              if k in entries}  # fmt: skip
    if head is not None:
        head_value = check_state_value(head[1], head[0], params[WTE])
        wte = values.get(WTE, params[WTE])
        if not np.array_equal(head_value, wte):
            raise ValueError(
                f"{HEAD} differs from {WTE}: this GPT ties the head to the token embedding "
                f"(max difference {np.max(np.abs(head_value - wte)):.3g}); load a model with "
                f"tied weights, or drop {HEAD} from the state_dict to use the embedding for both"
            )
    for k, value in values.items():  # every check passed: now write
        np.copyto(params[k], value)
