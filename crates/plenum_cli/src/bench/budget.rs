//! `plenum bench budget`: a large budget cycle, tallied and shown.
//!
//! Makes a synthetic election (`--projects` projects with costs between 20,000 and 600,000, a
//! budget of a quarter of their total, `--ballots` approval ballots of 1 to 8 projects each,
//! popular projects more often, from a fixed seed) as a Pabulib file, and imports it into a
//! fresh instance as a closed cycle (the import counts it: Equal Shares with add-one then
//! greedy completion, the default rule). Then it measures:
//!
//! 1. the tally: `budget::count::count` on the cycle's 100,000 stored ballots, as the count at
//!    the close of a vote runs (the pot built from the ballots, then the rule), `--runs` times;
//! 2. the baseline in the same run: `plenum pb tally` on the same ballots written as the
//!    Pabulib file (reading the file, then the same rule), `--runs` times; the outcome must be
//!    the same projects;
//! 3. the results page over loopback on the real server: the first request (which computes
//!    every project's explanation and keeps it), then `--page-requests` requests, p50 and p99.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use plenum_choice::pb::pabulib;
use plenum_choice::pb::rules::{Count, RuleSpec};
use plenum_core::budget::count;
use plenum_core::{AccountId, BodyId, BodySlug, BudgetCycleId, CreateBody, DisplayName, State, Title};
use plenum_store::{Engine, NewAccount, Store};
use plenum_web::{App, Config};

use super::http::{PageRun, fetch, now};
use super::{database, id};
use crate::report::Format;

