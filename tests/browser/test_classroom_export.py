"""Running lessons for the offline pages: every kernel is shut down after its lesson."""

from __future__ import annotations

import re
import time

import pytest

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
psutil = pytest.importorskip("psutil")  # comes with ipykernel


def kernels_of_this_process() -> list:
    """Kernels this process started itself: not those of a Jupyter or Voila server another
    test left running (their kernels are grandchildren, and Voila starts spare ones)."""
    children = psutil.Process().children(recursive=False)
    return [p for p in children if "ipykernel" in " ".join(p.cmdline())]


def test_running_a_lesson_leaves_no_kernel_behind(tmp_path):
    """The export runs 24 notebooks in one process: a kernel left alive after each would hold
    gigabytes until the end."""
    from tools import lessons_build as lb

    path = tmp_path / "tiny.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1 + 1\nx")])
    nbformat.write(nb, str(path))
    before = {p.pid for p in kernels_of_this_process()}
    ran = lb.execute(path, quick=True, timeout=120)
    assert ran.cells[0].outputs[0]["data"]["text/plain"] == "2"
    deadline = time.monotonic() + 15
    while {p.pid for p in kernels_of_this_process()} - before:
        assert time.monotonic() < deadline, "the lesson's kernel is still running"
        time.sleep(0.2)


# -- equations ------------------------------------------------------------------------------
BLOCK = re.compile(r"<(p|li|td|th|h[1-6]|blockquote)\b[^>]*>(.*?)</\1>", flags=re.DOTALL)
NESTED = re.compile(r"<(p|li|td|th|ul|ol)\b.*", flags=re.DOTALL)


def split_equations(markdown: str) -> list[str]:
    """Blocks of the page (paragraphs, list items, cells, headings) holding an odd number of
    ``$``: an equation that the Markdown parser cut in two, which MathJax then cannot typeset.
    (A line that starts with "- " inside ``$...$`` turns the rest into a list item.)"""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    html = markdown2html_mistune(markdown)
    found = []
    for match in BLOCK.finditer(html):
        own = NESTED.sub("", match.group(2))  # the block's own text, not the blocks inside it
        if own.replace("\\$", "").count("$") % 2:
            found.append(own[:100])
    return found


def test_a_formula_cut_by_a_line_starting_with_a_dash_is_found():
    cut = "its Jacobian is $r\\,(I - \\tfrac{1}{E}\\mathbf{1}\n- \\tfrac{1}{E}\\hat{x})$, symmetric"
    assert split_equations(cut) != []
    assert split_equations(cut.replace("\n- ", " - ")) == []
    assert split_equations("a list:\n\n- $\\tau \\to 0$: argmax;\n- $\\tau = 1$") == []


def test_every_equation_of_every_lesson_reaches_the_offline_pages_whole():
    pytest.importorskip("nbconvert")
    from tools import lessons_build as lb

    root = lb.lessons_dir()
    for lang in ("es", "en"):
        for source in lb.sources(root):
            nb = nbformat.read(str(root / lang / f"{source.stem}.ipynb"), as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    assert split_equations(cell.source) == [], f"{lang}/{source.stem}"
