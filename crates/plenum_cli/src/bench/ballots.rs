//! `plenum bench ballots`: how many durable ballots per second the store takes.
//!
//! Makes a fresh instance (a body of `--voters` members, two open secret polls, written in one
//! transaction), then casts ballots through `Store::cast_vote` exactly as the web layer will:
//! first `--baseline` ballots one at a time in the first poll (each its own transaction and
//! fsync: the store before group commit), then one ballot per member in the second poll from
//! `--concurrency` tasks at once (group commit). Prints ballots per second, p50 and p99
//! latency, the mean batch size and the ratio between the two.
//!
//! `--log-receipts` prints `ack <receipt>` on stdout as each ballot is acknowledged (flushed
//! line by line), for the crash test that kills the process mid-run.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context;
use plenum_core::{
    AccountId, BallotRandomness, BodyId, BodySlug, Choice, CreateBody, DisplayName, Event, FileMotion, Instant, MotionId,
    MotionKind, OpenPoll, PollId, Prose, Refusal, Secrecy, State, Title,
};
use plenum_store::{Engine, Store};

use super::{database, id, nanos, quantile_ms};
use crate::report::Format;

#[derive(Debug, clap::Args)]
pub struct BallotsArgs {
    /// A database URL (`postgres://…`) naming an empty database; by default a SQLite file in
    /// --data-dir.
    #[arg(long)]
    database_url: Option<String>,
    /// The data directory for the SQLite database (must not hold one yet); by default a fresh
    /// temporary directory, removed afterwards.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Members of the body: one ballot each in the group-commit run.
    #[arg(long, default_value_t = 2000)]
    voters: usize,
    /// Voters casting at once in the group-commit run.
    #[arg(long, default_value_t = 200)]
    concurrency: usize,
    /// Ballots cast one at a time first (one transaction each), for comparison; 0 skips it.
    #[arg(long, default_value_t = 200)]
    baseline: usize,
    /// Print `ack <receipt>` on stdout as each ballot is acknowledged.
    #[arg(long)]
    log_receipts: bool,
    /// text: a few lines; json: one object.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One timed run of casting.
#[derive(Debug, serde::Serialize)]
struct Run {
    name: &'static str,
    ballots: usize,
    concurrency: usize,
    seconds: f64,
    ballots_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    transactions: u64,
    mean_batch: f64,
}

#[derive(Debug, serde::Serialize)]
struct Report {
    engine: &'static str,
    voters: usize,
    runs: Vec<Run>,
    /// Group commit's ballots per second over one-per-transaction's.
    #[serde(skip_serializing_if = "Option::is_none")]
    speedup: Option<f64>,
}

pub fn run(args: BallotsArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.voters >= 1 && args.concurrency >= 1, "--voters and --concurrency must be at least 1");
    anyhow::ensure!(args.baseline <= args.voters, "--baseline cannot exceed --voters");
    // Two workers: as many cores as the machine the figures are quoted for.
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let (url, temporary) = database(args.database_url.as_deref(), args.data_dir.as_deref())?;
    let report = runtime.block_on(measure(&url, &args));
    if let Some(dir) = temporary {
        let _ = std::fs::remove_dir_all(dir);
    }
    print(&report?, args.format)?;
    Ok(ExitCode::SUCCESS)
}

async fn measure(url: &str, args: &BallotsArgs) -> anyhow::Result<Report> {
    let store = Arc::new(Store::open(url).await.context("opening the database")?);
    anyhow::ensure!(store.log_head().await?.count == 0, "the database is not empty; the benchmark needs a fresh instance");
    let instance = Instance::new(args.voters)?;
    store.append(instance.setup()?).await.context("writing the instance")?;
    let log = args.log_receipts;
    let mut runs = Vec::new();
    if args.baseline > 0 {
        let voters = instance.members[..args.baseline].to_vec();
        runs.push(cast(&store, "one ballot per transaction", &instance.polls[0], voters, 1, log).await?);
    }
    runs.push(cast(&store, "group commit", &instance.polls[1], instance.members.clone(), args.concurrency, log).await?);
    store.close().await;
    let speedup = match runs.as_slice() {
        [one, group] => Some(group.ballots_per_second / one.ballots_per_second),
        _ => None,
    };
    let engine = match store.engine() {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgresql",
    };
    Ok(Report { engine, voters: args.voters, runs, speedup })
}

/// The instance the ballots are cast in: ids made up front, events made on a scratch state.
struct Instance {
    members: Vec<AccountId>,
    body: BodyId,
    motions: [MotionId; 2],
    polls: [PollId; 2],
}

/// The instant every command of the benchmark happens at; the polls stay open a day after.
fn at() -> anyhow::Result<Instant> {
    Ok(Instant::parse("2026-01-15T18:00:00Z")?)
}

impl Instance {
    fn new(voters: usize) -> anyhow::Result<Instance> {
        let members = (0..voters).map(|n| AccountId::parse(&id(1, n))).collect::<Result<_, _>>()?;
        Ok(Instance {
            members,
            body: BodyId::parse(&id(2, 0))?,
            motions: [MotionId::parse(&id(3, 0))?, MotionId::parse(&id(3, 1))?],
            polls: [PollId::parse(&id(4, 0))?, PollId::parse(&id(4, 1))?],
        })
    }

