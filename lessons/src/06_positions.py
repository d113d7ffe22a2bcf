# %% [markdown] lang="es"
# # Lección 06 · Codificación posicional
#
# «El perro muerde al gato» y «el gato muerde al perro» tienen las mismas palabras. Para la
# atención, sin más información, son **lo mismo en otro orden**: la atención no sabe dónde está
# cada palabra. Hay que decírselo sumando una **codificación posicional**.
#
# **Objetivos**
# 1. Comprobar que la atención sin posiciones es **equivariante a permutaciones**.
# 2. Construir y explorar la tabla **sinusoidal**, y su propiedad clave: pasar de la posición
#    $p$ a la $p + k$ es una **rotación** fija.
# 3. Ver qué distingue (la distancia) y qué no (antes o después) el producto escalar de dos
#    posiciones, y qué cambia con las proyecciones aprendidas $W_Q$, $W_K$.
# 4. Ver qué aprende una tabla **aprendible** al entrenar.

# %% [markdown] lang="en"
# # Lesson 06 · Positional encodings
#
# "The dog bites the cat" and "the cat bites the dog" have the same words. For attention,
# without more information, they are **the same thing in another order**: attention does not
# know where each word is. We must tell it by adding a **positional encoding**.
#
# **Goals**
# 1. Check that attention without positions is **permutation equivariant**.
# 2. Build and explore the **sinusoidal** table, and its key property: going from position
#    $p$ to $p + k$ is a fixed **rotation**.
# 3. See what the dot product of two positions tells apart (distance) and what it does not
#    (before or after), and what changes with the learned projections $W_Q$, $W_K$.
# 4. See what a **learnable** table learns during training.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab import viz
from attnlab.experiments import train_learnable_positions
from attnlab.nn import LearnablePositionalEncoding, MultiHeadAttention, SinusoidalPositionalEncoding
from attnlab.show import parity, setup_lesson, show_source, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. Sin posiciones, el orden no existe
#
# Si desordenamos las palabras de la entrada con una permutación $P$, la salida de la
# autoatención sale **desordenada de la misma manera**: $\mathrm{Atn}(PX) = P\,\mathrm{Atn}(X)$.
# Cada palabra recibe exactamente el mismo resultado que antes, solo que en otro sitio.

# %% [markdown] lang="en"
# ## 1. Without positions, order does not exist
#
# If we shuffle the input words with a permutation $P$, the self-attention output comes out
# **shuffled the same way**: $\mathrm{Attn}(PX) = P\,\mathrm{Attn}(X)$. Each word gets exactly
# the same result as before, only somewhere else.

# %%
rng = np.random.default_rng(0)
T, E = 6, 16
x = rng.standard_normal((1, T, E))  # (B, T, E)
perm = np.array([3, 0, 5, 1, 4, 2])
mha = MultiHeadAttention(E, 2, rng=0)
out, _ = mha(x)
out_perm, _ = mha(x[:, perm])
gap = np.abs(out_perm - out[:, perm]).max()
print(tr("máx |Atn(PX) - P Atn(X)| =", "max |Attn(PX) - P Attn(X)| ="), f"{gap:.1e}")
assert gap < 1e-12

# %% [markdown] lang="es"
# Una diferencia de ~1e-16 es redondeo: **son iguales**. (Con la máscara causal ya no ocurre,
# porque la máscara sí depende de la posición; pero un codificador como BERT, o las capas de
# TLOB, no llevan máscara.)
#
# ## 2. La tabla sinusoidal
#
# $$PE_{p,\,2i} = \sin\!\left(\frac{p}{10000^{2i/E}}\right), \qquad
#   PE_{p,\,2i+1} = \cos\!\left(\frac{p}{10000^{2i/E}}\right)$$
#
# Cada pareja de columnas es un «reloj» que gira a su propia velocidad: las primeras columnas
# giran rápido (distinguen posiciones vecinas) y las últimas, muy despacio (distinguen
# posiciones lejanas). Como en un reloj con segundero, minutero y horario.

# %% [markdown] lang="en"
# A difference of ~1e-16 is rounding: **they are equal**. (With the causal mask this no longer
# holds, because the mask does depend on position; but an encoder like BERT, or TLOB's layers,
# use no mask.)
#
# ## 2. The sinusoidal table
#
# $$PE_{p,\,2i} = \sin\!\left(\frac{p}{10000^{2i/E}}\right), \qquad
#   PE_{p,\,2i+1} = \cos\!\left(\frac{p}{10000^{2i/E}}\right)$$
#
# Each pair of columns is a "clock" turning at its own speed: the first columns turn fast (they
# tell neighbouring positions apart) and the last ones very slowly (they tell distant positions
# apart). Like a clock with second, minute and hour hands.

