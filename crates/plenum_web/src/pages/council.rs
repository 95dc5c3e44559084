//! The confederation's pages: a council (constituents, seats and delegates with their terms,
//! ratifications, recall petitions, votes against mandates, reports, disputes and tasks), a
//! delegate's voting record against the mandates, a ratification with every constituent's
//! result, and a recall petition with its signing form.

use askama::Template;
use axum::extract::{Path, State as AppState};
use axum::response::Response;
use plenum_core::{AccountId, Choice, RatificationId, RecallId, RecallStage, State};

use crate::App;
use crate::api::confederation::{body_ref, signatures_needed, voting_record};
use crate::context::Ctx;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::pages::body::body_by_slug;
use crate::pages::{Page, name_of, render};

/// A link with its text.
#[derive(Debug)]
pub struct Link {
    pub href: String,
    pub label: String,
}

#[derive(Debug)]
pub struct DelegateRow {
    pub name: Link,
    pub term: String,
    pub how: String,
    pub against: usize,
}

#[derive(Debug)]
pub struct ConstituentRow {
    pub body: Link,
    pub seats: u32,
    pub selection: String,
    pub delegates: Vec<DelegateRow>,
}

#[derive(Debug)]
pub struct Line {
    pub link: Option<Link>,
    pub text: String,
}

#[derive(Debug)]
pub struct DisputeRow {
    pub id: String,
    /// What the viewer may do now.
    pub can_answer: bool,
    pub can_hear: bool,
    pub can_decide: bool,
    /// The parties the viewer may appeal for: (id, name).
    pub can_appeal: Vec<(String, String)>,
    pub title: String,
    pub parties: String,
    pub stage: String,
    pub claim: String,
    pub response: Option<String>,
    pub decision: Option<(String, String)>,
}

#[derive(Debug)]
pub struct TaskRow {
    pub id: String,
    pub can_update: bool,
    pub title: String,
    pub responsible: String,
    pub due: String,
    pub status: String,
    pub updates: Vec<String>,
}

#[derive(Template)]
#[template(path = "council.html")]
struct CouncilPage {
    page: Page,
    slug: String,
    name: String,
    constituents: Vec<ConstituentRow>,
    ratifications: Vec<Line>,
    recalls: Vec<Line>,
    deviations: Vec<Line>,
    reports: Vec<Line>,
    disputes: Vec<DisputeRow>,
    tasks: Vec<TaskRow>,
    items: Vec<ItemRow>,
    draws: Vec<DrawRow>,
    forms: Forms,
}

/// A draw by lot for a constituent's seats.
#[derive(Debug)]
pub struct DrawRow {
    pub id: String,
    pub constituent: String,
    pub commitment: String,
    pub closes: String,
    pub volunteers: usize,
    pub seed: Option<String>,
    pub drawn: Vec<String>,
    pub can_volunteer: bool,
    pub can_hold: bool,
}

/// What the viewer may start on the council page (empty when signed out).
#[derive(Debug, Default)]
pub struct Forms {
    /// A facilitator of the council (its clerk).
    pub clerk: bool,
    /// A delegate seated on the council now (may report back on its meetings).
    pub delegate: bool,
    /// Constituents the viewer facilitates that elect, and that draw by lot: (id, name).
    pub elects: Vec<(String, String)>,
    pub draws: Vec<(String, String)>,
    /// Constituents the viewer facilitates (may bring a dispute for), and every constituent.
    pub facilitates: Vec<(String, String)>,
    pub constituents: Vec<(String, String)>,
    /// Policies the council passed that are not yet sent for ratification: (motion id, title).
    pub to_ratify: Vec<(String, String)>,
    /// The council's meetings (for a hearing) and members (for a task): (id, label).
    pub meetings: Vec<(String, String)>,
    pub members: Vec<(String, String)>,
}

