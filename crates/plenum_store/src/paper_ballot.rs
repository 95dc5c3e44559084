//! Paper ballots of budget cycles in the store: the read tables of volunteers and entries (who
//! entered which number, when), the private box of what each entry says (sealed until the
//! count, like an online ballot), entering and resolving, and the check `verify` makes that a
//! count published exactly the settled paper ballots.

use std::collections::BTreeMap;

use plenum_core::{
    AccountId, BudgetCycleId, BudgetVote, Event, Instant, PaperCast, PaperNumber, PublishedBudgetBallot, SealedPaperEntry, State,
};
use sqlx::{Any, AnyPool, Row, Transaction};

use crate::writer::Write;
use crate::{Store, StoreError};

impl Store {
    /// A paper volunteer enters a paper ballot: the event (number, volunteer) goes to the log and
    /// what it says to the private paper box, in one transaction.
    pub async fn enter_paper_ballot(
        &self,
        cycle: &BudgetCycleId,
        number: PaperNumber,
        vote: BudgetVote,
        by: &AccountId,
        at: Instant,
    ) -> Result<(), StoreError> {
        self.write_paper(|s| s.enter_paper_ballot(cycle, number, vote, by, at)).await
    }

    /// A facilitator resolves a mismatched paper ballot, sealed like an entry.
    pub async fn resolve_paper_ballot(
        &self,
        cycle: &BudgetCycleId,
        number: PaperNumber,
        vote: BudgetVote,
        by: &AccountId,
        at: Instant,
    ) -> Result<(), StoreError> {
        self.write_paper(|s| s.resolve_paper_ballot(cycle, number, vote, by, at)).await
    }

    async fn write_paper(
        &self,
        command: impl FnOnce(&State) -> Result<PaperCast, plenum_core::Refusal>,
    ) -> Result<(), StoreError> {
        let mut pending = self.lock_pending().await?;
        let cast = command(&pending.state)?;
        let write = Write { paper: Some(cast.sealed), ..Write::events(cast.events) };
        let answer = self.enqueue(&mut pending, write).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        Ok(())
    }
}

/// Updates the read tables for one paper-ballot event (others are ignored).
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::PaperVolunteerAppointed { cycle, volunteer, at, .. } => {
            sqlx::query("INSERT INTO budget_paper_volunteers (cycle_id, volunteer_id, appointed_at) VALUES ($1, $2, $3)")
                .bind(cycle.as_str())
                .bind(volunteer.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::PaperBallotEntered { cycle, number, by, at } => {
            let row =
                sqlx::query("SELECT COUNT(*) AS n FROM budget_paper_entries WHERE cycle_id = $1 AND number = $2 AND entry > 0")
                    .bind(cycle.as_str())
                    .bind(i64::from(number.0))
                    .fetch_one(&mut **tx)
                    .await?;
            let entered: i64 = row.try_get("n")?;
            insert(tx, cycle, i64::from(number.0), entered + 1, by.as_str(), &at.to_string()).await?;
        }
        Event::PaperBallotResolved { cycle, number, by, at } => {
            insert(tx, cycle, i64::from(number.0), 0, by.as_str(), &at.to_string()).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn insert(
    tx: &mut Transaction<'_, Any>,
    cycle: &BudgetCycleId,
    number: i64,
    entry: i64,
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO budget_paper_entries (cycle_id, number, entry, by_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(cycle.as_str())
        .bind(number)
        .bind(entry)
        .bind(by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Puts what a paper entry says in the private paper box.
pub(crate) async fn seal(tx: &mut Transaction<'_, Any>, sealed: &SealedPaperEntry) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO budget_paper_box (cycle_id, number, entry, vote) VALUES ($1, $2, $3, $4)")
        .bind(sealed.cycle.as_str())
        .bind(i64::from(sealed.number.0))
        .bind(i64::from(sealed.entry))
        .bind(serde_json::to_string(&sealed.vote)?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Every sealed paper entry, in the order they can be deposited (cycle, number, entry; a
/// resolution, entry 0, after the two entries it resolves).
pub(crate) async fn sealed_entries(pool: &AnyPool) -> Result<Vec<SealedPaperEntry>, StoreError> {
    let corrupt = |column: &'static str, value: String| StoreError::Corrupt { column, value };
    let rows = sqlx::query(
        "SELECT cycle_id, number, entry, vote FROM budget_paper_box ORDER BY cycle_id, number, CASE WHEN entry = 0 THEN 3 ELSE entry END",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let cycle: String = row.try_get("cycle_id")?;
            let number: i64 = row.try_get("number")?;
            let entry: i64 = row.try_get("entry")?;
            let vote: String = row.try_get("vote")?;
            Ok(SealedPaperEntry {
                cycle: BudgetCycleId::parse(&cycle).map_err(|_| corrupt("budget_paper_box.cycle_id", cycle.clone()))?,
                number: PaperNumber(u32::try_from(number).map_err(|_| corrupt("budget_paper_box.number", number.to_string()))?),
                entry: u8::try_from(entry).map_err(|_| corrupt("budget_paper_box.entry", entry.to_string()))?,
                vote: serde_json::from_str(&vote)?,
            })
        })
        .collect()
}

/// The sealed paper entries by cycle, for `verify`.
pub(crate) async fn boxes(pool: &AnyPool) -> Result<BTreeMap<String, Vec<SealedPaperEntry>>, StoreError> {
    let mut out: BTreeMap<String, Vec<SealedPaperEntry>> = BTreeMap::new();
    for entry in sealed_entries(pool).await? {
        out.entry(entry.cycle.to_string()).or_default().push(entry);
    }
    Ok(out)
}

/// For `verify`: the paper ballots a count published are the cycle's settled paper ballots
/// (the log's entries with the paper box's contents), each number once, as they settled.
pub(crate) fn check_published(
    state: &State,
    cycle: &BudgetCycleId,
    ballots: &[PublishedBudgetBallot],
    sealed: &[SealedPaperEntry],
) -> Result<(), String> {
    let mut published: Vec<(u32, String)> =
        ballots.iter().filter_map(|b| Some((b.paper?.0, serde_json::to_string(&b.vote).unwrap_or_default()))).collect();
    published.sort();
    let mut paper = state.paper_ballots().of(cycle).cloned().unwrap_or_default();
    for entry in sealed {
        paper.deposit(entry)?;
    }
    let entries = paper.ballots.values().map(|b| b.entries.len() + usize::from(b.resolution.is_some())).sum::<usize>();
    if entries != sealed.len() {
        return Err(format!("the log records {entries} paper entries but the paper box holds {}", sealed.len()));
    }
    let settled: Vec<(u32, String)> = paper.settled().map(|(n, v)| (n.0, serde_json::to_string(v).unwrap_or_default())).collect();
    if published == settled { Ok(()) } else { Err("the published paper ballots differ from the settled entries".to_owned()) }
}