# %%
show_source(attnlab.sinusoidal_encoding)
fig = viz.sinusoidal_table(64, 64, lang=LANG)

# %% [markdown] lang="es"
# **La propiedad clave: una rotación.** Llama $\omega_i = 1/10000^{2i/E}$ a la frecuencia de la
# pareja $i$. Por las fórmulas del seno y el coseno de una suma,
#
# $$\begin{pmatrix} \sin \omega_i (p+k) \\ \cos \omega_i (p+k) \end{pmatrix}
#   = \begin{pmatrix} \cos \omega_i k & \sin \omega_i k \\ -\sin \omega_i k & \cos \omega_i k \end{pmatrix}
#     \begin{pmatrix} \sin \omega_i p \\ \cos \omega_i p \end{pmatrix}$$
#
# Cada pareja gira un ángulo $\omega_i k$ que depende de $k$ pero **no de $p$**. Juntando las
# $E/2$ rotaciones en una matriz diagonal por bloques $M_k$ (E × E), $PE_{p+k} = M_k\, PE_p$
# para **toda** posición $p$: avanzar $k$ posiciones es siempre la misma operación lineal.
# Construyámosla y comprobémoslo:

# %% [markdown] lang="en"
# **The key property: a rotation.** Call $\omega_i = 1/10000^{2i/E}$ the frequency of pair $i$.
# By the formulas for the sine and cosine of a sum,
#
# $$\begin{pmatrix} \sin \omega_i (p+k) \\ \cos \omega_i (p+k) \end{pmatrix}
#   = \begin{pmatrix} \cos \omega_i k & \sin \omega_i k \\ -\sin \omega_i k & \cos \omega_i k \end{pmatrix}
#     \begin{pmatrix} \sin \omega_i p \\ \cos \omega_i p \end{pmatrix}$$
#
# Each pair turns by an angle $\omega_i k$ that depends on $k$ but **not on $p$**. Putting the
# $E/2$ rotations together in a block-diagonal matrix $M_k$ (E × E), $PE_{p+k} = M_k\, PE_p$
# for **every** position $p$: moving $k$ positions ahead is always the same linear map. Let us
# build it and check:

# %%
table = attnlab.sinusoidal_encoding(64, 64)  # (T, E)
E_pe = table.shape[1]
omega = 10000.0 ** (-np.arange(0, E_pe, 2) / E_pe)  # (E/2,) one frequency per pair


def rotation(k):
    # es: M_k: un bloque de rotación 2 x 2 por pareja (sin, cos) | en: M_k: one 2 x 2 rotation block per (sin, cos) pair
    M = np.zeros((E_pe, E_pe))  # (E, E)
    c, s_ = np.cos(omega * k), np.sin(omega * k)  # (E/2,) each
    M[0::2, 0::2] = np.diag(c)  # es: fila sin, columna sin | en: sin row, sin column
    M[0::2, 1::2] = np.diag(s_)  # es: fila sin, columna cos | en: sin row, cos column
    M[1::2, 0::2] = np.diag(-s_)
    M[1::2, 1::2] = np.diag(c)
    return M


k_shift = 5
M5 = rotation(k_shift)
moved = table[:-k_shift] @ M5.T  # (T - k, E): M_k PE_p for every p at once
print(
    tr(
        "máx |PE[p+5] - M_5 PE[p]| en todas las posiciones:",
        "max |PE[p+5] - M_5 PE[p]| over every position:",
    ),
    f"{np.abs(table[k_shift:] - moved).max():.1e}",
)
assert np.allclose(table[k_shift:], moved, atol=1e-12)
# es: es una rotación: M Mᵀ = I | en: it is a rotation: M Mᵀ = I
assert np.allclose(M5 @ M5.T, np.eye(E_pe))

