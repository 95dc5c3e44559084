//! `plenum pb …` as scripts use it: the JSON contract, exit codes and errors.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly on broken fixtures")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib").join(name)
}

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

const ASSEN: &str = "Netherlands_Assen_2024.pb";

#[test]
fn tally_prints_one_json_object_per_file_with_the_agreed_fields() {
    let file = testdata(ASSEN);
    let path = file.to_str().unwrap();
    let out =
        plenum(&["pb", "tally", path, "--rule", "mes", "--satisfaction", "cost", "--completion", "add1", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let r = &lines[0];
    assert_eq!(r["file"], path, "the path as given");
    assert_eq!(r["rule"], "mes");
    assert_eq!(r["satisfaction"], "cost");
    assert_eq!(r["completion"], "add1");
    assert_eq!(r["budget"], "100000");
    assert!(r["seconds"].as_f64().unwrap() >= 0.0);
    assert!(r["ties"].is_array());
    // pabutools 1.2.3: mes_cost_add1 on Assen funds 9 projects.
    assert_eq!(r["selected"].as_array().unwrap().len(), 9);
    let total: i64 = r["total_cost"].as_str().unwrap().parse().unwrap();
    assert!(total <= 100_000);
}

#[test]
fn an_unreadable_file_gets_an_error_line_and_the_others_are_still_tallied() {
    let good = testdata(ASSEN);
    let dir = tempdir();
    let bad = dir.join("broken.pb");
    std::fs::write(&bad, "META\nkey;value\nbudget;abc\n").unwrap();
    let missing = dir.join("missing.pb");
    let out =
        plenum(&["pb", "tally", bad.to_str().unwrap(), good.to_str().unwrap(), missing.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["file"], bad.to_str().unwrap());
    assert!(lines[0]["error"].as_str().unwrap().contains("broken.pb"), "{}", lines[0]["error"]);
    assert!(lines[1]["selected"].is_array());
    assert!(lines[2]["error"].is_string());
}

#[test]
fn meta_runs_the_rule_the_file_names() {
    let out = plenum(&["pb", "tally", testdata(ASSEN).to_str().unwrap(), "--rule", "meta", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = &json_lines(&out)[0];
    assert_eq!(r["rule"], "mes");
    assert!(r["notes"][0].as_str().unwrap().contains("equalshares/add1"));
}

#[test]
fn text_output_lists_the_funded_projects_for_people() {
    let out = plenum(&["pb", "tally", testdata(ASSEN).to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("funded") && text.contains("of 100000"), "{text}");
}

#[test]
fn explain_says_why_a_project_lost() {
    let file = testdata("Poland_Gdynia_2022_Cisowa__small.pb");
    let out = plenum(&["pb", "explain", file.to_str().unwrap(), "--rule", "mes", "--completion", "none"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("funded in round 1"), "{text}");
    assert!(text.contains("not funded"), "{text}");
    let unknown = plenum(&["pb", "explain", file.to_str().unwrap(), "--project", "no-such-project"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-project"));
}

#[test]
fn a_rule_that_does_not_apply_is_an_error_for_that_file() {
    let file = testdata("Switzerland_Zurich_D10.pb");
    let out = plenum(&["pb", "tally", file.to_str().unwrap(), "--rule", "phragmen", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(json_lines(&out)[0]["error"].as_str().unwrap().contains("approval"));
}

#[test]
fn bad_options_are_refused_with_help() {
    let out = plenum(&["pb", "tally", "x.pb", "--rule", "borda"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values"));
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("plenum-cli-test-{}-{:?}", std::process::id(), std::thread::current().id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
