//! The Pabulib format: every quirk of the reader, errors that say where, the writer's round
//! trip on every real file and on random elections, and the checker against pabulib's own.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly on broken fixtures")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plenum_choice::Rational;
use plenum_choice::pb::check::check;
use plenum_choice::pb::pabulib::{read, read_from, write};
use plenum_choice::pb::{Column, Election, Instance, Meta, Profile, Project, VoteType, Voter};
use proptest::prelude::*;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib")
}

/// Every `.pb` file under `testdata/pabulib` (top level, `large/`, `edge/`), relative names.
fn all_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["", "large", "edge"] {
        for entry in std::fs::read_dir(testdata().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "pb") {
                let name = path.file_name().unwrap().to_str().unwrap();
                files.push(if dir.is_empty() { name.to_owned() } else { format!("{dir}/{name}") });
            }
        }
    }
    files.sort();
    files
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(testdata().join(name)).unwrap()
}

fn read_file(name: &str) -> Result<Election, String> {
    read(name, &bytes(name)).map_err(|e| e.to_string())
}

fn written(election: &Election) -> Vec<u8> {
    let mut out = Vec::new();
    write(election, &mut out).unwrap();
    out
}

fn q(s: &str) -> Rational {
    s.parse().unwrap()
}

/// The project names of an election, in order.
fn names(election: &Election) -> Vec<Option<&str>> {
    (0..election.instance.projects.len()).map(|p| election.instance.project_field(p, "name")).collect()
}

// ---------------------------------------------------------------------------------------------
// Real files

#[test]
fn every_real_file_reads_with_as_many_ballots_as_it_declares() {
    for name in all_files().iter().filter(|f| !f.starts_with("edge/")) {
        let election = read_file(name).unwrap();
        let meta = &election.instance.meta;
        assert_eq!(meta.get("num_votes").unwrap().parse::<usize>().unwrap(), election.profile.voters.len(), "{name}");
        assert_eq!(meta.get("num_projects").unwrap().parse::<usize>().unwrap(), election.instance.projects.len(), "{name}");
    }
}

