"""The words of the RoPE, ALiBi and extrapolation figures and explorers, in Spanish and English
(merged into :data:`attnlab.viz.strings.STRINGS`)."""

from __future__ import annotations

from ..position_schemes import SCHEME_NAMES

POSITION_STRINGS: dict[str, dict[str, str]] = {
    # -- rope_rotation ----------------------------------------------------------------------
    "rope_title": {
        "en": "RoPE rotates each pair of features by position × θ: the score sees only the offset",
        "es": "RoPE gira cada par de rasgos según posición × θ: la puntuación solo ve el desfase",
    },
    "rope_pairs_title": {
        "en": "Pairs (x_i, x_i+D/2) turning with the position",
        "es": "Pares (x_i, x_i+D/2) girando con la posición",
    },
    "rope_pair_label": {
        "en": "pair {i}: θ = {theta:.3g} rad per position",
        "es": "par {i}: θ = {theta:.3g} rad por posición",
    },
    "rope_positions_note": {"en": "numbers: position", "es": "números: posición"},
    "feature_i": {"en": "feature i", "es": "rasgo i"},
    "feature_i_half": {"en": "feature i + D/2", "es": "rasgo i + D/2"},
    "rope_scores_title": {
        "en": "RoPE: one curve, wherever the pair sits",
        "es": "RoPE: una sola curva, esté donde esté el par",
    },
    "added_scores_title": {
        "en": "Sinusoidal table added: the curves move apart",
        "es": "Tabla sinusoidal sumada: las curvas se separan",
    },
    "offset_axis": {
        "en": "offset n − m (key minus query)",
        "es": "desfase n − m (clave menos consulta)",
    },
    "score_axis": {"en": "score q · k", "es": "puntuación q · k"},
    "query_at": {"en": "query at m = {m}", "es": "consulta en m = {m}"},
    # -- alibi_bias ---------------------------------------------------------------------------
    "alibi_title": {
        "en": "ALiBi: every head subtracts m_h × distance from its scores ({h} heads)",
        "es": "ALiBi: cada cabeza resta m_h × distancia a sus puntuaciones ({h} cabezas)",
    },
    "alibi_matrix_title": {
        "en": "Bias of head {head} (m = {m:g}), causal",
        "es": "Sesgo de la cabeza {head} (m = {m:g}), causal",
    },
    "alibi_lines_title": {"en": "Penalty per head", "es": "Penalización de cada cabeza"},
    "alibi_weights_title": {
        "en": "What query {q} attends to\nif every content score is equal",
        "es": "A qué atiende la consulta {q}\nsi todas las puntuaciones de contenido son iguales",
    },
    "distance_axis": {"en": "distance i − j (tokens back)", "es": "distancia i − j (tokens atrás)"},
    "bias_axis": {"en": "bias −m_h (i − j)", "es": "sesgo −m_h (i − j)"},
    "bias": {"en": "bias", "es": "sesgo"},
    "head_slope": {"en": "head {h}: m = {m:.3g}", "es": "cabeza {h}: m = {m:.3g}"},
    "weight_axis": {"en": "attention weight", "es": "peso de atención"},
    "log_scale": {"en": "(log scale)", "es": "(escala logarítmica)"},
    # -- position_extrapolation ---------------------------------------------------------------
    "extrap_title": {
        "en": "Trained on 64 characters, tested longer: validation loss per position scheme "
        "({seeds} seeds, {corpus})",
        "es": "Entrenado con 64 caracteres, evaluado con más: pérdida de validación por esquema "
        "de posiciones ({seeds} semillas, {corpus})",
    },
    "extrap_lengths_title": {
        "en": "Mean loss over sequences of length L · bars: range over seeds",
        "es": "Pérdida media en secuencias de longitud L · barras: rango entre semillas",
    },
    "extrap_positions_title": {
        "en": "Loss at each position of 512-character sequences",
        "es": "Pérdida en cada posición de secuencias de 512 caracteres",
    },
    "eval_length": {
        "en": "evaluation length L (characters)",
        "es": "longitud de evaluación L (caracteres)",
    },
    "val_loss": {
        "en": "validation loss (nats per character)",
        "es": "pérdida de validación (nats por carácter)",
    },
    "position_in_sequence": {"en": "position in the sequence", "es": "posición en la secuencia"},
    "train_length": {"en": "training length 64", "es": "longitud de entrenamiento 64"},
    "learned_stops": {
        "en": "learned: no position past 63,\ncannot run longer",
        "es": "aprendida: sin posiciones más allá de 63,\nno puede ir más lejos",
    },
    "corpus_es": {"en": "Spanish corpus", "es": "corpus español"},
    "corpus_en": {"en": "English corpus", "es": "corpus inglés"},
    "corpus_both": {"en": "Spanish and English corpora", "es": "corpus español e inglés"},
    # -- explorers ----------------------------------------------------------------------------
    "pair": {"en": "pair", "es": "par"},
    "rotation_explorer_title": {
        "en": "pair {i}: angle {a:.2f} rad = {d:.0f}°, one turn every {w:.1f} positions",
        "es": "par {i}: ángulo {a:.2f} rad = {d:.0f}°, una vuelta cada {w:.1f} posiciones",
    },
    "alibi_explorer_title": {
        "en": "head {h}: m = {m:.3g}, a key's weight halves every {d:.1f} tokens",
        "es": "cabeza {h}: m = {m:.3g}, el peso de una clave se reduce a la mitad cada "
        "{d:.1f} tokens",
    },
}
POSITION_STRINGS.update({f"scheme_{name}": names for name, names in SCHEME_NAMES.items()})
