//! `plenum pb import` and `plenum pb export` on a demo instance: a real election goes in as a
//! closed cycle and comes out as a file that tallies to the same projects as the original.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
use std::path::Path;
use std::process::{Command, Output};

fn plenum(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plenum")).args(args).arg("--data-dir").arg(dir).output().unwrap()
}

fn funded(tally: &Output) -> Vec<String> {
    let text = String::from_utf8_lossy(&tally.stdout);
    let json: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    json["selected"].as_array().unwrap().iter().map(|p| p.as_str().unwrap_or_default().to_owned()).collect()
}

#[test]
fn an_imported_election_exports_to_a_file_with_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(plenum(&["demo"], &data).status.success());
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib/Poland_Lodz_2024_Mileszki.pb");
    let file = file.to_str().unwrap();
    let imported = plenum(&["pb", "import", file, "--into", "hillside"], &data);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let cycle = String::from_utf8_lossy(&imported.stdout).trim().to_owned();
    let out = dir.path().join("out.pb");
    let exported = plenum(&["pb", "export", &cycle, "--out", out.to_str().unwrap()], &data);
    assert!(exported.status.success(), "{}", String::from_utf8_lossy(&exported.stderr));
    let tally =
        |path: &str| Command::new(env!("CARGO_BIN_EXE_plenum")).args(["pb", "tally", path, "--format", "json"]).output().unwrap();
    let original = funded(&tally(file));
    assert!(!original.is_empty());
    assert_eq!(funded(&tally(out.to_str().unwrap())), original);
    let check = Command::new(env!("CARGO_BIN_EXE_plenum")).args(["pb", "check", out.to_str().unwrap()]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));

    let nowhere = plenum(&["pb", "import", file, "--into", "no-such-assembly"], &data);
    assert!(!nowhere.status.success());
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("no-such-assembly"));
}
