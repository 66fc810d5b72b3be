"""Checks `entropic diff` (docs/cli.md) on real outputs of verify, expand and simulate, some of them
altered here on purpose: each alteration must be found, named, and given its level.

usage: check_diff.py ENTROPIC SCENARIO CASE
  CASE: identical | changed_report | verify_schema_2 | seeds_differ | expand_changed |
        simulate_changed | mismatched_kinds | malformed_json | malformed_report
"""
import atexit
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

entropic, scenario, case = sys.argv[1:4]
work = tempfile.mkdtemp(prefix="entropic-diff-")
atexit.register(shutil.rmtree, work, ignore_errors=True)


def run(*args):
    return subprocess.run([entropic, *args], capture_output=True, text=True)


def output_of(*args):
    r = run(*args)
    assert r.returncode in (0, 1), (args, r.returncode, r.stderr)
    return json.loads(r.stdout)


def write(name, data):
    path = os.path.join(work, name)
    with open(path, "w") as f:
        if isinstance(data, str):
            f.write(data)
        else:
            json.dump(data, f, indent=2)
    return path


def diff(base, new, fmt="text"):
    return run("diff", base, new, "--format", fmt)


def expect(r, code, *texts, stream="stdout"):
    out = getattr(r, stream)
    assert r.returncode == code, f"exit {r.returncode}, expected {code}\nstdout:\n{r.stdout}\nstderr:\n{r.stderr}"
    for t in texts:
        assert t in out, f"missing {t!r} in {stream}:\n{out}"


def error_line(r, *texts):
    """A bad input: exit 2, nothing on stdout, one line on stderr starting 'entropic: '."""
    expect(r, 2, *texts, stream="stderr")
    assert r.stdout == "", r.stdout
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("entropic: "), r.stderr


def verify_report(*extra):
    return output_of("verify", "T5", "N1", "--cases", "5", "--format", "json", *extra)


def claim(report, cid):
    (c,) = [c for c in report["claims"] if c["id"] == cid]
    return c


def changes(r):
    return json.loads(r.stdout)["changes"]


def find(chs, kind, claim_id, part):
    found = [c for c in chs if c["kind"] == kind and c["claim"] == claim_id and c["part"] == part]
    assert len(found) == 1, (kind, claim_id, part, chs)
    return found[0]


if case == "identical":
    base = write("base.json", verify_report())
    expect(diff(base, base), 0, "no regression: the two outputs agree")
    r = diff(base, base, "json")
    expect(r, 0)
    j = json.loads(r.stdout)
    assert j["changes"] == [] and j["regressed"] is False and j["comparable"] is True, j
    expect(diff(base, base, "markdown"), 0, "## entropic diff: verify", "**Verdict:** no regression")

