#!/usr/bin/env python3
"""Checks the streamed output of `entropic simulate` and the safety of every command's output
(docs/cli.md, "simulate" and "Output files and standard output").

usage: check_simulate_stream.py ENTROPIC SCENARIOS_DIR UWX.json CASE [--sanitized]
  CASE: formats | selection | documents | memory | failure | symlink | targets | unwritable |
        full_stdout | closed_stdout | signal | write_error
Exit 0 when the case holds, 1 when it does not, 77 when it cannot be checked here (no /dev/full, a
sanitizer build for `memory`, ...): ctest reports that as skipped.
"""
import atexit
import csv
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

SKIP = 77
entropic, scenarios, uwx, case = sys.argv[1:5]
sanitized = "--sanitized" in sys.argv[5:]
work = tempfile.mkdtemp(prefix="entropic-stream-")
atexit.register(shutil.rmtree, work, ignore_errors=True)
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def run(*args, **kw):
    return subprocess.run([entropic, *args], capture_output=True, text=True, **kw)


def scenario(steps, arithmetic="double", name=None, base=uwx):
    """The u w x example of docs/examples/uwx.json with `steps` steps in `arithmetic`."""
    with open(base) as f:
        s = json.load(f)
    s["steps"] = steps
    s["arithmetic"] = arithmetic
    path = os.path.join(work, name or f"uwx_{steps}_{arithmetic.replace(':', '_')}.json")
    with open(path, "w") as f:
        json.dump(s, f)
    return path


def simulate(path, *args):
    r = run("simulate", path, *args)
    check(r.returncode == 0, f"simulate {path} {args}: exit {r.returncode}: {r.stderr}")
    check(r.stderr == "", f"simulate {path} {args}: standard error {r.stderr!r}")
    return r.stdout


def flat(params):
    """{"W1": [[a, b], [c, d]], ...} -> [("W1[0][0]", a), ...] block by block, each row by row."""
    return [(f"{name}[{i}][{j}]", v) for name, rows in params.items()
            for i, row in enumerate(rows) for j, v in enumerate(row)]


def json_steps(text):
    doc = json.loads(text)
    return doc["arithmetic"], doc["steps"]


def jsonl_steps(text):
    lines = text.splitlines()
    header = json.loads(lines[0])
    return header, [json.loads(line) for line in lines[1:]]


def csv_steps(text):
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def agree(path, *selection):
    """json, jsonl and csv of one run carry the same steps and values."""
    arithmetic, steps = json_steps(simulate(path, "--format", "json", *selection))
    header, lines = jsonl_steps(simulate(path, "--format", "jsonl", *selection))
    names, rows = csv_steps(simulate(path, "--format", "csv", *selection))
    where = f"{os.path.basename(path)} {' '.join(selection)}"
    check(header["arithmetic"] == arithmetic, f"{where}: jsonl arithmetic {header['arithmetic']} != {arithmetic}")
    check(lines == steps, f"{where}: the jsonl steps differ from the json steps")
    shapes = [(p["name"], p["rows"], p["cols"]) for p in header["params"]]
    expected_shapes = [(name, len(rows_), len(rows_[0])) for name, rows_ in steps[0]["params"].items()]
    check(shapes == expected_shapes, f"{where}: jsonl header params {shapes} != {expected_shapes}")
    check(names == ["t", "loss"] + [n for n, _ in flat(steps[0]["params"])], f"{where}: csv header {names}")
    check(len(rows) == len(steps), f"{where}: {len(rows)} csv rows for {len(steps)} steps")
    for row, step in zip(rows, steps):
        expected = [str(step["t"]), step["loss"]] + [v for _, v in flat(step["params"])]
        if not check(row == expected, f"{where}: csv row {row} != json step {expected}"):
            break
    return header, steps


