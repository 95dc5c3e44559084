//! The PrefLib and BLT formats: every reference file reads with the counts the reference tools
//! found, errors say where, and what is read survives write → read unchanged.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use std::path::{Path, PathBuf};

use plenum_choice::vote::blt;
use plenum_choice::vote::preflib::{self, DataType};
use plenum_choice::vote::{Election, Rankings};
use proptest::prelude::*;

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

// ---------------------------------------------------------------------------------------------
// PrefLib: errors say where

/// A `.soi` header for three alternatives and five voters on two lines; orders start on line 8.
const SOI_HEAD: &str = "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n# NUMBER VOTERS: 5\n# NUMBER UNIQUE ORDERS: 2\n\
                        # ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Cy\n";

/// Reads `input` as the file `name` and checks the error, as displayed.
fn check_preflib(name: &str, input: &str, expected: &str) {
    match preflib::read(name, input.as_bytes()) {
        Ok(election) => panic!("{name} was read: {input:?}\n{election:?}"),
        Err(error) => assert_eq!(error.to_string(), expected, "input: {input:?}"),
    }
}

#[test]
fn broken_preflib_files_are_refused_with_line_column_and_what_was_found() {
    let soi = |orders: &str| format!("{SOI_HEAD}{orders}");
    let soc = |orders: &str| soi(orders).replace("DATA TYPE: soi", "DATA TYPE: soc");
    let toi = |orders: &str| soi(orders).replace("DATA TYPE: soi", "DATA TYPE: toi");
    let cases: Vec<(&str, String, &str)> = vec![
        ("x.soi", String::new(), "x.soi: the file is empty: expected a PrefLib header (`# FILE NAME: …`)"),
        ("x.soi", "\n \r\n\t\n".into(), "x.soi: the file is empty: expected a PrefLib header (`# FILE NAME: …`)"),
        (
            "x.soi",
            "3\n1,Ann\n2,Bob\n3,Cy\n5,5,2\n3,1,2,3\n2,2\n".into(),
            "x.soi:1:1: this looks like the PrefLib format before 2022 (a first line with the number of alternatives): \
             only the current format (https://preflib.org/format) is read",
        ),
        ("x.soi", "3: 1,2,3\n".into(), "x.soi:1:1: expected a PrefLib header (`# KEY: value` lines) first"),
        ("x.soi", "# TITLE Ann's\n".into(), "x.soi:1:1: expected a header line `# KEY: value`, found \"# TITLE Ann's\""),
        ("x.soi", "  #: x\n".into(), "x.soi:1:3: a header line with no key before its `:`"),
        (
            "x.wmd",
            "# DATA TYPE: wmd\n".into(),
            "x.wmd:1:14: unknown DATA TYPE \"wmd\": this reader reads the ordinal types soc, soi, toc and toi",
        ),
        ("x.toi", soi("3: 1\n2: 2\n"), "x.toi:1:14: DATA TYPE is soi, but the file name ends in .toi"),
        ("x.soi", "# TITLE: t\n3: 1\n".into(), "x.soi: the header has no `# NUMBER ALTERNATIVES: …` line"),
        ("x.soi", "# NUMBER VOTERS: many\n".into(), "x.soi:1:18: NUMBER VOTERS: expected a whole number, found \"many\""),
        (
            "x.soi",
            "# NUMBER ALTERNATIVES: 70000\n".into(),
            "x.soi:1:24: NUMBER ALTERNATIVES is 70000: at most 65535 are supported",
        ),
        (
            "x.soi",
            "# NUMBER ALTERNATIVES: 1\n# NUMBER ALTERNATIVES: 1\n".into(),
            "x.soi:2:1: a second NUMBER ALTERNATIVES line (the first is on line 1)",
        ),
        ("x.soi", "# TITLE: a\n\n# TITLE: b\n".into(), "x.soi:3:1: a second TITLE line (the first is on line 1)"),
        ("x.soi", SOI_HEAD.replace("NAME 3: Cy", "NAME 4: Dee"), "x.soi:7:20: ALTERNATIVE NAME 4, but NUMBER ALTERNATIVES is 3"),
        (
            "x.soi",
            SOI_HEAD.replace("NAME 3: Cy", "NAME x: Dee"),
            "x.soi:7:20: expected `ALTERNATIVE NAME i` with i a number from 1, found \"ALTERNATIVE NAME x\"",
        ),
        (
            "x.soi",
            SOI_HEAD.replace("NAME 3: Cy", "NAME 0: Dee"),
            "x.soi:7:20: expected `ALTERNATIVE NAME i` with i a number from 1, found \"ALTERNATIVE NAME 0\"",
        ),
        (
            "x.soi",
            SOI_HEAD.replace("NAME 3: Cy", "NAME 2: Bo"),
            "x.soi:7:20: a second name for alternative 2 (the first is on line 6)",
        ),
        (
            "x.soi",
            SOI_HEAD.replace("# ALTERNATIVE NAME 3: Cy\n", ""),
            "x.soi:2:24: NUMBER ALTERNATIVES is 3, but there is no `# ALTERNATIVE NAME 3: …` line",
        ),
        ("x.soi", soi("a: 1\n"), "x.soi:8:1: expected the number of voters who cast this order, found \"a\""),
        ("x.soi", soi("3 1,2\n"), "x.soi:8:3: expected `:` after the count, found \"1\""),
        ("x.soi", soi("3: 1,4\n2: 2\n"), "x.soi:8:6: alternative 4 does not exist: NUMBER ALTERNATIVES is 3"),
        ("x.soi", soi("3: 0\n"), "x.soi:8:4: alternative 0 does not exist: NUMBER ALTERNATIVES is 3"),
        ("x.soi", soi("3: 1,2,1\n2: 2\n"), "x.soi:8:8: alternative 1 appears twice in this order"),
        ("x.toi", toi("3: {1,2},{3,1}\n"), "x.toi:8:13: alternative 1 appears twice in this order"),
        ("x.toi", toi("3: {}\n"), "x.toi:8:4: an empty tie `{}`"),
        ("x.toi", toi("3: 1,{2,3\n"), "x.toi:8:6: this tie is never closed: expected `}`"),
        ("x.toi", toi("3: 1,{2;3}\n"), "x.toi:8:8: expected `,` or `}` in this tie, found \";3\""),
        ("x.toi", toi("3: {1,{2}}\n"), "x.toi:8:7: expected an alternative (a number from 1 to 3), found \"{\""),
        ("x.soi", soi("3: 1,\n"), "x.soi:8:6: expected an alternative (a number from 1 to 3), found the end of the line"),
        ("x.soi", soi("3: 1;2\n"), "x.soi:8:5: expected `,` or the end of the line, found \";2\""),
        ("x.soi", soi("3: 1 2\n"), "x.soi:8:6: expected `,` or the end of the line, found \"2\""),
        ("x.soi", soi("3: 1,{2,3}\n"), "x.soi:8:6: a tie, but the orders of a soi file are strict"),
        (
            "x.soc",
            soc("3: 1,2\n"),
            "x.soc:8:4: this order ranks 2 of the 3 alternatives, but the orders of a soc file are complete",
        ),
        ("x.soi", soi("0: 1\n"), "x.soi:8:1: a count of 0: an order line is cast by at least one voter"),
        ("x.soi", soi("3: 1\n# TITLE: late\n"), "x.soi:9:1: a header line after the orders began: the header comes first"),
        ("x.soi", soi("3: 1\n1: 2\n"), "x.soi:3:18: NUMBER VOTERS is 5, but the counts add up to 4"),
        ("x.soi", soi("3: 1\n1: 2\n1: 3\n"), "x.soi:4:25: NUMBER UNIQUE ORDERS is 2, but there are 3 order lines"),
        ("x.soi", soi("99999999999999999999: 1\n"), "x.soi:8:1: the count 99999999999999999999 is too large"),
        ("x.soi", soi("18446744073709551615: 1\n1: 2\n"), "x.soi:9:1: the counts add up to more than 18446744073709551615"),
    ];
    for (name, input, expected) in &cases {
        check_preflib(name, input, expected);
    }
    let error = preflib::read("x.soi", b"# TITLE: caf\xC3\xA9 \xFF\n").unwrap_err();
    assert_eq!(error.to_string(), "x.soi:1:15: the file is not valid UTF-8: byte 0xFF does not continue a character here");
    assert_eq!((error.file(), error.line(), error.column()), ("x.soi", Some(1), Some(15)));
}

