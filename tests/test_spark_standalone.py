"""The Spark engine on a real standalone cluster: a master and a worker started on 127.0.0.1
from the pyspark the ``spark`` extra installs, the file validated through
``--spark-master spark://127.0.0.1:PORT`` in a fresh process, the findings compared with the
Arrow engine's, and both servers stopped by their process ids."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from iraq_withdrawal.validators.release import validate_table_file

from .test_engines import _broken_events, _listed

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"'{text}' not in {log.name}:\n{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()  # spark-class execs java: this is the server's own process id
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def test_spark_standalone_cluster_finds_the_rows_the_arrow_engine_finds(tmp_path: Path) -> None:
    pyspark = pytest.importorskip("pyspark")
    spark_class = Path(pyspark.__file__).parent / "bin" / "spark-class"
    assert spark_class.is_file(), spark_class
    path, _ = _broken_events(tmp_path)
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", SPARK_HOME=str(spark_class.parent.parent))
    port, ui, worker_ui = _free_port(), _free_port(), _free_port()
    master_log, worker_log = tmp_path / "master.log", tmp_path / "worker.log"
    servers: list[subprocess.Popen] = []
    try:
        with master_log.open("wb") as out:
            servers.append(subprocess.Popen([str(spark_class), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                                             "--port", str(port), "--webui-port", str(ui)], stdout=out, stderr=subprocess.STDOUT, env=env))
        _wait_for(master_log, "I have been elected leader", servers[0])
        with worker_log.open("wb") as out:
            servers.append(subprocess.Popen([str(spark_class), "org.apache.spark.deploy.worker.Worker", f"spark://127.0.0.1:{port}",
                                             "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", str(worker_ui),
                                             "--work-dir", str(tmp_path / "work")], stdout=out, stderr=subprocess.STDOUT, env=env))
        _wait_for(worker_log, "Successfully registered with master", servers[1])

        run = subprocess.run([sys.executable, "-m", "iraq_withdrawal", "validate", str(path), "--table", "events", "--engine", "spark",
                              "--spark-master", f"spark://127.0.0.1:{port}", "--format", "json", "--max-per-rule", "3"],
                             capture_output=True, text=True, env=env, timeout=600)
    finally:
        for proc in reversed(servers):
            _stop(proc)
    assert all(proc.poll() is not None for proc in servers)
    assert run.returncode == 1, run.stderr[-3000:]
    assert run.stderr == ""  # no Spark log lines, no progress bars
    report = json.loads(run.stdout)
    assert "Registering app" in master_log.read_text(errors="replace")
    arrow = validate_table_file(path, "events", max_per_rule=3)
    assert sorted((f["code"], f.get("row"), f.get("record"), f.get("field"), f["message"]) for f in report["findings"]) == _listed(arrow)
    assert report["not_listed_by_code"] == dict(sorted(arrow.suppressed.items()))
    assert report["checked"] == {"rows": 3000}
