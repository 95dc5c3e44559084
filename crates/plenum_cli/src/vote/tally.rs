//! `plenum vote tally FILE... --method M`: count ballot files.
//!
//! With `--format json`, one JSON object per file per line (a contract scripts rely on):
//! `{"file", "method", "seats", "winners", "ties", "rounds", "seconds"}`, alternatives named by
//! their number in the file (`"3"`), exact numbers as strings (`"1234/7"`); or `{"file",
//! "error"}` for a file that could not be read or counted, and the exit code is then 1, after
//! every other file was counted.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use plenum_choice::Rational;
use plenum_choice::vote::method::{Method, tally};
use plenum_choice::vote::{Election, Outcome, PairwiseDetail, Round, Tie, TieBreak, Working};
use serde::Serialize;

use super::{MethodArg, StvRuleArg, load};
use crate::report::{Format, for_each_file};

#[derive(Debug, clap::Args)]
pub struct TallyArgs {
    /// The ballot files: PrefLib (.soc, .soi, .toc, .toi) or BLT (.blt).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Seats to fill. Multi-winner methods default to the file's number of seats (BLT states
    /// it); single-winner methods elect one, or rank the top N when asked for N.
    #[arg(long)]
    seats: Option<usize>,
    /// Which STV rule `--method stv` counts by.
    #[arg(long, value_enum, default_value_t = StvRuleArg::Meek)]
    stv_rule: StvRuleArg,
    /// Break ties by lot, drawn from this seed (any text, e.g. a published lottery number);
    /// without it, ties follow the file's own order (BLT `[tie …]`) or go to the alternative
    /// with the lower number.
    #[arg(long, value_name = "SEED")]
    tie_break: Option<String>,
    /// text for people, json for programs (one object per file per line).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Serialize)]
struct TallyJson<'a> {
    file: &'a str,
    method: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    stv_rule: Option<&'static str>,
    seats: usize,
    winners: Vec<String>,
    ties: Vec<TieJson<'a>>,
    rounds: Vec<RoundJson<'a>>,
    seconds: f64,
}

#[derive(Debug, Serialize)]
struct TieJson<'a> {
    round: Option<usize>,
    tied: Vec<String>,
    chosen: String,
    on: &'a str,
    by: &'a str,
}

#[derive(Debug, Serialize)]
struct RoundJson<'a> {
    round: usize,
    /// The votes of each alternative still holding any, by number.
    tallies: serde_json::Map<String, serde_json::Value>,
    exhausted: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quota: Option<String>,
    elected: Vec<String>,
    eliminated: Vec<String>,
    note: &'a str,
}

/// An alternative's number in the file.
fn number(a: usize) -> String {
    (a + 1).to_string()
}

pub fn run(args: TallyArgs) -> anyhow::Result<ExitCode> {
    let method = args.method.method(args.stv_rule);
    for_each_file(
        &args.files,
        args.format,
        |name, path| {
            let election = load(path)?;
            let tie_break = match &args.tie_break {
                Some(seed) => TieBreak::Lot(seed.clone()),
                // A BLT file may fix its own order (Droop's `[tie …]`).
                None if !election.tie_order.is_empty() => TieBreak::Priority(election.tie_order.clone()),
                None => TieBreak::AlternativeOrder,
            };
            let (seats, outcome) = tally(&election, method, args.seats, &tie_break).map_err(|e| format!("{name}: {e}"))?;
            Ok((election, seats, outcome))
        },
        |out, name, (election, seats, outcome), seconds| {
            match args.format {
                Format::Json => {
                    serde_json::to_writer(&mut *out, &json(name, method, args.stv_rule, seats, &outcome, seconds))?;
                    writeln!(out)?;
                }
                Format::Text => write_text(out, name, &election, method, seats, &outcome, seconds)?,
            }
            Ok(())
        },
    )
}

fn json<'a>(
    name: &'a str,
    method: Method,
    stv_rule: StvRuleArg,
    seats: usize,
    outcome: &'a Outcome,
    seconds: f64,
) -> TallyJson<'a> {
    let rounds = match &outcome.working {
        Working::Rounds(rounds) => rounds.iter().enumerate().map(|(i, r)| round_json(i + 1, r)).collect(),
        _ => Vec::new(),
    };
    TallyJson {
        file: name,
        method: method.as_str(),
        stv_rule: matches!(method, Method::Stv(_)).then(|| stv_rule.as_str()),
        seats,
        winners: outcome.winners.iter().map(|&a| number(a)).collect(),
        ties: outcome.ties.iter().map(tie_json).collect(),
        rounds,
        seconds,
    }
}

