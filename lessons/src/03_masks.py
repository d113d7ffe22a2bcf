# %% [markdown] lang="es"
# # Lección 03 · Máscaras
#
# Una máscara decide **a qué claves puede mirar cada consulta**. La usamos para no mirar al
# futuro (máscara **causal**) y para ignorar el **relleno** (*padding*) de las secuencias cortas.
#
# **Objetivos**
# 1. Construir máscaras causales y de relleno, y combinarlas.
# 2. Conocer la convención de attnlab: **booleana, `True` = puede atender**; flotante = se suma.
# 3. Comprobar que la máscara causal hace lo que promete.
# 4. Ver qué pasa con una fila **totalmente enmascarada** en attnlab, en
#    `torch.nn.functional.scaled_dot_product_attention`, en `torch.nn.MultiheadAttention` y con
#    el truco de rellenar con -1e9. Las cuatro cosas se ejecutan de verdad.

# %% [markdown] lang="en"
# # Lesson 03 · Masks
#
# A mask decides **which keys each query may look at**. We use it so as not to look into the
# future (**causal** mask) and to ignore the **padding** of short sequences.
#
# **Goals**
# 1. Build causal and padding masks, and combine them.
# 2. Know attnlab's convention: **boolean, `True` = may attend**; float = added to the scores.
# 3. Check that the causal mask does what it promises.
# 4. See what happens to a **fully masked** row in attnlab, in
#    `torch.nn.functional.scaled_dot_product_attention`, in `torch.nn.MultiheadAttention` and with
#    the -1e9 fill trick. All four are really run.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab import viz
from attnlab.show import parity, setup_lesson, show_source, torch_or_none, tr

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. Máscara causal
#
# Al generar texto, la palabra $i$ no puede ver las palabras que aún no existen: la consulta
# $i$ solo puede mirar las claves $j \le i$. Es una matriz triangular inferior de `True`.

# %% [markdown] lang="en"
# ## 1. Causal mask
#
# When generating text, word $i$ cannot see words that do not exist yet: query $i$ may only look
# at keys $j \le i$. It is a lower-triangular matrix of `True`.

# %%
show_source(attnlab.causal_mask)
print(attnlab.causal_mask(5).astype(int))

# %% [markdown] lang="es"
# ## 2. Máscara de relleno
#
# En un lote, las secuencias tienen longitudes distintas y se rellenan hasta la más larga. Las
# posiciones de relleno no son datos: ninguna consulta debería mirarlas. `padding_mask` da una
# máscara (B, S) y `key_mask` la convierte en (B, 1, 1, S), que se difunde (*broadcast*) sobre
# las cabezas y las consultas de unas puntuaciones (B, H, T, S).

# %% [markdown] lang="en"
# ## 2. Padding mask
#
# In a batch, sequences have different lengths and are padded up to the longest one. Padding
# positions are not data: no query should look at them. `padding_mask` gives a (B, S) mask and
# `key_mask` turns it into (B, 1, 1, S), which broadcasts over the heads and queries of scores
# (B, H, T, S).

# %%
lengths = [5, 3]
pad = attnlab.padding_mask(lengths, max_len=5)  # (B, S)
print(pad.astype(int))
print("key_mask:", attnlab.key_mask(pad).shape)
both = attnlab.causal_mask(5)[None] & pad[:, None, :]  # (B, T, S)
print(tr("causal y relleno, secuencia 1:", "causal and padding, sequence 1:"))
print(both[1].astype(int))

# %% [markdown] lang="es"
# Combinar máscaras booleanas es un simple `&` («puede atender si lo permiten las dos»).
# Una máscara **flotante** se **suma** a las puntuaciones: 0 deja pasar, `-inf` bloquea, y un
# valor finito actúa como sesgo. ¡Cuidado con las convenciones de torch!
#
# | API | qué significa `True` |
# |---|---|
# | attnlab (todas las funciones) | puede atender |
# | `torch.nn.functional.scaled_dot_product_attention(attn_mask=...)` | puede atender |
# | `torch.nn.MultiheadAttention(key_padding_mask=..., attn_mask=...)` | **no** puede atender |

