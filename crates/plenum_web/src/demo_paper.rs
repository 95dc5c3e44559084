//! The demo's paper ballots: in Hillside's open vote, Chen and Ana are paper volunteers; ballot
//! 1 is entered twice alike, ballot 2 twice differently (a mismatch for a facilitator), ballot 3
//! once (waiting for its second entry).

use std::collections::BTreeMap;

use plenum_core::{AccountId, BudgetVote, Instant, PaperNumber, Phase};
use plenum_store::Store;

use crate::demo::DemoError;

pub async fn fill(store: &Store, people: &BTreeMap<&'static str, AccountId>, now: Instant) -> Result<(), DemoError> {
    let found = store
        .read(|s| {
            let c = s.budgets().cycles().find(|c| c.phase == Phase::Vote && !c.imported)?;
            // Two city-wide projects that fit the city-wide pot together.
            let city: Vec<_> = s.budgets().projects_of(c).filter(|p| p.district.is_none() && p.final_cost().is_some()).collect();
            let facilitator =
                s.body(&c.body)?.members.keys().find(|m| s.body(&c.body).is_some_and(|b| b.is_facilitator(m)))?.clone();
            Some((c.id.clone(), facilitator, city.first()?.id.clone(), city.get(1)?.id.clone()))
        })
        .await;
    let Some((cycle, facilitator, a, b)) = found else { return Ok(()) };
    for who in ["chen", "ana"] {
        store.execute(|s| s.appoint_paper_volunteer(&cycle, &people[who], &facilitator, now)).await?;
    }
    let entries = [
        (1, "chen", vec![a.clone(), b.clone()]),
        (1, "ana", vec![b.clone(), a.clone()]),
        (2, "chen", vec![a.clone()]),
        (2, "ana", vec![b.clone()]),
        (3, "chen", vec![b.clone()]),
    ];
    for (number, who, marks) in entries {
        let vote = BudgetVote::Approval(marks);
        store.enter_paper_ballot(&cycle, PaperNumber(number), vote, &people[who], now).await?;
    }
    Ok(())
}
