//! The reader's fast path: most voter rows have no quotes and nothing wrong with them, and are
//! read straight from the line, with project ids looked up without hashing strings. Anything
//! unusual goes back to the general path in `read.rs`, which gives the same result (a test and
//! the fuzz target check it) and explains any error.

use super::csv::{FIELD_SIZE_LIMIT, py_strip};
use super::number::parse_points;
use super::read::{Header, Section, is_absent};
use crate::pb::{Project, ProjectIndex, VoteType, Voter};

/// Project ids sorted for lookup by binary search on a 64-bit hash, then the id itself among
/// equal hashes: a few integer comparisons per vote item, cheaper than a hash map for the tens to
/// hundreds of projects an election has (ids often share long prefixes, `2022/CIS/0001`…).
/// When every id is a number written plainly (the usual case), numbers are compared instead.
pub(super) struct ProjectIds<'a> {
    sorted: Vec<(u64, &'a str, ProjectIndex)>,
    pub(super) numbers: Option<Vec<(u64, ProjectIndex)>>,
}

/// FNV-1a: quick for short ids. (Crafted collisions only make the search compare the colliding
/// ids themselves, never give a wrong answer.)
fn id_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

impl<'a> ProjectIds<'a> {
    pub(super) fn new(projects: &'a [Project]) -> ProjectIds<'a> {
        let mut sorted: Vec<(u64, &str, ProjectIndex)> =
            projects.iter().enumerate().map(|(i, p)| (id_hash(&p.id), p.id.as_str(), i)).collect();
        sorted.sort_unstable();
        let numbers: Option<Vec<(u64, ProjectIndex)>> =
            sorted.iter().map(|(_, id, i)| plain_number(id).map(|n| (n, *i))).collect();
        let numbers = numbers.map(|mut n| {
            n.sort_unstable();
            n
        });
        ProjectIds { sorted, numbers }
    }

    pub(super) fn get(&self, id: &str) -> Option<&ProjectIndex> {
        if let Some(numbers) = &self.numbers {
            let n = plain_number(id)?;
            return numbers.binary_search_by_key(&n, |(m, _)| *m).ok().map(|k| &numbers[k].1);
        }
        let hash = id_hash(id);
        let k = self.sorted.binary_search_by(|(h, whole, _)| h.cmp(&hash).then_with(|| (*whole).cmp(id))).ok()?;
        Some(&self.sorted[k].2)
    }

    /// The project whose id is the plain number `n`, when all ids are plain numbers.
    fn get_number(&self, n: u64) -> Option<ProjectIndex> {
        let numbers = self.numbers.as_ref()?;
        numbers.binary_search_by_key(&n, |(m, _)| *m).ok().map(|k| numbers[k].1)
    }
}

/// The items of a comma-separated cell.
fn split_commas(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == b',') {
            Some(i) => {
                rest = Some(&current[i + 1..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// The number `s` writes, if it is plain digits without a leading zero (so that different
/// strings are different numbers).
fn plain_number(s: &str) -> Option<u64> {
    let bytes = s.as_bytes();
    if bytes.is_empty() || bytes.len() > 18 || (bytes[0] == b'0' && bytes.len() > 1) || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(bytes.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0')))
}

/// A voter's row read straight from a line without quotes, or `None` if anything in it needs
/// the general path (a marker, a blank or malformed row, an unknown project…). `cells` is
/// scratch space; on success it holds the row's cells.
pub(super) fn plain_voter<'l>(
    line: &'l str,
    header: &Header,
    vote_type: VoteType,
    index: &ProjectIds<'_>,
    cells: &mut Vec<&'l str>,
) -> Option<Voter> {
    if line.len() > FIELD_SIZE_LIMIT {
        return None;
    }
    cells.clear();
    let mut start = 0;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == b';' {
            cells.push(&line[start..i]);
            start = i + 1;
        }
    }
    cells.push(&line[start..]);
    let id = py_strip(cells[0]);
    if is_absent(id) || Section::of_marker(id).is_some() || cells.iter().skip(header.width).any(|c| !py_strip(c).is_empty()) {
        return None;
    }
    let points = match header.points.and_then(|p| cells.get(p)).map(|c| py_strip(c)).filter(|t| !is_absent(t)) {
        Some(text) => {
            let mut points = Vec::with_capacity(text.bytes().filter(|&b| b == b',').count() + 1);
            for item in split_commas(text) {
                points.push(parse_points(py_strip(item))?);
            }
            Some(points)
        }
        None => None,
    };
    let vote = match cells.get(header.main).map(|c| py_strip(c)).filter(|t| !is_absent(t)) {
        Some(text) => plain_vote(text, index, points.is_some())?,
        None => Vec::new(),
    };
    match &points {
        Some(points) if points.len() != vote.len() => return None,
        None if vote_type.requires_points() && !vote.is_empty() => return None,
        _ => {}
    }
    Some(Voter { id: id.to_owned(), vote, points })
}

/// The projects of a `vote` cell, or `None` for anything unusual (an unknown project, an empty
/// item that points must line up with).
fn plain_vote(text: &str, index: &ProjectIds<'_>, has_points: bool) -> Option<Vec<ProjectIndex>> {
    let mut vote = Vec::with_capacity(text.bytes().filter(|&b| b == b',').count() + 1);
    // Numbers only, the usual case: read them in one pass.
    if index.numbers.is_some() && text.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        for item in text.as_bytes().split(|&b| b == b',') {
            if item.is_empty() {
                if has_points {
                    return None;
                }
                continue;
            }
            if item.len() > 18 || (item[0] == b'0' && item.len() > 1) {
                return None;
            }
            let n = item.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0'));
            vote.push(index.get_number(n)?);
        }
        return Some(vote);
    }
    for item in split_commas(text) {
        // Plain digits are looked up as numbers without further ado.
        if let Some(n) = plain_number(item) {
            vote.push(index.get_number(n).or_else(|| index.get(item).copied())?);
            continue;
        }
        let item = py_strip(item);
        if item.is_empty() {
            if has_points {
                return None;
            }
            continue;
        }
        vote.push(*index.get(item)?);
    }
    Some(vote)
}

/// The first voter (in file order) whose id an earlier voter already has. Sorting finds repeats
/// in O(n log n) whatever the ids, where hashing could be driven quadratic by crafted ids.
pub(super) fn repeated_voter(voters: &[Voter]) -> Option<(usize, &str)> {
    // Most files number their voters in increasing order: then no id can repeat.
    // (Numbers written canonically, so that equal numbers are equal ids.)
    let number =
        |v: &Voter| (v.id.len() < 19 && (v.id == "0" || !v.id.starts_with('0'))).then(|| v.id.parse::<u64>().ok()).flatten();
    let numbers_increase = voters.windows(2).all(|w| matches!((number(&w[0]), number(&w[1])), (Some(a), Some(b)) if a < b));
    if numbers_increase || voters.windows(2).all(|w| w[0].id < w[1].id) {
        return None;
    }
    // Otherwise sort on a fingerprint, so that equal ids end up side by side; a run of equal
    // fingerprints is sorted on the ids themselves (O(n log n) whatever the ids).
    let print =
        |id: &str| id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    let mut order: Vec<(u64, usize)> = voters.iter().enumerate().map(|(k, v)| (print(&v.id), k)).collect();
    order.sort_unstable();
    let mut repeated: Option<usize> = None;
    for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        run.sort_unstable_by(|a, b| voters[a.1].id.cmp(&voters[b.1].id).then(a.1.cmp(&b.1)));
        for pair in run.windows(2).filter(|w| voters[w[0].1].id == voters[w[1].1].id) {
            repeated = Some(repeated.map_or(pair[1].1, |r| r.min(pair[1].1)));
        }
    }
    repeated.map(|k| (k, voters[k].id.as_str()))
}
