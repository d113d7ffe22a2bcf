"""The classroom path: a projector dashboard served by Voilà and offline lesson pages.

- :mod:`attnlab.classroom.dashboard` is the dashboard: one tab per panel (the mask grid of
  :mod:`~attnlab.classroom.mask_grid`, temperature, the query explorer, the GPT panels of
  :mod:`~attnlab.classroom.gpt_panels`, RoPE, ALiBi, :mod:`~attnlab.classroom.tlob_panel`).
  Its notebooks, ``notebooks/{es,en}/dashboard.ipynb``, are built from
  ``lessons/classroom/src/dashboard.py`` and ship inside the package.
- :mod:`attnlab.classroom.server` starts Voilà on them (:func:`~attnlab.classroom.server.serve`
  blocks until Ctrl-C; :func:`~attnlab.classroom.server.start` returns a handle, for tests and
  scripts).
- :mod:`attnlab.classroom.export` runs the lessons and writes static HTML pages that a student
  opens from a USB stick, with figures inline, widget snapshots and equations typeset by a
  local copy of MathJax (no network).

Both need the ``classroom`` extra (``pip install 'attnlab[classroom]'``); nothing here is
imported by ``import attnlab``.
"""

from __future__ import annotations

EXTRA_HINT = "pip install 'attnlab[classroom]'"