#[test]
fn every_readable_file_survives_write_and_read_unchanged() {
    let mut checked = 0;
    for name in all_files() {
        let Ok(election) = read_file(&name) else { continue };
        let text = written(&election);
        let again = read("written", &text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(again == election, "{name} changed in the round trip");
        assert!(!text.contains(&b'\r'), "{name}: the writer uses LF line endings");
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} files were read");
}

#[test]
fn decimal_costs_of_toulouse_are_exact() {
    let election = read_file("France_Toulouse_2022_17_-_Mirail-Universite_Reynerie_Bellefontaine.pb").unwrap();
    assert!(election.instance.projects.iter().all(|p| p.cost.is_integer()), "200000.0 reads as 200000");
    let text = String::from_utf8(written(&election)).unwrap();
    assert!(!text.contains(".0;"), "integers are written as integers");
}

#[test]
fn a_literal_quote_inside_an_unquoted_cell_is_kept() {
    let election = read_file("Poland_Czestochowa_2020_Bleszno.pb").unwrap();
    assert!(names(&election).iter().flatten().any(|n| n.contains("Konkurs \" NA NAJ")), "{:?}", names(&election));
}

#[test]
fn ordinal_points_of_krakow_are_optional_and_kept_when_given() {
    let election = read_file("large/Poland_Krakow_2024.pb").unwrap();
    assert_eq!(election.profile.vote_type, VoteType::Ordinal);
    assert_eq!(election.profile.voters.len(), 65_101);
    assert!(election.profile.voters.iter().all(|v| v.points.is_none()));
}

#[test]
fn sentinel_costs_are_kept() {
    let election = read_file("edge/sentinel-cost.pb").unwrap();
    assert_eq!(election.instance.projects[3].cost, Rational::integer(plenum_choice::pb::SENTINEL_COST));
}

// ---------------------------------------------------------------------------------------------
// Quirks, one edge file each

#[test]
fn crlf_and_lf_lines_read_the_same() {
    let valid = read_file("edge/valid.pb").unwrap();
    for name in ["edge/crlf.pb", "edge/mixed-line-endings-no-final-newline.pb"] {
        assert!(read_file(name).unwrap() == valid, "{name}");
    }
}

#[test]
fn a_byte_order_mark_is_skipped() {
    assert!(read_file("edge/bom.pb").unwrap() == read_file("edge/valid.pb").unwrap());
}

#[test]
fn blank_lines_are_skipped_anywhere() {
    assert!(read_file("edge/blank-lines.pb").unwrap() == read_file("edge/valid.pb").unwrap());
}

#[test]
fn section_markers_are_matched_in_any_case_with_blanks_around() {
    assert!(read_file("edge/section-markers-case-and-blanks.pb").unwrap() == read_file("edge/valid.pb").unwrap());
}

#[test]
fn quoted_cells_read_as_pythons_csv_reads_them() {
    let election = read_file("edge/quotes.pb").unwrap();
    assert_eq!(
        names(&election),
        vec![Some("Park; with \"fountain\""), Some("Konkurs \" NA NAJ"), Some("Bike\nlane to the river")]
    );
}

#[test]
fn decimal_costs_and_budget_are_exact() {
    let election = read_file("edge/decimal-costs.pb").unwrap();
    assert_eq!(election.instance.budget, Rational::integer(1000));
    assert_eq!(election.instance.projects[0].cost, q("600.5"));
    assert_eq!(election.instance.projects[2].cost, q("1197/4"));
}

#[test]
fn a_decimal_comma_reads_as_a_point_as_in_pabutools() {
    assert_eq!(read_file("edge/decimal-comma.pb").unwrap().instance.projects[2].cost, q("300.5"));
}

#[test]
fn exact_fractions_are_accepted_as_costs() {
    assert_eq!(read_file("edge/cost-as-fraction.pb").unwrap().instance.projects[2].cost, q("601/2"));
}

#[test]
fn none_cells_are_absent_in_any_case() {
    let election = read_file("edge/none-cells.pb").unwrap();
    assert_eq!(names(&election), vec![Some("Park"), None, None]);
    let category: Vec<_> = (0..3).map(|p| election.instance.project_field(p, "category")).collect();
    assert_eq!(category, vec![None, Some("culture"), None]);
    assert_eq!(election.profile.columns.len(), 1);
    assert_eq!(election.profile.columns[0].get(0), None);
    assert_eq!(election.profile.columns[0].get(1), Some("F"));
}

#[test]
fn empty_and_none_votes_are_empty_ballots() {
    let election = read_file("edge/empty-and-none-votes.pb").unwrap();
    assert_eq!(election.profile.voters.len(), 6);
    assert!(election.profile.voters.get(4).unwrap().vote.is_empty());
    assert!(election.profile.voters.get(5).unwrap().vote.is_empty());
}

#[test]
fn a_project_named_twice_in_a_vote_is_kept_twice() {
    let election = read_file("edge/duplicate-project-in-vote.pb").unwrap();
    assert_eq!(election.profile.voters.get(1).unwrap().vote, [0, 2, 0]);
}

#[test]
fn cumulative_points_line_up_with_the_vote() {
    let election = read_file("edge/cumulative.pb").unwrap();
    assert_eq!(election.profile.voters.get(3).unwrap().vote, [2, 1]);
    assert_eq!(election.profile.voters.get(3).unwrap().points, Some(&[q("6"), q("4")][..]));
}

#[test]
fn ordinal_ballots_may_have_points_or_not() {
    assert!(read_file("edge/ordinal-with-points.pb").unwrap().profile.voters.get(0).unwrap().points.is_some());
    assert!(read_file("edge/ordinal-without-points.pb").unwrap().profile.voters.get(0).unwrap().points.is_none());
}

#[test]
fn points_on_approval_ballots_are_kept() {
    let election = read_file("edge/approval-with-points.pb").unwrap();
    assert_eq!(election.profile.voters.get(0).unwrap().points, Some(&[q("1"), q("1")][..]));
    assert_eq!(election.profile.voters.get(1).unwrap().points, None);
}

#[test]
fn vote_items_are_trimmed() {
    assert!(read_file("edge/whitespace-around-vote-items.pb").unwrap() == read_file("edge/valid.pb").unwrap());
}

#[test]
fn trailing_empty_cells_are_tolerated() {
    assert!(read_file("edge/trailing-semicolons.pb").unwrap() == read_file("edge/valid.pb").unwrap());
}

#[test]
fn extra_columns_are_kept_in_fields() {
    let election = read_file("Switzerland_Zurich_D10.pb").unwrap();
    assert!(election.profile.columns.iter().any(|c| c.name == "time_taken_seconds"));
    assert_eq!(election.instance.project_columns, ["votes", "score", "name", "category", "district"]);
}

/// Each broken edge file and the error the reader gives, exactly as displayed.
const READ_ERRORS: &[(&str, &str)] = &[
    ("bad-meta-header.pb", "2:1: META must start with the header `key;value`, found \"key;val\""),
    (
        "cost-not-a-number.pb",
        "20:3: the cost of project \"3\": expected a number such as 85700 or 200000.0, found \"three hundred\"",
    ),
    ("data-before-meta.pb", "1:1: expected the META section, found \"hello\""),
    ("duplicate-project-id.pb", "20:1: duplicated project_id \"2\""),
    ("duplicate-voter-id.pb", "26:1: duplicated voter_id \"3\""),
    (
        "duplicated-section.pb",
        "27:1: section PROJECTS after VOTES: each section appears once, in the order META, PROJECTS, VOTES",
    ),
    ("empty-voter-id.pb", "26:1: VOTES row with no voter_id (found \"\")"),
    ("empty.pb", ": the file is empty: expected a META section"),
    ("extra-cells.pb", "19:19: the row of project \"2\" has 6 cells but the header has 5: unexpected \"surplus\""),
    ("invalid-utf8.pb", "19:13: the file is not valid UTF-8: byte 0xFF does not continue a character here"),
    ("meta-duplicate-key.pb", "12:1: duplicated META key \"budget\""),
    ("missing-budget.pb", "1: META has no `budget` row"),
    ("missing-cost-column.pb", "17:1: the PROJECTS header has no `cost` column"),
    ("missing-vote-column.pb", "22:1: the VOTES header has no `vote` column"),
    ("missing-votes-section.pb", "21: the file ends without a VOTES section"),
    ("negative-cost.pb", "20:3: the cost of project \"3\" must not be negative, found \"-300\""),
    ("points-length-mismatch.pb", "25:7: voter \"2\" names 2 projects in vote but 1 values in points"),
    ("points-missing.pb", "25:3: voter \"2\" has no points, which vote_type cumulative requires"),
    ("points-not-a-number.pb", "25:9: points of voter \"2\": expected a number such as 3 or 1.5, found \"five\""),
    ("sections-out-of-order.pb", "16:1: section VOTES comes before PROJECTS: the order is META, PROJECTS, VOTES"),
    ("unclosed-quote.pb", "19:9: this quoted cell is never closed: expected a closing \""),
    ("unknown-project-in-vote.pb", "26:5: vote names project \"99\", which is not in PROJECTS"),
    ("unknown-vote-type.pb", "10:11: unknown vote_type \"ranked\": expected approval, choose-1, cumulative, scoring or ordinal"),
    ("wrong-first-column.pb", "17:1: the PROJECTS header must start with `project_id`, found \"id\""),
];

#[test]
fn broken_files_are_refused_with_file_line_column_and_what_was_found() {
    for (file, expected) in READ_ERRORS {
        let name = format!("edge/{file}");
        let error = read_file(&name).err().unwrap_or_else(|| panic!("{name} was read"));
        let expected = if expected.starts_with(':') { format!("{name}{expected}") } else { format!("{name}:{expected}") };
        assert_eq!(error, expected);
    }
    let refused: Vec<_> = all_files().into_iter().filter(|f| read_file(f).is_err()).collect();
    let listed: Vec<_> = READ_ERRORS.iter().map(|(f, _)| format!("edge/{f}")).collect();
    assert_eq!(refused, listed, "every refused file is listed above");
}

#[test]
fn errors_expose_their_parts() {
    let error = read(
        "x.pb",
        b"META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n7;1,2\n",
    )
    .unwrap_err();
    assert_eq!((error.file(), error.line(), error.column()), ("x.pb", Some(10), Some(5)));
    assert_eq!(error.message(), "vote names project \"2\", which is not in PROJECTS");
}

#[test]
fn a_cell_longer_than_pythons_limit_is_refused() {
    let long = "a".repeat(131_073);
    let text = format!(
        "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;5;{long}\nVOTES\nvoter_id;vote\n"
    );
    let error = read("long.pb", text.as_bytes()).unwrap_err().to_string();
    assert_eq!(error, "long.pb:7:5: a cell is longer than 131072 characters, Python's csv limit");
}

#[test]
fn read_from_refuses_input_longer_than_the_limit_before_parsing() {
    let text = bytes("edge/valid.pb");
    let error = read_from("big.pb", &text[..], text.len() as u64 - 1).unwrap_err().to_string();
    assert_eq!(error, format!("big.pb: the file is longer than the limit of {} bytes", text.len() - 1));
    assert!(read_from("ok.pb", &text[..], text.len() as u64).is_ok());
}

#[test]
fn a_project_id_with_a_comma_is_refused_as_it_could_not_be_voted_for() {
    let text = "META\nkey;value\nbudget;1\nvote_type;approval\nPROJECTS\nproject_id;cost\n\"1,5\";5\nVOTES\nvoter_id;vote\n";
    let error = read("c.pb", text.as_bytes()).unwrap_err().to_string();
    assert_eq!(error, "c.pb:7:1: project_id \"1,5\" contains a comma, which separates the projects of a vote");
}

/// Text made of the format's own pieces, in any order: what a fuzzer would try first.
fn pabulib_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "META\n",
        "PROJECTS\n",
        "VOTES\n",
        "key;value\n",
        "project_id;cost;votes;name;selected\n",
        "voter_id;vote;points\n",
        "budget;100\n",
        "vote_type;approval\n",
        "vote_type;cumulative\n",
        "rule;greedy\n",
        "rule;equalshares/add1\n",
        "num_votes;2\n",
        "1;50;1;a;1\n",
        "2;60,5;1;\"b;c\";0\n",
        "v1;1,2;3,4\n",
        "v2;;\n",
        "v3;2\n",
        ";",
        "\"",
        "\r\n",
        "\r",
        " ",
        ",",
        "None",
        "ą",
        "\u{feff}",
        "999999999",
        "-1",
        "1/3",
        "\n",
        "x\"y",
        "\"\"",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn any_text_is_read_or_refused_and_checked_without_panicking(text in pabulib_soup()) {
        let _ = check("soup.pb", text.as_bytes());
        if let Ok(election) = read("soup.pb", text.as_bytes()) {
            let again = read("written.pb", &written(&election)).unwrap();
            prop_assert!(again == election);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writer

#[test]
fn the_writer_quotes_only_cells_that_need_it() {
    let text = String::from_utf8(written(&read_file("edge/quotes.pb").unwrap())).unwrap();
    assert!(text.contains("1;600;3;\"Park; with \"\"fountain\"\"\";1\n"), "{text}");
    assert!(text.contains("2;500;2;\"Konkurs \"\" NA NAJ\";0\n"), "{text}");
    assert!(text.contains("3;300;2;\"Bike\nlane to the river\";1\n"), "{text}");
    assert!(text.starts_with("META\nkey;value\ndescription;Hand-made edge case for Plenum\n"));
}

#[test]
fn values_without_a_finite_decimal_are_written_as_fractions() {
    let mut election = read_file("edge/valid.pb").unwrap();
    election.instance.projects[0].cost = q("1/3");
    election.instance.projects[1].cost = q("216829.41");
    election.instance.budget = q("2000/3");
    election.instance.meta.set("budget", "2000/3");
    let text = String::from_utf8(written(&election)).unwrap();
    assert!(text.contains("\n1;1/3;") && text.contains("\n2;216829.41;") && text.contains("\nbudget;2000/3\n"), "{text}");
    assert!(read("w", text.as_bytes()).unwrap() == election);
}

#[test]
fn the_writer_makes_budget_and_vote_type_agree_with_the_election() {
    let mut election = read_file("edge/valid.pb").unwrap();
    election.instance.budget = Rational::integer(1500);
    election.profile.vote_type = VoteType::Ordinal;
    let again = read("w", &written(&election)).unwrap();
    assert_eq!(again.instance.meta.get("budget"), Some("1500"));
    assert_eq!(again.instance.meta.get("vote_type"), Some("ordinal"));
}

#[test]
fn elections_that_cannot_be_written_faithfully_are_refused() {
    let valid = read_file("edge/valid.pb").unwrap();
    type Breakage = Box<dyn Fn(&mut Election)>;
    // Edits the first voter's ballot.
    fn first_voter(e: &mut Election, edit: impl Fn(&mut Voter)) {
        let mut voters = e.profile.voters.to_vec();
        edit(&mut voters[0]);
        e.profile.voters = voters.into_iter().collect();
    }
    let cases: Vec<(&str, Breakage)> = vec![
        ("comma in project id", Box::new(|e| e.instance.projects[0].id = "1,2".into())),
        ("repeated project id", Box::new(|e| e.instance.projects[1].id = "1".into())),
        ("section name as id", Box::new(|e| first_voter(e, |v| v.id = "Votes".into()))),
        ("None as id", Box::new(|e| first_voter(e, |v| v.id = "none".into()))),
        ("negative cost", Box::new(|e| e.instance.projects[0].cost = q("-1"))),
        ("vote for no project", Box::new(|e| first_voter(e, |v| v.vote.push(7)))),
        ("points not aligned", Box::new(|e| first_voter(e, |v| v.points = Some(vec![q("1")])))),
        ("fields not aligned", Box::new(|e| e.instance.projects[0].fields.push(None))),
        ("repeated column", Box::new(|e| e.instance.project_columns[0] = "NAME".into())),
    ];
    for (what, break_it) in cases {
        let mut election = valid.clone();
        break_it(&mut election);
        let mut out = Vec::new();
        let error = write(&election, &mut out).expect_err(what);
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{what}");
        assert!(out.is_empty(), "{what}: nothing is written");
    }
}

// ---------------------------------------------------------------------------------------------
// Random elections survive write → read

/// Text that reads back as itself in a cell: trimmed, not empty, not `None`, no `\r`.
fn cell_text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9ąé;\",. \n-]{1,12}"
        .prop_map(|s| s.trim().to_owned())
        .prop_filter("reads back", |s| !s.is_empty() && !s.eq_ignore_ascii_case("none") && s.trim() == s)
}

fn amount() -> impl Strategy<Value = (String, Rational)> {
    (0i64..2_000_000, prop::sample::select(vec![1i64, 2, 3, 4, 5, 7, 8, 100, 1000])).prop_map(|(n, d)| {
        let value = Rational::new(n, d).unwrap();
        // Written as a decimal when it has one, as `p/q` otherwise.
        (value.to_string(), value)
    })
}

fn points_value() -> impl Strategy<Value = Rational> {
    (-5i64..200, prop::sample::select(vec![1i64, 2, 4, 3])).prop_map(|(n, d)| Rational::new(n, d).unwrap())
}

fn election() -> impl Strategy<Value = Election> {
    let vote_type = prop::sample::select(vec![
        VoteType::Approval,
        VoteType::ChooseOne,
        VoteType::Cumulative,
        VoteType::Scoring,
        VoteType::Ordinal,
    ]);
    let columns = prop::sample::subsequence(vec!["name", "category", "votes", "sel;ected", "qu\"ote", "lat, lon"], 0..4);
    let voter_columns = prop::sample::subsequence(vec!["age", "sex", "dis;trict", "neighborhood"], 0..3);
    (vote_type, amount(), columns, voter_columns, 1usize..7, prop::collection::vec((cell_text(), cell_text()), 0..4))
        .prop_flat_map(|(vote_type, (budget_text, budget), columns, voter_columns, n, extra_meta)| {
            let columns: Vec<String> = columns.into_iter().map(str::to_owned).collect();
            let voter_columns: Vec<String> = voter_columns.into_iter().map(str::to_owned).collect();
            let width = columns.len();
            let project = (cell_text(), amount(), prop::collection::vec(prop::option::of(cell_text()), width));
            let voter_width = voter_columns.len();
            let voter = (
                cell_text(),
                prop::collection::vec(0..n, 0..5),
                prop::bool::ANY,
                prop::collection::vec(points_value(), 5),
                prop::collection::vec(prop::option::of(cell_text()), voter_width),
            );
            (
                Just((vote_type, budget_text, budget, columns, voter_columns, extra_meta)),
                prop::collection::vec(project, n),
                prop::collection::vec(voter, 0..8),
            )
        })
        .prop_map(|((vote_type, budget_text, budget, columns, voter_columns, extra_meta), projects, voters)| {
            let mut meta = Meta::default();
            meta.set("description", "random; \"quoted\" election");
            meta.set("budget", budget_text);
            meta.set("vote_type", vote_type.as_str());
            for (i, (key, value)) in extra_meta.into_iter().enumerate() {
                meta.set(format!("k{i}_{key}").trim(), value);
            }
            let projects = projects
                .into_iter()
                .enumerate()
                .map(|(i, (id, (_, cost), fields))| Project { id: format!("{i}_{id}").replace(',', "."), cost, fields })
                .collect();
            let mut voter_fields: Vec<Vec<Option<String>>> = Vec::new();
            let voters = voters
                .into_iter()
                .enumerate()
                .map(|(i, (id, vote, with_points, points, fields))| {
                    let points = if vote.is_empty() {
                        None
                    } else if vote_type.requires_points() || with_points {
                        Some(points[..vote.len()].to_vec())
                    } else {
                        None
                    };
                    voter_fields.push(fields);
                    Voter { id: format!("v{i}_{id}"), vote, points }
                })
                .collect();
            let voter_columns = voter_columns
                .into_iter()
                .enumerate()
                .map(|(c, name)| Column::with_values(name, voter_fields.iter().map(|f| f[c].as_deref())))
                .collect();
            Election {
                instance: Instance { meta, budget, project_columns: columns, projects },
                profile: Profile { vote_type, voters, columns: voter_columns },
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_elections_survive_write_and_read(election in election()) {
        let text = written(&election);
        let again = read("random.pb", &text).map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&text))))?;
        prop_assert_eq!(again, election);
    }
}

// ---------------------------------------------------------------------------------------------
// The checker against pabulib's

/// `{kind: count}` of errors and warnings.
type Kinds = (BTreeMap<String, u64>, BTreeMap<String, u64>);

fn kinds_of(report: &plenum_choice::pb::check::Report) -> Kinds {
    let mut errors = BTreeMap::new();
    for f in &report.errors {
        *errors.entry(f.kind.clone()).or_insert(0) += 1;
    }
    let mut warnings = BTreeMap::new();
    for f in &report.warnings {
        *warnings.entry(f.kind.clone()).or_insert(0) += 1;
    }
    (errors, warnings)
}

fn kinds_of_json(value: &serde_json::Value) -> BTreeMap<String, u64> {
    value.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap())).collect()
}

