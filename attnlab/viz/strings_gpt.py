"""The words of the GPT figures and widgets (lessons 09 and 10), in Spanish and in English.

Same shape as :data:`attnlab.viz.strings.STRINGS`, which takes these in with one update.
"""

from __future__ import annotations

STRINGS_GPT: dict[str, dict[str, str]] = {
    # -- models -------------------------------------------------------------------------------
    "gpt_model_es": {"en": "the shipped Spanish GPT", "es": "el GPT en español que trae attnlab"},
    "gpt_model_en": {"en": "the shipped English GPT", "es": "el GPT en inglés que trae attnlab"},
    # -- attention ----------------------------------------------------------------------------
    "gpt_attention_title": {
        "en": "{model}: two heads of layer {layer} on a validation sentence",
        "es": "{model}: dos cabezas de la capa {layer} en una frase de validación",
    },
    "gpt_mark_head": {
        "en": "layer {layer}, head {head}: from inside the marks it looks back\n"
        "at the opening one ({ratio:.1f}x the attention it pays at that distance)",
        "es": "capa {layer}, cabeza {head}: desde dentro de los signos mira al\n"
        "que abre ({ratio:.1f} veces la atención que pone a esa distancia)",
    },
    "gpt_other_head": {
        "en": "layer {layer}, head {head}: another head of the same layer, for comparison\n"
        "({ratio:.1f}x the attention it pays at that distance)",
        "es": "capa {layer}, cabeza {head}: otra cabeza de la misma capa, para comparar\n"
        "({ratio:.1f} veces la atención que pone a esa distancia)",
    },
    # -- training -----------------------------------------------------------------------------
    "gpt_training_title": {
        "en": "How {model} learned: loss per character, and the baselines it must beat",
        "es": "Cómo aprendió {model}: pérdida por carácter y las referencias que debe batir",
    },
    "gpt_step": {"en": "training step", "es": "paso de entrenamiento"},
    "gpt_loss": {
        "en": "cross-entropy (nats per character)",
        "es": "entropía cruzada (nats por carácter)",
    },
    "gpt_train_raw": {"en": "train (each batch)", "es": "entrenamiento (cada lote)"},
    "gpt_train_avg": {"en": "train (mean of 25 steps)", "es": "entrenamiento (media de 25 pasos)"},
    "gpt_val": {"en": "validation", "es": "validación"},
    "gpt_bigram": {
        "en": "bigram: {loss:.2f} (perplexity {ppl:.1f})",
        "es": "bigrama: {loss:.2f} (perplejidad {ppl:.1f})",
    },
    "gpt_unigram": {"en": "unigram: {loss:.2f}", "es": "unigrama: {loss:.2f}"},
    "gpt_uniform": {
        "en": "uniform guess, log V: {loss:.2f}",
        "es": "adivinar al azar, log V: {loss:.2f}",
    },
    "gpt_final": {
        "en": "GPT: {loss:.2f} (perplexity {ppl:.2f})",
        "es": "GPT: {loss:.2f} (perplejidad {ppl:.2f})",
    },
    "gpt_live_title": {"en": "step {step} of {steps}", "es": "paso {step} de {steps}"},
    # -- decoding -----------------------------------------------------------------------------
    "decoding_title": {
        "en": "{model}, next character after «{prompt}»: what sampling draws from",
        "es": "{model}, carácter siguiente a «{prompt}»: de dónde saca la muestra",
    },
    "dec_model": {"en": "the model (T = 1)", "es": "el modelo (T = 1)"},
    "dec_temperature": {"en": "temperature T = {t:g}", "es": "temperatura T = {t:g}"},
    "dec_top_k": {"en": "top-k, k = {k}", "es": "top-k, k = {k}"},
    "dec_top_p": {"en": "top-p, p = {p:g} (nucleus)", "es": "top-p, p = {p:g} (núcleo)"},
    "dec_greedy": {"en": "greedy (argmax)", "es": "voraz (argmax)"},
    "dec_settings": {
        "en": "T = {t:g}, top-k = {k}, top-p = {p:g}",
        "es": "T = {t:g}, top-k = {k}, top-p = {p:g}",
    },
    "dec_kept": {"en": "tokens that can be drawn: {n}", "es": "tokens que pueden salir: {n}"},
    "dec_original": {"en": "the model's own probability", "es": "probabilidad del propio modelo"},
    "dec_filtered": {"en": "after this setting", "es": "con este ajuste"},
    "dec_removed": {"en": "removed (probability 0)", "es": "eliminado (probabilidad 0)"},
    "next_char": {"en": "next character", "es": "carácter siguiente"},
    # -- KV cache -----------------------------------------------------------------------------
    "kv_title": {
        "en": "The KV cache: the cost of one new token as the context grows",
        "es": "La caché KV: lo que cuesta un token nuevo cuando crece el contexto",
    },
    "kv_with": {"en": "with the cache", "es": "con la caché"},
    "kv_without": {"en": "without the cache", "es": "sin la caché"},
    "kv_context": {"en": "tokens already in the context (T)", "es": "tokens ya en el contexto (T)"},
    "kv_ms": {"en": "ms per new token (measured)", "es": "ms por token nuevo (medido)"},
    "kv_macs": {
        "en": "multiply-adds per new token",
        "es": "multiplicaciones-sumas por token nuevo",
    },
    "kv_memory": {
        "en": "cache memory of one sequence (KiB)",
        "es": "memoria de la caché de una secuencia (KiB)",
    },
    "kv_time_panel": {"en": "time, measured once", "es": "tiempo, medido una vez"},
    "kv_ops_panel": {
        "en": "work, counted (log scale)",
        "es": "trabajo, contado (escala logarítmica)",
    },
    "kv_per_token": {"en": "{kib:g} KiB per token", "es": "{kib:g} KiB por token"},
    "kv_mem_panel": {
        "en": "memory: 2 · n_layer · n_embd numbers per token",
        "es": "memoria: 2 · n_layer · n_embd números por token",
    },
    "kv_config": {
        "en": "n_layer {n_layer}, n_embd {n_embd}, {n_head} heads, V {vocab_size}, {dtype}, "
        "batch 1 · times from {source} (2 shared cores, load average {load})",
        "es": "n_layer {n_layer}, n_embd {n_embd}, {n_head} cabezas, V {vocab_size}, {dtype}, "
        "lote 1 · tiempos de {source} (2 núcleos compartidos, carga media {load})",
    },
    # -- widgets ------------------------------------------------------------------------------
    "prompt": {"en": "prompt", "es": "inicio"},
    "topk_slider": {"en": "top-k (0 = off)", "es": "top-k (0 = sin filtro)"},
    "topp_slider": {"en": "top-p (1 = off)", "es": "top-p (1 = sin filtro)"},
    "generate": {"en": "Generate", "es": "Generar"},
    "new_tokens": {"en": "new tokens", "es": "tokens nuevos"},
    "seed": {"en": "seed", "es": "semilla"},
    "greedy_box": {"en": "greedy", "es": "voraz"},
    "entropy_nats": {"en": "entropy {h:.2f} nats", "es": "entropía {h:.2f} nats"},
}
