//! The file as pabulib's checker holds it: `META` as a dictionary, projects and votes as
//! dictionaries keyed by id, built the way `parse_pb_lines` builds them (same structural
//! findings, same overwrites, same defaults for missing obligatory fields).

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use super::Finding;
use super::fields::{self, Datatype};
use super::python::{Abort, Value};
use crate::pb::pabulib::{Cell, Rows, is_py_space, py_strip};

/// A line and a column, 1-based.
pub(super) type At = Option<(usize, usize)>;

/// One entry of a record.
#[derive(Debug, Clone)]
pub(super) struct Field<'a> {
    pub key: Rc<str>,
    pub value: Value<'a>,
    /// Where the cell is; `None` for defaults.
    pub at: At,
}

/// A Python dictionary of one META section, project or vote, in insertion order.
#[derive(Debug, Clone, Default)]
pub(super) struct Record<'a> {
    /// The dictionary key: project or voter id (empty for META).
    pub id: Cow<'a, str>,
    /// The line of the row that created it.
    pub line: Option<usize>,
    pub fields: Vec<Field<'a>>,
    /// Obligatory fields that were missing from the file and were given defaults.
    pub missing: Vec<&'static str>,
}

impl<'a> Record<'a> {
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.field(key).map(|f| &f.value)
    }

    #[must_use]
    pub fn field(&self, key: &str) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| &*f.key == key)
    }

    #[must_use]
    pub fn contains(&self, key: &str) -> bool {
        self.field(key).is_some()
    }

    /// Where the field's cell is, or else the row.
    #[must_use]
    pub fn at(&self, key: &str) -> At {
        self.field(key).and_then(|f| f.at).or(self.line.map(|l| (l, 1)))
    }

    /// `dict[key] = value`: overwrite in place, or append.
    pub fn set(&mut self, key: Rc<str>, value: Value<'a>, at: At) {
        match self.fields.iter_mut().find(|f| f.key == key) {
            Some(field) => {
                field.value = value;
                field.at = at;
            }
            None => self.fields.push(Field { key, value, at }),
        }
    }

    /// Replaces the value of an existing key.
    pub fn replace(&mut self, key: &str, value: Value<'a>) {
        if let Some(field) = self.fields.iter_mut().find(|f| &*f.key == key) {
            field.value = value;
        }
    }

    /// `assign_default_values_for_missing_fields`.
    fn fill_defaults(&mut self, schema: &[fields::Spec]) {
        for spec in schema.iter().filter(|s| s.obligatory) {
            if !self.contains(spec.name) {
                let value = match spec.datatype {
                    Datatype::Int => Value::Int0,
                    Datatype::Float => Value::Float0,
                    Datatype::List => Value::EmptyList,
                    Datatype::Str => Value::Str(Cow::Borrowed("")),
                };
                self.fields.push(Field { key: Rc::from(spec.name), value, at: None });
                self.missing.push(spec.name);
            }
        }
    }
}

/// An ordered dictionary of records keyed by id.
#[derive(Debug, Default)]
pub(super) struct Records<'a> {
    pub list: Vec<Record<'a>>,
    index: HashMap<Cow<'a, str>, usize>,
}

impl<'a> Records<'a> {
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Record<'a>> {
        self.index.get(id).map(|&i| &self.list[i])
    }

    /// The position of the record with this id.
    #[must_use]
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.list.len()
    }

    fn insert(&mut self, record: Record<'a>) {
        self.index.insert(record.id.clone(), self.list.len());
        self.list.push(record);
    }
}

/// What `parse_pb_lines` returns.
#[derive(Debug, Default)]
pub(super) struct Table<'a> {
    pub meta: Record<'a>,
    pub projects: Records<'a>,
    pub votes: Records<'a>,
    pub votes_in_projects: bool,
    pub scores_in_projects: bool,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
}

const SECTIONS: [&str; 3] = ["meta", "projects", "votes"];

/// Builds the table from text already normalised as the checker reads it (`\n` line breaks,
/// blank lines removed); `lines[i]` is the original line number of the text's line `i + 1`.
pub(super) fn parse<'a>(text: &'a str, lines: &[usize]) -> Result<Table<'a>, Abort> {
    let mut parser = Parser { rows: Rows::new(text), lines, pending: None, table: Table::default() };
    parser.run()?;
    Ok(parser.table)
}

struct Parser<'a, 'l> {
    rows: Rows<'a>,
    lines: &'l [usize],
    pending: Option<Vec<Cell<'a>>>,
    table: Table<'a>,
}

