//! Plenum's web: server-rendered pages that work without JavaScript (askama templates, Fluent
//! translations), the JSON API under `/api/v1` (with its OpenAPI document), accounts and
//! sessions, CSRF tokens, rate limits, the iCalendar feeds, the background task that closes
//! polls at their deadline, and the demo confederation.
//!
//! [`router`] builds the whole application from an [`App`], so tests drive it in-process; the
//! `plenum serve` command calls [`serve`].

mod api;
mod auth;
mod calendar;
pub mod closer;
mod context;
mod council_action;
mod csrf;
pub mod demo;
mod demo_budget;
mod demo_coalitions;
mod demo_confederation;
mod demo_paper;
mod demo_registry;
mod demo_unlinkable;
mod error;
mod i18n;
mod ids;
mod local_time;
pub mod open_data;
mod pages;
mod rate;
mod registry_sweep;
mod security;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post};
use plenum_store::Store;

pub use api::openapi::openapi_document;
pub use auth::{SESSION_SECONDS, hash_password, token_hash};
pub use chrono_tz::Tz;
pub use error::WebError;
pub use i18n::{Lang, missing_keys};
pub use local_time::{LocalTimeError, local_to_instant};
pub use pages::account::create_account;

/// How the web application is configured.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set this behind HTTPS).
    pub secure_cookies: bool,
    /// The instance's time zone: deadlines and meeting times are entered and shown in it.
    pub time_zone: chrono_tz::Tz,
    /// How often the closer looks for polls past their deadline.
    pub poll_tick: Duration,
    /// Failed-or-not sign-in attempts allowed per login name and per address in `login_window`.
    pub login_attempts_per_login: u32,
    pub login_attempts_per_ip: u32,
    pub login_window: Duration,
    /// Sign-ups allowed per address per `signup_window`.
    pub signups_per_ip: u32,
    pub signup_window: Duration,
    /// Votes an account may try per minute (a real voter needs one per poll).
    pub votes_per_account_per_minute: u32,
    /// The key ring resident credentials are checked with, when the instance publishes one.
    pub credential_keys: Option<Arc<plenum_core::KeyRing>>,
    /// The key the registry desk signs resident credentials with, when the instance issues them.
    pub credential_issuer: Option<Arc<plenum_core::Issuer>>,
    /// Days after a credential expires before its holder's personal data is erased.
    pub registry_grace_days: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            secure_cookies: false,
            time_zone: chrono_tz::UTC,
            poll_tick: Duration::from_secs(5),
            login_attempts_per_login: 10,
            login_attempts_per_ip: 60,
            login_window: Duration::from_secs(300),
            signups_per_ip: 100,
            signup_window: Duration::from_secs(3600),
            votes_per_account_per_minute: 20,
            credential_keys: None,
            credential_issuer: None,
            registry_grace_days: 30,
        }
    }
}

/// Everything a request handler needs: the store, the configuration and the rate limiters.
#[derive(Debug, Clone)]
pub struct App {
    pub store: Arc<Store>,
    pub config: Arc<Config>,
    limits: Arc<rate::Limits>,
}

impl App {
    #[must_use]
    pub fn new(store: Arc<Store>, config: Config) -> App {
        let limits = Arc::new(rate::Limits::new(&config));
        App { store, config: Arc::new(config), limits }
    }
}

