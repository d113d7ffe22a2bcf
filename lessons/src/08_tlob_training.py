# %% [markdown] lang="es"
# # Lección 08 · Entrenar TLOB con datos de un libro de órdenes
#
# Llegamos al final del camino: entrenar TLOB, escrito en NumPy con la retropropagación a mano,
# para predecir la **tendencia** del precio medio.
#
# **Objetivos**
# 1. Entender las **etiquetas** de TLOB: horizonte $h$, ventana de suavizado $k$ y umbral $\alpha$.
# 2. Preparar los datos sin hacer trampas: separación cronológica y normalización con
#    estadísticas **solo** del conjunto de entrenamiento.
# 3. Compararse con tres **modelos de referencia**, y separar lo que aporta la **historia** de
#    lo que aporta la **atención**.
# 4. Entrenar con barra de progreso y parada temprana; leer las curvas de pérdida.
# 5. Evaluar con la matriz de confusión y el F1 macro.
# 6. Ver cómo cambian los mapas de atención con el entrenamiento.
#
# **Tiempo.** Por defecto, la lección **carga el TLOB que attnlab trae ya entrenado** (el mismo
# entrenamiento de la sección 4, guardado) y tarda menos de un minuto. Entrenar en vivo es
# opcional (sección 4): lleva alrededor de un minuto en un portátil tranquilo y bastante más en
# un JupyterHub compartido. Con `ATTNLAB_QUICK=1` (como en la integración continua) se entrena
# además un par de épocas cortas, solo para probar el bucle.

# %% [markdown] lang="en"
# # Lesson 08 · Training TLOB on order-book data
#
# We reach the end of the road: training TLOB, written in NumPy with a hand-written backward
# pass, to predict the **trend** of the mid-price.
#
# **Goals**
# 1. Understand TLOB's **labels**: horizon $h$, smoothing window $k$ and threshold $\alpha$.
# 2. Prepare the data without cheating: chronological split and normalisation with statistics
#    from the training split **only**.
# 3. Compare with three **baselines**, and separate what **history** brings from what
#    **attention** brings.
# 4. Train with a progress bar and early stopping; read the loss curves.
# 5. Evaluate with the confusion matrix and the macro-F1.
# 6. See how the attention maps change with training.
#
# **Time.** By default the lesson **loads the TLOB attnlab ships already trained** (section 4's
# training, saved) and takes under a minute. Training live is optional (section 4): it takes
# about a minute on a quiet laptop and quite a lot longer on a shared JupyterHub. With
# `ATTNLAB_QUICK=1` (as in continuous integration) it also trains a couple of short epochs, just
# to exercise the loop.

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

import attnlab
from attnlab import exercises as ex
from attnlab import viz
from attnlab.data import make_dataset, mid_price, synthetic_lob, tlob_labels
from attnlab.show import label_real_layers, setup_lesson, show_source, thousands, tr

QUICK = setup_lesson(LANG)
print("QUICK =", QUICK)

# %% [markdown] lang="es"
# ## 1. Las etiquetas
#
# El precio medio salta de tick en tick con mucho ruido. TLOB no compara dos precios sueltos,
# sino dos **medias**: la de los $k$ eventos que empiezan ahora, $m_-(t)$, y la de $k$ eventos
# tras un horizonte $h$, $m_+(t)$:
#
# $$l(t) = \frac{m_+(t) - m_-(t)}{m_-(t)}, \qquad
#   \text{clase} = \begin{cases} 0\ (\text{sube}) & l > \alpha \\
#                                 2\ (\text{baja}) & l < -\alpha \\
#                                 1\ (\text{estable}) & \text{si no} \end{cases}$$
#
# con $\alpha = \mathrm{media}(|l|)/2$, calculado en **cada** conjunto (entrenamiento,
# validación, prueba) por separado. Solo reciben etiqueta los eventos con una ventana futura
# completa. Aquí $h = 10$ y $k = 10$: TLOB usa $k = 10$, o $k = h$ si el horizonte es más
# corto.

