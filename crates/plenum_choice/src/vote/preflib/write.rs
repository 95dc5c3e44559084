//! The writer: an [`Election`] becomes a PrefLib file that [`read`](super::read) reads back
//! unchanged.

use std::fmt::Write as _;
use std::io::Write;

use super::{DATA_TYPE, DataType, NUMBER_ALTERNATIVES, NUMBER_UNIQUE_ORDERS, NUMBER_VOTERS, STANDARD_KEYS, TITLE, is_reserved};
use crate::vote::Election;
use crate::vote::file::{WriteError, is_one_line};

/// Writes `election` as a PrefLib file of type `kind`, in PrefLib's own layout: LF line
/// endings; the nine standard header lines in PrefLib's order (`TITLE` from
/// [`Election::title`], `DATA TYPE` from `kind`, the others from [`Election::metadata`], empty
/// when it has no such key), the other metadata keys in their order, the three counts, the
/// names, then one line per ballot, in order, as `count: a,b,{c,d}` (an empty ballot as `count:`).
///
/// What reads back normalised: values and names are trimmed; an empty title or standard value
/// reads back absent; metadata reads back with its standard keys first, in PrefLib's order.
/// What PrefLib has no place for and is not written: [`Election::seats`],
/// [`Election::nicknames`], [`Election::ballot_ids`] (none of them changes a count).
///
/// Refused with [`WriteError::Unwritable`], writing nothing: ballots that do not fit `kind`;
/// withdrawn alternatives or a tie-breaking order, which would change a count of the file
/// without them; a ballot with a count of 0; a line break in the title, a name, a metadata key
/// or value; a metadata key that is empty, has a `:`, is one the reader gives its own meaning
/// (`TITLE`, `DATA TYPE`, `NUMBER …`, `ALTERNATIVE NAME …`) or is a standard key given twice;
/// a number of names other than the number of alternatives.
pub fn write(election: &Election, kind: DataType, out: &mut impl Write) -> Result<(), WriteError> {
    let text = render(election, kind).map_err(|reason| WriteError::Unwritable { format: format!("PrefLib {kind}"), reason })?;
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn render(election: &Election, kind: DataType) -> Result<String, String> {
    let rankings = &election.rankings;
    let m = rankings.alternatives();
    check(election, kind)?;

    let mut out = String::with_capacity(64 * (m + 16) + 16 * rankings.iter().map(|r| r.alternatives.len() + 2).sum::<usize>());
    for key in STANDARD_KEYS {
        let value = match key {
            TITLE => election.title.as_deref().unwrap_or_default(),
            DATA_TYPE => kind.as_str(),
            _ => election.metadata.iter().find(|(k, _)| k.trim() == key).map_or("", |(_, v)| v.as_str()),
        };
        let _ = writeln!(out, "# {key}: {value}");
    }
    for (key, value) in election.metadata.iter().filter(|(k, _)| !STANDARD_KEYS.contains(&k.trim())) {
        let _ = writeln!(out, "# {key}: {value}");
    }
    let _ = writeln!(out, "# {NUMBER_ALTERNATIVES}: {m}");
    let _ = writeln!(out, "# {NUMBER_VOTERS}: {}", rankings.voters());
    let _ = writeln!(out, "# {NUMBER_UNIQUE_ORDERS}: {}", rankings.len());
    for (a, name) in election.alternatives.iter().enumerate() {
        let _ = writeln!(out, "# ALTERNATIVE NAME {}: {name}", a + 1);
    }
    for ranking in rankings.iter() {
        let _ = write!(out, "{}:", ranking.count);
        for (i, group) in ranking.groups().enumerate() {
            out.push_str(if i == 0 { " " } else { "," });
            if let [a] = group {
                let _ = write!(out, "{}", a + 1);
            } else {
                out.push('{');
                for (j, a) in group.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{}", a + 1);
                }
                out.push('}');
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// Everything that would keep the file from reading back as `election`.
fn check(election: &Election, kind: DataType) -> Result<(), String> {
    let rankings = &election.rankings;
    let m = rankings.alternatives();
    if election.alternatives.len() != m {
        return Err(format!("{} names for {m} alternatives", election.alternatives.len()));
    }
    if !election.withdrawn.is_empty() {
        return Err("PrefLib has no place for withdrawn alternatives, and a count of the file would include them".to_owned());
    }
    if !election.tie_order.is_empty() {
        return Err("PrefLib has no place for a tie-breaking order, and a count of the file would not use it".to_owned());
    }
    for (i, ranking) in rankings.iter().enumerate() {
        if kind.is_strict() && ranking.has_ties() {
            return Err(format!("ballot {} has a tie, but the orders of a {kind} file are strict", i + 1));
        }
        if kind.is_complete() && ranking.alternatives.len() != m {
            return Err(format!(
                "ballot {} ranks {} of the {m} alternatives, but the orders of a {kind} file are complete",
                i + 1,
                ranking.alternatives.len()
            ));
        }
        if ranking.count == 0 {
            return Err(format!("ballot {} has a count of 0", i + 1));
        }
    }
    if let Some(title) = &election.title
        && !is_one_line(title)
    {
        return Err(format!("the title {title:?} has a line break"));
    }
    if let Some((a, name)) = election.alternatives.iter().enumerate().find(|(_, n)| !is_one_line(n)) {
        return Err(format!("the name of alternative {} ({name:?}) has a line break", a + 1));
    }
    let mut standard_seen = [false; STANDARD_KEYS.len()];
    for (key, value) in &election.metadata {
        let trimmed = key.trim();
        if trimmed.is_empty() || key.contains(':') || !is_one_line(key) || !is_one_line(value) {
            return Err(format!(
                "the metadata entry {key:?}: {value:?} cannot be a header line (an empty key, a `:` in it, or a line break)"
            ));
        }
        if is_reserved(trimmed) {
            return Err(format!("the metadata key {key:?} would be read as the election's own {trimmed}"));
        }
        if let Some(slot) = STANDARD_KEYS.iter().position(|&k| k == trimmed)
            && std::mem::replace(&mut standard_seen[slot], true)
        {
            return Err(format!("the metadata key {trimmed:?} is given twice, and PrefLib allows it once"));
        }
    }
    Ok(())
}
