# %% [markdown] lang="es"
# # Lección 08 · Entrenar TLOB con datos de un libro de órdenes
#
# Llegamos al final del camino: entrenar TLOB, escrito en NumPy con el backward a mano, para
# predecir la **tendencia** del precio medio.
#
# **Objetivos**
# 1. Entender las **etiquetas** de TLOB: horizonte $h$, ventana de suavizado $k$ y umbral $\alpha$.
# 2. Preparar los datos sin hacer trampas: separación cronológica y normalización con
#    estadísticas **solo** del entrenamiento.
# 3. Entrenar con barra de progreso y parada temprana; leer las curvas de pérdida.
# 4. Evaluar con la matriz de confusión y el F1 macro, y compararse con dos **modelos de
#    referencia** sencillos.
# 5. Ver cómo cambian los mapas de atención con el entrenamiento.
#
# Con `ATTNLAB_QUICK=1` (como en la integración continua) todo se acorta mucho: los números
# salen peores. Para el experimento completo, ejecuta sin esa variable (unos minutos).

# %% [markdown] lang="en"
# # Lesson 08 · Training TLOB on order-book data
#
# We reach the end of the road: training TLOB, written in NumPy with a hand-written backward, to
# predict the **trend** of the mid-price.
#
# **Goals**
# 1. Understand TLOB's **labels**: horizon $h$, smoothing window $k$ and threshold $\alpha$.
# 2. Prepare the data without cheating: chronological split and normalisation with statistics
#    from the training split **only**.
# 3. Train with a progress bar and early stopping; read the loss curves.
# 4. Evaluate with the confusion matrix and the macro-F1, and compare with two simple
#    **baselines**.
# 5. See how the attention maps change with training.
#
# With `ATTNLAB_QUICK=1` (as in continuous integration) everything is much shorter: the numbers
# come out worse. For the full experiment, run without that variable (a few minutes).

# %%
LANG = "en"  # es: idioma de los mensajes (lo escribe la compilación) | en: language of the messages (written by the build)
import numpy as np

from attnlab import exercises as ex
from attnlab import viz
from attnlab.data import make_dataset, mid_price, synthetic_lob, tlob_labels
from attnlab.show import setup_lesson, show_source, tr

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
# con $\alpha = \mathrm{media}(|l|)/2$, calculado en **cada** partición por separado. Solo
# reciben etiqueta los eventos con una ventana futura completa.

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
# with $\alpha = \mathrm{mean}(|l|)/2$, computed on **each** split separately. Only events with
# a full future window get a label.

# %%
show_source(tlob_labels)
lob = synthetic_lob(3000, seed=0)
mid = mid_price(lob.book)  # (N,)
labels, alpha = tlob_labels(mid, horizon=10)
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
# `make_dataset` genera el libro sintético, lo **parte en el tiempo** (70 % entrenamiento,
# 15 % validación, 15 % prueba: nunca se barajan eventos entre particiones), etiqueta cada parte
# con su propio $\alpha$, normaliza (puntuación z) con la media y desviación **del entrenamiento**
# y corta ventanas de T eventos; cada ventana lleva la etiqueta de su último evento.

# %% [markdown] lang="en"
# ## 2. Data without cheating
#
# `make_dataset` generates the synthetic book, **splits it in time** (70% training, 15%
# validation, 15% test: events are never shuffled across splits), labels each part with its own
# $\alpha$, normalises (z-score) with the **training** mean and std and cuts windows of T
# events; each window carries the label of its last event.

# %%
from attnlab.train.experiment import DATA, MODEL, TRAIN

data_config = {**DATA, "n_events": 6000 if QUICK else DATA["n_events"]}
dataset = make_dataset(**data_config)
for name, part in (("train", dataset.train), ("val", dataset.val), ("test", dataset.test)):
    x0, _ = part.batch([0])
    print(
        f"{name:<5} {len(part):>6} {tr('ventanas', 'windows')} {x0.shape[1:]}  "
        f"{tr('clases', 'classes')} {np.bincount(part.y, minlength=3)}"
    )
print("alphas:", np.round(dataset.alphas, 7))

