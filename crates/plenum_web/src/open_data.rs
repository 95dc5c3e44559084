//! Budget cycles in and out as Pabulib files, for `plenum pb import` / `export` and the demo.

use plenum_choice::pb::Election;
use plenum_core::budget::pabulib::{ImportCycle, export};
use plenum_core::{BudgetCycleId, BudgetProjectId};
use plenum_store::Store;

use crate::error::WebError;
use crate::ids::{new_id, now};
use crate::pages::body::body_by_slug;

/// Imports a real election as a closed cycle of the assembly `slug`, in the name of its first
/// facilitator.
pub async fn import_pabulib(store: &Store, slug: &str, election: Election) -> Result<BudgetCycleId, WebError> {
    let (body, by) = store
        .read(|s| {
            let b = body_by_slug(s, slug)?;
            let by = b.members.iter().find(|(id, _)| b.is_facilitator(id)).map(|(id, _)| id.clone())?;
            Some((b.id.clone(), by))
        })
        .await
        .ok_or_else(|| WebError::bad_input("not_found", format!("there is no assembly {slug:?} with a facilitator")))?;
    let cycle = new_id(BudgetCycleId::parse)?;
    let project_ids = (0..election.instance.projects.len()).map(|_| new_id(BudgetProjectId::parse)).collect::<Result<_, _>>()?;
    let import = ImportCycle { cycle: cycle.clone(), body, election, project_ids };
    let at = now()?;
    store.execute(|s| s.import_budget_cycle(import, &by, at)).await?;
    Ok(cycle)
}

/// A cycle's pots as Pabulib files (text), each with a name for it (`city-wide` or the
/// district's).
pub async fn export_pabulib(store: &Store, cycle: &BudgetCycleId) -> Result<Vec<(String, Vec<u8>)>, WebError> {
    let pots = store
        .read(|s| {
            let c = s.budgets().cycle(cycle)?;
            Some(
                export(c, s.budgets())
                    .into_iter()
                    .map(|pot| {
                        let name = match &pot.district {
                            None => "city-wide".to_owned(),
                            Some(d) => {
                                c.districts.iter().find(|x| &x.id == d).map_or_else(|| d.to_string(), |x| x.name.to_string())
                            }
                        };
                        (name, pot.election)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .await
        .ok_or_else(WebError::not_found)?;
    let mut files = Vec::new();
    for (name, election) in pots {
        let mut out = Vec::new();
        plenum_choice::pb::pabulib::write(&election, &mut out).map_err(|e| WebError::internal(&e.to_string()))?;
        files.push((name, out));
    }
    Ok(files)
}
