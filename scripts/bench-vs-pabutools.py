#!/usr/bin/env python3
"""Per file and per rule: pabutools 1.2.3 against `plenum pb tally`, on the same machine, in
the same run, parse included on both sides, and whether the outcomes are equal.

Usage (from the repository root, with the reference venv that has pabutools 1.2.3):

    PY=$(../shared/reference/tools/setup-venv.sh)
    cargo build --release
    $PY scripts/bench-vs-pabutools.py target/release/plenum testdata/pabulib/*.pb [--rules mes_cost,...]

pabutools' time for a file and rule is its parse time plus the rule's time on the multiprofile
(as ../shared/reference/tools/pb_reference.py measures them, in one Python process per file);
Plenum's is what `plenum pb bench --format json` reports: reading the file, merging ballots and
the rule, the fastest of `--repeat` runs (default 20) in one process, since a run of a few
microseconds is at the mercy of the first-run cache misses. Prints a table per rule with the smallest
ratio, and exits non-zero if any outcome differs.
"""
import argparse, json, os, subprocess, sys, tempfile

# The names `plenum pb bench` and pb_reference.py share.
RULES = ["greedy_cost", "greedy_card", "mes_cost", "mes_card", "phragmen", "mes_cost_add1", "mes_card_add1", "mes_cost_add1_greedy"]


def plenum_times(binary, path, rules, repeat):
    out = subprocess.run([binary, "pb", "bench", path, "--format", "json", "--repeat", str(repeat), "--rules", ",".join(rules)],
                         capture_output=True, text=True, check=True)
    return {(r := json.loads(line))["rule"]: (r["seconds"], r["selected"]) for line in out.stdout.splitlines() if line.strip()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plenum")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--rules", default=",".join(RULES))
    ap.add_argument("--rule-timeout", default="600")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    rules = args.rules.split(",")
    here = os.path.dirname(os.path.abspath(__file__))
    reference = os.path.join(here, "..", "..", "shared", "reference", "tools", "pb_reference.py")
    rows = {rule: [] for rule in rules}
    differ = 0
    for path in args.files:
        with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as tmp:
            subprocess.run([sys.executable, reference, path, "--rules", ",".join(rules), "--multiprofile",
                            "--rule-timeout", args.rule_timeout, "--out", tmp.name], capture_output=True, text=True)
            lines = [l for l in open(tmp.name) if l.strip()]
        if not lines:
            print(f"{path}: pabutools failed", file=sys.stderr)
            continue
        ref = json.loads(lines[-1])
        mine = plenum_times(args.plenum, path, [r for r in rules if ref.get(r) is not None], args.repeat)
        for rule in rules:
            if ref.get(rule) is None or rule not in mine:
                continue
            theirs = ref["parse_seconds"] + ref.get("multiprofile_seconds", 0) + ref["seconds"][rule]
            ours, selected = mine[rule]
            equal = sorted(selected) == sorted(ref[rule])
            differ += not equal
            rows[rule].append((os.path.basename(path), theirs, ours, equal))
        print(f"done {os.path.basename(path)}", file=sys.stderr)
    for rule in rules:
        if not rows[rule]:
            continue
        print(f"\n## {rule}\n")
        print("| file | pabutools s | plenum s | ratio | equal |")
        print("|---|---:|---:|---:|---|")
        for name, theirs, ours, equal in rows[rule]:
            print(f"| {name[:60]} | {theirs:.4f} | {ours:.5f} | {theirs / max(ours, 1e-9):.0f}x | {'yes' if equal else 'NO'} |")
        worst = min(rows[rule], key=lambda r: r[1] / max(r[2], 1e-9))
        total_theirs = sum(r[1] for r in rows[rule])
        total_ours = sum(r[2] for r in rows[rule])
        print(f"\nsmallest ratio {worst[1] / max(worst[2], 1e-9):.0f}x ({worst[0]}); "
              f"all files: pabutools {total_theirs:.2f} s, plenum {total_ours:.3f} s, ratio {total_theirs / max(total_ours, 1e-9):.0f}x")
    sys.exit(1 if differ else 0)


main()
