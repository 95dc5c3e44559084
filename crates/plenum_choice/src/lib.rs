//! Exact social choice for Plenum, usable on its own.
//!
//! - [`pb`]: participatory budgeting: Pabulib files, their checks, and the rules that fund
//!   projects (greedy as cities use it, utilitarian greedy, the Method of Equal Shares,
//!   sequential Phragmén, maximum welfare).
//! - [`vote`]: voting: motions, single- and multi-winner methods (IRV, STV, Schulze, …), PrefLib
//!   and BLT files.
//! - [`rational`]: the exact numbers every rule counts with.
//!
//! The crate is pure: no IO beyond `Read`/`Write`, no clock, no randomness from the system, no
//! async. The same input gives the same outcome on every machine.

pub mod file;
pub mod pb;
pub mod rational;
pub mod vote;

pub use rational::Rational;
