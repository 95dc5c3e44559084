//! Outcomes on real Pabulib elections equal those of pabutools 1.2.3, project for project.
//!
//! `testdata/pabulib/expected.jsonl` (and `large/expected.jsonl`) hold pabutools' outcomes for
//! each file and rule, computed with `../shared/reference/tools/pb_reference.py`;
//! `expected-points.jsonl` adds Equal Shares with points satisfaction on the cumulative files. Selection order
//! is compared too for the rules whose order is meaningful (all but Phragmén, which pabutools
//! returns sorted).
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use std::path::{Path, PathBuf};

use plenum_choice::pb::ballots::Satisfaction;
use plenum_choice::pb::rules::{Completion, Count, Rule, RuleSpec, TieBreak};
use plenum_choice::pb::{Election, pabulib};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib")
}

fn spec_for(name: &str) -> RuleSpec {
    let (rule, satisfaction, completion) = match name {
        "greedy_cost" => (Rule::GreedyUtilitarian, Satisfaction::Cost, Completion::None),
        "greedy_card" => (Rule::GreedyUtilitarian, Satisfaction::Cardinality, Completion::None),
        "mes_cost" => (Rule::Mes, Satisfaction::Cost, Completion::None),
        "mes_card" => (Rule::Mes, Satisfaction::Cardinality, Completion::None),
        "mes_cost_add1" => (Rule::Mes, Satisfaction::Cost, Completion::Add1),
        "mes_card_add1" => (Rule::Mes, Satisfaction::Cardinality, Completion::Add1),
        "mes_cost_add1_greedy" => (Rule::Mes, Satisfaction::Cost, Completion::Add1Utilitarian),
        "mes_points" => (Rule::Mes, Satisfaction::Points, Completion::None),
        "mes_points_add1" => (Rule::Mes, Satisfaction::Points, Completion::Add1),
        "phragmen" => (Rule::Phragmen, Satisfaction::Cost, Completion::None),
        other => panic!("unknown rule {other} in expected.jsonl"),
    };
    RuleSpec { rule, satisfaction, completion, tie_break: TieBreak::ProjectId }
}

const RULE_KEYS: &[&str] = &[
    "greedy_cost",
    "greedy_card",
    "mes_cost",
    "mes_card",
    "mes_cost_add1",
    "mes_card_add1",
    "mes_cost_add1_greedy",
    "mes_points",
    "mes_points_add1",
    "phragmen",
];

fn read(path: &Path) -> Election {
    let bytes = std::fs::read(path).unwrap();
    pabulib::read(&path.display().to_string(), &bytes).unwrap()
}

/// Runs every rule listed for every file in `expected` and returns the differences.
fn compare(dir: &Path) -> (usize, Vec<String>) {
    let mut expected = std::fs::read_to_string(dir.join("expected.jsonl")).unwrap();
    // Points satisfaction: made by testdata/pabulib/make-points-expected.py (pabutools 1.2.3).
    expected.push_str(&std::fs::read_to_string(dir.join("expected-points.jsonl")).unwrap());
    let mut compared = 0;
    let mut differences = Vec::new();
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = record["file"].as_str().unwrap();
        let election = read(&dir.join(file));
        let count = Count::new(&election);
        for key in RULE_KEYS {
            let Some(want) = record.get(*key).and_then(|v| v.as_array()) else { continue };
            let want: Vec<&str> = want.iter().map(|v| v.as_str().unwrap()).collect();
            let outcome = count.run(&spec_for(key)).unwrap();
            let got: Vec<&str> = outcome.selected.iter().map(|&p| election.instance.projects[p].id.as_str()).collect();
            let (mut got_set, mut want_set) = (got.clone(), want.clone());
            got_set.sort_unstable();
            want_set.sort_unstable();
            compared += 1;
            if got_set != want_set {
                differences.push(format!("{file} {key}: expected {want:?}, got {got:?}"));
            } else if *key != "phragmen" && !key.starts_with("mes_cost_add1_greedy") && got != want {
                // Same set; pabutools lists free projects in set order, so only compare the order
                // when there are none.
                let free = election.instance.projects.iter().any(|p| !p.cost.is_positive());
                if !free {
                    differences.push(format!("{file} {key}: same projects, different order: expected {want:?}, got {got:?}"));
                }
            }
        }
    }
    (compared, differences)
}

