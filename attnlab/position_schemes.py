"""The position schemes' names, in one place for the experiments that train them and the
figures that label them (so :mod:`attnlab.viz` needs nothing from :mod:`attnlab.experiments`).
"""

from __future__ import annotations

SCHEMES = ("learned", "sinusoidal", "rope", "alibi", "none")
# A control, not a GPTConfig scheme: the sinusoidal table at a tenth of its amplitude (see
# :mod:`attnlab.experiments.extrapolation`, which trains it).
CONTROL = "sinusoidal_x0.1"
# How tables and figures name each scheme.
SCHEME_NAMES = {
    "learned": {"en": "learned", "es": "aprendida"},
    "sinusoidal": {"en": "sinusoidal", "es": "sinusoidal"},
    "rope": {"en": "RoPE", "es": "RoPE"},
    "alibi": {"en": "ALiBi", "es": "ALiBi"},
    "none": {"en": "none (causal mask only)", "es": "ninguna (solo máscara causal)"},
    CONTROL: {"en": "sinusoidal × 0.1 (control)", "es": "sinusoidal × 0.1 (control)"},
}
