//! `check_dataset_quality_warnings`: declared label domains against the labels used, duplicated
//! and inconsistently written labels, comment numbering, identical coordinates.

use std::collections::{BTreeMap, BTreeSet};

use super::ascii_fold::ASCII_FOLD;
use super::fields::coordinate;
use super::python::Value;
use super::table::Records;
use super::{Checker, Level};
use crate::pb::pabulib::{is_py_space, py_strip};

/// The labels of `field` in a record: a comma list, or one trimmed value.
fn labels(value: Option<&Value<'_>>, is_list: bool) -> Vec<String> {
    let Some(value) = value else { return Vec::new() };
    if is_list {
        return value.split_list().into_iter().map(str::to_owned).collect();
    }
    let text = value.py_str();
    let trimmed = py_strip(&text);
    if trimmed.is_empty() { Vec::new() } else { vec![trimmed.to_owned()] }
}

/// `_normalize_text_key`: NFKD, non-ASCII dropped, trimmed, lowercased, blanks collapsed.
#[must_use]
pub(super) fn normalize_label(value: &str) -> String {
    let mut ascii = String::with_capacity(value.len());
    for c in value.chars() {
        if c.is_ascii() {
            ascii.push(c);
        } else if let Ok(i) = ASCII_FOLD.binary_search_by_key(&u32::from(c), |(code, _)| *code) {
            ascii.push_str(ASCII_FOLD[i].1);
        }
    }
    let lower = py_strip(&ascii).to_ascii_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut in_blank = false;
    for c in lower.chars() {
        if is_py_space(c) {
            if !in_blank {
                out.push(' ');
            }
            in_blank = true;
        } else {
            out.push(c);
            in_blank = false;
        }
    }
    out
}

/// `re.findall(r"#(\d+):", comment)`.
fn comment_markers(comment: &str) -> Vec<&str> {
    let bytes = comment.as_bytes();
    let mut markers = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && bytes.get(j) == Some(&b':') {
                markers.push(&comment[i + 1..j]);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    markers
}

impl Checker<'_> {
    pub(super) fn check_quality(&mut self) {
        self.declared_domains();
        self.label_consistency();
        self.comment_format();
        self.identical_coordinates();
    }

    /// `check_declared_metadata_domains`.
    fn declared_domains(&mut self) {
        let table = &self.table;
        let comparisons: [(&str, &str, &Records<'_>, bool); 5] = [
            ("categories", "category", &table.projects, true),
            ("neighborhoods", "neighborhood", &table.projects, false),
            ("neighborhoods", "neighborhood", &table.votes, false),
            ("subdistricts", "district", &table.projects, false),
            ("subdistricts", "district", &table.votes, false),
        ];
        let mut findings = Vec::new();
        for (meta_field, data_field, records, is_list) in comparisons {
            let Some(declared) = table.meta.get(meta_field).filter(|v| v.truthy()) else { continue };
            let declared: BTreeSet<String> = declared.split_list().into_iter().map(str::to_owned).collect();
            let observed: BTreeSet<String> = records.list.iter().flat_map(|r| labels(r.get(data_field), is_list)).collect();
            if observed.is_empty() {
                continue;
            }
            let at = table.meta.at(meta_field);
            let unused: Vec<&String> = declared.difference(&observed).collect();
            if !unused.is_empty() {
                findings.push((
                    "unused declared metadata values",
                    at,
                    format!("META field '{meta_field}' declares values not used in data: {unused:?}."),
                ));
            }
            let undeclared: Vec<&String> = observed.difference(&declared).collect();
            if !undeclared.is_empty() {
                findings.push((
                    "undeclared metadata values used",
                    at,
                    format!("Data uses values for '{data_field}' not listed in META field '{meta_field}': {undeclared:?}."),
                ));
            }
        }
        for (kind, at, message) in findings {
            self.add(kind, at, message, Level::Warning);
        }
    }

    /// `check_label_consistency`.
    fn label_consistency(&mut self) {
        let table = &self.table;
        let inspected: [(&str, &Records<'_>, &str, bool); 6] = [
            ("Projects", &table.projects, "category", true),
            ("Projects", &table.projects, "beneficiaries", true),
            ("Projects", &table.projects, "district", false),
            ("Projects", &table.projects, "neighborhood", false),
            ("Votes", &table.votes, "district", false),
            ("Votes", &table.votes, "neighborhood", false),
        ];
        let mut findings = Vec::new();
        for (scope, records, field, is_list) in inspected {
            let mut groups: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for record in &records.list {
                let values = labels(record.get(field), is_list);
                if is_list && values.iter().collect::<BTreeSet<_>>().len() != values.len() {
                    let message = format!("{scope} record `{}` contains duplicate values in '{field}': {values:?}.", record.id);
                    findings.push(("duplicate values inside list field", record.at(field), message));
                }
                for value in values {
                    groups.entry(normalize_label(&value)).or_default().insert(value);
                }
            }
            for variants in groups.values().filter(|v| v.len() > 1) {
                let message =
                    format!("{scope} field '{field}' has values that differ only by case, spacing or diacritics: {variants:?}.");
                findings.push(("inconsistent label normalization", None, message));
            }
        }
        for (kind, at, message) in findings {
            self.add(kind, at, message, Level::Warning);
        }
    }

    /// `check_comment_format`.
    fn comment_format(&mut self) {
        let Some(comment) = self.table.meta.get("comment").filter(|v| v.truthy()).map(|v| v.py_str().into_owned()) else {
            return;
        };
        let at = self.table.meta.at("comment");
        let markers = comment_markers(&comment);
        if markers.is_empty() {
            let message = "META field 'comment' should use numbered comments such as '#1: ...'.".to_owned();
            self.add("invalid comment numbering", at, message, Level::Error);
            return;
        }
        let sequential = markers.iter().enumerate().all(|(i, m)| *m == (i + 1).to_string());
        if !sequential {
            let message = format!("META field 'comment' uses non-sequential numbering: {markers:?}.");
            self.add("non-sequential comment numbering", at, message, Level::Warning);
        }
    }

    /// The last quality check: every project with coordinates at the same point.
    fn identical_coordinates(&mut self) {
        let mut points: Vec<(f64, f64)> = Vec::new();
        for project in &self.table.projects.list {
            let (Some(lat), Some(lon)) =
                (project.get("latitude").filter(|v| !v.is_empty_str()), project.get("longitude").filter(|v| !v.is_empty_str()))
            else {
                continue;
            };
            if let (Some(lat), Some(lon)) = (coordinate(lat, 90.0), coordinate(lon, 180.0)) {
                points.push((lat, lon));
            }
        }
        if points.len() > 1 && points.iter().all(|p| *p == points[0]) {
            let message = "All projects with coordinates share the same latitude/longitude pair.".to_owned();
            self.add("identical project coordinates", None, message, Level::Warning);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fold_diacritics_case_and_blanks_as_python_does() {
        assert_eq!(normalize_label("  Zieleń  Miejska "), "zielen miejska");
        assert_eq!(normalize_label("Łódź"), "odz");
        assert_eq!(normalize_label("ﬁre"), "fire");
    }

    #[test]
    fn comment_markers_are_found_like_the_regex() {
        assert_eq!(comment_markers("#1: a #2: b ##3: c #4 d #05:"), vec!["1", "2", "3", "05"]);
        assert!(comment_markers("no markers").is_empty());
    }
}
