//! The writer: an [`Election`] becomes a BLT file that [`read`](super::read) reads back unchanged.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;

use super::lex::is_word;
use super::{COMMENT, NICK, NOTES, SOURCE, TIE, WITHDRAWN, bad_nickname};
use crate::vote::Election;
use crate::vote::file::{WriteError, is_one_line};

/// Writes `election` as a BLT file, with LF line endings and one ballot per line:
///
/// ```text
/// 4 2
/// -2                     withdrawn candidates; `[withdrawn b]` when there are nicknames
/// 3 1 3 4 0              one line per ballot, in order; `(id) 1 3 4 0` with ballot ids
/// 2 4 1=3 0              equal rankings joined by `=`
/// 0
/// "Adam"
/// …
/// "Title"
/// ```
///
/// With [`Election::nicknames`], a `[nick …]` line comes first and ballots name candidates by
/// nickname, as in the file they came from; `[tie …]` follows the withdrawals, then the other
/// options of [`Election::metadata`] (keys `[name]`), in order. After the title come the
/// `source`, `comment` and `notes` of the metadata, if any; its other keys (PrefLib's header
/// lines) have no place in BLT and are not written.
///
/// Reads back normalised: an empty title as no title, withdrawn candidates sorted, notes trimmed.
///
/// Refused with [`WriteError::Unwritable`], writing nothing: no number of seats; a number of
/// names other than the number of alternatives; a `"` or a line break in a name, the title, the
/// source or the comment; a ballot with a count of 0 (which would end the ballots); nicknames
/// that are not one per alternative, unique, and usable as nicknames (see [`super`]); a withdrawn
/// alternative out of range or given twice; a tie order that is not every alternative once;
/// ballot ids that are not one per ballot, unique, non-empty, free of `)` and line breaks,
/// with single blanks, on ballots of one voter each; an option key that is not `[word]`, or one
/// of `nick`, `withdrawn`, `tie`; option values that are not words separated by single blanks;
/// a comment without a source; a repeated `source`, `comment` or `notes`; notes that would be
/// read as a source or comment.
pub fn write(election: &Election, out: &mut impl Write) -> Result<(), WriteError> {
    let text = render(election).map_err(|reason| WriteError::Unwritable { format: "BLT".to_owned(), reason })?;
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn render(election: &Election) -> Result<String, String> {
    let seats = check(election)?;
    let rankings = &election.rankings;
    let m = rankings.alternatives();
    let nicknames = &election.nicknames;
    let candidate = |out: &mut String, a: usize| {
        let _ = match nicknames.get(a) {
            Some(nick) => write!(out, "{nick}"),
            None => write!(out, "{}", a + 1),
        };
    };

    let mut out = String::with_capacity(64 * (m + 8) + 8 * rankings.iter().map(|r| r.alternatives.len() + 2).sum::<usize>());
    let _ = writeln!(out, "{m} {seats}");
    if !nicknames.is_empty() {
        let _ = writeln!(out, "[{NICK} {}]", nicknames.join(" "));
    }
    let mut withdrawn = election.withdrawn.clone();
    withdrawn.sort_unstable();
    if !withdrawn.is_empty() {
        if nicknames.is_empty() {
            let line: Vec<String> = withdrawn.iter().map(|a| format!("-{}", a + 1)).collect();
            let _ = writeln!(out, "{}", line.join(" "));
        } else {
            out.push('[');
            out.push_str(WITHDRAWN);
            for &a in &withdrawn {
                out.push(' ');
                candidate(&mut out, a);
            }
            out.push_str("]\n");
        }
    }
    if !election.tie_order.is_empty() {
        out.push('[');
        out.push_str(TIE);
        for &a in &election.tie_order {
            out.push(' ');
            candidate(&mut out, a);
        }
        out.push_str("]\n");
    }
    for (name, value) in election.metadata.iter().filter_map(|(k, v)| option_name(k).map(|name| (name, v))) {
        let _ = if value.is_empty() { writeln!(out, "[{name}]") } else { writeln!(out, "[{name} {value}]") };
    }
    for (i, ranking) in rankings.iter().enumerate() {
        let _ = match election.ballot_ids.get(i) {
            Some(id) => write!(out, "({id})"),
            None => write!(out, "{}", ranking.count),
        };
        for group in ranking.groups() {
            out.push(' ');
            for (j, &a) in group.iter().enumerate() {
                if j > 0 {
                    out.push('=');
                }
                candidate(&mut out, usize::from(a));
            }
        }
        out.push_str(" 0\n");
    }
    out.push_str("0\n");
    for name in &election.alternatives {
        let _ = writeln!(out, "\"{name}\"");
    }
    let _ = writeln!(out, "\"{}\"", election.title.as_deref().unwrap_or_default());
    for key in [SOURCE, COMMENT] {
        if let Some(value) = metadata(election, key) {
            let _ = writeln!(out, "\"{value}\"");
        }
    }
    if let Some(notes) = metadata(election, NOTES) {
        let _ = writeln!(out, "{notes}");
    }
    Ok(out)
}

/// The option a metadata key stands for: `droop` for `[droop]`.
fn option_name(key: &str) -> Option<&str> {
    key.strip_prefix('[').and_then(|k| k.strip_suffix(']'))
}

/// The value of a metadata key.
fn metadata<'e>(election: &'e Election, key: &str) -> Option<&'e str> {
    election.metadata.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Whether `text` can be written between double quotes and read back as itself.
