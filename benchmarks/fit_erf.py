"""Fit the rational approximations of attnlab/functional/erf.py (needs mpmath; a few minutes).

    python benchmarks/fit_erf.py            prints the coefficient tuples and the fit errors

Each piece minimises the weighted error  w(x) (f(x) - P(t) / Q(t))  over Chebyshev points of
its interval, with Q(0) = 1, by linear least squares on  w (f Q - P) / Q_prev  (the
Sanathanan-Koerner iteration: Q_prev is the denominator of the previous round), in 40-digit
arithmetic. The weights make the error *relative to erf(x)*, the quantity the tests bound:

    odd form   f = erf(x) / x,          t = x^2,  w = x / erf(x)
    tail form  f = exp(x^2) erfc(x),    t = x,    w = exp(-x^2) / erf(x)
                 (an error e in erfcx moves erf by exp(-x^2) e: the weight shrinks fast,
                  so a low degree is enough beyond x = 2)
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 40


def odd(x):
    return mp.erf(x) / x


def odd_weight(x):
    return x / mp.erf(x)


def erfcx(x):
    return mp.exp(x * x) * mp.erfc(x)


def tail_weight(x):
    return mp.exp(-x * x) / mp.erf(x)


PIECES = {
    # name: (degrees of P and Q, f, t(x), interval, weight)
    "P64/Q64": ((7, 6), odd, lambda x: x * x, (1e-8, 2), odd_weight),
    "R64/S64": ((4, 4), erfcx, lambda x: x, (2, 6), tail_weight),
    "P32/Q32": ((6, 5), odd, lambda x: x * x, (1e-8, 4), odd_weight),
}


def fit(degrees, f, var, interval, weight, points=220, rounds=10):
    """Coefficients (ascending) of P and Q, and the largest weighted error on the points."""
    m, n = degrees
    lo, hi = (mp.mpf(v) for v in interval)
    xs = [lo + (hi - lo) * (1 - mp.cos(mp.pi * (k + mp.mpf(0.5)) / points)) / 2
          for k in range(points)]  # fmt: skip
    fx, ts, ws = [f(x) for x in xs], [var(x) for x in xs], [weight(x) for x in xs]
    q_prev = [mp.mpf(1)] * points
    for _ in range(rounds):
        A, b = mp.matrix(points, m + 1 + n), mp.matrix(points, 1)
        for i in range(points):
            s = ws[i] / q_prev[i]
            for j in range(m + 1):
                A[i, j] = s * ts[i] ** j
            for j in range(1, n + 1):
                A[i, m + j] = -s * fx[i] * ts[i] ** j
            b[i] = s * fx[i]
        sol = mp.qr_solve(A, b)[0]
        p = [sol[j] for j in range(m + 1)]
        q = [mp.mpf(1)] + [sol[m + j] for j in range(1, n + 1)]
        q_prev = [mp.polyval(q[::-1], t) for t in ts]
    err = max(abs(ws[i] * (fx[i] - mp.polyval(p[::-1], ts[i]) / q_prev[i])) for i in range(points))
    return p, q, err


if __name__ == "__main__":
    for name, (degrees, f, var, interval, weight) in PIECES.items():
        p, q, err = fit(degrees, f, var, interval, weight)
        print(f"{name}: weighted error {mp.nstr(err, 3)}")
        print("  P =", tuple(float(c) for c in p))
        print("  Q =", tuple(float(c) for c in q))
