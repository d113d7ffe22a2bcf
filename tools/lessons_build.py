"""Build the bilingual lessons: one jupytext source, two notebooks.

Each lesson has one source, ``lessons/src/NN_name.py`` in jupytext's percent format. Code cells
are shared by both languages; every markdown cell carries its language
(``# %% [markdown] lang="es"``) and comes in a pair: a Spanish cell immediately followed by
its English twin. The build writes ``lessons/es/NN_name.ipynb`` and ``lessons/en/NN_name.ipynb``
without outputs, with deterministic cell ids, so that the committed notebooks can be compared
byte for byte with a fresh build. In code cells, the line ``LANG = "..."`` is rewritten to the
notebook's language (the lesson's helpers and exercise checkers speak it), and a comment written
``# es: texto | en: text`` keeps only the notebook's side.

Repository tooling, not part of the installed package: ``attnlab lessons build`` (or
``--check``) runs it from a checkout. jupytext and nbformat are imported only when building
(they come with the ``lessons`` extra).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from attnlab.i18n import LANGUAGES as LANGS

LANG_LINE = re.compile(r'^LANG = "(es|en)"', flags=re.MULTILINE)
# A bilingual comment in a code cell: "# es: texto | en: text" keeps one side per notebook.
BILINGUAL_COMMENT = re.compile(
    r"#[ \t]*es:[ \t]*(.*?)[ \t]*\|[ \t]*en:[ \t]*(.*?)[ \t]*$", flags=re.MULTILINE
)
HEADING = re.compile(r"^(#{1,6}) ", flags=re.MULTILINE)
HEADING_1 = re.compile(r"^# (.+)$", flags=re.MULTILINE)
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def lessons_dir() -> Path:
    """``lessons/`` of this checkout (next to ``tools/``)."""
    return Path(__file__).resolve().parent.parent / "lessons"


@dataclass
class SourceProblems:
    """What is wrong with one lesson source (empty = fine)."""

    path: Path
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __str__(self) -> str:
        return f"{self.path.name}:\n  " + "\n  ".join(self.problems)


def read_source(path: Path):
    """The lesson source as an nbformat notebook (jupytext percent format)."""
    import jupytext

    return jupytext.read(str(path), fmt="py:percent")


def check_source(nb, path: Path) -> SourceProblems:
    """Every markdown cell has ``lang`` es/en; es cells are immediately followed by their en twin.

    Twins must also have the same headings (same levels, same count), so that the two
    notebooks keep the same structure.
    """
    found = SourceProblems(path)
    cells = nb.cells
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.cell_type != "markdown":
            i += 1
            continue
        lang = cell.metadata.get("lang")
        where = f"cell {i} ({_first_line(cell.source)!r})"
        if lang not in LANGS:
            found.problems.append(f'{where}: markdown cell without lang="es" or lang="en"')
            i += 1
            continue
        if lang == "en":
            found.problems.append(f"{where}: English cell without a Spanish cell right before it")
            i += 1
            continue
        twin = cells[i + 1] if i + 1 < len(cells) else None
        if twin is None or twin.cell_type != "markdown" or twin.metadata.get("lang") != "en":
            found.problems.append(f"{where}: Spanish cell not followed by its English twin")
            i += 1
            continue
        if HEADING.findall(cell.source) != HEADING.findall(twin.source):
            found.problems.append(f"{where}: the es and en cells have different headings")
        i += 2
    if not any(c.cell_type == "code" and LANG_LINE.search(c.source) for c in cells):
        found.problems.append('no code cell sets LANG = "es"/"en" (the lesson needs its language)')
    return found


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0][:50] if text.strip() else ""


def to_notebook(nb, lang: str, stem: str, source: str | None = None, *, title: bool = False):
    """The notebook for one language: its markdown, every code cell, no outputs.

    ``source``: the source's path as recorded in the metadata (default ``lessons/src/STEM.py``).
    ``title``: record the first ``# `` heading as the notebook's ``title`` (Voilà's page title).
    """
    import nbformat

    out = nbformat.v4.new_notebook()
    out.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
        "attnlab": {"lang": lang, "source": source or f"lessons/src/{stem}.py"},
    }
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if cell.metadata.get("lang") != lang:
                continue
            new = nbformat.v4.new_markdown_cell(cell.source)
            new.metadata["lang"] = lang
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(localise_code(cell.source, lang))
            tags = cell.metadata.get("tags")
            if tags:
                new.metadata["tags"] = list(tags)
        else:
            continue
        new["id"] = f"{stem[:2]}-{lang}-{n:03d}"
        n += 1
        out.cells.append(new)
    if title:
        markdown = "\n".join(c.source for c in out.cells if c.cell_type == "markdown")
        first = HEADING_1.search(markdown)
        if first:
            out.metadata["title"] = first.group(1).strip()
    return out


def localise_code(source: str, lang: str) -> str:
    """Set ``LANG`` and keep one side of every ``# es: ... | en: ...`` comment."""
    source = LANG_LINE.sub(f'LANG = "{lang}"', source)
    side = 1 if lang == "es" else 2
    return BILINGUAL_COMMENT.sub(lambda m: "# " + m.group(side), source)


