"""Figure strings of the induction-head experiment (lesson 12), in both languages.

Registered into :data:`attnlab.viz.strings.STRINGS` by one line at the end of strings.py.
"""

from __future__ import annotations

INDUCTION_STRINGS: dict[str, dict[str, str]] = {
    "ind_grid_title": {
        "en": (
            "Every head of the 2-layer attention-only GPT on one sequence with a repeated segment"
        ),
        "es": (
            "Todas las cabezas del GPT de 2 capas solo de atención con una secuencia que repite "
            "un tramo"
        ),
    },
    "ind_grid_note": {
        "en": (
            "seed {seed}; prev = previous-token score, ind = induction score, "
            "on {n} held-out sequences"
        ),
        "es": (
            "semilla {seed}; ant = puntuación de token anterior, ind = de inducción, "
            "en {n} secuencias nuevas"
        ),
    },
    "ind_panel": {
        "en": "head {h}: prev {p:.2f} · ind {i:.2f}",
        "es": "cabeza {h}: ant {p:.2f} · ind {i:.2f}",
    },
    "prev_head_tag": {"en": "previous-token head", "es": "cabeza del token anterior"},
    "ind_head_tag": {"en": "induction head", "es": "cabeza de inducción"},
    "first_time": {"en": "first time", "es": "primera vez"},
    "repeat": {"en": "repeat", "es": "repetición"},
    "phase_title": {
        "en": "The phase change: in-repeat loss falls when the two heads form (seed {seed})",
        "es": (
            "El cambio de fase: la pérdida en las repeticiones cae cuando se forman las dos "
            "cabezas (semilla {seed})"
        ),
    },
    "phase_title_none": {
        "en": (
            "No phase change (yet): no induction head scores {t:.1f} (best {best:.2f}; seed {seed})"
        ),
        "es": (
            "Sin cambio de fase (todavía): ninguna cabeza de inducción llega a {t:.1f} "
            "(la mejor, {best:.2f}; semilla {seed})"
        ),
    },
    "phase_losses": {
        "en": "loss on the evaluation sequences",
        "es": "pérdida en las secuencias de evaluación",
    },
    "phase_scores": {"en": "attention scores", "es": "puntuaciones de atención"},
    "step": {"en": "training step", "es": "paso de entrenamiento"},
    "loss_nats": {"en": "cross-entropy (nats)", "es": "entropía cruzada (nats)"},
    "induction_score_axis": {"en": "score (0 to 1)", "es": "puntuación (de 0 a 1)"},
    "loss_repeat": {
        "en": "tokens inside a repeat (predictable)",
        "es": "tokens dentro de una repetición (predecibles)",
    },
    "loss_other": {
        "en": "every other token (random)",
        "es": "el resto de tokens (aleatorios)",
    },
    "ln_v": {"en": "ln V = {v:.2f} (a uniform guess)", "es": "ln V = {v:.2f} (adivinar al azar)"},
    "prev_score_line": {
        "en": "previous-token score, layer 0 head {h}",
        "es": "puntuación de token anterior, capa 0 cabeza {h}",
    },
    "ind_score_line": {
        "en": "induction score, layer 1 head {h}",
        "es": "puntuación de inducción, capa 1 cabeza {h}",
    },
    "other_heads": {
        "en": "the other heads (both scores)",
        "es": "las demás cabezas (ambas puntuaciones)",
    },
    "phase_change_at": {"en": "steepest fall", "es": "caída más rápida"},
}
