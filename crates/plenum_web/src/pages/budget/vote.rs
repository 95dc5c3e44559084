//! A cycle's vote and what follows: the ballot with its budget meter (a small script updates
//! it as the voter chooses; without it, the server checks the ballot and explains what is
//! wrong), the results with an explanation for every project, an accessible chart and a data
//! table, one click to compare with greedy, receipt checks, the CSV export, and the
//! implementation tracker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use askama::Template;
use axum::extract::{Path, Query, State as AppState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use fluent_bundle::FluentValue;
use plenum_core::budget::count::{GreedyStep, GreedyWhy, PotExplained, Price, RankBasis, Why, explain};
use plenum_core::{
    Amount, BallotFormat, BudgetCycle, BudgetCycleId, BudgetProjectId, BudgetRule, BudgetVote, ImplementationStatus, Phase,
    Prose, ReceiptCode, Refusal, State,
};
use serde::Deserialize;

use super::{Fact, cycle_id, district_name, field, format_label, money_in, rule_label};
use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::{ballot_randomness, now};
use crate::local_time::show as local;
use crate::pages::{Form, Page, name_of, render, see};

#[derive(Debug)]
pub struct BallotProject {
    pub id: String,
    pub code: String,
    pub title: String,
    pub description: String,
    pub cost: u64,
    pub cost_text: String,
    /// The value the form shows (checked, points or rank) when a ballot comes back refused.
    pub value: String,
    pub checked: bool,
}

#[derive(Debug)]
pub struct BallotPot {
    pub key: String,
    pub name: String,
    pub budget: u64,
    pub budget_text: String,
    pub projects: Vec<BallotProject>,
}

#[derive(Template)]
#[template(path = "budget_ballot.html")]
struct BallotPage {
    page: Page,
    id: String,
    title: String,
    format: String,
    /// "approval", "knapsack", "cumulative" or "ranking".
    kind: &'static str,
    points: u32,
    currency: String,
    pots: Vec<BallotPot>,
    can_vote: bool,
    has_voted: bool,
    open: bool,
    error: Option<String>,
    receipt: Option<String>,
}

/// The words for a refused ballot, with its numbers.
pub(super) fn ballot_problem(tr: Tr, refusal: &Refusal) -> String {
    match refusal {
        Refusal::BallotTooFew { min } => tr.args("ballot_too_few", &[("min", FluentValue::from(*min))]),
        Refusal::BallotTooMany { max } => tr.args("ballot_too_many", &[("max", FluentValue::from(*max))]),
        Refusal::BallotOverBudget { cost, budget } => {
            tr.args("ballot_over_budget", &[("cost", FluentValue::from(*cost)), ("budget", FluentValue::from(*budget))])
        }
        Refusal::BallotTooManyPoints { points, limit } => {
            tr.args("ballot_too_many_points", &[("points", FluentValue::from(*points)), ("limit", FluentValue::from(*limit))])
        }
        other if tr.has(other.code()) => tr.t(other.code()),
        other => other.to_string(),
    }
}

fn ballot_page(
    ctx: &Ctx,
    s: &State,
    id: &BudgetCycleId,
    sent: &[(String, String)],
    error: Option<String>,
    receipt: Option<String>,
) -> Option<BallotPage> {
    let tr = ctx.tr;
    let c = s.budgets().cycle(id)?;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let open = c.phase == Phase::Vote && now().is_ok_and(|at| at < c.vote_closes_at());
    let has_voted = me.as_ref().is_some_and(|me| c.voted.contains(me));
    let (kind, points) = match c.format {
        BallotFormat::Approval { .. } => ("approval", 0),
        BallotFormat::Knapsack => ("knapsack", 0),
        BallotFormat::Cumulative { points } => ("cumulative", points),
        BallotFormat::Ranking { .. } => ("ranking", 0),
    };
    let value_of = |project: &str| -> (String, bool) {
        let checked = sent.iter().any(|(k, v)| k == "approve" && v == project);
        let value = field(sent, &format!("points:{project}")).to_owned();
        let rank = field(sent, &format!("rank:{project}")).to_owned();
        (if value.is_empty() { rank } else { value }, checked)
    };
    let pots = c
        .pots()
        .into_iter()
        .map(|pot| {
            let budget = c.pot_budget(pot.as_ref()).unwrap_or_default();
            let projects = s
                .budgets()
                .projects_of(c)
                .filter(|p| p.district == pot)
                .filter_map(|p| {
                    let cost = p.final_cost()?;
                    let (value, checked) = value_of(p.id.as_str());
                    Some(BallotProject {
                        id: p.id.to_string(),
                        code: p.code.clone(),
                        title: p.title.to_string(),
                        description: p.description.to_string(),
                        cost: cost.0,
                        cost_text: money_in(c, cost),
                        value,
                        checked,
                    })
                })
                .collect();
            BallotPot {
                key: pot.as_ref().map_or_else(|| "city".to_owned(), ToString::to_string),
                name: district_name(c, tr, pot.as_ref()),
                budget: budget.0,
                budget_text: money_in(c, budget),
                projects,
            }
        })
        .collect();
    Some(BallotPage {
        page: Page::new(ctx, format!("{} · {}", tr.t("budget-ballot-title"), c.title)),
        id: c.id.to_string(),
        title: c.title.to_string(),
        format: format_label(tr, c.format),
        kind,
        points,
        currency: c.currency.to_string(),
        pots,
        can_vote: open && !has_voted && me.as_ref().is_some_and(|me| c.roll.contains(me)),
        has_voted,
        open,
        error,
        receipt,
    })
}

pub async fn ballot(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = cycle_id(&ctx, &id)?;
    let view = app.store.read(|s| ballot_page(&ctx, s, &id, &[], None, None)).await;
    render(&view.ok_or_else(|| ctx.page_error(WebError::not_found()))?, &ctx)
}

/// Reads a ballot form: `approve` fields (approval and knapsack), `points:{project}` or
/// `rank:{project}` fields; empty fields are left out.
pub(super) fn vote_from(format: BallotFormat, form: &[(String, String)]) -> Result<BudgetVote, WebError> {
    let project = |text: &str| BudgetProjectId::parse(text).map_err(WebError::from);
    let number = |v: &str| {
        v.trim().parse::<u32>().map_err(|_| WebError::bad_input("invalid_number", format!("{v:?} is not a whole number")))
    };
    Ok(match format {
        BallotFormat::Approval { .. } | BallotFormat::Knapsack => {
            BudgetVote::Approval(form.iter().filter(|(k, _)| k == "approve").map(|(_, v)| project(v)).collect::<Result<_, _>>()?)
        }
        BallotFormat::Cumulative { .. } => {
            let mut marks = Vec::new();
            for (k, v) in form {
                if let Some(id) = k.strip_prefix("points:")
                    && !v.trim().is_empty()
                {
                    let n = number(v)?;
                    if n > 0 {
                        marks.push((project(id)?, n));
                    }
                }
            }
            BudgetVote::Points(marks)
        }
        BallotFormat::Ranking { .. } => {
            let mut ranked = Vec::new();
            for (k, v) in form {
                if let Some(id) = k.strip_prefix("rank:")
                    && !v.trim().is_empty()
                {
                    ranked.push((number(v)?, project(id)?));
                }
            }
            ranked.sort();
            if ranked.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(WebError::bad_input("duplicate_rank", "two projects have the same rank"));
            }
            BudgetVote::Ranking(ranked.into_iter().map(|(_, p)| p).collect())
        }
    })
}

