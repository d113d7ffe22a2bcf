# %% [markdown] lang="es"
# # Lección 12 · Lo que aprenden las cabezas
#
# Hasta ahora hemos mirado mapas de atención de modelos con pesos aleatorios o de modelos
# entrenados sin saber qué hace cada cabeza. Aquí reproducimos el resultado más conocido sobre lo
# que aprenden las cabezas de atención: las **cabezas de inducción** (Olsson et al., 2022, *In-context
# Learning and Induction Heads*). Ante «... A B ... A», una cabeza de inducción mira lo que vino
# **después** de la A anterior y predice B: copia del contexto, sin haber visto nunca esa
# secuencia.
#
# **Objetivos**
# 1. Entrenar un GPT de 2 capas **solo de atención** con secuencias que repiten un tramo.
# 2. Ver el **cambio de fase**: la pérdida en las repeticiones cae de golpe.
# 3. Medir dos puntuaciones por cabeza: **token anterior** e **inducción**.
# 4. Entender el **circuito** de dos cabezas y comprobarlo **anulando** cabezas.
# 5. Aprender por qué los pesos de atención **no son explicaciones**.

# %% [markdown] lang="en"
# # Lesson 12 · What heads learn
#
# So far we have looked at attention maps of models with random weights, or of trained models
# without knowing what each head does. Here we reproduce the best-known result about what
# attention heads learn: **induction heads** (Olsson et al., 2022, *In-context Learning and
# Induction Heads*). Given "... A B ... A", an induction head looks at what came **after** the
# earlier A and predicts B: it copies from the context, without ever having seen that sequence.
#
# **Goals**
# 1. Train a 2-layer **attention-only** GPT on sequences that repeat a segment.
# 2. See the **phase change**: the loss on the repeats falls abruptly.
# 3. Measure two scores per head: **previous token** and **induction**.
# 4. Understand the two-head **circuit** and test it by **ablating** heads.
# 5. Learn why attention weights **are not explanations**.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

from attnlab import viz
from attnlab.exercises import induction as ex
from attnlab.experiments import (
    RepeatTask,
    induction_probe,
    load_induction_model,
    measure,
    repeat_batch,
    train_induction,
)
from attnlab.experiments.induction_scores import (
    induction_keys,
    previous_token_scores,
    split_losses,
)
from attnlab.experiments.induction_train import eval_batch
from attnlab.show import setup_lesson, show_source, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. La tarea: solo el contenido encuentra la copia
#
# Cada secuencia tiene T = 64 tokens de un vocabulario de V = 128: un **prefijo** aleatorio de
# P tokens (P entre 0 y 32), un **tramo** aleatorio de L tokens y el **mismo tramo otra vez**.
# Dentro de la repetición, cada token (salvo el primero) es **predecible**: es el que siguió al
# mismo token la vez anterior. Todo lo demás es aleatorio: lo mejor que se puede hacer ahí es
# adivinar, con pérdida $\ln V = \ln 128 \approx 4.85$.
#
# Dos trampas, medidas antes de diseñar la tarea:
# 1. Si la repetición empieza siempre en el mismo sitio, el modelo la resuelve con las
#    **posiciones** («mira 31 tokens atrás») y no aprende inducción. Por eso el prefijo cambia la
#    longitud del tramo y el sitio de la copia en cada secuencia.
# 2. Si el tramo se repite varias veces, un modelo puede predecir «el token del tramo que vi hace
#    más tiempo» **contando** tokens, sin cabeza de inducción. Por eso el tramo vuelve una sola vez.
#
# Abajo, tres secuencias (las posiciones se cuentan desde 0): el prefijo y el tramo cambian de
# longitud, y los primeros tokens del tramo vuelven idénticos en la repetición.

