# %% [markdown] lang="es"
# # Lección 10 · Decodificación
#
# Un modelo de lenguaje no escribe: da, para cada posición, una **distribución** sobre el
# token siguiente. *Decodificar* es decidir qué token sale de esa distribución, una y otra
# vez. La decisión cambia mucho el texto: el mismo modelo puede repetirse en bucle, inventar
# palabras o escribir bien, según cómo elijamos.
#
# **Objetivos**
# 1. Ver la distribución del carácter siguiente de un modelo real y lo que le hacen la
#    decodificación voraz, la temperatura, top-k, top-p (núcleo) y la búsqueda en haz.
# 2. Medir repetición y diversidad del texto de cada estrategia, con semillas fijas.
# 3. Construir a mano la **caché KV**, demostrar que es exacta, medir cuánto ahorra y contar
#    su memoria.
# 4. Jugar con un explorador de la distribución y con una caja que genera texto.
#
# Usamos el GPT pequeño que trae attnlab (lección 09), entrenado con el corpus en español.

# %% [markdown] lang="en"
# # Lesson 10 · Decoding
#
# A language model does not write: for each position it gives a **distribution** over the next
# token. *Decoding* is deciding which token comes out of that distribution, again and again.
# The decision changes the text a lot: the same model may loop, invent words or write well,
# depending on how we choose.
#
# **Goals**
# 1. See a real model's next-character distribution and what greedy decoding, temperature,
#    top-k, top-p (nucleus) and beam search do to it.
# 2. Measure the repetition and diversity of each strategy's text, with fixed seeds.
# 3. Build the **KV cache** by hand, prove it exact, measure what it saves and count its
#    memory.
# 4. Play with an explorer of the distribution and with a box that generates text.
#
# We use the small GPT shipped with attnlab (lesson 09), trained on the English corpus.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np
from threadpoolctl import threadpool_limits

import attnlab
from attnlab import exercises as ex
from attnlab import viz
from attnlab.decoding import beam_search, probabilities
from attnlab.experiments.gpt import PROMPTS, next_token_logits
from attnlab.models import load_pretrained_gpt
from attnlab.show import setup_lesson, show_source, tr

QUICK = setup_lesson(LANG)
print("QUICK =", QUICK)
# es: matrices pequeñas en una máquina compartida: con un solo hilo de BLAS van varias veces más rápido | en: small matrices on a shared machine: with one BLAS thread they run several times faster
one_blas_thread = threadpool_limits(limits=1, user_api="blas")
# es: float32: rápido para generar | en: float32: fast to generate
model, tok, info = load_pretrained_gpt(LANG)
V = tok.vocab_size

# %% [markdown] lang="es"
# ## 1. Una distribución de verdad
#
# Tras «Había una vez una », el corpus sigue con un oficio en femenino: cartera, pescadora,
# maestra, jardinera... El modelo no sabe cuál: reparte la probabilidad entre sus primeras
# letras.

# %% [markdown] lang="en"
# ## 1. A real distribution
#
# After "Once there was a ", the corpus goes on with an adjective or a job: tall, busy, kind,
# clever, teacher, baker, farmer... The model does not know which: it spreads the probability
# over their first letters.

# %%
prompt = PROMPTS[LANG]
logits = next_token_logits(model, tok, prompt)  # (V,)
p = probabilities(logits)  # es: (V,) la softmax, sin más | en: (V,) just the softmax
for i in np.argsort(-p)[:8]:
    print(f"{tok.chars[i]!r:6} {p[i]:.3f}")

# %% [markdown] lang="es"
# ## 2. Cinco maneras de elegir
#
# - **Voraz** (*greedy*): siempre el más probable, `argmax`. Determinista.
# - **Temperatura** $T$: muestrear de $\mathrm{softmax}(z / T)$. $T < 1$ afila (se acerca a la
#   voraz), $T > 1$ aplana (se acerca a elegir al azar).
# - **top-k**: quedarse con los $k$ logits mayores (los empatados con el $k$-ésimo también),
#   poner el resto a $-\infty$ y muestrear.
# - **top-p** o **núcleo**: ordenar de más a menos probable y quedarse con el conjunto más
#   pequeño cuya suma **llega** a $p$ (el token que cruza $p$ se queda). El tamaño se adapta:
#   pocos tokens si el modelo está seguro, muchos si duda.
# - **Búsqueda en haz** (*beam search*): mantener las `beams` continuaciones completas más
#   probables, en vez de decidir un token cada vez.
#
# `attnlab.decoding.probabilities` aplica la temperatura, top-k y top-p, en ese orden, y da
# **exactamente** la distribución de la que se saca cada muestra:

# %% [markdown] lang="en"
# ## 2. Five ways to choose
#
# - **Greedy**: always the most likely, `argmax`. Deterministic.
# - **Temperature** $T$: sample from $\mathrm{softmax}(z / T)$. $T < 1$ sharpens (towards
#   greedy), $T > 1$ flattens (towards picking at random).
# - **top-k**: keep the $k$ largest logits (those tied with the $k$-th too), the rest to
#   $-\infty$, and sample.
# - **top-p** or **nucleus**: sort from most to least likely and keep the smallest set whose sum
#   **reaches** $p$ (the token that crosses $p$ stays). Its size adapts: few tokens when the
#   model is sure, many when it hesitates.
# - **Beam search**: keep the `beams` most likely whole continuations, not one token at a time.
#
# `attnlab.decoding.probabilities` applies temperature, top-k and top-p, in that order, and
# gives **exactly** the distribution each sample is drawn from:

# %%
show_source(probabilities)

# %%
from attnlab.experiments.gpt import decoding_panels

# es: el modelo, T = 0.5, T = 2, top-k = 3, top-p = 0.8, voraz | en: the model, T = 0.5, T = 2, top-k = 3, top-p = 0.8, greedy
panels = decoding_panels(logits)
labels = [c.replace(" ", "␣") for c in tok.chars]
fig = viz.decoding_distributions(labels, panels, lang=LANG)

# %% [markdown] lang="es"
# El núcleo se adapta al contexto. En cada posición de una frase, ¿cuántos tokens quedan con
# top-p = 0.9? Donde el modelo está seguro (en mitad de una palabra), uno; donde duda (al
# empezar una palabra, o en un nombre que aún puede ser varios: «Mar|ía» o «Mar|ta»), varios. Con
# top-k quedarían siempre k.

# %% [markdown] lang="en"
# The nucleus adapts to the context. At each position of a sentence, how many tokens remain
# with top-p = 0.9? Where the model is sure (inside a word), one; where it hesitates (at the
# start of a word, or in a name that can still be several), several. top-k would always keep k.

# %%
from attnlab.experiments.gpt import dialogue_sentence

sentence = dialogue_sentence(LANG)
ids = tok.encode(sentence)
all_logits = model(ids[None])[0][0]  # (T, V)
# es: (T,) tamaño del núcleo en cada posición | en: (T,) nucleus size at each position
sizes = (probabilities(all_logits, top_p=0.9) > 0).sum(axis=-1)
print("".join(c.ljust(3) for c in sentence[1:]))
print("".join(str(n).ljust(3) for n in sizes[:-1]))

# %% [markdown] lang="es"
# (Cada número es el tamaño del núcleo para predecir el carácter escrito encima.)
#
# ## 3. Lo que escriben
#
# Seis estrategias con el mismo inicio y la misma semilla, y la búsqueda en haz:

# %% [markdown] lang="en"
# (Each number is the size of the nucleus for predicting the character written above it.)
#
# ## 3. What they write
#
# Six strategies with the same prompt and the same seed, and beam search:

# %%
from attnlab.experiments.gpt_decoding import STRATEGIES, strategy_label

start = tok.encode("Había una vez" if LANG == "es" else "Once there was")[None]  # (1, T)
for name, kwargs in STRATEGIES:
    out = model.generate(start, 100, rng=0, **kwargs)
    print(f"{strategy_label(name):>10}: {tok.decode(out[0])!r}")
beam = beam_search(model, start, beams=4, max_new_tokens=100)
print(f"{strategy_label('beam=4'):>10}: {tok.decode(beam.tokens[0])!r}")