# %% [markdown] lang="en"
# ## 1. The labels
#
# The mid-price jumps tick by tick with a lot of noise. TLOB does not compare two single
# prices but two **means**: that of the $k$ events starting now, $m_-(t)$, and that of $k$ events
# after a horizon $h$, $m_+(t)$:
#
# $$l(t) = \frac{m_+(t) - m_-(t)}{m_-(t)}, \qquad
#   \text{class} = \begin{cases} 0\ (\text{up}) & l > \alpha \\
#                                 2\ (\text{down}) & l < -\alpha \\
#                                 1\ (\text{stationary}) & \text{otherwise} \end{cases}$$
#
# with $\alpha = \mathrm{mean}(|l|)/2$, computed on **each** split (training, validation, test)
# separately. Only events with a full future window get a label. Here $h = 10$ and $k = 10$:
# TLOB uses $k = 10$, or $k = h$ when the horizon is shorter.

# %%
show_source(tlob_labels)
lob = synthetic_lob(3000, seed=0)
mid = mid_price(lob.book)  # (N,)
labels, alpha = tlob_labels(mid, horizon=10)  # es: k = 10 por defecto | en: k = 10 by default
print(
    f"alpha = {alpha:.2e};",
    tr("etiquetas:", "labels:"),
    labels.shape,
    tr(
        "proporción de cada clase (sube, estable, baja):",
        "share of each class (up, stationary, down):",
    ),
    np.round(np.bincount(labels, minlength=3) / len(labels), 3),
)
ax = viz.midprice_labels(mid[:600], labels[:600], horizon=10, lang=LANG)

# %% [markdown] lang="es"
# ## 2. Datos sin trampas
#
# `make_dataset` genera el libro sintético (60 000 eventos), lo **parte en el tiempo** (70 %
# entrenamiento, 15 % validación, 15 % prueba: nunca se barajan eventos entre conjuntos),
# etiqueta cada parte con su propio $\alpha$, normaliza (puntuación z) con la media y la
# desviación **del conjunto de entrenamiento** y corta ventanas de T = 32 eventos; cada ventana
# lleva la etiqueta de su último evento.

# %% [markdown] lang="en"
# ## 2. Data without cheating
#
# `make_dataset` generates the synthetic book (60,000 events), **splits it in time** (70%
# training, 15% validation, 15% test: events are never shuffled across splits), labels each
# part with its own $\alpha$, normalises (z-score) with the **training** split's mean and std
# and cuts windows of T = 32 events; each window carries the label of its last event.

# %%
from attnlab.train.experiment import DATA, MODEL, TRAIN

# es: el mismo con el que se entrenó el modelo guardado | en: the one the shipped model was trained on
dataset = make_dataset(**DATA)
splits = {
    tr("entrenamiento", "training"): dataset.train,
    tr("validación", "validation"): dataset.val,
    tr("prueba", "test"): dataset.test,
}
for name, part in splits.items():
    x0, _ = part.batch([0])
    print(
        f"{name:<13} {thousands(len(part)):>6} {tr('ventanas', 'windows')} {x0.shape[1:]}  "
        f"{tr('clases', 'classes')} {np.bincount(part.y, minlength=3)}"
    )
print(
    tr("alfa de cada conjunto:", "alpha of each split:"),
    ", ".join(f"{a:.2e}" for a in dataset.alphas),
)

# %% [markdown] lang="es"
# ## 3. Tres modelos de referencia
#
# Antes de presumir de un modelo hay que batir a los sencillos:
#
# - **clase mayoritaria**: predice siempre la clase más frecuente del entrenamiento;
# - **regresión logística sobre la última instantánea**: solo ve el último evento de la ventana,
#   sin historia;
# - **MLP sobre la ventana entera**: aplana los 32 × 40 números de la ventana y los pasa por
#   una capa oculta de 16 neuronas con GELU (`WindowMLP`). Ve **toda la historia**, como TLOB,
#   pero **sin atención**.
#
# Con los tres podemos separar dos preguntas que una sola comparación mezcla: si TLOB supera a
# la logística, ¿es por la historia o por la capacidad del modelo? La distancia logística → MLP
# mide lo que aporta ver la historia; la distancia MLP → TLOB, lo que aporta la atención.
# Medimos con el **F1 macro**: la media del F1 de las tres clases, para que una clase frecuente
# no tape a las demás. Las tres se entrenan con el mismo bucle que TLOB.

