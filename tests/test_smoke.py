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


def test_viz_is_a_leaf_it_imports_no_experiments_training_or_optimizers():
    # viz plots the arrays it is given: importing it must not run (or load) the code that
    # makes them; the callers (gallery, lessons) pass the data in.
    code = (
        "import sys, attnlab.viz; "
        "print([m for m in sys.modules if m.split('.')[:2] in "
        "(['attnlab', 'experiments'], ['attnlab', 'optim'], ['attnlab', 'train'], "
        "['attnlab', 'commands'])])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"attnlab.viz pulled in {result.stdout}"


def test_no_viz_function_imports_experiments_training_or_optimizers_when_called():
    import ast
    from pathlib import Path

    import attnlab

    viz = Path(attnlab.__file__).parent / "viz"
    forbidden = ("attnlab.experiments", "attnlab.optim", "attnlab.train", "attnlab.commands")
    found = []
    for path in sorted(viz.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):  # level 1: attnlab.viz.X, level 2: attnlab.X
                base = ["attnlab.viz", "attnlab"][node.level - 1] if node.level else ""
                names = [".".join(filter(None, (base, node.module or "")))]
                names += [f"{names[0]}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [f"{path.name}: {n}" for n in names if n.startswith(forbidden)]
    assert not found, f"viz imports code that trains or runs experiments: {found}"