# %% [markdown] lang="es"
# **Qué ve el producto escalar.** Como las rotaciones conservan los productos escalares,
# $PE_p \cdot PE_{p+k} = \sum_i \cos(\omega_i k)$: depende **solo de la distancia** $k$. La
# posición 32 se parece a la 30 tanto como la 2 a la 0. Pero el coseno es par,
# $\cos(-\omega k) = \cos(\omega k)$: la posición 30 se parece **igual** a la 28 (dos antes) que
# a la 32 (dos después). Con el producto escalar de las posiciones solas, la atención no puede
# distinguir **antes** de **después**.
#
# **Las proyecciones lo cambian.** La atención no compara $PE_p$ con $PE_{p'}$ directamente,
# sino sus proyecciones: la puntuación es $(PE_p W_Q)(PE_{p'} W_K)^\top = PE_p\, A\, PE_{p'}^\top$
# con $A = W_Q W_K^\top$. Para una $A$ cualquiera ya no depende solo de la distancia, y tampoco
# es simétrica: la propiedad de «solo la distancia» se rompe. Y eso es bueno: gracias a la
# rotación, una $A$ aprendida puede mirar «$k$ posiciones antes» (p. ej. con bloques como los de
# $M_k$), algo que el producto escalar puro no sabía hacer. Con unas $W_Q$, $W_K$ aleatorias:

# %% [markdown] lang="en"
# **What the dot product sees.** Since rotations preserve dot products,
# $PE_p \cdot PE_{p+k} = \sum_i \cos(\omega_i k)$: it depends **only on the distance** $k$.
# Position 32 resembles 30 as much as 2 resembles 0. But cosine is even,
# $\cos(-\omega k) = \cos(\omega k)$: position 30 resembles 28 (two before) **exactly as much**
# as 32 (two after). With the dot product of the positions alone, attention cannot tell
# **before** from **after**.
#
# **The projections change that.** Attention does not compare $PE_p$ with $PE_{p'}$ directly,
# but their projections: the score is $(PE_p W_Q)(PE_{p'} W_K)^\top = PE_p\, A\, PE_{p'}^\top$
# with $A = W_Q W_K^\top$. For an arbitrary $A$ it no longer depends on the distance alone, and
# it is not symmetric either: the "distance only" property breaks. And that is good: thanks to
# the rotation, a learned $A$ can look "$k$ positions back" (e.g. with blocks like those of
# $M_k$), something the plain dot product could not do. With random $W_Q$, $W_K$:

# %%
dot = table @ table.T  # (T, T) PE_p · PE_p'
print(f"PE[0]·PE[2]   = {dot[0, 2]:.6f}   PE[30]·PE[32] = {dot[30, 32]:.6f}")
print(f"PE[30]·PE[28] = {dot[30, 28]:.6f}   {tr('(dos antes: igual)', '(two before: the same)')}")
assert np.isclose(dot[0, 2], dot[30, 32]) and np.isclose(dot[30, 28], dot[30, 32])
fig = viz.position_similarity(64, 64, lang=LANG)

rng_w = np.random.default_rng(1)
W_Q, W_K = rng_w.standard_normal((2, E_pe, 16)) / np.sqrt(E_pe)  # (E, D) each
scores_pos = (table @ W_Q) @ (table @ W_K).T  # (T, T) = PE A PEᵀ, A = W_Q W_Kᵀ
print(
    f"{tr('con W_Q W_Kᵀ', 'with W_Q W_Kᵀ')}: s(0, 2) = {scores_pos[0, 2]:.3f}   "
    f"s(30, 32) = {scores_pos[30, 32]:.3f}   s(30, 28) = {scores_pos[30, 28]:.3f}"
)
assert not np.isclose(scores_pos[0, 2], scores_pos[30, 32])

# %% [markdown] lang="es"
# Explora la tabla: elige una posición y una dimensión. A la izquierda, esa dimensión a lo largo
# de todas las posiciones (un «reloj»); a la derecha, el parecido de tu posición con todas las
# demás.

# %% [markdown] lang="en"
# Explore the table: pick a position and a dimension. On the left, that dimension across every
# position (a "clock"); on the right, how similar your position is to every other one.

# %%
from attnlab.interactive import position_state
from attnlab.viz.interactive import position_explorer

state = position_state(table, position=10, dim=0)
print(tr("dimensión 0, posiciones 0-4:", "dimension 0, positions 0-4:"), state.column[:5])
position_explorer(table, lang=LANG)

# %% [markdown] lang="es"
# ## 3. Con posiciones, el orden importa
#
# Sumamos la tabla a la entrada (`SinusoidalPositionalEncoding`) y repetimos el experimento de
# la sección 1: ahora desordenar la entrada **cambia** lo que recibe cada palabra.

# %% [markdown] lang="en"
# ## 3. With positions, order matters
#
# We add the table to the input (`SinusoidalPositionalEncoding`) and repeat the experiment of
# section 1: now shuffling the input **changes** what each word receives.

