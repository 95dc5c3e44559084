//! The demo's participatory budgeting: Hillside Assembly runs city-wide cycles with district
//! pots, one in each phase (ideas, development, review, an open vote, and a finished cycle in
//! implementation with its results), and holds a real election imported from Pabulib.

use std::collections::BTreeMap;

use plenum_core::{
    AccountId, Amount, BallotFormat, BodyId, BudgetCycleId, BudgetProjectId, BudgetRule, BudgetVote, Currency, DevelopProject,
    District, DistrictId, IdeaId, IdeasFrom, ImplementationStatus, Instant, NewCycle, Phase, Place, Prose, Review, SubmitIdea,
    Title,
};
use plenum_store::Store;

use crate::demo::DemoError;
use crate::ids::{ballot_randomness, new_id};

const DAY: i64 = 86_400;

/// A real election, shown as it was decided (Gdynia 2021, Leszczynki; CC BY 4.0, Pabulib).
const REAL_ELECTION: &[u8] = include_bytes!("../../../testdata/pabulib/Poland_Gdynia_2021_Leszczynki__small.pb");

const IDEAS: [(&str, &str, &str, Option<usize>); 4] = [
    ("Shade trees on the school walk", "Plane trees along the path children take to school.", "Parks", None),
    ("A covered bike park", "Forty covered bike places by the market.", "Mobility", Some(0)),
    ("Benches on the hill steps", "Somewhere to rest halfway up the steps.", "Public space", Some(1)),
    ("Free water fountains", "Three drinking fountains in the squares.", "Health", None),
];

const PROJECTS: [(&str, u64, Option<usize>); 5] = [
    ("Shade trees on the school walk", 40_000, None),
    ("Drinking fountains in three squares", 25_000, None),
    ("Library reading garden", 60_000, None),
    ("Covered bike park by the market", 18_000, Some(0)),
    ("Benches on the hill steps", 9_000, Some(1)),
];

struct Cycle<'a> {
    store: &'a Store,
    id: BudgetCycleId,
    by: AccountId,
}

fn err(e: impl std::fmt::Display) -> DemoError {
    DemoError::Other(e.to_string())
}

impl Cycle<'_> {
    async fn advance(&self, to: Phase, at: Instant) -> Result<(), DemoError> {
        self.store.execute(|s| s.advance_budget_phase(&self.id, to, &self.by, at)).await?;
        Ok(())
    }
}

