#!/usr/bin/env bash
# Builds the benchmarks and runs them on one JDK, then prints the Markdown table (bench/README.md).
#
#   bench/run.sh [JAVA_HOME_TO_MEASURE] [OUT_DIR] [extra JMH args...]
#
# Defaults: the java on PATH, bench/results. Settings are short but honest: 2 forks (JIT and
# memory-layout variance shows up between forks), 2 x 0.5 s warm-up and 3 x 0.5 s measurement
# per fork; all ~55 benchmarks take about 6-7 minutes. Extra arguments go to JMH, e.g. a regex
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
json="$out/jmh-$version.json"
"$java_bin" -jar "$jar" -f 2 -wi 2 -w 500ms -i 3 -r 500ms -rf json -rff "$json" "$@" | tee "$out/jmh-$version.log"
"$java_bin" -cp "$jar" dev.onelayer.bench.Report "$json" "JDK $version" | tee "$out/table-$version.md"
