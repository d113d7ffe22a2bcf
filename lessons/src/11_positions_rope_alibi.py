# %% [markdown] lang="es"
# # Lección 11 · Posiciones que giran y posiciones que se desvanecen
#
# En la lección 06 **sumamos** a cada token una fila de una tabla de posiciones. Muchos modelos
# actuales hacen otra cosa: meten la posición **dentro** de la atención. RoPE (LLaMA, GPT-NeoX) gira
# las consultas y las claves; ALiBi (BLOOM, MPT) resta a cada puntuación una penalización que
# crece con la distancia. Las dos dependen solo de **cuánto** separa a dos tokens, y eso cambia
# lo que el modelo hace con secuencias más largas que las que vio al entrenar.
#
# **Objetivos**
# 1. Ver que la tabla sinusoidal avanza $k$ posiciones con una **rotación fija** de cada par de
#    columnas (construir la matriz y comprobarlo).
# 2. Entender por qué el producto escalar, por sí solo, **no distingue antes de después**.
# 3. RoPE: poner la rotación **dentro** de $q \cdot k$ para que la puntuación dependa solo del
#    desfase; comprobarlo con números y frente a torch.
# 4. ALiBi: una **penalización lineal** por cabeza y sus pendientes.
# 5. El experimento: entrenar con 64 caracteres y evaluar con hasta 512.
#
# Con `ATTNLAB_QUICK=1` (como en la integración continua) el entrenamiento en vivo de la
# sección 5 es diminuto y sus números no significan nada; los resultados completos vienen
# guardados con attnlab.

# %% [markdown] lang="en"
# # Lesson 11 · Positions that rotate and positions that fade
#
# In lesson 06 we **added** a row of a position table to each token. Today's models do something
# else: they put the position **inside** attention. RoPE (LLaMA, GPT-NeoX) rotates the queries
# and the keys; ALiBi (BLOOM, MPT) subtracts from each score a penalty that grows with the
# distance. Both depend only on **how far apart** two tokens are, and that changes what the model
# does with sequences longer than those it saw in training.
#
# **Goals**
# 1. See that the sinusoidal table moves $k$ positions ahead by a **fixed rotation** of each
#    pair of columns (build the matrix and check it).
# 2. Understand why the dot product alone **cannot tell before from after**.
# 3. RoPE: put the rotation **inside** $q \cdot k$ so that the score depends only on the offset;
#    check it with numbers and against torch.
# 4. ALiBi: a **linear penalty** per head, and its slopes.
# 5. The experiment: train on 64 characters and test on up to 512.
#
# With `ATTNLAB_QUICK=1` (as in continuous integration) the live training of section 5 is tiny
# and its numbers mean nothing; the full results ship with attnlab.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab import gallery
from attnlab.functional import rope_backward, rope_forward
from attnlab.show import setup_lesson, show_source, torch_or_none, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. La tabla sinusoidal gira
#
# Cada par de columnas de la tabla de la lección 06 es un punto que da vueltas a una velocidad
# $\omega_i = 10000^{-2i/E}$: $PE_p = (\sin \omega p,\ \cos \omega p)$. Avanzar $k$ posiciones es
# sumar $\omega k$ al ángulo, y con $\sin(a+b) = \sin a \cos b + \cos a \sin b$:
#
# $$\begin{pmatrix} \sin \omega(p+k) \\ \cos \omega(p+k) \end{pmatrix} =
#   \underbrace{\begin{pmatrix} \cos \omega k & \sin \omega k \\
#                               -\sin \omega k & \cos \omega k \end{pmatrix}}_{R(\omega k)}
#   \begin{pmatrix} \sin \omega p \\ \cos \omega p \end{pmatrix}$$
#
# La matriz $R(\omega k)$ **no depende de $p$**: la misma rotación lleva cualquier posición a la
# que está $k$ más allá. Construyámosla para un par y comprobémoslo en toda la tabla.

# %% [markdown] lang="en"
# ## 1. The sinusoidal table rotates
#
# Each pair of columns of lesson 06's table is a point going round at a speed
# $\omega_i = 10000^{-2i/E}$: $PE_p = (\sin \omega p,\ \cos \omega p)$. Moving $k$ positions
# ahead adds $\omega k$ to the angle, and with $\sin(a+b) = \sin a \cos b + \cos a \sin b$:
#
# $$\begin{pmatrix} \sin \omega(p+k) \\ \cos \omega(p+k) \end{pmatrix} =
#   \underbrace{\begin{pmatrix} \cos \omega k & \sin \omega k \\
#                               -\sin \omega k & \cos \omega k \end{pmatrix}}_{R(\omega k)}
#   \begin{pmatrix} \sin \omega p \\ \cos \omega p \end{pmatrix}$$
#
# The matrix $R(\omega k)$ **does not depend on $p$**: the same rotation takes any position to
# the one $k$ further on. Let us build it for one pair and check it on the whole table.

