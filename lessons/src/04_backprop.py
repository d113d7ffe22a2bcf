# %% [markdown] lang="es"
# # Lección 04 · Retropropagación a mano
#
# Para entrenar necesitamos los gradientes de la pérdida respecto a Q, K y V. PyTorch los
# calcula solo (*autograd*); aquí los **derivamos** y los **escribimos** nosotros, y luego
# comprobamos que están bien de dos maneras independientes.
#
# **Objetivos**
# 1. Derivar la retropropagación de la softmax (en una línea) y la de la atención, paso a paso.
# 2. Leer `attention_backward`: cada línea deshace una línea del paso hacia delante.
# 3. Comprobar gradientes con `attnlab.gradcheck` (diferencias finitas) y ver cómo detecta un error.
# 4. Compararlos con el *autograd* de PyTorch.
# 5. Retropropagar LayerNorm y GELU, las otras dos piezas de TLOB y de GPT.
# 6. Cronometrar el código legible frente al afinado, y ver por qué dan los mismos números.

# %% [markdown] lang="en"
# # Lesson 04 · Backprop by hand
#
# To train we need the gradients of the loss with respect to Q, K and V. PyTorch computes them
# on its own (*autograd*); here we **derive** and **write** them ourselves, and then check them
# in two independent ways.
#
# **Goals**
# 1. Derive the backward pass of softmax (in one line) and of attention, step by step.
# 2. Read `attention_backward`: each line undoes one line of the forward pass.
# 3. Check gradients with `attnlab.gradcheck` (finite differences) and watch it catch a bug.
# 4. Compare them with PyTorch's autograd.
# 5. Backpropagate through LayerNorm and GELU, the other two pieces of TLOB and GPT.
# 6. Time the readable code against the tuned one, and see why they give the same numbers.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab.functional import attention_backward, attention_forward
from attnlab.show import parity, report_diff, setup_lesson, show_source, torch_or_none, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. La idea: gradientes que llegan desde arriba
#
# Cada operación recibe `dout` = $\partial L / \partial \text{out}$ (el gradiente de la pérdida
# respecto a su salida, con la **misma forma** que la salida) y devuelve el gradiente respecto a
# cada una de sus entradas. Nunca construimos jacobianos enteros: solo productos
# «jacobiano traspuesto × vector».
#
# El paso hacia delante de la atención son tres líneas. La retropropagación las recorre
# **al revés**:
#
# | paso hacia delante | retropropagación |
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
# **Softmax, en una línea.** Con $p = \mathrm{softmax}(x)$, el jacobiano es
# $J = \mathrm{diag}(p) - p p^\top$ (lección 01), que es simétrico, y $g$ es el gradiente que
# llega. Entonces
#
# $$J^\top g = (\mathrm{diag}(p) - p\,p^\top)\, g = p \odot g - p\,(p^\top g)
#   = p \odot \big(g - \langle p, g \rangle\big)$$
#
# fila a fila: un producto escalar $\langle p, g\rangle$ por fila y una resta, sin construir
# nunca la matriz $n \times n$. Es la línea `rowdot` del código.

# %% [markdown] lang="en"
# ## 1. The idea: gradients coming from above
#
# Each operation receives `dout` = $\partial L / \partial \text{out}$ (the gradient of the loss
# with respect to its output, with the **same shape** as the output) and returns the gradient
# with respect to each of its inputs. We never build whole Jacobians: only
# "transposed Jacobian × vector" products.
#
# The forward pass of attention is three lines. The backward pass walks them **in reverse**:
#
# | forward pass | backward pass |
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
# **Softmax, in one line.** With $p = \mathrm{softmax}(x)$, the Jacobian is
# $J = \mathrm{diag}(p) - p p^\top$ (lesson 01), which is symmetric, and $g$ is the incoming
# gradient. Then
#
# $$J^\top g = (\mathrm{diag}(p) - p\,p^\top)\, g = p \odot g - p\,(p^\top g)
#   = p \odot \big(g - \langle p, g \rangle\big)$$
#
# row by row: one dot product $\langle p, g\rangle$ per row and a subtraction, never building
# the $n \times n$ matrix. It is the `rowdot` line of the code.

