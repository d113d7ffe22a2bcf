"""Shared test set-up: torch is optional locally but required in CI (ATTNLAB_REQUIRE_TORCH=1)."""

from __future__ import annotations

import os

import numpy as np
import pytest

REQUIRE_TORCH = os.environ.get("ATTNLAB_REQUIRE_TORCH") == "1"


def pytest_collection_modifyitems(config, items):
    try:
        import torch  # noqa: F401
    except ImportError:
        if REQUIRE_TORCH:
            raise pytest.UsageError(
                "ATTNLAB_REQUIRE_TORCH=1 but torch is not installed: pip install torch"
            ) from None
        skip = pytest.mark.skip(reason="torch not installed (pip install 'attnlab[torch]')")
        for item in items:
            if "torch" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)
