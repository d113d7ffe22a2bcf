"""Train the learnable-positions experiment again and ship its weights (repository tooling).

    python tools/make_learned_positions.py

Writes ``attnlab/experiments/weights/learned_positions.npz``, which the gallery's
``positional_learned`` figure draws (see :mod:`attnlab.experiments.positions` for why the
figure uses shipped weights rather than training on every machine). Redraw the figures after:
``attnlab figures --only positional_learned``.
"""

from __future__ import annotations

from attnlab.experiments.positions import (
    DEFAULTS,
    SHIPPED,
    save_learned_positions,
    train_learnable_positions,
)


def main(path=SHIPPED) -> None:
    result = train_learnable_positions(**DEFAULTS)
    save_learned_positions(result, path, **DEFAULTS)
    print(
        f"wrote {path}: loss {result.losses[0]:.3f} -> {result.losses[-1]:.3f} "
        f"after {len(result.losses)} steps"
    )


if __name__ == "__main__":
    main()