# %% [markdown] lang="en"
# ## 1. The task: only content can find the copy
#
# Each sequence has T = 64 tokens from a vocabulary of V = 128: a random **prefix** of P tokens
# (P between 0 and 32), a random **segment** of L tokens, and **the same segment again**. Inside
# the repeat, every token (but the first) is **predictable**: it is the one that followed the
# same token last time. Everything else is random: the best one can do there is guess, with
# loss $\ln V = \ln 128 \approx 4.85$.
#
# Two traps, measured before designing the task:
# 1. If the repeat always starts at the same place, the model solves it with **positions**
#    ("look 31 tokens back") and learns no induction. So the prefix changes the segment's length
#    and where the copy sits in every sequence.
# 2. If the segment comes back several times, a model can predict "the segment token I saw
#    longest ago" by **counting** tokens, with no induction head. So the segment comes back once.
#
# Below, three sequences (positions count from 0): the prefix and the segment change length, and
# the segment's first tokens come back identical in the repeat.

# %%
show_source(repeat_batch)
task = RepeatTask()
batch = repeat_batch(task, 3, 0)  # idx, targets, in_repeat: (3, T) each
for row in range(3):
    # es: la repetición empieza donde está el primer objetivo predecible | en: the repeat starts at the first predictable target
    start = int(np.argmax(batch.in_repeat[row]))
    # es: el primer token de la repetición no es predecible | en: the repeat's first token is not predictable
    L = int(batch.in_repeat[row].sum()) + 1  # es: longitud del tramo | en: segment length
    P = start - L  # es: longitud del prefijo | en: prefix length
    print(
        tr(
            f"secuencia {row}: prefijo de {P} tokens; tramo de {L} en las posiciones {P}–{start - 1}, que vuelve a empezar en la posición {start}",
            f"sequence {row}: a {P}-token prefix; a {L}-token segment at positions {P}–{start - 1}, starting again at position {start}",
        )
    )
    print("   ", tr("primera vez:", "first time:"), batch.idx[row, P : P + 8], "...")
    print("   ", tr("repetición: ", "repeat:     "), batch.idx[row, start : start + 8], "...")
print(
    tr("tokens predecibles por secuencia:", "predictable tokens per sequence:"),
    batch.in_repeat.sum(axis=1),
)

# %% [markdown] lang="es"
# ## 2. El modelo y el entrenamiento
#
# Un GPT de attnlab con `GPTConfig(attn_only=True)`: 2 capas, 4 cabezas, anchura 64, posiciones
# aprendidas y **sin MLP**, así que todo lo que hace pasa por la atención. Se entrena con AdamW
# (calentamiento y coseno, 2 000 pasos de 32 secuencias nuevas cada vez).
#
# Un detalle que decide todo: nanoGPT empieza todos los pesos con desviación típica 0.02. Entonces
# $q \cdot k \approx 0$, la atención es uniforme y el entrenamiento se queda en una meseta: en
# 2 000 pasos no se formó ninguna cabeza. Empezando la proyección de entrada de la atención
# (`c_attn`) con desviación típica 0.1, las cabezas se forman hacia el paso 400 (lo medimos: ver
# «Cabezas de inducción» en el README.es.md).
#
# Abajo entrenamos **en directo** 600 pasos (medio minuto en una máquina de dos núcleos): basta
# para ver el cambio de fase en la curva, que se dibuja mientras entrena. En modo rápido
# (`ATTNLAB_QUICK=1`) son solo 60 pasos, unos segundos: la curva se queda plana, porque el cambio
# llega mucho después. Pon `FULL_RUN = True` para el entrenamiento completo de 2 000 pasos (un
# minuto o dos); si no, el resto de la lección usa el modelo ya entrenado que trae attnlab, ese
# mismo entrenamiento completo con la semilla 0.

