"""Module bookkeeping: torch-style names, state_dict round trips, parameter counts."""

import numpy as np
import pytest

from attnlab import nn
from attnlab.models import gpt_blocks


def test_multi_head_attention_params_use_torchs_state_dict_names():
    mha = nn.MultiHeadAttention(8, 2)
    assert list(mha.params) == [
        "in_proj_weight",
        "in_proj_bias",
        "out_proj.weight",
        "out_proj.bias",
    ]
    assert mha.params.keys() == mha.grads.keys()
    assert mha.num_parameters() == 3 * 8 * 8 + 3 * 8 + 8 * 8 + 8
    assert list(nn.MultiHeadAttention(8, 2, bias=False).params) == [
        "in_proj_weight",
        "out_proj.weight",
    ]


def test_state_dict_round_trip_copies_values():
    a, b = nn.MultiHeadAttention(4, 2, rng=1), nn.MultiHeadAttention(4, 2, rng=2)
    sd = a.state_dict()
    sd["in_proj_weight"][0, 0] = 123.0  # a copy: the module is not changed
    assert a.in_proj_weight[0, 0] != 123.0
    b.load_state_dict(a.state_dict())
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])


def test_params_are_the_modules_own_arrays_so_in_place_updates_stick():
    lin = nn.Linear(2, 2)
    lin.params["weight"][...] = 7.0
    assert (lin.weight == 7.0).all()


def test_same_seed_gives_same_weights():
    a, b = nn.MultiHeadAttention(4, 2, rng=3), nn.MultiHeadAttention(4, 2, rng=3)
    np.testing.assert_array_equal(a.in_proj_weight, b.in_proj_weight)


def test_modules_in_a_module_list_get_dotted_names():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.LayerNorm(2)])

    assert list(Stack().params) == [
        "layers.0.weight",
        "layers.0.bias",
        "layers.1.weight",
        "layers.1.bias",
    ]


def _snapshot(module):
    return {k: v.copy() for k, v in module.params.items()}


def _assert_unchanged(module, before):
    for k, v in module.params.items():
        np.testing.assert_array_equal(v, before[k], err_msg=k)


BAD_VALUES = {
    "a string": ("abc", TypeError, "must hold real numbers"),
    "None": (None, TypeError, "must hold real numbers"),
    "bool": (np.ones((4, 4), bool), TypeError, "must hold real numbers"),
    "complex": (np.ones((4, 4), complex), TypeError, "must hold real numbers"),
    "NaN": (np.full((4, 4), np.nan), ValueError, "NaN or inf"),
    "inf": (np.full((4, 4), np.inf), ValueError, "NaN or inf"),
    "1e300 into float32": (np.full((4, 4), 1e300), ValueError, "beyond the range of float32"),
    "wrong shape": (np.ones((3, 4)), ValueError, r"expected \(4, 4\), got \(3, 4\)"),
}


@pytest.mark.parametrize("case", list(BAD_VALUES))
def test_load_state_dict_is_all_or_nothing_and_names_the_bad_key(case):
    value, exc, pattern = BAD_VALUES[case]
    mha = nn.MultiHeadAttention(4, 2, rng=0, dtype=np.float32)
    before = _snapshot(mha)
    state = {k: v + 1.0 for k, v in mha.state_dict().items()}  # good values for every key ...
    state["out_proj.weight"] = value  # ... but one, after others in the dict order
    with pytest.raises(exc, match=pattern) as info:
        mha.load_state_dict(state)
    assert "out_proj.weight" in str(info.value)
    _assert_unchanged(mha, before)  # nothing was written


def test_load_state_dict_of_a_list_is_a_type_error():
    lin = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="state must be a mapping"):
        lin.load_state_dict([("weight", np.zeros((2, 2)))])


def test_load_state_dict_accepts_integers_and_float16_exactly():
    lin = nn.Linear(2, 2)
    lin.load_state_dict(
        {"weight": np.array([[1, 2], [3, 4]]), "bias": np.array([0.5, 1], np.float16)}
    )
    np.testing.assert_array_equal(lin.weight, [[1, 2], [3, 4]])
    np.testing.assert_array_equal(lin.bias, [0.5, 1])


@pytest.mark.torch
def test_a_bfloat16_torch_state_dict_loads_through_float32():
    import torch

    tlin = torch.nn.Linear(3, 2).to(torch.bfloat16)
    lin = nn.Linear(3, 2)
    lin.load_torch_state_dict(tlin.state_dict())
    np.testing.assert_array_equal(lin.weight, tlin.weight.float().detach().numpy())
    assert lin.weight.dtype == np.float64


def test_assigning_a_parameter_attribute_updates_the_parameter_everywhere():
    lin = nn.Linear(2, 2, rng=0)
    weight = lin.weight
    new = np.array([[1.0, 2.0], [3.0, 4.0]])
    lin.weight = new
    assert lin.weight is weight  # the same array, now holding the new values (a copy of them)
    np.testing.assert_array_equal(lin.params["weight"], new)
    np.testing.assert_array_equal(lin.state_dict()["weight"], new)
    np.testing.assert_array_equal(lin(np.array([[1.0, 0.0]])), [new[:, 0] + lin.bias])
    new[0, 0] = 99.0  # the module does not share memory with the caller's array
    assert lin.weight[0, 0] == 1.0