def table(arithmetic, steps):
    """The text format, computed here from the json steps (columns aligned up to 40 characters)."""
    def matrix(rows):
        return "[" + ", ".join("[" + ", ".join(r) + "]" for r in rows) + "]"
    cells = [["t", "loss"] + list(steps[0]["params"])]
    cells += [[str(s["t"]), s["loss"]] + [matrix(m) for m in s["params"].values()] for s in steps]
    width = [max(min(len(row[c]), 40) for row in cells) for c in range(len(cells[0]))]
    out = f"arithmetic: {arithmetic}\n"
    for row in cells:
        parts = [(" " * max(0, width[c] - len(v)) + v) if c == 0 else (v + " " * max(0, width[c] - len(v)))
                 for c, v in enumerate(row)]
        out += "  ".join(parts).rstrip(" ") + "\n"
    return out


def case_formats():
    # Every arithmetic: exact, certified, high precision, floating; several blocks of several rows.
    for path in [os.path.join(scenarios, "example.json"), os.path.join(scenarios, "normalized_interval.json"),
                 os.path.join(scenarios, "momentum.json"), scenario(50, "double"), scenario(20, "real:80")]:
        header, steps = agree(path)
        with open(path) as f:
            total = json.load(f)["steps"]
        check(header["steps"] == total and header["every"] == 1 and header["last_only"] is False,
              f"{path}: jsonl header {header}")
        check([s["t"] for s in steps] == list(range(total + 1)), f"{path}: steps {[s['t'] for s in steps]}")
    # An interval is "[lo, hi]": a CSV field with a comma, so quoted.
    text = simulate(os.path.join(scenarios, "normalized_interval.json"), "--format", "csv")
    check('"[' in text.splitlines()[1], f"interval values are not quoted in csv: {text.splitlines()[1]}")


def case_selection():
    path = scenario(23, "real:64")  # rational would do: but its numbers double in length every step
    for selection, expected in [(["--every", "5"], [0, 5, 10, 15, 20, 23]), (["--every", "1"], list(range(24))),
                                (["--every", "23"], [0, 23]), (["--every", "100"], [0, 23]), (["--last"], [23])]:
        header, steps = agree(path, *selection)
        check([s["t"] for s in steps] == expected, f"{selection}: steps {[s['t'] for s in steps]} != {expected}")
        check(header["last_only"] == (selection == ["--last"]), f"{selection}: header {header}")
        # The values are those of the full run, whatever is reported.
        arithmetic, every = json_steps(simulate(path, "--format", "json"))
        check(steps == [every[t] for t in expected], f"{selection}: values differ from the full run's")
        # The text table reports the same steps.
        text = simulate(path, *selection)
        check(text == table(arithmetic, steps), f"{selection}: text table differs:\n{text}")
    _, steps = json_steps(simulate(os.path.join(scenarios, "example.json"), "--format", "json", "--last"))
    check([s["t"] for s in steps] == [3], "--last of example.json")
    # Zero steps: theta_0 is the first and last.
    _, steps = agree(scenario(0, "rational"), "--every", "4")
    check([s["t"] for s in steps] == [0], "a run of 0 steps reports t = 0")
    for bad in (["--every", "0"], ["--every", "-3"], ["--every", "x"], ["--every", "2", "--last"]):
        r = run("simulate", path, *bad)
        check(r.returncode == 2 and r.stdout == "", f"{bad}: exit {r.returncode}, stdout {r.stdout[:80]!r}")


def case_documents():
    # json and text: the document of a run longer than what is held in memory (16 MiB) is written by
    # a second run: the same bytes as a run that is held, the same values as the stream.
    path = scenario(200000, "double")
    header, lines = jsonl_steps(simulate(path, "--format", "jsonl"))
    text = simulate(path, "--format", "json")
    check(len(text) > 16 << 20, f"the json document is only {len(text)} bytes: not past the budget")
    arithmetic, steps = json_steps(text)
    check(steps == lines, "json past the budget differs from jsonl")
    body = text.split("\n")
    check(body[0] == '{"arithmetic": "double", "steps": [' and body[-2] == "]}" and body[-1] == "",
          f"json layout: {body[0]!r} ... {body[-2:]!r}")
    check(simulate(path) == table(arithmetic, steps), "text past the budget differs from its table")
    small = scenario(300, "double")
    arithmetic, steps = json_steps(simulate(small, "--format", "json"))
    check(simulate(small) == table(arithmetic, steps), "text of a held run differs from its table")
    # Into a file: the same bytes as on standard output.
    out = os.path.join(work, "run.json")
    r = run("simulate", path, "--format", "json", "--output", out)
    check(r.returncode == 0 and r.stdout == "", f"--output: exit {r.returncode} {r.stderr}")
    with open(out) as f:
        check(f.read() == text, "--output run.json differs from standard output")


