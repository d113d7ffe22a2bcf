"""Run every lesson, in both languages, top to bottom in a real Jupyter kernel (quick mode).

nbclient starts an ipykernel, exactly as Jupyter does: inline figures, widgets, the works. Any
error in any cell fails the test. The kernel gets ATTNLAB_QUICK=1 (short trainings); the
matplotlib backend is NOT forced, so the figures must really appear inline. With torch
installed the lessons compare against it live; one language is also run with
ATTNLAB_NO_TORCH=1 to exercise the shipped golden values.
"""

from __future__ import annotations

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from tools import lessons_build as lb  # noqa: E402

pytestmark = [pytest.mark.lessons, pytest.mark.slow]

ROOT = lb.lessons_dir()
STEMS = [p.stem for p in lb.sources(ROOT)]
# Figures each lesson draws inline (at least): a missing one means plots stopped showing.
MIN_IMAGES = {
    "00_tour": 1,
    "01_softmax": 1,
    "02_attention": 2,
    "03_masks": 1,
    "04_backprop": 0,
    "05_multi_head": 1,
    "06_positions": 3,
    "07_tlob_forward": 2,
    "08_tlob_training": 7,
    "09_gpt": 3,
    "10_decoding": 2,
    "11_positions_rope_alibi": 3,
    "12_induction_heads": 3,
}
MISMATCH = ("NO coinciden", "DO NOT match")
# English that must never reach a Spanish notebook's printed output (code identifiers aside).
# attnlab's own exception messages may appear only after the Spanish gloss that introduces them.
ENGLISH = (
    "not yet",
    "not answered",
    "you have",
    "your function",
    "they match",
    " vs ",
    "max abs diff",
    "max rel diff",
    "note:",
    "train loss",
    "val loss",
    "majority",
    "logistic",
    "rows with no key",
    "expected",
    "Hint",
    "trained in",
    "best epoch",
    "windows",
    "stored reference values",
)
GLOSSED = "mensaje original de attnlab (en inglés):"


def run(stem: str, lang: str, monkeypatch, *, no_torch: bool = False):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    if no_torch:
        monkeypatch.setenv("ATTNLAB_NO_TORCH", "1")
    else:
        monkeypatch.delenv("ATTNLAB_NO_TORCH", raising=False)
    return lb.execute(ROOT / lang / f"{stem}.ipynb", quick=True, timeout=300)


def outputs(nb):
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.outputs


def text_of(nb) -> str:
    """What the notebook printed: streams and plain-text results (not the source it displays)."""
    parts = []
    for out in outputs(nb):
        if out.output_type == "stream":
            parts.append(out.text)
        elif "data" in out and "text/markdown" not in out.data:
            parts.append(out.data.get("text/plain", ""))
    return "\n".join(parts)


@pytest.mark.parametrize("lang", lb.LANGS)
@pytest.mark.parametrize("stem", STEMS)
def test_lesson_runs_without_error_and_every_comparison_matches(stem, lang, monkeypatch):
    nb = run(stem, lang, monkeypatch)
    images = sum("image/png" in out.get("data", {}) for out in outputs(nb))
    assert images >= MIN_IMAGES[stem], f"only {images} inline figures"
    text = text_of(nb)
    assert not any(m in text for m in MISMATCH), "a comparison with torch/golden values failed"
    # The exercise cells run the checkers on the placeholders: "not answered yet", nothing more.
    assert ("aún no has respondido" if lang == "es" else "you have not answered yet") in text
    assert ("todavía no" if lang == "es" else "not yet.") not in text
    if lang == "es":
        assert english_in(text) == []


def english_in(text: str) -> list[str]:
    """The lines of a Spanish notebook's output that contain English (glossed errors aside)."""
    return [
        line
        for line in text.splitlines()
        if GLOSSED not in line and any(marker in line for marker in ENGLISH)
    ]


def test_the_english_detector_can_fail():
    assert english_in("época 1  pérdida de entrenamiento 1.0") == []
    assert english_in("epoch 1  train loss 1.0") == ["epoch 1  train loss 1.0"]
    assert english_in(f"  {GLOSSED} k has 5 features but q has 8, expected 5") == []


@pytest.mark.parametrize("stem", STEMS)
def test_lesson_runs_without_torch_against_the_shipped_golden_values(stem, monkeypatch):
    nb = run(stem, "es", monkeypatch, no_torch=True)
    text = text_of(nb)
    assert not any(m in text for m in MISMATCH)
    assert english_in(text) == []  # the golden-value path speaks Spanish too
    source = (ROOT / "src" / f"{stem}.py").read_text(encoding="utf-8")
    if "parity(" in source or "torch_or_none()" in source:
        assert "PyTorch no está instalado" in text and "pip install" in text