@pytest.mark.parametrize(
    "value, exc",
    [(np.ones((3, 3)), ValueError), (np.full((2, 2), np.nan), ValueError), ("w", TypeError)],
)
def test_assigning_a_bad_parameter_raises_and_changes_nothing(value, exc):
    lin = nn.Linear(2, 2, rng=0)
    before = _snapshot(lin)
    with pytest.raises(exc, match="weight"):
        lin.weight = value
    _assert_unchanged(lin, before)


def test_set_param_validates_like_load_state_dict():
    mha = nn.MultiHeadAttention(4, 2)
    mha.set_param("out_proj.bias", np.arange(4.0))
    np.testing.assert_array_equal(mha.out_proj.bias, np.arange(4.0))
    with pytest.raises(ValueError, match="out_proj.bias"):
        mha.set_param("out_proj.bias", np.arange(5.0))
    with pytest.raises(KeyError):
        mha.set_param("nope", np.arange(4.0))


def test_a_child_module_cannot_be_replaced_by_a_non_module():
    mha = nn.MultiHeadAttention(4, 2)
    with pytest.raises(TypeError, match="out_proj is a child module"):
        mha.out_proj = np.zeros((4, 4))


@pytest.mark.parametrize(
    "make, call",
    [
        (lambda: nn.MultiHeadAttention(4, 2), lambda m: m.backward(np.ones((1, 2, 4)))),
        (lambda: nn.LayerNorm(4), lambda m: m.backward(np.ones((1, 4)))),
        (lambda: nn.Linear(4, 2), lambda m: m.backward(np.ones((1, 2)))),
        (lambda: nn.GELU(), lambda m: m.backward(np.ones(3))),
        (lambda: nn.LearnablePositionalEncoding(3, 4), lambda m: m.backward(np.ones((1, 3, 4)))),
        (lambda: nn.SinusoidalPositionalEncoding(3, 4), lambda m: m.backward(np.ones((1, 3, 4)))),
        (lambda: nn.BiN(3, 4), lambda m: m.backward(np.ones((1, 3, 4)))),
        (lambda: gpt_blocks.CausalSelfAttention(8, 2), lambda m: m.backward(np.ones((1, 2, 8)))),
        (lambda: gpt_blocks.LayerNorm(8), lambda m: m.backward(np.ones((1, 2, 8)))),
        (lambda: gpt_blocks.MLP(8), lambda m: m.backward(np.ones((1, 2, 8)))),
    ],
)
def test_backward_before_forward_is_a_runtime_error_naming_the_module(make, call):
    module = make()
    with pytest.raises(
        RuntimeError, match=f"{type(module).__name__}.backward was called before forward"
    ):
        call(module)


@pytest.mark.parametrize(
    "make",
    [
        lambda d: nn.MultiHeadAttention(4, 2, dtype=d),
        lambda d: nn.Linear(2, 2, dtype=d),
        lambda d: nn.LayerNorm(2, dtype=d),
        lambda d: nn.LearnablePositionalEncoding(2, 2, dtype=d),
        lambda d: nn.SinusoidalPositionalEncoding(2, 2, dtype=d),
        lambda d: nn.BiN(2, 2, dtype=d),
        lambda d: nn.Linear(2, 2).astype(d),
    ],
)
@pytest.mark.parametrize("dtype", [np.int64, int, np.float16, np.complex128, "abc"])
def test_module_dtypes_are_float32_or_float64(make, dtype):
    with pytest.raises(TypeError, match="dtype must be np.float32 or np.float64"):
        make(dtype)


def test_gelu_module_accepts_a_numpy_scalar():
    gelu = nn.GELU()
    y = gelu(np.float64(1.0))
    np.testing.assert_allclose(y, 0.8413447460685429, rtol=1e-15)
    np.testing.assert_allclose(gelu.backward(1.0), 1.0833154705876864, rtol=1e-14)


@pytest.mark.parametrize(
    "load",
    [
        lambda m, s: m.load_state_dict(s),
        lambda m, s: m.load_torch_state_dict(s),
        lambda m, s: m.load_state_dict({"bias": s["bias"]}, strict=False),
    ],
)
def test_loading_into_a_read_only_parameter_names_it_and_writes_nothing(load):
    lin = nn.Linear(4, 3, rng=0)
    before = _snapshot(lin)
    lin.bias.flags.writeable = False  # the last key: the weight would be written first
    state = {"weight": np.zeros((3, 4)), "bias": np.zeros(3)}
    with pytest.raises(ValueError, match=r"parameter 'bias' is read-only"):
        load(lin, state)
    _assert_unchanged(lin, before)


def test_assigning_to_a_read_only_parameter_names_it():
    lin = nn.Linear(4, 3, rng=0)
    lin.weight.flags.writeable = False
    with pytest.raises(ValueError, match=r"parameter 'weight' is read-only"):
        lin.weight = np.zeros((3, 4))