fn quotable(text: &str) -> bool {
    is_one_line(text) && !text.contains('"')
}

/// Everything that would keep the file from reading back as `election`; the number of seats.
fn check(election: &Election) -> Result<usize, String> {
    let rankings = &election.rankings;
    let m = rankings.alternatives();
    let Some(seats) = election.seats else {
        return Err("a BLT file states the number of seats, and the election has none".to_owned());
    };
    if election.alternatives.len() != m {
        return Err(format!("{} names for {m} alternatives", election.alternatives.len()));
    }
    if let Some((a, name)) = election.alternatives.iter().enumerate().find(|(_, n)| !quotable(n)) {
        return Err(format!("the name of alternative {} ({name:?}) has a `\"` or a line break", a + 1));
    }
    if let Some(title) = election.title.as_deref().filter(|t| !quotable(t)) {
        return Err(format!("the title {title:?} has a `\"` or a line break"));
    }
    if let Some(i) = rankings.iter().position(|r| r.count == 0) {
        return Err(format!("ballot {} has a count of 0, which would end the ballots", i + 1));
    }
    check_nicknames(&election.nicknames, m)?;
    let mut withdrawn = vec![false; m];
    for &a in &election.withdrawn {
        match withdrawn.get_mut(a) {
            None => return Err(format!("withdrawn alternative {} does not exist", a + 1)),
            Some(true) => return Err(format!("alternative {} is withdrawn twice", a + 1)),
            Some(seen) => *seen = true,
        }
    }
    if !election.tie_order.is_empty() {
        let mut listed = vec![false; m];
        if election.tie_order.len() != m || election.tie_order.iter().any(|&a| a >= m || std::mem::replace(&mut listed[a], true))
        {
            return Err("the tie order must list every alternative once".to_owned());
        }
    }
    check_ballot_ids(election)?;
    check_metadata(election)?;
    Ok(seats)
}

fn check_nicknames(nicknames: &[String], m: usize) -> Result<(), String> {
    if nicknames.is_empty() {
        return Ok(());
    }
    if nicknames.len() != m {
        return Err(format!("{} nicknames for {m} alternatives", nicknames.len()));
    }
    let mut seen = HashSet::new();
    for nick in nicknames {
        if let Some(why) = bad_nickname(nick) {
            return Err(format!("{why}: {nick:?}"));
        }
        if !seen.insert(nick.as_str()) {
            return Err(format!("the nickname {nick:?} is given twice"));
        }
    }
    Ok(())
}

fn check_ballot_ids(election: &Election) -> Result<(), String> {
    let ids = &election.ballot_ids;
    if ids.is_empty() {
        return Ok(());
    }
    if ids.len() != election.rankings.len() {
        return Err(format!("{} ballot ids for {} ballots", ids.len(), election.rankings.len()));
    }
    let mut seen = HashSet::new();
    for (id, ranking) in ids.iter().zip(election.rankings.iter()) {
        let normal = id.split_whitespace().collect::<Vec<_>>().join(" ");
        if id.is_empty() || *id != normal || id.contains(')') {
            return Err(format!("the ballot id {id:?} cannot be written (empty, a `)`, or blanks other than single spaces)"));
        }
        if !seen.insert(id.as_str()) {
            return Err(format!("the ballot id {id:?} is given twice"));
        }
        if ranking.count != 1 {
            return Err(format!("ballot {id:?} has a count of {}, and a ballot with an id is one voter's", ranking.count));
        }
    }
    Ok(())
}

fn check_metadata(election: &Election) -> Result<(), String> {
    let mut seen = HashSet::new();
    for (key, value) in &election.metadata {
        if let Some(name) = option_name(key) {
            if !is_word(name) || [NICK, WITHDRAWN, TIE].contains(&name) {
                return Err(format!("the option {key:?} cannot be written (not one word, or one with a field of its own)"));
            }
            if !value.is_empty() && !value.split(' ').all(is_word) {
                return Err(format!("the option {key:?} has values {value:?} that are not words separated by single blanks"));
            }
        } else if [SOURCE, COMMENT, NOTES].contains(&key.as_str()) {
            if !seen.insert(key.as_str()) {
                return Err(format!("the metadata key {key:?} is given twice"));
            }
            if key != NOTES && !quotable(value) {
                return Err(format!("the {key} {value:?} has a `\"` or a line break"));
            }
        }
    }
    let source = metadata(election, SOURCE).is_some();
    let comment = metadata(election, COMMENT).is_some();
    if comment && !source {
        return Err("a comment without a source would be read back as the source".to_owned());
    }
    if metadata(election, NOTES).is_some_and(|n| n.trim_start().starts_with('"')) && !(source && comment) {
        return Err("notes that start with `\"` would be read back as a source or comment".to_owned());
    }
    Ok(())
}
