# %% [markdown] lang="es"
# # Lección 02 · Atención de producto escalar escalado
#
# $$\mathrm{Atención}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{D}}\right) V$$
#
# **Objetivos**
# 1. Entender la atención como una **búsqueda suave**: las consultas (Q) son preguntas, las
#    claves (K) son etiquetas y los valores (V) son contenidos.
# 2. Mover una consulta y ver cómo cambian sus pesos y su salida.
# 3. Leer el código de `attention_forward` línea a línea, con sus formas.
# 4. Ver por qué se divide entre $\sqrt{D}$.
# 5. Comprobar el resultado con PyTorch.
#
# Notación fija en attnlab: **T** consultas, **S** claves/valores, **D** rasgos por consulta y
# clave, **Dv** rasgos por valor, **B** lote, **H** cabezas (ver `lessons/GLOSARIO.md`).

# %% [markdown] lang="en"
# # Lesson 02 · Scaled dot-product attention
#
# $$\mathrm{Attention}(Q, K, V) = \mathrm{softmax}\!\left(\frac{Q K^\top}{\sqrt{D}}\right) V$$
#
# **Goals**
# 1. Understand attention as a **soft lookup**: queries (Q) are questions, keys (K) are labels
#    and values (V) are contents.
# 2. Move a query and watch its weights and its output change.
# 3. Read the code of `attention_forward` line by line, with its shapes.
# 4. See why we divide by $\sqrt{D}$.
# 5. Check the result against PyTorch.
#
# Fixed notation in attnlab: **T** queries, **S** keys/values, **D** features per query and key,
# **Dv** features per value, **B** batch, **H** heads (see `lessons/GLOSARIO.md`).

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab import viz
from attnlab.show import explain_error, parity, setup_lesson, show_source, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. Un diccionario suave
#
# Un diccionario de Python busca una clave **exacta** y devuelve **un** valor. La atención
# compara la consulta con **todas** las claves (producto escalar = parecido), convierte los
# parecidos en pesos con la softmax y devuelve una **mezcla** de los valores.
#
# Construyamos una biblioteca de juguete: tres claves que son etiquetas («fruta», «animal»,
# «color») y tres valores que son lo que guardamos en cada estante.

# %% [markdown] lang="en"
# ## 1. A soft dictionary
#
# A Python dictionary looks up an **exact** key and returns **one** value. Attention compares
# the query with **every** key (dot product = similarity), turns the similarities into weights
# with softmax and returns a **blend** of the values.
#
# Let us build a toy library: three keys that are labels ("fruit", "animal", "colour") and
# three values that are what each shelf holds.

# %%
labels = ["fruta", "animal", "color"] if LANG == "es" else ["fruit", "animal", "colour"]
k = np.eye(3) * 4.0  # es: (S, D) una etiqueta por clave | en: (S, D) one label per key
# es: (S, Dv) lo que guarda cada estante | en: (S, Dv) what each shelf holds
v = np.array([[10.0, 0.0], [0.0, 10.0], [-10.0, 10.0]])
q = np.array(
    [
        [4.0, 0.0, 0.0],  # es: pregunta por «fruta» | en: asks for "fruit"
        [0.0, 2.0, 2.0],  # es: ¿«animal» o «color»? | en: "animal" or "colour"?
        [0.0, 0.0, 0.0],  # es: no pregunta nada concreto | en: asks nothing in particular
    ]
)  # (T, D)
out, w = attnlab.scaled_dot_product_attention(q, k, v)
print(tr("pesos (fila = consulta, columna = clave):", "weights (row = query, column = key):"))
print(w)
print(tr("salida = mezcla de valores:", "output = blend of values:"))
print(out)

# %% [markdown] lang="es"
# La primera consulta recibe casi exactamente el valor de «fruta»; la segunda, la media de dos
# estantes; la tercera, que no se parece a nada, la media de todos. Eso es la atención: una
# búsqueda **diferenciable**, porque los pesos cambian suavemente con Q y K.
#
# Mueve tú la consulta con los deslizadores `q[0]`, `q[1]`, `q[2]` (o elige una de las tres de
# arriba). A la izquierda, el peso que da a cada clave; a la derecha, cada valor como un punto
# (más grande cuanto más peso recibe) y la salida, una estrella negra: la media de los valores
# ponderada por los pesos, siempre dentro del triángulo que forman. Prueba:
#
# - alarga la consulta 0 (`q[0]` de 4 a 6) y luego acórtala (a 1): ¿qué le pasa al peso de
#   «fruta»?
# - pon `q[1] = q[2] = 4`: ¿dónde queda la estrella?
# - pon una componente negativa: ¿puede una consulta «evitar» una clave?
#
# El explorador llama a `query_state` (función pura de `attnlab.interactive`), que da
# exactamente una fila de `attnlab.scaled_dot_product_attention`.

