#!/usr/bin/env bash
# Training steps, onelayer (JMH) and PyTorch back to back, case by case, then the table.
#
#   bench/pytorch/side_by_side.sh [OUT_DIR] [CASE_REGEX]
#
# For every case the JMH benchmark runs first (under /tmp/jmh.lock, waiting for other JMH runs as
# bench/run.sh does), then the PyTorch script for the same model, shape, optimizer and thread
# count, so both see about the same load on a shared machine; the load average is logged before
# each. Single-threaded cases are also timed by thread CPU time outside JMH (CpuTimeHarness), since
# on a loaded machine wall time mostly measures the share of a core a process got. Results:
# OUT_DIR/jmh-<case>.json, OUT_DIR/java-cpu.jsonl, OUT_DIR/pytorch.jsonl, OUT_DIR/load.log and
# OUT_DIR/table.md (bench/pytorch/table.py). Defaults: bench/results/train, all cases.
# Env: JAVA (java on PATH), PYTHON (/usr/bin/python3, Debian's python3-torch), JMH_OPTS,
# SKIP_BUILD=1 to reuse bench/target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bench/results/train}"
only="${2:-.}"
java_bin="${JAVA:-java}"
py="${PYTHON:-/usr/bin/python3}"
jmh_opts="${JMH_OPTS:--f 2 -wi 4 -w 1s -i 5 -r 1s}"
jar="$root/bench/target/benchmarks.jar"
"$py" -c 'import torch' || { echo "PyTorch is not importable by $py (apt-get install python3-torch)" >&2; exit 1; }
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  (cd "$root" && mvn -q -o -pl bench -am package -DskipTests)
fi
mkdir -p "$out"

# case | JMH benchmark regex and parameters | PyTorch script and arguments
cases=(
  "scb-PPPD|train.ScbStepBenchmark -p algorithm=PPPD|scb_step.py --algorithm PPPD"
  "scb-PPPD-vn|train.ScbStepBenchmark -p algorithm=PPPD-vn|scb_step.py --algorithm PPPD-vn"
  "scb-SGD|train.ScbStepBenchmark -p algorithm=SGD|scb_step.py --algorithm SGD"
  "scb-softmax|train.ScbStepBenchmark -p algorithm=softmax|scb_step.py --algorithm softmax"
  "icar-haar-d5-t1|train.IcarStepBenchmark -p shape=haar-d5 -p threads=1|icar_step.py --shape haar-d5 --threads 1"
  "icar-haar-d5-t2|train.IcarStepBenchmark -p shape=haar-d5 -p threads=2|icar_step.py --shape haar-d5 --threads 2"
  "icar-unitary-d10-t1|train.IcarStepBenchmark -p shape=unitary-d10 -p threads=1|icar_step.py --shape unitary-d10 --threads 1"
  "icar-unitary-d10-t2|train.IcarStepBenchmark -p shape=unitary-d10 -p threads=2|icar_step.py --shape unitary-d10 --threads 2"
  "icar-rotation-d10-t1|train.IcarStepBenchmark -p shape=rotation-d10 -p threads=1|icar_step.py --shape rotation-d10 --threads 1"
  "icar-rotation-d10-t2|train.IcarStepBenchmark -p shape=rotation-d10 -p threads=2|icar_step.py --shape rotation-d10 --threads 2"
  "markov-t1|train.MarkovStepBenchmark -p threads=1|markov_step.py --threads 1"
  "markov-t2|train.MarkovStepBenchmark -p threads=2|markov_step.py --threads 2"
  "lowrank-t1|train.LowRankStepBenchmark -p threads=1|lowrank_step.py --threads 1"
  "lowrank-t2|train.LowRankStepBenchmark -p threads=2|lowrank_step.py --threads 2"
)
if [[ -n "${EXTRA_CASES:-}" ]]; then IFS=$'\n' read -r -d '' -a extra <<< "$EXTRA_CASES" || true; cases+=("${extra[@]}"); fi

for c in "${cases[@]}"; do
  IFS='|' read -r name jmh torch <<< "$c"
  [[ "$name" =~ $only ]] || continue
  json="$out/jmh-$name.json"
  deadline=$(( $(date +%s) + ${JMH_LOCK_WAIT:-900} ))
  echo "$(date -u +%FT%TZ) $name java  load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.log"
  while :; do
    # shellcheck disable=SC2086
    "$java_bin" -jar "$jar" $jmh $jmh_opts -rf json -rff "$json" > "$out/jmh-$name.log" 2>&1 || true
    if grep -q "Unable to acquire the JMH lock" "$out/jmh-$name.log" && (( $(date +%s) < deadline )); then
      echo "another JMH run holds /tmp/jmh.lock; waiting" >&2
      sleep 15
      continue
    fi
    break
  done
  grep -E "^(Iteration|Result)|ms/op|us/op" "$out/jmh-$name.log" | tail -n 3 || true
  if [[ "$name" == scb-* || "$name" == *-t1 ]]; then
    # Single-threaded cases: also the benchmark thread's CPU time per step (CpuTimeHarness).
    "$java_bin" --add-modules jdk.incubator.vector -Donelayer.kernel.log=false -cp "$jar" \
      dev.onelayer.bench.train.CpuTimeHarness "$name" 2>/dev/null | tee -a "$out/java-cpu.jsonl"
  fi
  echo "$(date -u +%FT%TZ) $name torch load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/load.log"
  # shellcheck disable=SC2086
  (cd "$here" && "$py" $torch --case "$name" --out "$out/pytorch.jsonl")
done
"$py" "$here/table.py" "$out" | tee "$out/table.md"
