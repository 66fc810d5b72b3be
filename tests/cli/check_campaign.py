"""Campaigns as CI runs them: worker processes, shards and their merge, JUnit, counterexample files,
progress. Each check runs real `entropic` commands and fails with what differed.

usage: check_campaign.py ENTROPIC CHECK WORKDIR
  jobs             verify --jobs 2 gives the reports of --jobs 1 (JSON, text, markdown, junit) apart from timings
  shards           verify --shard K/3 for K = 1..3, merged, is the unsharded report (every format); bad merges exit 2
  junit            verify --format junit reads back as JUnit (junitparser when installed, else ElementTree):
                   a testsuite per claim, a testcase per part and mutant; a surviving mutant is a failure
                   carrying its replay string
  counterexamples  verify --counterexamples DIR writes replay and scenario files that replay and simulate run
  progress         --progress reports parts and cases on standard error; --quiet and a non-terminal say nothing
"""
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

entropic, check, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
CLAIMS = ["T5", "N1", "T9", "E6"]
BASE = ["--cases", "6", "--seed", "18446744073709551615"]


def run(*args, code=None):
    r = subprocess.run([entropic, *args], capture_output=True, text=True)
    if code is not None and r.returncode != code:
        sys.exit(f"`entropic {' '.join(args)}` exited {r.returncode}, expected {code}\n{r.stderr}")
    return r


def without_timing(text, fmt):
    if fmt == "json":
        j = json.loads(text)
        j.pop("seconds", None)
        return j
    if fmt == "junit":
        return re.sub(r' time="[0-9.]+"', "", text)
    return re.sub(r", [0-9.]+ s\)$", ")", text, flags=re.M)


def same(a, b, what):
    if a != b:
        if isinstance(a, str):
            for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines()), 1):
                if x != y:
                    sys.exit(f"{what}: line {n} differs:\n  {x}\n  {y}")
        sys.exit(f"{what}: the reports differ")


if check == "jobs":
    for fmt in ("json", "text", "markdown", "junit"):
        one = run("verify", *CLAIMS, *BASE, "--format", fmt, "--jobs", "1", code=0).stdout
        two = run("verify", *CLAIMS, *BASE, "--format", fmt, "--jobs", "2", code=0).stdout
        same(without_timing(one, fmt), without_timing(two, fmt), f"--jobs 2 against --jobs 1 ({fmt})")
    print("--jobs 2 reports equal --jobs 1 in json, text, markdown and junit")

elif check == "shards":
    whole = {fmt: run("verify", *CLAIMS, *BASE, "--format", fmt, code=0).stdout for fmt in ("json", "text", "markdown", "junit")}
    paths = []
    for k in (1, 2, 3):
        p = os.path.join(work, f"shard-{k}.json")
        # a shard's own exit code says whether its parts behaved; every shard here does
        run("verify", *CLAIMS, *BASE, "--shard", f"{k}/3", "--format", "json", "--output", p, code=0)
        paths.append(p)
    for fmt, text in whole.items():
        merged = run("merge", *reversed(paths), "--format", fmt, code=0).stdout
        same(without_timing(text, fmt), without_timing(merged, fmt), f"3 shards merged against the whole run ({fmt})")
    # Not one campaign: a shard missing, given twice, or of another seed.
    r = run("merge", paths[0], paths[1], code=2)
    assert "shards missing: 3/3" in r.stderr, r.stderr
    r = run("merge", paths[0], paths[0], paths[1], code=2)
    assert "given twice" in r.stderr, r.stderr
    other = os.path.join(work, "other-seed.json")
    run("verify", *CLAIMS, "--cases", "6", "--seed", "2", "--shard", "3/3", "--format", "json", "--output", other, code=0)
    r = run("merge", paths[0], paths[1], other, code=2)
    assert "seeds differ" in r.stderr, r.stderr
    # ... or of another size profile (N1 at --profile large is cheap: one case a part).
    standard = os.path.join(work, "n1-standard.json")
    large = os.path.join(work, "n1-large.json")
    run("verify", "N1", "--cases", "1", "--shard", "1/2", "--format", "json", "--output", standard, code=0)
    run("verify", "N1", "--cases", "1", "--shard", "2/2", "--profile", "large", "--format", "json", "--output", large,
        code=0)
    r = run("merge", standard, large, code=2)
    assert "size profiles differ" in r.stderr, r.stderr
    r = run("merge", os.path.join(work, "no-such.json"), code=2)
    print("3 shards merged equal the unsharded run in json, text, markdown and junit; bad merges exit 2")

