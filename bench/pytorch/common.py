"""Timing and output shared by the training-step scripts (see bench/README.md, "Training steps vs PyTorch").

A step function is timed after a warm-up: `repeats` runs of k steps each (k chosen so one run takes
about `run_seconds`), and the median time per step is reported, with the fastest and slowest run;
the median process CPU time per step is recorded alongside.
Results are printed and, with --out, appended to a JSON-lines file, one object per measurement.
"""
import argparse
import ctypes
import json
import os
import platform
import statistics
import time

import torch


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (intra-op threads)")
    p.add_argument("--warmup-seconds", type=float, default=3.0)
    p.add_argument("--run-seconds", type=float, default=1.0)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--out", help="append the result as one JSON line to this file")
    p.add_argument("--case", default="", help="label of the side-by-side case (side_by_side.sh), stored in the row")
    return p


def set_blas_threads(n):
    """Limits OpenBLAS's own thread pool to n threads; returns its thread count after (None without OpenBLAS).

    torch.set_num_threads sets the ATen/OpenMP threads only. Debian's python3-torch calls the BLAS
    interface (libblas.so.3, OpenBLAS's pthreads build with libopenblas0-pthread), whose pool
    defaults to every core, so without this the one-thread case ran its matrix products (the
    N x N attention scores) on two threads.
    """
    for name in ("libopenblas.so.0", "libblas.so.3"):
        try:
            lib = ctypes.CDLL(name)  # already loaded by torch: the same library and pool
            lib.openblas_set_num_threads(n)
            return lib.openblas_get_num_threads()
        except (OSError, AttributeError):
            continue
    return None


def setup(args):
    torch.set_num_threads(args.threads)
    args.blas_threads = set_blas_threads(args.threads)
    # Inter-op threads are not used by these single-graph steps; fix it so the runs are comparable.
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(1)


def measure(step, args):
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    n = 0
    while n < 3 or time.perf_counter() - t0 < args.warmup_seconds:
        step()
        n += 1
    per = (time.perf_counter() - t0) / n
    k = max(1, int(round(args.run_seconds / per)))
    runs, cpu = [], []
    for _ in range(args.repeats):
        t, c = time.perf_counter(), time.process_time()
        for _ in range(k):
            step()
        cpu.append((time.process_time() - c) / k)
        runs.append((time.perf_counter() - t) / k)
    med = statistics.median(runs)
    return {
        "seconds_per_step": med,
        "steps_per_second": 1.0 / med,
        "fastest_seconds_per_step": min(runs),
        "slowest_seconds_per_step": max(runs),
        # CPU time of the whole process (all its threads): with one thread, what the step costs
        # whatever share of a core the process got on a loaded machine.
        "cpu_seconds_per_step": statistics.median(cpu),
        "fastest_cpu_seconds_per_step": min(cpu),
        "slowest_cpu_seconds_per_step": max(cpu),
        "steps_per_run": k,
        "runs": args.repeats,
        "warmup_steps": n,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def report(bench, shape, args, result, **extra):
    row = {
        "case": args.case,
        "bench": bench,
        "shape": shape,
        "threads": args.threads,
        "blas_threads": getattr(args, "blas_threads", None),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "time_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    row.update(extra)
    row.update(result)
    print(f"{bench} {shape} threads={args.threads}: {result['steps_per_second']:.3f} steps/s "
          f"(median of {result['runs']} x {result['steps_per_run']} steps, "
          f"{1e3 * result['fastest_seconds_per_step']:.3f}-{1e3 * result['slowest_seconds_per_step']:.3f} ms/step, "
          f"load {result['load_before']:.1f}->{result['load_after']:.1f})", flush=True)
    if args.out:
        with open(args.out, "a") as f:
            f.write(json.dumps(row) + "\n")
