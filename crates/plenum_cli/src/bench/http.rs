//! `plenum bench http`: the running server, driven over loopback.
//!
//! Makes a fresh instance (an assembly of `--voters` members, `--motions` motions, one open
//! secret poll on the first), starts the real `plenum_web` server on 127.0.0.1 on a port the
//! system chooses (in this process, on its own 2-worker runtime), and drives it with an HTTP/1.1
//! client on a second runtime:
//!
//! 1. every member casts one ballot with `POST /api/v1/polls/{id}/votes` (Bearer token) over
//!    `--concurrency` keep-alive connections; afterwards the store must hold exactly the
//!    acknowledged ballots;
//! 2. the public pages (the assembly, a motion, the poll, `GET /api/v1/bodies/{id}`,
//!    `GET /api/v1/log/head`) are fetched `--page-requests` times each, anonymously, over
//!    `--page-concurrency` connections.
//!
//! Seeding goes through the store's public API, not the sign-up form: members are registered
//! with `Store::register_account` (64 at a time, so they share transactions) under a password
//! hash that no password matches, the other events are made on a scratch `State` and appended
//! in large chunks, and each member's session is written directly with `Store::create_sessions`
//! (hashing 10,000 passwords with argon2 would take minutes, and the sign-in rate limits would
//! refuse one machine that many sign-ins). The vote limit is per
//! account, so one ballot each never meets it.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use anyhow::Context;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use plenum_core::{
    AccountId, BodyId, BodySlug, CreateBody, DisplayName, Event, FileMotion, Instant, MotionId, MotionKind, OpenPoll, PollId,
    Prose, Refusal, Secrecy, State, Title,
};
use plenum_store::{Engine, NewAccount, Session, Store};
use plenum_web::{App, Config};

use super::{database, id, nanos, quantile_ms};
use crate::report::Format;

