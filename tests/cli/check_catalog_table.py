"""docs/catalog.md's table says of each claim what `entropic list` says: the same ids, and for each
the same provenance and kind (the claim file is the source; the page must not drift from it).

usage: check_catalog_table.py ENTROPIC CATALOG_MD
"""
import json
import re
import subprocess
import sys

entropic, page = sys.argv[1:3]
listed = {c["id"]: c for c in json.loads(subprocess.run([entropic, "list", "--format", "json"],
                                                        capture_output=True, text=True, check=True).stdout)}
rows = {}
with open(page) as f:
    for n, line in enumerate(f, 1):
        m = re.match(r"\| ([TENS]\d+) \| (.*?) \| (.*?) \| (.*?) \| (.*?) \| \[", line)
        if m:
            rows[m.group(1)] = (n, m.group(3), m.group(4))
problems = []
for cid, c in listed.items():
    if cid not in rows:
        problems.append(f"{cid}: in `entropic list`, not in the table of {page}")
        continue
    n, provenance, kind = rows[cid]
    if provenance != c["provenance"]:
        problems.append(f"{page}:{n}: {cid} provenance '{provenance}', the claim says '{c['provenance']}'")
    if kind != c["kind"]:
        problems.append(f"{page}:{n}: {cid} kind '{kind}', the claim says '{c['kind']}'")
for cid in rows:
    if cid not in listed:
        problems.append(f"{page}:{rows[cid][0]}: {cid} is not a claim of the catalog")
if problems:
    sys.exit("\n".join(problems))
print(f"{len(listed)} claims: provenance and kind agree with the claims")