#[test]
fn outcomes_on_the_pabulib_sample_equal_pabutools() {
    let (compared, differences) = compare(&testdata());
    assert!(compared >= 29 * 7, "only {compared} outcomes compared");
    assert!(differences.is_empty(), "{} of {compared} outcomes differ:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn outcomes_on_the_large_elections_equal_pabutools() {
    let (compared, differences) = compare(&testdata().join("large"));
    assert!(compared >= 12, "only {compared} outcomes compared");
    assert!(differences.is_empty(), "{} of {compared} outcomes differ:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn outcomes_on_the_hand_made_corner_cases_equal_pabutools() {
    // Free projects, string-ordered ties, empty ballots, decimal costs, duplicates, sentinels…
    let (compared, differences) = compare(&testdata().join("cases"));
    assert!(compared >= 11 * 7, "only {compared} outcomes compared");
    assert!(differences.is_empty(), "{} of {compared} outcomes differ:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn the_meta_rule_reproduces_what_cities_funded() {
    // Files whose META rule Plenum can run and whose `selected` column is consistent with it.
    let mut checked = 0;
    let mut differences = Vec::new();
    let files = std::fs::read_dir(testdata()).unwrap().chain(std::fs::read_dir(testdata().join("cases")).unwrap());
    for entry in files {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "pb") {
            continue;
        }
        let election = read(&path);
        let instance = &election.instance;
        let Some(column) = instance.project_column("selected") else { continue };
        let meta = RuleSpec { rule: Rule::Meta, ..RuleSpec::default() };
        let Ok(outcome) = Count::new(&election).run(&meta) else { continue };
        let mut got: Vec<&str> = outcome.selected.iter().map(|&p| instance.projects[p].id.as_str()).collect();
        let mut want: Vec<&str> = instance
            .projects
            .iter()
            .filter(|p| p.fields[column].as_deref().is_some_and(|s| s != "0"))
            .map(|p| p.id.as_str())
            .collect();
        got.sort_unstable();
        want.sort_unstable();
        checked += 1;
        if got != want {
            differences.push(format!(
                "{}: META {:?}: file funded {want:?}, Plenum {got:?}",
                path.display(),
                instance.meta.get("rule")
            ));
        }
    }
    assert!(checked >= 12, "only {checked} files checked");
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// pabutools' maximum welfare (`max_additive_utilitarian_welfare`, cost satisfaction) leaves
/// the choice among equally good sets to its solver, so the test compares the welfare reached,
/// not the sets. Expected outcomes: `expected-max-welfare.jsonl`, made with
/// `pb_reference.py --rules maxwelfare_cost`.
fn compare_max_welfare(dir: &Path) -> usize {
    let expected = std::fs::read_to_string(dir.join("expected-max-welfare.jsonl")).unwrap();
    let mut compared = 0;
    for line in expected.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = record["file"].as_str().unwrap();
        let election = read(&dir.join(file));
        let count = Count::new(&election);
        let welfare = |ids: &[usize]| -> plenum_choice::Rational {
            ids.iter().map(|&p| election.instance.projects[p].cost.mul_int(count.votes[p] as i64)).sum()
        };
        let theirs: Vec<usize> = record["maxwelfare_cost"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| election.instance.project_index(id.as_str().unwrap()).unwrap())
            .collect();
        let spec = RuleSpec { rule: Rule::MaxWelfare, satisfaction: Satisfaction::Cost, ..RuleSpec::default() };
        let ours = count.run(&spec).unwrap().selected;
        assert!(election.instance.cost_of(&ours) <= election.instance.budget, "{file}: over budget");
        assert_eq!(welfare(&ours), welfare(&theirs), "{file}: welfare differs (ours {ours:?}, pabutools {theirs:?})");
        compared += 1;
    }
    compared
}

#[test]
fn maximum_welfare_reaches_the_welfare_pabutools_finds() {
    assert_eq!(compare_max_welfare(&testdata()), 29);
    assert_eq!(compare_max_welfare(&testdata().join("cases")), 12);
}
