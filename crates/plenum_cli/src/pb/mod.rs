//! `plenum pb …`: participatory budgeting on Pabulib files.

mod bench;
mod check;
mod explain;
mod rule_args;
mod tally;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use plenum_choice::pb::{Election, pabulib};

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
}

pub fn run(command: PbCommand) -> anyhow::Result<ExitCode> {
    match command {
        PbCommand::Tally(args) => tally::run(args),
        PbCommand::Check(args) => check::run(args),
        PbCommand::Explain(args) => explain::run(args),
        PbCommand::Bench(args) => bench::run(args),
    }
}

/// Output for people or for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Reads a Pabulib file, refusing one larger than [`MAX_FILE_BYTES`] before parsing it.
pub fn load(path: &Path) -> Result<Election, String> {
    use std::io::Read;
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    // The size the file says it has, to read it in one go (the limit is enforced by reading).
    let hint = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
    let mut bytes = Vec::with_capacity(hint as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: cannot read the file: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("{name}: the file is longer than the limit of {MAX_FILE_BYTES} bytes"));
    }
    pabulib::read(&name, &bytes).map_err(|e| e.to_string())
}

/// A one-line progress bar on stderr, shown only for several files and a terminal.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    done: usize,
    shown: bool,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress { total, done: 0, shown: total > 1 && std::io::stderr().is_terminal() }
    }

    /// Announces the next item.
    pub fn show(&mut self, item: &str) {
        self.done += 1;
        if self.shown {
            let width = 30;
            let filled = width * self.done / self.total.max(1);
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[2K[{}{}] {}/{} {}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                self.total,
                item
            );
            let _ = err.flush();
        }
    }

    /// Removes the bar.
    pub fn clear(&self) {
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}