elif case == "changed_report":
    report = verify_report()
    new = copy.deepcopy(report)
    t5, n1 = claim(new, "T5"), claim(new, "N1")
    # A mutant that was falsified now survives.
    mutant = t5["mutants"][0]
    assert mutant["status"] == "falsified", mutant
    mutant.update(status="verified", held=mutant["instances"], violated=0)
    mutant.pop("counterexample")
    t5["as_expected"] = False
    new["all_as_expected"] = False
    # An exact residual of a positive claim's part changed.
    part = next(p for p in t5["parts"] if p["evidence"] == "exact")
    base_residual = part["residual"]
    part["residual"] = "1/3"
    # A negative control's counterexample changed, still falsified.
    control = next(p for p in n1["parts"] if "counterexample" in p)
    old_residual = control["counterexample"]["residual"]
    control["counterexample"]["residual"] = "12345/678"
    # Timings are ignored.
    new["seconds"] = report["seconds"] + 100
    base, altered = write("base.json", report), write("new.json", new)

    r = diff(base, altered)
    expect(r, 1,
           f"T5 mutant {mutant['id']}: the mutant survives now: falsified -> verified",
           f"T5 part {part['id']}: exact residual changed: {base_residual} -> 1/3",
           f"N1 part {control['id']}: counterexample changed (still falsified)",
           f"residual: {old_residual} -> 12345/678",
           "T5: no longer as expected",
           "REGRESSED: 3 regressions in T5; 2 other changes")
    assert r.stdout.rstrip().splitlines()[-1].startswith("REGRESSED"), r.stdout
    assert "seconds" not in r.stdout, r.stdout

    r = diff(base, altered, "json")
    expect(r, 1)
    chs = changes(r)
    assert find(chs, "mutant-survives", "T5", mutant["id"])["regression"] is True
    res = find(chs, "residual", "T5", part["id"])
    assert res["regression"] is True and res["new"] == "1/3", res
    cx = find(chs, "counterexample-changed", "N1", control["id"])
    assert cx["regression"] is False and cx["new"]["residual"] == "12345/678", cx
    assert find(chs, "as-expected", "T5", None)["regression"] is True
    assert sum(c["regression"] for c in chs) == json.loads(r.stdout)["regressions"] == 3, chs
    for c in chs:
        for key in ("kind", "claim", "part", "old", "new", "regression"):
            assert key in c, (key, c)

    r = diff(base, altered, "markdown")
    expect(r, 1, "## entropic diff: verify — 3 regressions",
           "| | claim | part or mutant | change | old | new |",
           f"| **regression** | T5 | `{mutant['id']}` (mutant) | the mutant survives now | `falsified` | `verified` |",
           f"| change | N1 | `{control['id']}` | counterexample changed (still falsified) |",
           "**Verdict:** REGRESSED")

    # A claim removed is a regression; a claim added (as expected) is not.
    only_t5 = copy.deepcopy(report)
    only_t5["claims"] = [claim(report, "T5")]
    t5_path = write("t5.json", only_t5)
    expect(diff(base, t5_path), 1, "REGRESSION N1: claim removed")
    expect(diff(t5_path, base), 0, "change     N1: new claim, as expected", "no regression: 1 change")

elif case == "verify_schema_2":
    # The top-level fields of schema entropic.verify/2: a seed as a string, the version and commit,
    # and fields this version does not know.
    report = verify_report()
    new = copy.deepcopy(report)
    new.update(schema="entropic.verify/2", entropic_version="9.9.9", commit="abc1234",
               seed=str(report["seed"]), shards={"of": 1}, campaign=[1, 2])
    old = copy.deepcopy(report)
    old.update(entropic_version="0.2.0", commit=None)
    base, latest = write("base.json", old), write("new.json", new)
    expect(diff(base, latest), 0, "entropic 0.2.0", "entropic 9.9.9, commit abc1234",
           "no regression: the two outputs agree")
    r = diff(base, latest, "markdown")
    expect(r, 0, "| entropic | `0.2.0` | `9.9.9` |", "| commit |  | `abc1234` |")
    assert "not strictly comparable" not in r.stdout, r.stdout

elif case == "seeds_differ":
    base = write("base.json", verify_report())
    other = write("seed2.json", verify_report("--seed", "2"))
    r = diff(base, other)
    assert r.returncode in (0, 1), (r.returncode, r.stderr)
    expect(r, r.returncode, "note: seeds differ (base 1, new 2): the reports are not strictly comparable")
    # Still diffed: every replay string carries the seed, so the counterexamples changed.
    assert "counterexample changed" in r.stdout, r.stdout
    r = diff(base, other, "json")
    assert json.loads(r.stdout)["comparable"] is False