    /// Every member registered and joined, two motions filed and a secret poll open on each.
    fn setup(&self) -> anyhow::Result<Vec<Event>> {
        let at = at()?;
        let founder = self.members.first().context("no members")?;
        let mut state = State::default();
        let mut events = Vec::new();
        let mut run = |state: &mut State, made: Result<Vec<Event>, Refusal>| -> anyhow::Result<()> {
            for event in made? {
                state.apply(&event)?;
                events.push(event);
            }
            Ok(())
        };
        for (n, member) in self.members.iter().enumerate() {
            let made = state.register_resident(member.clone(), DisplayName::parse(&format!("Voter {n}"))?, at);
            run(&mut state, made)?;
        }
        let new = CreateBody {
            body: self.body.clone(),
            slug: BodySlug::parse("bench-assembly")?,
            name: Title::parse("Benchmark Assembly")?,
            charter: None,
        };
        let made = state.create_body(new, founder, at);
        run(&mut state, made)?;
        for member in &self.members[1..] {
            let made = state.join(&self.body, member, at);
            run(&mut state, made)?;
        }
        for (motion, poll) in self.motions.iter().zip(&self.polls) {
            let file = FileMotion {
                motion: motion.clone(),
                body: self.body.clone(),
                kind: MotionKind::Policy,
                title: Title::parse("Open the library on Sundays")?,
                text: Prose::parse("A benchmark motion.")?,
                proposed_charter: None,
            };
            let made = state.file_motion(file, founder, at);
            run(&mut state, made)?;
            let open = OpenPoll {
                poll: poll.clone(),
                motion: motion.clone(),
                secrecy: Secrecy::Secret,
                opens_at: at,
                closes_at: at.plus_seconds(86_400),
            };
            let made = state.open_poll(open, founder, at);
            run(&mut state, made)?;
        }
        Ok(events)
    }
}

/// Random bytes for ballot ids and receipts: SplitMix64 over a clock-seeded counter. Good
/// enough to make distinct ids for a benchmark; not what a real poll draws from.
fn randomness(counter: &AtomicU64) -> BallotRandomness {
    let next = || {
        let mut z = counter.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)).to_le_bytes()
    };
    let mut ballot_id = [0u8; 16];
    ballot_id[..8].copy_from_slice(&next());
    ballot_id[8..].copy_from_slice(&next());
    let mut receipt = [0u8; 10];
    receipt[..8].copy_from_slice(&next());
    receipt[8..].copy_from_slice(&next()[..2]);
    BallotRandomness { ballot_id, receipt }
}

/// Each voter casts one ballot in `poll`, `concurrency` of them at a time; times each ballot
/// from the call to its acknowledgement.
async fn cast(
    store: &Arc<Store>,
    name: &'static str,
    poll: &PollId,
    voters: Vec<AccountId>,
    concurrency: usize,
    log: bool,
) -> anyhow::Result<Run> {
    let voters = Arc::new(voters);
    let next_voter = Arc::new(AtomicUsize::new(0));
    #[expect(clippy::cast_possible_truncation, reason = "only seeds the generator")]
    let counter = Arc::new(AtomicU64::new(nanos() as u64));
    let before = store.write_stats();
    let started = std::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(voters.len()) {
        let (store, poll, voters, next_voter, counter) =
            (Arc::clone(store), poll.clone(), Arc::clone(&voters), Arc::clone(&next_voter), Arc::clone(&counter));
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            let at = at()?;
            while let Some(voter) = voters.get(next_voter.fetch_add(1, Ordering::Relaxed)) {
                let choice = if latencies.len() % 3 == 0 { Choice::No } else { Choice::Yes };
                let t = std::time::Instant::now();
                let cast = store.cast_vote(&poll, choice, voter, at, randomness(&counter)).await?;
                latencies.push(t.elapsed());
                if log && let Some(receipt) = cast.receipt {
                    let mut out = std::io::stdout().lock();
                    writeln!(out, "ack {receipt}")?;
                    out.flush()?;
                }
            }
            anyhow::Ok(latencies)
        });
    }
    let mut latencies = Vec::with_capacity(voters.len());
    for done in tasks.join_all().await {
        latencies.extend(done?);
    }
    let seconds = started.elapsed().as_secs_f64();
    let after = store.write_stats();
    Ok(summarise(name, concurrency, seconds, latencies, after.batches - before.batches))
}

fn summarise(name: &'static str, concurrency: usize, seconds: f64, mut latencies: Vec<Duration>, transactions: u64) -> Run {
    latencies.sort_unstable();
    let quantile = |q: f64| quantile_ms(&latencies, q);
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let (ballots, batches) = (latencies.len() as f64, transactions as f64);
    Run {
        name,
        ballots: latencies.len(),
        concurrency,
        seconds,
        ballots_per_second: ballots / seconds,
        p50_ms: quantile(0.50),
        p99_ms: quantile(0.99),
        transactions,
        mean_batch: if transactions == 0 { 0.0 } else { ballots / batches },
    }
}

fn print(report: &Report, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(report)?)?,
        Format::Text => {
            writeln!(out, "{}: {} voters, secret poll, durable commits", report.engine, report.voters)?;
            for run in &report.runs {
                writeln!(
                    out,
                    "{:<28} concurrency {:>4}: {:>6} ballots in {:>7.3} s = {:>8.1} ballots/s  p50 {:>7.2} ms  p99 {:>7.2} ms  {:>6} transactions (mean batch {:.1})",
                    run.name,
                    run.concurrency,
                    run.ballots,
                    run.seconds,
                    run.ballots_per_second,
                    run.p50_ms,
                    run.p99_ms,
                    run.transactions,
                    run.mean_batch
                )?;
            }
            if let Some(speedup) = report.speedup {
                writeln!(out, "group commit / one per transaction: {speedup:.1}x")?;
            }
        }
    }
    Ok(())
}
