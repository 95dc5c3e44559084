//! The reader's fast path: most voter rows have no quotes and nothing wrong with them, and are
//! read straight from the line, with project ids looked up without hashing strings. Anything
//! unusual goes back to the general path in `read.rs`, which gives the same result (a test and
//! the fuzz target check it) and explains any error.

use std::num::NonZeroU32;

use super::csv::{FIELD_SIZE_LIMIT, py_strip};
use super::number::parse_points;
use super::read::{Header, Section, is_absent};
use crate::pb::{Project, ProjectIndex, VoteType, Voters};
use crate::rational::Rational;

/// Project ids sorted for lookup by binary search on a 64-bit key (see [`id_key`]), then the id
/// itself among equal keys; and, when the keys spread well, a small open-addressing table on
/// the same keys, which finds an id in one or two probes and one string comparison.
/// When every id is a number written plainly (the usual case), numbers are compared instead,
/// and when those numbers are small, looked up in a table.
pub(super) struct ProjectIds<'a> {
    sorted: Vec<(u64, &'a str, ProjectIndex)>,
    /// Slots of positions in `sorted` plus one (zero: empty), at `slot(key)` or just after it;
    /// empty when the keys do not spread (see [`ProjectIds::keyed`]).
    keyed: Vec<u32>,
    numbers: Option<Vec<(u64, ProjectIndex)>>,
    /// Indexed by project number: the project's index plus one (small numbers only, see
    /// [`DENSE_NUMBERS`]).
    dense: Vec<Option<NonZeroU32>>,
}

/// Project numbers below this (or below 16 per project) are looked up in a table: a few tens of
/// kilobytes at most, allocated once per file.
const DENSE_NUMBERS: u64 = 8192;

/// A cheap key to sort and search ids on: their last eight bytes (ids that share a long prefix,
/// `2022/CIS/0001`…, differ at the end) and their length. Equal keys only make the search
/// compare the ids themselves, never give a wrong answer, so crafted ids cost comparisons, not
/// correctness.
fn id_key(s: &str) -> u64 {
    let bytes = s.as_bytes();
    let tail = &bytes[bytes.len().saturating_sub(8)..];
    let mut word = [0u8; 8];
    word[..tail.len()].copy_from_slice(tail);
    u64::from_le_bytes(word) ^ (bytes.len() as u64).rotate_right(8)
}

impl<'a> ProjectIds<'a> {
    pub(super) fn new(projects: &'a [Project]) -> ProjectIds<'a> {
        let mut sorted: Vec<(u64, &str, ProjectIndex)> =
            projects.iter().enumerate().map(|(i, p)| (id_key(&p.id), p.id.as_str(), i)).collect();
        sorted.sort_unstable();
        let numbers: Option<Vec<(u64, ProjectIndex)>> =
            sorted.iter().map(|(_, id, i)| plain_number(id).map(|n| (n, *i))).collect();
        let numbers = numbers.map(|mut n| {
            n.sort_unstable();
            n
        });
        let mut dense = Vec::new();
        if let Some(numbers) = &numbers
            && let Some(&(largest, _)) = numbers.last()
            && largest < DENSE_NUMBERS.max(16 * numbers.len() as u64)
        {
            dense = vec![None; largest as usize + 1];
            for &(n, i) in numbers {
                dense[n as usize] = u32::try_from(i + 1).ok().and_then(NonZeroU32::new);
            }
        }
        let keyed = if numbers.is_some() { Vec::new() } else { ProjectIds::keyed(&sorted) };
        ProjectIds { sorted, numbers, dense, keyed }
    }

    /// The table of `sorted` by key, or an empty one when two ids share a key or a key would
    /// land more than [`MAX_PROBES`] slots from home: crafted ids then cost the binary search
    /// (O(log n) comparisons), never a long probe.
    fn keyed(sorted: &[(u64, &str, ProjectIndex)]) -> Vec<u32> {
        let size = (2 * sorted.len()).next_power_of_two().max(16);
        let mut table = vec![0u32; size];
        for (position, &(key, _, _)) in sorted.iter().enumerate() {
            if position > 0 && sorted[position - 1].0 == key {
                return Vec::new();
            }
            let home = slot(key, size);
            let Some(free) = (0..MAX_PROBES).map(|k| (home + k) & (size - 1)).find(|&at| table[at] == 0) else {
                return Vec::new();
            };
            let Ok(entry) = u32::try_from(position + 1) else { return Vec::new() };
            table[free] = entry;
        }
        table
    }

    pub(super) fn get(&self, id: &str) -> Option<&ProjectIndex> {
        if let Some(numbers) = &self.numbers {
            let n = plain_number(id)?;
            return numbers.binary_search_by_key(&n, |(m, _)| *m).ok().map(|k| &numbers[k].1);
        }
        let key = id_key(id);
        if !self.keyed.is_empty() {
            let size = self.keyed.len();
            let home = slot(key, size);
            for k in 0..MAX_PROBES {
                let entry = self.keyed[(home + k) & (size - 1)] as usize;
                let (found, whole, index) = self.sorted.get(entry.checked_sub(1)?)?;
                if *found == key {
                    return (*whole == id).then_some(index);
                }
            }
            return None;
        }
        let k = self.sorted.binary_search_by(|(k, whole, _)| k.cmp(&key).then_with(|| (*whole).cmp(id))).ok()?;
        Some(&self.sorted[k].2)
    }

    /// The project whose id is the plain number `n`, when all ids are plain numbers.
    fn get_number(&self, n: u64) -> Option<ProjectIndex> {
        if !self.dense.is_empty() {
            let entry = self.dense.get(usize::try_from(n).ok()?)?;
            return entry.map(|i| i.get() as ProjectIndex - 1);
        }
        let numbers = self.numbers.as_ref()?;
        numbers.binary_search_by_key(&n, |(m, _)| *m).ok().map(|k| numbers[k].1)
    }
}

/// How far from its home slot an id may sit in [`ProjectIds::keyed`].
const MAX_PROBES: usize = 8;

/// The home slot of `key` in a table of `size` slots (a power of two): the key's top bits
/// after a multiplication that spreads every bit of it there.
fn slot(key: u64, size: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - size.trailing_zeros())) as usize
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