# %% [markdown] lang="en"
# ## 2. The model and the training
#
# An attnlab GPT with `GPTConfig(attn_only=True)`: 2 layers, 4 heads, width 64, learned
# positions and **no MLP**, so everything it does goes through attention. It trains with AdamW
# (warmup and cosine, 2,000 steps of 32 fresh sequences each).
#
# One detail decides everything: nanoGPT starts every weight with std 0.02. Then
# $q \cdot k \approx 0$, attention is uniform and training sits on a plateau: in 2,000 steps no
# head formed. Starting the attention's input projection (`c_attn`) with std 0.1, the heads form
# around step 400 (we measured it: see "Induction heads" in README.md).
#
# Below we train **live** for 600 steps (half a minute on a two-core machine): enough to see the
# phase change in the curve, drawn while it trains. In quick mode (`ATTNLAB_QUICK=1`) it is only
# 60 steps, a few seconds: the curve stays flat, because the change comes much later. Set
# `FULL_RUN = True` for the full 2,000-step training (a minute or two); otherwise the rest of the
# lesson uses the trained model shipped with attnlab, that same full training with seed 0.

# %%
FULL_RUN = False
steps = 2000 if FULL_RUN else (60 if QUICK else 600)
live = viz.LivePhaseChange(task.vocab_size, lang=LANG)
model, history = train_induction(0, steps=steps, eval_every=20 if QUICK else 50, callback=live)
print(
    tr(
        f"{steps} pasos en {history.seconds:.0f} s; pérdida en repeticiones {history.loss_repeat[-1]:.2f}",
        f"{steps} steps in {history.seconds:.0f} s; in-repeat loss {history.loss_repeat[-1]:.2f}",
    )
)
if not FULL_RUN:
    model, record = load_induction_model()
    print(
        tr(
            "A partir de aquí: el modelo entrenado que trae attnlab.",
            "From here on: the trained model shipped with attnlab.",
        )
    )

# %% [markdown] lang="es"
# ## 3. El cambio de fase
#
# Estas son las curvas del entrenamiento completo del modelo que trae attnlab. La pérdida en los
# tokens aleatorios se queda en $\ln V$ (no hay nada que aprender ahí). La pérdida en las
# repeticiones baja despacio (el modelo aprende que los tokens ya vistos son más probables) y
# luego **cae de golpe**: ese es el cambio de fase. A la derecha, las puntuaciones de atención de
# cada cabeza (las definimos en la sección 4): la de inducción salta **a la vez** que cae la
# pérdida; la de token anterior empieza a subir en el mismo momento, pero más despacio. La celda
# escribe también los números de la caída.
#
# El cambio de fase no está garantizado. Con la semilla 2, el mismo entrenamiento no forma
# ninguna cabeza de inducción: la pérdida en las repeticiones baja despacio por otro camino que
# nuestras puntuaciones no describen (1.88 tras 2 000 pasos). En 6 de 7 semillas las cabezas se
# forman hacia el paso 400–500. Un resultado que depende de la semilla se comprueba con varias.

# %% [markdown] lang="en"
# ## 3. The phase change
#
# These are the curves of the full training of the model shipped with attnlab. The loss on the
# random tokens stays at $\ln V$ (there is nothing to learn there). The loss on the repeats goes
# down slowly (the model learns that tokens already seen are more likely) and then **falls
# abruptly**: that is the phase change. On the right, every head's attention scores (defined in
# section 4): the induction score jumps **at the same time** as the loss falls; the
# previous-token score starts rising at the same moment, but more slowly. The cell also prints
# the numbers of the fall.
#
# The phase change is not guaranteed. With seed 2, the same training forms no induction head:
# the in-repeat loss goes down slowly by another route our scores do not describe (1.88 after
# 2,000 steps). In 6 of 7 seeds the heads form around step 400–500. A result that depends on
# the seed is checked on several.

# %%
if FULL_RUN:
    record = {"history": history.as_dict(), "seed": 0}
