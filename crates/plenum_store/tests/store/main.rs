//! The store on both engines: every scenario runs once on SQLite (a temporary directory) and
//! once on PostgreSQL (a fresh database on the server named by `PLENUM_TEST_POSTGRES_URL`).

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod budget;
mod coalitions;
mod confederation;
mod engine;
mod group_commit;
mod paper_ballots;
mod poll_residency;
mod registry;
mod scenarios;
mod tamper;
mod unlinkable;
