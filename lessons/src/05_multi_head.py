# %% [markdown] lang="es"
# # Lección 05 · Atención multicabeza
#
# Una sola atención mezcla los valores con **un** reparto de pesos por consulta. Con varias
# **cabezas**, cada una proyecta la entrada a su propio subespacio y puede fijarse en una
# relación distinta (la palabra anterior, el sujeto, la misma palabra...).
#
# **Objetivos**
# 1. Separar y unir cabezas: (B, T, E) ↔ (B, H, T, D) con D = E / H.
# 2. Entender cómo guarda torch los pesos (`in_proj_weight`) y cargar pesos de torch en attnlab.
# 3. Contar parámetros: $4E^2 + 4E$, sin que H aparezca.

# %% [markdown] lang="en"
# # Lesson 05 · Multi-head attention
#
# A single attention blends the values with **one** weighting per query. With several
# **heads**, each projects the input into its own subspace and can focus on a different
# relation (the previous word, the subject, the same word...).
#
# **Goals**
# 1. Split and merge heads: (B, T, E) ↔ (B, H, T, D) with D = E / H.
# 2. Understand how torch stores the weights (`in_proj_weight`) and load torch weights into attnlab.
# 3. Count parameters: $4E^2 + 4E$, with no H in it.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab import viz
from attnlab.functional import merge_heads, multi_head_attention_forward, split_heads
from attnlab.nn import MultiHeadAttention
from attnlab.show import (
    explain_error,
    parity,
    report_diff,
    setup_lesson,
    show_source,
    thousands,
    torch_or_none,
    tr,
)

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. Separar y unir cabezas
#
# Con E = 8 rasgos y H = 2 cabezas, cada cabeza recibe D = 4 rasgos: la cabeza 0 los rasgos
# 0-3 y la cabeza 1 los rasgos 4-7. Separar es solo un `reshape` seguido de un `transpose`, y
# el resultado es una **vista**: comparte la memoria de `x`, no se copia ni se calcula nada.
# Unir hace lo contrario (`transpose` y luego `reshape`), pero **puede copiar**: si el array
# (B, H, T, D) está guardado cabeza a cabeza en memoria, como la salida de la atención, los
# rasgos de una posición no están seguidos y `reshape` tiene que copiarlos para juntarlos.
# `np.shares_memory` lo comprueba.

# %% [markdown] lang="en"
# ## 1. Splitting and merging heads
#
# With E = 8 features and H = 2 heads, each head gets D = 4 features: head 0 features 0-3 and
# head 1 features 4-7. Splitting is just a `reshape` followed by a `transpose`, and the result
# is a **view**: it shares `x`'s memory, nothing is copied or computed. Merging does the
# opposite (`transpose`, then `reshape`), but **may copy**: if the (B, H, T, D) array is stored
# head by head in memory, like attention's output, the features of one position are not next
# to each other and `reshape` has to copy them to bring them together. `np.shares_memory`
# checks it.

# %%
show_source(split_heads)
show_source(merge_heads)
x = np.arange(1 * 3 * 8).reshape(1, 3, 8)  # (B, T, E)
xh = split_heads(x, 2)  # (B, H, T, D)
print("x:", x.shape, "->", xh.shape)
print(tr("cabeza 0:", "head 0:"), xh[0, 0].tolist())
print(tr("cabeza 1:", "head 1:"), xh[0, 1].tolist())
assert np.array_equal(merge_heads(xh), x)  # es: unir deshace separar | en: merge undoes split
print(
    tr("¿separar comparte memoria con x?", "does split share memory with x?"),
    np.shares_memory(xh, x),
)
# es: (B, H, T, D) guardado cabeza a cabeza, como la salida de la atención | en: (B, H, T, D) stored head by head, like attention's output
heads_out = np.ascontiguousarray(xh)
print(
    tr("¿unir esa salida comparte su memoria?", "does merging that output share its memory?"),
    np.shares_memory(merge_heads(heads_out), heads_out),
)

# %% [markdown] lang="es"
# ## 2. El paso hacia delante completo
#
# 1. Proyectar: $Q = X W_q^\top + b_q$, $K = X W_k^\top + b_k$, $V = X W_v^\top + b_v$ — (B, T, E).
# 2. Separar en H cabezas — (B, H, T, D).
# 3. Atención escalada en cada cabeza **a la vez** (las cabezas son un eje más del lote).
# 4. Unir las cabezas — (B, T, E) — y proyectar con $W_o$.

