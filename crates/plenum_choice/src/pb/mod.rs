//! Participatory budgeting: elections, their Pabulib files, and the rules that fund projects.
//!
//! An [`Election`] is what a Pabulib `.pb` file holds: an [`Instance`] (budget and projects) and
//! a [`Profile`] (one ballot per voter, as cast, stored flat in [`Voters`]). Rules do not read the profile directly:
//! they count [`Ballots`], the distinct ballots with their multiplicity, so a thousand
//! identical ballots cost one entry.

pub mod ballots;
pub mod check;
pub mod pabulib;
pub mod rules;
pub mod voters;

pub use ballots::{Ballot, Ballots};
pub use voters::{Voter, VoterRef, Voters};

use std::fmt;

use crate::rational::Rational;

/// Index of a project in [`Instance::projects`].
pub type ProjectIndex = usize;

/// One participatory-budgeting election: the projects on offer and the ballots cast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    pub instance: Instance,
    pub profile: Profile,
}

/// The budget, the projects and the facts about the election (`META`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// `META` rows in file order, keys and values as written (trimmed).
    pub meta: Meta,
    /// The `budget` from `META`, exact.
    pub budget: Rational,
    /// Column names of the `PROJECTS` section after `project_id` and `cost`, in file order.
    pub project_columns: Vec<String>,
    pub projects: Vec<Project>,
}

/// A project that can be funded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// `project_id`: the project's identity, also used for lexicographic tie-breaking.
    pub id: String,
    /// Exact cost (`200000.0` is 200000; the sentinel `999999999` is kept as is).
    pub cost: Rational,
    /// The other cells, aligned with [`Instance::project_columns`]; `None` for an empty cell or
    /// the literal `None`.
    pub fields: Vec<Option<String>>,
}

/// The cost Pabulib uses to mark a project withdrawn after the vote, so that greedy never funds it.
pub const SENTINEL_COST: i64 = 999_999_999;

/// The `META` section: ordered `key;value` rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta(pub Vec<(String, String)>);

impl Meta {
    /// The value of `key`, if present and not `None`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.eq_ignore_ascii_case("none"))
    }

    /// Sets `key` to `value`, keeping the row's place if it exists.
    pub fn set(&mut self, key: &str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(row) => row.1 = value,
            None => self.0.push((key.to_owned(), value)),
        }
    }
}

/// How voters filled in their ballots (`META vote_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoteType {
    /// A set of approved projects.
    Approval,
    /// Exactly one project (counted as an approval ballot).
    ChooseOne,
    /// Points distributed over projects, within a total.
    Cumulative,
    /// A score per project.
    Scoring,
    /// A ranking, most preferred first, optionally with points.
    Ordinal,
}

impl VoteType {
    /// The name used in Pabulib files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            VoteType::Approval => "approval",
            VoteType::ChooseOne => "choose-1",
            VoteType::Cumulative => "cumulative",
            VoteType::Scoring => "scoring",
            VoteType::Ordinal => "ordinal",
        }
    }

    /// Reads a Pabulib `vote_type` value.
    #[must_use]
    pub fn parse(s: &str) -> Option<VoteType> {
        Some(match s {
            "approval" => VoteType::Approval,
            "choose-1" => VoteType::ChooseOne,
            "cumulative" => VoteType::Cumulative,
            "scoring" => VoteType::Scoring,
            "ordinal" => VoteType::Ordinal,
            _ => return None,
        })
    }

    /// Whether ballots are sets of approved projects (approval and choose-1).
    #[must_use]
    pub fn is_approval(self) -> bool {
        matches!(self, VoteType::Approval | VoteType::ChooseOne)
    }

    /// Whether each ballot must carry points.
    #[must_use]
    pub fn requires_points(self) -> bool {
        matches!(self, VoteType::Cumulative | VoteType::Scoring)
    }
}

impl fmt::Display for VoteType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ballots as cast, one per voter, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub vote_type: VoteType,
    pub voters: Voters,
    /// The columns of the `VOTES` section other than `voter_id`, `vote` and `points`, in file
    /// order, each with one value per voter.
    pub columns: Vec<Column>,
}

