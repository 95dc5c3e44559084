//! `plenum vote …`: voting methods on PrefLib and BLT files.

mod bench;
mod tally;

use std::path::Path;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use plenum_choice::vote::method::Method;
use plenum_choice::vote::stv::{self, Meek, Wigm};
use plenum_choice::vote::{Election, blt, preflib};

use crate::files::read_limited;

/// The largest ballot file Plenum reads.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

#[derive(Debug, Subcommand)]
pub enum VoteCommand {
    /// Count PrefLib (.soc, .soi, .toc, .toi) or BLT (.blt) files with a voting method.
    Tally(tally::TallyArgs),
    /// Measure every method on generated profiles (impartial culture), and write the profiles
    /// as PrefLib files for comparison with other implementations.
    Bench(bench::BenchArgs),
}

pub fn run(command: VoteCommand) -> anyhow::Result<ExitCode> {
    match command {
        VoteCommand::Tally(args) => tally::run(args),
        VoteCommand::Bench(args) => bench::run(args),
    }
}

/// The method names of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    Plurality,
    Approval,
    Irv,
    Stv,
    Schulze,
    RankedPairs,
    Copeland,
    Borda,
    Star,
    Score,
    MajorityJudgment,
    Phragmen,
    Mes,
}

/// The STV rules of the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum StvRuleArg {
    /// Meek, 18-decimal fixed point with every rounding stated (PR Foundation rule, omega 10^-10).
    #[default]
    Meek,
    /// Meek in exact rationals (Droop's meek-o10-rational).
    MeekExact,
    /// The PR Foundation's Meek reference rule: 9 decimals, omega 10^-6.
    MeekPrf,
    /// Weighted inclusive Gregory in exact rationals.
    Wigm,
    /// The PR Foundation's reference WIGM rule: 4 decimals.
    WigmPrf,
    /// Scottish STV (SSI 2007/42): transfer values truncated to 5 decimals.
    Scottish,
}

impl StvRuleArg {
    pub fn rule(self) -> stv::Rule {
        match self {
            StvRuleArg::Meek => stv::Rule::Meek(Meek::PRECISE),
            StvRuleArg::MeekExact => stv::Rule::Meek(Meek::EXACT),
            StvRuleArg::MeekPrf => stv::Rule::Meek(Meek::PRF),
            StvRuleArg::Wigm => stv::Rule::Wigm(Wigm::Exact),
            StvRuleArg::WigmPrf => stv::Rule::Wigm(Wigm::PRF),
            StvRuleArg::Scottish => stv::Rule::Scottish,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StvRuleArg::Meek => "meek",
            StvRuleArg::MeekExact => "meek-exact",
            StvRuleArg::MeekPrf => "meek-prf",
            StvRuleArg::Wigm => "wigm",
            StvRuleArg::WigmPrf => "wigm-prf",
            StvRuleArg::Scottish => "scottish",
        }
    }
}

impl MethodArg {
    pub fn method(self, stv_rule: StvRuleArg) -> Method {
        match self {
            MethodArg::Plurality => Method::Plurality,
            MethodArg::Approval => Method::Approval,
            MethodArg::Irv => Method::Irv,
            MethodArg::Stv => Method::Stv(stv_rule.rule()),
            MethodArg::Schulze => Method::Schulze,
            MethodArg::RankedPairs => Method::RankedPairs,
            MethodArg::Copeland => Method::Copeland,
            MethodArg::Borda => Method::Borda,
            MethodArg::Star => Method::Star,
            MethodArg::Score => Method::Score,
            MethodArg::MajorityJudgment => Method::MajorityJudgment,
            MethodArg::Phragmen => Method::Phragmen,
            MethodArg::Mes => Method::Mes,
        }
    }
}

/// Reads a ballot file by its extension, refusing one larger than [`MAX_FILE_BYTES`].
pub fn load(path: &Path) -> Result<Election, String> {
    let name = path.display().to_string();
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if !matches!(extension.as_str(), "soc" | "soi" | "toc" | "toi" | "blt") {
        return Err(format!("{name}: unknown ballot format (expected a PrefLib .soc, .soi, .toc or .toi file, or a .blt file)"));
    }
    let bytes = read_limited(path, MAX_FILE_BYTES)?;
    if extension == "blt" {
        blt::read(&name, &bytes).map_err(|e| e.to_string())
    } else {
        preflib::read(&name, &bytes).map_err(|e| e.to_string())
    }
}