// ---------------------------------------------------------------------------------------------
// BLT: errors say where

/// Reads `input` as a BLT file and checks the error, as displayed.
fn check_blt(input: &str, expected: &str) {
    match blt::read("x.blt", input.as_bytes()) {
        Ok(election) => panic!("read: {input:?}\n{election:?}"),
        Err(error) => assert_eq!(error.to_string(), format!("x.blt:{expected}"), "input: {input:?}"),
    }
}

#[test]
fn broken_blt_files_are_refused_with_line_column_and_what_was_found() {
    let names = "0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n";
    let with_names = |ballots: &str| format!("3 2\n{ballots}{names}");
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "1:1: the file ends here: expected the number of candidates and of seats (`CANDIDATES SEATS`)"),
        ("x 2\n".into(), "1:1: expected the number of candidates, found \"x\""),
        ("70000 1\n".into(), "1:1: 70000 candidates: at most 65535 are supported"),
        ("3".into(), "1:2: the file ends here: expected the number of seats"),
        ("3 two\n".into(), "1:3: expected the number of seats, found \"two\""),
        ("3 2\n".into(), "2:1: the file ends here: expected the ballots, then a line `0`"),
        ("3 2 /* never".into(), "1:5: this comment is never closed: expected `*/`"),
        (
            "3 2\n\"A\"\n".into(),
            "2:1: expected a ballot, a withdrawn candidate `-n` or an option `[…]`, found the quoted text \"A\"",
        ),
        (
            with_names("abc 1 0\n"),
            "2:1: expected a ballot weight, a ballot id `(…)` or the `0` that ends the ballots, found \"abc\"",
        ),
        (with_names("4 1 4 0\n"), "2:5: candidate 4 does not exist: there are 3"),
        (with_names("4 1 2 1 0\n"), "2:7: candidate 1 appears twice on this ballot"),
        (with_names("4 1=2 2 0\n"), "2:7: candidate 2 appears twice on this ballot"),
        (with_names("4 1 2\n2 3 0\n"), "2:1: this ballot does not end with `0` on its line"),
        ("3 2\n4 1 2".into(), "2:1: this ballot does not end with `0` on its line"),
        (with_names("1.5 1 0\n"), "2:1: ballot weights must be whole numbers, found 1.5: fractional weights are not supported"),
        (with_names("99999999999999999999 1 0\n"), "2:1: the weight 99999999999999999999 is too large"),
        (with_names("18446744073709551615 1 0\n1 2 0\n"), "3:1: the weights add up to more than 18446744073709551615"),
        (with_names("4 1 0\n-2\n"), "3:1: withdrawn candidates (-2) must come before the first ballot"),
        (with_names("-2 -2\n"), "2:4: candidate 2 is withdrawn twice"),
        (with_names("-4\n"), "2:1: candidate 4 does not exist: there are 3"),
        (with_names("-x\n"), "2:1: expected a candidate number, found \"x\""),
        (with_names("1 1 - 2 0\n"), "2:5: skipped rankings (`-`) are not supported: counters disagree on what they mean"),
        (with_names("1 1==2 0\n"), "2:5: an empty place in the equal ranking \"1==2\""),
        (with_names("1 1 \"A\" 0\n"), "2:5: expected a candidate or the `0` that ends the ballot, found the quoted text \"A\""),
        (with_names("1 1) 0\n"), "2:4: `)` without a `(` before it"),
        (with_names("[nick a b]\n"), "2:2: `[nick]` gives 2 nicknames for 3 candidates"),
        (with_names("[nick a 2 c]\n"), "2:9: a nickname must not be a number, which names a candidate by position: found \"2\""),
        (with_names("[nick a -b c]\n"), "2:9: a nickname must not start with `-`, which marks a withdrawal: found \"-b\""),
        (with_names("[nick a b=c c]\n"), "2:9: a nickname must not contain `=`, which joins equal rankings: found \"b=c\""),
        (with_names("[nick a b a]\n"), "2:11: nickname \"a\" is given to candidates 1 and 3"),
        (with_names("[nick a b c]\n[nick a b c]\n"), "3:2: a second `[nick]` option"),
        (with_names("[nick a b c]\n1 a d 0\n"), "3:5: expected a candidate number or nickname, found \"d\""),
        (with_names("1 a 0\n"), "2:3: expected a candidate number, found \"a\""),
        (with_names("[withdrawn 2 x]\n"), "2:14: expected a candidate number, found \"x\""),
        (with_names("[tie 1 2]\n"), "2:2: `[tie]` lists 2 candidates: it must list all 3 once"),
        (with_names("[tie 1 2 1]\n"), "2:10: candidate 1 is listed twice in `[tie]`"),
        (with_names("[tie 1 2 3]\n[tie 1 2 3]\n"), "3:2: a second `[tie]` option"),
        ("3 2\n[droop rule=meek\n".into(), "2:1: this option is never closed: expected `]`"),
        (with_names("[\"x\"]\n"), "2:2: expected an option name after `[`, found the quoted text \"x\""),
        (with_names("[droop (x)]\n"), "2:8: expected a word or `]` in this option, found the ballot id (x)"),
        (with_names("]\n"), "2:1: expected a ballot, a withdrawn candidate `-n` or an option `[…]`, found `]`"),
        (with_names("(a) 1 0\n1 2 0\n"), "3:1: ballot ids must be on every ballot or on none"),
        (with_names("1 2 0\n(a) 1 0\n"), "3:1: ballot ids must be on every ballot or on none"),
        (with_names("(a) 1 0\n( a ) 2 0\n"), "3:1: ballot id \"a\" is also on line 2"),
        (with_names("() 1 0\n"), "2:1: an empty ballot id `()`"),
        (with_names("(a 1 0\n"), "2:1: `(` is never closed on its line: expected `)`"),
        (
            "3 2\n1 1 0\n0\n\"A\"\n\"B\"\n".into(),
            "6:1: the file ends here: expected the name of candidate 3 of 3, in double quotes",
        ),
        ("3 2\n1 1 0\n0\nAnn\n".into(), "4:1: expected the name of candidate 1 of 3, in double quotes, found \"Ann\""),
        ("3 2\n1 1 0\n0\n\"Ann\n\"B\"".into(), "4:1: `\"` is never closed on its line: expected `\"`"),
        (
            "3 2\n1 1 0\n0\n\"A\"\n\"B\"\n\"C\"\n".into(),
            "7:1: the file ends here: expected the election's title, in double quotes, after the names",
        ),
        (
            "3 2\n1 1 0\n0\n\"A\"\n\"B\"\n\"C\"\nTitle\n".into(),
            "7:1: expected the election's title, in double quotes, after the names, found \"Title\"",
        ),
        (
            "3 2\n1 1 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"T\"\n  \"source\n".into(),
            "8:3: `\"` is never closed on its line: expected `\"`",
        ),
    ];
    for (input, expected) in &cases {
        check_blt(input, expected);
    }
    let error = blt::read("x.blt", b"3 2\n1 1 0\n0\n\"\xFF\"").unwrap_err();
    assert_eq!(error.to_string(), "x.blt:4:2: the file is not valid UTF-8: byte 0xFF does not continue a character here");
}