# %% [markdown] lang="en"
# ## 3. Three baselines
#
# Before boasting about a model we must beat the simple ones:
#
# - **majority class**: always predicts the most frequent training class;
# - **logistic regression on the last snapshot**: it only sees the last event of the window,
#   no history;
# - **MLP on the whole window**: it flattens the window's 32 × 40 numbers and passes them
#   through one hidden layer of 16 units with GELU (`WindowMLP`). It sees **all the history**,
#   like TLOB, but **without attention**.
#
# With the three we can separate two questions that a single comparison mixes up: if TLOB beats
# the logistic regression, is it because of history or because of the model's capacity? The
# gap logistic → MLP measures what seeing the history brings; the gap MLP → TLOB, what
# attention brings. We measure with the **macro-F1**: the mean of the three classes' F1, so
# that a frequent class does not hide the others. All three are trained with TLOB's loop.

# %%
from attnlab.metrics import confusion_matrix, f1_per_class
from attnlab.train import LastSnapshotLogistic, MajorityClass, WindowMLP, evaluate, train_classifier
from attnlab.train.experiment import LOGISTIC_TRAIN

short = {"epochs": 2, "max_batches": 20} if QUICK else {}
majority = MajorityClass().fit(dataset.train.y)
f1 = {
    "majority": float(
        f1_per_class(confusion_matrix(dataset.test.y, majority.predict(len(dataset.test)))).mean()
    )
}
logistic = LastSnapshotLogistic(40, rng=0, dtype=np.float32)
train_classifier(
    logistic, dataset.train, dataset.val, progress=False, log=None, **{**LOGISTIC_TRAIN, **short}
)
mlp = WindowMLP(32, 40, hidden=16, rng=0, dtype=np.float32)
train_classifier(mlp, dataset.train, dataset.val, progress=False, log=None, **{**TRAIN, **short})
# es: matrices pequeñas: un hilo de BLAS (sección 4) | en: small matrices: one BLAS thread (section 4)
with attnlab.blas_threads(1):
    f1["logistic"] = evaluate(logistic, dataset.test)["macro_f1"]
    f1["mlp"] = evaluate(mlp, dataset.test)["macro_f1"]
names = {
    "majority": tr("clase mayoritaria", "majority class"),
    "logistic": tr("logística (última instantánea)", "logistic (last snapshot)"),
    "mlp": tr("MLP (ventana entera)", "MLP (whole window)"),
}
for key in ("majority", "logistic", "mlp"):
    print(f"{names[key]:<31} {tr('F1 macro en prueba', 'test macro-F1')} {f1[key]:.3f}")

# %% [markdown] lang="es"
# ## 4. Entrenar TLOB
#
# Un TLOB pequeño (`hidden_dim=32`, 2 parejas de capas, ventanas de 32 eventos; 63 080
# parámetros), en `float32`, con Adam, entropía cruzada y parada temprana sobre la pérdida de
# validación: 10 épocas de 100 lotes de 64 ventanas.
#
# **¿Entrenar aquí o cargarlo?** Entrenarlo en vivo tardó entre 63 y 149 s en la máquina donde
# se escribieron estas lecciones (2 núcleos compartidos con otros trabajos: 63 s con carga
# moderada, 149 s con 5 o 6 procesos a la vez). `train_classifier`
# limita BLAS a un hilo (`attnlab.blas_threads(1)`) mientras entrena: con matrices tan pequeñas
# los hilos de reserva de OpenBLAS solo dan vueltas en vacío y, en una máquina ocupada, un paso
# pasó de 0.08 s de mediana con un hilo a 0.4 s con dos, y a veces a casi 4 s
# (`benchmarks/core_notes.md`). Aun así, en un JupyterHub
# con toda la clase a la vez puede tardar varios minutos. Por eso la lección **carga por
# defecto** el modelo que attnlab trae entrenado (`attnlab.models.load_pretrained()`): es
# exactamente este entrenamiento (mismos datos, misma semilla, mismas curvas), guardado. Pon
# `TRAIN_LIVE = True` para entrenarlo tú.
#
# Antes de nada guardamos los mapas de atención del modelo **sin entrenar** (la misma
# inicialización, semilla 0) sobre unas ventanas de prueba, para compararlos después.

