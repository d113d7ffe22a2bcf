# %% [markdown] lang="es"
# # Lección 06 · Codificación posicional
#
# «El gato come pescado» y «el pescado come gato» tienen las mismas palabras. Para la atención,
# sin más información, son **lo mismo en otro orden**: la atención no sabe dónde está cada
# palabra. Hay que decírselo sumando una **codificación posicional**.
#
# **Objetivos**
# 1. Comprobar que la atención sin posiciones es **equivariante a permutaciones**.
# 2. Construir y explorar la tabla **sinusoidal**.
# 3. Ver qué aprende una tabla **aprendible** al entrenar.

# %% [markdown] lang="en"
# # Lesson 06 · Positional encodings
#
# "The cat eats the fish" and "the fish eats the cat" have the same words. For attention,
# without more information, they are **the same thing in another order**: attention does not
# know where each word is. We must tell it by adding a **positional encoding**.
#
# **Goals**
# 1. Check that attention without positions is **permutation equivariant**.
# 2. Build and explore the **sinusoidal** table.
# 3. See what a **learnable** table learns during training.

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
print(
    tr("max |Atn(PX) - P Atn(X)| =", "max |Attn(PX) - P Attn(X)| ="),
    np.abs(out_perm - out[:, perm]).max(),
)

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
# Una propiedad bonita: el producto escalar $PE_p \cdot PE_{p+k}$ depende **solo de la
# distancia** $k$ (cada pareja sin/cos aporta $\cos(\omega k)$). La posición 32 se parece a la
# 30 tanto como la 2 a la 0.

# %% [markdown] lang="en"
# A nice property: the dot product $PE_p \cdot PE_{p+k}$ depends **only on the distance** $k$
# (each sin/cos pair contributes $\cos(\omega k)$). Position 32 resembles 30 as much as 2
# resembles 0.

# %%
table = attnlab.sinusoidal_encoding(64, 64)  # (T, E)
print(f"PE[0]·PE[2] = {table[0] @ table[2]:.6f}   PE[30]·PE[32] = {table[30] @ table[32]:.6f}")
fig = viz.position_similarity(64, 64, lang=LANG)

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
print(
    tr("max |Atn(PX + PE) - P Atn(X + PE)| =", "max |Attn(PX + PE) - P Attn(X + PE)| ="),
    np.abs(out_perm - out[:, perm]).max(),
)

# %% [markdown] lang="es"
# La atención que acabamos de usar es la misma que la de torch, también con las posiciones
# sumadas a la entrada (salida, pesos y todos los gradientes):

# %% [markdown] lang="en"
# The attention we just used is the same as torch's, also with the positions added to the
# input (output, weights and every gradient):

# %%
from attnlab.reference import compare_multi_head_attention

report = parity("multi_head_attention", compare_multi_head_attention, mha, pe(x))

# %% [markdown] lang="es"
# ## 4. Una tabla aprendible
#
# En lugar de fijar la tabla, podemos tratarla como un parámetro (T, E) más y dejar que el
# entrenamiento la ajuste (`LearnablePositionalEncoding`; TLOB la llama `pos_encoder`). Empieza
# con ruido pequeño y recibe su gradiente como cualquier otro peso.
#
# El experimento de `attnlab.experiments.train_learnable_positions`: una cabeza causal debe **copiar la palabra
# anterior**. Las palabras son aleatorias, así que la única forma de encontrar «la anterior» es
# por su posición. Veamos qué aprende la tabla.

# %% [markdown] lang="en"
# ## 4. A learnable table
#
# Instead of fixing the table, we can treat it as one more (T, E) parameter and let training
# adjust it (`LearnablePositionalEncoding`; TLOB calls it `pos_encoder`). It starts as small
# noise and gets its gradient like any other weight.
#
# The experiment in `attnlab.experiments.train_learnable_positions`: a causal head must **copy the previous
# word**. Words are random, so the only way to find "the previous one" is by its position.
# Let us see what the table learns.

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