// ---------------------------------------------------------------------------------------------
// PrefLib: quirks

fn soi(orders: &str) -> String {
    format!("{SOI_HEAD}{orders}")
}

#[test]
fn line_endings_a_byte_order_mark_blanks_and_blank_lines_do_not_change_a_preflib_file() {
    let clean = preflib::read("x.soi", soi("3: 1,2,3\n2: 2\n").as_bytes()).unwrap();
    let variants = [
        soi("3: 1,2,3\n2: 2\n").replace('\n', "\r\n"),
        soi("3: 1,2,3\n2: 2").replace('\n', "\r"),
        format!("\u{feff}{}", soi("3: 1,2,3\n2: 2\n")),
        format!("\n{}\n\n", soi("\n3: 1,2,3\n\n \t\n2: 2\n")).replace("# NUMBER VOTERS", "\n#   NUMBER VOTERS  "),
        soi("  3 :1 , 2,3   \n2:2\t\n").replace("NAME 1: Ann", "NAME 1:   Ann  "),
        soi("3: 1,{2},3\n2: {2}\n"),
    ];
    for variant in &variants {
        assert_eq!(preflib::read("x.soi", variant.as_bytes()).unwrap(), clean, "{variant:?}");
    }
}

#[test]
fn the_data_type_comes_from_the_header_else_from_the_extension_else_anything_goes() {
    let ties = soi("3: {1,2},3\n2: 2\n");
    assert!(preflib::read("x.soi", ties.as_bytes()).is_err());
    let toi = ties.replace("DATA TYPE: soi", "DATA TYPE: toi");
    assert!(preflib::read("upload.txt", toi.as_bytes()).unwrap().rankings.has_ties());
    let untyped = ties.replace("# DATA TYPE: soi\n", "");
    assert_eq!(
        preflib::read("x.soi", untyped.as_bytes()).unwrap_err().to_string(),
        "x.soi:7:4: a tie, but the orders of a soi file are strict"
    );
    assert!(preflib::read("stdin", untyped.as_bytes()).unwrap().rankings.has_ties());
    assert!(preflib::read("X.TOI", toi.as_bytes()).is_ok(), "extensions in any case");
}