# %% [markdown] lang="en"
# The first query gets almost exactly the "fruit" value; the second, the average of two shelves;
# the third, which resembles nothing, the average of all of them. That is attention: a
# **differentiable** lookup, because the weights change smoothly with Q and K.
#
# Move the query yourself with the sliders `q[0]`, `q[1]`, `q[2]` (or choose one of the three
# above). On the left, the weight it gives each key; on the right, each value as a point (bigger
# the more weight it gets) and the output, a black star: the mean of the values weighted by the
# weights, always inside the triangle they make. Try:
#
# - make query 0 longer (`q[0]` from 4 to 6), then shorter (down to 1): what happens to the
#   weight of "fruit"?
# - set `q[1] = q[2] = 4`: where does the star land?
# - give it a negative component: can a query "avoid" a key?
#
# The explorer calls `query_state` (a pure function of `attnlab.interactive`), which gives
# exactly one row of `attnlab.scaled_dot_product_attention`.

# %%
from attnlab.interactive import query_state
from attnlab.viz.interactive import query_explorer

# es: query_state da una fila de la atención | en: query_state gives one row of attention
assert np.allclose(query_state(q[1], k, v).out, out[1])
query_explorer(k, v, queries=q, key_labels=labels, lang=LANG)

# %% [markdown] lang="es"
# ## 2. El código, línea a línea

# %% [markdown] lang="en"
# ## 2. The code, line by line

# %%
from attnlab.functional import attention_forward

show_source(attention_forward)

# %% [markdown] lang="es"
# La primera línea del cuerpo pasa la llamada a una versión afinada para la velocidad mientras
# `attnlab.get_fast()` sea `True` (lo es por defecto): mismos números, calculados de otra
# manera (la lección 04 la cronometra y explica). Después vienen las comprobaciones de las
# entradas y, tras la línea en blanco, la matemática. Las tres líneas que importan son
# `scores = q @ k^T * scale`, `weights = softmax(scores)` y `out = weights @ v`; la máscara
# solo pone `-inf` en las puntuaciones prohibidas (lección 03). Sigamos las formas con un lote
# de verdad:
#
# | tensor | forma | significado |
# |---|---|---|
# | `q` | (B, T, D) | una consulta por posición |
# | `k` | (B, S, D) | una clave por posición |
# | `v` | (B, S, Dv) | un valor por posición |
# | `scores`, `weights` | (B, T, S) | un número por pareja (consulta, clave) |
# | `out` | (B, T, Dv) | una mezcla de valores por consulta |

# %% [markdown] lang="en"
# The first line of the body hands the call to a version tuned for speed while
# `attnlab.get_fast()` is `True` (the default): the same numbers, computed another way (lesson
# 04 times it and explains it). Then come the checks of the inputs and, after the blank line,
# the maths. The three lines that matter are `scores = q @ k^T * scale`,
# `weights = softmax(scores)` and `out = weights @ v`; the mask only puts `-inf` in the
# forbidden scores (lesson 03). Let us follow the shapes with a real batch:
#
# | tensor | shape | meaning |
# |---|---|---|
# | `q` | (B, T, D) | one query per position |
# | `k` | (B, S, D) | one key per position |
# | `v` | (B, S, Dv) | one value per position |
# | `scores`, `weights` | (B, T, S) | one number per (query, key) pair |
# | `out` | (B, T, Dv) | one blend of values per query |

# %%
rng = np.random.default_rng(0)
B, T, S, D, Dv = 2, 4, 6, 8, 3
q = rng.standard_normal((B, T, D))  # (B, T, D)
k = rng.standard_normal((B, S, D))  # (B, S, D)
v = rng.standard_normal((B, S, Dv))  # (B, S, Dv)
out, cache = attention_forward(q, k, v)
print("out:", out.shape, " weights:", cache.weights.shape)
# es: el camino legible, el que acabamos de leer, da los mismos números | en: the readable path, the one we just read, gives the same numbers
with attnlab.fast_path(False):
    out_readable, _ = attention_forward(q, k, v)
assert np.allclose(out, out_readable, rtol=0, atol=1e-12)

# %% [markdown] lang="es"
# Los errores también enseñan: attnlab comprueba las entradas en cuanto las recibe y, si algo no
# encaja, dice qué esperaba (en inglés, como NumPy y torch; la lección te lo explica debajo).

# %% [markdown] lang="en"
# Errors teach too: attnlab checks its inputs as soon as it receives them and, if something
# does not fit, says what it expected.

# %%
try:
    attention_forward(q, k[..., :5], v)
except ValueError as err:
    explain_error(
        err,
        "q y k necesitan los mismos rasgos D para el producto escalar q·k; aquí q tiene 8 y k, 5.",
        "q and k need the same features D for the dot product q·k; here q has 8 and k has 5.",
    )