fig = viz.phase_change(
    record["history"], vocab_size=task.vocab_size, seed=record["seed"], lang=LANG
)
hist = record["history"]
evals, loss = np.array(hist["eval_steps"]), np.array(hist["loss_repeat"])  # (E,) each
# es: la mejor cabeza de la última capa y la mejor de la capa 0 | en: the best head of the last layer and of layer 0
best_ind = np.array(hist["induction"])[:, -1].max(axis=1)  # (E,)
best_prev = np.array(hist["previous_token"])[:, 0].max(axis=1)  # (E,)
# es: la mayor caída entre dos evaluaciones seguidas | en: the largest fall between two evaluations
k = int(np.argmax(-np.diff(loss)))
print(
    tr(
        f"la caída más rápida: del paso {evals[k]} al {evals[k + 1]}, pérdida en repeticiones {loss[k]:.2f} → {loss[k + 1]:.2f}",
        f"the steepest fall: from step {evals[k]} to {evals[k + 1]}, in-repeat loss {loss[k]:.2f} → {loss[k + 1]:.2f}",
    )
)
print(
    tr(
        f"  mejor puntuación de inducción (capa 1): {best_ind[k]:.2f} → {best_ind[k + 1]:.2f}",
        f"  best induction score (layer 1): {best_ind[k]:.2f} → {best_ind[k + 1]:.2f}",
    )
)
crossed = evals[best_prev >= 0.5]  # es: pasos en que supera 0.5 | en: steps where it is above 0.5
crossed = crossed[0] if len(crossed) else "—"
print(
    tr(
        f"  mejor puntuación de token anterior (capa 0): {best_prev[k]:.2f} → {best_prev[k + 1]:.2f}; pasa de 0.5 en el paso {crossed}",
        f"  best previous-token score (layer 0): {best_prev[k]:.2f} → {best_prev[k + 1]:.2f}; it crosses 0.5 at step {crossed}",
    )
)
print(
    tr(
        f"  paso {evals[-1]}: pérdida en repeticiones {loss[-1]:.3f}",
        f"  step {evals[-1]}: in-repeat loss {loss[-1]:.3f}",
    )
)

# %% [markdown] lang="es"
# ## 4. Dos puntuaciones por cabeza
#
# - **Token anterior**: el peso medio de la consulta $t$ sobre la clave $t-1$ (la subdiagonal del
#   mapa). Una cabeza que siempre mira al token anterior puntúa 1.
# - **Inducción**: dentro de una repetición, el peso total de la consulta $t$ sobre las claves
#   **justo después** de las apariciones anteriores de su token ($j + 1$ con $x_j = x_t$, $j < t$).
#   Una cabeza de inducción perfecta puntúa 1.

# %% [markdown] lang="en"
# ## 4. Two scores per head
#
# - **Previous token**: the mean weight of query $t$ on key $t-1$ (the map's sub-diagonal). A head
#   that always looks at the previous token scores 1.
# - **Induction**: inside a repeat, the total weight of query $t$ on the keys **right after** the
#   earlier occurrences of its token ($j + 1$ with $x_j = x_t$, $j < t$). A perfect induction
#   head scores 1.

# %%
show_source(previous_token_scores)
show_source(induction_keys)
# es: 128 secuencias que el modelo nunca vio al entrenar | en: 128 sequences the model never trained on
probe = eval_batch(task)
m = measure(model, probe)
prev, ind = np.array(m["previous_token"]), np.array(m["induction"])  # (L, H) each
print(tr("capa.cabeza  token anterior  inducción", "layer.head  previous token  induction"))
for layer in range(2):
    for head in range(4):
        print(f"   {layer}.{head}        {prev[layer, head]:.2f}           {ind[layer, head]:.2f}")
print(
    tr(
        f"pérdida en repeticiones {m['loss_repeat']:.3f}, en el resto {m['loss_other']:.3f} (ln V = {np.log(task.vocab_size):.3f})",
        f"in-repeat loss {m['loss_repeat']:.3f}, other tokens {m['loss_other']:.3f} (ln V = {np.log(task.vocab_size):.3f})",
    )
)

# %% [markdown] lang="es"
# Cómo leer la tabla (`capa.cabeza`: 1.2 es la cabeza 2 de la capa 1; los números son los del modelo
# que trae attnlab): en la capa 0, las cabezas 0 y 3 son **cabezas del token anterior** (0.70 y
# 0.54; la 2, con 0.27, lo es a medias); en la capa 1, **las cuatro** son **cabezas de inducción**
# (de 0.78 a 0.93). Nadie le dijo al modelo que hiciera esto: salió de entrenar. Y hay más de una
# cabeza de cada tipo: lo veremos otra vez al anularlas. La pérdida en las repeticiones (0.086) está
# muy por debajo de $\ln V$; la del resto se queda en $\ln V$: el modelo copia del contexto y no
# sabe nada más.

