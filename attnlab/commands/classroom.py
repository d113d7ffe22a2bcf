"""``attnlab classroom``: serve the projector dashboard (Voilà) in Spanish or English."""

from __future__ import annotations

import argparse
import sys

from ..i18n import LANGUAGES, default_language

HELP = "serve the classroom dashboard for a projector (needs the classroom extra)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..classroom.server import DEFAULT_IP, DEFAULT_PORT

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
    parser.add_argument(
        "--ip",
        default=DEFAULT_IP,
        help=f"address to listen on (default {DEFAULT_IP}: this computer only; 0.0.0.0: every "
        "computer on the network can open it)",
    )
    parser.add_argument(
        "--base-url",
        default=None,
        metavar="PATH",
        help="the path a proxy in front serves the dashboard at, e.g. /user/NAME/proxy/8866/ "
        "(default inside JupyterHub: that one; elsewhere: none)",
    )


def run(args: argparse.Namespace) -> int:
    from ..classroom.server import serve

    if not 1 <= args.port <= 65535:
        print(
            f"attnlab classroom: --port must be between 1 and 65535, got {args.port}",
            file=sys.stderr,
        )
        return 2
    base_url = args.base_url
    if base_url is not None and not (base_url.startswith("/") and base_url.endswith("/")):
        print(
            f"attnlab classroom: --base-url must start and end with '/', got {base_url!r}",
            file=sys.stderr,
        )
        return 2
    return serve(
        lang=args.lang or default_language(),
        port=args.port,
        ip=args.ip,
        base_url=base_url,
        no_browser=args.no_browser,
    )
