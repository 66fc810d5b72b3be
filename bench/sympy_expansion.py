#!/usr/bin/env python3
"""The sympy peer of `entropic expand` (docs/benchmarks.md).

Computes, with sympy, the power series in eta through eta^K of every SGD iterate of a deep linear
scenario (the file format of docs/scenario.md, lr = eta a symbol), checks that every coefficient is
identical to the one `entropic expand SCENARIO --order K --format json` prints, and, unless
--check-only, times both and prints the speed ratio.

Two sympy programs are timed, both as generous to sympy as a theorist would plausibly be:

  expr   the usual one: sympy Matrix arithmetic on expressions in eta, backpropagation written by
         hand (no symbolic differentiation), every entry expanded and truncated after eta^K at
         every step;
  poly   the fastest sympy route we know: the same loop over Poly(., eta, domain=QQ), with
         truncation after eta^K at every step.

The entropic times are Google Benchmark's, from one run of bench/entropic_bench:
BM_ExpandCoefficients/K (every coefficient of every iterate as an exact rational, like the sympy
trace) and BM_ExpandReport/K (what `entropic expand --format json` builds, text included). The sympy time is the best of --repeat runs of time.perf_counter.

Exit status: 0 when every coefficient agrees, 1 on a mismatch (the first is printed), 2 on bad
input (a message naming the field).
"""
import argparse
import json
import os
import subprocess
import sys
import time
from fractions import Fraction

import sympy as sp

ETA = sp.Symbol("eta")


def fail(where, what):
    print(f"sympy_expansion.py: {where}: {what}", file=sys.stderr)
    sys.exit(2)


def number(text, where):
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        fail(where, f"expected an exact number as a string or integer, got {text!r}")
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        fail(where, f"not an exact number: {text!r}")


def matrix(rows, where):
    if not isinstance(rows, list) or not rows:
        fail(where, "expected a non-empty list of rows")
    rows = [r if isinstance(r, list) else [r] for r in rows]
    if len({len(r) for r in rows}) != 1:
        fail(where, "rows of different lengths")
    return [[number(v, f"{where}[{i}][{j}]") for j, v in enumerate(r)] for i, r in enumerate(rows)]


def load(path):
    """The subset of the scenario format this peer implements: deep_linear, torch.optim.SGD."""
    try:
        with open(path) as f:
            s = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        fail(path, str(e))
    model = s.get("model", {})
    if model.get("kind") != "deep_linear" or "embed_in" in model or "embed_out" in model:
        fail(f"{path}: model", "the sympy peer implements deep_linear without embeddings only")
    widths = model["widths"]
    if "params" not in s:
        fail(f"{path}: params", "the sympy peer needs explicit params (no init)")
    blocks = []
    for i in range(1, len(widths)):
        name = f"W{i}"
        m = matrix(s["params"].get(name), f"{path}: params.{name}")
        if len(m) != widths[i] or len(m[0]) != widths[i - 1]:
            fail(f"{path}: params.{name}", f"expected shape {widths[i]} x {widths[i - 1]}")
        blocks.append((name, m))
    x = matrix(s["data"]["x"], f"{path}: data.x")
    y = matrix(s["data"]["y"], f"{path}: data.y")
    opt = s["optimizer"]
    if "preconditioner" in opt or opt.get("nesterov", False):
        fail(f"{path}: optimizer", "the sympy peer implements no preconditioner and no Nesterov")
    batches = opt.get("batches", "full")
    full = list(range(len(x)))
    if batches == "full" or opt["kind"] == "gd":
        batches = [full]
    return {
        "blocks": blocks,
        "x": x,
        "y": y,
        "weight_decay": number(opt.get("weight_decay", "0"), f"{path}: optimizer.weight_decay"),
        "momentum": number(opt.get("momentum", "0"), f"{path}: optimizer.momentum"),
        "batches": batches,
        "steps": s["steps"],
    }


def rat(q):
    return sp.Rational(q.numerator, q.denominator)


# --- expr: Matrix of expressions, expand + truncate --------------------------------------------
def truncate_expr(e, order):
    e = sp.expand(e)
    return sp.Add(*[e.coeff(ETA, k) * ETA**k for k in range(order + 1)])