# %% [markdown] lang="en"
# How to read the table (`layer.head`: 1.2 is head 2 of layer 1; the numbers are those of the model
# shipped with attnlab): in layer 0, heads 0 and 3 are **previous-token heads** (0.70 and 0.54; head
# 2, at 0.27, is one halfway); in layer 1, **all four** are **induction heads** (0.78 to 0.93).
# Nobody told the model to do this: it came out of training. And there is more than one head of each
# kind: we will see it again when we ablate them. The in-repeat loss (0.086) is far below $\ln V$;
# the others' stays at $\ln V$: the model copies from the context and knows nothing else.

# %% [markdown] lang="es"
# ## 5. El circuito
#
# Una sola capa no puede hacer inducción: la clave de la posición $j+1$ solo sabe qué token hay
# en $j+1$, no cuál había antes. Hacen falta dos cabezas en dos capas:
#
# 1. En la capa 0, una **cabeza del token anterior** copia en el flujo residual de cada posición
#    el token que la precede: la posición $j+1$ pasa a llevar escrito «vengo después de $x_j$».
# 2. En la capa 1, la **cabeza de inducción** busca con la consulta «mi token es $x_t$» y
#    encuentra la clave que dice «vengo después de $x_t$»: la posición $j+1$. Su valor es el
#    token $x_{j+1}$, justo lo que hay que predecir.
#
# En los mapas, sobre una secuencia con un tramo repetido (barras: primera vez y repetición): la
# cabeza del token anterior es una subdiagonal; la de inducción, una diagonal desplazada que
# aparece solo en las filas de la repetición y apunta una posición a la derecha de la primera vez.

# %% [markdown] lang="en"
# ## 5. The circuit
#
# One layer cannot do induction: the key at position $j+1$ only knows which token is at $j+1$,
# not which one came before. It takes two heads in two layers:
#
# 1. In layer 0, a **previous-token head** copies into each position's residual stream the token
#    before it: position $j+1$ now carries "I come after $x_j$".
# 2. In layer 1, the **induction head** searches with the query "my token is $x_t$" and finds
#    the key that says "I come after $x_t$": position $j+1$. Its value is the token $x_{j+1}$,
#    exactly what must be predicted.
#
# In the maps, on a sequence with a repeated segment (bars: first time and repeat): the
# previous-token head is a sub-diagonal; the induction head, a shifted diagonal that appears only
# in the repeat's rows and points one position to the right of the first time.

# %%
p = induction_probe()
fig = viz.induction_heads_grid(p.maps, p.spans, prev, ind, seed=0, n_eval=len(probe.idx), lang=LANG)

# %% [markdown] lang="es"
# ## 6. Anular cabezas
#
# Los mapas dicen **dónde** lee una cabeza, no **si el modelo lo necesita**. Para eso anulamos
# una cabeza (multiplicamos su salida por 0 con `head_mask`) y medimos otra vez la pérdida en las
# repeticiones.

# %% [markdown] lang="en"
# ## 6. Ablating heads
#
# The maps say **where** a head reads, not **whether the model needs it**. For that we ablate a
# head (multiply its output by 0 with `head_mask`) and measure the in-repeat loss again.

# %%
base = split_losses(model, probe)[0]
# es: pérdida en repeticiones con esa cabeza a 0 | en: in-repeat loss with that head zeroed
ablated = np.array(m["ablation"])  # (L, H)
print(
    tr(
        f"pérdida en repeticiones sin anular nada: {base:.3f}",
        f"in-repeat loss with nothing ablated: {base:.3f}",
    )
)
for layer in range(2):
    print(
        tr(f"  capa {layer}, cada cabeza anulada:", f"  layer {layer}, each head ablated:"),
        "  ".join(f"{v:.3f}" for v in ablated[layer]),
    )