/// Casts the viewer's ballot. Answers with the ballot page: the receipt (shown once) or what is
/// wrong with the ballot, with the choices kept.
pub async fn cast(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let cycle = cycle_id(&ctx, &id)?;
    app.limits.votes_by_account.hit(viewer.as_str()).map_err(|e| ctx.page_error(e))?;
    let format = app.store.read(|s| s.budgets().cycle(&cycle).map(|c| c.format)).await;
    let format = format.ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    let outcome = match vote_from(format, &form) {
        Ok(vote) => match app.store.cast_budget_ballot(&cycle, vote, &viewer, now()?, ballot_randomness()?).await {
            Ok(cast) => Ok(cast.receipt),
            Err(plenum_store::StoreError::Refused(refusal)) => Err(ballot_problem(ctx.tr, &refusal)),
            Err(other) => return Err(ctx.page_error(other)),
        },
        Err(e) => Err(if ctx.tr.has(e.code) { ctx.tr.t(e.code) } else { e.message }),
    };
    let (error, receipt) = match outcome {
        Ok(receipt) => (None, Some(receipt.to_string())),
        Err(message) => (Some(message), None),
    };
    let refused = error.is_some();
    let view = app.store.read(|s| ballot_page(&ctx, s, &cycle, &form, error, receipt)).await;
    let response = render(&view.ok_or_else(|| ctx.page_error(WebError::not_found()))?, &ctx)?;
    Ok(if refused { (StatusCode::UNPROCESSABLE_ENTITY, response).into_response() } else { response })
}

