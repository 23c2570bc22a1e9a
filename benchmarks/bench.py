#!/usr/bin/env python
"""Benchmark ``iraq-withdrawal validate`` on large events tables (run by hand, not by the tests).

    python benchmarks/bench.py                       # 100k, 1M and 10M rows, Parquet and CSV
    python benchmarks/bench.py --sizes 100k --update-readme

For each size it generates an events table as Parquet and as CSV with injected errors
(``generate.py``), then measures, one fresh subprocess per measurement, wall time,
rows per second and peak RSS of:

(a) ``iraq-withdrawal validate FILE --table events --format json``, and checks its
    report against the generator's sidecar: every injected error found (rule code and
    row), none invented;
(b) ``frictionless validate FILE --schema events.schema.json`` (the Table Schema from
    ``iraq_withdrawal.schema.derive.table_schema``), killed after ``--frictionless-timeout``;
(c) pandera on pandas: ``pandas.read_parquet``/``read_csv`` + ``pandera_schema('events').validate(df, lazy=True)``;
(d) the floor: a bare ``pyarrow.parquet.read_table`` (``pyarrow.csv.read_csv`` for CSV);

plus (e) the start-up time of ``iraq-withdrawal --help`` and the whole-process time of
``iraq-withdrawal validate`` on the shipped dataset (median of 5 runs each).

Peak RSS is ``ru_maxrss`` of ``resource.getrusage(RUSAGE_CHILDREN)`` read in a small
wrapper process that runs the tool and nothing else. Big files go to ``--workdir``
(default /tmp/iw-bench) and are deleted after each size unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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
README = HERE / "README.md"
BEGIN, END = "<!-- BEGIN RESULTS -->", "<!-- END RESULTS -->"
RULES_ALL = ["IW301", "IW303", "IW304", "IW305", "IW501", "IW503"]
RULES_CSV = RULES_ALL + ["IW113"]

# Runs one command, and nothing else, so that RUSAGE_CHILDREN is that command's peak RSS.
# argv: result.json timeout max_rss_kb stdout stderr cmd...
_WRAPPER = r"""
import json, os, resource, signal, subprocess, sys, time
out, timeout, max_rss, stdout, stderr = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
cmd = sys.argv[6:]

def tree_rss_kb(pid):
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            pass
    return total

began = time.perf_counter()
killed = None
with open(stdout, "wb") as so, open(stderr, "wb") as se:
    proc = subprocess.Popen(cmd, stdout=so, stderr=se, start_new_session=True)
    while proc.poll() is None:
        elapsed = time.perf_counter() - began
        if timeout > 0 and elapsed > timeout:
            killed = "timeout"
        elif max_rss > 0 and tree_rss_kb(proc.pid) > max_rss:
            killed = "memory"
        if killed:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            break
        time.sleep(0.05 if elapsed < 5 else 0.25)
wall = time.perf_counter() - began
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as f:
    json.dump({"wall": wall, "rc": proc.returncode, "killed": killed, "maxrss_kb": usage.ru_maxrss,
               "user": usage.ru_utime, "sys": usage.ru_stime}, f)
"""

_PANDERA = r"""
import json, sys, time
began = time.perf_counter()
import pandas as pd
import pandera.errors
from iraq_withdrawal.schema.derive import pandera_schema
path = sys.argv[1]
if path.endswith(".parquet"):
    df = pd.read_parquet(path)
else:
    df = pd.read_csv(path, keep_default_na=False, na_values=[""])
read = time.perf_counter() - began
failures = 0
try:
    pandera_schema("events").validate(df, lazy=True)
except pandera.errors.SchemaErrors as exc:
    failures = len(exc.failure_cases)
print(json.dumps({"rows": len(df), "failure_cases": failures, "read_seconds": read, "seconds": time.perf_counter() - began}))
"""

_FLOOR = r"""
import json, sys, time
began = time.perf_counter()
path = sys.argv[1]
if path.endswith(".parquet"):
    import pyarrow.parquet as pq
    table = pq.read_table(path)
else:
    import pyarrow.csv as pc
    table = pc.read_csv(path)
print(json.dumps({"rows": table.num_rows, "seconds": time.perf_counter() - began}))
"""


# --- running and measuring ------------------------------------------------------


def measure(cmd: list[str], workdir: Path, timeout: float = 0, max_rss_gb: float = 0, cwd: Path | None = None) -> dict:
    """Run ``cmd`` in a fresh wrapper process; return wall, rc, peak RSS (MiB), stdout, stderr tail."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        tmp = Path(tmp)
        argv = [sys.executable, "-c", _WRAPPER, str(tmp / "r.json"), str(timeout), str(int(max_rss_gb * 1024 * 1024)),
                str(tmp / "out"), str(tmp / "err"), *cmd]
        subprocess.run(argv, check=True, cwd=cwd)
        result = json.loads((tmp / "r.json").read_text())
        result["stdout"] = (tmp / "out").read_text(encoding="utf-8", errors="replace")
        err = (tmp / "err").read_text(encoding="utf-8", errors="replace")
        result["stderr"] = err[-3000:]
    result["peak_mib"] = result.pop("maxrss_kb") / 1024
    result["cmd"] = " ".join(cmd)
    return result


def median_run(cmd: list[str], workdir: Path, runs: int) -> dict:
    results = [measure(cmd, workdir) for _ in range(runs)]
    return {"wall": statistics.median(r["wall"] for r in results), "walls": [round(r["wall"], 3) for r in results],
            "peak_mib": max(r["peak_mib"] for r in results), "rc": results[-1]["rc"], "cmd": results[-1]["cmd"],
            "stderr": results[-1]["stderr"], "stdout_tail": results[-1]["stdout"][-500:]}


# --- checking the validator's report ----------------------------------------------


def check_report(report: dict, sidecar: dict, fmt: str, by_line: bool = False) -> dict:
    """Compare a JSON report with the injected errors: per rule code, counts and rows.

    The report may list only the first findings of a rule (``not_listed_by_code`` counts
    the rest), so counts come from ``counts_by_code``; the rows of listed findings must
    all be injected rows of that code, and when a code is listed in full, every injected
    row must be among them. A CSV finding without a row is placed by its line (the
    generated CSV has one line per row, after the header). ``by_line``: place every CSV
    finding that has a line by that line, whatever its row says.
    """
    expected = {code: set(rows) for code, rows in sidecar["injected"].items()}
    details = {code: {d["row"]: d for d in ds} for code, ds in sidecar.get("details", {}).items()}
    counts = report.get("counts_by_code", {})
    not_listed = report.get("not_listed_by_code", {}) or {}
    listed: dict[str, list[int | None]] = {}
    row_line_disagree = []
    for f in report.get("findings", []):
        row = f.get("row")
        line = f.get("line")
        if fmt == "csv" and line is not None:
            if row is not None and row != line - 1:
                row_line_disagree.append({"code": f["code"], "row": row, "line": line})
            if row is None or by_line:
                row = line - 1
        listed.setdefault(f["code"], []).append(row)
    problems = []
    missed_total = invented_total = 0
    for code in sorted(set(expected) | set(counts) | set(listed)):
        want = expected.get(code, set())
        rows = listed.get(code, [])
        got = counts.get(code, len(rows))
        complete = not not_listed.get(code) and len(rows) >= got
        hits = {r for r in rows if r in want}
        wrong = [r for r in rows if r not in want]  # findings at rows where nothing of this code was injected
        if complete:
            missing = sorted(want - hits)
            missed, invented = len(missing), len(rows) - len(hits)
        else:  # only the first findings are listed: counts decide, listed rows must still be injected ones
            missing = []
            invented = max(got - len(want), len(wrong))
            missed = max(len(want) - (got - len(wrong)), 0)
        if missed or invented:
            item = {"code": code, "injected": len(want), "reported": got, "listed": len(rows), "complete": complete,
                    "missed": missed, "invented": invented, "missed_rows": missing[:20],
                    "wrong_rows": sorted({r for r in wrong if r is not None})[:20] + ([None] if None in wrong else [])}
            variants = sorted({details.get(code, {}).get(r, {}).get("variant", "?") for r in missing})
            if variants:
                item["missed_variants"] = variants
            problems.append(item)
        missed_total += missed
        invented_total += invented
    injected_total = sum(len(v) for v in expected.values())
    return {"ok": not problems, "injected": injected_total, "missed": missed_total, "invented": invented_total,
            "problems": problems, "row_line_disagree": row_line_disagree[:20], "row_line_disagree_count": len(row_line_disagree)}


def describe_check(check: dict) -> str:
    """One line for the table; the details go below it."""
    if check["ok"]:
        return f"all {check['injected']} injected errors found, none invented"
    parts = []
    for p in check["problems"]:
        bits = []
        if p["missed"]:
            bits.append(f"{p['missed']} of {p['injected']} missed" + (f" ({', '.join(p['missed_variants'])})" if p.get("missed_variants") else ""))
        if p["invented"]:
            bits.append(f"{p['invented']} at rows where none was injected" if p["injected"] else f"{p['invented']} invented")
        parts.append(f"{p['code']}: " + ", ".join(bits))
    return "**not OK**: " + "; ".join(parts)


# --- the benchmark ----------------------------------------------------------------


def parse_size(text: str) -> int:
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (e.g. 100k, 1M, 10M, 2500)")
    return int(float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()])


def human(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return f"{n:,}"


def generate(rows: int, fmt: str, args, workdir: Path) -> tuple[Path, dict, dict | None]:
    width = f"-w{args.text_width}" if args.text_width else ""
    path = workdir / f"events-{human(rows)}{width}-seed{args.seed}.{fmt}"
    rules = RULES_CSV if fmt == "csv" else RULES_ALL
    inject = [f"{code}={args.inject_count}" for code in rules]
    sidecar_path = Path(str(path) + ".expected.json")
    if args.keep and path.exists() and sidecar_path.exists():
        sidecar = json.loads(sidecar_path.read_text())
        if sidecar.get("rows") == rows and sidecar.get("seed") == args.seed and sidecar.get("text_width", 0) == args.text_width and \
                {k: len(v) for k, v in sidecar["injected"].items()} == {c: args.inject_count for c in rules}:
            return path, sidecar, None
    cmd = [sys.executable, str(HERE / "generate.py"), "--table", "events", "--rows", str(rows), "--format", fmt,
           "--out", str(path), "--seed", str(args.seed), "--quiet", "--text-width", str(args.text_width),
           *[x for i in inject for x in ("--inject", i)]]
    result = measure(cmd, workdir)
    if result["rc"] != 0:
        raise SystemExit(f"generation failed: {result['stderr']}")
    return path, json.loads(sidecar_path.read_text()), result


def run_tools(path: Path, fmt: str, rows: int, sidecar: dict, args, workdir: Path, schema_path: Path) -> list[dict]:  # noqa: C901 - one branch per tool measured
    results = []
    cli = args.cli

    def record(tool: str, result: dict, rows_done: int | None = None, **extra) -> dict:
        entry = {"rows": rows, "format": fmt, "tool": tool, "wall": result["wall"], "peak_mib": result["peak_mib"],
                 "rc": result["rc"], "killed": result.get("killed"), "cmd": result["cmd"], **extra}
        if result.get("killed") is None and result["wall"] > 0:
            entry["rows_per_s"] = (rows_done if rows_done is not None else rows) / result["wall"]
        if rows_done is not None and rows_done != rows:
            entry["rows_done"] = rows_done
        if result["rc"] not in (0, 1) or result.get("killed"):
            entry["stderr"] = result["stderr"][-1500:]
        results.append(entry)
        status = result.get("killed") or f"exit {result['rc']}"
        print(f"  {human(rows):>5} {fmt:8} {tool:28} {result['wall']:8.2f} s {result['peak_mib']:8.0f} MiB  {status}"
              f"{'  ' + extra['note'] if extra.get('note') else ''}", flush=True)
        return entry

    if "validate" in args.tools:
        r = measure([cli, "validate", str(path), "--table", "events", "--format", "json"], workdir, args.timeout, args.max_rss_gb)
        extra: dict = {}
        try:
            report = json.loads(r["stdout"]) if not r.get("killed") else None
        except json.JSONDecodeError:
            report = None
            extra["note"] = "output is not JSON"
        if report is not None:
            check = check_report(report, sidecar, fmt)
            if fmt == "csv" and not check["ok"] and check["row_line_disagree_count"]:
                extra["check_by_line"] = check_report(report, sidecar, fmt, by_line=True)
            extra.update(check=check, note=describe_check(check), counts_by_code=report.get("counts_by_code"),
                         not_listed_by_code=report.get("not_listed_by_code"), checked=report.get("checked"))
        record("iraq-withdrawal validate", r, **extra)
    if "frictionless" in args.tools:
        r = measure([args.frictionless, "validate", path.name, "--schema", schema_path.name, "--json"], workdir,
                    args.frictionless_timeout, args.max_rss_gb, cwd=path.parent)
        extra = {}
        rows_done = None
        try:
            out = json.loads(r["stdout"])
            task = (out.get("tasks") or [{}])[0]
            rows_done = task.get("stats", {}).get("rows")
            types: dict[str, int] = {}
            for e in task.get("errors", []):
                types[e["type"]] = types.get(e["type"], 0) + 1
            extra = {"errors": task.get("stats", {}).get("errors"), "error_types": types,
                     "note": f"{task.get('stats', {}).get('errors')} errors reported ({', '.join(f'{k} {v}' for k, v in sorted(types.items()))})"}
            if fmt == "parquet" and types.get("type-error", 0) > 10 * args.inject_count:
                extra["note"] += "; Parquet is read through pandas: nullable integers become floats, so every null date_prec is a type error"
            if rows_done is not None and rows_done < rows:
                extra["note"] += f"; stopped after {rows_done:,} rows at its error limit (rows/s over those rows)"
        except (json.JSONDecodeError, KeyError, IndexError):
            first = (r["stderr"] or r["stdout"]).strip().splitlines()
            extra = {"note": (first[-1][:200] if first else "no output")}
        if r.get("killed") == "timeout":
            extra["note"] = f"killed after {args.frictionless_timeout:.0f} s"
        record("frictionless validate", r, rows_done=rows_done, **extra)
    if "pandera" in args.tools:
        r = measure([sys.executable, "-c", _PANDERA, str(path)], workdir, args.timeout, args.max_rss_gb)
        try:
            out = json.loads(r["stdout"].strip().splitlines()[-1])
            extra = {"failure_cases": out["failure_cases"], "note": f"{out['failure_cases']} failure cases; read {out['read_seconds']:.1f} s"}
        except (json.JSONDecodeError, IndexError, KeyError):
            extra = {"note": (r["stderr"].strip().splitlines() or ["no output"])[-1][:200]}
        record("pandera (pandas)", r, **extra)
    if "pyarrow" in args.tools:
        r = measure([sys.executable, "-c", _FLOOR, str(path)], workdir, args.timeout, args.max_rss_gb)
        try:
            out = json.loads(r["stdout"].strip().splitlines()[-1])
            extra = {"note": f"read {out['seconds']:.2f} s in process"}
        except (json.JSONDecodeError, IndexError, KeyError):
            extra = {"note": (r["stderr"].strip().splitlines() or ["no output"])[-1][:200]}
        record("pyarrow read (floor)" if fmt == "parquet" else "pyarrow.csv read (floor)", r, **extra)
    return results


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cores": os.cpu_count()}
    with contextlib.suppress(AttributeError):
        info["cores_usable"] = len(os.sched_getaffinity(0))
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
        mhz = re.search(r"^cpu MHz\s*:\s*([\d.]+)", cpuinfo, re.M)
        if mhz:
            info["cpu_mhz"] = round(float(mhz.group(1)))
    except OSError:
        info["cpu"] = platform.processor()
    try:
        kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
        info["ram_gib"] = round(kb / 1024 / 1024, 1)
    except (OSError, AttributeError):
        pass
    import importlib.metadata as md

    versions = {}
    for name in ("iraq-withdrawal", "pyarrow", "pandas", "pandera", "numpy", "pydantic", "frictionless"):
        try:
            versions[name] = md.version(name)
        except md.PackageNotFoundError:
            versions[name] = "not installed"
    info["versions"] = versions
    return info


def fmt_rate(entry: dict) -> str:
    return f"{entry['rows_per_s']:,.0f}" if entry.get("rows_per_s") else "–"


def fmt_wall(entry: dict) -> str:
    if entry.get("killed") == "timeout":
        return f"> {entry['wall']:,.0f}"
    if entry.get("killed") == "memory":
        return f"killed at {entry['wall']:,.1f}"
    return f"{entry['wall']:,.2f}"


def find(results: list[dict], rows: int, fmt: str, prefix: str) -> dict | None:
    return next((r for r in results if r["rows"] == rows and r["format"] == fmt and r["tool"].startswith(prefix)), None)


def targets(results: list[dict], startup: dict, sizes: list[int]) -> list[tuple[str, str, str]]:
    out = []
    big = 10_000_000
    v, floor = find(results, big, "parquet", "iraq-withdrawal"), find(results, big, "parquet", "pyarrow")
    if v and floor and not v.get("killed") and not floor.get("killed"):
        ratio = v["wall"] / floor["wall"]
        out.append(("10M-row events Parquet: validate < 4 × bare pyarrow read", f"{ratio:.1f} × ({v['wall']:.1f} s vs {floor['wall']:.1f} s)",
                    "pass" if ratio < 4 else "FAIL"))
    else:
        out.append(("10M-row events Parquet: validate < 4 × bare pyarrow read", "not measured" if not v else (v.get("killed") or "–"), "–" if not v else "FAIL"))
    if v and not v.get("killed"):
        out.append(("10M-row events Parquet: peak memory < 1.5 GB", f"{v['peak_mib'] * 1.048576:,.0f} MB", "pass" if v["peak_mib"] * 1048576 < 1.5e9 else "FAIL"))
    else:
        out.append(("10M-row events Parquet: peak memory < 1.5 GB", "not measured" if not v else (v.get("killed") or "–"), "–" if not v else "FAIL"))
    v, fr = find(results, 1_000_000, "csv", "iraq-withdrawal"), find(results, 1_000_000, "csv", "frictionless")
    if v and fr and v.get("rows_per_s") and (fr.get("rows_per_s") or fr.get("killed") == "timeout"):
        if fr.get("rows_per_s"):
            ratio = v["rows_per_s"] / fr["rows_per_s"]
            out.append(("1M-row events CSV: ≥ 30 × frictionless throughput", f"{ratio:.1f} × ({v['rows_per_s']:,.0f} vs {fr['rows_per_s']:,.0f} rows/s)",
                        "pass" if ratio >= 30 else "FAIL"))
        else:
            out.append(("1M-row events CSV: ≥ 30 × frictionless throughput", "frictionless timed out", "–"))
    else:
        out.append(("1M-row events CSV: ≥ 30 × frictionless throughput", "not measured", "–"))
    shipped = startup.get("validate")
    if shipped:
        out.append(("`iraq-withdrawal validate` on the shipped dataset, whole process, < 1.0 s", f"{shipped['wall']:.2f} s (exit {shipped['rc']})",
                    "pass" if shipped["wall"] < 1.0 else "FAIL"))
    checked = [r for r in results if r["tool"].startswith("iraq-withdrawal") and "check" in r]
    runs = [r for r in results if r["tool"].startswith("iraq-withdrawal")]
    if runs:
        ok = sum(1 for r in checked if r["check"]["ok"])
        out.append(("every injected error found, none invented, at every size",
                    f"{ok} of {len(runs)} runs ({', '.join(human(s) for s in sizes)})", "pass" if ok == len(runs) and set(sizes) >= {100_000, 1_000_000, 10_000_000} else
                    ("FAIL" if ok < len(runs) else "pass (sizes run)")))
    return out


def markdown(results: list[dict], startup: dict, gen: list[dict], info: dict, args, sizes: list[int]) -> str:
    v = info["versions"]
    lines = [
        f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} with `python benchmarks/bench.py {' '.join(args.argv)}`".rstrip() + ".",
        "",
        f"Machine: {info.get('cpu', '?')}{' @ ' + str(info['cpu_mhz']) + ' MHz' if info.get('cpu_mhz') else ''}, "
        f"{info.get('cores_usable', info['cores'])} cores, {info.get('ram_gib', '?')} GiB RAM; {info['platform']}; Python {info['python']}; "
        + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
        "",
        f"Events tables with {args.inject_count} injected errors per rule ({', '.join(RULES_ALL)}; IW113 too in CSV). "
        "Wall time and peak RSS of the whole process (start-up included); rows/s = rows / wall time.",
        "",
        "| rows | format | tool | wall (s) | rows/s | peak RSS (MiB) | result |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        note = (r.get("note") or "").replace("|", "\\|")
        if r.get("killed") == "memory":
            note = f"killed above {args.max_rss_gb:g} GiB RSS; " + note
        lines.append(f"| {r['rows']:,} | {r['format']} | {r['tool']} | {fmt_wall(r)} | {fmt_rate(r)} | {r['peak_mib']:,.0f} | {note} |")
    lines.append("")
    if startup:
        lines.append(f"Start-up, median of {args.startup_runs} runs: `iraq-withdrawal --help` {startup['help']['wall']:.2f} s "
                     f"({startup['help']['peak_mib']:,.0f} MiB); `iraq-withdrawal validate` on the shipped dataset, whole process, "
                     f"{startup['validate']['wall']:.2f} s ({startup['validate']['peak_mib']:,.0f} MiB, exit {startup['validate']['rc']}).")
        lines.append("")
    if gen:
        lines.append("Generation (`generate.py`): " + "; ".join(f"{human(g['rows'])} {g['format']} {g['wall']:.1f} s, {g['peak_mib']:,.0f} MiB, "
                                                             f"{g['bytes'] / 1e6:,.0f} MB" for g in gen) + ".")
        lines.append("")
    lines += ["| target | measured | status |", "|---|---|---|"]
    for name, measured, status in targets(results, startup, sizes):
        lines.append(f"| {name} | {measured} | {status} |")
    problems = [(r, p) for r in results if "check" in r for p in r["check"]["problems"]]
    disagree = [r for r in results if r.get("check", {}).get("row_line_disagree_count")]
    if problems or disagree:
        lines += ["", "Differences between the injected errors and the report:", ""]
        for r, p in problems:
            lines.append(f"- {human(r['rows'])} {r['format']}, {p['code']}: {p['injected']} injected, {p['reported']} reported"
                         + (f"; missed rows {p['missed_rows'][:6]}" if p["missed_rows"] else "")
                         + (f" ({', '.join(p['missed_variants'])})" if p.get("missed_variants") else "")
                         + (f"; reported at rows not injected {p['wrong_rows'][:6]}" if p["wrong_rows"] else ""))
        for r in disagree:
            ex = r["check"]["row_line_disagree"][0]
            lines.append(f"- {human(r['rows'])} {r['format']}: {r['check']['row_line_disagree_count']} findings whose row and line disagree "
                         f"(e.g. {ex['code']} row {ex['row']}, line {ex['line']})"
                         + (f"; placed by their line instead: {describe_check(r['check_by_line'])}" if r.get("check_by_line") else ""))
    return "\n".join(lines) + "\n"


def update_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if BEGIN not in readme or END not in readme:
        raise SystemExit(f"{README} has no {BEGIN} / {END} markers")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")
    print(f"updated {README}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M,10M", help="comma-separated row counts (default: 100k,1M,10M)")
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--tools", default="validate,frictionless,pandera,pyarrow", help="which of validate,frictionless,pandera,pyarrow")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/iw-bench"))
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--text-width", type=int, default=0, metavar="BYTES",
                        help="release-like wide rows: about BYTES of free text per row (generate.py --text-width); default: the short generated rows")
    parser.add_argument("--inject-count", type=int, default=10, help="errors injected per rule (default 10)")
    parser.add_argument("--frictionless-timeout", type=float, default=600)
    parser.add_argument("--timeout", type=float, default=3600, help="time limit of every other measurement (s)")
    parser.add_argument("--max-rss-gb", type=float, default=None, help="kill a tool above this RSS (default: 80%% of RAM)")
    parser.add_argument("--startup-runs", type=int, default=5)
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up measurements")
    parser.add_argument("--cli", default=None, help="the iraq-withdrawal executable (default: next to this Python)")
    parser.add_argument("--frictionless", default=None, help="the frictionless executable (default: next to this Python)")
    parser.add_argument("--json-out", type=Path, default=None, help="raw results (default: WORKDIR/results.json)")
    parser.add_argument("--update-readme", action="store_true", help="write the results table into benchmarks/README.md")
    args = parser.parse_args(argv)
    args.argv = list(argv if argv is not None else sys.argv[1:])
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    args.tools = {t.strip() for t in args.tools.split(",") if t.strip()}
    bindir = Path(sys.executable).parent
    args.cli = args.cli or (str(bindir / "iraq-withdrawal") if (bindir / "iraq-withdrawal").exists() else shutil.which("iraq-withdrawal"))
    args.frictionless = args.frictionless or (str(bindir / "frictionless") if (bindir / "frictionless").exists() else shutil.which("frictionless"))
    if not args.cli:
        raise SystemExit("iraq-withdrawal not found; pass --cli")
    if "frictionless" in args.tools and not args.frictionless:
        raise SystemExit("frictionless not found; pass --frictionless or leave it out of --tools")
    if args.max_rss_gb is None:
        try:
            kb = int(re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text()).group(1))
            args.max_rss_gb = round(kb / 1024 / 1024 * 0.8, 1)
        except (OSError, AttributeError):
            args.max_rss_gb = 0
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    info = machine()
    print(f"machine: {info.get('cpu')}, {info.get('cores_usable', info['cores'])} cores, {info.get('ram_gib')} GiB; "
          f"files in {workdir}; memory cap per tool {args.max_rss_gb:g} GiB", flush=True)

    from iraq_withdrawal.schema.derive import table_schema

    schema_path = workdir / "events.schema.json"
    schema_path.write_text(json.dumps(table_schema("events"), ensure_ascii=False, indent=1), encoding="utf-8")

    startup: dict = {}
    if not args.no_startup:
        startup["help"] = median_run([args.cli, "--help"], workdir, args.startup_runs)
        startup["validate"] = median_run([args.cli, "validate"], workdir, args.startup_runs)
        print(f"start-up: --help {startup['help']['wall']:.2f} s; validate (shipped dataset) {startup['validate']['wall']:.2f} s "
              f"exit {startup['validate']['rc']}", flush=True)

    results: list[dict] = []
    gen: list[dict] = []
    for rows in sizes:
        for fmt in formats:
            path, sidecar, g = generate(rows, fmt, args, workdir)
            if g:
                gen.append({"rows": rows, "format": fmt, "wall": g["wall"], "peak_mib": g["peak_mib"], "bytes": path.stat().st_size})
                print(f"generated {path.name}: {path.stat().st_size / 1e6:,.0f} MB in {g['wall']:.1f} s, {g['peak_mib']:,.0f} MiB", flush=True)
            try:
                results += run_tools(path, fmt, rows, sidecar, args, workdir, schema_path)
            finally:
                if not args.keep:
                    path.unlink(missing_ok=True)
                    Path(str(path) + ".expected.json").unlink(missing_ok=True)
    text = markdown(results, startup, gen, info, args, sizes)
    print()
    print(text)
    out = args.json_out or workdir / "results.json"
    out.write_text(json.dumps({"machine": info, "startup": startup, "generation": gen, "results": results,
                               "argv": args.argv}, indent=1, default=str), encoding="utf-8")
    print(f"raw results: {out}")
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
