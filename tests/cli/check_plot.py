"""Checks `entropic plot` (docs/cli.md, "plot").

usage:
  check_plot.py draws ENTROPIC OUTPUT [--expect TEXT]... [--report CLAIM] [--expand SCENARIO] -- PLOT-ARGS...
      `entropic plot PLOT-ARGS --output OUTPUT` exits 0 and writes a valid picture: an SVG that
      parses as XML with the plot's elements (paths, and every TEXT among its texts), or a PNG with
      its signature and an IHDR chunk of a sensible size; no temporary file is left beside it.
      --report CLAIM first writes `entropic verify CLAIM --format json` to a temporary file, and
      --expand SCENARIO `entropic expand SCENARIO --order 3 --format json`; the plot argument INPUT
      stands for it.
  check_plot.py refuses ENTROPIC OUTPUT REGEX [--no-gnuplot] -- PLOT-ARGS...
      the command exits 2 with one line on stderr matching REGEX, and writes nothing; with
      --no-gnuplot it runs with a PATH on which there is no gnuplot.
  check_plot.py figures SCRIPT ENTROPIC COMMITTED-DIR
      SCRIPT ENTROPIC DIR regenerates every figure of COMMITTED-DIR; each is a valid SVG and the
      same picture as the committed one (compared element by element, gnuplot's producer line aside).
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def fail(message):
    print(message)
    sys.exit(1)


def texts(root):
    return ["".join(e.itertext()) for e in root.iter(SVG + "text")]


def check_svg(path, expect):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f"{path}: not XML: {e}")
    if root.tag != SVG + "svg":
        fail(f"{path}: root element is {root.tag}, not svg")
    paths = list(root.iter(SVG + "path"))
    if len(paths) < 10:
        fail(f"{path}: {len(paths)} path elements: no plot drawn")
    found = texts(root)
    for t in expect:
        if not any(t in s for s in found):
            fail(f"{path}: no text element contains {t!r}; texts: {found}")
    return root


def check_png(path):
    with open(path, "rb") as f:
        head = f.read(33)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: no PNG signature")
    length, kind = struct.unpack(">I4s", head[8:16])
    if kind != b"IHDR" or length != 13:
        fail(f"{path}: the first chunk is not IHDR")
    width, height = struct.unpack(">II", head[16:24])
    if not (200 <= width <= 8000 and 150 <= height <= 8000):
        fail(f"{path}: IHDR size {width} x {height}")
    if os.path.getsize(path) < 2000:
        fail(f"{path}: {os.path.getsize(path)} bytes: no plot drawn")


def leftovers(output):
    directory = os.path.dirname(os.path.abspath(output))
    base = os.path.basename(output)
    return [n for n in os.listdir(directory) if n.startswith("." + base + ".")]


def split(args):
    if "--" not in args:
        fail("missing -- before the plot arguments")
    i = args.index("--")
    return args[:i], args[i + 1:]


def option(head, name):
    return [head[i + 1] for i, a in enumerate(head) if a == name]


def draws(args):
    head, plot_args = split(args)
    entropic, output = head[0], head[1]
    expect = option(head, "--expect")
    if os.path.exists(output):
        os.remove(output)
    with tempfile.TemporaryDirectory() as tmp:
        made = os.path.join(tmp, "input.json")
        for claim in option(head, "--report"):
            subprocess.run([entropic, "verify", claim, "--format", "json", "--output", made], check=True)
        for scenario in option(head, "--expand"):
            with open(made, "w") as f:
                subprocess.run([entropic, "expand", scenario, "--order", "3", "--format", "json"], stdout=f, check=True)
        plot_args = [made if a == "INPUT" else a for a in plot_args]
        run = subprocess.run([entropic, "plot", *plot_args, "--output", output], capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"exit {run.returncode}: {run.stderr}")
    if run.stdout:
        fail(f"printed on stdout: {run.stdout!r}")
    if not os.path.exists(output):
        fail(f"{output} not written")
    if leftovers(output):
        fail(f"temporary files left: {leftovers(output)}")
    if output.endswith(".svg"):
        check_svg(output, expect)
    else:
        check_png(output)
    print(f"{output}: valid")


def refuses(args):
    head, plot_args = split(args)
    entropic, output, regex = head[:3]
    if os.path.exists(output):
        os.remove(output)
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as empty:
        if "--no-gnuplot" in head:
            env["PATH"] = empty
        run = subprocess.run([entropic, "plot", *plot_args, "--output", output], capture_output=True, text=True, env=env)
    if run.returncode != 2:
        fail(f"expected exit 2, got {run.returncode}: {run.stderr}")
    lines = run.stderr.strip().split("\n")
    if len(lines) != 1 or not re.search(regex, lines[0]):
        fail(f"stderr is not one line matching /{regex}/: {run.stderr!r}")
    if run.stdout:
        fail(f"printed on stdout: {run.stdout!r}")
    if os.path.exists(output) or (os.path.isdir(os.path.dirname(os.path.abspath(output))) and leftovers(output)):
        fail(f"{output}: something was written")
    print(f"refused: {lines[0]}")


# An SVG as a list of (tag, attributes, text), gnuplot's <desc> (its version line) left out; numbers
# in attributes rounded to 0.1 px so that the comparison is about the picture.
def shape(path):
    out = []
    for e in ET.parse(path).getroot().iter():
        if e.tag == SVG + "desc":
            continue
        attrs = {k: re.sub(r"-?\d+\.\d+", lambda m: f"{float(m.group()):.1f}", v) for k, v in e.attrib.items()}
        out.append((e.tag, sorted(attrs.items()), (e.text or "").strip()))
    return out


def figures(args):
    script, entropic, committed = args
    with tempfile.TemporaryDirectory() as fresh:
        run = subprocess.run([script, entropic, fresh], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"{script} failed ({run.returncode}): {run.stderr}")
        names = sorted(n for n in os.listdir(committed) if n.endswith(".svg"))
        made = sorted(n for n in os.listdir(fresh) if n.endswith(".svg"))
        if names != made:
            fail(f"committed figures {names}, regenerated {made}")
        for n in names:
            check_svg(os.path.join(fresh, n), [])
            a, b = shape(os.path.join(committed, n)), shape(os.path.join(fresh, n))
            if a != b:
                diff = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                at = f"element {diff}: committed {a[diff] if diff < len(a) else None}, fresh {b[diff] if diff < len(b) else None}"
                fail(f"docs/figures/{n} is stale ({at}); regenerate it with scripts/figures")
            print(f"{n}: as committed")


if __name__ == "__main__":
    mode, rest = sys.argv[1], sys.argv[2:]
    {"draws": draws, "refuses": refuses, "figures": figures}[mode](rest)