# %% [markdown] lang="en"
# ## 4. Training TLOB
#
# A small TLOB (`hidden_dim=32`, 2 pairs of layers, windows of 32 events; 63,080 parameters),
# in `float32`, with Adam, cross-entropy and early stopping on the validation loss: 10 epochs of
# 100 batches of 64 windows.
#
# **Train it here or load it?** Training it live took between 63 and 149 s on the machine these
# lessons were written on (2 cores shared with other jobs: 63 s under a moderate load, 149 s
# with 5 or 6 processes at once). `train_classifier` holds BLAS to one thread
# (`attnlab.blas_threads(1)`) while it trains: with matrices this small, OpenBLAS's spare
# threads only spin and, on a busy machine, a step went from a median of 0.08 s with one thread
# to 0.4 s with two, sometimes nearly 4 s (`benchmarks/core_notes.md`). Even so, on a JupyterHub with the whole class at once it can
# take several minutes. That is why the lesson **loads by default** the model attnlab ships
# trained (`attnlab.models.load_pretrained()`): it is exactly this training (same data, same
# seed, same curves), saved. Set `TRAIN_LIVE = True` to train it yourself.
#
# First of all we keep the attention maps of the **untrained** model (the same
# initialisation, seed 0) on a few test windows, to compare them afterwards.

# %%
# es: True: entrenar aquí (~1 min en una máquina tranquila) | en: True: train here (~1 min on a quiet machine)
TRAIN_LIVE = False

# %%
from attnlab.models import TLOB, load_pretrained
from attnlab.train import History

show_source(train_classifier)
x_probe, _ = dataset.test.batch(np.arange(16))  # (16, T, F)
untrained = TLOB(**MODEL, rng=0, dtype=np.float32)
untrained.forward(x_probe)
maps_before = [(kind, w.copy()) for kind, w in untrained.attention_maps]
if TRAIN_LIVE or QUICK:
    # es: en modo rápido, dos épocas cortas sobre un libro de 6000 eventos, solo para probar el bucle | en: in quick mode, two short epochs on a 6000-event book, only to exercise the loop
    live_data = dataset if TRAIN_LIVE else make_dataset(**{**DATA, "n_events": 6000})
    model = TLOB(**MODEL, rng=0, dtype=np.float32)
    live_config = {**TRAIN, **(short if not TRAIN_LIVE else {})}
    print(live_config)
    history = train_classifier(model, live_data.train, live_data.val, seed=0, **live_config)
    print(
        tr(
            f"entrenado en {history.seconds:.1f} s; mejor época: {history.best_epoch + 1}",
            f"trained in {history.seconds:.1f} s; best epoch: {history.best_epoch + 1}",
        )
    )
if not TRAIN_LIVE:
    if QUICK:
        print(
            tr(
                "(modo rápido: solo para probar el bucle)",
                "(quick mode: only to exercise the loop)",
            )
        )
    model, info = load_pretrained(dtype=np.float32)
    # es: mismos datos y mismo modelo que arriba | en: the same data and model as above
    assert info["data"] == DATA and info["config"] == MODEL
    history = History(**info["history"])
    print(
        tr(
            f"cargado el TLOB entrenado (semilla {info['seed']}); mejor época: {history.best_epoch + 1}",
            f"loaded the trained TLOB (seed {info['seed']}); best epoch: {history.best_epoch + 1}",
        )
    )

# %% [markdown] lang="es"
# ## 5. Curvas de pérdida
#
# Si la pérdida de entrenamiento baja y la de validación sube, el modelo empieza a memorizar:
# la parada temprana se queda con los pesos de la mejor época de validación (línea de puntos).
#
# Fíjate en algo raro: la pérdida de **validación** queda **por debajo** de la de
# entrenamiento. No es un error. La pérdida de entrenamiento de cada época es la media de sus
# lotes, medida mientras los pesos aún cambiaban; la de validación se mide al final de la época.
# Pero eso no basta para explicarlo: medidas al final, con los mismos pesos y 2000 ventanas al
# azar de cada conjunto (1000 en modo rápido), la pérdida de entrenamiento sigue más alta que
# la de validación (celda de abajo). La razón principal es otra: cada conjunto es un tramo
# distinto del mercado, con su propio $\alpha$, y el tramo de validación resulta más fácil para
# el modelo (su F1 es casi el mismo, pero acierta con más confianza). (Aquí no hay *dropout*,
# la explicación habitual en otros modelos.)

