//! The resident registry: registrars, enrolment in person, credentials claimed by online
//! accounts, reads and erasure of personal data, and the register of legal demands.
//!
//! What the log (which is public) holds about a resident is only what a credential says:
//! credential N of an area, in an age band, until a date, verified in person by registrar R at
//! time T. Never a name, a document, a document type or number, a nationality, a status or a
//! photo: the name and any other personal data live encrypted outside the log, under a key of
//! their own that the store destroys at expiry or on request (see `plenum_store::registry`).
//!
//! A claimed credential makes an account a member of the area's assembly (a
//! `membership_granted` follows the claim). The claim event names the account and what the credential says, but not the credential's number: the log
//! never links an account to a credential number (that link is kept privately, and erased
//! with the key).
//!
//! Who may ask for erasure is the caller's business: the resident holding the credential (a
//! link only the store knows) or a registrar at the desk. Erasure at expiry waits for the
//! operator's grace period, which the caller applies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::budget::Phase;
use crate::credential::AgeBand;
use crate::event::Event;
use crate::id::{AccountId, BodyId, BudgetCycleId, LegalDemandId};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::state::{State, not_found};

/// The longest a credential may run: ten years.
pub const MAX_VALIDITY_SECONDS: i64 = 10 * 366 * 24 * 3600;

/// Registrars, credentials, claims, reads of personal data and legal demands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    registrars: BTreeMap<AccountId, Instant>,
    credentials: BTreeMap<u64, Enrolment>,
    holders: BTreeMap<AccountId, Holding>,
    reads: Vec<PersonalDataRead>,
    legal_demands: BTreeMap<LegalDemandId, LegalDemand>,
    /// Budget cycles whose vote is open only to credential holders of the area, with the
    /// minimum age if there is one.
    budget_residency: BTreeMap<BudgetCycleId, Option<u8>>,
}

/// A credential as the registry knows it: what the card says, who verified the person, and
/// whether the personal data behind it has been erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    pub number: u64,
    pub area: BodyId,
    pub age_band: AgeBand,
    pub issued_at: Instant,
    pub expires_at: Instant,
    pub registrar: AccountId,
    pub erased: Option<(ErasureReason, Instant)>,
}

/// Why a resident's personal data was erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// The credential expired and the operator's grace period passed.
    Expired,
    /// The resident asked.
    Requested,
}

impl ErasureReason {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            ErasureReason::Expired => "expired",
            ErasureReason::Requested => "requested",
        }
    }
}

/// What a claimed credential gives an account: residence in an area, an age band, until a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub area: BodyId,
    pub age_band: AgeBand,
    pub expires_at: Instant,
    pub claimed_at: Instant,
}

/// One read of a resident's personal data: who, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalDataRead {
    pub credential: u64,
    pub by: AccountId,
    pub reason: Prose,
    pub at: Instant,
}

/// What a legal demand asked for and what was given, when a court has not sealed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandDetails {
    pub authority: Title,
    pub asked: Prose,
    pub given: Prose,
}

/// A legal demand for registry data. A sealed one (a court forbids publishing it) shows only
/// that it exists and when it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalDemand {
    pub id: LegalDemandId,
    pub received_at: Instant,
    /// `None` when sealed by court order.
    pub details: Option<DemandDetails>,
    pub recorded_by: AccountId,
    pub recorded_at: Instant,
}

/// A registrar's enrolment of a resident seen in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolResident {
    pub area: BodyId,
    pub age_band: AgeBand,
    pub expires_at: Instant,
}

impl Registry {
    #[must_use]
    pub fn is_registrar(&self, account: &AccountId) -> bool {
        self.registrars.contains_key(account)
    }

    /// Registrars and when they were appointed, in id order.
    pub fn registrars(&self) -> impl Iterator<Item = (&AccountId, &Instant)> {
        self.registrars.iter()
    }

    #[must_use]
    pub fn credential(&self, number: u64) -> Option<&Enrolment> {
        self.credentials.get(&number)
    }

    /// Every credential, in number order.
    pub fn credentials(&self) -> impl Iterator<Item = &Enrolment> {
        self.credentials.values()
    }

    /// The number the next enrolment gets.
    #[must_use]
    pub fn next_number(&self) -> u64 {
        self.credentials.keys().next_back().map_or(1, |n| n.saturating_add(1))
    }