/// A council agenda item with the mandates its constituents gave, and the constituents whose
/// facilitator (the viewer) may still ask their members for one.
#[derive(Debug)]
pub struct ItemRow {
    pub motion: Link,
    pub id: String,
    pub mandates: Vec<String>,
    pub can_seek: Vec<(String, String)>,
}

fn choice_word(tr: &Tr, c: Choice) -> String {
    tr.t(match c {
        Choice::Yes => "choice-yes",
        Choice::No => "choice-no",
        Choice::Abstain => "choice-abstain",
    })
}

fn date(i: plenum_core::Instant) -> String {
    i.to_string().chars().take(10).collect()
}

fn council_by_slug<'s>(s: &'s State, slug: &str) -> Option<&'s plenum_core::Council> {
    let b = body_by_slug(s, slug)?;
    s.council(&b.id)
}

fn council_view(s: &State, ctx: &Ctx, slug: &str) -> Option<CouncilPage> {
    let tr = &ctx.tr;
    let c = council_by_slug(s, slug)?;
    let body = s.body(&c.id)?;
    let constituents = c
        .constituents
        .iter()
        .map(|k| {
            let b = body_ref(s, &k.body);
            let href = if s.council(&k.body).is_some() { format!("/councils/{}", b.slug) } else { format!("/bodies/{}", b.slug) };
            let delegates = s
                .delegation(&c.id, &k.body)
                .map(|d| {
                    d.current()
                        .map(|seat| DelegateRow {
                            name: Link {
                                href: format!("/councils/{slug}/delegates/{}", seat.delegate),
                                label: name_of(s, &seat.delegate),
                            },
                            term: tr.args(
                                "council-term",
                                &[
                                    ("since", date(seat.since).into()),
                                    ("ends", date(seat.term_ends).into()),
                                    ("round", seat.round.into()),
                                ],
                            ),
                            how: tr.t(match seat.seated_by {
                                plenum_core::SeatedBy::Election => "seated-election",
                                plenum_core::SeatedBy::Sortition { .. } => "seated-sortition",
                                plenum_core::SeatedBy::NextInCount => "seated-next-in-count",
                                plenum_core::SeatedBy::Redraw { .. } => "seated-redraw",
                            }),
                            against: voting_record(s, &c.id, &k.body, &seat.delegate)
                                .iter()
                                .filter(|r| r.against_mandate)
                                .count(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            ConstituentRow {
                body: Link { href, label: b.name },
                seats: k.seats,
                selection: tr.t(match k.rules.selection {
                    plenum_core::Selection::Election => "selection-election",
                    plenum_core::Selection::Sortition => "selection-sortition",
                }),
                delegates,
            }
        })
        .collect();
    let ratifications = s
        .ratifications()
        .filter(|r| r.council == c.id)
        .map(|r| Line {
            link: Some(Link { href: format!("/ratifications/{}", r.id), label: r.title.to_string() }),
            text: tr.t(match &r.outcome {
                None => "ratification-open",
                Some(o) if o.ratified => "ratification-ratified",
                Some(_) => "ratification-not-ratified",
            }),
        })
        .collect();
    let recalls = s
        .recalls()
        .filter(|r| r.council == c.id)
        .map(|r| Line {
            link: Some(Link {
                href: format!("/recalls/{}", r.id),
                label: tr.args("recall-of", &[("name", name_of(s, &r.delegate).into())]),
            }),
            text: recall_stage(tr, &r.stage),
        })
        .collect();
    let deviations = s
        .deviations()
        .iter()
        .filter(|d| d.council == c.id)
        .map(|d| Line {
            link: Some(Link {
                href: format!("/motions/{}", d.council_motion),
                label: s.motion(&d.council_motion).map_or_else(String::new, |m| m.title.to_string()),
            }),
            text: tr.args(
                "deviation-line",
                &[
                    ("name", name_of(s, &d.delegate).into()),
                    ("body", body_ref(s, &d.constituent).name.into()),
                    ("mandate", choice_word(tr, d.mandate).into()),
                    ("vote", choice_word(tr, d.vote).into()),
                ],
            ),
        })
        .collect();
    let reports = s
        .reports()
        .iter()
        .filter(|r| r.council == c.id)
        .map(|r| Line {
            link: Some(Link { href: format!("/meetings/{}", r.meeting), label: name_of(s, &r.delegate) }),
            text: r.text.to_string(),
        })
        .collect();
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let facilitates = |b: &plenum_core::BodyId| viewer.as_ref().is_some_and(|v| s.body(b).is_some_and(|b| b.is_facilitator(v)));
    let member_of = |b: &plenum_core::BodyId| viewer.as_ref().is_some_and(|v| s.body(b).is_some_and(|b| b.is_member(v)));
    let clerk = facilitates(&c.id);
    let disputes = s
        .disputes()
        .filter(|d| d.council == c.id)
        .map(|d| DisputeRow {
            id: d.id.to_string(),
            can_answer: matches!(
                d.stage,
                plenum_core::DisputeStage::Claimed
                    | plenum_core::DisputeStage::Answered
                    | plenum_core::DisputeStage::HearingScheduled
            ) && facilitates(&d.respondent),
            can_hear: clerk && matches!(d.stage, plenum_core::DisputeStage::Claimed | plenum_core::DisputeStage::Answered),
            can_decide: clerk && d.stage == plenum_core::DisputeStage::HearingScheduled,
            can_appeal: if d.stage == plenum_core::DisputeStage::Decided {
                [&d.claimant, &d.respondent]
                    .into_iter()
                    .filter(|b| facilitates(b))
                    .map(|b| (b.to_string(), body_ref(s, b).name))
                    .collect()
            } else {
                Vec::new()
            },
            title: d.title.to_string(),
            parties: tr.args(
                "dispute-parties",
                &[("claimant", body_ref(s, &d.claimant).name.into()), ("respondent", body_ref(s, &d.respondent).name.into())],
            ),
            stage: tr.t(&format!("dispute-stage-{}", d.stage.name().replace('_', "-"))),
            claim: d.claim.to_string(),
            response: d.response.as_ref().map(ToString::to_string),
            decision: d.decision.as_ref().map(|(x, y)| (x.to_string(), y.to_string())),
        })
        .collect();
    let items = s
        .motions_of(&c.id)
        .filter(|m| m.kind == plenum_core::MotionKind::Policy)
        .map(|m| {
            let open = matches!(m.status, plenum_core::MotionStatus::Open | plenum_core::MotionStatus::Voting { .. });
            ItemRow {
                motion: Link { href: format!("/motions/{}", m.id), label: m.title.to_string() },
                id: m.id.to_string(),
                mandates: s
                    .mandates_on(&m.id)
                    .map(|x| {
                        let said = match x.decided {
                            None => tr.t("mandate-pending"),
                            Some(None) => tr.t("mandate-none"),
                            Some(Some(choice)) => choice_word(tr, choice),
                        };
                        format!("{}: {said}", body_ref(s, &x.constituent).name)
                    })
                    .collect(),
                can_seek: c
                    .constituents
                    .iter()
                    .filter(|k| {
                        open && viewer.as_ref().is_some_and(|v| s.body(&k.body).is_some_and(|b| b.is_facilitator(v)))
                            && s.mandate(&m.id, &k.body).is_none_or(|x| x.decided.is_some())
                    })
                    .map(|k| (k.body.to_string(), body_ref(s, &k.body).name))
                    .collect(),
            }
        })
        .collect();
    let tasks = s
        .tasks_of(&c.id)
        .map(|t| TaskRow {
            id: t.id.to_string(),
            can_update: clerk || viewer.as_ref() == Some(&t.responsible),
            title: t.title.to_string(),
            responsible: name_of(s, &t.responsible),
            due: date(t.due),
            status: tr.t(&format!("task-status-{}", t.status.name().replace('_', "-"))),
            updates: t.updates.iter().map(|u| format!("{} · {}: {}", date(u.at), name_of(s, &u.by), u.note)).collect(),
        })
        .collect();
    let draws = s
        .draws()
        .filter(|d| d.council == c.id)
        .map(|d| DrawRow {
            id: d.id.to_string(),
            constituent: body_ref(s, &d.constituent).name,
            commitment: d.commitment.to_string(),
            closes: date(d.volunteers_close_at),
            volunteers: d.volunteers.len(),
            seed: d.held.as_ref().map(|(seed, _)| seed.to_string()),
            drawn: d.held.iter().flat_map(|(_, who)| who.iter().map(|w| name_of(s, w))).collect(),
            can_volunteer: d.held.is_none()
                && member_of(&d.constituent)
                && !d.volunteers.iter().any(|v| Some(&v.resident) == viewer.as_ref()),
            can_hold: d.held.is_none() && facilitates(&d.constituent),
        })
        .collect();
    let pair = |b: &plenum_core::BodyId| (b.to_string(), body_ref(s, b).name);
    let mine = |selection: Option<plenum_core::Selection>| {
        c.constituents
            .iter()
            .filter(|k| facilitates(&k.body) && selection.is_none_or(|x| x == k.rules.selection))
            .map(|k| pair(&k.body))
            .collect::<Vec<_>>()
    };
    let forms = if viewer.is_some() {
        Forms {
            clerk,
            delegate: viewer.as_ref().is_some_and(|v| s.seat_of(&c.id, v).is_some()),
            elects: mine(Some(plenum_core::Selection::Election)),
            draws: mine(Some(plenum_core::Selection::Sortition)),
            facilitates: mine(None),
            constituents: c.constituents.iter().map(|k| pair(&k.body)).collect(),
            to_ratify: if clerk {
                s.motions_of(&c.id)
                    .filter(|m| s.policy_status(&m.id) == Some(plenum_core::PolicyStatus::AwaitingRatification))
                    .map(|m| (m.id.to_string(), m.title.to_string()))
                    .collect()
            } else {
                Vec::new()
            },
            meetings: s.meetings_of(&c.id).map(|m| (m.id.to_string(), format!("{} · {}", date(m.starts_at), m.title))).collect(),
            members: body.current_members().map(|m| (m.to_string(), name_of(s, m))).collect(),
        }
    } else {
        Forms::default()
    };
    Some(CouncilPage {
        draws,
        forms,
        page: Page::new(ctx, body.name.to_string()),
        slug: slug.to_owned(),
        name: body.name.to_string(),
        constituents,
        ratifications,
        recalls,
        deviations,
        reports,
        disputes,
        tasks,
        items,
    })
}

fn recall_stage(tr: &Tr, stage: &RecallStage) -> String {
    tr.t(match stage {
        RecallStage::Gathering => "recall-stage-gathering",
        RecallStage::Polling { .. } => "recall-stage-polling",
        RecallStage::Recalled { .. } => "recall-stage-recalled",
        RecallStage::Kept { .. } => "recall-stage-kept",
    })
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>, Path(slug): Path<String>) -> Result<Response, WebError> {
    let view = app.store.read(|s| council_view(s, &ctx, &slug)).await.ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug)]
pub struct RecordLine {
    pub motion: Link,
    pub mandate: String,
    pub vote: String,
    pub against: bool,
}

#[derive(Template)]
#[template(path = "delegate.html")]
struct DelegatePage {
    page: Page,
    action: String,
    /// Whether the viewer is a member of the constituent and the delegate holds a seat now.
    can_start_recall: bool,
    council: Link,
    name: String,
    constituent: Link,
    seats: Vec<String>,
    record: Vec<RecordLine>,
}

pub async fn delegate(
    ctx: Ctx,
    AppState(app): AppState<App>,
    Path((slug, account)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let account = AccountId::parse(&account).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let tr = &ctx.tr;
            let c = council_by_slug(s, &slug)?;
            let (constituent, seats) = c.constituents.iter().find_map(|k| {
                let d = s.delegation(&c.id, &k.body)?;
                let seats: Vec<String> = d
                    .seats
                    .iter()
                    .filter(|x| x.delegate == account)
                    .map(|x| {
                        let term = tr.args(
                            "council-term",
                            &[("since", date(x.since).into()), ("ends", date(x.term_ends).into()), ("round", x.round.into())],
                        );
                        match x.ended {
                            None => term,
                            Some((at, plenum_core::SeatEnded::Recalled)) => {
                                tr.args("seat-recalled", &[("term", term.into()), ("at", date(at).into())])
                            }
                            Some((at, plenum_core::SeatEnded::NextRound | plenum_core::SeatEnded::TermEnded)) => {
                                tr.args("seat-ended", &[("term", term.into()), ("at", date(at).into())])
                            }
                        }
                    })
                    .collect();
                (!seats.is_empty()).then(|| (k.body.clone(), seats))
            })?;
            let record = voting_record(s, &c.id, &constituent, &account)
                .into_iter()
                .map(|r| RecordLine {
                    motion: Link { href: format!("/motions/{}", r.motion), label: r.title },
                    mandate: r.mandate.map_or_else(|| tr.t("mandate-none"), |m| choice_word(tr, m)),
                    vote: choice_word(tr, r.vote),
                    against: r.against_mandate,
                })
                .collect();
            let b = body_ref(s, &constituent);
            let council = body_ref(s, &c.id);
            let seated = s.seat_of(&c.id, &account).is_some();
            let is_member = viewer.as_ref().is_some_and(|v| s.body(&constituent).is_some_and(|b| b.is_member(v)));
            Some(DelegatePage {
                action: format!("/councils/{slug}/delegates/{account}/recalls"),
                can_start_recall: seated && is_member,
                page: Page::new(&ctx, name_of(s, &account)),
                council: Link { href: format!("/councils/{slug}"), label: council.name },
                name: name_of(s, &account),
                constituent: Link { href: format!("/bodies/{}", b.slug), label: b.name },
                seats,
                record,
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Debug)]
pub struct ResultRow {
    pub body: String,
    pub parent: String,
    pub decision: String,
    pub counted: String,
    pub yes: u64,
    pub no: u64,
    pub members: u64,
}

#[derive(Template)]
#[template(path = "ratification.html")]
struct RatificationPage {
    page: Page,
    council: Link,
    title: String,
    status: String,
    rule: String,
    closes: String,
    results: Vec<ResultRow>,
    polls: Vec<Link>,
}

pub async fn ratification(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = RatificationId::parse(&id).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let view = app
        .store
        .read(|s| {
            let tr = &ctx.tr;
            let r = s.ratification(&id)?;
            let council = body_ref(s, &r.council);
            let rule = s.council(&r.council).map(|c| c.ratification);
            let decision = |d: plenum_core::Decision| {
                tr.t(match d {
                    plenum_core::Decision::Yes => "decision-yes",
                    plenum_core::Decision::No => "decision-no",
                    plenum_core::Decision::Undecided => "decision-undecided",
                })
            };
            Some(RatificationPage {
                page: Page::new(&ctx, r.title.to_string()),
                council: Link { href: format!("/councils/{}", council.slug), label: council.name },
                title: r.title.to_string(),
                status: tr.t(match &r.outcome {
                    None => "ratification-open",
                    Some(o) if o.ratified => "ratification-ratified",
                    Some(_) => "ratification-not-ratified",
                }),
                rule: rule.map_or_else(String::new, |rule| {
                    let combine = match rule.combine {
                        plenum_core::Combine::MajorityOfConstituents => "combine-majority",
                        plenum_core::Combine::DoubleMajority => "combine-double-majority",
                        plenum_core::Combine::MembershipWeighted => "combine-weighted",
                        plenum_core::Combine::Unanimity => "combine-unanimity",
                    };
                    let non = match rule.non_decider {
                        plenum_core::NonDecider::Yes => "non-decider-yes",
                        plenum_core::NonDecider::No => "non-decider-no",
                        plenum_core::NonDecider::Abstains => "non-decider-abstains",
                    };
                    format!("{} {}", tr.t(combine), tr.t(non))
                }),
                closes: date(r.closes_at),
                results: r
                    .outcome
                    .iter()
                    .flat_map(|o| o.results.iter())
                    .map(|x| ResultRow {
                        body: body_ref(s, &x.body).name,
                        parent: body_ref(s, &x.parent).name,
                        decision: decision(x.decision),
                        counted: tr.t(match x.counted_as {
                            Some(true) => "decision-yes",
                            Some(false) => "decision-no",
                            None => "counted-abstains",
                        }),
                        yes: x.yes,
                        no: x.no,
                        members: x.members,
                    })
                    .collect(),
                polls: r
                    .nodes
                    .iter()
                    .filter_map(|n| {
                        n.poll.as_ref().map(|p| Link { href: format!("/polls/{p}"), label: body_ref(s, &n.body).name })
                    })
                    .collect(),
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Template)]
#[template(path = "recall.html")]
struct RecallPage {
    page: Page,
    id: String,
    council: Link,
    constituent: Link,
    delegate: String,
    reason: Option<String>,
    stage: String,
    automatic: bool,
    counting: String,
    closes: String,
    poll: Option<String>,
    can_sign: bool,
}

pub async fn recall(ctx: Ctx, AppState(app): AppState<App>, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = RecallId::parse(&id).map_err(|_| ctx.page_error(WebError::not_found()))?;
    let viewer = ctx.viewer.as_ref().map(|v| v.id.clone());
    let view = app
        .store
        .read(|s| {
            let tr = &ctx.tr;
            let r = s.recall(&id)?;
            let members = s.body(&r.constituent).map_or(0, |b| b.current_members().count() as u64);
            let council = body_ref(s, &r.council);
            let constituent = body_ref(s, &r.constituent);
            let is_member = viewer.as_ref().is_some_and(|v| s.body(&r.constituent).is_some_and(|b| b.is_member(v)));
            let signed = viewer.as_ref().is_some_and(|v| r.signers.contains(v));
            Some(RecallPage {
                page: Page::new(&ctx, tr.args("recall-of", &[("name", name_of(s, &r.delegate).into())])),
                id: r.id.to_string(),
                council: Link { href: format!("/councils/{}", council.slug), label: council.name },
                constituent: Link { href: format!("/bodies/{}", constituent.slug), label: constituent.name },
                delegate: name_of(s, &r.delegate),
                reason: r.reason.as_ref().map(ToString::to_string),
                stage: recall_stage(tr, &r.stage),
                automatic: r.started_by.is_none(),
                counting: tr.args(
                    "recall-counting",
                    &[
                        ("signed", r.counting(s).into()),
                        ("members", members.into()),
                        ("needed", signatures_needed(r.share, members).into()),
                        ("share", r.share.to_string().into()),
                    ],
                ),
                closes: date(r.closes_at),
                poll: match &r.stage {
                    RecallStage::Polling { poll } | RecallStage::Recalled { poll } | RecallStage::Kept { poll } => {
                        Some(format!("/polls/{poll}"))
                    }
                    RecallStage::Gathering => None,
                },
                can_sign: is_member && !signed && r.stage == RecallStage::Gathering,
            })
        })
        .await
        .ok_or_else(|| ctx.page_error(WebError::not_found()))?;
    render(&view, &ctx)
}

#[derive(Template)]
#[template(path = "council_new.html")]
struct NewCouncilPage {
    page: Page,
    /// The bodies that may be constituents: (slug, name).
    bodies: Vec<(String, String)>,
}

/// The form that creates a council over existing bodies.
pub async fn new_form(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let bodies = app.store.read(|s| s.bodies().map(|b| (b.slug.to_string(), b.name.to_string())).collect()).await;
    render(&NewCouncilPage { page: Page::new(&ctx, ctx.tr.t("council-new-title")), bodies }, &ctx)
}