fn tie_json(tie: &Tie) -> TieJson<'_> {
    TieJson {
        round: tie.round,
        tied: tie.tied.iter().map(|&a| number(a)).collect(),
        chosen: number(tie.chosen),
        on: &tie.on,
        by: &tie.by,
    }
}

fn round_json(round: usize, r: &Round) -> RoundJson<'_> {
    RoundJson {
        round,
        tallies: r
            .tallies
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_zero())
            .map(|(a, v)| (number(a), serde_json::Value::String(v.to_string())))
            .collect(),
        exhausted: r.exhausted.to_string(),
        quota: r.quota.as_ref().map(ToString::to_string),
        elected: r.elected.iter().map(|&a| number(a)).collect(),
        eliminated: r.eliminated.iter().map(|&a| number(a)).collect(),
        note: &r.note,
    }
}

/// A number for people: whole numbers as they are, others to four decimals.
fn shown(x: &Rational) -> String {
    if x.is_integer() { x.to_string() } else { x.to_decimal(4) }
}

fn write_text(
    out: &mut impl Write,
    name: &str,
    election: &Election,
    method: Method,
    seats: usize,
    outcome: &Outcome,
    seconds: f64,
) -> std::io::Result<()> {
    let label = |a: usize| match election.alternatives.get(a).filter(|n| !n.is_empty()) {
        Some(n) => format!("{} {n}", a + 1),
        None => (a + 1).to_string(),
    };
    writeln!(out, "{name}")?;
    writeln!(
        out,
        "  {method}, {seats} seat{}; {} voters, {} alternatives",
        if seats == 1 { "" } else { "s" },
        election.rankings.voters(),
        election.alternatives.len()
    )?;
    let width = (0..election.alternatives.len()).map(|a| label(a).chars().count()).max().unwrap_or(4).clamp(4, 40);
    match &outcome.working {
        Working::Rounds(rounds) => {
            write!(out, "  {:<width$}", "round")?;
            for i in 1..=rounds.len() {
                write!(out, " {i:>12}")?;
            }
            writeln!(out)?;
            let shown_alternatives: Vec<usize> =
                (0..election.alternatives.len()).filter(|&a| rounds.iter().any(|r| !r.tallies[a].is_zero())).collect();
            for a in shown_alternatives {
                write!(out, "  {:<width$}", truncate(&label(a), width))?;
                for r in rounds {
                    write!(out, " {:>12}", shown(&r.tallies[a]))?;
                }
                writeln!(out)?;
            }
            write!(out, "  {:<width$}", "exhausted")?;
            for r in rounds {
                write!(out, " {:>12}", shown(&r.exhausted))?;
            }
            writeln!(out)?;
            if rounds.iter().any(|r| r.quota.is_some()) {
                write!(out, "  {:<width$}", "quota")?;
                for r in rounds {
                    write!(out, " {:>12}", r.quota.as_ref().map_or_else(String::new, shown))?;
                }
                writeln!(out)?;
            }
            for (i, r) in rounds.iter().enumerate() {
                let mut happened: Vec<String> = Vec::new();
                if !r.elected.is_empty() {
                    happened.push(format!("elected {}", r.elected.iter().map(|&a| label(a)).collect::<Vec<_>>().join(", ")));
                }
                if !r.eliminated.is_empty() {
                    happened
                        .push(format!("eliminated {}", r.eliminated.iter().map(|&a| label(a)).collect::<Vec<_>>().join(", ")));
                }
                if !r.note.is_empty() {
                    happened.push(r.note.clone());
                }
                writeln!(out, "  round {}: {}", i + 1, happened.join("; "))?;
            }
        }
        Working::Scores(scores) => {
            let mut order: Vec<usize> = (0..scores.scores.len()).collect();
            order.sort_by(|&a, &b| scores.scores[b].cmp(&scores.scores[a]).then(a.cmp(&b)));
            writeln!(out, "  {:<width$} {:>14}", "alternative", scores.counts)?;
            for a in order {
                writeln!(out, "  {:<width$} {:>14}", truncate(&label(a), width), shown(&scores.scores[a]))?;
            }
        }
        other => write_other(out, other, &label)?,
    }
    for (i, &w) in outcome.winners.iter().enumerate() {
        writeln!(out, "  {} {}", if seats == 1 && i == 0 { "winner:".to_owned() } else { format!("{:>2}.", i + 1) }, label(w))?;
    }
    for tie in &outcome.ties {
        let round = tie.round.map_or_else(String::new, |r| format!("round {r}: "));
        let tied: Vec<String> = tie.tied.iter().map(|&a| label(a)).collect();
        writeln!(out, "  tie: {round}{} ({}); decided for {} by {}", tied.join(", "), tie.on, label(tie.chosen), tie.by)?;
    }
    writeln!(out, "  (read and counted in {:.1} ms)", seconds * 1e3)?;
    writeln!(out)
}