# %% [markdown] lang="es"
# La búsqueda en haz puntúa cada continuación con su log-probabilidad **media por token**
# (`length_penalty=1`): con la suma, las continuaciones cortas ganarían solo por tener menos
# factores menores que 1. Aun así, como la voraz, busca lo más probable, y lo más probable es
# repetitivo.
#
# ## 4. Repetición y diversidad, medidas
#
# Para cada estrategia sacamos varias muestras con un generador de semilla fija y medimos:
#
# - **distintos-4**: 4-gramas distintos / todos los 4-gramas de todas las muestras (bajo si
#   las muestras se repiten entre sí o a sí mismas);
# - **repetidos-8**: la parte de los 8-gramas de una muestra que ya había escrito antes
#   (bucles);
# - **palabras nuevas**: la parte de las palabras que no aparecen nunca en el texto de
#   entrenamiento (palabras inventadas).
#
# Con los ajustes completos (6 muestras de 200 caracteres, sin `ATTNLAB_QUICK`, de 20 a 30 s),
# el modelo en español da: la voraz y el haz casi no varían (distintos-4 de 0.11 y 0.15: son
# deterministas, las seis muestras son la misma) y la voraz entra en bucle (repetidos-8 ≈ 0.2:
# «Los caballos viejos llevaron... Los perros negros llevaron...»); $T = 1.5$ apenas se
# repite, pero más de un tercio de sus palabras son inventadas; top-p = 0.9 queda en medio:
# variado, pocas repeticiones y un 3 % de palabras inventadas. En modo rápido las muestras son
# cortas y casi nada llega a repetirse.

# %% [markdown] lang="en"
# Beam search scores each continuation by its **mean log-probability per token**
# (`length_penalty=1`): with the sum, short continuations would win just for having fewer
# factors below 1. Still, like greedy, it looks for the most likely, and the most likely is
# repetitive.
#
# ## 4. Repetition and diversity, measured
#
# For each strategy we draw several samples with a seeded generator and measure:
#
# - **distinct-4**: distinct 4-grams / all 4-grams over every sample (low if the samples repeat
#   each other or themselves);
# - **repeated-8**: the share of a sample's 8-grams it had already written (loops);
# - **new words**: the share of the words that never occur in the training text (invented
#   words).
#
# With the full settings (6 samples of 200 characters, without `ATTNLAB_QUICK`, 20 to 30 s),
# the English model gives: greedy and beam hardly vary (distinct-4 0.16 and 0.13: they are
# deterministic, the six samples are the same one) and beam search repeats itself most
# (repeated-8 about 0.1); $T = 1.5$ invents a quarter of its words; top-p = 0.9 sits in
# between: varied, with almost no invented words. In quick mode the samples are short and
# almost nothing gets to repeat.

# %%
from attnlab.data import load_corpus, split_text
from attnlab.experiments.gpt_decoding import decoding_report, words

known = set(words(split_text(load_corpus(LANG))[0]))
report = decoding_report(
    model,
    tok,
    tok.decode(start[0]),
    known,
    samples=3 if QUICK else 6,
    new_tokens=60 if QUICK else 200,
)
print(
    tr(
        "estrategia  distintos-4  repetidos-8  palabras nuevas",
        "strategy    distinct-4   repeated-8   new words",
    )
)
for row in report:
    print(
        f"{strategy_label(row.name):<10} {row.distinct_4:11.3f} {row.repeated_8:12.3f} {row.new_words:14.3f}"
    )

# %% [markdown] lang="es"
# ## 5. La caché KV, a mano
#
# Para generar el token $t + 1$ el modelo necesita la atención de **una** consulta nueva sobre
# las claves y los valores de los tokens $0..t$. Sin caché, cada paso vuelve a pasar la
# ventana entera por el modelo. Pero con la máscara causal, lo que una capa calcula para el
# token $i$ **no depende** de los tokens que vienen después: sus claves y valores no cambian
# nunca. Guardémoslos.
#
# En cada capa: la proyección del token nuevo da $q$, $k$, $v$; $k$ y $v$ se **añaden** a la
# caché; $q$ atiende a todas las claves guardadas (incluida la suya). Una sola fila de
# atención.

