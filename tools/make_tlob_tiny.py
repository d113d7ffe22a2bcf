"""Regenerate the tiny torch-made TLOB the lessons compare with when torch is not installed.

    python tools/make_tlob_tiny.py          (repository tooling; needs torch)

Writes ``attnlab/reference/data/tlob_tiny_torch.npz`` (read by
:func:`attnlab.reference.tlob_tiny.load_tlob_tiny`): a tiny TLOB built and initialised **by
torch** (the twin in :mod:`attnlab.reference.tlob`), its ``state.*`` weights, an input ``x``
and torch's ``logits``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from attnlab.reference.tlob_tiny import TLOB_TINY

CONFIG = dict(
    hidden_dim=8, num_layers=2, seq_size=16, num_features=40, num_heads=1, is_sin_emb=True
)


def main(path: Path = TLOB_TINY) -> None:
    import torch

    from attnlab.reference.tlob import torch_tlob

    torch.manual_seed(0)
    twin = torch_tlob(**CONFIG).double()
    x = np.random.default_rng(0).standard_normal((2, 16, 40))  # (B, T, F)
    with torch.no_grad():
        logits, _ = twin(torch.tensor(x))
    arrays = {f"state.{k}": v.detach().numpy() for k, v in twin.state_dict().items()}
    meta = {"config": CONFIG, "torch_version": torch.__version__}
    path.parent.mkdir(exist_ok=True)
    np.savez_compressed(path, x=x, logits=logits.numpy(), meta=json.dumps(meta), **arrays)
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
