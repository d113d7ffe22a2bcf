# %% [markdown] lang="es"
# # Lección 04 · Retropropagación a mano
#
# Para entrenar necesitamos los gradientes de la pérdida respecto a Q, K y V. PyTorch los
# calcula solo (*autograd*); aquí los **derivamos** y los **escribimos** nosotros, y luego
# comprobamos que están bien de dos maneras independientes.
#
# **Objetivos**
# 1. Derivar el backward de la softmax y de la atención, paso a paso.
# 2. Leer `attention_backward`: cada línea deshace una línea del forward.
# 3. Comprobar gradientes con `attnlab.gradcheck` (diferencias finitas) y ver cómo detecta un error.
# 4. Compararlos con el *autograd* de PyTorch.

# %% [markdown] lang="en"
# # Lesson 04 · Backprop by hand
#
# To train we need the gradients of the loss with respect to Q, K and V. PyTorch computes them
# on its own (*autograd*); here we **derive** and **write** them ourselves, and then check them
# in two independent ways.
#
# **Goals**
# 1. Derive the backward of softmax and of attention, step by step.
# 2. Read `attention_backward`: each line undoes one line of the forward.
# 3. Check gradients with `attnlab.gradcheck` (finite differences) and watch it catch a bug.
# 4. Compare them with PyTorch's autograd.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab.functional import attention_backward, attention_forward
from attnlab.show import parity, setup_lesson, show_source, torch_or_none, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. La idea: gradientes que llegan desde arriba
#
# Cada operación recibe `dout` = $\partial L / \partial \text{out}$ (el gradiente de la pérdida
# respecto a su salida, con la **misma forma** que la salida) y devuelve el gradiente respecto a
# cada una de sus entradas. Nunca construimos jacobianos enteros: solo productos
# «jacobiano traspuesto × vector».
#
# El forward de la atención son tres líneas. El backward las recorre **al revés**:
#
# | forward | backward |
# |---|---|
# | `scores = q @ k.T * s` | `dq = dscores @ k * s`, `dk = dscores.T @ q * s` |
# | `weights = softmax(scores)` | `dscores = weights * (dweights - sum(dweights * weights))` |
# | `out = weights @ v` | `dweights = dout @ v.T`, `dv = weights.T @ dout` |
#
# **Producto de matrices.** Si $O = W V$, cada $O_{tj} = \sum_s W_{ts} V_{sj}$. Entonces
# $\partial L/\partial W_{ts} = \sum_j \mathrm{dout}_{tj} V_{sj}$, es decir $dW = \mathrm{dout}\, V^\top$;
# y del mismo modo $dV = W^\top \mathrm{dout}$. Regla práctica: **las formas te dicen el orden**;
# `dW` debe ser (T, S) y solo `dout (T, Dv) @ V.T (Dv, S)` la da.
#
# **Softmax.** Con $J = \mathrm{diag}(p) - p p^\top$ (lección 01) y $g$ el gradiente que llega,
# $J^\top g = p \odot (g - \langle g, p \rangle)$, fila a fila.

# %% [markdown] lang="en"
# ## 1. The idea: gradients coming from above
#
# Each operation receives `dout` = $\partial L / \partial \text{out}$ (the gradient of the loss
# with respect to its output, with the **same shape** as the output) and returns the gradient
# with respect to each of its inputs. We never build whole Jacobians: only
# "transposed Jacobian × vector" products.
#
# The attention forward is three lines. The backward walks them **in reverse**:
#
# | forward | backward |
# |---|---|
# | `scores = q @ k.T * s` | `dq = dscores @ k * s`, `dk = dscores.T @ q * s` |
# | `weights = softmax(scores)` | `dscores = weights * (dweights - sum(dweights * weights))` |
# | `out = weights @ v` | `dweights = dout @ v.T`, `dv = weights.T @ dout` |
#
# **Matrix product.** If $O = W V$, each $O_{tj} = \sum_s W_{ts} V_{sj}$. Then
# $\partial L/\partial W_{ts} = \sum_j \mathrm{dout}_{tj} V_{sj}$, that is $dW = \mathrm{dout}\, V^\top$;
# likewise $dV = W^\top \mathrm{dout}$. Rule of thumb: **the shapes tell you the order**; `dW`
# must be (T, S) and only `dout (T, Dv) @ V.T (Dv, S)` gives it.
#
# **Softmax.** With $J = \mathrm{diag}(p) - p p^\top$ (lesson 01) and $g$ the incoming gradient,
# $J^\top g = p \odot (g - \langle g, p \rangle)$, row by row.

