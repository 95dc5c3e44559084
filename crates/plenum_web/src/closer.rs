//! Closes polls (and budget cycles' votes) at their deadline, and ends delegates' terms on
//! their date: once at startup (for deadlines passed while the server was down), then every
//! tick. The interval is `Config::poll_tick` (5 s by default;
//! `PLENUM_POLL_TICK_SECONDS` sets it for `plenum serve`).

use std::sync::Arc;
use std::time::Duration;

use plenum_core::PollId;
use plenum_store::Store;

use crate::error::WebError;
use crate::ids::{now, random_bytes};

/// Closes every open poll whose deadline has passed; returns how many it closed.
pub async fn close_overdue(store: &Store) -> Result<usize, WebError> {
    let at = now()?;
    let due: Vec<PollId> = store
        .read(|s| {
            s.bodies()
                .flat_map(|b| s.motions_of(&b.id))
                .flat_map(|m| s.polls_on(&m.id))
                .filter(|p| s.poll_due(p, at))
                .map(|p| p.id.clone())
                .collect()
        })
        .await;
    let mut closed = 0;
    for poll in due {
        // The seed shuffles the published board; it comes from the operating system so that
        // nobody can predict the order.
        let seed = random_bytes::<32>()?;
        match store.execute(|s| s.close_poll(&poll, at, seed)).await {
            Ok(_) => closed += 1,
            // Closed meanwhile by someone else: nothing to do.
            Err(plenum_store::StoreError::Refused(plenum_core::Refusal::PollClosed)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // --- budget cycles: a vote ends at the planned start of the results phase ---
    let due: Vec<plenum_core::BudgetCycleId> = store
        .read(|s| {
            s.budgets()
                .cycles()
                .filter(|c| c.phase == plenum_core::Phase::Vote && !c.imported && c.vote_closes_at() <= at)
                .map(|c| c.id.clone())
                .collect()
        })
        .await;
    for cycle in due {
        let seed = random_bytes::<32>()?;
        match store.execute(|s| s.close_budget_vote(&cycle, at, seed)).await {
            Ok(_) => closed += 1,
            Err(plenum_store::StoreError::Refused(plenum_core::Refusal::WrongPhase { .. })) => {}
            // Paper ballots still to enter twice or resolve: the count waits for them.
            Err(plenum_store::StoreError::Refused(plenum_core::Refusal::PaperBallotsUnsettled { .. })) => {}
            Err(e) => return Err(e.into()),
        }
    }
    // --- confederation: a delegate's term ends on its date ---
    if store.read(|s| !s.end_terms(at).is_empty()).await {
        let ended = store.execute(|s| Ok(s.end_terms(at))).await?;
        closed += ended.len();
    }
    Ok(closed)
}

/// Runs forever, closing overdue polls every `tick` (and removing expired sessions hourly).
pub async fn run(store: Arc<Store>, tick: Duration) {
    let mut interval = tokio::time::interval(tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_purge: Option<std::time::Instant> = None;
    loop {
        interval.tick().await;
        if let Err(e) = close_overdue(&store).await {
            eprintln!("plenum: closing overdue polls failed: {}", e.message);
        }
        if last_purge.is_none_or(|t| t.elapsed() >= Duration::from_secs(3600)) {
            last_purge = Some(std::time::Instant::now());
            if let Ok(at) = now()
                && let Err(e) = store.purge_sessions(at).await
            {
                eprintln!("plenum: removing expired sessions failed: {e}");
            }
        }
    }
}
