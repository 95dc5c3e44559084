//! The field schema of `pabulib_helpers/fields.py` and the checks made with it (`check_fields`):
//! known fields, their order, obligatory values, datatypes and allowed values, dates, META
//! constraints between fields, coordinates.

use std::borrow::Cow;

use super::iso_codes::{COUNTRY_KEYS, CURRENCY_ALPHA_3, LANGUAGE_ALPHA_2};
use super::python::{Abort, Value, parse_numeric, py_float, py_int};
use super::table::{At, Record};
use super::{Checker, Level};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Datatype {
    Str,
    Int,
    Float,
    List,
}

/// A validation beyond the datatype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Country,
    VoteType,
    Date,
    Language,
    Currency,
    /// The int must be 1 (`fully_funded`, `experimental`).
    One,
    Comment,
    Selected,
    Age,
    Sex,
    VotingMethod,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Spec {
    pub name: &'static str,
    pub datatype: Datatype,
    pub obligatory: bool,
    pub nullable: bool,
    pub rule: Option<Rule>,
}

const fn spec(name: &'static str, datatype: Datatype) -> Spec {
    Spec { name, datatype, obligatory: false, nullable: false, rule: None }
}

const fn required(name: &'static str, datatype: Datatype) -> Spec {
    Spec { name, datatype, obligatory: true, nullable: false, rule: None }
}

const fn ruled(s: Spec, rule: Rule) -> Spec {
    Spec { rule: Some(rule), ..s }
}

const fn nullable(s: Spec) -> Spec {
    Spec { nullable: true, ..s }
}

use Datatype::{Float, Int, List, Str};

/// `META_FIELDS_ORDER`, in order.
pub(super) const META: &[Spec] = &[
    required("description", Str),
    ruled(required("country", Str), Rule::Country),
    required("unit", Str),
    spec("district", Str),
    spec("subunit", Str),
    required("instance", Str),
    required("num_projects", Int),
    required("num_votes", Int),
    required("budget", Float),
    ruled(required("vote_type", Str), Rule::VoteType),
    required("rule", Str),
    ruled(required("date_begin", Str), Rule::Date),
    ruled(required("date_end", Str), Rule::Date),
    spec("min_length", Int),
    spec("max_length", Int),
    spec("min_sum_cost", Float),
    spec("max_sum_cost", Float),
    spec("min_points", Int),
    spec("max_points", Int),
    spec("min_sum_points", Int),
    spec("max_sum_points", Int),
    spec("default_score", Int),
    spec("min_project_cost", Int),
    spec("max_project_cost", Int),
    spec("min_project_score_threshold", Int),
    spec("neighborhoods", Str),
    spec("subdistricts", Str),
    spec("categories", Str),
    spec("edition", Str),
    ruled(spec("language", Str), Rule::Language),
    ruled(spec("currency", Str), Rule::Currency),
    ruled(spec("fully_funded", Int), Rule::One),
    ruled(spec("experimental", Int), Rule::One),
    ruled(spec("comment", Str), Rule::Comment),
    spec("acknowledgments", Str),
    spec("leftover_budget", Str),
    spec("budget_per_category", List),
    spec("budget_per_neighborhood", List),
    spec("min_length_per_category", Int),
    spec("max_length_per_category", Int),
    spec("min_sum_cost_per_category", List),
    spec("max_sum_cost_per_category", List),
];

/// `PROJECTS_FIELDS_ORDER`, in order.
pub(super) const PROJECTS: &[Spec] = &[
    required("project_id", Str),
    required("cost", Float),
    spec("votes", Int),
    spec("score", Int),
    spec("name", Str),
    nullable(spec("category", List)),
    nullable(spec("beneficiaries", List)),
    ruled(spec("selected", Int), Rule::Selected),
    spec("neighborhood", Str),
    spec("subunit", Str),
    spec("district", Str),
    spec("description", Str),
    spec("proposer", Str),
    spec("public_id", Str),
    nullable(spec("latitude", Float)),
    nullable(spec("longitude", Float)),
];

/// `VOTES_FIELDS_ORDER`, in order.
pub(super) const VOTES: &[Spec] = &[
    required("voter_id", Str),
    required("vote", List),
    spec("points", List),
    nullable(ruled(spec("age", Str), Rule::Age)),
    nullable(ruled(spec("sex", Str), Rule::Sex)),
    ruled(spec("voting_method", Str), Rule::VotingMethod),
    nullable(spec("district", Str)),
    nullable(spec("neighborhood", Str)),
    nullable(spec("education", Str)),
    spec("topic_preference_transport", Int),
    spec("topic_preference_culture", Int),
    spec("topic_preference_nature", Int),
    spec("district_preference", Str),
    spec("time_taken_seconds", Int),
    spec("format_easiness", Str),
    spec("format_expressiveness", Str),
    spec("format_rank", Str),
];

