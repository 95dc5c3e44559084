//! Sortition: seats filled by lot among volunteers, verifiably.
//!
//! 1. A facilitator of the constituent announces the draw with a **commitment**: the SHA-256 of
//!    a secret 32-byte seed, in hexadecimal, published before the volunteer list closes.
//! 2. Members volunteer until the list closes (each may name a category, e.g. an area).
//! 3. After it closes, the seed is **revealed** at the draw; anyone can check that its SHA-256
//!    is the commitment, so the seed was fixed before anyone knew who would volunteer.
//! 4. [`draw`] picks the delegates, deterministically from the seed:
//!    - the volunteers are sorted by account id;
//!    - random numbers come from SHA-256 in counter mode: the *k*-th number (k = 0, 1, …) is the
//!      first 8 bytes, big-endian, of SHA-256(`"plenum-sortition-v1"` ‖ seed ‖ round as 4 bytes
//!      big-endian ‖ k as 8 bytes big-endian); a number below *n* is drawn by rejection (numbers
//!      at or above the largest multiple of *n* that fits in 64 bits are skipped), so every
//!      choice is exactly uniform;
//!    - first each quota in the order listed: while fewer than its minimum of its category
//!      have been drawn and volunteers of the category remain, one of them is drawn (the
//!      drawn index into those remaining, in id order);
//!    - then the seats left are drawn one at a time among all remaining volunteers.
//!
//! The main draw is round 0. A vacancy redrawn later is round 1, 2, … of the same seed, among
//! the volunteers never drawn, with a quota of one for the departed delegate's category.
//!
//! `plenum verify` repeats every draw from the log and must get the same people.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::delegate::Seat;
use crate::event::Event;
use crate::id::{AccountId, BodyId, DrawId};
use crate::instant::Instant;
use crate::name::Title;
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

/// At least `at_least` of the drawn must come from volunteers of this category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub category: Title,
    pub at_least: u32,
}

/// A volunteer and the category they named, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volunteer {
    pub resident: AccountId,
    pub category: Option<Title>,
}

/// A 32-byte value written as 64 lowercase hexadecimal digits: a seed or its commitment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Hex32([u8; 32]);

impl Hex32 {
    pub fn parse(text: &str) -> Result<Hex32, Refusal> {
        let text = text.trim();
        if text.len() != 64 || !text.is_ascii() {
            return Err(Refusal::BadSeed);
        }
        let mut bytes = [0u8; 32];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| Refusal::BadSeed)?;
        }
        Ok(Hex32(bytes))
    }

    #[must_use]
    pub fn from_bytes(bytes: [u8; 32]) -> Hex32 {
        Hex32(bytes)
    }

    #[must_use]
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The commitment to this seed: its SHA-256.
    #[must_use]
    pub fn commitment(&self) -> Hex32 {
        Hex32(Sha256::digest(self.0).into())
    }
}

impl std::fmt::Display for Hex32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for Hex32 {
    type Error = Refusal;
    fn try_from(text: String) -> Result<Hex32, Refusal> {
        Hex32::parse(&text)
    }
}

impl From<Hex32> for String {
    fn from(h: Hex32) -> String {
        h.to_string()
    }
}

/// The random stream of one round of a draw.
struct Stream<'a> {
    seed: &'a [u8; 32],
    round: u32,
    k: u64,
}

impl Stream<'_> {
    fn next(&mut self) -> u64 {
        let mut h = Sha256::new();
        h.update(b"plenum-sortition-v1");
        h.update(self.seed);
        h.update(self.round.to_be_bytes());
        h.update(self.k.to_be_bytes());
        self.k += 1;
        let digest = h.finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(first)
    }

    /// Uniform below `n` (> 0), by rejection.
    fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - (u64::MAX % n + 1) % n;
        loop {
            let x = self.next();
            if x <= zone {
                return x % n;
            }
        }
    }
}

/// Draws `seats` of the volunteers (see the module documentation). The same seed, round,
/// volunteers, seats and quotas always give the same people, in the order drawn.
#[must_use]
pub fn draw(seed: &Hex32, round: u32, volunteers: &[Volunteer], seats: u32, quotas: &[Quota]) -> Vec<AccountId> {
    let mut pool: Vec<&Volunteer> = volunteers.iter().collect();
    pool.sort_by(|a, b| a.resident.cmp(&b.resident));
    pool.dedup_by(|a, b| a.resident == b.resident);
    let mut stream = Stream { seed: &seed.0, round, k: 0 };
    let seats = usize::try_from(seats).unwrap_or(usize::MAX);
    let mut drawn: Vec<&Volunteer> = Vec::new();
    for quota in quotas {
        let want = usize::try_from(quota.at_least).unwrap_or(usize::MAX);
        while drawn.len() < seats && drawn.iter().filter(|v| v.category.as_ref() == Some(&quota.category)).count() < want {
            let eligible: Vec<usize> = (0..pool.len()).filter(|&i| pool[i].category.as_ref() == Some(&quota.category)).collect();
            if eligible.is_empty() {
                break;
            }
            let pick = eligible[usize::try_from(stream.below(eligible.len() as u64)).unwrap_or(0)];
            drawn.push(pool.remove(pick));
        }
    }
    while drawn.len() < seats && !pool.is_empty() {
        let pick = usize::try_from(stream.below(pool.len() as u64)).unwrap_or(0);
        drawn.push(pool.remove(pick));
    }
    drawn.into_iter().map(|v| v.resident.clone()).collect()
}

