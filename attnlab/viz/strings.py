"""Every word attnlab's figures print, in Spanish and in English, kept side by side.

One entry per text: ``STRINGS[key] = {"en": ..., "es": ...}``, so a missing translation shows
up right next to its twin. Placeholders use ``str.format`` (``{n}``, ``{d}``...).
Spanish terms follow the lessons' glossary: consulta/clave/valor for query/key/value.
"""

from __future__ import annotations

from ..i18n import pick

STRINGS: dict[str, dict[str, str]] = {
    # -- attention heatmaps --------------------------------------------------------------------
    "query": {"en": "query", "es": "consulta"},
    "key": {"en": "key", "es": "clave"},
    "query_pos": {"en": "query position", "es": "posición de la consulta"},
    "key_pos": {"en": "key position", "es": "posición de la clave"},
    "attn_weight": {"en": "attention weight", "es": "peso de atención"},
    "masked": {"en": "masked", "es": "enmascarado"},
    "may_attend": {"en": "may attend", "es": "puede atender"},
    "head_n": {"en": "head {n}", "es": "cabeza {n}"},
    "layer_n": {"en": "layer {n}", "es": "capa {n}"},
    "layer_head": {"en": "layer {l}, head {h}", "es": "capa {l}, cabeza {h}"},
    "gpt_heatmap_title": {
        "en": "What the trained tiny GPT (English corpus) attends to: layer {l}, head {h}",
        "es": "A qué atiende el GPT pequeño entrenado (corpus en español): capa {l}, cabeza {h}",
    },
    "gpt_heatmap_note": {
        "en": "on held-out text this head puts {share:.0%} of its weight on spaces",
        "es": "en texto no visto, esta cabeza pone el {share:.0%} de su peso en los espacios",
    },
    "gpt_heads_title": {
        "en": "The {n} heads of layer {l} of the trained tiny GPT (English corpus), same text",
        "es": (
            "Las {n} cabezas de la capa {l} del GPT pequeño entrenado (corpus en español), "
            "mismo texto"
        ),
    },
    "gpt_layers_title": {
        "en": (
            "Every head of the trained tiny GPT (English corpus): a row per layer, a column per "
            "head"
        ),
        "es": (
            "Todas las cabezas del GPT pequeño entrenado (corpus en español): "
            "una fila por capa, una columna por cabeza"
        ),
    },
    "head_stats": {
        "en": "head {h}: {share:.0%} on spaces",
        "es": "cabeza {h}: {share:.0%} en espacios",
    },
    "head_back": {
        "en": "head {h}: looks {d:.1f} back",
        "es": "cabeza {h}: mira {d:.1f} atrás",
    },
    "held_out_note": {
        "en": "(percentages: mean over {n} windows of held-out text)",
        "es": "(porcentajes: media de {n} ventanas de texto no visto)",
    },
    "distance_note": {
        "en": (
            "(how many characters back a query looks, on average over {n} windows of held-out text)"
        ),
        "es": (
            "(cuántos caracteres atrás mira una consulta, en media de {n} ventanas de texto no "
            "visto)"
        ),
    },
    "layer_query": {"en": "layer {l}\nquery", "es": "capa {l}\nconsulta"},
    # -- masks -----------------------------------------------------------------------------------
    "mask_causal": {"en": "causal", "es": "causal"},
    "mask_padding": {"en": "padding (length {n})", "es": "relleno (longitud {n})"},
    "mask_combined": {"en": "causal + padding", "es": "causal + relleno"},
    "mask_weights": {
        "en": "weights with both masks (random q, k)",
        "es": "pesos con ambas máscaras (q, k aleatorias)",
    },
    "masks_title": {
        "en": "Attention masks: True = may attend (white), False = masked (hatched grey)",
        "es": (
            "Máscaras de atención: True = puede atender (blanco), False = enmascarado (gris rayado)"
        ),
    },
    "padding_short": {"en": "padding", "es": "relleno"},
    "padded_queries": {
        "en": "padded queries: output discarded",
        "es": "consultas de relleno: salida descartada",
    },
    # -- softmax -----------------------------------------------------------------------------------
    "temperature": {"en": "temperature", "es": "temperatura"},
    "tau_eq": {"en": "τ = {t:g}", "es": "τ = {t:g}"},
    "probability": {"en": "probability", "es": "probabilidad"},
    "class_i": {"en": "logit", "es": "logit"},
    "softmax_title": {
        "en": "softmax(z / τ) of the same logits z: low τ sharpens, high τ flattens",
        "es": "softmax(z / τ) de los mismos logits z: τ baja afila, τ alta aplana",
    },
    "entropy_eq": {"en": "entropy {h:.2f} nats", "es": "entropía {h:.2f} nats"},
    "entropy_max": {
        "en": "largest possible entropy: uniform, ln {s} = {h:.2f} nats",
        "es": "la mayor entropía posible: uniforme, ln {s} = {h:.2f} nats",
    },
    "scaling_title": {
        "en": "Why divide by √d: q, k with N(0, 1) entries, S = {s} keys per query",
        "es": "Por qué dividir entre √d: q, k con entradas N(0, 1), S = {s} claves por consulta",
    },
    "head_dim": {"en": "head size d", "es": "tamaño de cabeza d"},
    "score_std": {"en": "std of the scores", "es": "desviación típica de las puntuaciones"},
    "max_weight": {
        "en": "largest weight in a row (mean)",
        "es": "mayor peso de cada fila (media)",
    },
    "unscaled": {"en": "q·k (unscaled)", "es": "q·k (sin escalar)"},
    "scaled": {"en": "q·k / √d (scaled)", "es": "q·k / √d (escalado)"},
    "sqrt_d_theory": {"en": "√d (theory)", "es": "√d (teoría)"},
    "uniform": {"en": "uniform (1/S)", "es": "uniforme (1/S)"},
    "scores_spread": {"en": "1. scores spread as √d", "es": "1. las puntuaciones crecen como √d"},
    "softmax_saturation": {
        "en": "2. unscaled, the softmax goes one-hot",
        "es": "2. sin escalar, la softmax se vuelve one-hot",
    },
    "softmax_gradient": {
        "en": "3. ... and its gradient vanishes",
        "es": "3. ... y su gradiente se desvanece",
    },
    "jacobian_norm": {
        "en": "‖diag(p) − p pᵀ‖ (softmax gradient)",
        "es": "‖diag(p) − p pᵀ‖ (gradiente de la softmax)",
    },
    # -- positional encodings --------------------------------------------------------------------
    "position": {"en": "position", "es": "posición"},
    "dimension": {"en": "dimension", "es": "dimensión"},
    "value": {"en": "value", "es": "valor"},
    "sin_table_title": {
        "en": (
            "Sinusoidal positional encoding: {t} positions × {d} dimensions, split in its two "
            "halves"
        ),
        "es": (
            "Codificación posicional sinusoidal: {t} posiciones × {d} dimensiones, en sus dos "
            "mitades"
        ),
    },
    "sin_half": {
        "en": "sin(p·ω_i): columns 0, 2, 4, ...",
        "es": "sin(p·ω_i): columnas 0, 2, 4, ...",
    },
    "cos_half": {
        "en": "cos(p·ω_i): columns 1, 3, 5, ...",
        "es": "cos(p·ω_i): columnas 1, 3, 5, ...",
    },
    "pair_index": {
        "en": "pair i (ω_i = 10000^(−2i/E): slower to the right)",
        "es": "par i (ω_i = 10000^(−2i/E): más lento a la derecha)",
    },
    "sin_curves_title": {
        "en": "Two sin/cos pairs of the table: smooth waves, sampled at whole positions (dots)",
        "es": (
            "Dos pares sin/cos de la tabla: ondas suaves, muestreadas en posiciones enteras "
            "(puntos)"
        ),
    },
    "dim_sin": {"en": "dim {i}: sin, period {p:.1f}", "es": "dim {i}: seno, periodo {p:.1f}"},
    "dim_cos": {"en": "dim {i}: cos, period {p:.1f}", "es": "dim {i}: coseno, periodo {p:.1f}"},
    "similarity_title": {
        "en": "Similarity between positions: the dot product PE[i] · PE[j] depends only on j − i",
        "es": "Similitud entre posiciones: el producto escalar PE[i] · PE[j] solo depende de j − i",
    },
    "similarity_map": {"en": "PE[i] · PE[j]", "es": "PE[i] · PE[j]"},
    "similarity_collapse": {
        "en": "one row per position i, against the offset: one curve",
        "es": "una fila por posición i, frente al desplazamiento: una sola curva",
    },
    "offset": {"en": "offset j − i", "es": "desplazamiento j − i"},
    "dot_product": {"en": "dot product", "es": "producto escalar"},
    "similarity_to": {"en": "row i = {p}", "es": "fila i = {p}"},
    "learn_title": {
        "en": "Learnable positions, trained to attend to the previous token ({steps} Adam steps)",
        "es": (
            "Posiciones aprendibles, entrenadas para atender al token anterior "
            "({steps} pasos de Adam)"
        ),
    },
    "before_training": {"en": "before", "es": "antes"},
    "after_training": {"en": "after", "es": "después"},
    "learned_table": {
        "en": "table P, {when} (std {s:.2f}, own scale)",
        "es": "tabla P, {when} (desv. {s:.2f}, escala propia)",
    },
    "cosine_sim": {"en": "cosine similarity, {when}", "es": "similitud coseno, {when}"},
    "attn_when": {"en": "attention weights, {when}", "es": "pesos de atención, {when}"},
    # -- TLOB -------------------------------------------------------------------------------------
    "tlob_temporal_title": {
        "en": "TLOB temporal attention per layer: which events of the window each event reads",
        "es": "Atención temporal de TLOB por capa: qué eventos de la ventana lee cada evento",
    },
    "tlob_feature_title": {
        "en": "TLOB feature attention per layer: tokens are hidden channels, not input columns",
        "es": (
            "Atención de rasgos de TLOB por capa: los tokens son rasgos ocultos, no columnas de "
            "entrada"
        ),
    },
    "mean_of_windows": {"en": "mean over {n} windows", "es": "media de {n} ventanas"},
    "one_window": {"en": "one window", "es": "una ventana"},
    "trained_windows": {
        "en": "trained model, mean over {n} test windows; 1 = the weight of a uniform row, 1/N",
        "es": (
            "modelo entrenado, media de {n} ventanas de prueba; 1 = el peso de una fila uniforme, "
            "1/N"
        ),
    },
    "time_step": {"en": "time step", "es": "instante"},
    "window_event": {"en": "event", "es": "evento"},
    "hidden_channel": {"en": "hidden channel", "es": "rasgo oculto"},
    "feature": {"en": "feature", "es": "rasgo"},
    "tlob_layer_temporal": {
        "en": "layer {n}: temporal, N = {n_tokens} events",
        "es": "capa {n}: temporal, N = {n_tokens} eventos",
    },
    "tlob_layer_feature": {
        "en": "layer {n}: features, N = {n_tokens} channels",
        "es": "capa {n}: rasgos, N = {n_tokens} rasgos ocultos",
    },
    "ratio_to_uniform": {
        "en": "weight × N (times the uniform weight, log scale)",
        "es": "peso × N (veces el peso uniforme, escala log.)",
    },
    "labelled_event": {
        "en": "framed row: the labelled event (the last of the window) and what it reads",
        "es": "fila enmarcada: el evento etiquetado (el último de la ventana) y lo que lee",
    },
    "curves_title": {
        "en": "Training TLOB on the synthetic order book",
        "es": "Entrenamiento de TLOB con el libro de órdenes sintético",
    },
    "epoch": {"en": "epoch", "es": "época"},
    "loss": {"en": "cross-entropy loss", "es": "pérdida de entropía cruzada"},
    "train": {"en": "train", "es": "entrenamiento"},
    "validation": {"en": "validation", "es": "validación"},
    "metric": {"en": "score", "es": "valor"},
    "accuracy": {"en": "accuracy", "es": "exactitud"},
    "macro_f1": {"en": "validation macro-F1", "es": "F1 macro de validación"},
    "best_epoch": {
        "en": "best epoch (lowest val. loss)",
        "es": "mejor época (menor pérdida de val.)",
    },
    "chance_loss": {
        "en": "chance: ln 3 = {v:.2f}",
        "es": "azar: ln 3 = {v:.2f}",
    },
    "prior_loss": {
        "en": "class frequencies only: {v:.2f}",
        "es": "solo las frecuencias de clase: {v:.2f}",
    },
    "majority_f1": {
        "en": "always the majority class: {v:.2f}",
        "es": "siempre la clase mayoritaria: {v:.2f}",
    },
    "confusion_title": {
        "en": "Confusion matrix on the test split (row-normalised)",
        "es": "Matriz de confusión en el conjunto de prueba (normalizada por filas)",
    },
    "confusion_scores": {
        "en": "macro-F1 {f1:.2f}, accuracy {acc:.2f}",
        "es": "F1 macro {f1:.2f}, exactitud {acc:.2f}",
    },
    "true_class": {"en": "true class", "es": "clase verdadera"},
    "predicted_class": {"en": "predicted class", "es": "clase predicha"},
    "fraction": {"en": "fraction of the row", "es": "fracción de la fila"},
    "up": {"en": "up", "es": "sube"},
    "stationary": {"en": "stationary", "es": "estable"},
    "down": {"en": "down", "es": "baja"},
    # -- order book -------------------------------------------------------------------------------
    "depth_title": {
        "en": "The synthetic limit order book at event {t}: {levels} price levels per side",
        "es": "El libro de órdenes sintético en el evento {t}: {levels} niveles de precio por lado",
    },
    "price": {"en": "price", "es": "precio"},
    "volume": {"en": "volume (shares)", "es": "volumen (acciones)"},
    "ladder": {"en": "the book, level by level", "es": "el libro, nivel a nivel"},
    "depth": {"en": "depth chart", "es": "gráfico de profundidad"},
    "cum_volume": {"en": "cumulative volume", "es": "volumen acumulado"},
    "bids": {"en": "bids (buy orders)", "es": "compras (bid)"},
    "asks": {"en": "asks (sell orders)", "es": "ventas (ask)"},
    "bids_short": {"en": "bids", "es": "compras"},
    "asks_short": {"en": "asks", "es": "ventas"},
    "label_strip": {
        "en": "TLOB's label of each event, one row per class",
        "es": "Etiqueta de TLOB de cada evento, una fila por clase",
    },
    "mid_price": {"en": "mid-price", "es": "precio medio"},
    "spread": {"en": "spread", "es": "diferencial (spread)"},
    "event_label": {
        "en": "TLOB's label for this event: {name}",
        "es": "Etiqueta de TLOB para este evento: {name}",
    },
    "midprice_title": {
        "en": "Mid-price of the synthetic order book and TLOB's labels (horizon h = {h})",
        "es": "Precio medio del libro sintético y etiquetas de TLOB (horizonte h = {h})",
    },
    "event": {"en": "event", "es": "evento"},
    "label_counts": {"en": "label (events)", "es": "etiqueta (eventos)"},
    "no_label": {
        "en": "no label yet\n(future unknown)",
        "es": "sin etiqueta\n(futuro desconocido)",
    },
    # -- benchmarks and widgets ----------------------------------------------------------------
    "path_standard": {"en": "standard", "es": "estándar"},
    "path_tiled": {"en": "tiled", "es": "por bloques"},
    "bench_ms": {"en": "milliseconds", "es": "milisegundos"},
    "bench_mib": {"en": "peak extra MiB", "es": "MiB de memoria extra (pico)"},
    "bench_time": {"en": "Time", "es": "Tiempo"},
    "bench_memory": {"en": "Memory: T × T vs O(T)", "es": "Memoria: T × T frente a O(T)"},
    "bench_title": {
        "en": "One-head attention, D = {d}, float64, forward + backward",
        "es": "Atención de una cabeza, D = {d}, float64, paso hacia delante + retropropagación",
    },
    "bench_square": {"en": "8 T² bytes (one T × T matrix)", "es": "8 T² bytes (una matriz T × T)"},
    "bench_unmeasured": {
        "en": "{name}: 0 MiB measured (not measurable)",
        "es": "{name}: 0 MiB medidos (no medible)",
    },
    "empty_rows": {
        "en": "rows with no key left (weights 0): {rows}",
        "es": "filas sin ninguna clave (pesos 0): {rows}",
    },
    "real_keys": {"en": "real S", "es": "S reales"},
    "layer": {"en": "layer", "es": "capa"},
    "head": {"en": "head", "es": "cabeza"},
    "sample": {"en": "sample", "es": "muestra"},
    "dim_at_positions": {
        "en": "dimension {d} at every position",
        "es": "dimensión {d} en cada posición",
    },
    "dot_with_position": {
        "en": "dot product with position {p}",
        "es": "producto escalar con la posición {p}",
    },
}


def text(key: str, lang: str, **fields) -> str:
    """The string ``key`` in ``lang``, with ``fields`` filled in (:func:`attnlab.i18n.pick`)."""
    return pick(STRINGS[key], lang, **fields)


def class_names(lang: str) -> list[str]:
    """TLOB's classes in order 0, 1, 2: up, stationary, down."""
    return [text(k, lang) for k in ("up", "stationary", "down")]


# The keys above, before the area tables join them (tests/test_viz.py checks no two tables share
# a key: dict.update would let the table merged last silently overwrite the other's string).
BASE_KEYS = frozenset(STRINGS)

# The strings of later figures live in their own modules, one per area.
from .strings_gpt import STRINGS_GPT  # noqa: E402 (the GPT lessons' strings)
from .strings_induction import INDUCTION_STRINGS  # noqa: E402 (induction heads, honest gallery)
from .strings_positions import POSITION_STRINGS  # noqa: E402 (RoPE, ALiBi, extrapolation)

STRINGS.update(STRINGS_GPT)
STRINGS.update(POSITION_STRINGS)
STRINGS.update(INDUCTION_STRINGS)