#[derive(Debug, clap::Args)]
pub struct BudgetArgs {
    /// A database URL (`postgres://…`) naming an empty database; by default a SQLite file in
    /// --data-dir.
    #[arg(long)]
    database_url: Option<String>,
    /// The data directory for the SQLite database (must not hold one yet); by default a fresh
    /// temporary directory, removed afterwards.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Ballots in the cycle.
    #[arg(long, default_value_t = 100_000)]
    ballots: usize,
    /// Projects in the cycle.
    #[arg(long, default_value_t = 150)]
    projects: usize,
    /// Times each tally is run (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Requests for the results page, once computed.
    #[arg(long, default_value_t = 1_000)]
    page_requests: usize,
    /// Connections fetching the page at once.
    #[arg(long, default_value_t = 16)]
    page_concurrency: usize,
    /// text: a few lines; json: one object.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, serde::Serialize)]
struct Report {
    engine: &'static str,
    ballots: usize,
    projects: usize,
    funded: usize,
    file_bytes: usize,
    import_seconds: f64,
    /// Median of the runs, in milliseconds.
    tally_ms: f64,
    /// `plenum pb tally` of the same file (read and count), median, in milliseconds.
    baseline_ms: f64,
    /// Plenum's tally time over the baseline's.
    ratio: f64,
    /// The first request for the results page, which computes the explanations.
    first_page_ms: f64,
    page: PageRun,
}

pub fn run(args: BudgetArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        args.ballots >= 1 && args.projects >= 1 && args.runs >= 1,
        "--ballots, --projects and --runs must be at least 1"
    );
    let server = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("server").enable_all().build()?;
    let client = tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("client").enable_all().build()?;
    let (url, temporary) = database(args.database_url.as_deref(), args.data_dir.as_deref())?;
    let report = measure(&server, &client, &url, &args);
    server.shutdown_timeout(Duration::from_secs(5));
    if let Some(dir) = temporary {
        let _ = std::fs::remove_dir_all(dir);
    }
    print(&report?, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// A small deterministic generator (xorshift64*), so that every run measures the same election.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The synthetic election as a Pabulib file.
fn election_file(ballots: usize, projects: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let costs: Vec<u64> = (0..projects).map(|_| 20_000 + rng.below(581) * 1_000).collect();
    let budget = (costs.iter().sum::<u64>() / 4).max(costs.iter().copied().max().unwrap_or(1));
    let mut out = String::with_capacity(ballots * 16 + projects * 32 + 256);
    let _ = write!(
        out,
        "META\nkey;value\ndescription;Plenum benchmark cycle\ncountry;Worldwide\nunit;Benchmark\ninstance;2026\n\
         num_projects;{projects}\nnum_votes;{ballots}\nbudget;{budget}\nvote_type;approval\nrule;greedy\n\
         PROJECTS\nproject_id;cost;name\n"
    );
    for (k, cost) in costs.iter().enumerate() {
        let _ = writeln!(out, "{};{cost};Project {}", k + 1, k + 1);
    }
    out.push_str("VOTES\nvoter_id;vote\n");
    let mut chosen: Vec<usize> = Vec::with_capacity(8);
    for voter in 1..=ballots {
        chosen.clear();
        let wanted = 1 + rng.below(8) as usize;
        while chosen.len() < wanted.min(projects) {
            // Squaring a uniform draw favours the first projects: some are far more popular.
            let u = rng.below(1 << 16);
            let k = usize::try_from((u * u * projects as u64) >> 32).unwrap_or(0).min(projects - 1);
            if !chosen.contains(&k) {
                chosen.push(k);
            }
        }
        chosen.sort_unstable();
        let vote: Vec<String> = chosen.iter().map(|k| (k + 1).to_string()).collect();
        let _ = writeln!(out, "{voter};{}", vote.join(","));
    }
    out
}

fn median_ms(mut times: Vec<Duration>) -> f64 {
    times.sort_unstable();
    times.get(times.len() / 2).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

const SLUG: &str = "bench-budget";

/// A fresh instance with an assembly and its facilitator.
async fn seed(url: &str) -> anyhow::Result<Arc<Store>> {
    let store = Arc::new(Store::open(url).await.context("opening the database")?);
    anyhow::ensure!(store.log_head().await?.count == 0, "the database is not empty; the benchmark needs a fresh instance");
    let now = now()?;
    let founder = AccountId::parse(&id(1, 0))?;
    let account = NewAccount {
        id: founder.clone(),
        login: "facilitator".to_owned(),
        password_hash: "!bench: no password".to_owned(),
        display_name: DisplayName::parse("Facilitator")?,
    };
    store.register_account(account, now).await.context("registering the facilitator")?;
    let new = CreateBody {
        body: BodyId::parse(&id(2, 0))?,
        slug: BodySlug::parse(SLUG)?,
        name: Title::parse("Benchmark City")?,
        charter: None,
    };
    store.execute(|s: &State| s.create_body(new, &founder, now)).await.context("creating the assembly")?;
    Ok(store)
}

fn measure(
    server: &tokio::runtime::Runtime,
    client: &tokio::runtime::Runtime,
    url: &str,
    args: &BudgetArgs,
) -> anyhow::Result<Report> {
    let file = election_file(args.ballots, args.projects);
    let election = pabulib::read("bench.pb", file.as_bytes()).map_err(|e| anyhow::anyhow!("the generated file: {e}"))?;
    let store = server.block_on(seed(url))?;
    let importing = std::time::Instant::now();
    let cycle: BudgetCycleId = server
        .block_on(plenum_web::open_data::import_pabulib(&store, SLUG, election))
        .map_err(|e| anyhow::anyhow!("importing: {} ({})", e.message, e.code))?;
    let import_seconds = importing.elapsed().as_secs_f64();

    // Plenum's tally, on the stored cycle.
    let (tally_times, funded) = server.block_on(store.read(|s| {
        let c = s.budgets().cycle(&cycle).context("the imported cycle")?;
        let counted = c.counted.as_ref().context("the imported cycle is counted")?;
        let mut times = Vec::new();
        let mut funded = Vec::new();
        for _ in 0..args.runs {
            let t = std::time::Instant::now();
            let result = count::count(c, s.budgets(), counted.ballots.iter().map(|b| &b.vote), c.rule)?;
            times.push(t.elapsed());
            anyhow::ensure!(result == counted.result, "the tally differs from the imported result");
            funded = result
                .pots
                .iter()
                .flat_map(|p| &p.funded)
                .filter_map(|p| s.budgets().project(p).map(|p| p.code.clone()))
                .collect::<Vec<String>>();
        }
        anyhow::Ok((times, funded))
    }))?;

    // The baseline: `plenum pb tally` of the same ballots as a Pabulib file.
    let mut baseline_times = Vec::new();
    for _ in 0..args.runs {
        let t = std::time::Instant::now();
        let election = pabulib::read("bench.pb", file.as_bytes()).map_err(|e| anyhow::anyhow!("{e}"))?;
        let outcome = Count::new(&election).run(&RuleSpec::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
        baseline_times.push(t.elapsed());
        let codes: Vec<String> = outcome.selected.iter().map(|&k| election.instance.projects[k].id.clone()).collect();
        anyhow::ensure!(codes == funded, "plenum pb tally funds {codes:?}, the cycle {funded:?}");
    }

    // The results page, over loopback.
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let app = App::new(Arc::clone(&store), Config::default());
    let serving = server.spawn(plenum_web::serve_on(app, listener, async {
        let _ = stopped.await;
    }));
    let path = format!("/budget-cycles/{cycle}/results");
    let first = client.block_on(fetch(addr, "results page (first)", path.clone(), 1, 1))?;
    anyhow::ensure!(first.failed == 0, "the results page did not answer 200 OK");
    let page = client.block_on(fetch(addr, "results page", path, args.page_requests, args.page_concurrency))?;
    anyhow::ensure!(page.failed == 0, "{} requests for the results page failed", page.failed);
    let _ = stop.send(());
    server.block_on(serving)??;
    server.block_on(store.close());

    let engine = match store.engine() {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgresql",
    };
    let (tally_ms, baseline_ms) = (median_ms(tally_times), median_ms(baseline_times));
    Ok(Report {
        engine,
        ballots: args.ballots,
        projects: args.projects,
        funded: funded.len(),
        file_bytes: file.len(),
        import_seconds,
        tally_ms,
        baseline_ms,
        ratio: if baseline_ms > 0.0 { tally_ms / baseline_ms } else { 0.0 },
        first_page_ms: first.max_ms,
        page,
    })
}

fn print(report: &Report, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(report)?)?,
        Format::Text => {
            writeln!(
                out,
                "{}: a cycle of {} ballots over {} projects ({} funded; the file is {} bytes), imported in {:.1} s",
                report.engine, report.ballots, report.projects, report.funded, report.file_bytes, report.import_seconds
            )?;
            writeln!(
                out,
                "tally (Equal Shares, add-one then greedy): {:.1} ms; plenum pb tally of the same file: {:.1} ms; ratio {:.2}",
                report.tally_ms, report.baseline_ms, report.ratio
            )?;
            let p = &report.page;
            writeln!(
                out,
                "results page: first {:.1} ms (computes the explanations); then {} requests ({} failed), {} bytes: p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
                report.first_page_ms, p.requests, p.failed, p.bytes, p.p50_ms, p.p99_ms, p.max_ms
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiny_cycle_runs_every_step_of_the_benchmark() -> anyhow::Result<()> {
        let args = BudgetArgs {
            database_url: None,
            data_dir: None,
            ballots: 300,
            projects: 12,
            runs: 2,
            page_requests: 20,
            page_concurrency: 4,
            format: Format::Json,
        };
        let server = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let client = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
        let (url, temporary) = database(None, None)?;
        let report = measure(&server, &client, &url, &args);
        server.shutdown_timeout(Duration::from_secs(5));
        if let Some(dir) = temporary {
            let _ = std::fs::remove_dir_all(dir);
        }
        let report = report?;
        assert_eq!((report.ballots, report.projects), (300, 12));
        assert!(report.funded >= 1);
        assert_eq!(report.page.requests, 20);
        assert_eq!(report.page.failed, 0);
        assert!(report.tally_ms > 0.0 && report.baseline_ms > 0.0);
        Ok(())
    }

    #[test]
    fn the_generated_election_reads_with_the_numbers_asked_for() -> anyhow::Result<()> {
        let file = election_file(50, 7);
        let election = pabulib::read("bench.pb", file.as_bytes()).map_err(|e| anyhow::anyhow!("{e}"))?;
        assert_eq!(election.instance.projects.len(), 7);
        assert_eq!(election.profile.voters.len(), 50);
        assert_eq!(file, election_file(50, 7), "the same election every time");
        Ok(())
    }
}