def run_expr(sc, order):
    W = [sp.Matrix([[rat(v) for v in row] for row in m]) for _, m in sc["blocks"]]
    X = [sp.Matrix([rat(v) for v in row]) for row in sc["x"]]
    Y = [sp.Matrix([rat(v) for v in row]) for row in sc["y"]]
    lam, beta = rat(sc["weight_decay"]), rat(sc["momentum"])
    velocity = None
    trace = [[w.copy() for w in W]]
    for t in range(sc["steps"]):
        batch = sc["batches"][t % len(sc["batches"])]
        grads = [sp.zeros(*w.shape) for w in W]
        for i in batch:
            a = [X[i]]
            for w in W:
                a.append(w * a[-1])
            delta = a[-1] - Y[i]
            for k in reversed(range(len(W))):
                grads[k] += delta * a[k].T / len(batch)
                if k > 0:
                    delta = W[k].T * delta
        d = [g + lam * w for g, w in zip(grads, W)]
        if beta != 0:
            velocity = d if velocity is None else [beta * v + dk for v, dk in zip(velocity, d)]
            d = velocity
        W = [(w - ETA * dk).applyfunc(lambda e: truncate_expr(e, order)) for w, dk in zip(W, d)]
        if velocity is not None:
            velocity = [v.applyfunc(lambda e: truncate_expr(e, order)) for v in velocity]
        trace.append(W)
    return [[[[[sp.expand(e).coeff(ETA, k) for k in range(order + 1)] for e in row]
               for row in w.tolist()] for w in step] for step in trace]


# --- poly: lists of Poly over QQ, truncate ------------------------------------------------------
def run_poly(sc, order):
    def const(q):
        return sp.Poly(rat(q), ETA, domain="QQ")

    def trunc(p):
        return sp.Poly.from_dict({m: c for m, c in p.as_dict().items() if m[0] <= order}, ETA,
                                 domain="QQ") if p.degree() > order else p

    def matmul(A, B):
        return [[sum((A[i][k] * B[k][j] for k in range(len(B))), const(0)) for j in range(len(B[0]))]
                for i in range(len(A))]

    def transpose(A):
        return [list(r) for r in zip(*A)]

    def lin(A, a, B, b):  # a A + b B entrywise
        return [[x * a + y * b for x, y in zip(ra, rb)] for ra, rb in zip(A, B)]

    W = [[[const(v) for v in row] for row in m] for _, m in sc["blocks"]]
    X = [[[const(v)] for v in row] for row in sc["x"]]
    Y = [[[const(v)] for v in row] for row in sc["y"]]
    lam, beta = rat(sc["weight_decay"]), rat(sc["momentum"])
    eta = sp.Poly(ETA, ETA, domain="QQ")
    velocity = None
    trace = [W]
    for t in range(sc["steps"]):
        batch = sc["batches"][t % len(sc["batches"])]
        grads = [[[const(0) for _ in row] for row in w] for w in W]
        inv = rat(Fraction(1, len(batch)))
        for i in batch:
            a = [X[i]]
            for w in W:
                a.append(matmul(w, a[-1]))
            delta = lin(a[-1], 1, Y[i], -1)
            for k in reversed(range(len(W))):
                grads[k] = lin(grads[k], 1, matmul(delta, transpose(a[k])), inv)
                if k > 0:
                    delta = matmul(transpose(W[k]), delta)
        d = [lin(g, 1, w, lam) for g, w in zip(grads, W)]
        if beta != 0:
            velocity = d if velocity is None else [lin(v, beta, dk, 1) for v, dk in zip(velocity, d)]
            d = velocity
        W = [[[trunc(x - eta * y) for x, y in zip(rw, rd)] for rw, rd in zip(w, dk)]
             for w, dk in zip(W, d)]
        if velocity is not None:
            velocity = [[[trunc(x) for x in r] for r in v] for v in velocity]
        trace.append(W)
    return [[[[[p.coeff_monomial(ETA**k) for k in range(order + 1)] for p in row] for row in w]
             for w in step] for step in trace]