# %% [markdown] lang="en"
# ## 2. The full forward pass
#
# 1. Project: $Q = X W_q^\top + b_q$, $K = X W_k^\top + b_k$, $V = X W_v^\top + b_v$ — (B, T, E).
# 2. Split into H heads — (B, H, T, D).
# 3. Scaled attention in every head **at once** (heads are one more batch axis).
# 4. Merge the heads — (B, T, E) — and project with $W_o$.

# %%
show_source(multi_head_attention_forward)

# %% [markdown] lang="es"
# ## 3. La disposición de pesos de torch
#
# `torch.nn.MultiheadAttention` no guarda tres matrices sueltas: las **apila por filas** en
# `in_proj_weight`, de forma (3E, E): las primeras E filas son $W_q$, las siguientes $W_k$ y las
# últimas $W_v$. Los sesgos, igual, en `in_proj_bias` (3E,). La proyección de salida es un
# `Linear` llamado `out_proj`. attnlab usa **exactamente los mismos nombres**, así que un
# `state_dict` de torch se carga tal cual.

# %% [markdown] lang="en"
# ## 3. torch's weight layout
#
# `torch.nn.MultiheadAttention` does not keep three separate matrices: it **stacks them by
# rows** in `in_proj_weight`, of shape (3E, E): the first E rows are $W_q$, the next $W_k$ and the
# last $W_v$. The biases likewise, in `in_proj_bias` (3E,). The output projection is a `Linear`
# named `out_proj`. attnlab uses **exactly the same names**, so a torch `state_dict` loads as is.

# %%
E, H = 8, 2
mha = MultiHeadAttention(E, H, rng=0)
print(mha)
for name, p in mha.params.items():
    print(f"  {name:<16} {str(p.shape):<9}")
print(tr("parámetros:", "parameters:"), mha.num_parameters(), " = 4E² + 4E =", 4 * E * E + 4 * E)

# %% [markdown] lang="es"
# Ahora creamos el módulo en torch, **copiamos sus pesos** a attnlab con
# `load_torch_state_dict` y comprobamos que ambos dan la misma salida y los mismos pesos por
# cabeza. (Ojo: torch promedia los pesos de las cabezas salvo que pidas
# `average_attn_weights=False`.)

# %% [markdown] lang="en"
# Now we create the module in torch, **copy its weights** into attnlab with
# `load_torch_state_dict` and check that both give the same output and the same per-head
# weights. (Careful: torch averages the heads' weights unless you ask for
# `average_attn_weights=False`.)

# %%
rng = np.random.default_rng(0)
B, T = 2, 5
x = rng.standard_normal((B, T, E))  # (B, T, E)
torch = torch_or_none()
if torch is not None:
    torch.manual_seed(0)
    t_mha = torch.nn.MultiheadAttention(E, H, batch_first=True, dtype=torch.float64)
    state = t_mha.state_dict()
    print({k: tuple(v.shape) for k, v in state.items()})
    mha.load_torch_state_dict(state)
    tx = torch.tensor(x)
    t_out, t_w = t_mha(tx, tx, tx, average_attn_weights=False)
    out, w = mha(x)
    assert report_diff("out", out, t_out) <= 1e-10
    assert report_diff(tr("pesos (B, H, T, S)", "weights (B, H, T, S)"), w, t_w) <= 1e-10
    n_torch = sum(p.numel() for p in t_mha.parameters())
    print(
        tr("parámetros en torch y en attnlab:", "parameters in torch and in attnlab:"),
        n_torch,
        mha.num_parameters(),
    )
    assert n_torch == mha.num_parameters()
else:
    assert parity("multi_head_attention").passed()

# %% [markdown] lang="es"
# `compare_multi_head_attention` hace esto mismo y compara además **todos los gradientes**:
# de las tres entradas y de cada parámetro.

# %% [markdown] lang="en"
# `compare_multi_head_attention` does the same and also compares **every gradient**: of the
# three inputs and of each parameter.

# %%
from attnlab.reference import compare_multi_head_attention

report = parity("multi_head_attention_causal", compare_multi_head_attention, mha, x, is_causal=True)
assert report.passed()

# %% [markdown] lang="es"
# ## 4. ¿Qué mira cada cabeza?
#
# Con pesos aleatorios las cabezas no han aprendido nada aún, pero ya miran distinto porque
# proyectan a subespacios distintos: lo que ves es azar, no comportamiento aprendido. Usa los selectores para recorrer capas, cabezas y ejemplos
# del lote (aquí dos capas apiladas).

# %% [markdown] lang="en"
# ## 4. What does each head look at?
#
# With random weights the heads have learnt nothing yet, but they already look differently
# because they project into different subspaces: what you see is chance, not learnt
# behaviour. Use the selectors to walk through layers,
# heads and batch examples (two stacked layers here).

# %%
from attnlab.viz.interactive import maps_explorer

mha2 = MultiHeadAttention(E, H, rng=1)
out1, w1 = mha(x, is_causal=True)
_, w2 = mha2(out1, is_causal=True)
fig = viz.heads_grid(
    w1[0],
    mask=attnlab.causal_mask(T),
    title=tr(
        "2 cabezas con pesos aleatorios (sin entrenar)", "2 heads with random weights (untrained)"
    ),
    lang=LANG,
)
maps_explorer([w1, w2], lang=LANG)

# %% [markdown] lang="es"
# ## 5. Contar parámetros
#
# `in_proj` tiene $3E \times E$ pesos y $3E$ sesgos; `out_proj`, $E \times E$ y $E$. Total:
# $4E^2 + 4E$. **El número de cabezas no aparece**: más cabezas significa cabezas más
# estrechas (D = E / H), no más parámetros.

# %% [markdown] lang="en"
# ## 5. Counting parameters
#
# `in_proj` has $3E \times E$ weights and $3E$ biases; `out_proj`, $E \times E$ and $E$. Total:
# $4E^2 + 4E$. **The number of heads does not appear**: more heads means narrower heads
# (D = E / H), not more parameters.

# %%
for heads in (1, 2, 4, 8):
    print(f"E=64, H={heads}: {thousands(MultiHeadAttention(64, heads).num_parameters())}")
try:
    MultiHeadAttention(10, 4)
except ValueError as err:
    explain_error(
        err,
        "E = 10 rasgos no se reparten en H = 4 cabezas iguales: D = E / H tiene que ser entero.",
        "E = 10 features do not split into H = 4 equal heads: D = E / H must be a whole number.",
    )

# %% [markdown] lang="es"
# ## 6. Ejercicios
#
# **Ejercicio 1.** Escribe `my_split_heads(x, H)`: (B, T, E) → (B, H, T, D).

# %% [markdown] lang="en"
# ## 6. Exercises
#
# **Exercise 1.** Write `my_split_heads(x, H)`: (B, T, E) → (B, H, T, D).


# %%
def my_split_heads(x, H):
    # es: tu código aquí | en: your code here
    return None


ex.check_split_heads(my_split_heads)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `my_merge_heads(x)`: (B, H, T, D) → (B, T, E).

# %% [markdown] lang="en"
# **Exercise 2.** Write `my_merge_heads(x)`: (B, H, T, D) → (B, T, E).


# %%
def my_merge_heads(x):
    # es: tu código aquí | en: your code here
    return None


ex.check_merge_heads(my_merge_heads)

# %% [markdown] lang="es"
# **Ejercicio 3.** Escribe `count_params(E, H, bias)`: los parámetros de una atención
# multicabeza con la disposición de torch (con o sin sesgos).

# %% [markdown] lang="en"
# **Exercise 3.** Write `count_params(E, H, bias)`: the parameters of a multi-head attention
# with torch's layout (with or without biases).


# %%
def count_params(E, H, bias):
    # es: tu código aquí | en: your code here
    return None


ex.check_mha_param_count(count_params)

# %% [markdown] lang="es"
# **Ejercicio 4.** Escribe `split_in_proj(w)`: a partir de `in_proj_weight` (3E, E), devuelve
# `(W_q, W_k, W_v)`.

# %% [markdown] lang="en"
# **Exercise 4.** Write `split_in_proj(w)`: from `in_proj_weight` (3E, E), return
# `(W_q, W_k, W_v)`.


# %%
def split_in_proj(w):
    # es: tu código aquí | en: your code here
    return None


ex.check_in_proj_split(split_in_proj)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/05_multi_head.py`. En la lección 06: ¿cómo sabe la atención
# en qué orden van las palabras?

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/05_multi_head.py`. In lesson 06: how does attention know the
# order of the words?