#[test]
fn preflib_headers_are_kept_in_order_and_empty_ones_are_absent() {
    let text = "# MODIFICATION DATE: 2022-09-16\n# FILE NAME: x.soi\n# DESCRIPTION: \n# TITLE: \n# SEATS: 3\n\
                # RELATES TO: y.toc\n# Source: ERS: anonymised\n# NUMBER ALTERNATIVES: 1\n# ALTERNATIVE NAME 1: Ann: the first\n1: 1\n";
    let election = preflib::read("x.soi", text.as_bytes()).unwrap();
    assert_eq!(election.title, None);
    assert_eq!(election.alternatives, ["Ann: the first"]);
    let metadata: Vec<(&str, &str)> = election.metadata.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        metadata,
        [
            ("FILE NAME", "x.soi"),
            ("RELATES TO", "y.toc"),
            ("MODIFICATION DATE", "2022-09-16"),
            ("SEATS", "3"),
            ("Source", "ERS: anonymised")
        ]
    );
    let written = String::from_utf8(preflib_written(&election, DataType::Soi)).unwrap();
    assert!(written.starts_with("# FILE NAME: x.soi\n# TITLE: \n# DESCRIPTION: \n# DATA TYPE: soi\n"), "{written}");
    assert!(
        written.contains("# MODIFICATION DATE: 2022-09-16\n# SEATS: 3\n# Source: ERS: anonymised\n# NUMBER ALTERNATIVES: 1\n")
    );
    assert_eq!(preflib::read("x.soi", written.as_bytes()).unwrap(), election);
}

#[test]
fn the_same_order_on_two_lines_is_kept_as_two_ballots() {
    let election = preflib::read("x.soi", soi("3: 1,2\n2: 1,2\n").as_bytes()).unwrap();
    assert_eq!(election.rankings.len(), 2);
    assert_eq!(election.rankings.voters(), 5);
    assert_eq!(election.rankings.merged().len(), 1);
}