# %% [markdown] lang="en"
# Combining boolean masks is a plain `&` ("may attend if both allow it"). A **float** mask is
# **added** to the scores: 0 lets through, `-inf` blocks, and a finite value acts as a bias.
# Watch out for torch's conventions!
#
# | API | what `True` means |
# |---|---|
# | attnlab (every function) | may attend |
# | `torch.nn.functional.scaled_dot_product_attention(attn_mask=...)` | may attend |
# | `torch.nn.MultiheadAttention(key_padding_mask=..., attn_mask=...)` | may **not** attend |

# %%
fig = viz.masks_side_by_side(t=6, length=4, lang=LANG)

# %% [markdown] lang="es"
# ## 3. ¿Funciona la máscara causal?
#
# Si la consulta $i$ no mira al futuro, cambiar las claves y valores de las posiciones
# posteriores a $i$ **no puede** cambiar su salida. Probémoslo cambiando las dos últimas.

# %% [markdown] lang="en"
# ## 3. Does the causal mask work?
#
# If query $i$ does not look into the future, changing the keys and values of positions after
# $i$ **cannot** change its output. Let us test it by changing the last two.

# %%
rng = np.random.default_rng(0)
x = rng.standard_normal((6, 8))  # (T, D)
out1, _ = attnlab.scaled_dot_product_attention(x, x, x, is_causal=True)
x2 = x.copy()
x2[4:] = rng.standard_normal((2, 8))  # es: cambiamos el «futuro» | en: we change the "future"
out2, _ = attnlab.scaled_dot_product_attention(x2, x2, x2, is_causal=True)
print(
    tr("cambio máximo por posición:", "largest change per position:"),
    np.abs(out1 - out2).max(axis=1),
)

# %% [markdown] lang="es"
# Las posiciones 0 a 3 no cambian ni un bit; las 4 y 5, sí. Explora tú: activa o desactiva la
# máscara causal, cambia cuántas claves son reales (`S reales`) y bloquea parejas
# (consulta, clave) a mano: escribe `2,0` o `(2, 0), (5, 1)` en la casilla `(i,j)` y pulsa
# Intro. Si una pareja ya estaba tapada por la máscara causal o por el relleno, el explorador te
# lo dice (bloquearla no cambia nada). Lleva `S reales` a 0: ¿qué pesos quedan? El explorador
# llama a `mask_state` (función pura de `attnlab.interactive`).

# %% [markdown] lang="en"
# Positions 0 to 3 do not change a single bit; 4 and 5 do. Explore: switch the causal mask on
# or off, change how many keys are real (`real S`) and block (query, key) pairs by hand: type
# `2,0` or `(2, 0), (5, 1)` in the `(i,j)` box and press Enter. If a pair was already hidden by
# the causal mask or by the padding, the explorer says so (blocking it changes nothing). Take
# `real S` down to 0: which weights are left? The explorer calls `mask_state` (a pure function
# of `attnlab.interactive`).

# %%
from attnlab.interactive import mask_state
from attnlab.viz.interactive import mask_explorer

scores = x @ x.T / np.sqrt(8)  # (T, S)
state = mask_state(scores, causal=True, length=4, blocked=[(5, 0)])
print(state.mask.astype(int))
assert (state.weights[~state.mask] == 0).all() and np.allclose(state.weights.sum(axis=1), 1.0)
mask_explorer(scores, lang=LANG)

