//! The demo's resident registry: Iván (Harbour Assembly's facilitator) is a registrar, two
//! residents of Harbour are enrolled (their names only as ciphertext, like any other), and
//! the register of legal demands holds one public demand and one sealed by a court.

use std::collections::BTreeMap;

use plenum_core::credential::AgeBand;
use plenum_core::{AccountId, BodyId, DemandDetails, EnrolResident, Instant, LegalDemandId, Prose, ReceiptCode, Title};
use plenum_store::{EnrolSecrets, PersonalData, Store};

use crate::demo::DemoError;
use crate::ids::{new_id, random_bytes};

pub async fn fill(
    store: &Store,
    people: &BTreeMap<&'static str, AccountId>,
    harbour: &BodyId,
    now: Instant,
) -> Result<(), DemoError> {
    let Some(ivan) = people.get("ivan") else { return Ok(()) };
    let days = |n: i64| now.plus_seconds(n * 86_400);
    store.appoint_registrar(ivan, days(-30)).await?;
    for (name, age_band) in [("Marisol Quispe", AgeBand::Adult), ("Tomás Quispe", AgeBand::From16To17)] {
        let enrol = EnrolResident { area: harbour.clone(), age_band, expires_at: days(4 * 365) };
        let secrets = EnrolSecrets {
            key: random_bytes()?,
            nonce: random_bytes()?,
            claim_code: ReceiptCode::from_random(random_bytes()?).to_string(),
            claim_expires_at: days(30),
        };
        store.enrol(enrol, &PersonalData { name: Title::parse(name)? }, secrets, ivan, days(-20)).await?;
    }
    let details = DemandDetails {
        authority: Title::parse("County Sheriff's Office")?,
        asked: Prose::parse("The names and addresses of every registered resident of Harbour.")?,
        given: Prose::parse(
            "Nothing: the registry holds no addresses, and names only encrypted per resident. The demand was answered in writing.",
        )?,
    };
    let public = new_id(LegalDemandId::parse)?;
    store.execute(|s| s.record_legal_demand(public, days(-12), Some(details), ivan, days(-11))).await?;
    let sealed = new_id(LegalDemandId::parse)?;
    store.execute(|s| s.record_legal_demand(sealed, days(-5), None, ivan, days(-4))).await?;
    Ok(())
}