#[derive(Debug, clap::Args)]
pub struct HttpArgs {
    /// A database URL (`postgres://…`) naming an empty database; by default a SQLite file in
    /// --data-dir.
    #[arg(long)]
    database_url: Option<String>,
    /// The data directory for the SQLite database (must not hold one yet); by default a fresh
    /// temporary directory, removed afterwards.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Members of the assembly: each casts one ballot.
    #[arg(long, default_value_t = 10_000)]
    voters: usize,
    /// Connections casting ballots at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Motions filed in the assembly (its page lists them).
    #[arg(long, default_value_t = 1_000)]
    motions: usize,
    /// Requests per public page.
    #[arg(long, default_value_t = 1_000)]
    page_requests: usize,
    /// Connections fetching pages at once.
    #[arg(long, default_value_t = 16)]
    page_concurrency: usize,
    /// text: a few lines; json: one object.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, serde::Serialize)]
struct Ballots {
    concurrency: usize,
    /// Answered 201 Created.
    acknowledged: usize,
    /// Answered anything else (or not at all).
    failed: usize,
    /// Ballots the store holds afterwards (roll marks in the committed state).
    stored: usize,
    /// Events appended while casting: one roll mark per ballot.
    events_appended: u64,
    seconds: f64,
    ballots_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    transactions: u64,
    mean_batch: f64,
}

#[derive(Debug, serde::Serialize)]
pub(super) struct PageRun {
    pub(super) page: &'static str,
    pub(super) path: String,
    pub(super) requests: usize,
    /// Answered anything but 200 OK.
    pub(super) failed: usize,
    pub(super) bytes: usize,
    pub(super) p50_ms: f64,
    pub(super) p99_ms: f64,
    pub(super) max_ms: f64,
}

#[derive(Debug, serde::Serialize)]
struct Report {
    engine: &'static str,
    voters: usize,
    motions: usize,
    seed_seconds: f64,
    ballots: Ballots,
    pages: Vec<PageRun>,
}

pub fn run(args: HttpArgs) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(args.voters >= 1 && args.motions >= 1, "--voters and --motions must be at least 1");
    anyhow::ensure!(args.concurrency >= 1 && args.page_concurrency >= 1, "the concurrencies must be at least 1");
    // The server gets two workers, as many as the cores the figures are quoted for; the client
    // its own two, so that its work is not counted as the server's queueing (they share the
    // cores all the same).
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

fn measure(
    server: &tokio::runtime::Runtime,
    client: &tokio::runtime::Runtime,
    url: &str,
    args: &HttpArgs,
) -> anyhow::Result<Report> {
    let seeding = std::time::Instant::now();
    let instance = Instance::new(args.voters, args.motions)?;
    let (store, tokens) = server.block_on(seed(url, &instance))?;
    let seed_seconds = seeding.elapsed().as_secs_f64();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let listener = server.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let app = App::new(Arc::clone(&store), Config::default());
    let serving = server.spawn(plenum_web::serve_on(app, listener, async {
        let _ = stopped.await;
    }));

    let events_before = server.block_on(store.log_head())?.count;
    let stats_before = store.write_stats();
    let path = format!("/api/v1/polls/{}/votes", instance.poll);
    let cast = client.block_on(cast(addr, &path, tokens, args.concurrency))?;
    let stats_after = store.write_stats();
    let events_after = server.block_on(store.log_head())?.count;
    let poll = instance.poll.clone();
    let stored = server.block_on(store.read(|s| s.poll(&poll).map_or(0, |p| p.voted.len())));

    let mut pages = Vec::new();
    for (page, path) in [
        ("assembly page", format!("/bodies/{}", Instance::SLUG)),
        ("motion page", format!("/motions/{}", instance.motions[0])),
        ("poll page", format!("/polls/{}", instance.poll)),
        ("GET /api/v1/bodies/{id}", format!("/api/v1/bodies/{}", instance.body)),
        ("GET /api/v1/log/head", "/api/v1/log/head".to_owned()),
    ] {
        pages.push(client.block_on(fetch(addr, page, path, args.page_requests, args.page_concurrency))?);
    }

    let _ = stop.send(());
    server.block_on(serving)??;
    server.block_on(store.close());

    let transactions = stats_after.batches - stats_before.batches;
    #[expect(clippy::cast_precision_loss, reason = "counts far below 2^52")]
    let (acknowledged, batches) = (cast.latencies.len() as f64, transactions as f64);
    let mut latencies = cast.latencies;
    latencies.sort_unstable();
    let ballots = Ballots {
        concurrency: args.concurrency,
        acknowledged: latencies.len(),
        failed: cast.failed,
        stored,
        events_appended: events_after - events_before,
        seconds: cast.seconds,
        ballots_per_second: acknowledged / cast.seconds,
        p50_ms: quantile_ms(&latencies, 0.50),
        p99_ms: quantile_ms(&latencies, 0.99),
        max_ms: quantile_ms(&latencies, 1.0),
        transactions,
        mean_batch: if transactions == 0 { 0.0 } else { acknowledged / batches },
    };
    anyhow::ensure!(
        ballots.stored == ballots.acknowledged && ballots.events_appended == ballots.acknowledged as u64,
        "the store holds {} ballots ({} events appended) but {} were acknowledged",
        ballots.stored,
        ballots.events_appended,
        ballots.acknowledged
    );
    let engine = match store.engine() {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgresql",
    };
    Ok(Report { engine, voters: args.voters, motions: args.motions, seed_seconds, ballots, pages })
}

/// The instance: ids made up front, events made on a scratch state.
struct Instance {
    members: Vec<AccountId>,
    body: BodyId,
    motions: Vec<MotionId>,
    poll: PollId,
}

impl Instance {
    const SLUG: &str = "bench-assembly";

    fn new(voters: usize, motions: usize) -> anyhow::Result<Instance> {
        Ok(Instance {
            members: (0..voters).map(|n| AccountId::parse(&id(1, n))).collect::<Result<_, _>>()?,
            body: BodyId::parse(&id(2, 0))?,
            motions: (0..motions).map(|n| MotionId::parse(&id(3, n))).collect::<Result<_, _>>()?,
            poll: PollId::parse(&id(4, 0))?,
        })
    }

    /// The assembly (every member joined), the motions filed, a secret poll open on the first
    /// from now for a day (the server votes on the real clock). The members are registered
    /// already (as accounts, by `seed`); their registration is replayed on the scratch state only.
    fn setup(&self, now: Instant) -> anyhow::Result<Vec<Event>> {
        let founder = self.members.first().context("no members")?;
        let mut state = State::default();
        for (n, member) in self.members.iter().enumerate() {
            for event in state.register_resident(member.clone(), display_name(n)?, now)? {
                state.apply(&event)?;
            }
        }
        let mut events = Vec::new();
        let mut run = |state: &mut State, made: Result<Vec<Event>, Refusal>| -> anyhow::Result<()> {
            for event in made? {
                state.apply(&event)?;
                events.push(event);
            }
            Ok(())
        };
        let new = CreateBody {
            body: self.body.clone(),
            slug: BodySlug::parse(Instance::SLUG)?,
            name: Title::parse("Benchmark Assembly")?,
            charter: None,
        };
        let made = state.create_body(new, founder, now);
        run(&mut state, made)?;
        for member in &self.members[1..] {
            let made = state.join(&self.body, member, now);
            run(&mut state, made)?;
        }
        for (n, motion) in self.motions.iter().enumerate() {
            let file = FileMotion {
                motion: motion.clone(),
                body: self.body.clone(),
                kind: MotionKind::Policy,
                title: Title::parse(&format!("Benchmark motion {n}"))?,
                text: Prose::parse("A benchmark motion.")?,
                proposed_charter: None,
            };
            let made = state.file_motion(file, founder, now);
            run(&mut state, made)?;
        }
        let open = OpenPoll {
            poll: self.poll.clone(),
            motion: self.motions[0].clone(),
            secrecy: Secrecy::Secret,
            opens_at: now,
            closes_at: now.plus_seconds(86_400),
        };
        let made = state.open_poll(open, founder, now);
        run(&mut state, made)?;
        Ok(events)
    }
}

fn display_name(n: usize) -> anyhow::Result<DisplayName> {
    Ok(DisplayName::parse(&format!("Voter {n}"))?)
}

pub(super) fn now() -> anyhow::Result<Instant> {
    let seconds = i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_secs())?;
    Instant::from_unix_seconds(seconds).context("the system clock is out of range")
}