pub(super) const VOTE_TYPES: [&str; 5] = ["ordinal", "approval", "cumulative", "scoring", "choose-1"];

fn position(schema: &[Spec], name: &str) -> Option<usize> {
    schema.iter().position(|s| s.name == name)
}

impl Checker<'_> {
    /// `check_fields`.
    pub(super) fn check_fields(&mut self) -> Result<(), Abort> {
        let mut found = Vec::new();
        fields_and_order(&self.table.meta, META, "meta", false, &mut found);
        field_values(&self.table.meta, META, "meta", None, &mut found);
        self.add_all(found);
        self.date_range();
        self.meta_constraints()?;

        let mut found = Vec::new();
        if let Some(first) = self.table.projects.list.first() {
            fields_and_order(first, PROJECTS, "projects", false, &mut found);
        }
        for project in &self.table.projects.list {
            field_values(project, PROJECTS, "projects", Some("Project"), &mut found);
        }
        self.add_all(found);
        self.project_coordinates();

        let mut found = Vec::new();
        match self.table.votes.list.first() {
            Some(first) => fields_and_order(first, VOTES, "votes", false, &mut found),
            None => fields_and_order(&Record::default(), VOTES, "votes", true, &mut found),
        }
        for vote in &self.table.votes.list {
            field_values(vote, VOTES, "votes", Some("Voter"), &mut found);
        }
        self.add_all(found);
        Ok(())
    }

    fn add_all(&mut self, found: Vec<Found>) {
        for (kind, at, message, level) in found {
            self.add(&kind, at, message, level);
        }
    }

    /// `validate_date_range`.
    fn date_range(&mut self) {
        let read = |key: &str| self.table.meta.get(key).map(|v| v.py_str().into_owned()).unwrap_or_default();
        let (begin, end) = (read("date_begin"), read("date_end"));
        let parsed_begin = if begin.is_empty() { None } else { parse_date(&begin, true) };
        let parsed_end = if end.is_empty() { None } else { parse_date(&end, true) };
        for (key, raw, parsed) in [("date_begin", &begin, parsed_begin), ("date_end", &end, parsed_end)] {
            if !raw.is_empty() && parsed.is_none() {
                let at = self.table.meta.at(key);
                let message =
                    format!("Invalid {key} value '{raw}'. Expected 'YYYY' or a real calendar date in 'DD.MM.YYYY' format.");
                self.add("invalid meta field value", at, message, Level::Error);
            }
        }
        if let (Some(b), Some(e)) = (parsed_begin, parsed_end)
            && b > e
        {
            let at = self.table.meta.at("date_end");
            self.add("date range missmatch", at, format!("date end ({end}) earlier than start ({begin})!"), Level::Error);
        }
    }

    /// The META constraints between fields at the end of `check_fields`' META part.
    fn meta_constraints(&mut self) -> Result<(), Abort> {
        let meta = &self.table.meta;
        let text = |key: &str| meta.get(key).cloned();
        let vote_type = text("vote_type").map(|v| v.py_str().into_owned());
        let (min_length, max_length, num_projects) = (text("min_length"), text("max_length"), text("num_projects"));
        let mut findings = Vec::new();
        if vote_type.as_deref() == Some("cumulative") && !text("max_sum_points").is_some_and(|v| v.truthy()) {
            findings.push((
                "missing meta field value",
                "max_sum_points",
                "For vote_type 'cumulative', 'max_sum_points' is required.",
                Level::Error,
            ));
        }
        if vote_type.as_deref() == Some("choose-1") {
            if let Some(v) = min_length.as_ref().filter(|v| !v.is_empty_str())
                && v.to_int()? != 1
            {
                let message = "For vote_type 'choose-1', min_length must be 1.";
                findings.push(("invalid choose-1 meta constraint", "min_length", message, Level::Error));
            }
            if let Some(v) = max_length.as_ref().filter(|v| !v.is_empty_str())
                && v.to_int()? != 1
            {
                let message = "For vote_type 'choose-1', max_length must be 1.";
                findings.push(("invalid choose-1 meta constraint", "max_length", message, Level::Error));
            }
        } else if let Some(v) = max_length.as_ref().filter(|v| !v.is_empty_str()) {
            let declared = v.to_int()?;
            if declared == 1 {
                let many = match num_projects.as_ref().filter(|v| !v.is_empty_str()) {
                    None => true,
                    Some(n) => n.to_int()? > 1,
                };
                if many {
                    findings.push((
                        "choose-1 vote_type suggested",
                        "max_length",
                        "max_length is 1 but vote_type is not 'choose-1': this looks like vote_type 'choose-1'.",
                        Level::Warning,
                    ));
                }
            }
        }
        if let (Some(m), Some(n)) = (max_length.filter(|v| !v.is_empty_str()), num_projects.filter(|v| !v.is_empty_str()))
            && m.to_int()? > n.to_int()?
        {
            let message = "max_length cannot be higher than num_projects.";
            findings.push(("invalid meta field value", "max_length", message, Level::Error));
        }
        for (kind, key, message, level) in findings {
            let at = self.table.meta.at(key);
            self.add(kind, at, message.to_owned(), level);
        }
        Ok(())
    }

    /// `check_project_coordinates`.
    fn project_coordinates(&mut self) {
        let mut findings = Vec::new();
        for project in &self.table.projects.list {
            let lat = project.get("latitude").filter(|v| !v.is_empty_str());
            let lon = project.get("longitude").filter(|v| !v.is_empty_str());
            let identifier = format!("Project ID `{}`: ", project.id);
            match (lat, lon) {
                (None, None) => {}
                (Some(_), None) | (None, Some(_)) => findings.push((
                    project.at("latitude"),
                    format!(
                        "{identifier}projects fields 'latitude' and 'longitude' must either both be provided or both be empty."
                    ),
                )),
                (Some(lat), Some(lon)) => {
                    if coordinate(lat, 90.0).is_none() {
                        findings.push((project.at("latitude"), format!("{identifier}projects field 'latitude' has invalid coordinate value: {}. Expected a number in range [-90, 90].", lat.py_str())));
                    }
                    if coordinate(lon, 180.0).is_none() {
                        findings.push((project.at("longitude"), format!("{identifier}projects field 'longitude' has invalid coordinate value: {}. Expected a number in range [-180, 180].", lon.py_str())));
                    }
                }
            }
        }
        for (at, message) in findings {
            self.add("invalid projects field value", at, message, Level::Error);
        }
    }
}

