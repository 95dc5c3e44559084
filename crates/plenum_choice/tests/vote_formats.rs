//! The PrefLib and BLT formats: every reference file reads with the counts the reference tools
//! found, errors say where, and what is read survives write → read unchanged.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use std::path::{Path, PathBuf};

use plenum_choice::vote::Election;
use plenum_choice::vote::blt;
use plenum_choice::vote::preflib::{self, DataType};

fn testdata(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata").join(dir)
}

/// The files of `testdata/{dir}` whose names end in one of `extensions`, sorted.
fn files(dir: &str, extensions: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(testdata(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| extensions.iter().any(|x| e == *x)))
        .map(|path| (path.file_name().unwrap().to_str().unwrap().to_owned(), std::fs::read(&path).unwrap()))
        .collect();
    files.sort();
    files
}

fn preflib_files() -> Vec<(String, Vec<u8>)> {
    files("preflib", &["soc", "soi", "toc", "toi"])
}

fn blt_files() -> Vec<(String, Vec<u8>)> {
    files("stv", &["blt"])
}

/// The `_load` records of a reference JSONL file.
fn load_records(path: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(testdata(path))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|record| record["method"] == "_load")
        .collect()
}

fn preflib_written(election: &Election, kind: DataType) -> Vec<u8> {
    let mut out = Vec::new();
    preflib::write(election, kind, &mut out).unwrap();
    out
}

fn blt_written(election: &Election) -> Vec<u8> {
    let mut out = Vec::new();
    blt::write(election, &mut out).unwrap();
    out
}

// ---------------------------------------------------------------------------------------------
// Reference files

#[test]
fn every_preflib_file_reads_with_the_counts_pref_voting_found() {
    let records = load_records("preflib/expected.jsonl");
    let files = preflib_files();
    assert_eq!(files.len(), 41);
    assert_eq!(records.len(), files.len(), "one _load record per file");
    for (name, bytes) in &files {
        let election = preflib::read(name, bytes).unwrap_or_else(|e| panic!("{e}"));
        let record = records.iter().find(|r| r["file"] == name.as_str()).unwrap_or_else(|| panic!("no _load record for {name}"));
        let rankings = &election.rankings;
        assert_eq!(election.alternatives.len() as u64, record["n_alternatives"].as_u64().unwrap(), "{name}");
        assert_eq!(rankings.voters(), record["n_voters"].as_u64().unwrap(), "{name}");
        assert_eq!(rankings.len() as u64, record["n_unique"].as_u64().unwrap(), "{name}");
        assert_eq!(rankings.has_ties(), record["has_ties"].as_bool().unwrap(), "{name}");
        let truncated = rankings.iter().any(|r| r.alternatives.len() < rankings.alternatives());
        assert_eq!(truncated, record["truncated"].as_bool().unwrap(), "{name}");
        let tie_at_top = rankings.iter().any(|r| r.groups().next().is_some_and(|g| g.len() > 1));
        assert_eq!(tie_at_top, record["ties_at_top"].as_bool().unwrap(), "{name}");
    }
}

#[test]
fn every_blt_file_reads_with_the_counts_pref_voting_found() {
    let records = load_records("stv/pref_voting_stv.jsonl");
    let files = blt_files();
    assert_eq!(files.len(), 9);
    let mut compared = 0;
    for (name, bytes) in &files {
        let election = blt::read(name, bytes).unwrap_or_else(|e| panic!("{e}"));
        let Some(record) = records.iter().find(|r| r["file"] == name.as_str()) else { continue };
        let rankings = &election.rankings;
        assert_eq!(election.alternatives.len() as u64, record["candidates"].as_u64().unwrap(), "{name}");
        assert_eq!(election.seats.map(|s| s as u64), record["seats"].as_u64(), "{name}");
        assert_eq!(rankings.voters(), record["ballots"].as_u64().unwrap(), "{name}");
        assert_eq!(rankings.len() as u64, record["ballot_lines"].as_u64().unwrap(), "{name}");
        assert_eq!(election.title.as_deref(), record["title"].as_str(), "{name}");
        let withdrawn: Vec<u64> = record["withdrawn"].as_array().unwrap().iter().map(|w| w.as_u64().unwrap()).collect();
        assert_eq!(election.withdrawn.iter().map(|&a| a as u64 + 1).collect::<Vec<_>>(), withdrawn, "{name}");
        compared += 1;
    }
    assert_eq!(compared, 8, "every file but the [nick] form of the vegetables has a _load record");
}

#[test]
fn the_nickname_form_of_the_vegetables_reads_as_the_numeric_form() {
    let read = |name: &str| blt::read(name, &std::fs::read(testdata("stv").join(name)).unwrap()).unwrap();
    let nick = read("stvrs-vegetables.blt");
    let numeric = read("stvrs-vegetables.numeric.blt");
    assert_eq!(nick.nicknames[..3], ["apple", "banana", "cherry"]);
    assert_eq!(nick.withdrawn, vec![1, 5], "Banana and Fig");
    assert_eq!(Election { nicknames: Vec::new(), ..nick }, numeric);
}

#[test]
fn every_reference_file_survives_write_and_read_unchanged() {
    for (name, bytes) in preflib_files() {
        let election = preflib::read(&name, &bytes).unwrap();
        let kind = DataType::of_file_name(&name).unwrap();
        let text = preflib_written(&election, kind);
        assert_eq!(preflib::read(&name, &text).unwrap(), election, "{name}");
        assert!(text == bytes, "{name}: PrefLib's own layout is written back byte for byte");
    }
    for (name, bytes) in blt_files() {
        let election = blt::read(&name, &bytes).unwrap();
        assert_eq!(blt::read("written.blt", &blt_written(&election)).unwrap(), election, "{name}");
    }
}
