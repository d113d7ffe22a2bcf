"""GPT: nanoGPT's architecture and names, hand-written backward checked against torch and by
central differences, nanoGPT state dicts, clear errors."""

import copy

import numpy as np
import pytest

from attnlab import gradcheck
from attnlab.models import GPT, GPTConfig
from attnlab.nn import Embedding

V, BS = 13, 16


def make(seed=0, scale=0.3, dtype=np.float64, **overrides):
    """A small GPT whose weights are moved well away from init (so every part matters)."""
    cfg = dict(block_size=BS, vocab_size=V, n_layer=2, n_head=2, n_embd=8)
    cfg.update(overrides)
    model = GPT(GPTConfig(**cfg), rng=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 100)
    for p in model.params.values():
        p += (rng.standard_normal(p.shape) * scale).astype(p.dtype)
    return model


def ids(shape, seed=0, high=V):
    return np.random.default_rng(seed).integers(0, high, shape)


# -- Embedding -----------------------------------------------------------------------------
def test_embedding_backward_scatter_adds_repeated_ids():
    emb = Embedding(5, 3, rng=0)
    x = np.array([[1, 4, 1], [1, 0, 4]])
    out = emb(x)
    np.testing.assert_array_equal(out, emb.weight[x])
    dout = np.arange(18, dtype=float).reshape(2, 3, 3)
    assert emb.backward(dout) is None
    expected = np.zeros((5, 3))
    for b in range(2):
        for t in range(3):
            expected[x[b, t]] += dout[b, t]
    np.testing.assert_allclose(emb.grads["weight"], expected, rtol=0, atol=1e-12)
    assert not emb.grads["weight"][[2, 3]].any()  # ids never read get no gradient


def test_embedding_gradcheck():
    emb = Embedding(7, 4, rng=1)
    result = gradcheck(emb, kwargs={"ids": np.array([[0, 3, 3, 6], [3, 2, 0, 0]])})
    assert result.passed(1e-8), result


def test_embedding_rejects_bad_ids_with_clear_errors():
    emb = Embedding(5, 3)
    with pytest.raises(ValueError, match=r"id 7 at position \(0, 1\).*vocabulary of size 5"):
        emb(np.array([[0, 7]]))
    with pytest.raises(ValueError, match="id -1"):
        emb(np.array([-1]))
    for bad in (np.array([1.0, 2.0]), np.array([True, False])):
        with pytest.raises(TypeError, match="integer token ids"):
            emb(bad)


@pytest.mark.torch
def test_embedding_matches_torch():
    import torch

    emb = Embedding(6, 4, rng=2)
    x = np.array([[5, 1, 1], [0, 5, 5]])
    dout = np.random.default_rng(0).standard_normal((2, 3, 4))
    t = torch.nn.Embedding(6, 4).double()
    t.weight.data = torch.tensor(emb.weight.copy())
    out = t(torch.tensor(x))
    out.backward(torch.tensor(dout))
    np.testing.assert_array_equal(emb(x), out.detach().numpy())
    emb.backward(dout)
    np.testing.assert_allclose(emb.grads["weight"], t.weight.grad.numpy(), rtol=0, atol=1e-14)


# -- config and structure ------------------------------------------------------------------
def test_config_rejects_bad_values():
    base = dict(block_size=8, vocab_size=5, n_layer=1, n_head=2, n_embd=8)
    with pytest.raises(ValueError, match="not divisible by n_head"):
        GPTConfig(**{**base, "n_head": 3})
    with pytest.raises(ValueError, match="head size n_embd / n_head = 3 must be even"):
        GPTConfig(**{**base, "n_embd": 6}, position="rope")
    with pytest.raises(ValueError, match="position must be one of"):
        GPTConfig(**base, position="absolute")
    with pytest.raises(ValueError, match="even n_embd"):
        GPTConfig(**{**base, "n_embd": 9, "n_head": 3}, position="sinusoidal")
    with pytest.raises(ValueError, match="no dropout"):
        GPTConfig(**base, dropout=0.1)
    with pytest.raises(TypeError, match="n_layer must be an int"):
        GPTConfig(**{**base, "n_layer": 1.5})
    with pytest.raises(TypeError, match="bias must be True or False"):
        GPTConfig(**base, bias=1)


