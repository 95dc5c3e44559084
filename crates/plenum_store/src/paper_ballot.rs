//! Paper ballots of budget cycles in the store: the read tables of volunteers and entries, and
//! the check `verify` makes that a count published exactly the settled paper ballots.

use plenum_core::{BudgetCycleId, Event, PublishedBudgetBallot, State};
use sqlx::{Any, Row, Transaction};

use crate::StoreError;

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
        Event::PaperBallotEntered { cycle, number, vote, by, at } => {
            let row =
                sqlx::query("SELECT COUNT(*) AS n FROM budget_paper_entries WHERE cycle_id = $1 AND number = $2 AND entry > 0")
                    .bind(cycle.as_str())
                    .bind(i64::from(number.0))
                    .fetch_one(&mut **tx)
                    .await?;
            let entered: i64 = row.try_get("n")?;
            insert(tx, cycle, i64::from(number.0), entered + 1, vote, by.as_str(), &at.to_string()).await?;
        }
        Event::PaperBallotResolved { cycle, number, vote, by, at } => {
            insert(tx, cycle, i64::from(number.0), 0, vote, by.as_str(), &at.to_string()).await?;
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
    vote: &plenum_core::BudgetVote,
    by: &str,
    at: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO budget_paper_entries (cycle_id, number, entry, vote, by_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(cycle.as_str())
        .bind(number)
        .bind(entry)
        .bind(serde_json::to_string(vote)?)
        .bind(by)
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// For `verify`: the paper ballots a count published are the cycle's settled paper ballots,
/// each number once, with the content the entries settled on.
pub(crate) fn check_published(state: &State, cycle: &BudgetCycleId, ballots: &[PublishedBudgetBallot]) -> Result<(), String> {
    let mut published: Vec<(u32, String)> =
        ballots.iter().filter_map(|b| Some((b.paper?.0, serde_json::to_string(&b.vote).unwrap_or_default()))).collect();
    published.sort();
    let settled: Vec<(u32, String)> = state
        .paper_ballots()
        .of(cycle)
        .into_iter()
        .flat_map(|p| p.settled())
        .map(|(n, v)| (n.0, serde_json::to_string(v).unwrap_or_default()))
        .collect();
    if published == settled { Ok(()) } else { Err("the published paper ballots differ from the settled entries".to_owned()) }
}