# es: las cabezas de un tipo con puntuación >= 0.5, anuladas juntas | en: the heads of one kind scoring >= 0.5, zeroed together
group = m["ablation_group"]
for kind, layer, scores, es, en in (
    ("previous_token", 0, prev, "de token anterior", "previous-token"),
    ("induction", 1, ind, "de inducción", "induction"),
):
    heads = ", ".join(f"{layer}.{h}" for h in range(4) if scores[layer, h] >= 0.5) or "—"
    value = "—" if group[kind] is None else f"{group[kind]:.3f}"
    print(
        tr(
            f"  las cabezas {es} (puntuación >= 0.5: {heads}) anuladas juntas: {value}",
            f"  the {en} heads (score >= 0.5: {heads}) ablated together: {value}",
        )
    )
print(
    tr("  capas enteras anuladas (capa 0, capa 1):", "  whole layers ablated (layer 0, layer 1):"),
    "  ".join(f"{v:.3f}" for v in m["ablation_layer"]),
)

# %% [markdown] lang="es"
# Lo que dicen estos números (los del modelo que trae attnlab):
#
# - Anular **una** cabeza cuesta poco: la pérdida sube de 0.086 a 0.315 como mucho, porque las
#   demás hacen el mismo trabajo. Anular la 1.2 incluso la **baja** (0.064).
# - Anular **todas** las de un tipo sí rompe el circuito: 1.867 sin las cabezas del token anterior
#   y 6.659 sin las de inducción. Eso está por encima de $\ln V = 4.85$, peor que adivinar al
#   azar: el modelo sigue apostando por tokens concretos, ahora equivocados. (Aquí las cuatro
#   cabezas de la capa 1 son de inducción: anularlas es anular la capa entera.)
# - La puntuación no ordena la importancia: anular la cabeza 0.2 (token anterior 0.27) cuesta casi
#   lo mismo que anular la 0.0 (0.70), 0.286 frente a 0.315, y la 0.3 (0.54) cuesta menos que las
#   dos, 0.160.

# %% [markdown] lang="en"
# What these numbers say (those of the model shipped with attnlab):
#
# - Ablating **one** head costs little: the loss goes from 0.086 to 0.315 at most, because the
#   others do the same job. Ablating head 1.2 even **lowers** it (0.064).
# - Ablating **every** head of a kind does break the circuit: 1.867 without the previous-token
#   heads and 6.659 without the induction heads. That is above $\ln V = 4.85$, worse than guessing
#   at random: the model still bets on particular tokens, now the wrong ones. (Here all four
#   layer-1 heads are induction heads: ablating them is ablating the whole layer.)
# - The score does not rank importance: ablating head 0.2 (previous-token 0.27) costs almost as
#   much as ablating head 0.0 (0.70), 0.286 against 0.315, and head 0.3 (0.54) costs less than
#   both, 0.160.

# %% [markdown] lang="es"
# ## 7. Cuidado: los pesos de atención no son explicaciones
#
# Es tentador leer un mapa como «el modelo decidió por esto». Hay que resistirse:
#
# - Un peso alto dice que la cabeza **lee** esa posición, no qué hace con lo que lee: el valor
#   pasa por $W_V$ y $W_O$, y otra cabeza puede deshacerlo.
# - Pesos distintos pueden dar la misma salida, y pesos parecidos salidas distintas (Jain y
#   Wallace, 2019; Wiegreffe y Pinter, 2019).
# - Aquí varias cabezas hacen casi lo mismo: anular una sube la pérdida menos de lo que su mapa
#   sugeriría, porque las otras la cubren (sección 6), y su puntuación no dice cuánto la necesita
#   el modelo. Anular (una intervención) es una prueba más fuerte que mirar, pero también tiene
#   trampas: un 0 es una entrada que el modelo nunca vio al entrenar.
#
# Las puntuaciones resumen mapas sobre muchas secuencias; las anulaciones dicen qué necesita el
# modelo. Juntas cuentan una historia mucho más fiable que un mapa bonito.

