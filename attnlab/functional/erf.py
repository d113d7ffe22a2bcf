"""A fast error function for the GELU's fast path: rational approximations, to float rounding.

    erf(x) = 2 / sqrt(pi) * integral from 0 to x of exp(-t^2) dt          odd: erf(-x) = -erf(x)

SciPy's ``erf`` is exact to rounding but costs about 30 times ``np.exp`` per number, and
the GELU of a small GPT spends a fifth of a training step in it. A ratio of two polynomials
does the same job to rounding with a couple of dozen cheap array operations, all in place:

    float64, |x| <= 2:  erf(x) = x P(x^2) / Q(x^2)                    P degree 7, Q degree 6
    float64, |x| > 2:   erf(x) = sign(x) (1 - exp(-x^2) R(|x|) / S(|x|))      R, S degree 4
    float32, any x:     erf(x) = x P(x^2) / Q(x^2), x clipped to [-4, 4]  P degree 6, Q degree 5

The first form is erf's odd series, summed up by the ratio. Far from 0, erf is 1 minus a
Gaussian tail that a ratio in x^2 fits badly, so float64 switches to erfc(x) = exp(-x^2)
erfcx(x), where erfcx is smooth and slowly varying. Only the (rare) entries beyond 2 pay for
that second form. erf rounds to exactly 1 beyond |x| = 5.93 in float64 and 3.92 in float32,
so |x| is clipped at 6 and at 4: inf gives +-1; NaN stays NaN. float32 is computed in
float64 and rounded once.

The coefficients were fitted for attnlab (least squares in 40-digit arithmetic, weighted and
iterated towards the relative error of erf itself, by ``benchmarks/fit_erf.py``). Accuracy
(against mpmath; tests/test_erf.py): at most a few ulp in float64, float32 correctly rounded
almost everywhere. Speed: benchmarks/gpt.md.
"""

from __future__ import annotations

import numpy as np

# float64, |x| <= 2: the fit's relative error is below 7e-17 (half an ulp)
P64 = (1.1283791670955126, 0.14588904407987074, 0.048556649829748486, 0.0023048329551183275,
       0.0003013353723961324, 3.4174387718248553e-06, 1.9443780453336147e-07,
       -2.0051696956653535e-09)  # fmt: skip
Q64 = (1.0, 0.4626241323254748, 0.09724025459749187, 0.012003133798849234,
       0.0009293013276057663, 4.352387160681881e-05, 9.879106620901095e-07)  # fmt: skip
# float64, 2 < |x| <= 6: erfcx(x) = R(x) / S(x), error in erf below 6e-18
R64 = (0.9995694719351301, 1.0456758287480206, 0.5035269256120801, 0.111864445724494,
       1.6886543633783793e-06)  # fmt: skip
S64 = (1.0, 2.171483958318318, 1.961281407786686, 0.8913753787586164, 0.19835936911103036)
# float32, |x| <= 4: relative error below 2.5e-9 (float32's half ulp is 3e-8)
P32 = (1.128379168079161, 0.18527999832373707, 0.054354003394104594, 0.0038564779867685094,
       0.00038085896068928006, 4.715109374724983e-06, -1.3360234256644093e-08)  # fmt: skip
Q32 = (1.0, 0.4975335209175918, 0.11401401340820179, 0.015479842987855126,
       0.0013106910327963359, 6.340348258421814e-05)  # fmt: skip


def polyval(coefficients, t: np.ndarray) -> np.ndarray:
    """c0 + c1 t + c2 t^2 + ... by Horner's rule, in one new array of t's shape."""
    y = np.full_like(t, coefficients[-1])
    for c in coefficients[-2::-1]:
        y *= t
        y += c
    return y


def odd_ratio(x: np.ndarray, P, Q, clip: float) -> np.ndarray:
    """x P(x^2) / Q(x^2) with x clipped to [-clip, clip], in a new float64 array."""
    xc = np.clip(x, -clip, clip, dtype=np.float64)  # a new array, also the float64 copy
    t = xc * xc
    y = polyval(P, t)
    y /= polyval(Q, t)
    y *= xc
    return y


CHUNK = 1 << 15  # numbers per block: small temporaries stay in the CPU cache and are reused


def erf(x) -> np.ndarray:
    """The error function of a float32 or float64 array (same shape and dtype).

    Other real input (ints, lists) is computed in float64. NaN gives NaN, +-inf gives +-1.
    Raises TypeError for non-real input.
    """
    x = np.asarray(x)
    if x.dtype not in (np.float32, np.float64):
        if x.dtype.kind not in "iuf" or x.dtype == bool:
            raise TypeError(f"x must hold real numbers, got dtype {x.dtype}")
        x = x.astype(np.float64)
    flat = x.reshape(-1)
    out = np.empty_like(flat)  # (N,)
    # Speed: blocks of CHUNK numbers. Whole-array temporaries would each be a fresh
    # allocation of megabytes (page faults on first touch) and would leave the cache.
    for i in range(0, flat.size, CHUNK):
        out[i : i + CHUNK] = erf_block(flat[i : i + CHUNK])
    return out.reshape(x.shape)


def erf_block(x: np.ndarray) -> np.ndarray:
    """erf of a 1-d float32/float64 block (the formulas of the module docstring)."""
    if x.dtype == np.float32:
        return odd_ratio(x, P32, Q32, 4.0)  # float64, rounded by the caller's float32 out
    y = odd_ratio(x, P64, Q64, 2.0)
    far = np.flatnonzero(np.abs(x) > 2.0)  # (n,) usually few: only they pay for the tail
    if far.size:
        xf = x[far]  # (n,)
        a = np.minimum(np.abs(xf), 6.0)  # (n,)
        tail = polyval(R64, a)
        tail /= polyval(S64, a)  # erfcx(|x|)
        tail *= np.exp(-a * a)  # erfc(|x|)
        y[far] = np.copysign(1.0 - tail, xf)
    return y
