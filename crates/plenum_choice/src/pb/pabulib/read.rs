//! The strict reader: a Pabulib file becomes an [`Election`], or a [`ReadError`] that says
//! where the file is broken. What it tolerates and refuses is listed in the module docs of
//! [`super`].

use std::borrow::Cow;
use std::collections::HashSet;

use super::csv::{Cell, Rows, py_strip};
use super::number::{parse_amount, parse_points};
use super::plain::{IdOrder, ProjectIds, plain_voter, repeated_voter};
use crate::file::{ReadError, decode_utf8 as decode, offset_in};
use crate::pb::{Column, Election, Instance, Meta, Profile, Project, ProjectIndex, VoteType, Voters};
use crate::rational::Rational;

/// The three sections, in the order a file must give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Meta,
    Projects,
    Votes,
}

impl Section {
    /// The section a row's first cell starts, if it is a marker (`row[0].strip().lower()`).
    #[must_use]
    pub(crate) fn of_marker(first_cell: &str) -> Option<Section> {
        let s = py_strip(first_cell);
        [Section::Meta, Section::Projects, Section::Votes].into_iter().find(|section| s.eq_ignore_ascii_case(section.name()))
    }

    #[must_use]
    pub(crate) fn name(self) -> &'static str {
        match self {
            Section::Meta => "META",
            Section::Projects => "PROJECTS",
            Section::Votes => "VOTES",
        }
    }
}

/// Whether a trimmed cell holds no value: empty, or Pabulib's `None` (any case).
#[must_use]
pub(crate) fn is_absent(trimmed: &str) -> bool {
    trimmed.is_empty() || trimmed.eq_ignore_ascii_case("none")
}

pub(crate) fn read(name: &str, bytes: &[u8], shortcut: bool) -> Result<Election, ReadError> {
    let text = decode(name, bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader { name, rows: Rows::new(text), cells: Vec::new(), announced_votes: 0, shortcut };

    if !reader.next_row()? {
        return Err(ReadError::new(name, None, None, "the file is empty: expected a META section"));
    }
    let first = &reader.cells[0];
    let meta_line = first.line;
    match Section::of_marker(&first.text) {
        Some(Section::Meta) => {}
        Some(other) => return Err(reader.error(first, format!("the file must start with META, found {}", other.name()))),
        None => {
            return Err(reader.error(first, format!("expected the META section, found {:?}", py_strip(&first.text))));
        }
    }
    reader.meta_header()?;
    let (meta, positions, marker) = reader.meta_rows()?;
    reader.expect_marker(marker, Section::Projects)?;
    let (budget, vote_type) = settings(name, meta_line, &meta, &positions)?;

    let project_header = reader.header(Section::Projects, "project_id", "cost", None)?;
    let (projects, marker) = reader.project_rows(&project_header)?;
    reader.expect_marker(marker, Section::Votes)?;

    let index = ProjectIds::new(&projects);
    reader.announced_votes = meta.get("num_votes").and_then(|n| n.trim().parse().ok()).unwrap_or(0);
    let voter_header = reader.header(Section::Votes, "voter_id", "vote", Some("points"))?;
    let (voters, columns) = reader.voter_rows(&voter_header, vote_type, &index)?;
    drop(index);

    Ok(Election {
        instance: Instance { meta, budget, project_columns: project_header.other_names(), projects },
        profile: Profile { vote_type, voters, columns },
    })
}

/// Where a section marker was met, or `None` at the end of the file.
type Marker = Option<(Section, usize, usize)>;

/// The META rows, the line and column of each value, and the marker that ends them.
type MetaRows = (Meta, Vec<(usize, usize)>, Marker);

/// The budget and vote type, which the rest of the file depends on.
fn settings(name: &str, meta_line: usize, meta: &Meta, positions: &[(usize, usize)]) -> Result<(Rational, VoteType), ReadError> {
    let row = |key: &str| meta.0.iter().position(|(k, _)| k == key);
    let Some(b) = row("budget") else {
        return Err(ReadError::new(name, Some(meta_line), None, "META has no `budget` row"));
    };
    let (line, column) = positions[b];
    let value = meta.0[b].1.as_str();
    let budget = match parse_amount(value) {
        Some(budget) if !budget.is_negative() => budget,
        Some(_) => return Err(ReadError::at(name, line, column, format!("budget must not be negative, found {value:?}"))),
        None => {
            return Err(ReadError::at(
                name,
                line,
                column,
                format!("budget: expected a number such as 85700 or 200000.0, found {value:?}"),
            ));
        }
    };
    let Some(v) = row("vote_type") else {
        return Err(ReadError::new(name, Some(meta_line), None, "META has no `vote_type` row"));
    };
    let (line, column) = positions[v];
    let value = meta.0[v].1.as_str();
    let Some(vote_type) = VoteType::parse(value) else {
        return Err(ReadError::at(
            name,
            line,
            column,
            format!("unknown vote_type {value:?}: expected approval, choose-1, cumulative, scoring or ordinal"),
        ));
    };
    Ok((budget, vote_type))
}

/// A `PROJECTS` or `VOTES` header row: where the id, the main column (`cost` or `vote`) and the
/// optional `points` are, and the other columns in file order.
#[derive(Debug)]
pub(super) struct Header {
    section: Section,
    pub(super) width: usize,
    pub(super) main: usize,
    pub(super) points: Option<usize>,
    others: Vec<(usize, String)>,
}

impl Header {
    fn other_names(&self) -> Vec<String> {
        self.others.iter().map(|(_, name)| name.clone()).collect()
    }
}

/// A cell's text, trimmed, borrowed from the file when it can be.
fn trimmed<'a>(cell: &Cell<'a>) -> Cow<'a, str> {
    match &cell.text {
        Cow::Borrowed(s) => Cow::Borrowed(py_strip(s)),
        Cow::Owned(s) => Cow::Owned(py_strip(s).to_owned()),
    }
}

