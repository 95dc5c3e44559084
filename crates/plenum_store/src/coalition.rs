//! The read tables of organisations, coalitions, platforms and pledges, and their typed reads.

use plenum_core::Event;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::{Store, StoreError};

fn big(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

async fn run(tx: &mut Transaction<'_, Any>, sql: &str, binds: &[Option<String>]) -> Result<(), StoreError> {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(bind.clone());
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

fn s(value: impl ToString) -> Option<String> {
    Some(value.to_string())
}

/// Updates the read tables for one coalition event.
pub(crate) async fn project(tx: &mut Transaction<'_, Any>, event: &Event) -> Result<(), StoreError> {
    match event {
        Event::OrganisationCreated { organisation, name, organisation_kind, description, contact, by, at } => {
            run(
                tx,
                "INSERT INTO organisations (id, name, kind, description, contact, created_at, charter) VALUES ($1, $2, $3, $4, $5, $6, NULL)",
                &[s(organisation), s(name), s(organisation_kind), s(description), s(contact), s(at)],
            )
            .await?;
            run(tx, "INSERT INTO representatives (organisation_id, resident_id) VALUES ($1, $2)", &[s(organisation), s(by)])
                .await?;
        }
        Event::RepresentativeAdded { organisation, resident, .. } => {
            run(
                tx,
                "INSERT INTO representatives (organisation_id, resident_id) VALUES ($1, $2)",
                &[s(organisation), s(resident)],
            )
            .await?;
        }
        Event::RepresentativeRemoved { organisation, resident, .. } => {
            run(
                tx,
                "DELETE FROM representatives WHERE organisation_id = $1 AND resident_id = $2",
                &[s(organisation), s(resident)],
            )
            .await?;
        }
        Event::CoalitionFounded { coalition, charter, founders, at, .. } => {
            run(
                tx,
                "UPDATE organisations SET charter = $1 WHERE id = $2",
                &[Some(serde_json::to_string(charter)?), s(coalition)],
            )
            .await?;
            for founder in founders {
                run(
                    tx,
                    "INSERT INTO coalition_members (coalition_id, organisation_id, since) VALUES ($1, $2, $3)",
                    &[s(coalition), s(founder), s(at)],
                )
                .await?;
            }
        }
        Event::MembershipProposed { coalition, organisation, matter, roll, at, .. } => {
            sqlx::query(
                "INSERT INTO membership_decisions (coalition_id, organisation_id, matter, proposed_at, roll, agree, object, outcome, decided_at)
                 VALUES ($1, $2, $3, $4, $5, 0, 0, 'pending', NULL)",
            )
            .bind(coalition.as_str())
            .bind(organisation.as_str())
            .bind(matter_name(*matter))
            .bind(at.to_string())
            .bind(big(roll.len()))
            .execute(&mut **tx)
            .await?;
        }
        Event::MembershipStanceTaken { coalition, organisation, agree, .. } => {
            let column = if *agree { "agree" } else { "object" };
            run(
                tx,
                &format!(
                    "UPDATE membership_decisions SET {column} = {column} + 1
                     WHERE coalition_id = $1 AND organisation_id = $2 AND outcome = 'pending'"
                ),
                &[s(coalition), s(organisation)],
            )
            .await?;
        }
        Event::MembershipDecided { coalition, organisation, matter, carried, agree, object, roll, at } => {
            let outcome = if *carried { "carried" } else { "not_carried" };
            sqlx::query(
                "UPDATE membership_decisions SET outcome = $1, decided_at = $2, agree = $3, object = $4, roll = $5
                 WHERE coalition_id = $6 AND organisation_id = $7 AND outcome = 'pending'",
            )
            .bind(outcome)
            .bind(at.to_string())
            .bind(big(*agree))
            .bind(big(*object))
            .bind(big(*roll))
            .bind(coalition.as_str())
            .bind(organisation.as_str())
            .execute(&mut **tx)
            .await?;
            if *carried {
                match matter {
                    plenum_core::MembershipMatter::Admission => {
                        run(
                            tx,
                            "INSERT INTO coalition_members (coalition_id, organisation_id, since) VALUES ($1, $2, $3)",
                            &[s(coalition), s(organisation), s(at)],
                        )
                        .await?;
                    }
                    plenum_core::MembershipMatter::Removal => {
                        remove_member(tx, coalition.as_str(), organisation.as_str()).await?
                    }
                }
            }
        }
        Event::CoalitionLeft { coalition, organisation, at, .. } => {
            remove_member(tx, coalition.as_str(), organisation.as_str()).await?;
            run(
                tx,
                "UPDATE membership_decisions SET outcome = 'moot', decided_at = $1
                 WHERE coalition_id = $2 AND organisation_id = $3 AND outcome = 'pending'",
                &[s(at), s(coalition), s(organisation)],
            )
            .await?;
        }
        Event::IndividualJoined { coalition, resident, at } => {
            run(
                tx,
                "INSERT INTO coalition_individuals (coalition_id, resident_id, since) VALUES ($1, $2, $3)",
                &[s(coalition), s(resident), s(at)],
            )
            .await?;
        }
        Event::IndividualLeft { coalition, resident, .. } => {
            run(
                tx,
                "DELETE FROM coalition_individuals WHERE coalition_id = $1 AND resident_id = $2",
                &[s(coalition), s(resident)],
            )
            .await?;
        }
        Event::PlankProposed { plank, coalition, title, text, category, by, at } => {
            run(
                tx,
                "INSERT INTO plank_versions (plank_id, version, origin_id, title, text, category, author_id, at)
                 VALUES ($1, 1, $2, $3, $4, $5, $6, $7)",
                &[s(plank), s(coalition), s(title), s(text), s(category), s(by), s(at)],
            )
            .await?;
            add_to_platform(tx, coalition.as_str(), plank.as_str(), &at.to_string()).await?;
        }
        Event::PlankAmended { plank, version, title, text, category, by, at } => {
            sqlx::query(
                "INSERT INTO plank_versions (plank_id, version, origin_id, title, text, category, author_id, at)
                 SELECT plank_id, $1, origin_id, $2, $3, $4, $5, $6 FROM plank_versions WHERE plank_id = $7 AND version = 1",
            )
            .bind(i64::from(*version))
            .bind(title.as_str())
            .bind(text.as_str())
            .bind(category.as_str())
            .bind(by.as_str())
            .bind(at.to_string())
            .bind(plank.as_str())
            .execute(&mut **tx)
            .await?;
        }
        Event::PlankShared { plank, coalition, at, .. } => {
            add_to_platform(tx, coalition.as_str(), plank.as_str(), &at.to_string()).await?;
        }
        Event::PositionTaken { coalition, plank, organisation, version, position, by, at } => {
            run(
                tx,
                "DELETE FROM positions WHERE coalition_id = $1 AND plank_id = $2 AND organisation_id = $3",
                &[s(coalition), s(plank), s(organisation)],
            )
            .await?;
            sqlx::query(
                "INSERT INTO positions (coalition_id, plank_id, organisation_id, version, stance, note, by_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(coalition.as_str())
            .bind(plank.as_str())
            .bind(organisation.as_str())
            .bind(i64::from(*version))
            .bind(position.name())
            .bind(position.text().map(ToString::to_string))
            .bind(by.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::PlankAdopted { coalition, plank, version, at, .. } => {
            sqlx::query(
                "UPDATE platform_planks SET adopted_version = $1, adopted_at = $2 WHERE coalition_id = $3 AND plank_id = $4",
            )
            .bind(i64::from(*version))
            .bind(at.to_string())
            .bind(coalition.as_str())
            .bind(plank.as_str())
            .execute(&mut **tx)
            .await?;
        }
        Event::CandidateEntered { candidate, name, office, statement, account, coalition, at, .. } => {
            run(
                tx,
                "INSERT INTO candidates (id, name, office, statement, account_id, coalition_id, entered_at, elected_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
                &[
                    s(candidate),
                    s(name),
                    s(office),
                    statement.as_ref().map(ToString::to_string),
                    account.as_ref().map(ToString::to_string),
                    coalition.as_ref().map(ToString::to_string),
                    s(at),
                ],
            )
            .await?;
        }
        Event::PledgeSigned { candidate, coalition, plank, version, signature, at, .. } => {
            run(
                tx,
                "DELETE FROM pledges WHERE candidate_id = $1 AND coalition_id = $2 AND plank_id = $3",
                &[s(candidate), s(coalition), s(plank)],
            )
            .await?;
            sqlx::query(
                "INSERT INTO pledges (candidate_id, coalition_id, plank_id, version, signature, signed_at, withdrawn_at, withdrawal_reason)
                 VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)",
            )
            .bind(candidate.as_str())
            .bind(coalition.as_str())
            .bind(plank.as_str())
            .bind(i64::from(*version))
            .bind(signature.as_str())
            .bind(at.to_string())
            .execute(&mut **tx)
            .await?;
        }
        Event::PledgeWithdrawn { candidate, coalition, plank, reason, at, .. } => {
            run(
                tx,
                "UPDATE pledges SET withdrawn_at = $1, withdrawal_reason = $2 WHERE candidate_id = $3 AND coalition_id = $4 AND plank_id = $5",
                &[s(at), reason.as_ref().map(ToString::to_string), s(candidate), s(coalition), s(plank)],
            )
            .await?;
        }
        Event::CandidateElected { candidate, at, .. } => {
            run(tx, "UPDATE candidates SET elected_at = $1 WHERE id = $2", &[s(at), s(candidate)]).await?;
        }
        Event::OfficialVoteRecorded { record, candidate, coalition, plank, question, vote, held_at, by, at } => {
            run(
                tx,
                "INSERT INTO official_votes (id, candidate_id, coalition_id, plank_id, question, vote, held_at, recorded_by, at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[s(record), s(candidate), s(coalition), s(plank), s(question), s(vote.name()), s(held_at), s(by), s(at)],
            )
            .await?;
        }
        _ => {}
    }
    Ok(())
}

fn matter_name(matter: plenum_core::MembershipMatter) -> &'static str {
    match matter {
        plenum_core::MembershipMatter::Admission => "admission",
        plenum_core::MembershipMatter::Removal => "removal",
    }
}

async fn remove_member(tx: &mut Transaction<'_, Any>, coalition: &str, organisation: &str) -> Result<(), StoreError> {
    run(tx, "DELETE FROM coalition_members WHERE coalition_id = $1 AND organisation_id = $2", &[s(coalition), s(organisation)])
        .await
}

async fn add_to_platform(tx: &mut Transaction<'_, Any>, coalition: &str, plank: &str, at: &str) -> Result<(), StoreError> {
    run(
        tx,
        "INSERT INTO platform_planks (coalition_id, plank_id, added_at, adopted_version, adopted_at) VALUES ($1, $2, $3, NULL, NULL)",
        &[s(coalition), s(plank), s(at)],
    )
    .await
}

/// One member's position on one plank of a platform, as the read tables hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PositionRow {
    pub plank: String,
    pub organisation: String,
    pub version: u32,
    /// `endorse`, `endorse_with_reservations`, `stand_aside` or `block`.
    pub stance: String,
    pub note: Option<String>,
}

/// A candidate's pledge, as the read tables hold it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PledgeRow {
    pub candidate: String,
    pub plank: String,
    pub signature: String,
    pub signed_at: String,
    pub withdrawn_at: Option<String>,
}

fn version(row: &AnyRow) -> Result<u32, StoreError> {
    let n: i64 = row.try_get("version")?;
    u32::try_from(n).map_err(|_| StoreError::Corrupt { column: "version", value: n.to_string() })
}

impl Store {
    /// The member organisations of a coalition, by id.
    pub async fn coalition_members(&self, coalition: &str) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT organisation_id FROM coalition_members WHERE coalition_id = $1 ORDER BY organisation_id")
            .bind(coalition)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| r.try_get("organisation_id").map_err(StoreError::from)).collect()
    }

    /// Every member's latest position on the planks of a coalition's platform.
    pub async fn positions(&self, coalition: &str) -> Result<Vec<PositionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT plank_id, organisation_id, version, stance, note FROM positions WHERE coalition_id = $1
             ORDER BY plank_id, organisation_id",
        )
        .bind(coalition)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PositionRow {
                    plank: r.try_get("plank_id")?,
                    organisation: r.try_get("organisation_id")?,
                    version: version(r)?,
                    stance: r.try_get("stance")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The current wording's version of a plank (its highest).
    pub async fn plank_version(&self, plank: &str) -> Result<Option<u32>, StoreError> {
        let row = sqlx::query("SELECT MAX(version) AS version FROM plank_versions WHERE plank_id = $1")
            .bind(plank)
            .fetch_one(&self.pool)
            .await?;
        let n: Option<i64> = row.try_get("version")?;
        n.map(|n| u32::try_from(n).map_err(|_| StoreError::Corrupt { column: "version", value: n.to_string() })).transpose()
    }

    /// A candidate's pledges, standing and withdrawn.
    pub async fn pledges(&self, candidate: &str) -> Result<Vec<PledgeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT candidate_id, plank_id, signature, signed_at, withdrawn_at FROM pledges WHERE candidate_id = $1 ORDER BY plank_id",
        )
        .bind(candidate)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PledgeRow {
                    candidate: r.try_get("candidate_id")?,
                    plank: r.try_get("plank_id")?,
                    signature: r.try_get("signature")?,
                    signed_at: r.try_get("signed_at")?,
                    withdrawn_at: r.try_get("withdrawn_at")?,
                })
            })
            .collect()
    }
}
