#!/bin/bash
out=/work/wt/icar-general/bench/results/train-icar-general
for v in before after; do
  jar=/tmp/icg/after.jar; [[ $v == before ]] && jar=/tmp/icg/before-bench.jar
  echo "$(date -u +%FT%TZ) $v jmh GeneralAttentionStepBenchmark non-augmented load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $out/load.log
  java -jar $jar GeneralAttentionStepBenchmark -p model=non-augmented -f 1 -wi 2 -i 3 -w 2s -r 3s -rf json -rff $out/jmh-$v.json > $out/jmh-$v.log 2>&1
  grep -E 'Benchmark|step ' $out/jmh-$v.log | tail -3
done