/// A vacancy redrawn: the round of the seed's stream, whose seat it was and who was drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redraw {
    pub round: u32,
    pub departed: AccountId,
    pub drawn: AccountId,
}

/// A draw, from its announcement to the people drawn (and redrawn).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    pub id: DrawId,
    pub council: BodyId,
    pub constituent: BodyId,
    pub seats: u32,
    pub commitment: Hex32,
    pub volunteers_close_at: Instant,
    pub quotas: Vec<Quota>,
    pub term_ends: Instant,
    pub announced_at: Instant,
    pub volunteers: Vec<Volunteer>,
    /// The revealed seed and the people drawn in round 0, once held.
    pub held: Option<(Hex32, Vec<AccountId>)>,
    /// Vacancies redrawn, in order.
    pub redraws: Vec<Redraw>,
}

impl Draw {
    /// Everyone drawn so far, in every round.
    pub fn everyone_drawn(&self) -> impl Iterator<Item = &AccountId> {
        self.held.iter().flat_map(|(_, d)| d.iter()).chain(self.redraws.iter().map(|r| &r.drawn))
    }

    /// The volunteers a redraw of `round` chooses from: those never drawn before it.
    #[must_use]
    pub fn pool_for_redraw(&self, round: u32) -> Vec<Volunteer> {
        let before: Vec<&AccountId> = self
            .held
            .iter()
            .flat_map(|(_, d)| d.iter())
            .chain(self.redraws.iter().filter(|r| r.round < round).map(|r| &r.drawn))
            .collect();
        self.volunteers.iter().filter(|v| !before.contains(&&v.resident)).cloned().collect()
    }

    /// The quota a redraw keeps: one of the departed delegate's category, if a quota named it.
    #[must_use]
    pub fn redraw_quota(&self, departed: &AccountId) -> Vec<Quota> {
        let category = self.volunteers.iter().find(|v| &v.resident == departed).and_then(|v| v.category.clone());
        match category {
            Some(c) if self.quotas.iter().any(|q| q.category == c) => vec![Quota { category: c, at_least: 1 }],
            _ => Vec::new(),
        }
    }

    /// The next redraw for a vacated seat, if the draw was held and someone is left.
    pub(crate) fn redraw(&self, seat: &Seat) -> Option<(u32, AccountId)> {
        let (seed, _) = self.held.as_ref()?;
        let round = u32::try_from(self.redraws.len()).ok()? + 1;
        let pool = self.pool_for_redraw(round);
        let next = draw(seed, round, &pool, 1, &self.redraw_quota(&seat.delegate)).into_iter().next()?;
        Some((round, next))
    }

    /// Repeats the draw and every redraw from the seed; `Err` names the first that differs.
    pub fn repeat(&self) -> Result<(), String> {
        let Some((seed, drawn)) = &self.held else { return Ok(()) };
        if seed.commitment() != self.commitment {
            return Err(format!("draw {}: the seed does not match the commitment", self.id));
        }
        let again = draw(seed, 0, &self.volunteers, self.seats, &self.quotas);
        if &again != drawn {
            return Err(format!("draw {}: the seed draws {again:?}, the log says {drawn:?}", self.id));
        }
        for r in &self.redraws {
            let again = draw(seed, r.round, &self.pool_for_redraw(r.round), 1, &self.redraw_quota(&r.departed));
            if again.first() != Some(&r.drawn) {
                return Err(format!("draw {} round {}: the seed draws {again:?}, the log says {}", self.id, r.round, r.drawn));
            }
        }
        Ok(())
    }
}

/// What is needed to announce a draw.
#[derive(Debug, Clone)]
pub struct AnnounceDraw {
    pub draw: DrawId,
    pub council: BodyId,
    pub constituent: BodyId,
    pub commitment: Hex32,
    pub volunteers_close_at: Instant,
    pub quotas: Vec<Quota>,
    pub term_ends: Instant,
}

impl State {
    #[must_use]
    pub fn draw(&self, id: &DrawId) -> Option<&Draw> {
        self.confederation.draws.get(id)
    }

