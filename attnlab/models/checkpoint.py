"""Save and load a model's config and weights as one ``.npz`` file, all or nothing.

The file holds every parameter under its state_dict name, plus ``__model__`` (the class name)
and ``__config__`` (a JSON string), all plain arrays: loading never needs pickle. Reading checks
everything before a model is touched: a missing, truncated or foreign file, a ``.npy`` saved
under an ``.npz`` name, a config that is not JSON, and (:func:`check_state`) every weight's name,
shape, kind of number and size, each a clear error naming the file and the key.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

NPY_MAGIC = b"\x93NUMPY"


def save_checkpoint(path, model_name: str, config: dict, state: dict) -> None:
    """Write ``state`` (name -> array) with the model name and config to ``path`` (.npz)."""
    arrays = {k: np.asarray(v) for k, v in state.items()}
    arrays["__model__"] = np.array(model_name)
    arrays["__config__"] = np.array(json.dumps(config, sort_keys=True))
    with open(path, "wb") as f:  # an open file: np.savez does not append ".npz" to the name
        np.savez(f, **arrays)


def read_npz(path) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` file ``path``, read (and CRC-checked) now, file closed.

    Raises FileNotFoundError if there is no such file, ValueError if it is not a complete
    ``.npz`` archive of plain arrays (a directory, a ``.npy`` file, truncated, corrupt, pickled).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no file at {path}")
    if path.is_dir():
        raise ValueError(f"{path} is a directory, not an .npz file")
    problem = None
    try:
        with open(path, "rb") as f:  # our own handle: closed on every path, even a failed read
            if f.read(len(NPY_MAGIC)) == NPY_MAGIC:
                problem = "it is a .npy file (one array, written by np.save), not an .npz archive"
            else:
                f.seek(0)
                with np.load(f, allow_pickle=False) as data:
                    return {k: data[k] for k in data.files}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, AttributeError) as err:
        problem = f"truncated or corrupt? {type(err).__name__}: {err}"
    raise ValueError(f"{path} is not a readable .npz file ({problem})")


def load_checkpoint(path, model_name: str) -> tuple[dict, dict]:
    """Read ``(config, state)`` from a file written by :func:`save_checkpoint`.

    Raises FileNotFoundError if ``path`` does not exist and ValueError if it is not a complete
    attnlab checkpoint of ``model_name`` (truncated, corrupt, another model, a config that is
    not a JSON object). The weights themselves are checked by :func:`check_state`.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    arrays = read_npz(path)
    if "__model__" not in arrays or "__config__" not in arrays:
        raise ValueError(f"{path} is not an attnlab checkpoint (no __model__/__config__ entries)")
    found = str(arrays.pop("__model__"))
    if found != model_name:
        raise ValueError(f"{path} holds a {found} checkpoint, not {model_name}")
    text = str(arrays.pop("__config__"))
    try:
        config = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{path}: the stored config is not valid JSON ({err}): {text[:80]!r}"
        ) from None
    if not isinstance(config, dict):
        raise ValueError(f"{path}: the stored config must be a JSON object, got {text[:80]!r}")
    return config, arrays


def check_state(params: Mapping[str, np.ndarray], state: Mapping, where: str) -> dict:
    """``state``'s arrays cast to the dtypes of ``params``, after checking every one of them.

    Checks, naming the key (and ``where``, e.g. the file): the same names (KeyError listing the
    missing and unexpected ones), the same shapes (ValueError), real numbers (TypeError for
    bool, complex, text or objects), finite values, and values that fit the parameter's dtype
    (1e300 does not fit float32: ValueError). Nothing is written anywhere.
    """
    missing = [k for k in params if k not in state]
    unexpected = [k for k in state if k not in params]
    if missing or unexpected:
        raise KeyError(
            f"{where}: the weights do not match the model: missing keys {missing}, "
            f"unexpected keys {unexpected}"
        )
    out = {}
    for key, param in params.items():
        value = np.asarray(state[key])
        if value.dtype.kind not in "iuf":
            raise TypeError(f"{where}: {key} must hold real numbers, got dtype {value.dtype}")
        if value.shape != param.shape:
            raise ValueError(f"{where}: {key} has shape {value.shape}, expected {param.shape}")
        if not np.isfinite(value).all():
            raise ValueError(f"{where}: {key} contains NaN or inf")
        limit = np.finfo(param.dtype).max
        if value.size and np.abs(value).max() > limit:
            raise ValueError(
                f"{where}: {key} holds {np.abs(value).max():.3g}, beyond the largest "
                f"{param.dtype} ({limit:.3g})"
            )
        out[key] = value.astype(param.dtype)
    return out
