"""``python -m attnlab``: the same as the ``attnlab`` command."""

from .cli import main

raise SystemExit(main())
