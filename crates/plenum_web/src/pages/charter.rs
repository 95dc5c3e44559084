//! The charter as form fields: creating an assembly chooses its membership rule, and a
//! charter-amendment motion proposes a whole new charter, starting from the current one.

use plenum_core::charter::{QuorumBase, ThresholdBase};
use plenum_core::{Charter, Fraction, MembershipRule, QuorumRule, ThresholdRule};
use serde::Deserialize;

use crate::error::WebError;

/// `open` or `approval`, as the forms send a membership rule.
pub fn membership(text: &str) -> Result<MembershipRule, WebError> {
    match text {
        "open" => Ok(MembershipRule::Open),
        "approval" => Ok(MembershipRule::ApprovalByFacilitator),
        other => Err(WebError::bad_input("invalid_membership", format!("{other:?} is not a membership rule (open or approval)"))),
    }
}

/// A proposed charter's fields, as the motion form sends (and shows) them: shares as text
/// ("2/3"), each threshold with whether it is "more than" or "at least".
#[derive(Debug, Clone, Deserialize)]
pub struct CharterFields {
    #[serde(default = "open")]
    pub charter_membership: String,
    #[serde(default)]
    pub charter_threshold: String,
    #[serde(default = "more_than")]
    pub charter_threshold_rule: String,
    #[serde(default)]
    pub charter_amendment: String,
    #[serde(default = "more_than")]
    pub charter_amendment_rule: String,
    /// A share of the roll ("1/10"), a number of members ("5"), or empty for no quorum.
    #[serde(default)]
    pub charter_quorum: String,
}

fn open() -> String {
    "open".to_owned()
}

fn more_than() -> String {
    "more_than".to_owned()
}

fn rule_fields(rule: ThresholdRule) -> (String, String) {
    match rule {
        ThresholdRule::MoreThan { share, .. } => (share.to_string(), more_than()),
        ThresholdRule::AtLeast { share, .. } => (share.to_string(), "at_least".to_owned()),
    }
}

fn base_of(rule: ThresholdRule) -> ThresholdBase {
    match rule {
        ThresholdRule::MoreThan { of, .. } | ThresholdRule::AtLeast { of, .. } => of,
    }
}

fn threshold(share: &str, rule: &str, of: ThresholdBase) -> Result<ThresholdRule, WebError> {
    let share = Fraction::parse(share.trim()).map_err(|e| WebError::bad_input("invalid_share", e.to_string()))?;
    match rule {
        "more_than" => Ok(ThresholdRule::MoreThan { share, of }),
        "at_least" => Ok(ThresholdRule::AtLeast { share, of }),
        other => Err(WebError::bad_input("invalid_input", format!("{other:?} is neither more_than nor at_least"))),
    }
}

impl CharterFields {
    /// The fields showing `charter`, for a form that starts from it.
    #[must_use]
    pub fn of(charter: &Charter) -> CharterFields {
        let (charter_threshold, charter_threshold_rule) = rule_fields(charter.default_threshold);
        let (charter_amendment, charter_amendment_rule) = rule_fields(charter.amendment);
        CharterFields {
            charter_membership: match charter.membership {
                MembershipRule::Open => open(),
                MembershipRule::ApprovalByFacilitator => "approval".to_owned(),
            },
            charter_threshold,
            charter_threshold_rule,
            charter_amendment,
            charter_amendment_rule,
            charter_quorum: match charter.quorum {
                QuorumRule::None => String::new(),
                QuorumRule::Count { count, .. } => count.to_string(),
                QuorumRule::ShareOfRoll { share, .. } => share.to_string(),
            },
        }
    }

    /// The charter these fields propose. What the form does not show (what each threshold and
    /// the quorum are counted of, thresholds for particular kinds) is kept from `current`.
    pub fn charter(&self, current: &Charter) -> Result<Charter, WebError> {
        let quorum_of = match current.quorum {
            QuorumRule::Count { of, .. } | QuorumRule::ShareOfRoll { of, .. } => of,
            QuorumRule::None => QuorumBase::BallotsCast,
        };
        let quorum = self.charter_quorum.trim();
        let quorum = if quorum.is_empty() || quorum == "0" {
            QuorumRule::None
        } else if let Ok(count) = quorum.parse::<u64>() {
            QuorumRule::Count { count, of: quorum_of }
        } else {
            let share = Fraction::parse(quorum).map_err(|e| WebError::bad_input("invalid_share", e.to_string()))?;
            QuorumRule::ShareOfRoll { share, of: quorum_of }
        };
        Ok(Charter {
            membership: membership(&self.charter_membership)?,
            quorum,
            default_threshold: threshold(
                &self.charter_threshold,
                &self.charter_threshold_rule,
                base_of(current.default_threshold),
            )?,
            thresholds: current.thresholds.clone(),
            amendment: threshold(&self.charter_amendment, &self.charter_amendment_rule, base_of(current.amendment))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_charters_fields_give_it_back() {
        let charter = Charter::default();
        assert_eq!(CharterFields::of(&charter).charter(&charter).unwrap(), charter);
    }

    #[test]
    fn fields_propose_a_stricter_charter() {
        let mut fields = CharterFields::of(&Charter::default());
        fields.charter_membership = "approval".to_owned();
        fields.charter_amendment = "3/4".to_owned();
        fields.charter_amendment_rule = "at_least".to_owned();
        fields.charter_quorum = "5".to_owned();
        let proposed = fields.charter(&Charter::default()).unwrap();
        assert_eq!(proposed.membership, MembershipRule::ApprovalByFacilitator);
        assert_eq!(
            proposed.amendment,
            ThresholdRule::AtLeast { share: Fraction::new(3, 4).unwrap(), of: ThresholdBase::VotesCast }
        );
        assert_eq!(proposed.quorum, QuorumRule::Count { count: 5, of: QuorumBase::BallotsCast });
    }

    #[test]
    fn a_share_that_is_not_one_is_refused() {
        let mut fields = CharterFields::of(&Charter::default());
        fields.charter_threshold = "3/2".to_owned();
        assert_eq!(fields.charter(&Charter::default()).unwrap_err().code, "invalid_share");
    }
}
