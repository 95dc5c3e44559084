//! The domain as its users meet it: residents join assemblies, meetings are held, motions are
//! filed, amended and put to polls, and polls close with their results.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod amendment_votes;
mod budget;
mod budget_pabulib;
mod coalitions;
mod confederation;
mod flows;
mod poll_residency;
mod polls;
mod properties;
mod registry;
mod unlinkable;
mod world;