/// Explanations are a recount with the PB engine's working; a counted cycle never changes, so
/// each (cycle, rule) is computed once.
type Explanations = Arc<Vec<PotExplained>>;

fn explained(s: &State, c: &BudgetCycle, rule: BudgetRule) -> Result<Explanations, Refusal> {
    static CACHE: OnceLock<Mutex<HashMap<(BudgetCycleId, BudgetRule), Explanations>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let key = (c.id.clone(), rule);
    if let Some(hit) = cache.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return Ok(hit);
    }
    let value = Arc::new(explain(c, s.budgets(), rule)?);
    if let Ok(mut m) = cache.lock() {
        m.insert(key, Arc::clone(&value));
    }
    Ok(value)
}

#[derive(Debug)]
pub struct ResultRow {
    pub code: String,
    pub title: String,
    pub cost: String,
    pub votes: u64,
    pub funded: bool,
    pub compared: Option<bool>,
    pub why: String,
    /// Whether `why` is the engine's English sentence (no working was recorded to word it).
    pub why_english: bool,
    /// Why, under the rule compared with.
    pub compared_why: Option<String>,
}

#[derive(Debug)]
pub struct Bar {
    pub label: String,
    pub y: u64,
    pub width: u64,
    pub votes: u64,
    pub funded: bool,
}

#[derive(Debug)]
pub struct PotView {
    pub name: String,
    pub facts: Vec<Fact>,
    pub rows: Vec<ResultRow>,
    pub bars: Vec<Bar>,
    pub chart_height: u64,
    pub chart_id: String,
}

#[derive(Template)]
#[template(path = "budget_results.html")]
struct ResultsPage {
    page: Page,
    id: String,
    title: String,
    rule: String,
    compare: Option<String>,
    compare_link: Option<(String, String)>,
    /// The heading of the column explaining the compared rule's decisions.
    compare_why: Option<String>,
    pots: Vec<PotView>,
    ballots: String,
    board: Vec<(String, String)>,
    board_complete: bool,
    receipt_check: Option<(bool, String)>,
}

#[derive(Debug, Deserialize)]
pub struct ResultsQuery {
    #[serde(default)]
    compare: Option<String>,
}

pub(super) fn vote_words(s: &State, c: &BudgetCycle, vote: &BudgetVote) -> String {
    let code = |p: &BudgetProjectId| s.budgets().project(p).map_or_else(|| "?".to_owned(), |p| p.code.clone());
    match vote {
        BudgetVote::Approval(p) | BudgetVote::Ranking(p) => p.iter().map(code).collect::<Vec<_>>().join(", "),
        BudgetVote::Points(p) => p.iter().map(|(id, n)| format!("{}: {n}", code(id))).collect::<Vec<_>>().join(", "),
    }
    .chars()
    .take(if c.imported { 200 } else { 2000 })
    .collect()
}

const BOARD_SHOWN: usize = 500;

