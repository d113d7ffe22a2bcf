"""Compare the images a page shows: decode an <img>'s data: URI and count changed pixels."""

from __future__ import annotations

import base64
import io

import numpy as np


def decode_data_uri(src: str) -> bytes:
    if not src or not src.startswith("data:image/") or ";base64," not in src:
        raise AssertionError(f"expected an inline base64 image, got src={src[:80]!r}")
    return base64.b64decode(src.split(";base64,", 1)[1])


def changed_fraction(png_a: bytes, png_b: bytes) -> float:
    """Fraction of pixels that differ (1.0 if the sizes differ)."""
    from PIL import Image

    a = np.asarray(Image.open(io.BytesIO(png_a)).convert("RGB"), dtype=np.int16)  # (H, W, 3)
    b = np.asarray(Image.open(io.BytesIO(png_b)).convert("RGB"), dtype=np.int16)  # (H, W, 3)
    if a.shape != b.shape:
        return 1.0
    return float((np.abs(a - b).max(axis=2) > 8).mean())