impl<'a> Parser<'a, '_> {
    fn next(&mut self) -> Result<Option<Vec<Cell<'a>>>, Abort> {
        if let Some(row) = self.pending.take() {
            return Ok(Some(row));
        }
        let mut cells = Vec::new();
        match self.rows.next_row(&mut cells) {
            Ok(true) => {
                for cell in &mut cells {
                    cell.line = self.lines.get(cell.line - 1).copied().unwrap_or(cell.line);
                }
                Ok(Some(cells))
            }
            Ok(false) => Ok(None),
            Err(at) => Err(Abort(format!(
                "field larger than field limit (131072) at line {}",
                self.lines.get(at.line - 1).copied().unwrap_or(at.line)
            ))),
        }
    }

    fn error(&mut self, at: At, message: String) {
        self.table.errors.push(Finding::new("file structure error", at, message));
    }

    /// Reports a cell with blanks around it; `location` names it (built only when needed).
    fn whitespace(&mut self, cell: &Cell<'_>, location: impl FnOnce() -> String) {
        let value = &*cell.text;
        if !value.is_empty() && value != py_strip(value) {
            let message = format!("{} contains leading or trailing whitespace: {}.", location(), py_repr(value));
            self.error(Some((cell.line, cell.column)), message);
        }
    }

    fn run(&mut self) -> Result<(), Abort> {
        let mut section = "";
        let mut header: Vec<Rc<str>> = Vec::new();
        let mut sequence: Vec<&'static str> = Vec::new();
        while let Some(row) = self.next()? {
            let Some(first) = row.first() else { continue };
            let at = Some((first.line, first.column));
            let first_cell = py_strip(&first.text);
            // `first_cell.lower() in [...]`: no non-ASCII letter lowercases into these words.
            if let Some(&name) = SECTIONS.iter().find(|s| first_cell.eq_ignore_ascii_case(s)) {
                self.whitespace(first, || format!("Section marker '{first_cell}'"));
                section = name;
                if sequence.contains(&name) {
                    self.error(at, format!("Duplicated section '{first_cell}'."));
                }
                sequence.push(name);
                self.section_header(name, &mut header)?;
                continue;
            }
            if section.is_empty() {
                let cells: Vec<&str> = row.iter().map(|c| &*c.text).collect();
                self.error(at, format!("Found data row before any section header: {cells:?}."));
                continue;
            }
            if section == "meta" {
                self.meta_row(&row, first_cell);
                continue;
            }
            if header.is_empty() {
                self.error(at, format!("{} section contains data rows before a valid header.", section.to_uppercase()));
                continue;
            }
            if row.len() > header.len() {
                self.table.warnings.push(Finding::new(
                    "file structure warning",
                    at,
                    format!("{} row '{first_cell}' has extra columns; trailing values are ignored.", section.to_uppercase()),
                ));
            }
            self.data_row(section, &row, &header, first_cell);
        }
        self.finish(&sequence);
        Ok(())
    }

    /// After a section marker: the header row (`key;value` for META, consumed only if it is one).
    fn section_header(&mut self, section: &'static str, header: &mut Vec<Rc<str>>) -> Result<(), Abort> {
        let upper = section.to_uppercase();
        let Some(raw) = self.next()? else {
            let message = if section == "meta" {
                "META section is missing the required header 'key;value'.".to_owned()
            } else {
                header.clear();
                format!("{upper} section is missing its column header row.")
            };
            let line = self.lines.last().copied();
            self.error(line.map(|l| (l, 1)), message);
            return Ok(());
        };
        let at = raw.first().map(|c| (c.line, c.column));
        for (i, cell) in raw.iter().enumerate() {
            self.whitespace(cell, || format!("{upper} header column {}", i + 1));
        }
        let normalized: Vec<String> = raw.iter().map(|c| py_strip(&c.text).to_lowercase()).collect();
        if section == "meta" {
            if !(normalized.len() >= 2 && normalized[0] == "key" && normalized[1] == "value") {
                self.error(at, "META section must start with the header 'key;value'.".to_owned());
                self.pending = Some(raw);
            }
            return Ok(());
        }
        *header = raw.iter().map(|c| Rc::from(py_strip(&c.text))).collect();
        let mut unique = normalized.clone();
        unique.sort_unstable();
        unique.dedup();
        if unique.len() != normalized.len() {
            let names: Vec<&str> = header.iter().map(|h| &**h).collect();
            self.error(at, format!("{upper} section contains duplicated column names: {names:?}."));
        }
        let (id, first) = if section == "projects" { ("project_id", "PROJECTS") } else { ("voter_id", "VOTES") };
        if normalized.first().map(String::as_str) != Some(id) {
            let found = header.first().map_or("", |h| &**h);
            self.error(at, format!("{first} section must start with '{id}', found: {found}."));
        }
        if section == "projects" {
            self.table.votes_in_projects = normalized.iter().any(|n| n == "votes");
            self.table.scores_in_projects = normalized.iter().any(|n| n == "score");
        }
        Ok(())
    }

    fn meta_row(&mut self, row: &[Cell<'a>], key: &str) {
        let first = &row[0];
        self.whitespace(first, || "META key".to_owned());
        let at = Some((first.line, first.column));
        if key.is_empty() {
            self.error(at, "META contains an empty key.".to_owned());
            return;
        }
        if self.table.meta.contains(key) {
            self.error(at, format!("Duplicated META key '{key}'."));
        }
        let (value, value_at) = match row.get(1) {
            Some(cell) => {
                self.whitespace(cell, || format!("META value for key '{key}'"));
                (strip_cow(&cell.text), Some((cell.line, cell.column)))
            }
            None => (Cow::Borrowed(""), at),
        };
        let key: Rc<str> = Rc::from(key);
        self.table.meta.line = self.table.meta.line.or(Some(first.line));
        self.table.meta.set(key, Value::Str(value), value_at);
        if row.len() > 2 {
            self.table.warnings.push(Finding::new(
                "file structure warning",
                at,
                format!("META row for key '{}' has extra columns; only the first value is used.", py_strip(&first.text)),
            ));
        }
    }

    fn data_row(&mut self, section: &str, row: &[Cell<'a>], header: &[Rc<str>], id: &str) {
        let first = &row[0];
        let at = Some((first.line, first.column));
        let (upper, what) = if section == "projects" { ("PROJECTS", "project_id") } else { ("VOTES", "voter_id") };
        self.whitespace(first, || format!("{upper} {what}"));
        if id.is_empty() {
            self.error(at, format!("{upper} contains an empty {what}."));
            return;
        }
        let records = if section == "projects" { &self.table.projects } else { &self.table.votes };
        if records.get(id).is_some() {
            self.error(at, format!("Duplicated {what} '{id}'."));
            return;
        }
        let id = strip_cow(&first.text);
        let mut record = Record { id: id.clone(), line: Some(first.line), fields: Vec::new(), missing: Vec::new() };
        record.fields.push(Field { key: Rc::from(what), value: Value::Str(id.clone()), at });
        for (i, key) in header.iter().enumerate().skip(1) {
            let (value, cell_at) = match row.get(i) {
                Some(cell) => {
                    self.whitespace(cell, || format!("{upper} row '{id}' field '{key}'"));
                    (strip_cow(&cell.text), Some((cell.line, cell.column)))
                }
                None => (Cow::Borrowed(""), at),
            };
            record.set(key.clone(), Value::Str(value), cell_at);
        }
        if section == "projects" {
            self.table.projects.insert(record);
        } else {
            self.table.votes.insert(record);
        }
    }

    /// Defaults for missing obligatory fields, then missing and misordered sections.
    fn finish(&mut self, sequence: &[&'static str]) {
        // A key given in the file with an empty value is not missing: only absent keys are.
        self.table.meta.fill_defaults(fields::META);
        for project in &mut self.table.projects.list {
            project.fill_defaults(fields::PROJECTS);
        }
        for vote in &mut self.table.votes.list {
            vote.fill_defaults(fields::VOTES);
        }
        let missing: Vec<String> = SECTIONS.iter().filter(|s| !sequence.contains(s)).map(|s| s.to_uppercase()).collect();
        let end = self.lines.last().map(|&l| (l, 1));
        if !missing.is_empty() {
            self.error(end, format!("Missing required sections: {}.", missing.join(", ")));
        }
        let mut unique: Vec<&str> = Vec::new();
        for s in sequence {
            if !unique.contains(s) {
                unique.push(s);
            }
        }
        let expected: Vec<&str> = SECTIONS.iter().copied().filter(|s| unique.contains(s)).collect();
        if !unique.is_empty() && unique != expected {
            self.error(end, "Sections must appear in the order META, PROJECTS, VOTES.".to_owned());
        }
    }
}

/// A cell's text, trimmed, borrowed when it can be.
fn strip_cow<'a>(text: &Cow<'a, str>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(py_strip(s)),
        Cow::Owned(s) => Cow::Owned(py_strip(s).to_owned()),
    }
}

/// Python's `repr` of a string, near enough for messages.
#[must_use]
pub(super) fn py_repr(s: &str) -> String {
    let escaped: String = s
        .chars()
        .flat_map(|c| match c {
            '\'' => vec!['\\', '\''],
            '\\' => vec!['\\', '\\'],
            '\n' => vec!['\\', 'n'],
            '\t' => vec!['\\', 't'],
            c if is_py_space(c) && c != ' ' => format!("\\x{:02x}", u32::from(c)).chars().collect(),
            c => vec![c],
        })
        .collect();
    format!("'{escaped}'")
}
