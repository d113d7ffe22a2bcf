"""Shared test set-up: torch and the extras are optional locally but required in CI.

Without torch, the tests marked ``torch`` skip; without an extra (matplotlib, jupytext, ...),
the tests that need it skip. CI sets ``ATTNLAB_REQUIRE_TORCH=1`` and ``ATTNLAB_REQUIRE_EXTRAS=1``:
then a missing torch stops the run and a test skipped for a missing module fails.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

REQUIRE_TORCH = os.environ.get("ATTNLAB_REQUIRE_TORCH") == "1"
REQUIRE_EXTRAS = os.environ.get("ATTNLAB_REQUIRE_EXTRAS") == "1"
MISSING = ("could not import", "is not installed")  # pytest.importorskip's reason, and ours


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


def _fail_if_a_module_is_missing(report) -> None:
    if REQUIRE_EXTRAS and report.skipped and any(m in str(report.longrepr) for m in MISSING):
        report.outcome = "failed"  # ATTNLAB_REQUIRE_EXTRAS=1: every extra must be installed


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_if_a_module_is_missing(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_if_a_module_is_missing(outcome.get_result())


@pytest.fixture(autouse=True)
def _english_messages_around_every_test():
    """Each test starts in English and leaves it so: a test that switches the message language
    (the classroom panels do, as a Spanish kernel would) must not change another test's."""
    from attnlab.i18n import set_language

    set_language("en")
    yield
    set_language("en")
