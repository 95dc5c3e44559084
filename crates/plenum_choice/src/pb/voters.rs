//! The ballots of a profile as cast, stored flat: every voter's id end to end in one string,
//! every vote in one array of project indices, every `points` cell in one array of numbers.
//! Reading an election of tens of thousands of voters then costs no allocation per voter, and
//! walking the voters walks memory in order.

use crate::pb::ProjectIndex;
use crate::rational::Rational;

/// One voter's ballot as cast, owned: how a ballot is built before it joins [`Voters`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voter {
    pub id: String,
    /// The projects named in `vote`, in file order, duplicates kept as written.
    pub vote: Vec<ProjectIndex>,
    /// The `points` cell, aligned with `vote`, when the file has one for this voter.
    pub points: Option<Vec<Rational>>,
}

/// One voter's ballot as cast, borrowed from [`Voters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoterRef<'a> {
    pub id: &'a str,
    /// The projects named in `vote`, in file order, duplicates kept as written.
    pub vote: &'a [ProjectIndex],
    /// The `points` cell when the file has one for this voter (aligned with `vote` in any file
    /// the reader accepts).
    pub points: Option<&'a [Rational]>,
}

impl VoterRef<'_> {
    #[must_use]
    pub fn to_voter(self) -> Voter {
        Voter { id: self.id.to_owned(), vote: self.vote.to_vec(), points: self.points.map(<[Rational]>::to_vec) }
    }
}

/// The voters of a profile, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Voters {
    ids: String,
    votes: Vec<ProjectIndex>,
    points: Vec<Rational>,
    /// Per voter, where its parts end in the three stores above (each starts where the voter
    /// before ends), and whether it has a `points` cell (an empty one is not an absent one).
    ends: Vec<Ends>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ends {
    id: usize,
    vote: usize,
    points: usize,
    has_points: bool,
}

impl Voters {
    #[must_use]
    pub fn new() -> Voters {
        Voters::default()
    }

    /// Room for `voters` voters (the id and vote stores grow as they need).
    #[must_use]
    pub fn with_capacity(voters: usize) -> Voters {
        Voters { ends: Vec::with_capacity(voters), ..Voters::default() }
    }

    /// Appends the next voter.
    pub fn push(&mut self, id: &str, vote: &[ProjectIndex], points: Option<&[Rational]>) {
        self.ids.push_str(id);
        self.votes.extend_from_slice(vote);
        if let Some(points) = points {
            self.points.extend_from_slice(points);
        }
        self.ends.push(Ends {
            id: self.ids.len(),
            vote: self.votes.len(),
            points: self.points.len(),
            has_points: points.is_some(),
        });
    }

    /// Room for `voters` more voters the size of the last one pushed, but never more than
    /// `bytes` (what the rest of the file could hold): reading then rarely grows a store.
    pub fn reserve_like_last(&mut self, voters: usize, bytes: usize) {
        let Some(k) = self.len().checked_sub(1) else { return };
        let last = self.view(k);
        let (id, vote, points) = (last.id.len(), last.vote.len(), last.points.map(<[Rational]>::len));
        self.ids.reserve(voters.saturating_mul(id).min(bytes));
        // Each item of a vote or points cell takes at least two bytes (one and a comma).
        self.votes.reserve(voters.saturating_mul(vote + 1).min(bytes / 2));
        if let Some(points) = points {
            self.points.reserve(voters.saturating_mul(points + 1).min(bytes / 2));
        }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Voter `k`, in file order.
    #[must_use]
    pub fn get(&self, k: usize) -> Option<VoterRef<'_>> {
        (k < self.len()).then(|| self.view(k))
    }

    /// Voter `k`, which must exist.
    fn view(&self, k: usize) -> VoterRef<'_> {
        let end = self.ends[k];
        let start = match k.checked_sub(1) {
            Some(before) => self.ends[before],
            None => Ends { id: 0, vote: 0, points: 0, has_points: false },
        };
        VoterRef {
            id: &self.ids[start.id..end.id],
            vote: &self.votes[start.vote..end.vote],
            points: end.has_points.then(|| &self.points[start.points..end.points]),
        }
    }

    /// Voter `k`'s id (cheaper than [`Voters::get`] when only the id matters).
    #[must_use]
    pub fn id(&self, k: usize) -> &str {
        let start = k.checked_sub(1).map_or(0, |before| self.ends[before].id);
        &self.ids[start..self.ends[k].id]
    }

    /// Every voter's points end to end, in file order (to look at them all at once).
    #[must_use]
    pub fn all_points(&self) -> &[Rational] {
        &self.points
    }

    /// The voters in file order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter { voters: self, next: 0 }
    }

    /// The voters as owned ballots, to rearrange or edit (tests and tools).
    #[must_use]
    pub fn to_vec(&self) -> Vec<Voter> {
        self.iter().map(VoterRef::to_voter).collect()
    }
}

/// The voters in file order: [`Voters::iter`].
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    voters: &'a Voters,
    next: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = VoterRef<'a>;

    fn next(&mut self) -> Option<VoterRef<'a>> {
        let voter = self.voters.get(self.next)?;
        self.next += 1;
        Some(voter)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.voters.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Voters {
    type Item = VoterRef<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<Voter> for Voters {
    fn from_iter<I: IntoIterator<Item = Voter>>(iter: I) -> Voters {
        let mut voters = Voters::new();
        for voter in iter {
            voters.push(&voter.id, &voter.vote, voter.points.as_deref());
        }
        voters
    }
}

impl<'a> FromIterator<VoterRef<'a>> for Voters {
    fn from_iter<I: IntoIterator<Item = VoterRef<'a>>>(iter: I) -> Voters {
        let mut voters = Voters::new();
        for voter in iter {
            voters.push(voter.id, voter.vote, voter.points);
        }
        voters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voters_read_back_as_pushed_with_absent_and_empty_points_apart() {
        let written = vec![
            Voter { id: "a".into(), vote: vec![2, 0, 2], points: None },
            Voter { id: String::new(), vote: vec![], points: Some(vec![]) },
            Voter { id: "ż1".into(), vote: vec![1], points: Some(vec![Rational::from(3i64)]) },
            Voter { id: "b".into(), vote: vec![], points: None },
        ];
        let voters: Voters = written.iter().cloned().collect();
        assert_eq!(voters.len(), 4);
        assert_eq!(voters.to_vec(), written);
        assert_eq!(voters.id(2), "ż1");
        assert!(voters.get(4).is_none());
        let again: Voters = voters.iter().collect();
        assert_eq!(again, voters);
    }
}
