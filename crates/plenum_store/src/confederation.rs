//! The confederation's read tables (migration `20261206000003_confederation.sql`): each of its
//! events' effect, run in the transaction that appends it. Seating and unseating delegates also
//! keeps the council's rows in `memberships` as the domain keeps its members.

use plenum_core::{Event, SeatEnded};
use sqlx::{Any, Transaction};

use crate::StoreError;

/// One value to bind.
enum V {
    T(String),
    O(Option<String>),
    N(i64),
}

fn t(s: impl ToString) -> V {
    V::T(s.to_string())
}

fn n(x: impl TryInto<i64>) -> V {
    V::N(x.try_into().unwrap_or(i64::MAX))
}

fn json<T: serde::Serialize>(value: &T) -> Result<V, StoreError> {
    Ok(V::T(serde_json::to_string(value)?))
}

/// A serialisable unit enum's snake_case name.
fn name<T: serde::Serialize>(value: &T) -> Result<V, StoreError> {
    Ok(V::T(match serde_json::to_value(value)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }))
}

async fn exec(tx: &mut Transaction<'_, Any>, sql: &str, values: Vec<V>) -> Result<(), StoreError> {
    let mut q = sqlx::query(sql);
    for v in values {
        q = match v {
            V::T(s) => q.bind(s),
            V::O(s) => q.bind(s),
            V::N(x) => q.bind(x),
        };
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

async fn seat(tx: &mut Transaction<'_, Any>, values: [V; 7]) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO delegate_seats (council_id, constituent_id, delegate_id, round, seated_by, since, term_ends, ended_at, ended_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)",
        values.into(),
    )
    .await
}

/// The council's membership row for a seated delegate (kept if they are a member already).
async fn seat_member(tx: &mut Transaction<'_, Any>, council: &str, delegate: &str, at: &str) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO memberships (body_id, resident_id, status, role, since)
         SELECT $1, $2, 'member', 'member', $3 WHERE NOT EXISTS
         (SELECT 1 FROM memberships WHERE body_id = $4 AND resident_id = $5)",
        vec![t(council), t(delegate), t(at), t(council), t(delegate)],
    )
    .await
}

async fn unseat_member(tx: &mut Transaction<'_, Any>, council: &str, delegate: &str) -> Result<(), StoreError> {
    exec(tx, "DELETE FROM memberships WHERE body_id = $1 AND resident_id = $2 AND role = 'member'", vec![t(council), t(delegate)])
        .await
}

/// A new round: the seats held end; the new delegates are seated.
async fn new_round(
    tx: &mut Transaction<'_, Any>,
    (council, constituent): (&str, &str),
    round: u32,
    seated: &[plenum_core::AccountId],
    seated_by: V,
    (term_ends, at): (&str, &str),
) -> Result<(), StoreError> {
    let leaving: Vec<String> = sqlx::query_scalar(
        "SELECT delegate_id FROM delegate_seats WHERE council_id = $1 AND constituent_id = $2 AND ended_at IS NULL",
    )
    .bind(council)
    .bind(constituent)
    .fetch_all(&mut **tx)
    .await?;
    exec(
        tx,
        "UPDATE delegate_seats SET ended_at = $1, ended_reason = $2 WHERE council_id = $3 AND constituent_id = $4 AND ended_at IS NULL",
        vec![t(at), name(&SeatEnded::NextRound)?, t(council), t(constituent)],
    )
    .await?;
    for who in leaving.iter().filter(|w| !seated.iter().any(|s| s.as_str() == w.as_str())) {
        unseat_member(tx, council, who).await?;
    }
    let seated_by = match seated_by {
        V::T(s) => s,
        V::O(s) => s.unwrap_or_default(),
        V::N(x) => x.to_string(),
    };
    for who in seated {
        seat(tx, [t(council), t(constituent), t(who), n(round), t(&seated_by), t(at), t(term_ends)]).await?;
        seat_member(tx, council, who.as_str(), at).await?;
    }
    Ok(())
}