/// Splits `line` at every `;` into `cells` (cleared first), looking at eight bytes at a time:
/// this and the vote cell are all the fast path reads of most rows.
fn split_cells<'l>(line: &'l str, cells: &mut Vec<&'l str>) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOWS: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    cells.clear();
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ (ONES * u64::from(b';'));
        // The high bit of exactly the bytes that are `;` (no carry crosses bytes).
        let mut found = !(((x & LOWS) + LOWS) | x | LOWS);
        while found != 0 {
            let i = at + (found.trailing_zeros() / 8) as usize;
            cells.push(&line[start..i]);
            start = i + 1;
            found &= found - 1;
        }
        at += 8;
    }
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        if b == b';' {
            cells.push(&line[start..i]);
            start = i + 1;
        }
    }
    cells.push(&line[start..]);
}

/// What the fast path makes of a voter's row (its vote and points are left in the scratch
/// space the caller gave): the voter's id, that id as a number when it is plain digits (see
/// [`IdOrder`]), and whether the row has a `points` cell.
pub(super) struct PlainVoter<'l> {
    pub(super) id: &'l str,
    pub(super) number: Option<u64>,
    pub(super) has_points: bool,
}

/// A voter's row read straight from a line without quotes, or `None` if anything in it needs
/// the general path (a marker, a blank or malformed row, an unknown project…). `cells`, `vote`
/// and `points` are scratch space; on success they hold the row's cells, its vote and its
/// points.
pub(super) fn plain_voter<'l>(
    line: &'l str,
    header: &Header,
    vote_type: VoteType,
    index: &ProjectIds<'_>,
    cells: &mut Vec<&'l str>,
    vote: &mut Vec<ProjectIndex>,
    points: &mut Vec<Rational>,
) -> Option<PlainVoter<'l>> {
    if line.len() > FIELD_SIZE_LIMIT {
        return None;
    }
    split_cells(line, cells);
    let id = py_strip(cells[0]);
    // A plain number is neither absent nor a section marker.
    let number = plain_number(id);
    if number.is_none() && (is_absent(id) || Section::of_marker(id).is_some()) {
        return None;
    }
    if cells.len() > header.width && cells[header.width..].iter().any(|c| !py_strip(c).is_empty()) {
        return None;
    }
    points.clear();
    let points_cell = header.points.and_then(|p| cells.get(p)).map(|c| py_strip(c)).filter(|t| !is_absent(t));
    if let Some(text) = points_cell {
        for item in split_commas(text) {
            points.push(parse_points(py_strip(item))?);
        }
    }
    let has_points = points_cell.is_some();
    vote.clear();
    if let Some(text) = cells.get(header.main).map(|c| py_strip(c)).filter(|t| !is_absent(t)) {
        plain_vote(text, index, has_points, vote)?;
    }
    if (has_points && points.len() != vote.len()) || (!has_points && vote_type.requires_points() && !vote.is_empty()) {
        return None;
    }
    Some(PlainVoter { id, number, has_points })
}