# %% [markdown] lang="en"
# ## 5. The KV cache, by hand
#
# To generate token $t + 1$ the model needs the attention of **one** new query over the keys
# and values of tokens $0..t$. Without a cache, every step runs the whole window through the
# model again. But with the causal mask, what a layer computes for token $i$ **does not
# depend** on the tokens after it: its keys and values never change. Let us keep them.
#
# In every layer: the new token's projection gives $q$, $k$, $v$; $k$ and $v$ are **appended**
# to the cache; $q$ attends to every stored key (its own included). A single row of attention.


# %%
def step_with_cache(model, token, position, keys, values):
    # es: los logits (V,) tras un token nuevo; keys[i] y values[i] (listas) crecen una fila | en: the logits (V,) after one new token; keys[i] and values[i] (lists) grow by one row
    c, t = model.config, model.transformer
    H, D = c.n_head, c.head_dim
    x = t.wte.weight[token] + t.wpe.weight[position]  # (E,)
    for i, block in enumerate(t.h):
        qkv = block.attn.c_attn(block.ln_1(x[None, None]))[0, 0]  # (3E,)
        q, k, v = (a.reshape(H, D) for a in np.split(qkv, 3))  # q, k, v: (H, D)
        # es: la caché de la capa i crece una fila | en: layer i's cache grows by one row
        keys[i].append(k)
        values[i].append(v)
        K, Vs = np.stack(keys[i], axis=1), np.stack(values[i], axis=1)  # K, Vs: (H, S, D)
        # es: una sola fila de pesos por cabeza: la consulta nueva | en: a single row of weights per head: the new query
        w = attnlab.softmax(np.einsum("hd,hsd->hs", q, K) / np.sqrt(D))  # (H, S)
        y = np.einsum("hs,hsd->hd", w, Vs).reshape(-1)  # (E,)
        x = x + block.attn.c_proj(y[None, None])[0, 0]  # (E,)
        x = x + block.mlp(block.ln_2(x[None, None]))[0, 0]  # (E,)
    return t.ln_f(x[None, None])[0, 0] @ t.wte.weight.T  # (V,)


# %% [markdown] lang="es"
# **¿Es exacta?** Pasamos una frase token a token por la caché y la comparamos con un solo
# paso hacia delante de la frase entera, en float64. Y generamos de forma voraz con nuestra
# caché: debe salir el mismo texto que sin caché.

# %% [markdown] lang="en"
# **Is it exact?** We feed a sentence token by token through the cache and compare with one
# forward of the whole sentence, in float64. And we generate greedily with our cache: the text
# must be the same as without a cache.

# %%
model64, _, _ = load_pretrained_gpt(LANG, dtype=np.float64)
L = model64.config.n_layer
keys, values = [[] for _ in range(L)], [[] for _ in range(L)]
cached = np.stack(
    [step_with_cache(model64, tid, pos, keys, values) for pos, tid in enumerate(ids)]
)  # (T, V)
full = model64(ids[None])[0][0]  # (T, V)
diff = np.abs(cached - full).max()
print(
    tr(
        f"máx |con caché - sin caché| = {diff:.1e} en {len(ids)} posiciones",
        f"max |cached - uncached| = {diff:.1e} over {len(ids)} positions",
    )
)
assert diff <= 1e-12

n_new = 30 if QUICK else 80
keys, values = [[] for _ in range(L)], [[] for _ in range(L)]
seq = list(start[0])
for pos, tid in enumerate(seq[:-1]):
    # es: llenar la caché con el inicio | en: fill the cache with the prompt
    step_with_cache(model64, tid, pos, keys, values)
for _ in range(n_new):
    seq.append(int(np.argmax(step_with_cache(model64, seq[-1], len(seq) - 1, keys, values))))
plain = model64.generate(start, n_new, greedy=True, use_cache=False)[0]
print(tok.decode(seq))
assert seq == plain.tolist()
print(
    tr(
        "voraz con nuestra caché = voraz sin caché, token a token",
        "greedy with our cache = greedy without a cache, token for token",
    )
)