/// The column of the part of a cell that starts `offset` bytes into its text.
fn column_within(cell: &Cell<'_>, offset: usize) -> usize {
    if cell.quoted { cell.column } else { cell.column + cell.text.get(..offset).map_or(0, |s| s.chars().count()) }
}

struct Reader<'a> {
    name: &'a str,
    rows: Rows<'a>,
    cells: Vec<Cell<'a>>,
    /// META num_votes, a hint for reserving room (never trusted beyond the input's size).
    announced_votes: usize,
    /// Whether plain voter rows are read straight from the line.
    shortcut: bool,
}

impl<'a> Reader<'a> {
    fn error(&self, cell: &Cell<'_>, message: impl Into<String>) -> ReadError {
        ReadError::at(self.name, cell.line, cell.column, message)
    }

    /// Loads the next row that is not blank into `self.cells`; `false` at the end of the file.
    /// Blank means no cell, or one cell of whitespace, as both reference parsers skip.
    fn next_row(&mut self) -> Result<bool, ReadError> {
        loop {
            let more = self.rows.next_row(&mut self.cells).map_err(|at| {
                ReadError::at(
                    self.name,
                    at.line,
                    at.column,
                    format!("a cell is longer than {} characters, Python's csv limit", super::csv::FIELD_SIZE_LIMIT),
                )
            })?;
            if !more {
                return Ok(false);
            }
            if let Some(open) = self.cells.iter().find(|c| c.unterminated) {
                return Err(self.error(open, "this quoted cell is never closed: expected a closing \""));
            }
            let blank = match self.cells.as_slice() {
                [] => true,
                [only] => py_strip(&only.text).is_empty(),
                _ => false,
            };
            if !blank {
                return Ok(true);
            }
        }
    }

    /// After a section's rows: the marker must open `expected`.
    fn expect_marker(&self, marker: Marker, expected: Section) -> Result<(), ReadError> {
        match marker {
            Some((section, _, _)) if section == expected => Ok(()),
            Some((section, line, column)) => {
                let message = if (section as u8) < (expected as u8) {
                    format!("duplicated section {}: expected {} here", section.name(), expected.name())
                } else {
                    format!("section {} comes before {}: the order is META, PROJECTS, VOTES", section.name(), expected.name())
                };
                Err(ReadError::at(self.name, line, column, message))
            }
            None => Err(ReadError::new(
                self.name,
                Some(self.rows.line()),
                None,
                format!("the file ends without a {} section", expected.name()),
            )),
        }
    }