/// The largest request body accepted, checked before anything is parsed.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The whole application: pages, the API, the stylesheet and the health check.
pub fn router(app: App) -> Router {
    let pages = Router::new()
        .route("/", get(pages::home::show))
        .route("/signup", get(pages::account::signup_form).post(pages::account::signup))
        .route("/login", get(pages::account::login_form).post(pages::account::login))
        .route("/logout", post(pages::account::logout))
        .route("/bodies", post(pages::body::create))
        .route("/bodies/new", get(pages::body::new_form))
        .route("/bodies/{slug}", get(pages::body::show))
        .route("/bodies/{slug}/join", post(pages::body::join))
        .route("/bodies/{slug}/approve", post(pages::body::approve))
        .route("/bodies/{slug}/motions/new", get(pages::motion::new_form).post(pages::motion::file))
        .route("/bodies/{slug}/meetings/new", get(pages::meeting::new_form).post(pages::meeting::schedule))
        .route("/bodies/{slug}/calendar.ics", get(calendar::feed))
        .route("/meetings/{id}", get(pages::meeting::show))
        .route("/meetings/{id}/attendance", post(pages::meeting::attendance))
        .route("/meetings/{id}/minutes", post(pages::meeting::minutes))
        .route("/meetings/{id}/publish", post(pages::meeting::publish))
        .route("/motions/{id}", get(pages::motion::show))
        .route("/motions/{id}/arguments", post(pages::motion::argue))
        .route("/motions/{id}/amendments", post(pages::motion::amend))
        .route("/motions/{id}/amendments/{amendment}", post(pages::motion::settle))
        .route("/motions/{id}/amendments/{amendment}/polls", post(pages::poll::open_on_amendment))
        .route("/motions/{id}/polls", post(pages::poll::open))
        .route("/polls/{id}", get(pages::poll::show))
        .route("/polls/{id}/vote", post(pages::poll::vote))
        .route("/polls/{id}/receipt", post(pages::poll::check_receipt))
        .route("/polls/{id}/in-person", post(pages::poll::in_person))
        .route("/static/plenum.css", get(pages::stylesheet))
        // --- coalitions ---
        .route("/organisations", get(pages::coalition::list).post(pages::coalition::create))
        .route("/organisations/{id}", get(pages::coalition::show))
        .route("/organisations/{id}/representatives", post(pages::coalition::add_representative))
        .route("/coalitions/new", get(pages::coalition::new_form))
        .route("/coalitions", post(pages::coalition::found))
        .route("/coalitions/{id}", get(pages::coalition::show_coalition))
        .route("/coalitions/{id}/apply", post(pages::coalition::apply))
        .route("/coalitions/{id}/answer", post(pages::coalition::answer))
        .route("/coalitions/{id}/remove", post(pages::coalition::remove))
        .route("/coalitions/{id}/leave", post(pages::coalition::leave))
        .route("/coalitions/{id}/individuals/join", post(pages::coalition::join_individually))
        .route("/coalitions/{id}/individuals/leave", post(pages::coalition::leave_individually))
        .route("/coalitions/{id}/platform", get(pages::platform::show))
        .route("/coalitions/{id}/platform.json", get(pages::platform::export_json))
        .route("/coalitions/{id}/platform.md", get(pages::platform::export_markdown))
        .route("/coalitions/{id}/programme", get(pages::platform::programme))
        .route("/coalitions/{id}/planks", post(pages::platform::propose))
        .route("/coalitions/{id}/planks/{plank}", get(pages::platform::show_plank))
        .route("/coalitions/{id}/planks/{plank}/amend", post(pages::platform::amend))
        .route("/coalitions/{id}/planks/{plank}/position", post(pages::platform::take_position))
        .route("/coalitions/{id}/planks/{plank}/adopt", post(pages::platform::adopt))
        .route("/coalitions/{id}/planks/{plank}/share", post(pages::platform::share))
        .route("/pledges", get(pages::pledge::tracker))
        .route("/candidates", post(pages::pledge::enter))
        .route("/candidates/{id}", get(pages::pledge::show))
        .route("/candidates/{id}/pledges", post(pages::pledge::sign))
        .route("/candidates/{id}/withdraw", post(pages::pledge::withdraw))
        .route("/candidates/{id}/elected", post(pages::pledge::elected))
        .route("/candidates/{id}/votes", post(pages::pledge::record_vote))
        // --- credentials ---
        .route("/credentials/check", get(pages::credential::check))
        // --- budget cycles ---
        .route("/bodies/{slug}/budget-cycles/new", get(pages::budget::new_form))
        .route("/bodies/{slug}/budget-cycles", post(pages::budget::create))
        .route("/budget-cycles/{id}", get(pages::budget::show))
        .route("/budget-cycles/{id}/phase", post(pages::budget::advance))
        .route("/budget-cycles/{id}/ballot-format", post(pages::budget::set_ballot))
        .route("/budget-cycles/{id}/count", post(pages::budget::count))
        .route("/budget-cycles/{id}/ideas", post(pages::budget::submit_idea))
        .route("/budget-cycles/{id}/ideas/{idea}/support", post(pages::budget::support))
        .route("/budget-cycles/{id}/ideas/{idea}/comments", post(pages::budget::comment))
        .route("/budget-cycles/{id}/ideas/{idea}/merge", post(pages::budget::merge))
        .route("/budget-cycles/{id}/projects", post(pages::budget::develop))
        .route("/budget-cycles/{id}/projects/{project}/review", post(pages::budget::review))
        .route("/budget-cycles/{id}/projects/{project}/progress", post(pages::budget::vote::progress))
        .route("/budget-cycles/{id}/ballot", get(pages::budget::vote::ballot).post(pages::budget::vote::cast))
        .route("/budget-cycles/{id}/results", get(pages::budget::vote::results))
        .route("/budget-cycles/{id}/receipt", post(pages::budget::vote::check_receipt))
        .route("/budget-cycles/{id}/implementation", get(pages::budget::vote::implementation))
        .route("/budget-cycles/{id}/projects.csv", get(pages::budget::vote::csv))
        .route("/static/budget-meter.js", get(pages::budget::vote::meter_script))
        // --- confederation ---
        .route("/councils/new", get(pages::council::new_form))
        .route("/councils/{slug}", get(pages::council::show))
        .route("/councils/{slug}/delegates/{account}", get(pages::council::delegate))
        .route("/ratifications/{id}", get(pages::council::ratification))
        .route("/recalls/{id}", get(pages::council::recall))
        // Every confederation form (council, mandate, recall, ratification, dispute, task,
        // election, draw), served by one handler.
        .merge(council_action::page_routes(Router::new()))
        // --- registry ---
        .route("/registry", get(pages::registry::overview))
        .route("/registry/desk", get(pages::registry::desk))
        .route("/registry/enrol", post(pages::registry::enrol))
        .route("/registry/lookup", post(pages::registry::lookup))
        .route("/registry/erase", post(pages::registry::erase))
        .route("/registry/claim", get(pages::registry::claim_form).post(pages::registry::claim))
        .route("/registry/mine", get(pages::registry::mine))
        .route("/registry/mine/erase", post(pages::registry::erase_mine))
        .route("/registry/legal-demands", get(pages::legal_demand::register).post(pages::legal_demand::record))
        .route("/budget-cycles/{id}/residency", get(pages::residency::show).post(pages::residency::require))
        // --- paper ballots ---
        .route("/budget-cycles/{id}/paper", get(pages::budget::paper::show).post(pages::budget::paper::enter))
        .route("/budget-cycles/{id}/paper/volunteers", post(pages::budget::paper::appoint))
        .route("/budget-cycles/{id}/paper/resolve", post(pages::budget::paper::resolve))
        // --- unlinkable ballots ---
        .route("/static/blind-ballot.js", get(pages::unlinkable::script))
        .fallback(pages::not_found)
        .method_not_allowed_fallback(pages::method_not_allowed);
    Router::new()
        .merge(pages)
        .route("/healthz", get(api::healthz))
        .nest("/api/v1", api::router())
        .layer(axum::middleware::from_fn(context::remember_language))
        .layer(axum::middleware::from_fn_with_state(app.clone(), csrf::issue_cookie))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(security::limit_body))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(app)
}

