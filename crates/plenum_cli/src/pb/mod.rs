//! `plenum pb …`: participatory budgeting on Pabulib files.

mod bench;
mod check;
mod cycle;
mod explain;
mod rule_args;
mod tally;

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use plenum_choice::pb::{Election, pabulib};

use crate::files::read_limited;
pub use crate::report::Format;

/// The largest Pabulib file Plenum reads (the largest real one is about 4 MB).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Subcommand)]
pub enum PbCommand {
    /// Run a rule on Pabulib files and print the funded projects.
    Tally(tally::TallyArgs),
    /// Validate Pabulib files: structure and consistency, as pabulib's checker does.
    Check(check::CheckArgs),
    /// Say why each project (or one) was or was not funded.
    Explain(explain::ExplainArgs),
    /// Measure: tally a directory of files with each rule, print files/s and the slowest file.
    Bench(bench::BenchArgs),
    /// Write an instance's budget cycle as Pabulib files (one per pot).
    Export(cycle::ExportArgs),
    /// Import a real Pabulib election into an instance as a closed budget cycle of an assembly.
    Import(cycle::ImportArgs),
}

pub fn run(command: PbCommand) -> anyhow::Result<ExitCode> {
    match command {
        PbCommand::Tally(args) => tally::run(args),
        PbCommand::Check(args) => check::run(args),
        PbCommand::Explain(args) => explain::run(args),
        PbCommand::Bench(args) => bench::run(args),
        PbCommand::Export(args) => cycle::export(args),
        PbCommand::Import(args) => cycle::import(args),
    }
}

/// Reads a Pabulib file, refusing one larger than [`MAX_FILE_BYTES`] before parsing it.
pub fn load(path: &Path) -> Result<Election, String> {
    let name = path.display().to_string();
    let bytes = read_limited(path, MAX_FILE_BYTES)?;
    pabulib::read(&name, &bytes).map_err(|e| e.to_string())
}
