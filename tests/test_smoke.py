import subprocess
import sys


def test_import_attnlab_stays_light():
    code = (
        "import sys, attnlab; "
        "heavy = [m for m in ('torch', 'matplotlib', 'seaborn', 'ipywidgets')"
        " if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"import attnlab pulled in heavy modules: {result.stdout}"


def test_experiments_gallery_names_and_widget_state_need_no_plotting_library():
    code = (
        "import sys, attnlab.experiments, attnlab.gallery, attnlab.interactive, attnlab.memory; "
        "import attnlab.cli; attnlab.gallery.names(); "
        "heavy = [m for m in ('torch', 'matplotlib', 'seaborn', 'ipywidgets')"
        " if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"pulled in heavy modules: {result.stdout} {result.stderr}"
