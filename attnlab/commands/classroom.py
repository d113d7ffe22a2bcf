"""``attnlab classroom``: serve the projector dashboard (Voilà) from lessons/classroom/."""

from __future__ import annotations

import argparse
import sys

from ..i18n import LANGUAGES, default_language

HELP = "serve the classroom dashboard for a projector (needs the classroom extra)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..classroom.server import DEFAULT_PORT

    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the dashboard (default: ATTNLAB_LANG or the locale)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; just print the address"
    )


def run(args: argparse.Namespace) -> int:
    from ..classroom.server import serve

    if not 1 <= args.port <= 65535:
        print(
            f"attnlab classroom: --port must be between 1 and 65535, got {args.port}",
            file=sys.stderr,
        )
        return 2
    return serve(lang=args.lang or default_language(), port=args.port, no_browser=args.no_browser)