# %% [markdown] lang="en"
# ## 7. Careful: attention weights are not explanations
#
# It is tempting to read a map as "the model decided because of this". Resist:
#
# - A high weight says the head **reads** that position, not what it does with what it reads:
#   the value goes through $W_V$ and $W_O$, and another head may undo it.
# - Different weights can give the same output, and similar weights different outputs (Jain
#   and Wallace, 2019; Wiegreffe and Pinter, 2019).
# - Here several heads do almost the same thing: ablating one raises the loss less than its map
#   would suggest, because the others cover for it (section 6), and its score does not say how
#   much the model needs it. Ablation (an intervention) is a stronger test than looking, but it
#   has traps too: a 0 is an input the model never saw in training.
#
# Scores summarise maps over many sequences; ablations say what the model needs. Together they
# tell a much more reliable story than a pretty map.

# %% [markdown] lang="es"
# ## 8. Ejercicios
#
# **Ejercicio 1.** Escribe `my_previous_token_score(w)`: a partir de pesos (B, H, T, T), la
# puntuación de token anterior de cada cabeza, (H,).

# %% [markdown] lang="en"
# ## 8. Exercises
#
# **Exercise 1.** Write `my_previous_token_score(w)`: from weights (B, H, T, T), each head's
# previous-token score, (H,).


# %%
def my_previous_token_score(w):
    # es: tu código aquí | en: your code here
    return None


ex.check_previous_token_score(my_previous_token_score)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `my_induction_keys(idx)`: para los tokens `idx` (T,), una máscara
# booleana (T, T) que marca, para cada consulta $t$, las claves $j + 1$ con $j < t$ e
# `idx[j] == idx[t]`.

# %% [markdown] lang="en"
# **Exercise 2.** Write `my_induction_keys(idx)`: for tokens `idx` (T,), a boolean (T, T) mask
# marking, for each query $t$, the keys $j + 1$ with $j < t$ and `idx[j] == idx[t]`.


# %%
def my_induction_keys(idx):
    # es: tu código aquí | en: your code here
    return None


ex.check_induction_keys(my_induction_keys)

# %% [markdown] lang="es"
# **Ejercicio 3.** Escribe `my_ablated_loss(model, batch, layer, head)`: la pérdida media en las
# repeticiones (`batch.in_repeat`) con la salida de esa cabeza a 0. Pista: `model(batch.idx,
# head_mask=...)` devuelve el par `(logits, loss)` (sin objetivos, `loss` es `None`);
# `token_losses(logits, batch.targets)` da la pérdida de cada token, (B, T).

# %% [markdown] lang="en"
# **Exercise 3.** Write `my_ablated_loss(model, batch, layer, head)`: the mean loss on the
# repeats (`batch.in_repeat`) with that head's output set to 0. Hint: `model(batch.idx,
# head_mask=...)` returns the pair `(logits, loss)` (without targets, the loss is `None`);
# `token_losses(logits, batch.targets)` gives each token's loss, (B, T).


# %%
from attnlab.experiments.induction_scores import token_losses  # noqa: F401


def my_ablated_loss(model, batch, layer, head):
    # es: tu código aquí | en: your code here
    return None


ex.check_ablation(my_ablated_loss, model)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/12_induction_heads.py`. Para seguir: entrena con
# `RepeatTask(max_prefix=0)` (la primera trampa) o `RepeatTask(copies=2)` (la segunda) y mira
# qué pasa con las puntuaciones; o anula dos o tres cabezas de inducción a la vez: ¿cuántas
# hacen falta para que la pérdida suba de verdad?

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/12_induction_heads.py`. To go further: train with
# `RepeatTask(max_prefix=0)` (the first trap) or `RepeatTask(copies=2)` (the second) and watch
# what happens to the scores; or ablate two or three induction heads at once: how many does it
# take for the loss to really go up?