    /// What the credential an account claimed says, if it claimed one.
    #[must_use]
    pub fn holding(&self, account: &AccountId) -> Option<&Holding> {
        self.holders.get(account)
    }

    /// Whether `account` holds a credential, valid at `now`, for residence in `area` and at
    /// least `min_age` years (when given).
    #[must_use]
    pub fn eligible(&self, account: &AccountId, area: &BodyId, min_age: Option<u8>, now: Instant) -> bool {
        self.holders
            .get(account)
            .is_some_and(|h| &h.area == area && now < h.expires_at && min_age.is_none_or(|age| h.age_band.at_least(age)))
    }

    /// Whether a budget cycle's vote is open only to residents of its area (credential
    /// holders), and from what age: `None` if it is open to every member.
    #[must_use]
    pub fn budget_residency(&self, cycle: &BudgetCycleId) -> Option<Option<u8>> {
        self.budget_residency.get(cycle).copied()
    }

    /// Whether a member of `area` may be on the roll of `cycle`'s vote opened at `at`.
    #[must_use]
    pub fn admits_to_budget(&self, cycle: &BudgetCycleId, area: &BodyId, account: &AccountId, at: Instant) -> bool {
        match self.budget_residency.get(cycle) {
            None => true,
            Some(min_age) => self.eligible(account, area, *min_age, at),
        }
    }

    /// The reads of one credential's personal data, oldest first.
    pub fn reads_of(&self, credential: u64) -> impl Iterator<Item = &PersonalDataRead> {
        self.reads.iter().filter(move |r| r.credential == credential)
    }

    /// Every legal demand, in id order (the order they were recorded).
    pub fn legal_demands(&self) -> impl Iterator<Item = &LegalDemand> {
        self.legal_demands.values()
    }

    fn existing(&self, number: u64) -> Result<&Enrolment, Refusal> {
        self.credentials.get(&number).ok_or_else(|| not_found(Thing::Credential, &number))
    }

    fn live(&self, number: u64) -> Result<&Enrolment, Refusal> {
        let enrolment = self.existing(number)?;
        match enrolment.erased {
            Some(_) => Err(Refusal::CredentialErased { number }),
            None => Ok(enrolment),
        }
    }

    pub(crate) fn apply(&mut self, event: &Event) -> Result<(), ReplayError> {
        let broken = |reason: String| ReplayError { kind: event.kind(), reason };
        match event.clone() {
            Event::RegistrarAppointed { registrar, at } => {
                self.registrars.insert(registrar, at);
            }
            Event::ResidentEnrolled { credential, area, age_band, expires_at, registrar, at } => {
                let enrolment =
                    Enrolment { number: credential, area, age_band, issued_at: at, expires_at, registrar, erased: None };
                if self.credentials.insert(credential, enrolment).is_some() {
                    return Err(broken(format!("credential {credential} was enrolled twice")));
                }
            }
            Event::CredentialClaimed { account, area, age_band, expires_at, at } => {
                self.holders.insert(account, Holding { area, age_band, expires_at, claimed_at: at });
            }
            Event::PersonalDataRead { credential, by, reason, at } => {
                self.reads.push(PersonalDataRead { credential, by, reason, at });
            }
            Event::PersonalDataErased { credential, reason, at } => {
                let enrolment = self
                    .credentials
                    .get_mut(&credential)
                    .ok_or_else(|| broken(format!("there is no credential {credential}")))?;
                enrolment.erased = Some((reason, at));
            }
            Event::LegalDemandRecorded { demand, received_at, details, recorded_by, at } => {
                self.legal_demands
                    .insert(demand.clone(), LegalDemand { id: demand, received_at, details, recorded_by, recorded_at: at });
            }
            Event::BudgetResidencyRequired { cycle, min_age, .. } => {
                self.budget_residency.insert(cycle, min_age);
            }
            _ => {}
        }
        Ok(())
    }
}

impl State {
    /// The registry: registrars, credentials, claims, reads and legal demands.
    #[must_use]
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The instance's operator appoints a registrar (from the command line: the operator is
    /// whoever runs the instance, not an account).
    pub fn appoint_registrar(&self, account: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(account)?;
        if self.registry.is_registrar(account) {
            return Err(Refusal::AlreadyARegistrar);
        }
        Ok(vec![Event::RegistrarAppointed { registrar: account.clone(), at }])
    }

