# %% [markdown] lang="es"
# # Lección 07 · El paso hacia delante de TLOB
#
# TLOB (Berti y Kasneci, 2025, [arXiv:2502.15757](https://arxiv.org/abs/2502.15757); código
# original en `LeonardoBerti00/TLOB`) predice si el precio medio de un libro de órdenes
# **subirá, se quedará quieto o bajará**. Su idea: una atención **doble**, que alterna entre
# mirar a lo largo del **tiempo** y a lo largo de los **rasgos**.
#
# **Objetivos**
# 1. Entender la entrada: ventanas (B, T, F) de un libro de órdenes de 10 niveles.
# 2. Leer BiN, la normalización bilineal de la entrada.
# 3. Ver las **dobles proyecciones** de cada capa.
# 4. Seguir las formas capa a capa: atención temporal (T × T) frente a atención de rasgos.
# 5. Cargar pesos de torch en el modelo NumPy y obtener los mismos *logits*.
#
# > **Si has leído otros apuntes sobre TLOB**, ojo con cuatro errores frecuentes: el artículo
# > es el 2502.15757 (no 2110.00551); BiN **no** es «0.5 · batch-norm + 0.5 · instance-norm»;
# > con entrada (B, T, E) la **primera** capa de cada pareja atiende sobre el **tiempo** y la
# > segunda sobre los **rasgos** (no al revés); y los valores por defecto publicados son
# > `hidden_dim=40` y `num_heads=1` (no 256 y 8). Las clases son 0 = sube, 1 = estable, 2 = baja,
# > según el precio medio suavizado (lección 08: horizonte h = 10, ventana de suavizado k = 10).
#
# **Notación.** En la lección 05, **H** era el número de cabezas. El artículo de TLOB llama H a
# la anchura oculta (`hidden_dim`); aquí la llamamos **E**, como en el resto de attnlab, y
# $h$ = `num_heads` = 1 es el número de cabezas. T son los instantes de una ventana y F los
# rasgos de cada evento.

# %% [markdown] lang="en"
# # Lesson 07 · TLOB's forward pass
#
# TLOB (Berti and Kasneci, 2025, [arXiv:2502.15757](https://arxiv.org/abs/2502.15757); original
# code in `LeonardoBerti00/TLOB`) predicts whether the mid-price of an order book will **go up,
# stay or go down**. Its idea: a **dual** attention, alternating between looking along **time**
# and along **features**.
#
# **Goals**
# 1. Understand the input: windows (B, T, F) of a 10-level order book.
# 2. Read BiN, the bilinear normalisation of the input.
# 3. See the **double projections** of each layer.
# 4. Follow the shapes layer by layer: temporal attention (T × T) versus feature attention.
# 5. Load torch weights into the NumPy model and get the same logits.
#
# > **If you have read other notes on TLOB**, watch out for four frequent mistakes: the paper is
# > 2502.15757 (not 2110.00551); BiN is **not** "0.5 · batch-norm + 0.5 · instance-norm"; with
# > input (B, T, E) the **first** layer of each pair attends over **time** and the second over
# > **features** (not the other way round); and the published defaults are `hidden_dim=40` and
# > `num_heads=1` (not 256 and 8). The classes are 0 = up, 1 = stationary, 2 = down, from the
# > smoothed mid-price (lesson 08: horizon h = 10, smoothing window k = 10).
#
# **Notation.** In lesson 05, **H** was the number of heads. TLOB's paper calls the hidden
# width H (`hidden_dim`); here we call it **E**, as everywhere else in attnlab, and
# $h$ = `num_heads` = 1 is the number of heads. T is the time steps of a window and F the
# features of each event.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

from attnlab import exercises as ex
from attnlab import viz
from attnlab.data import synthetic_lob
from attnlab.models import TLOB
from attnlab.show import (
    explain_error,
    label_real_layers,
    report_diff,
    setup_lesson,
    show_source,
    thousands,
    torch_or_none,
    tr,
)

QUICK = setup_lesson(LANG)

# %% [markdown] lang="es"
# ## 1. La entrada: un libro de órdenes
#
# En cada **evento** (una orden nueva, una cancelación, una ejecución) tomamos una instantánea
# de los 10 mejores niveles de cada lado del libro. Por nivel guardamos 4 números, en el orden
# de FI-2010: precio de venta (*ask*), volumen de venta, precio de compra (*bid*), volumen de
# compra. Eso da **F = 40 rasgos** por evento. Una ventana son **T** eventos seguidos. Usamos
# el libro sintético de attnlab (lección 08).

