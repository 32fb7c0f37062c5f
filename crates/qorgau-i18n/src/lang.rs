//! The languages Qorgau speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

/// A language of the interface and of generated documents.
///
/// Russian comes first because it is the language of Kazakh criminal
/// procedure in practice; Kazakh (the state language) and English carry the
/// same content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Russian, `ru`.
    Ru,
    /// Kazakh, `kk`.
    Kk,
    /// English, `en`.
    En,
}

impl Lang {
    /// Every language, primary first; used to iterate in tests and menus.
    pub const ALL: [Lang; 3] = [Lang::Ru, Lang::Kk, Lang::En];

    /// The BCP 47 code: `ru`, `kk`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::Kk => "kk",
            Lang::En => "en",
        }
    }

    /// The language's own name for itself, for language pickers.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Ru => "Русский",
            Lang::Kk => "Қазақ тілі",
            Lang::En => "English",
        }
    }

    /// The language identifier Fluent selects plural rules by.
    pub fn langid(self) -> LanguageIdentifier {
        let (language, region) = match self {
            Lang::Ru => ("ru", "RU"),
            Lang::Kk => ("kk", "KZ"),
            Lang::En => ("en", "US"),
        };
        let mut id = LanguageIdentifier::default();
        // Both subtags are constants known to be valid; on the impossible
        // failure the identifier stays `und`, which still formats.
        if let Ok(l) = language.parse() {
            id.language = l;
        }
        id.region = region.parse().ok();
        id
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language code Qorgau does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language \"{input}\": expected one of ru, kk, en")]
pub struct UnknownLang {
    /// What was given.
    pub input: String,
}

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Accepts `ru`, `kk`, `en` in any case, also with a region (`kk-KZ`,
    /// `ru_RU`), as found in `LANG` or `Accept-Language`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let primary = s.trim().split(['-', '_', '.']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "ru" => Ok(Lang::Ru),
            "kk" => Ok(Lang::Kk),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang {
                input: s.to_owned(),
            }),
        }
    }
}
