"""The dashboard launcher: clear messages when it cannot start, a clean stop on Ctrl-C/SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from _harness import need
from _jupyterlab import REPO

from attnlab.classroom import server


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "is taken: choose another one with --port"), ("es", "está ocupado")]
)
def test_start_on_a_taken_port_says_so_in_the_chosen_language(taken_port, monkeypatch, lang, words):
    monkeypatch.setattr(server, "voila_installed", lambda: True)
    with pytest.raises(server.ClassroomError, match=str(taken_port)) as err:
        server.start(lang=lang, port=taken_port)
    assert words in str(err.value)


def test_start_without_voila_names_the_classroom_extra(monkeypatch):
    monkeypatch.setattr(server, "voila_installed", lambda: False)
    with pytest.raises(server.ClassroomError, match=r"attnlab\[classroom\]"):
        server.start(lang="en", port=server.free_port())


def test_serve_prints_the_reason_and_returns_2_when_it_cannot_start(taken_port, monkeypatch):
    monkeypatch.setattr(server, "voila_installed", lambda: True)
    said = []
    assert server.serve(lang="en", port=taken_port, no_browser=True, out=said.append) == 2
    assert f"port {taken_port} is taken" in said[0]


def test_start_rejects_an_unknown_language():
    with pytest.raises(ValueError, match="lang must be one of"):
        server.start(lang="fr")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_stops_voila_and_frees_the_port_on_ctrl_c_or_sigterm(sig):
    need("voila", "pip install 'attnlab[classroom]'")
    port = server.free_port()
    code = (
        "from attnlab.classroom.server import serve\n"
        f"raise SystemExit(serve(port={port}, no_browser=True))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "ATTNLAB_LANG": "en"}
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while server.port_is_free(port):
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the dashboard did not start within 60 s"
            time.sleep(0.2)
        time.sleep(0.5)  # past start(): serve() now waits for the signal
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = out.decode()
    assert proc.returncode == 0, text
    assert "Classroom dashboard at" in text and "Stopping the dashboard" in text
    assert server.port_is_free(port), "Voilà still holds the port after the stop"


# -- a shared JupyterHub, the room's network ------------------------------------------------
def test_inside_jupyterhub_the_base_url_is_the_proxy_path_of_the_port():
    env = {"JUPYTERHUB_SERVICE_PREFIX": "/user/ana/"}
    assert server.hub_base_url(8866, env) == "/user/ana/proxy/8866/"
    assert server.hub_base_url(8866, {}) is None


def test_behind_a_proxy_voila_serves_at_the_root_and_the_page_asks_for_the_prefix(tmp_path):
    plain = server.voila_command(tmp_path / "d.ipynb", 8866, "127.0.0.1")
    assert not any("base_url" in arg or "server_url" in arg for arg in plain)
    proxied = server.voila_command(tmp_path / "d.ipynb", 8866, "127.0.0.1", "/user/ana/proxy/8866/")
    assert "--Voila.base_url=/user/ana/proxy/8866/" in proxied
    assert "--Voila.server_url=/" in proxied  # the proxy strips the prefix before Voilà


def test_serve_on_jupyterhub_says_where_to_open_it_and_opens_no_browser(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ana/")
    started, opened, said = {}, [], []

    class FakeServer:
        url = "http://127.0.0.1:8866/"

        class process:
            @staticmethod
            def poll():
                raise KeyboardInterrupt  # the teacher presses Ctrl-C at once

        def stop(self):
            return 0

    def fake_start(notebook, **kwargs):
        started.update(kwargs)
        return FakeServer()

    monkeypatch.setattr(server, "start", fake_start)
    monkeypatch.setattr(server.webbrowser, "open", opened.append)
    assert server.serve(lang="es", port=8866, out=said.append) == 0
    assert started["base_url"] == "/user/ana/proxy/8866/"
    assert opened == []
    assert said[0].startswith("Panel de clase en el puerto 8866")  # 127.0.0.1 would not work
    assert any("https://TU-HUB/user/ana/proxy/8866/" in line for line in said), said


def test_serve_on_every_interface_warns_that_each_page_starts_a_kernel(monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_SERVICE_PREFIX", raising=False)
    lines = list(server._where_else("en", "0.0.0.0", 8866, None, None))
    assert len(lines) == 1 and ":8866/" in lines[0] and "its own Python kernel" in lines[0]
    assert list(server._where_else("en", "127.0.0.1", 8866, None, None)) == []
    behind = list(server._where_else("es", "127.0.0.1", 8866, "/clase/", None))
    assert behind == ["Ábrelo a través de tu proxy, en la ruta /clase/"]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--port", "0"], "--port must be between 1 and 65535"),
        (["--base-url", "user/ana/proxy/8866"], "--base-url must start and end with '/'"),
    ],
)
def test_the_command_rejects_a_bad_port_or_base_url_before_starting(argv, words, capsys):
    from attnlab.cli import main

    assert main(["classroom", "--no-browser", *argv]) == 2
    assert words in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["es", "en"])
def test_voila_renders_the_page_in_the_dashboards_language(lang, tmp_path):
    # The browser dashboard test checks <html lang="es"> on the served page; this, both languages.
    argv = server.voila_command(tmp_path / "d.ipynb", 8866, "127.0.0.1", lang=lang)
    assert f"--VoilaExporter.language_code={lang}" in argv