# %% [markdown] lang="en"
# ## 1. The input: an order book
#
# At each **event** (a new order, a cancellation, a trade) we take a snapshot of the 10 best
# levels on each side of the book. For each level we keep 4 numbers, in FI-2010 order: ask
# price, ask volume, bid price, bid volume. That gives **F = 40 features** per event. A window
# is **T** consecutive events. We use attnlab's synthetic book (lesson 08).

# %%
lob = synthetic_lob(2000, seed=0)
T = 128
x = np.stack([lob.book[0:T], lob.book[1000 : 1000 + T]])  # (B, T, F) = (2, 128, 40)
names = (
    ["precio ask", "vol. ask", "precio bid", "vol. bid"]
    if LANG == "es"
    else ["ask price", "ask vol.", "bid price", "bid vol."]
)
print("x:", x.shape)
for j in range(8):
    print(
        f"  {tr('rasgo', 'feature')} {j} ({tr('nivel', 'level')} {j // 4 + 1}, {names[j % 4]:<10}): "
        f"{tr('media', 'mean')} {x[0, :, j].mean():8.2f}, {tr('desv.', 'std')} {x[0, :, j].std():7.3f}"
    )
fig = viz.orderbook_snapshot(lob.book, 0, lang=LANG)

# %% [markdown] lang="es"
# Precios alrededor de 100 que apenas se mueven (desviación ~0.03) y volúmenes de cientos:
# escalas muy distintas. Por eso TLOB empieza normalizando.
#
# ## 2. BiN: normalización bilineal
#
# BiN calcula **dos** puntuaciones z de la misma ventana $X$, vista como (F, T) (rasgos × tiempo),
# cada una con su propia escala y desplazamiento aprendidos, y las mezcla. Con los nombres del
# código publicado (y de `attnlab/functional/bin.py`); ojo: el **2** es la rama temporal y el
# **1** la de rasgos:
#
# $$\text{rama temporal (por rasgo, sobre T):}\quad
#   Z_2 = \frac{X - \mathrm{media}_T X}{\mathrm{desv}_T X},\qquad X_2 = l_2 \odot Z_2 + B_2
#   \qquad l_2, B_2 \in \mathbb{R}^{F \times 1}$$
#
# $$\text{rama de rasgos (por instante, sobre F):}\quad
#   Z_1 = \frac{X - \mathrm{media}_F X}{\mathrm{desv}_F X},\qquad X_1 = l_1^\top \odot Z_1 + B_1^\top
#   \qquad l_1, B_1 \in \mathbb{R}^{T \times 1}$$
#
# $$\mathrm{BiN}(X) = y_1 X_1 + y_2 X_2 \qquad (y_1 = y_2 = 0.5 \text{ al empezar})$$
#
# $l_2, B_2$ tienen un número por rasgo y se difunden a lo largo del tiempo; $l_1, B_1$, uno por
# instante, a lo largo de los rasgos. Las estadísticas son de cada ventana (nada de medias del
# lote) y las desviaciones usan **ddof = 1**, como `torch.std`. Una desviación menor que 1e-4
# se sustituye por 1 (el original solo lo hace en la rama temporal; attnlab lo hace en las dos
# para no producir NaN, y lo documenta).

# %% [markdown] lang="en"
# Prices around 100 that barely move (std ~0.03) and volumes in the hundreds: very different
# scales. That is why TLOB starts by normalising.
#
# ## 2. BiN: bilinear normalisation
#
# BiN computes **two** z-scores of the same window $X$, seen as (F, T) (features × time), each
# with its own learned scale and shift, and mixes them. With the names of the published code
# (and of `attnlab/functional/bin.py`); careful: **2** is the temporal branch and **1** the
# feature branch:
#
# $$\text{temporal branch (per feature, over T):}\quad
#   Z_2 = \frac{X - \mathrm{mean}_T X}{\mathrm{std}_T X},\qquad X_2 = l_2 \odot Z_2 + B_2
#   \qquad l_2, B_2 \in \mathbb{R}^{F \times 1}$$
#
# $$\text{feature branch (per time step, over F):}\quad
#   Z_1 = \frac{X - \mathrm{mean}_F X}{\mathrm{std}_F X},\qquad X_1 = l_1^\top \odot Z_1 + B_1^\top
#   \qquad l_1, B_1 \in \mathbb{R}^{T \times 1}$$
#
# $$\mathrm{BiN}(X) = y_1 X_1 + y_2 X_2 \qquad (y_1 = y_2 = 0.5 \text{ at the start})$$
#
# $l_2, B_2$ hold one number per feature and broadcast along time; $l_1, B_1$ one per time step,
# along the features. The statistics are each window's own (no batch means) and the stds use
# **ddof = 1**, like `torch.std`. A std below 1e-4 is replaced by 1 (the original does it only
# in the temporal branch; attnlab does it in both so as not to produce NaN, and documents it).

# %%
from attnlab.functional.bin import bin_forward

show_source(bin_forward)
# es: configuración publicada por defecto | en: the published default configuration
model = TLOB(rng=0)
xb = model.norm_layer(x.transpose(0, 2, 1)).transpose(0, 2, 1)  # (B, T, F)
print(
    tr("rango de las medias por rasgo, antes:", "range of the per-feature means, before:"),
    np.round([x[0].mean(0).min(), x[0].mean(0).max()], 2),
)
print(
    tr("rango de las medias por rasgo, después:", "range of the per-feature means, after: "),
    np.round([xb[0].mean(0).min(), xb[0].mean(0).max()], 2),
)

# %% [markdown] lang="es"
# ## 3. Una capa de TLOB y sus dobles proyecciones
#
# Cada capa proyecta la entrada a Q, K y V con tres `Linear` propias (`qkv.q`, `qkv.k`,
# `qkv.v`)... y luego se las pasa a un `nn.MultiheadAttention` de torch, que **vuelve a
# proyectarlas** con su `in_proj`. A la salida pasa lo mismo: `out_proj` de la atención y luego
# `w0`. Matemáticamente dos proyecciones lineales seguidas equivalen a una, pero para cargar los
# pesos publicados hay que conservar las dos. Después vienen LayerNorm, un MLP con GELU y un
# segundo residual cuando la anchura no cambia.

# %% [markdown] lang="en"
# ## 3. A TLOB layer and its double projections
#
# Each layer projects the input into Q, K and V with three `Linear` of its own (`qkv.q`,
# `qkv.k`, `qkv.v`)... and then hands them to a torch `nn.MultiheadAttention`, which **projects
# them again** with its `in_proj`. At the output the same happens: the attention's `out_proj`
# and then `w0`. Mathematically two linear projections in a row equal one, but to load the
# published weights both must be kept. Then come LayerNorm, an MLP with GELU and a second
# residual when the width does not change.

# %%
from attnlab.models import TransformerLayer

show_source(TransformerLayer.forward)
layer = model.layers[0]
for name, p in layer.params.items():
    print(f"  {name:<32} {str(p.shape):<10}")

# %% [markdown] lang="es"
# ## 4. Tiempo y rasgos, alternando
#
# Tras cada capa, TLOB **intercambia los dos últimos ejes**. Así, la capa 0 ve (B, T, E): sus
# *tokens* son los **instantes** y su mapa es T × T (atención **temporal**). La capa 1 ve
# (B, E, T): sus *tokens* son los **rasgos ocultos** y su mapa es E × E (atención **de
# rasgos**). La última pareja encoge: la capa 6 lleva la anchura de E a E/4 y la capa 7, los
# instantes de T a T/4. Ejecutemos el modelo por defecto y leamos las formas:

# %% [markdown] lang="en"
# ## 4. Time and features, alternating
#
# After each layer, TLOB **swaps the last two axes**. So layer 0 sees (B, T, E): its tokens are
# **time steps** and its map is T × T (**temporal** attention). Layer 1 sees (B, E, T): its
# tokens are **hidden features** and its map is E × E (**feature** attention). The last pair
# shrinks: layer 6 takes the width from E to E/4 and layer 7 the time steps from T to T/4. Let
# us run the default model and read the shapes:

# %%
logits = model.forward(x)  # (B, 3)
print(model.config)
print(
    f"{tr('capa', 'layer'):>5}  {tr('tipo', 'kind'):<9} {'tokens':>6} "
    f"{tr('anchura', 'width'):>7} {tr('salida', 'out'):>6}  {tr('mapa de atención', 'attention map')}"
)
for i, ((kind, w), layer) in enumerate(zip(model.attention_maps, model.layers, strict=True)):
    name = tr("rasgos", "feature") if kind == "feature" else "temporal"
    print(f"{i:>5}  {name:<9} {w.shape[-1]:>6} {layer.dim:>7} {layer.out_dim:>6}  {w.shape}")
