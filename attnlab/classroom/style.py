"""Projector styling: large type, large slider handles, wide figures.

One stylesheet, ``share/voila/templates/attnlab/static/projector.css``: the Voilà template
``attnlab`` links it into the dashboard, the offline lesson pages inline it, and a notebook can
show it with :func:`projector_style`. The ``--jp-widgets-*`` variables it sets are the ones
ipywidgets' own stylesheet reads, so every control grows together.
"""

from __future__ import annotations

from pathlib import Path

SHARE = Path(__file__).resolve().parent / "share"  # a JUPYTER_PATH entry: voila/templates/attnlab
TEMPLATE = "attnlab"
PROJECTOR_CSS_FILE = SHARE / "voila" / "templates" / TEMPLATE / "static" / "projector.css"

# The offline pages only: the snapshot frame, the navigation bar, prompts and figures at size.
PAGES_CSS = """
.attnlab-snapshot { border: 3px dashed #7570b3; border-radius: 8px; padding: 0.6em; }
.attnlab-snapshot figcaption { font-weight: bold; color: #4b4594; margin-bottom: 0.4em; }
.attnlab-controls { display: flex; flex-wrap: wrap; gap: 0.4em 1.6em; margin-bottom: 0.4em; }
.attnlab-snapshot pre { white-space: pre-wrap; }
.attnlab-nav { display: flex; gap: 1.5em; flex-wrap: wrap; padding: 0.6em 1em; font-size: 20px;
  border-bottom: 2px solid #ccc; font-family: var(--jp-ui-font-family, sans-serif); }
body { --jp-cell-prompt-width: 7em; }  /* room for "In [12]:" in the larger type */
.jp-OutputArea-output img, .attnlab-snapshot img { width: auto; max-width: 100%; }  /* crisp */
"""


def projector_css() -> str:
    return PROJECTOR_CSS_FILE.read_text(encoding="utf-8")


def projector_style():
    """An IPython HTML object with the projector stylesheet, for a notebook's first cell."""
    from IPython.display import HTML

    return HTML(f"<style>{projector_css()}</style>")
