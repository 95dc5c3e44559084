//! Participatory budgeting: starting a cycle, the cycle page (phases, ideas, projects, review,
//! the facilitators' forms), and in `vote` the ballot with its budget meter, the results with
//! an explanation for every project and the implementation tracker.

pub mod paper;
pub mod vote;

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::{
    Amount, BallotFormat, BudgetCycle, BudgetCycleId, BudgetProjectId, BudgetRule, CommentId, Coordinates, Currency,
    DevelopProject, District, DistrictId, IdeaId, IdeasFrom, Instant, NewCycle, Phase, Place, Prose, Review, State, SubmitIdea,
    Title,
};

use crate::App;
use crate::context::Ctx;
use crate::csrf;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::ids::{new_id, now};
use crate::local_time::{field_value, local_to_instant, show as local};
use crate::pages::body::body_by_slug;
use crate::pages::{Form, Page, name_of, render, see};

/// A label and a value.
#[derive(Debug)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A phase in the schedule: planned start, when it really started, whether it is the current one.
#[derive(Debug)]
pub struct PhaseRow {
    pub label: String,
    pub planned: String,
    pub started: String,
    pub current: bool,
}

#[derive(Debug)]
pub struct Option_ {
    pub value: String,
    pub label: String,
}

#[derive(Debug)]
pub struct IdeaView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub place: String,
    pub district: String,
    pub author: String,
    pub supporters: String,
    pub merged_into: Option<String>,
    pub comments: Vec<Fact>,
    pub can_support: bool,
}

#[derive(Debug)]
pub struct ProjectView {
    pub id: String,
    pub code: String,
    pub title: String,
    pub description: String,
    pub district: String,
    pub estimate: String,
    /// "feasible", "not_feasible" or "awaiting".
    pub review: &'static str,
    pub review_text: String,
    pub final_cost: String,
    pub funded: Option<bool>,
}

