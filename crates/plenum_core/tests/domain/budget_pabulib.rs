//! Open data: every real Pabulib election in the test data imports as a closed cycle whose
//! result equals the PB engine's tally of the file (`plenum pb tally`'s default rule), and
//! exports as a file the checker accepts and that imports again to the same cycle.

use plenum_choice::pb::rules::{RuleSpec, tally};
use plenum_choice::pb::{check, pabulib};
use plenum_core::budget::pabulib::{ImportCycle, export};
use plenum_core::{BodyId, BudgetCycleId, BudgetProjectId, Refusal, State};

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
        let expected = tally(&election, &RuleSpec::default()).unwrap();
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
        let retally = tally(&again, &RuleSpec::default()).unwrap();
        let retallied: Vec<&str> = retally.selected.iter().map(|&k| again.instance.projects[k].id.as_str()).collect();
        assert_eq!(retallied, expected, "{name}: the exported file re-tallies to the published result");
        let cycle2 = import(&mut w, &body, &ana, again).unwrap();
        assert_eq!(written(&w.state, &cycle2), first, "{name}: export, import, export gives the same file");
    }
    // Every file imports but those whose numbers Plenum's whole amounts cannot hold, named here.
    assert!(imported * 4 >= files.len() * 3, "imported {imported} of {}; refused: {refused:#?}", files.len());
    for r in &refused {
        assert!(r.contains("whole"), "{r}");
    }
    assert_eq!(State::replay(&w.log).unwrap(), w.state);
}
