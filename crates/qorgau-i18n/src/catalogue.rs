//! The embedded Fluent catalogues and the bundles built from them.

use std::sync::OnceLock;

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;

use crate::{Args, Lang, TextError};

/// One embedded `.ftl` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Catalogue {
    /// File name under `locales/<lang>/`, e.g. `protocol.ftl`.
    pub file: &'static str,
    /// Its Fluent source.
    pub source: &'static str,
}

/// Declares the catalogue files once so that every language lists the same
/// files in the same order (the consistency test relies on it).
macro_rules! catalogues_of {
    ($lang:literal) => {
        &[
            Catalogue {
                file: "common.ftl",
                source: include_str!(concat!("../locales/", $lang, "/common.ftl")),
            },
            Catalogue {
                file: "protocol.ftl",
                source: include_str!(concat!("../locales/", $lang, "/protocol.ftl")),
            },
            Catalogue {
                file: "web.ftl",
                source: include_str!(concat!("../locales/", $lang, "/web.ftl")),
            },
        ]
    };
}

const RU: &[Catalogue] = catalogues_of!("ru");
const KK: &[Catalogue] = catalogues_of!("kk");
const EN: &[Catalogue] = catalogues_of!("en");

/// The embedded catalogues of `lang`; public so that tools and tests can
/// inspect exactly what the binary carries.
pub fn catalogues(lang: Lang) -> &'static [Catalogue] {
    match lang {
        Lang::Ru => RU,
        Lang::Kk => KK,
        Lang::En => EN,
    }
}

type Bundle = FluentBundle<FluentResource>;

struct Loaded {
    bundle: Bundle,
    /// Syntax errors and duplicate keys found while loading.
    problems: Vec<String>,
}

fn load(lang: Lang) -> Loaded {
    let mut bundle = FluentBundle::new_concurrent(vec![lang.langid()]);
    bundle.set_use_isolating(false);
    let mut problems = Vec::new();
    for cat in catalogues(lang) {
        // A file with syntax errors still yields the entries that parsed;
        // keep them and report the rest.
        let resource = match FluentResource::try_new(cat.source.to_owned()) {
            Ok(r) => r,
            Err((r, errors)) => {
                for e in errors {
                    problems.push(format!("{lang}/{}: {e}", cat.file));
                }
                r
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            for e in errors {
                problems.push(format!("{lang}/{}: {e}", cat.file));
            }
        }
    }
    Loaded { bundle, problems }
}

fn loaded(lang: Lang) -> &'static Loaded {
    static RU_B: OnceLock<Loaded> = OnceLock::new();
    static KK_B: OnceLock<Loaded> = OnceLock::new();
    static EN_B: OnceLock<Loaded> = OnceLock::new();
    let cell = match lang {
        Lang::Ru => &RU_B,
        Lang::Kk => &KK_B,
        Lang::En => &EN_B,
    };
    cell.get_or_init(|| load(lang))
}

/// Problems found while loading the catalogues of every language (syntax
/// errors, duplicate keys); empty when all is well. The loader never panics,
/// so this is how a broken catalogue is noticed (a test asserts it is empty).
pub fn catalogue_problems() -> Vec<String> {
    Lang::ALL
        .iter()
        .flat_map(|&l| loaded(l).problems.iter().cloned())
        .collect()
}

/// Whether `lang`'s catalogue has a message `key` (with a value).
pub fn has_key(lang: Lang, key: &str) -> bool {
    loaded(lang)
        .bundle
        .get_message(key)
        .is_some_and(|m| m.value().is_some())
}

pub(crate) fn format(lang: Lang, key: &str, args: &Args<'_>) -> Result<String, TextError> {
    let bundle = &loaded(lang).bundle;
    let message = bundle
        .get_message(key)
        .ok_or_else(|| TextError::MissingKey {
            lang,
            key: key.to_owned(),
        })?;
    let pattern = message.value().ok_or_else(|| TextError::NoValue {
        lang,
        key: key.to_owned(),
    })?;
    let mut errors = Vec::new();
    let out = bundle
        .format_pattern(pattern, Some(&args.0), &mut errors)
        .into_owned();
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(TextError::Format {
            lang,
            key: key.to_owned(),
            problems: errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
            partial: out,
        })
    }
}