# %% [markdown] lang="en"
# ## 5. Loss curves
#
# If the training loss goes down while the validation loss goes up, the model starts to
# memorise: early stopping keeps the weights of the best validation epoch (dotted line).
#
# Notice something odd: the **validation** loss stays **below** the training loss. It is not a
# bug. Each epoch's training loss is the mean over its batches, measured while the weights were
# still changing; the validation loss is measured at the end of the epoch. But that is not
# enough to explain it: measured at the end, with the same weights and 2000 random windows of
# each split (1000 in quick mode), the training loss is still higher than the validation loss
# (cell below). The main reason is another: each split is a different stretch of the market,
# with its own $\alpha$, and the validation stretch happens to be easier for the model (its F1
# is about the same, but it is right with more confidence). (There is no dropout here, the
# usual explanation in other models.)

# %%
from attnlab.functional import cross_entropy_forward

fig = viz.training_curves(history, lang=LANG)
n_sub = 1000 if QUICK else 2000
print(
    tr(
        f"con los pesos finales, sobre {n_sub} ventanas al azar de cada conjunto:",
        f"with the final weights, on {n_sub} random windows of each split:",
    )
)
for name, part in list(splits.items())[:2]:
    picked = np.sort(np.random.default_rng(0).choice(len(part), n_sub, replace=False))
    x_sub, y_sub = part.batch(picked)  # (n_sub, T, F), (n_sub,)
    with attnlab.blas_threads(1):
        logits_sub = model.forward(x_sub)  # (n_sub, 3)
    loss_sub, _ = cross_entropy_forward(logits_sub, y_sub)
    f1_sub = f1_per_class(confusion_matrix(y_sub, logits_sub.argmax(axis=1))).mean()
    print(
        f"  {name:<13} {tr('pérdida', 'loss')} {loss_sub:.3f}  {tr('F1 macro', 'macro-F1')} {f1_sub:.3f}"
    )

# %% [markdown] lang="es"
# ## 6. Evaluación en el conjunto de prueba
#
# La matriz de confusión tiene una fila por clase verdadera y una columna por clase predicha:
# la diagonal son aciertos. Luego, la tabla contra los modelos de referencia.

# %% [markdown] lang="en"
# ## 6. Evaluation on the test split
#
# The confusion matrix has one row per true class and one column per predicted class: the
# diagonal holds the hits. Then, the table against the baselines.

# %%
with attnlab.blas_threads(1):
    scores = evaluate(model, dataset.test)
f1["tlob"] = scores["macro_f1"]
# es: el modelo guardado da lo que dice su ficha | en: the shipped model gives what its record says
if not TRAIN_LIVE:
    assert np.isclose(scores["macro_f1"], info["test"]["macro_f1"], atol=1e-6)
ax = viz.confusion_matrix(scores["confusion"], lang=LANG)
names["tlob"] = "TLOB"
print(f"| {tr('modelo', 'model'):<31} | {tr('F1 macro (prueba)', 'test macro-F1'):>17} |")
print(f"|{'-' * 33}|{'-' * 19}|")
for key in ("tlob", "mlp", "logistic", "majority"):
    print(f"| {names[key]:<31} | {f1[key]:>17.3f} |")
if QUICK:
    print(
        tr(
            "(modo rápido: los modelos de referencia solo se entrenaron 2 épocas cortas)",
            "(quick mode: the baselines were trained for only 2 short epochs)",
        )
    )

# %% [markdown] lang="es"
# Léelo con cuidado (con el entrenamiento completo de los modelos de referencia): TLOB supera
# con claridad a la logística, pero el MLP sobre la ventana entera se le queda muy cerca. Casi
# todo lo que TLOB gana se debe a **ver la historia**, y muy poco a la atención en sí: en este
# libro sintético, la tendencia se lee bien mezclando los últimos eventos, y para eso no hace
# falta elegir a cuáles mirar. Es un resultado honesto, no un fracaso: una semilla y un conjunto
# de prueba no bastan para separar 0.57 de 0.58 (`attnlab train-tlob` repite el experimento con
# tres semillas).