#[test]
fn the_checker_finds_what_pabulibs_checker_finds_on_every_test_file() {
    let expected = std::fs::read_to_string(testdata().join("checker-expected.jsonl")).unwrap();
    let mut files = Vec::new();
    for line in expected.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = record["file"].as_str().unwrap().to_owned();
        let ours = kinds_of(&check(&file, &bytes(&file)));
        let theirs = (kinds_of_json(&record["errors"]), kinds_of_json(&record["warnings"]));
        let keys = |m: &BTreeMap<String, u64>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!((keys(&ours.0), keys(&ours.1)), (keys(&theirs.0), keys(&theirs.1)), "kinds of findings in {file}");
        assert_eq!(ours, theirs, "number of findings of each kind in {file}");
        files.push(file);
    }
    assert_eq!(files, all_files(), "checker-expected.jsonl covers every test file: run make-checker-expected.py");
}

#[test]
fn findings_say_where_they_are() {
    let report = check("edge/unknown-project-in-vote.pb", &bytes("edge/unknown-project-in-vote.pb"));
    let unknown = report.errors.iter().find(|f| f.kind == "vote for non-existent project").unwrap();
    assert_eq!((unknown.line, unknown.column), (Some(26), Some(3)));
    let report = check("edge/section-markers-case-and-blanks.pb", &bytes("edge/section-markers-case-and-blanks.pb"));
    let lines: Vec<_> = report.errors.iter().map(|f| (f.line, f.column)).collect();
    assert_eq!(lines, vec![(Some(1), Some(1)), (Some(21), Some(1))]);
}

