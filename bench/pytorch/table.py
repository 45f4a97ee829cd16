"""Markdown table of a side_by_side.sh run: onelayer (JMH) vs PyTorch training steps per second.

    /usr/bin/python3 bench/pytorch/table.py bench/results/train > table.md

onelayer steps/s = 1 / JMH average time (mean over forks x iterations; +- is JMH's 99.9% half-width,
relative). PyTorch steps/s = 1 / median time per step over the runs (range: slowest to fastest run).
CPU columns (one-thread cases): median CPU time per step, the benchmark thread's for onelayer
(CpuTimeHarness, outside JMH) and the process's for PyTorch; CPU ratio = PyTorch / onelayer.
"""
import glob
import json
import os
import sys

SHAPES = {
    "scb-PPPD": ("SCB PPPD", "N=20, T=500, Q=4, B=64"),
    "scb-PPPD-vn": ("SCB PPPD-vn", "N=20, T=500, Q=4, B=64"),
    "scb-SGD": ("SCB SGD (lr 0.1)", "N=20, T=500, Q=4, B=64"),
    "scb-softmax": ("SCB softmax model, Adam", "N=20, T=500, B=64"),
    "icar-haar-d5": ("ICAR diagonal, Haar O(5)", "d=5, T=50, H=64, B=1024"),
    "icar-unitary-d10": ("ICAR diagonal, unitary (complex)", "d=10, T=20, H=10, B=256"),
    "icar-rotation-d10": ("ICAR diagonal, 2x2 rotations", "d=10, T=20, H=8, B=256"),
    "markov": ("Markov theory model, AdamW", "d=8, N=1024, B=16, untied"),
    "lowrank": ("Low-rank, SGD", "d=32, L=32, M=16, m=256, B=64"),
}
UNIT_SECONDS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}


def describe(case):
    base, threads = case, 1
    if case.endswith("-t1") or case.endswith("-t2"):
        base, threads = case[:-3], int(case[-1])
    model, shape = SHAPES.get(base, (base, ""))
    return model, shape, threads, 10.0 if base.startswith("markov") else 5.0


def jmh(path):
    rows = json.load(open(path))
    if not rows:
        return None
    m = rows[0]["primaryMetric"]
    sec = m["score"] * UNIT_SECONDS[m["scoreUnit"]]
    rel = m["scoreError"] / m["score"] if m["score"] and m["scoreError"] == m["scoreError"] else float("nan")
    return 1.0 / sec, rel


def lines(path):
    """JSON lines keyed by "case"; the last row of a case wins."""
    rows = {}
    if os.path.exists(path):
        for line in open(path):
            if line.strip():
                r = json.loads(line)
                rows[r["case"]] = r
    return rows


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/results/train"
    torch_rows, java_cpu = lines(os.path.join(out, "pytorch.jsonl")), lines(os.path.join(out, "java-cpu.jsonl"))
    print("| model | shape | threads | onelayer steps/s | PyTorch steps/s | ratio | target | met "
          "| CPU ms/step onelayer | CPU ms/step PyTorch | CPU ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    version = ""
    for path in sorted(glob.glob(os.path.join(out, "jmh-*.json")), key=os.path.getmtime):
        case = os.path.basename(path)[4:-5]
        j = jmh(path)
        t = torch_rows.get(case)
        if j is None:
            continue
        model, shape, threads, target = describe(case)
        java_sps, rel = j
        if t is None:
            print(f"| {model} | {shape} | {threads} | {java_sps:.3g} ±{100 * rel:.0f}% | - | - | {target:.0f}x | - | | | |")
            continue
        version = t["torch"]
        torch_sps = t["steps_per_second"]
        lo, hi = 1 / t["slowest_seconds_per_step"], 1 / t["fastest_seconds_per_step"]
        ratio = java_sps / torch_sps
        met = "yes" if ratio >= target else "no"
        c = java_cpu.get(case)
        cpu = "| - | - | - |"
        if c is not None and threads == 1 and "cpu_seconds_per_step" in t:
            jc, tc = c["cpu_seconds_per_step"], t["cpu_seconds_per_step"]
            cpu = f"| {1e3 * jc:.3g} | {1e3 * tc:.3g} | {tc / jc:.1f}x |"
        print(f"| {model} | {shape} | {threads} | {java_sps:.3g} ±{100 * rel:.0f}% | {torch_sps:.3g} ({lo:.3g}-{hi:.3g}) "
              f"| {ratio:.1f}x | {target:.0f}x | {met} {cpu}")
    print()
    print(f"PyTorch {version} (Debian python3-torch), float32; onelayer on the JVM that ran JMH. "
          "Ratio = onelayer / PyTorch steps per second.")


if __name__ == "__main__":
    main()