/// Updates the read tables for one of the confederation's events; other events are not its.
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::CouncilCreated { council, constituents, seat_rule, ratification, at, .. } => {
            exec(
                tx,
                "INSERT INTO councils (body_id, seat_rule, ratification_rule, created_at) VALUES ($1, $2, $3, $4)",
                vec![t(council), json(seat_rule)?, json(ratification)?, t(at)],
            )
            .await?;
            for (i, c) in constituents.iter().enumerate() {
                exec(
                    tx,
                    "INSERT INTO council_constituents (council_id, body_id, position, seats, represented, rules)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    vec![t(council), t(&c.body), n(i), n(c.seats), n(c.represented), json(&c.rules)?],
                )
                .await?;
            }
        }
        Event::DelegatesElected { council, constituent, round, candidates, ballots, elected, term_ends, at, .. } => {
            exec(
                tx,
                "INSERT INTO elections (council_id, constituent_id, round, candidates, ballots, elected, held_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                vec![t(council), t(constituent), n(*round), json(candidates)?, json(ballots)?, json(elected)?, t(at)],
            )
            .await?;
            let by = json(&plenum_core::SeatedBy::Election)?;
            new_round(
                tx,
                (council.as_str(), constituent.as_str()),
                *round,
                elected,
                by,
                (&term_ends.to_string(), &at.to_string()),
            )
            .await?;
        }
        Event::DrawAnnounced {
            draw,
            council,
            constituent,
            seats,
            commitment,
            volunteers_close_at,
            quotas,
            term_ends,
            at,
            ..
        } => {
            exec(
                tx,
                "INSERT INTO draws (id, council_id, constituent_id, seats, commitment, volunteers_close_at, quotas, term_ends, announced_at,
                 seed, drawn, held_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL)",
                vec![
                    t(draw),
                    t(council),
                    t(constituent),
                    n(*seats),
                    t(commitment),
                    t(volunteers_close_at),
                    json(quotas)?,
                    t(term_ends),
                    t(at),
                ],
            )
            .await?;
        }
        Event::VolunteerEnrolled { draw, resident, category, at } => {
            exec(
                tx,
                "INSERT INTO draw_volunteers (draw_id, resident_id, category, enrolled_at) VALUES ($1, $2, $3, $4)",
                vec![t(draw), t(resident), V::O(category.as_ref().map(ToString::to_string)), t(at)],
            )
            .await?;
        }
        Event::DrawHeld { draw, round, seed, drawn, at } => {
            exec(
                tx,
                "UPDATE draws SET seed = $1, drawn = $2, held_at = $3 WHERE id = $4",
                vec![t(seed), json(drawn)?, t(at), t(draw)],
            )
            .await?;
            let (council, constituent, term_ends): (String, String, String) =
                sqlx::query_as("SELECT council_id, constituent_id, term_ends FROM draws WHERE id = $1")
                    .bind(draw.as_str())
                    .fetch_one(&mut **tx)
                    .await?;
            let by = json(&plenum_core::SeatedBy::Sortition { draw: draw.clone() })?;
            new_round(tx, (&council, &constituent), *round, drawn, by, (&term_ends, &at.to_string())).await?;
        }
        Event::SeatVacated { council, constituent, delegate, reason, at } => {
            exec(
                tx,
                "UPDATE delegate_seats SET ended_at = $1, ended_reason = $2
                 WHERE council_id = $3 AND constituent_id = $4 AND delegate_id = $5 AND ended_at IS NULL",
                vec![t(at), name(reason)?, t(council), t(constituent), t(delegate)],
            )
            .await?;
            unseat_member(tx, council.as_str(), delegate.as_str()).await?;
        }
        Event::SeatFilled { council, constituent, delegate, seated_by, term_ends, at, .. } => {
            let round: Option<i64> =
                sqlx::query_scalar("SELECT MAX(round) FROM delegate_seats WHERE council_id = $1 AND constituent_id = $2")
                    .bind(council.as_str())
                    .bind(constituent.as_str())
                    .fetch_one(&mut **tx)
                    .await?;
            seat(tx, [t(council), t(constituent), t(delegate), V::N(round.unwrap_or(0)), json(seated_by)?, t(at), t(term_ends)])
                .await?;
            seat_member(tx, council.as_str(), delegate.as_str(), &at.to_string()).await?;
        }
        Event::MandateSought { council, council_motion, constituent, poll, .. } => {
            exec(
                tx,
                "DELETE FROM mandates WHERE council_motion_id = $1 AND constituent_id = $2",
                vec![t(council_motion), t(constituent)],
            )
            .await?;
            exec(
                tx,
                "INSERT INTO mandates (council_motion_id, constituent_id, council_id, poll_id, decided, mandate)
                 VALUES ($1, $2, $3, $4, 0, NULL)",
                vec![t(council_motion), t(constituent), t(council), t(poll)],
            )
            .await?;
        }
        Event::MandateDecided { council_motion, constituent, mandate, .. } => {
            let mandate = match mandate {
                Some(c) => match name(c)? {
                    V::T(s) => Some(s),
                    _ => None,
                },
                None => None,
            };
            exec(
                tx,
                "UPDATE mandates SET decided = 1, mandate = $1 WHERE council_motion_id = $2 AND constituent_id = $3",
                vec![V::O(mandate), t(council_motion), t(constituent)],
            )
            .await?;
        }
        Event::MandateDeviated { council, council_motion, poll, constituent, delegate, mandate, vote, at } => {
            exec(
                tx,
                "INSERT INTO mandate_deviations (poll_id, delegate_id, council_id, council_motion_id, constituent_id, mandate, vote, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                vec![t(poll), t(delegate), t(council), t(council_motion), t(constituent), name(mandate)?, name(vote)?, t(at)],
            )
            .await?;
        }
        Event::DelegateReported { report, council, constituent, meeting, delegate, text, at } => {
            exec(
                tx,
                "INSERT INTO delegate_reports (id, council_id, constituent_id, meeting_id, delegate_id, text, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                vec![t(report), t(council), t(constituent), t(meeting), t(delegate), t(text.as_str()), t(at)],
            )
            .await?;
        }
        Event::RecallStarted { recall, council, constituent, delegate, reason, share, closes_at, by, at } => {
            exec(
                tx,
                "INSERT INTO recalls (id, council_id, constituent_id, delegate_id, reason, share, closes_at, started_by, started_at, stage, poll_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'gathering', NULL)",
                vec![
                    t(recall),
                    t(council),
                    t(constituent),
                    t(delegate),
                    V::O(reason.as_ref().map(|r| r.as_str().to_owned())),
                    t(share),
                    t(closes_at),
                    V::O(by.as_ref().map(ToString::to_string)),
                    t(at),
                ],
            )
            .await?;
            if let Some(by) = by {
                exec(
                    tx,
                    "INSERT INTO recall_signatures (recall_id, resident_id, signed_at) VALUES ($1, $2, $3)",
                    vec![t(recall), t(by), t(at)],
                )
                .await?;
            }
        }
        Event::RecallSigned { recall, resident, at } => {
            exec(
                tx,
                "INSERT INTO recall_signatures (recall_id, resident_id, signed_at) VALUES ($1, $2, $3)",
                vec![t(recall), t(resident), t(at)],
            )
            .await?;
        }
        Event::RecallQualified { recall, poll, .. } => {
            exec(tx, "UPDATE recalls SET stage = 'polling', poll_id = $1 WHERE id = $2", vec![t(poll), t(recall)]).await?;
        }
        Event::RecallDecided { recall, recalled, .. } => {
            let stage = if *recalled { "recalled" } else { "kept" };
            exec(tx, "UPDATE recalls SET stage = $1 WHERE id = $2", vec![t(stage), t(recall)]).await?;
        }
        Event::RatificationOpened { ratification, council, subject, title, nodes, closes_at, at, .. } => {
            exec(
                tx,
                "INSERT INTO ratifications (id, council_id, subject, title, nodes, closes_at, opened_at, ratified, outcome, decided_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL)",
                vec![t(ratification), t(council), json(subject)?, t(title.as_str()), json(nodes)?, t(closes_at), t(at)],
            )
            .await?;
        }
        Event::RatificationDecided { ratification, outcome, at } => {
            exec(
                tx,
                "UPDATE ratifications SET ratified = $1, outcome = $2, decided_at = $3 WHERE id = $4",
                vec![n(i64::from(outcome.ratified)), json(outcome)?, t(at), t(ratification)],
            )
            .await?;
            for r in &outcome.results {
                let counted = match r.counted_as {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "abstains",
                };
                exec(
                    tx,
                    "INSERT INTO ratification_results (ratification_id, body_id, parent_id, decision, counted_as, yes_votes, no_votes, members)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    vec![t(ratification), t(&r.body), t(&r.parent), name(&r.decision)?, t(counted), n(r.yes), n(r.no), n(r.members)],
                )
                .await?;
            }
            exec(
                tx,
                "UPDATE disputes SET stage = $1 WHERE ratification_id = $2",
                vec![t(if outcome.ratified { "upheld" } else { "overturned" }), t(ratification)],
            )
            .await?;
        }
        Event::DisputeBrought { dispute, council, claimant, respondent, title, claim, at, .. } => {
            exec(
                tx,
                "INSERT INTO disputes (id, council_id, claimant_id, respondent_id, title, claim, response, hearing_meeting_id, decision, reasons,
                 stage, ratification_id, brought_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL, NULL, 'claimed', NULL, $7)",
                vec![t(dispute), t(council), t(claimant), t(respondent), t(title.as_str()), t(claim.as_str()), t(at)],
            )
            .await?;
        }
        Event::DisputeAnswered { dispute, response, .. } => {
            exec(
                tx,
                "UPDATE disputes SET response = $1, stage = CASE WHEN stage = 'claimed' THEN 'answered' ELSE stage END WHERE id = $2",
                vec![t(response.as_str()), t(dispute)],
            )
            .await?;
        }
        Event::HearingScheduled { dispute, meeting, .. } => {
            exec(
                tx,
                "UPDATE disputes SET hearing_meeting_id = $1, stage = 'hearing_scheduled' WHERE id = $2",
                vec![t(meeting), t(dispute)],
            )
            .await?;
        }
        Event::DisputeDecided { dispute, decision, reasons, .. } => {
            exec(
                tx,
                "UPDATE disputes SET decision = $1, reasons = $2, stage = 'decided' WHERE id = $3",
                vec![t(decision.as_str()), t(reasons.as_str()), t(dispute)],
            )
            .await?;
        }
        Event::DisputeAppealed { dispute, ratification, .. } => {
            exec(
                tx,
                "UPDATE disputes SET stage = 'appealed', ratification_id = $1 WHERE id = $2",
                vec![t(ratification), t(dispute)],
            )
            .await?;
        }
        Event::TaskAdded { task, council, title, responsible, due, at, .. } => {
            exec(
                tx,
                "INSERT INTO tasks (id, council_id, title, responsible_id, due, status, added_at) VALUES ($1, $2, $3, $4, $5, 'open', $6)",
                vec![t(task), t(council), t(title.as_str()), t(responsible), t(due), t(at)],
            )
            .await?;
        }
        Event::TaskUpdated { task, status, note, by, at } => {
            let position: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM task_updates WHERE task_id = $1")
                .bind(task.as_str())
                .fetch_one(&mut **tx)
                .await?;
            exec(
                tx,
                "INSERT INTO task_updates (task_id, position, status, note, by_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
                vec![t(task), V::N(position), name(status)?, t(note.as_str()), t(by), t(at)],
            )
            .await?;
            exec(tx, "UPDATE tasks SET status = $1 WHERE id = $2", vec![name(status)?, t(task)]).await?;
        }
        _ => {}
    }
    Ok(())
}
