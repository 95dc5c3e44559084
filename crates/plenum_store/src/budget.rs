//! Participatory budgeting in the store: the read tables of budget cycles, the sealed ballots
//! of their votes (kept apart from the log, as a secret poll's), and casting one.

use plenum_core::{AccountId, BallotId, BudgetCast, BudgetCycleId, BudgetVote, Event, Instant, ReceiptCode, SealedBudgetBallot};
use plenum_core::{BallotRandomness, Phase};
use std::collections::BTreeMap;

use plenum_core::State;
use sqlx::{Any, AnyPool, Row, Transaction};

use crate::writer::Write;
use crate::{Store, StoreError};

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::from)
}

/// A serialisable unit enum's snake_case name.
fn name<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// A member votes in a cycle: the roll mark goes to the log and the sealed ballot to the
    /// budget ballot box, in one transaction; the returned [`BudgetCast`] holds the receipt.
    pub async fn cast_budget_ballot(
        &self,
        cycle: &BudgetCycleId,
        vote: BudgetVote,
        by: &AccountId,
        at: Instant,
        randomness: BallotRandomness,
    ) -> Result<BudgetCast, StoreError> {
        let mut pending = self.lock_pending().await?;
        let cast = pending.state.cast_budget_ballot(cycle, vote, by, at, randomness)?;
        let write = Write { budget_sealed: Some(cast.sealed.clone()), ..Write::events(cast.events.clone()) };
        let answer = self.enqueue(&mut pending, write).await?;
        drop(pending);
        Store::acknowledged(answer).await?;
        Ok(cast)
    }

    /// The sealed or published budget ballots of a cycle, in board order once published.
    pub async fn budget_ballots(&self, cycle: &BudgetCycleId) -> Result<Vec<SealedBudgetBallot>, StoreError> {
        let rows = sqlx::query(
            "SELECT ballot_id, cycle_id, receipt, vote FROM budget_ballot_box WHERE cycle_id = $1 ORDER BY position, ballot_id",
        )
        .bind(cycle.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(sealed_from).collect()
    }
}

fn sealed_from(row: &sqlx::any::AnyRow) -> Result<SealedBudgetBallot, StoreError> {
    let corrupt = |column: &'static str, value: String| StoreError::Corrupt { column, value };
    let ballot: String = row.try_get("ballot_id")?;
    let cycle: String = row.try_get("cycle_id")?;
    let receipt: String = row.try_get("receipt")?;
    let vote: String = row.try_get("vote")?;
    Ok(SealedBudgetBallot {
        ballot: BallotId::parse(&ballot).map_err(|_| corrupt("budget_ballot_box.ballot_id", ballot.clone()))?,
        cycle: BudgetCycleId::parse(&cycle).map_err(|_| corrupt("budget_ballot_box.cycle_id", cycle.clone()))?,
        receipt: ReceiptCode::parse(&receipt).map_err(|_| corrupt("budget_ballot_box.receipt", receipt.clone()))?,
        vote: serde_json::from_str(&vote)?,
    })
}

/// Every budget ballot in the box, by cycle, for `verify`.
pub(crate) async fn boxes(pool: &AnyPool) -> Result<BTreeMap<String, Vec<SealedBudgetBallot>>, StoreError> {
    let mut boxes: BTreeMap<String, Vec<SealedBudgetBallot>> = BTreeMap::new();
    for row in sqlx::query("SELECT ballot_id, cycle_id, receipt, vote FROM budget_ballot_box").fetch_all(pool).await? {
        let b = sealed_from(&row)?;
        boxes.entry(b.cycle.to_string()).or_default().push(b);
    }
    Ok(boxes)
}