# %% [markdown] lang="en"
# Read it carefully (with the baselines fully trained): TLOB clearly beats the logistic
# regression, but the MLP on the whole window comes very close to it. Almost all of what TLOB
# gains comes from **seeing the history**, and very little from attention itself: on this
# synthetic book the trend reads well by blending the last events, and that needs no choice of
# which ones to look at. It is an honest result, not a failure: one seed and one test split are
# not enough to tell 0.57 from 0.58 apart (`attnlab train-tlob` repeats the experiment with
# three seeds).

# %% [markdown] lang="es"
# ## 7. La atención antes y después
#
# Comparamos los mapas sobre las mismas 16 ventanas de prueba, antes y después de entrenar.
# Medimos lo concentrada que está cada capa con el **peso máximo medio por fila**: $1/N$ si la
# atención es uniforme sobre N tokens, 1 si cada token mira a uno solo.

# %% [markdown] lang="en"
# ## 7. Attention before and after
#
# We compare the maps on the same 16 test windows, before and after training. We measure how
# concentrated each layer is with the **mean of each row's largest weight**: $1/N$ if attention
# is uniform over N tokens, 1 if each token looks at a single one.

# %%
model.forward(x_probe)
maps_after = [(kind, w.copy()) for kind, w in model.attention_maps]
print(
    f"{tr('capa', 'layer'):>5}  {tr('tipo', 'kind'):<9} {'1/N':>6} {tr('antes', 'before'):>7} {tr('después', 'after'):>8}"
)
for i, ((kind, w0), (_, w1)) in enumerate(zip(maps_before, maps_after, strict=True)):
    name = tr("rasgos", "feature") if kind == "feature" else "temporal"
    before, after = w0.max(axis=-1).mean(), w1.max(axis=-1).mean()
    print(f"{i:>5}  {name:<9} {1 / w0.shape[-1]:6.3f} {before:7.3f} {after:8.3f}")
uniform = 1 / maps_before[0][1].shape[-1]
# es: la capa 0 de este modelo, casi uniforme antes de entrenar | en: this model's layer 0, almost uniform before training
assert maps_before[0][1].max(axis=-1).mean() < 1.5 * uniform
for kind in ("temporal", "feature"):
    for maps, when in ((maps_before, tr("ANTES", "BEFORE")), (maps_after, tr("DESPUÉS", "AFTER"))):
        fig = viz.tlob_attention(maps, kind, lang=LANG)
        label_real_layers(fig, maps, kind)
        kind_name = tr("temporal", "temporal") if kind == "temporal" else tr("de rasgos", "feature")
        _ = fig.suptitle(
            tr(
                f"Atención {kind_name} {when} de entrenar (media de 16 ventanas de prueba)",
                f"{kind_name.capitalize()} attention {when} training (mean of 16 test windows)",
            )
        )

# %% [markdown] lang="es"
# **Antes de entrenar**, en **este** modelo pequeño, la atención temporal es casi uniforme: cada
# evento mira a todos casi por igual (un peso máximo medio apenas por encima de $1/32$). No es
# una ley: el TLOB por defecto de la lección 07, también sin entrenar, ya tenía capas muy
# concentradas (las 4 y 6), porque con más capas y otra anchura los pesos aleatorios se
# amplifican. **Después de entrenar**, la atención temporal apenas se aleja de la uniforme: el
# modelo lee casi por igual los 32 eventos de la ventana (recuerda que el MLP, que los mezcla
# sin elegir, casi lo iguala), con alguna columna algo más marcada. Donde más cambia es la
# atención **de rasgos**: aparecen columnas claras, rasgos ocultos que todos los demás consultan.

# %% [markdown] lang="en"
# **Before training**, in **this** small model, temporal attention is almost uniform: every
# event looks at all of them almost equally (a mean largest weight barely above $1/32$). It is
# not a law: lesson 07's default TLOB, untrained too, already had very concentrated layers
# (4 and 6), because with more layers and another width random weights get amplified. **After
# training**, temporal attention barely moves away from uniform: the model reads the window's 32
# events almost equally (remember that the MLP, which blends them without choosing, nearly
# matches it), with a few slightly stronger columns. Where it changes most is **feature**
# attention: clear columns appear, hidden features that all the others consult.