/// Why a project was or was not funded, in the reader's language (from the count's data); `None`
/// for rules whose explanation is the engine's English sentence.
fn why_words(tr: Tr, why: &Why) -> Option<String> {
    let s = |x: &str| FluentValue::from(x.to_owned());
    let price = |key: &str, p: &Price| tr.args(key, &[("share", s(&p.per_supporter)), ("effective", s(&p.effective))]);
    Some(match why {
        Why::Other => return None,
        Why::Free => tr.t("budget-why-free"),
        Why::NoSupport => tr.t("budget-why-no-support"),
        Why::FundedByCompletion(scan) => {
            let mut text = tr.t("budget-why-completion");
            if let Some(g) = scan {
                text.push_str(" (");
                text.push_str(&greedy_words(tr, g));
                text.push(')');
            }
            text
        }
        Why::Greedy(g) => {
            let key = if matches!(g.step, GreedyStep::Funded { .. }) { "budget-why-funded" } else { "budget-why-not-funded" };
            format!("{}: {}", tr.t(key), greedy_words(tr, g))
        }
        Why::CostsMoreThanBudget { cost, budget } => {
            tr.args("budget-why-over-budget", &[("cost", s(cost)), ("budget", s(budget))])
        }
        Why::PhragmenFunded { round, load } => match load {
            Some(load) => tr.args("budget-why-phragmen-funded", &[("round", FluentValue::from(*round)), ("load", s(load))]),
            None => tr.args("budget-why-phragmen-funded-unbounded", &[("round", FluentValue::from(*round))]),
        },
        Why::PhragmenStoppedHere { round, cost, left } => tr.args(
            "budget-why-phragmen-stopped-here",
            &[("round", FluentValue::from(*round)), ("cost", s(cost)), ("left", s(left))],
        ),
        Why::PhragmenStoppedBefore { round, project } => {
            tr.args("budget-why-phragmen-stopped-before", &[("round", FluentValue::from(*round)), ("project", s(project))])
        }
        Why::NotFunded => tr.t("budget-why-not-funded"),
        Why::WelfareFunded { welfare, own } => tr.args("budget-why-welfare-funded", &[("welfare", s(welfare)), ("own", s(own))]),
        Why::WelfareBestWith { with, welfare } => {
            tr.args("budget-why-welfare-best-with", &[("with", s(with)), ("welfare", s(welfare))])
        }
        Why::WelfareNoSet { welfare } => tr.args("budget-why-welfare-no-set", &[("welfare", s(welfare))]),
        Why::FundedInRound { round, price: p, paid_in_full, gave_all, next_best } => {
            let mut text = tr.args(
                "budget-why-funded-round",
                &[
                    ("round", FluentValue::from(*round)),
                    ("price", s(&price("budget-why-price", p))),
                    ("full", FluentValue::from(*paid_in_full)),
                ],
            );
            if *gave_all > 0 {
                text.push(' ');
                text.push_str(&tr.args("budget-why-gave-all", &[("gave", FluentValue::from(*gave_all))]));
            }
            if let Some((project, q)) = next_best {
                text.push_str("; ");
                text.push_str(
                    &tr.args("budget-why-next-best", &[("project", s(project)), ("price", s(&price("budget-why-price", q)))]),
                );
            }
            text
        }
        Why::OutOfReach { after_round, available, cost, short, lost_to } => {
            let args =
                [("available", s(available)), ("cost", s(cost)), ("short", s(short)), ("round", FluentValue::from(*after_round))];
            let mut text =
                tr.args(if *after_round == 0 { "budget-why-out-of-reach-start" } else { "budget-why-out-of-reach" }, &args);
            if let Some((round, p, winner, w)) = lost_to {
                text.push_str("; ");
                text.push_str(&tr.args(
                    "budget-why-lost-to",
                    &[
                        ("round", FluentValue::from(*round)),
                        ("price", s(&price("budget-why-price", p))),
                        ("winner", s(winner)),
                        ("winner_price", s(&price("budget-why-price", w))),
                    ],
                ));
            }
            text
        }
    })
}

