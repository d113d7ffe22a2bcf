import subprocess
import sys

import pytest

HEAVY = ("torch", "matplotlib", "seaborn", "ipywidgets")


@pytest.mark.parametrize(
    "statements",
    [
        "import attnlab",
        # the data behind figures, the figure names, widget state, the CLI: no plotting library
        "import attnlab.experiments, attnlab.gallery, attnlab.interactive, attnlab.memory, "
        "attnlab.cli; attnlab.gallery.names()",
    ],
    ids=["attnlab", "experiments-gallery-interactive-cli"],
)
def test_importing_stays_light(statements):
    code = (
        f"import sys; {statements}; heavy = [m for m in {HEAVY!r} if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"pulled in heavy modules: {result.stdout} {result.stderr}"
