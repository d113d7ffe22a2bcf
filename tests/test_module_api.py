"""Module bookkeeping: torch-style names, state_dict round trips, parameter counts."""

import numpy as np

from attnlab import nn


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
