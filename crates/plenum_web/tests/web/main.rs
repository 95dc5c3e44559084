//! The web application in-process (`tower::ServiceExt::oneshot`), over a fresh database on
//! each engine: SQLite in a temporary directory, and PostgreSQL on the server named by
//! `PLENUM_TEST_POSTGRES_URL` (a new database per test), as the store's tests do.

#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod api;
mod budget;
mod budget_decimals;
mod charter;
mod civic;
mod coalitions;
mod confederation;
mod confederation_writes;
mod credentials;
mod engine;
mod flows;
mod pages;
mod paper_ballots;
mod registry;
mod unlinkable;