/// Starts a cycle whose phases began `started` days ago, a week apart, and takes it to `phase`.
async fn cycle<'a>(
    store: &'a Store,
    people: &'a BTreeMap<&'static str, AccountId>,
    body: &BodyId,
    title: &str,
    now: Instant,
    started: i64,
    phase: Phase,
) -> Result<(Cycle<'a>, Vec<BudgetProjectId>), DemoError> {
    let at = |day: i64| now.plus_seconds((day - started) * DAY);
    let by = people["fatima"].clone();
    let id = new_id(BudgetCycleId::parse)?;
    let districts = vec![("North Hill", 30_000), ("South Hill", 20_000)].into_iter().map(|(name, budget)| {
        Ok::<_, DemoError>(District { id: new_id(DistrictId::parse)?, name: Title::parse(name)?, budget: Amount(budget) })
    });
    let districts = districts.collect::<Result<Vec<_>, _>>()?;
    let new = NewCycle {
        cycle: id.clone(),
        body: body.clone(),
        title: Title::parse(title)?,
        description: Prose::parse(
            "The neighbourhood decides how to spend its investment budget: 150 000 EUR, of which 30 000 for North Hill and 20 000 for South Hill.",
        )?,
        currency: Currency::parse("EUR")?,
        total: Amount(150_000),
        districts: districts.clone(),
        schedule: (0..6).map(|k| at(k * 7)).collect(),
        ideas_from: IdeasFrom::Members,
        format: BallotFormat::Knapsack,
        rule: BudgetRule::EqualShares,
    };
    store.execute(|s| s.create_budget_cycle(new, &by, at(0))).await?;
    let c = Cycle { store, id, by };
    let mut ideas = Vec::new();
    for (k, (title, text, category, district)) in IDEAS.iter().enumerate() {
        let idea = new_id(IdeaId::parse)?;
        let place = (k == 0).then(|| Place { name: Title::parse("School walk").ok(), coordinates: None });
        let new = SubmitIdea {
            idea: idea.clone(),
            cycle: c.id.clone(),
            title: Title::parse(title)?,
            description: Prose::parse(text)?,
            place,
            category: Title::parse(category)?,
            district: district.map(|d| districts[d].id.clone()),
        };
        let author = &people[["gus", "chen", "ana", "bilal"][k]];
        store.execute(|s| s.submit_idea(new, author, at(1))).await?;
        for supporter in ["gus", "chen", "ana", "bilal", "emeka"].iter().take(4 - k) {
            let who = &people[supporter];
            if who != author {
                store.execute(|s| s.support_idea(&idea, who, at(2))).await?;
            }
        }
        ideas.push(idea);
    }
    let mut projects = Vec::new();
    if phase == Phase::Ideas {
        return Ok((c, projects));
    }
    c.advance(Phase::Development, at(7)).await?;
    for (k, (title, cost, district)) in PROJECTS.iter().enumerate() {
        let project = new_id(BudgetProjectId::parse)?;
        let new = DevelopProject {
            project: project.clone(),
            cycle: c.id.clone(),
            ideas: ideas.get(k).cloned().into_iter().collect(),
            title: Title::parse(title)?,
            description: Prose::parse("Developed by volunteers from the ideas, with the city's technical office.")?,
            estimate: Amount(*cost),
            district: district.map(|d| districts[d].id.clone()),
        };
        store.execute(|s| s.develop_project(new, &people["gus"], at(8))).await?;
        projects.push(project);
    }
    let bridge = new_id(BudgetProjectId::parse)?;
    let new = DevelopProject {
        project: bridge.clone(),
        cycle: c.id.clone(),
        ideas: Vec::new(),
        title: Title::parse("Footbridge over the rail line")?,
        description: Prose::parse("A footbridge linking both sides of the hill.")?,
        estimate: Amount(400_000),
        district: None,
    };
    store.execute(|s| s.develop_project(new, &people["chen"], at(9))).await?;
    if phase == Phase::Development {
        return Ok((c, projects));
    }
    c.advance(Phase::Review, at(14)).await?;
    for (k, project) in projects.iter().enumerate() {
        let review = Review::Feasible { final_cost: Amount(PROJECTS[k].1 + 1_000 * k as u64) };
        store.execute(|s| s.review_project(project, review, &c.by, at(15))).await?;
    }
    let reason = Prose::parse("The rail company owns the land and the cost is above the whole budget.")?;
    store.execute(|s| s.review_project(&bridge, Review::NotFeasible { reason }, &c.by, at(15))).await?;
    if phase == Phase::Review {
        return Ok((c, projects));
    }
    c.advance(Phase::Vote, at(21)).await?;
    let ballots: [(&str, &[usize]); 6] = [
        ("fatima", &[0, 1, 3]),
        ("gus", &[2, 4]),
        ("chen", &[1, 2]),
        ("ana", &[0, 1, 3, 4]),
        ("bilal", &[2, 3]),
        ("emeka", &[0, 1]),
    ];
    for (who, picks) in ballots {
        let vote = BudgetVote::Approval(picks.iter().map(|&k| projects[k].clone()).collect());
        store.cast_budget_ballot(&c.id, vote, &people[who], at(22), ballot_randomness()?).await?;
    }
    if phase == Phase::Vote {
        return Ok((c, projects));
    }
    let seed = crate::ids::random_bytes::<32>()?;
    store.execute(|s| s.close_budget_vote(&c.id, at(28), seed)).await?;
    c.advance(Phase::Implementation, at(35)).await?;
    let funded = store
        .read(|s| {
            s.budgets()
                .cycle(&c.id)
                .and_then(|x| x.counted.as_ref())
                .map(|k| k.result.pots.iter().flat_map(|p| p.funded.clone()).collect::<Vec<_>>())
        })
        .await
        .unwrap_or_default();
    for (k, project) in funded.iter().enumerate() {
        let (status, spent, note) = match k {
            0 => (ImplementationStatus::Completed, 40_000, "Finished and opened to the public."),
            1 => (ImplementationStatus::InProgress, 12_000, "Works started; half of it is built."),
            _ => (ImplementationStatus::Planned, 0, "Tender published."),
        };
        let note = Prose::parse(note)?;
        store.execute(|s| s.record_progress(project, status, Amount(spent), note, &c.by, at(40 + k as i64))).await?;
    }
    Ok((c, projects))
}

/// Fills Hillside Assembly's budgeting. `people` are the demo's accounts by login.
pub async fn fill(
    store: &Store,
    people: &BTreeMap<&'static str, AccountId>,
    hillside: &BodyId,
    now: Instant,
) -> Result<(), DemoError> {
    for who in ["ana", "bilal", "emeka"] {
        store.execute(|s| s.join(hillside, &people[who], now.plus_seconds(-200 * DAY))).await?;
    }
    cycle(store, people, hillside, "Hillside budget 2025", now, 60, Phase::Implementation).await?;
    cycle(store, people, hillside, "Hillside budget 2026: the vote", now, 22, Phase::Vote).await?;
    cycle(store, people, hillside, "Hillside budget 2026: review", now, 15, Phase::Review).await?;
    cycle(store, people, hillside, "Hillside budget 2027: development", now, 8, Phase::Development).await?;
    cycle(store, people, hillside, "Hillside budget 2028: ideas", now, 2, Phase::Ideas).await?;
    let election = plenum_choice::pb::pabulib::read("Poland_Gdynia_2021_Leszczynki__small.pb", REAL_ELECTION).map_err(err)?;
    crate::open_data::import_pabulib(store, "hillside", election).await?;
    Ok(())
}
