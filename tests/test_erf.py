"""The fast erf (attnlab/functional/erf.py) agrees with SciPy's to a few ulp over the whole
real line, in float64 and float32."""

import numpy as np
import pytest
from scipy.special import erf as scipy_erf

from attnlab.functional.erf import CHUNK, erf


def _points(dtype):
    rng = np.random.default_rng(0)
    tiny = np.finfo(dtype).smallest_subnormal
    mags = np.concatenate(
        [
            rng.uniform(0, 7, 20000),  # the whole interesting range, past erf = 1
            np.linspace(1.9, 2.1, 2001),  # around the float64 branch point
            np.linspace(3.5, 6.5, 2001),  # the tail, where erf rounds to 1
            10.0 ** rng.uniform(np.log10(tiny), 0, 5000),  # tiny down to subnormal
            10.0 ** rng.uniform(0, 300 if dtype == np.float64 else 38, 1000),  # huge
            [0.0, 0.5, 2.0, 4.0, 5.92, 5.93, 6.0, tiny],
        ]
    ).astype(dtype)
    return np.concatenate([mags, -mags])


def ulps(ours, ref):
    ref = np.asarray(ref)
    return np.abs(ours.astype(np.float64) - ref.astype(np.float64)) / np.spacing(np.abs(ref))


def test_float64_within_a_few_ulp_of_scipy():
    x = _points(np.float64)
    y = erf(x)
    assert y.dtype == np.float64 and y.shape == x.shape
    err = ulps(y, scipy_erf(x))
    # ours is within 4 ulp of the 40-digit truth (mpmath), SciPy within 3: they may differ by 5
    assert err.max() <= 5, (err.max(), x[err.argmax()])
    assert err.mean() < 0.5


def test_float32_is_rounded_from_the_float64_truth():
    x = _points(np.float32)
    y = erf(x)
    assert y.dtype == np.float32
    truth = scipy_erf(x.astype(np.float64))  # float64 erf of the float32 inputs
    assert ulps(y, truth.astype(np.float32)).max() <= 1.0
    assert np.mean(y == truth.astype(np.float32)) > 0.98  # correctly rounded almost always


def test_odd_symmetry_zero_signs_and_limits():
    x = _points(np.float64)
    np.testing.assert_array_equal(erf(-x), -erf(x))
    assert np.signbit(erf(np.array([-0.0])))[0] and erf(np.array([0.0]))[0] == 0
    out = erf(np.array([np.inf, -np.inf, np.nan, 1e308]))
    np.testing.assert_array_equal(out[[0, 1, 3]], [1.0, -1.0, 1.0])
    assert np.isnan(out[2])
    assert erf(np.array([np.inf], dtype=np.float32))[0] == 1


def test_shapes_blocks_and_input_types():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, CHUNK + 17)) * 3  # crosses a block boundary
    np.testing.assert_allclose(erf(x), scipy_erf(x), rtol=1e-15, atol=0)
    np.testing.assert_allclose(erf(x[:, ::3]), scipy_erf(x[:, ::3]), rtol=1e-15)
    assert erf(np.float64(0.3)).shape == ()
    assert erf([1, 2]).dtype == np.float64  # ints are computed in float64
    with pytest.raises(TypeError, match="real numbers"):
        erf(np.array([True]))
