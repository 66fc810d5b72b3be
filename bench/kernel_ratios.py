#!/usr/bin/env python3
"""Runs entropic_kernels_bench once and prints each entropic kernel as a ratio to its peer.

    kernel_ratios.py BENCH [--repetitions R] [--min-time SECONDS]

BENCH is build/bench/entropic_kernels_bench (bench/kernels_bench.cpp). Every benchmark runs in the
same process, on the same matrices; with R > 1 repetitions the median of each is used. The ratio is
entropic's real time over the peer's: above 1, entropic is that many times slower.
"""
import argparse
import json
import subprocess
import sys

PAIRS = [  # (entropic kernel, peer, what)
    ("BM_Product_Interval", "BM_Product_Arb", "Mat<Interval> product, 256 bits / arb_mat_mul"),
    ("BM_Product_Rational", "BM_Product_Fmpq", "Mat<Rational> product / fmpq_mat_mul"),
    ("BM_Solve_Rational", "BM_Solve_Fmpq", "Mat<Rational> LU solve / fmpq_mat_solve"),
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
    print(f"{'kernel':52} {'n':>4} {'entropic':>12} {'peer':>12} {'ratio':>8}")
    for ours, peer, what in PAIRS:
        for n in (50, 200):
            a, p = times.get(f"{ours}/{n}"), times.get(f"{peer}/{n}")
            if a is None or p is None:
                continue
            print(f"{what:52} {n:4} {a:10.3f} ms {p:10.3f} ms {a / p:7.1f}x")
    for n in (50, 200):
        if f"BM_Solve_Arb/{n}" in times:
            print(f"{'arb_mat_solve, 256 bits (entropic: no certified solve)':52} {n:4} {'':>12} "
                  f"{times[f'BM_Solve_Arb/{n}']:10.3f} ms")
    for n in (50, 200):
        if f"BM_Product_Double/{n}" in times:
            print(f"{'double product (Eigen), for scale':52} {n:4} {times[f'BM_Product_Double/{n}']:10.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