/// For `verify`: a `budget_vote_counted` event must publish exactly the ballots in the box, one
/// per roll mark, and the settled paper ballots (the log's entries with the paper box's
/// contents), each number once, and its result must be what counting them again gives; an
/// imported cycle's result must be what counting its ballots gives.
pub(crate) fn recount(
    state: &State,
    event: &Event,
    boxes: &mut BTreeMap<String, Vec<SealedBudgetBallot>>,
    paper: &BTreeMap<String, Vec<plenum_core::SealedPaperEntry>>,
) -> Result<(), String> {
    match event {
        Event::BudgetVoteCounted { cycle, ballots, result, .. } => {
            let c = state.budgets().cycle(cycle).ok_or_else(|| format!("budget cycle {cycle} was never created"))?;
            let mut stored: Vec<(String, String, String)> = boxes
                .remove(cycle.as_str())
                .unwrap_or_default()
                .into_iter()
                .map(|b| (b.ballot.to_string(), b.receipt.to_string(), serde_json::to_string(&b.vote).unwrap_or_default()))
                .collect();
            if stored.len() != c.voted.len() {
                return Err(format!(
                    "the budget ballot box holds {} ballots but the roll shows {} voters",
                    stored.len(),
                    c.voted.len()
                ));
            }
            let mut published: Vec<(String, String, String)> = ballots
                .iter()
                .filter(|b| b.paper.is_none())
                .map(|b| (b.ballot.to_string(), b.receipt.to_string(), serde_json::to_string(&b.vote).unwrap_or_default()))
                .collect();
            let sealed = paper.get(cycle.as_str()).map(Vec::as_slice).unwrap_or_default();
            crate::paper_ballot::check_published(state, cycle, ballots, sealed)?;
            stored.sort();
            published.sort();
            if stored != published {
                return Err("the published budget ballots differ from the ballot box".to_owned());
            }
            let again = plenum_core::budget::count::count(c, state.budgets(), ballots.iter().map(|b| &b.vote), c.rule)
                .map_err(|e| format!("the budget ballots cannot be counted: {e}"))?;
            if &again != result {
                return Err("re-counting the budget ballots does not give the published result".to_owned());
            }
            Ok(())
        }
        Event::BudgetCycleImported { .. } => {
            let mut scratch = state.clone();
            scratch.apply(event).map_err(|e| e.to_string())?;
            let Event::BudgetCycleImported { cycle, result, rule, .. } = event else { return Ok(()) };
            let c = scratch.budgets().cycle(cycle).ok_or_else(|| "the imported cycle did not apply".to_owned())?;
            let ballots = c.counted.as_ref().map(|k| k.ballots.as_slice()).unwrap_or_default();
            let again = plenum_core::budget::count::count(c, scratch.budgets(), ballots.iter().map(|b| &b.vote), *rule)
                .map_err(|e| format!("the imported ballots cannot be counted: {e}"))?;
            if &again != result { Err("re-counting the imported ballots does not give its result".to_owned()) } else { Ok(()) }
        }
        _ => Ok(()),
    }
}

/// Sealed ballots of cycles not counted yet.
pub(crate) async fn sealed_ballots(pool: &AnyPool) -> Result<Vec<SealedBudgetBallot>, StoreError> {
    let rows =
        sqlx::query("SELECT ballot_id, cycle_id, receipt, vote FROM budget_ballot_box WHERE position IS NULL ORDER BY ballot_id")
            .fetch_all(pool)
            .await?;
    rows.iter().map(sealed_from).collect()
}