print(
    "logits:",
    logits.shape,
    "  ",
    tr("parámetros:", "parameters:"),
    thousands(model.num_parameters()),
)
# es: el recuento del modelo publicado | en: the published model's count
assert model.num_parameters() == 1_135_974

# %% [markdown] lang="es"
# **El aplanado.** La capa 7 deja (B, E/4, T/4) = (B, 10, 32) y el bucle intercambia los ejes
# una vez más: (B, T/4, E/4) = (B, 32, 10). El aplanado **deshace ese último intercambio**, como
# el código publicado: lee (B, E/4, T/4) en orden C, así que los 320 números van rasgo oculto a
# rasgo oculto, cada uno con sus 32 instantes seguidos. Después, la cabeza `final_layers` hace
# 320 → 80 → GELU → 3 *logits*. El recuento, 1 135 974 parámetros, coincide con el del modelo
# publicado.
#
# Mapas de atención temporal de este modelo **sin entrenar** (pesos aleatorios, promediados en
# el lote): son las capas 0, 2, 4 y 6 de la tabla. Con los selectores puedes recorrer capas
# (0 a 7) y ejemplos:

# %% [markdown] lang="en"
# **The flatten.** Layer 7 leaves (B, E/4, T/4) = (B, 10, 32) and the loop swaps the axes once
# more: (B, T/4, E/4) = (B, 32, 10). The flatten **undoes that last swap**, as the published
# code does: it reads (B, E/4, T/4) in C order, so the 320 numbers go hidden feature by hidden
# feature, each with its 32 time steps in a row. Then the `final_layers` head does
# 320 → 80 → GELU → 3 logits. The count, 1,135,974 parameters, matches the published model's.
#
# Temporal attention maps of this **untrained** model (random weights, averaged over the
# batch): they are layers 0, 2, 4 and 6 of the table. The selectors let you walk through the
# layers (0 to 7) and the examples:

# %%
fig = viz.tlob_attention(model.attention_maps, "temporal", lang=LANG)
label_real_layers(fig, model.attention_maps, "temporal")
fig.suptitle(
    tr(
        "Atención temporal de un TLOB sin entrenar (media de 2 ventanas)",
        "Temporal attention of an untrained TLOB (mean of 2 windows)",
    )
)
from attnlab.viz.interactive import maps_explorer

maps_explorer(model.attention_maps, lang=LANG)

# %% [markdown] lang="es"
# ## 5. Pesos de torch, mismos *logits*
#
# Los nombres de los parámetros de attnlab son los del código publicado
# (`layers.0.qkv.q.weight`, `layers.0.attention.in_proj_weight`, ...). Creamos el gemelo en torch
# de `attnlab.reference`, que inicializa **sus propios** pesos, copiamos su `state_dict` en un
# TLOB de NumPy nuevo y comparamos los *logits*. Sin torch, usamos un TLOB diminuto que torch
# inicializó y cuyos *logits* trae guardados attnlab.

# %% [markdown] lang="en"
# ## 5. torch weights, same logits
#
# attnlab's parameter names are those of the published code (`layers.0.qkv.q.weight`,
# `layers.0.attention.in_proj_weight`, ...). We create the torch twin from `attnlab.reference`,
# which initialises **its own** weights, copy its `state_dict` into a fresh NumPy TLOB and
# compare the logits. Without torch, we use a tiny TLOB that torch initialised and whose logits
# attnlab ships.

# %%
torch = torch_or_none()
if torch is not None:
    from attnlab.reference.tlob import torch_tlob

    torch.manual_seed(0)
    twin = torch_tlob(**model.config).double()
    state = twin.state_dict()
    print(
        len(state),
        tr("tensores en el state_dict, p. ej.", "tensors in the state_dict, e.g."),
        list(state)[:4],
    )
    ours = TLOB(**model.config)
    ours.load_torch_state_dict(state)
    with torch.no_grad():
        t_logits, _ = twin(torch.tensor(x))
    assert report_diff("logits", ours.forward(x), t_logits) <= 1e-10
