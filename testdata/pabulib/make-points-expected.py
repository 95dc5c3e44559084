#!/usr/bin/env python3
"""Outcomes of pabutools 1.2.3's Method of Equal Shares with points satisfaction
(Additive_Cardinal_Sat) on the cumulative files here, for tests/pb_reference.rs.

pabutools' own reference script (../shared/reference/tools/pb_reference.py) has no points rule,
so this one adds it, in the same record format. Run with the reference venv:

    PY=$(../shared/reference/tools/setup-venv.sh)   # pabutools==1.2.3
    cd testdata/pabulib && $PY make-points-expected.py *.pb large/*.pb

It writes expected-points.jsonl beside each file's folder (one line per cumulative file).
"""
import json, os, sys, time
from pabutools.election import parse_pabulib, Additive_Cardinal_Sat
from pabutools.rules import method_of_equal_shares

out = {}
for path in sys.argv[1:]:
    instance, profile = parse_pabulib(path)
    if instance.meta.get("vote_type") not in ("cumulative", "scoring"):
        continue
    prof = profile.as_multiprofile()
    record = {"file": os.path.basename(path)}
    for key, params in [("mes_points", {}), ("mes_points_add1", {"voter_budget_increment": 1})]:
        t = time.time()
        res = method_of_equal_shares(instance, prof, sat_class=Additive_Cardinal_Sat, **params)
        record[key] = [p.name for p in res]
        record.setdefault("pabutools_seconds", {})[key] = round(time.time() - t, 4)
    folder = os.path.dirname(path) or "."
    out.setdefault(folder, []).append(record)
    print(record["file"], {k: len(v) for k, v in record.items() if isinstance(v, list)}, file=sys.stderr)
for folder, records in out.items():
    with open(os.path.join(folder, "expected-points.jsonl"), "w") as f:
        for r in sorted(records, key=lambda r: r["file"]):
            f.write(json.dumps(r) + "\n")