/// A greedy scan's ranking of a project, in the reader's language: its place, its score and
/// what the scan did with it.
fn greedy_words(tr: Tr, g: &GreedyWhy) -> String {
    let s = |x: &str| FluentValue::from(x.to_owned());
    // A whole score is a number (so that "1 vote" is singular); a fraction stays as written.
    let score = |x: &str| x.parse::<u64>().map_or_else(|_| s(x), FluentValue::from);
    let place = [("place", FluentValue::from(g.place)), ("of", FluentValue::from(g.of))];
    let mut text = match (&g.score, g.basis) {
        (None, _) => tr.args("budget-why-rank-free", &place),
        (Some(x), basis) => {
            let key = match basis {
                RankBasis::Votes => "budget-why-rank-votes",
                RankBasis::Points => "budget-why-rank-points",
                RankBasis::SupportPerCost => "budget-why-rank-support-per-cost",
            };
            let [a, b] = place;
            tr.args(key, &[a, b, ("score", score(x))])
        }
    };
    let step = match &g.step {
        GreedyStep::Funded { cost, left } => tr.args("budget-why-greedy-funded", &[("cost", s(cost)), ("left", s(left))]),
        GreedyStep::DidNotFit { cost, left, stopped } => tr.args(
            if *stopped { "budget-why-greedy-stopped-here" } else { "budget-why-greedy-did-not-fit" },
            &[("cost", s(cost)), ("left", s(left))],
        ),
        GreedyStep::AfterStop => tr.t("budget-why-greedy-after-stop"),
        GreedyStep::BelowThreshold { threshold } => tr.args("budget-why-greedy-below-threshold", &[("threshold", s(threshold))]),
        GreedyStep::Withdrawn => tr.t("budget-why-greedy-withdrawn"),
    };
    text.push_str("; ");
    text.push_str(&step);
    text
}