# %%
p = attnlab.softmax(np.array([0.5, -1.0, 2.0, 0.0]))  # (n,)
g = np.random.default_rng(1).standard_normal(4)  # (n,) the incoming gradient
with_matrix = (np.diag(p) - np.outer(p, p)) @ g  # (n,) building J: n x n numbers
one_line = p * (g - p @ g)  # (n,) never building J
print(tr("con la matriz J:", "with the matrix J:"), with_matrix)
print(tr("en una línea:   ", "in one line:     "), one_line)
assert np.allclose(with_matrix, one_line)

# %% [markdown] lang="es"
# ## 2. El código
#
# El paso hacia delante guarda en la caché lo que la retropropagación necesita: `q`, `k`, `v`
# y los **pesos** (así no vuelve a calcular exponenciales: memoria a cambio de cálculo). Como
# en la lección 02, la primera línea del cuerpo pasa la llamada a la versión afinada mientras
# `attnlab.get_fast()` sea `True` (la sección 7 la cronometra); debajo, las líneas que
# acabamos de derivar, cada una bajo el comentario de la línea que deshace.

# %% [markdown] lang="en"
# ## 2. The code
#
# The forward pass keeps in its cache what the backward pass needs: `q`, `k`, `v` and the
# **weights** (so it does not recompute exponentials: memory traded for computation). As in
# lesson 02, the first line of the body hands the call to the tuned version while
# `attnlab.get_fast()` is `True` (section 7 times it); below, the lines we just derived, each
# under the comment of the line it undoes.

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
# con nuestra retropropagación. Devuelve el **error relativo** $\|a - b\| / \max(\|a\|, \|b\|)$.

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
# with our backward pass. It returns the **relative error** $\|a - b\| / \max(\|a\|, \|b\|)$.

# %%
rng = np.random.default_rng(0)
q = rng.standard_normal((2, 5, 8))  # (B, T, D)
k = rng.standard_normal((2, 7, 8))  # (B, S, D)
v = rng.standard_normal((2, 7, 3))  # (B, S, Dv)
mask = rng.random((2, 5, 7)) > 0.3  # (B, T, S)
with attnlab.fast_path(False):  # es: el código que acabamos de leer | en: the code we just read
    errors = attnlab.gradcheck(
        attention_forward, attention_backward, (q, k, v), kwargs={"mask": mask}
    )
print(errors)
assert errors.passed()

# %% [markdown] lang="es"
# Errores de 1e-9 o menos: la retropropagación es correcta. ¿Y si nos equivocamos? Olvidemos
# la escala $s$ en `dq` (un error típico) y veamos si `gradcheck` lo detecta.

# %% [markdown] lang="en"
# Errors of 1e-9 or less: the backward pass is right. And if we make a mistake? Let us forget
# the scale $s$ in `dq` (a typical slip) and see whether `gradcheck` notices.


# %%
def buggy_backward(dout, cache):
    dq, dk, dv = attention_backward(dout, cache)
    # es: como si olvidáramos «* scale» en dq | en: as if we forgot "* scale" in dq
    return dq / cache.scale, dk, dv


errors = attnlab.gradcheck(attention_forward, buggy_backward, (q, k, v))
print(errors)
assert errors["q"] > 1e-2 and errors["k"] < 1e-6 and errors["v"] < 1e-6

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
assert (dq[3] == 0).all()

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
    diffs = [report_diff("out", out, t_out)]
    for name, ours, theirs in zip(
        ("dq", "dk", "dv"), grads, (tq.grad, tk.grad, tv.grad), strict=True
    ):
        diffs.append(report_diff(name, ours, theirs))
    assert max(diffs) <= 1e-10
else:
    assert parity("attention_bool_mask").passed()