# %% [markdown] lang="es"
# ## 3. ¿Por qué dividir entre $\sqrt{D}$?
#
# Si las componentes de $q$ y $k$ son independientes, con media 0 y varianza 1, el producto
# escalar $q \cdot k = \sum_{d=1}^{D} q_d k_d$ es una suma de $D$ términos de varianza 1: su
# varianza es $D$ y su desviación típica $\sqrt{D}$. Con $D = 512$, las puntuaciones rondan
# ±22, la softmax se **satura** (casi todo el peso en una clave) y sus gradientes casi se anulan.
# Dividir entre $\sqrt{D}$ devuelve la desviación típica a 1, sea cual sea $D$.

# %% [markdown] lang="en"
# ## 3. Why divide by $\sqrt{D}$?
#
# If the components of $q$ and $k$ are independent with mean 0 and variance 1, the dot product
# $q \cdot k = \sum_{d=1}^{D} q_d k_d$ is a sum of $D$ terms of variance 1: its variance is $D$
# and its standard deviation $\sqrt{D}$. With $D = 512$, scores are around ±22, the softmax
# **saturates** (almost all the weight on one key) and its gradients almost vanish. Dividing
# by $\sqrt{D}$ brings the standard deviation back to 1, whatever $D$ is.

# %%
dims = (4, 16, 64, 256, 1024)
stats = viz.scaling_statistics(dims)
print(
    f"{'D':>6} {'std q·k':>9} {'std q·k/√D':>11} {tr('peso máx.', 'max weight'):>11} {tr('escalado', 'scaled'):>9}"
)
for i, d in enumerate(dims):
    print(
        f"{d:>6} {stats['std_raw'][i]:9.2f} {stats['std_scaled'][i]:11.2f} "
        f"{stats['max_raw'][i]:11.2f} {stats['max_scaled'][i]:9.2f}"
    )
fig = viz.scaling_effect(dims, lang=LANG)

# %% [markdown] lang="es"
# Sin escalar, el peso máximo de cada fila se acerca a 1 al crecer D: cada consulta mira a
# una sola clave casi por azar. Escalando, el reparto no depende de D.
#
# ## 4. Un mapa de atención con nombres

# %% [markdown] lang="en"
# Without scaling, the largest weight of each row approaches 1 as D grows: every query looks at
# a single key almost by chance. With scaling, the spread does not depend on D.
#
# ## 4. An attention map with names

# %%
words = (
    ["yo", "leo", "un", "libro", "viejo"] if LANG == "es" else ["I", "read", "an", "old", "book"]
)
x = np.random.default_rng(3).standard_normal((5, 16))  # (T, D)
_, w = attnlab.scaled_dot_product_attention(x, x, x)
ax = viz.attention_heatmap(w, words, words, lang=LANG)

# %% [markdown] lang="es"
# Con vectores aleatorios la diagonal domina: cada palabra se parece sobre todo a sí misma
# ($q \cdot q = \|q\|^2$). Por eso los modelos reales **proyectan** la entrada en Q, K y V con
# matrices aprendidas distintas (lección 05).
#
# ## 5. Comparación con PyTorch
#
# `compare_attention` llama a `torch.nn.functional.scaled_dot_product_attention` con los mismos
# tensores y compara salida y gradientes.

# %% [markdown] lang="en"
# With random vectors the diagonal dominates: each word resembles itself most ($q \cdot q =
# \|q\|^2$). That is why real models **project** the input into Q, K and V with different
# learned matrices (lesson 05).
#
# ## 5. Comparison with PyTorch
#
# `compare_attention` calls `torch.nn.functional.scaled_dot_product_attention` with the same
# tensors and compares the output and the gradients.

# %%
from attnlab.reference import compare_attention

report = parity("attention_cross", compare_attention, q, k, v)
assert report.passed()

# %% [markdown] lang="es"
# ## 6. Ejercicios
#
# **Ejercicio 1.** Escribe `my_attention(q, k, v)` para `q` (T, D), `k` (S, D), `v` (S, Dv),
# usando `attnlab.softmax` para la softmax.

# %% [markdown] lang="en"
# ## 6. Exercises
#
# **Exercise 1.** Write `my_attention(q, k, v)` for `q` (T, D), `k` (S, D), `v` (S, Dv), using
# `attnlab.softmax` for the softmax.


# %%
def my_attention(q, k, v):
    # es: tu código aquí | en: your code here
    return None


ex.check_attention(my_attention)

# %% [markdown] lang="es"
# **Ejercicio 2.** Con las claves `keys` de abajo, escribe una matriz de consultas `my_q` de
# forma (2, 4) cuya **primera** consulta ponga más del 90 % de su peso en la clave 2.

# %% [markdown] lang="en"
# **Exercise 2.** With the keys `keys` below, write a query matrix `my_q` of shape (2, 4) whose
# **first** query puts more than 90% of its weight on key 2.

# %%
keys = np.array(
    [[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
)  # (S, D)
my_q = np.zeros((2, 4))  # es: cambia la fila 0 | en: change row 0
ex.check_lookup(my_q, keys)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/02_attention.py`. En la lección 03 decidimos **a qué**
# claves puede mirar cada consulta: las máscaras.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/02_attention.py`. In lesson 03 we decide **which** keys each
# query may look at: masks.