elif case == "expand_changed":
    out = output_of("expand", scenario, "--order", "2", "--format", "json")
    base = write("base.json", out)
    expect(diff(base, base), 0, "no regression")
    changed = copy.deepcopy(out)
    (step,) = [s for s in changed["steps"] if s["t"] == 2]
    assert step["params"]["W1"][0][0][2] == "-1/16", step
    step["params"]["W1"][0][0][2] = "-1/17"
    r = diff(base, write("new.json", changed))
    expect(r, 1, "REGRESSION t = 2, W1[0][0], eta^2: value changed: -1/16 -> -1/17", "REGRESSED: 1 regression")
    r = diff(base, write("new.json", changed), "json")
    (c,) = changes(r)
    assert (c["t"], c["param"], c["index"], c["eta_order"], c["old"], c["new"], c["regression"]) == \
        (2, "W1", [0, 0], 2, "-1/16", "-1/17", True), c
    # Many changed values: the first few are shown, all are counted.
    every = copy.deepcopy(out)
    for s in every["steps"]:
        for rows in s["params"].values():
            for row in rows:
                for cell in row:
                    cell[:] = [v + "0" for v in cell]
    total = sum(len(cell) for s in out["steps"] for rows in s["params"].values() for row in rows for cell in row)
    assert total > 10, total
    r = diff(base, write("every.json", every))
    expect(r, 1, f"{total - 10} more regressions not shown", f"REGRESSED: {total} regressions")
    assert r.stdout.count("value changed") == 10, r.stdout
    # A lower order removes coefficients: a regression.
    lower = write("lower.json", output_of("expand", scenario, "--order", "1", "--format", "json"))
    expect(diff(base, lower), 1, "orders differ (base 2, new 1)", "lower order: 2 -> 1")

elif case == "simulate_changed":
    out = output_of("simulate", scenario, "--format", "json")
    base = write("base.json", out)
    expect(diff(base, base), 0, "no regression")
    changed = copy.deepcopy(out)
    old_loss = changed["steps"][1]["loss"]
    changed["steps"][1]["loss"] = "7/3"
    changed["steps"].pop()
    r = diff(base, write("new.json", changed))
    last = out["steps"][-1]["t"]
    expect(r, 1, f"REGRESSION t = 1, loss: value changed: {old_loss} -> 7/3",
           f"REGRESSION t = {last}: step removed", "REGRESSED: 2 regressions")

elif case == "mismatched_kinds":
    report = write("verify.json", verify_report())
    expansion = write("expand.json", output_of("expand", scenario, "--order", "2", "--format", "json"))
    simulation = write("simulate.json", output_of("simulate", scenario, "--format", "json"))
    error_line(diff(report, expansion), "cannot compare", "verify.json, a verify report",
               "expand.json, an expansion")
    error_line(diff(expansion, simulation), "expand.json, an expansion", "simulate.json, a simulation")

elif case == "malformed_json":
    report = write("verify.json", verify_report())
    with open(report) as f:
        truncated = write("truncated.json", f.read()[:200])
    error_line(diff(report, truncated), "truncated.json: not valid JSON: parse error")
    error_line(diff(os.path.join(work, "missing.json"), report), "missing.json: not a readable file")
    error_line(diff(write("list.json", "[1, 2]"), report), "list.json: not a JSON object")
    error_line(diff(write("other.json", {"hello": 1}), report), "other.json: not an output of entropic")

elif case == "malformed_report":
    report = verify_report()
    broken = copy.deepcopy(report)
    del claim(broken, "N1")["status"]
    n1 = [c["id"] for c in report["claims"]].index("N1")
    error_line(diff(write("base.json", report), write("broken.json", broken)),
               f"broken.json: claims[{n1}] (N1): missing field \"status\"")
    broken = copy.deepcopy(report)
    claim(broken, "T5")["mutants"][0]["counterexample"] = "none"
    t5 = [c["id"] for c in report["claims"]].index("T5")
    error_line(diff(write("broken.json", broken), write("base.json", report)),
               f"broken.json: claims[{t5}] (T5).mutants[0].counterexample: expected an object")
    broken = copy.deepcopy(report)
    broken["seed"] = [1]
    error_line(diff(write("base.json", report), write("broken.json", broken)),
               "broken.json: seed: expected an integer or a string")
    out = output_of("expand", scenario, "--order", "2", "--format", "json")
    out["steps"][0]["params"]["W1"][0][0][1] = 0.5
    error_line(diff(write("e.json", out), write("e.json", out)),
               "e.json: steps[0].params.W1[0][0][1]: expected an exact value as a string")

else:
    sys.exit(f"unknown case {case}")

print(f"diff {case}: ok")