#[test]
fn an_unsorted_tie_is_kept_as_written() {
    let election = preflib::read_from(
        "x",
        &b"# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n1: {3,1},2\n"[..],
        1000,
    )
    .unwrap();
    assert_eq!(election.rankings.get(0).alternatives, [2, 0, 1]);
    let written = String::from_utf8(preflib_written(&election, DataType::Toc)).unwrap();
    assert!(written.ends_with("\n1: {3,1},2\n"), "{written}");
}

#[test]
fn the_preflib_writer_refuses_what_would_not_read_back() {
    let election = preflib::read("x.soi", soi("3: 1,2,3\n2: 2\n").as_bytes()).unwrap();
    let refused = |election: &Election, kind: DataType| {
        let mut out = Vec::new();
        let error = preflib::write(election, kind, &mut out).unwrap_err().to_string();
        assert!(out.is_empty(), "nothing is written");
        error
    };
    assert_eq!(
        refused(&election, DataType::Soc),
        "cannot be written as PrefLib soc: ballot 2 ranks 1 of the 3 alternatives, but the orders of a soc file are complete"
    );
    let withdrawn = Election { withdrawn: vec![1], ..election.clone() };
    assert!(refused(&withdrawn, DataType::Soi).contains("no place for withdrawn alternatives"));
    let broken_name = Election { alternatives: vec!["Ann".into(), "Bob\nBobby".into(), "Cy".into()], ..election.clone() };
    assert!(refused(&broken_name, DataType::Soi).contains("has a line break"));
    let mut reserved = election.clone();
    reserved.metadata.push(("NUMBER VOTERS".into(), "7".into()));
    assert!(refused(&reserved, DataType::Soi).contains("would be read as the election's own NUMBER VOTERS"));
    let mut colon = election.clone();
    colon.metadata.push(("a:b".into(), "c".into()));
    assert!(refused(&colon, DataType::Soi).contains("cannot be a header line"));
    let mut twice = election.clone();
    twice.metadata.push(("FILE NAME".into(), "a".into()));
    twice.metadata.push(("FILE NAME".into(), "b".into()));
    assert!(refused(&twice, DataType::Soi).contains("given twice"));
    // What PrefLib has no place for and does not change a count is left out.
    let blt_facts = Election { seats: Some(2), nicknames: vec!["a".into(), "b".into(), "c".into()], ..election.clone() };
    assert_eq!(preflib::read("x.soi", &preflib_written(&blt_facts, DataType::Soi)).unwrap(), election);
}

#[test]
fn preflib_read_from_refuses_input_longer_than_the_limit_before_parsing() {
    let text = soi("3: 1,2,3\n2: 2\n");
    let error = preflib::read_from("big.soi", text.as_bytes(), text.len() as u64 - 1).unwrap_err().to_string();
    assert_eq!(error, format!("big.soi: the file is longer than the limit of {} bytes", text.len() - 1));
    assert!(preflib::read_from("ok.soi", text.as_bytes(), text.len() as u64).is_ok());
}

// ---------------------------------------------------------------------------------------------
// BLT: quirks

const BLT: &str = "4 2\n-2\n3 1 3 4 0\n4 1 3 2 0\n2 4 1=3 0\n1 0\n0\n\"Adam\"\n\"Basil\"\n\"Charlotte\"\n\"Donald\"\n\"Title\"\n";

#[test]
fn a_blt_file_reads_as_its_ballots_say() {
    let election = blt::read("x.blt", BLT.as_bytes()).unwrap();
    assert_eq!(election.seats, Some(2));
    assert_eq!(election.withdrawn, [1]);
    assert_eq!(election.alternatives, ["Adam", "Basil", "Charlotte", "Donald"]);
    assert_eq!(election.title.as_deref(), Some("Title"));
    let ballots: Vec<(u64, Vec<Vec<u16>>)> =
        election.rankings.iter().map(|r| (r.count, r.groups().map(<[u16]>::to_vec).collect())).collect();
    assert_eq!(
        ballots,
        [(3, vec![vec![0], vec![2], vec![3]]), (4, vec![vec![0], vec![2], vec![1]]), (2, vec![vec![3], vec![0, 2]]), (1, vec![])]
    );
    assert_eq!(String::from_utf8(blt_written(&election)).unwrap(), BLT, "written back as it was");
}

