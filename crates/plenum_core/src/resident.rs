//! Residents and their accounts. Only what others may see lives here (the id and the display
//! name); login names and password hashes are the store's and the web layer's business.

use crate::event::Event;
use crate::id::AccountId;
use crate::instant::Instant;
use crate::name::DisplayName;
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists};

/// A resident with an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resident {
    pub id: AccountId,
    pub display_name: DisplayName,
    pub registered_at: Instant,
}

impl State {
    /// A new account.
    pub fn register_resident(&self, resident: AccountId, display_name: DisplayName, at: Instant) -> Result<Vec<Event>, Refusal> {
        if self.residents.contains_key(&resident) {
            return Err(already_exists(Thing::Resident, &resident));
        }
        Ok(vec![Event::ResidentRegistered { resident, display_name, at }])
    }
}
