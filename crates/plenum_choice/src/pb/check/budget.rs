//! Money and counts: `check_if_commas_in_floats`, `check_budgets`, `check_number_of_votes`,
//! `check_number_of_projects`.

use std::borrow::Cow;

use super::python::{Abort, PyErr, Value, floor_int, py_float};
use super::{Checker, Level, SENTINEL};

impl<'a> Checker<'a> {
    /// `check_if_commas_in_floats`: reports a decimal comma in `budget`, `max_sum_cost` and
    /// costs, then reads on as the checker does (`budget` and `max_sum_cost` with a point,
    /// costs cut at the comma).
    pub(super) fn check_commas_in_floats(&mut self) {
        let kind = "comma in float!";
        let budget = self.table.meta.get("budget").map(|v| v.py_str().into_owned()).unwrap_or_default();
        if budget.contains(',') {
            let at = self.table.meta.at("budget");
            self.add(kind, at, "in budget".to_owned(), Level::Error);
            self.table.meta.replace("budget", Value::Str(Cow::Owned(budget.replace(',', "."))));
        }
        if let Some(max) = self.table.meta.get("max_sum_cost").filter(|v| v.truthy()).map(|v| v.py_str().into_owned())
            && max.contains(',')
        {
            let at = self.table.meta.at("max_sum_cost");
            self.add(kind, at, "in max_sum_cost".to_owned(), Level::Error);
            self.table.meta.replace("max_sum_cost", Value::Str(Cow::Owned(max.replace(',', "."))));
        }
        for i in 0..self.table.projects.len() {
            let project = &self.table.projects.list[i];
            let Some(cost) = project.get("cost").map(|v| v.py_str().into_owned()) else { continue };
            if cost.contains(',') {
                let (at, id) = (project.at("cost"), project.id.to_string());
                self.add(kind, at, format!("in project: `{id}`, cost: `{cost}`"), Level::Error);
                let cut = cost.split(',').next().unwrap_or_default().to_owned();
                self.table.projects.list[i].replace("cost", Value::Str(Cow::Owned(cut)));
            }
        }
    }

    /// The budget as `check_budgets` reads it: floored, 0 if unreadable (but infinity raises).
    pub(super) fn budget_floor(&self) -> Result<i128, Abort> {
        let text = self.table.meta.get("budget").map(|v| v.py_str().replace(',', ".")).unwrap_or_default();
        if text.is_empty() {
            return Ok(0);
        }
        match py_float(&text).map(floor_int) {
            None | Some(Err(PyErr::Value | PyErr::Type)) => Ok(0),
            Some(Err(PyErr::Overflow)) => Err(PyErr::Overflow.into()),
            Some(Ok(n)) => Ok(n),
        }
    }

    /// A project's cost as `int(math.floor(_parse_numeric(cost)))`.
    pub(super) fn cost_floor(&self, i: usize) -> Result<i128, Abort> {
        let cost = self.table.projects.list[i].get("cost").ok_or_else(|| Abort("a project has no cost (KeyError)".to_owned()))?;
        Ok(floor_int(cost.parse_numeric()?)?)
    }

    /// `check_budgets`.
    pub(super) fn check_budgets(&mut self) -> Result<(), Abort> {
        let budget = self.budget_floor()?;
        let mut spent: i128 = 0;
        let mut all_costs: i128 = 0;
        for i in 0..self.table.projects.len() {
            let cost = self.cost_floor(i)?;
            all_costs = all_costs.saturating_add(cost);
            let project = &self.table.projects.list[i];
            let (id, at) = (project.id.to_string(), project.at("cost"));
            if self.selected_is(i, 1)? {
                if cost == SENTINEL {
                    let message = format!(
                        "project `{id}` is marked as selected even though its sentinel cost `{cost}` means it should not be funded."
                    );
                    self.add("selected sentinel-cost project", at, message, Level::Error);
                }
                if !self.table.projects.list[i].contains("name") {
                    return Err(Abort(format!("KeyError: 'name' (selected project `{id}` in a file without a name column)")));
                }
                spent = spent.saturating_add(cost);
            }
            if cost == 0 {
                self.add("project with no cost", at, format!("project: `{id}` has no cost!"), Level::Error);
            } else if cost > budget {
                let (message, level) = if cost == SENTINEL {
                    (
                        format!(
                            "project `{id}` exceeds the whole budget (cost: `{cost}` vs budget: `{budget}`), but this sentinel cost is intentional"
                        ),
                        Level::Warning,
                    )
                } else {
                    (format!("project `{id}` has exceeded the whole budget! cost: `{cost}` vs budget: `{budget}`"), Level::Error)
                };
                self.add("single project exceeded whole budget", at, message, level);
            }
        }
        let budget_at = self.table.meta.at("budget");
        if spent > budget {
            self.add(
                "budget exceeded",
                budget_at,
                format!("Budget: `{budget}`, cost of selected projects: {spent}"),
                Level::Error,
            );
        }
        if let Some(flag) = self.table.meta.get("fully_funded").filter(|v| v.truthy()).cloned() {
            let at = self.table.meta.at("fully_funded");
            if flag.to_int()? == 1 {
                if budget < all_costs {
                    let message = format!("budget: {budget}, lower than cost of all projects: {all_costs}");
                    self.add("wrong fully_funded flag", at, message, Level::Error);
                }
            } else {
                self.add("fully_funded flag different than 1!", at, format!("value: {}", flag.py_str()), Level::Error);
            }
            return Ok(());
        }
        if budget >= all_costs {
            let message = format!("budget: {budget}, cost of all projects: {all_costs}");
            self.add("all projects funded", budget_at, message, Level::Error);
        }
        self.unused_budget(budget - spent)
    }

