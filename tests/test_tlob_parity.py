"""TLOB against its torch twin (attnlab.reference.tlob), float64: logits within 1e-9, every
gradient (input and parameters) within 1e-8, attention maps equal, for the default and a small
config, sinusoidal and learnable positions, one and two heads."""

from __future__ import annotations

import numpy as np
import pytest

from attnlab.models import TLOB

CONFIGS = {
    "default": dict(),
    "default-learnable-2heads": dict(is_sin_emb=False, num_heads=2),
    "small-2heads": dict(hidden_dim=16, num_layers=2, seq_size=32, num_heads=2),
    "small-learnable": dict(hidden_dim=16, num_layers=2, seq_size=32, is_sin_emb=False),
    "small-1head": dict(hidden_dim=16, num_layers=2, seq_size=32, num_heads=1),
}


@pytest.mark.torch
@pytest.mark.parametrize("name", list(CONFIGS))
def test_tlob_matches_torch_twin(name, rng):
    model = TLOB(**CONFIGS[name], rng=7)
    T, F = model.config["seq_size"], model.config["num_features"]
    x = rng.standard_normal((2, T, F)) * 3.0 + 1.0
    from attnlab.reference.tlob import compare_tlob

    report = compare_tlob(model, x)
    names = [d.name for d in report.diffs]
    grads = [d for d in report.diffs if d.name.startswith("grad:")]
    maps = [d for d in report.diffs if d.name.startswith("attention:")]
    assert len(grads) == len(model.params) - 1  # every parameter but the unused order-type one
    assert len(maps) == 2 * model.config["num_layers"]
    assert "logits" in names and "dx" in names
    assert report["logits"].max_abs <= 1e-9, str(report)
    for d in grads + [report["dx"]]:
        assert d.max_abs <= 1e-8, str(d)
    for d in maps:
        assert d.max_abs <= 1e-12, str(d)  # equal to float64 rounding


@pytest.mark.torch
def test_torch_twin_has_the_published_keys_and_counts():
    from attnlab.reference.tlob import torch_tlob

    for config, count in (
        (dict(), 1_135_974),
        (dict(hidden_dim=16, num_layers=2, seq_size=32, num_heads=2), 81_180),
    ):
        twin = torch_tlob(**config)
        assert sum(p.numel() for p in twin.parameters()) == count
        ours = TLOB(**config).state_dict()
        theirs = twin.state_dict()
        assert set(theirs) == set(ours)
        assert all(tuple(theirs[k].shape) == ours[k].shape for k in ours)


@pytest.mark.torch
def test_weights_saved_by_torch_load_into_attnlab(rng):
    import torch

    from attnlab.reference.tlob import torch_tlob

    config = dict(hidden_dim=16, num_layers=2, seq_size=32, is_sin_emb=False)
    twin = torch_tlob(**config).double()
    model = TLOB(**config)
    model.load_torch_state_dict(twin.state_dict())
    x = rng.standard_normal((2, 32, 40))
    with torch.no_grad():
        expected, _ = twin(torch.tensor(x))
    np.testing.assert_allclose(model(x), expected.numpy(), atol=1e-10)


@pytest.mark.torch
def test_parity_check_catches_a_change_in_the_maths(rng):
    from attnlab.reference.tlob import compare_tlob

    model = TLOB(hidden_dim=16, num_layers=2, seq_size=32, rng=7)
    x = rng.standard_normal((2, 32, 40))
    assert compare_tlob(model, x)["logits"].max_abs <= 1e-9
    model.layers[0].out_dim = -1  # drops the second residual of layer 0 (added when out == dim)
    report = compare_tlob(model, x)
    assert report["logits"].max_abs > 1e-6
    assert report["grad:layers.0.w0.weight"].max_abs > 1e-6