/// A column of voter facts (`age`, `sex`, `district`…): one optional value per voter.
///
/// The values are kept end to end in one string, each voter's as a span of it: reading a large
/// election costs no allocation per voter and value.
#[derive(Debug, Clone, Default)]
pub struct Column {
    pub name: String,
    text: String,
    /// Per voter: where the value is in `text`, or `None` when absent.
    spans: Vec<Option<(u32, u32)>>,
}

impl Column {
    #[must_use]
    pub fn new(name: impl Into<String>) -> Column {
        Column { name: name.into(), ..Column::default() }
    }

    /// An empty column with room for `voters` values.
    #[must_use]
    pub fn with_capacity(name: impl Into<String>, voters: usize) -> Column {
        Column { name: name.into(), text: String::new(), spans: Vec::with_capacity(voters) }
    }

    /// A column holding `values`, one per voter.
    #[must_use]
    pub fn with_values<'a>(name: impl Into<String>, values: impl IntoIterator<Item = Option<&'a str>>) -> Column {
        let mut column = Column::new(name);
        for value in values {
            column.push(value);
        }
        column
    }

    /// Appends the next voter's value. (A column holds at most 4 GiB of text: more is kept as
    /// absent values, which no real election comes near.)
    /// Room for `voters` more values the size of the last one, but never more than `bytes`.
    pub fn reserve_like_last(&mut self, voters: usize, bytes: usize) {
        if let Some(Some((start, end))) = self.spans.last() {
            self.text.reserve(voters.saturating_mul((end - start) as usize).min(bytes));
        }
    }

    pub fn push(&mut self, value: Option<&str>) {
        let span = value.and_then(|value| {
            let start = u32::try_from(self.text.len()).ok()?;
            let end = u32::try_from(self.text.len() + value.len()).ok()?;
            self.text.push_str(value);
            Some((start, end))
        });
        self.spans.push(span);
    }

    /// The value for voter `voter` (its position in [`Profile::voters`]).
    #[must_use]
    pub fn get(&self, voter: usize) -> Option<&str> {
        let (start, end) = (*self.spans.get(voter)?)?;
        self.text.get(start as usize..end as usize)
    }

    /// How many voters have a value or an absent one.
    #[must_use]
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Every voter's value, in voter order.
    pub fn values(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        (0..self.spans.len()).map(|k| self.get(k))
    }
}

impl PartialEq for Column {
    /// Equal when the name and every voter's value are (however the values are stored).
    fn eq(&self, other: &Column) -> bool {
        self.name == other.name && self.len() == other.len() && self.values().eq(other.values())
    }
}

impl Eq for Column {}

impl Instance {
    /// The position of a `PROJECTS` column among [`Instance::project_columns`].
    #[must_use]
    pub fn project_column(&self, name: &str) -> Option<usize> {
        self.project_columns.iter().position(|c| c == name)
    }

    /// The value of column `name` for project `p`, if the column exists and the cell is set.
    #[must_use]
    pub fn project_field(&self, p: ProjectIndex, name: &str) -> Option<&str> {
        let column = self.project_column(name)?;
        self.projects.get(p)?.fields.get(column)?.as_deref()
    }

    /// The index of the project with this `project_id`.
    #[must_use]
    pub fn project_index(&self, id: &str) -> Option<ProjectIndex> {
        self.projects.iter().position(|p| p.id == id)
    }

    /// Total cost of a set of projects.
    #[must_use]
    pub fn cost_of(&self, projects: &[ProjectIndex]) -> Rational {
        projects.iter().map(|&p| &self.projects[p].cost).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_keep_every_voters_value_however_many_distinct_values_there_are() {
        let values: Vec<Option<String>> =
            (0..2000).map(|k| if k % 7 == 0 { None } else { Some(format!("v{}", k % 600)) }).collect();
        let column = Column::with_values("age", values.iter().map(|v| v.as_deref()));
        assert_eq!(column.len(), 2000);
        for (k, v) in values.iter().enumerate() {
            assert_eq!(column.get(k), v.as_deref());
        }
        let again = Column::with_values("age", column.values());
        assert_eq!(again, column);
        assert_ne!(Column::with_values("age", [Some("a")]), Column::with_values("age", [Some("b")]));
    }
}
