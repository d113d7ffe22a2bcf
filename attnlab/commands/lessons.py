"""``attnlab lessons``: build the es/en notebooks from their sources, or list the lessons."""

from __future__ import annotations

import argparse
from pathlib import Path

HELP = "build lessons/es and lessons/en notebooks from lessons/src (or --check / list them)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", choices=["build", "list"], help="build the notebooks, or list the lessons"
    )
    parser.add_argument(
        "--check", action="store_true", help="only report notebooks that are out of date (exit 1)"
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help="the lessons folder (default: ./lessons of the checkout)",
    )


def run(args: argparse.Namespace) -> int:
    from attnlab import lessons_build

    root = args.root or lessons_build.lessons_dir()
    if not (root / "src").is_dir():
        print(f"no lesson sources found: {root / 'src'} does not exist")
        return 2
    if args.action == "list":
        for path in lessons_build.sources(root):
            print(path.stem)
        return 0
    try:
        changed, problems = lessons_build.build(root, check=args.check)
    except ImportError as err:
        print(
            f"building lessons needs jupytext and nbformat: pip install 'attnlab[lessons]' ({err})"
        )
        return 2
    for found in problems:
        print(f"problem in {found}")
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path.relative_to(root.parent) if root.parent in path.parents else path}")
    n = len(lessons_build.sources(root))
    files = f"{len(changed)} file{'s' if len(changed) != 1 else ''}"
    print(f"{n} lessons, {files} {verb}, {len(problems)} sources with problems")
    return 1 if problems or (args.check and changed) else 0
