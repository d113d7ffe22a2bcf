# %% [markdown] lang="es"
# # Lección 00 · Recorrido y puesta en marcha
#
# Bienvenida, bienvenido. En estas lecciones vamos a **construir la atención con nuestras
# propias manos**: desde la softmax hasta un modelo TLOB entrenado con datos de un libro de
# órdenes. Todo el código que verás es el de la biblioteca `attnlab`, escrito en NumPy, con la
# retropropagación hecha a mano y comprobado número a número contra PyTorch.
#
# **Objetivos de esta lección**
# 1. Saber qué es attnlab y cómo está organizada.
# 2. Calcular una atención, mirar sus pesos y comprobar su gradiente.
# 3. Comparar el resultado con PyTorch (o con los valores de referencia si no tienes torch).

# %% [markdown] lang="en"
# # Lesson 00 · Tour and set-up
#
# Welcome. In these lessons we **build attention with our own hands**: from softmax up to a
# TLOB model trained on order-book data. Every piece of code you will see is the `attnlab`
# library's, written in NumPy, with hand-written backpropagation and checked number by number
# against PyTorch.
#
# **Goals of this lesson**
# 1. Know what attnlab is and how it is organised.
# 2. Compute an attention, look at its weights and check its gradient.
# 3. Compare the result with PyTorch (or with the reference values if you do not have torch).

# %% [markdown] lang="es"
# ## 1. Cómo usar estas lecciones
#
# Cada lección existe en español (`lessons/es`) y en inglés (`lessons/en`). Para abrirlas:
#
# ```bash
# pip install -e ".[lessons,torch]"     # desde la carpeta del proyecto
# jupyter lab lessons/es
# ```
#
# Ejecuta las celdas en orden (`Mayús + Intro`). La primera celda de código de cada lección
# prepara el idioma y la variable `QUICK`: si la variable de entorno `ATTNLAB_QUICK=1` está
# definida, los entrenamientos y barridos se acortan (así se ejecutan en la integración continua).
#
# La biblioteca está organizada como se lee:
#
# | carpeta | qué contiene |
# |---|---|
# | `attnlab/functional` | funciones puras: el paso hacia delante `nombre_forward` → `(salida, caché)` y su retropropagación `nombre_backward` |
# | `attnlab/nn` | módulos con parámetros (`Linear`, `MultiHeadAttention`, ...) |
# | `attnlab/models` | TLOB |
# | `attnlab/reference` | comparaciones con PyTorch y valores de referencia guardados |
# | `attnlab/viz` | figuras (y los exploradores interactivos de las lecciones, sobre las funciones puras de `attnlab/interactive.py`) |
# | `attnlab/exercises` | los correctores de los ejercicios |
#
# Las figuras de la galería se generan con `attnlab figures`; el recorrido en texto, con `attnlab`.

# %% [markdown] lang="en"
# ## 1. How to use these lessons
#
# Every lesson exists in Spanish (`lessons/es`) and in English (`lessons/en`). To open them:
#
# ```bash
# pip install -e ".[lessons,torch]"     # from the project folder
# jupyter lab lessons/en
# ```
#
# Run the cells in order (`Shift + Enter`). The first code cell of every lesson sets the
# language and the variable `QUICK`: when the environment variable `ATTNLAB_QUICK=1` is set,
# trainings and sweeps are shortened (that is how continuous integration runs them).
#
# The library is organised the way it reads:
#
# | folder | what it holds |
# |---|---|
# | `attnlab/functional` | pure functions: the forward pass `name_forward` → `(out, cache)` and its backward pass `name_backward` |
# | `attnlab/nn` | modules with parameters (`Linear`, `MultiHeadAttention`, ...) |
# | `attnlab/models` | TLOB |
# | `attnlab/reference` | comparisons with PyTorch and stored reference values |
# | `attnlab/viz` | figures (and the lessons' interactive explorers, over the pure functions of `attnlab/interactive.py`) |
# | `attnlab/exercises` | the exercise checkers |
#
# The gallery's figures are made with `attnlab figures`; the text tour with `attnlab`.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab.show import parity, setup_lesson, show_source, tr

QUICK = setup_lesson(LANG)
print("attnlab", attnlab.__version__, "| numpy", np.__version__, "| QUICK =", QUICK)

# %% [markdown] lang="es"
# ## 2. Una primera atención
#
# Tomemos cinco palabras. Cada una tiene un vector de 8 números (aquí aleatorios). La atención
# responde, para cada palabra, a la pregunta *«¿en qué otras palabras me fijo, y cuánto?»*.
# Usaremos la misma matriz como **consultas** (Q, *queries*), **claves** (K, *keys*) y
# **valores** (V, *values*): eso es la *autoatención*. En la lección 02 veremos qué papel
# juega cada una.

# %% [markdown] lang="en"
# ## 2. A first attention
#
# Take five words. Each has a vector of 8 numbers (random here). Attention answers, for every
# word, the question *"which other words do I look at, and how much?"*. We use the same matrix
# as **queries** (Q), **keys** (K) and **values** (V): that is *self-attention*. Lesson 02
# explains the role of each.

# %%
tokens = (
    ["el", "gato", "come", "pescado", "fresco"]
    if LANG == "es"
    else ["the", "cat", "eats", "fresh", "fish"]
)
rng = np.random.default_rng(0)
x = rng.standard_normal((5, 8))  # es: (T, D) 5 palabras, 8 rasgos | en: (T, D) 5 tokens, 8 features
out, weights = attnlab.scaled_dot_product_attention(x, x, x, is_causal=True)
print("out:", out.shape, "  weights:", weights.shape)
print(weights)
print(tr("cada fila suma:", "each row sums to:"), weights.sum(axis=1))

