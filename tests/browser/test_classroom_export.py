"""Running lessons for the offline pages: every kernel is shut down after its lesson, and Ctrl-C
or SIGTERM stops the whole export cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from _harness import need
from _jupyterlab import REPO

nbformat = pytest.importorskip("nbformat")
pytest.importorskip("nbclient")
psutil = pytest.importorskip("psutil")  # comes with ipykernel


def kernels_of_this_process() -> list:
    """Kernels this process started itself: not those of a Jupyter or Voila server another
    test left running (their kernels are grandchildren, and Voila starts spare ones)."""
    children = psutil.Process().children(recursive=False)
    return [p for p in children if "ipykernel" in " ".join(p.cmdline())]


def test_running_a_lesson_leaves_no_kernel_behind(tmp_path):
    """The export runs every lesson in both languages in one process: a kernel left alive after
    each would hold gigabytes until the end."""
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


# -- stopping an export --------------------------------------------------------------------
WAIT_CELL = """import os, pathlib, time
pathlib.Path({pid_file!r}).write_text(str(os.getpid()))
time.sleep(300)
"""
NEXT_CELL = "import pathlib\npathlib.Path({ran_file!r}).write_text('ran')\n"


def tiny_lessons(root, tmp_path):
    """A lessons folder with two lessons: 00_wait sleeps (its kernel writes its pid first), the
    next one leaves a file if it ever runs."""
    cells = {
        "00_wait": WAIT_CELL.format(pid_file=str(tmp_path / "kernel.pid")),
        "01_next": NEXT_CELL.format(ran_file=str(tmp_path / "next.ran")),
    }
    (root / "src").mkdir(parents=True)
    for stem, code in cells.items():
        (root / "src" / f"{stem}.py").write_text("# %%\n")
        for lang in ("es", "en"):
            (root / lang).mkdir(exist_ok=True)
            heading = nbformat.v4.new_markdown_cell(f"# {stem}")
            nb = nbformat.v4.new_notebook(cells=[heading, nbformat.v4.new_code_cell(code)])
            nbformat.write(nb, str(root / lang / f"{stem}.ipynb"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_the_whole_export_and_shuts_the_kernel_down(sig, tmp_path):
    """A terminal's Ctrl-C sends SIGINT to the whole foreground process group (the kernel runs in
    a session of its own): the export stops at once, kernel shut down, no traceback, a short
    message, exit 128 + the signal."""
    need("mathjax", "pip install 'attnlab[classroom]'")
    root, out = tmp_path / "lessons", tmp_path / "pages"
    tiny_lessons(root, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "ATTNLAB_LANG": "en"}
    argv = [sys.executable, "-m", "attnlab", "lessons", "--html", str(out), "--root", str(root)]
    proc = subprocess.Popen(
        [*argv, "--quick"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a command started in a terminal
    )
    pid_file = tmp_path / "kernel.pid"
    try:
        deadline = time.monotonic() + 90
        while not pid_file.exists() or not pid_file.read_text():
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the first lesson's cell did not start in 90 s"
            time.sleep(0.2)
        kernel = psutil.Process(int(pid_file.read_text()))
        os.killpg(proc.pid, sig)
        text, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    text = text.decode()
    assert proc.returncode == 128 + sig, text
    assert f"interrupted; {out} is incomplete" in text, text
    assert "Traceback" not in text and "exception" not in text.lower(), text
    assert not (tmp_path / "next.ran").exists(), "the export went on with the next lesson"
    try:
        kernel.wait(timeout=15)  # the export shut it down (and reaped it) before exiting
    except psutil.TimeoutExpired:
        kernel.kill()
        raise AssertionError("the lesson's kernel still runs after the export stopped") from None


def test_exporting_into_a_file_is_a_clear_error_before_any_lesson_runs(tmp_path, monkeypatch):
    from attnlab.classroom import export
    from tools import lessons_build as lb

    def must_not_run(*args, **kwargs):
        raise AssertionError("a lesson ran although the output folder is a file")

    monkeypatch.setattr(lb, "execute", must_not_run)
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me\n")
    for out in (taken, taken / "pages"):
        with pytest.raises(NotADirectoryError, match=re.escape(str(out))):
            export.export_lessons(out, stems=["00_tour"], langs=["en"])
    assert taken.read_text() == "keep me\n"


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
