"""Real-browser helpers for the tests: headless Chromium and local servers on 127.0.0.1.

Chromium comes from the Debian package (``apt-get install -y chromium``; ``.ci/run``
installs it). When it is missing, :func:`chromium` tries that install once when
running as root, and otherwise skips the test with the reason.
Screenshots go to the test's temporary directory; with ``IW_SAVE_SCREENSHOTS=1``
they are also copied into ``docs/`` (how the committed pictures are made).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1",
]
_tried_install = False


def chromium() -> str:
    """Path of the Chromium binary, or skip the test saying why."""
    global _tried_install
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if not _tried_install and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        _tried_install = True
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update"], capture_output=True, env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "chromium"], capture_output=True, env=env, timeout=900)
        return chromium()
    pytest.skip("headless Chromium is not installed and cannot be installed here (needs root and apt-get: "
                "apt-get install -y chromium)")


def _profile() -> str:
    return tempfile.mkdtemp(prefix="iw-chromium-")


def dump_dom(url: str, budget_ms: int = 5000) -> str:
    """The DOM of ``url`` after its scripts ran, serialised by Chromium."""
    profile = _profile()
    try:
        result = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, f"chromium --dump-dom {url} failed: {result.stderr[-2000:]}"
    return result.stdout


def screenshot(url: str, path: Path, width: int = 1280, height: int = 900) -> Path:
    """A PNG of ``url``; copied to ``docs/`` as well when IW_SAVE_SCREENSHOTS=1."""
    profile = _profile()
    try:
        result = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
             "--virtual-time-budget=3000", f"--screenshot={path}", url],
            capture_output=True, text=True, timeout=120,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0 and path.is_file(), f"chromium --screenshot {url} failed: {result.stderr[-2000:]}"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("IW_SAVE_SCREENSHOTS") == "1":
        shutil.copyfile(path, REPO / "docs" / path.name)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def server(command: list[str], port: int, cwd: Path | None = None):
    """Run a server process until the block ends; stop it by its process id."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def static_server(directory: Path):
    """``python -m http.server`` on 127.0.0.1, serving ``directory``."""
    port = free_port()
    with server([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(directory)],
                port) as url:
        yield url
