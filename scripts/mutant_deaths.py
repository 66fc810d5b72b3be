#!/usr/bin/env python3
"""How fast the catalog's checks can fail: the median number of generated instances until each
mutated prediction is falsified (and each negative control is found), over several seeds.

    scripts/mutant_deaths.py build/cli/entropic --seeds 1-5            # runs falsify --mutants
    scripts/mutant_deaths.py --json run-1.json run-2.json ...           # reads saved runs

Each run is `entropic falsify IDS --mutants --seed S --no-past-failures --format json` (past failures
off: the instances are generated ones only). A prediction not falsified in a run counts as more than
that run's cases; the median is then printed as "> N". Prints a markdown table, one row per claim:
the median over its mutants of the per-mutant medians, the worst mutant, and the mutants themselves.
"""
import argparse
import json
import statistics
import subprocess
import sys


def parse_seeds(text):
    seeds = []
    for piece in text.split(","):
        if "-" in piece:
            lo, hi = piece.split("-")
            seeds.extend(range(int(lo), int(hi) + 1))
        else:
            seeds.append(int(piece))
    return seeds


def deaths(run):
    """{(claim, prediction id): instances until falsified, or None} for one run."""
    out = {}
    for claim in run:
        # falsify's report lists a claim's parts and its mutants ("part/mutant") together.
        negative = claim.get("expected", "fails" if claim["id"].startswith("N") else "holds") == "fails"
        rows = [p for p in claim["parts"] if "/" in p["id"] or negative]
        for p in rows:
            key = (claim["id"], p["id"])
            if p["status"] == "falsified":
                out[key] = p.get("first_violation", p["instances"])
            else:
                out[key] = None
    return out


def median_text(values, cases):
    known = sorted(v if v is not None else float("inf") for v in values)
    m = statistics.median_low(known)
    return f"> {cases}" if m == float("inf") else str(int(m))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("entropic", nargs="?", help="the entropic executable (runs falsify)")
    ap.add_argument("--seeds", default="1-5", help="seeds, e.g. 1-20 or 1,3,7 (default 1-5)")
    ap.add_argument("--cases", type=int, default=None, help="--cases for falsify (default: falsify's)")
    ap.add_argument("--json", nargs="*", default=None, help="saved falsify --format json runs instead")
    args = ap.parse_args()

    runs = []
    if args.json:
        for path in args.json:
            with open(path) as f:
                runs.append(json.load(f))
    elif args.entropic:
        ids = [line.split()[0] for line in subprocess.run([args.entropic, "list"], check=True,
                                                            capture_output=True, text=True).stdout.splitlines()[1:]]
        for seed in parse_seeds(args.seeds):
            cmd = [args.entropic, "falsify", *ids, "--mutants", "--seed", str(seed), "--no-past-failures",
                   "--format", "json"]
            if args.cases:
                cmd += ["--cases", str(args.cases)]
            # falsify exits 1 when something is falsified, which is what it is asked to find.
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode not in (0, 1):
                sys.exit(f"{' '.join(cmd)} failed ({res.returncode}): {res.stderr.strip()}")
            runs.append(json.loads(res.stdout))
    else:
        ap.error("give the entropic executable or --json files")

    cases = max(p["instances"] for run in runs for c in run for p in c["parts"])
    per = {}
    order = []
    for run in runs:
        for key, v in deaths(run).items():
            if key not in per:
                per[key] = []
                order.append(key)
            per[key].append(v)

    print(f"Median generated instances until falsified, over {len(runs)} seeds (past failures off):\n")
    print("| claim | median over its mutants | slowest mutant | per mutant |")
    print("|---|---|---|---|")
    claims = []
    for claim, _ in order:
        if claim not in claims:
            claims.append(claim)
    for claim in claims:
        keys = [k for k in order if k[0] == claim]
        meds = {k[1]: median_text(per[k], cases) for k in keys}

        def num(t):
            return float("inf") if t.startswith(">") else int(t)

        values = sorted(meds.values(), key=num)
        overall = values[(len(values) - 1) // 2]
        slowest = max(meds.items(), key=lambda kv: num(kv[1]))
        detail = ", ".join(f"{k} {v}" for k, v in meds.items())
        print(f"| {claim} | {overall} | {slowest[0]} ({slowest[1]}) | {detail} |")


if __name__ == "__main__":
    main()
