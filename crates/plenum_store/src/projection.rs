//! The read tables: each event's effect on them, run in the transaction that appends it.

use plenum_core::{AccountId, BodyId, DecisionRule, Event, Instant, MotionId, MotionStatus, PollId, SealedBallot, Secrecy};
use sqlx::{Any, Transaction};

use crate::StoreError;

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::from)
}

/// A serialisable unit enum's snake_case name (`"open"`, `"facilitator"`).
fn name<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

async fn set_motion_status(tx: &mut Transaction<'_, Any>, motion: &str, status: &MotionStatus) -> Result<(), StoreError> {
    let poll = match status {
        MotionStatus::Voting { poll } | MotionStatus::Passed { poll } | MotionStatus::Rejected { poll } => Some(poll.to_string()),
        MotionStatus::Open | MotionStatus::Withdrawn => None,
    };
    sqlx::query("UPDATE motions SET status = $1, poll_id = $2 WHERE id = $3")
        .bind(status.name())
        .bind(poll)
        .bind(motion)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Puts a secret ballot in the box (sealed: no board position yet).
pub(crate) async fn seal(tx: &mut Transaction<'_, Any>, ballot: &SealedBallot) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO ballot_box (ballot_id, poll_id, receipt, choice, position) VALUES ($1, $2, $3, $4, NULL)")
        .bind(ballot.ballot.as_str())
        .bind(ballot.poll.as_str())
        .bind(ballot.receipt.as_str())
        .bind(name(&ballot.choice)?)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A poll's row and its roll, for a vote on a motion or on an amendment.
async fn insert_poll(
    tx: &mut Transaction<'_, Any>,
    event: &Event,
    (poll, motion, body): (&PollId, &MotionId, &BodyId),
    (secrecy, rules): (Secrecy, &DecisionRule),
    (opens_at, closes_at): (&Instant, &Instant),
    roll: &[AccountId],
) -> Result<(), StoreError> {
    sqlx::query(
            "INSERT INTO polls (id, motion_id, body_id, secrecy, rules, opens_at, closes_at, roll_size, voted, in_person, closed, closed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL, 0, NULL)",
        )
        .bind(poll.as_str())
        .bind(motion.as_str())
        .bind(body.as_str())
        .bind(name(&secrecy)?)
        .bind(json(rules)?)
        .bind(opens_at.to_string())
        .bind(closes_at.to_string())
        .bind(i64::try_from(roll.len()).unwrap_or(i64::MAX))
        .execute(&mut **tx)
        .await?;
    for member in roll {
        sqlx::query("INSERT INTO roll (poll_id, member_id, voted) VALUES ($1, $2, 0)")
            .bind(poll.as_str())
            .bind(member.as_str())
            .execute(&mut **tx)
            .await?;
    }
    // A vote on the motion itself puts the motion to a vote; an amendment's leaves it open.
    if matches!(event, Event::PollOpened { .. }) {
        set_motion_status(tx, motion.as_str(), &MotionStatus::Voting { poll: poll.clone() }).await?;
    }
    Ok(())
}

/// Updates the read tables for one event.
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::ResidentRegistered { resident, display_name, at } => {
            sqlx::query("INSERT INTO residents (id, display_name, registered_at) VALUES ($1, $2, $3)")
                .bind(resident.as_str())
                .bind(display_name.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::BodyCreated { body, slug, name: title, charter, by, at } => {
            sqlx::query("INSERT INTO bodies (id, slug, name, charter, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(body.as_str())
                .bind(slug.as_str())
                .bind(title.as_str())
                .bind(json(charter)?)
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
            sqlx::query(
                "INSERT INTO memberships (body_id, resident_id, status, role, since) VALUES ($1, $2, 'member', 'facilitator', $3)",
            )
            .bind(body.as_str())
            .bind(by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::MembershipRequested { body, resident, at } | Event::MembershipGranted { body, resident, at, .. } => {
            let status = if matches!(event, Event::MembershipRequested { .. }) { "requested" } else { "member" };
            sqlx::query("DELETE FROM memberships WHERE body_id = $1 AND resident_id = $2")
                .bind(body.as_str())
                .bind(resident.as_str())
                .execute(&mut **tx)
                .await?;
            sqlx::query("INSERT INTO memberships (body_id, resident_id, status, role, since) VALUES ($1, $2, $3, 'member', $4)")
                .bind(body.as_str())
                .bind(resident.as_str())
                .bind(status)
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::MembershipEnded { body, resident, .. } => {
            sqlx::query("DELETE FROM memberships WHERE body_id = $1 AND resident_id = $2")
                .bind(body.as_str())
                .bind(resident.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::FacilitatorAppointed { body, resident, .. } => {
            sqlx::query("UPDATE memberships SET role = 'facilitator' WHERE body_id = $1 AND resident_id = $2")
                .bind(body.as_str())
                .bind(resident.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::MeetingScheduled { meeting, body, title, starts_at, ends_at, time_zone, venue, agenda, .. } => {
            sqlx::query(
                "INSERT INTO meetings (id, body_id, title, starts_at, ends_at, time_zone, venue, agenda, present, guests, minutes, published, published_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '[]', 0, NULL, 0, NULL)",
            )
            .bind(meeting.as_str())
            .bind(body.as_str())
            .bind(title.as_str())
            .bind(starts_at.to_string())
            .bind(ends_at.to_string())
            .bind(time_zone.as_str())
            .bind(json(venue)?)
            .bind(json(agenda)?)
            .execute(&mut **tx)
            .await?;
        }
        Event::AttendanceRecorded { meeting, present, guests, .. } => {
            sqlx::query("UPDATE meetings SET present = $1, guests = $2 WHERE id = $3")
                .bind(json(present)?)
                .bind(i64::try_from(*guests).unwrap_or(i64::MAX))
                .bind(meeting.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::MinutesRecorded { meeting, minutes, .. } => {
            sqlx::query("UPDATE meetings SET minutes = $1 WHERE id = $2")
                .bind(minutes.as_str())
                .bind(meeting.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::MinutesPublished { meeting, at, .. } => {
            sqlx::query("UPDATE meetings SET published = 1, published_at = $1 WHERE id = $2")
                .bind(at.to_string())
                .bind(meeting.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::MotionFiled { motion, body, motion_kind, title, text, proposed_charter, by, at } => {
            let charter = proposed_charter.as_ref().map(json).transpose()?;
            sqlx::query(
                "INSERT INTO motions (id, body_id, kind, title, text, proposed_charter, mover_id, filed_at, status, poll_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', NULL)",
            )
            .bind(motion.as_str())
            .bind(body.as_str())
            .bind(motion_kind.name())
            .bind(title.as_str())
            .bind(text.as_str())
            .bind(charter)
            .bind(by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::MotionWithdrawn { motion, .. } => set_motion_status(tx, motion.as_str(), &MotionStatus::Withdrawn).await?,
        Event::ArgumentAdded { argument, motion, side, text, by, at } => {
            sqlx::query("INSERT INTO arguments (id, motion_id, side, text, author_id, at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(argument.as_str())
                .bind(motion.as_str())
                .bind(name(side)?)
                .bind(text.as_str())
                .bind(by.as_str())
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Event::AmendmentProposed { amendment, motion, text, by, at } => {
            sqlx::query(
                "INSERT INTO amendments (id, motion_id, text, author_id, at, status) VALUES ($1, $2, $3, $4, $5, 'proposed')",
            )
            .bind(amendment.as_str())
            .bind(motion.as_str())
            .bind(text.as_str())
            .bind(by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::AmendmentAccepted { amendment, motion, .. } => {
            sqlx::query("UPDATE amendments SET status = 'accepted' WHERE id = $1")
                .bind(amendment.as_str())
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE motions SET text = (SELECT text FROM amendments WHERE id = $1) WHERE id = $2")
                .bind(amendment.as_str())
                .bind(motion.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::AmendmentDeclined { amendment, .. } => {
            sqlx::query("UPDATE amendments SET status = 'declined' WHERE id = $1")
                .bind(amendment.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::PollOpened { poll, motion, body, secrecy, rules, opens_at, closes_at, roll, .. } => {
            insert_poll(tx, event, (poll, motion, body), (*secrecy, rules), (opens_at, closes_at), roll).await?;
            set_motion_status(tx, motion.as_str(), &MotionStatus::Voting { poll: poll.clone() }).await?;
        }
        Event::AmendmentPollOpened { poll, motion, amendment, body, secrecy, rules, opens_at, closes_at, roll, .. } => {
            insert_poll(tx, event, (poll, motion, body), (*secrecy, rules), (opens_at, closes_at), roll).await?;
            sqlx::query("UPDATE amendments SET status = 'voting' WHERE id = $1")
                .bind(amendment.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::AmendmentDecided { amendment, motion, adopted, .. } => {
            sqlx::query("UPDATE amendments SET status = $1 WHERE id = $2")
                .bind(if *adopted { "accepted" } else { "declined" })
                .bind(amendment.as_str())
                .execute(&mut **tx)
                .await?;
            if *adopted {
                sqlx::query("UPDATE motions SET text = (SELECT text FROM amendments WHERE id = $1) WHERE id = $2")
                    .bind(amendment.as_str())
                    .bind(motion.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Event::VoteCast { poll, member, .. } | Event::RollMarked { poll, member } => {
            if let Event::VoteCast { choice, at, .. } = event {
                sqlx::query("INSERT INTO open_votes (poll_id, member_id, choice, at) VALUES ($1, $2, $3, $4)")
                    .bind(poll.as_str())
                    .bind(member.as_str())
                    .bind(name(choice)?)
                    .bind(at.to_string())
                    .execute(&mut **tx)
                    .await?;
            }
            sqlx::query("UPDATE roll SET voted = 1 WHERE poll_id = $1 AND member_id = $2")
                .bind(poll.as_str())
                .bind(member.as_str())
                .execute(&mut **tx)
                .await?;
            sqlx::query("UPDATE polls SET voted = voted + 1 WHERE id = $1").bind(poll.as_str()).execute(&mut **tx).await?;
        }
        Event::InPersonCounted { poll, count, .. } => {
            sqlx::query("UPDATE polls SET in_person = $1 WHERE id = $2")
                .bind(json(count)?)
                .bind(poll.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::PollClosed { poll, result, ballots, at } => {
            sqlx::query("UPDATE polls SET closed = 1, closed_at = $1 WHERE id = $2")
                .bind(at.to_string())
                .bind(poll.as_str())
                .execute(&mut **tx)
                .await?;
            for (position, ballot) in ballots.iter().enumerate() {
                sqlx::query("UPDATE ballot_box SET position = $1 WHERE ballot_id = $2 AND poll_id = $3")
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .bind(ballot.ballot.as_str())
                    .bind(poll.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
            let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
            sqlx::query(
                "INSERT INTO results (poll_id, passed, yes_votes, no_votes, abstentions, working, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(poll.as_str())
            .bind(i64::from(result.passed))
            .bind(count(result.yes))
            .bind(count(result.no))
            .bind(count(result.abstain))
            .bind(json(result)?)
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
            let status = if result.passed { "passed" } else { "rejected" };
            sqlx::query("UPDATE motions SET status = $1 WHERE poll_id = $2")
                .bind(status)
                .bind(poll.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Event::CharterAmended { body, charter, .. } => {
            sqlx::query("UPDATE bodies SET charter = $1 WHERE id = $2")
                .bind(json(charter)?)
                .bind(body.as_str())
                .execute(&mut **tx)
                .await?;
        }
        // --- coalitions ---
        Event::OrganisationCreated { .. }
        | Event::RepresentativeAdded { .. }
        | Event::RepresentativeRemoved { .. }
        | Event::CoalitionFounded { .. }
        | Event::MembershipProposed { .. }
        | Event::MembershipStanceTaken { .. }
        | Event::MembershipDecided { .. }
        | Event::CoalitionLeft { .. }
        | Event::IndividualJoined { .. }
        | Event::IndividualLeft { .. }
        | Event::PlankProposed { .. }
        | Event::PlankAmended { .. }
        | Event::PlankShared { .. }
        | Event::PositionTaken { .. }
        | Event::PlankAdopted { .. }
        | Event::CandidateEntered { .. }
        | Event::PledgeSigned { .. }
        | Event::PledgeWithdrawn { .. }
        | Event::CandidateElected { .. }
        | Event::OfficialVoteRecorded { .. } => crate::coalition::project(tx, event).await?,
        // --- budget cycles ---
        Event::BudgetCycleCreated { .. }
        | Event::BudgetBallotSet { .. }
        | Event::BudgetPhaseChanged { .. }
        | Event::BudgetVoteOpened { .. }
        | Event::BudgetRollMarked { .. }
        | Event::BudgetVoteCounted { .. }
        | Event::IdeaSubmitted { .. }
        | Event::IdeaSupported { .. }
        | Event::IdeaCommented { .. }
        | Event::IdeasMerged { .. }
        | Event::BudgetProjectDeveloped { .. }
        | Event::BudgetProjectReviewed { .. }
        | Event::ProjectProgressRecorded { .. }
        | Event::BudgetCycleImported { .. } => crate::budget::project(tx, event).await?,
        // --- confederation ---
        Event::CouncilCreated { .. }
        | Event::DelegatesElected { .. }
        | Event::DrawAnnounced { .. }
        | Event::VolunteerEnrolled { .. }
        | Event::DrawHeld { .. }
        | Event::SeatVacated { .. }
        | Event::SeatFilled { .. }
        | Event::MandateSought { .. }
        | Event::MandateDecided { .. }
        | Event::MandateDeviated { .. }
        | Event::DelegateReported { .. }
        | Event::RecallStarted { .. }
        | Event::RecallSigned { .. }
        | Event::RecallQualified { .. }
        | Event::RecallDecided { .. }
        | Event::RatificationOpened { .. }
        | Event::RatificationDecided { .. }
        | Event::DisputeBrought { .. }
        | Event::DisputeAnswered { .. }
        | Event::HearingScheduled { .. }
        | Event::DisputeDecided { .. }
        | Event::DisputeAppealed { .. }
        | Event::TaskAdded { .. }
        | Event::TaskUpdated { .. } => crate::confederation::project(tx, event).await?,
        // --- registry ---
        Event::RegistrarAppointed { .. }
        | Event::ResidentEnrolled { .. }
        | Event::CredentialClaimed { .. }
        | Event::PersonalDataRead { .. }
        | Event::PersonalDataErased { .. }
        | Event::LegalDemandRecorded { .. }
        | Event::BudgetResidencyRequired { .. } => crate::registry::project(tx, event).await?,
        // --- paper ballots ---
        Event::PaperVolunteerAppointed { .. } | Event::PaperBallotEntered { .. } | Event::PaperBallotResolved { .. } => {
            crate::paper_ballot::project(tx, event).await?;
        }
        // --- unlinkable ballots ---
        Event::VotingKeyPublished { .. } | Event::VotingTokenIssued { .. } | Event::VotingTokenSpent { .. } => {
            crate::unlinkable::project(tx, event).await?;
        }
        // --- poll residency ---
        Event::PollResidencyRequired { poll, min_age, at, .. } => {
            sqlx::query("INSERT INTO poll_residency (poll_id, min_age, set_at) VALUES ($1, $2, $3)")
                .bind(poll.as_str())
                .bind(min_age.map(i64::from))
                .bind(at.to_string())
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}
