//! `plenum pb check`: text for people, one JSON object per file for programs, exit codes 0/1/2.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "test helpers fail loudly on broken fixtures")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn testdata(name: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib").join(name);
    path.to_str().unwrap().to_owned()
}

fn plenum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).output().expect("plenum runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn valid_files_print_ok_and_exit_zero() {
    let (a, b) = (testdata("edge/valid.pb"), testdata("edge/crlf.pb"));
    let out = plenum(&["pb", "check", &a, &b]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), format!("{a}: OK\n{b}: OK\n"));
}

#[test]
fn files_with_errors_list_them_with_file_line_column_and_exit_one() {
    let file = testdata("edge/unknown-project-in-vote.pb");
    let out = plenum(&["pb", "check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{file}: INVALID (3 errors, 0 warnings)\n")), "{text}");
    assert!(
        text.contains(&format!(
            "{file}:26:3: error: Voter ID: `4` voted for project `99`, which is not listed in PROJECTS section. [vote for non-existent project]"
        )),
        "{text}"
    );
}

#[test]
fn warnings_alone_keep_a_file_valid() {
    let out = plenum(&["pb", "check", &testdata("edge/blank-lines.pb")]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("valid (0 errors, 1 warnings)"), "{}", stdout(&out));
}

#[test]
fn json_gives_one_object_per_file_per_line() {
    let (good, bad) = (testdata("edge/valid.pb"), testdata("edge/decimal-comma.pb"));
    let out = plenum(&["pb", "check", "--format", "json", &good, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = stdout(&out).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], serde_json::json!({"file": good, "valid": true, "errors": [], "warnings": []}));
    assert_eq!(lines[1]["valid"], false);
    let error = &lines[1]["errors"][0];
    assert_eq!(error["kind"], "comma in float!");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(20), Some(3)));
    assert!(error["message"].as_str().unwrap().contains("300,5"));
}

#[test]
fn an_unreadable_file_is_reported_the_others_are_checked_and_the_exit_code_is_two() {
    let missing = testdata("edge/no-such-file.pb");
    let valid = testdata("edge/valid.pb");
    let out = plenum(&["pb", "check", &missing, &valid]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{missing}: cannot read: ")), "{text}");
    assert!(text.ends_with(&format!("{valid}: OK\n")), "{text}");

    let out = plenum(&["pb", "check", "--format", "json", &missing, &valid]);
    assert_eq!(out.status.code(), Some(2));
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!((first["file"].as_str(), &first["valid"]), (Some(missing.as_str()), &Value::Bool(false)));
    assert_eq!(first["errors"][0]["kind"], "unreadable file");
}
