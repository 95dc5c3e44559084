//! `plenum pb tally FILE...`: run a rule on Pabulib files.
//!
//! With `--format json`, one JSON object per file per line (a contract scripts rely on):
//! `{"file", "rule", "satisfaction", "completion", "tie_break", "selected", "total_cost",
//! "budget", "ties", "notes", "seconds"}`, or `{"file", "error"}` for a file that could not be
//! read or counted; the exit code is then 1, after every other file was tallied.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use plenum_choice::pb::Election;
use plenum_choice::pb::rules::{Count, Outcome, Tie};
use serde::Serialize;

use super::rule_args::RuleArgs;
use super::{Format, load};
use crate::report::for_each_file;

#[derive(Debug, clap::Args)]
pub struct TallyArgs {
    /// The Pabulib (.pb) files to tally.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    rule: RuleArgs,
    /// text for people, json for programs (one object per file per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One file's result, as JSON.
#[derive(Debug, Serialize)]
struct TallyJson<'a> {
    file: &'a str,
    rule: &'static str,
    satisfaction: &'static str,
    completion: &'static str,
    tie_break: &'static str,
    selected: Vec<&'a str>,
    total_cost: String,
    budget: String,
    ties: Vec<TieJson<'a>>,
    notes: &'a [String],
    seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct TieJson<'a> {
    round: Option<usize>,
    tied: Vec<&'a str>,
    chosen: &'a str,
    on: &'a str,
    by: &'static str,
}

impl<'a> TieJson<'a> {
    pub fn new(tie: &'a Tie, election: &'a Election) -> TieJson<'a> {
        let id = |p: usize| election.instance.projects[p].id.as_str();
        TieJson {
            round: tie.round,
            tied: tie.tied.iter().map(|&p| id(p)).collect(),
            chosen: id(tie.chosen),
            on: &tie.on,
            by: tie.by.as_str(),
        }
    }
}

pub fn run(args: TallyArgs) -> anyhow::Result<ExitCode> {
    let spec = args.rule.spec();
    for_each_file(
        &args.files,
        args.format,
        |name, path| {
            let election = load(path)?;
            let outcome = Count::new(&election).run(&spec).map_err(|e| format!("{name}: {e}"))?;
            Ok((election, outcome))
        },
        |out, name, (election, outcome), seconds| {
            match args.format {
                Format::Json => {
                    serde_json::to_writer(&mut *out, &json(name, &election, &outcome, seconds))?;
                    writeln!(out)?;
                }
                Format::Text => write_text(out, name, &election, &outcome, seconds)?,
            }
            Ok(())
        },
    )
}

fn json<'a>(name: &'a str, election: &'a Election, outcome: &'a Outcome, seconds: f64) -> TallyJson<'a> {
    let spec = &outcome.spec;
    TallyJson {
        file: name,
        rule: spec.rule.as_str(),
        satisfaction: spec.satisfaction.as_str(),
        completion: spec.completion.as_str(),
        tie_break: spec.tie_break.as_str(),
        selected: outcome.selected.iter().map(|&p| election.instance.projects[p].id.as_str()).collect(),
        total_cost: outcome.total_cost(election).to_string(),
        budget: election.instance.budget.to_string(),
        ties: outcome.ties.iter().map(|t| TieJson::new(t, election)).collect(),
        notes: &outcome.notes,
        seconds,
    }
}

fn write_text(out: &mut impl Write, name: &str, election: &Election, outcome: &Outcome, seconds: f64) -> std::io::Result<()> {
    let instance = &election.instance;
    let money = |x: &plenum_choice::Rational| if x.is_integer() { x.to_string() } else { x.to_decimal(2) };
    writeln!(out, "{name}")?;
    writeln!(
        out,
        "  rule {}; {} voters, {} projects, budget {}",
        outcome.spec,
        election.profile.voters.len(),
        instance.projects.len(),
        money(&instance.budget)
    )?;
    for note in &outcome.notes {
        writeln!(out, "  note: {note}")?;
    }
    let id_width = outcome.selected.iter().map(|&p| instance.projects[p].id.chars().count()).max().unwrap_or(2).max(7);
    writeln!(out, "  {:>3}  {:<id_width$}  {:>14}  name", "#", "project", "cost")?;
    for (i, &p) in outcome.selected.iter().enumerate() {
        let project = &instance.projects[p];
        let name = instance.project_field(p, "name").unwrap_or("");
        writeln!(out, "  {:>3}  {:<id_width$}  {:>14}  {}", i + 1, project.id, money(&project.cost), name)?;
    }
    let total = outcome.total_cost(election);
    writeln!(
        out,
        "  funded {} of {} projects for {} of {} (read and counted in {:.1} ms)",
        outcome.selected.len(),
        instance.projects.len(),
        money(&total),
        money(&instance.budget),
        seconds * 1e3
    )?;
    for tie in &outcome.ties {
        let ids: Vec<&str> = tie.tied.iter().map(|&p| instance.projects[p].id.as_str()).collect();
        let round = tie.round.map_or_else(String::new, |r| format!("round {r}: "));
        writeln!(
            out,
            "  tie: {round}{} tied on {}; {} first by {}",
            ids.join(", "),
            tie.on,
            instance.projects[tie.chosen].id,
            tie.by.as_str()
        )?;
    }
    writeln!(out)
}
