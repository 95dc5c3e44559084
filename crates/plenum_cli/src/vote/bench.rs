//! `plenum vote bench`: every method on generated profiles of a million ballots, or on files.
//!
//! Given files, each method is timed on each file, reading the file included, fastest of
//! `--repeat` runs in one process (what `scripts/bench-vs-pref-voting.py` compares with
//! pref_voting).
//!
//! Profiles are impartial culture (every voter ranks all candidates in an order drawn uniformly
//! at random), drawn from a fixed seed so every run counts the same ballots. Identical ballots
//! are merged first (a count per distinct ballot, as a PrefLib file holds them); the time of a
//! method is the fastest of `--repeat` runs on the merged ballots. `--write DIR` also writes each
//! profile as a PrefLib `.soc` file, which `scripts/bench-vs-pref-voting.py` counts with both
//! Plenum and pref_voting.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use plenum_choice::vote::method::{Method, tally};
use plenum_choice::vote::preflib::{self, DataType};
use plenum_choice::vote::{Election, Rankings, TieBreak};

use super::{MethodArg, StvRuleArg, load};
use crate::report::Format;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Ballot files to measure instead of generated profiles.
    files: Vec<PathBuf>,
    /// Ballots per profile.
    #[arg(long, default_value_t = 1_000_000)]
    voters: u64,
    /// Candidates per profile (one profile each).
    #[arg(long, value_delimiter = ',', default_values_t = [5, 10, 20])]
    candidates: Vec<usize>,
    /// Only these methods; all by default.
    #[arg(long, value_enum, value_delimiter = ',')]
    methods: Vec<MethodArg>,
    /// Which STV rule `stv` counts by.
    #[arg(long, value_enum, default_value_t = StvRuleArg::Meek)]
    stv_rule: StvRuleArg,
    /// Seats for STV, Phragmén and Equal Shares (at most half the candidates).
    #[arg(long, default_value_t = 10)]
    seats: usize,
    /// Repeat each measurement this many times and keep the fastest.
    #[arg(long, default_value_t = 3)]
    repeat: u32,
    /// Write each profile as a PrefLib .soc file into this directory.
    #[arg(long)]
    write: Option<PathBuf>,
    /// The seed the profiles are drawn from.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// text: a table; json: one line per profile and method.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, serde::Serialize)]
struct Measurement {
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    candidates: usize,
    voters: u64,
    distinct: usize,
    method: &'static str,
    seats: usize,
    seconds: f64,
    winners: Vec<String>,
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let methods: Vec<Method> = if args.methods.is_empty() {
        Method::ALL.iter().map(|&m| if matches!(m, Method::Stv(_)) { Method::Stv(args.stv_rule.rule()) } else { m }).collect()
    } else {
        args.methods.iter().map(|m| m.method(args.stv_rule)).collect()
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if !args.files.is_empty() {
        return measure_files(&args, &methods, &mut out);
    }
    if args.format == Format::Text {
        writeln!(
            out,
            "impartial culture, {} ballots per profile, seed {}, fastest of {} runs, one thread",
            args.voters, args.seed, args.repeat
        )?;
        writeln!(out, "{:<20} {:>10} {:>9} {:>6} {:>12}  winners", "method", "candidates", "distinct", "seats", "seconds")?;
    }
    for &m in &args.candidates {
        anyhow::ensure!((2..=64).contains(&m), "--candidates must be between 2 and 64, not {m}");
        let election = impartial_culture(m, args.voters, args.seed)?;
        if let Some(dir) = &args.write {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            let path = dir.join(format!("ic-{m}-{}.soc", args.voters));
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path).with_context(|| path.display().to_string())?);
            preflib::write(&election, DataType::Soc, &mut file).with_context(|| path.display().to_string())?;
            file.flush()?;
        }
        for &method in &methods {
            let seats = if method.is_multi_winner() { args.seats.min(m / 2).max(1) } else { 1 };
            let mut best = Duration::MAX;
            let mut winners = Vec::new();
            for _ in 0..args.repeat.max(1) {
                let started = Instant::now();
                let (_, outcome) = tally(&election, method, Some(seats), &TieBreak::AlternativeOrder)?;
                best = best.min(started.elapsed());
                winners = outcome.winners;
            }
            let measurement = Measurement {
                file: None,
                candidates: m,
                voters: args.voters,
                distinct: election.rankings.len(),
                method: method.as_str(),
                seats,
                seconds: best.as_secs_f64(),
                winners: winners.iter().map(|&a| (a + 1).to_string()).collect(),
            };
            match args.format {
                Format::Json => {
                    serde_json::to_writer(&mut out, &measurement)?;
                    writeln!(out)?;
                }
                Format::Text => writeln!(
                    out,
                    "{:<20} {:>10} {:>9} {:>6} {:>12.4}  {}",
                    measurement.method,
                    m,
                    measurement.distinct,
                    seats,
                    measurement.seconds,
                    measurement.winners.join(" ")
                )?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Each method on each file, reading the file included.
fn measure_files(args: &BenchArgs, methods: &[Method], out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if args.format == Format::Text {
        writeln!(out, "reading the file included, fastest of {} runs, one thread", args.repeat)?;
        writeln!(out, "{:<20} {:>10} {:>9} {:>6} {:>12}  file", "method", "candidates", "distinct", "seats", "seconds")?;
    }
    for path in &args.files {
        let name = path.display().to_string();
        for &method in methods {
            let mut best = Duration::MAX;
            let mut last = None;
            for _ in 0..args.repeat.max(1) {
                let started = Instant::now();
                let election = load(path).map_err(anyhow::Error::msg)?;
                let seats = if method.is_multi_winner() { Some(election.seats.unwrap_or(args.seats)) } else { None };
                let (seats, outcome) = tally(&election, method, seats, &TieBreak::AlternativeOrder)?;
                best = best.min(started.elapsed());
                last = Some((election.alternatives.len(), election.rankings.len(), election.rankings.voters(), seats, outcome));
            }
            let Some((candidates, distinct, voters, seats, outcome)) = last else { continue };
            let measurement = Measurement {
                file: Some(name.clone()),
                candidates,
                voters,
                distinct,
                method: method.as_str(),
                seats,
                seconds: best.as_secs_f64(),
                winners: outcome.winners.iter().map(|&a| (a + 1).to_string()).collect(),
            };
            match args.format {
                Format::Json => {
                    serde_json::to_writer(&mut *out, &measurement)?;
                    writeln!(out)?;
                }
                Format::Text => writeln!(
                    out,
                    "{:<20} {:>10} {:>9} {:>6} {:>12.6}  {name}",
                    measurement.method, candidates, distinct, seats, measurement.seconds
                )?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `voters` strict complete rankings of `m` candidates, each uniformly random, identical ones
/// merged.
fn impartial_culture(m: usize, voters: u64, seed: u64) -> anyhow::Result<Election> {
    let mut state = seed;
    let mut rankings = Rankings::new(m)?;
    let mut order: Vec<usize> = (0..m).collect();
    let mut groups: Vec<[usize; 1]> = vec![[0]; m];
    for _ in 0..voters {
        for i in (1..m).rev() {
            let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for (g, &a) in groups.iter_mut().zip(&order) {
            *g = [a];
        }
        rankings.push(1, &groups)?;
    }
    Ok(Election {
        title: Some(format!("impartial culture, {m} candidates, {voters} voters, seed {seed}")),
        alternatives: (1..=m).map(|a| format!("Candidate {a}")).collect(),
        rankings: rankings.merged(),
        ..Election::default()
    })
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