fn truncate(s: &str, width: usize) -> String {
    if s.chars().count() <= width { s.to_owned() } else { s.chars().take(width - 1).chain(std::iter::once('…')).collect() }
}

/// The working of the methods that do not count in rounds or by one score.
fn write_other(out: &mut impl Write, working: &Working, label: &dyn Fn(usize) -> String) -> std::io::Result<()> {
    match working {
        Working::Pairwise(pairwise) => {
            let matrix = &pairwise.matrix;
            let m = matrix.alternatives();
            if m <= 20 {
                writeln!(out, "  pairwise: row over column, voters preferring")?;
                write!(out, "  {:>6}", "")?;
                for b in 0..m {
                    write!(out, " {:>7}", b + 1)?;
                }
                writeln!(out)?;
                for a in 0..m {
                    write!(out, "  {:>6}", a + 1)?;
                    for b in 0..m {
                        if a == b { write!(out, " {:>7}", "-")? } else { write!(out, " {:>7}", matrix.support(a, b))? }
                    }
                    writeln!(out)?;
                }
            }
            match &pairwise.detail {
                PairwiseDetail::StrongestPaths(strength) if m <= 20 => {
                    writeln!(out, "  strongest paths (Schulze, margins)")?;
                    for a in 0..m {
                        write!(out, "  {:>6}", a + 1)?;
                        for b in 0..m {
                            if a == b { write!(out, " {:>7}", "-")? } else { write!(out, " {:>7}", strength[a * m + b])? }
                        }
                        writeln!(out)?;
                    }
                }
                PairwiseDetail::Pairs(pairs) => {
                    writeln!(out, "  pairs by margin (Ranked Pairs)")?;
                    for p in pairs.iter().filter(|p| p.margin > 0).take(50) {
                        let state = if p.locked { "locked" } else { "skipped: would make a cycle" };
                        writeln!(out, "    {} over {} by {}: {state}", label(p.winner), label(p.loser), p.margin)?;
                    }
                }
                PairwiseDetail::Copeland(scores) => {
                    writeln!(out, "  Copeland score (wins − losses)")?;
                    let mut order: Vec<usize> = (0..scores.len()).collect();
                    order.sort_by(|&a, &b| scores[b].cmp(&scores[a]).then(a.cmp(&b)));
                    for a in order {
                        writeln!(out, "    {:>5}  {}", scores[a], label(a))?;
                    }
                }
                PairwiseDetail::StrongestPaths(_) => {}
            }
        }
        Working::Star(rounds) => {
            for (i, r) in rounds.iter().enumerate() {
                let [a, b] = r.finalists;
                writeln!(
                    out,
                    "  seat {}: finalists {} (score {}) and {} (score {}); runoff {} to {}, {} no preference; {} wins",
                    i + 1,
                    label(a),
                    r.totals[a],
                    label(b),
                    r.totals[b],
                    r.preferring[0],
                    r.preferring[1],
                    r.equal,
                    label(r.winner)
                )?;
            }
        }
        Working::MajorityJudgment(judgment) => {
            writeln!(out, "  majority grade and grade counts (lowest grade first)")?;
            for (a, counts) in judgment.grade_counts.iter().enumerate() {
                let counts: Vec<String> = counts.iter().map(ToString::to_string).collect();
                writeln!(out, "    {:>5}  [{}]  {}", judgment.majority_grades[a], counts.join(" "), label(a))?;
            }
        }
        Working::Committee(committee) => {
            for (a, why) in committee.explanations.iter().enumerate() {
                writeln!(out, "    {} ({} approvals): {why}", label(a), committee.approvals[a])?;
            }
        }
        Working::Rounds(_) | Working::Scores(_) => {}
    }
    Ok(())
}