# %% [markdown] lang="es"
# ## 2. El código
#
# El forward guarda en la caché lo que el backward necesita: `q`, `k`, `v` y los **pesos**
# (así el backward no vuelve a calcular exponenciales: memoria a cambio de cálculo).

# %% [markdown] lang="en"
# ## 2. The code
#
# The forward keeps in its cache what the backward needs: `q`, `k`, `v` and the **weights** (so
# the backward does not recompute exponentials: memory traded for computation).

# %%
show_source(attention_backward)

# %% [markdown] lang="es"
# `unbroadcast` suma el gradiente sobre los ejes por los que una entrada se difundió (por
# ejemplo, una misma `k` compartida por todo el lote): si un número se usa muchas veces, su
# gradiente es la suma de todos sus usos.
#
# ## 3. Comprobar con diferencias finitas
#
# `gradcheck` elige un gradiente aleatorio $g$ para la salida, define $L = \sum g \odot
# \text{out}$ y compara, entrada a entrada,
#
# $$\frac{\partial L}{\partial x_i} \approx \frac{L(x + \varepsilon e_i) - L(x - \varepsilon e_i)}{2\varepsilon}$$
#
# con nuestro backward. Devuelve el **error relativo** $\|a - b\| / \max(\|a\|, \|b\|)$.

# %% [markdown] lang="en"
# `unbroadcast` sums the gradient over the axes an input was broadcast along (for example one
# `k` shared by the whole batch): if a number is used many times, its gradient is the sum over
# all its uses.
#
# ## 3. Checking with finite differences
#
# `gradcheck` picks a random gradient $g$ for the output, defines $L = \sum g \odot
# \text{out}$ and compares, entry by entry,
#
# $$\frac{\partial L}{\partial x_i} \approx \frac{L(x + \varepsilon e_i) - L(x - \varepsilon e_i)}{2\varepsilon}$$
#
# with our backward. It returns the **relative error** $\|a - b\| / \max(\|a\|, \|b\|)$.

# %%
rng = np.random.default_rng(0)
q = rng.standard_normal((2, 5, 8))  # (B, T, D)
k = rng.standard_normal((2, 7, 8))  # (B, S, D)
v = rng.standard_normal((2, 7, 3))  # (B, S, Dv)
mask = rng.random((2, 5, 7)) > 0.3  # (B, T, S)
print(attnlab.gradcheck(attention_forward, attention_backward, (q, k, v), kwargs={"mask": mask}))

# %% [markdown] lang="es"
# Errores de 1e-9 o menos: el backward es correcto. ¿Y si nos equivocamos? Olvidemos la escala
# $s$ en `dq` (un error típico) y veamos si `gradcheck` lo detecta.

# %% [markdown] lang="en"
# Errors of 1e-9 or less: the backward is right. And if we make a mistake? Let us forget the
# scale $s$ in `dq` (a typical slip) and see whether `gradcheck` notices.


# %%
def buggy_backward(dout, cache):
    dq, dk, dv = attention_backward(dout, cache)
    # es: como si olvidáramos «* scale» en dq | en: as if we forgot "* scale" in dq
    return dq / cache.scale, dk, dv


print(attnlab.gradcheck(attention_forward, buggy_backward, (q, k, v)))

# %% [markdown] lang="es"
# `q` salta a un error enorme mientras `k` y `v` siguen bien: el corrector señala exactamente
# qué gradiente revisar. Usarás la misma herramienta en los ejercicios.
#
# ## 4. Una fila totalmente enmascarada tiene gradiente 0
#
# Como sus pesos son 0, la fila no depende de nada: su gradiente debe ser exactamente 0 (y no NaN).

# %% [markdown] lang="en"
# `q` jumps to a huge error while `k` and `v` stay fine: the checker points at exactly the
# gradient to review. You will use the same tool in the exercises.
#
# ## 4. A fully masked row has gradient 0
#
# Since its weights are 0, the row depends on nothing: its gradient must be exactly 0 (not NaN).

# %%
m = np.ones((5, 7), dtype=bool)
m[3] = False  # es: la consulta 3 no ve ninguna clave | en: query 3 sees no key
out, cache = attention_forward(q[0], k[0], v[0], m)
dq, dk, dv = attention_backward(np.ones_like(out), cache)
print(tr("dq de la fila 3:", "dq of row 3:"), dq[3])