    /// Every draw, in id order.
    pub fn draws(&self) -> impl Iterator<Item = &Draw> {
        self.confederation.draws.values()
    }

    fn existing_draw(&self, id: &DrawId) -> Result<&Draw, Refusal> {
        self.confederation.draws.get(id).ok_or_else(|| not_found(Thing::Draw, id))
    }

    /// A facilitator of a constituent that fills its seats by lot announces a draw with the
    /// commitment to its seed.
    pub fn announce_draw(&self, new: AnnounceDraw, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let council = self.existing_council(&new.council)?;
        let constituent = council
            .constituent(&new.constituent)
            .ok_or_else(|| Refusal::NotAConstituent { body: new.constituent.to_string() })?;
        self.as_facilitator(&new.constituent, by)?;
        if constituent.rules.selection != crate::council::Selection::Sortition {
            return Err(Refusal::WrongSelection { method: constituent.rules.selection.name() });
        }
        if self.confederation.draws.contains_key(&new.draw) {
            return Err(already_exists(Thing::Draw, &new.draw));
        }
        if new.volunteers_close_at <= at || new.term_ends <= new.volunteers_close_at {
            return Err(Refusal::InThePast);
        }
        let quota_total: u64 = new.quotas.iter().map(|q| u64::from(q.at_least)).sum();
        if quota_total > u64::from(constituent.seats) {
            return Err(Refusal::BadSeats { reason: "the quotas ask for more people than there are seats".to_owned() });
        }
        Ok(vec![Event::DrawAnnounced {
            draw: new.draw,
            council: new.council,
            constituent: new.constituent,
            seats: constituent.seats,
            commitment: new.commitment,
            volunteers_close_at: new.volunteers_close_at,
            quotas: new.quotas,
            term_ends: new.term_ends,
            by: by.clone(),
            at,
        }])
    }

    /// A member of the constituent volunteers, before the list closes.
    pub fn volunteer(&self, draw: &DrawId, category: Option<Title>, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let d = self.existing_draw(draw)?;
        self.as_member(&d.constituent, by)?;
        if at >= d.volunteers_close_at {
            return Err(Refusal::VolunteeringClosed { closes_at: d.volunteers_close_at });
        }
        if d.volunteers.iter().any(|v| &v.resident == by) {
            return Err(Refusal::AlreadyVolunteered);
        }
        self.check_term_limit(&d.council, &d.constituent, by)?;
        Ok(vec![Event::VolunteerEnrolled { draw: draw.clone(), resident: by.clone(), category, at }])
    }

    /// A facilitator of the constituent reveals the seed after the list closed; the draw seats
    /// the people it picks for a new term.
    pub fn hold_draw(&self, draw: &DrawId, seed: Hex32, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        let d = self.existing_draw(draw)?;
        self.as_facilitator(&d.constituent, by)?;
        if d.held.is_some() {
            return Err(Refusal::AlreadyDrawn);
        }
        if at < d.volunteers_close_at {
            return Err(Refusal::VolunteeringStillOpen { closes_at: d.volunteers_close_at });
        }
        if seed.commitment() != d.commitment {
            return Err(Refusal::SeedMismatch);
        }
        let drawn = self::draw(&seed, 0, &d.volunteers, d.seats, &d.quotas);
        let round = self.delegation(&d.council, &d.constituent).map_or(0, |d| d.round) + 1;
        Ok(vec![Event::DrawHeld { draw: draw.clone(), round, seed, drawn, at }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(n: u64) -> Vec<Volunteer> {
        (0..n)
            .map(|i| Volunteer {
                resident: AccountId::parse(&format!("01968a3c-0000-7000-8000-{i:012x}")).unwrap(),
                category: Some(Title::parse(if i % 3 == 0 { "north" } else { "south" }).unwrap()),
            })
            .collect()
    }

    #[test]
    fn the_commitment_is_the_sha256_of_the_seed() {
        let seed = Hex32::from_bytes([0; 32]);
        assert_eq!(seed.commitment().to_string(), "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
        assert_eq!(Hex32::parse(&seed.to_string()).unwrap(), seed);
        assert!(Hex32::parse("zz").is_err());
    }

    #[test]
    fn quotas_are_met_when_volunteers_allow() {
        let seed = Hex32::from_bytes([7; 32]);
        let vs = people(12);
        let north = Title::parse("north").unwrap();
        let drawn = draw(&seed, 0, &vs, 3, &[Quota { category: north.clone(), at_least: 2 }]);
        assert_eq!(drawn.len(), 3);
        let n = drawn.iter().filter(|d| vs.iter().any(|v| &v.resident == *d && v.category.as_ref() == Some(&north))).count();
        assert!(n >= 2);
        // Fewer volunteers than seats: everyone is drawn.
        assert_eq!(draw(&seed, 0, &vs[..2], 3, &[]).len(), 2);
    }
}
