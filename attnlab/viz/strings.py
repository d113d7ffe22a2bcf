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
    "tokens": {
        "en": "the cat sat on the warm mat",
        "es": "el gato duerme sobre la alfombra roja",
    },
    "heatmap_title": {
        "en": "Causal self-attention: each query sees only its own and earlier keys",
        "es": "Autoatención causal: cada consulta solo ve su clave y las anteriores",
    },
    "heads_title": {
        "en": "{h} heads of one multi-head attention layer: each head looks elsewhere",
        "es": "Las {h} cabezas de una capa de atención multicabeza: cada una mira a otro sitio",
    },
    "layers_title": {
        "en": "Head {head} across {n} stacked layers (random weights)",
        "es": "La cabeza {head} a lo largo de {n} capas apiladas (pesos aleatorios)",
    },
    # -- masks -----------------------------------------------------------------------------------
    "mask_causal": {"en": "causal", "es": "causal"},
    "mask_padding": {"en": "padding (length {n})", "es": "relleno (longitud {n})"},
    "mask_combined": {"en": "causal + padding", "es": "causal + relleno"},
    "mask_weights": {"en": "weights with both masks", "es": "pesos con ambas máscaras"},
    "masks_title": {
        "en": "Attention masks: True = may attend (white), False = masked (hatched grey)",
        "es": (
            "Máscaras de atención: True = puede atender (blanco), False = enmascarado (gris rayado)"
        ),
    },
    # -- softmax -----------------------------------------------------------------------------------
    "temperature": {"en": "temperature", "es": "temperatura"},
    "tau_eq": {"en": "τ = {t:g}", "es": "τ = {t:g}"},
    "probability": {"en": "probability", "es": "probabilidad"},
    "class_i": {"en": "logit", "es": "logit"},
    "softmax_title": {
        "en": "softmax(z / τ) of the same logits: low τ sharpens, high τ flattens",
        "es": "softmax(z / τ) de los mismos logits: τ baja afila, τ alta aplana",
    },
    "entropy_eq": {"en": "entropy {h:.2f}", "es": "entropía {h:.2f}"},
    "scaling_title": {
        "en": "Why divide by √d: dot products grow with the head size d",
        "es": "Por qué dividir entre √d: los productos escalares crecen con el tamaño d",
    },
    "head_dim": {"en": "head size d", "es": "tamaño de cabeza d"},
    "score_std": {"en": "std of the scores q·k", "es": "desviación típica de q·k"},
    "max_weight": {
        "en": "largest weight in a row (mean)",
        "es": "mayor peso de cada fila (media)",
    },
    "unscaled": {"en": "q·k (unscaled)", "es": "q·k (sin escalar)"},
    "scaled": {"en": "q·k / √d (scaled)", "es": "q·k / √d (escalado)"},
    "uniform": {"en": "uniform (1/S)", "es": "uniforme (1/S)"},
    "scores_spread": {"en": "spread of the scores", "es": "dispersión de las puntuaciones"},
    "softmax_saturation": {
        "en": "unscaled softmax saturates (one-hot)",
        "es": "sin escalar, la softmax se satura (one-hot)",
    },
    # -- positional encodings --------------------------------------------------------------------
    "position": {"en": "position", "es": "posición"},
    "dimension": {"en": "dimension", "es": "dimensión"},
    "value": {"en": "value", "es": "valor"},
    "sin_table_title": {
        "en": "Sinusoidal positional encoding ({t} positions × {d} dimensions)",
        "es": "Codificación posicional sinusoidal ({t} posiciones × {d} dimensiones)",
    },
    "sin_curves_title": {
        "en": "A few columns of the table: each pair is a sine/cosine of its own frequency",
        "es": "Algunas columnas de la tabla: cada par es un seno/coseno con su propia frecuencia",
    },
    "dim_sin": {"en": "dim {i}: sin, period {p:.0f}", "es": "dim {i}: seno, periodo {p:.0f}"},
    "dim_cos": {"en": "dim {i}: cos, period {p:.0f}", "es": "dim {i}: coseno, periodo {p:.0f}"},
    "similarity_title": {
        "en": "Similarity between positions: dot product PE[i] · PE[j]",
        "es": "Similitud entre posiciones: producto escalar PE[i] · PE[j]",
    },
    "dot_product": {"en": "dot product", "es": "producto escalar"},
    "similarity_to": {"en": "similarity to position {p}", "es": "similitud con la posición {p}"},
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
        "en": "table P, {when} (std {s:.2f})",
        "es": "tabla P, {when} (desv. {s:.2f})",
    },
    "cosine_sim": {"en": "cosine similarity, {when}", "es": "similitud coseno, {when}"},
    "attn_when": {"en": "attention weights, {when}", "es": "pesos de atención, {when}"},
    # -- TLOB -------------------------------------------------------------------------------------
    "tlob_temporal_title": {
        "en": "TLOB temporal attention (T × T) per layer: which events each event reads",
        "es": "Atención temporal de TLOB (T × T) por capa: qué eventos lee cada evento",
    },
    "tlob_feature_title": {
        "en": "TLOB feature attention per layer: which hidden features each feature reads",
        "es": "Atención de rasgos de TLOB por capa: qué rasgos ocultos lee cada rasgo",
    },
    "mean_of_windows": {"en": "mean over {n} windows", "es": "media de {n} ventanas"},
    "one_window": {"en": "one window", "es": "una ventana"},
    "trained_windows": {
        "en": "trained model, mean over {n} test windows",
        "es": "modelo entrenado, media de {n} ventanas de prueba",
    },
    "time_step": {"en": "time step", "es": "instante"},
    "feature": {"en": "feature", "es": "rasgo"},
    "tlob_layer": {
        "en": "layer {n}: N = {n_tokens} tokens, 1/N = {u:.3f}",
        "es": "capa {n}: N = {n_tokens} tokens, 1/N = {u:.3f}",
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
    "macro_f1": {"en": "macro-F1", "es": "F1 macro"},
    "best_epoch": {"en": "best epoch", "es": "mejor época"},
    "confusion_title": {
        "en": "Confusion matrix on the test split (row-normalised)",
        "es": "Matriz de confusión en el conjunto de prueba (normalizada por filas)",
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
    "bench_ms": {"en": "ms, forward + backward", "es": "ms, paso hacia delante + retropropagación"},
    "bench_mib": {"en": "peak extra MiB", "es": "MiB de memoria extra (pico)"},
    "bench_time": {"en": "Time", "es": "Tiempo"},
    "bench_memory": {"en": "Memory: T x T vs O(T)", "es": "Memoria: T x T frente a O(T)"},
    "bench_title": {
        "en": "One-head attention, D = {d}, float64",
        "es": "Atención de una cabeza, D = {d}, float64",
    },
    "bench_square": {"en": "8 T² bytes (T x T)", "es": "8 T² bytes (T x T)"},
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


# The strings of later figures live in their own modules, one per area.
from .strings_gpt import STRINGS_GPT  # noqa: E402 (the GPT lessons' strings)
from .strings_positions import POSITION_STRINGS  # noqa: E402 (RoPE, ALiBi, extrapolation)

STRINGS.update(STRINGS_GPT)
STRINGS.update(POSITION_STRINGS)