# %%
T, E = 64, 16
table = attnlab.sinusoidal_encoding(T, E)  # (T, E)
# es: el par de columnas (4, 5) y un salto de 5 posiciones | en: the column pair (4, 5) and a jump of 5 positions
i, k = 2, 5
omega = 10000.0 ** (-2 * i / E)
R = np.array([[np.cos(omega * k), np.sin(omega * k)], [-np.sin(omega * k), np.cos(omega * k)]])
# es: (sin, cos) de cada posición; R aplicada a las filas de las posiciones 0 .. T - k - 1 | en: (sin, cos) of every position; R applied to the rows of positions 0 .. T - k - 1
pair = table[:, 2 * i : 2 * i + 2]  # (T, 2)
moved = pair[:-k] @ R.T  # (T - k, 2)
err = np.abs(moved - pair[k:]).max()
print(
    tr(
        f"máx |R·PE_p − PE_(p+k)| en las {T - k} posiciones: {err:.1e}",
        f"max |R·PE_p − PE_(p+k)| over the {T - k} positions: {err:.1e}",
    )
)
assert err < 1e-12

# %% [markdown] lang="es"
# Con una rotación por par, una matriz por bloques $M_k$ (E × E) lleva **toda** la fila:
# $PE_{p+k} = M_k\, PE_p$ para cada $p$.

# %% [markdown] lang="en"
# With one rotation per pair, a block matrix $M_k$ (E × E) moves the **whole** row:
# $PE_{p+k} = M_k\, PE_p$ for every $p$.

