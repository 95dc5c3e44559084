//! The checks on ballots: list separators, vote lengths, what each vote type allows, approval
//! cost limits, votes for unknown projects, and the `votes`/`score` columns against the ballots.

use std::collections::HashMap;

use super::python::{Abort, Number, PyErr, Value, py_float, split_list, trunc_int};
use super::table::At;
use super::{Checker, Level};
use crate::pb::pabulib::py_strip;

/// `COMMA_SEPARATED_FIELDS`.
const META_LISTS: [&str; 7] = [
    "categories",
    "neighborhoods",
    "subdistricts",
    "budget_per_category",
    "budget_per_neighborhood",
    "min_sum_cost_per_category",
    "max_sum_cost_per_category",
];

impl Checker<'_> {
    /// `check_vote_list_whitespace`.
    pub(super) fn check_list_whitespace(&mut self) {
        let spaced = |value: &Value<'_>| {
            let raw = value.py_str();
            raw.contains(',') && raw.split(',').any(|item| item != py_strip(item))
        };
        let mut findings = Vec::new();
        for key in META_LISTS {
            if let Some(field) = self.table.meta.field(key).filter(|f| spaced(&f.value)) {
                findings.push((
                    "whitespace around list separator",
                    field.at,
                    format!("META, field `{key}`: `{}`.", field.value.py_str()),
                ));
            }
        }
        for project in &self.table.projects.list {
            for key in ["category", "beneficiaries"] {
                if let Some(field) = project.field(key).filter(|f| spaced(&f.value)) {
                    let message = format!("PROJECTS record `{}`, field `{key}`: `{}`.", project.id, field.value.py_str());
                    findings.push(("whitespace around list separator", field.at, message));
                }
            }
        }
        for vote in &self.table.votes.list {
            for key in ["vote", "points"] {
                if let Some(field) = vote.field(key).filter(|f| spaced(&f.value)) {
                    let kind =
                        if key == "vote" { "whitespace around vote separator" } else { "whitespace around list separator" };
                    let message = format!(
                        "Voter ID: `{}`, {key}: `{}`. Items must be separated by commas without blanks.",
                        vote.id,
                        field.value.py_str()
                    );
                    findings.push((kind, field.at, message));
                }
            }
        }
        for (kind, at, message) in findings {
            self.add(kind, at, message, Level::Error);
        }
    }

    /// The first of the META keys that is set (`max_length or max_length_unit or …`).
    fn first_set(&self, keys: [&str; 3]) -> Option<Value<'static>> {
        keys.iter()
            .filter_map(|k| self.table.meta.get(k))
            .find(|v| v.truthy())
            .map(|v| Value::Str(v.py_str().into_owned().into()))
    }

    /// `check_vote_length`.
    pub(super) fn check_vote_length(&mut self) -> Result<(), Abort> {
        let max = self.first_set(["max_length", "max_length_unit", "max_length_district"]);
        let min = self.first_set(["min_length", "min_length_unit", "min_length_district"]);
        if max.is_none() && min.is_none() {
            return Ok(());
        }
        let mut used_max = false;
        let mut total = 0usize;
        let mut findings = Vec::new();
        for vote in &self.table.votes.list {
            let length = vote.get("vote").map_or(0, |v| v.split_list().len());
            total += length;
            let at = vote.at("vote");
            if let Some(max) = &max {
                let limit = max.to_int()?;
                if length as i128 > limit {
                    findings.push((
                        "vote length exceeded",
                        at,
                        format!("Voter ID: `{}`, max vote length: `{limit}`, number of voter votes: `{length}`", vote.id),
                    ));
                } else if length as i128 == limit {
                    used_max = true;
                }
            }
            if let Some(min) = &min {
                let limit = min.to_int()?;
                if (length as i128) < limit {
                    findings.push((
                        "vote length too short",
                        at,
                        format!("Voter ID: `{}`, min vote length: `{limit}`, number of voter votes: `{length}`", vote.id),
                    ));
                }
            }
        }
        for (kind, at, message) in findings {
            self.add(kind, at, message, Level::Error);
        }
        if let Some(max) = &max {
            let at = self.table.meta.at("max_length");
            if !used_max {
                self.add(
                    "no_max_length_used",
                    at,
                    format!("No voter used the full max vote length of `{}`", max.py_str()),
                    Level::Warning,
                );
            }
            if self.table.votes.len() > 0 && max.to_int()? != 1 && total == self.table.votes.len() {
                let message = format!("Every ballot names exactly one project while max_length is `{}`.", max.py_str());
                self.add("average vote length equals one", at, message, Level::Warning);
            }
        }
        Ok(())
    }

    /// `check_vote_type_constraints`.
    pub(super) fn check_vote_type_constraints(&mut self) -> Result<(), Abort> {
        let Some(vote_type) = self.table.meta.get("vote_type").filter(|v| v.truthy()).map(|v| v.py_str().into_owned()) else {
            return Ok(());
        };
        let requires_points = matches!(vote_type.as_str(), "cumulative" | "scoring");
        let forbids_points = matches!(vote_type.as_str(), "approval" | "choose-1");
        let incompatible: &[&str] = match vote_type.as_str() {
            "approval" => &["min_points", "max_points", "min_sum_points", "max_sum_points", "default_score"],
            "choose-1" => &["points", "min_points", "max_points", "min_sum_points", "max_sum_points", "default_score"],
            _ => &[],
        };
        for key in incompatible {
            if self.table.meta.get(key).is_some_and(|v| !v.py_str().trim().is_empty()) {
                let at = self.table.meta.at(key);
                self.add(
                    "incompatible meta field for vote_type",
                    at,
                    format!("Field '{key}' should not be used with vote_type '{vote_type}'."),
                    Level::Warning,
                );
            }
        }
        let limit = |key: &str| -> Result<Option<f64>, Abort> {
            match self.table.meta.get(key) {
                Some(v) if !v.is_empty_str() => Ok(Some(v.parse_numeric()?)),
                _ => Ok(None),
            }
        };
        let mut findings: Vec<(&str, At, String, Level)> = Vec::new();
        for vote in &self.table.votes.list {
            let id = &vote.id;
            let projects = vote.get("vote").map(Value::split_list).unwrap_or_default();
            let points_field = vote.field("points");
            let has_points = points_field.is_some_and(|f| !f.value.py_str().trim().is_empty());
            let at = vote.at("vote");
            if requires_points && !has_points {
                findings.push((
                    "missing points for vote_type",
                    at,
                    format!("Voter ID `{id}` has no 'points', which vote_type '{vote_type}' requires."),
                    Level::Error,
                ));
                continue;
            }
            if forbids_points && has_points {
                findings.push((
                    "unexpected points for vote_type",
                    vote.at("points"),
                    format!("Voter ID `{id}` has 'points', which vote_type '{vote_type}' does not use."),
                    Level::Error,
                ));
            }
            if vote_type == "choose-1" && projects.len() != 1 {
                findings.push((
                    "invalid choose-1 vote length",
                    at,
                    format!("Voter ID `{id}` selected {} projects; choose-1 requires exactly one.", projects.len()),
                    Level::Error,
                ));
            }
            let Some(points_field) = points_field.filter(|_| has_points) else { continue };
            let points_at = points_field.at;
            let points = points_field.value.split_list();
            if points.len() != projects.len() {
                let message = format!(
                    "Voter ID `{id}` has {} project ids in 'vote' but {} values in 'points'.",
                    projects.len(),
                    points.len()
                );
                findings.push(("vote/points length mismatch", points_at, message, Level::Error));
                continue;
            }
            let mut parsed = Vec::with_capacity(points.len());
            for point in &points {
                match super::python::parse_numeric(point) {
                    Ok(x) => parsed.push(x),
                    Err(_) => {
                        findings.push((
                            "invalid points value",
                            points_at,
                            format!("Voter ID `{id}` has a non-numeric points value `{point}`."),
                            Level::Error,
                        ));
                        break;
                    }
                }
            }
            if parsed.len() != points.len() {
                continue;
            }
            if vote_type == "cumulative" && parsed.iter().any(|&p| p < 0.0) {
                findings.push((
                    "negative cumulative points",
                    points_at,
                    format!("Voter ID `{id}` has negative points in a cumulative ballot."),
                    Level::Error,
                ));
            }
            if let Some(min) = limit("min_points")?
                && parsed.iter().any(|&p| p < min)
            {
                let message = format!("Voter ID `{id}` has points below min_points.");
                findings.push(("points below minimum", points_at, message, Level::Error));
            }
            if let Some(max) = limit("max_points")?
                && parsed.iter().any(|&p| p > max)
            {
                let message = format!("Voter ID `{id}` has points above max_points.");
                findings.push(("points above maximum", points_at, message, Level::Error));
            }
            let sum: f64 = parsed.iter().fold(0.0, |a, b| a + b);
            if limit("min_sum_points")?.is_some_and(|min| sum < min) {
                findings.push((
                    "points sum below minimum",
                    points_at,
                    format!("Voter ID `{id}` has total points `{sum}` below min_sum_points."),
                    Level::Warning,
                ));
            }
            if limit("max_sum_points")?.is_some_and(|max| sum > max) {
                findings.push((
                    "points sum above maximum",
                    points_at,
                    format!("Voter ID `{id}` has total points `{sum}` above max_sum_points."),
                    Level::Warning,
                ));
            }
            if requires_points && parsed.windows(2).any(|w| w[0] < w[1]) {
                findings.push((
                    "vote order not sorted by points",
                    at,
                    format!("Voter ID `{id}` lists projects not by non-increasing points."),
                    Level::Warning,
                ));
            }
        }
        for (kind, at, message, level) in findings {
            self.add(kind, at, message, level);
        }
        Ok(())
    }

    /// `check_approval_cost_constraints`.
    pub(super) fn check_approval_cost(&mut self) -> Result<(), Abort> {
        if self.table.meta.get("vote_type").and_then(Value::text) != Some("approval") {
            return Ok(());
        }
        let limit = |key: &str| -> Result<Option<f64>, Abort> {
            match self.table.meta.get(key) {
                Some(v) if !v.is_empty_str() => Ok(Some(v.parse_numeric()?)),
                _ => Ok(None),
            }
        };
        let given = |key: &str| self.table.meta.get(key).is_some_and(|v| !v.is_empty_str());
        if !given("min_sum_cost") && !given("max_sum_cost") {
            return Ok(());
        }
        let mut findings = Vec::new();
        'voters: for vote in &self.table.votes.list {
            let mut total = 0.0;
            for id in vote.get("vote").map(Value::split_list).unwrap_or_default() {
                let cost = self.table.projects.get(id).and_then(|p| p.get("cost")).map(Value::parse_numeric);
                match cost {
                    Some(Ok(cost)) => total += cost,
                    _ => continue 'voters,
                }
            }
            if limit("min_sum_cost")?.is_some_and(|min| total < min) {
                findings.push((
                    "approval vote cost below minimum",
                    vote.at("vote"),
                    format!("Voter ID `{}` selected projects costing `{total}` in all, below min_sum_cost.", vote.id),
                ));
            }
            if limit("max_sum_cost")?.is_some_and(|max| total > max) {
                findings.push((
                    "approval vote cost above maximum",
                    vote.at("vote"),
                    format!("Voter ID `{}` selected projects costing `{total}` in all, above max_sum_cost.", vote.id),
                ));
            }
        }
        for (kind, at, message) in findings {
            self.add(kind, at, message, Level::Warning);
        }
        Ok(())
    }

    /// `check_votes_for_invalid_projects`.
    pub(super) fn check_votes_for_unknown_projects(&mut self) {
        let mut findings = Vec::new();
        for vote in &self.table.votes.list {
            for id in vote.get("vote").map(Value::split_list).unwrap_or_default() {
                if self.table.projects.get(id).is_none() {
                    findings.push((
                        vote.at("vote"),
                        format!("Voter ID: `{}` voted for project `{id}`, which is not listed in PROJECTS section.", vote.id),
                    ));
                }
            }
        }
        for (at, message) in findings {
            self.add("vote for non-existent project", at, message, Level::Error);
        }
    }

    /// `check_votes_and_scores`.
    pub(super) fn check_votes_and_scores(&mut self) -> Result<(), Abort> {
        if !self.table.votes_in_projects && !self.table.scores_in_projects {
            let message = "There should be at least one of the fields `votes` and `score` in PROJECTS.".to_owned();
            self.add("No votes or score counted in PROJECTS section", None, message, Level::Warning);
        }
        if self.table.votes_in_projects {
            self.check_votes_column()?;
        }
        if self.table.scores_in_projects {
            self.check_score_column()?;
        }
        Ok(())
    }

    /// The `vote` cell's project ids as `utils.count_*` split them (a missing `vote` is `[]`,
    /// which has no `split`: AttributeError).
    fn counted_ids<'v>(vote: &'v super::table::Record<'_>) -> Result<Vec<&'v str>, Abort> {
        match vote.get("vote") {
            Some(Value::Str(s)) => Ok(split_list(s)),
            _ => Err(Abort("AttributeError: a vote without a `vote` field cannot be counted".to_owned())),
        }
    }

    /// `check_if_correct_votes_number`.
    fn check_votes_column(&mut self) -> Result<(), Abort> {
        let mut counted: HashMap<&str, i128> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for vote in &self.table.votes.list {
            let ids = Self::counted_ids(vote)?;
            if !ids.is_empty() && vote.contains("vote_strength") {
                // `counted_votes[p] += vote.get("vote_strength", 1)` adds a string to an int.
                return Err(Abort("TypeError: vote_strength is text and cannot be added".to_owned()));
            }
            for id in ids {
                let entry = counted.entry(id).or_insert_with(|| {
                    order.push(id);
                    0
                });
                *entry += 1;
            }
        }
        let mut findings = Vec::new();
        for project in &self.table.projects.list {
            let declared = match project.get("votes") {
                Some(v) if v.truthy() => v.to_int()?,
                _ => 0,
            };
            let at = project.at("votes");
            if declared == 0 {
                findings.push((
                    "project with no votes",
                    at,
                    format!("Project {} has no votes: maybe it was not on the ballot.", project.id),
                    Level::Warning,
                ));
            }
            let count = counted.get(&*project.id).copied().unwrap_or(0);
            if declared != count {
                let message =
                    format!("project: `{}` file votes (in PROJECTS section): `{declared}` vs counted: {count}", project.id);
                findings.push(("different values in votes", at, message, Level::Error));
            }
        }
        for id in order {
            if self.table.projects.get(id).is_none_or(|p| !p.contains("votes")) {
                let message = format!("project: `{id}` file votes (in PROJECTS section): `0` vs counted: {}", counted[id]);
                findings.push(("different values in votes", None, message, Level::Error));
            }
        }
        // The checker's defaultdict also gained every project it looked up: those from a
        // PROJECTS section without a `votes` column are reported too.
        for project in &self.table.projects.list {
            if !counted.contains_key(&*project.id) && !project.contains("votes") {
                let message = format!("project: `{}` file votes (in PROJECTS section): `0` vs counted: 0", project.id);
                findings.push(("different values in votes", project.line.map(|l| (l, 1)), message, Level::Error));
            }
        }
        for (kind, at, message, level) in findings {
            self.add(kind, at, message, level);
        }
        Ok(())
    }

    /// `check_if_correct_scores_number`: points summed per project (positional `n, n-1, …, 1`
    /// when a vote has no `points` field).
    fn check_score_column(&mut self) -> Result<(), Abort> {
        let mut counted: HashMap<&str, Number> = HashMap::new();
        let mut order: Vec<&str> = Vec::new();
        for vote in &self.table.votes.list {
            let ids = Self::counted_ids(vote)?;
            let points: Vec<Number> = match vote.get("points") {
                Some(value) => {
                    let mut points = Vec::new();
                    for item in value.split_list() {
                        let x = py_float(item).ok_or(PyErr::Value)?;
                        points.push(if x.fract() == 0.0 && x.is_finite() {
                            Number::Int(trunc_int(x)?)
                        } else {
                            Number::Float(x)
                        });
                    }
                    points
                }
                None => (1..=ids.len()).rev().map(|n| Number::Int(n as i128)).collect(),
            };
            for (id, point) in ids.into_iter().zip(points) {
                let entry = counted.entry(id).or_insert_with(|| {
                    order.push(id);
                    Number::Int(0)
                });
                *entry = entry.add(point);
            }
        }
        let mut findings = Vec::new();
        for project in &self.table.projects.list {
            let declared = match project.get("score") {
                Some(v) if v.truthy() => v.to_int()?,
                _ => 0,
            };
            let count = counted.get(&*project.id).copied().unwrap_or(Number::Int(0));
            if declared != count.to_int()? {
                let message =
                    format!("project: `{}` file scores (in PROJECTS section): `{declared}` vs counted: {count}", project.id);
                findings.push((project.at("score"), message));
            }
        }
        for id in order {
            if self.table.projects.get(id).is_none() {
                findings
                    .push((None, format!("project: `{id}` file scores (in PROJECTS section): `0` vs counted: {}", counted[id])));
            }
        }
        for (at, message) in findings {
            self.add("different values in scores", at, message, Level::Error);
        }
        Ok(())
    }
}