def render(nb) -> str:
    import nbformat

    return nbformat.writes(nb) + "\n"


def sources(root: Path | None = None) -> list[Path]:
    root = root or lessons_dir()
    return sorted((root / "src").glob("[0-9][0-9]_*.py"))


def classroom_sources(root: Path | None = None) -> list[Path]:
    """The classroom dashboard's sources, ``lessons/classroom/src/*.py``."""
    root = root or lessons_dir()
    return sorted((root / "classroom" / "src").glob("*.py"))


def classroom_dir(root: Path | None = None) -> Path:
    """Where the dashboard notebooks are built: inside the package (``attnlab/classroom/
    notebooks/{es,en}``), so that ``pip install attnlab[classroom]`` ships them."""
    root = root or lessons_dir()
    return root.parent / "attnlab" / "classroom" / "notebooks"


def solution_sources(root: Path | None = None) -> list[Path]:
    root = root or lessons_dir()
    return sorted((root / "solutions" / "src").glob("[0-9][0-9]_*.py"))


def build(
    root: Path | None = None, *, check: bool = False
) -> tuple[list[Path], list[SourceProblems]]:
    """Build every lesson, the classroom dashboard (``classroom/src`` -> :func:`classroom_dir`)
    and every solution file (``solutions/src`` -> ``solutions/es|en``), in both languages.

    Returns ``(changed, problems)``: the notebooks that differ from (or, with ``check=True``,
    would differ from) a fresh build, and the sources with problems (nothing is written for those).
    """
    root = root or lessons_dir()
    changed: list[Path] = []
    problems: list[SourceProblems] = []
    notebooks = [(path, root, f"lessons/src/{path.name}", False) for path in sources(root)]
    notebooks += [  # Voilà names the dashboard's page after the notebook's title
        (path, classroom_dir(root), f"lessons/classroom/src/{path.name}", True)
        for path in classroom_sources(root)
    ]
    for path, out_dir, source, title in notebooks:
        nb = read_source(path)
        found = check_source(nb, path)
        if found:
            problems.append(found)
            continue
        for lang in LANGS:
            target = out_dir / lang / f"{path.stem}.ipynb"
            text = render(to_notebook(nb, lang, path.stem, source, title=title))
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                changed.append(target)
                if not check:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
    for path in solution_sources(root):
        source = path.read_text(encoding="utf-8")
        for lang in LANGS:
            target = root / "solutions" / lang / path.name
            text = localise_code(source, lang)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                changed.append(target)
                if not check:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
    return changed, problems