/// A finding waiting to be added: kind, place, message, level.
type Found = (String, At, String, Level);

/// `validate_fields_and_order`. `placeholder` stands for the `{"voter_id": "placeholder"}` the
/// checker uses when there is no vote.
fn fields_and_order(data: &Record<'_>, schema: &[Spec], section: &str, placeholder: bool, found: &mut Vec<Found>) {
    let mut keys: Vec<&str> = data.fields.iter().map(|f| &*f.key).filter(|k| !k.starts_with("__") && *k != "key").collect();
    if placeholder {
        keys.insert(0, "voter_id");
    }
    let mut unknown: Vec<&str> = keys.iter().copied().filter(|k| position(schema, k).is_none()).collect();
    if section == "projects" && unknown.contains(&"target") {
        let message = "PROJECTS field 'target' is no longer supported: it was renamed 'beneficiaries' in April 2026.".to_owned();
        found.push(("invalid projects field value".to_owned(), data.at("target"), message, Level::Error));
        unknown.retain(|k| *k != "target");
    }
    if let Some(first) = unknown.first() {
        let message = format!("{section} contains not known fields: {unknown:?}.");
        found.push((format!("not known {section} fields"), data.at(first), message, Level::Error));
    }
    let known: Vec<&str> = keys.iter().copied().filter(|k| position(schema, k).is_some()).collect();
    let mut sorted = known.clone();
    sorted.sort_by_key(|k| position(schema, k));
    if known != sorted {
        let message = format!("correct order should be: {sorted:?}");
        found.push((format!("wrong {section} fields order"), data.line.map(|l| (l, 1)), message, Level::Warning));
    }
}

/// `validate_fields_values`; `who` (`Project`, `Voter`) names the record in messages.
fn field_values(data: &Record<'_>, schema: &[Spec], section: &str, who: Option<&str>, found: &mut Vec<Found>) {
    let identifier = || who.map(|w| format!("{w} ID `{}`: ", data.id)).unwrap_or_default();
    for field in &data.fields {
        let key = &*field.key;
        if key.starts_with("__") {
            continue;
        }
        let Some(spec) = schema.iter().find(|s| s.name == key) else { continue };
        let at = field.at.or(data.line.map(|l| (l, 1)));
        if spec.obligatory && data.missing.contains(&spec.name) {
            let message = format!("{}{section} field '{key}' is required but was missing from the file.", identifier());
            found.push((format!("missing {section} field value"), at, message, Level::Error));
            continue;
        }
        if !field.value.truthy() {
            if !spec.nullable {
                let message = format!("{}{section} field '{key}' cannot be None or empty.", identifier());
                found.push((format!("invalid {section} field value"), at, message, Level::Error));
            }
            continue;
        }
        let text = field.value.py_str();
        let normalized: Cow<'_, str> =
            if matches!(key, "latitude" | "longitude") { Cow::Owned(text.replace(',', ".")) } else { text };
        let cast_ok = match spec.datatype {
            Datatype::Int => py_int(&normalized).is_some(),
            Datatype::Float => py_float(&normalized).is_some(),
            Datatype::Str | Datatype::List => true,
        };
        if !cast_ok {
            let message = format!(
                "{}{section} field '{key}' has incorrect datatype: expected {:?}, found {normalized:?}.",
                identifier(),
                spec.datatype
            );
            found.push((format!("incorrect {section} field datatype"), at, message, Level::Error));
            continue;
        }
        if spec.rule.is_some_and(|rule| !rule_holds(rule, &normalized)) {
            let message = format!("{}{section} field '{key}' failed validation with value: {normalized}.", identifier());
            found.push((format!("invalid {section} field value"), at, message, Level::Error));
        }
    }
}