# %% [markdown] lang="es"
# ## 6. LayerNorm y GELU
#
# TLOB (lección 07) y GPT usan otras dos piezas con retropropagación propia.
#
# **LayerNorm** normaliza cada fila de E rasgos y luego la escala y desplaza:
#
# $$\mu = \tfrac{1}{E}\textstyle\sum_i x_i,\quad \sigma^2 = \tfrac{1}{E}\sum_i (x_i - \mu)^2,\quad
#   r = \frac{1}{\sqrt{\sigma^2 + \varepsilon}},\quad \hat{x} = (x - \mu)\, r,\quad
#   y = \hat{x} \odot \gamma + \beta$$
#
# Las dos últimas operaciones son como las de `Linear`: $d\beta = \sum \mathrm{d}y$ y
# $d\gamma = \sum \mathrm{d}y \odot \hat{x}$ (sumando sobre las filas), y
# $d\hat{x} = \mathrm{d}y \odot \gamma$. Lo interesante es $\hat{x}$, la puntuación z de la fila:
# su jacobiano es
# $\partial \hat{x}/\partial x = r\,(I - \tfrac{1}{E}\mathbf{1}\mathbf{1}^\top - \tfrac{1}{E}\hat{x}\hat{x}^\top)$,
# simétrico (restar la media quita la dirección
# $\mathbf{1}$; dividir por la desviación quita la dirección $\hat{x}$). Aplicado a $d\hat{x}$:
#
# $$dx = r\,\big(d\hat{x} - \mathrm{media}(d\hat{x}) - \hat{x}\, \mathrm{media}(d\hat{x} \odot \hat{x})\big)$$
#
# Por eso la caché guarda solo $\hat{x}$ y $r$.

# %% [markdown] lang="en"
# ## 6. LayerNorm and GELU
#
# TLOB (lesson 07) and GPT use two more pieces with a backward pass of their own.
#
# **LayerNorm** normalises each row of E features, then scales and shifts it:
#
# $$\mu = \tfrac{1}{E}\textstyle\sum_i x_i,\quad \sigma^2 = \tfrac{1}{E}\sum_i (x_i - \mu)^2,\quad
#   r = \frac{1}{\sqrt{\sigma^2 + \varepsilon}},\quad \hat{x} = (x - \mu)\, r,\quad
#   y = \hat{x} \odot \gamma + \beta$$
#
# The last two operations are like `Linear`'s: $d\beta = \sum \mathrm{d}y$ and
# $d\gamma = \sum \mathrm{d}y \odot \hat{x}$ (summing over the rows), and
# $d\hat{x} = \mathrm{d}y \odot \gamma$. The interesting part is $\hat{x}$, the row's z-score:
# its Jacobian is
# $\partial \hat{x}/\partial x = r\,(I - \tfrac{1}{E}\mathbf{1}\mathbf{1}^\top - \tfrac{1}{E}\hat{x}\hat{x}^\top)$,
# symmetric (subtracting the mean removes the direction
# $\mathbf{1}$; dividing by the std removes the direction $\hat{x}$). Applied to $d\hat{x}$:
#
# $$dx = r\,\big(d\hat{x} - \mathrm{mean}(d\hat{x}) - \hat{x}\, \mathrm{mean}(d\hat{x} \odot \hat{x})\big)$$
#
# That is why the cache keeps only $\hat{x}$ and $r$.

# %%
from attnlab.functional import layer_norm_backward, layer_norm_forward
from attnlab.reference import compare_layer_norm

show_source(layer_norm_backward)
x = rng.standard_normal((4, 6)) * 3 + 1  # (B, E)
gamma, beta = rng.standard_normal(6), rng.standard_normal(6)  # (E,) each
errors = attnlab.gradcheck(layer_norm_forward, layer_norm_backward, (x, gamma, beta))
print(errors)
assert errors.passed()
assert parity("layer_norm", compare_layer_norm, x, gamma, beta).passed()

# %% [markdown] lang="es"
# **GELU** (la versión exacta, la de `torch.nn.GELU()`) multiplica cada número por la
# probabilidad de que una normal estándar quede por debajo de él:
# $\mathrm{GELU}(x) = x\,\Phi(x)$, con $\Phi$ la función de distribución normal. Es un producto,
# así que la regla del producto y $\Phi' = \varphi$ (la densidad normal) dan
#
# $$\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \qquad
#   \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}, \qquad dx = \mathrm{dout} \odot \mathrm{GELU}'(x).$$
#
# La caché guarda $\Phi(x)$ para no volver a calcular la función de error. (El ejercicio 3 te
# pide escribirla.)

# %% [markdown] lang="en"
# **GELU** (the exact version, `torch.nn.GELU()`'s) multiplies each number by the probability
# that a standard normal falls below it: $\mathrm{GELU}(x) = x\,\Phi(x)$, with $\Phi$ the normal
# CDF. It is a product, so the product rule and $\Phi' = \varphi$ (the normal density) give
#
# $$\mathrm{GELU}'(x) = \Phi(x) + x\,\varphi(x), \qquad
#   \varphi(x) = \frac{e^{-x^2/2}}{\sqrt{2\pi}}, \qquad dx = \mathrm{dout} \odot \mathrm{GELU}'(x).$$
#
# The cache keeps $\Phi(x)$ so as not to compute the error function again. (Exercise 3 asks you
# to write it.)

