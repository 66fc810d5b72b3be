#!/usr/bin/env python3
"""Runs entropic_kernels_bench once and prints each entropic kernel as a ratio to its peer.

    kernel_ratios.py BENCH [--repetitions R] [--min-time SECONDS]

BENCH is build/bench/entropic_kernels_bench (bench/kernels_bench.cpp). Every benchmark runs in the
same process, on the same matrices; with R > 1 repetitions the median of each is used. The ratio is
entropic's real time over the peer's: above 1, entropic is that many times slower. Each kernel is
held to the issue's goal (products within 2x of the direct call, solves within 3x); the exit code is 1
when one misses it. The "before" rows are Eigen's own scalar loops, which the kernels replace.
"""
import argparse
import json
import subprocess
import sys

PAIRS = [  # (entropic kernel, peer, what, goal: the largest ratio the issue accepts)
    ("BM_Product_Interval", "BM_Product_Arb", "Mat<Interval> product, 256 bits / arb_mat_mul", 2),
    ("BM_Product_Rational", "BM_Product_Fmpq", "Mat<Rational> product / fmpq_mat_mul", 2),
    ("BM_Solve_Interval", "BM_Solve_Arb", "certified_solve, 256 bits / arb_mat_solve", 3),
    ("BM_Solve_Rational", "BM_Solve_Fmpq", "exact_solve / fmpq_mat_solve", 3),
    ("BM_ProductLoop_Interval", "BM_Product_Arb", "before: Eigen's scalar loop on balls / arb_mat_mul", None),
    ("BM_ProductLoop_Mpq", "BM_Product_Fmpq", "before: Eigen's GMP mpq loop / fmpq_mat_mul", None),
    ("BM_ProductLoop_Rational", "BM_Product_Fmpq", "Eigen's loop on the fmpq Rational / fmpq_mat_mul", None),
    ("BM_SolveEigenLU_Mpq", "BM_Solve_Fmpq", "before: Eigen's GMP mpq LU solve / fmpq_mat_solve", None),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench")
    parser.add_argument("--repetitions", type=int, default=1)
    parser.add_argument("--min-time", type=float, default=0.5)
    args = parser.parse_args()
    argv = [args.bench, "--benchmark_format=json", f"--benchmark_min_time={args.min_time}"]
    if args.repetitions > 1:
        argv += [f"--benchmark_repetitions={args.repetitions}", "--benchmark_report_aggregates_only=true"]
    done = subprocess.run(argv, stdout=subprocess.PIPE, check=False)
    if done.returncode != 0:
        sys.exit(f"kernel_ratios.py: {args.bench} exited {done.returncode}")
    report = json.loads(done.stdout)
    times = {}
    for b in report["benchmarks"]:
        if b.get("error_occurred"):
            sys.exit(f"kernel_ratios.py: {b['name']}: {b.get('error_message')}")
        if args.repetitions > 1 and b.get("aggregate_name") != "median":
            continue
        name = b.get("run_name", b["name"])
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        times[name] = b["real_time"] * scale  # milliseconds
    print(f"{'kernel':52} {'n':>4} {'entropic':>12} {'peer':>12} {'ratio':>8}  goal")
    missed = 0
    for ours, peer, what, goal in PAIRS:
        for n in (50, 200):
            a, p = times.get(f"{ours}/{n}"), times.get(f"{peer}/{n}")
            if a is None or p is None:
                continue
            verdict = "" if goal is None else f"  <= {goal}x " + ("met" if a / p <= goal else "MISSED")
            missed += goal is not None and a / p > goal
            print(f"{what:52} {n:4} {a:10.3f} ms {p:10.3f} ms {a / p:7.2f}x{verdict}")
    for n in (50, 200):
        if f"BM_Product_Double/{n}" in times:
            print(f"{'double product (Eigen), for scale':52} {n:4} {times[f'BM_Product_Double/{n}']:10.3f} ms")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
