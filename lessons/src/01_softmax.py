# %% [markdown] lang="es"
# # Lección 01 · Softmax
#
# La softmax convierte una lista de puntuaciones (*logits*) en probabilidades: números
# positivos que suman 1. Es el corazón de la atención: decide **cuánto** mira cada consulta a
# cada clave.
#
# **Objetivos**
# 1. Entender por qué restamos el máximo antes de exponenciar (estabilidad numérica).
# 2. Ver qué hace la **temperatura**.
# 3. Calcular el **jacobiano** de la softmax, que necesitaremos en la lección 04.

# %% [markdown] lang="en"
# # Lesson 01 · Softmax
#
# Softmax turns a list of scores (*logits*) into probabilities: positive numbers that sum to 1.
# It is the heart of attention: it decides **how much** each query looks at each key.
#
# **Goals**
# 1. Understand why we subtract the maximum before exponentiating (numerical stability).
# 2. See what the **temperature** does.
# 3. Compute the softmax **Jacobian**, which we will need in lesson 04.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab.show import parity, setup_lesson, show_source, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. La definición y su trampa
#
# $$\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}$$
#
# Escrita tal cual, funciona con números pequeños... y se rompe con números grandes:
# `exp(1000)` no cabe en un `float64` (el mayor es ~1.8e308) y se convierte en `inf`;
# `inf / inf` es `NaN`.

# %% [markdown] lang="en"
# ## 1. The definition and its trap
#
# $$\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}$$
#
# Written as is, it works with small numbers... and breaks with big ones: `exp(1000)` does not
# fit in a `float64` (the largest is ~1.8e308) and becomes `inf`; `inf / inf` is `NaN`.


