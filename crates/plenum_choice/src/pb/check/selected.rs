//! `verify_selected`: does the `selected` column follow the file's `rule`? Greedy (skipping
//! what does not fit), greedy-no-skip (stopping at it), greedy with a threshold, the Poznań
//! 80 % rule, and the Method of Equal Shares (in [`super::equal_shares`]).

use std::collections::BTreeSet;

use super::python::{Abort, py_float};
use super::{Checker, Level, SENTINEL};

/// `Checker.VALID_RULES`.
const RULES: [&str; 10] = [
    "greedy",
    "greedy-no-skip",
    "greedy-threshold",
    "greedy-exclusive",
    "greedy-custom",
    "equalshares",
    "equalshares-comparison",
    "equalshares/add1",
    "equalshares/add1-comparison",
    "unknown",
];

/// A project as the greedy checks see it.
#[derive(Debug)]
struct Candidate {
    id: String,
    score: f64,
    cost: f64,
    selected: i128,
}

impl Checker<'_> {
    /// `verify_selected`.
    pub(super) fn verify_selected(&mut self) -> Result<(), Abort> {
        let first_selected = self.table.projects.list.first().and_then(|p| p.get("selected")).is_some_and(|v| v.truthy());
        if !first_selected {
            let message = "PROJECTS has no 'selected' field, so compliance with the rule cannot be verified.".to_owned();
            self.add("missing selected field in projects", None, message, Level::Warning);
            return Ok(());
        }
        let order = self.sorted_by_results()?;
        let budget_text = self.table.meta.get("budget").map(|v| v.py_str().replace(',', ".")).unwrap_or_default();
        let budget = if budget_text.is_empty() { 0.0 } else { py_float(&budget_text).unwrap_or(0.0) };
        let rule = self.table.meta.get("rule").map(|v| v.py_str().into_owned()).unwrap_or_default();
        let rule_at = self.table.meta.at("rule");
        if !RULES.contains(&rule.as_str()) {
            let message = format!("The rule '{rule}' is not recognized. Valid rules are: {}.", RULES.join(", "));
            self.add("unknown rule value", rule_at, message, Level::Error);
            return Ok(());
        }
        let has_threshold = self.table.meta.contains("min_project_score_threshold");
        match rule.as_str() {
            "unknown" => {
                self.add(
                    "rule validation skipped",
                    rule_at,
                    "Rule is 'unknown', so compliance cannot be verified.".to_owned(),
                    Level::Warning,
                );
            }
            "equalshares" | "equalshares-comparison" | "equalshares/add1" | "equalshares/add1-comparison" => {
                self.verify_equal_shares(&rule, rule.contains("add1"), rule.ends_with("-comparison"))?;
            }
            "greedy" if has_threshold => {
                let message =
                    "Rule is 'greedy' but 'min_project_score_threshold' exists: it should be 'greedy-threshold'.".to_owned();
                self.add("incorrect rule with threshold", rule_at, message, Level::Error);
            }
            "greedy" => self.verify_greedy(budget, &order, "greedy")?,
            "greedy-no-skip" => self.verify_greedy_no_skip(budget, &order)?,
            "greedy-threshold" if !has_threshold => {
                let message = "Rule is 'greedy-threshold' but META has no 'min_project_score_threshold'.".to_owned();
                self.add("missing threshold field", rule_at, message, Level::Error);
            }
            "greedy-threshold" => self.verify_greedy(budget, &order, "greedy-threshold")?,
            "greedy-exclusive" => self.greedy_as_warning(budget, &order, "greedy-exclusive potential mismatch")?,
            _ => {
                // greedy-custom
                if !self.table.meta.get("comment").is_some_and(|v| v.truthy()) {
                    let message = "Rule is 'greedy-custom' but META has no 'comment' documenting it.".to_owned();
                    self.add("missing comment for greedy-custom", rule_at, message, Level::Warning);
                }
                if self.table.meta.get("unit").and_then(|v| v.text()) == Some("Poznań") {
                    self.verify_poznan(budget, &order)?;
                } else {
                    self.greedy_as_warning(budget, &order, "greedy-custom cannot be verified")?;
                }
            }
        }
        Ok(())
    }

    /// `utils.sort_projects_by_results`: by `score` if the first project has one, else by
    /// `votes`, highest first, stable; unsorted if neither.
    fn sorted_by_results(&self) -> Result<Vec<usize>, Abort> {
        let projects = &self.table.projects.list;
        let mut order: Vec<usize> = (0..projects.len()).collect();
        let Some(first) = projects.first() else { return Ok(order) };
        let field = if first.contains("score") {
            "score"
        } else if first.contains("votes") {
            "votes"
        } else {
            return Ok(order);
        };
        let mut keys = Vec::with_capacity(projects.len());
        for project in projects {
            let value =
                project.get(field).ok_or_else(|| Abort(format!("KeyError: project `{}` has no `{field}`", project.id)))?;
            keys.push(if value.truthy() { value.to_int()? } else { 0 });
        }
        order.sort_by(|&a, &b| keys[b].cmp(&keys[a]));
        Ok(order)
    }

    /// Score, cost and `selected` of each project in `order`, raising where Python would.
    fn candidates(&self, order: &[usize]) -> Result<Vec<Candidate>, Abort> {
        let mut out = Vec::with_capacity(order.len());
        for &i in order {
            let project = &self.table.projects.list[i];
            let missing = |key: &str| Abort(format!("KeyError: project `{}` has no `{key}`", project.id));
            let score = project.get(self.results_field).ok_or_else(|| missing(self.results_field))?.to_float()?;
            let cost = project.get("cost").ok_or_else(|| missing("cost"))?.to_float()?;
            let selected = project.get("selected").ok_or_else(|| missing("selected"))?.to_int()?;
            out.push(Candidate { id: project.id.to_string(), score, cost, selected });
        }
        Ok(out)
    }

    /// `verify_greedy_selected`.
    fn verify_greedy(&mut self, mut budget: f64, order: &[usize], rule_name: &str) -> Result<(), Abort> {
        let threshold = self.threshold as f64;
        let candidates = self.candidates(order)?;
        let mut selected = BTreeSet::new();
        let mut winners = BTreeSet::new();
        let mut below = BTreeSet::new();
        for c in &candidates {
            if c.selected == 1 {
                selected.insert(c.id.clone());
                if c.score < threshold {
                    below.insert(c.id.clone());
                }
            }
            if c.score >= threshold && budget >= c.cost {
                winners.insert(c.id.clone());
                budget -= c.cost;
            }
        }
        self.compare(&format!("{rule_name} rule not followed"), &winners, &selected, Level::Error);
        self.threshold_violation(&below);
        Ok(())
    }

    /// `verify_greedy_no_skip_selected`: sentinel-cost projects are passed over without stopping.
    fn verify_greedy_no_skip(&mut self, mut budget: f64, order: &[usize]) -> Result<(), Abort> {
        let threshold = self.threshold as f64;
        let candidates = self.candidates(order)?;
        let mut selected = BTreeSet::new();
        let mut below = BTreeSet::new();
        for c in candidates.iter().filter(|c| c.selected == 1) {
            selected.insert(c.id.clone());
            if c.score < threshold {
                below.insert(c.id.clone());
            }
        }
        let mut winners = BTreeSet::new();
        for c in candidates.iter().filter(|c| c.score >= threshold) {
            if c.cost == SENTINEL as f64 {
                continue;
            }
            if budget >= c.cost {
                winners.insert(c.id.clone());
                budget -= c.cost;
            } else {
                break;
            }
        }
        self.compare("greedy-no-skip rule not followed", &winners, &selected, Level::Error);
        self.threshold_violation(&below);
        Ok(())
    }

    /// greedy-exclusive and greedy-custom: plain greedy, its mismatch downgraded to a warning.
    fn greedy_as_warning(&mut self, budget: f64, order: &[usize], kind: &str) -> Result<(), Abort> {
        self.verify_greedy(budget, order, "greedy")?;
        let mismatches: Vec<_> = self.errors.iter().filter(|f| f.kind == "greedy rule not followed").cloned().collect();
        if let Some(first) = mismatches.first() {
            self.errors.retain(|f| f.kind != "greedy rule not followed");
            let message =
                format!("Standard greedy would select different projects: {} This may be right for this rule.", first.message);
            self.add(kind, first.line.map(|l| (l, first.column.unwrap_or(1))), message, Level::Warning);
        }
        Ok(())
    }

    /// `verify_poznan_selected`: greedy, and when the money runs out, the next project is
    /// still funded if it costs at most 125 % of what is left (what is left is 80 % of it);
    /// `selected` 1, 2 and 3 all count, and 3 (reserve funds) goes to the best of the rest.
    fn verify_poznan(&mut self, mut budget: f64, order: &[usize]) -> Result<(), Abort> {
        let mut file_selected = BTreeSet::new();
        let mut rule_selected: Vec<String> = Vec::new();
        let mut extra = 0usize;
        let mut taking = true;
        for &i in order {
            let project = &self.table.projects.list[i];
            let missing = |key: &str| Abort(format!("KeyError: project `{}` has no `{key}`", project.id));
            let cost = project.get("cost").ok_or_else(|| missing("cost"))?.to_float()?;
            project.get(self.results_field).ok_or_else(|| missing(self.results_field))?;
            let selected = project.get("selected").ok_or_else(|| missing("selected"))?.to_int()?;
            if (1..=3).contains(&selected) {
                file_selected.insert(project.id.to_string());
            }
            if selected == 3 {
                extra += 1;
            }
            if taking {
                if budget >= cost {
                    rule_selected.push(project.id.to_string());
                    budget -= cost;
                } else {
                    if budget >= cost * 0.8 {
                        rule_selected.push(project.id.to_string());
                    }
                    taking = false;
                }
            }
        }
        if extra > 0 {
            let rest: Vec<String> = order
                .iter()
                .map(|&i| self.table.projects.list[i].id.to_string())
                .filter(|id| !rule_selected.contains(id))
                .take(extra)
                .collect();
            rule_selected.extend(rest);
        }
        let rule_selected: BTreeSet<String> = rule_selected.into_iter().collect();
        let missing: Vec<&String> = rule_selected.difference(&file_selected).collect();
        if !missing.is_empty() {
            self.add(
                "poznan rule not followed",
                None,
                format!("Projects not selected but should be: {missing:?}"),
                Level::Warning,
            );
        }
        let extra: Vec<&String> = file_selected.difference(&rule_selected).collect();
        if !extra.is_empty() {
            self.add("poznan rule not followed", None, format!("Projects selected but should not be: {extra:?}"), Level::Error);
        }
        Ok(())
    }

    /// Reports the difference between what a rule funds and what the file says was funded.
    pub(super) fn compare(&mut self, kind: &str, winners: &BTreeSet<String>, selected: &BTreeSet<String>, level: Level) {
        let should: Vec<&str> = winners.difference(selected).map(String::as_str).collect();
        let should_not: Vec<&str> = selected.difference(winners).map(String::as_str).collect();
        let mut parts = Vec::new();
        if !should.is_empty() {
            parts.push(format!("Projects not selected but should be: {}", should.join(", ")));
        }
        if !should_not.is_empty() {
            parts.push(format!("Projects selected but shouldn't be: {}", should_not.join(", ")));
        }
        if !parts.is_empty() {
            let first = should.first().or(should_not.first()).copied().unwrap_or_default();
            let at = self.table.projects.get(first).and_then(|p| p.field("selected")).and_then(|f| f.at);
            self.add(kind, at, parts.join(". "), level);
        }
    }

    fn threshold_violation(&mut self, below: &BTreeSet<String>) {
        if !below.is_empty() {
            let message = format!("Projects selected below threshold ({}): {below:?}", self.threshold);
            self.add("threshold violation", None, message, Level::Error);
        }
    }
}