def peak_kb(args):
    """Runs entropic with args, output to /dev/null; its exit code and maximum resident set (KiB).
    GNU time reports the program's own peak; without it, wait4's also counts the pages of this
    Python process that the child had before it started entropic (about 10 MB)."""
    with open(os.devnull, "w") as null:
        if os.access("/usr/bin/time", os.X_OK):
            report = os.path.join(work, "time.txt")
            code = subprocess.run(["/usr/bin/time", "-o", report, "-f", "%M", entropic, *args], stdout=null,
                                  stderr=subprocess.DEVNULL).returncode
            with open(report) as f:
                return code, int(f.read().split()[-1])
        p = subprocess.Popen([entropic, *args], stdout=null, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss


def case_memory():
    if sanitized:
        print("skipped: a sanitizer build (its allocator keeps freed memory in quarantine)")
        return SKIP
    # 10^5 double steps of the u w x example: 11 MB of jsonl. The bound: a streamed run holds one
    # step, so its peak is the program itself (binary, libraries, a 64 KiB buffer: about 8 MB);
    # 32 MB leaves room for a libc's arenas. The earlier design held every step, its JSON document
    # and its text, 1.3 KB a step: 132 MB at 10^5 steps, 1.26 GB at 10^6.
    path = scenario(100000, "double")
    for fmt, bound_mb in (("jsonl", 32), ("csv", 32), ("json", 64), ("text", 64)):
        # json and text are held up to 16 MiB (a string that may double while it grows).
        code, kb = peak_kb(["simulate", path, "--format", fmt])
        check(code == 0, f"{fmt}: exit {code}")
        check(kb < bound_mb * 1024, f"{fmt}: peak memory {kb / 1024:.1f} MB, bound {bound_mb} MB")
        print(f"{fmt}: 10^5 steps, peak {kb / 1024:.1f} MB (bound {bound_mb} MB)")
    # And it does not grow with the number of steps: 10^4 and 10^5 steps alike.
    _, small = peak_kb(["simulate", scenario(10000, "double"), "--format", "jsonl"])
    _, large = peak_kb(["simulate", path, "--format", "jsonl"])
    check(large - small < 4 * 1024, f"jsonl peak grows with the steps: {small} KB at 10^4, {large} KB at 10^5")


def case_failure():
    diverges = os.path.join(scenarios, "diverges.json")
    message = "step 323 of 1000: the loss = inf: the run diverged"
    # Streamed: what was computed, then a line that says why the run stopped; exit 1, one line on stderr.
    r = run("simulate", diverges, "--format", "jsonl", "--every", "100")
    check(r.returncode == 1 and r.stderr.count("\n") == 1 and message in r.stderr, f"jsonl: {r.returncode} {r.stderr}")
    lines = r.stdout.splitlines()
    check(json.loads(lines[0])["steps"] == 1000, f"jsonl header {lines[0]}")
    check([json.loads(x)["t"] for x in lines[1:-1]] == [0, 100, 200, 300], f"jsonl steps {lines[1:-1]}")
    check(message in json.loads(lines[-1]).get("error", ""), f"jsonl last line {lines[-1]}")
    r = run("simulate", diverges, "--format", "csv", "--last")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    check(r.returncode == 1 and rows[0] == ["t", "loss", "W1[0][0]"] and len(rows) == 2, f"csv: {r.stdout}")
    check(rows[-1][0] == "error" and message in rows[-1][1], f"csv last row {rows[-1]}")
    # Documents: nothing on standard output.
    for fmt in ("text", "json"):
        r = run("simulate", diverges, "--format", fmt)
        check(r.returncode == 1 and r.stdout == "" and message in r.stderr, f"{fmt}: {r.returncode} {r.stdout[:80]!r}")
    # Into a file: the file is left as it was, and no temporary file is left behind.
    d = os.path.join(work, "fail")
    os.mkdir(d)
    target = os.path.join(d, "out.txt")
    with open(target, "w") as f:
        f.write("before\n")
    for fmt in ("jsonl", "csv", "json", "text"):
        r = run("simulate", diverges, "--format", fmt, "--output", target)
        check(r.returncode == 1 and message in r.stderr, f"--output {fmt}: exit {r.returncode} {r.stderr}")
    with open(target) as f:
        check(f.read() == "before\n", "a failed run changed its --output file")
    check(os.listdir(d) == ["out.txt"], f"left behind: {os.listdir(d)}")
    # Bad input is refused before anything is written or created.
    r = run("simulate", os.path.join(scenarios, "wrong_shape.json"), "--format", "jsonl", "--output", target)
    check(r.returncode == 2 and os.listdir(d) == ["out.txt"], f"bad scenario: {r.returncode} {os.listdir(d)}")


def case_symlink():
    # The earlier design wrote FILE.partial and followed a link planted under that name.
    d = os.path.join(work, "shared")
    os.mkdir(d)
    victim = os.path.join(work, "victim")
    with open(victim, "w") as f:
        f.write("precious\n")
    for name in ("out.json.partial", ".out.json.partial", "out.json.tmp", "out.json~"):
        os.symlink(victim, os.path.join(d, name))
    out = os.path.join(d, "out.json")
    for command in (["simulate", uwx, "--format", "json"], ["simulate", uwx, "--format", "jsonl"],
                    ["expand", uwx, "--order", "2"], ["verify", "T5", "--cases", "1", "-q", "--format", "json"]):
        r = run(*command, "--output", out)
        check(r.returncode == 0, f"{command}: exit {r.returncode} {r.stderr}")
        check(r.stdout == "", f"{command}: wrote on standard output with --output")
        with open(victim) as f:
            check(f.read() == "precious\n", f"{command}: the planted link's target was written")
        check(stat.S_ISREG(os.lstat(out).st_mode), f"{command}: {out} is not a regular file")
        with open(out) as f:
            written = f.read()
        if command[0] == "verify":  # its report has the run's wall time
            check(json.loads(written)["claims"][0]["id"] == "T5", f"{command}: --output is not its report")
        else:
            check(written == run(*command).stdout, f"{command}: --output differs from standard output")
    check(sorted(os.listdir(d)) == sorted([".out.json.partial", "out.json", "out.json.partial", "out.json.tmp",
                                           "out.json~"]), f"files: {os.listdir(d)}")
    for name in ("out.json.partial", ".out.json.partial"):
        check(os.readlink(os.path.join(d, name)) == victim, f"{name} was replaced")


def case_targets():
    # A target that exists and is not a regular file is refused before the run, exit 2, untouched.
    d = os.path.join(work, "targets")
    os.mkdir(d)
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    os.symlink("/dev/null", os.path.join(d, "to-device"))
    os.symlink(d, os.path.join(d, "to-directory"))
    os.symlink(os.path.join(d, "nothing"), os.path.join(d, "dangling"))
    # Refused before the run: a run would stop first, at its divergence (exit 1).
    diverges = os.path.join(scenarios, "diverges.json")
    cases = [("/dev/null", "is a character device"), (fifo, "is a fifo"), (d, "is a directory"),
             (os.path.join(d, "to-device"), "is a character device"),
             (os.path.join(d, "to-directory"), "is a directory"),
             (os.path.join(d, "dangling"), "is a symbolic link to nothing"),
             (os.path.join(d, "no-such-dir", "out.json"), "no directory"),
             (os.path.join(d, "fifo", "out.json"), "no directory")]
    for command in (["simulate", diverges, "--format", "jsonl"], ["simulate", diverges],
                    ["expand", uwx, "--order", "2"], ["verify", "T5", "--cases", "1", "-q"]):
        for target, why in cases:
            r = run(*command, "--output", target, timeout=60)
            check(r.returncode == 2 and why in r.stderr and r.stdout == "" and r.stderr.count("\n") == 1,
                  f"{command[0]} --output {target}: exit {r.returncode}, stderr {r.stderr!r}")
    check(stat.S_ISCHR(os.stat("/dev/null").st_mode), "/dev/null is no longer a device")
    check(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the fifo was replaced")
    for command in (["simulate", uwx], ["expand", uwx, "--order", "1"]):
        r = run(*command, "--output", "")
        check(r.returncode == 2 and "--output: empty file name" in r.stderr, f"{command} --output '': {r.stderr}")
    # A symbolic link to a regular file is followed: the file it names is replaced, the link kept.
    real = os.path.join(d, "real.json")
    with open(real, "w") as f:
        f.write("old\n")
    os.chmod(real, 0o640)
    link = os.path.join(d, "link.json")
    os.symlink(real, link)
    r = run("simulate", uwx, "--format", "json", "--output", link)
    check(r.returncode == 0 and os.path.islink(link), f"link: {r.returncode} {r.stderr}")
    with open(real) as f:
        check(f.read() == run("simulate", uwx, "--format", "json").stdout, "the linked file was not written")
    check(stat.S_IMODE(os.stat(real).st_mode) == 0o640, "the replaced file lost its permissions")


def case_unwritable():
    # A directory where no file can be created: exit 2 before the run (the run would take minutes).
    if os.geteuid() == 0:
        # Permission bits do not stop root: use a file system that refuses new files, if there is one.
        d = None
        for candidate in ("/sys", "/proc"):
            try:
                fd = os.open(os.path.join(candidate, "entropic-probe"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                os.close(fd)
                os.unlink(os.path.join(candidate, "entropic-probe"))
            except OSError:
                d = candidate
                break
        if d is None:
            print("skipped: root, and no directory that refuses new files")
            return SKIP
    else:
        d = os.path.join(work, "read-only")
        os.mkdir(d)
        os.chmod(d, 0o555)
    # Before the run: a run would stop first, at its divergence (exit 1).
    diverges = os.path.join(scenarios, "diverges.json")
    target = os.path.join(d, "out.jsonl")
    for command in (["simulate", diverges, "--format", "jsonl"], ["simulate", diverges],
                    ["expand", uwx, "--order", "2"], ["verify", "T5", "--cases", "1", "-q"]):
        r = run(*command, "--output", target, timeout=60)
        check(r.returncode == 2 and f"the directory '{d}' is not writable: " in r.stderr and r.stdout == "",
              f"{command[0]}: exit {r.returncode}, stderr {r.stderr!r}")
    check(not os.path.exists(target), f"{target} was created")


def full_or_closed(redirect, message):
    if redirect == "full" and not os.path.exists("/dev/full"):
        print("skipped: no /dev/full")
        return SKIP
    big = scenario(20000, "double")
    commands = [["list"], ["list", "--format", "json"], ["replay", "T5.law:s=1:z=0"],
                ["simulate", uwx], ["simulate", uwx, "--format", "json"], ["simulate", big, "--format", "jsonl"],
                ["simulate", big, "--format", "csv"], ["simulate", big, "--format", "json"], ["simulate", big],
                ["expand", uwx, "--order", "3"], ["expand", uwx, "--order", "2", "--format", "json"],
                ["verify", "T5", "--cases", "2", "-q"], ["verify", "T5", "--cases", "2", "-q", "--format", "json"],
                ["falsify", "N1", "--cases", "50", "-q"], ["--help"], ["simulate", "--help"]]
    report = os.path.join(work, "report.json")
    subprocess.run([entropic, "verify", "T5", "--cases", "2", "-q", "--shard", "1/1", "--format", "json",
                    "--output", report], check=True)
    commands += [["merge", report], ["diff", report, report]]
    for command in commands:
        if redirect == "full":
            with open("/dev/full", "w") as full:
                r = subprocess.run([entropic, *command], stdout=full, stderr=subprocess.PIPE, text=True)
        else:
            r = subprocess.run([entropic, *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: os.close(1))
        check(r.returncode == 1 and r.stderr.endswith(f"entropic: cannot write standard output: {message}\n"),
              f"{' '.join(command)} > {redirect}: exit {r.returncode}, stderr {r.stderr!r}")
    # Nothing written on standard output, nothing to fail: an --output run is fine.
    out = os.path.join(work, "fine.jsonl")
    with open("/dev/full" if redirect == "full" else os.devnull, "w") as sink:
        r = subprocess.run([entropic, "simulate", uwx, "--format", "jsonl", "--output", out], stdout=sink,
                           stderr=subprocess.PIPE, text=True,
                           preexec_fn=None if redirect == "full" else (lambda: os.close(1)))
    check(r.returncode == 0 and os.path.getsize(out) > 0, f"--output with {redirect} stdout: {r.returncode} {r.stderr}")


def case_write_error():
    # A write that fails says why. A file size limit (RLIMIT_FSIZE, with SIGXFSZ ignored) makes
    # write() fail with EFBIG past 64 KiB, in the temporary file of --output as on standard output.
    import resource

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))

    d = os.path.join(work, "limited")
    os.mkdir(d)
    target = os.path.join(d, "out.jsonl")
    with open(target, "w") as f:
        f.write("before\n")
    path = scenario(10000, "double")  # 1.1 MB of jsonl
    for fmt in ("jsonl", "json", "text"):
        r = run("simulate", path, "--format", fmt, "--output", target, preexec_fn=limited)
        check(r.returncode == 1 and r.stderr == f"entropic: error: cannot write {target}: File too large\n",
              f"--output {fmt}: exit {r.returncode}, stderr {r.stderr!r}")
    with open(target) as f:
        check(f.read() == "before\n", "a failed write changed the --output file")
    check(os.listdir(d) == ["out.jsonl"], f"left behind: {os.listdir(d)}")
    with open(os.path.join(d, "stdout.txt"), "w") as out:
        r = subprocess.run([entropic, "simulate", path, "--format", "jsonl"], stdout=out, stderr=subprocess.PIPE,
                           text=True, preexec_fn=limited)
    check(r.returncode == 1 and r.stderr == "entropic: cannot write standard output: File too large\n",
          f"standard output: exit {r.returncode}, stderr {r.stderr!r}")


def case_signal():
    # SIGTERM during a long run into --output: the temporary file is removed, the target untouched.
    d = os.path.join(work, "signal")
    os.mkdir(d)
    target = os.path.join(d, "out.jsonl")
    with open(target, "w") as f:
        f.write("before\n")
    p = subprocess.Popen([entropic, "simulate", scenario(10 ** 7, "double"), "--format", "jsonl", "--output", target],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while len(os.listdir(d)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    check(len(os.listdir(d)) == 2, f"no temporary file beside the target: {os.listdir(d)}")
    time.sleep(0.3)
    check(p.poll() is None, f"the run ended before it was interrupted: exit {p.returncode}")
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    p.stderr.close()
    check(p.returncode == -signal.SIGTERM, f"exit {p.returncode}")
    check(os.listdir(d) == ["out.jsonl"], f"left behind: {os.listdir(d)}")
    with open(target) as f:
        check(f.read() == "before\n", "an interrupted run changed its --output file")


cases = {"formats": case_formats, "selection": case_selection, "documents": case_documents,
         "memory": case_memory, "failure": case_failure, "symlink": case_symlink, "targets": case_targets,
         "unwritable": case_unwritable, "signal": case_signal, "write_error": case_write_error,
         "full_stdout": lambda: full_or_closed("full", "No space left on device"),
         "closed_stdout": lambda: full_or_closed("closed", "Bad file descriptor")}
code = cases[case]()
for f in failures:
    print("FAIL:", f)
if code == SKIP and not failures:
    sys.exit(SKIP)
print(f"{case}: {len(failures)} problems")
sys.exit(1 if failures else 0)
