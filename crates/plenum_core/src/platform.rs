//! Platforms: planks proposed, amended (every version kept) and adopted by a coalition's rule;
//! each member organisation's position on each plank; and the programmes computed from them.
//!
//! The **minimum programme** is the planks every member endorses (with or without reservations)
//! and nobody blocks; the **maximum programme** is the planks endorsed by at least the charter's
//! share of the members. Both are counted exactly, over the members' positions on each plank's
//! current version; a position on an earlier version is history and does not count. Since
//! `⌈share × n⌉ ≤ n`, the minimum programme is always inside the maximum one.

use serde::{Deserialize, Serialize};

use crate::coalition::{Coalition, CoalitionRule, Coalitions, at_least, broken};
use crate::event::Event;
use crate::id::{AccountId, OrganisationId, PlankId};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::refusal::{Refusal, ReplayError, Thing};
use crate::state::{State, already_exists, not_found};

/// A member organisation's position on a plank.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "stance", rename_all = "snake_case", deny_unknown_fields)]
pub enum Position {
    Endorse,
    EndorseWithReservations { reservation: Prose },
    StandAside,
    Block { reasons: Prose },
}

impl Position {
    /// Whether the position counts as an endorsement (reservations included).
    #[must_use]
    pub fn endorses(&self) -> bool {
        matches!(self, Position::Endorse | Position::EndorseWithReservations { .. })
    }

    #[must_use]
    pub fn blocks(&self) -> bool {
        matches!(self, Position::Block { .. })
    }

    /// The stance's snake_case name (`endorse`, `block`, …).
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Position::Endorse => "endorse",
            Position::EndorseWithReservations { .. } => "endorse_with_reservations",
            Position::StandAside => "stand_aside",
            Position::Block { .. } => "block",
        }
    }

    /// The reservation or the reasons, if the stance carries a text.
    #[must_use]
    pub fn text(&self) -> Option<&Prose> {
        match self {
            Position::EndorseWithReservations { reservation } => Some(reservation),
            Position::Block { reasons } => Some(reasons),
            Position::Endorse | Position::StandAside => None,
        }
    }
}

/// One wording of a plank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlankVersion {
    pub title: Title,
    pub text: Prose,
    pub category: Title,
    pub by: AccountId,
    pub at: Instant,
}

/// A plank, with every version it has had; the last is the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plank {
    pub id: PlankId,
    /// The coalition whose platform it was first proposed for.
    pub origin: OrganisationId,
    pub versions: Vec<PlankVersion>,
}

impl Plank {
    /// The current version's number (1 for a plank never amended).
    #[must_use]
    pub fn version(&self) -> u32 {
        u32::try_from(self.versions.len()).unwrap_or(u32::MAX)
    }

    #[must_use]
    pub fn current(&self) -> Option<&PlankVersion> {
        self.versions.last()
    }
}

/// A member's position as recorded, with the version it was taken on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stand {
    pub position: Position,
    pub version: u32,
    pub by: AccountId,
    pub at: Instant,
}

/// A plank's place on one coalition's platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlatformEntry {
    pub plank: PlankId,
    pub added_at: Instant,
    /// The version adopted last, and when.
    pub adopted: Option<(u32, Instant)>,
    pub positions: std::collections::BTreeMap<OrganisationId, Stand>,
}

impl PlatformEntry {
    /// The position of `member` on `version`, if it took one on that version.
    #[must_use]
    pub fn position_on(&self, member: &OrganisationId, version: u32) -> Option<&Position> {
        self.positions.get(member).filter(|s| s.version == version).map(|s| &s.position)
    }
}

/// How the members stand on one plank's current version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub members: u64,
    pub endorse: u64,
    pub reservations: u64,
    pub stand_aside: u64,
    pub block: u64,
    /// Members with no position on the current version.
    pub silent: u64,
}

impl Count {
    /// Endorsements with and without reservations.
    #[must_use]
    pub fn endorsements(&self) -> u64 {
        self.endorse + self.reservations
    }
}

/// One plank of a programme comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeRow {
    pub plank: PlankId,
    pub version: u32,
    pub adopted: bool,
    pub count: Count,
    pub in_minimum: bool,
    pub in_maximum: bool,
}

/// The programme comparison: every plank of the platform, in platform order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub rows: Vec<ProgrammeRow>,
    /// Endorsements a plank needs for the maximum programme.
    pub maximum_needs: u64,
}

impl Programme {
    pub fn minimum(&self) -> impl Iterator<Item = &ProgrammeRow> {
        self.rows.iter().filter(|r| r.in_minimum)
    }

    pub fn maximum(&self) -> impl Iterator<Item = &ProgrammeRow> {
        self.rows.iter().filter(|r| r.in_maximum)
    }
}

impl Coalition {
    /// How the members stand on a plank at `version`.
    #[must_use]
    pub fn count(&self, entry: &PlatformEntry, version: u32) -> Count {
        let mut count = Count { members: self.members.len() as u64, ..Count::default() };
        for member in self.members.keys() {
            match entry.position_on(member, version) {
                Some(Position::Endorse) => count.endorse += 1,
                Some(Position::EndorseWithReservations { .. }) => count.reservations += 1,
                Some(Position::StandAside) => count.stand_aside += 1,
                Some(Position::Block { .. }) => count.block += 1,
                None => count.silent += 1,
            }
        }
        count
    }

    /// Whether the rule adopts a plank with this count, and if not, why.
    pub fn adoptable(&self, count: &Count) -> Result<(), String> {
        if count.members == 0 {
            return Err("the coalition has no members".to_owned());
        }
        match self.charter.rule {
            CoalitionRule::Consensus => {
                if count.block > 0 {
                    Err(format!("{} member(s) block it", count.block))
                } else if count.silent > 0 {
                    Err(format!("{} member(s) have taken no position on the current text", count.silent))
                } else if count.endorsements() == 0 {
                    Err("no member endorses it".to_owned())
                } else {
                    Ok(())
                }
            }
            CoalitionRule::Supermajority { share } => {
                let needed = at_least(share, count.members);
                if count.endorsements() >= needed {
                    Ok(())
                } else {
                    Err(format!("{} of {} members endorse it, {needed} are needed", count.endorsements(), count.members))
                }
            }
        }
    }
}

/// A plank's wording, as given to `propose_plank` and `amend_plank`.
#[derive(Debug, Clone)]
pub struct PlankText {
    pub title: Title,
    pub text: Prose,
    pub category: Title,
}

impl State {
    #[must_use]
    pub fn plank(&self, id: &PlankId) -> Option<&Plank> {
        self.coalitions.planks.get(id)
    }

    /// The coalitions whose platforms carry a plank, in id order.
    pub fn platforms_with<'a>(&'a self, plank: &'a PlankId) -> impl Iterator<Item = &'a crate::coalition::Organisation> {
        self.organisations().filter(move |o| o.coalition.as_ref().is_some_and(|c| c.entry(plank).is_some()))
    }

    pub(crate) fn existing_plank(&self, id: &PlankId) -> Result<&Plank, Refusal> {
        self.plank(id).ok_or_else(|| not_found(Thing::Plank, id))
    }

    /// The minimum and maximum programmes of a coalition, side by side.
    #[must_use]
    pub fn programme(&self, coalition: &Coalition) -> Programme {
        let members = coalition.members.len() as u64;
        let maximum_needs = at_least(coalition.charter.maximum_share, members);
        let rows = coalition
            .platform
            .iter()
            .filter_map(|entry| {
                let version = self.plank(&entry.plank)?.version();
                let count = coalition.count(entry, version);
                Some(ProgrammeRow {
                    plank: entry.plank.clone(),
                    version,
                    adopted: entry.adopted.is_some_and(|(v, _)| v == version),
                    count,
                    in_minimum: members > 0 && count.endorsements() == members,
                    in_maximum: members > 0 && count.endorsements() >= maximum_needs,
                })
            })
            .collect();
        Programme { rows, maximum_needs }
    }

    /// A representative of a member proposes a plank for the coalition's platform.
    pub fn propose_plank(
        &self,
        plank: PlankId,
        coalition: &OrganisationId,
        wording: PlankText,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        self.as_coalition_member(coalition, by)?;
        if self.coalitions.planks.contains_key(&plank) {
            return Err(already_exists(Thing::Plank, &plank));
        }
        Ok(vec![Event::PlankProposed {
            plank,
            coalition: coalition.clone(),
            title: wording.title,
            text: wording.text,
            category: wording.category,
            by: by.clone(),
            at,
        }])
    }

    /// A representative of a member of any coalition carrying the plank amends its wording.
    pub fn amend_plank(&self, plank: &PlankId, wording: PlankText, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let p = self.existing_plank(plank)?;
        let may = self.platforms_with(plank).any(|o| self.as_coalition_member(&o.id, by).is_ok());
        if !may {
            return Err(Refusal::NotACoalitionMember);
        }
        Ok(vec![Event::PlankAmended {
            plank: plank.clone(),
            version: p.version().saturating_add(1),
            title: wording.title,
            text: wording.text,
            category: wording.category,
            by: by.clone(),
            at,
        }])
    }

    /// A representative of a member puts a plank of another platform on this one too.
    pub fn share_plank(
        &self,
        plank: &PlankId,
        coalition: &OrganisationId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        self.existing_plank(plank)?;
        let c = self.as_coalition_member(coalition, by)?;
        if c.entry(plank).is_some() {
            return Err(Refusal::PlankAlreadyOnPlatform);
        }
        Ok(vec![Event::PlankShared { plank: plank.clone(), coalition: coalition.clone(), by: by.clone(), at }])
    }

    /// A member organisation's representative takes (or changes) its position on a plank's
    /// current version; `version` is the one they read, so a position on text amended since is
    /// refused rather than counted for words nobody saw.
    #[expect(clippy::too_many_arguments, reason = "one command, all its parts named")]
    pub fn take_position(
        &self,
        coalition: &OrganisationId,
        plank: &PlankId,
        organisation: &OrganisationId,
        version: u32,
        position: Position,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.existing_coalition(coalition)?;
        self.as_representative(organisation, by)?;
        if !c.is_member(organisation) {
            return Err(Refusal::NotInCoalition);
        }
        if c.entry(plank).is_none() {
            return Err(Refusal::PlankNotOnPlatform);
        }
        let current = self.existing_plank(plank)?.version();
        if version != current {
            return Err(Refusal::StaleVersion { version });
        }
        Ok(vec![Event::PositionTaken {
            coalition: coalition.clone(),
            plank: plank.clone(),
            organisation: organisation.clone(),
            version,
            position,
            by: by.clone(),
            at,
        }])
    }

    /// A representative of a member asks the coalition to adopt a plank's current version; the
    /// charter's rule decides from the members' positions.
    pub fn adopt_plank(
        &self,
        coalition: &OrganisationId,
        plank: &PlankId,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let c = self.as_coalition_member(coalition, by)?;
        let entry = c.entry(plank).ok_or(Refusal::PlankNotOnPlatform)?;
        let version = self.existing_plank(plank)?.version();
        if entry.adopted.is_some_and(|(v, _)| v == version) {
            return Err(Refusal::PlankAlreadyAdopted);
        }
        let count = c.count(entry, version);
        c.adoptable(&count).map_err(|reason| Refusal::PlankNotAdoptable { reason })?;
        Ok(vec![Event::PlankAdopted {
            coalition: coalition.clone(),
            plank: plank.clone(),
            version,
            endorsements: count.endorsements(),
            blocks: count.block,
            members: count.members,
            by: by.clone(),
            at,
        }])
    }
}

impl Coalitions {
    pub(crate) fn apply_platform(&mut self, event: &Event) -> Result<(), ReplayError> {
        match event {
            Event::PlankProposed { plank, coalition, title, text, category, by, at } => {
                let version = PlankVersion {
                    title: title.clone(),
                    text: text.clone(),
                    category: category.clone(),
                    by: by.clone(),
                    at: *at,
                };
                self.planks
                    .insert(plank.clone(), Plank { id: plank.clone(), origin: coalition.clone(), versions: vec![version] });
                let c = self.coalition_mut(event, coalition)?;
                c.platform.push(PlatformEntry {
                    plank: plank.clone(),
                    added_at: *at,
                    adopted: None,
                    positions: Default::default(),
                });
            }
            Event::PlankAmended { plank, title, text, category, by, at, .. } => {
                let p = self.planks.get_mut(plank).ok_or_else(|| broken(event, format!("there is no plank {plank}")))?;
                p.versions.push(PlankVersion {
                    title: title.clone(),
                    text: text.clone(),
                    category: category.clone(),
                    by: by.clone(),
                    at: *at,
                });
            }
            Event::PlankShared { plank, coalition, at, .. } => {
                let c = self.coalition_mut(event, coalition)?;
                c.platform.push(PlatformEntry {
                    plank: plank.clone(),
                    added_at: *at,
                    adopted: None,
                    positions: Default::default(),
                });
            }
            Event::PositionTaken { coalition, plank, organisation, version, position, by, at } => {
                let c = self.coalition_mut(event, coalition)?;
                let entry = c
                    .platform
                    .iter_mut()
                    .find(|e| &e.plank == plank)
                    .ok_or_else(|| broken(event, "plank not on platform".to_owned()))?;
                entry.positions.insert(
                    organisation.clone(),
                    Stand { position: position.clone(), version: *version, by: by.clone(), at: *at },
                );
            }
            Event::PlankAdopted { coalition, plank, version, at, .. } => {
                let c = self.coalition_mut(event, coalition)?;
                let entry = c
                    .platform
                    .iter_mut()
                    .find(|e| &e.plank == plank)
                    .ok_or_else(|| broken(event, "plank not on platform".to_owned()))?;
                entry.adopted = Some((*version, *at));
            }
            other => return Err(broken(other, "not a platform event".to_owned())),
        }
        Ok(())
    }
}
