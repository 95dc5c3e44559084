//! Ranked single-winner methods against pref_voting 1.18.2, on real PrefLib elections
//! (`testdata/preflib`, outcomes from `../shared/reference/tools/voting_reference.py`) and on
//! generated profiles (`testdata/preflib/generated`, made by `scripts/voting-reference.py`).
//!
//! pref_voting's methods are irresolute; ours break every tie with a [`TieOrder`] and report it.
//! So: where a method reports a tie for the win, the tied set must equal pref_voting's winners,
//! and otherwise our single winner must be pref_voting's only winner. Ranked Pairs with the
//! default order must equal `ranked_pairs_tb` and lie in `ranked_pairs`' set; IRV with the
//! reverse order must equal `instant_runoff_tb` exactly (pref_voting eliminates the first of its
//! tie-breaker, we the last of ours), equal `instant_runoff` when no elimination was a tie, and
//! lie in `instant_runoff_put` under either order. Records with status timeout or error are
//! counted and skipped.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plenum_choice::vote::{
    Outcome, Pairwise, Rankings, TieBreak, TieOrder, Unranked, borda, copeland_from, irv, plurality, preflib, ranked_pairs_from,
    schulze_from,
};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/preflib")
}

/// A PrefLib ordinal file (`.soc`, `.soi`, `.toc`, `.toi`) as rankings.
fn read(path: &Path) -> Rankings {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    preflib::read(name, &bytes).unwrap().rankings
}

/// One-based winners as pref_voting reports them: the tie for the win if one was reported,
/// else the single winner.
fn winner_set(o: &Outcome) -> Vec<usize> {
    let mut set = match o.ties.first() {
        Some(t) if Some(&t.chosen) == o.winners.first() && t.round.is_none() => t.tied.clone(),
        _ => o.winners.clone(),
    };
    set.sort_unstable();
    set.iter().map(|a| a + 1).collect()
}

fn winner(o: &Outcome) -> usize {
    o.winners[0] + 1
}

#[derive(Debug, Default)]
struct Tally {
    compared: usize,
    equal: usize,
    /// pref_voting timed out or refused the profile.
    skipped: usize,
    /// IRV records not comparable with pref_voting's `instant_runoff` (an elimination was a tie).
    not_comparable: usize,
    differences: Vec<String>,
}

impl Tally {
    fn check(&mut self, file: &str, method: &str, ok: bool, ours: impl std::fmt::Debug, theirs: &[usize]) {
        self.compared += 1;
        if ok {
            self.equal += 1;
        } else {
            self.differences.push(format!("{file} {method}: ours {ours:?}, pref_voting {theirs:?}"));
        }
    }
}

