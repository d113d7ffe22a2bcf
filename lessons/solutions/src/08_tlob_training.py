# es: Soluciones de la lección 08 · Entrenar TLOB | en: Solutions for lesson 08 · Training TLOB
LANG = "en"
import numpy as np

from attnlab import exercises as ex


def my_labels(mid, h, k):
    # es: eventos con una ventana futura completa | en: events with a full future window
    n = len(mid) - h - k + 1
    m_minus = np.array([mid[t : t + k].mean() for t in range(n)])  # (n,)
    m_plus = np.array([mid[t + h : t + h + k].mean() for t in range(n)])  # (n,)
    l = (m_plus - m_minus) / m_minus  # (n,)
    alpha = np.mean(np.abs(l)) / 2
    labels = np.ones(n, dtype=int)  # es: 1 = estable | en: 1 = stationary
    labels[l > alpha] = 0  # es: 0 = sube | en: 0 = up
    labels[l < -alpha] = 2  # es: 2 = baja | en: 2 = down
    return labels, alpha


def macro_f1(cm):
    cm = np.asarray(cm, dtype=float)
    tp = np.diag(cm)
    # es: columnas: veces que se predijo cada clase | en: columns: times each class was predicted
    predicted = cm.sum(axis=0)
    # es: filas: veces que aparece cada clase | en: rows: times each class occurs
    actual = cm.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros(3), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros(3), where=actual > 0)
    f1 = np.divide(
        2 * precision * recall, precision + recall, out=np.zeros(3), where=precision + recall > 0
    )
    return f1.mean()


def check():
    ex.set_language(LANG)
    return [ex.check_tlob_labels(my_labels), ex.check_macro_f1(macro_f1)]


if __name__ == "__main__":
    for result in check():
        print(result)
