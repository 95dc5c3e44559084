#!/usr/bin/env python3
"""
voting-reference.py -- random ranked profiles as PrefLib files, with pref_voting's outcomes.

Writes testdata/preflib/generated/gen-NN.{soc,soi,toc,toi} (impartial culture mostly, with urn and
Mallows profiles for structure; some truncated, some with ties, 3-12 alternatives, 5 to a few
thousand voters) and then runs the shared reference tool on them:

    ../shared/reference/tools/voting_reference.py  (pref_voting 1.18.2; see VOTING.md)

which writes testdata/preflib/generated/expected.jsonl. The Rust tests read both and need no
Python. Run from the repository root:

    PY=/root/.cache/plenum-ref-venv/bin/python   # or: $(../shared/reference/tools/setup-venv.sh)
    nice -n 10 "$PY" scripts/voting-reference.py

The profiles depend only on the seeds below, so running it again gives the same files.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys

from prefsampling.ordinal import impartial, mallows, urn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "testdata", "preflib", "generated")
# The shared folder sits beside the repository (or beside the folder of git worktrees).
TOOL = next(
    (t for t in (os.path.join(ROOT, *up, "shared", "reference", "tools", "voting_reference.py")
                 for up in ([".."], ["..", ".."])) if os.path.exists(t)),
    None,
)

# (alternatives, voters, culture, truncate, ties): impartial culture unless said otherwise.
PLAN = [
    (3, 5, "ic", False, False),
    (3, 12, "ic", False, False),
    (3, 1000, "ic", False, False),
    (4, 7, "ic", False, False),
    (4, 300, "ic", True, False),
    (4, 2000, "ic", False, False),
    (5, 9, "ic", False, False),
    (5, 60, "ic", True, False),
    (5, 3000, "ic", True, False),
    (5, 40, "ic", False, True),
    (6, 11, "ic", False, False),
    (6, 500, "ic", True, True),
    (6, 1500, "urn", False, False),
    (7, 25, "ic", True, False),
    (7, 800, "mallows", True, False),
    (7, 2500, "ic", False, False),
    (8, 15, "ic", False, False),
    (8, 200, "ic", True, True),
    (8, 4000, "ic", False, False),
    (9, 100, "urn", True, False),
    (9, 1000, "ic", True, False),
    (10, 20, "ic", False, True),
    (10, 700, "mallows", False, False),
    (10, 3000, "ic", True, False),
    (11, 50, "ic", True, True),
    (11, 1200, "ic", False, False),
    (12, 30, "urn", True, False),
    (12, 600, "ic", True, True),
    (12, 2000, "ic", False, False),
    (12, 5000, "mallows", True, False),
]


def orders(m, n, culture, seed):
    if culture == "ic":
        return impartial(n, m, seed=seed)
    if culture == "urn":
        return urn(n, m, alpha=0.1, seed=seed)
    if culture == "mallows":
        return mallows(n, m, phi=0.7, seed=seed)
    raise ValueError(culture)


def ballots(m, n, culture, truncate, ties, seed):
    """Each ballot as a tuple of groups (tuples of 1-based alternatives), most preferred first."""
    rng = random.Random(seed)
    out = []
    for order in orders(m, n, culture, seed):
        alts = [int(a) + 1 for a in order]
        if truncate and rng.random() < 0.6:
            alts = alts[: rng.randint(1, m - 1)]
        groups = []
        for a in alts:
            if ties and groups and rng.random() < 0.3:
                groups[-1].append(a)
            else:
                groups.append([a])
        out.append(tuple(tuple(g) for g in groups))
    return out


def write(path, title, m, data):
    counts = {}
    for b in data:
        counts[b] = counts.get(b, 0) + 1
    ext = path.rsplit(".", 1)[1]
    with open(path, "w", encoding="utf-8") as fh:
        name = os.path.basename(path)
        fh.write(f"# FILE NAME: {name}\n# TITLE: {title}\n# DESCRIPTION: \n# DATA TYPE: {ext}\n")
        fh.write("# MODIFICATION TYPE: synthetic\n# RELATES TO: \n# RELATED FILES: \n")
        fh.write(f"# NUMBER ALTERNATIVES: {m}\n# NUMBER VOTERS: {len(data)}\n")
        fh.write(f"# NUMBER UNIQUE ORDERS: {len(counts)}\n")
        for a in range(1, m + 1):
            fh.write(f"# ALTERNATIVE NAME {a}: Alternative {a}\n")
        # Most frequent first, as PrefLib orders its files.
        for b, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
            cells = [str(g[0]) if len(g) == 1 else "{" + ",".join(map(str, g)) + "}" for g in b]
            fh.write(f"{c}: {','.join(cells)}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    paths = []
    for i, (m, n, culture, truncate, ties) in enumerate(PLAN, start=1):
        ext = ("t" if ties else "s") + "o" + ("i" if truncate else "c")
        path = os.path.join(OUT, f"gen-{i:02}.{ext}")
        title = f"{culture} {m} alternatives {n} voters" + (" truncated" if truncate else "") + (
            " with ties" if ties else "")
        write(path, title, m, ballots(m, n, culture, truncate, ties, seed=1000 + i))
        paths.append(path)
    if TOOL is None:
        sys.exit("shared/reference/tools/voting_reference.py not found beside the repository")
    expected = os.path.join(OUT, "expected.jsonl")
    if os.path.exists(expected):
        os.remove(expected)
    methods = ",".join([
        "plurality", "plurality~ignoring_overvotes", "instant_runoff", "instant_runoff_tb",
        "instant_runoff_put", "schulze", "schulze~incomparable", "ranked_pairs", "ranked_pairs~incomparable",
        "ranked_pairs_tb",
        "copeland", "copeland~incomparable", "borda",
    ])
    subprocess.run([sys.executable, TOOL, *paths, "--timeout", "60", "--methods", methods, "--out", expected],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"wrote {len(paths)} profiles and {expected}")


if __name__ == "__main__":
    main()