    /// Whether the loaded row is a section marker, and which.
    fn marker(&self) -> Marker {
        let first = &self.cells[0];
        Section::of_marker(&first.text).map(|s| (s, first.line, first.column))
    }

    fn meta_header(&mut self) -> Result<(), ReadError> {
        if !self.next_row()? {
            return Err(ReadError::new(self.name, Some(self.rows.line()), None, "META has no `key;value` header"));
        }
        let cells: Vec<String> = self.cells.iter().take(2).map(|c| py_strip(&c.text).to_lowercase()).collect();
        if cells != ["key", "value"] {
            let found = self.cells.iter().map(|c| py_strip(&c.text)).collect::<Vec<_>>().join(";");
            return Err(self.error(&self.cells[0], format!("META must start with the header `key;value`, found {found:?}")));
        }
        Ok(())
    }

    /// The `key;value` rows up to the next marker, with the line and column of each value.
    fn meta_rows(&mut self) -> Result<MetaRows, ReadError> {
        let mut meta = Meta::default();
        let mut positions = Vec::new();
        while self.next_row()? {
            if let Some(marker) = self.marker() {
                return Ok((meta, positions, Some(marker)));
            }
            let key_cell = &self.cells[0];
            let key = py_strip(&key_cell.text);
            if key.is_empty() {
                return Err(self.error(key_cell, "META row with an empty key"));
            }
            if meta.0.iter().any(|(k, _)| k == key) {
                return Err(self.error(key_cell, format!("duplicated META key {key:?}")));
            }
            self.no_extra_cells(2, || format!("the META row {key:?}"))?;
            let (value, position) = match self.cells.get(1) {
                Some(cell) => (py_strip(&cell.text).to_owned(), (cell.line, cell.column)),
                None => (String::new(), (key_cell.line, key_cell.column + key_cell.text.chars().count())),
            };
            meta.0.push((key.to_owned(), value));
            positions.push(position);
        }
        Ok((meta, positions, None))
    }

    /// Cells past the header's width must be empty (trailing `;` are tolerated).
    fn no_extra_cells(&self, width: usize, what: impl FnOnce() -> String) -> Result<(), ReadError> {
        match self.cells.iter().skip(width).find(|c| !py_strip(&c.text).is_empty()) {
            Some(extra) => Err(self.error(
                extra,
                format!(
                    "{} has {} cells but the header has {width}: unexpected {:?}",
                    what(),
                    self.cells.len(),
                    py_strip(&extra.text)
                ),
            )),
            None => Ok(()),
        }
    }

    /// Reads the header row of `section`, whose first column must be `id` and which must have
    /// a `main` column (and may have a `points` column).
    fn header(&mut self, section: Section, id: &str, main: &str, points: Option<&str>) -> Result<Header, ReadError> {
        if !self.next_row()? {
            return Err(ReadError::new(
                self.name,
                Some(self.rows.line()),
                None,
                format!("{} has no header row: expected `{id};{main};…`", section.name()),
            ));
        }
        let names: Vec<&str> = self.cells.iter().map(|c| py_strip(&c.text)).collect();
        if names[0].to_lowercase() != id {
            return Err(
                self.error(&self.cells[0], format!("the {} header must start with `{id}`, found {:?}", section.name(), names[0]))
            );
        }
        let mut seen = HashSet::new();
        for (cell, name) in self.cells.iter().zip(&names) {
            if name.is_empty() {
                return Err(self.error(cell, format!("the {} header has an empty column name", section.name())));
            }
            if !seen.insert(name.to_lowercase()) {
                return Err(self.error(cell, format!("the {} header names column {name:?} twice", section.name())));
            }
        }
        let Some(main_at) = names.iter().position(|n| *n == main) else {
            return Err(self.error(&self.cells[0], format!("the {} header has no `{main}` column", section.name())));
        };
        let points_at = points.and_then(|p| names.iter().position(|n| *n == p));
        let others =
            (1..names.len()).filter(|&i| i != main_at && Some(i) != points_at).map(|i| (i, names[i].to_owned())).collect();
        Ok(Header { section, width: names.len(), main: main_at, points: points_at, others })
    }

