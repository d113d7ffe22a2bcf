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
