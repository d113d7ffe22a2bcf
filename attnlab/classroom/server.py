"""Serve the classroom dashboard with Voilà: start it, wait until it answers, open a browser, stop.

:func:`serve` is what ``attnlab classroom`` runs. It checks that Voilà is installed and that the
port is free (a clear message otherwise), starts Voilà in its own process group (so that Ctrl-C
reaches us, not it), waits until the port answers, opens the browser, and on Ctrl-C or SIGTERM
stops Voilà, which shuts its kernels down. :func:`start` does the same without blocking and
returns a :class:`Server` handle (the browser tests use it).

The dashboard notebooks ship inside the package (:func:`dashboard_notebook`), built from
``lessons/classroom/src`` by ``attnlab lessons build``, so an installed attnlab serves them as a
checkout does. Behind JupyterHub's proxy (jupyter-server-proxy, which strips its
``/user/NAME/proxy/PORT/`` prefix) the page must ask for that prefix: :func:`hub_base_url`.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from ..i18n import check_language, default_language, tr
from . import EXTRA_HINT
from .processes import ClassroomError, free_port, port_is_free, stop_process, wait_until_listening
from .style import SHARE, TEMPLATE

__all__ = [
    "ClassroomError",
    "Server",
    "dashboard_notebook",
    "free_port",
    "hub_base_url",
    "port_is_free",
    "serve",
    "start",
]

DEFAULT_PORT = 8866
DEFAULT_IP = "127.0.0.1"  # this machine only; --ip 0.0.0.0 opens it to the room's network
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"  # built from lessons/classroom/src
# The JupyterLab extensions the dashboard's page loads: ipywidgets' and Voilà's widget managers.
WIDGET_EXTENSIONS = (
    "@jupyter-widgets/jupyterlab-manager",
    "@voila-dashboards/widgets-manager8",
    "@voila-dashboards/widgets-manager7",
)


def dashboard_notebook(lang: str) -> Path:
    """The dashboard notebook of ``lang``, shipped inside the package."""
    path = NOTEBOOKS / check_language(lang) / "dashboard.ipynb"
    if not path.is_file():
        raise ClassroomError(
            f"{path} is missing: in a checkout, build it with `attnlab lessons build`"
        )
    return path


def hub_base_url(port: int, environ=None) -> str | None:
    """``/user/NAME/proxy/PORT/`` inside a JupyterHub single-user server (from
    ``JUPYTERHUB_SERVICE_PREFIX``), where jupyter-server-proxy makes the dashboard reachable;
    None elsewhere."""
    prefix = (os.environ if environ is None else environ).get("JUPYTERHUB_SERVICE_PREFIX")
    if not prefix:
        return None
    return f"/{prefix.strip('/')}/proxy/{port}/"


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


def voila_command(
    notebook: Path, port: int, ip: str, base_url: str | None = None, *, lang: str = "en"
) -> list[str]:
    """The Voilà command line. ``base_url``: the prefix the browser uses when a proxy in front
    strips it (Voilà itself still serves at ``/``); ``lang``: the page's ``<html lang>``."""
    proxied = [f"--Voila.base_url={base_url}", "--Voila.server_url=/"] if base_url else []
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
        f"--VoilaExporter.language_code={lang}",  # <html lang="es">: Voilà's default says "en"
        # Only the widgets' front end: any other JupyterLab extension installed beside Voilà
        # (jupytext's, say) may not match Voilà's bundled JupyterLab and break the page.
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in WIDGET_EXTENSIONS),
        "--VoilaConfiguration.show_tracebacks=True",  # a broken panel says why
        # One kernel runs the dashboard ahead of the next visit: a reload, or a second window,
        # shows it in about a second instead of four.
        "--preheat_kernel=True",
        "--pool_size=1",
        *proxied,
    ]


def start(
    notebook: str | Path | None = None,
    *,
    lang: str | None = None,
    port: int = DEFAULT_PORT,
    ip: str = DEFAULT_IP,
    base_url: str | None = None,
    timeout: float = 60,
    env: dict | None = None,
) -> Server:
    """Start Voilà on ``notebook`` (default: the dashboard in ``lang``) and return once it
    answers.

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
    path = Path(notebook) if notebook else dashboard_notebook(lang)
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
            voila_command(path, port, ip, base_url, lang=lang),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=child_env,
            cwd=path.parent,
            start_new_session=True,  # Ctrl-C in the terminal reaches serve(), which stops Voilà
        )
    host = "127.0.0.1" if ip in ("0.0.0.0", "") else ip  # where this machine reaches it
    server = Server(process, f"http://{host}:{port}/", log)
    try:
        wait_until_listening(host, port, process, timeout)
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
    ip: str = DEFAULT_IP,
    base_url: str | None = None,
    no_browser: bool = False,
    out=print,
) -> int:
    """Serve the dashboard until Ctrl-C or SIGTERM; return 0, or 2 if it could not start.

    Inside JupyterHub, ``base_url`` defaults to :func:`hub_base_url` (and no browser opens on
    the hub's server).
    """
    lang = check_language(lang or default_language())
    hub = hub_base_url(port)
    base_url = base_url or hub
    previous = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)  # SIGTERM acts as Ctrl-C
    server = None
    try:
        server = start(notebook, lang=lang, port=port, ip=ip, base_url=base_url)
        if base_url:  # behind a proxy: only the proxy's address shows the page
            out(
                tr(
                    f"Panel de clase en el puerto {port}  (Ctrl-C para parar)",
                    f"Classroom dashboard on port {port}  (Ctrl-C to stop)",
                    lang,
                )
            )
        else:
            out(
                tr(
                    f"Panel de clase en {server.url}  (Ctrl-C para parar)",
                    f"Classroom dashboard at {server.url}  (Ctrl-C to stop)",
                    lang,
                )
            )
        for line in _where_else(lang, ip, port, base_url, hub):
            out(line)
        if not (no_browser or hub):
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


def _where_else(lang: str, ip: str, port: int, base_url: str | None, hub: str | None):
    """What to tell the teacher about other ways in: the room's network, a hub's proxy."""
    if ip not in ("127.0.0.1", "localhost", "::1"):
        name = socket.gethostname()
        yield tr(
            f"Desde otros equipos de la red: http://{name}:{port}/ (o la IP de esta máquina). "
            "Cada página abierta arranca su propio núcleo de Python (unos 200 MB).",
            f"From other computers on the network: http://{name}:{port}/ (or this machine's IP). "
            "Every open page starts its own Python kernel (about 200 MB).",
            lang,
        )
    if base_url and base_url == hub:
        yield tr(
            f"En JupyterHub: abre https://TU-HUB{base_url} (necesita jupyter-server-proxy).",
            f"On JupyterHub: open https://YOUR-HUB{base_url} (needs jupyter-server-proxy).",
            lang,
        )
    elif base_url:
        yield tr(
            f"Ábrelo a través de tu proxy, en la ruta {base_url}",
            f"Open it through your proxy, at the path {base_url}",
            lang,
        )


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt
