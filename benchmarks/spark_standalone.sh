#!/usr/bin/env bash
# The Spark engine on a standalone cluster on this machine (run by hand, not by the tests):
# a master and one worker (1 core, 2 GB) started on 127.0.0.1 from the pyspark that the
# `spark` extra installs, one `validate --engine spark` timed, both stopped by their ids.
#   benchmarks/spark_standalone.sh FILE.parquet [more validate options]
set -euo pipefail
file="$1"; shift
python="${PYTHON:-python}"
spark_home="$("$python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_HOME="$spark_home" SPARK_LOCAL_IP=127.0.0.1
logs="$(mktemp -d)"
"$spark_home/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 7077 --webui-port 18080 \
    > "$logs/master.log" 2>&1 &
master=$!
"$spark_home/bin/spark-class" org.apache.spark.deploy.worker.Worker spark://127.0.0.1:7077 --host 127.0.0.1 \
    --cores 1 --memory 2g --webui-port 18081 --work-dir "$logs/work" > "$logs/worker.log" 2>&1 &
worker=$!
trap 'kill "$worker" "$master" 2>/dev/null || true; wait "$worker" "$master" 2>/dev/null || true' EXIT
until grep -q "Successfully registered with master" "$logs/worker.log"; do sleep 1; done
/usr/bin/time -f "validate --engine spark: %e s wall, %M KB peak RSS (driver)" \
    "$python" -m iraq_withdrawal validate "$file" --table events --engine spark \
    --spark-master spark://127.0.0.1:7077 --format json "$@" > "$logs/report.json" || true
"$python" -c 'import json, sys; r = json.load(open(sys.argv[1])); print("counts", r["counts_by_code"], "listed", len(r["findings"]), "rows", r["checked"])' "$logs/report.json"
echo "logs and report: $logs"