# %% [markdown] lang="es"
# La biblioteca hace lo mismo con `KVCache`: reserva la memoria de antemano (y la duplica si
# se llena) en vez de apilar listas, y cada `CausalSelfAttention` añade sus claves y valores
# en el punto marcado de su `forward`:

# %% [markdown] lang="en"
# The library does the same with `KVCache`: it reserves buffers ahead (doubling them when they
# fill up) instead of stacking lists, and each `CausalSelfAttention` appends its keys and
# values at the marked point of its `forward`:

# %%
from attnlab.models import KVCache
from attnlab.models.gpt_blocks import CausalSelfAttention

show_source(KVCache.append)
show_source(CausalSelfAttention.forward)

# %% [markdown] lang="es"
# **¿Cuánto ahorra?** Medimos cuánto tarda el token siguiente cuando ya hay T tokens: sin
# caché, un paso hacia delante de la ventana entera; con caché, un token contra T − 1
# guardados. (El mejor tiempo de varias repeticiones, con BLAS en un hilo; en una máquina
# compartida los tiempos varían.)

# %% [markdown] lang="en"
# **How much does it save?** We time the next token when there are already T tokens: without a
# cache, a forward pass of the whole window; with it, one token against T − 1 stored. (Best of a
# few repetitions, BLAS on one thread; on a shared machine timings vary.)

# %%
import matplotlib.pyplot as plt

from attnlab.experiments.gpt_decoding import time_next_token

context = tok.encode(load_corpus(LANG)[:200])
T_values = [16, 64, 120] if QUICK else list(range(8, 129, 8))
cost = time_next_token(model, context, T_values, reps=3 if QUICK else 9)
for T, a, b in zip(cost.T, cost.ms_without, cost.ms_with, strict=True):
    print(
        f"T = {T:3d}: {tr('sin caché', 'without cache')} {a:6.2f} ms   {tr('con caché', 'with cache')} {b:5.2f} ms   ×{a / b:4.1f}"
    )
fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
ax.plot(
    cost.T, cost.ms_without, "s--", color=viz.gpt.VERMILLION, label=viz.text("kv_without", LANG)
)
ax.plot(cost.T, cost.ms_with, "o-", color=viz.gpt.BLUE, label=viz.text("kv_with", LANG))
ax.set_xlabel(viz.text("kv_context", LANG))
ax.set_ylabel(viz.text("kv_ms", LANG))
ax.set_ylim(bottom=0)
ax.legend()
plt.show()

# %% [markdown] lang="es"
# Sin caché el coste crece con T (y la parte de la atención con T²); con caché es casi
# constante: una fila de atención más larga. La galería (`kv_cache_cost`) muestra las medidas
# de `benchmarks/gpt.md` para un modelo mayor, y las operaciones contadas.
#
# **La memoria.** Cada token guarda una clave y un valor de anchura E en cada capa:
# $2 \cdot n_\text{layer} \cdot n_\text{embd}$ números por token y secuencia.

# %% [markdown] lang="en"
# Without a cache the cost grows with T (and the attention part with T²); with it, it is almost
# constant: one longer row of attention. The gallery (`kv_cache_cost`) shows the measurements of
# `benchmarks/gpt.md` for a larger model, and the operations counted.
#
# **Memory.** Each token stores a key and a value of width E in every layer:
# $2 \cdot n_\text{layer} \cdot n_\text{embd}$ numbers per token and sequence.

# %%
c = model.config
cache = model.new_kv_cache(1)
model(context[None, : c.block_size], kv_cache=cache)
print(
    tr("números por token:", "numbers per token:"),
    cache.numbers_per_token,
    "= 2 ·",
    c.n_layer,
    "·",
    c.n_embd,
)
print(
    tr(
        f"{c.block_size} tokens en float32: {cache.nbytes / 1024:.0f} KiB",
        f"{c.block_size} tokens in float32: {cache.nbytes / 1024:.0f} KiB",
    )
)
assert cache.numbers_per_token == 2 * c.n_layer * c.n_embd
assert cache.nbytes == c.block_size * 2 * c.n_layer * c.n_embd * 4