def compare(sc, sympy_trace, entropic_doc, label):
    """Every coefficient of every entry of every iterate, exactly; returns the count compared."""
    names = [name for name, _ in sc["blocks"]]
    steps = entropic_doc["steps"]
    if len(steps) != len(sympy_trace):
        print(f"{label}: entropic printed {len(steps)} iterates, sympy {len(sympy_trace)}")
        sys.exit(1)
    count = 0
    for t, (mine, theirs) in enumerate(zip(steps, sympy_trace)):
        for b, name in enumerate(names):
            for i, row in enumerate(mine["params"][name]):
                for j, cell in enumerate(row):
                    for k, text in enumerate(cell):
                        a = Fraction(text)
                        s = theirs[b][i][j][k]
                        c = Fraction(int(sp.numer(s)), int(sp.denom(s)))
                        if a != c:
                            print(f"{label}: MISMATCH at t = {t}, {name}[{i}][{j}], eta^{k}: "
                                  f"entropic {a}, sympy {c}")
                            sys.exit(1)
                        count += 1
    return count


def best_time(fn, repeat):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--entropic", required=True, help="the entropic executable")
    p.add_argument("--bench", help="the entropic_bench executable (not needed with --check-only)")
    p.add_argument("--scenario", default=os.path.join(here, "scenarios", "deep_linear_2_3_1.json"))
    p.add_argument("--order", type=int, default=4)
    p.add_argument("--repeat", type=int, default=3, help="sympy runs; the best is reported")
    p.add_argument("--check-only", action="store_true", help="compare coefficients, time nothing")
    p.add_argument("--perturb", action="store_true",
                   help="negative control: add 1 to entropic's top coefficient of the first entry of "
                        "the last iterate before comparing; the comparison must then fail")
    args = p.parse_args()
    if args.order < 0:
        fail("--order", f"must be >= 0, got {args.order}")
    if not args.check_only and not args.bench:
        fail("--bench", "needed unless --check-only")

    sc = load(args.scenario)
    out = subprocess.run([args.entropic, "expand", args.scenario, "--order", str(args.order),
                          "--format", "json"], capture_output=True, text=True)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        sys.exit(1)
    doc = json.loads(out.stdout)
    if args.perturb:
        first = doc["steps"][-1]["params"][sc["blocks"][0][0]][0][0]
        first[-1] = str(Fraction(first[-1]) + 1)

    t_expr, trace_expr = best_time(lambda: run_expr(sc, args.order), 1 if args.check_only else args.repeat)
    t_poly, trace_poly = best_time(lambda: run_poly(sc, args.order), 1 if args.check_only else args.repeat)
    n = compare(sc, trace_expr, doc, "sympy expr")
    compare(sc, trace_poly, doc, "sympy poly")
    print(f"coefficients: {n} of {n} identical (sympy expr, sympy poly, entropic expand; "
          f"{sc['steps']} steps, order {args.order})")
    if args.check_only:
        return

    env = dict(os.environ, ENTROPIC_BENCH_SCENARIO=os.path.abspath(args.scenario))
    out = subprocess.run([args.bench, f"--benchmark_filter=^BM_Expand(Coefficients|Report)/{args.order}$",
                          "--benchmark_format=json"], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        print(out.stderr, file=sys.stderr)
        sys.exit(1)
    runs = {r["name"].split("/")[0]: r for r in json.loads(out.stdout)["benchmarks"]}
    if len(runs) != 2:
        fail("--order", f"entropic_bench has no BM_Expand*/{args.order} (orders 2, 4, 6, 8)")

    def seconds(run):
        return run["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[run["time_unit"]]

    t_coeff, t_report = seconds(runs["BM_ExpandCoefficients"]), seconds(runs["BM_ExpandReport"])
    rows = [("sympy expr", t_expr), ("sympy poly", t_poly)]
    print(f"{'':32}{'time':>12}{'ratio to coefficients':>24}{'ratio to report':>18}")
    print(f"{'entropic coefficients':32}{t_coeff * 1e3:>10.3f}ms{'1':>24}{'':>18}")
    print(f"{'entropic report (JSON text)':32}{t_report * 1e3:>10.3f}ms{'':>24}{'1':>18}")
    for name, t in rows:
        print(f"{name + ' (best of ' + str(args.repeat) + ')':32}{t * 1e3:>10.3f}ms"
              f"{t / t_coeff:>23.0f}x{t / t_report:>17.0f}x")
    print(f"(sympy {sp.__version__}; entropic: Google Benchmark BM_ExpandCoefficients/{args.order} and "
          f"BM_ExpandReport/{args.order}, one run)")


if __name__ == "__main__":
    main()