#[test]
fn the_checker_reports_instead_of_failing_on_unreadable_bytes() {
    let report = check("bad.pb", b"META\nkey;value\n\xff\n");
    assert_eq!(report.errors.len(), 1);
    assert_eq!(
        (report.errors[0].kind.as_str(), report.errors[0].line, report.errors[0].column),
        ("processing error", Some(3), Some(1))
    );
}

/// Runs pabulib's checker (through `PLENUM_REF_PYTHON`) on files; `{path: kinds of errors}`.
fn reference_error_kinds(python: &str, files: &[PathBuf]) -> BTreeMap<PathBuf, Vec<String>> {
    const SCRIPT: &str = r#"
import contextlib, io, json, sys
from pabulib.checker import Checker
for path in sys.argv[1:]:
    checker = Checker()
    with contextlib.redirect_stdout(io.StringIO()):
        results = checker.process_files([path])
    (name,) = [k for k in results if k not in ("metadata", "summary")]
    print(json.dumps({"file": path, "errors": sorted(results[name]["results"].get("errors", {}))}))
"#;
    let output = std::process::Command::new(python).arg("-c").arg(SCRIPT).args(files).output().unwrap();
    assert!(output.status.success(), "the reference checker failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let kinds = record["errors"].as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_owned()).collect();
            (PathBuf::from(record["file"].as_str().unwrap()), kinds)
        })
        .collect()
}

