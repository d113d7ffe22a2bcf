"""Fuzzing the public ops: a result equal to torch, or a clear error naming the argument.

For shapes drawn with zero sizes, every input dtype (float32/64, int, float16, bool, complex,
object), masks (bool, float, broadcast, fully masked rows, causal) and one defect at a time,
every call must end in exactly one of:

- a result equal to torch's (float64 <= 1e-10, float32 <= 1e-5 relative to a float64 truth),
  outputs and gradients, finite wherever the inputs were;
- a ValueError or TypeError whose message names the faulty argument.

Never a raw NumPy error, never NaN from finite input, never a mutated argument.
"""

from __future__ import annotations

import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import attnlab
from attnlab import functional as F
from attnlab import nn

pytestmark = pytest.mark.torch
# ATTNLAB_FUZZ_EXAMPLES=2000 for a deeper local run; CI keeps it short.
FUZZ = settings(
    max_examples=int(os.environ.get("ATTNLAB_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# dtypes an argument may arrive in, and whether attnlab must accept it
DTYPES = {
    "float64": True,
    "float32": True,
    "int64": True,  # integers become float64
    "float16": False,  # the rule: float32 or float64 only (see attnlab/_validate.py)
    "longdouble": False,
    "bool": False,
    "complex128": False,
    "object": False,
}
sizes = st.integers(0, 4)


def values(rng, shape, dtype: str, scale: float = 1.0):
    """An array of ``shape`` in ``dtype`` (small integers for the integer dtypes)."""
    x = np.asarray(rng.standard_normal(shape) * scale)  # an array even for shape ()
    if dtype == "int64":
        return np.round(x * 2).astype(np.int64)
    if dtype == "bool":
        return x > 0
    if dtype == "object":
        return x.astype(object)
    return x.astype(np.dtype(dtype))


def torch_of(x, grad=False):
    import torch

    t = torch.tensor(np.asarray(x, dtype=np.float64))
    return t.requires_grad_(grad)


def snapshot(args):
    return [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]


def assert_unchanged(args, before):
    for a, b in zip(args, before, strict=True):
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a, b)  # the call never mutated its arguments


def assert_clear_error(err: Exception, names: tuple[str, ...]):
    assert isinstance(err, (ValueError, TypeError)), f"raw {type(err).__name__}: {err}"
    message = str(err)
    assert any(re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", message) for n in names), (
        f"{type(err).__name__} does not name {names}: {message}"
    )


def assert_close(ours, theirs, dtype, what):
    if theirs is None:  # torch leaves .grad None where nothing flowed: that is a 0 gradient
        theirs = np.zeros(np.shape(ours))
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else theirs
    assert np.shape(ours) == np.shape(theirs), what
    assert np.isfinite(ours).all(), f"{what}: NaN/inf from finite input"
    if np.size(ours) == 0:
        return
    if np.dtype(dtype) == np.float64:
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10, err_msg=what)
    else:
        scale = max(float(np.abs(theirs).max()), 1.0)
        assert float(np.abs(ours - theirs).max()) <= 1e-5 * scale, what


def call(fn, args, kwargs, bad_names):
    """Run ``fn``; return its result, or None after checking the error names ``bad_names``."""
    before = snapshot(args)
    try:
        result = fn(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - the type is what we check
        assert bad_names, f"valid input refused: {type(err).__name__}: {err}"
        assert_clear_error(err, bad_names)
        result = None
    else:
        assert not bad_names, f"accepted bad input {bad_names}"
    assert_unchanged(args, before)
    return result


def result_dtype(*arrays):
    kinds = {np.asarray(a).dtype for a in arrays}
    return np.float32 if kinds == {np.dtype(np.float32)} else np.float64


# -- attention: readable, fast and tiled ---------------------------------------------------


@st.composite
def attention_cases(draw):
    lead = draw(st.sampled_from([(), (2,), (2, 3)]))
    lead = tuple(draw(st.integers(0, 2)) if i == 0 else n for i, n in enumerate(lead))
    T, S, D, Dv = (draw(sizes) for _ in range(4))
    kv_lead = draw(st.sampled_from([lead, (1,) * len(lead), lead[1:]]))
    shapes = {"q": (*lead, T, D), "k": (*kv_lead, S, D), "v": (*kv_lead, S, Dv)}
    dtypes = {n: "float64" for n in shapes}
    if draw(st.booleans()):
        dtypes = {n: draw(st.sampled_from(["float64", "float32"])) for n in shapes}
        dtypes = dict.fromkeys(shapes, dtypes["q"]) if draw(st.booleans()) else dtypes
    defect = draw(
        st.sampled_from(
            ["none"] * 4 + ["dtype", "nan", "shape", "mask dtype", "mask shape", "mask +inf"]
        )
    )
    bad = ()
    name = draw(st.sampled_from(["q", "k", "v"]))
    if defect == "dtype":
        dtypes[name] = draw(st.sampled_from(list(DTYPES)))
        bad = () if DTYPES[dtypes[name]] else (name,)
    elif defect == "shape":
        extra = 1 + draw(st.integers(0, 2))
        if name == "k":
            shapes["k"] = (*kv_lead, S, D + extra)
        elif name == "v":
            shapes["v"] = (*kv_lead, S + extra, Dv)
        else:
            shapes["q"] = (*lead, T, D + extra)
        bad = ("k", "q") if name in "qk" else ("v", "k")
    mask_kind = draw(st.sampled_from(["none", "bool", "float", "key padding", "fully masked"]))
    if defect.startswith("mask"):
        mask_kind = defect
        bad = ("mask",)
    return (
        shapes,
        dtypes,
        defect,
        name,
        bad,
        mask_kind,
        draw(st.booleans()),
        draw(st.integers(0, 2**31)),
    )


def make_attention_mask(kind, rng, batch, T, S):
    if kind == "bool":
        return rng.random((T, S)) < 0.6
    if kind == "float":
        return np.where(rng.random((T, S)) < 0.7, rng.standard_normal((T, S)), -np.inf)
    if kind == "key padding":
        return (rng.random((*batch[:1], *([1] * (len(batch) - 1)), 1, S)) < 0.7) if batch else None
    if kind == "fully masked":
        keep = rng.random((T, S)) < 0.5
        if T:
            keep[0] = False
        return keep
    if kind == "mask dtype":
        return np.ones((T, S), dtype=np.int64)
    if kind == "mask shape":
        return np.ones((T + 1, S + 2), dtype=bool)
    if kind == "mask +inf":
        return np.full((T, S), np.inf)
    return None


def torch_attention(q, k, v, mask, is_causal, dout):
    import torch

    tq, tk, tv = (torch_of(a, grad=True) for a in (q, k, v))
    T, S = q.shape[-2], k.shape[-2]
    bias = torch.zeros((T, S), dtype=torch.float64)
    if mask is not None:
        m = torch.tensor(np.asarray(mask))
        bias = torch.where(m, 0.0, -torch.inf) if m.dtype == torch.bool else m.to(torch.float64)
    if is_causal:
        bias = bias + torch.where(torch.ones(T, S, dtype=torch.bool).tril(), 0.0, -torch.inf)
    out = torch.nn.functional.scaled_dot_product_attention(tq, tk, tv, attn_mask=bias)
    out.backward(torch_of(dout))
    return out, tq.grad, tk.grad, tv.grad


@FUZZ
@given(attention_cases(), st.sampled_from(["readable", "fast", "tiled"]))
def test_attention_equals_torch_or_names_the_bad_argument(case, path):
    shapes, dtypes, defect, name, bad, mask_kind, is_causal, seed = case
    rng = np.random.default_rng(seed)
    args = {n: values(rng, shapes[n], dtypes[n]) for n in ("q", "k", "v")}
    if defect == "nan" and args[name].size and args[name].dtype.kind == "f":
        args[name].reshape(-1)[0] = np.nan
        bad = (name,)
    try:
        batch = np.broadcast_shapes(*(s[:-2] for s in shapes.values()))
    except ValueError:
        batch, bad = (), bad or ("q", "k", "v")  # leading dimensions that do not broadcast
    T, S = shapes["q"][-2], shapes["k"][-2]
    mask = make_attention_mask(mask_kind, rng, batch, T, S)
    if mask_kind == "mask +inf" and T * S == 0:
        bad = ()  # an empty mask holds no +inf
    forward = F.tiled_attention_forward if path == "tiled" else F.attention_forward
    backward = F.tiled_attention_backward if path == "tiled" else F.attention_backward
    with attnlab.fast_path(path == "fast"):
        result = call(
            forward, (args["q"], args["k"], args["v"], mask), {"is_causal": is_causal}, bad
        )
        if result is None:
            return
        out, cache = result
        dout = rng.standard_normal(out.shape).astype(out.dtype)
        grads = call(backward, (dout, cache), {}, ())
    dtype = result_dtype(*args.values())
    assert out.dtype == dtype
    expected = torch_attention(args["q"], args["k"], args["v"], mask, is_causal, dout)
    for what, ours, theirs in zip(("out", "dq", "dk", "dv"), (out, *grads), expected, strict=True):
        assert_close(ours, theirs, dtype, what)


# -- softmax -------------------------------------------------------------------------------


@FUZZ
@given(
    st.lists(sizes, min_size=0, max_size=3).map(tuple),
    st.sampled_from(list(DTYPES)),
    st.integers(-3, 3),
    st.sampled_from(["none", "bool", "broadcast", "int mask"]),
    st.integers(0, 2**31),
)
def test_softmax_equals_torch_or_names_the_bad_argument(shape, dtype, axis, mask_kind, seed):
    import torch

    rng = np.random.default_rng(seed)
    x = values(rng, shape, dtype, scale=3.0)
    mask = {
        "none": None,
        "bool": rng.random(shape) < 0.6,
        "broadcast": rng.random(shape[-1:]) < 0.6,
        "int mask": np.ones(shape, dtype=int),
    }[mask_kind]
    bad = () if DTYPES[dtype] else ("x",)
    if not bad and len(shape) == 0:
        bad = ("x",)  # a scalar has no axis
    elif not bad and not -len(shape) <= axis < len(shape):
        bad = ("axis",)
    elif not bad and mask_kind == "int mask":
        bad = ("mask",)
    result = call(F.softmax_forward, (x,), {"axis": axis, "mask": mask}, bad)
    if result is None:
        return
    out, cache = result
    dout = rng.standard_normal(out.shape)
    dx = call(F.softmax_backward, (dout, cache), {}, ())
    tx = torch_of(x, grad=True)
    logits = (
        tx
        if mask is None
        else tx.masked_fill(~torch.tensor(np.broadcast_to(mask, shape)), -torch.inf)
    )
    tout = torch.softmax(logits, dim=axis)
    tout = torch.nan_to_num(tout, nan=0.0)  # torch: NaN for a fully masked row; attnlab: 0
    tout.backward(torch_of(dout))
    dtype_ = result_dtype(x)
    assert_close(out, tout, dtype_, "out")
    assert_close(dx, torch.nan_to_num(tx.grad, nan=0.0), dtype_, "dx")


# -- linear, layer_norm, gelu --------------------------------------------------------------


@st.composite
def layer_cases(draw):
    lead = tuple(draw(st.lists(sizes, min_size=0, max_size=2)))
    E, O = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    dtype = draw(st.sampled_from(list(DTYPES)))
    bad_name = draw(st.sampled_from(["x", "weight", "bias"]))
    wrong_shape = draw(st.booleans()) and draw(st.booleans())
    return lead, E, O, dtype, bad_name, wrong_shape, draw(st.integers(0, 2**31))


@FUZZ
@given(layer_cases(), st.sampled_from(["linear", "layer_norm", "gelu"]), st.booleans())
def test_layers_equal_torch_or_name_the_bad_argument(case, op, fast):
    import torch

    lead, E, O, dtype, bad_name, wrong_shape, seed = case
    rng = np.random.default_rng(seed)
    if op == "gelu":
        bad_name = "x"
    names = {
        "linear": ("x", "weight", "bias"),
        "layer_norm": ("x", "weight", "bias"),
        "gelu": ("x",),
    }[op]
    shapes = {
        "x": (*lead, E),
        "weight": (O, E) if op == "linear" else (E,),
        "bias": (O,) if op == "linear" else (E,),
    }
    if op == "gelu":
        shapes["x"] = lead
    if wrong_shape and op != "gelu":
        shapes[bad_name] = (*shapes[bad_name][:-1], shapes[bad_name][-1] + 1)
    args = [values(rng, shapes[n], dtype if n == bad_name else "float64") for n in names]
    bad = (bad_name,) if not DTYPES[dtype] else ()
    if wrong_shape and op != "gelu" and not bad:
        bad = (bad_name, "x") if bad_name != "x" else ("x", "weight", "bias")
    forward = {
        "linear": F.linear_forward,
        "layer_norm": F.layer_norm_forward,
        "gelu": F.gelu_forward,
    }[op]
    backward = {
        "linear": F.linear_backward,
        "layer_norm": F.layer_norm_backward,
        "gelu": F.gelu_backward,
    }[op]
    with attnlab.fast_path(fast):
        result = call(forward, tuple(args), {}, bad)
        if result is None:
            return
        out, cache = result
        dout = rng.standard_normal(np.shape(out))
        grads = call(backward, (dout, cache), {}, ())
    grads = grads if isinstance(grads, tuple) else (grads,)
    targs = [torch_of(a, grad=True) for a in args]
    tfn = {
        "linear": torch.nn.functional.linear,
        "layer_norm": lambda x, w, b: torch.nn.functional.layer_norm(x, (E,), w, b, 1e-5),
        "gelu": torch.nn.functional.gelu,
    }[op]
    tout = tfn(*targs)
    tout.backward(torch_of(dout))
    dtype_ = result_dtype(*args)
    assert_close(out, tout, dtype_, "out")
    for n, g, t in zip(names, grads, targs, strict=True):
        assert_close(g, t.grad, dtype_, f"d{n}")


# -- multi-head attention, the module ------------------------------------------------------


@FUZZ
@given(
    st.integers(0, 2),
    st.integers(0, 3),
    st.integers(0, 3),
    st.sampled_from([(4, 1), (4, 2), (6, 3)]),
    st.sampled_from(["float64", "float32"]),
    st.sampled_from(["none", "bool", "float", "causal", "query dtype", "key width", "mask dtype"]),
    st.integers(0, 2**31),
)
def test_multi_head_attention_equals_torch_or_names_the_bad_argument(
    B, T, S, EH, dtype, kind, seed
):
    import torch

    E, H = EH
    rng = np.random.default_rng(seed)
    mha = nn.MultiHeadAttention(E, H, rng=seed % 97, dtype=np.dtype(dtype))
    for key in ("in_proj_bias", "out_proj.bias"):
        mha.params[key][...] = rng.standard_normal(mha.params[key].shape)
    query = values(rng, (B, T, E), dtype)
    key = values(rng, (B, S, E + (1 if kind == "key width" else 0)), dtype)
    value = values(rng, key.shape, dtype)
    mask, bad = None, ()
    if kind == "bool":
        mask = rng.random((T, S)) < 0.6
    elif kind == "float":
        mask = np.where(rng.random((T, S)) < 0.6, rng.standard_normal((T, S)), -np.inf)
    elif kind == "query dtype":
        query = values(rng, (B, T, E), str(rng.choice(["float16", "bool", "complex128", "object"])))
        bad = ("query",)
    elif kind == "key width":
        bad = ("key",)
    elif kind == "mask dtype":
        mask, bad = np.ones((T, S), dtype=np.int32), ("mask",)
    result = call(mha, (query, key, value, mask), {"is_causal": kind == "causal"}, bad)
    if result is None:
        return
    out, w = result
    dout = rng.standard_normal(out.shape).astype(out.dtype)
    grads = call(mha.backward, (dout,), {}, ())
    # torch, written out: projections, torch's SDPA (0 for fully masked rows), out projection
    p = {k: torch_of(v, grad=True) for k, v in mha.params.items()}
    tq, tk, tv = (torch_of(a, grad=True) for a in (query, key, value))
    wq, wk, wv = p["in_proj_weight"].chunk(3)
    bq, bk, bv = p["in_proj_bias"].chunk(3)

    def heads(x):
        return x.reshape(B, x.shape[1], H, E // H).transpose(1, 2)

    bias = torch.zeros((T, S), dtype=torch.float64)
    if mask is not None:
        m = torch.tensor(mask)
        bias = torch.where(m, 0.0, -torch.inf) if m.dtype == torch.bool else m
    if kind == "causal":
        bias = bias + torch.where(torch.ones(T, S, dtype=torch.bool).tril(), 0.0, -torch.inf)
    a = torch.nn.functional.scaled_dot_product_attention(
        heads(tq @ wq.T + bq), heads(tk @ wk.T + bk), heads(tv @ wv.T + bv), attn_mask=bias
    )
    tout = a.transpose(1, 2).reshape(B, T, E) @ p["out_proj.weight"].T + p["out_proj.bias"]
    tout.backward(torch_of(dout))
    assert_close(out, tout, dtype, "out")
    for what, g, t in zip(("dquery", "dkey", "dvalue"), grads, (tq, tk, tv), strict=True):
        assert_close(g, t.grad, dtype, what)
    for k, g in mha.grads.items():
        assert_close(g, p[k].grad, dtype, f"d{k}")
