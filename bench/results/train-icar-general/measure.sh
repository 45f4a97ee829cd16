#!/bin/bash
out=/work/wt/icar-general/bench/results/train-icar-general
: > $out/java-cpu.jsonl
for v in before after before after; do
  jar=/tmp/icg/after.jar; [[ $v == before ]] && jar=/tmp/icg/before-bench.jar
  echo "$(date -u +%FT%TZ) $v general-non-augmented-t1 load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $out/load.log
  java --add-modules jdk.incubator.vector -Donelayer.kernel.log=false -cp $jar dev.onelayer.bench.train.CpuTimeHarness general-non-augmented-t1 6 3 5 2>/dev/null | sed "s/^{/{\"version\": \"$v\", /" | tee -a $out/java-cpu.jsonl
done
for v in before after; do
  echo "$(date -u +%FT%TZ) $v general-augmented-t1 load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $out/load.log
  jar=/tmp/icg/after.jar; [[ $v == before ]] && jar=/tmp/icg/before-bench.jar
  java --add-modules jdk.incubator.vector -Donelayer.kernel.log=false -cp $jar dev.onelayer.bench.train.CpuTimeHarness general-augmented-t1 4 2 5 2>/dev/null | sed "s/^{/{\"version\": \"$v\", /" | tee -a $out/java-cpu.jsonl
done
for v in before after; do
  echo "$(date -u +%FT%TZ) $v cli haar non-augmented 16 steps threads 2 load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $out/load.log
  rm -rf /tmp/icg/cli-$v; mkdir -p /tmp/icg/cli-$v; cd /tmp/icg/cli-$v
  /usr/bin/time -f "$v cli: wall %e s, user %U s, sys %S s, maxrss %M KB" java --add-modules jdk.incubator.vector -jar /tmp/icg/onelayer-$v.jar icar haar --model non-augmented --heads 64 --steps 16 --threads 2 > /tmp/icg/cli-$v/stdout.txt 2> /tmp/icg/cli-$v/stderr.txt
  tail -1 /tmp/icg/cli-$v/stderr.txt | tee -a $out/cli-time.txt
  cd /tmp/icg
done