/// Closes overdue polls, starts the closer, and serves until Ctrl-C.
pub async fn serve(app: App, listen: SocketAddr) -> Result<(), std::io::Error> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    serve_on(app, listener, async {
        // If the signal handler cannot be installed, serve until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await
}

/// Closes overdue polls, starts the closer, and serves on `listener` until `shutdown` resolves
/// (`plenum bench http` serves on a port the system chose).
pub async fn serve_on(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), std::io::Error> {
    let closed = closer::close_overdue(&app.store).await.map_err(std::io::Error::other)?;
    if closed > 0 {
        eprintln!("closed {closed} poll(s) whose deadline passed while the server was down");
    }
    let background = tokio::spawn(closer::run(app.store.clone(), app.config.poll_tick));
    // Personal data due for erasure is erased at once, then hourly.
    let erased = registry_sweep::erase_due(&app.store, app.config.registry_grace_days).await.map_err(std::io::Error::other)?;
    if erased > 0 {
        eprintln!("erased the personal data of {erased} resident(s) whose credential expired");
    }
    let sweeper = tokio::spawn(registry_sweep::run(app.store.clone(), app.config.registry_grace_days));
    let service = router(app).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, service).with_graceful_shutdown(shutdown).await;
    background.abort();
    sweeper.abort();
    served
}
