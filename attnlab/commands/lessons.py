"""``attnlab lessons``: build the es/en notebooks from their sources, check them, or list them.

The builder is repository tooling (``tools/lessons_build.py``): the lessons live in the
repository, next to the package, so this command works in a checkout and says so elsewhere.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

HELP = (
    "build lessons/es and lessons/en from lessons/src (--check: only report stale ones; list; "
    "--html OUT: run them and write offline pages)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=["build", "list"],
        default="build",
        help="build the notebooks (default), or list the lessons",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; report the notebooks that are out of date (exit 1 if any)",
    )
    parser.add_argument(
        "--html",
        type=str,  # not Path: Path("") would silently become "." (the current folder)
        metavar="OUT",
        default=None,
        help="run the lessons (both languages) and write static pages to OUT, viewable offline",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="with --html: short trainings (ATTNLAB_QUICK=1), as the tests run them",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the lessons folder (default: lessons/ of the checkout)",
    )


def run(args: argparse.Namespace) -> int:
    from .._checkout import NotInCheckout, import_tool
    from ._common import plural

    try:
        lb = import_tool("tools.lessons_build", "the lesson builder")
    except NotInCheckout as err:
        print(f"attnlab lessons: {err}", file=sys.stderr)
        return 2
    root = args.root or lb.lessons_dir()
    if args.html is not None:
        return export_html(args, root)
    if not (root / "src").is_dir():
        print(f"attnlab lessons: no lesson sources: {root / 'src'} does not exist", file=sys.stderr)
        return 2
    if args.action == "list":
        for path in lb.sources(root):
            print(path.stem)
        return 0
    try:
        changed, problems = lb.build(root, check=args.check)
    except ImportError as err:
        print(
            f"attnlab lessons: building needs jupytext and nbformat: "
            f"pip install 'attnlab[lessons]' ({err})",
            file=sys.stderr,
        )
        return 2
    for found in problems:
        print(f"problem in {found}")
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path.relative_to(root.parent) if root.parent in path.parents else path}")
    print(
        f"{plural(len(lb.sources(root)), 'lesson')}, {plural(len(changed), 'file')} {verb}, "
        f"{plural(len(problems), 'source')} with problems"
    )
    return 1 if problems or (args.check and changed) else 0


def export_html(args: argparse.Namespace, root: Path) -> int:
    """``attnlab lessons --html OUT``: run every lesson, write offline pages and an index."""
    from ..classroom import EXTRA_HINT
    from ..i18n import default_language, tr
    from ._common import check_writable

    if args.html.strip() == "":
        print("attnlab lessons: --html needs a folder name", file=sys.stderr)
        return 2
    out = Path(args.html)
    try:
        from ..classroom.export import export_lessons
    except ImportError as err:
        print(f"attnlab lessons: offline pages need {EXTRA_HINT} ({err})", file=sys.stderr)
        return 2
    problem = check_writable(out)  # before the first lesson runs, not minutes later
    if problem:
        print(f"attnlab lessons: --html: {problem}", file=sys.stderr)
        return 2
    stopped_by = [signal.SIGINT]

    def on_sigterm(signum, frame):  # SIGTERM stops the export like Ctrl-C: kernel shut down
        stopped_by[0] = signum
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        result = export_lessons(out, quick=args.quick, root=root)
    except ImportError as err:
        print(f"attnlab lessons: offline pages need {EXTRA_HINT} ({err})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            tr(
                f"interrumpido; {out} está incompleta",
                f"interrupted; {out} is incomplete",
                default_language(),
            ),
            file=sys.stderr,
        )
        return 128 + stopped_by[0]  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)
    failures = result.failures
    print(f"{out / 'index.html'}: {len(result.lessons) - len(failures)} pages")
    for lesson in failures:
        print(f"FAILED {lesson.stem} ({lesson.lang}): {lesson.error}", file=sys.stderr)
    return 1 if failures else 0