# %% [markdown] lang="es"
# Cada **fila** es una consulta y cada **columna** una clave. Con `is_causal=True` cada palabra
# solo mira a las anteriores y a sí misma: por eso la parte de arriba de la diagonal es cero.
# Un mapa de calor lo hace evidente (las celdas enmascaradas aparecen rayadas):

# %% [markdown] lang="en"
# Each **row** is a query and each **column** a key. With `is_causal=True` each word only looks
# at the previous ones and itself: that is why everything above the diagonal is zero. A heatmap
# makes it obvious (masked cells are hatched):

# %%
from attnlab import viz

ax = viz.attention_heatmap(weights, tokens, tokens, mask=attnlab.causal_mask(5), lang=LANG)

# %% [markdown] lang="es"
# ## 3. Lo que lees es lo que se prueba
#
# En estas lecciones no copiamos el código de la biblioteca: lo **mostramos**. `show_source`
# enseña el código real, el mismo que comprueban los tests. Aquí está la función que acabamos
# de llamar:

# %% [markdown] lang="en"
# ## 3. What you read is what is tested
#
# These lessons do not copy the library's code: they **show** it. `show_source` displays the
# real code, the same one the tests check. Here is the function we just called:

# %%
show_source(attnlab.scaled_dot_product_attention)

# %% [markdown] lang="es"
# ## 4. ¿Está bien el gradiente?
#
# attnlab calcula los gradientes a mano. `attnlab.gradcheck` los compara con diferencias
# finitas centradas y devuelve el **error relativo** de cada entrada: una retropropagación
# correcta da alrededor de 1e-9 o menos.

# %% [markdown] lang="en"
# ## 4. Is the gradient right?
#
# attnlab computes gradients by hand. `attnlab.gradcheck` compares them with central finite
# differences and returns the **relative error** for each input: a correct backward gives about
# 1e-9 or less.

# %%
from attnlab.functional import attention_backward, attention_forward

errors = attnlab.gradcheck(
    attention_forward, attention_backward, (x, x, x), kwargs={"is_causal": True}
)
print(errors)
# es: error relativo <= 1e-6 en q, k y v | en: relative error <= 1e-6 for q, k and v
assert errors.passed()

# %% [markdown] lang="es"
# ## 5. Comparar con PyTorch
#
# `attnlab.reference` ejecuta el mismo cálculo en PyTorch y nos dice la diferencia máxima en la
# salida y en cada gradiente. Si no tienes torch instalado, la comparación se hace con valores
# que PyTorch calculó y que attnlab trae guardados (y se te dice cómo instalarlo).

# %% [markdown] lang="en"
# ## 5. Compare with PyTorch
#
# `attnlab.reference` runs the same computation in PyTorch and tells us the largest difference
# in the output and in every gradient. Without torch, the comparison uses values that PyTorch
# computed and attnlab ships (and you are told how to install it).

# %%
from attnlab.reference import compare_attention

report = parity("attention_causal", compare_attention, x, x, x, is_causal=True)
assert report.passed()  # es: si no coincidieran, la celda fallaría aquí | en: were they to differ, the cell would fail here

# %% [markdown] lang="es"
# Diferencias del orden de 1e-16 son el redondeo de `float64`: el mismo número calculado con
# las operaciones en otro orden. La línea `assert report.passed()` convierte la comparación en
# una comprobación: si attnlab y torch no coincidieran (más de 1e-10 en `float64`), la celda
# fallaría.
#
# ## 6. Ejercicios
#
# **Ejercicio 1.** Sin ejecutar nada, ¿qué formas tienen `out` y `weights` si
# `q` es (2, 5, 8), `k` es (2, 7, 8) y `v` es (2, 7, 3)? Escribe tus respuestas como tuplas.

# %% [markdown] lang="en"
# Differences around 1e-16 are `float64` rounding: the same number computed with the operations
# in a different order. The line `assert report.passed()` turns the comparison into a check:
# were attnlab and torch to differ (by more than 1e-10 in `float64`), the cell would fail.
#
# ## 6. Exercises
#
# **Exercise 1.** Without running anything: what shapes do `out` and `weights` have when `q` is
# (2, 5, 8), `k` is (2, 7, 8) and `v` is (2, 7, 3)? Write your answers as tuples.

# %%
out_shape = ()  # es: tu respuesta, p. ej. (2, 5, 8) | en: your answer, e.g. (2, 5, 8)
weights_shape = ()
ex.check_attention_shapes(out_shape, weights_shape)

# %% [markdown] lang="es"
# **Ejercicio 2.** Calcula con attnlab los pesos de la autoatención **causal** de
# `y = rng.standard_normal((6, 4))` y pásalos al corrector.

# %% [markdown] lang="en"
# **Exercise 2.** Use attnlab to compute the **causal** self-attention weights of
# `y = rng.standard_normal((6, 4))` and pass them to the checker.

# %%
y = rng.standard_normal((6, 4))  # (T, D)
my_weights = None  # es: tu código aquí | en: your code here
ex.check_causal_weights(my_weights, y)

# %% [markdown] lang="es"
# Las soluciones están en `lessons/solutions/es/00_tour.py`. En la próxima lección abrimos la
# primera pieza: la softmax.

# %% [markdown] lang="en"
# The solutions are in `lessons/solutions/en/00_tour.py`. In the next lesson we open up the
# first piece: softmax.