# %% [markdown] lang="es"
# ## 3. Dos modelos de referencia
#
# Antes de presumir de un modelo hay que batir a los sencillos:
#
# - **clase mayoritaria**: predice siempre la clase más frecuente del entrenamiento;
# - **regresión logística sobre la última instantánea**: solo ve el último evento de la ventana, sin
#   historia. Si TLOB no la supera, la atención sobre el tiempo no está aportando nada.
#
# Medimos con el **F1 macro**: la media del F1 de las tres clases, para que una clase frecuente
# no tape a las demás.

# %% [markdown] lang="en"
# ## 3. Two baselines
#
# Before boasting about a model we must beat the simple ones:
#
# - **majority class**: always predicts the most frequent training class;
# - **logistic regression on the last snapshot**: it only sees the last event of the window, no
#   history. If TLOB does not beat it, attention over time is adding nothing.
#
# We measure with the **macro-F1**: the mean of the three classes' F1, so that a frequent class
# does not hide the others.

# %%
from attnlab.metrics import confusion_matrix, f1_per_class
from attnlab.train import LastSnapshotLogistic, MajorityClass, evaluate, train_classifier

majority = MajorityClass().fit(dataset.train.y)
f1_majority = float(
    f1_per_class(confusion_matrix(dataset.test.y, majority.predict(len(dataset.test)))).mean()
)
logistic = LastSnapshotLogistic(40, rng=0, dtype=np.float32)
train_classifier(
    logistic,
    dataset.train,
    dataset.val,
    epochs=3 if QUICK else 10,
    batch_size=256,
    lr=1e-2,
    progress=False,
    log=None,
)
f1_logistic = evaluate(logistic, dataset.test)["macro_f1"]
print(
    tr("F1 macro en prueba:", "test macro-F1:"),
    f"majority {f1_majority:.3f}, logistic {f1_logistic:.3f}",
)

# %% [markdown] lang="es"
# ## 4. Entrenar TLOB
#
# Un TLOB pequeño (`hidden_dim=32`, 2 parejas de capas, ventanas de 32 eventos), en `float32`,
# con Adam, entropía cruzada y parada temprana sobre la pérdida de validación. Antes de entrenar
# guardamos sus mapas de atención sobre unas ventanas de prueba, para compararlos después.

# %% [markdown] lang="en"
# ## 4. Training TLOB
#
# A small TLOB (`hidden_dim=32`, 2 pairs of layers, windows of 32 events), in `float32`, with
# Adam, cross-entropy and early stopping on the validation loss. Before training we keep its
# attention maps on a few test windows, to compare them afterwards.

# %%
from attnlab.models import TLOB

show_source(train_classifier)
model = TLOB(**MODEL, rng=0, dtype=np.float32)
x_probe, _ = dataset.test.batch(np.arange(16))  # (16, T, F)
model.forward(x_probe)
maps_before = [(kind, w.copy()) for kind, w in model.attention_maps]
train_config = {**TRAIN, **({"epochs": 2, "max_batches": 20} if QUICK else {})}
print(train_config)
history = train_classifier(model, dataset.train, dataset.val, seed=0, **train_config)
print(
    tr(
        f"entrenado en {history.seconds:.1f} s; mejor época: {history.best_epoch + 1}",
        f"trained in {history.seconds:.1f} s; best epoch: {history.best_epoch + 1}",
    )
)

# %% [markdown] lang="es"
# ## 5. Curvas de pérdida
#
# Si la pérdida de entrenamiento baja y la de validación sube, el modelo empieza a memorizar:
# la parada temprana se queda con los pesos de la mejor época de validación (línea de puntos).

# %% [markdown] lang="en"
# ## 5. Loss curves
#
# If the training loss goes down while the validation loss goes up, the model starts to
# memorise: early stopping keeps the weights of the best validation epoch (dotted line).

# %%
fig = viz.training_curves(history, lang=LANG)

# %% [markdown] lang="es"
# ## 6. Evaluación en la partición de prueba
#
# La matriz de confusión tiene una fila por clase verdadera y una columna por clase predicha:
# la diagonal son aciertos. Luego, la tabla contra los modelos de referencia.

# %% [markdown] lang="en"
# ## 6. Evaluation on the test split
#
# The confusion matrix has one row per true class and one column per predicted class: the
# diagonal holds the hits. Then, the table against the baselines.

