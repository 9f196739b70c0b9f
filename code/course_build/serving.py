"""Small helpers for the servers the tools and tests start on loopback: a free port, waiting until
a server answers, stopping a server with what it started. No configuration is read here: a
process that imports this (the live preview's build process) starts even when _config.yml is
broken, and can say so."""

import os
import signal
import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Wait until `url` answers; False when `process` (the server) exits first or `timeout` s pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=5):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def stop_group(process: subprocess.Popen, first: int = signal.SIGTERM, timeout: float = 60) -> None:
    """Stop a process started with start_new_session=True and what it started (its process group):
    `first`, then SIGKILL if the group has not gone after `timeout` s."""
    if process.poll() is None:
        os.killpg(process.pid, first)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
