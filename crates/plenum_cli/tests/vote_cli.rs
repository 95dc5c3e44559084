//! `plenum vote …` as scripts use it: the JSON contract, exit codes, errors and tie-breaking by lot.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly on broken fixtures")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn testdata(path: &str) -> String {
    let full: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(path);
    full.to_str().unwrap().to_owned()
}

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

fn json_lines(output: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

/// Debian 2002 (PrefLib 00002-00000001): 475 voters, 4 alternatives; Bdale Garbee (3) wins.
const DEBIAN_2002: &str = "preflib/00002-00000001.soi";

#[test]
fn tally_prints_one_json_object_per_file_with_the_agreed_fields() {
    let path = testdata(DEBIAN_2002);
    let out = plenum(&["vote", "tally", &path, "--method", "irv", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let r = &lines[0];
    assert_eq!(r["file"], path.as_str(), "the path as given");
    assert_eq!(r["method"], "irv");
    assert_eq!(r["seats"], 1);
    assert_eq!(r["winners"], serde_json::json!(["3"]));
    assert!(r["ties"].is_array());
    let rounds = r["rounds"].as_array().unwrap();
    assert!(rounds.len() >= 2, "IRV shows its rounds");
    assert_eq!(rounds[0]["tallies"]["3"], "227", "first preferences of Bdale Garbee");
    assert_eq!(rounds[0]["eliminated"], serde_json::json!(["4"]));
    assert!(r["seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn every_method_of_the_contract_runs_from_the_command_line() {
    let path = testdata(DEBIAN_2002);
    for method in [
        "plurality",
        "approval",
        "irv",
        "schulze",
        "ranked-pairs",
        "copeland",
        "borda",
        "star",
        "score",
        "majority-judgment",
        "phragmen",
        "mes",
    ] {
        let out = plenum(&["vote", "tally", &path, "--method", method, "--seats", "2", "--format", "json"]);
        assert!(out.status.success(), "{method}: {}", String::from_utf8_lossy(&out.stderr));
        let r = &json_lines(&out)[0];
        assert_eq!(r["method"], method);
        assert_eq!(r["winners"].as_array().unwrap().len(), 2, "{method}: {r}");
    }
}

#[test]
fn an_unreadable_file_gets_an_error_line_and_a_failing_exit_after_the_others() {
    let good = testdata(DEBIAN_2002);
    let out = plenum(&["vote", "tally", "missing.soi", &good, "README.md", "--method", "schulze", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["file"], "missing.soi");
    assert!(lines[0]["error"].as_str().unwrap().contains("missing.soi"));
    assert_eq!(lines[1]["winners"], serde_json::json!(["3"]));
    assert!(lines[2]["error"].as_str().unwrap().contains("unknown ballot format"));
}

#[test]
fn a_malformed_file_is_reported_with_its_line() {
    let dir = std::env::temp_dir().join(format!("plenum-vote-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.soi");
    std::fs::write(&bad, "# NUMBER ALTERNATIVES: 2\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n3: 1,7\n").unwrap();
    let out = plenum(&["vote", "tally", bad.to_str().unwrap(), "--method", "irv"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.soi:4"), "names the file and line: {stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_text_report_shows_the_rounds_as_a_table() {
    let out = plenum(&["vote", "tally", &testdata(DEBIAN_2002), "--method", "irv"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("round "), "{text}");
    assert!(text.contains("3 Bdale Garbee"), "{text}");
    assert!(text.contains("winner: 3 Bdale Garbee"), "{text}");
}

#[test]
fn stv_counts_a_blt_file_for_the_seats_it_states_by_the_rule_asked() {
    // Glasgow 2007, Springburn ward: Scottish STV elected Stewart (8), Todd (10) and Greene (4).
    let path = testdata("stv/droop-Springburn-2007.blt");
    let out = plenum(&["vote", "tally", &path, "--method", "stv", "--stv-rule", "scottish", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = &json_lines(&out)[0];
    assert_eq!(r["seats"], 3, "the file states 3 seats");
    assert_eq!(r["stv_rule"], "scottish");
    assert_eq!(r["winners"], serde_json::json!(["8", "10", "4"]));
    assert_eq!(r["rounds"][0]["quota"], "1353");
    let text = String::from_utf8_lossy(&plenum(&["vote", "tally", &path, "--method", "stv"]).stdout).into_owned();
    assert!(text.contains("quota"), "{text}");
}

#[test]
fn a_draw_by_lot_is_the_same_for_the_same_seed() {
    // Three voters, three first choices: plurality is a three-way tie, decided by lot.
    let dir = std::env::temp_dir().join(format!("plenum-vote-lot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tie.soc");
    std::fs::write(
        &file,
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: A\n# ALTERNATIVE NAME 2: B\n# ALTERNATIVE NAME 3: C\n\
         # NUMBER VOTERS: 3\n# NUMBER UNIQUE ORDERS: 3\n1: 1,2,3\n1: 2,3,1\n1: 3,1,2\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let winner = |seed: &str| {
        let out = plenum(&["vote", "tally", path, "--method", "plurality", "--tie-break", seed, "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let r = json_lines(&out).remove(0);
        assert_eq!(r["ties"][0]["tied"].as_array().unwrap().len(), 3, "the tie is reported");
        assert!(r["ties"][0]["by"].as_str().unwrap().contains(seed));
        r["winners"][0].as_str().unwrap().to_owned()
    };
    assert_eq!(winner("public draw 2026"), winner("public draw 2026"));
    let winners: std::collections::BTreeSet<String> = (0..12).map(|i| winner(&format!("seed {i}"))).collect();
    assert!(winners.len() > 1, "different seeds draw different winners: {winners:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
