//! Ballots as the voting methods count them: rankings, grades and approvals, each with a count.
//!
//! Weighted ballots are the normal input: a ballot carries how many voters cast it, so a million
//! identical ballots cost one entry. Each kind is stored flat (one array of entries for all
//! ballots), so that a profile of a million distinct ballots costs a few allocations.
//!
//! Alternatives are numbered from 0 here; files and people number them from 1.

use std::fmt;

/// Index of an alternative (candidate, option) in a profile, from 0.
pub type Alternative = usize;

/// The most alternatives a profile may have. Entries are stored as `u16`.
pub const MAX_ALTERNATIVES: usize = u16::MAX as usize;

/// Why a ballot cannot be added to a profile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("alternative {0} does not exist (there are {1})")]
    UnknownAlternative(usize, usize),
    #[error("alternative {0} appears twice on one ballot")]
    Repeated(usize),
    #[error("grade {0} is above the highest grade {1}")]
    GradeTooHigh(u32, u32),
    #[error("too many alternatives: {0} (at most {MAX_ALTERNATIVES})")]
    TooManyAlternatives(usize),
    #[error("the ballots' counts add up to more than {}", u64::MAX)]
    TooManyVoters,
}

/// Ranked ballots, possibly truncated (not every alternative ranked) and possibly with ties
/// (several alternatives sharing a rank).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Rankings {
    alternatives: usize,
    counts: Vec<u64>,
    /// Ballot `i` is `entries[starts[i]..starts[i + 1]]`, most preferred first.
    starts: Vec<u32>,
    entries: Vec<u16>,
    /// Level (0 = top) of each entry, kept once some ballot has a tie (`tracks_levels`); until
    /// then each entry is its own level.
    levels: Vec<u16>,
    tracks_levels: bool,
    voters: u64,
}

/// One ranked ballot, borrowed from [`Rankings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranking<'a> {
    pub count: u64,
    /// The ranked alternatives, most preferred first (tied alternatives in any order).
    pub alternatives: &'a [u16],
    /// The level of each of `alternatives`; `None` when the ballot has no ties.
    pub levels: Option<&'a [u16]>,
}

impl<'a> Ranking<'a> {
    /// The groups of tied alternatives, most preferred group first.
    pub fn groups(&self) -> impl Iterator<Item = &'a [u16]> + 'a {
        let alternatives = self.alternatives;
        let levels = self.levels;
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= alternatives.len() {
                return None;
            }
            let start = at;
            at += 1;
            if let Some(levels) = levels {
                while at < alternatives.len() && levels[at] == levels[start] {
                    at += 1;
                }
            }
            Some(&alternatives[start..at])
        })
    }

    /// Whether some alternatives share a rank.
    #[must_use]
    pub fn has_ties(&self) -> bool {
        self.levels.is_some_and(|levels| levels.windows(2).any(|w| w[0] == w[1]))
    }
}

impl Rankings {
    /// No ballots yet, over `alternatives` alternatives.
    pub fn new(alternatives: usize) -> Result<Rankings, BallotError> {
        if alternatives > MAX_ALTERNATIVES {
            return Err(BallotError::TooManyAlternatives(alternatives));
        }
        Ok(Rankings { alternatives, starts: vec![0], ..Rankings::default() })
    }

    /// Adds a ballot cast by `count` voters: `groups` lists the ranked alternatives from most to
    /// least preferred, tied alternatives in one group. Empty groups are ignored.
    pub fn push<G: AsRef<[Alternative]>>(&mut self, count: u64, groups: &[G]) -> Result<(), BallotError> {
        let start = self.entries.len();
        let mut tied = false;
        for group in groups {
            let group = group.as_ref();
            if group.is_empty() {
                continue;
            }
            tied |= group.len() > 1;
            for &a in group {
                if a >= self.alternatives {
                    self.entries.truncate(start);
                    return Err(BallotError::UnknownAlternative(a + 1, self.alternatives));
                }
                self.entries.push(a as u16);
            }
        }
        if let Some(repeated) = first_repeat(&self.entries[start..], self.alternatives) {
            self.entries.truncate(start);
            return Err(BallotError::Repeated(repeated + 1));
        }
        let Some(voters) = self.voters.checked_add(count) else {
            self.entries.truncate(start);
            return Err(BallotError::TooManyVoters);
        };
        if tied && !self.tracks_levels {
            self.track_levels();
        }
        if self.tracks_levels {
            for (level, group) in groups.iter().map(AsRef::as_ref).filter(|g| !g.is_empty()).enumerate() {
                self.levels.extend(std::iter::repeat_n(level as u16, group.len()));
            }
        }
        self.voters = voters;
        self.counts.push(count);
        self.starts.push(self.entries.len() as u32);
        Ok(())
    }

