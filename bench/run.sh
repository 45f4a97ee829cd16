#!/usr/bin/env bash
# Builds the benchmarks and runs them on one JDK, then prints the Markdown table (bench/README.md).
#
#   bench/run.sh [JAVA_HOME_TO_MEASURE] [OUT_DIR] [extra JMH args...]
#
# Defaults: the java on PATH, bench/results. Settings (JMH_OPTS) are short but honest: 2 forks
# (JIT and memory-layout variance shows up between forks), 3 x 0.7 s warm-up and 3 x 0.5 s
# measurement per fork; all ~55 benchmarks take about 8-9 minutes. Vector API code runs ~1000x
# slower before C2 compiles it, so warm-up must not be cut much shorter. Extra arguments go to JMH, e.g. a regex
# to select benchmarks, or "-prof gc" to check allocation (the GEMM kernels should show ~0 B/op).
# Set SKIP_BUILD=1 to reuse an existing bench/target/benchmarks.jar.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
jhome="${1:-}"
out="${2:-$here/results}"
shift $(( $# > 2 ? 2 : $# ))
java_bin="java"
if [[ -n "$jhome" ]]; then java_bin="$jhome/bin/java"; fi

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  (cd "$root" && mvn -q -pl bench -am package -DskipTests)
fi
jar="$root/bench/target/benchmarks.jar"
mkdir -p "$out"
version="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')"
tag="${TAG:-$version}"
json="$out/jmh-$tag.json"
# JMH refuses to start while another JMH run holds /tmp/jmh.lock (two runs would share the
# cores and both be wrong): wait for it, up to JMH_LOCK_WAIT seconds (default 900).
deadline=$(( $(date +%s) + ${JMH_LOCK_WAIT:-900} ))
while :; do
  "$java_bin" -jar "$jar" ${JMH_OPTS:--f 2 -wi 3 -w 700ms -i 3 -r 500ms} -rf json -rff "$json" "$@" > "$out/jmh-$tag.log" 2>&1 || true
  if grep -q "Unable to acquire the JMH lock" "$out/jmh-$tag.log" && (( $(date +%s) < deadline )); then
    echo "another JMH run holds /tmp/jmh.lock; waiting" >&2
    sleep 15
    continue
  fi
  break
done
tail -n 80 "$out/jmh-$tag.log"
"$java_bin" -cp "$jar" dev.onelayer.bench.Report "$json" "JDK $version" | tee "$out/table-$tag.md"
