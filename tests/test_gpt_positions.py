"""The GPT with every position scheme: learned, sinusoidal, rope, alibi, none. Parameters,
lengths past block_size, gradcheck, torch parity, and the KV cache exact for each (RoPE
rotates each key once at its absolute position; ALiBi uses absolute query/key positions)."""

import copy

import numpy as np
import pytest

from attnlab import gradcheck
from attnlab.functional import rope_forward, split_heads
from attnlab.models import GPT, GPTConfig

V, BS = 11, 12
SCHEMES = ("learned", "sinusoidal", "rope", "alibi", "none")
RELATIVE = ("rope", "alibi", "none")


def make(position, seed=0, scale=0.3, dtype=np.float64, **overrides):
    cfg = dict(block_size=BS, vocab_size=V, n_layer=2, n_head=2, n_embd=8, position=position)
    cfg.update(overrides)
    model = GPT(GPTConfig(**cfg), rng=seed, dtype=dtype)
    rng = np.random.default_rng(seed + 100)
    for p in model.params.values():
        p += (rng.standard_normal(p.shape) * scale).astype(p.dtype)
    return model


def ids(shape, seed=0):
    return np.random.default_rng(seed).integers(0, V, shape)


@pytest.mark.parametrize("position", SCHEMES)
def test_only_learned_positions_have_a_table(position):
    model = make(position)
    has_wpe = "transformer.wpe.weight" in model.params
    assert has_wpe == (position == "learned")
    reference = make("none")
    assert model.get_num_params() == reference.get_num_params()  # wpe is an embedding
    if position != "learned":
        learned_sd = make("learned").state_dict()
        with pytest.raises(KeyError, match=r"unexpected keys \['transformer.wpe.weight'\]"):
            model.load_state_dict(learned_sd)


def test_the_schemes_give_different_models_from_the_same_weights():
    x = ids((1, 9))
    base = make("none")
    logits = {}
    for position in SCHEMES[1:]:
        model = make(position)
        model.load_state_dict(base.state_dict(), strict=False)
        logits[position] = model(x)[0]
    logits["none"] = base(x)[0]
    for a in logits:
        for b in logits:
            if a < b:
                assert np.abs(logits[a] - logits[b]).max() > 1e-3, (a, b)
    np.testing.assert_allclose(logits["none"][:, 0], logits["rope"][:, 0], atol=1e-14)  # p = 0
    np.testing.assert_allclose(logits["none"][:, 0], logits["alibi"][:, 0], atol=1e-14)


@pytest.mark.parametrize("position", SCHEMES[1:])
def test_schemes_without_a_learned_table_run_past_block_size(position):
    logits, _ = make(position)(ids((2, 4 * BS)))
    assert logits.shape == (2, 4 * BS, V) and np.isfinite(logits).all()
    with pytest.raises(ValueError, match=f"block_size={BS}"):
        make("learned")(ids((1, BS + 1)))


@pytest.mark.parametrize(
    "position, overrides",
    [("rope", {}), ("rope", dict(n_head=1, bias=False)), ("alibi", {}), ("alibi", dict(n_head=4))],
)
def test_gradcheck_gpt_with_positions_inside_attention(position, overrides):
    model = make(position, seed=1, **overrides)
    result = gradcheck(model, kwargs={"idx": ids((2, 6), seed=2)}, max_entries=12)
    assert result.passed(1e-6), result


@pytest.mark.torch
@pytest.mark.parametrize("position", SCHEMES)
@pytest.mark.parametrize(
    "overrides",
    [dict(n_head=1), dict(n_head=2), dict(n_head=4, bias=False), dict(attn_only=True, n_layer=3)],
)
def test_float64_parity_with_the_torch_twin(position, overrides):
    from attnlab.reference.gpt import compare_gpt

    model = make(position, seed=4, **overrides)
    x, targets = ids((3, 11), seed=5), ids((3, 11), seed=6)
    targets[1, :4] = -1
    for report in (compare_gpt(model, x, targets), compare_gpt(model, x, seed=7)):
        for d in report.diffs:
            limit = 1e-9  # gradients
            if d.name in ("logits", "loss"):
                limit = 1e-10
            elif d.name.startswith("attention"):
                limit = 1e-12
            assert d.max_abs <= limit, report
        assert len([d for d in report.diffs if d.name.startswith("grad:")]) == len(model.params)


