//! The writer: an [`Election`] becomes a Pabulib file that [`read`](super::read) reads back
//! unchanged and pabulib's checker accepts (when the election itself is consistent).

use std::collections::HashSet;
use std::io::{self, Write};

use super::number::{format, parse_amount};
use super::read::{Section, is_absent};
use crate::pb::{Election, Meta, VoteType};

/// Writes `election` as a Pabulib file: LF line endings, `META`, `PROJECTS`, `VOTES`, cells
/// quoted only when they must be, costs and budget exact (see below).
///
/// - `META` rows are written in order and as they are, except that `budget` and `vote_type`
///   are made to agree with [`Instance::budget`](crate::pb::Instance::budget) and
///   [`Profile::vote_type`](crate::pb::Profile::vote_type) (added at the end if missing).
///   `num_projects` and `num_votes` are written as they are: the writer does not correct a file.
/// - Columns: `project_id;cost;…` and `voter_id;vote[;points];…`, the other columns in their
///   order; `points` is written when some voter has points.
/// - Numbers: integers as integers, other values as their finite decimal expansion
///   (`216829.41`), and values without one as `p/q`, which [`read`](super::read) accepts but
///   pabutools and pabulib's checker do not.
/// - An absent field is written empty, or `None` in the text columns pabulib's checker wants
///   filled (`name`, `description`, …).
/// - Cells read back trimmed, with `None` and empty cells absent and line breaks as `\n`: a
///   field `Some("None")`, `Some("")` or with blanks around it is written as given and reads
///   back normalised; `Some(vec![])` points read back as `None`.
///
/// Fails with [`io::ErrorKind::InvalidInput`], writing nothing, when the election cannot be
/// written so that it reads back: a project or voter id that is empty, `None`, untrimmed,
/// repeated or a section name, a project id with a comma, a column name that is empty or
/// repeated, fields not aligned with the columns, a vote naming no project, points not aligned
/// with the vote, a cumulative or scoring vote without points, a negative cost or budget.
pub fn write(election: &Election, out: &mut impl Write) -> io::Result<()> {
    let text = render(election).map_err(|message| io::Error::new(io::ErrorKind::InvalidInput, message))?;
    out.write_all(text.as_bytes())
}

fn render(election: &Election) -> Result<String, String> {
    let (instance, profile) = (&election.instance, &election.profile);
    let mut out = String::with_capacity(64 * (instance.projects.len() + profile.voters.len() + 16));

    out.push_str("META\nkey;value\n");
    for (key, value) in synced_meta(election)?.0 {
        row(&mut out, [key.as_str(), value.as_str()]);
    }

    out.push_str("PROJECTS\n");
    check_columns(&["project_id", "cost"], &instance.project_columns, "PROJECTS")?;
    row(&mut out, ["project_id", "cost"].into_iter().chain(instance.project_columns.iter().map(String::as_str)));
    let project_absent: Vec<&str> = instance.project_columns.iter().map(|c| absent(PROJECT_TEXT, c)).collect();
    let mut ids = HashSet::new();
    for project in &instance.projects {
        check_id(&project.id, "project", &mut ids)?;
        if project.id.contains(',') {
            return Err(format!("project id {:?} contains a comma, which separates projects in a vote", project.id));
        }
        if project.cost.is_negative() {
            return Err(format!("project {:?} has a negative cost", project.id));
        }
        if project.fields.len() != instance.project_columns.len() {
            return Err(format!(
                "project {:?} has {} fields for {} columns",
                project.id,
                project.fields.len(),
                instance.project_columns.len()
            ));
        }
        let cost = format(&project.cost);
        let fields = project.fields.iter().zip(&project_absent).map(|(f, absent)| f.as_deref().unwrap_or(absent));
        row(&mut out, [project.id.as_str(), cost.as_str()].into_iter().chain(fields));
    }

    out.push_str("VOTES\n");
    let with_points = profile.voters.iter().any(|v| v.points.is_some_and(|p| !p.is_empty()));
    let fixed: &[&str] = if with_points { &["voter_id", "vote", "points"] } else { &["voter_id", "vote"] };
    let column_names: Vec<String> = profile.columns.iter().map(|c| c.name.clone()).collect();
    check_columns(fixed, &column_names, "VOTES")?;
    row(&mut out, fixed.iter().copied().chain(column_names.iter().map(String::as_str)));
    let voter_absent: Vec<&str> = column_names.iter().map(|c| absent(VOTER_TEXT, c)).collect();
    if let Some(column) = profile.columns.iter().find(|c| c.len() != profile.voters.len()) {
        return Err(format!("VOTES column {:?} has {} values for {} voters", column.name, column.len(), profile.voters.len()));
    }
    let mut ids = HashSet::new();
    let mut vote = String::new();
    let mut points = String::new();
    for (k, voter) in profile.voters.iter().enumerate() {
        check_id(voter.id, "voter", &mut ids)?;
        vote.clear();
        for (i, &p) in voter.vote.iter().enumerate() {
            let Some(project) = instance.projects.get(p) else {
                return Err(format!("voter {:?} votes for project #{p}, which does not exist", voter.id));
            };
            if i > 0 {
                vote.push(',');
            }
            vote.push_str(&project.id);
        }
        points.clear();
        match voter.points {
            Some(values) if values.len() != voter.vote.len() => {
                return Err(format!("voter {:?} has {} points for {} projects", voter.id, values.len(), voter.vote.len()));
            }
            Some(values) => {
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        points.push(',');
                    }
                    points.push_str(&format(value));
                }
            }
            None if profile.vote_type.requires_points() && !voter.vote.is_empty() => {
                return Err(format!("voter {:?} has no points, which vote_type {} requires", voter.id, profile.vote_type));
            }
            None => {}
        }
        let head = [voter.id, vote.as_str()].into_iter().chain(with_points.then_some(points.as_str()));
        row(&mut out, head.chain(profile.columns.iter().zip(&voter_absent).map(|(c, absent)| c.get(k).unwrap_or(absent))));
    }
    Ok(out)
}

