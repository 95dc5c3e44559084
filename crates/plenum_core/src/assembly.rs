//! Bodies (assemblies for now; councils later), their members and facilitators.

use std::collections::BTreeMap;

use crate::charter::{Charter, MembershipRule};
use crate::event::Event;
use crate::id::{AccountId, BodyId};
use crate::instant::Instant;
use crate::name::{BodySlug, Title};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists};

/// An assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub id: BodyId,
    pub slug: BodySlug,
    pub name: Title,
    pub charter: Charter,
    pub created_at: Instant,
    /// Members and people waiting for approval, by account.
    pub members: BTreeMap<AccountId, Membership>,
}

/// A resident's standing in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub status: MembershipStatus,
    pub role: Role,
    /// When the request was made or the membership granted.
    pub since: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    /// Asked to join; a facilitator has not approved yet.
    Requested,
    Member,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    /// Runs meetings, opens polls, approves members. Also a member.
    Facilitator,
}

impl Body {
    #[must_use]
    pub fn is_member(&self, who: &AccountId) -> bool {
        self.members.get(who).is_some_and(|m| m.status == MembershipStatus::Member)
    }

    #[must_use]
    pub fn is_facilitator(&self, who: &AccountId) -> bool {
        self.members.get(who).is_some_and(|m| m.status == MembershipStatus::Member && m.role == Role::Facilitator)
    }

    /// The members (not those waiting for approval), in id order.
    pub fn current_members(&self) -> impl Iterator<Item = &AccountId> {
        self.members.iter().filter(|(_, m)| m.status == MembershipStatus::Member).map(|(id, _)| id)
    }

    /// Those waiting for a facilitator's approval, in id order.
    pub fn pending_requests(&self) -> impl Iterator<Item = &AccountId> {
        self.members.iter().filter(|(_, m)| m.status == MembershipStatus::Requested).map(|(id, _)| id)
    }
}

/// What is needed to create a body.
#[derive(Debug, Clone)]
pub struct CreateBody {
    pub body: BodyId,
    pub slug: BodySlug,
    pub name: Title,
    /// `None` for the default charter.
    pub charter: Option<Charter>,
}

impl State {
    /// A resident creates an assembly and becomes its first facilitator.
    pub fn create_body(&self, new: CreateBody, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(by)?;
        if self.bodies.contains_key(&new.body) {
            return Err(already_exists(Thing::Body, &new.body));
        }
        if self.slugs.contains_key(&new.slug) {
            return Err(Refusal::SlugTaken { slug: new.slug.to_string() });
        }
        Ok(vec![Event::BodyCreated {
            body: new.body,
            slug: new.slug,
            name: new.name,
            charter: new.charter.unwrap_or_default(),
            by: by.clone(),
            at,
        }])
    }

    /// A resident asks to join: granted at once under an open charter, otherwise a request
    /// waits for a facilitator.
    pub fn join(&self, body: &BodyId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(by)?;
        let b = self.existing_body(body)?;
        match b.members.get(by).map(|m| m.status) {
            Some(MembershipStatus::Member) => return Err(Refusal::AlreadyAMember),
            Some(MembershipStatus::Requested) => return Err(Refusal::AlreadyRequested),
            None => {}
        }
        Ok(vec![match b.charter.membership {
            MembershipRule::Open => Event::MembershipGranted { body: body.clone(), resident: by.clone(), approved_by: None, at },
            MembershipRule::ApprovalByFacilitator => Event::MembershipRequested { body: body.clone(), resident: by.clone(), at },
        }])
    }

    /// A facilitator approves a request to join.
    pub fn approve_membership(
        &self,
        body: &BodyId,
        resident: &AccountId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let b = self.as_facilitator(body, by)?;
        if b.members.get(resident).map(|m| m.status) != Some(MembershipStatus::Requested) {
            return Err(Refusal::NoPendingRequest);
        }
        Ok(vec![Event::MembershipGranted { body: body.clone(), resident: resident.clone(), approved_by: Some(by.clone()), at }])
    }

    /// A member leaves (or withdraws a request), or a facilitator removes them. The last
    /// facilitator cannot leave while others remain, so a body always has someone to run it.
    pub fn leave(&self, body: &BodyId, resident: &AccountId, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let b = self.existing_body(body)?;
        if by != resident && !b.is_facilitator(by) {
            return Err(Refusal::NotAFacilitator);
        }
        if !b.members.contains_key(resident) {
            return Err(Refusal::NotAMember);
        }
        let facilitators = b.members.keys().filter(|id| b.is_facilitator(id)).count();
        if b.is_facilitator(resident) && facilitators == 1 && b.current_members().count() > 1 {
            return Err(Refusal::LastFacilitator);
        }
        Ok(vec![Event::MembershipEnded { body: body.clone(), resident: resident.clone(), by: by.clone(), at }])
    }

    /// A facilitator makes a member a facilitator too.
    pub fn appoint_facilitator(
        &self,
        body: &BodyId,
        resident: &AccountId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let b = self.as_facilitator(body, by)?;
        if !b.is_member(resident) {
            return Err(Refusal::NotAMember);
        }
        if b.is_facilitator(resident) {
            return Err(Refusal::AlreadyAFacilitator);
        }
        Ok(vec![Event::FacilitatorAppointed { body: body.clone(), resident: resident.clone(), by: by.clone(), at }])
    }
}