/// Compares every record of `dir/expected.jsonl` with our methods; per-method tallies.
fn compare(dir: &Path) -> BTreeMap<String, Tally> {
    let expected = std::fs::read_to_string(dir.join("expected.jsonl")).unwrap();
    let mut by_file: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = record["file"].as_str().unwrap().to_owned();
        by_file.entry(file).or_default().push(record);
    }
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for (file, records) in &by_file {
        let rankings = read(&dir.join(file));
        let m = rankings.alternatives();
        let order = TieOrder::new(&TieBreak::AlternativeOrder, m);
        let reverse = TieOrder::new(&TieBreak::Priority((0..m).rev().collect()), m);
        let last = Pairwise::count(&rankings, Unranked::Last);
        let no_opinion = Pairwise::count(&rankings, Unranked::NoOpinion);
        let irv_default = irv(&rankings, 1, &order);
        let irv_reverse = irv(&rankings, 1, &reverse);
        for record in records {
            let method = record["method"].as_str().unwrap();
            if method == "_load" || method.starts_with("stv_") || method == "ranked_pairs_zt" {
                continue;
            }
            let tally = tallies.entry(method.to_owned()).or_default();
            if record["status"] != "ok" {
                tally.skipped += 1;
                continue;
            }
            let theirs: Vec<usize> = record["winners"].as_array().unwrap().iter().map(|w| w.as_u64().unwrap() as usize).collect();
            let set = |o: Outcome| winner_set(&o);
            match method {
                "plurality" | "plurality~ignoring_overvotes" => {
                    let ours = set(plurality(&rankings, 1, &order));
                    tally.check(file, method, ours == theirs, ours, &theirs);
                }
                "borda" => {
                    let ours = set(borda(&rankings, 1, &order));
                    tally.check(file, method, ours == theirs, ours, &theirs);
                }
                "schulze" | "schulze~incomparable" | "copeland" | "copeland~incomparable" => {
                    let pairwise = if method.ends_with("~incomparable") { &no_opinion } else { &last };
                    let o = if method.starts_with("schulze") {
                        schulze_from(pairwise.clone(), 1, &order)
                    } else {
                        copeland_from(pairwise.clone(), 1, &order)
                    };
                    let ours = set(o);
                    tally.check(file, method, ours == theirs, ours, &theirs);
                }
                "ranked_pairs_tb" => {
                    let ours = winner(&ranked_pairs_from(last.clone(), 1, &order));
                    tally.check(file, method, [ours] == theirs[..], ours, &theirs);
                }
                "ranked_pairs" | "ranked_pairs~incomparable" => {
                    let pairwise = if method == "ranked_pairs" { &last } else { &no_opinion };
                    let ours = winner(&ranked_pairs_from(pairwise.clone(), 1, &order));
                    tally.check(file, method, theirs.contains(&ours), ours, &theirs);
                }
                "instant_runoff" => {
                    if irv_default.ties.is_empty() {
                        let ours = winner(&irv_default);
                        tally.check(file, method, [ours] == theirs[..], ours, &theirs);
                    } else {
                        tally.not_comparable += 1;
                    }
                }
                "instant_runoff_tb" => {
                    let ours = winner(&irv_reverse);
                    tally.check(file, method, [ours] == theirs[..], ours, &theirs);
                }
                "instant_runoff_put" => {
                    let ours = (winner(&irv_default), winner(&irv_reverse));
                    tally.check(file, method, theirs.contains(&ours.0) && theirs.contains(&ours.1), ours, &theirs);
                }
                other => panic!("unknown method {other} in expected.jsonl"),
            }
        }
    }
    tallies
}

/// Prints the tallies (`cargo test -- --nocapture` shows them) and fails on any difference.
fn report(name: &str, tallies: &BTreeMap<String, Tally>) -> (usize, usize, usize) {
    let (mut compared, mut equal, mut skipped) = (0, 0, 0);
    println!("{name}: method, compared, equal, skipped, not comparable");
    for (method, t) in tallies {
        println!("  {method:32} {:4} {:4} {:4} {:4}", t.compared, t.equal, t.skipped, t.not_comparable);
        compared += t.compared;
        equal += t.equal;
        skipped += t.skipped;
    }
    println!("  total: {compared} compared, {equal} equal, {skipped} skipped");
    let differences: Vec<&String> = tallies.values().flat_map(|t| &t.differences).collect();
    assert!(differences.is_empty(), "{} differences from pref_voting:\n{differences:#?}", differences.len());
    (compared, equal, skipped)
}

#[test]
fn ranked_methods_agree_with_pref_voting_on_real_preflib_elections() {
    let (compared, equal, skipped) = report("PrefLib", &compare(&testdata()));
    assert_eq!(compared, equal);
    assert_eq!((compared, skipped), (510, 17), "records compared and skipped");
}

#[test]
fn ranked_methods_agree_with_pref_voting_on_generated_profiles() {
    let (compared, equal, skipped) = report("generated", &compare(&testdata().join("generated")));
    assert_eq!(compared, equal);
    assert_eq!((compared, skipped), (310, 13), "records compared and skipped");
}

#[test]
fn ers_set_19_ends_irv_in_a_tie_that_the_order_breaks() {
    let rankings = read(&testdata().join("00007-00000019.soi"));
    let m = rankings.alternatives();
    // pref_voting: instant_runoff [2, 4], instant_runoff_tb [4] (it eliminates 2, first in its order).
    let by_default = irv(&rankings, 1, &TieOrder::new(&TieBreak::AlternativeOrder, m));
    let last_tie = by_default.ties.last().unwrap();
    assert_eq!(last_tie.tied, vec![1, 3]);
    assert_eq!((last_tie.chosen, by_default.winners.clone()), (3, vec![1]));
    let reverse = TieOrder::new(&TieBreak::Priority((0..m).rev().collect()), m);
    assert_eq!(irv(&rankings, 1, &reverse).winners, vec![3]);
}
