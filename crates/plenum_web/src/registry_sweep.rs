//! Erases residents' personal data once their credential has expired and the operator's grace
//! period (`Config::registry_grace_days`) has passed: at startup, then hourly.

use std::sync::Arc;
use std::time::Duration;

use plenum_store::Store;

use crate::error::WebError;
use crate::ids::now;

/// Erases what is due now; returns how many residents' data it erased.
pub async fn erase_due(store: &Store, grace_days: u32) -> Result<u64, WebError> {
    Ok(store.erase_expired(i64::from(grace_days) * 86_400, now()?).await?)
}

/// Runs forever, erasing what is due every hour.
pub async fn run(store: Arc<Store>, grace_days: u32) {
    let mut interval = tokio::time::interval(Duration::from_secs(3600));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(e) = erase_due(&store, grace_days).await {
            eprintln!("plenum: erasing expired registry data failed: {}", e.message);
        }
    }
}