    /// Starts keeping levels, at the first tie: every entry of the ballots so far gets its own.
    fn track_levels(&mut self) {
        self.tracks_levels = true;
        self.levels.reserve(self.entries.capacity());
        for i in 0..self.counts.len() {
            let (from, to) = (self.starts[i] as usize, self.starts[i + 1] as usize);
            self.levels.extend(0..(to - from) as u16);
        }
    }

    /// Adds a ballot a reader has already checked (alternatives in range, none repeated, the
    /// total of the counts not overflowing): `entries` are the ranked alternatives and `ends[i]`
    /// where the `i`-th group of tied alternatives ends in `entries`. Skips [`Rankings::push`]'s
    /// checks and its per-ballot allocations, for files of a million orders.
    pub(crate) fn push_read(&mut self, count: u64, entries: &[Alternative], ends: &[usize]) {
        let tied = ends.len() < entries.len();
        if tied && !self.tracks_levels {
            self.track_levels();
        }
        self.entries.extend(entries.iter().map(|&a| a as u16));
        if self.tracks_levels {
            let mut start = 0;
            for (level, &end) in ends.iter().enumerate() {
                self.levels.extend(std::iter::repeat_n(level as u16, end - start));
                start = end;
            }
        }
        self.voters = self.voters.saturating_add(count);
        self.counts.push(count);
        self.starts.push(self.entries.len() as u32);
    }

    /// Number of alternatives.
    #[must_use]
    pub fn alternatives(&self) -> usize {
        self.alternatives
    }

    /// Number of distinct ballot entries (not voters).
    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Number of voters: the sum of the counts.
    #[must_use]
    pub fn voters(&self) -> u64 {
        self.voters
    }

    /// Whether some ballot ranks two alternatives equally.
    #[must_use]
    pub fn has_ties(&self) -> bool {
        self.tracks_levels && self.iter().any(|r| r.has_ties())
    }

    /// Ballot `i`.
    #[must_use]
    pub fn get(&self, i: usize) -> Ranking<'_> {
        let (from, to) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        Ranking {
            count: self.counts[i],
            alternatives: &self.entries[from..to],
            levels: self.tracks_levels.then(|| &self.levels[from..to]),
        }
    }

    /// Every ballot, in the order they were added.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Ranking<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    /// The same ballots with identical ones merged (counts added), in a fixed order that depends
    /// only on the ballots.
    #[must_use]
    pub fn merged(&self) -> Rankings {
        let key = |i: usize| {
            let r = self.get(i);
            (r.alternatives, r.levels)
        };
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
        let mut merged = Rankings { alternatives: self.alternatives, starts: vec![0], ..Rankings::default() };
        let keep_levels = self.has_ties();
        merged.tracks_levels = keep_levels;
        let mut previous: Option<usize> = None;
        for i in order {
            if let Some(p) = previous
                && key(p) == key(i)
            {
                if let Some(last) = merged.counts.last_mut() {
                    *last += self.counts[i];
                }
                continue;
            }
            previous = Some(i);
            let r = self.get(i);
            merged.entries.extend_from_slice(r.alternatives);
            if keep_levels {
                match r.levels {
                    Some(levels) => merged.levels.extend_from_slice(levels),
                    None => merged.levels.extend(0..r.alternatives.len() as u16),
                }
            }
            merged.counts.push(r.count);
            merged.starts.push(merged.entries.len() as u32);
        }
        merged.voters = self.voters;
        merged
    }

    /// The same ballots with the `removed` alternatives struck out (as if never ranked), the
    /// levels of the others kept. A ballot left empty stays, empty, with its count.
    #[must_use]
    pub fn without(&self, removed: &[Alternative]) -> Rankings {
        if removed.is_empty() {
            return self.clone();
        }
        let mut gone = vec![false; self.alternatives];
        for &a in removed.iter().filter(|&&a| a < self.alternatives) {
            gone[a] = true;
        }
        let mut kept = Rankings {
            alternatives: self.alternatives,
            tracks_levels: self.tracks_levels,
            starts: vec![0],
            ..Rankings::default()
        };
        for r in self.iter() {
            for (k, &a) in r.alternatives.iter().enumerate() {
                if !gone[usize::from(a)] {
                    kept.entries.push(a);
                    if let Some(levels) = r.levels {
                        kept.levels.push(levels[k]);
                    }
                }
            }
            kept.counts.push(r.count);
            kept.starts.push(kept.entries.len() as u32);
        }
        kept.voters = self.voters;
        kept
    }

    /// Every ballot read as approvals: an alternative is approved when it is ranked at all
    /// (a complete ranking approves everyone).
    #[must_use]
    pub fn approvals(&self) -> Approvals {
        Approvals {
            alternatives: self.alternatives,
            counts: self.counts.clone(),
            starts: self.starts.clone(),
            entries: self.entries.clone(),
            voters: self.voters,
        }
    }

    /// Every ballot read as grades from 0 to `alternatives − 1`: an alternative's grade is the
    /// number of alternatives the ballot puts strictly below it (unranked ones count as below
    /// every ranked one), so a complete strict ranking gives Borda points. Unranked alternatives
    /// get grade 0.
    #[must_use]
    pub fn grades(&self) -> Grades {
        let m = self.alternatives;
        let mut grades = Grades {
            alternatives: m,
            max_grade: m.saturating_sub(1) as u32,
            counts: self.counts.clone(),
            grades: Vec::with_capacity(self.len() * m),
            voters: self.voters,
        };
        let mut row = vec![0u16; m];
        for r in self.iter() {
            row.fill(0);
            let mut ranked = 0;
            for group in r.groups() {
                ranked += group.len();
                for &a in group {
                    row[a as usize] = (m - ranked) as u16;
                }
            }
            grades.grades.extend_from_slice(&row);
        }
        grades
    }
}

impl fmt::Debug for Rankings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rankings")
            .field("alternatives", &self.alternatives)
            .field("voters", &self.voters)
            .field("ballots", &self.iter().map(|r| (r.count, r.groups().collect::<Vec<_>>())).collect::<Vec<_>>())
            .finish()
    }
}

/// Approval ballots: each approves a set of alternatives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Approvals {
    alternatives: usize,
    counts: Vec<u64>,
    starts: Vec<u32>,
    entries: Vec<u16>,
    voters: u64,
}

/// One approval ballot, borrowed from [`Approvals`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approval<'a> {
    pub count: u64,
    /// The approved alternatives, each once.
    pub approved: &'a [u16],
}

impl Approvals {
    pub fn new(alternatives: usize) -> Result<Approvals, BallotError> {
        if alternatives > MAX_ALTERNATIVES {
            return Err(BallotError::TooManyAlternatives(alternatives));
        }
        Ok(Approvals { alternatives, starts: vec![0], ..Approvals::default() })
    }

    /// Adds a ballot cast by `count` voters approving `approved`.
    pub fn push(&mut self, count: u64, approved: &[Alternative]) -> Result<(), BallotError> {
        if let Some(&a) = approved.iter().find(|&&a| a >= self.alternatives) {
            return Err(BallotError::UnknownAlternative(a + 1, self.alternatives));
        }
        let start = self.entries.len();
        self.entries.extend(approved.iter().map(|&a| a as u16));
        if let Some(repeated) = first_repeat(&self.entries[start..], self.alternatives) {
            self.entries.truncate(start);
            return Err(BallotError::Repeated(repeated + 1));
        }
        let Some(voters) = self.voters.checked_add(count) else {
            self.entries.truncate(start);
            return Err(BallotError::TooManyVoters);
        };
        self.voters = voters;
        self.counts.push(count);
        self.starts.push(self.entries.len() as u32);
        Ok(())
    }

    #[must_use]
    pub fn alternatives(&self) -> usize {
        self.alternatives
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    #[must_use]
    pub fn voters(&self) -> u64 {
        self.voters
    }

    #[must_use]
    pub fn get(&self, i: usize) -> Approval<'_> {
        let (from, to) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        Approval { count: self.counts[i], approved: &self.entries[from..to] }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Approval<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Graded ballots (score, STAR, majority judgment): each gives every alternative a grade from 0
/// to `max_grade`, or none.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grades {
    alternatives: usize,
    max_grade: u32,
    counts: Vec<u64>,
    /// Row-major: ballot `i`, alternative `a` is `grades[i * alternatives + a]`.
    grades: Vec<u16>,
    voters: u64,
}

/// Stored for an alternative a ballot did not grade.
const NO_GRADE: u16 = u16::MAX;

/// One graded ballot, borrowed from [`Grades`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graded<'a> {
    pub count: u64,
    row: &'a [u16],
}

impl Graded<'_> {
    /// The grade given to `a`, if any.
    #[must_use]
    pub fn grade(&self, a: Alternative) -> Option<u32> {
        let g = self.row[a];
        (g != NO_GRADE).then_some(u32::from(g))
    }
}

impl Grades {
    /// No ballots yet; grades go from 0 to `max_grade` (at most 65,534).
    pub fn new(alternatives: usize, max_grade: u32) -> Result<Grades, BallotError> {
        if alternatives > MAX_ALTERNATIVES {
            return Err(BallotError::TooManyAlternatives(alternatives));
        }
        if max_grade >= u32::from(NO_GRADE) {
            return Err(BallotError::GradeTooHigh(max_grade, u32::from(NO_GRADE) - 1));
        }
        Ok(Grades { alternatives, max_grade, ..Grades::default() })
    }