# %%
pe = SinusoidalPositionalEncoding(T, E)
out, _ = mha(pe(x))
out_perm, _ = mha(pe(x[:, perm]))
gap = np.abs(out_perm - out[:, perm]).max()
print(
    tr("máx |Atn(PX + PE) - P Atn(X + PE)| =", "max |Attn(PX + PE) - P Attn(X + PE)| ="),
    f"{gap:.2f}",
)
assert gap > 1e-3  # es: ya no son iguales | en: no longer equal

# %% [markdown] lang="es"
# La atención que acabamos de usar es la misma que la de torch, también con las posiciones
# sumadas a la entrada (salida, pesos y todos los gradientes):

# %% [markdown] lang="en"
# The attention we just used is the same as torch's, also with the positions added to the
# input (output, weights and every gradient):

# %%
from attnlab.reference import compare_multi_head_attention

report = parity("multi_head_attention", compare_multi_head_attention, mha, pe(x))
assert report.passed()

# %% [markdown] lang="es"
# ## 4. Una tabla aprendible
#
# En lugar de fijar la tabla, podemos tratarla como un parámetro (T, E) más y dejar que el
# entrenamiento la ajuste (`LearnablePositionalEncoding`; TLOB la llama `pos_encoder`). Empieza
# con ruido pequeño y recibe su gradiente como cualquier otro peso.
#
# El experimento de `attnlab.experiments.train_learnable_positions`: una cabeza causal debe
# **copiar la palabra anterior**. Las palabras son aleatorias, así que la única forma de
# encontrar «la anterior» es por su posición. Veamos qué aprende la tabla.

# %% [markdown] lang="en"
# ## 4. A learnable table
#
# Instead of fixing the table, we can treat it as one more (T, E) parameter and let training
# adjust it (`LearnablePositionalEncoding`; TLOB calls it `pos_encoder`). It starts as small
# noise and gets its gradient like any other weight.
#
# The experiment in `attnlab.experiments.train_learnable_positions`: a causal head must **copy
# the previous word**. Words are random, so the only way to find "the previous one" is by its
# position. Let us see what the table learns.

# %%
show_source(LearnablePositionalEncoding)
steps = 150 if QUICK else 400
result = train_learnable_positions(steps=steps)
print(
    tr(
        f"pérdida: {result.losses[0]:.3f} al principio → {result.losses[-1]:.3f} tras {steps} pasos",
        f"loss: {result.losses[0]:.3f} at the start → {result.losses[-1]:.3f} after {steps} steps",
    )
)
fig = viz.learnable_positions(result, lang=LANG)

# %% [markdown] lang="es"
# Antes de entrenar, la tabla es ruido y la atención se reparte sin criterio. Después, la
# atención se concentra en la **subdiagonal** (cada posición mira a la anterior) y la similitud
# entre filas de la tabla deja de ser ruido: aparecen bandas paralelas a la diagonal, es decir,
# una relación que depende de la **distancia** entre posiciones. El entrenamiento ha
# **inventado** una noción de posición, la justa para encontrar «la anterior».
#
# ## 5. Ejercicios
#
# **Ejercicio 1.** Escribe `my_sinusoidal(T, E)`: la tabla sinusoidal (T, E).

# %% [markdown] lang="en"
# Before training, the table is noise and attention is spread without a pattern. After, the
# attention concentrates on the **subdiagonal** (each position looks at the previous one) and the
# similarity between the table's rows is no longer noise: bands parallel to the diagonal appear,
# that is, a relation that depends on the **distance** between positions. Training has
# **invented** a notion of position, just what it needs to find "the previous one".
#
# ## 5. Exercises
#
# **Exercise 1.** Write `my_sinusoidal(T, E)`: the (T, E) sinusoidal table.


# %%
def my_sinusoidal(T, E):
    # es: tu código aquí | en: your code here
    return None


ex.check_sinusoidal(my_sinusoidal)

# %% [markdown] lang="es"
# **Ejercicio 2.** Si `y = out[perm]` es una salida desordenada con la permutación `perm`,
# escribe `unpermute(y, perm)`, que la devuelve a su orden original. (Así se comprueba la
# equivariancia a mano.)

# %% [markdown] lang="en"
# **Exercise 2.** If `y = out[perm]` is an output shuffled with the permutation `perm`, write
# `unpermute(y, perm)`, which puts it back in its original order. (That is how equivariance is
# checked by hand.)


# %%
def unpermute(y, perm):
    # es: tu código aquí | en: your code here
    return None


ex.check_unpermute(unpermute)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/06_positions.py`. Ya tenemos todas las piezas: en la
# lección 07 las montamos en TLOB.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/06_positions.py`. We now have every piece: in lesson 07 we
# assemble them into TLOB.