else:
    from attnlab.reference.tlob_tiny import load_tlob_tiny

    config, state, x_tiny, logits_torch, version = load_tlob_tiny()
    ours = TLOB(**config)
    ours.load_torch_state_dict(state)
    assert (
        report_diff("logits", ours.forward(x_tiny), logits_torch, against=f"torch {version}")
        <= 1e-10
    )

# %% [markdown] lang="es"
# Un `state_dict` que no encaja no se carga a medias: attnlab dice qué claves faltan, sobran o
# tienen otra forma.

# %% [markdown] lang="en"
# A `state_dict` that does not fit is never half-loaded: attnlab says which keys are missing,
# unexpected or mis-shaped.

# %%
small = TLOB(hidden_dim=16, num_layers=2, seq_size=32)
before = {k: w.copy() for k, w in small.state_dict().items()}
try:
    small.load_torch_state_dict(model.state_dict())
except (KeyError, ValueError) as err:
    explain_error(
        err,
        "el state_dict del TLOB grande no encaja en este pequeño (2 parejas de capas en vez de 4, "
        "anchura 16, ventanas de 32): sobran las claves de las capas 4 a 7 y otras tienen otra "
        "forma. attnlab no carga nada y lo lista.",
        "the big TLOB's state_dict does not fit this small one (2 layer pairs instead of 4, width "
        "16, windows of 32): the keys of layers 4 to 7 are unexpected and others have another "
        "shape. attnlab loads nothing and lists it.",
        limit=200,
    )
# es: nada a medias: los pesos del pequeño siguen igual | en: nothing half-loaded: the small model's weights are unchanged
assert all(np.array_equal(before[k], w) for k, w in small.state_dict().items())

# %% [markdown] lang="es"
# Con torch instalado, `compare_tlob` compara además **toda** la retropropagación: el gradiente de la
# entrada, el de cada parámetro y cada mapa de atención (aquí con un modelo pequeño).

# %% [markdown] lang="en"
# With torch installed, `compare_tlob` also compares **the whole** backward pass: the gradient of
# the input, of every parameter and every attention map (here with a small model).

# %%
if torch is not None:
    from attnlab.reference.tlob import compare_tlob

    xs = np.random.default_rng(1).standard_normal((2, 32, 40))  # (B, T, F)
    report = compare_tlob(small, xs)
    print(
        f"{len(report.diffs)} {tr('arrays comparados; diferencia máxima', 'arrays compared; max difference')}: "
        f"{report.max_abs:.1e} ({tr('coinciden', 'they match') if report.passed() else tr('NO coinciden', 'they DO NOT match')})"
    )
    assert report.passed()

# %% [markdown] lang="es"
# ## 6. Ejercicios
#
# **Ejercicio 1.** Escribe `map_shapes(B, T, E, num_layers)`: la lista de formas de los mapas
# de atención de un TLOB con una cabeza y anchura oculta E, capa a capa, como tuplas
# (B, 1, n, n). `num_layers` es el número de **parejas** de capas.

# %% [markdown] lang="en"
# ## 6. Exercises
#
# **Exercise 1.** Write `map_shapes(B, T, E, num_layers)`: the list of attention-map shapes of a
# one-head TLOB of hidden width E, layer by layer, as tuples (B, 1, n, n). `num_layers` is the
# number of **pairs** of layers.


# %%
def map_shapes(B, T, E, num_layers):
    # es: tu código aquí | en: your code here
    return None


ex.check_tlob_map_shapes(map_shapes)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `temporal_zscore(x)` para `x` de forma (F, T): la rama temporal de
# BiN sin parámetros ($Z_2$), es decir, cada rasgo con media 0 y desviación 1 (con ddof = 1) a
# lo largo del tiempo. Con la guarda de BiN: una desviación menor que 1e-4 se sustituye por 1
# (el corrector incluye un rasgo constante).

# %% [markdown] lang="en"
# **Exercise 2.** Write `temporal_zscore(x)` for `x` of shape (F, T): BiN's temporal branch
# without parameters ($Z_2$), that is, each feature with mean 0 and std 1 (with ddof = 1) along
# time. With BiN's guard: a std below 1e-4 is replaced by 1 (the checker includes a constant
# feature).


# %%
def temporal_zscore(x):
    # es: tu código aquí | en: your code here
    return None


ex.check_bin_temporal(temporal_zscore)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/07_tlob_forward.py`. En la lección 08 lo entrenamos.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/07_tlob_forward.py`. In lesson 08 we train it.
