"""The classroom path: a projector dashboard served by Voilà and offline lesson pages.

- :mod:`attnlab.classroom.server` starts Voilà on the dashboard notebooks in
  ``lessons/classroom/`` (:func:`~attnlab.classroom.server.serve` blocks until Ctrl-C;
  :func:`~attnlab.classroom.server.start` returns a handle, for tests and scripts).
- :mod:`attnlab.classroom.export` runs the lessons and writes static HTML pages that a student
  opens from a USB stick, with figures inline, widget snapshots and equations typeset by a
  local copy of MathJax (no network).

Both need the ``classroom`` extra (``pip install 'attnlab[classroom]'``); nothing here is
imported by ``import attnlab``.
"""

from __future__ import annotations

EXTRA_HINT = "pip install 'attnlab[classroom]'"