    /// The other columns of the loaded row: `None` for an empty or `None` cell.
    fn fields(&self, header: &Header) -> Vec<Option<String>> {
        header
            .others
            .iter()
            .map(|(i, _)| self.cells.get(*i).map(|c| py_strip(&c.text)).filter(|v| !is_absent(v)).map(str::to_owned))
            .collect()
    }

    /// The row's id: trimmed, not empty, not `None`, not seen before (when `seen` is given;
    /// voters are checked for repeats once all are read, see [`repeated_voter`]).
    fn row_id(&self, header: &Header, seen: Option<&mut HashSet<Cow<'a, str>>>) -> Result<Cow<'a, str>, ReadError> {
        let cell = &self.cells[0];
        let id = trimmed(cell);
        let what = if header.section == Section::Projects { "project_id" } else { "voter_id" };
        if is_absent(&id) {
            return Err(self.error(cell, format!("{} row with no {what} (found {:?})", header.section.name(), id)));
        }
        if header.section == Section::Projects && id.contains(',') {
            return Err(self.error(cell, format!("project_id {id:?} contains a comma, which separates the projects of a vote")));
        }
        if let Some(seen) = seen
            && !seen.insert(id.clone())
        {
            return Err(self.error(cell, format!("duplicated {what} {id:?}")));
        }
        Ok(id)
    }

    fn project_rows(&mut self, header: &Header) -> Result<(Vec<Project>, Marker), ReadError> {
        let mut projects = Vec::new();
        let mut seen = HashSet::new();
        while self.next_row()? {
            if let Some(marker) = self.marker() {
                return Ok((projects, Some(marker)));
            }
            let id = self.row_id(header, Some(&mut seen))?;
            self.no_extra_cells(header.width, || format!("the row of project {id:?}"))?;
            let cost = self.cost(header, &id)?;
            let fields = self.fields(header);
            projects.push(Project { id: id.into_owned(), cost, fields });
        }
        Ok((projects, None))
    }

    fn cost(&self, header: &Header, id: &str) -> Result<Rational, ReadError> {
        let Some(cell) = self.cells.get(header.main).filter(|c| !is_absent(py_strip(&c.text))) else {
            return Err(self.error(&self.cells[0], format!("project {id:?} has no cost")));
        };
        let text = py_strip(&cell.text);
        match parse_amount(text) {
            Some(cost) if !cost.is_negative() => Ok(cost),
            Some(_) => Err(self.error(cell, format!("the cost of project {id:?} must not be negative, found {text:?}"))),
            None => Err(self
                .error(cell, format!("the cost of project {id:?}: expected a number such as 85700 or 200000.0, found {text:?}"))),
        }
    }

    fn voter_rows(
        &mut self,
        header: &Header,
        vote_type: VoteType,
        index: &ProjectIds<'_>,
    ) -> Result<(Voters, Vec<Column>), ReadError> {
        // Room for the voters the file announces, but never more than its remaining bytes could
        // hold (a voter's row takes at least four), whatever num_votes says.
        let announced = self.announced_votes.min(self.rows.remaining() / 4);
        let mut voters = Voters::with_capacity(announced);
        let mut places = Vec::with_capacity(announced);
        let mut columns: Vec<Column> =
            header.others.iter().map(|(_, name)| Column::with_capacity(name.clone(), announced)).collect();
        let mut cells: Vec<&str> = Vec::with_capacity(header.width + 1);
        let mut vote: Vec<ProjectIndex> = Vec::new();
        let mut points: Vec<Rational> = Vec::new();
        let mut order = IdOrder::new();
        loop {
            if voters.len() == 1 {
                // Room for the rest, guessed from the first voter.
                let bytes = self.rows.remaining();
                voters.reserve_like_last(announced, bytes);
                columns.iter_mut().for_each(|column| column.reserve_like_last(announced, bytes));
            }
            // Most rows have no quotes and nothing wrong: they are read straight from the line.
            // Anything else goes through the general path below, which explains any error.
            let checkpoint = self.rows.checkpoint();
            if self.shortcut
                && let Some((line_number, line)) = self.rows.plain_line()
            {
                if let Some(plain) = plain_voter(line, header, vote_type, index, &mut cells, &mut vote, &mut points) {
                    for (column, (i, _)) in columns.iter_mut().zip(&header.others) {
                        column.push(cells.get(*i).map(|c| py_strip(c)).filter(|v| !is_absent(v)));
                    }
                    places.push((line_number, 1));
                    order.push(plain.number);
                    voters.push(plain.id, &vote, plain.has_points.then_some(points.as_slice()));
                    continue;
                }
                self.rows.restore(checkpoint);
            }
            if !self.next_row()? {
                break;
            }
            if let Some((section, line, column)) = self.marker() {
                let message = format!(
                    "section {} after VOTES: each section appears once, in the order META, PROJECTS, VOTES",
                    section.name()
                );
                return Err(ReadError::at(self.name, line, column, message));
            }
            let id = self.row_id(header, None)?;
            places.push((self.cells[0].line, self.cells[0].column));
            self.no_extra_cells(header.width, || format!("the row of voter {id:?}"))?;
            let points = self.points(header, &id)?;
            let vote = self.vote(header, &id, points.is_some(), index)?;
            if let Some(points) = &points {
                if points.len() != vote.len() {
                    let cell = header.points.and_then(|p| self.cells.get(p)).unwrap_or(&self.cells[0]);
                    return Err(self.error(
                        cell,
                        format!("voter {id:?} names {} projects in vote but {} values in points", vote.len(), points.len()),
                    ));
                }
            } else if vote_type.requires_points() && !vote.is_empty() {
                let cell = self.cells.get(header.main).unwrap_or(&self.cells[0]);
                return Err(self.error(cell, format!("voter {id:?} has no points, which vote_type {vote_type} requires")));
            }
            for (column, (i, _)) in columns.iter_mut().zip(&header.others) {
                column.push(self.cells.get(*i).map(|c| py_strip(&c.text)).filter(|v| !is_absent(v)));
            }
            order.push_id(&id);
            voters.push(&id, &vote, points.as_deref());
        }
        if let Some((k, id)) = repeated_voter(&voters, &order) {
            let (line, column) = places[k];
            return Err(ReadError::at(self.name, line, column, format!("duplicated voter_id {id:?}")));
        }
        Ok((voters, columns))
    }

    /// The projects named in the `vote` cell, in order, repeats kept. Empty items are skipped as
    /// pabutools does, except when points must line up with them.
    fn vote(&self, header: &Header, id: &str, has_points: bool, index: &ProjectIds<'_>) -> Result<Vec<ProjectIndex>, ReadError> {
        let Some(cell) = self.cells.get(header.main) else {
            return Ok(Vec::new());
        };
        let text = py_strip(&cell.text);
        if is_absent(text) {
            return Ok(Vec::new());
        }
        let mut vote = Vec::with_capacity(text.bytes().filter(|&b| b == b',').count() + 1);
        for raw in text.split(',') {
            let item = py_strip(raw);
            let column = || column_within(cell, offset_in(&cell.text, item));
            if item.is_empty() {
                if has_points {
                    return Err(ReadError::at(
                        self.name,
                        cell.line,
                        column(),
                        format!("voter {id:?} has an empty project id in vote"),
                    ));
                }
                continue;
            }
            match index.get(item) {
                Some(&p) => vote.push(p),
                None => {
                    return Err(ReadError::at(
                        self.name,
                        cell.line,
                        column(),
                        format!("vote names project {item:?}, which is not in PROJECTS"),
                    ));
                }
            }
        }
        Ok(vote)
    }

    /// The `points` cell: `None` when absent or empty.
    fn points(&self, header: &Header, id: &str) -> Result<Option<Vec<Rational>>, ReadError> {
        let Some(cell) = header.points.and_then(|p| self.cells.get(p)) else {
            return Ok(None);
        };
        let text = py_strip(&cell.text);
        if is_absent(text) {
            return Ok(None);
        }
        let mut points = Vec::with_capacity(text.bytes().filter(|&b| b == b',').count() + 1);
        for raw in text.split(',') {
            let item = py_strip(raw);
            match parse_points(item) {
                Some(value) => points.push(value),
                None => {
                    let column = column_within(cell, offset_in(&cell.text, item));
                    return Err(ReadError::at(
                        self.name,
                        cell.line,
                        column,
                        format!("points of voter {id:?}: expected a number such as 3 or 1.5, found {item:?}"),
                    ));
                }
            }
        }
        Ok(Some(points))
    }
}