def test_parameter_names_are_nanogpts():
    keys = list(make().params)
    assert keys[:2] == ["transformer.wte.weight", "transformer.wpe.weight"]
    block = [k[len("transformer.h.0.") :] for k in keys if k.startswith("transformer.h.0.")]
    assert block == [
        "ln_1.weight", "ln_1.bias", "attn.c_attn.weight", "attn.c_attn.bias",
        "attn.c_proj.weight", "attn.c_proj.bias", "ln_2.weight", "ln_2.bias",
        "mlp.c_fc.weight", "mlp.c_fc.bias", "mlp.c_proj.weight", "mlp.c_proj.bias",
    ]  # fmt: skip
    assert keys[-2:] == ["transformer.ln_f.weight", "transformer.ln_f.bias"]
    assert "lm_head.weight" not in keys  # tied: one parameter, like named_parameters()
    no_bias = make(bias=False).params
    assert not [k for k in no_bias if k.endswith(".bias")]
    attn_only = make(attn_only=True, position="none").params
    assert not [k for k in attn_only if "mlp" in k or "ln_2" in k or "wpe" in k]
    assert make().params["transformer.h.0.attn.c_attn.weight"].shape == (24, 8)


def test_init_follows_nanogpt():
    model = GPT(GPTConfig(block_size=64, vocab_size=300, n_layer=4, n_head=4, n_embd=64), rng=0)
    p = model.params
    assert p["transformer.wte.weight"].std() == pytest.approx(0.02, rel=0.03)
    assert p["transformer.h.1.mlp.c_fc.weight"].std() == pytest.approx(0.02, rel=0.03)
    proj = 0.02 / np.sqrt(2 * 4)
    assert p["transformer.h.1.attn.c_proj.weight"].std() == pytest.approx(proj, rel=0.05)
    assert p["transformer.h.2.mlp.c_proj.weight"].std() == pytest.approx(proj, rel=0.05)
    assert not p["transformer.h.0.attn.c_attn.bias"].any()
    assert (p["transformer.ln_f.weight"] == 1).all()
    same = GPT(model.config, rng=0).params
    assert all(np.array_equal(p[k], same[k]) for k in p)  # seeded


def test_get_num_params_counts_the_tied_weight_once_and_drops_wpe():
    model = make()
    total = sum(a.size for a in model.params.values())
    assert model.get_num_params(non_embedding=False) == total
    assert model.get_num_params() == total - BS * 8
    assert make(position="none").get_num_params() == make(position="none").num_parameters()


# -- forward, loss, backward ---------------------------------------------------------------
def test_loss_is_the_mean_over_targets_that_are_not_minus_one():
    model = make()
    x = ids((2, 6))
    targets = ids((2, 6), seed=1)
    targets[0, :4] = -1
    logits, loss = model(x, targets)
    keep = targets != -1
    z = logits[keep]
    logp = z - z.max(1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(1, keepdims=True))
    assert loss == pytest.approx(-logp[np.arange(len(z)), targets[keep]].mean(), rel=1e-13)
    assert model(x)[1] is None
    targets[:] = -1
    with pytest.raises(ValueError, match="every target is -1"):
        model(x, targets)


def test_backward_adds_into_grads_and_needs_a_loss():
    model = make()
    x = ids((2, 5))
    model(x, x)
    model.backward()
    once = {k: g.copy() for k, g in model.grads.items()}
    model.backward()
    for k, g in model.grads.items():
        np.testing.assert_allclose(g, 2 * once[k], rtol=1e-12, atol=1e-15)
    model.zero_grad()
    model(x)
    with pytest.raises(RuntimeError, match="needs the loss"):
        model.backward()
    with pytest.raises(ValueError, match="shape"):
        model.backward(np.ones((2, 5, V + 1)))


def test_attention_maps_are_causal_distributions_per_layer():
    model = make(n_head=4)
    model(ids((3, 7)))
    maps = model.attention_maps
    assert [m.shape for m in maps] == [(3, 4, 7, 7)] * 2
    for m in maps:
        np.testing.assert_allclose(m.sum(-1), 1.0, rtol=1e-12)
        assert not np.triu(m, k=1).any()


