#!/usr/bin/env python3
"""check_help.py ENTROPIC: `entropic --help` and the help of every subcommand it lists exit 0, print
on standard output only, and show the defaults of the options: the known ones below, the `--format`
of every subcommand that has one, never an empty list (`=[]`) nor a default of a required option."""
import re
import subprocess
import sys

# Defaults a user relies on (docs/cli.md): subcommand -> option -> the default its help must show.
KNOWN = {
    "list": {"--format": "text"},
    "verify": {"--cases": "100", "--seed": "1", "--max-size": "100", "--format": "text"},
    "falsify": {"--cases": "2000", "--seed": "1", "--max-size": "100", "--format": "text"},
    "replay": {"--format": "text"},
    "simulate": {"--format": "text"},
    "expand": {"--format": "text"},
}


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    problems = []
    if p.returncode != 0:
        problems.append(f"exit {p.returncode}")
    if p.stderr:
        problems.append(f"standard error not empty: {p.stderr!r}")
    return p.stdout, problems


def option_lines(text):
    """name -> the left column of its help line (name, type, =default, REQUIRED)."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^  (\S+)(.*?)(?:  +\S.*)?$", line)
        if not m:
            continue
        names = m.group(1).split(",")
        for name in names:
            out[name] = m.group(1) + m.group(2)
    return out


def main():
    entropic = sys.argv[1]
    failures = []
    top, problems = run(entropic, "--help")
    failures += [f"--help: {p}" for p in problems]
    if not top.startswith("entropic: ") or "\nUsage: entropic [OPTIONS] SUBCOMMAND" not in top:
        failures.append(f"--help: no description and usage line:\n{top}")
    subcommands = re.findall(r"^  ([a-z]+)  ", top.split("Subcommands:", 1)[-1], re.M)
    for name in KNOWN:
        if name not in subcommands:
            failures.append(f"--help lists no subcommand {name}")
    for sub in subcommands:
        text, problems = run(entropic, sub, "--help")
        failures += [f"{sub} --help: {p}" for p in problems]
        if f"Usage: entropic {sub} " not in text:
            failures.append(f"{sub} --help: no usage line")
        lines = option_lines(text)
        for option, left in lines.items():
            if "=[]" in left:
                failures.append(f"{sub} {option}: shows an empty list as its default: {left!r}")
            if "REQUIRED" in left and re.search(r"=\S", left):
                failures.append(f"{sub} {option}: a required option shows a default: {left!r}")
        expected = dict(KNOWN.get(sub, {}))
        if "--format" in lines:
            expected.setdefault("--format", "text")
        for option, default in expected.items():
            left = lines.get(option)
            if left is None:
                failures.append(f"{sub} --help: no option {option}")
            elif not re.search(r"=" + re.escape(default) + r"( |$)", left):
                failures.append(f"{sub} {option}: default {default} not shown: {left!r}")
    for f in failures:
        print(f)
    print(f"{len(subcommands)} subcommands, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
