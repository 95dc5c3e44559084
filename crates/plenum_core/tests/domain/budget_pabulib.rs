//! Open data: every real Pabulib election in the test data imports as a closed cycle whose
//! result equals the PB engine's tally of the file (`plenum pb tally --tie-break cost-votes`), and
//! exports as a file the checker accepts and that imports again to the same cycle.

use plenum_choice::pb::rules::tally;
use plenum_choice::pb::{check, pabulib};
use plenum_core::budget::count;
use plenum_core::budget::pabulib::{ImportCycle, export};
use plenum_core::{BodyId, BudgetCycleId, BudgetProjectId, BudgetRule, Refusal, State};

use crate::world::World;

fn import(
    w: &mut World,
    body: &BodyId,
    by: &plenum_core::AccountId,
    election: plenum_choice::pb::Election,
) -> Result<BudgetCycleId, Refusal> {
    let cycle = BudgetCycleId::parse(&w.id()).unwrap();
    let project_ids = election.instance.projects.iter().map(|_| BudgetProjectId::parse(&w.id()).unwrap()).collect();
    let import = ImportCycle { cycle: cycle.clone(), body: body.clone(), election, project_ids };
    let events = w.state.import_budget_cycle(import, by, w.now)?;
    w.commit(Ok(events));
    Ok(cycle)
}

fn written(state: &State, cycle: &BudgetCycleId) -> Vec<u8> {
    let c = state.budgets().cycle(cycle).unwrap();
    let pots = export(c, state.budgets());
    assert_eq!(pots.len(), 1);
    let mut out = Vec::new();
    pabulib::write(&pots[0].election, &mut out).unwrap();
    out
}

#[test]
fn every_real_election_imports_with_the_engines_result_and_round_trips() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pb"))
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("imports", &ana, None);
    let (mut imported, mut refused) = (0, Vec::new());
    for path in &files {
        let name = path.display().to_string();
        let election = pabulib::read(&name, &std::fs::read(path).unwrap()).unwrap();
        let expected = tally(&election, &count::spec(BudgetRule::EqualShares)).unwrap();
        let expected: Vec<&str> = expected.selected.iter().map(|&k| election.instance.projects[k].id.as_str()).collect();
        let cycle = match import(&mut w, &body, &ana, election.clone()) {
            Ok(cycle) => cycle,
            Err(Refusal::CannotImport { reason }) => {
                refused.push(format!("{name}: {reason}"));
                continue;
            }
            Err(other) => panic!("{name}: {other}"),
        };
        imported += 1;
        let c = w.state.budgets().cycle(&cycle).unwrap();
        let result = &c.counted.as_ref().unwrap().result;
        let funded: Vec<&str> =
            result.pots[0].funded.iter().map(|p| w.state.budgets().project(p).unwrap().code.as_str()).collect();
        assert_eq!(funded, expected, "{name}: the imported result is the engine's");
        assert_eq!(result.ballots as usize, election.profile.voters.len(), "{name}");

        let first = written(&w.state, &cycle);
        let report = check::check(&name, &first);
        assert!(report.errors.iter().all(|e| e.kind != "processing error"), "{name}: {:?}", report.errors);
        let again = pabulib::read(&name, &first).unwrap();
        let retally = tally(&again, &count::spec(BudgetRule::EqualShares)).unwrap();
        let retallied: Vec<&str> = retally.selected.iter().map(|&k| again.instance.projects[k].id.as_str()).collect();
        assert_eq!(retallied, expected, "{name}: the exported file re-tallies to the published result");
        let cycle2 = import(&mut w, &body, &ana, again).unwrap();
        assert_eq!(written(&w.state, &cycle2), first, "{name}: export, import, export gives the same file");
    }
    // Every file imports, those with decimal budgets or costs (Warszawa's) included.
    assert!(refused.is_empty(), "refused: {refused:#?}");
    assert_eq!(imported, files.len());
    assert_eq!(State::replay(&w.log).unwrap(), w.state);
}

#[test]
fn decimal_budgets_and_costs_import_exactly_and_export_as_they_were() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib");
    let mut w = World::new();
    let ana = w.resident("Ana");
    let body = w.assembly("imports", &ana, None);
    for name in ["Poland_Warszawa_2017_Grochow_Kinowa.pb", "Poland_Warszawa_2018_Przyczolek_Grochowski.pb"] {
        let text = std::fs::read(dir.join(name)).unwrap();
        let election = pabulib::read(name, &text).unwrap();
        assert!(!election.instance.budget.is_integer(), "{name} has a decimal budget");
        assert!(election.instance.projects.iter().all(|p| p.cost.is_integer()), "and whole costs");
        let cycle = import(&mut w, &body, &ana, election.clone()).unwrap();
        let c = w.state.budgets().cycle(&cycle).unwrap();
        assert_eq!(c.decimals, 2, "{name}");
        assert_eq!(c.exact(c.total), election.instance.budget, "{name}: the budget is exact");
        let written = written(&w.state, &cycle);
        let again = pabulib::read(name, &written).unwrap();
        assert_eq!(again.instance.budget, election.instance.budget);
        let costs = |e: &plenum_choice::pb::Election| {
            let mut costs: Vec<_> = e.instance.projects.iter().map(|p| (p.id.clone(), p.cost.clone())).collect();
            costs.sort();
            costs
        };
        assert_eq!(costs(&again), costs(&election), "{name}: every cost exact");
        let cycle2 = import(&mut w, &body, &ana, again).unwrap();
        assert_eq!(crate::budget_pabulib::written(&w.state, &cycle2), written, "{name}: re-imported identical");
        let event = w.log.iter().rev().find(|e| matches!(e, plenum_core::Event::BudgetCycleImported { .. })).unwrap();
        assert!(serde_json::to_string(event).unwrap().contains("\"decimals\":2"));
    }
    // Decimal costs too, and a third of a unit (no decimal expansion) is refused with a reason.
    let file = |cost: &str| {
        format!(
            "META\nkey;value\ndescription;Small\ncountry;Poland\nunit;Test\ninstance;2024\nnum_projects;2\nnum_votes;2\n\
             budget;250.125\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost;name\n1;{cost};A\n2;100;B\n\
             VOTES\nvoter_id;vote\n1;1\n2;1,2\n"
        )
    };
    let election = pabulib::read("small", file("150.5").as_bytes()).unwrap();
    let cycle = import(&mut w, &body, &ana, election.clone()).unwrap();
    let c = w.state.budgets().cycle(&cycle).unwrap();
    assert_eq!((c.decimals, c.total.0), (3, 250_125));
    let written = written(&w.state, &cycle);
    assert!(String::from_utf8_lossy(&written).contains("1;150.5;A"), "{}", String::from_utf8_lossy(&written));
    let funded = &c.counted.as_ref().unwrap().result.pots[0].funded;
    assert_eq!(funded.len(), 1, "150.5 + 100 is more than 250.125");
    let third = pabulib::read("third", file("1/3").as_bytes()).unwrap();
    let refused = import(&mut w, &body, &ana, third);
    assert!(matches!(refused, Err(Refusal::CannotImport { ref reason }) if reason.contains("decimal places")), "{refused:?}");
    assert_eq!(State::replay(&w.log).unwrap(), w.state);
}
