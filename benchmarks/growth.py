#!/usr/bin/env python
"""How curated validation, coverage and build grow with the dataset (run by hand, not by the tests).

    python benchmarks/growth.py                      # K = 1, 4, 16, 64 (5 to 320 articles)
    python benchmarks/growth.py --copies 1,16 --repeat 3

The shipped curated dataset (``datasets/curated`` and ``datasets/sources``) is copied
K times into ``--workdir``; copy k > 1 gets every id suffixed with ``-k<k>``
(``src-3bc87bab`` becomes ``src-3bc87bab-k2``, ``evt-…`` ``evt-…-k2``, …), its per-source
files and article texts renamed to match, so the result is a valid dataset of 5·K
articles whose records and quotes are the shipped ones. For each K the three commands
run as fresh processes (interpreter start-up included):

- ``iraq-withdrawal validate DIR --format json`` (must exit 0),
- ``iraq-withdrawal coverage DIR --format json``,
- ``iraq-withdrawal build DIR --out OUT`` (must exit 0),

each ``--repeat`` times; the table shows the median wall time and the largest peak RSS
(``ru_maxrss`` of the child, read by a wrapper that runs nothing else).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ID = re.compile(r"\b((?:src|act|plc|evt|stm|fig)-[a-z0-9]+(?:-[a-z0-9]+)*)\b")

_WRAPPER = r"""
import json, resource, subprocess, sys, time
began = time.perf_counter()
rc = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.perf_counter() - began
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
json.dump({"wall": wall, "rss_kb": rss, "rc": rc}, open(sys.argv[1], "w"))
"""


def _suffix(text: str, k: int) -> str:
    return text if k == 1 else ID.sub(lambda m: f"{m.group(1)}-k{k}", text)


def make_dataset(dest: Path, copies: int) -> Path:
    """The shipped curated dataset copied ``copies`` times with suffixed ids, written to ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    src = ROOT / "datasets"
    (dest / "sources").mkdir(parents=True)
    listed: list[str] = []
    for k in range(1, copies + 1):
        for text in sorted((src / "sources").glob("*.txt")):
            shutil.copyfile(text, dest / "sources" / _suffix(text.name, k))
        for path in sorted((src / "curated").rglob("*.yaml")):
            rel = path.relative_to(src / "curated")
            body = path.read_text(encoding="utf-8")
            if rel.parent == Path("."):  # actors.yaml, places.yaml, events.yaml: one file holds every copy
                out = dest / "curated" / rel.with_name(f"{rel.stem}-k{k}.yaml")
            else:
                out = dest / "curated" / rel.parent / _suffix(rel.name, k)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(_suffix(body, k), encoding="utf-8")
        body = (src / "sources" / "sources.yaml").read_text(encoding="utf-8")
        head, _, items = body.partition("sources:\n")
        listed.append(_suffix(items, k))
    (dest / "sources" / "sources.yaml").write_text(head + "sources:\n" + "".join(listed), encoding="utf-8")
    return dest


def measure(cmd: list[str], workdir: Path) -> dict:
    out = workdir / "result.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    subprocess.run([sys.executable, "-c", _WRAPPER, str(out), *cmd], check=True, env=env)
    return json.loads(out.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", default="1,4,16,64", help="comma-separated K values")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "iw-growth")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    cli = [sys.executable, "-m", "iraq_withdrawal"]
    results = []
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at start")
    print("| copies K | articles | validate (s) | validate RSS (MiB) | coverage (s) | coverage RSS (MiB) | build (s) | build RSS (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for k in [int(x) for x in args.copies.split(",")]:
        data = make_dataset(args.workdir / f"k{k}", k)
        row = {"copies": k, "articles": 5 * k}
        for name, cmd in (("validate", [*cli, "validate", str(data), "--format", "json"]),
                          ("coverage", [*cli, "coverage", str(data), "--format", "json"]),
                          ("build", [*cli, "build", str(data), "--out", str(args.workdir / f"out-k{k}")])):
            runs = [measure(cmd, args.workdir) for _ in range(args.repeat)]
            if name != "coverage" and any(r["rc"] != 0 for r in runs):
                print(f"{name} at K={k} exited {[r['rc'] for r in runs]}", file=sys.stderr)
            row[name] = {"wall": statistics.median(r["wall"] for r in runs), "rss_mib": max(r["rss_kb"] for r in runs) / 1024,
                         "rc": [r["rc"] for r in runs], "walls": [r["wall"] for r in runs]}
        results.append(row)
        cells = " | ".join(f"{row[n]['wall']:.2f} | {row[n]['rss_mib']:.0f}" for n in ("validate", "coverage", "build"))
        print(f"| {k} | {5 * k} | {cells} |", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