/// Writes the instance and a session for every member; returns the store and the members'
/// Bearer tokens.
async fn seed(url: &str, instance: &Instance) -> anyhow::Result<(Arc<Store>, Vec<String>)> {
    let store = Arc::new(Store::open(url).await.context("opening the database")?);
    anyhow::ensure!(store.log_head().await?.count == 0, "the database is not empty; the benchmark needs a fresh instance");
    let now = now()?;
    // Accounts first (sessions refer to them), many at once so that they share transactions.
    // The password hash is no PHC string, so no password signs these accounts in.
    let next = Arc::new(AtomicUsize::new(0));
    let members = Arc::new(instance.members.clone());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..64 {
        let (store, next, members) = (Arc::clone(&store), Arc::clone(&next), Arc::clone(&members));
        tasks.spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(member) = members.get(n) else { return anyhow::Ok(()) };
                let account = NewAccount {
                    id: member.clone(),
                    login: format!("voter{n}"),
                    password_hash: "!bench: no password".to_owned(),
                    display_name: display_name(n)?,
                };
                store.register_account(account, now).await.context("registering the members")?;
            }
        });
    }
    for done in tasks.join_all().await {
        done?;
    }
    let mut events = instance.setup(now)?;
    while !events.is_empty() {
        let rest = events.split_off(events.len().min(5_000));
        store.append(events).await.context("writing the instance")?;
        events = rest;
    }
    // Tokens need only be unguessable in a real instance; these are made from the clock and
    // the member's number, and live in a database thrown away afterwards.
    let salt = nanos();
    let tokens: Vec<String> = (0..instance.members.len()).map(|n| format!("bench{salt:x}{n:08x}")).collect();
    let sessions: Vec<Session> = instance
        .members
        .iter()
        .zip(&tokens)
        .map(|(account, token)| Session {
            token_hash: plenum_web::token_hash(token),
            account: account.clone(),
            created_at: now,
            expires_at: now.plus_seconds(plenum_web::SESSION_SECONDS),
        })
        .collect();
    for chunk in sessions.chunks(5_000) {
        store.create_sessions(chunk).await.context("writing the sessions")?;
    }
    Ok((store, tokens))
}

/// One keep-alive HTTP/1.1 connection to the server.
struct Connection {
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    host: String,
}

impl Connection {
    async fn open(addr: SocketAddr) -> anyhow::Result<Connection> {
        let stream = tokio::net::TcpStream::connect(addr).await.context("connecting to the server")?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(Connection { sender, host: addr.to_string() })
    }

    /// Sends one request; returns the status and the body's length once the body is read.
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: &'static [u8],
    ) -> anyhow::Result<(StatusCode, usize)> {
        self.sender.ready().await?;
        let mut request = Request::builder().method(method).uri(path).header(HOST, &self.host);
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}")).header(CONTENT_TYPE, "application/json");
        }
        let response = self.sender.send_request(request.body(Full::new(Bytes::from_static(body)))?).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        Ok((status, bytes.len()))
    }
}

struct Cast {
    latencies: Vec<Duration>,
    failed: usize,
    seconds: f64,
}

