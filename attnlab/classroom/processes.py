"""Running a local server from Python: free ports, waiting until it listens, stopping it."""

from __future__ import annotations

import socket
import subprocess
import time


class ClassroomError(RuntimeError):
    """Something the teacher can fix: a missing extra, a busy port, a server that died."""


def port_is_free(port: int, ip: str = "127.0.0.1") -> bool:
    """True if nothing listens on ``ip:port`` (bound the way Tornado binds: SO_REUSEADDR)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


def free_port(ip: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((ip, 0))
        return sock.getsockname()[1]


def wait_until_listening(ip: str, port: int, process: subprocess.Popen, timeout: float) -> None:
    """Return once ``ip:port`` accepts connections; raise ClassroomError if the process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClassroomError(f"the server exited with code {process.returncode}")
        try:
            socket.create_connection((ip, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise ClassroomError(f"the server did not answer on {ip}:{port} within {timeout:.0f} s")


def stop_process(process: subprocess.Popen, timeout: float = 15) -> int:
    """SIGTERM (the server then shuts its kernels down), SIGKILL after ``timeout`` s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
    return process.returncode