# %%
from attnlab.functional import gelu_backward, gelu_forward
from attnlab.reference import compare_gelu

with attnlab.fast_path(False):
    show_source(gelu_backward)
    errors = attnlab.gradcheck(gelu_forward, gelu_backward, (x,))
print(errors)
assert errors.passed()
assert parity("gelu", compare_gelu, x).passed()

# %% [markdown] lang="es"
# ## 7. El código legible y el afinado
#
# Todo lo que has leído es el camino **legible**: escrito como se lee la matemática. Los módulos
# (`MultiHeadAttention`, TLOB) usan por defecto un camino **afinado**, en
# `attnlab/functional/fast/`, que da los mismos números más deprisa. `attnlab.fast_path(False)`
# elige el legible dentro de un bloque `with`. Cronometremos los dos con el paso hacia delante
# y la retropropagación de una atención de 8 cabezas en `float32`:

# %% [markdown] lang="en"
# ## 7. The readable code and the tuned code
#
# Everything you have read is the **readable** path: written as the maths reads. The modules
# (`MultiHeadAttention`, TLOB) use a **tuned** path by default, in `attnlab/functional/fast/`,
# which gives the same numbers faster. `attnlab.fast_path(False)` picks the readable one inside
# a `with` block. Let us time both on the forward and backward passes of an 8-head attention in
# `float32`:

# %%
import time

shape = (2, 8, 128, 64) if QUICK else (8, 8, 128, 64)  # (B, H, T, D)
repeats = 3 if QUICK else 7
qt, kt, vt, doutt = (rng.standard_normal(shape).astype(np.float32) for _ in range(4))


def forward_and_backward():
    out, cache = attention_forward(qt, kt, vt, is_causal=True)
    return (out, *attention_backward(doutt, cache))


results, best = {}, {}
for fast in (False, True):
    with attnlab.fast_path(fast):
        results[fast] = forward_and_backward()  # es: una vez para calentar | en: once to warm up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            forward_and_backward()
            times.append(time.perf_counter() - start)
        best[fast] = min(times)
print(f"{tr('legible', 'readable'):>9}: {best[False] * 1e3:7.1f} ms")
print(f"{tr('afinado', 'tuned'):>9}: {best[True] * 1e3:7.1f} ms")
print(tr("cociente:", "ratio:"), f"{best[False] / best[True]:.1f}x")
for name, a, b in zip(("out", "dq", "dk", "dv"), results[False], results[True], strict=True):
    rel = np.abs(a - b).max() / np.abs(a).max()
    print(f"  {name}: {tr('diferencia relativa máxima', 'max relative difference')} {rel:.1e}")
    assert rel < 1e-5  # es: redondeo de float32 | en: float32 rounding

# %% [markdown] lang="es"
# La medida es del mejor de varios intentos y depende de la máquina (en una compartida varía
# mucho); `benchmarks/core_notes.md` tiene las medidas con cuidado. Con matrices pequeñas los
# dos tardan casi lo mismo: ahí manda el coste fijo de cada llamada a NumPy. Qué cambia el
# camino afinado (`attnlab/functional/fast/attention.py`), y por qué sigue siendo la misma
# matemática:
#
# - **Bloques de cabezas en la caché de la CPU.** Las cabezas se recorren por bloques cuyas puntuaciones
#   T × S caben en la caché de la CPU, y cada bloque hace puntuaciones, máscara, softmax y `@ v`
#   antes de pasar al siguiente, así que la softmax encuentra sus datos en la caché. Cada cabeza
#   hace las mismas operaciones que en el camino legible: solo cambia el orden en que se
#   recorren cabezas que son independientes.
# - **Softmax en su sitio.** Las puntuaciones se escriben con `matmul(out=)` en la única matriz
#   T × S que se guarda, y la softmax las sobrescribe (`-=`, `exp(out=)`, `*=`) sin crear
#   matrices temporales; la escala multiplica `q` (T × D números) y no las puntuaciones
#   (T × S). Son las mismas operaciones sobre los mismos números: $(q\,s)\,k^\top = s\,(q\,k^\top)$,
#   salvo el redondeo.
# - **rowdot = dout · out.** La suma por filas de la retropropagación,
#   $\sum_j \mathrm{dweights}_{ij}\,\mathrm{weights}_{ij}$, se calcula como
#   $\mathrm{dout}_i \cdot \mathrm{out}_i$: Dv números por fila en lugar de S, como hace
#   FlashAttention. Es una identidad exacta, porque $\mathrm{dweights} = \mathrm{dout}\,v^\top$ y
#   $\mathrm{out} = \mathrm{weights}\,v$ (la comprobamos abajo).
# - **Hilos.** Los bloques de cabezas son independientes, así que los trabajos grandes se
#   reparten entre hilos (`attnlab.set_num_threads`). Cada bloque se calcula igual en el hilo
#   que le toque: repartir cambia el tiempo, no la cuenta.
#
# Las diferencias de arriba, del orden de 1e-7 en `float32`, son redondeo: sumar en otro orden.

# %% [markdown] lang="en"
# The timing is the best of a few tries and depends on the machine (on a shared one it varies a
# lot); `benchmarks/core_notes.md` has careful measurements. With small matrices both take
# about the same time: there the fixed cost of each NumPy call dominates. What the tuned path
# (`attnlab/functional/fast/attention.py`) changes, and why it is still the same maths:
#
# - **Head blocks in the CPU cache.** Heads are walked in blocks whose T × S scores fit in the CPU
#   cache, and each block does scores, mask, softmax and `@ v` before the next one starts, so
#   the softmax finds its data in the cache. Each head does the same operations as on the
#   readable path: only the order in which independent heads are visited changes.
# - **Softmax in place.** The scores are written by `matmul(out=)` into the one T × S array
#   that is kept, and the softmax overwrites them (`-=`, `exp(out=)`, `*=`) without temporary
#   arrays; the scale multiplies `q` (T × D numbers), not the scores (T × S). The same
#   operations on the same numbers: $(q\,s)\,k^\top = s\,(q\,k^\top)$, up to rounding.
# - **rowdot = dout · out.** The backward's row sums,
#   $\sum_j \mathrm{dweights}_{ij}\,\mathrm{weights}_{ij}$, are computed as
#   $\mathrm{dout}_i \cdot \mathrm{out}_i$: Dv numbers per row instead of S, as FlashAttention
#   does. It is an exact identity, because $\mathrm{dweights} = \mathrm{dout}\,v^\top$ and
#   $\mathrm{out} = \mathrm{weights}\,v$ (we check it below).
# - **Threads.** Head blocks are independent, so large jobs are split between threads
#   (`attnlab.set_num_threads`). Each block is computed the same way on whichever thread gets
#   it: splitting changes the time, not the arithmetic.
#
# The differences above, around 1e-7 in `float32`, are rounding: summing in another order.

# %%
# es: q, k, v en float64, de la sección 3 | en: q, k, v in float64, from section 3
out, cache = attention_forward(q, k, v, mask)
dout = rng.standard_normal(out.shape)  # (B, T, Dv)
dweights = dout @ v.swapaxes(-1, -2)  # (B, T, S)
rowdot_readable = np.sum(dweights * cache.weights, axis=-1)  # (B, T): S numbers per row
rowdot_tuned = np.sum(dout * out, axis=-1)  # (B, T): Dv numbers per row
print(
    tr("rowdot, diferencia máxima:", "rowdot, max difference:"),
    f"{np.abs(rowdot_readable - rowdot_tuned).max():.1e}",
)
assert np.allclose(rowdot_readable, rowdot_tuned, rtol=0, atol=1e-12)

# %% [markdown] lang="es"
# ## 8. Para saber más: la softmax «en línea»
#
# Nuestra atención guarda la matriz de pesos (T, S) completa. Con secuencias largas eso no cabe
# en memoria. La **softmax en línea** procesa las claves por bloques y mantiene, por cada
# consulta, el máximo $m$ visto hasta ahora, la suma $\ell$ de exponenciales y la salida
# parcial; al llegar un bloque nuevo con máximo $m'$, reescala lo acumulado por $e^{m - m'}$.
# El resultado es idéntico y la memoria ya no crece con $T \times S$: es la idea de
# FlashAttention.

# %% [markdown] lang="en"
# ## 8. Going further: the "online" softmax
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
online, at_once = acc / l, w @ vals  # (Dv,) each
print(
    tr("en línea - de golpe, diferencia máxima:", "online - at once, max difference:"),
    f"{np.abs(online - at_once).max():.1e}",
)
assert np.allclose(online, at_once, rtol=0, atol=1e-12)

# %% [markdown] lang="es"
# Una diferencia del orden de 1e-16: la misma cuenta hecha en otro orden. Y
# `attnlab.functional.tiled_attention_forward` hace lo mismo para todas las consultas a la vez
# (con máscaras, causal y filas totalmente enmascaradas) y su retropropagación **recalcula** los
# pesos de cada bloque a partir de $\log \ell + m$ (T números, uno por consulta) en lugar de
# guardarlos. Mismos resultados, memoria que no crece con $T \times S$:

# %% [markdown] lang="en"
# A difference around 1e-16: the same sum done in another order. And
# `attnlab.functional.tiled_attention_forward` does the same for every query at once (with
# masks, causal and fully masked rows), and its backward pass **recomputes** each block's
# weights from $\log \ell + m$ (T numbers, one per query) instead of storing them. Same results,
# memory that does not grow with $T \times S$:

# %%
from attnlab.functional import tiled_attention_backward, tiled_attention_forward
from attnlab.memory import peak_memory

T, D = 1024, 32
q, k, v, dout = (rng.standard_normal((T, D)) for _ in range(4))  # (T, D) each
out, cache = attention_forward(q, k, v, is_causal=True)
out_t, cache_t = tiled_attention_forward(q, k, v, is_causal=True, block_size=128)
grads = attention_backward(dout, cache)
grads_t = tiled_attention_backward(dout, cache_t)
diffs = [np.abs(a - b).max() for a, b in zip((out, *grads), (out_t, *grads_t), strict=True)]
print(
    tr("diferencia máxima, out dq dk dv:", "max difference, out dq dk dv:"),
    " ".join(f"{d:.1e}" for d in diffs),
)
assert max(diffs) < 1e-12
print(
    tr("la caché guarda", "the cache keeps"),
    cache.weights.shape,
    tr("frente a", "vs"),
    cache_t.lse.shape,
)


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
# ## 9. Ejercicios
#
# **Ejercicio 1.** Escribe `my_softmax_backward(dout, p)`: el gradiente respecto a los logits,
# dadas las probabilidades `p` (salida de la softmax sobre el último eje) y `dout`.

# %% [markdown] lang="en"
# ## 9. Exercises
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
# rehacer el paso hacia delante dentro (no hay caché). El corrector te dirá el error relativo
# de cada uno.

# %% [markdown] lang="en"
# **Exercise 2.** Write `my_attention_backward(dout, q, k, v)` for `q` (T, D), `k` (S, D),
# `v` (S, Dv), without mask and with scale $1/\sqrt{D}$. Return `(dq, dk, dv)`. You will need
# to redo the forward pass inside (there is no cache). The checker reports each relative error.


# %%
def my_attention_backward(dout, q, k, v):
    # es: tu código aquí | en: your code here
    return None


ex.check_attention_backward(my_attention_backward)

# %% [markdown] lang="es"
# **Ejercicio 3.** Escribe `my_gelu_backward(dout, x)`: el gradiente de
# $\mathrm{GELU}(x) = x\,\Phi(x)$ respecto a `x`. Para $\Phi$ puedes usar
# `scipy.special.erf`: $\Phi(x) = (1 + \mathrm{erf}(x/\sqrt{2}))/2$.

# %% [markdown] lang="en"
# **Exercise 3.** Write `my_gelu_backward(dout, x)`: the gradient of
# $\mathrm{GELU}(x) = x\,\Phi(x)$ with respect to `x`. For $\Phi$ you may use
# `scipy.special.erf`: $\Phi(x) = (1 + \mathrm{erf}(x/\sqrt{2}))/2$.


# %%
def my_gelu_backward(dout, x):
    # es: tu código aquí | en: your code here
    return None


ex.check_gelu_backward(my_gelu_backward)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/04_backprop.py`. En la lección 05: varias cabezas.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/04_backprop.py`. In lesson 05: several heads.