def execute(path: Path, *, timeout: int = 600, quick: bool = True, cwd: Path | None = None):
    """Run a notebook top to bottom in a real kernel (nbclient + ipykernel); return it with outputs.

    ``quick`` sets ``ATTNLAB_QUICK=1`` for the kernel. Raises
    ``nbclient.exceptions.CellExecutionError`` on the first failing cell. The file is not modified.
    A SIGINT (Ctrl-C) or SIGTERM during the run shuts the kernel down, then reaches this process
    as if it had arrived now (by default: ``KeyboardInterrupt``, or the end of the process).
    """
    import os
    import shutil
    import signal
    import tempfile
    import threading

    import nbformat
    from jupyter_client.manager import AsyncKernelManager

    nb = nbformat.read(str(path), as_version=4)
    old = os.environ.get("ATTNLAB_QUICK")
    sockets = ""
    # nbclient leaves SIGINT/SIGTERM at Python's defaults after a run: put back the caller's.
    main_thread = threading.current_thread() is threading.main_thread()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    if quick:
        os.environ["ATTNLAB_QUICK"] = "1"
    client = None
    try:
        # IPC sockets (unique files), not TCP ports: kernels started at the same moment by
        # other processes can otherwise grab the same ports and steal each other's messages.
        # (Windows has no IPC transport: TCP there.) The asynchronous manager, as nbclient's
        # default: a blocking one would wait for output inside zmq, deaf to Ctrl-C.
        sockets = tempfile.mkdtemp(prefix="attnlab-kernel-")
        if os.name == "nt":
            km = AsyncKernelManager(kernel_name="python3")
        else:
            ipc = os.path.join(sockets, "k")
            km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=ipc)
        client = _stoppable_client()(
            nb,
            km=km,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd or path.parent)}},
        )
        # The client does not own a kernel manager it is given: ask it to shut the kernel down,
        # or every notebook run in this process leaves its kernel alive until the process ends.
        client.execute(cleanup_kc=True)
    except BaseException:
        if client is None or client.signalled is None:
            raise  # a stop by signal is delivered below, without nbclient's error about it
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
        if old is None:
            os.environ.pop("ATTNLAB_QUICK", None)
        else:
            os.environ["ATTNLAB_QUICK"] = old
        if main_thread:
            for signum, handler in handlers.items():
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
    if client.signalled is not None:
        signal.raise_signal(client.signalled)  # the kernel is down: now the caller's handler
        raise KeyboardInterrupt  # the caller ignores that signal: still, the run did not finish
    return nb


def _stoppable_client():
    """nbclient's NotebookClient, stopped as a whole by SIGINT/SIGTERM.

    nbclient's own handlers shut the kernel down and let the run go on without it: the next
    cell fails with an ``AssertionError`` and a "Task exception was never retrieved" traceback.
    These stop the run instead (the kernel is shut down on the way out) and remember the signal
    in ``signalled``.
    """
    import asyncio
    import signal

    from nbclient import NotebookClient

    class StoppableClient(NotebookClient):
        signalled = None  # the signal that stopped the run

        async def async_start_new_kernel(self, **kwargs):
            # Called right after nbclient installed its handlers: replace them with ours.
            loop, run = asyncio.get_running_loop(), asyncio.current_task()

            def stop(signum):
                if self.signalled is None:  # a second Ctrl-C must not cut the shutdown short
                    self.signalled = signum
                    self.shutdown_kernel = "immediate"  # a busy kernel cannot answer a request
                    run.cancel()

            for signum in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(signum, stop, signum)
                except (RuntimeError, NotImplementedError, ValueError):
                    pass  # Windows, or not the main thread: nbclient's behaviour
            await self._or_shut_down(super().async_start_new_kernel(**kwargs))

        async def async_start_new_kernel_client(self):
            return await self._or_shut_down(super().async_start_new_kernel_client())

        async def _or_shut_down(self, starting):
            # Stopped while starting (before nbclient's own try/finally): no kernel left behind.
            try:
                return await starting
            except BaseException:
                if self.km is not None:
                    await self._async_cleanup_kernel()
                raise

    return StoppableClient