    /// Adds a ballot cast by `count` voters; `grades[a]` is alternative `a`'s grade, if any.
    pub fn push(&mut self, count: u64, grades: &[Option<u32>]) -> Result<(), BallotError> {
        if grades.len() > self.alternatives {
            return Err(BallotError::UnknownAlternative(grades.len(), self.alternatives));
        }
        if let Some(&g) = grades.iter().flatten().find(|&&g| g > self.max_grade) {
            return Err(BallotError::GradeTooHigh(g, self.max_grade));
        }
        let voters = self.voters.checked_add(count).ok_or(BallotError::TooManyVoters)?;
        self.voters = voters;
        self.counts.push(count);
        self.grades.extend(grades.iter().map(|g| g.map_or(NO_GRADE, |g| g as u16)));
        self.grades.extend(std::iter::repeat_n(NO_GRADE, self.alternatives - grades.len()));
        Ok(())
    }

    #[must_use]
    pub fn alternatives(&self) -> usize {
        self.alternatives
    }

    #[must_use]
    pub fn max_grade(&self) -> u32 {
        self.max_grade
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    #[must_use]
    pub fn voters(&self) -> u64 {
        self.voters
    }

    #[must_use]
    pub fn get(&self, i: usize) -> Graded<'_> {
        let m = self.alternatives;
        Graded { count: self.counts[i], row: &self.grades[i * m..(i + 1) * m] }
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = Graded<'_>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// The first alternative that appears twice in `entries`, if any.
fn first_repeat(entries: &[u16], alternatives: usize) -> Option<usize> {
    if entries.len() <= 16 {
        return entries.iter().enumerate().find(|(i, a)| entries[..*i].contains(a)).map(|(_, &a)| usize::from(a));
    }
    let mut seen = vec![false; alternatives];
    entries.iter().find(|&&a| std::mem::replace(&mut seen[usize::from(a)], true)).map(|&a| usize::from(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_the_ties_as_given() {
        let mut r = Rankings::new(4).unwrap();
        r.push(2, &[vec![2], vec![0, 1]]).unwrap();
        r.push(1, &[vec![3]]).unwrap();
        let first: Vec<&[u16]> = r.get(0).groups().collect();
        assert_eq!(first, vec![&[2u16][..], &[0, 1][..]]);
        assert_eq!(r.get(1).groups().collect::<Vec<_>>(), vec![&[3u16][..]]);
        assert!(r.has_ties());
        assert_eq!(r.voters(), 3);
    }

    #[test]
    fn a_ballot_that_repeats_an_alternative_is_refused_and_leaves_nothing_behind() {
        let mut r = Rankings::new(3).unwrap();
        assert_eq!(r.push(1, &[vec![0], vec![0]]), Err(BallotError::Repeated(1)));
        assert_eq!(r.push(1, &[vec![5]]), Err(BallotError::UnknownAlternative(6, 3)));
        assert!(r.is_empty());
        r.push(1, &[vec![1]]).unwrap();
        assert_eq!(r.get(0).alternatives, &[1]);
    }

    #[test]
    fn striking_out_an_alternative_keeps_the_others_in_order_and_the_ties() {
        let mut r = Rankings::new(4).unwrap();
        r.push(2, &[vec![2], vec![0, 1], vec![3]]).unwrap();
        r.push(1, &[vec![2]]).unwrap();
        let kept = r.without(&[2]);
        assert_eq!(kept.get(0).groups().collect::<Vec<_>>(), vec![&[0u16, 1][..], &[3u16][..]]);
        assert!(kept.get(1).alternatives.is_empty());
        assert_eq!(kept.voters(), 3);
    }

    #[test]
    fn merging_adds_the_counts_of_identical_ballots() {
        let mut r = Rankings::new(3).unwrap();
        r.push(1, &[vec![0], vec![1]]).unwrap();
        r.push(2, &[vec![1]]).unwrap();
        r.push(3, &[vec![0], vec![1]]).unwrap();
        let m = r.merged();
        assert_eq!(m.len(), 2);
        assert_eq!(m.voters(), 6);
        assert_eq!(m.iter().map(|b| b.count).sum::<u64>(), 6);
        assert!(m.iter().any(|b| b.count == 4 && b.alternatives == [0, 1]));
    }

    #[test]
    fn a_ranking_read_as_grades_gives_the_alternatives_below() {
        let mut r = Rankings::new(4).unwrap();
        r.push(1, &[vec![2], vec![0, 1]]).unwrap();
        let g = r.grades();
        let b = g.get(0);
        assert_eq!((b.grade(2), b.grade(0), b.grade(1), b.grade(3)), (Some(3), Some(1), Some(1), Some(0)));
    }
}