#[test]
fn comments_line_endings_and_layout_do_not_change_a_blt_file() {
    let clean = blt::read("x.blt", BLT.as_bytes()).unwrap();
    let variants = [
        BLT.replace('\n', "\r\n"),
        BLT.replace('\n', "\r"),
        format!("\u{feff}{BLT}"),
        BLT.replace("4 2\n-2\n", "# generated\n4 /* candidates */ 2\n\n  -2 # Basil withdrew\n"),
        BLT.replace("4 2\n-2\n", "4\n2 [withdrawn 2]\n").replace("\n0\n\"Adam\"", " 0\n\"Adam\"  "),
        BLT.replace("3 1 3 4 0\n4 1 3 2 0", "3 1 3 4 0 4 1 3 2 0").replace("\"Title\"\n", "\"Title\""),
        BLT.replace("4 2\n-2\n", "4 2\n[nick a b c d]\n[withdrawn b]\n")
            .replace("4 1=3 0", "d a=c 0")
            .replace("3 1 3 4 0", "3 a c d 0"),
    ];
    for variant in &variants {
        let read = blt::read("x.blt", variant.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{variant}"));
        assert_eq!(Election { nicknames: Vec::new(), ..read }, clean, "{variant:?}");
    }
}

#[test]
fn options_ids_and_the_text_after_the_title_are_kept_and_written_back() {
    let text = "3 1\n[nick a b c]\n[droop rule=meek precision=8]\n[tie c a b]\n[future]\n(v1) a b 0\n( v2  x ) c 0\n(v3) b=c 0\n0\n\
                \"Ann\"\n\"Bob\"\n\"Cy\"\n\"Club 2024\"  \"Returning officer\"\n\"Counted twice\"\nFirst preferences\r\n 1 1 1\n";
    let election = blt::read("x.blt", text.as_bytes()).unwrap();
    assert_eq!(election.tie_order, [2, 0, 1]);
    assert_eq!(election.ballot_ids, ["v1", "v2 x", "v3"]);
    assert_eq!(election.rankings.voters(), 3);
    let metadata: Vec<(&str, &str)> = election.metadata.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        metadata,
        [
            ("[droop]", "rule=meek precision=8"),
            ("[future]", ""),
            ("source", "Returning officer"),
            ("comment", "Counted twice"),
            ("notes", "First preferences\n 1 1 1")
        ]
    );
    let written = String::from_utf8(blt_written(&election)).unwrap();
    assert_eq!(
        written,
        "3 1\n[nick a b c]\n[tie c a b]\n[droop rule=meek precision=8]\n[future]\n(v1) a b 0\n(v2 x) c 0\n(v3) b=c 0\n0\n\
         \"Ann\"\n\"Bob\"\n\"Cy\"\n\"Club 2024\"\n\"Returning officer\"\n\"Counted twice\"\nFirst preferences\n 1 1 1\n"
    );
    assert_eq!(blt::read("w.blt", written.as_bytes()).unwrap(), election);
}

#[test]
fn an_empty_title_is_no_title_and_no_title_is_written_empty() {
    let election = blt::read("x.blt", b"1 1\n1 1 0\n0\n\"A\"\n\"\"").unwrap();
    assert_eq!(election.title, None);
    assert!(String::from_utf8(blt_written(&election)).unwrap().ends_with("\"A\"\n\"\"\n"));
}

#[test]
fn the_blt_writer_refuses_what_would_not_read_back() {
    let election = blt::read("x.blt", BLT.as_bytes()).unwrap();
    let refused = |election: &Election| {
        let mut out = Vec::new();
        let error = blt::write(election, &mut out).unwrap_err().to_string();
        assert!(out.is_empty(), "nothing is written");
        error
    };
    let no_seats = Election { seats: None, ..election.clone() };
    assert_eq!(refused(&no_seats), "cannot be written as BLT: a BLT file states the number of seats, and the election has none");
    let quote = Election { title: Some("The \"best\" club".into()), ..election.clone() };
    assert!(refused(&quote).contains("has a `\"` or a line break"));
    let nicks = Election { nicknames: vec!["a".into(), "2".into(), "c".into(), "d".into()], ..election.clone() };
    assert!(refused(&nicks).contains("must not be a number"));
    let tie = Election { tie_order: vec![0, 1, 1, 3], ..election.clone() };
    assert!(refused(&tie).contains("every alternative once"));
    let ids = Election { ballot_ids: vec!["a".into(), "b".into(), "c".into(), "d".into()], ..election.clone() };
    assert!(refused(&ids).contains("has a count of 3"));
    let mut option = election.clone();
    option.metadata.push(("[nick]".into(), "a b c d".into()));
    assert!(refused(&option).contains("cannot be written"));
    let mut comment = election.clone();
    comment.metadata.push(("comment".into(), "no source".into()));
    assert!(refused(&comment).contains("a comment without a source"));
    // PrefLib's header has no place in BLT and is left out.
    let mut preflib_facts = election.clone();
    preflib_facts.metadata.push(("FILE NAME".into(), "x.soi".into()));
    assert_eq!(blt::read("w.blt", &blt_written(&preflib_facts)).unwrap(), election);
}

