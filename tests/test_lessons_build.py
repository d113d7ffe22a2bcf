"""The lessons: one bilingual source each, and the committed notebooks are exactly its build."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("jupytext")
nbformat = pytest.importorskip("nbformat")

from attnlab.cli import main  # noqa: E402
from tools import lessons_build as lb  # noqa: E402

ROOT = lb.lessons_dir()
SOURCES = lb.sources(ROOT)
EXPECTED = [
    "00_tour",
    "01_softmax",
    "02_attention",
    "03_masks",
    "04_backprop",
    "05_multi_head",
    "06_positions",
    "07_tlob_forward",
    "08_tlob_training",
    "09_gpt",
    "10_decoding",
    "11_positions_rope_alibi",
    "12_induction_heads",
]


def write_source(tmp_path: Path, text: str) -> Path:
    (tmp_path / "src").mkdir(exist_ok=True)
    path = tmp_path / "src" / "00_demo.py"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """# %% [markdown] lang="es"
# # Hola

# %% [markdown] lang="en"
# # Hello

# %%
LANG = "en"  # es: idioma | en: language
x = 1
"""


def test_the_course_has_every_lesson_from_tour_to_training():
    assert [p.stem for p in SOURCES] == EXPECTED


def test_committed_notebooks_and_solutions_equal_a_fresh_build():
    changed, problems = lb.build(ROOT, check=True)
    assert not problems, "\n".join(map(str, problems))
    assert not changed, f"out of date (run `attnlab lessons build`): {[str(p) for p in changed]}"


def test_every_lesson_has_a_notebook_in_each_language_and_nothing_else():
    for lang in lb.LANGS:
        notebooks = sorted(p.stem for p in (ROOT / lang).glob("*.ipynb"))
        assert notebooks == EXPECTED


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_markdown_cell_has_a_language_and_a_twin(path):
    nb = lb.read_source(path)
    assert not lb.check_source(nb, path), str(lb.check_source(nb, path))
    langs = [c.metadata.get("lang") for c in nb.cells if c.cell_type == "markdown"]
    assert langs == ["es", "en"] * (len(langs) // 2)


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_notebooks_are_committed_without_outputs(path):
    for lang in lb.LANGS:
        nb = json.loads((ROOT / lang / f"{path.stem}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
        assert nb["metadata"]["attnlab"]["lang"] == lang


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_es_and_en_notebooks_share_their_code_and_structure(path):
    es = nbformat.read(str(ROOT / "es" / f"{path.stem}.ipynb"), as_version=4)
    en = nbformat.read(str(ROOT / "en" / f"{path.stem}.ipynb"), as_version=4)
    assert [c.cell_type for c in es.cells] == [c.cell_type for c in en.cells]

    def strip(src: str) -> str:  # the only code differences: LANG and the localised comments
        src = lb.LANG_LINE.sub('LANG = "?"', src)
        return re.sub(r"#.*$", "#", src, flags=re.MULTILINE)

    for a, b in zip(es.cells, en.cells, strict=True):
        if a.cell_type == "code":
            assert strip(a.source) == strip(b.source)
    assert any('LANG = "es"' in c.source for c in es.cells)
    assert any('LANG = "en"' in c.source for c in en.cells)


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_every_lesson_states_goals_and_ends_with_two_checked_exercises(path):
    text = path.read_text(encoding="utf-8")
    assert "**Objetivos" in text and "**Goals" in text
    assert len(re.findall(r"^ex\.check_\w+\(", text, flags=re.MULTILINE)) >= 2
    assert (ROOT / "solutions" / "src" / path.name).exists()
    for lang in lb.LANGS:
        assert (ROOT / "solutions" / lang / path.name).exists()


def test_code_comments_are_localised_and_nothing_bilingual_leaks():
    for lang in lb.LANGS:
        for nb_path in (ROOT / lang).glob("*.ipynb"):
            text = nb_path.read_text(encoding="utf-8")
            assert "| en:" not in text and "# es:" not in text, nb_path.name


def test_localise_code_keeps_one_side_of_each_comment():
    src = 'LANG = "en"  # es: idioma | en: language\nx = 1  # es: (T, D) hola | en: (T, D) hello\n'
    assert lb.localise_code(src, "es") == 'LANG = "es"  # idioma\nx = 1  # (T, D) hola\n'
    assert lb.localise_code(src, "en") == 'LANG = "en"  # language\nx = 1  # (T, D) hello\n'


def test_a_markdown_cell_without_language_is_reported(tmp_path):
    path = write_source(tmp_path, GOOD.replace('# %% [markdown] lang="en"', "# %% [markdown]"))
    problems = lb.check_source(lb.read_source(path), path)
    assert any("without lang" in p for p in problems.problems)


def test_a_spanish_cell_without_its_english_twin_is_reported(tmp_path):
    path = write_source(tmp_path, GOOD.replace('# %% [markdown] lang="en"\n# # Hello\n\n', ""))
    problems = lb.check_source(lb.read_source(path), path)
    assert any("not followed by its English twin" in p for p in problems.problems)


def test_twins_with_different_headings_are_reported(tmp_path):
    path = write_source(tmp_path, GOOD.replace("# # Hello", "# ## Hello"))
    problems = lb.check_source(lb.read_source(path), path)
    assert any("different headings" in p for p in problems.problems)


def test_build_writes_both_languages_and_check_mode_detects_a_stale_notebook(tmp_path):
    write_source(tmp_path, GOOD)
    changed, problems = lb.build(tmp_path)
    assert not problems and sorted(p.parent.name for p in changed) == ["en", "es"]
    es = (tmp_path / "es" / "00_demo.ipynb").read_text(encoding="utf-8")
    assert "Hola" in es and "Hello" not in es and 'LANG = \\"es\\"  # idioma' in es
    assert lb.build(tmp_path, check=True) == ([], [])
    (tmp_path / "es" / "00_demo.ipynb").write_text(es.replace("Hola", "Adiós"), encoding="utf-8")
    changed, _ = lb.build(tmp_path, check=True)
    assert changed == [tmp_path / "es" / "00_demo.ipynb"]


def test_cli_check_fails_on_a_bad_source_and_passes_on_the_repository(tmp_path, capsys):
    write_source(tmp_path, GOOD.replace('lang="en"', ""))
    assert main(["lessons", "build", "--root", str(tmp_path)]) == 1
    assert "problem in" in capsys.readouterr().out
    assert main(["lessons", "build", "--check"]) == 0
    assert main(["lessons", "list"]) == 0
    assert capsys.readouterr().out.split()[-len(EXPECTED) :] == EXPECTED


def test_the_glossary_pairs_terms_and_lists_every_shape_symbol():
    text = (ROOT / "GLOSARIO.md").read_text(encoding="utf-8")
    for symbol in ("B", "T", "S", "H", "D", "Dv", "E", "F", "N", "d", "h", "L", "C", "W"):
        assert f"| **{symbol}** |" in text, symbol
    pairs = (("consulta (Q)", "query (Q)"), ("clave (K)", "key (K)"), ("valor (V)", "value (V)"))
    for es, en in pairs:
        assert f"| {es} | {en} |" in text


@pytest.mark.parametrize("stem", ["00_tour", "02_attention"])
def test_spanish_lessons_name_q_k_v_consistently(stem):
    nb = nbformat.read(str(ROOT / "es" / f"{stem}.ipynb"), as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for word in ("consulta", "clave", "valor"):
        assert word in prose
    prose = re.sub(r"`[^`]*`", "", prose)  # code identifiers (query_state) are not prose
    assert "query" not in prose.replace("*queries*", "")  # English only as a marked gloss


def test_the_glossary_writes_down_its_decisions():
    text = (ROOT / "GLOSARIO.md").read_text(encoding="utf-8")
    decisions = text.split("## Decisiones")[1].split("\n## ")[0]
    for term in ("paso hacia delante", "retropropagación", "Punto", "conjunto de prueba", "rasgo"):
        assert term in decisions, term
    assert "logit z" in decisions and "Puntuación z" in decisions


SPANISH_PROSE_AVOIDS = {
    # term the glossary replaced -> what to write instead
    r"\bel (forward|backward)\b": "el paso hacia delante / la retropropagación",
    r"\bun (forward|backward)\b": "un paso hacia delante / una retropropagación",
    r"\bvariables? ocultas?\b": "rasgos ocultos",
    r"búsqueda blanda|diccionario blando": "búsqueda suave",
    r"partición de (test|prueba)": "conjunto de prueba",
    r"ask precio|bid precio": "precio ask / precio bid",
    r"\d,\d": "decimal point (0.5), see the glossary",
    r"\d\.\d{3}\.\d{3}": "thousands with spaces (1 135 974)",
}


@pytest.mark.parametrize("path", SOURCES, ids=[p.stem for p in SOURCES])
def test_spanish_prose_follows_the_glossary(path):
    nb = lb.read_source(path)
    prose = "\n".join(
        c.source for c in nb.cells if c.cell_type == "markdown" and c.metadata["lang"] == "es"
    )
    prose = re.sub(r"`[^`]*`|\$[^$]*\$", "", prose)  # code and maths may say anything
    for pattern, instead in SPANISH_PROSE_AVOIDS.items():
        found = re.findall(pattern, prose)
        assert not found, f"{pattern!r} in {path.name}: write {instead}"


def test_the_teaching_guide_covers_every_lesson_in_both_languages():
    text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    for heading in ("# Guía para docentes", "# Teaching guide"):
        assert heading in text
    spanish, english = text.split("\n# Teaching guide")
    for guide in (spanish, english):
        for stem in EXPECTED:  # a measured total in each language: "| **09 GPT** (total: 113 s"
            timed = rf"^\| \*\*{stem[:2]} [^|]*\(total: \d[^|]* s\b"
            assert re.search(timed, guide, flags=re.MULTILINE), stem
            assert re.search(rf"^- \*\*{stem[:2]}\.\*\* \S", guide, flags=re.MULTILINE), stem
        assert "90" in guide and "3 h" in guide
        # no placeholder left for a lesson that exists: "[pendiente]", "[to do]", "por medir"
        assert not re.search(r"\[(pendiente|to do)|por medir|to be measured", guide)
    for later in ("gpt", "decoding", "rope", "induction"):
        assert later in text.lower()


def test_the_teaching_guide_shows_the_dashboard_in_each_language_and_every_image_exists():
    text = (ROOT / "TEACHING.md").read_text(encoding="utf-8")
    spanish, english = text.split("\n# Teaching guide")
    for guide, lang in ((spanish, "es"), (english, "en")):
        images = re.findall(r"!\[[^\]]+\]\(([^)\s]+)\)", guide)
        assert f"../figures/classroom/dashboard_{lang}.png" in images, lang
        for image in images:
            assert (ROOT / image).is_file(), image