# %% [markdown] lang="es"
# ## 5. Comparar con el autograd de PyTorch
#
# PyTorch construye el grafo mientras calcula y, con `out.backward(dout)`, deja los gradientes
# en `.grad`. Les damos las mismas entradas y el mismo `dout` y comparamos.

# %% [markdown] lang="en"
# ## 5. Comparing with PyTorch's autograd
#
# PyTorch builds the graph while computing and, with `out.backward(dout)`, leaves the gradients
# in `.grad`. We give it the same inputs and the same `dout` and compare.

# %%
from attnlab.show import report_diff

out, cache = attention_forward(q, k, v, mask)
dout = rng.standard_normal(out.shape)  # (B, T, Dv)
grads = attention_backward(dout, cache)
torch = torch_or_none()
if torch is not None:
    tq, tk, tv = (torch.tensor(a, requires_grad=True) for a in (q, k, v))
    t_out = torch.nn.functional.scaled_dot_product_attention(
        tq, tk, tv, attn_mask=torch.tensor(mask)
    )
    t_out.backward(torch.tensor(dout))
    report_diff("out", out, t_out)
    for name, ours, theirs in zip(
        ("dq", "dk", "dv"), grads, (tq.grad, tk.grad, tv.grad), strict=True
    ):
        report_diff(name, ours, theirs)
else:
    parity("attention_bool_mask")

# %% [markdown] lang="es"
# ## 6. Para saber más: la softmax «en línea»
#
# Nuestra atención guarda la matriz de pesos (T, S) completa. Con secuencias largas eso no cabe
# en memoria. La **softmax en línea** procesa las claves por bloques y mantiene, por cada
# consulta, el máximo $m$ visto hasta ahora, la suma $\ell$ de exponenciales y la salida
# parcial; al llegar un bloque nuevo con máximo $m'$, reescala lo acumulado por $e^{m - m'}$.
# El resultado es idéntico y la memoria ya no crece con $T \times S$: es la idea de
# FlashAttention.

# %% [markdown] lang="en"
# ## 6. Going further: the "online" softmax
#
# Our attention keeps the full (T, S) weight matrix. With long sequences that does not fit in
# memory. The **online softmax** processes the keys in blocks and keeps, for each query, the
# largest score $m$ seen so far, the sum $\ell$ of exponentials and the partial output; when a
# new block arrives with maximum $m'$, it rescales what it has by $e^{m - m'}$. The result is
# identical and memory no longer grows with $T \times S$: it is the idea behind FlashAttention.

# %% [markdown] lang="es"
# Con cada bloque nuevo de puntuaciones $s_j$ de una consulta:
#
# $$m' = \max(m, \max_j s_j), \qquad
# \ell' = \ell\, e^{m - m'} + \sum_j e^{s_j - m'}, \qquad
# \mathrm{acc}' = \mathrm{acc}\, e^{m - m'} + \sum_j e^{s_j - m'} v_j$$
#
# y al final $\text{out} = \mathrm{acc} / \ell$. El factor $e^{m - m'} \le 1$ corrige lo sumado
# con el máximo antiguo, sin desbordar nunca. Primero la recurrencia a mano, para una sola fila:

# %% [markdown] lang="en"
# With each new block of scores $s_j$ of one query:
#
# $$m' = \max(m, \max_j s_j), \qquad
# \ell' = \ell\, e^{m - m'} + \sum_j e^{s_j - m'}, \qquad
# \mathrm{acc}' = \mathrm{acc}\, e^{m - m'} + \sum_j e^{s_j - m'} v_j$$
#
# and at the end $\text{out} = \mathrm{acc} / \ell$. The factor $e^{m - m'} \le 1$ corrects what
# was summed against the old maximum, and never overflows. First the recurrence by hand, for a
# single row:

# %%
rng = np.random.default_rng(0)
s = 3 * rng.standard_normal(10)  # (S,) the scores of one query
vals = rng.standard_normal((10, 2))  # (S, Dv) the values
m, l, acc = -np.inf, 0.0, np.zeros(2)  # running max, running sum, running output
for j in range(0, 10, 4):  # blocks of 4 keys
    block = s[j : j + 4]
    m_new = max(m, block.max())
    p = np.exp(block - m_new)  # this block's weights, against the new maximum
    l = l * np.exp(m - m_new) + p.sum()
    acc = acc * np.exp(m - m_new) + p @ vals[j : j + 4]
    m = m_new
