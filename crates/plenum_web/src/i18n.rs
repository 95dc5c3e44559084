//! Translations: every text a page shows is a Fluent message in `locales/{lang}.ftl`, embedded
//! in the binary. English and Spanish are complete ([`missing_keys`] is tested); the language
//! comes from `?lang=`, then the `plenum_lang` cookie, then `Accept-Language`. The `dir`
//! attribute comes from the language, so a right-to-left language needs only its file.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the interface is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// `rtl` for right-to-left scripts (none yet), `ltr` otherwise.
    #[must_use]
    pub fn dir(self) -> &'static str {
        "ltr"
    }

    /// Reads a language code (`es`, `es-AR`, `EN`); `None` for languages not translated.
    #[must_use]
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The best language for an `Accept-Language` header (by q-value, then order).
    #[must_use]
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u32, Lang)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else { continue };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .map_or(1000, |q| (q.clamp(0.0, 1.0) * 1000.0) as u32);
            if q > 0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Es => include_str!("../locales/es.ftl"),
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        match self {
            Lang::En => &BUNDLES.0,
            Lang::Es => &BUNDLES.1,
        }
    }
}

static BUNDLES: LazyLock<(FluentBundle<FluentResource>, FluentBundle<FluentResource>)> =
    LazyLock::new(|| (make_bundle(Lang::En), make_bundle(Lang::Es)));

fn make_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would show up in attributes and tests; the pages set `dir` instead.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(partial, errors)| {
        eprintln!("plenum_web: {} translation errors in {}.ftl: {errors:?}", errors.len(), lang.code());
        partial
    });
    if let Err(errors) = bundle.add_resource(resource) {
        eprintln!("plenum_web: duplicate messages in {}.ftl: {errors:?}", lang.code());
    }
    bundle
}

/// The message ids a file defines.
fn keys(lang: Lang) -> BTreeSet<String> {
    lang.source()
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

/// For each language, the keys another language has and it lacks (empty when complete).
#[must_use]
pub fn missing_keys() -> Vec<(Lang, Vec<String>)> {
    let all: BTreeSet<String> = Lang::ALL.into_iter().flat_map(keys).collect();
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let have = keys(lang);
            (lang, all.difference(&have).cloned().collect())
        })
        .collect()
}

/// Translates for one language; `Copy`, so each page holds its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    /// The message `key`, or the key itself if it is missing (a test keeps that from shipping).
    #[must_use]
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with a number (for plurals).
    #[must_use]
    pub fn n(&self, key: &str, count: u64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(count));
        self.format(key, Some(&args))
    }

    /// The message `key` with named arguments (numbers, or words a select expression picks on).
    #[must_use]
    pub fn args(&self, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(key, Some(&fluent))
    }

    /// Whether `key` exists (refusal codes fall back to their English text when not).
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.lang.bundle().has_message(key)
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.lang.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else { return key.to_owned() };
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_translated_language() {
        assert_eq!(Lang::from_accept_language("es-AR,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("fr-FR, en;q=0.5, es;q=0.7"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("de"), None);
        assert_eq!(Lang::from_accept_language("es;q=0"), None);
    }

    #[test]
    fn english_and_spanish_have_the_same_keys() {
        for (lang, missing) in missing_keys() {
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
        }
        // The messages formatted with arguments (decision rules) exist in every language too.
        for lang in Lang::ALL {
            for key in crate::pages::rule::KEYS {
                assert!(keys(lang).contains(key), "{} lacks {key}", lang.code());
            }
        }
    }

    #[test]
    fn messages_format_with_arguments() {
        let tr = Tr { lang: Lang::Es };
        assert_ne!(tr.t("nav-sign-in"), "nav-sign-in");
        assert!(tr.n("members-count", 3).contains('3'));
    }
}
