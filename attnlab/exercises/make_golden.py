"""Regenerate the torch results the lessons compare with when torch is not installed.

    python -m attnlab.exercises.make_golden          (needs torch)

``data/tlob_tiny_torch.npz``: a tiny TLOB built and initialised **by torch** (the twin in
:mod:`attnlab.reference.tlob`), its ``state.*`` weights, an input ``x`` and torch's ``logits``.
Lesson 07 loads the weights into attnlab's NumPy TLOB and compares the logits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

TLOB_TINY = Path(__file__).with_name("data") / "tlob_tiny_torch.npz"
TLOB_TINY_CONFIG = dict(
    hidden_dim=8, num_layers=2, seq_size=16, num_features=40, num_heads=1, is_sin_emb=True
)


def load_tlob_tiny() -> tuple[dict, dict[str, np.ndarray], np.ndarray, np.ndarray, str]:
    """``(config, state, x, logits, torch_version)`` of the stored tiny TLOB."""
    with np.load(TLOB_TINY, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        state = {k[len("state.") :]: data[k] for k in data.files if k.startswith("state.")}
        return meta["config"], state, data["x"], data["logits"], meta["torch_version"]


def main() -> None:
    import torch

    from ..reference.tlob import torch_tlob

    torch.manual_seed(0)
    twin = torch_tlob(**TLOB_TINY_CONFIG).double()
    x = np.random.default_rng(0).standard_normal((2, 16, 40))  # (B, T, F)
    with torch.no_grad():
        logits, _ = twin(torch.tensor(x))
    arrays = {f"state.{k}": v.detach().numpy() for k, v in twin.state_dict().items()}
    meta = {"config": TLOB_TINY_CONFIG, "torch_version": torch.__version__}
    TLOB_TINY.parent.mkdir(exist_ok=True)
    np.savez_compressed(TLOB_TINY, x=x, logits=logits.numpy(), meta=json.dumps(meta), **arrays)
    print(f"wrote {TLOB_TINY} ({TLOB_TINY.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
