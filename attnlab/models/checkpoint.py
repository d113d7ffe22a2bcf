"""Save and load a model's config and weights as one ``.npz`` file.

The file holds every parameter under its state_dict name, plus ``__model__`` (the class name)
and ``__config__`` (a JSON string), all plain arrays: loading never needs pickle. Reading is
all or nothing: a truncated or foreign file is a ValueError before any weight is touched.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np


def save_checkpoint(path, model_name: str, config: dict, state: dict) -> None:
    """Write ``state`` (name -> array) with the model name and config to ``path`` (.npz)."""
    arrays = {k: np.asarray(v) for k, v in state.items()}
    arrays["__model__"] = np.array(model_name)
    arrays["__config__"] = np.array(json.dumps(config, sort_keys=True))
    with open(path, "wb") as f:  # an open file: np.savez does not append ".npz" to the name
        np.savez(f, **arrays)


def load_checkpoint(path, model_name: str) -> tuple[dict, dict]:
    """Read ``(config, state)`` from a file written by :func:`save_checkpoint`.

    Raises FileNotFoundError if ``path`` does not exist and ValueError if it is not a complete
    attnlab checkpoint of ``model_name`` (truncated, corrupt, or another model).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}  # reads (and CRC-checks) every array now
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as err:
        raise ValueError(
            f"{path} is not a readable .npz checkpoint (truncated or corrupt?): {err}"
        ) from None
    if "__model__" not in arrays or "__config__" not in arrays:
        raise ValueError(f"{path} is not an attnlab checkpoint (no __model__/__config__ entries)")
    found = str(arrays.pop("__model__"))
    if found != model_name:
        raise ValueError(f"{path} holds a {found} checkpoint, not {model_name}")
    config = json.loads(str(arrays.pop("__config__")))
    return config, arrays