w = np.exp(s - s.max()) / np.exp(s - s.max()).sum()  # the ordinary softmax, all at once
print(tr("en línea:", "online:  "), acc / l)
print(tr("de golpe:", "at once: "), w @ vals)

# %% [markdown] lang="es"
# `attnlab.functional.tiled_attention_forward` hace lo mismo para todas las consultas a la vez
# (con máscaras, causal y filas totalmente enmascaradas) y su backward **recalcula** los pesos de
# cada bloque a partir de $\log \ell + m$ (T números, uno por consulta) en lugar de guardarlos.
# Mismos resultados, memoria que no crece con $T \times S$:

# %% [markdown] lang="en"
# `attnlab.functional.tiled_attention_forward` does the same for every query at once (with
# masks, causal and fully masked rows), and its backward **recomputes** each block's weights
# from $\log \ell + m$ (T numbers, one per query) instead of storing them. Same results, memory that does not
# grow with $T \times S$:

# %%
from attnlab.functional import tiled_attention_backward, tiled_attention_forward
from attnlab.memory import peak_memory

T, D = 1024, 32
q, k, v, dout = (rng.standard_normal((T, D)) for _ in range(4))  # (T, D) each
out, cache = attention_forward(q, k, v, is_causal=True)
out_t, cache_t = tiled_attention_forward(q, k, v, is_causal=True, block_size=128)
grads = attention_backward(dout, cache)
grads_t = tiled_attention_backward(dout, cache_t)
print(tr("máx. diferencia, salida:", "max difference, output:"), np.abs(out - out_t).max())
print(
    tr("máx. diferencia, dq dk dv:", "max difference, dq dk dv:"),
    [float(np.abs(a - b).max()) for a, b in zip(grads, grads_t, strict=True)],
)
print(tr("la caché guarda", "the cache keeps"), cache.weights.shape, "vs", cache_t.lse.shape)


def standard():
    attention_backward(dout, attention_forward(q, k, v)[1])


def tiled():
    tiled_attention_backward(dout, tiled_attention_forward(q, k, v, block_size=128)[1])


MiB = 2**20
print(
    tr("memoria extra (pico), estándar:", "peak extra memory, standard:"),
    f"{peak_memory(standard) / MiB:.1f} MiB",
)
print(
    tr("memoria extra (pico), por bloques:", "peak extra memory, tiled:   "),
    f"{peak_memory(tiled) / MiB:.1f} MiB",
)

# %% [markdown] lang="es"
# Con T = 8192 en float64, la matriz de pesos sola ocupa 512 MiB; la versión por bloques
# necesita más de 20 veces menos memoria (ver `attnlab bench` y la sección «Velocidad y memoria»
# del README).

# %% [markdown] lang="en"
# At T = 8192 in float64 the weight matrix alone takes 512 MiB; the tiled version needs over 20
# times less memory (see `attnlab bench` and the README's "Speed and memory" section).

# %% [markdown] lang="es"
# ## 7. Ejercicios
#
# **Ejercicio 1.** Escribe `my_softmax_backward(dout, p)`: el gradiente respecto a los logits,
# dadas las probabilidades `p` (salida de la softmax sobre el último eje) y `dout`.

# %% [markdown] lang="en"
# ## 7. Exercises
#
# **Exercise 1.** Write `my_softmax_backward(dout, p)`: the gradient with respect to the logits,
# given the probabilities `p` (the softmax output over the last axis) and `dout`.


# %%
def my_softmax_backward(dout, p):
    # es: tu código aquí | en: your code here
    return None


ex.check_softmax_backward(my_softmax_backward)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `my_attention_backward(dout, q, k, v)` para `q` (T, D), `k` (S, D),
# `v` (S, Dv), sin máscara y con escala $1/\sqrt{D}$. Devuelve `(dq, dk, dv)`. Tendrás que
# rehacer el forward dentro (no hay caché). El corrector te dirá el error relativo de cada uno.

# %% [markdown] lang="en"
# **Exercise 2.** Write `my_attention_backward(dout, q, k, v)` for `q` (T, D), `k` (S, D),
# `v` (S, Dv), without mask and with scale $1/\sqrt{D}$. Return `(dq, dk, dv)`. You will need
# to redo the forward inside (there is no cache). The checker reports each relative error.


# %%
def my_attention_backward(dout, q, k, v):
    # es: tu código aquí | en: your code here
    return None


ex.check_attention_backward(my_attention_backward)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/04_backprop.py`. En la lección 05: varias cabezas.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/04_backprop.py`. In lesson 05: several heads.