# %%
def naive_softmax(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


small = np.array([1.0, 2.0, 3.0])
big = np.array([1000.0, 1001.0, 1002.0])
with np.errstate(over="ignore", invalid="ignore"):
    print("naive(small):", naive_softmax(small))
    print("naive(big):  ", naive_softmax(big))
print("attnlab(big):", attnlab.softmax(big))

# %% [markdown] lang="es"
# El truco: restar el máximo $m = \max_j x_j$ no cambia nada matemáticamente, porque
# $e^{x_i - m} / \sum_j e^{x_j - m}$ es la misma fracción multiplicada arriba y abajo por
# $e^{-m}$. Pero ahora todos los exponentes son $\le 0$: ninguna exponencial desborda y al menos
# una vale exactamente 1. Así lo hace attnlab:

# %% [markdown] lang="en"
# The trick: subtracting the maximum $m = \max_j x_j$ changes nothing mathematically, because
# $e^{x_i - m} / \sum_j e^{x_j - m}$ is the same fraction multiplied above and below by
# $e^{-m}$. But now every exponent is $\le 0$: no exponential overflows and at least one equals
# exactly 1. This is how attnlab does it:

# %%
from attnlab.functional.softmax import softmax_forward, stable_softmax

show_source(stable_softmax)

# %% [markdown] lang="es"
# Fíjate también en las filas **totalmente enmascaradas**: si todas las entradas son `-inf`, el
# máximo es `-inf` y `x - m` daría `NaN`. attnlab devuelve ceros en ese caso (lo discutiremos en
# la lección 03). Comprobemos la invariancia a sumar una constante:

# %% [markdown] lang="en"
# Also note the **fully masked** rows: if every entry is `-inf`, the maximum is `-inf` and
# `x - m` would be `NaN`. attnlab returns zeros in that case (we discuss it in lesson 03).
# Let us check the invariance to adding a constant:

# %%
x = np.random.default_rng(0).standard_normal((2, 5))  # (B, n)
print(attnlab.softmax(x))
print(
    tr("¿igual al sumar 100 a cada fila?", "same after adding 100 to every row?"),
    np.allclose(attnlab.softmax(x), attnlab.softmax(x + 100.0)),
)

# %% [markdown] lang="es"
# ## 2. Temperatura
#
# Dividir los logits entre una temperatura $\tau > 0$ antes de la softmax cambia lo
# «decidida» que es la distribución:
#
# - $\tau \to 0$: casi todo el peso va al mayor logit (como un *argmax*);
# - $\tau = 1$: la softmax de siempre;
# - $\tau \to \infty$: todo se reparte por igual (distribución uniforme).
#
# La **entropía** $H = -\sum_i p_i \log p_i$ mide esa incertidumbre: 0 si todo el peso está en
# una opción, $\log n$ si está repartido por igual.

# %% [markdown] lang="en"
# ## 2. Temperature
#
# Dividing the logits by a temperature $\tau > 0$ before the softmax changes how "decided" the
# distribution is:
#
# - $\tau \to 0$: almost all the weight goes to the largest logit (like an *argmax*);
# - $\tau = 1$: the usual softmax;
# - $\tau \to \infty$: everything is shared equally (uniform distribution).
#
# The **entropy** $H = -\sum_i p_i \log p_i$ measures that uncertainty: 0 when all the weight is
# on one option, $\log n$ when it is spread equally.

# %%
from attnlab import viz

fig = viz.softmax_temperature(lang=LANG)

# %% [markdown] lang="es"
# Muévelo tú: el deslizador llama a `temperature_state`, una función pura de
# `attnlab.interactive` (probada sin Jupyter), y dibuja el resultado. La barra naranja es la
# opción ganadora; encima de cada barra, su probabilidad. En la casilla `logits` puedes escribir
# tus propios logits (separados por comas, con punto decimal: `3, 0.5, 0.5, -2`) y pulsar Intro.
# Prueba dos logits iguales: ¿qué hace entonces la temperatura con ellos?

# %% [markdown] lang="en"
# Try it yourself: the slider calls `temperature_state`, a pure function in
# `attnlab.interactive` (tested without Jupyter), and draws the result. The orange bar is the
# winning option; above each bar, its probability. In the `logits` box you can type your own
# logits (separated by commas, `3, 0.5, 0.5, -2`) and press Enter. Try two equal logits: what
# does the temperature do to them?

# %%
from attnlab.interactive import temperature_state
from attnlab.viz.interactive import temperature_explorer

logits = [2.0, 1.0, 0.5, 0.0, -1.0]
for tau in (0.25, 1.0, 4.0):
    state = temperature_state(logits, tau)
    print(f"tau={tau:<5} p={np.round(state.probs, 3)}  H={state.entropy:.3f}")
temperature_explorer(logits, lang=LANG)

# %% [markdown] lang="es"
# ## 3. El jacobiano de la softmax
#
# Cada salida depende de **todas** las entradas (por el denominador). Derivando:
#
# $$\frac{\partial p_i}{\partial x_j} = p_i(\delta_{ij} - p_j)
# \quad\Longleftrightarrow\quad J = \mathrm{diag}(p) - p\,p^\top$$
#
# Comprobémoslo con diferencias finitas: movemos cada $x_j$ un poquito y miramos cómo cambia $p$.

# %% [markdown] lang="en"
# ## 3. The softmax Jacobian
#
# Each output depends on **every** input (through the denominator). Differentiating:
#
# $$\frac{\partial p_i}{\partial x_j} = p_i(\delta_{ij} - p_j)
# \quad\Longleftrightarrow\quad J = \mathrm{diag}(p) - p\,p^\top$$
#
# Let us check it with finite differences: nudge each $x_j$ a little and watch how $p$ changes.

# %%
z = np.array([0.5, -1.0, 2.0, 0.0])
p = attnlab.softmax(z)
J = np.diag(p) - np.outer(p, p)  # (n, n)
eps = 1e-6
J_numeric = np.stack(
    [
        (attnlab.softmax(z + eps * e) - attnlab.softmax(z - eps * e)) / (2 * eps)
        for e in np.eye(len(z))
    ],
    axis=1,
)  # (n, n): column j = dp/dx_j
print(J)
print(
    tr("diferencia máxima con las diferencias finitas:", "max difference from finite differences:"),
    f"{np.abs(J - J_numeric).max():.1e}",
)
assert np.allclose(J, J_numeric, atol=1e-8)
print(tr("suma de cada fila de J:", "sum of each row of J:"), np.round(J.sum(axis=1), 12) + 0.0)

# %% [markdown] lang="es"
# Las filas suman 0: si subes un logit, la probabilidad que gana una opción la pierden las
# demás. En la práctica **nunca construimos $J$** (sería $n \times n$ por cada fila): la
# retropropagación solo necesita el producto $J^\top g$ con el gradiente que llega, $g$, y eso se simplifica a
# $p \odot (g - \langle g, p\rangle)$. Así está escrito en attnlab:

# %% [markdown] lang="en"
# The rows sum to 0: if you raise one logit, the probability one option gains is lost by the
# others. In practice we **never build $J$** (it would be $n \times n$ for every row): the
# backward only needs the product $J^\top g$ with the incoming gradient $g$, which simplifies to
# $p \odot (g - \langle g, p\rangle)$. That is how attnlab writes it:

# %%
from attnlab.functional.softmax import softmax_backward

show_source(softmax_backward)
g = np.random.default_rng(1).standard_normal(4)
_, cache = softmax_forward(z)
print(tr("J^T g con la matriz:  ", "J^T g with the matrix:"), J.T @ g)
print(tr("softmax_backward(g):  ", "softmax_backward(g):  "), softmax_backward(g, cache))
assert np.allclose(J.T @ g, softmax_backward(g, cache))

# %% [markdown] lang="es"
# ## 4. Comparación con PyTorch
#
# `compare_softmax` ejecuta `torch.softmax` con las mismas entradas (y un gradiente aleatorio
# que llega desde arriba) y compara la salida y el gradiente.

# %% [markdown] lang="en"
# ## 4. Comparison with PyTorch
#
# `compare_softmax` runs `torch.softmax` on the same inputs (with a random upstream gradient)
# and compares the output and the gradient.

# %%
from attnlab.reference import compare_softmax

report = parity("softmax", compare_softmax, np.random.default_rng(2).standard_normal((3, 6)) * 10)
assert report.passed()

# %% [markdown] lang="es"
# ## 5. Ejercicios
#
# **Ejercicio 1.** Escribe `my_softmax(x)`, la softmax sobre el último eje, estable con
# logits enormes. (Usa NumPy, no `attnlab.softmax`.)

# %% [markdown] lang="en"
# ## 5. Exercises
#
# **Exercise 1.** Write `my_softmax(x)`, the softmax over the last axis, stable with huge
# logits. (Use NumPy, not `attnlab.softmax`.)


# %%
def my_softmax(x):
    # es: tu código aquí | en: your code here
    return None


ex.check_softmax(my_softmax)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `softmax_temperature(x, tau)`: la softmax de `x` a temperatura
# `tau` (puedes usar `attnlab.softmax`).

# %% [markdown] lang="en"
# **Exercise 2.** Write `softmax_temperature(x, tau)`: the softmax of `x` at temperature `tau`
# (you may use `attnlab.softmax`).


# %%
def softmax_temperature(x, tau):
    # es: tu código aquí | en: your code here
    return None


ex.check_softmax_temperature(softmax_temperature)

# %% [markdown] lang="es"
# **Ejercicio 3.** Escribe `softmax_jacobian(p)`: la matriz $n \times n$ del jacobiano a partir
# del vector de probabilidades `p`.

# %% [markdown] lang="en"
# **Exercise 3.** Write `softmax_jacobian(p)`: the $n \times n$ Jacobian matrix from the vector
# of probabilities `p`.


# %%
def softmax_jacobian(p):
    # es: tu código aquí | en: your code here
    return None


ex.check_softmax_jacobian(softmax_jacobian)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/01_softmax.py`. Siguiente parada: la atención completa.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/01_softmax.py`. Next stop: full attention.