    /// `selected_field and int(selected_field) == wanted`, as `check_budgets` tests it.
    fn selected_is(&self, i: usize, wanted: i128) -> Result<bool, Abort> {
        match self.table.projects.list[i].get("selected") {
            Some(v) if v.truthy() => Ok(v.to_int()? == wanted),
            _ => Ok(false),
        }
    }

    /// The end of `check_budgets`: for greedy rules, could the money left fund an unselected
    /// project (above the threshold), taken by votes or score?
    fn unused_budget(&mut self, remaining: i128) -> Result<(), Abort> {
        let rule = self.table.meta.get("rule").map(|v| v.py_str().into_owned()).unwrap_or_default();
        if !matches!(rule.as_str(), "greedy" | "greedy-threshold" | "greedy-exclusive" | "greedy-custom") {
            return Ok(());
        }
        let mut unselected: Vec<(String, i128, f64)> = Vec::new();
        for i in 0..self.table.projects.len() {
            if !self.selected_is(i, 0)? {
                continue;
            }
            let cost = self.cost_floor(i)?;
            let project = &self.table.projects.list[i];
            let score = project.get(self.results_field).map_or(Ok(0.0), Value::to_float)?;
            if self.threshold > 0 && score <= self.threshold as f64 {
                continue;
            }
            unselected.push((project.id.to_string(), cost, score));
        }
        // Stable, highest first, as Python's `sort(reverse=True)`.
        unselected.sort_by(|a, b| b.2.partial_cmp(&a.2).unwrap_or(std::cmp::Ordering::Equal));
        let mut left = remaining;
        let mut fundable = Vec::new();
        for (id, cost, _) in unselected {
            if cost <= left {
                fundable.push(id);
                left -= cost;
            }
        }
        if fundable.is_empty() {
            return Ok(());
        }
        let mut message = format!("projects {} can be funded but are not selected", fundable.join(", "));
        let level = if matches!(rule.as_str(), "greedy" | "greedy-threshold") {
            Level::Error
        } else {
            message.push_str(" (note: unused budget can be expected with non-standard greedy variants)");
            Level::Warning
        };
        let at = self.table.meta.at("budget");
        self.add("unused budget", at, message, level);
        Ok(())
    }

    /// `check_number_of_votes`.
    pub(super) fn check_number_of_votes(&mut self) {
        let counted = self.table.votes.len();
        let at = self.table.meta.at("num_votes");
        let declared = self.table.meta.get("num_votes").cloned().unwrap_or(Value::Int0);
        if !declared.truthy() || declared.py_str().trim().is_empty() {
            let message = format!("num_votes field is missing or empty in META section, but found {counted} votes in file");
            self.add("missing num_votes field", at, message, Level::Error);
            return;
        }
        match declared.to_int() {
            Err(_) => {
                let message = format!(
                    "num_votes field has invalid value: `{}`, expected integer, but found {counted} votes in file",
                    declared.py_str()
                );
                self.add("invalid num_votes field", at, message, Level::Error);
            }
            Ok(n) if n != counted as i128 => {
                let message = format!("votes number in META: `{}` vs counted from file: `{counted}`", declared.py_str());
                self.add("different number of votes", at, message, Level::Error);
            }
            Ok(_) => {}
        }
    }

    /// `check_number_of_projects`.
    pub(super) fn check_number_of_projects(&mut self) {
        let counted = self.table.projects.len();
        let declared = self.table.meta.get("num_projects").cloned().unwrap_or(Value::Int0);
        let n = if declared.truthy() { declared.to_int().unwrap_or(0) } else { 0 };
        if n != counted as i128 {
            let at = self.table.meta.at("num_projects");
            let message = format!("projects number in meta: `{}` vs counted from file: `{counted}`", declared.py_str());
            self.add("different number of projects", at, message, Level::Error);
        }
    }
}