/// Appends the projects of a `vote` cell to `vote`, or gives `None` for anything unusual (an
/// unknown project, an empty item that points must line up with). One pass: an item of digits
/// is read as a number on the way and looked up as one.
fn plain_vote(text: &str, index: &ProjectIds<'_>, has_points: bool, vote: &mut Vec<ProjectIndex>) -> Option<()> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start <= bytes.len() {
        let mut end = start;
        let mut n = 0u64;
        while let Some(d) = bytes.get(end).map(|b| b.wrapping_sub(b'0')).filter(|&d| d < 10) {
            n = n.wrapping_mul(10).wrapping_add(u64::from(d));
            end += 1;
        }
        let digits = end - start;
        if !matches!(bytes.get(end), None | Some(b',')) {
            end += bytes[end..].iter().position(|&b| b == b',').unwrap_or(bytes.len() - end);
        }
        let item = &text[start..end];
        start = end + 1;
        // Plain digits (no leading zero, so that equal numbers are equal ids) are looked up as
        // numbers without further ado.
        if digits == item.len() && (1..=18).contains(&digits) && (digits == 1 || item.as_bytes()[0] != b'0') {
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
    Some(())
}

/// Watches voter ids as they are read, in file order: while each is a plain number greater than
/// the one before (as most files number their voters), no id can repeat and
/// [`repeated_voter`] has nothing to look for.
#[derive(Debug)]
pub(super) struct IdOrder {
    last: Option<u64>,
    increasing: bool,
}

impl IdOrder {
    pub(super) fn new() -> IdOrder {
        IdOrder { last: None, increasing: true }
    }

    /// The next voter's id, as a number when it is plain digits (`None` otherwise).
    pub(super) fn push(&mut self, number: Option<u64>) {
        match number {
            Some(n) if self.increasing && self.last.is_none_or(|last| last < n) => self.last = Some(n),
            _ => self.increasing = false,
        }
    }

    /// The number of a voter id read by the general path.
    pub(super) fn push_id(&mut self, id: &str) {
        if self.increasing {
            self.push(plain_number(id));
        }
    }
}

/// The first voter (in file order) whose id an earlier voter already has. Sorting finds repeats
/// in O(n log n) whatever the ids, where hashing could be driven quadratic by crafted ids.
/// `order` saw every id: when the ids are increasing numbers there is nothing to look for.
pub(super) fn repeated_voter<'v>(voters: &'v Voters, order: &IdOrder) -> Option<(usize, &'v str)> {
    if order.increasing || (1..voters.len()).all(|k| voters.id(k - 1) < voters.id(k)) {
        return None;
    }
    // Otherwise sort on a fingerprint, so that equal ids end up side by side; a run of equal
    // fingerprints is sorted on the ids themselves (O(n log n) whatever the ids).
    let print =
        |id: &str| id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    let mut order: Vec<(u64, usize)> = (0..voters.len()).map(|k| (print(voters.id(k)), k)).collect();
    order.sort_unstable();
    let mut repeated: Option<usize> = None;
    for run in order.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        run.sort_unstable_by(|a, b| voters.id(a.1).cmp(voters.id(b.1)).then(a.1.cmp(&b.1)));
        for pair in run.windows(2).filter(|w| voters.id(w[0].1) == voters.id(w[1].1)) {
            repeated = Some(repeated.map_or(pair[1].1, |r| r.min(pair[1].1)));
        }
    }
    repeated.map(|k| (k, voters.id(k)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_at_every_semicolon_as_str_split_does() {
        let lines = [
            "",
            ";",
            "a",
            "1;2",
            ";;;;;;;;;;;;;;;;;",
            "218281;1962,928,2122,1408,1136;21;M;internet",
            "ż;ó;;x;",
            "abcdefgh;ijklmnop;",
        ];
        let mut cells = Vec::new();
        for line in lines {
            split_cells(line, &mut cells);
            assert_eq!(cells, line.split(';').collect::<Vec<_>>(), "{line:?}");
        }
        let long: String = (0..200).map(|k| if k % 7 == 0 || k % 11 == 3 { ';' } else { ':' }).collect();
        split_cells(&long, &mut cells);
        assert_eq!(cells, long.split(';').collect::<Vec<_>>());
    }

    #[test]
    fn project_ids_are_found_in_the_keyed_table_and_by_search_alike() {
        let project = |id: String| Project { id, cost: crate::rational::Rational::ONE, fields: Vec::new() };
        let spread: Vec<Project> = (0..300).map(|k| project(format!("L5/{k}/VIII"))).collect();
        // Same last eight bytes and length: one key for all, so no table.
        let crafted: Vec<Project> = (0..40).map(|k| project(format!("{:02}-same-tail", k))).collect();
        for (projects, keyed) in [(&spread, true), (&crafted, false)] {
            let ids = ProjectIds::new(projects);
            assert_eq!(!ids.keyed.is_empty(), keyed);
            for (i, p) in projects.iter().enumerate() {
                assert_eq!(ids.get(&p.id), Some(&i), "{}", p.id);
                assert_eq!(ids.get(&format!("{}x", p.id)), None);
                assert_eq!(ids.get(&format!("x{}", &p.id[1..])), None);
            }
            assert_eq!(ids.get(""), None);
        }
    }

    #[test]
    fn project_numbers_are_found_in_the_table_and_by_search_alike() {
        let project = |id: &str| Project { id: id.to_owned(), cost: crate::rational::Rational::ONE, fields: Vec::new() };
        let small = [project("1408"), project("7"), project("0")];
        let large = [project("1408"), project("7"), project("10000000")];
        let (small, large) = (ProjectIds::new(&small), ProjectIds::new(&large));
        assert!(!small.dense.is_empty() && large.dense.is_empty());
        for (n, expected) in [(1408, Some(0)), (7, Some(1)), (0, Some(2)), (8, None), (1409, None), (u64::MAX, None)] {
            assert_eq!(small.get_number(n), expected, "{n}");
        }
        assert_eq!(large.get_number(10_000_000), Some(2));
        assert_eq!(large.get_number(1408), Some(0));
        assert_eq!(large.get_number(0), None);
    }
}
