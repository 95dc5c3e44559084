//! `plenum pb bench DIR`: tallies every Pabulib file in a directory with each rule, parse
//! included, and prints files per second and the slowest file per rule; with `--format json`,
//! one line per file and rule with its time and outcome (what `scripts/bench-vs-pabutools.py`
//! compares with pabutools).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use plenum_choice::pb::ballots::Satisfaction;
use plenum_choice::pb::rules::{Completion, Count, Rule, RuleSpec, TieBreak};

use super::{Format, load};

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// A directory of Pabulib (.pb) files (not searched recursively), or single files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Repeat each measurement this many times and keep the fastest (machines are noisy).
    #[arg(long, default_value_t = 3)]
    repeat: u32,
    /// Only these rules (names as in the table, comma-separated); all by default.
    #[arg(long, value_delimiter = ',')]
    rules: Vec<String>,
    /// text: a table per rule; json: one line per file and rule.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One file and rule, as JSON.
#[derive(Debug, serde::Serialize)]
struct Measurement<'a> {
    file: String,
    rule: &'a str,
    seconds: f64,
    selected: Vec<String>,
}

/// The rules measured, named as in the reference outcomes.
pub fn benchmark_rules() -> Vec<(&'static str, RuleSpec)> {
    let spec = |rule, satisfaction, completion| RuleSpec { rule, satisfaction, completion, tie_break: TieBreak::ProjectId };
    vec![
        ("greedy", spec(Rule::Greedy, Satisfaction::Cost, Completion::None)),
        ("greedy_cost", spec(Rule::GreedyUtilitarian, Satisfaction::Cost, Completion::None)),
        ("greedy_card", spec(Rule::GreedyUtilitarian, Satisfaction::Cardinality, Completion::None)),
        ("mes_cost", spec(Rule::Mes, Satisfaction::Cost, Completion::None)),
        ("mes_card", spec(Rule::Mes, Satisfaction::Cardinality, Completion::None)),
        ("mes_cost_add1", spec(Rule::Mes, Satisfaction::Cost, Completion::Add1)),
        ("mes_card_add1", spec(Rule::Mes, Satisfaction::Cardinality, Completion::Add1)),
        ("mes_cost_add1_greedy", spec(Rule::Mes, Satisfaction::Cost, Completion::Add1Utilitarian)),
        ("phragmen", spec(Rule::Phragmen, Satisfaction::Cost, Completion::None)),
        ("max_welfare_cost", spec(Rule::MaxWelfare, Satisfaction::Cost, Completion::None)),
    ]
}

fn files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| path.display().to_string())?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "pb"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    anyhow::ensure!(
        !files.is_empty(),
        "no .pb files in {}",
        paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    );
    Ok(files)
}

/// The fastest of `repeat` runs of reading the file and counting with `spec`, and the funded
/// projects (or `None` if the rule does not apply).
fn measure(path: &Path, spec: &RuleSpec, repeat: u32) -> anyhow::Result<Option<(Duration, Vec<String>)>> {
    let mut best: Option<(Duration, Vec<String>)> = None;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let election = load(path).map_err(anyhow::Error::msg)?;
        let outcome = Count::new(&election).run(spec);
        let elapsed = started.elapsed();
        let Ok(outcome) = outcome else { return Ok(None) };
        if best.as_ref().is_none_or(|(b, _)| elapsed < *b) {
            let ids = outcome.selected.iter().map(|&p| election.instance.projects[p].id.clone()).collect();
            best = Some((elapsed, ids));
        }
    }
    Ok(best)
}

pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let files = files(&args.paths)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let known: Vec<&str> = benchmark_rules().iter().map(|(name, _)| *name).collect();
    if let Some(unknown) = args.rules.iter().find(|r| !known.contains(&r.as_str())) {
        anyhow::bail!("unknown rule {unknown:?}: expected one of {}", known.join(", "));
    }
    let rules: Vec<(&str, RuleSpec)> =
        benchmark_rules().into_iter().filter(|(name, _)| args.rules.is_empty() || args.rules.iter().any(|r| r == name)).collect();
    if args.format == Format::Json {
        for (name, spec) in &rules {
            for path in &files {
                if let Some((time, selected)) = measure(path, spec, args.repeat)? {
                    let line =
                        Measurement { file: path.display().to_string(), rule: name, seconds: time.as_secs_f64(), selected };
                    writeln!(out, "{}", serde_json::to_string(&line)?)?;
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} files, fastest of {} runs each, parse included, one thread", files.len(), args.repeat)?;
    writeln!(out, "{:<22} {:>6} {:>12} {:>10}  slowest file", "rule", "files", "files/s", "slowest")?;
    for (name, spec) in rules {
        let mut total = Duration::ZERO;
        let mut counted = 0usize;
        let mut slowest: Option<(Duration, &Path)> = None;
        for path in &files {
            if let Some((time, _)) = measure(path, &spec, args.repeat)? {
                total += time;
                counted += 1;
                if slowest.is_none_or(|(s, _)| time > s) {
                    slowest = Some((time, path));
                }
            }
        }
        let rate = if total.is_zero() { 0.0 } else { counted as f64 / total.as_secs_f64() };
        let (slow_time, slow_file) = slowest.map_or((Duration::ZERO, String::new()), |(t, p)| {
            (t, p.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default())
        });
        writeln!(out, "{name:<22} {counted:>6} {rate:>12.1} {:>9.1}ms  {slow_file}", slow_time.as_secs_f64() * 1e3)?;
    }
    if let Some(peak) = peak_memory_kib() {
        writeln!(out, "peak memory (VmHWM): {:.1} MiB", peak as f64 / 1024.0)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The process's peak resident memory, from /proc (Linux only).
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
