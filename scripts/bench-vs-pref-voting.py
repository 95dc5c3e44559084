#!/usr/bin/env python3
"""Per profile and per method: pref_voting 1.18.2 against `plenum vote tally`, on the same files,
on the same machine, in the same run, reading the file included on both sides.

Usage (from the repository root, with the reference venv that has pref_voting 1.18.2):

    PY=$(../shared/reference/tools/setup-venv.sh)
    cargo build --release
    target/release/plenum vote bench --write /tmp/ic --repeat 1        # writes ic-{5,10,20}-1000000.soc
    $PY scripts/bench-vs-pref-voting.py target/release/plenum /tmp/ic/*.soc [--timeout 600]

pref_voting's time is ../shared/reference/tools/voting_reference.py's `seconds_with_build` (file
parse + profile construction, which tallies the pairwise supports, + the method); Plenum's is the
`seconds` of `plenum vote bench FILE --format json` (reading the file and counting), fastest of
`--repeat` runs (default 5) in one process. A method that runs past `--timeout` in pref_voting is reported as
"> timeout", and its ratio as a lower bound. Exits non-zero if a winner differs where both are
resolute.
"""
import argparse, json, os, subprocess, sys, tempfile

# Plenum method -> (pref_voting name in voting_reference.py, seats or None)
METHODS = [
    ("plurality", "plurality"),
    ("irv", "instant_runoff_tb"),
    ("schulze", "schulze"),
    ("ranked-pairs", "ranked_pairs_tb"),
    ("copeland", "copeland"),
    ("borda", "borda"),
    ("stv", "stv_meek"),
    ("stv-wigm", "stv_wig"),
    ("stv-scottish", "stv_scottish"),
]


def plenum(binary, path, method, seats, repeat):
    args = [binary, "vote", "bench", path, "--format", "json", "--repeat", str(repeat), "--seats", str(seats)]
    if method.startswith("stv"):
        rule = method.split("-", 1)[1] if "-" in method else "meek"
        args += ["--methods", "stv", "--stv-rule", rule]
    else:
        args += ["--methods", method]
    return json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plenum")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--seats", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--methods", default=",".join(m for m, _ in METHODS))
    args = ap.parse_args()
    wanted = args.methods.split(",")
    here = os.path.dirname(os.path.abspath(__file__))
    reference = os.path.join(here, "..", "..", "shared", "reference", "tools", "voting_reference.py")
    differ = 0
    print("| profile | method | pref_voting s | plenum s | ratio | winners |")
    print("|---|---|---:|---:|---:|---|")
    for path in args.files:
        m = int(os.path.basename(path).split("-")[1])
        seats = min(args.seats, m // 2)
        theirs_names = [t for p, t in METHODS if p in wanted]
        with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as tmp:
            cmd = [sys.executable, reference, path, "--fresh", "--timeout", str(args.timeout), "--out", tmp.name,
                   "--methods", ",".join(theirs_names)]
            if any(p.startswith("stv") for p in wanted):
                cmd += ["--stv", "--stv-seats", str(seats)]
            subprocess.run(cmd, capture_output=True, text=True)
            records = {r["method"]: r for r in map(json.loads, filter(str.strip, open(tmp.name)))}
        for ours_name, theirs_name in METHODS:
            if ours_name not in wanted:
                continue
            key = f"{theirs_name}[{seats}]" if ours_name.startswith("stv") else theirs_name
            ref = records.get(key)
            mine = plenum(args.plenum, path, ours_name, seats, args.repeat)
            if ref is None:
                print(f"| {os.path.basename(path)} | {ours_name} | (not run) | {mine['seconds']:.3f} | | |")
                continue
            ours_winners = sorted(int(w) for w in mine["winners"])
            if ref["status"] == "ok":
                t = ref.get("seconds_with_build", ref["seconds"])
                same = ref["winners"] == ours_winners or (len(ours_winners) == 1 and ours_winners[0] in ref["winners"])
                differ += not same
                print(f"| {os.path.basename(path)} | {ours_name} | {t:.2f} | {mine['seconds']:.4f} | {t / max(mine['seconds'], 1e-9):.0f}x | "
                      f"{'same' if same else 'DIFFER'} {ours_winners} |")
            else:
                print(f"| {os.path.basename(path)} | {ours_name} | > {args.timeout} ({ref['status']}) | {mine['seconds']:.4f} | "
                      f"> {args.timeout / max(mine['seconds'], 1e-9):.0f}x | {ours_winners} |")
            sys.stdout.flush()
    sys.exit(1 if differ else 0)


main()