/// `_parse_coordinate`: the value as a float within `[-limit, limit]`.
pub(super) fn coordinate(value: &Value<'_>, limit: f64) -> Option<f64> {
    let x = parse_numeric(&value.py_str()).ok()?;
    (-limit..=limit).contains(&x).then_some(x)
}

fn rule_holds(rule: Rule, value: &str) -> bool {
    match rule {
        Rule::Country => value == "Worldwide" || COUNTRY_KEYS.binary_search(&value.to_lowercase().as_str()).is_ok(),
        Rule::VoteType => VOTE_TYPES.contains(&value),
        Rule::Date => parse_date(value, false).is_some(),
        Rule::Language => LANGUAGE_ALPHA_2.binary_search(&value.to_lowercase().as_str()).is_ok(),
        Rule::Currency => CURRENCY_ALPHA_3.binary_search(&value.to_lowercase().as_str()).is_ok(),
        Rule::One => py_int(value) == Some(1),
        Rule::Comment => value.starts_with("#1: "),
        Rule::Selected => py_int(value).is_some_and(|v| (0..=3).contains(&v)),
        Rule::Age => py_int(value).is_some() || age_bucket(value),
        Rule::Sex => matches!(value, "M" | "F" | "O"),
        Rule::VotingMethod => matches!(value, "internet" | "paper"),
    }
}

/// `^\d+-\d+$` with the first age not above the second.
fn age_bucket(value: &str) -> bool {
    let Some((a, b)) = value.split_once('-') else { return false };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    digits(a) && digits(b) && py_int(a) <= py_int(b)
}

/// A date as `(year, month, day)`: `YYYY` (as January 1st) or `DD.MM.YYYY`, a real calendar
/// date. `strict_year` also refuses year 0 for `YYYY`, as `strptime` does (the field checker
/// only matches the pattern; the date-range check parses it).
pub(super) fn parse_date(value: &str, strict_year: bool) -> Option<(u32, u32, u32)> {
    let number = |s: &str| s.parse::<u32>().ok();
    let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
    if all_digits(value, 4) {
        let year = number(value)?;
        return (!strict_year || year >= 1).then_some((year, 1, 1));
    }
    let parts: Vec<&str> = value.split('.').collect();
    let [d, m, y] = parts.as_slice() else { return None };
    if !(all_digits(d, 2) && all_digits(m, 2) && all_digits(y, 4)) {
        return None;
    }
    let (day, month, year) = (number(d)?, number(m)?, number(y)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days).contains(&day)).then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_years_or_real_calendar_days() {
        assert_eq!(parse_date("2020", true), Some((2020, 1, 1)));
        assert_eq!(parse_date("29.02.2024", true), Some((2024, 2, 29)));
        assert_eq!(parse_date("29.02.2023", true), None);
        assert_eq!(parse_date("1.02.2023", true), None);
        assert_eq!(parse_date("0000", false), Some((0, 1, 1)));
        assert_eq!(parse_date("0000", true), None);
    }

    #[test]
    fn countries_languages_and_currencies_are_looked_up_case_insensitively() {
        for country in
            ["Poland", "poland", "PL", "pol", "616", "Worldwide", "United States", "Switzerland", "France", "Netherlands"]
        {
            assert!(rule_holds(Rule::Country, country), "{country}");
        }
        assert!(!rule_holds(Rule::Country, "Atlantis"));
        assert!(!rule_holds(Rule::Country, "worldwide"));
        assert!(rule_holds(Rule::Language, "PL") && !rule_holds(Rule::Language, "pol"));
        assert!(rule_holds(Rule::Currency, "pln") && !rule_holds(Rule::Currency, "zł"));
    }

    #[test]
    fn ages_are_integers_or_ordered_buckets() {
        assert!(rule_holds(Rule::Age, "27") && rule_holds(Rule::Age, "40-59"));
        assert!(!rule_holds(Rule::Age, "59-40") && !rule_holds(Rule::Age, "adult"));
    }
}