#[derive(Template)]
#[template(path = "budget_cycle.html")]
struct CyclePage {
    page: Page,
    id: String,
    title: String,
    description: String,
    body_slug: String,
    body_name: String,
    phase: String,
    phase_name: &'static str,
    facts: Vec<Fact>,
    schedule: Vec<PhaseRow>,
    ideas: Vec<IdeaView>,
    live_ideas: Vec<Option_>,
    projects: Vec<ProjectView>,
    districts: Vec<Option_>,
    signed_in: bool,
    is_facilitator: bool,
    next_phase: Option<(&'static str, String)>,
    can_count: bool,
    counted: bool,
}

#[derive(Template)]
#[template(path = "budget_new.html")]
struct NewCyclePage {
    page: Page,
    slug: String,
    body_name: String,
    zone: String,
    dates: Vec<(String, String, String)>,
    rules: Vec<Option_>,
}

pub(crate) fn cycle_id(ctx: &Ctx, id: &str) -> Result<BudgetCycleId, WebError> {
    BudgetCycleId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

pub(crate) fn money(amount: Amount, currency: &Currency) -> String {
    // Thin spaces between groups of three digits, then the currency code.
    let digits = amount.0.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    format!("{out} {currency}")
}

/// An amount of a cycle, with the cycle's decimal places (an imported file's `216829.41`).
pub(crate) fn money_in(c: &BudgetCycle, amount: Amount) -> String {
    let d = c.decimals as usize;
    if d == 0 {
        return money(amount, &c.currency);
    }
    let digits = format!("{:0>width$}", amount.0, width = d + 1);
    let (whole, fraction) = digits.split_at(digits.len() - d);
    let whole = money(Amount(whole.parse().unwrap_or(0)), &c.currency);
    let (number, currency) = whole.rsplit_once(' ').unwrap_or((whole.as_str(), ""));
    format!("{number}.{fraction} {currency}")
}

pub(crate) fn phase_label(tr: Tr, phase: Phase) -> String {
    tr.t(&format!("budget-phase-{}", phase.name().replace('_', "-")))
}

pub(crate) fn rule_label(tr: Tr, rule: BudgetRule) -> String {
    tr.t(&format!("budget-rule-{}", rule.name().replace('_', "-")))
}

pub(crate) fn format_label(tr: Tr, format: BallotFormat) -> String {
    use fluent_bundle::FluentValue;
    match format {
        BallotFormat::Approval { min, max } => {
            tr.args("budget-format-approval", &[("min", FluentValue::from(min)), ("max", FluentValue::from(max))])
        }
        BallotFormat::Knapsack => tr.t("budget-format-knapsack"),
        BallotFormat::Cumulative { points } => tr.args("budget-format-cumulative", &[("points", FluentValue::from(points))]),
        BallotFormat::Ranking { max } => tr.args("budget-format-ranking", &[("max", FluentValue::from(max))]),
    }
}

pub(crate) fn district_name(c: &BudgetCycle, tr: Tr, district: Option<&DistrictId>) -> String {
    match district {
        None => tr.t("budget-city-wide"),
        Some(d) => c.districts.iter().find(|x| &x.id == d).map_or_else(|| "?".to_owned(), |x| x.name.to_string()),
    }
}

fn cycle_page(ctx: &Ctx, app: &App, s: &State, id: &BudgetCycleId) -> Option<CyclePage> {
    let tr = ctx.tr;
    let zone = app.config.time_zone;
    let me = ctx.viewer.as_ref().map(|v| v.id.clone());
    let c = s.budgets().cycle(id)?;
    let b = s.body(&c.body)?;
    let is_facilitator = me.as_ref().is_some_and(|me| b.is_facilitator(me));
    let fact = |label: &str, value: String| Fact { label: tr.t(label), value };
    let mut facts = vec![
        fact("budget-total", money_in(c, c.total)),
        fact("budget-format", format_label(tr, c.format)),
        fact("budget-rule", rule_label(tr, c.rule)),
    ];
    if !c.districts.is_empty() {
        facts.push(fact("budget-city-wide", money_in(c, c.city_wide_budget())));
        for d in &c.districts {
            facts.push(Fact { label: d.name.to_string(), value: money_in(c, d.budget) });
        }
    }
    if c.phase >= Phase::Vote {
        facts.push(fact("budget-roll", c.roll.len().to_string()));
        facts.push(fact("budget-voted", c.voted.len().max(c.counted.as_ref().map_or(0, |k| k.ballots.len())).to_string()));
    }
    let schedule = Phase::ALL
        .iter()
        .map(|&p| PhaseRow {
            label: phase_label(tr, p),
            planned: c.schedule.get(p.index()).map(|&i| local(i, zone)).unwrap_or_default(),
            started: c.transitions.iter().find(|t| t.to == p).map(|t| local(t.at, zone)).unwrap_or_default(),
            current: p == c.phase,
        })
        .collect();
    let in_ideas = c.phase == Phase::Ideas && !c.imported;
    let ideas: Vec<IdeaView> = s
        .budgets()
        .ideas_of(&c.id)
        .map(|i| IdeaView {
            id: i.id.to_string(),
            title: i.title.to_string(),
            description: i.description.to_string(),
            category: i.category.to_string(),
            place: i
                .place
                .as_ref()
                .map(|p| {
                    let mut text = p.name.as_ref().map(ToString::to_string).unwrap_or_default();
                    if let Some(xy) = p.coordinates {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(&format!(
                            "({}, {})",
                            Coordinates::degrees(xy.lat_micro),
                            Coordinates::degrees(xy.lon_micro)
                        ));
                    }
                    text
                })
                .unwrap_or_default(),
            district: district_name(c, tr, i.district.as_ref()),
            author: name_of(s, &i.by),
            supporters: tr.n("budget-supporters", i.supporters.len() as u64),
            merged_into: i.merged_into.as_ref().and_then(|m| s.budgets().idea(m)).map(|m| m.title.to_string()),
            comments: i.comments.iter().map(|x| Fact { label: name_of(s, &x.by), value: x.text.to_string() }).collect(),
            can_support: in_ideas && i.merged_into.is_none() && me.as_ref().is_some_and(|me| !i.supporters.contains(me)),
        })
        .collect();
    let live_ideas = s
        .budgets()
        .ideas_of(&c.id)
        .filter(|i| i.merged_into.is_none())
        .map(|i| Option_ { value: i.id.to_string(), label: i.title.to_string() })
        .collect();
    let funded = |p: &BudgetProjectId| c.counted.as_ref().map(|k| k.result.is_funded(p));
    let projects = s
        .budgets()
        .projects_of(c)
        .map(|p| {
            let (review, review_text, final_cost) = match &p.review {
                Some(Review::Feasible { final_cost }) => ("feasible", tr.t("budget-feasible"), money_in(c, *final_cost)),
                Some(Review::NotFeasible { reason }) => ("not_feasible", reason.to_string(), String::new()),
                None => ("awaiting", tr.t("budget-awaiting-review"), String::new()),
            };
            ProjectView {
                id: p.id.to_string(),
                code: p.code.clone(),
                title: p.title.to_string(),
                description: p.description.to_string(),
                district: district_name(c, tr, p.district.as_ref()),
                estimate: money_in(c, p.estimate),
                review,
                review_text,
                final_cost,
                funded: funded(&p.id),
            }
        })
        .collect();
    let at = now().unwrap_or(c.schedule[0]);
    Some(CyclePage {
        page: Page::new(ctx, c.title.to_string()),
        id: c.id.to_string(),
        title: c.title.to_string(),
        description: c.description.to_string(),
        body_slug: b.slug.to_string(),
        body_name: b.name.to_string(),
        phase: phase_label(tr, c.phase),
        phase_name: c.phase.name(),
        facts,
        schedule,
        ideas,
        live_ideas,
        projects,
        districts: c.districts.iter().map(|d| Option_ { value: d.id.to_string(), label: d.name.to_string() }).collect(),
        signed_in: me.is_some(),
        is_facilitator,
        next_phase: c.phase.next().filter(|n| *n != Phase::Results && !c.imported).map(|n| (n.name(), phase_label(tr, n))),
        can_count: is_facilitator && c.phase == Phase::Vote && at >= c.vote_closes_at(),
        counted: c.counted.is_some(),
    })
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = cycle_id(&ctx, &id)?;
    let view = app.store.read(|s| cycle_page(&ctx, &app, s, &id)).await.ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

pub async fn new_form(ctx: Ctx, AppState(app): AppState<App>, Path(slug): Path<String>) -> Result<Response, WebError> {
    ctx.viewer()?;
    let at = now()?;
    let zone = app.config.time_zone;
    let tr = ctx.tr;
    let view = app
        .store
        .read(|s| {
            let b = body_by_slug(s, &slug)?;
            Some(NewCyclePage {
                page: Page::new(&ctx, tr.t("budget-new-title")),
                slug: b.slug.to_string(),
                body_name: b.name.to_string(),
                zone: zone.name().to_owned(),
                dates: Phase::ALL
                    .iter()
                    .map(|&p| {
                        let day = i64::try_from(p.index()).unwrap_or(0) * 14 * 86_400;
                        (p.name().to_owned(), phase_label(tr, p), field_value(at.plus_seconds(day + 3600), zone))
                    })
                    .collect(),
                rules: BudgetRule::ALL
                    .iter()
                    .map(|&r| Option_ { value: r.name().to_owned(), label: rule_label(tr, r) })
                    .collect(),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

/// The value of the first field `name` in a form read as pairs.
pub(crate) fn field<'f>(form: &'f [(String, String)], name: &str) -> &'f str {
    form.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

fn number(form: &[(String, String)], name: &str) -> Result<u32, WebError> {
    field(form, name).trim().parse().map_err(|_| WebError::bad_input("invalid_number", format!("{name}: a whole number")))
}

/// The ballot format and rule a form asks for.
pub(crate) fn format_and_rule(form: &[(String, String)]) -> Result<(BallotFormat, BudgetRule), WebError> {
    let format = match field(form, "format") {
        "approval" => BallotFormat::Approval { min: number(form, "min")?, max: number(form, "max")? },
        "knapsack" => BallotFormat::Knapsack,
        "cumulative" => BallotFormat::Cumulative { points: number(form, "points")? },
        "ranking" => BallotFormat::Ranking { max: number(form, "max")? },
        other => return Err(WebError::bad_input("invalid_input", format!("{other:?} is not a ballot format"))),
    };
    let rule =
        BudgetRule::parse(field(form, "rule")).ok_or_else(|| WebError::bad_input("invalid_input", "choose a counting rule"))?;
    Ok((format, rule))
}

fn amount(text: &str) -> Result<Amount, WebError> {
    Amount::parse(text).map_err(|e| WebError::bad_input("invalid_amount", e.to_string()))
}

/// Districts from lines `Name = amount`.
fn districts(text: &str) -> Result<Vec<District>, WebError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, budget) =
            line.rsplit_once('=').ok_or_else(|| WebError::bad_input("invalid_districts", format!("{line:?}: Name = amount")))?;
        out.push(District { id: new_id(DistrictId::parse)?, name: Title::parse(name)?, budget: amount(budget)? });
    }
    Ok(out)
}

pub async fn create(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let viewer = ctx.viewer()?.id.clone();
    let zone = app.config.time_zone;
    let created = async {
        let body = app.store.read(|s| body_by_slug(s, &slug).map(|b| b.id.clone())).await.ok_or_else(WebError::not_found)?;
        let (format, rule) = format_and_rule(&form)?;
        let schedule = Phase::ALL
            .iter()
            .map(|p| local_to_instant(field(&form, &format!("date_{}", p.name())), zone))
            .collect::<Result<Vec<Instant>, _>>()
            .map_err(|e| WebError::bad_input(e.code(), e.to_string()))?;
        let cycle = new_id(BudgetCycleId::parse)?;
        let new = NewCycle {
            cycle: cycle.clone(),
            body,
            title: Title::parse(field(&form, "title"))?,
            description: Prose::parse(field(&form, "description"))?,
            currency: Currency::parse(field(&form, "currency"))
                .map_err(|e| WebError::bad_input("invalid_currency", e.to_string()))?,
            total: amount(field(&form, "total"))?,
            districts: districts(field(&form, "districts"))?,
            schedule,
            ideas_from: if field(&form, "ideas_from") == "residents" { IdeasFrom::Residents } else { IdeasFrom::Members },
            format,
            rule,
        };
        let at = now()?;
        app.store.execute(|s| s.create_budget_cycle(new, &viewer, at)).await?;
        Ok::<_, WebError>(cycle)
    }
    .await
    .map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/budget-cycles/{created}")))
}

/// Runs a command for the signed-in viewer and goes back to the cycle page (at `anchor`).
async fn act(
    ctx: &Ctx,
    app: &App,
    cycle: &str,
    anchor: &str,
    command: impl FnOnce(&State, &plenum_core::AccountId, Instant) -> Result<Vec<plenum_core::Event>, plenum_core::Refusal>,
) -> Result<Response, WebError> {
    let viewer = ctx.viewer()?.id.clone();
    let at = now()?;
    app.store.execute(|s| command(s, &viewer, at)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/budget-cycles/{cycle}{anchor}")))
}

pub async fn advance(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let cycle = cycle_id(&ctx, &id)?;
    let to = Phase::ALL
        .into_iter()
        .find(|p| p.name() == field(&form, "to"))
        .ok_or_else(|| ctx.page_error(WebError::bad_input("invalid_input", "no such phase")))?;
    act(&ctx, &app, &id, "", |s, by, at| s.advance_budget_phase(&cycle, to, by, at)).await
}

pub async fn set_ballot(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let cycle = cycle_id(&ctx, &id)?;
    let (format, rule) = format_and_rule(&form).map_err(|e| ctx.page_error(e))?;
    act(&ctx, &app, &id, "", |s, by, at| s.set_budget_ballot(&cycle, format, rule, by, at)).await
}

/// The vote's end: counts it (at or after the planned end).
pub async fn count(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    ctx.viewer()?;
    let cycle = cycle_id(&ctx, &id)?;
    let seed = crate::ids::random_bytes::<32>()?;
    let at = now()?;
    app.store.execute(|s| s.close_budget_vote(&cycle, at, seed)).await.map_err(|e| ctx.page_error(e))?;
    Ok(see(&format!("/budget-cycles/{id}/results")))
}

fn optional_district(text: &str) -> Result<Option<DistrictId>, WebError> {
    if text.is_empty() { Ok(None) } else { DistrictId::parse(text).map(Some).map_err(WebError::from) }
}

pub async fn submit_idea(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let cycle = cycle_id(&ctx, &id)?;
    let parsed = (|| {
        let place_name = field(&form, "place").trim();
        let (lat, lon) = (field(&form, "lat").trim(), field(&form, "lon").trim());
        let coordinates = if lat.is_empty() && lon.is_empty() {
            None
        } else {
            Some(Coordinates::parse(lat, lon).map_err(|e| WebError::bad_input("invalid_coordinates", e.to_string()))?)
        };
        let name = if place_name.is_empty() { None } else { Some(Title::parse(place_name)?) };
        let place = (name.is_some() || coordinates.is_some()).then_some(Place { name, coordinates });
        Ok::<_, WebError>(SubmitIdea {
            idea: new_id(IdeaId::parse)?,
            cycle: cycle.clone(),
            title: Title::parse(field(&form, "title"))?,
            description: Prose::parse(field(&form, "description"))?,
            place,
            category: Title::parse(field(&form, "category"))?,
            district: optional_district(field(&form, "district"))?,
        })
    })()
    .map_err(|e| ctx.page_error(e))?;
    act(&ctx, &app, &id, "#ideas", |s, by, at| s.submit_idea(parsed, by, at)).await
}

fn idea_id(ctx: &Ctx, id: &str) -> Result<IdeaId, WebError> {
    IdeaId::parse(id).map_err(|_| ctx.page_error(WebError::not_found()))
}

pub async fn support(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, idea)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let idea = idea_id(&ctx, &idea)?;
    act(&ctx, &app, &id, &format!("#idea-{idea}"), |s, by, at| s.support_idea(&idea, by, at)).await
}

pub async fn comment(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, idea)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let idea = idea_id(&ctx, &idea)?;
    let text = Prose::parse(field(&form, "text")).map_err(|e| ctx.page_error(e))?;
    let comment = new_id(CommentId::parse)?;
    act(&ctx, &app, &id, &format!("#idea-{idea}"), |s, by, at| s.comment_on_idea(comment, &idea, text, by, at)).await
}

pub async fn merge(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, idea)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let duplicate = idea_id(&ctx, &idea)?;
    let into = idea_id(&ctx, field(&form, "into"))?;
    act(&ctx, &app, &id, "#ideas", |s, by, at| s.merge_ideas(&duplicate, &into, by, at)).await
}

pub async fn develop(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let cycle = cycle_id(&ctx, &id)?;
    let parsed = (|| {
        let ideas = form
            .iter()
            .filter(|(k, _)| k == "idea")
            .map(|(_, v)| IdeaId::parse(v).map_err(WebError::from))
            .collect::<Result<Vec<_>, _>>()?;
        Ok::<_, WebError>(DevelopProject {
            project: new_id(BudgetProjectId::parse)?,
            cycle: cycle.clone(),
            ideas,
            title: Title::parse(field(&form, "title"))?,
            description: Prose::parse(field(&form, "description"))?,
            estimate: amount(field(&form, "estimate"))?,
            district: optional_district(field(&form, "district"))?,
        })
    })()
    .map_err(|e| ctx.page_error(e))?;
    act(&ctx, &app, &id, "#projects", |s, by, at| s.develop_project(parsed, by, at)).await
}

pub async fn review(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((id, project)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    csrf::check(&ctx, field(&form, "csrf"))?;
    let project = BudgetProjectId::parse(&project).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let review = match field(&form, "verdict") {
        "feasible" => amount(field(&form, "final_cost")).map(|c| Review::Feasible { final_cost: c }),
        _ => Prose::parse(field(&form, "reason"))
            .map(|reason| Review::NotFeasible { reason })
            .map_err(|_| WebError::bad_input("reason_missing", "give the public reason")),
    }
    .map_err(|e| ctx.page_error(e))?;
    act(&ctx, &app, &id, &format!("#project-{project}"), |s, by, at| s.review_project(&project, review, by, at)).await
}
