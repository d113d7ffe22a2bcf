"""Serve the classroom dashboard with Voilà: start it, wait until it answers, open a browser, stop.

:func:`serve` is what ``attnlab classroom`` runs. It checks that Voilà is installed and that the
port is free (a clear message otherwise), starts Voilà on 127.0.0.1 in its own process group
(so that Ctrl-C reaches us, not it), waits until the port answers, opens the browser, and on
Ctrl-C or SIGTERM stops Voilà, which shuts its kernels down. :func:`start` does the same without
blocking and returns a :class:`Server` handle (the browser tests use it).

The dashboard's language reaches the notebooks through ``ATTNLAB_LANG`` (read by
:func:`attnlab.i18n.default_language` in the kernel); ``ATTNLAB_QUICK`` passes through as well.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from .._checkout import NotInCheckout, checkout
from ..i18n import check_language, default_language, tr
from . import EXTRA_HINT
from .processes import ClassroomError, free_port, port_is_free, stop_process, wait_until_listening
from .style import SHARE, TEMPLATE

__all__ = ["ClassroomError", "Server", "free_port", "port_is_free", "serve", "start"]

DEFAULT_PORT = 8866
DEFAULT_NOTEBOOK = "prototype.ipynb"
# The JupyterLab extensions the dashboard's page loads: ipywidgets' and Voilà's widget managers.
WIDGET_EXTENSIONS = (
    "@jupyter-widgets/jupyterlab-manager",
    "@voila-dashboards/widgets-manager8",
    "@voila-dashboards/widgets-manager7",
)


def dashboard_dir() -> Path:
    """``lessons/classroom/`` of the checkout: the dashboard notebooks."""
    root = checkout()
    if root is None:
        raise NotInCheckout(
            "the classroom dashboard's notebooks live in the attnlab repository "
            "(lessons/classroom/), not in the installed package: clone the repository and "
            "install it with `pip install -e .`"
        )
    return root / "lessons" / "classroom"


def voila_installed() -> bool:
    return importlib.util.find_spec("voila") is not None


@dataclass
class Server:
    """A running Voilà: its process, the URL of the dashboard, and the file it logs to."""

    process: subprocess.Popen
    url: str
    log: Path

    def log_tail(self, lines: int = 30) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, timeout: float = 15) -> int:
        return stop_process(self.process, timeout)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def voila_command(notebook: Path, port: int, ip: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--Voila.ip={ip}",
        f"--port={port}",
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move to another one
        "--no-browser",  # we open it ourselves, once the page answers
        f"--template={TEMPLATE}",  # Voilà's lab template, offline, in large type
        "--theme=light",  # projectors wash out dark themes
        # Only the widgets' front end: any other JupyterLab extension installed beside Voilà
        # (jupytext's, say) may not match Voilà's bundled JupyterLab and break the page.
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in WIDGET_EXTENSIONS),
        "--VoilaConfiguration.show_tracebacks=True",  # a broken panel says why
    ]


def start(
    notebook: str | Path | None = None,
    *,
    lang: str | None = None,
    port: int = DEFAULT_PORT,
    ip: str = "127.0.0.1",
    timeout: float = 60,
    env: dict | None = None,
) -> Server:
    """Start Voilà on ``notebook`` (default: the dashboard) and return once it answers.

    Raises ClassroomError if Voilà is missing, the port is taken, or Voilà dies or hangs while
    starting (its last log lines are in the message).
    """
    lang = check_language(lang or default_language())
    if not voila_installed():
        raise ClassroomError(
            tr(
                f"Voilà no está instalado: {EXTRA_HINT}",
                f"Voilà is not installed: {EXTRA_HINT}",
                lang,
            )
        )
    try:
        path = Path(notebook) if notebook else dashboard_dir() / DEFAULT_NOTEBOOK
    except NotInCheckout as err:
        raise ClassroomError(str(err)) from None
    if not path.exists():
        raise ClassroomError(tr(f"no existe {path}", f"{path} does not exist", lang))
    if not port_is_free(port, ip):
        raise ClassroomError(
            tr(
                f"el puerto {port} está ocupado: elige otro con --port",
                f"port {port} is taken: choose another one with --port",
                lang,
            )
        )
    log = Path(tempfile.mkdtemp(prefix="attnlab-classroom-")) / "voila.log"
    child_env = {**os.environ, **(env or {}), "ATTNLAB_LANG": lang}
    # Voilà finds the "attnlab" template under a JUPYTER_PATH entry.
    child_env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(SHARE), child_env.get("JUPYTER_PATH", "")) if p
    )
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            voila_command(path, port, ip),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=child_env,
            cwd=path.parent,
            start_new_session=True,  # Ctrl-C in the terminal reaches serve(), which stops Voilà
        )
    server = Server(process, f"http://{ip}:{port}/", log)
    try:
        wait_until_listening(ip, port, process, timeout)
    except ClassroomError as err:
        server.stop()
        raise ClassroomError(f"Voilà: {err}\n{server.log_tail()}") from None
    except BaseException:  # Ctrl-C while starting: leave no Voilà behind
        server.stop()
        raise
    return server


def serve(
    notebook: str | Path | None = None,
    *,
    lang: str | None = None,
    port: int = DEFAULT_PORT,
    no_browser: bool = False,
    out=print,
) -> int:
    """Serve the dashboard until Ctrl-C or SIGTERM; return 0, or 2 if it could not start."""
    lang = check_language(lang or default_language())
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)  # SIGTERM acts as Ctrl-C
    server = None
    try:
        server = start(notebook, lang=lang, port=port)
        out(
            tr(
                f"Panel de clase en {server.url}  (Ctrl-C para parar)",
                f"Classroom dashboard at {server.url}  (Ctrl-C to stop)",
                lang,
            )
        )
        if not no_browser:
            webbrowser.open(server.url)
        while server.process.poll() is None:
            time.sleep(0.5)
        out(tr("Voilà se detuvo:", "Voilà stopped:", lang) + "\n" + server.log_tail())
        return 1
    except ClassroomError as err:
        out(str(err))
        return 2
    except KeyboardInterrupt:
        out(tr("Parando el panel...", "Stopping the dashboard...", lang))
        return 0
    finally:
        if server is not None:
            server.stop()
        signal.signal(signal.SIGTERM, previous)


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt
