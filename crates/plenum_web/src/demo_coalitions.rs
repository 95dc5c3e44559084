//! The demo's coalitions: a city front of six organisations (consensus for admissions, the
//! maximum programme at two thirds) whose minimum and maximum programmes differ, a regional
//! alliance the city front belongs to and that shares one of its planks, and candidates with
//! pledges (one withdrawn, one elected official with a recorded vote).
//!
//! Ana Souza (`ana`) represents the tenants' union and acts for both coalitions; each other
//! organisation has its own representative among the demo people.

use std::collections::BTreeMap;

use plenum_core::charter::Fraction;
use plenum_core::{
    AccountId, CandidateId, CoalitionCharter, CoalitionRule, CreateOrganisation, DisplayName, EnterCandidate, Instant,
    OfficialVote, OrganisationId, PlankId, PlankText, Position, Prose, Title, VoteRecordId,
};
use plenum_store::Store;

use crate::demo::DemoError;
use crate::ids::new_id;

struct Seed<'s> {
    store: &'s Store,
    now: Instant,
    people: &'s BTreeMap<&'static str, AccountId>,
}

impl Seed<'_> {
    fn who(&self, login: &str) -> Result<AccountId, DemoError> {
        self.people.get(login).cloned().ok_or_else(|| DemoError::Other(format!("no demo person {login}")))
    }

    fn days_ago(&self, days: i64) -> Instant {
        self.now.plus_seconds(-days * 86_400)
    }

    fn organisation(name: &str, kind: &str, description: &str, contact: &str) -> Result<CreateOrganisation, DemoError> {
        Ok(CreateOrganisation {
            organisation: new_id(OrganisationId::parse)?,
            name: Title::parse(name)?,
            kind: Title::parse(kind)?,
            description: Prose::parse(description)?,
            contact: Title::parse(contact)?,
        })
    }

    async fn register(
        &self,
        by: &str,
        name: &str,
        kind: &str,
        description: &str,
        contact: &str,
    ) -> Result<OrganisationId, DemoError> {
        let new = Seed::organisation(name, kind, description, contact)?;
        let id = new.organisation.clone();
        let by = self.who(by)?;
        let at = self.days_ago(80);
        self.store.execute(|s| s.create_organisation(new, &by, at)).await?;
        Ok(id)
    }

    /// `org` (represented by `rep`) applies; every member agrees through its representative.
    async fn admit(&self, coalition: &OrganisationId, org: &OrganisationId, rep: &str, days_ago: i64) -> Result<(), DemoError> {
        let at = self.days_ago(days_ago);
        let rep = self.who(rep)?;
        self.store.execute(|s| s.apply_to_join(coalition, org, &rep, at)).await?;
        let roll = self.store.read(|s| s.coalition(coalition).and_then(|c| c.pending.get(org)).map(|p| p.roll.clone())).await;
        for member in roll.unwrap_or_default() {
            let member_rep = self.store.read(|s| s.organisation(&member).and_then(|o| o.representatives.first().cloned())).await;
            if let Some(member_rep) = member_rep {
                self.store.execute(|s| s.answer_membership(coalition, org, &member, true, &member_rep, at)).await?;
            }
        }
        Ok(())
    }

    async fn plank(
        &self,
        coalition: &OrganisationId,
        by: &str,
        title: &str,
        category: &str,
        text: &str,
    ) -> Result<PlankId, DemoError> {
        let plank = new_id(PlankId::parse)?;
        let wording = PlankText { title: Title::parse(title)?, text: Prose::parse(text)?, category: Title::parse(category)? };
        let by = self.who(by)?;
        let at = self.days_ago(40);
        self.store.execute(|s| s.propose_plank(plank.clone(), coalition, wording, &by, at)).await?;
        Ok(plank)
    }

    /// Each organisation's position, taken by its first representative.
    async fn positions(
        &self,
        coalition: &OrganisationId,
        plank: &PlankId,
        positions: Vec<(&OrganisationId, Position)>,
    ) -> Result<(), DemoError> {
        let at = self.days_ago(30);
        for (org, position) in positions {
            let (rep, version) = self
                .store
                .read(|s| {
                    let rep = s.organisation(org).and_then(|o| o.representatives.first().cloned());
                    (rep, s.plank(plank).map(plenum_core::platform::Plank::version))
                })
                .await;
            let (Some(rep), Some(version)) = (rep, version) else { continue };
            self.store.execute(|s| s.take_position(coalition, plank, org, version, position, &rep, at)).await?;
        }
        Ok(())
    }
}

fn text(t: &str) -> Result<Prose, DemoError> {
    Ok(Prose::parse(t)?)
}

/// Adds the coalitions to the demo instance.
pub async fn fill(store: &Store, people: &BTreeMap<&'static str, AccountId>, now: Instant) -> Result<(), DemoError> {
    let seed = Seed { store, now, people };
    let tenants = seed
        .register(
            "ana",
            "Riverside Tenants' Union",
            "Tenants' union",
            "Tenants organising building by building against evictions and for repairs.",
            "tenants@example.org",
        )
        .await?;
    let migrants = seed
        .register(
            "bilal",
            "Migrant Solidarity Network",
            "Immigrant-rights group",
            "Accompaniment, know-your-rights trainings and a rapid-response line.",
            "Calle del Puerto 12",
        )
        .await?;
    let blm = seed
        .register(
            "chen",
            "Black Lives Matter, City Chapter",
            "Racial justice organisation",
            "Organising for community safety beyond policing.",
            "blm-city@example.org",
        )
        .await?;
    let coop = seed
        .register(
            "dolores",
            "Harbour Workers' Cooperative",
            "Worker cooperative",
            "A cleaning and logistics cooperative owned by its 40 workers.",
            "https://harbour-coop.example.org",
        )
        .await?;
    let repro = seed
        .register(
            "emeka",
            "Reproductive Justice Collective",
            "Reproductive-rights group",
            "Clinic escorts, an abortion fund and sex education.",
            "rjc@example.org",
        )
        .await?;
    let climate = seed
        .register(
            "fatima",
            "Climate Neighbours",
            "Neighbourhood climate group",
            "Street-by-street retrofits, trees and safe cycling.",
            "climate@example.org",
        )
        .await?;

    // The city front: founded by the tenants' union, the others admitted by consensus.
    let front = Seed::organisation(
        "Front for a Just City",
        "Municipal coalition",
        "Six organisations building a common municipal programme and a slate of candidates pledged to it.",
        "front@example.org",
    )?;
    let front_id = front.organisation.clone();
    let charter =
        CoalitionCharter { rule: CoalitionRule::Consensus, maximum_share: Fraction::TWO_THIRDS, individuals_may_join: true };
    let ana = seed.who("ana")?;
    let at = seed.days_ago(75);
    store.execute(|s| s.found_coalition(front, charter, vec![tenants.clone()], &ana, at)).await?;
    for (i, (org, rep)) in [(&migrants, "bilal"), (&blm, "chen"), (&coop, "dolores"), (&repro, "emeka"), (&climate, "fatima")]
        .into_iter()
        .enumerate()
    {
        seed.admit(&front_id, org, rep, 70 - i64::try_from(i).unwrap_or(0) * 5).await?;
    }
    let jo = seed.who("jo")?;
    store.execute(|s| s.join_as_individual(&front_id, &jo, at)).await?;

    use Position::{Endorse, StandAside};
    let rent = seed
        .plank(
            &front_id,
            "ana",
            "Rent control and a right to counsel",
            "Housing",
            "Cap rent rises at inflation in every rented home, and give every tenant facing eviction a lawyer paid by the city.",
        )
        .await?;
    let sanctuary = seed
        .plank(&front_id, "bilal", "A sanctuary city in deed", "Migration", "No city employee or city data helps immigration enforcement; city services are open to every resident whatever their papers.")
        .await?;
    let safety = seed
        .plank(&front_id, "chen", "Fund community safety", "Safety", "Move a fifth of the police budget to violence interruption, mental-health crisis teams and youth centres over four years.")
        .await?;
    let clinics = seed
        .plank(
            &front_id,
            "emeka",
            "Clinic access and an abortion fund",
            "Health",
            "Protect access to every clinic and create a municipal fund for reproductive care.",
        )
        .await?;
    let coops = seed
        .plank(
            &front_id,
            "dolores",
            "A cooperative development fund",
            "Economy",
            "Give cooperatives first refusal on city contracts.",
        )
        .await?;
    // Amended after debate: the history keeps the first wording.
    let wording = PlankText {
        title: Title::parse("A cooperative development fund")?,
        text: text(
            "Create a fund for worker cooperatives and give them preference in city contracts, with a quarter of new contracts set aside for them.",
        )?,
        category: Title::parse("Economy")?,
    };
    let dolores = seed.who("dolores")?;
    let amended_at = seed.days_ago(35);
    store.execute(|s| s.amend_plank(&coops, wording, &dolores, amended_at)).await?;

    let all = [&tenants, &migrants, &blm, &coop, &repro, &climate];
    seed.positions(&front_id, &rent, all.iter().map(|o| (*o, Endorse)).collect()).await?;
    let mut sanctuary_positions: Vec<(&OrganisationId, Position)> = all.iter().map(|o| (*o, Endorse)).collect();
    sanctuary_positions[3].1 = Position::EndorseWithReservations {
        reservation: text("Our members ask that city contractors be bound too, not only city staff.")?,
    };
    seed.positions(&front_id, &sanctuary, sanctuary_positions).await?;
    seed.positions(
        &front_id,
        &safety,
        vec![
            (&tenants, Endorse),
            (&migrants, Endorse),
            (&blm, Endorse),
            (&coop, StandAside),
            (&repro, Endorse),
            (&climate, Position::Block { reasons: text("Our members have not discussed it yet; we ask for two more months.")? }),
        ],
    )
    .await?;
    seed.positions(
        &front_id,
        &clinics,
        vec![
            (&tenants, Endorse),
            (&migrants, Endorse),
            (&blm, Endorse),
            (&coop, StandAside),
            (&repro, Endorse),
            (&climate, Endorse),
        ],
    )
    .await?;
    seed.positions(
        &front_id,
        &coops,
        vec![
            (&tenants, StandAside),
            (&migrants, Endorse),
            (&blm, StandAside),
            (&coop, Endorse),
            (&repro, StandAside),
            (&climate, Endorse),
        ],
    )
    .await?;
    let adopted_at = seed.days_ago(25);
    for plank in [&rent, &sanctuary, &clinics] {
        store.execute(|s| s.adopt_plank(&front_id, plank, &ana, adopted_at)).await?;
    }

    // A regional alliance the city front belongs to; it shares the rent plank.
    let region = Seed::organisation(
        "Regional Alliance for Housing",
        "Regional coalition",
        "City fronts and regional unions campaigning for housing across the region.",
        "alliance@example.org",
    )?;
    let region_id = region.organisation.clone();
    let regional_charter = CoalitionCharter {
        rule: CoalitionRule::Supermajority { share: Fraction::TWO_THIRDS },
        maximum_share: Fraction::HALF,
        individuals_may_join: false,
    };
    let founded_at = seed.days_ago(20);
    store.execute(|s| s.found_coalition(region, regional_charter, vec![front_id.clone()], &ana, founded_at)).await?;
    store.execute(|s| s.share_plank(&rent, &region_id, &ana, founded_at)).await?;
    let position_at = seed.days_ago(19);
    store.execute(|s| s.take_position(&region_id, &rent, &front_id, 1, Endorse, &ana, position_at)).await?;

    // Candidates: one entered by the front (elected, with a vote on record), one with her own
    // profile who later withdrew one pledge.
    let marisol = new_id(CandidateId::parse)?;
    let entered = EnterCandidate {
        candidate: marisol.clone(),
        name: DisplayName::parse("Marisol Vega")?,
        office: Title::parse("City council, Riverside ward")?,
        statement: Some(text("A tenant organiser for fifteen years.")?),
        coalition: Some(front_id.clone()),
    };
    let entered_at = seed.days_ago(18);
    store.execute(|s| s.enter_candidate(entered, &ana, entered_at)).await?;
    let signature = DisplayName::parse("Marisol Vega")?;
    for plank in [&rent, &sanctuary, &safety, &clinics] {
        store.execute(|s| s.sign_pledge(&marisol, &front_id, plank, signature.clone(), &ana, entered_at)).await?;
    }
    let elected_at = seed.days_ago(10);
    store.execute(|s| s.record_elected(&marisol, &ana, elected_at)).await?;
    let record = new_id(VoteRecordId::parse)?;
    let question = Title::parse("Ordinance 2026-14: rent stabilisation")?;
    let voted_at = seed.days_ago(3);
    store
        .execute(|s| {
            s.record_official_vote(
                record,
                &marisol,
                &front_id,
                &rent,
                question,
                OfficialVote::WithThePledge,
                voted_at,
                &ana,
                voted_at,
            )
        })
        .await?;

    let jo_candidate = new_id(CandidateId::parse)?;
    let own = EnterCandidate {
        candidate: jo_candidate.clone(),
        name: DisplayName::parse("Jo Murphy")?,
        office: Title::parse("City council, Harbour ward")?,
        statement: None,
        coalition: None,
    };
    store.execute(|s| s.enter_candidate(own, &jo, entered_at)).await?;
    let signature = DisplayName::parse("Jo Murphy")?;
    for plank in [&rent, &sanctuary, &coops] {
        store.execute(|s| s.sign_pledge(&jo_candidate, &front_id, plank, signature.clone(), &jo, entered_at)).await?;
    }
    let reason = Some(text("I cannot promise a quarter of contracts before seeing the budget.")?);
    let withdrawn_at = seed.days_ago(6);
    store.execute(|s| s.withdraw_pledge(&jo_candidate, &front_id, &coops, reason, &jo, withdrawn_at)).await?;
    Ok(())
}
