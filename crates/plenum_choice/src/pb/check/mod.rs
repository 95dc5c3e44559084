//! Validation of Pabulib files, after pabulib's checker (pabulib-checker 1.0.8).
//!
//! [`check`] reports rather than fails: it runs on files the strict reader refuses and lists
//! what is wrong with each, with the checker's own error and warning kinds (`"different values
//! in votes"`, `"budget exceeded"`, …) so that a file is valid here exactly when it is valid
//! for pabulib. It is a port of the checker's logic, run in the same order with the same
//! quirks, including the ones that look like bugs (a missing `vote` column reads as a vote for
//! project `"[]"`; an exception anywhere makes the whole report one "processing error"); see
//! the `python` module for how Python's dynamic typing is reproduced. Each finding also says where it
//! is (line and column), which the checker does not.
//!
//! Deliberate differences: the add-one completion of Equal Shares stops with a processing
//! error where the checker would loop forever or for more than 10,000 steps; Python's Unicode
//! digits (`int("١٢")`) are not numbers here; the checker's pycountry tables and Unicode
//! folding are embedded as generated data (`make_tables.py`).

mod ascii_fold;
mod ballots;
mod budget;
mod equal_shares;
mod fields;
mod iso_codes;
mod python;
mod quality;
mod selected;
mod table;

use crate::pb::pabulib::{decode, is_py_space};

use python::Abort;
use table::{At, Table};

/// The sentinel cost, as the checker compares it.
const SENTINEL: i128 = crate::pb::SENTINEL_COST as i128;

/// One thing the checker found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The checker's error type, e.g. `"different values in votes"`: stable, for programs.
    pub kind: String,
    /// 1-based line in the file, when the finding has a place.
    pub line: Option<usize>,
    /// 1-based column in characters, when the finding has a place on its line.
    pub column: Option<usize>,
    /// What is wrong, for people.
    pub message: String,
}

impl Finding {
    fn new(kind: &str, at: At, message: String) -> Finding {
        Finding { kind: kind.to_owned(), line: at.map(|a| a.0), column: at.map(|a| a.1), message }
    }
}

/// What the checker says about one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The file, as the caller named it.
    pub file: String,
    /// Problems that make the file invalid.
    pub errors: Vec<Finding>,
    /// Things worth a look that do not make it invalid.
    pub warnings: Vec<Finding>,
}

impl Report {
    /// Whether the file is valid: no errors (warnings allowed).
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Checks one Pabulib file held in memory. `name` is how the report names the file.
#[must_use]
pub fn check(name: &str, text: &[u8]) -> Report {
    let (errors, warnings) = match run(text) {
        Ok(found) => found,
        Err((Abort(message), at)) => {
            (vec![Finding::new("processing error", at, format!("Failed to process file: {message}"))], Vec::new())
        }
    };
    Report { file: name.to_owned(), errors, warnings }
}

/// Errors and warnings, or the exception that stopped the checker (and where, if known).
fn run(bytes: &[u8]) -> Result<(Vec<Finding>, Vec<Finding>), (Abort, At)> {
    let text = decode("", bytes).map_err(|e| {
        let at = e.line().zip(e.column());
        (Abort(format!("'utf-8' codec can't decode the file: {}", e.message())), at)
    })?;
    let prepared = Prepared::new(text);
    let mut warnings = Vec::new();
    if prepared.blank_lines > 0 {
        let message = format!("Removed {} empty lines from the file.", prepared.blank_lines);
        warnings.push(Finding::new("empty lines removed", None, message));
    }
    let table = table::parse(&prepared.text, &prepared.lines).map_err(|e| (e, None))?;
    let mut checker = Checker { table, errors: Vec::new(), warnings, threshold: 0, results_field: "votes" };
    checker.run_checks().map_err(|e| (e, None))?;
    Ok((checker.errors, checker.warnings))
}

/// The text as the checker parses it: line breaks translated to `\n` (Python's universal
/// newlines), the one allowed trailing blank line dropped, other blank lines removed and
/// counted; `lines` maps each kept line to its line in the file.
struct Prepared {
    text: String,
    lines: Vec<usize>,
    blank_lines: usize,
}

impl Prepared {
    fn new(text: &str) -> Prepared {
        let mut segments: Vec<&str> = Vec::new();
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    segments.push(&text[start..i]);
                    i += 1;
                    start = i;
                }
                b'\r' => {
                    segments.push(&text[start..i]);
                    i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                    start = i;
                }
                _ => i += 1,
            }
        }
        segments.push(&text[start..]);
        let blank = |s: &str| s.chars().all(is_py_space);
        if segments.last().is_some_and(|s| blank(s)) {
            segments.pop();
        }
        let mut prepared = Prepared { text: String::with_capacity(text.len()), lines: Vec::new(), blank_lines: 0 };
        for (n, segment) in segments.into_iter().enumerate() {
            if blank(segment) {
                prepared.blank_lines += 1;
                continue;
            }
            if !prepared.lines.is_empty() {
                prepared.text.push('\n');
            }
            prepared.text.push_str(segment);
            prepared.lines.push(n + 1);
        }
        prepared
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
}

/// The checker's state while it runs its checks on one file.
struct Checker<'a> {
    table: Table<'a>,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
    /// `min_project_score_threshold`, 0 if absent.
    threshold: i128,
    /// `score` if PROJECTS has a score column, else `votes`.
    results_field: &'static str,
}

impl Checker<'_> {
    fn add(&mut self, kind: &str, at: At, message: String, level: Level) {
        let finding = Finding::new(kind, at, message);
        match level {
            Level::Error => self.errors.push(finding),
            Level::Warning => self.warnings.push(finding),
        }
    }

    /// `process_files` after parsing, then `run_checks`, in the checker's order.
    fn run_checks(&mut self) -> Result<(), Abort> {
        self.threshold = match self.table.meta.get("min_project_score_threshold") {
            Some(value) => value.to_int()?,
            None => 0,
        };
        self.results_field = if self.table.scores_in_projects { "score" } else { "votes" };
        self.errors.append(&mut self.table.errors);
        self.warnings.append(&mut self.table.warnings);
        self.check_commas_in_floats();
        self.check_budgets()?;
        self.check_number_of_votes();
        self.check_number_of_projects();
        self.check_list_whitespace();
        self.check_vote_length()?;
        self.check_vote_type_constraints()?;
        self.check_approval_cost()?;
        self.check_votes_for_unknown_projects();
        self.check_votes_and_scores()?;
        self.verify_selected()?;
        self.check_fields()?;
        self.check_quality();
        Ok(())
    }
}