@pytest.mark.torch
@pytest.mark.parametrize("position", RELATIVE + ("sinusoidal",))
def test_parity_past_block_size_and_with_torchs_fused_attention(position):
    import torch

    from attnlab.reference.gpt import compare_gpt, twin_of

    model = make(position, seed=5, n_head=4, n_embd=16)
    x = ids((2, 3 * BS), seed=8)
    assert compare_gpt(model, x, ids((2, 3 * BS), seed=9)).passed(abs_tol=1e-10)
    flash = twin_of(model, flash=True)(torch.tensor(x))[0].detach().numpy()
    np.testing.assert_allclose(model(x)[0], flash, rtol=0, atol=1e-10)


@pytest.mark.torch
@pytest.mark.parametrize("position", ["rope", "alibi"])
def test_float32_agrees_with_float64_truth(position):
    model32 = make(position, seed=9, dtype=np.float32)
    model64 = copy.deepcopy(model32).astype(np.float64)
    x, targets = ids((2, 10), seed=1), ids((2, 10), seed=2)
    logits32, _ = model32(x, targets)
    model32.zero_grad()
    model32.backward()
    logits64, _ = model64(x, targets)
    model64.zero_grad()
    model64.backward()
    assert logits32.dtype == np.float32
    assert np.abs(logits32 - logits64).max() <= 1e-5 * max(np.abs(logits64).max(), 1.0)
    for k, g in model64.grads.items():
        assert model32.grads[k].dtype == np.float32
        assert np.abs(model32.grads[k] - g).max() <= 1e-5 * max(np.abs(g).max(), 1.0), k


# -- the KV cache -------------------------------------------------------------------------------
@pytest.mark.parametrize("position", SCHEMES)
def test_cached_logits_equal_the_full_forward(position):
    model = make(position, n_head=4)
    T = BS if position == "learned" else 3 * BS  # past block_size where the scheme can go
    x = ids((2, T), seed=3)
    full, _ = model(x)
    cache = model.new_kv_cache(2)
    chunks = [model(x[:, :3], kv_cache=cache)[0]]  # prefill
    chunks.append(model(x[:, 3:8], kv_cache=cache)[0])  # a chunk: offset causal mask
    chunks += [model(x[:, t : t + 1], kv_cache=cache)[0] for t in range(8, T)]  # one by one
    np.testing.assert_allclose(np.concatenate(chunks, axis=1), full, rtol=0, atol=1e-12)
    assert cache.length == T


def test_rope_caches_each_key_rotated_once_at_its_absolute_position():
    model = make("rope", n_head=2)
    x = ids((1, 2 * BS), seed=4)
    cache = model.new_kv_cache(1)
    for t in range(2 * BS):
        model(x[:, t : t + 1], kv_cache=cache)
    block = model.transformer.h[0]
    h = block.ln_1(model.transformer.wte(x))  # (1, T, E)
    k = split_heads(np.split(block.attn.c_attn(h), 3, axis=2)[1], 2)  # (1, H, T, D)
    rotated, _ = rope_forward(k, np.arange(2 * BS))
    np.testing.assert_allclose(cache.keys[0][:, :, : 2 * BS], rotated, rtol=0, atol=1e-14)


@pytest.mark.parametrize("position", SCHEMES)
def test_generation_with_and_without_cache_is_identical_past_block_size(position):
    model = make(position, seed=1)
    x = ids((3, 4), seed=5)
    n = 2 * BS
    greedy = model.generate(x, n, greedy=True)
    np.testing.assert_array_equal(greedy, model.generate(x, n, greedy=True, use_cache=False))
    for kw in (dict(), dict(temperature=1.5, top_k=4)):
        a = model.generate(x, n, rng=np.random.default_rng(5), **kw)
        b = model.generate(x, n, rng=np.random.default_rng(5), use_cache=False, **kw)
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("position", SCHEMES)
def test_generation_crops_only_absolute_positions(position):
    """learned and sinusoidal see the last block_size tokens; rope, alibi, none see them all."""
    model = make(position, seed=2)
    out = model.generate(ids((2, 3), seed=6), 2 * BS, greedy=True)
    window = BS if position in ("learned", "sinusoidal") else None
    assert model.max_context == window
    for t in range(3, out.shape[1]):
        begin = 0 if window is None else max(0, t - window)
        logits, _ = model(out[:, begin:t])
        np.testing.assert_array_equal(out[:, t], logits[:, -1].argmax(-1))


@pytest.mark.torch
@pytest.mark.parametrize("position", SCHEMES)
def test_greedy_equals_the_twins_nanogpt_loop_with_the_same_window(position):
    from attnlab.reference.gpt import twin_generate

    model = make(position, seed=3)
    x = ids((2, 5), seed=7)
    ours = model.generate(x, 2 * BS, greedy=True)
    np.testing.assert_array_equal(ours, twin_generate(model, x, 2 * BS, top_k=1))


def test_max_context_can_crop_a_relative_scheme_and_stays_exact():
    model = make("alibi", seed=4)
    model.max_context = 5  # a sliding window of 5 tokens
    x = ids((2, 3), seed=8)
    a = model.generate(x, 15, greedy=True)
    np.testing.assert_array_equal(a, model.generate(x, 15, greedy=True, use_cache=False))
    logits, _ = model(a[:, 9:14])
    np.testing.assert_array_equal(a[:, 14], logits[:, -1].argmax(-1))
    model.max_context = None
    assert model.max_context is None


def test_max_context_is_checked():
    learned = make("learned")
    with pytest.raises(ValueError, match="cannot read past block_size"):
        learned.max_context = None
    with pytest.raises(ValueError, match=f"exceeds block_size={BS}"):
        learned.max_context = BS + 1
    learned.max_context = 4
    with pytest.raises(TypeError, match="max_context must be an int"):
        make("rope").max_context = 2.5
    with pytest.raises(ValueError, match="max_context must be >= 1"):
        make("rope").max_context = 0


def test_rope_needs_an_even_head_size():
    with pytest.raises(ValueError, match="must be even"):
        GPTConfig(block_size=8, vocab_size=5, n_layer=1, n_head=2, n_embd=10, position="rope")
    GPTConfig(block_size=8, vocab_size=5, n_layer=1, n_head=2, n_embd=10, position="alibi")


@pytest.mark.parametrize("position", ["rope", "alibi"])
def test_checkpoint_round_trip(position, tmp_path):
    model = make(position, seed=3)
    model.save(tmp_path / "gpt.npz")
    back = GPT.load(tmp_path / "gpt.npz")
    assert back.config == model.config and back.max_context is None
    x = ids((1, 2 * BS))
    np.testing.assert_array_equal(back(x)[0], model(x)[0])


@pytest.mark.parametrize("position", ["rope", "alibi"])
def test_beam_search_past_block_size_is_the_same_with_and_without_cache(position):
    from attnlab.decoding import beam_search

    model = make(position, seed=5)
    x = ids((2, 4), seed=9)
    cached = beam_search(model, x, beams=3, max_new_tokens=BS + 4)
    plain = beam_search(model, x, beams=3, max_new_tokens=BS + 4, use_cache=False)
    np.testing.assert_array_equal(cached.sequences, plain.sequences)
    np.testing.assert_allclose(cached.scores, plain.scores, rtol=0, atol=1e-12)
    assert cached.tokens.shape == (2, 4 + BS + 4)
