#!/usr/bin/env python3
"""check_ctest_names.py (--ctest CTEST --build-dir DIR | --json FILE): the ctest names of a build
tree are stable and usable: printable ASCII without spaces, no printed GoogleTest parameter
(" # GetParam() = 72-byte object <00-C1 ...>", whose bytes change with every build), and unique.
Exit 0 when they are, 1 with one line per offending name when they are not."""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile


def names_of(args):
    if args.json:
        with open(args.json, encoding="utf-8", errors="surrogateescape") as f:
            document = json.load(f)
    else:
        # ctest lists the tests of a copy of the tree's CTestTestfile.cmake files: run on the build
        # tree itself, it would replace Testing/Temporary/LastTest.log of the ctest that runs this check.
        with tempfile.TemporaryDirectory() as copy:
            for directory, _, files in os.walk(args.build_dir):
                if "CTestTestfile.cmake" in files:
                    target = os.path.join(copy, os.path.relpath(directory, args.build_dir))
                    os.makedirs(target, exist_ok=True)
                    shutil.copy(os.path.join(directory, "CTestTestfile.cmake"), target)
            out = subprocess.run([args.ctest, "--test-dir", copy, "--show-only=json-v1"],
                                 check=True, capture_output=True).stdout
        document = json.loads(out.decode("utf-8", errors="surrogateescape"))
    return [t["name"] for t in document["tests"]]


def problems(name):
    if any(not (0x21 <= ord(c) <= 0x7E) for c in name):
        yield "has a space or a byte that is not printable ASCII"
    if "GetParam()" in name or "TypeParam" in name:
        yield "holds a printed GoogleTest parameter"
    if "-byte object" in name:
        yield "holds the bytes of a GoogleTest parameter"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ctest")
    parser.add_argument("--build-dir")
    parser.add_argument("--json", help="a `ctest --show-only=json-v1` document instead of a build tree")
    args = parser.parse_args()
    names = names_of(args)
    bad = 0
    for name in names:
        for why in problems(name):
            print(f"ctest name {name!r} {why}")
            bad += 1
    for name, count in collections.Counter(names).items():
        if count > 1:
            print(f"ctest name {name!r} is given to {count} tests")
            bad += 1
    if not names:
        print("no ctest tests found")
        bad += 1
    print(f"{len(names)} ctest names, {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