# %% [markdown] lang="es"
# Para un modelo grande la cuenta cambia de escala: con 32 capas, E = 4096 y float16, son
# 2 · 32 · 4096 · 2 bytes = 512 KiB **por token**; 4096 tokens de contexto, 2 GiB por
# secuencia. Por eso existen la atención con menos cabezas de clave y valor (MQA, GQA) y las
# cachés cuantizadas.
#
# ## 6. Explora
#
# Escribe un inicio y mueve los deslizadores: las barras azules son la distribución de la que
# se sacaría la muestra; el contorno gris, la del modelo; una × marca los tokens eliminados.
# (Con `top-k = 0` y `top-p = 1` no se filtra nada.)

# %% [markdown] lang="en"
# For a large model the count changes scale: with 32 layers, E = 4096 and float16, it is
# 2 · 32 · 4096 · 2 bytes = 512 KiB **per token**; 4096 tokens of context, 2 GiB per sequence.
# That is why attention with fewer key and value heads (MQA, GQA) and quantised caches exist.
#
# ## 6. Explore
#
# Write a prompt and move the sliders: the blue bars are the distribution the sample would be
# drawn from; the grey outline, the model's; an × marks the removed tokens. (With `top-k = 0`
# and `top-p = 1` nothing is filtered.)

# %%
from IPython.display import display

from attnlab.viz.interactive_gpt import decoding_explorer, generation_box

decoding_explorer(model, tok, prompt, lang=LANG)

# %% [markdown] lang="es"
# Y una caja que escribe: elige el inicio y los ajustes, y pulsa el botón.

# %% [markdown] lang="en"
# And a box that writes: choose the prompt and the settings, and press the button.

# %%
box = generation_box(model, tok, tok.decode(start[0]), lang=LANG)
box.generate()  # es: una primera vez, para ver el resultado sin pulsar | en: once, to see the result without pressing
display(box)

# %% [markdown] lang="es"
# ## 7. Ejercicios
#
# **Ejercicio 1.** Escribe `my_top_k(logits, k)`: devuelve unos logits nuevos (V,) con `-inf`
# en cada token que no está entre los `k` mayores (los empatados con el k-ésimo se quedan).

# %% [markdown] lang="en"
# ## 7. Exercises
#
# **Exercise 1.** Write `my_top_k(logits, k)`: return new logits (V,) with `-inf` for every
# token that is not among the `k` largest (those tied with the k-th stay).


# %%
def my_top_k(logits, k):
    # es: tu código aquí | en: your code here
    return None


ex.check_top_k(my_top_k)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `my_nucleus(probs, p)`: un array booleano (V,) con `True` en los
# tokens del núcleo de top-p.

# %% [markdown] lang="en"
# **Exercise 2.** Write `my_nucleus(probs, p)`: a boolean array (V,) with `True` on the tokens
# of the top-p nucleus.


# %%
def my_nucleus(probs, p):
    # es: tu código aquí | en: your code here
    return None


ex.check_nucleus(my_nucleus)

# %% [markdown] lang="es"
# **Ejercicio 3.** Escribe `my_kv_step(q, k, v, K, V)`: `q`, `k`, `v` (H, D) son la consulta,
# la clave y el valor del token nuevo; `K`, `V` (H, S, D), la caché de una capa. Devuelve
# `(out, K_nueva, V_nueva)`: la salida de la atención del token nuevo (H, D) y la caché con
# su fila añadida al final (H, S + 1, D).

# %% [markdown] lang="en"
# **Exercise 3.** Write `my_kv_step(q, k, v, K, V)`: `q`, `k`, `v` (H, D) are the new token's
# query, key and value; `K`, `V` (H, S, D), one layer's cache. Return `(out, K_new, V_new)`:
# the new token's attention output (H, D) and the cache with its row appended at the end
# (H, S + 1, D).


# %%
def my_kv_step(q, k, v, K, V):
    # es: tu código aquí | en: your code here
    return None


ex.check_kv_step(my_kv_step)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/10_decoding.py`. En la lección 11: posiciones que
# generalizan (RoPE, ALiBi).

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/10_decoding.py`. In lesson 11: positions that generalise
# (RoPE, ALiBi).
