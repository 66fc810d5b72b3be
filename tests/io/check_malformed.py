#!/usr/bin/env python3
"""Runs the malformed-input corpus (tests/io/malformed/MANIFEST) through the command line.

    check_malformed.py ENTROPIC CORPUS_DIR [--timeout S] [--memory-mb M]

Every input is given to `entropic simulate FILE` and to `entropic expand FILE --order 2`. Each must
exit with the code of its row, print nothing on standard output, and print exactly one line on
standard error, shorter than 1 KB and free of control characters, that starts with
"entropic: PATH: " and whose rest matches the row's regular expression; each within --timeout
seconds and under --memory-mb of address space (0: no limit, as under AddressSanitizer, which
reserves terabytes of it). The rows and the files must match one to one.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

from fuzz_scenarios import limit_memory  # the same address-space limit as the fuzz run

SPECIAL = {"@directory", "@fifo", "@large", "/dev/zero"}
MAX_SCENARIO_BYTES = 64 << 20


def read_manifest(corpus):
    rows = []
    with open(os.path.join(corpus, "MANIFEST"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3:
                sys.exit(f"MANIFEST:{number}: expected file<TAB>exit<TAB>regex, got {line!r}")
            rows.append((parts[0], int(parts[1]), re.compile(parts[2])))
    return rows


def special_input(name, scratch):
    if name == "@directory":
        path = os.path.join(scratch, "a_directory.json")
        os.mkdir(path)
    elif name == "@fifo":
        path = os.path.join(scratch, "a_fifo.json")
        os.mkfifo(path)
    elif name == "@large":
        path = os.path.join(scratch, "large.json")
        with open(path, "wb") as f:
            f.truncate(MAX_SCENARIO_BYTES + 1)
    else:
        path = name
    return path


def check(entropic, path, command, expected_exit, regex, timeout, memory_mb):
    argv = [entropic, command, path] + (["--order", "2"] if command == "expand" else [])
    start = time.monotonic()
    try:
        run = subprocess.run(argv, capture_output=True, timeout=timeout, preexec_fn=limit_memory(memory_mb))
    except subprocess.TimeoutExpired:
        return [f"took more than {timeout} s"]
    seconds = time.monotonic() - start
    problems = []
    if run.returncode != expected_exit:
        problems.append(f"exit {run.returncode}, expected {expected_exit}")
    if run.stdout:
        problems.append(f"{len(run.stdout)} bytes on standard output")
    err = run.stderr
    lines = err.split(b"\n")
    if not err.endswith(b"\n") or len(lines) != 2:
        problems.append(f"expected one line on standard error, got {err[:300]!r}")
    if len(err) >= 1024:
        problems.append(f"a standard error line of {len(err)} bytes")
    if any(b < 0x20 or b == 0x7F for b in err[:-1]):
        problems.append(f"a control character on standard error: {err[:300]!r}")
    text = err.decode("utf-8", "replace").rstrip("\n")
    prefix = f"entropic: {path}: "
    if not text.startswith(prefix):
        problems.append(f"the message does not start with {prefix!r}: {text[:300]!r}")
    elif not regex.search(text[len(prefix):]):
        problems.append(f"the message does not match {regex.pattern!r}: {text[:300]!r}")
    return problems, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("entropic")
    parser.add_argument("corpus")
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args()

    rows = read_manifest(args.corpus)
    failures = []
    named = {name for name, _, _ in rows}
    files = {f for f in os.listdir(args.corpus) if f != "MANIFEST"}
    for extra in sorted(files - named):
        failures.append(f"{extra}: a corpus file without a MANIFEST row")
    for missing in sorted(named - files - SPECIAL):
        failures.append(f"{missing}: a MANIFEST row without a file")

    slowest = (0.0, "")
    with tempfile.TemporaryDirectory() as scratch:
        for name, expected_exit, regex in rows:
            if name in SPECIAL:
                path = special_input(name, scratch)
            elif name in files:
                path = os.path.join(args.corpus, name)
            else:
                continue
            for command in ("simulate", "expand"):
                result = check(args.entropic, path, command, expected_exit, regex, args.timeout, args.memory_mb)
                if isinstance(result, list):
                    problems, seconds = result, args.timeout
                else:
                    problems, seconds = result
                slowest = max(slowest, (seconds, f"{command} {name}"))
                failures += [f"{command} {name}: {p}" for p in problems]

    print(f"{len(rows)} inputs, {2 * len(rows)} runs; slowest {slowest[0]:.2f} s ({slowest[1]})")
    for f in failures:
        print("FAIL " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