# %% [markdown] lang="es"
# ## 4. Una fila sin ninguna clave
#
# ¿Qué pasa si una consulta no puede mirar a **ninguna** clave? Pasa de verdad: una secuencia
# de longitud 0 en un lote, o una máscara causal combinada con un relleno a la izquierda. La
# softmax de una fila de `-inf` es $0/0$. Cada biblioteca decide algo distinto:
#
# 1. **attnlab** devuelve pesos 0, salida 0 y gradiente 0 (nunca NaN);
# 2. `torch.nn.functional.scaled_dot_product_attention` también da ceros con su implementación
#    matemática, la que usa en la CPU (y aquí). Ojo: se ha informado de que sus implementaciones
#    fusionadas para GPU (*flash* y de memoria eficiente) dan **NaN** en esas filas, así que en
#    GPU no lo des por hecho;
# 3. `torch.nn.MultiheadAttention` da **NaN**, que luego contamina todo el entrenamiento;
# 4. rellenar con **-1e9** en lugar de `-inf` da pesos **uniformes**: la consulta mira a todas
#    las claves por igual, incluidas las prohibidas, sin ningún aviso.
#
# Ejecutémoslo. La fila 2 está totalmente enmascarada.

# %% [markdown] lang="en"
# ## 4. A row without any key
#
# What if a query may look at **no** key at all? It really happens: a length-0 sequence in a
# batch, or a causal mask combined with left padding. The softmax of a row of `-inf` is $0/0$.
# Each library decides something different:
#
# 1. **attnlab** returns weights 0, output 0 and gradient 0 (never NaN);
# 2. `torch.nn.functional.scaled_dot_product_attention` also gives zeros with its math
#    implementation, the one it uses on the CPU (and here). Careful: its fused GPU
#    implementations (flash and memory-efficient attention) have been reported to give **NaN**
#    for such rows, so on a GPU do not take it for granted;
# 3. `torch.nn.MultiheadAttention` gives **NaN**, which then contaminates the whole training;
# 4. filling with **-1e9** instead of `-inf` gives **uniform** weights: the query looks at every
#    key equally, the forbidden ones included, without any warning.
#
# Let us run it. Row 2 is fully masked.

# %%
T = S = 4
D = 8
rng = np.random.default_rng(1)
q, k, v = rng.standard_normal((T, D)), rng.standard_normal((S, D)), rng.standard_normal((S, D))
# es: nadie se mira a sí mismo... | en: nobody looks at itself...
allowed = ~np.eye(T, S, dtype=bool)
allowed[2, :] = False  # es: ...y la fila 2 no ve nada | en: ...and row 2 sees nothing
results = {}

# 1. attnlab
out, w = attnlab.scaled_dot_product_attention(q, k, v, mask=allowed)
results["attnlab"] = (w[2], out[2])

# 4. -1e9 fill, by hand
filled = np.where(allowed, q @ k.T / np.sqrt(D), -1e9)  # (T, S)
w_fill = attnlab.softmax(filled)
results["-1e9"] = (w_fill[2], (w_fill @ v)[2])

torch = torch_or_none()
if torch is not None:
    tq, tk, tv = (torch.tensor(a)[None] for a in (q, k, v))  # (1, T, D)
    # 2. torch SDPA: True = may attend, like attnlab
    t_out = torch.nn.functional.scaled_dot_product_attention(
        tq, tk, tv, attn_mask=torch.tensor(allowed)
    )
    results["torch SDPA"] = (np.full(S, np.nan), t_out[0, 2].numpy())
    # 3. torch MultiheadAttention: True = may NOT attend (the opposite!)
    mha = torch.nn.MultiheadAttention(D, 1, batch_first=True, dtype=torch.float64)
    m_out, m_w = mha(tq, tk, tv, attn_mask=torch.tensor(~allowed))
    results["nn.MultiheadAttention"] = (m_w[0, 2].detach().numpy(), m_out[0, 2].detach().numpy())

print(
    f"{tr('método', 'method'):<24} {tr('pesos de la fila 2', 'row 2 weights'):<30} {tr('salida fila 2 (3 primeros)', 'row 2 output (first 3)')}"
)
for name, (wr, orow) in results.items():
    wtxt = (
        tr("(no los devuelve)", "(not returned)")
        if np.isnan(wr).all() and name == "torch SDPA"
        else np.array2string(wr, precision=3)
    )
    print(f"{name:<24} {wtxt:<30} {np.array2string(orow[:3], precision=3)}")
