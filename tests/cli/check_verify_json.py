"""Checks `entropic verify --format json` against docs/cli.md, and that a falsified claim's replay
string reproduces its counterexample through `entropic replay`.

usage: check_verify_json.py ENTROPIC CLAIM EXPECTED_STATUS
"""
import json
import subprocess
import sys

entropic, claim, expected_status = sys.argv[1:4]
run = subprocess.run([entropic, "verify", claim, "--format", "json", "--cases", "50"],
                     capture_output=True, text=True)
report = json.loads(run.stdout)
for key in ("seed", "cases", "seconds", "all_as_expected", "claims"):
    assert key in report, f"missing top-level field {key}"
(c,) = report["claims"]
for key in ("id", "title", "provenance", "kind", "expected", "status", "as_expected", "instances",
            "arithmetic", "parts", "mutants"):
    assert key in c, f"missing field {key}"
assert c["id"] == claim, c["id"]
assert c["status"] == expected_status, (c["status"], expected_status)
assert c["expected"] == ("holds" if expected_status == "verified" else "fails")
assert c["as_expected"] is True and report["all_as_expected"] is True
assert run.returncode == 0, run.returncode
assert c["instances"] > 0 and c["arithmetic"]
for m in c["mutants"]:
    assert m["status"] == "falsified", m
for p in c["parts"] + c["mutants"]:
    assert p["id"] and p["name"], p
    assert ("/" in p["id"]) == (p in c["mutants"]), p["id"]
# Coverage (docs/cli.md): every part says what a degenerate instance is and counts its generated
# instances; a falsified mutant records the generated instance that first violated it.
for p in c["parts"]:
    cov = p["coverage"]
    assert cov["degeneracies"] or cov.get("excluded"), f"{p['id']}: degenerate instances not stated"
    assert p["degenerate"] == cov["degenerate"], p
    # A negative control's part may be falsified by a replayed past failure before any instance
    # is generated; otherwise every part counts the instances it generated.
    replayed = p.get("counterexample", {}).get("shrink_steps", 1) == 0 and "first_violation" not in p
    assert (0 if replayed else 1) <= cov["instances"] <= p["instances"], (cov["instances"], p["instances"])
    assert cov["degenerate"] <= cov["instances"]
    assert all(n <= cov["degenerate"] for n in cov["degenerate_by"].values()), cov
    for name, values in cov["features"].items():
        assert sum(values.values()) == cov["instances"], (name, values)
    assert cov["covers"] == (cov["degenerate"] <= 0.05 * cov["instances"]), cov
for m in c["mutants"]:
    assert "coverage" not in m, m["id"]
    if "first_violation" in m:
        assert 1 <= m["first_violation"] <= 50, m
    else:  # falsified by a replayed past failure, before any generated instance
        assert m["counterexample"]["shrink_steps"] == 0, m
if expected_status == "falsified":
    cx = c["counterexample"]
    for key in ("instance", "residual", "arithmetic", "evidence", "replay"):
        assert cx[key] != "", key
    assert cx["evidence"] in ("exact", "certified"), cx["evidence"]
    assert c["replay"] == cx["replay"]
    again = subprocess.run([entropic, "replay", cx["replay"], "--format", "json"],
                           capture_output=True, text=True, check=True)
    r = json.loads(again.stdout)
    assert r["outcome"] == "violated", r
    assert r["instance"] == cx["instance"] and r["residual"] == cx["residual"], (r, cx)
print(f"{claim}: {c['status']} as expected, {c['instances']} instances")