# %%
# es: una rotación 2 x 2 por cada par de columnas, en la diagonal | en: one 2 x 2 rotation per pair of columns, on the diagonal
M = np.zeros((E, E))  # (E, E)
for j in range(E // 2):
    w = 10000.0 ** (-2 * j / E)
    M[2 * j : 2 * j + 2, 2 * j : 2 * j + 2] = [
        [np.cos(w * k), np.sin(w * k)],
        [-np.sin(w * k), np.cos(w * k)],
    ]
err = np.abs(table[:-k] @ M.T - table[k:]).max()
print(tr("máx", "max"), f"|M_k·PE_p − PE_(p+k)| = {err:.1e}")
assert err < 1e-12

# %% [markdown] lang="es"
# ## 2. El producto escalar no distingue antes de después
#
# Las rotaciones conservan los productos escalares, así que $PE_p \cdot PE_{p+k}$ solo depende
# del ángulo **entre** los dos puntos de cada par: $\sum_i \cos(\omega_i k)$. Y el coseno es
# par: $\cos(\omega k) = \cos(-\omega k)$. La posición $p$ se parece **tanto** a la que está $k$
# antes **como** a la que está $k$ después.

# %% [markdown] lang="en"
# ## 2. The dot product cannot tell before from after
#
# Rotations keep dot products, so $PE_p \cdot PE_{p+k}$ depends only on the angle **between**
# the two points of each pair: $\sum_i \cos(\omega_i k)$. And cosine is even:
# $\cos(\omega k) = \cos(-\omega k)$. Position $p$ resembles the one $k$ before **exactly as
# much** as the one $k$ after.

# %%
p = 30
print(f"PE_30·PE_35 = {table[p] @ table[p + k]:.6f}   PE_30·PE_25 = {table[p] @ table[p - k]:.6f}")
assert abs(table[p] @ table[p + k] - table[p] @ table[p - k]) < 1e-12

# %% [markdown] lang="es"
# Para saber si una clave está antes o después, el modelo necesita algo que rompa la simetría.
# Con la tabla sumada a la entrada, lo tienen que aprender las matrices $W_q$ y $W_k$, mezclado
# con el contenido de los tokens. RoPE lo hace por construcción: gira la consulta y la clave
# **por separado**, y en general $q \cdot R_{o}\, k \neq q \cdot R_{-o}\, k$, con $R_o$ la
# rotación de un desfase $o$ (salvo casos especiales, como $q = k$).
#
# ## 3. RoPE: la rotación dentro de $q \cdot k$
#
# RoPE no suma nada. Gira cada par de rasgos $(x_i, x_{i+D/2})$ de la consulta y de la clave
# por un ángulo $p\,\theta_i$, con $\theta_i = 10000^{-2i/D}$ y $p$ la posición del token. Si
# $R_m$ es la rotación de la posición $m$ (una matriz por bloques, como $M_k$):
#
# $$(R_m q) \cdot (R_n k) = q^\top R_m^\top R_n\, k = q \cdot R_{n-m}\, k$$
#
# porque girar $-m$ y luego $n$ es girar $n - m$. La puntuación depende de las posiciones
# **solo a través del desfase** $n - m$. Este es el código (la rotación y su retropropagación,
# que es la rotación inversa):

# %% [markdown] lang="en"
# To know whether a key comes before or after, the model needs something that breaks the
# symmetry. With the table added to the input, the matrices $W_q$ and $W_k$ must learn it, mixed
# with the tokens' content. RoPE does it by construction: it rotates the query and the key
# **separately**, and in general $q \cdot R_{o}\, k \neq q \cdot R_{-o}\, k$, with $R_o$ the
# rotation of an offset $o$ (except in special cases, such as $q = k$).
#
# ## 3. RoPE: the rotation inside $q \cdot k$
#
# RoPE adds nothing. It rotates each pair of features $(x_i, x_{i+D/2})$ of the query and of
# the key by an angle $p\,\theta_i$, with $\theta_i = 10000^{-2i/D}$ and $p$ the token's
# position. If $R_m$ is the rotation of position $m$ (a block matrix, like $M_k$):
#
# $$(R_m q) \cdot (R_n k) = q^\top R_m^\top R_n\, k = q \cdot R_{n-m}\, k$$
#
# because turning by $-m$ and then by $n$ is turning by $n - m$. The score depends on the
# positions **only through the offset** $n - m$. This is the code (the rotation and its
# backward pass, which is the inverse rotation):

# %%
show_source(rope_forward)
show_source(rope_backward)

# %% [markdown] lang="es"
# Comprobémoslo: la misma consulta y la misma clave, colocadas en tres sitios distintos con el
# mismo desfase (+5), dan la misma puntuación; con el desfase contrario (−5), otra.

# %% [markdown] lang="en"
# Let us check: the same query and the same key, placed at three different places with the same
# offset (+5), give the same score; with the opposite offset (−5), another one.

# %%
rng = np.random.default_rng(0)
q, key = rng.standard_normal((2, 16))  # q, key: (D,)


def rope_score(m, n):
    return (rope_forward(q[None], [m])[0] @ rope_forward(key[None], [n])[0].T).item()


same = [rope_score(m, m + 5) for m in (3, 100, 1000)]
print(tr("desfase +5 en m = 3, 100, 1000:", "offset +5 at m = 3, 100, 1000:"), np.round(same, 10))
print(tr("desfase −5 en m = 100:", "offset −5 at m = 100:"), round(rope_score(100, 95), 10))
assert np.ptp(same) < 1e-10 and abs(rope_score(100, 95) - same[0]) > 1e-3

# %% [markdown] lang="es"
# En la figura, a la izquierda, tres pares de rasgos girando con la posición: el par 0 da una
# vuelta cada $2\pi$ posiciones, los siguientes cada vez más despacio. En el centro, la
# puntuación frente al desfase para consultas en $m$ = 40, 100, 300 y 1000: **una sola curva**.
# A la derecha, lo mismo sumando la tabla sinusoidal a $q$ y $k$: las curvas se separan, porque
# $q \cdot PE_n$ y $PE_m \cdot k$ dependen de dónde está el par, no solo del desfase.

# %% [markdown] lang="en"
# In the figure, on the left, three pairs of features turning with the position: pair 0 turns
# once every $2\pi$ positions, the next ones ever more slowly. In the middle, the score against
# the offset for queries at $m$ = 40, 100, 300 and 1000: **one single curve**. On the right, the
# same after adding the sinusoidal table to $q$ and $k$: the curves move apart, because
# $q \cdot PE_n$ and $PE_m \cdot k$ depend on where the pair sits, not only on the offset.

# %%
fig = gallery.build("rope_rotation", lang=LANG)

# %% [markdown] lang="es"
# Explora un par: elige la posición y el par. La flecha muestra adónde apunta ese par de un
# vector que en la posición 0 vale (1, 0); el título da el ángulo y cada cuántas posiciones da
# una vuelta.

# %% [markdown] lang="en"
# Explore one pair: choose the position and the pair. The arrow shows where that pair of a
# vector that is (1, 0) at position 0 points; the title gives the angle and how many positions
# one turn takes.

# %%
from attnlab.interactive_positions import rotation_state
from attnlab.viz.interactive_positions import rotation_explorer

state = rotation_state(position=10, pair=1, dim=16)
print(
    tr(
        f"par 1 en la posición 10: {state.angle:.3f} rad, una vuelta cada {state.wavelength:.1f} posiciones",
        f"pair 1 at position 10: {state.angle:.3f} rad, one turn every {state.wavelength:.1f} positions",
    )
)
rotation_explorer(dim=16, lang=LANG)

# %% [markdown] lang="es"
# **Dos convenciones.** attnlab empareja $x_i$ con $x_{i+D/2}$ («rotar la mitad», como GPT-NeoX
# y LLaMA). El artículo original (RoFormer) y GPT-J emparejan vecinos, $(x_{2i}, x_{2i+1})$,
# con los mismos ángulos. Es **la misma rotación con los rasgos permutados**: para pasar pesos
# de una a otra hay que permutar las filas de $W_q$ y $W_k$.

# %% [markdown] lang="en"
# **Two conventions.** attnlab pairs $x_i$ with $x_{i+D/2}$ ("rotate half", as GPT-NeoX and
# LLaMA do). The original paper (RoFormer) and GPT-J pair neighbours, $(x_{2i}, x_{2i+1})$,
# with the same angles. It is **the same rotation with the features permuted**: to move weights
# from one to the other, permute the rows of $W_q$ and $W_k$.

# %%
from attnlab.functional.rope import interleaved_order

x = rng.standard_normal((4, 8))  # (T, D)
perm = interleaved_order(8)
print(tr("permutación:", "permutation:"), perm)
# es: los pares (x_2i, x_2i+1) girados los mismos ángulos | en: the pairs (x_2i, x_2i+1) turned by the same angles
interleaved = np.empty_like(x)  # (T, D)
for j in range(4):
    angle = np.arange(4) * 10000.0 ** (-2 * j / 8)  # (T,)
    c, s = np.cos(angle), np.sin(angle)
    interleaved[:, 2 * j] = x[:, 2 * j] * c - x[:, 2 * j + 1] * s
    interleaved[:, 2 * j + 1] = x[:, 2 * j + 1] * c + x[:, 2 * j] * s
err = np.abs(rope_forward(x[:, perm])[0] - interleaved[:, perm]).max()
print(
    tr(
        f"intercalada = rotar la mitad de los rasgos permutados: {err:.1e}",
        f"interleaved = rotate-half of the permuted features: {err:.1e}",
    )
)
assert err < 1e-14

# %% [markdown] lang="es"
# Comparamos `rope_forward` y `rope_backward` con dos referencias independientes: la fórmula en
# números complejos ($z_i = x_i + j\,x_{i+D/2}$ multiplicado por $e^{j p \theta_i}$) y, si está
# instalado, torch con la forma `rotate_half` de LLaMA y su autograd.

# %% [markdown] lang="en"
# We compare `rope_forward` and `rope_backward` with two independent references: the formula in
# complex numbers ($z_i = x_i + j\,x_{i+D/2}$ times $e^{j p \theta_i}$) and, if it is installed,
# torch with LLaMA's `rotate_half` form and its autograd.

# %%
x = rng.standard_normal((2, 3, 7, 16))  # (B, H, T, D)
positions = np.array([0, 4, 9, 50, 51, 300, 2000])
out, cache = rope_forward(x, positions)
theta = 10000.0 ** (-np.arange(0, 16, 2) / 16)  # (D/2,)
z = (x[..., :8] + 1j * x[..., 8:]) * np.exp(1j * positions[:, None] * theta)  # (B, H, T, D/2)
err = np.abs(out - np.concatenate([z.real, z.imag], axis=-1)).max()
print(tr(f"frente a los números complejos: {err:.1e}", f"against complex numbers: {err:.1e}"))
assert err < 1e-12
torch = torch_or_none()
if torch is not None:
    from attnlab.reference.rope import compare_rope

    report = compare_rope(x, positions)
    print(report)
    ok = report.passed(abs_tol=1e-12)
    verdict = tr("coinciden", "they match") if ok else tr("¡NO coinciden!", "they DO NOT match!")
    print(
        tr(
            f"→ diferencia máxima con torch {torch.__version__}: {report.max_abs:.1e} ({verdict})",
            f"→ max difference from torch {torch.__version__}: {report.max_abs:.1e} ({verdict})",
        )
    )
    assert ok

# %% [markdown] lang="es"
# En un modelo, RoPE va dentro de cada cabeza, después de las proyecciones y antes de las
# puntuaciones: `MultiHeadAttention(E, H, rope=True)` y `GPTConfig(position="rope")`. Como nada
# depende de la posición absoluta, desplazar todas las posiciones no cambia la salida. Con la
# caché KV, cada clave nueva se gira **una vez**, en su posición absoluta, y se guarda ya girada.

# %% [markdown] lang="en"
# In a model, RoPE goes inside every head, after the projections and before the scores:
# `MultiHeadAttention(E, H, rope=True)` and `GPTConfig(position="rope")`. As nothing depends on
# the absolute position, shifting every position leaves the output unchanged. With the KV cache,
# each new key is rotated **once**, at its absolute position, and stored already rotated.

# %%
from attnlab.nn import MultiHeadAttention

mha = MultiHeadAttention(16, 4, rope=True, rng=0)
x = rng.standard_normal((1, 6, 16))  # (B, T, E)
far = np.arange(500, 506)
shift = np.abs(
    mha(x, is_causal=True)[0] - mha(x, is_causal=True, query_positions=far, key_positions=far)[0]
).max()
print(
    tr(
        f"posiciones 0..5 frente a 500..505: {shift:.1e}",
        f"positions 0..5 vs 500..505: {shift:.1e}",
    )
)
assert shift < 1e-12

# %% [markdown] lang="es"
# ## 4. ALiBi: posiciones que se desvanecen
#
# ALiBi (Press et al., 2022) ni suma ni gira: resta a cada puntuación una penalización
# proporcional a la distancia entre la consulta $i$ y la clave $j$, con una pendiente $m_h$
# propia de cada cabeza:
#
# $$\text{puntuación}_{h,i,j} = \frac{q_i \cdot k_j}{\sqrt{D}} - m_h\,|i - j|$$
#
# Con $H$ potencia de dos, las pendientes son $2^{-8/H}, 2^{-16/H}, \dots, 2^{-8}$: una cabeza
# con pendiente grande mira solo a los últimos tokens; una con pendiente diminuta ve lejos. Si
# $H$ no es potencia de dos, se toman las de la potencia de dos $n$ inferior y se completa con
# las de $2n$ de índice par.

# %% [markdown] lang="en"
# ## 4. ALiBi: positions that fade
#
# ALiBi (Press et al., 2022) neither adds nor rotates: it subtracts from each score a penalty
# proportional to the distance between query $i$ and key $j$, with a slope $m_h$ of each head's
# own:
#
# $$\text{score}_{h,i,j} = \frac{q_i \cdot k_j}{\sqrt{D}} - m_h\,|i - j|$$
#
# With $H$ a power of two, the slopes are $2^{-8/H}, 2^{-16/H}, \dots, 2^{-8}$: a head with a
# large slope looks only at the last few tokens; one with a tiny slope sees far back. If $H$ is
# not a power of two, take those of the power of two $n$ below and fill in with those of $2n$ at
# even indices.

# %%
show_source(attnlab.alibi_slopes)
print(tr("8 cabezas:", "8 heads:"), attnlab.alibi_slopes(8))
print(tr("6 cabezas:", "6 heads:"), attnlab.alibi_slopes(6))

# %% [markdown] lang="es"
# `alibi_bias(H, query_positions, key_positions)`, con las posiciones de las consultas y de las
# claves, da la penalización como una máscara aditiva (H, T, S). Un decodificador necesita además la
# máscara causal: se pasan las dos a la atención (`is_causal=True`) o se funden en una sola máscara
# con $-\infty$ por encima de la diagonal.

# %% [markdown] lang="en"
# `alibi_bias(H, query_positions, key_positions)` gives the penalty as an additive mask
# (H, T, S). A decoder also needs the causal mask: pass both to attention (`is_causal=True`) or
# fold them into one mask with $-\infty$ above the diagonal.

# %%
H, T, D = 4, 6, 8
q, k, v = rng.standard_normal((3, 1, H, T, D))  # (B, H, T, D) each
bias = attnlab.alibi_bias(H, np.arange(T), np.arange(T))  # (H, T, T)
out, weights = attnlab.scaled_dot_product_attention(q, k, v, bias, is_causal=True)
# es: una sola máscara flotante | en: one float mask
folded = np.where(attnlab.causal_mask(T), bias, -np.inf)  # (H, T, T)
err = np.abs(attnlab.scaled_dot_product_attention(q, k, v, folded)[0] - out).max()
print(tr(f"dos máscaras o una fundida: {err:.1e}", f"two masks or one folded: {err:.1e}"))
assert err < 1e-14
print(tr("sesgo de la cabeza 0:", "bias of head 0:"))
print(bias[0])

# %% [markdown] lang="es"
# En la figura: el sesgo de la cabeza de mayor pendiente, la penalización de las 8 cabezas
# frente a la distancia, y a qué atendería la consulta 31 si todas las puntuaciones de contenido
# fueran iguales: en escala logarítmica, rectas de pendiente $-m_h$. Cada cabeza **olvida** a
# su ritmo.

# %% [markdown] lang="en"
# In the figure: the bias of the steepest head, the penalty of the 8 heads against distance, and
# what query 31 would attend to if every content score were equal: on a log scale, straight
# lines of slope $-m_h$. Each head **forgets** at its own pace.

# %%
fig = gallery.build("alibi_bias", lang=LANG)

# %%
from attnlab.interactive_positions import alibi_state
from attnlab.viz.interactive_positions import alibi_explorer

state = alibi_state(num_heads=8, length=32, head=3, query=31)
print(
    tr(
        f"cabeza 3: m = {state.slopes[3]:.4f}; el peso se reduce a la mitad cada {state.half_distance:.1f} tokens",
        f"head 3: m = {state.slopes[3]:.4f}; the weight halves every {state.half_distance:.1f} tokens",
    )
)
alibi_explorer(num_heads=8, length=32, lang=LANG)

# %% [markdown] lang="es"
# `MultiHeadAttention(E, H, alibi=True)` y `GPTConfig(position="alibi")` añaden el sesgo en cada
# capa; con la caché KV, la fila de la consulta nueva usa su posición absoluta frente a las de
# todas las claves guardadas. El GPT con cada esquema coincide con su gemelo de torch, y la
# caché da exactamente los mismos logits que recalcularlo todo:

# %% [markdown] lang="en"
# `MultiHeadAttention(E, H, alibi=True)` and `GPTConfig(position="alibi")` add the bias in every
# layer; with the KV cache, the new query's row uses its absolute position against those of
# every cached key. The GPT with each scheme matches its torch twin, and the cache gives exactly
# the same logits as recomputing everything:

# %%
from attnlab.models import GPT, GPTConfig

for position in ("rope", "alibi"):
    model = GPT(
        GPTConfig(block_size=16, vocab_size=20, n_layer=2, n_head=2, n_embd=16, position=position),
        rng=1,
    )
    # es: (B, T), más largo que block_size | en: (B, T), longer than block_size
    idx = rng.integers(0, 20, (2, 24))
    full, _ = model(idx)
    cache = model.new_kv_cache(2)
    steps = [model(idx[:, t : t + 1], kv_cache=cache)[0] for t in range(24)]
    err = np.abs(np.concatenate(steps, axis=1) - full).max()
    print(
        tr(
            f"{position}: caché KV frente a todo de nuevo: {err:.1e}",
            f"{position}: KV cache vs everything again: {err:.1e}",
        )
    )
    assert err < 1e-12
    if torch is not None:
        from attnlab.reference.gpt import compare_gpt

        # es: también más allá de block_size | en: past block_size too
        report = compare_gpt(model, idx[:, :-1], idx[:, 1:])
        print(
            tr(
                f"  frente al gemelo de torch: {report.max_abs:.1e}",
                f"  against the torch twin: {report.max_abs:.1e}",
            )
        )
        assert report.passed(abs_tol=1e-10)

# %% [markdown] lang="es"
# ## 5. Entrenar corto, evaluar largo
#
# El experimento que hizo famoso a ALiBi: el mismo GPT pequeño (2 capas, 4 cabezas, anchura 64)
# se entrena con cada esquema en bloques de **64 caracteres** del corpus español de attnlab, y
# se evalúa con secuencias de 64, 128, 256 y 512. Todas las longitudes leen los mismos
# caracteres de validación: solo cambia cuánto contexto ve cada predicción. La tabla de
# posiciones aprendida no tiene filas más allá de la 63 y no puede ir más lejos. Añadimos un
# **control**: la tabla sinusoidal a una décima de su amplitud (abajo se explica por qué).
# Resultados guardados (3 semillas; `attnlab experiment extrapolation --lang es`):

# %% [markdown] lang="en"
# ## 5. Train short, test long
#
# The experiment that made ALiBi famous: the same small GPT (2 layers, 4 heads, width 64) is
# trained with each scheme on blocks of **64 characters** of attnlab's Spanish corpus, and
# scored on sequences of 64, 128, 256 and 512. Every length reads the same validation
# characters: only how much context each prediction sees changes. The learned table has no row
# past 63 and cannot go further. We add a **control**: the sinusoidal table at a tenth of its
# amplitude (see below why). Shipped results (3 seeds;
# `attnlab experiment extrapolation --lang es`):

# %%
from attnlab.experiments.extrapolation import results_table, shipped_extrapolation

shipped = shipped_extrapolation()
print(results_table(shipped, LANG))
fig = gallery.build("position_extrapolation", lang=LANG)

# %% [markdown] lang="es"
# Lo que medimos (3 semillas):
#
# - **ALiBi se mantiene plano, e incluso mejora**: 0.43 con 64 y 0.37 con 512. Pasada la
#   posición 64, su pérdida por posición se queda donde estaba dentro de la ventana (panel
#   derecho): la penalización vuelve irrelevantes las claves lejanas, así que una consulta en la
#   posición 400 ve un vecindario como los que vio al entrenar. Con secuencias más largas solo
#   hay menos predicciones con poco contexto (las primeras de cada ventana), y la media baja. Es
#   el resultado de Press et al.
# - **RoPE es el mejor dentro de la longitud de entrenamiento (0.39) y empeora fuera de ella**:
#   0.59 con 128 y 3.0 con 512. La pérdida por posición sube desde la 64 y se estanca hacia 4
#   pasada la 200. En el entrenamiento, los pares lentos nunca giraron más de $63\,\theta_i$; más allá,
#   $q \cdot k$ ve ángulos que nunca vio, y nada le enseñó a ignorar las claves lejanas. Press et
#   al. cuentan lo mismo: RoPE extrapola un poco, no mucho.
# - **La sinusoidal se dispara** justo después de 64 (3.9 con 128, 6.4 con 512): peor que un
#   modelo que ignora el contexto (el unigrama da $\ln 22.4 \approx 3.1$ nats). Y entrena mal
#   incluso con 64 (2.23): en el GPT de attnlab la tabla (valores de ±1) se suma a vectores de
#   tokens que empiezan con la escala de nanoGPT (desviación típica 0.02), unas 50 veces menores,
#   y los ahoga. El **control**, con la tabla a una décima, entrena bien (0.60 con 64) y se
#   dispara igual pasado 64 (2.2 con 128, 3.7 con 512): el fallo viene de las posiciones no
#   vistas, no de la amplitud.
# - **Sin posiciones** es el peor dentro de la ventana (1.07): con 2 capas y solo la máscara
#   causal, la atención es un promedio del pasado que no sabe en qué orden vinieron los últimos
#   caracteres, justo lo que más necesita un modelo de caracteres. No se rompe como la
#   sinusoidal, pero empeora con la longitud (1.9 con 512): su único reloj es que cada consulta
#   promedia sobre $t$ claves, y un promedio de más claves es una señal que no vio al entrenar.
# - **La aprendida** da 0.50 con 64 y no puede pasar de ahí.
#
# ¿Por qué podría salir distinto que en el artículo? Aquí modelamos caracteres de cuentos
# cortos, con dependencias cortas (unas palabras, nombres que vuelven en el mismo cuento); los
# modelos de palabras de Press et al. (WikiText-103) tienen dependencias más largas. El sesgo
# de ALiBi hacia lo reciente encaja muy bien con estos datos.

# %% [markdown] lang="en"
# What we measure (3 seeds):
#
# - **ALiBi stays flat, and even improves**: 0.43 at 64 and 0.37 at 512. Past position 64, its
#   loss per position stays where it was inside the window (right panel): the penalty makes far
#   keys irrelevant, so a query at position 400 sees a neighbourhood like the ones it saw in
#   training. Longer sequences only mean fewer predictions with little context (the first ones
#   of each window), and the mean goes down. This is Press et al.'s result.
# - **RoPE is the best inside the training length (0.39) and degrades outside it**: 0.59 at 128
#   and 3.0 at 512. The loss per position rises from 64 on and levels off near 4 past 200. In
#   training, the slow pairs never turned further than $63\,\theta_i$; beyond that, $q \cdot k$
#   sees angles it never saw, and nothing taught it to ignore far keys. Press et al. report the
#   same: RoPE extrapolates a little, not far.
# - **Sinusoidal blows up** right after 64 (3.9 at 128, 6.4 at 512): worse than a model that
#   ignores the context (the unigram gives $\ln 22.4 \approx 3.1$ nats). And it trains badly even
#   at 64 (2.23): in attnlab's GPT the table (values of ±1) is added to token vectors initialised
#   at nanoGPT's scale (std 0.02), about 50 times smaller, and drowns them. The **control**, with
#   the table at a tenth, trains well (0.60 at 64) and blows up just the same past 64 (2.2 at 128,
#   3.7 at 512): the failure comes from the unseen positions, not from the loudness.
# - **No positions** is the worst inside the window (1.07): with 2 layers and only the causal
#   mask, attention is an average over the past that does not know in which order the last
#   characters came, which is what a character model needs most. It does not break like
#   sinusoidal, but it gets worse with length (1.9 at 512): its only clock is that each query
#   averages over $t$ keys, and an average over more keys is a signal it never saw in training.
# - **Learned** gives 0.50 at 64 and cannot go further.
#
# Why could this differ from the paper? Here we have characters of short stories, with short
# dependencies (a few words, names that come back in the same story); Press et al.'s word-level
# models (WikiText-103) have longer ones. ALiBi's bias towards the recent past suits these data
# very well.

# %% [markdown] lang="es"
# Una versión en vivo, con RoPE y ALiBi: un modelo más estrecho (anchura 32), 500 pasos y una
# sola semilla, de 10 a 25 segundos por esquema según la carga de la máquina. Con
# `ATTNLAB_QUICK=1` es un modelo diminuto con 60 pasos y los números no significan nada.

# %% [markdown] lang="en"
# A live version, with RoPE and ALiBi: a narrower model (width 32), 500 steps and a single
# seed, 10 to 25 seconds per scheme depending on the machine's load. With `ATTNLAB_QUICK=1` it
# is a tiny model with 60 steps and the numbers mean nothing.

# %%
from attnlab.experiments.extrapolation import run_extrapolation

# es: "quick": un modelo diminuto, 60 pasos | en: "quick": a tiny model, 60 steps
preset = "quick" if QUICK else "live"
live = run_extrapolation("es", ("rope", "alibi"), seeds=(0,), preset=preset)
print(results_table(live, LANG))

# %% [markdown] lang="es"
# ## 6. Ejercicios
#
# **Ejercicio 1.** Escribe `shift_rotation(omega, k)`: la matriz 2 × 2 que lleva
# $(\sin \omega p, \cos \omega p)$ a $(\sin \omega(p+k), \cos \omega(p+k))$.

# %% [markdown] lang="en"
# ## 6. Exercises
#
# **Exercise 1.** Write `shift_rotation(omega, k)`: the 2 × 2 matrix that takes
# $(\sin \omega p, \cos \omega p)$ to $(\sin \omega(p+k), \cos \omega(p+k))$.


# %%
def shift_rotation(omega, k):
    # es: tu código aquí | en: your code here
    return None


ex.check_shift_rotation(shift_rotation)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `my_rope(x, positions)`: RoPE de `x` (T, D) en las posiciones
# `positions` (T,), con la convención de attnlab (el par $x_i$, $x_{i+D/2}$).

# %% [markdown] lang="en"
# **Exercise 2.** Write `my_rope(x, positions)`: RoPE of `x` (T, D) at `positions` (T,), with
# attnlab's convention (the pair $x_i$, $x_{i+D/2}$).


# %%
def my_rope(x, positions):
    # es: tu código aquí | en: your code here
    return None


ex.check_rope(my_rope)

# %% [markdown] lang="es"
# **Ejercicio 3.** Escribe `my_slopes(H)`: las pendientes de ALiBi para cualquier número de
# cabezas (también 3, 6 o 12).

# %% [markdown] lang="en"
# **Exercise 3.** Write `my_slopes(H)`: ALiBi's slopes for any number of heads (3, 6 or 12
# too).


# %%
def my_slopes(H):
    # es: tu código aquí | en: your code here
    return None


ex.check_alibi_slopes(my_slopes)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/11_positions_rope_alibi.py`.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/11_positions_rope_alibi.py`.