/// Each member casts one ballot; `concurrency` connections take the next member in turn.
async fn cast(addr: SocketAddr, path: &str, tokens: Vec<String>, concurrency: usize) -> anyhow::Result<Cast> {
    let tokens = Arc::new(tokens);
    let next = Arc::new(AtomicUsize::new(0));
    let mut connections = Vec::new();
    for _ in 0..concurrency.min(tokens.len()) {
        connections.push(Connection::open(addr).await?);
    }
    let started = std::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for mut connection in connections {
        let (tokens, next, path) = (Arc::clone(&tokens), Arc::clone(&next), path.to_owned());
        tasks.spawn(async move {
            let (mut latencies, mut failed) = (Vec::new(), 0);
            while let Some(token) = tokens.get(next.fetch_add(1, Ordering::Relaxed)) {
                let body: &'static [u8] = if latencies.len() % 3 == 0 { br#"{"choice":"no"}"# } else { br#"{"choice":"yes"}"# };
                let t = std::time::Instant::now();
                match connection.send(Method::POST, &path, Some(token), body).await {
                    Ok((StatusCode::CREATED, _)) => latencies.push(t.elapsed()),
                    Ok(_) => failed += 1,
                    // A broken connection: count the ballot as failed and reconnect.
                    Err(_) => {
                        failed += 1;
                        connection = Connection::open(addr).await?;
                    }
                }
            }
            anyhow::Ok((latencies, failed))
        });
    }
    let (mut latencies, mut failed) = (Vec::with_capacity(tokens.len()), 0);
    for done in tasks.join_all().await {
        let (l, f) = done?;
        latencies.extend(l);
        failed += f;
    }
    Ok(Cast { latencies, failed, seconds: started.elapsed().as_secs_f64() })
}

/// Fetches `path` `requests` times over `concurrency` connections.
pub(super) async fn fetch(
    addr: SocketAddr,
    page: &'static str,
    path: String,
    requests: usize,
    concurrency: usize,
) -> anyhow::Result<PageRun> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency.min(requests) {
        let mut connection = Connection::open(addr).await?;
        let (next, path) = (Arc::clone(&next), path.clone());
        tasks.spawn(async move {
            let (mut latencies, mut failed, mut bytes) = (Vec::new(), 0, 0);
            while next.fetch_add(1, Ordering::Relaxed) < requests {
                let t = std::time::Instant::now();
                let (status, length) = connection.send(Method::GET, &path, None, b"").await?;
                latencies.push(t.elapsed());
                bytes = length;
                if status != StatusCode::OK {
                    failed += 1;
                }
            }
            anyhow::Ok((latencies, failed, bytes))
        });
    }
    let (mut latencies, mut failed, mut bytes) = (Vec::with_capacity(requests), 0, 0);
    for done in tasks.join_all().await {
        let (l, f, b) = done?;
        latencies.extend(l);
        failed += f;
        bytes = bytes.max(b);
    }
    latencies.sort_unstable();
    Ok(PageRun {
        page,
        path,
        requests: latencies.len(),
        failed,
        bytes,
        p50_ms: quantile_ms(&latencies, 0.50),
        p99_ms: quantile_ms(&latencies, 0.99),
        max_ms: quantile_ms(&latencies, 1.0),
    })
}

fn print(report: &Report, format: Format) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string(report)?)?,
        Format::Text => {
            let b = &report.ballots;
            writeln!(
                out,
                "{}: {} members, {} motions, seeded in {:.1} s; secret poll, durable commits, over HTTP on loopback",
                report.engine, report.voters, report.motions, report.seed_seconds
            )?;
            writeln!(
                out,
                "ballots  concurrency {:>4}: {:>6} acknowledged ({} failed, {} in the store) in {:.3} s = {:.1} ballots/s  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {} transactions (mean batch {:.1})",
                b.concurrency,
                b.acknowledged,
                b.failed,
                b.stored,
                b.seconds,
                b.ballots_per_second,
                b.p50_ms,
                b.p99_ms,
                b.max_ms,
                b.transactions,
                b.mean_batch
            )?;
            for page in &report.pages {
                writeln!(
                    out,
                    "{:<26} {:>5} requests ({} failed), {:>7} bytes: p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
                    page.page, page.requests, page.failed, page.bytes, page.p50_ms, page.p99_ms, page.max_ms
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_member_of_a_small_instance_is_seeded_with_a_poll_open_now() -> anyhow::Result<()> {
        let instance = Instance::new(5, 3)?;
        let now = now()?;
        let mut state = State::default();
        for (n, member) in instance.members.iter().enumerate() {
            for event in state.register_resident(member.clone(), display_name(n)?, now)? {
                state.apply(&event)?;
            }
        }
        for event in &instance.setup(now)? {
            state.apply(event)?;
        }
        let body = state.body_by_slug(&BodySlug::parse(Instance::SLUG)?).context("no body")?;
        assert_eq!(body.current_members().count(), 5);
        assert_eq!(state.motions_of(&instance.body).count(), 3);
        assert!(state.poll(&instance.poll).is_some());
        Ok(())
    }
}