def test_head_mask_removes_exactly_that_heads_output():
    model = make(n_head=4, seed=3)
    x = ids((2, 6))
    full, _ = model(x)
    ones, _ = model(x, head_mask=np.ones((2, 4)))
    np.testing.assert_array_equal(full, ones)
    mask = np.ones((2, 4))
    mask[1, 2] = 0
    ablated, _ = model(x, head_mask=mask)
    assert np.abs(ablated - full).max() > 1e-3
    # by hand: zero head 2's slice of layer 1's c_proj input weights, same result
    manual = copy.deepcopy(model)
    manual.params["transformer.h.1.attn.c_proj.weight"][:, 4:6] = 0.0
    np.testing.assert_allclose(manual(x)[0], ablated, rtol=0, atol=1e-13)
    with pytest.raises(ValueError, match=r"head_mask must have shape \(n_layer, n_head\)"):
        model(x, head_mask=np.ones(4))


@pytest.mark.parametrize(
    "overrides",
    [
        dict(),
        dict(n_head=1),
        dict(n_head=4, bias=False),
        dict(position="sinusoidal"),
        dict(position="none", n_head=4),
        dict(attn_only=True, position="none"),
    ],
)
def test_gradcheck_small_gpt(overrides):
    model = make(seed=1, **overrides)
    x = ids((2, 5), seed=2)
    result = gradcheck(model, kwargs={"idx": x}, max_entries=12)
    assert result.passed(1e-6), result
    assert "transformer.wte.weight" in result


def test_gradcheck_of_the_loss_with_ignored_targets_and_a_head_mask():
    model = make(seed=2, n_head=4)
    x, targets = ids((2, 5), seed=3), ids((2, 5), seed=4)
    targets[1, 1:3] = -1
    mask = np.array([[1.0, 0.0, 1.0, 0.5], [0.0, 1.0, 1.0, 1.0]])
    model(x, targets, head_mask=mask)
    model.zero_grad()
    model.backward()
    eps = 1e-6
    rng = np.random.default_rng(0)
    for key, p in model.params.items():
        for i in rng.choice(p.size, size=min(4, p.size), replace=False):
            flat = p.reshape(-1)
            old = flat[i]
            flat[i] = old + eps
            up = model(x, targets, head_mask=mask)[1]
            flat[i] = old - eps
            down = model(x, targets, head_mask=mask)[1]
            flat[i] = old
            numeric = (up - down) / (2 * eps)
            assert model.grads[key].reshape(-1)[i] == pytest.approx(numeric, abs=1e-8), key


@pytest.mark.torch
@pytest.mark.parametrize(
    "overrides",
    [
        dict(n_head=1),
        dict(n_head=2),
        dict(n_head=4),
        dict(n_head=4, bias=False),
        dict(position="sinusoidal", n_layer=3),
        dict(position="none"),
        dict(attn_only=True, position="none", bias=False),
        dict(attn_only=True),
    ],
)
def test_float64_parity_with_the_torch_twin(overrides):
    from attnlab.reference.gpt import compare_gpt

    model = make(seed=4, **overrides)
    x = ids((3, 11), seed=5)
    targets = ids((3, 11), seed=6)
    targets[2, :5] = -1
    for report in (compare_gpt(model, x, targets), compare_gpt(model, x, seed=7)):
        for d in report.diffs:
            limit = (
                1e-10 if d.name in ("logits", "loss") else 1e-12 if "attention" in d.name else 1e-9
            )
            assert d.max_abs <= limit, report
        assert any(d.name.startswith("attention") for d in report.diffs)
        assert len([d for d in report.diffs if d.name.startswith("grad:")]) == len(model.params)