elif check == "junit":
    report = json.loads(run("verify", *CLAIMS, *BASE, "--format", "json", code=0).stdout)
    path = os.path.join(work, "verify.xml")
    run("verify", *CLAIMS, *BASE, "--format", "junit", "--output", path, code=0)

    def read(path):
        """[(suite name, [(case name, failure text or None)])] by a JUnit reader."""
        try:
            import junitparser
        except ImportError:
            junitparser = None
        suites = []
        if junitparser:
            xml = junitparser.JUnitXml.fromfile(path)
            for suite in xml:
                cases = []
                for case in suite:
                    failures = [r for r in case.result if isinstance(r, junitparser.Failure)]
                    cases.append((case.name, failures[0].text if failures else None))
                suites.append((suite.name, cases))
            return suites, "junitparser"
        root = ET.parse(path).getroot()
        assert root.tag == "testsuites", root.tag
        for suite in root.findall("testsuite"):
            cases = []
            for case in suite.findall("testcase"):
                assert case.get("classname") and case.get("name"), case.attrib
                f = case.find("failure")
                cases.append((case.get("name"), f.text if f is not None else None))
            assert int(suite.get("tests")) == len(cases), suite.attrib
            suites.append((suite.get("name"), cases))
        return suites, "ElementTree"

    suites, reader = read(path)
    assert len(suites) == len(report["claims"]), (len(suites), len(report["claims"]))
    for (name, cases), claim in zip(suites, report["claims"]):
        assert name.startswith(claim["id"] + " "), (name, claim["id"])
        assert len(cases) == len(claim["parts"]) + len(claim["mutants"]), (name, len(cases))
        assert all(f is None for _, f in cases), f"{name}: a testcase failed in a run that is as expected"
    # A mutant that survives is a failing testcase with its part's counterexample text: tamper with a
    # one-shard campaign (merge reads it back through the same report code).
    shard = os.path.join(work, "shard.json")
    run("verify", *CLAIMS, *BASE, "--shard", "1/1", "--format", "json", "--output", shard, code=0)
    j = json.load(open(shard))
    m = j["claims"][0]["mutants"][0]
    m.pop("counterexample"), m.pop("first_violation", None)
    m.update(status="verified", violated=0, held=m["instances"] or 1, instances=m["instances"] or 1, evidence="exact")
    n1 = next(c for c in j["claims"] if c["id"] == "N1")
    json.dump(j, open(shard, "w"))
    tampered = os.path.join(work, "tampered.xml")
    run("merge", shard, "--format", "junit", "--output", tampered, code=1)
    suites, _ = read(tampered)
    failed = [(s, c, f) for s, cases in suites for c, f in cases if f is not None]
    assert len(failed) == 1 and failed[0][1].startswith("mutant " + m["id"]), failed
    # a negative control's counterexample (a passing testcase) and its replay string are in the file
    replay = n1["parts"][0]["counterexample"]["replay"]
    assert replay in open(tampered).read(), replay
    print(f"JUnit read back by {reader}: {len(suites)} suites, {sum(len(c) for _, c in suites)} testcases; "
          f"a surviving mutant is the one failure")

elif check == "counterexamples":
    out = os.path.join(work, "cx")
    run("verify", "N1", "T5", "--cases", "6", "--counterexamples", out, "--format", "json", code=0)
    files = sorted(os.listdir(out))
    replays = [f for f in files if f.endswith(".replay")]
    scenarios = [f for f in files if f.endswith(".scenario.json")]
    assert "N1.rescaling.replay" in replays and "N1.rescaling.scenario.json" in scenarios, files
    assert any(f.startswith("T5.") and f.count(".") >= 3 for f in replays), f"no mutant counterexample of T5: {files}"
    for f in replays:
        key = [l for l in open(os.path.join(out, f)).read().splitlines() if l and not l.startswith("#")]
        assert len(key) == 1, (f, key)
        r = run("replay", key[0], code=0)
        assert ": violated" in r.stdout, (f, r.stdout)
    for f in scenarios:
        run("simulate", os.path.join(out, f), code=0)
        run("expand", os.path.join(out, f), "--order", "2", code=0)
    # the directory must be creatable before anything runs
    blocker = os.path.join(work, "file")
    open(blocker, "w").close()
    r = run("verify", "N1", "--cases", "2", "--counterexamples", os.path.join(blocker, "sub"), code=2)
    print(f"{len(replays)} replay files replayed as violated, {len(scenarios)} scenario files simulated and expanded")

elif check == "progress":
    r = run("verify", "T9", "N1", "--cases", "4", "--progress", "--format", "json", code=0)
    lines = r.stderr.splitlines()
    assert any(re.match(r"\[\d+/\d+ parts\] T9\.[a-z0-9-]+ done; \d+ s elapsed", l) for l in lines), r.stderr
    assert re.search(r"^\[(\d+)/\1 parts\] N1\.", r.stderr, re.M), r.stderr  # the last part done
    r = run("verify", "T9", "--cases", "4", "--quiet", code=0)
    assert r.stderr == "", r.stderr
    r = run("verify", "T9", "--cases", "4", "--format", "json", code=0)  # standard error is not a terminal here
    assert r.stderr == "", r.stderr
    r = run("verify", "T9", "--progress", "--quiet", code=2)
    print("progress lines with --progress; nothing with --quiet or off a terminal")

else:
    sys.exit(f"unknown check {check}")