# %% [markdown] lang="es"
# ¿Sigue coincidiendo con torch el modelo entrenado? Copiamos sus pesos a un TLOB en `float64`
# y comparamos con el gemelo de torch los *logits*, el gradiente de la entrada, el de cada
# parámetro y cada mapa de atención, sobre cuatro ventanas de prueba reales.

# %% [markdown] lang="en"
# Does the trained model still match torch? We copy its weights into a `float64` TLOB and
# compare with the torch twin the logits, the input gradient, every parameter's gradient and
# every attention map, on four real test windows.

# %%
from attnlab.show import report_diff, torch_or_none

model64 = TLOB(**MODEL)
model64.load_state_dict(model.state_dict())
torch = torch_or_none()
if torch is not None:
    from attnlab.reference import compare_tlob

    report = compare_tlob(model64, x_probe[:4].astype(np.float64))
    print(
        f"{len(report.diffs)} {tr('arrays comparados; diferencia máxima', 'arrays compared; max difference')}: "
        f"{report.max_abs:.1e} ({tr('coinciden', 'they match') if report.passed() else tr('NO coinciden', 'they DO NOT match')})"
    )
    assert report.passed()
else:
    from attnlab.reference.tlob_tiny import load_tlob_tiny

    config, state, x_tiny, logits_torch, version = load_tlob_tiny()
    tiny = TLOB(**config)
    tiny.load_torch_state_dict(state)
    assert (
        report_diff("logits", tiny.forward(x_tiny), logits_torch, against=f"torch {version}")
        <= 1e-10
    )

# %% [markdown] lang="es"
# Explora también cada capa y cada ventana por separado (capas 0 a 3: temporal, de rasgos,
# temporal, de rasgos):

# %% [markdown] lang="en"
# Also explore each layer and each window on its own (layers 0 to 3: temporal, feature,
# temporal, feature):

# %%
from attnlab.viz.interactive import maps_explorer

maps_explorer(maps_after, lang=LANG)

# %% [markdown] lang="es"
# ## 8. El experimento completo
#
# `attnlab train-tlob` repite el entrenamiento con tres semillas y compara con los modelos de
# referencia; la tabla está en el README. `attnlab train-tlob --save-pretrained` es lo que
# generó el modelo que hemos cargado.

# %% [markdown] lang="en"
# ## 8. The full experiment
#
# `attnlab train-tlob` repeats the training with three seeds and compares with the baselines;
# the table is in the README. `attnlab train-tlob --save-pretrained` is what made the model we
# loaded.

# %% [markdown] lang="es"
# ## 9. Ejercicios
#
# **Ejercicio 1.** Escribe `my_labels(mid, h, k)` que devuelva `(labels, alpha)` con las
# etiquetas de TLOB (usa NumPy; no llames a `tlob_labels`).

# %% [markdown] lang="en"
# ## 9. Exercises
#
# **Exercise 1.** Write `my_labels(mid, h, k)` returning `(labels, alpha)` with TLOB's labels
# (use NumPy; do not call `tlob_labels`).


# %%
def my_labels(mid, h, k):
    # es: tu código aquí | en: your code here
    return None


ex.check_tlob_labels(my_labels)

# %% [markdown] lang="es"
# **Ejercicio 2.** Escribe `macro_f1(cm)`: el F1 macro a partir de una matriz de confusión 3 × 3
# (filas = clase verdadera). Una clase que nunca se predice tiene F1 = 0.

# %% [markdown] lang="en"
# **Exercise 2.** Write `macro_f1(cm)`: the macro-F1 from a 3 × 3 confusion matrix (rows = true
# class). A class that is never predicted has F1 = 0.


# %%
def macro_f1(cm):
    # es: tu código aquí | en: your code here
    return None


ex.check_macro_f1(macro_f1)

# %% [markdown] lang="es"
# Soluciones: `lessons/solutions/es/08_tlob_training.py`. ¡Enhorabuena! Has construido la
# atención desde la softmax hasta un modelo entrenado, comprobando cada número por el camino.

# %% [markdown] lang="en"
# Solutions: `lessons/solutions/en/08_tlob_training.py`. Congratulations! You have built
# attention from softmax up to a trained model, checking every number along the way.
