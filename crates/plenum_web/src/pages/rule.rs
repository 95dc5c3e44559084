//! Decision rules in words, from Fluent messages with arguments: the domain keeps rules and
//! results as data ([`DecidedBy`], [`ThresholdRule`]) and each page words them in its language.

use fluent_bundle::FluentValue;
use plenum_core::{DecidedBy, ThresholdBase, ThresholdRule};

use crate::i18n::Tr;

/// Every message these sentences use (the i18n tests check each in every language).
#[cfg(test)]
pub const KEYS: [&str; 3] = ["rule-more-than", "rule-at-least", "rule-no-quorum"];

fn base(of: ThresholdBase) -> &'static str {
    match of {
        ThresholdBase::VotesCast => "votes-cast",
        ThresholdBase::VotesCastAndAbstentions => "votes-and-abstentions",
        ThresholdBase::AllMembers => "all-members",
    }
}

/// "more than 1/2 of the votes cast", "al menos 2/3 de todos los miembros".
#[must_use]
pub fn threshold(tr: Tr, rule: ThresholdRule) -> String {
    let (key, share, of) = match rule {
        ThresholdRule::MoreThan { share, of } => ("rule-more-than", share, of),
        ThresholdRule::AtLeast { share, of } => ("rule-at-least", share, of),
    };
    tr.args(key, &[("share", FluentValue::from(share.to_string())), ("base", FluentValue::from(base(of)))])
}

/// The rule that decided a closed poll: its threshold, or the quorum it missed.
#[must_use]
pub fn decided_by(tr: Tr, decided: DecidedBy) -> String {
    match decided {
        DecidedBy::Threshold(rule) => threshold(tr, rule),
        DecidedBy::NoQuorum { taking_part, needed } => {
            tr.args("rule-no-quorum", &[("taking_part", FluentValue::from(taking_part)), ("needed", FluentValue::from(needed))])
        }
    }
}

#[cfg(test)]
mod tests {
    use plenum_core::Fraction;

    use super::*;
    use crate::i18n::Lang;

    fn every_rule() -> Vec<ThresholdRule> {
        let mut rules = Vec::new();
        for of in [ThresholdBase::VotesCast, ThresholdBase::VotesCastAndAbstentions, ThresholdBase::AllMembers] {
            rules.push(ThresholdRule::MoreThan { share: Fraction::HALF, of });
            rules.push(ThresholdRule::AtLeast { share: Fraction::TWO_THIRDS, of });
        }
        rules
    }

    #[test]
    fn english_sentences_match_the_domains_own() {
        let tr = Tr { lang: Lang::En };
        for rule in every_rule() {
            assert_eq!(threshold(tr, rule), rule.threshold().to_string());
        }
        let no_quorum = DecidedBy::NoQuorum { taking_part: 33, needed: 34 };
        assert_eq!(decided_by(tr, no_quorum), "no quorum: 33 of 34 needed");
    }

    #[test]
    fn spanish_sentences_are_spanish() {
        let tr = Tr { lang: Lang::Es };
        assert_eq!(threshold(tr, ThresholdRule::SIMPLE_MAJORITY), "más de 1/2 de los votos emitidos");
        let all = ThresholdRule::AtLeast { share: Fraction::TWO_THIRDS, of: ThresholdBase::AllMembers };
        assert_eq!(threshold(tr, all), "al menos 2/3 de todos los miembros");
        assert_eq!(decided_by(tr, DecidedBy::NoQuorum { taking_part: 1, needed: 4 }), "sin quórum: 1 de 4 necesarios");
    }

    #[test]
    fn every_rule_sentence_is_translated_in_every_language() {
        for lang in Lang::ALL {
            let tr = Tr { lang };
            for key in KEYS {
                assert!(tr.has(key), "{} lacks {key}", lang.code());
            }
            let mut sentences: Vec<String> = every_rule().into_iter().map(|r| threshold(tr, r)).collect();
            sentences.push(decided_by(tr, DecidedBy::NoQuorum { taking_part: 2, needed: 3 }));
            for sentence in sentences {
                assert!(!sentence.contains('{') && !sentence.contains("rule-"), "{}: {sentence}", lang.code());
            }
        }
    }
}
