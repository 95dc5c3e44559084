//! Every voting method by name, and one entry point that runs any of them on an election.

use std::fmt;

use super::ballot::Rankings;
use super::tie::{TieBreak, TieOrder};
use super::{Election, Outcome, approval, committee, condorcet, graded, irv, scoring, stv};

/// A voting method, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Plurality,
    Approval,
    Irv,
    Stv(stv::Rule),
    Schulze,
    RankedPairs,
    Copeland,
    Borda,
    Star,
    Score,
    MajorityJudgment,
    Phragmen,
    Mes,
}

impl Method {
    /// Every method, STV with its default rule.
    pub const ALL: [Method; 13] = [
        Method::Plurality,
        Method::Approval,
        Method::Irv,
        Method::Stv(stv::Rule::Meek(stv::Meek::PRECISE)),
        Method::Schulze,
        Method::RankedPairs,
        Method::Copeland,
        Method::Borda,
        Method::Star,
        Method::Score,
        Method::MajorityJudgment,
        Method::Phragmen,
        Method::Mes,
    ];

    /// The name used on the command line.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Plurality => "plurality",
            Method::Approval => "approval",
            Method::Irv => "irv",
            Method::Stv(_) => "stv",
            Method::Schulze => "schulze",
            Method::RankedPairs => "ranked-pairs",
            Method::Copeland => "copeland",
            Method::Borda => "borda",
            Method::Star => "star",
            Method::Score => "score",
            Method::MajorityJudgment => "majority-judgment",
            Method::Phragmen => "phragmen",
            Method::Mes => "mes",
        }
    }

    /// Whether the method fills several seats proportionally (so it needs to know how many).
    #[must_use]
    pub fn is_multi_winner(self) -> bool {
        matches!(self, Method::Stv(_) | Method::Phragmen | Method::Mes)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a method cannot run on an election.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MethodError {
    #[error("{0} fills several seats: say how many with --seats (the file does not)")]
    SeatsUnknown(Method),
    #[error("there are no seats to fill")]
    NoSeats,
}

/// Runs `method` on `election` for `seats` seats (default: the file's number of seats for
/// multi-winner methods, else one); returns the number of seats filled with the outcome.
/// Withdrawn alternatives are struck from every ballot first and never win.
///
/// Ranked ballots are read as the other methods need them: approval, Phragmén and Equal Shares
/// count every ranked alternative as approved; score, STAR and majority judgment read a ranking
/// as grades (the number of alternatives ranked below, see [`Rankings::grades`]).
pub fn tally(election: &Election, method: Method, seats: Option<usize>, tie: &TieBreak) -> Result<(usize, Outcome), MethodError> {
    let seats = match seats {
        Some(seats) => seats,
        None if method.is_multi_winner() => election.seats.ok_or(MethodError::SeatsUnknown(method))?,
        None => 1,
    };
    if seats == 0 {
        return Err(MethodError::NoSeats);
    }
    let m = election.alternatives.len();
    // Withdrawn alternatives last in the tie order, and never elected.
    let mut withdrawn = vec![false; m];
    for &a in election.withdrawn.iter().filter(|&&a| a < m) {
        withdrawn[a] = true;
    }
    let seats = seats.min(withdrawn.iter().filter(|&&w| !w).count());
    let tie = TieOrder::new(tie, m).with_last(&withdrawn);
    let rankings: Rankings = election.rankings.without(&election.withdrawn);
    let mut outcome = match method {
        Method::Plurality => scoring::plurality(&rankings, seats, &tie),
        Method::Borda => scoring::borda(&rankings, seats, &tie),
        Method::Irv => irv::irv(&rankings, seats, &tie),
        // STV skips withdrawn candidates itself (and reports them in its rounds).
        Method::Stv(rule) => stv::count(&election.rankings, seats, rule, &election.withdrawn, &tie),
        Method::Schulze => condorcet::schulze(&rankings, seats, &tie),
        Method::RankedPairs => condorcet::ranked_pairs(&rankings, seats, &tie),
        Method::Copeland => condorcet::copeland(&rankings, seats, &tie),
        Method::Approval => approval::approval(&rankings.approvals(), seats, &tie),
        Method::Phragmen => committee::phragmen(&rankings.approvals(), seats, &tie),
        Method::Mes => committee::equal_shares(&rankings.approvals(), seats, &tie),
        Method::Score => graded::score(&rankings.grades(), seats, &tie),
        Method::Star => graded::star(&rankings.grades(), seats, &tie),
        Method::MajorityJudgment => graded::majority_judgment(&rankings.grades(), seats, &tie),
    };
    outcome.winners.retain(|&w| !withdrawn[w]);
    Ok((seats, outcome))
}
