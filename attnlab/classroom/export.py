"""Offline lesson pages: run the lessons, write static HTML that a student opens from a USB stick.

:func:`export_lessons` runs every lesson in both languages in a real kernel (nbclient; ``quick``
sets ``ATTNLAB_QUICK=1``), freezes each widget into a labelled static snapshot
(:mod:`attnlab.classroom.snapshot`), and writes::

    OUT/index.html            every lesson in both languages
    OUT/es/NN_name.html       one page per lesson: code, printed results, figures inline (PNG)
    OUT/en/NN_name.html
    OUT/mathjax/              MathJax 3 (one file, SVG output: no web fonts) and its licence

Equations are typeset in the browser by that local MathJax, copied from the
``django-static-mathjax`` package (a plain copy of MathJax 3; nothing of Django is used or
installed). Nothing in the pages is fetched from the network: :func:`remote_resources` checks
every page written and the export fails if one would load a script, style or image from elsewhere.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._checkout import import_tool
from ..i18n import LANGUAGES, default_language, tr
from . import EXTRA_HINT
from .index import index_page, nav_bar
from .snapshot import freeze_widgets
from .style import PAGES_CSS, SHARE, projector_css

MATHJAX_FILE = "tex-svg-full.js"  # TeX input with every extension, SVG output, one file
TEMPLATES = SHARE / "nbconvert" / "templates"
# A script, stylesheet, image, frame or CSS url() that points at another machine.
REMOTE = re.compile(
    r"""<(?:script|img|iframe|audio|video|source|embed)\b[^>]*?\bsrc\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?((?:https?:)?//[^"'\s>]+)"""
    r"""|(?:url\(|@import\s|import\()\s*["']?((?:https?:)?//[^"')\s]+)""",
    flags=re.IGNORECASE,
)


@dataclass
class Lesson:
    stem: str
    lang: str
    title: str = ""
    page: str | None = None  # relative to OUT, None if the lesson failed
    error: str | None = None
    seconds: float = 0.0


@dataclass
class ExportResult:
    out: Path
    lessons: list[Lesson] = field(default_factory=list)

    @property
    def failures(self) -> list[Lesson]:
        return [lesson for lesson in self.lessons if lesson.error]


def remote_resources(html: str) -> list[str]:
    """URLs of scripts, styles, images, frames and CSS imports that would leave the machine."""
    return [next(g for g in m.groups() if g) for m in REMOTE.finditer(html)]


def mathjax_source() -> Path:
    """MathJax's one-file build inside the installed ``django-static-mathjax`` package."""
    spec = importlib.util.find_spec("mathjax")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "static" / "mathjax" / "es5" / MATHJAX_FILE
        if path.is_file():
            return path
    raise FileNotFoundError(
        f"MathJax not found (the django-static-mathjax package provides it): {EXTRA_HINT}"
    )


def copy_mathjax(out: Path) -> Path:
    source = mathjax_source()
    target = out / "mathjax"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target / MATHJAX_FILE)
    licence = source.parents[1] / "LICENSE"
    if licence.is_file():
        shutil.copy2(licence, target / "LICENSE")
    return target / MATHJAX_FILE


def lesson_title(nb, fallback: str) -> str:
    """The first markdown heading of the notebook ("Lección 03 · Máscaras")."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def render_page(nb, *, lang: str, nav: str, mathjax: str) -> str:
    """The notebook (executed, widgets frozen) as one static HTML page."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="attnlab_offline",
        extra_template_basedirs=[str(TEMPLATES)],
        embed_images=True,  # images referenced from markdown become data: URIs too
        language_code=lang,
    )
    resources = {"attnlab": {"mathjax": mathjax, "nav": nav, "css": projector_css() + PAGES_CSS}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def planned_lessons(root: Path, names, langs=LANGUAGES) -> list[Lesson]:
    """Every page to write, language by language: each lesson with the title of its notebook
    (its first heading, read before running it) and its page's path relative to OUT."""
    import nbformat

    lessons = []
    for lang in langs:
        for stem in names:
            nb = nbformat.read(str(root / lang / f"{stem}.ipynb"), as_version=4)
            lessons.append(Lesson(stem, lang, lesson_title(nb, stem), f"{lang}/{stem}.html"))
    return lessons


def export_lessons(
    out: str | Path,
    *,
    quick: bool = False,
    langs=LANGUAGES,
    stems=None,
    root: Path | None = None,
    timeout: int = 900,
    log=print,
) -> ExportResult:
    """Run the lessons and write their static pages and an index into ``out``.

    ``stems`` limits the export to some lessons (e.g. ``["00_tour", "03_masks"]``). A lesson
    that raises is reported in the result (and the index) and the others are still written.
    Raises ``NotADirectoryError`` if ``out`` (or a folder above it) is a file.
    """
    # The lessons and their builder live in the repository checkout, not in the wheel.
    lb = import_tool("tools.lessons_build", "The lessons and their builder")
    out = Path(out)
    for folder in (out, *out.parents):  # before any lesson runs, not minutes later
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(
                f"out: {str(folder)!r} is a file, {str(out)!r} cannot be a folder"
            )
    root = root or lb.lessons_dir()
    names = [p.stem for p in lb.sources(root)]
    if stems is not None:
        unknown = sorted(set(stems) - set(names))
        if unknown:
            raise ValueError(f"unknown lessons {unknown}; the lessons are {names}")
        names = [n for n in names if n in stems]
    result = ExportResult(out, planned_lessons(root, names, langs))
    out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(out)
    for lesson in result.lessons:
        (out / lesson.lang).mkdir(exist_ok=True)
        i = names.index(lesson.stem)
        start = time.perf_counter()
        try:
            nb = lb.execute(
                root / lesson.lang / f"{lesson.stem}.ipynb", quick=quick, timeout=timeout
            )
        except Exception as err:  # noqa: BLE001 - reported, the other lessons go on
            lesson.error = (str(err).strip().splitlines() or [type(err).__name__])[-1]
            lesson.page = None
            log(f"{lesson.stem} ({lesson.lang}): " + tr("ERROR", "FAILED", default_language()))
            continue
        freeze_widgets(nb, lesson.lang)
        after = names[i + 1] if i + 1 < len(names) else None
        nav = nav_bar(lesson.lang, lesson.stem, names[i - 1] if i else None, after)
        html = render_page(nb, lang=lesson.lang, nav=nav, mathjax=f"../mathjax/{MATHJAX_FILE}")
        remote = remote_resources(html)
        if remote:
            raise RuntimeError(f"{lesson.stem} ({lesson.lang}): the page would load {remote[:3]}")
        (out / lesson.page).write_text(html, encoding="utf-8")
        lesson.seconds = time.perf_counter() - start
        log(f"{lesson.stem} ({lesson.lang}): {lesson.seconds:.1f} s")
    (out / "index.html").write_text(index_page(result.lessons), encoding="utf-8")
    return result