#[test]
fn written_files_pass_the_real_pabulib_checker() {
    let Ok(python) = std::env::var("PLENUM_REF_PYTHON") else {
        panic!(
            "PLENUM_REF_PYTHON is not set. This test runs pabulib's own checker on the files Plenum writes. \
             Set it up with `export PLENUM_REF_PYTHON=$(scripts/reference-python.sh)` (a venv with \
             pabulib-checker==1.0.8; CI does this in .ci/run)."
        )
    };
    let dir = std::env::temp_dir().join(format!("plenum-pabulib-written-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut originals = Vec::new();
    let mut copies = Vec::new();
    for name in all_files() {
        let Ok(election) = read_file(&name) else { continue };
        let copy = dir.join(name.replace('/', "__"));
        std::fs::write(&copy, written(&election)).unwrap();
        originals.push(testdata().join(&name));
        copies.push(copy);
    }
    let before = reference_error_kinds(&python, &originals);
    let after = reference_error_kinds(&python, &copies);
    for (original, copy) in originals.iter().zip(&copies) {
        let new: Vec<_> = after[copy].iter().filter(|k| !before[original].contains(k)).collect();
        assert!(new.is_empty(), "{}: the written file has new errors {new:?}", original.display());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The reader's fast path for plain voter rows gives what the general path gives, on every
/// file here and on random mixtures of valid and broken rows.
#[test]
fn the_fast_path_for_plain_rows_reads_exactly_what_the_general_path_reads() {
    use plenum_choice::pb::pabulib::read_every_row_the_long_way;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib");
    let mut files = 0;
    for dir in [root.clone(), root.join("large"), root.join("edge"), root.join("cases")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "pb") {
                let bytes = std::fs::read(&path).unwrap();
                let name = path.display().to_string();
                let (fast, slow) = (read(&name, &bytes), read_every_row_the_long_way(&name, &bytes));
                assert_eq!(fast.map_err(|e| e.to_string()), slow.map_err(|e| e.to_string()), "{name}");
                files += 1;
            }
        }
    }
    assert!(files > 80, "only {files} files");
}

proptest! {
    #[test]
    fn plain_rows_and_odd_rows_read_the_same_either_way(rows in prop::collection::vec(
        prop::sample::select(vec![
            "1;1,2;30;F", "2;2;;M", "3;;41;F", "4;1, 2;50;", "5;3;20;F", "6;2,2,1;None;M", "7;1;;;", "8;\"1,2\";3;F",
            "9;1;2;3;4", " ;1;2;F", "10;x;1;F", "11;1,,2;1;F", "VOTES;1;2;3", "", "   ", "12;1;2", "13", "1;2;3;F",
            "14;01;5;F", "15;1;\"a;b\";F", "16;2,1;99;None",
        ]), 0..12)) {
        let mut text = String::from("META\nkey;value\nnum_projects;3\nnum_votes;3\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;10\n2;20\n01;5\nVOTES\nvoter_id;vote;age;sex\n");
        for row in &rows {
            text.push_str(row);
            text.push('\n');
        }
        let fast = read("rows.pb", text.as_bytes()).map_err(|e| e.to_string());
        let slow = plenum_choice::pb::pabulib::read_every_row_the_long_way("rows.pb", text.as_bytes()).map_err(|e| e.to_string());
        prop_assert_eq!(fast, slow);
    }
}