/// Text columns that pabulib's checker wants filled: an absent value is written `None` there
/// (which every reader takes as absent and the checker accepts as text), and empty elsewhere
/// (where the checker allows empty cells, or rejects `None` as much as an empty cell).
const PROJECT_TEXT: &[&str] = &["name", "neighborhood", "subunit", "district", "description", "proposer", "public_id"];
const VOTER_TEXT: &[&str] = &["district_preference", "format_easiness", "format_expressiveness", "format_rank"];

fn absent(text_columns: &[&str], column: &str) -> &'static str {
    if text_columns.contains(&column) { "None" } else { "" }
}

/// The `META` rows, with `budget` and `vote_type` agreeing with the election.
fn synced_meta(election: &Election) -> Result<Meta, String> {
    let mut meta = election.instance.meta.clone();
    let mut seen = HashSet::new();
    for (key, _) in &meta.0 {
        if key.is_empty() || key.as_str() != super::py_strip(key) || Section::of_marker(key).is_some() {
            return Err(format!("META key {key:?} cannot be written (empty, untrimmed or a section name)"));
        }
        if !seen.insert(key.as_str()) {
            return Err(format!("META key {key:?} appears twice"));
        }
    }
    let budget = &election.instance.budget;
    if budget.is_negative() {
        return Err("the budget is negative".to_owned());
    }
    let agrees = |meta: &Meta, key: &str, ok: &dyn Fn(&str) -> bool| meta.0.iter().any(|(k, v)| k == key && ok(v));
    if !agrees(&meta, "budget", &|v| parse_amount(v).as_ref() == Some(budget)) {
        meta.set("budget", format(budget));
    }
    let vote_type = election.profile.vote_type;
    if !agrees(&meta, "vote_type", &|v| VoteType::parse(v) == Some(vote_type)) {
        meta.set("vote_type", vote_type.as_str());
    }
    Ok(meta)
}

/// Column names must read back as the same columns: not empty, trimmed, not repeated (in any
/// case, as the header check compares them), not a column the writer adds itself; in VOTES not
/// `points`, which would be read as the points.
fn check_columns(fixed: &[&str], columns: &[String], section: &str) -> Result<(), String> {
    let mut seen: HashSet<String> = fixed.iter().map(|c| c.to_lowercase()).collect();
    for column in columns {
        let reserved = section == "VOTES" && column == "points";
        if reserved || column.is_empty() || column.as_str() != super::py_strip(column) || !seen.insert(column.to_lowercase()) {
            return Err(format!("{section} column {column:?} cannot be written (empty, untrimmed, repeated or reserved)"));
        }
    }
    Ok(())
}

/// An id must read back as itself and be the only one of its kind.
fn check_id<'e>(id: &'e str, what: &str, seen: &mut HashSet<&'e str>) -> Result<(), String> {
    if is_absent(id) || id != super::py_strip(id) || Section::of_marker(id).is_some() {
        return Err(format!("{what} id {id:?} cannot be written (empty, `None`, untrimmed or a section name)"));
    }
    if !seen.insert(id) {
        return Err(format!("{what} id {id:?} appears twice"));
    }
    Ok(())
}

/// Appends one row, quoting the cells that need it, and a line feed.
fn row<'c>(out: &mut String, cells: impl IntoIterator<Item = &'c str>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        if cell.contains([';', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push('\n');
}