    fn as_registrar(&self, who: &AccountId) -> Result<(), Refusal> {
        if self.registry.is_registrar(who) { Ok(()) } else { Err(Refusal::NotARegistrar) }
    }

    /// A registrar enrols a resident they have seen in person: the credential gets the next
    /// number. Its expiry must be after now and at most ten years away.
    pub fn enrol_resident(&self, enrol: EnrolResident, registrar: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.as_registrar(registrar)?;
        self.existing_body(&enrol.area)?;
        if enrol.expires_at <= at || enrol.expires_at > at.plus_seconds(MAX_VALIDITY_SECONDS) {
            return Err(Refusal::ExpiryOutOfRange);
        }
        Ok(vec![Event::ResidentEnrolled {
            credential: self.registry.next_number(),
            area: enrol.area,
            age_band: enrol.age_band,
            expires_at: enrol.expires_at,
            registrar: registrar.clone(),
            at,
        }])
    }

    /// An account claims credential `number` (the store has checked the one-time claim code):
    /// it becomes a member of the credential's area at once, whatever the assembly's charter
    /// says, since a registrar has verified residence in person.
    pub fn claim_credential(&self, number: u64, account: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_resident(account)?;
        let enrolment = self.registry.live(number)?;
        if at >= enrolment.expires_at {
            return Err(Refusal::CredentialExpired);
        }
        if self.registry.holders.contains_key(account) {
            return Err(Refusal::AlreadyHoldsCredential);
        }
        let body = self.existing_body(&enrolment.area)?;
        let mut events = vec![Event::CredentialClaimed {
            account: account.clone(),
            area: enrolment.area.clone(),
            age_band: enrolment.age_band,
            expires_at: enrolment.expires_at,
            at,
        }];
        if !body.is_member(account) {
            events.push(Event::MembershipGranted { body: body.id.clone(), resident: account.clone(), approved_by: None, at });
        }
        Ok(events)
    }

    /// A registrar reads a resident's personal data, for a reason they must give. The read is
    /// logged before the data is shown.
    pub fn read_personal_data(&self, number: u64, by: &AccountId, reason: Prose, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.as_registrar(by)?;
        self.registry.live(number)?;
        Ok(vec![Event::PersonalDataRead { credential: number, by: by.clone(), reason, at }])
    }

    /// Erases a resident's personal data (the store destroys the key). At expiry: only once
    /// the credential has expired (the caller adds the grace period). On request: at once
    /// (the caller checks that the holder or a registrar asked).
    pub fn erase_personal_data(&self, number: u64, reason: ErasureReason, at: Instant) -> Result<Vec<Event>, Refusal> {
        let enrolment = self.registry.live(number)?;
        if reason == ErasureReason::Expired && at < enrolment.expires_at {
            return Err(Refusal::NotYetExpired);
        }
        Ok(vec![Event::PersonalDataErased { credential: number, reason, at }])
    }

    /// A registrar records a legal demand for registry data. `details` is `None` when a court
    /// has sealed it: then only its existence and date are recorded.
    pub fn record_legal_demand(
        &self,
        demand: LegalDemandId,
        received_at: Instant,
        details: Option<DemandDetails>,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        self.as_registrar(by)?;
        if self.registry.legal_demands.contains_key(&demand) {
            return Err(crate::state::already_exists(Thing::LegalDemand, &demand));
        }
        if received_at > at {
            return Err(Refusal::InTheFuture);
        }
        Ok(vec![Event::LegalDemandRecorded { demand, received_at, details, recorded_by: by.clone(), at }])
    }

    /// A facilitator opens a budget cycle's vote only to residents of its area holding a
    /// valid credential, from `min_age` if given (before the vote opens; the roll is fixed then).
    pub fn require_budget_residency(
        &self,
        cycle: &BudgetCycleId,
        min_age: Option<u8>,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_cycle(cycle)?;
        if c.imported || !matches!(c.phase, Phase::Ideas | Phase::Development | Phase::Review) {
            return Err(Refusal::WrongPhase { phase: c.phase.name() });
        }
        self.as_facilitator(&c.body, by)?;
        Ok(vec![Event::BudgetResidencyRequired { cycle: cycle.clone(), min_age, by: by.clone(), at }])
    }
}