#[test]
fn a_blt_file_on_one_line_reads_in_linear_time() {
    // Columns are counted once per line: counting from the start of the line for every token
    // would take hours here.
    let ballots = "1 1 2=3 0 ".repeat(200_000);
    let text = format!("3 1 {ballots}0 \"A\" \"B\" \"C\" \"T\"");
    let election = blt::read("x.blt", text.as_bytes()).unwrap();
    assert_eq!(election.rankings.voters(), 200_000);
    let tie = (1..=20_000).map(|a| a.to_string()).collect::<Vec<_>>().join("=");
    let names = "\"n\" ".repeat(20_000);
    let wide = format!("20000 1 1 {tie} 0 0 {names}\"T\"");
    assert_eq!(blt::read("x.blt", wide.as_bytes()).unwrap().rankings.get(0).alternatives.len(), 20_000);
}

#[test]
fn blt_read_from_refuses_input_longer_than_the_limit_before_parsing() {
    let error = blt::read_from("big.blt", BLT.as_bytes(), 10).unwrap_err().to_string();
    assert_eq!(error, "big.blt: the file is longer than the limit of 10 bytes");
    assert!(blt::read_from("ok.blt", BLT.as_bytes(), BLT.len() as u64).is_ok());
}

#[test]
fn a_preflib_election_becomes_a_blt_file_and_back() {
    for (name, bytes) in preflib_files() {
        let election = preflib::read(&name, &bytes).unwrap();
        let seated = Election { seats: Some(1), metadata: Vec::new(), ..election.clone() };
        if election.alternatives.iter().any(|n| n.contains('"')) {
            // Minneapolis: PrefLib's names are `"Nancy Bernard"`, quotes included, and BLT has
            // no way to quote a quote.
            assert!(blt::write(&seated, &mut Vec::new()).is_err(), "{name}");
            continue;
        }
        let through_blt = blt::read("x.blt", &blt_written(&seated)).unwrap();
        assert_eq!(through_blt, seated, "{name}");
        let kind = DataType::of_file_name(&name).unwrap();
        let back = preflib::read(&name, &preflib_written(&Election { metadata: election.metadata.clone(), ..through_blt }, kind));
        assert_eq!(back.unwrap(), election, "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Random elections

/// A ranked ballot over `m` alternatives: a random order, truncated, with some neighbours tied.
fn ballot(m: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    (Just((0..m).collect::<Vec<_>>()).prop_shuffle(), 0..=m, prop::collection::vec(prop::bool::weighted(0.25), m)).prop_map(
        |(order, len, tied)| {
            let mut groups: Vec<Vec<usize>> = Vec::new();
            for (i, &a) in order[..len].iter().enumerate() {
                match groups.last_mut() {
                    Some(group) if tied[i] => group.push(a),
                    _ => groups.push(vec![a]),
                }
            }
            groups
        },
    )
}

/// Text for names and titles: letters, digits, punctuation, blanks and non-ASCII, trimmed.
fn text(min: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[A-Za-z0-9 .,:;'#=(){{}}\\[\\]/*ÀéøŁ€-]{{{min},14}}"))
        .unwrap()
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("long enough", move |s| s.chars().count() >= min)
}

fn word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_.]{0,6}"
}

/// Title, names and ballots: what both formats hold.
fn core() -> impl Strategy<Value = Election> {
    (0..7usize).prop_flat_map(|m| {
        (
            prop::option::of(text(1)),
            prop::collection::vec(text(0), m),
            prop::collection::vec((1..5000u64, ballot(m)), 0..12),
            prop::option::of(0..5usize),
        )
            .prop_map(move |(title, alternatives, ballots, seats)| {
                let mut rankings = Rankings::new(m).unwrap();
                for (count, groups) in &ballots {
                    rankings.push(*count, groups).unwrap();
                }
                Election { title, alternatives, rankings, seats, ..Election::default() }
            })
    })
}

const PREFLIB_STANDARD: [&str; 7] =
    ["FILE NAME", "DESCRIPTION", "MODIFICATION TYPE", "RELATES TO", "RELATED FILES", "PUBLICATION DATE", "MODIFICATION DATE"];

/// An election as a PrefLib file can hold it: metadata in the reader's order (standard keys with
/// values, in PrefLib's order, then others), no seats.
fn preflib_election() -> impl Strategy<Value = Election> {
    let standard = prop::collection::vec(prop::option::of(text(1)), PREFLIB_STANDARD.len());
    let extra_key = "[A-Za-z][A-Za-z0-9 _-]{0,10}[A-Za-z0-9]".prop_filter("not a key with a meaning", |k| {
        !PREFLIB_STANDARD.contains(&k.as_str())
            && !["TITLE", "DATA TYPE", "NUMBER ALTERNATIVES", "NUMBER VOTERS", "NUMBER UNIQUE ORDERS"].contains(&k.as_str())
            && !k.starts_with("ALTERNATIVE NAME")
    });
    (core(), standard, prop::collection::vec((extra_key, text(0)), 0..3)).prop_map(|(election, standard, extras)| {
        let mut metadata: Vec<(String, String)> =
            PREFLIB_STANDARD.iter().zip(standard).filter_map(|(k, v)| v.map(|v| ((*k).to_owned(), v))).collect();
        metadata.extend(extras);
        Election { seats: None, metadata, ..election }
    })
}

/// An election as a BLT file can hold it: seats, withdrawals, nicknames, a tie order, ballot ids,
/// options, source, comment and notes.
fn blt_election() -> impl Strategy<Value = Election> {
    let options = prop::collection::vec(
        (
            word().prop_filter("own field", |w| !["nick", "withdrawn", "tie"].contains(&w.as_str())),
            prop::collection::vec(word(), 0..3),
        ),
        0..3,
    );
    let notes = prop::collection::vec("[A-Za-z0-9 .:#\"]{0,12}", 0..3).prop_map(|lines| lines.join("\n").trim().to_owned());
    (
        core(),
        0..5usize,
        prop::option::of(word()),
        any::<bool>(),
        any::<bool>(),
        options,
        prop::option::of(text(0)),
        prop::option::of(text(0)),
        notes,
    )
        .prop_flat_map(|(election, seats, nick_prefix, tie, ids, options, source, comment, notes)| {
            let m = election.rankings.alternatives();
            let tie_order = if tie { Just((0..m).collect::<Vec<_>>()).prop_shuffle().boxed() } else { Just(Vec::new()).boxed() };
            (
                Just((election, seats, nick_prefix, ids, options, source, comment, notes)),
                prop::collection::vec(any::<bool>(), m),
                tie_order,
            )
        })
        .prop_map(|((election, seats, nick_prefix, ids, options, source, comment, notes), withdrawn, tie_order)| {
            let m = election.rankings.alternatives();
            let quoteless = |s: String| s.replace('"', "'");
            let mut metadata: Vec<(String, String)> =
                options.into_iter().map(|(name, values)| (format!("[{name}]"), values.join(" "))).collect();
            let source = source.map(quoteless);
            let comment = comment.map(quoteless).filter(|_| source.is_some());
            let both = source.is_some() && comment.is_some();
            metadata.extend(source.map(|s| ("source".to_owned(), s)));
            metadata.extend(comment.map(|c| ("comment".to_owned(), c)));
            if !notes.is_empty() && (both || !notes.starts_with('"')) {
                metadata.push(("notes".to_owned(), notes));
            }
            let mut rankings = election.rankings.clone();
            let mut ballot_ids = Vec::new();
            if ids {
                // A ballot with an id is one voter's.
                rankings = Rankings::new(m).unwrap();
                for (i, ballot) in election.rankings.iter().enumerate() {
                    rankings
                        .push(
                            1,
                            &ballot.groups().map(|g| g.iter().map(|&a| usize::from(a)).collect::<Vec<_>>()).collect::<Vec<_>>(),
                        )
                        .unwrap();
                    ballot_ids.push(format!("b{i} {}", i * 7 % 5));
                }
            }
            Election {
                title: election.title.map(quoteless).filter(|t| !t.is_empty()),
                alternatives: election.alternatives.into_iter().map(quoteless).collect(),
                seats: Some(seats),
                withdrawn: withdrawn.iter().enumerate().filter(|&(_, &w)| w).map(|(a, _)| a).collect(),
                rankings,
                metadata,
                nicknames: nick_prefix.map(|p| (0..m).map(|a| format!("{p}{a}")).collect()).unwrap_or_default(),
                tie_order,
                ballot_ids,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_elections_survive_the_preflib_writer_as_their_own_type_and_as_toi(election in preflib_election()) {
        for kind in [DataType::of(&election.rankings), DataType::Toi] {
            let text = preflib_written(&election, kind);
            let name = format!("random.{kind}");
            let again = preflib::read(&name, &text).map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&text))))?;
            prop_assert_eq!(&again, &election);
        }
    }

    #[test]
    fn random_elections_survive_the_blt_writer(election in blt_election()) {
        let text = blt_written(&election);
        let again = blt::read("random.blt", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&text))))?;
        prop_assert_eq!(again, election);
    }

    #[test]
    fn any_text_is_read_or_refused_and_what_reads_survives_write_and_read(text in "[0-9 :,{}#\\[\\]()\"=a-c\n-]{0,80}") {
        for name in ["soup.toi", "soup"] {
            let with_header = format!("# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: a\n# ALTERNATIVE NAME 2: b\n# ALTERNATIVE NAME 3: c\n{text}");
            for input in [text.as_str(), with_header.as_str()] {
                if let Ok(election) = preflib::read(name, input.as_bytes()) {
                    prop_assert_eq!(preflib::read("w.toi", &preflib_written(&election, DataType::Toi)).unwrap(), election);
                }
            }
        }
        for input in [text.clone(), format!("3 2\n{text}"), format!("3 2\n{text}\n0\n\"a\"\n\"b\"\n\"c\"\n\"t\"")] {
            if let Ok(election) = blt::read("soup.blt", input.as_bytes()) {
                prop_assert_eq!(blt::read("w.blt", &blt_written(&election)).unwrap(), election);
            }
        }
    }
}
