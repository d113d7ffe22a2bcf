"""Order-book events: the synthetic stream has the structure it promises, and the tokenizer
turns events into ids and back."""

import numpy as np
import pytest

from attnlab.data import LOBEvents, LOBEventTokenizer, synthetic_lob_events

EVENTS = synthetic_lob_events(30_000, seed=3)


def test_stream_is_seeded_and_valid():
    again = synthetic_lob_events(30_000, seed=3)
    for a, b in zip(EVENTS, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(synthetic_lob_events(30_000, seed=4).kind, EVENTS.kind)
    assert set(np.unique(EVENTS.kind)) == {0, 1, 2} and set(np.unique(EVENTS.side)) == {0, 1}
    assert (EVENTS.size >= 1).all() and (EVENTS.level >= 0).all()
    assert (EVENTS.level[EVENTS.kind == 2] == 0).all()


def test_market_orders_cluster():
    market = EVENTS.kind == 2
    after_market = market[1:][market[:-1]].mean()
    assert after_market > 1.25 * market.mean()


def test_taken_liquidity_is_replenished_at_the_best_level():
    k, s, lvl = EVENTS.kind, EVENTS.side, EVENTS.level
    refill = [
        any(k[t + d] == 0 and s[t + d] == s[t] and lvl[t + d] == 0 for d in range(1, 5))
        for t in np.flatnonzero(k[:-5] == 2)
    ]
    base = [
        any(k[t + d] == 0 and s[t + d] == s[t] and lvl[t + d] == 0 for d in range(1, 5))
        for t in np.flatnonzero(k[:-5] != 2)
    ]
    assert np.mean(refill) > np.mean(base) + 0.1


def test_trends_make_one_side_aggressive():
    market = EVENTS.kind == 2
    up, down = EVENTS.regime == 0, EVENTS.regime == 1
    ask_share_up = (EVENTS.side[market & up] == 1).mean()
    ask_share_down = (EVENTS.side[market & down] == 1).mean()
    assert ask_share_up > 0.6 > 0.4 > ask_share_down
    mid = EVENTS.mid
    assert np.diff(mid)[up[1:]].mean() > 0 > np.diff(mid)[down[1:]].mean()


def test_tokenizer_round_trip_and_vocabulary():
    tok = LOBEventTokenizer()
    assert tok.vocab_size == 96
    ids = tok.encode(EVENTS)
    assert ids.min() >= 0 and ids.max() < 96
    back = tok.decode(ids)
    np.testing.assert_array_equal(tok.encode(back), ids)
    np.testing.assert_array_equal(back.kind, EVENTS.kind)
    np.testing.assert_array_equal(back.side, EVENTS.side)
    np.testing.assert_array_equal(back.level, np.minimum(EVENTS.level, 3))
    edges = np.array([1, 100, 300, 1000])
    np.testing.assert_array_equal(
        back.size, edges[np.searchsorted(edges, EVENTS.size, "right") - 1]
    )
    np.testing.assert_array_equal(tok.kind_of(ids), EVENTS.kind)
    assert (
        tok.describe(int(tok.encode(LOBEvents(*[np.array([v]) for v in (2, 1, 0, 150, 0, 0)]))[0]))
        == "market ask L0 size 100-299"
    )
    assert tok.describe(47) == "cancel bid L3+ size 1000+"
    assert tok.describe(0) == "add bid L0 size 1-99"


def test_tokenizer_rejects_impossible_events():
    tok = LOBEventTokenizer()

    def ev(kind, side, level, size):
        return LOBEvents(*[np.array([v]) for v in (kind, side, level, size, 0, 0)])

    with pytest.raises(ValueError, match="event 0 has an impossible level of a market order"):
        tok.encode(ev(2, 0, 1, 5))
    with pytest.raises(ValueError, match="impossible size"):
        tok.encode(ev(0, 0, 1, 0))
    with pytest.raises(ValueError, match="impossible kind"):
        tok.encode(ev(3, 0, 0, 5))
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 96\)"):
        tok.decode(np.array([96]))
    with pytest.raises(ValueError, match="increasing integers starting at 1"):
        LOBEventTokenizer(size_edges=(0, 10))


def test_fleeting_quotes_are_cancelled_with_the_same_level_and_size():
    k, s, lvl, size = EVENTS.kind, EVENTS.side, EVENTS.level, EVENTS.size
    adds = np.flatnonzero((k[:-7] == 0) & (lvl[:-7] > 0))
    copies = [
        any(k[t + d] == 1 and s[t + d] == s[t] and lvl[t + d] == lvl[t] and size[t + d] == size[t]
            for d in range(2, 7))
        for t in adds
    ]  # fmt: skip
    assert np.mean(copies) > 0.15  # by chance an exact copy (same size in shares) is rare


# -- every id the tokenizer decodes is an event it can encode ----------------------------------
def test_every_possible_id_round_trips_and_impossible_ids_are_refused():
    tok = LOBEventTokenizer()
    possible = tok.possible_ids()
    assert len(possible) == 4 * 4 * 4 + 2 * 4  # adds and cancels at every level; market at L0
    np.testing.assert_array_equal(tok.encode(tok.decode(possible)), possible)
    impossible = np.setdiff1d(np.arange(tok.vocab_size), possible)
    assert (tok.kind_of(impossible) == 2).all()  # only market orders away from the best level
    mask = tok.is_possible(np.arange(tok.vocab_size))
    np.testing.assert_array_equal(np.flatnonzero(mask), possible)
    for bad in impossible[[0, -1]]:
        with pytest.raises(ValueError, match=f"id {bad} is a market order at level"):
            tok.decode(np.array([0, bad]))
        with pytest.raises(ValueError, match=f"id {bad} is a market order at level"):
            tok.describe(int(bad))


def test_bucket_edges_must_be_integers():
    with pytest.raises(TypeError, match="size_edges must be increasing integers"):
        LOBEventTokenizer(size_edges="abc")
    with pytest.raises(TypeError, match="size_edges must be increasing integers"):
        LOBEventTokenizer(size_edges=(1, 100.7, 300))
    with pytest.raises(TypeError, match="level_edges must be increasing integers"):
        LOBEventTokenizer(level_edges=(0, True, 2))
    assert LOBEventTokenizer(size_edges=(1, 100.0, 300)).size_edges.tolist() == [1, 100, 300]


def test_the_event_seed_is_checked():
    with pytest.raises(ValueError, match="seed must be an int seed >= 0, got -1"):
        synthetic_lob_events(10, seed=-1)
    with pytest.raises(TypeError, match="seed must be an int seed >= 0, got str"):
        synthetic_lob_events(10, seed="a")
