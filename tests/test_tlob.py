"""TLOB in NumPy: shapes, published parameter names and counts, attention maps, gradients,
saving and loading, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import attnlab
from attnlab.models import TLOB
from attnlab.models.checkpoint import save_checkpoint

SMALL = dict(hidden_dim=16, num_layers=2, seq_size=32, num_features=40, num_heads=2)
TINY = dict(hidden_dim=8, num_layers=2, seq_size=8, num_features=4)


def test_parameter_counts_match_the_published_model():
    assert TLOB().num_parameters() == 1_135_974
    assert TLOB(**SMALL).num_parameters() == 81_180


def test_default_state_dict_names_and_shapes():
    sd = TLOB().state_dict()
    assert sd["order_type_embedder.weight"].shape == (3, 1)
    assert sd["norm_layer.l1"].shape == (128, 1) and sd["norm_layer.l2"].shape == (40, 1)
    assert sd["norm_layer.y1"].shape == (1,)
    assert sd["emb_layer.weight"].shape == (40, 40)
    assert "pos_encoder" not in sd  # sinusoidal positions are not a parameter
    assert sd["layers.0.qkv.q.weight"].shape == (40, 40)
    assert sd["layers.1.qkv.q.weight"].shape == (128, 128)
    assert sd["layers.0.attention.in_proj_weight"].shape == (120, 40)
    assert sd["layers.0.attention.out_proj.weight"].shape == (40, 40)
    assert sd["layers.6.mlp.fc2.weight"].shape == (10, 160)
    assert sd["layers.7.mlp.fc2.weight"].shape == (32, 512)
    assert sd["layers.7.mlp.layer_norm.weight"].shape == (32,)
    assert sd["final_layers.0.weight"].shape == (80, 320)
    assert sd["final_layers.2.weight"].shape == (3, 80)
    assert not any(k.startswith("final_layers.1") for k in sd)  # a GELU sits there
    assert len(sd) == 1 + 6 + 2 + 8 * 20 + 4  # per layer: 20 tensors


def test_learnable_positions_and_heads_change_the_right_shapes():
    sd = TLOB(**{**SMALL, "is_sin_emb": False}).state_dict()
    assert sd["pos_encoder"].shape == (1, 32, 16)
    assert sd["layers.0.qkv.q.weight"].shape == (32, 16)  # (d h, d) with h = 2
    assert sd["layers.0.attention.in_proj_weight"].shape == (96, 32)
    assert sd["layers.0.w0.weight"].shape == (16, 32)


def test_forward_gives_logits_and_labelled_attention_maps(rng):
    model = TLOB(**SMALL, rng=0)
    x = rng.standard_normal((3, 32, 40))
    logits = model(x)
    assert logits.shape == (3, 3) and np.isfinite(logits).all()
    maps = model.attention_maps
    assert [k for k, _ in maps] == ["temporal", "feature"] * 2
    assert [w.shape for _, w in maps] == [
        (3, 2, 32, 32),
        (3, 2, 16, 16),
        (3, 2, 32, 32),
        (3, 2, 4, 4),
    ]
    for _, w in maps:
        np.testing.assert_allclose(w.sum(axis=-1), 1.0, atol=1e-12)
    assert model.predict(x).shape == (3,)


def test_default_config_attention_map_shapes(rng):
    model = TLOB(rng=0)
    model(rng.standard_normal((1, 128, 40)))
    shapes = [w.shape for _, w in model.attention_maps]
    assert shapes == [(1, 1, 128, 128), (1, 1, 40, 40)] * 3 + [(1, 1, 128, 128), (1, 1, 10, 10)]


@pytest.mark.slow
@pytest.mark.parametrize("is_sin_emb, heads", [(True, 1), (False, 2)])
def test_gradcheck_small_tlob_end_to_end(rng, is_sin_emb, heads):
    # E = T = 16 keeps the last pair's widths (E//4, T//4) at 4: a LayerNorm over 2 values is
    # nearly a step function, where central differences stop being accurate. eps = 1e-5: the
    # q/k weights have small gradients, so rounding (~1e-16 |L| / eps) matters more than O(eps^2).
    model = TLOB(
        hidden_dim=16,
        num_layers=2,
        seq_size=16,
        num_features=4,
        num_heads=heads,
        is_sin_emb=is_sin_emb,
        rng=1,
    )
    x = rng.standard_normal((2, 16, 4))
    errors = attnlab.gradcheck(model, inputs=(x,), max_entries=12, eps=1e-5)
    assert errors.pop("order_type_embedder.weight") == 0.0  # only for LOBSTER order types
    # A bias added to every key shifts each query's scores by one constant, which softmax
    # ignores: the gradient of qkv.k.bias is exactly 0, so a relative error means nothing there.
    model(x)
    model.backward(np.ones((2, 3)))
    for key in [k for k in errors if k.endswith("qkv.k.bias")]:
        errors.pop(key)
        assert np.abs(model.grads[key]).max() < 1e-12, key
    assert "input0" in errors and "norm_layer.y1" in errors and "layers.3.w0.weight" in errors
    assert ("pos_encoder" in errors) == (not is_sin_emb)
    assert errors.passed(1e-6), str(errors)


def test_backward_adds_into_grads_and_returns_dx(rng):
    model = TLOB(**TINY, rng=2)
    x = rng.standard_normal((2, 8, 4))
    model(x)
    dx = model.backward(np.ones((2, 3)))
    first = {k: g.copy() for k, g in model.grads.items()}
    model(x)
    model.backward(np.ones((2, 3)))
    assert dx.shape == x.shape
    for k, g in model.grads.items():
        np.testing.assert_allclose(g, 2 * first[k], err_msg=k)


def test_float32_model_computes_in_float32(rng):
    model = TLOB(**TINY, rng=0, dtype=np.float32)
    logits = model(rng.standard_normal((2, 8, 4)))
    assert logits.dtype == np.float32
    assert model.backward(np.ones((2, 3), np.float32)).dtype == np.float32
    assert all(g.dtype == np.float32 for g in model.grads.values())


def test_save_and_load_round_trip(tmp_path, rng):
    model = TLOB(**{**TINY, "is_sin_emb": False}, rng=5)
    path = tmp_path / "tiny.npz"
    model.save(path)
    loaded = TLOB.load(path)
    assert loaded.config == model.config
    x = rng.standard_normal((2, 8, 4))
    np.testing.assert_array_equal(loaded(x), model(x))
    other = TLOB(**{**TINY, "is_sin_emb": False}, rng=6)
    other.load_weights(path)
    np.testing.assert_array_equal(other(x), model(x))


def test_truncated_file_is_a_clear_error(tmp_path):
    path = tmp_path / "tiny.npz"
    TLOB(**TINY).save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        TLOB.load(path)


def test_weights_of_another_config_are_refused_untouched(tmp_path):
    path = tmp_path / "tiny.npz"
    TLOB(**TINY).save(path)
    model = TLOB(**{**TINY, "hidden_dim": 12}, rng=3)
    before = model.state_dict()
    with pytest.raises(ValueError, match="another config.*hidden_dim"):
        model.load_weights(path)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_load_torch_state_dict_reports_keys_by_name():
    model = TLOB(**TINY)
    sd = model.state_dict()
    missing = {k: v for k, v in sd.items() if k != "layers.0.w0.bias"}
    with pytest.raises(KeyError, match="layers.0.w0.bias"):
        model.load_torch_state_dict(missing)
    with pytest.raises(KeyError, match="bogus.weight"):
        model.load_torch_state_dict({**sd, "bogus.weight": np.zeros(1)})
    bad = {**sd, "emb_layer.weight": np.zeros((8, 5))}
    with pytest.raises(ValueError, match="emb_layer.weight: expected \\(8, 4\\), got \\(8, 5\\)"):
        model.load_torch_state_dict(bad)
    sd["order_type_embedder.weight"] = np.full((3, 1), 7.0)
    model.load_torch_state_dict(sd)  # accepted and kept
    np.testing.assert_array_equal(model.state_dict()["order_type_embedder.weight"], 7.0)


@pytest.mark.parametrize(
    "shape, match",
    [
        ((2, 8, 5), "5 features per event.*num_features=4"),
        ((2, 9, 4), "9 events per window.*seq_size=8"),
        ((8, 4), "shape \\(B, seq_size=8, num_features=4\\)"),
    ],
)
def test_wrong_input_shape_is_a_clear_error(shape, match):
    with pytest.raises(ValueError, match=match):
        TLOB(**TINY)(np.zeros(shape))


def test_nan_input_is_a_clear_error(rng):
    x = rng.standard_normal((1, 8, 4))
    x[0, 3, 2] = np.nan
    with pytest.raises(ValueError, match="x contains NaN"):
        TLOB(**TINY)(x)


def test_bad_configs_are_rejected():
    with pytest.raises(ValueError, match="even hidden_dim"):
        TLOB(hidden_dim=10 + 1, num_layers=1, seq_size=8, num_features=4)
    with pytest.raises(ValueError, match=">= 4"):
        TLOB(hidden_dim=8, num_layers=1, seq_size=2, num_features=4)


def test_foreign_npz_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "foreign.npz"
    np.savez(path, weight=np.zeros(3))
    with pytest.raises(ValueError, match="not an attnlab checkpoint"):
        TLOB.load(path)
    with pytest.raises(FileNotFoundError):
        TLOB.load(tmp_path / "missing.npz")


def test_checkpoint_with_missing_weights_is_refused(tmp_path):
    model = TLOB(**TINY)
    state = model.state_dict()
    del state["layers.1.mlp.fc.bias"]
    path = tmp_path / "partial.npz"
    save_checkpoint(path, "TLOB", model.config, state)
    with pytest.raises(KeyError, match="layers.1.mlp.fc.bias"):
        TLOB.load(path)


# -- loading is all or nothing ---------------------------------------------------------------

LAST_KEY = "final_layers.0.bias"  # written last: a loader that writes as it goes has done the rest


def tampered_checkpoint(path, value, key=LAST_KEY, dtype=np.float64):
    model = TLOB(**TINY, rng=11, dtype=dtype)
    state = model.state_dict()
    state[key] = value(state[key])
    save_checkpoint(path, "TLOB", model.config, state)
    return path


BAD_VALUES = {
    "nan": (
        lambda w: np.where(np.arange(w.size).reshape(w.shape) == 1, np.nan, w),
        ValueError,
        "final_layers.0.bias contains NaN or inf",
    ),
    "inf": (lambda w: np.full(w.shape, np.inf), ValueError, "final_layers.0.bias contains NaN"),
    "bool": (
        lambda w: w > 0,
        TypeError,
        "final_layers.0.bias must hold real numbers, got dtype bool",
    ),
    "complex": (lambda w: w + 1j, TypeError, "final_layers.0.bias must hold real numbers"),
    "text": (lambda w: np.array(["a"] * w.size).reshape(w.shape), TypeError, "real numbers"),
    "shape": (lambda w: np.zeros(w.size + 1), ValueError, "final_layers.0.bias has shape"),
}


@pytest.mark.parametrize("case", sorted(BAD_VALUES))
def test_load_weights_checks_every_weight_before_writing_any(tmp_path, case):
    value, exc, match = BAD_VALUES[case]
    path = tampered_checkpoint(tmp_path / "bad.npz", value)
    model = TLOB(**TINY, rng=3)
    before = model.state_dict()
    with pytest.raises(exc, match=match) as err:
        model.load_weights(path)
    assert str(path) in str(err.value)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k], err_msg=f"{k} was overwritten")
    with pytest.raises(exc, match=match):
        TLOB.load(path)


def test_a_weight_too_large_for_float32_is_refused_untouched(tmp_path):
    path = tampered_checkpoint(tmp_path / "big.npz", lambda w: np.full(w.shape, 1e300))
    model = TLOB(**TINY, rng=3, dtype=np.float32)
    before = model.state_dict()
    with pytest.raises(
        ValueError, match="final_layers.0.bias holds 1e\\+300, beyond the largest float32"
    ):
        model.load_weights(path)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k])
    with pytest.raises(ValueError, match="beyond the largest float32"):
        TLOB.load(path, dtype=np.float32)
    assert np.isfinite(TLOB.load(path).params[LAST_KEY]).all()  # fits float64


def test_an_npy_file_under_an_npz_name_is_a_clear_error(tmp_path):
    path = tmp_path / "weights.npz"
    with open(path, "wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(ValueError, match="it is a .npy file") as err:
        TLOB.load(path)
    assert str(path) in str(err.value)


def test_a_config_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "bad_config.npz"
    model = TLOB(**TINY)
    arrays = {**model.state_dict(), "__model__": np.array("TLOB"), "__config__": np.array("{oops")}
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    with pytest.raises(ValueError, match="the stored config is not valid JSON") as err:
        TLOB.load(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize(
    "config", [{**TINY, "hidden_dim": -8}, {**TINY, "hidden_dim": "8"}, [1, 2]]
)
def test_a_config_tlob_cannot_build_names_the_file(tmp_path, config):
    path = tmp_path / "odd_config.npz"
    save_checkpoint(path, "TLOB", config, TLOB(**TINY).state_dict())
    with pytest.raises(ValueError, match="odd_config.npz") as err:
        TLOB.load(path)
    assert "config" in str(err.value)


def test_reading_a_truncated_file_leaves_no_file_open(tmp_path):
    import gc
    import warnings

    path = tmp_path / "tiny.npz"
    TLOB(**TINY).save(path)
    data = path.read_bytes()
    gc.collect()  # what earlier tests left behind is not this test's business
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for cut in (10, len(data) // 2, len(data) - 30):
            path.write_bytes(data[:cut])
            with pytest.raises(ValueError, match="truncated or corrupt"):
                TLOB.load(path)
        gc.collect()
    ours = [
        w for w in caught if issubclass(w.category, ResourceWarning) and "tiny" in str(w.message)
    ]
    assert not ours, [str(w.message) for w in ours]


# -- dtypes and empty batches --------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [int, np.int64, np.float16, np.longdouble, bool, "U3", object])
def test_tlob_weights_are_float32_or_float64(dtype):
    with pytest.raises(TypeError, match="dtype must be np.float32 or np.float64"):
        TLOB(**TINY, dtype=dtype)


def test_loading_into_a_non_float_dtype_is_refused(tmp_path):
    path = tmp_path / "tiny.npz"
    TLOB(**TINY).save(path)
    with pytest.raises(TypeError, match="dtype must be np.float32 or np.float64"):
        TLOB.load(path, dtype=int)


def test_an_empty_batch_gives_empty_logits_and_gradients_like_torch():
    model = TLOB(**TINY, rng=0)
    logits = model(np.zeros((0, 8, 4)))
    assert logits.shape == (0, 3)
    assert model.backward(np.zeros((0, 3))).shape == (0, 8, 4)
    assert all(np.all(g == 0) for g in model.grads.values())


def test_load_weights_into_a_read_only_parameter_names_it_and_writes_nothing(tmp_path):
    path = tmp_path / "w.npz"
    TLOB(**TINY, rng=1).save(path)
    model = TLOB(**TINY, rng=3)
    before = model.state_dict()
    model.params[LAST_KEY].flags.writeable = False
    with pytest.raises(ValueError, match=f"parameter {LAST_KEY!r} is read-only"):
        model.load_weights(path)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, before[k], err_msg=f"{k} was overwritten")