# es: lo que dice el texto, comprobado | en: what the text says, checked
assert not results["attnlab"][0].any() and not results["attnlab"][1].any()
assert np.allclose(results["-1e9"][0], 0.25)
if torch is not None:
    assert not results["torch SDPA"][1].any()  # es: CPU: ceros | en: CPU: zeros
    assert np.isnan(results["nn.MultiheadAttention"][1]).all()

# %% [markdown] lang="es"
# Con -1e9 la fila 2 reparte su peso por igual (0.25 en cada clave) y su salida es la media de
# todos los valores: una respuesta plausible... e incorrecta. Con `MultiheadAttention`, NaN. Por
# eso attnlab eligió ceros, como la SDPA de torch en la CPU.
#
# La comparación completa con torch (salida y gradientes, con una fila totalmente enmascarada
# y T ≠ S) está en `compare_attention`:

# %% [markdown] lang="en"
# With -1e9, row 2 spreads its weight equally (0.25 on each key) and its output is the mean of
# all the values: a plausible answer... and a wrong one. With `MultiheadAttention`, NaN. That
# is why attnlab chose zeros, like torch's SDPA on the CPU.
#
# The full comparison with torch (output and gradients, with a fully masked row and T ≠ S) is
# in `compare_attention`:

# %%
from attnlab.reference import compare_attention

q4 = rng.standard_normal((2, 2, 4, 8))  # (B, H, T, D)
k4 = rng.standard_normal((2, 2, 6, 8))  # (B, H, S, D)
v4 = rng.standard_normal((2, 2, 6, 3))  # (B, H, S, Dv)
m4 = rng.random((2, 1, 4, 6)) > 0.3  # (B, 1, T, S)
m4[0, 0, 1] = False  # es: una fila totalmente enmascarada | en: one fully masked row
report = parity("attention_bool_mask", compare_attention, q4, k4, v4, m4)
assert report.passed()

# %% [markdown] lang="es"
# ## 5. Ejercicios
#
# **Ejercicio 1.** Escribe `my_causal_mask(T)`: la máscara causal booleana (T, T) sin usar
# `attnlab.causal_mask`.

# %% [markdown] lang="en"
# ## 5. Exercises
#
# **Exercise 1.** Write `my_causal_mask(T)`: the (T, T) boolean causal mask without using
# `attnlab.causal_mask`.


# %%
def my_causal_mask(T):
    # es: tu código aquí | en: your code here
    return None


ex.check_causal_mask(my_causal_mask)

# %% [markdown] lang="es"
# **Ejercicio 2.** Un lote de tres secuencias de longitudes 2, 5 y 3, rellenadas hasta 5.
# Escribe a mano (o con NumPy, sin `padding_mask`) su máscara de relleno (B, S).

# %% [markdown] lang="en"
# **Exercise 2.** A batch of three sequences of lengths 2, 5 and 3, padded up to 5. Write by
# hand (or with NumPy, without `padding_mask`) their (B, S) padding mask.

# %%
my_pad = np.ones((3, 5), dtype=bool)  # es: corrígela | en: fix it
ex.check_padding_mask(my_pad, [2, 5, 3], max_len=5)

# %% [markdown] lang="es"
# **Ejercicio 3.** Combina la máscara causal y la de relleno del ejercicio 2 en una máscara
# (B, T, S) con T = S = 5.

# %% [markdown] lang="en"
# **Exercise 3.** Combine the causal mask and the padding mask of exercise 2 into one (B, T, S)
# mask with T = S = 5.

# %%
my_both = None  # es: tu código aquí | en: your code here
ex.check_combined_mask(my_both, [2, 5, 3], T=5)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/03_masks.py`. En la lección 04 abrimos la retropropagación.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/03_masks.py`. In lesson 04 we open up the backward pass.