/// Puts a budget ballot in the box (sealed: no board position yet).
pub(crate) async fn seal(tx: &mut Transaction<'_, Any>, ballot: &SealedBudgetBallot) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO budget_ballot_box (ballot_id, cycle_id, receipt, vote, position) VALUES ($1, $2, $3, $4, NULL)")
        .bind(ballot.ballot.as_str())
        .bind(ballot.cycle.as_str())
        .bind(ballot.receipt.as_str())
        .bind(json(&ballot.vote)?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn transition(tx: &mut Transaction<'_, Any>, cycle: &BudgetCycleId, phase: Phase, at: &Instant) -> Result<(), StoreError> {
    sqlx::query("UPDATE budget_cycles SET phase = $1 WHERE id = $2")
        .bind(phase.name())
        .bind(cycle.as_str())
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO budget_transitions (cycle_id, phase, at) VALUES ($1, $2, $3)")
        .bind(cycle.as_str())
        .bind(phase.name())
        .bind(at.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Updates the read tables for one budget event (others are ignored).
#[expect(clippy::too_many_lines, reason = "one arm per event, as in `projection::project`")]
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::BudgetCycleCreated {
            cycle,
            body,
            title,
            description,
            currency,
            total,
            districts,
            schedule,
            ideas_from,
            format,
            rule,
            at,
            ..
        } => {
            sqlx::query(
                "INSERT INTO budget_cycles (id, body_id, title, description, currency, total, districts, schedule, ideas_from,
                     ballot_format, rule, phase, roll_size, voted, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'ideas', 0, 0, $12)",
            )
            .bind(cycle.as_str())
            .bind(body.as_str())
            .bind(title.as_str())
            .bind(description.as_str())
            .bind(currency.as_str())
            .bind(big(total.0))
            .bind(json(districts)?)
            .bind(json(schedule)?)
            .bind(name(ideas_from)?)
            .bind(json(format)?)
            .bind(name(rule)?)
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
            sqlx::query("INSERT INTO budget_transitions (cycle_id, phase, at) VALUES ($1, 'ideas', $2)")
                .bind(cycle.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::BudgetBallotSet { cycle, format, rule, .. } => {
            sqlx::query("UPDATE budget_cycles SET ballot_format = $1, rule = $2 WHERE id = $3")
                .bind(json(format)?)
                .bind(name(rule)?)
                .bind(cycle.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::BudgetPhaseChanged { cycle, to, at, .. } => transition(tx, cycle, *to, at).await?,
        Event::BudgetVoteOpened { cycle, roll, .. } => {
            sqlx::query("UPDATE budget_cycles SET roll_size = $1 WHERE id = $2")
                .bind(big(roll.len() as u64))
                .bind(cycle.as_str())
                .execute(&mut **tx)
                .await?;
            for member in roll {
                sqlx::query("INSERT INTO budget_roll (cycle_id, member_id, voted) VALUES ($1, $2, 0)")
                    .bind(cycle.as_str())
                    .bind(member.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Event::BudgetRollMarked { cycle, member } => {
            sqlx::query("UPDATE budget_roll SET voted = 1 WHERE cycle_id = $1 AND member_id = $2")
                .bind(cycle.as_str())
                .bind(member.as_str())
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE budget_cycles SET voted = voted + 1 WHERE id = $1")
                .bind(cycle.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::BudgetVoteCounted { cycle, ballots, result, at } => {
            transition(tx, cycle, Phase::Results, at).await?;
            for (position, ballot) in ballots.iter().enumerate() {
                sqlx::query("UPDATE budget_ballot_box SET position = $1 WHERE ballot_id = $2 AND cycle_id = $3")
                    .bind(big(position as u64))
                    .bind(ballot.ballot.as_str())
                    .bind(cycle.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
            sqlx::query("INSERT INTO budget_results (cycle_id, ballots, result, counted_at) VALUES ($1, $2, $3, $4)")
                .bind(cycle.as_str())
                .bind(big(result.ballots))
                .bind(json(result)?)
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE budget_projects SET funded = 0 WHERE cycle_id = $1")
                .bind(cycle.as_str())
                .execute(&mut **tx)
                .await?;
            for pot in &result.pots {
                for (project, votes) in &pot.votes {
                    sqlx::query("UPDATE budget_projects SET votes = $1, funded = $2 WHERE id = $3")
                        .bind(big(*votes))
                        .bind(i64::from(pot.funded.contains(project)))
                        .bind(project.as_str())
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
        Event::IdeaSubmitted { idea, cycle, title, description, place, category, district, by, at } => {
            sqlx::query(
                "INSERT INTO budget_ideas (id, cycle_id, title, description, place, category, district_id, author_id, at, supporters, merged_into)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, NULL)",
            )
            .bind(idea.as_str())
            .bind(cycle.as_str())
            .bind(title.as_str())
            .bind(description.as_str())
            .bind(place.as_ref().map(json).transpose()?)
            .bind(category.as_str())
            .bind(district.as_ref().map(|d| d.to_string()))
            .bind(by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::IdeaSupported { idea, by, at } => {
            sqlx::query("INSERT INTO budget_idea_supports (idea_id, resident_id, at) VALUES ($1, $2, $3)")
                .bind(idea.as_str())
                .bind(by.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE budget_ideas SET supporters = supporters + 1 WHERE id = $1")
                .bind(idea.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::IdeaCommented { comment, idea, text, by, at } => {
            sqlx::query("INSERT INTO budget_idea_comments (id, idea_id, text, author_id, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(comment.as_str())
                .bind(idea.as_str())
                .bind(text.as_str())
                .bind(by.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::IdeasMerged { duplicate, into, .. } => {
            sqlx::query("UPDATE budget_ideas SET merged_into = $1 WHERE id = $2")
                .bind(into.as_str())
                .bind(duplicate.as_str())
                .execute(&mut **tx)
                .await?;
            // The duplicate's supporters move over, each counted once.
            sqlx::query(
                "INSERT INTO budget_idea_supports (idea_id, resident_id, at)
                 SELECT $1, s.resident_id, s.at FROM budget_idea_supports s
                 WHERE s.idea_id = $2 AND NOT EXISTS
                     (SELECT 1 FROM budget_idea_supports t WHERE t.idea_id = $1 AND t.resident_id = s.resident_id)",
            )
            .bind(into.as_str())
            .bind(duplicate.as_str())
            .execute(&mut **tx)
            .await?;
            sqlx::query("UPDATE budget_ideas SET supporters = (SELECT COUNT(*) FROM budget_idea_supports WHERE idea_id = $1) WHERE id = $1")
                .bind(into.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::BudgetProjectDeveloped { project, cycle, code, ideas, title, description, estimate, district, by, at } => {
            sqlx::query(
                "INSERT INTO budget_projects (id, cycle_id, code, ideas, title, description, estimate, district_id, author_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(project.as_str())
            .bind(cycle.as_str())
            .bind(code)
            .bind(json(ideas)?)
            .bind(title.as_str())
            .bind(description.as_str())
            .bind(big(estimate.0))
            .bind(district.as_ref().map(|d| d.to_string()))
            .bind(by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::BudgetProjectReviewed { project, review, .. } => {
            let (feasible, cost, reason) = match review {
                plenum_core::Review::Feasible { final_cost } => (1_i64, Some(big(final_cost.0)), None),
                plenum_core::Review::NotFeasible { reason } => (0, None, Some(reason.to_string())),
            };
            sqlx::query("UPDATE budget_projects SET feasible = $1, final_cost = $2, reason = $3 WHERE id = $4")
                .bind(feasible)
                .bind(cost)
                .bind(reason)
                .bind(project.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::ProjectProgressRecorded { project, status, spent, note, by, at } => {
            sqlx::query(
                "INSERT INTO budget_progress (project_id, at, status, spent, note, author_id) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(project.as_str())
            .bind(at.to_string())
            .bind(status.name())
            .bind(big(spent.0))
            .bind(note.as_str())
            .bind(by.as_str())
            .execute(&mut **tx)
            .await?;
            sqlx::query("UPDATE budget_projects SET status = $1, spent = $2 WHERE id = $3")
                .bind(status.name())
                .bind(big(spent.0))
                .bind(project.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::BudgetCycleImported {
            cycle,
            body,
            title,
            description,
            currency,
            total,
            projects,
            format,
            rule,
            ballots,
            result,
            by,
            at,
            ..
        } => {
            sqlx::query(
                "INSERT INTO budget_cycles (id, body_id, title, description, currency, total, districts, schedule, ideas_from,
                     ballot_format, rule, phase, roll_size, voted, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, '[]', '[]', 'members', $7, $8, 'results', 0, $9, $10)",
            )
            .bind(cycle.as_str())
            .bind(body.as_str())
            .bind(title.as_str())
            .bind(description.as_str())
            .bind(currency.as_str())
            .bind(big(total.0))
            .bind(json(format)?)
            .bind(name(rule)?)
            .bind(big(ballots.len() as u64))
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
            transition(tx, cycle, Phase::Results, at).await?;
            sqlx::query("UPDATE budget_cycles SET phase = 'results' WHERE id = $1")
                .bind(cycle.as_str())
                .execute(&mut **tx)
                .await?;
            let votes = |p: &plenum_core::BudgetProjectId| {
                result.pots.iter().flat_map(|x| &x.votes).find(|(q, _)| q == p).map_or(0, |(_, v)| *v)
            };
            for p in projects {
                sqlx::query(
                    "INSERT INTO budget_projects (id, cycle_id, code, ideas, title, description, estimate, district_id, author_id, at,
                         feasible, final_cost, reason, funded, votes)
                     VALUES ($1, $2, $3, '[]', $4, $4, $5, NULL, $6, $7, 1, $5, NULL, $8, $9)",
                )
                .bind(p.project.as_str())
                .bind(cycle.as_str())
                .bind(&p.code)
                .bind(p.title.as_str())
                .bind(big(p.cost.0))
                .bind(by.as_str())
                .bind(at.to_string())
                .bind(i64::from(result.is_funded(&p.project)))
                .bind(big(votes(&p.project)))
                .execute(&mut **tx)
                .await?;
            }
            sqlx::query("INSERT INTO budget_results (cycle_id, ballots, result, counted_at) VALUES ($1, $2, $3, $4)")
                .bind(cycle.as_str())
                .bind(big(result.ballots))
                .bind(json(result)?)
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        _ => {}
    }
    Ok(())
}
