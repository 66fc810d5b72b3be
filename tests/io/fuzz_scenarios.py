#!/usr/bin/env python3
"""Fuzzes the scenario reader through the command line.

    fuzz_scenarios.py ENTROPIC [--count N] [--seed S] [--jobs J] [--timeout SECONDS]
                      [--memory-mb MB] [--budget] [--keep DIR] [--case I] [--print-case I]

Mutates the valid scenarios of docs/examples and tests/io/scenarios (truncation, byte flips and
insertions, huge numbers, deep nesting, wrong types, unicode, control characters, duplicate keys,
unknown and missing fields, zero starts, splices of two files) and gives every case to
`entropic simulate FILE` and `entropic expand FILE --order 2`. A case passes when each command

  - exits 0, 1 or 2 (never a signal, never another code),
  - takes less than --timeout seconds and less than --memory-mb of address space,
  - prints nothing on standard output when it fails, and exactly one line on standard error,
    shorter than 1 KB, without control characters and without a library's message
    ("[json.exception", "std::bad_alloc", ...).

With --budget, each command also gets the budget options `--timeout` (half of --timeout) and
`--max-memory` (half of --memory-mb), so that a valid scenario whose run is long or large is refused
or stopped by entropic itself, exit 2, well within the limits of the case.

A case that runs out of time is checked again with `entropic expand FILE --order 33`, which reads
the whole scenario and then refuses the order: when that answers at once, the file was a valid
scenario whose run is long (a mutated step count or precision), which is counted apart, as the
run's cost and not a failure to read input.

Case I is generated from (--seed, I) alone: `--case I` reruns one, `--print-case I` writes it to
standard output. Failing cases are written to --keep DIR. The summary gives the exit codes of each
command, the longest run, the largest resident memory of any run and the longest line on standard
error.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIBRARY_WORDS = [b"[json.exception", b"std::", b"bad_alloc", b"basic_string", b"vector::", b"terminate called",
                 b"Assertion", b"runtime error:", b"AddressSanitizer", b"LeakSanitizer"]


def seed_files():
    files = sorted(glob.glob(os.path.join(ROOT, "docs", "examples", "*.json")))
    files += sorted(glob.glob(os.path.join(HERE, "scenarios", "*.json")))
    return files


def load_seeds():
    seeds = []
    for path in seed_files():
        with open(path, "rb") as f:
            seeds.append(f.read())
    if not seeds:
        sys.exit("no seed scenarios found")
    return seeds


# ---- a JSON tree that keeps duplicate keys and raw tokens -------------------------------------------

class Raw:
    """Text written as is into the document: an unquoted number out of range, a lone surrogate."""

    def __init__(self, text):
        self.text = text


def parse_pairs(data):
    return json.loads(data, object_pairs_hook=lambda pairs: ("obj", list(pairs)))


def dump(node, ascii=True):
    """The document as JSON text; with ascii=False, non-ASCII characters are written as UTF-8."""
    if isinstance(node, tuple) and node[0] == "obj":
        return "{" + ", ".join(json.dumps(k, ensure_ascii=ascii) + ": " + dump(v, ascii) for k, v in node[1]) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(dump(v, ascii) for v in node) + "]"
    if isinstance(node, Raw):
        return node.text
    return json.dumps(node, ensure_ascii=ascii)


def places(node, path=()):
    """Every (container, key-or-index) under node, as paths."""
    out = []
    if isinstance(node, tuple) and node[0] == "obj":
        for i, (_, v) in enumerate(node[1]):
            out.append(path + (("o", i),))
            out += places(v, path + (("o", i),))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append(path + (("a", i),))
            out += places(v, path + (("a", i),))
    return out


def get(node, path):
    for kind, i in path:
        node = node[1][i][1] if kind == "o" else node[i]
    return node


def put(node, path, value):
    parent = get(node, path[:-1])
    kind, i = path[-1]
    if kind == "o":
        parent[1][i] = (parent[1][i][0], value)
    else:
        parent[i] = value


def parent_object(node, path):
    parent = get(node, path[:-1])
    return parent if path[-1][0] == "o" else None


# ---- values -------------------------------------------------------------------------------------------

def huge_number(r):
    digits = lambda n: str(r.randint(1, 9)) + "".join(r.choice("0123456789") for _ in range(n - 1))
    return r.choice([
        Raw("1e400"), Raw("-1E+999"), Raw("1e309"), Raw("9" * r.choice([20, 400, 5000])),
        Raw("-" + "9" * 30), Raw("0." + "1" * r.choice([30, 3000])), Raw("1e-400"),
        "1e100000", "1e-100000", "1e10000", "-1e-10000", "1e10001", "1e999999999",
        "1e" + "0" * 30 + "5", digits(r.choice([100, 10000, 10001, 30000])),
        "1/" + digits(r.choice([50, 9999, 12000])), "0/0", "1/0", "-0", "+0.0e-0",
        2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1, Raw(str(2 ** 64)),
        -(2 ** 63), Raw(str(-(2 ** 63) - 1)), 10_000_001, 1_000_000_001, -1,
        "nan", "inf", "-inf", "0x10", "1_000", " 1", "1 ", "\u0661",  # ARABIC-INDIC DIGIT ONE
    ])


CONTROL = ["\n", "\r", "\t", "\x00", "\x1b[2J", "\x1b]0;title\x07", "\x07", "\x08", "\x7f", "\x9b2J",
           "\x85", "\u2028", "\u2029", "\u202e", "\u200b", "\ufeff"]
UNICODE = ["é", "ü", "漢字", "😀", "\u0301", "\ufffd", "\uffff", "𝟙", "ﬁ", "Ω", "\u00a0"]


def odd_string(r, base=""):
    base = base if isinstance(base, str) else ""
    pieces = [base[: r.randint(0, len(base))]]
    for _ in range(r.randint(1, 4)):
        pieces.append(r.choice(CONTROL + UNICODE + ["x" * r.choice([60, 61, 1000, 100000])]))
    pieces.append(base[r.randint(0, len(base)):] if base else "")
    return "".join(pieces)


def wrong_type(r):
    return r.choice([None, True, False, 0, -1, 1, Raw("1.5"), Raw("0.1"), "", "x", "full", [], [[]], [[[]]],
                     ("obj", []), ("obj", [("kind", "x")]), [0], ["1"], [["1", "2"]], "rational",
                     "interval:128", "sgd", "relu"])


def deep(r, value):
    depth = r.choice([5, 31, 32, 33, 100, 1000, 100000])
    if r.random() < 0.5:
        return Raw("[" * depth + dump(value) + "]" * depth)
    return Raw('{"a": ' * depth + dump(value) + "}" * depth)


# ---- mutations ----------------------------------------------------------------------------------------

def tree_mutation(r, tree):
    spots = places(tree)
    if not spots:
        return "tree-empty"
    path = r.choice(spots)
    value = get(tree, path)
    kind = r.choice(["wrong_type", "huge_number", "deep", "unicode", "control", "duplicate", "delete",
                     "unknown", "rename", "move", "steps", "model", "arithmetic", "zero", "numbers"])
    if kind == "wrong_type":
        put(tree, path, wrong_type(r))
    elif kind == "huge_number":
        numeric = [p for p in spots if isinstance(get(tree, p), (int, float, str)) and not isinstance(get(tree, p), bool)]
        put(tree, r.choice(numeric) if numeric else path, huge_number(r))
    elif kind == "deep":
        put(tree, path, deep(r, value))
    elif kind in ("unicode", "control"):
        strings = [p for p in spots if isinstance(get(tree, p), str)]
        if strings and r.random() < 0.7:
            p = r.choice(strings)
            put(tree, p, odd_string(r, get(tree, p)))
        else:
            obj = parent_object(tree, path)
            if obj is not None:
                i = path[-1][1]
                obj[1][i] = (odd_string(r, obj[1][i][0]), obj[1][i][1])
    elif kind == "duplicate":
        obj = parent_object(tree, path)
        if obj is not None:
            i = path[-1][1]
            k, v = obj[1][i]
            obj[1].insert(r.randint(0, len(obj[1])), (k, v if r.random() < 0.5 else wrong_type(r)))
    elif kind == "delete":
        parent = get(tree, path[:-1])
        if path[-1][0] == "o":
            del parent[1][path[-1][1]]
        else:
            del parent[path[-1][1]]
    elif kind == "unknown":
        obj = parent_object(tree, path) or (tree if isinstance(tree, tuple) else None)
        if obj is not None:
            obj[1].append((r.choice(["optimiser", "lr ", "Steps", "", "x" * 5000, "a\nb", "\u0000"]), wrong_type(r)))
    elif kind == "rename":
        obj = parent_object(tree, path)
        if obj is not None:
            i = path[-1][1]
            obj[1][i] = (obj[1][i][0] + r.choice(["s", "_", " ", "1", "\u00e9"]), obj[1][i][1])
    elif kind == "move":
        other = r.choice(spots)
        put(tree, path, get(tree, other))
    elif kind == "steps" and isinstance(tree, tuple):
        for i, (k, _) in enumerate(tree[1]):
            if k == "steps":
                # Not 10^7 itself: a valid run of the limit's length is a long run, not a reading problem.
                tree[1][i] = (k, r.choice([0, 1, 3, -1, 10_000_001, 2 ** 31 - 1, 2 ** 31, 2 ** 64 - 1,
                                           Raw("1e400"), Raw("3.0"), "3", None]))
    elif kind == "model" and isinstance(tree, tuple):
        for i, (k, v) in enumerate(tree[1]):
            if k == "model" and isinstance(v, tuple):
                for j, (mk, _) in enumerate(v[1]):
                    if mk == "kind":
                        v[1][j] = (mk, r.choice(["deep_linear", "mlp", "softmax", "normalized_linear",
                                                 "cosine_square", "centered_linear", "polynomial", "resnet"]))
                    if mk == "widths" and r.random() < 0.3:
                        v[1][j] = (mk, r.choice([[1, 1], [2, 1], [4096, 4096, 4096], [1] * 66, [4097, 1],
                                                 [0, 1], [2 ** 31, 1], [1, 2 ** 64 - 1, 1], [1]]))
    elif kind == "arithmetic" and isinstance(tree, tuple):
        for i, (k, _) in enumerate(tree[1]):
            if k == "arithmetic":
                tree[1][i] = (k, r.choice(["rational", "double", "interval:8", "interval:64", "real:53",
                                           "real:7", "interval:0", "interval:-5", "interval:99999999999", "interval:4096", "real:4096",
                                           "interval:1e3", "interval:", "real", "float", "Rational"]))
    elif kind == "zero":
        # every number under this spot 0: a zero start of a scale-invariant model, empty data ...
        def zero(node):
            if isinstance(node, tuple):
                return ("obj", [(k, zero(v)) for k, v in node[1]])
            if isinstance(node, list):
                return [zero(v) for v in node]
            if isinstance(node, str) and any(c.isdigit() for c in node):
                return r.choice(["0", "0/5", "-0.0", "0e10"])
            return node
        put(tree, path, zero(value))
    elif kind == "numbers":
        numeric = [p for p in spots if isinstance(get(tree, p), str) and any(c.isdigit() for c in get(tree, p))]
        for p in r.sample(numeric, min(len(numeric), r.randint(1, 5))):
            put(tree, p, r.choice(["1e-200", "1e200", "-1e-170", "1/3", "0", "-1", "1e10000", "7/0", "1e-10000"]))
    return kind


def byte_mutation(r, data, seeds):
    kind = r.choice(["truncate", "flip", "insert", "delete", "splice", "raw_control", "invalid_utf8"])
    data = bytearray(data)
    if kind == "truncate":
        data = data[: r.randint(0, len(data))]
    elif kind == "flip":
        for _ in range(r.randint(1, 8)):
            if data:
                i = r.randrange(len(data))
                data[i] = r.randrange(256) if r.random() < 0.5 else data[i] ^ (1 << r.randrange(8))
    elif kind == "insert":
        i = r.randint(0, len(data))
        data[i:i] = r.choice([b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u", b"\\ud800", b"0" * 400,
                              b"1e400", b"-", b"null", b"\x00", b"/*c*/", b"\xef\xbb\xbf", b" " * 1000,
                              b"[" * 5000])
    elif kind == "delete":
        if data:
            i = r.randrange(len(data))
            del data[i: i + r.randint(1, 40)]
    elif kind == "splice":
        other = r.choice(seeds)
        data = data[: r.randint(0, len(data))] + other[r.randint(0, len(other)):]
    elif kind == "raw_control":
        i = r.randint(0, len(data))
        data[i:i] = r.choice([b"\x1b[2J", b"\n", b"\r", b"\x00", b"\x07", b"\x7f", b"\t"])
    elif kind == "invalid_utf8":
        i = r.randint(0, len(data))
        data[i:i] = r.choice([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc2", b"\x80"])
    return bytes(data), kind


def make_case(seed, index, seeds):
    r = random.Random(seed * 1_000_003 + index)
    base = r.choice(seeds)
    kinds = []
    data = base
    for _ in range(r.choice([1, 1, 1, 2, 2, 3])):
        if r.random() < 0.6:
            try:
                tree = parse_pairs(data)
            except (ValueError, RecursionError):
                tree = None
            if tree is not None:
                kinds.append(tree_mutation(r, tree))
                try:
                    data = dump(tree, ascii=r.random() < 0.5).encode("utf-8", "surrogatepass")
                except RecursionError:
                    pass
                continue
        data, kind = byte_mutation(r, data, seeds)
        kinds.append(kind)
    return data, "+".join(kinds)


# ---- running ------------------------------------------------------------------------------------------

def limit_memory(megabytes):
    if megabytes <= 0:
        return None
    def apply():
        limit = megabytes << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run(argv, timeout, memory_mb):
    start = time.monotonic()
    try:
        done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                              preexec_fn=limit_memory(memory_mb))
    except subprocess.TimeoutExpired:
        return None, time.monotonic() - start, b"", b""
    return done.returncode, time.monotonic() - start, done.stdout, done.stderr


def check_output(code, out, err):
    problems = []
    if code not in (0, 1, 2):
        problems.append(f"exit {code}" + (" (a signal)" if code < 0 else ""))
    lines = err.split(b"\n")[:-1] if err.endswith(b"\n") else err.split(b"\n")
    longest = max((len(l) for l in lines), default=0)
    if longest >= 1024:
        problems.append(f"a standard error line of {longest} bytes")
    if code != 0:
        if out:
            problems.append(f"{len(out)} bytes on standard output although it failed")
        if len(lines) != 1 or not err.endswith(b"\n"):
            problems.append(f"{len(lines)} lines on standard error")
    elif err:
        problems.append("standard error not empty although it succeeded")
    if any(b < 0x20 and b != 0x0A or b == 0x7F for b in err):
        problems.append("a control character on standard error")
    for word in LIBRARY_WORDS:
        if word in err:
            problems.append(f"a library's message on standard error ({word.decode()})")
    return problems, longest


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.exits = {"simulate": {}, "expand": {}}
        self.longest_run = (0.0, "")
        self.longest_line = (0, "")
        self.slow_valid = []
        self.failures = []
        self.done = 0


def one_case(args, seeds, index, tally, scratch):
    data, kinds = make_case(args.seed, index, seeds)
    path = os.path.join(scratch, f"case_{index}.json")
    with open(path, "wb") as f:
        f.write(data)
    results = []
    case_failures = []
    slow_valid = False
    for command in ("simulate", "expand"):
        argv = [args.entropic, command, path] + (["--order", "2"] if command == "expand" else [])
        if args.budget:
            argv += ["--timeout", f"{args.timeout / 2:g}s"]
            if args.memory_mb > 0:
                argv += ["--max-memory", f"{args.memory_mb // 2}M"]
        code, seconds, out, err = run(argv, args.timeout, args.memory_mb)
        results.append((command, code, seconds, out, err))
        if code is None:
            probe = run([args.entropic, "expand", path, "--order", "33"], args.timeout, args.memory_mb)
            if probe[0] == 2 and b"--order: must be between" in probe[3] and probe[1] < args.timeout / 2:
                slow_valid = True
                break  # a valid scenario with a long run: the other command would run as long
            case_failures.append(f"{command}: took more than {args.timeout} s (reading it did too)")
    with tally.lock:
        for command, code, seconds, out, err in results:
            label = "timeout" if code is None else code if code in (0, 1, 2) else "other"
            tally.exits[command][label] = tally.exits[command].get(label, 0) + 1
            tally.longest_run = max(tally.longest_run, (seconds, f"case {index} {command}"))
    for command, code, seconds, out, err in results:
        if code is None:
            continue
        problems, longest = check_output(code, out, err)
        with tally.lock:
            tally.longest_line = max(tally.longest_line, (longest, f"case {index} {command}"))
        case_failures += [f"{command}: {p}: {err[:200]!r}" for p in problems]
    with tally.lock:
        tally.done += 1
        if slow_valid:
            tally.slow_valid.append(index)
        if case_failures:
            tally.failures.append((index, kinds, case_failures))
    if case_failures and args.keep:
        os.makedirs(args.keep, exist_ok=True)
        with open(os.path.join(args.keep, f"case_{index}.json"), "wb") as f:
            f.write(data)
        with open(os.path.join(args.keep, f"case_{index}.txt"), "w") as f:
            f.write(f"mutations: {kinds}\n" + "\n".join(case_failures) + "\n")
    os.remove(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("entropic", nargs="?")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space per run; 0 for none")
    parser.add_argument("--budget", action="store_true",
                        help="give entropic --timeout and --max-memory of half the case's limits")
    parser.add_argument("--keep", help="write failing cases here")
    parser.add_argument("--case", type=int, help="run only this case")
    parser.add_argument("--print-case", type=int, help="write this case to standard output and stop")
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args()

    seeds = load_seeds()
    if args.print_case is not None:
        sys.stdout.buffer.write(make_case(args.seed, args.print_case, seeds)[0])
        return 0
    if not args.entropic:
        parser.error("the entropic executable is required")
    indices = [args.case] if args.case is not None else range(args.count)
    tally = Tally()
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [pool.submit(one_case, args, seeds, i, tally, scratch) for i in indices]
            for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
                future.result()
                if args.progress and n % 1000 == 0:
                    print(f"{n} cases, {len(tally.failures)} failing, {time.monotonic() - start:.0f} s",
                          file=sys.stderr, flush=True)

    print(f"{tally.done} cases from {len(seeds)} seed scenarios (seed {args.seed}) in "
          f"{time.monotonic() - start:.1f} s")
    for command in ("simulate", "expand"):
        counts = tally.exits[command]
        print(f"  {command:8}: " + ", ".join(f"exit {k}: {counts.get(k, 0)}" for k in (0, 1, 2))
              + f", other: {counts.get('other', 0)}, timeout: {counts.get('timeout', 0)}")
    print(f"  longest run: {tally.longest_run[0]:.2f} s ({tally.longest_run[1]})")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"  largest resident memory of a run: {peak_kb / 1024:.1f} MiB"
          + (f" (address space limited to {args.memory_mb} MiB a run)" if args.memory_mb > 0 else ""))
    print(f"  longest standard error line: {tally.longest_line[0]} bytes ({tally.longest_line[1]})")
    print(f"  valid scenarios whose run outlasted {args.timeout} s: {len(tally.slow_valid)}"
          + (f" (cases {sorted(tally.slow_valid)[:20]})" if tally.slow_valid else ""))
    print(f"  failing cases: {len(tally.failures)}")
    for index, kinds, problems in sorted(tally.failures)[:50]:
        print(f"FAIL case {index} ({kinds}):")
        for p in problems:
            print("    " + p)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
