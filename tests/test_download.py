"""``download``: all or nothing, under an overall deadline and byte budget, quiet off a terminal.

The servers are separate processes on 127.0.0.1, started and stopped by pid, each bounded in time.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from iraq_withdrawal.datasets import load as load_module
from iraq_withdrawal.datasets.build import build
from iraq_withdrawal.datasets.release import make_registry
from iraq_withdrawal.errors import DownloadFailed
from iraq_withdrawal.io.releases import read_registry

from .conftest import BASE, invoke

pytestmark = pytest.mark.slow  # every test here starts an HTTP server

_SERVER = textwrap.dedent("""
    import http.server, sys, time
    from pathlib import Path

    root, mode, log = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            with log.open("a") as fh:
                fh.write(self.path + "\\n")
            path = root / self.path.lstrip("/")
            data = path.read_bytes() if path.is_file() else b""
            if mode == "tampered":
                data += b"x"
            self.send_response(200 if path.is_file() else 404)
            self.send_header("Content-Length", str(len(data) if mode != "endless" else 1 << 40))
            self.end_headers()
            if mode == "slow":
                for byte in data:
                    self.wfile.write(bytes([byte])); self.wfile.flush(); time.sleep(1)
            elif mode == "endless":
                block = b"0" * 65536
                while True:
                    self.wfile.write(block)
            else:
                self.wfile.write(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.timeout = 1
    deadline = time.monotonic() + 60  # never outlive a test
    while time.monotonic() < deadline:
        server.handle_request()
""")


@pytest.fixture
def releases(tmp_path: Path, monkeypatch) -> Path:
    """A releases folder holding 2.0.0 (a build of the base dataset) and a registry that lists it; nothing ships."""
    releases = tmp_path / "served"
    build(BASE, releases / "2.0.0", dataset_version="2.0.0")
    registry = tmp_path / "registry.txt"
    registry.write_text(make_registry(releases), encoding="utf-8")
    monkeypatch.setattr(load_module, "read_registry", lambda: read_registry(registry))
    monkeypatch.setattr(load_module, "releases_root", lambda: tmp_path / "nothing-ships")
    return releases


def _serve(releases: Path, mode: str, log: Path):
    process = subprocess.Popen([sys.executable, "-c", _SERVER, str(releases), mode, str(log)], stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    return process, f"http://127.0.0.1:{port}"


def _stop(process) -> None:
    process.kill()  # by its own pid: the server this test started
    process.wait(timeout=10)


@pytest.mark.parametrize("mode,limits,message", [
    ("slow", {"deadline": 3}, "longer than 3 s"),
    ("endless", {"max_bytes": 1 << 20}, "more than 1,048,576 bytes"),
    ("tampered", {}, "hash differs"),
])
def test_a_failed_download_leaves_nothing(releases: Path, tmp_path: Path, mode: str, limits: dict, message: str) -> None:
    log = tmp_path / "requests.log"
    process, url = _serve(releases, mode, log)
    dest = tmp_path / "dest"
    try:
        started = time.monotonic()
        with pytest.raises(DownloadFailed, match=message):
            load_module.download("2.0.0", dest=dest, base_url=url, **limits)
        assert time.monotonic() - started < 30
    finally:
        _stop(process)
    assert not dest.exists(), sorted(dest.rglob("*"))
    if mode == "tampered":  # a hash mismatch is not retried
        assert len(log.read_text().splitlines()) == 1


def test_a_failed_download_keeps_what_dest_held(releases: Path, tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    (dest / "mine").mkdir(parents=True)
    (dest / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    process, url = _serve(releases, "tampered", tmp_path / "log")
    try:
        result = invoke("download", "2.0.0", "--dest", str(dest), "--base-url", url)
    finally:
        _stop(process)
    assert result.exit_code == 1 and "hash differs" in result.output
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*")) == ["mine", "mine/notes.txt"]


def test_download_is_quiet_off_a_terminal_and_verifies(releases: Path, tmp_path: Path) -> None:
    process, url = _serve(releases, "plain", tmp_path / "log")
    try:
        result = invoke("download", "2.0.0", "--dest", str(tmp_path / "dest"), "--base-url", url)
    finally:
        _stop(process)
    assert result.exit_code == 0, result.output
    assert result.output == f"2.0.0: verified and stored in {tmp_path / 'dest' / '2.0.0'}\n"
    assert invoke("validate", str(tmp_path / "dest" / "2.0.0")).exit_code == 0


def test_a_shipped_version_is_copied_without_a_base_url(releases: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(load_module, "releases_root", lambda: releases)
    monkeypatch.delenv(load_module.BASE_URL_ENV, raising=False)
    result = invoke("download", "2.0.0", "--dest", str(tmp_path / "dest"))
    assert result.exit_code == 0, result.output
    copied = tmp_path / "dest" / "2.0.0"
    assert sorted(p.name for p in copied.iterdir()) == sorted(p.name for p in (releases / "2.0.0").iterdir())
    assert (copied / "events.parquet").read_bytes() == (releases / "2.0.0" / "events.parquet").read_bytes()


@pytest.mark.parametrize("extra", ["alone", "beside-a-release"])
def test_download_never_replaces_a_directory_it_did_not_write(releases: Path, tmp_path: Path, monkeypatch, extra: str) -> None:
    """DEST/VERSION holding the user's files (alone, or added to an earlier download) was replaced, and they were lost."""
    monkeypatch.setattr(load_module, "releases_root", lambda: releases)
    monkeypatch.delenv(load_module.BASE_URL_ENV, raising=False)
    target = tmp_path / "dest" / "2.0.0"
    if extra == "alone":
        target.mkdir(parents=True)
    else:
        assert invoke("download", "2.0.0", "--dest", str(tmp_path / "dest")).exit_code == 0
        assert invoke("download", "2.0.0", "--dest", str(tmp_path / "dest")).exit_code == 0  # an earlier download may be replaced
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    result = invoke("download", "2.0.0", "--dest", str(tmp_path / "dest"))
    assert result.exit_code == 1 and "not replaced" in result.output, result.output
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
