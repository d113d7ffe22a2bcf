"""Decoding: the sampling distribution, generation with and without the KV cache (exactly the
same), nanoGPT's greedy generate, beam search."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from attnlab.decoding import beam_search, probabilities, sample
from attnlab.models import GPT, GPTConfig, KVCache

V, BS = 11, 12


def make(seed=0, scale=0.4, **overrides):
    cfg = dict(block_size=BS, vocab_size=V, n_layer=2, n_head=2, n_embd=8)
    cfg.update(overrides)
    model = GPT(GPTConfig(**cfg), rng=seed)
    rng = np.random.default_rng(seed + 100)
    for p in model.params.values():
        p += rng.standard_normal(p.shape) * scale
    return model


def prompt(B=3, T=4, seed=0):
    return np.random.default_rng(seed).integers(0, V, (B, T))


# -- probabilities -------------------------------------------------------------------------
def reference_probabilities(z, temperature=1.0, top_k=None, top_p=None):
    """The definition, one row at a time, in plain Python/NumPy."""
    out = []
    for row in np.atleast_2d(z):
        row = row / temperature
        if top_k is not None and top_k < len(row):
            kth = sorted(row, reverse=True)[top_k - 1]
            row = np.where(row >= kth, row, -np.inf)
        p = np.exp(row - row.max())
        p /= p.sum()
        if top_p is not None:
            order = sorted(range(len(p)), key=lambda i: (-p[i], i))
            kept, mass = [], 0.0
            for i in order:
                kept.append(i)
                mass += p[i]
                if mass >= top_p:
                    break
            q = np.zeros_like(p)
            q[kept] = p[kept]
            p = q / q.sum()
        out.append(p)
    return np.array(out).reshape(np.shape(z))


logit_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 3), st.integers(1, 9)),
    elements=st.floats(-30, 30, allow_nan=False).map(lambda x: round(x, 1)),  # many ties
)


@settings(max_examples=150, deadline=None)
@given(
    logit_rows,
    st.floats(0.05, 20),
    st.one_of(st.none(), st.integers(1, 10)),
    st.one_of(st.none(), st.floats(0.01, 1.0)),
)
def test_probabilities_match_the_definition(z, temperature, top_k, top_p):
    p = probabilities(z, temperature=temperature, top_k=top_k, top_p=top_p)
    assert p.shape == z.shape and np.isfinite(p).all() and (p >= 0).all()
    np.testing.assert_allclose(p.sum(-1), 1.0, rtol=1e-12)
    ref = reference_probabilities(z, temperature, top_k, top_p)
    np.testing.assert_allclose(p, ref, rtol=1e-9, atol=1e-12)


def test_top_k_keeps_every_tie_at_the_kth_value():
    p = probabilities(np.array([1.0, 3.0, 2.0, 2.0, 0.0]), top_k=2)
    assert (p[[1, 2, 3]] > 0).all() and p[0] == 0 and p[4] == 0
    assert p[2] == p[3]


def test_top_p_keeps_the_token_that_crosses_it_and_always_one():
    z = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    np.testing.assert_allclose(probabilities(z, top_p=0.7), [0.625, 0.375, 0, 0], rtol=1e-12)
    # 0.5 + 0.3 reaches 0.8 (in float64 the sum is one unit in the last place short of 0.8:
    # within the rounding allowance), so two tokens; a hair above 0.8 needs the third
    np.testing.assert_allclose(probabilities(z, top_p=0.8), [0.625, 0.375, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(
        probabilities(z, top_p=0.8 + 1e-9), [0.5, 0.3, 0.15, 0] / np.float64(0.95)
    )
    np.testing.assert_allclose(probabilities(z, top_p=1e-9), [1, 0, 0, 0])
    np.testing.assert_allclose(probabilities(z, top_p=0.5), [1, 0, 0, 0])  # 0.5 reaches 0.5


@pytest.mark.torch
def test_top_k_matches_nanogpts_torch_code():
    import torch

    z = np.random.default_rng(0).standard_normal((4, 9)).round(1)
    for k in (1, 3, 9):
        t = torch.tensor(z) / 0.7
        v, _ = torch.topk(t, k)
        t[t < v[:, [-1]]] = -float("inf")
        ref = torch.softmax(t, dim=-1).numpy()
        np.testing.assert_allclose(probabilities(z, temperature=0.7, top_k=k), ref, atol=1e-15)


def test_temperature_limits_are_argmax_and_uniform():
    z = np.array([[0.3, 2.0, -1.0, 1.9]])
    np.testing.assert_allclose(probabilities(z, temperature=1e-3), [[0, 1, 0, 0]], atol=1e-12)
    np.testing.assert_allclose(probabilities(z, temperature=1e-300), [[0, 1, 0, 0]])
    np.testing.assert_allclose(probabilities(z, temperature=1e6), 0.25, atol=1e-5)
    entropy = [
        -np.sum(p * np.log(p)) for p in (probabilities(z, temperature=t)[0] for t in (0.5, 1, 2))
    ]
    assert entropy[0] < entropy[1] < entropy[2]  # hotter -> flatter


def test_float32_and_minus_inf_logits():
    z = np.array([[1.0, -np.inf, 0.5]], dtype=np.float32)
    p = probabilities(z)
    assert p.dtype == np.float32 and p[0, 1] == 0
    with pytest.raises(ValueError, match="all -inf"):
        probabilities(np.full((1, 3), -np.inf))


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        (dict(temperature=0), ValueError, "temperature must be a finite number > 0"),
        (dict(temperature=float("nan")), ValueError, "temperature"),
        (dict(temperature=True), TypeError, "temperature"),
        (dict(top_k=0), ValueError, "top_k must be >= 1"),
        (dict(top_k=2.0), TypeError, "top_k must be an int"),
        (dict(top_p=0.0), ValueError, r"top_p must be in \(0, 1\]"),
        (dict(top_p=1.5), ValueError, r"top_p must be in \(0, 1\]"),
    ],
)
def test_bad_sampling_arguments_are_clear_errors(kwargs, err, match):
    with pytest.raises(err, match=match):
        probabilities(np.zeros(3), **kwargs)
    with pytest.raises(err, match=match):
        make().generate(prompt(), 3, **kwargs)


def test_sample_is_reproducible_never_draws_zero_and_follows_probs():
    p = np.array([0.5, 0.0, 0.3, 0.2])
    draws = sample(np.tile(p, (20000, 1)), np.random.default_rng(0))
    assert not (draws == 1).any()
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 20000, p, atol=0.015)
    again = sample(np.tile(p, (20000, 1)), np.random.default_rng(0))
    np.testing.assert_array_equal(draws, again)


# -- KV cache ------------------------------------------------------------------------------
@pytest.mark.parametrize("position", ["learned", "sinusoidal", "none"])
def test_cached_logits_equal_the_full_forward(position):
    model = make(position=position, n_head=4)
    x = prompt(B=2, T=10)
    full, _ = model(x)
    cache = model.new_kv_cache(2)
    chunks = [model(x[:, :3], kv_cache=cache)[0]]  # prefill of 3
    chunks.append(model(x[:, 3:7], kv_cache=cache)[0])  # a 4-token chunk: offset causal mask
    chunks += [model(x[:, t : t + 1], kv_cache=cache)[0] for t in range(7, 10)]  # one by one
    np.testing.assert_allclose(np.concatenate(chunks, axis=1), full, rtol=0, atol=1e-12)
    assert cache.length == 10
    assert model.attention_maps[0].shape == (2, 4, 1, 10)  # one query row against 10 keys
    with pytest.raises(RuntimeError, match="KV cache"):
        model.backward(np.ones((2, 1, V)))


def test_kv_cache_memory_is_two_numbers_per_layer_and_width():
    model = make(n_layer=3, n_embd=16)
    cache = model.new_kv_cache(2)
    assert cache.numbers_per_token == 2 * 3 * 16
    model(prompt(B=2, T=5), kv_cache=cache)
    assert cache.nbytes == 2 * 5 * 2 * 3 * 16 * 8


def test_learned_positions_refuse_to_run_past_block_size_with_a_cache():
    model = make()
    cache = model.new_kv_cache(1)
    model(prompt(B=1, T=BS), kv_cache=cache)
    with pytest.raises(ValueError, match=f"after {BS} cached tokens"):
        model(prompt(B=1, T=1), kv_cache=cache)


def test_cache_grows_past_its_capacity():
    model = make(position="none")
    x = prompt(B=1, T=3 * BS)
    cache = KVCache(2, 1, 2, 4, capacity=2)
    steps = [model(x[:, t : t + 1], kv_cache=cache)[0] for t in range(3 * BS)]
    np.testing.assert_allclose(np.concatenate(steps, 1), model(x)[0], rtol=0, atol=1e-12)


# -- generate ------------------------------------------------------------------------------
@pytest.mark.parametrize("position", ["learned", "sinusoidal", "none"])
def test_generation_with_and_without_cache_is_identical(position):
    model = make(position=position, seed=1)
    x = prompt()
    n = 2 * BS  # runs past block_size: the window slides and the cache is rebuilt
    greedy = model.generate(x, n, greedy=True)
    np.testing.assert_array_equal(greedy, model.generate(x, n, greedy=True, use_cache=False))
    for kw in (dict(), dict(temperature=1.7, top_k=4), dict(top_p=0.8, temperature=0.6)):
        a = model.generate(x, n, rng=np.random.default_rng(5), **kw)
        b = model.generate(x, n, rng=np.random.default_rng(5), use_cache=False, **kw)
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, model.generate(x, n, rng=5, **kw))  # int seeds too
    assert greedy.shape == (3, 4 + n)
    np.testing.assert_array_equal(greedy[:, :4], x)


def test_greedy_is_the_argmax_of_the_last_logits():
    model = make(seed=2)
    x = prompt()
    out = model.generate(x, 3, greedy=True)
    for t in range(3):
        logits, _ = model(out[:, : 4 + t])
        np.testing.assert_array_equal(out[:, 4 + t], logits[:, -1].argmax(-1))


@pytest.mark.torch
def test_greedy_equals_nanogpts_generate_with_top_k_1():
    from attnlab.reference.gpt import twin_generate

    model = make(seed=3)
    x = prompt(T=5)
    ours = model.generate(x, 2 * BS, greedy=True)  # past block_size: nanoGPT crops too
    np.testing.assert_array_equal(ours, twin_generate(model, x, 2 * BS, top_k=1))


def test_stop_finishes_rows_and_pads_them_with_the_stop_id():
    model = make(seed=4)
    x = prompt(B=4)
    free = model.generate(x, 15, greedy=True)
    stop = int(free[0, 6])  # row 0 produces this id at step 3
    out = model.generate(x, 15, greedy=True, stop=stop)
    for row, full in zip(out, free, strict=True):
        hits = np.flatnonzero(full[4:] == stop)
        if hits.size:
            end = 4 + hits[0]
            np.testing.assert_array_equal(row[: end + 1], full[: end + 1])
            assert (row[end:] == stop).all()
        else:
            np.testing.assert_array_equal(row, full[: len(row)])
    everyone = model.generate(x, 15, greedy=True, stop=np.arange(V))
    assert everyone.shape == (4, 5)  # all rows finish at once: generation ends early
    with pytest.raises(ValueError, match=r"stop ids must lie in \[0, 11\)"):
        model.generate(x, 3, stop=V)
    with pytest.raises(ValueError, match="max_new_tokens must be >= 0"):
        model.generate(x, -1)


# -- beam search ---------------------------------------------------------------------------
def sequence_logprob(model, seq, T):
    logits, _ = model(seq[None, :-1])
    z = logits[0, T - 1 :]
    logp = z - z.max(-1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(-1, keepdims=True))
    return logp[np.arange(len(z)), seq[T:]].sum()


def test_beam_search_with_one_beam_is_greedy():
    model = make(seed=5)
    x = prompt()
    result = beam_search(model, x, 1, 2 * BS)
    np.testing.assert_array_equal(result.tokens, model.generate(x, 2 * BS, greedy=True))


def test_beam_search_wide_enough_finds_the_best_sequence_and_scores_it():
    model = make(seed=6, vocab_size=3)
    x = np.array([[0, 2], [1, 1]])
    n = 3
    result = beam_search(model, x, 9, n)  # 9 = 3^2 beams: nothing is pruned before the end
    for b in range(2):
        best = max(
            (sequence_logprob(model, np.r_[x[b], tail], 2), tail)
            for tail in itertools.product(range(3), repeat=n)
        )
        np.testing.assert_array_equal(result.tokens[b, 2:], best[1])
        assert result.scores[b] == pytest.approx(best[0] / n, rel=1e-12)
    assert result.sequences.shape == (2, 9, 5)
    assert (np.diff(result.all_scores, axis=1) <= 0).all()


def test_beam_search_ranks_finished_hypotheses_by_mean_logprob():
    model = make(seed=7)
    x = prompt(B=2)
    result = beam_search(model, x, 3, 8, stop=[1, 2])
    for b in range(2):
        for seq, score in zip(result.sequences[b], result.all_scores[b], strict=True):
            tail = seq[4:]
            ends = np.flatnonzero(np.isin(tail, [1, 2]))
            n = ends[0] + 1 if ends.size else len(tail)
            assert (tail[n:] == tail[n - 1]).all()  # padded with its stop id
            logp = sequence_logprob(model, seq[: 4 + n], 4)
            assert score == pytest.approx(logp / n, rel=1e-10)
    same = beam_search(model, x, 3, 8, stop=[1, 2], use_cache=False)
    np.testing.assert_array_equal(same.sequences, result.sequences)


def test_distinct_n_counts_repeated_ngrams_within_rows():
    from attnlab.decoding import distinct_n

    assert distinct_n(np.array([1, 2, 3, 4]), 2) == 1.0
    assert distinct_n(np.array([1, 2, 1, 2, 1]), 2) == 0.5  # (1,2) (2,1) (1,2) (2,1)
    assert distinct_n(np.array([[1, 2], [1, 2]]), 2) == 0.5
    assert distinct_n(np.array([[1, 2], [2, 1]]), 1) == 0.5
    with pytest.raises(ValueError, match="no 3-gram"):
        distinct_n(np.array([1, 2]), 3)


# -- beam search with stop ids: finished hypotheses compete fairly with live ones -------------
def exhaustive_best(model, x, n, stop):
    """The best continuation of the one-row prompt ``x`` by mean log-probability per new token:
    every sequence of n tokens, each cut after its first stop id (the definition)."""
    best = None
    for tail in itertools.product(range(model.config.vocab_size), repeat=n):
        cut = next((i + 1 for i, t in enumerate(tail) if t in stop), n)
        seq = np.r_[x[0], tail[:cut]]
        score = sequence_logprob(model, seq, x.shape[1]) / cut
        if best is None or score > best[0] + 1e-12:
            best = (score, seq)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_beam_search_with_one_beam_is_greedy_with_a_stop_id_too(seed):
    model = make(seed=seed, scale=0.8, vocab_size=5)
    x = np.array([[1, 2]])
    for stop in range(5):
        greedy = model.generate(x, 6, greedy=True, stop=stop)
        result = beam_search(model, x, 1, 6, stop=stop)
        np.testing.assert_array_equal(result.tokens, greedy)
        n = greedy.shape[1] - 2
        assert result.scores[0] == pytest.approx(sequence_logprob(model, greedy[0], 2) / n)


def test_beam_search_keeps_a_better_live_hypothesis_over_finished_ones():
    # Three beams, two stop ids: early finishers (mean log-probability about -2.3) must not end
    # the search while a live beam scores about -0.09: the best of all sequences survives.
    model = make(seed=0, scale=0.8, vocab_size=5)
    x = np.array([[1, 2]])
    result = beam_search(model, x, 3, 3, stop=[2, 4])
    score, seq = exhaustive_best(model, x, 3, {2, 4})
    np.testing.assert_array_equal(result.tokens[0, : len(seq)], seq)
    assert result.scores[0] == pytest.approx(score, rel=1e-12)
    assert (np.diff(result.all_scores, axis=1) <= 0).all()


def test_wide_beam_search_with_stop_ids_finds_the_best_sequence():
    model = make(seed=3, scale=0.8, vocab_size=4)
    x = np.array([[0, 3]])
    result = beam_search(model, x, 16, 3, stop=[1])  # 16 = 4^2: nothing pruned before the end
    score, seq = exhaustive_best(model, x, 3, {1})
    np.testing.assert_array_equal(result.tokens[0, : len(seq)], seq)
    assert result.scores[0] == pytest.approx(score, rel=1e-12)


@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        (dict(length_penalty="a"), TypeError, "length_penalty must be a number"),
        (dict(length_penalty=None), TypeError, "length_penalty must be a number"),
        (dict(length_penalty=float("nan")), ValueError, "length_penalty must be a finite"),
        (dict(use_cache="no"), TypeError, "use_cache must be True or False"),
        # n ** length_penalty must stay a float64 (40 ** 200 is not one)
        (dict(length_penalty=200.0), ValueError, "length_penalty 200.0 .*max_new_tokens=40"),
        (dict(length_penalty=-1e308), ValueError, "length_penalty -1e\\+308 .*max_new_tokens"),
    ],
)
def test_bad_beam_search_arguments_are_clear_errors(kwargs, err, match):
    with pytest.raises(err, match=match):
        beam_search(make(), prompt(), 2, 40, **kwargs)


def test_a_large_but_representable_length_penalty_still_ranks_by_score():
    result = beam_search(make(), prompt(), 2, 5, length_penalty=100.0)  # 5 ** 100 is fine
    assert np.isfinite(result.all_scores).all()
    assert (np.diff(result.all_scores, axis=1) <= 0).all()  # best first


def test_decoding_a_non_model_is_a_clear_error():
    from attnlab.decoding import generate

    for fn in (lambda m: beam_search(m, prompt(), 2, 3), lambda m: generate(m, prompt(), 3)):
        with pytest.raises(TypeError, match="model must be a GPT"):
            fn("m")


# -- tiny temperatures are their limit, never NaN ---------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("temperature", [1e-30, 1e-46, 1e-50, 1e-300, 1e-320, 5e-324])
def test_a_tiny_temperature_is_greedy_never_nan(dtype, temperature):
    import warnings

    z = np.array([[1.0, 0.0, 0.5], [2.0, 2.0, -1.0]], dtype=dtype)  # row 2: a tie at the top
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow or divide warnings either
        p = probabilities(z, temperature=temperature)
        q = probabilities(z, temperature=temperature, top_k=2, top_p=0.9)
    assert p.dtype == dtype
    np.testing.assert_array_equal(p, np.array([[1, 0, 0], [0.5, 0.5, 0]], dtype=dtype))
    np.testing.assert_array_equal(q, p)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_generation_at_a_tiny_temperature_is_greedy(dtype):
    model = make(seed=8)
    model.astype(dtype)
    x = prompt()
    greedy = model.generate(x, 6, greedy=True)
    np.testing.assert_array_equal(model.generate(x, 6, temperature=1e-50, rng=0), greedy)


def test_huge_logits_and_temperatures_give_the_limit_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(probabilities(np.array([1e308, 0.0, -1e308])), [1, 0, 0])
        np.testing.assert_array_equal(
            probabilities(np.array([-1e308, 1e308]), temperature=0.5), [0, 1]
        )
        np.testing.assert_array_equal(
            probabilities(np.array([3e38, -3e38], np.float32)), np.array([1, 0], np.float32)
        )
        p = probabilities(np.array([1.0, 0.0], np.float32), temperature=1e39)  # flat limit
        np.testing.assert_allclose(p, [0.5, 0.5], rtol=1e-6)
        assert probabilities(np.array([1e300, 0.0]), temperature=1e-10).tolist() == [1, 0]


def test_sample_refuses_what_is_not_a_distribution():
    rng = np.random.default_rng(0)
    for bad, match in [
        (np.array([np.nan, np.nan]), "NaN"),
        (np.array([-0.5, 1.5]), "negative"),
        (np.array([2.0, 2.0]), "sum to 1"),
        (np.array([0.0, 0.0]), "sum to 1"),
        (np.array([True, False]), "real numbers"),
        (np.zeros((2, 0)), "V >= 1"),
    ]:
        with pytest.raises((ValueError, TypeError), match=match):
            sample(bad, rng)
    with pytest.raises(TypeError, match="rng must be None, an int seed or a numpy Generator"):
        sample(np.array([0.5, 0.5]), "x")
    with pytest.raises(ValueError, match="rng must be an int seed >= 0"):
        sample(np.array([0.5, 0.5]), -1)
    assert sample(np.array([0.25, 0.75]), 0) == sample(np.array([0.25, 0.75]), 0)  # int seeds


# -- top_p: the smallest set whose mass reaches top_p -----------------------------------------
def test_top_p_equal_to_a_prefix_mass_keeps_exactly_that_prefix():
    x = np.array([0.13, -0.13, 0.64])
    top = float(probabilities(x).max())
    assert (probabilities(x, top_p=top) > 0).sum() == 1
    assert (probabilities(np.zeros(3, np.float32), top_p=2 / 3) > 0).sum() == 2
    for V in (3, 5, 7, 10):  # V equal tokens: top_p = j / V keeps j of them
        kept = [int((probabilities(np.zeros(V), top_p=j / V) > 0).sum()) for j in range(1, V + 1)]
        assert kept == list(range(1, V + 1))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 40), st.sampled_from([0.1, 1.0, 3.0]), st.data())
def test_top_p_fuzz_with_exact_prefix_sums(seed, V, spread, data):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(V) * spread
    if data.draw(st.booleans()):
        x = np.round(x)  # ties
    p = probabilities(x)
    order = np.argsort(-p, kind="stable")
    j = data.draw(st.integers(1, V))
    top_p = float(np.cumsum(p[order])[j - 1])  # the mass of the j most likely, as NumPy sums it
    if top_p > 1:
        return
    kept = probabilities(x, top_p=top_p) > 0
    n = int(kept.sum())
    assert kept[order[:n]].all()  # the most likely n tokens
    # exactly the j tokens whose mass top_p is, unless the last of them adds nothing that
    # float64 can see (below the documented rounding allowance V * eps)
    assert n == j if p[order[j - 1]] > V * 1e-15 else n <= j


# -- options are real bools, generators are validated even when unused -------------------------
@pytest.mark.parametrize(
    "kwargs, err, match",
    [
        (dict(greedy="yes"), TypeError, "greedy must be True or False"),
        (dict(greedy=None), TypeError, "greedy must be True or False"),
        (dict(use_cache="no"), TypeError, "use_cache must be True or False"),
        (dict(greedy=True, rng="bad"), TypeError, "rng must be None, an int seed"),
        (dict(rng=-1), ValueError, "rng must be an int seed >= 0"),
        (dict(greedy=True, rng=-1), ValueError, "rng must be an int seed >= 0"),
    ],
)
def test_generate_options_are_checked(kwargs, err, match):
    with pytest.raises(err, match=match):
        make().generate(prompt(), 3, **kwargs)


def test_distinct_n_of_no_rows_is_a_clear_error():
    from attnlab.decoding import distinct_n

    with pytest.raises(ValueError, match="no 2-gram"):
        distinct_n(np.zeros((0, 5), dtype=np.int64), 2)


def test_suppressed_tokens_are_never_generated():
    model = make(seed=9)
    x = prompt()
    free = model.generate(x, 12, greedy=True)
    banned = np.unique(free[:, 4:])[:3]
    for kw in (dict(greedy=True), dict(rng=0), dict(rng=1, temperature=3.0, top_k=5)):
        out = model.generate(x, 12, suppress=banned, **kw)
        assert not np.isin(out[:, 4:], banned).any()
        np.testing.assert_array_equal(
            out, model.generate(x, 12, suppress=banned, use_cache=False, **kw)
        )
    with pytest.raises(ValueError, match="suppress leaves no token"):
        model.generate(x, 2, suppress=np.arange(V))
    with pytest.raises(ValueError, match=r"suppress ids must lie in \[0, 11\)"):
        model.generate(x, 2, suppress=[V])