@pytest.mark.torch
def test_head_mask_parity_with_the_torch_twin():
    from attnlab.reference.gpt import compare_gpt

    model = make(seed=8, n_head=4)
    mask = np.array([[1.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
    report = compare_gpt(model, ids((2, 9)), ids((2, 9), seed=1), head_mask=mask)
    assert report.passed(abs_tol=1e-10), report


@pytest.mark.torch
@pytest.mark.parametrize("overrides", [dict(), dict(position="sinusoidal", bias=False)])
def test_float32_agrees_with_float64_truth(overrides):
    from attnlab.reference.gpt import compare_gpt

    model32 = make(seed=9, dtype=np.float32, **overrides)
    model64 = copy.deepcopy(model32).astype(np.float64)  # the same (float32) weights
    x, targets = ids((2, 10), seed=1), ids((2, 10), seed=2)
    truth = compare_gpt(model64, x, targets)  # float64 twin == float64 model
    assert truth.passed(abs_tol=1e-10)
    logits32, loss32 = model32(x, targets)
    model32.zero_grad()
    model32.backward()
    assert (
        logits32.dtype == np.float32 and model32.grads["transformer.wte.weight"].dtype == np.float32
    )
    logits64, _ = model64(x, targets)
    model64.zero_grad()
    model64.backward()
    scale = max(np.abs(logits64).max(), 1.0)
    assert np.abs(logits32 - logits64).max() <= 1e-5 * scale
    for k, g in model64.grads.items():
        assert np.abs(model32.grads[k] - g).max() <= 1e-5 * max(np.abs(g).max(), 1.0), k


# -- bad input -----------------------------------------------------------------------------
def test_bad_idx_and_targets_are_clear_errors():
    model = make()
    with pytest.raises(ValueError, match=r"id 13 at position \(1, 2\).*size 13"):
        model(np.array([[0, 1, 2], [3, 4, 13]]))
    with pytest.raises(TypeError, match="integer token ids"):
        model(np.zeros((1, 3)))
    with pytest.raises(TypeError, match="integer token ids"):
        model(np.ones((1, 3), dtype=bool))
    with pytest.raises(ValueError, match=r"shape \(B, T\).*idx\[None\]"):
        model(np.array([1, 2, 3]))
    with pytest.raises(ValueError, match="at least one token"):
        model(np.zeros((2, 0), dtype=int))
    with pytest.raises(ValueError, match="block_size=16"):
        model(ids((1, BS + 1)))
    with pytest.raises(ValueError, match="shape of idx"):
        model(ids((2, 3)), ids((2, 4)))
    with pytest.raises(ValueError, match="or -1"):
        model(ids((1, 3)), np.array([[0, -2, 1]]))
    with pytest.raises(TypeError, match="targets must be integer"):
        model(ids((1, 3)), np.zeros((1, 3)))


def test_fixed_or_no_positions_run_past_block_size():
    for position in ("sinusoidal", "none"):
        logits, _ = make(position=position)(ids((1, 3 * BS)))
        assert logits.shape == (1, 3 * BS, V) and np.isfinite(logits).all()


# -- state dicts and checkpoints -------------------------------------------------------------
def test_state_dict_has_lm_head_and_round_trips():
    model = make(seed=5)
    sd = model.state_dict()
    assert list(sd)[-1] == "lm_head.weight" and sd["lm_head.weight"] is sd["transformer.wte.weight"]
    other = make(seed=6)
    other.load_state_dict(sd)
    x = ids((2, 7))
    np.testing.assert_array_equal(other(x)[0], model(x)[0])
    sd["transformer.wte.weight"][0, 0] += 1.0  # a copy: the model is untouched
    assert model.params["transformer.wte.weight"][0, 0] != sd["transformer.wte.weight"][0, 0]


def test_loading_is_all_or_nothing_with_named_errors():
    model = make(seed=1)
    before = {k: v.copy() for k, v in model.params.items()}
    good = make(seed=2).state_dict()
    cases = []
    sd = dict(good)
    sd["transformer.ln_f.weight"] = np.ones(9)
    cases.append((sd, ValueError, r"transformer.ln_f.weight: expected \(8,\), got \(9,\)"))
    sd = dict(good)
    del sd["transformer.h.1.mlp.c_fc.bias"]
    cases.append((sd, KeyError, "missing keys.*h.1.mlp.c_fc.bias"))
    sd = {**good, "transformer.extra": np.ones(2)}
    cases.append((sd, KeyError, "unexpected keys.*transformer.extra"))
    sd = dict(good)
    sd["transformer.h.0.attn.c_proj.weight"] = np.full((8, 8), np.nan)
    cases.append((sd, ValueError, r"transformer.h.0.attn.c_proj.weight'\] contains NaN or inf"))
    sd = dict(good)
    sd["transformer.h.0.ln_1.weight"] = np.ones(8, dtype=bool)  # integers are numbers, bools not
    cases.append((sd, TypeError, r"transformer.h.0.ln_1.weight'\] must hold real numbers"))
    sd = dict(good)
    sd["lm_head.weight"] = good["lm_head.weight"] + 1e-3
    cases.append((sd, ValueError, "lm_head.weight differs from transformer.wte.weight"))
    for sd, err, match in cases:
        with pytest.raises(err, match=match):
            model.load_state_dict(sd)
        for k, v in model.params.items():
            np.testing.assert_array_equal(v, before[k])
    model.load_state_dict({k: v for k, v in good.items() if k != "lm_head.weight"})
    np.testing.assert_array_equal(model.params["transformer.wte.weight"], good["lm_head.weight"])


@pytest.mark.torch
@pytest.mark.parametrize("bias", [True, False])
def test_a_nanogpt_state_dict_loads_as_it_is(bias):
    import torch

    from attnlab.reference.gpt import torch_gpt

    config = GPTConfig(block_size=BS, vocab_size=V, n_layer=2, n_head=2, n_embd=8, bias=bias)
    torch.manual_seed(0)
    twin = torch_gpt(config).double()  # torch's own init, with nanoGPT's attn.bias buffers
    sd = twin.state_dict()
    assert "transformer.h.0.attn.bias" in sd and "lm_head.weight" in sd
    model = GPT(config)
    model.load_torch_state_dict(sd)
    compiled = {"_orig_mod." + k: v for k, v in sd.items()}  # torch.compile's prefix
    GPT(config).load_torch_state_dict(compiled)
    x = ids((2, 9))
    ref = twin(torch.tensor(x))[0].detach().numpy()
    np.testing.assert_allclose(model(x)[0], ref, rtol=0, atol=1e-12)


def test_checkpoint_round_trip(tmp_path):
    model = make(seed=3, position="sinusoidal", bias=False)
    model.save(tmp_path / "gpt.npz")
    back = GPT.load(tmp_path / "gpt.npz")
    assert back.config == model.config
    x = ids((1, 6))
    np.testing.assert_array_equal(back(x)[0], model(x)[0])


@pytest.mark.torch
def test_a_cast_sinusoidal_model_uses_a_table_of_its_new_dtype():
    from attnlab.reference.gpt import compare_gpt

    model = make(seed=2, position="sinusoidal", dtype=np.float32)
    model(ids((1, 4)))  # builds the float32 table
    model.astype(np.float64)
    assert compare_gpt(model, ids((2, 9)), ids((2, 9), seed=3)).passed(abs_tol=1e-10)


# -- loading validates every value against the parameter's dtype before writing ---------------
@pytest.mark.parametrize("via", ["load_state_dict", "load_torch_state_dict"])
def test_loading_into_float32_refuses_values_beyond_its_range_and_writes_nothing(via):
    import warnings

    model = make(seed=1, dtype=np.float32)
    before = {k: v.copy() for k, v in model.params.items()}
    sd = make(seed=2).state_dict()
    sd["transformer.ln_f.weight"] = np.full(8, 1e300)  # fine in float64, inf in float32
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a cast warning must not interrupt a half-done load
        with pytest.raises(ValueError, match=r"ln_f.weight.*beyond the range of float32"):
            getattr(model, via)(sd)
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, before[k])
    head = make(seed=2).state_dict()
    head["transformer.wte.weight"] = head["lm_head.weight"] = np.full((V, 8), -1e300)
    with pytest.raises(ValueError, match="beyond the range of float32"):
        model.load_state_dict(head)


def test_a_float64_checkpoint_too_large_for_float32_is_refused(tmp_path):
    model = make(seed=3)
    model.params["transformer.h.1.mlp.c_fc.weight"][0, 0] = 1e300
    model.save(tmp_path / "big.npz")
    with pytest.raises(ValueError, match="beyond the range of float32"):
        GPT.load(tmp_path / "big.npz", dtype=np.float32)
    assert GPT.load(tmp_path / "big.npz").params["transformer.h.1.mlp.c_fc.weight"][0, 0] == 1e300


def test_state_dict_keys_and_options_are_checked():
    model = make(seed=1)
    before = {k: v.copy() for k, v in model.params.items()}
    good = make(seed=2).state_dict()
    with pytest.raises(TypeError, match="strict must be True or False"):
        model.load_torch_state_dict(good, strict="no")
    doubled = {**good, "_orig_mod.transformer.ln_f.weight": good["transformer.ln_f.weight"] + 5}
    with pytest.raises(ValueError, match="_orig_mod.transformer.ln_f.weight.*different values"):
        model.load_state_dict(doubled)
    ghost = {**good, "transformer.h.7.attn.bias": np.ones((1, 1, 4, 4))}  # no layer 7
    with pytest.raises(KeyError, match=r"unexpected keys \['transformer.h.7.attn.bias'\]"):
        model.load_state_dict(ghost)
    for k, v in model.params.items():
        np.testing.assert_array_equal(v, before[k])
    same = {**good, "_orig_mod.transformer.ln_f.weight": good["transformer.ln_f.weight"].copy()}
    model.load_state_dict(same)  # the same value twice is fine
    mask = {**good, "transformer.h.1.attn.bias": np.ones((1, 1, 4, 4))}  # nanoGPT's buffer
    model.load_state_dict(mask)


@pytest.mark.torch
def test_meta_and_sparse_tensors_are_named_errors():
    import torch

    model = make(seed=1)
    good = make(seed=2).state_dict()
    for tensor in (torch.empty(8, device="meta"), torch.ones(8, dtype=torch.float64).to_sparse()):
        sd = {**good, "transformer.ln_f.weight": tensor}
        with pytest.raises(TypeError, match=r"state_dict\['transformer.ln_f.weight'\]"):
            model.load_torch_state_dict(sd)


# -- the config is validated and copied: changing it later cannot change a model --------------
def test_config_is_frozen_and_a_gpt_keeps_its_own_valid_copy():
    import dataclasses

    config = GPTConfig(block_size=BS, vocab_size=V, n_layer=2, n_head=2, n_embd=8)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.position = "rope"
    model = GPT(config, rng=0)
    x = ids((1, 5))
    before = model(x)[0]
    object.__setattr__(config, "position", "rope")  # forced past the frozen dataclass
    np.testing.assert_array_equal(model(x)[0], before)
    assert model.config.position == "learned"
    object.__setattr__(config, "n_head", 3)
    with pytest.raises(ValueError, match="not divisible by n_head"):
        GPT(config)
    assert dataclasses.replace(model.config, position="rope").position == "rope"


def test_constructor_arguments_are_clear_errors():
    config = GPTConfig(block_size=BS, vocab_size=V, n_layer=1, n_head=2, n_embd=8)
    with pytest.raises(TypeError, match="dtype must be np.float32 or np.float64, got 'garbage'"):
        GPT(config, dtype="garbage")
    with pytest.raises(ValueError, match="rng must be an int seed >= 0, got -1"):
        GPT(config, rng=-1)
    with pytest.raises(TypeError, match="dropout must be a number, got '0'"):
        GPTConfig(block_size=8, vocab_size=5, n_layer=1, n_head=2, n_embd=8, dropout="0")
    with pytest.raises(TypeError, match="std must be a number"):
        Embedding(5, 3, std="a")
    with pytest.raises(ValueError, match="std must be a finite number"):
        Embedding(5, 3, std=float("nan"))
    with pytest.raises(ValueError, match="std must be >= 0"):
        Embedding(5, 3, std=-1.0)


# -- inputs and the KV cache -----------------------------------------------------------------
def test_ragged_idx_and_empty_batches_are_named_errors():
    model = make()
    with pytest.raises(TypeError, match="idx must be a rectangular array of integer token ids"):
        model([[1, 2], [3]])
    with pytest.raises(ValueError, match=r"idx must hold at least one sequence \(B >= 1\)"):
        model(np.zeros((0, 3), dtype=int))


def test_backward_names_dlogits():
    model = make()
    model(ids((2, 5)))
    with pytest.raises(ValueError, match=r"dlogits must have the forward output's shape"):
        model.backward(np.ones((2, 5, V - 1)))
    with pytest.raises(ValueError, match="dlogits contains NaN"):
        model.backward(np.full((2, 5, V), np.nan))


def test_a_kv_cache_that_does_not_fit_the_model_is_refused_before_anything_is_appended():
    model = make(n_layer=3)
    with pytest.raises(TypeError, match="kv_cache must be a KVCache"):
        model(ids((1, 2)), kv_cache="x")
    small = make(n_layer=2).new_kv_cache(1)
    with pytest.raises(ValueError, match="kv_cache has 2 layers but this GPT has 3"):
        model(ids((1, 2)), kv_cache=small)
    assert small.length == 0 and small._next == 0
    wide = make(n_layer=3, n_head=4).new_kv_cache(1)
    with pytest.raises(ValueError, match=r"kv_cache holds 4 heads of size 2.*2 heads of size 4"):
        model(ids((1, 2)), kv_cache=wide)
    single = model.new_kv_cache(1)
    model(ids((1, 2)), kv_cache=single)
    with pytest.raises(ValueError, match="kv_cache holds 1 sequences but idx has 2 rows"):
        model(ids((2, 1)), kv_cache=single)
    other = make(n_layer=3).astype(np.float32).new_kv_cache(1)
    with pytest.raises(TypeError, match="holds float32 numbers but this GPT computes in float64"):
        model(ids((1, 2)), kv_cache=other)
    logits, _ = model(ids((1, 1), seed=1), kv_cache=single)  # the cache still works
    full, _ = model(np.concatenate([ids((1, 2)), ids((1, 1), seed=1)], axis=1))
    np.testing.assert_allclose(logits[:, -1], full[:, -1], rtol=0, atol=1e-12)


def test_causal_self_attention_names_x_and_dout_with_their_shapes():
    from attnlab.models.gpt_blocks import CausalSelfAttention

    attn = CausalSelfAttention(8, 2)
    with pytest.raises(
        ValueError, match=r"x must have shape \(B, T, E\) with E = n_embd = 8, got \(2, 8\)"
    ):
        attn(np.ones((2, 8)))
    with pytest.raises(ValueError, match=r"x must have shape \(B, T, E\).*got \(1, 2, 6\)"):
        attn(np.ones((1, 2, 6)))
    with pytest.raises(TypeError, match="x must hold real numbers"):
        attn(np.ones((1, 2, 8), dtype=bool))
    attn(np.ones((1, 2, 8)))
    with pytest.raises(ValueError, match=r"dout must have the forward output's shape \(1, 2, 8\)"):
        attn.backward(np.ones((1, 3, 8)))
    with pytest.raises(ValueError, match="dout contains NaN"):
        attn.backward(np.full((1, 2, 8), np.nan))


def test_loading_into_a_read_only_gpt_parameter_names_it_and_writes_nothing():
    model = make()
    before = model.state_dict()
    key = list(model.params)[-1]
    model.params[key].flags.writeable = False
    state = {k: np.zeros_like(v) for k, v in model.state_dict().items()}
    for load in (model.load_state_dict, model.load_torch_state_dict):
        with pytest.raises(ValueError, match=f"parameter {key!r} is read-only"):
            load(state)
        for k, v in model.state_dict().items():
            np.testing.assert_array_equal(v, before[k], err_msg=k)


def test_nanogpt_model_args_with_dropout_get_a_message_that_says_what_to_do():
    model_args = dict(n_layer=2, n_head=2, n_embd=8, block_size=8, bias=True, vocab_size=5)
    model_args["dropout"] = 0.2  # as nanoGPT's train.py stores it in a checkpoint
    with pytest.raises(ValueError) as info:
        GPTConfig(**model_args)
    message = str(info.value)
    assert "dropout=0.2" in message and "no dropout" in message
    assert "inference never uses it" in message
    assert 'GPTConfig(**{**model_args, "dropout": 0.0})' in message
    config = GPTConfig(**{**model_args, "dropout": 0.0})  # the advice works
    assert config.dropout == 0.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_head_mask_that_is_ragged_or_overflows_the_dtype_is_a_clear_error(dtype):
    model = make(n_head=4, seed=3, dtype=dtype)
    x = ids((2, 6))
    shape = r"head_mask must be a \(n_layer, n_head\) = \(2, 4\) array, got a ragged"
    with pytest.raises(ValueError, match=shape):
        model(x, head_mask=[[1, 0, 1, 1], [1]])
    big = np.full((2, 4), 1e39)  # finite, but beyond float32
    if dtype == np.float32:
        with pytest.raises(ValueError, match=r"head_mask.*1e\+39.*float32"):
            model(x, head_mask=big)
