# Soluciones de la lección 08 · Entrenar TLOB
LANG = "es"
import numpy as np

from attnlab import exercises as ex


def my_labels(mid, h, k):
    # eventos con una ventana futura completa
    n = len(mid) - h - k + 1
    m_minus = np.array([mid[t : t + k].mean() for t in range(n)])  # (n,)
    m_plus = np.array([mid[t + h : t + h + k].mean() for t in range(n)])  # (n,)
    l = (m_plus - m_minus) / m_minus  # (n,)
    alpha = np.mean(np.abs(l)) / 2
    labels = np.ones(n, dtype=int)  # 1 = estable
    labels[l > alpha] = 0  # 0 = sube
    labels[l < -alpha] = 2  # 2 = baja
    return labels, alpha


def macro_f1(cm):
    cm = np.asarray(cm, dtype=float)
    tp = np.diag(cm)
    # columnas: veces que se predijo cada clase
    predicted = cm.sum(axis=0)
    # filas: veces que aparece cada clase
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