# %%
scores = evaluate(model, dataset.test)
ax = viz.confusion_matrix(scores["confusion"], lang=LANG)
print(f"| {tr('modelo', 'model'):<30} | {tr('F1 macro (prueba)', 'test macro-F1'):>17} |")
print(f"|{'-' * 32}|{'-' * 19}|")
for name, f1 in (
    ("TLOB", scores["macro_f1"]),
    (tr("logística (última instantánea)", "logistic (last snapshot)"), f1_logistic),
    (tr("clase mayoritaria", "majority class"), f1_majority),
):
    print(f"| {name:<30} | {f1:>17.3f} |")
if QUICK:
    print(
        tr(
            "(modo rápido: pocos datos y 2 épocas cortas; el resultado del entrenamiento completo está en la sección 8)",
            "(quick mode: little data and 2 short epochs; the result of the full training is in section 8)",
        )
    )

# %% [markdown] lang="es"
# ## 7. La atención antes y después
#
# Comparamos los mapas **temporales** (T × T) sobre las mismas ventanas de prueba. Antes de
# entrenar, la atención es casi uniforme: cada evento mira a todos por igual. Después, aparecen
# estructuras: columnas de eventos que muchos consultan, o más peso en los eventos recientes.

# %% [markdown] lang="en"
# ## 7. Attention before and after
#
# We compare the **temporal** maps (T × T) on the same test windows. Before training, attention
# is almost uniform: every event looks at all of them equally. After, structure appears:
# columns of events that many consult, or more weight on recent events.

# %%
fig = viz.tlob_attention(maps_before, "temporal", lang=LANG)
_ = fig.suptitle(
    tr(
        "Atención temporal ANTES de entrenar (media de 16 ventanas de prueba)",
        "Temporal attention BEFORE training (mean of 16 test windows)",
    )
)
model.forward(x_probe)
fig = viz.tlob_attention(model.attention_maps, "temporal", lang=LANG)
_ = fig.suptitle(
    tr(
        "Atención temporal DESPUÉS de entrenar (las mismas ventanas)",
        "Temporal attention AFTER training (the same windows)",
    )
)

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
        f"{report.max_abs:.1e} ({tr('coinciden' if report.passed() else 'NO coinciden', 'they match' if report.passed() else 'they DO NOT match')})"
    )
else:
    from attnlab.reference.tlob_tiny import load_tlob_tiny

    config, state, x_tiny, logits_torch, version = load_tlob_tiny()
    tiny = TLOB(**config)
    tiny.load_torch_state_dict(state)
    report_diff("logits", tiny.forward(x_tiny), logits_torch, against=f"torch {version}")

# %% [markdown] lang="es"
# Explora también la atención **de rasgos** y cada ventana por separado:

# %% [markdown] lang="en"
# Also explore the **feature** attention and each window on its own:

# %%
from attnlab.viz.interactive import maps_explorer

maps_explorer(model.attention_maps, lang=LANG)

# %% [markdown] lang="es"
# ## 8. El experimento completo
#
# `attnlab train-tlob` repite esto con tres semillas y datos completos, e imprime la tabla de
# resultados (también está en el README). attnlab trae además un TLOB pequeño ya entrenado:

# %% [markdown] lang="en"
# ## 8. The full experiment
#
# `attnlab train-tlob` repeats this with three seeds and the full data, and prints the results
# table (it is in the README too). attnlab also ships a small TLOB already trained:

# %%
from attnlab.models import load_pretrained

try:
    pretrained, info = load_pretrained()
except FileNotFoundError as err:
    print(err)
else:
    test = info["test"]
    print(pretrained.config, "|", info["data"])
    print(
        tr(
            "F1 macro en prueba (60.000 eventos, 10 épocas):",
            "test macro-F1 (60,000 events, 10 epochs):",
        )
    )
    print(
        f"  TLOB {test['macro_f1']:.3f} | logistic {test['logistic_macro_f1']:.3f} | majority {test['majority_macro_f1']:.3f}"
    )
    ax = viz.confusion_matrix(np.array(test["confusion"]), lang=LANG)

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