fn results_page(
    ctx: &Ctx,
    app: &App,
    s: &State,
    id: &BudgetCycleId,
    compare: Option<BudgetRule>,
    receipt_check: Option<(bool, String)>,
) -> Result<Option<ResultsPage>, Refusal> {
    let tr = ctx.tr;
    let Some(c) = s.budgets().cycle(id) else { return Ok(None) };
    let Some(counted) = &c.counted else { return Ok(None) };
    let compare = compare.filter(|r| *r != c.rule && (*r != BudgetRule::Phragmen || c.format.is_approval()));
    let main = explained(s, c, c.rule)?;
    let other = compare.map(|r| explained(s, c, r)).transpose()?;
    let mut pots = Vec::new();
    for (k, pot) in main.iter().enumerate() {
        let fact = |label: &str, value: String| Fact { label: tr.t(label), value };
        let mut facts = vec![
            fact("budget-pot-budget", money_in(c, pot.budget)),
            fact("budget-pot-spent", money_in(c, pot.spent)),
            fact("budget-pot-funded", pot.funded.len().to_string()),
        ];
        if let (Some(rule), Some(o)) = (compare, other.as_ref().and_then(|o| o.get(k))) {
            facts.push(Fact {
                label: format!("{} ({})", tr.t("budget-pot-spent"), rule_label(tr, rule)),
                value: money_in(c, o.spent),
            });
        }
        let max_votes = pot.projects.iter().map(|p| p.votes).max().unwrap_or(0).max(1);
        let mut rows: Vec<ResultRow> = pot
            .projects
            .iter()
            .map(|p| {
                let project = s.budgets().project(&p.project);
                let compared =
                    other.as_ref().and_then(|o| o.get(k)).and_then(|o| o.projects.iter().find(|q| q.project == p.project));
                let words = why_words(tr, &p.reason);
                ResultRow {
                    code: project.map(|x| x.code.clone()).unwrap_or_default(),
                    title: project.map(|x| x.title.to_string()).unwrap_or_default(),
                    cost: money_in(c, project.and_then(|x| x.final_cost()).unwrap_or_default()),
                    votes: p.votes,
                    funded: p.funded,
                    compared: compared.map(|q| q.funded),
                    why_english: words.is_none(),
                    why: words.unwrap_or_else(|| p.why.clone()),
                    compared_why: compared.map(|q| why_words(tr, &q.reason).unwrap_or_else(|| q.why.clone())),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.funded.cmp(&a.funded).then(b.votes.cmp(&a.votes)).then(a.code.cmp(&b.code)));
        let bars: Vec<Bar> = rows
            .iter()
            .take(40)
            .enumerate()
            .map(|(i, r)| Bar {
                label: format!("{} {}", r.code, r.title.chars().take(28).collect::<String>()),
                y: i as u64 * 24,
                width: r.votes * 400 / max_votes,
                votes: r.votes,
                funded: r.funded,
            })
            .collect();
        pots.push(PotView {
            name: district_name(c, tr, pot.district.as_ref()),
            facts,
            chart_height: bars.len() as u64 * 24 + 4,
            bars,
            rows,
            chart_id: format!("chart-{k}"),
        });
    }
    let _ = app;
    let compare_link = if compare.is_some() {
        Some((format!("/budget-cycles/{id}/results"), tr.t("budget-compare-off")))
    } else if c.rule != BudgetRule::Greedy {
        Some((format!("/budget-cycles/{id}/results?compare=greedy"), tr.t("budget-compare-greedy")))
    } else {
        Some((format!("/budget-cycles/{id}/results?compare=equal_shares"), tr.t("budget-compare-equal-shares")))
    };
    Ok(Some(ResultsPage {
        page: Page::new(ctx, format!("{} · {}", tr.t("budget-results-title"), c.title)),
        id: c.id.to_string(),
        title: c.title.to_string(),
        rule: rule_label(tr, c.rule),
        compare: compare.map(|r| rule_label(tr, r)),
        compare_why: compare.map(|r| tr.args("budget-why-compared", &[("rule", FluentValue::from(rule_label(tr, r)))])),
        compare_link,
        pots,
        ballots: tr.n("budget-ballots-counted", counted.result.ballots),
        board: counted
            .ballots
            .iter()
            .take(BOARD_SHOWN)
            .map(|b| {
                let label = b.paper.map_or_else(
                    || b.receipt.to_string(),
                    |n| tr.args("paper-board-label", &[("number", FluentValue::from(n.0))]),
                );
                (label, vote_words(s, c, &b.vote))
            })
            .collect(),
        board_complete: counted.ballots.len() <= BOARD_SHOWN,
        receipt_check,
    }))
}

pub async fn results(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Query(query): Query<ResultsQuery>,
) -> Result<Response, WebError> {
    let id = cycle_id(&ctx, &id)?;
    let compare = query.compare.as_deref().and_then(BudgetRule::parse);
    let view = app.store.read(|s| results_page(&ctx, &app, s, &id, compare, None)).await.map_err(|e| ctx.page_error(e))?;
    render(&view.ok_or_else(|| ctx.page_error(WebError::not_found()))?, &ctx)
}

pub async fn check_receipt(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let id = cycle_id(&ctx, &id)?;
    let tr = ctx.tr;
    let code = ReceiptCode::parse(field(&form, "receipt")).ok();
    let view = app
        .store
        .read(|s| {
            let c = s.budgets().cycle(&id)?;
            let found = code.as_ref().and_then(|code| c.counted.as_ref()?.ballots.iter().find(|b| &b.receipt == code));
            let check = match found {
                Some(b) => (true, format!("{} {}", tr.t("receipt-found"), vote_words(s, c, &b.vote))),
                None => (false, tr.t("receipt-not-found")),
            };
            results_page(&ctx, &app, s, &id, None, Some(check)).ok().flatten()
        })
        .await;
    render(&view.ok_or_else(|| ctx.page_error(WebError::not_found()))?, &ctx)
}

fn csv_cell(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// The projects and the result as CSV (semicolon-separated, as Pabulib): one row per project.
pub async fn csv(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = cycle_id(&ctx, &id)?;
    let text = app
        .store
        .read(|s| {
            let c = s.budgets().cycle(&id)?;
            let mut out = String::from(
                "project_id;code;title;district;estimate;feasible;final_cost;reason;votes;funded;status;spent;currency\n",
            );
            let votes = |p: &BudgetProjectId| {
                c.counted
                    .as_ref()
                    .and_then(|k| k.result.pots.iter().flat_map(|x| &x.votes).find(|(q, _)| q == p).map(|(_, v)| *v))
            };
            // Amounts as the exact decimal numbers they stand for (an imported file's `216829.41`).
            let plain = |a: Amount| if c.decimals == 0 { a.to_string() } else { c.exact(a).to_decimal(c.decimals) };
            for p in s.budgets().projects_of(c) {
                let (feasible, cost, reason) = match &p.review {
                    Some(plenum_core::Review::Feasible { final_cost }) => ("1", plain(*final_cost), String::new()),
                    Some(plenum_core::Review::NotFeasible { reason }) => ("0", String::new(), reason.to_string()),
                    None => ("", String::new(), String::new()),
                };
                let funded = c.counted.as_ref().map(|k| if k.result.is_funded(&p.id) { "1" } else { "0" }).unwrap_or("");
                let latest = p.latest();
                let row = [
                    p.id.to_string(),
                    p.code.clone(),
                    p.title.to_string(),
                    p.district.as_ref().map(ToString::to_string).unwrap_or_default(),
                    plain(p.estimate),
                    feasible.to_owned(),
                    cost,
                    reason,
                    votes(&p.id).map(|v| v.to_string()).unwrap_or_default(),
                    funded.to_owned(),
                    latest.map(|l| l.status.name().to_owned()).unwrap_or_default(),
                    latest.map(|l| plain(l.spent)).unwrap_or_default(),
                    c.currency.to_string(),
                ];
                out.push_str(&row.iter().map(|x| csv_cell(x)).collect::<Vec<_>>().join(";"));
                out.push('\n');
            }
            Some(out)
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
}

#[derive(Debug)]
pub struct TrackedProject {
    pub id: String,
    pub code: String,
    pub title: String,
    pub district: String,
    pub cost: String,
    pub status: String,
    pub spent: String,
    pub updates: Vec<Fact>,
}

#[derive(Template)]
#[template(path = "budget_implementation.html")]
struct ImplementationPage {
    page: Page,
    id: String,
    title: String,
    projects: Vec<TrackedProject>,
    can_update: bool,
    statuses: Vec<(String, String)>,
}

fn status_label(tr: Tr, status: ImplementationStatus) -> String {
    tr.t(&format!("budget-status-{}", status.name().replace('_', "-")))
}

pub async fn implementation(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = cycle_id(&ctx, &id)?;
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let c = s.budgets().cycle(&id)?;
            let counted = c.counted.as_ref()?;
            let b = s.body(&c.body)?;
            let projects = s
                .budgets()
                .projects_of(c)
                .filter(|p| counted.result.is_funded(&p.id))
                .map(|p| TrackedProject {
                    id: p.id.to_string(),
                    code: p.code.clone(),
                    title: p.title.to_string(),
                    district: district_name(c, tr, p.district.as_ref()),
                    cost: money_in(c, p.final_cost().unwrap_or_default()),
                    status: p
                        .latest()
                        .map_or_else(|| status_label(tr, ImplementationStatus::Planned), |l| status_label(tr, l.status)),
                    spent: money_in(c, p.latest().map_or(Amount(0), |l| l.spent)),
                    updates: p
                        .progress
                        .iter()
                        .rev()
                        .map(|u| Fact {
                            label: format!("{} · {} · {}", local(u.at, zone), status_label(tr, u.status), name_of(s, &u.by)),
                            value: format!("{} — {}", u.note, money_in(c, u.spent)),
                        })
                        .collect(),
                })
                .collect();
            Some(ImplementationPage {
                page: Page::new(&ctx, format!("{} · {}", tr.t("budget-implementation-title"), c.title)),
                id: c.id.to_string(),
                title: c.title.to_string(),
                projects,
                can_update: c.phase == Phase::Implementation && me.as_ref().is_some_and(|me| b.is_facilitator(me)),
                statuses: ImplementationStatus::ALL.iter().map(|&x| (x.name().to_owned(), status_label(tr, x))).collect(),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

pub async fn progress(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, project)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let project = BudgetProjectId::parse(&project).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let parsed = (|| {
        let status = ImplementationStatus::parse(field(&form, "status"))
            .ok_or_else(|| WebError::bad_input("invalid_input", "choose a status"))?;
        let spent = Amount::parse(field(&form, "spent")).map_err(|e| WebError::bad_input("invalid_amount", e.to_string()))?;
        Ok::<_, WebError>((status, spent, Prose::parse(field(&form, "note"))?))
    })()
    .map_err(|e| ctx.page_error(e))?;
    let at = now()?;
    app.store
        .execute(|s| s.record_progress(&project, parsed.0, parsed.1, parsed.2, &viewer, at))
        .await
        .map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/budget-cycles/{id}/implementation")))
}

pub async fn meter_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../../static/budget-meter.js"),
    )
}
