//! The one translation layer of Qorgau.
//!
//! Every text a person reads — CLI messages, the protocol of inspection, the
//! web interface — goes through [`text`], so the three languages the project
//! promises (Russian first, as the language of Kazakh procedure; Kazakh and
//! English with the same content) cannot drift apart silently: the catalogues
//! are Project Fluent files under `locales/{ru,kk,en}/`, embedded at compile
//! time, and a test checks that every key exists in every language with the
//! same arguments.
//!
//! ```
//! use qorgau_i18n::{text, Args, Lang};
//! let lang: Lang = "ru".parse().unwrap();
//! assert_eq!(text(lang, "count-files", &Args::new().with("count", 5)), "5 файлов");
//! ```
//!
//! Output carries no Unicode bidi isolation marks (Fluent adds them by
//! default): it goes into PDFs and terminals, where they show up as junk or
//! break text search.

mod args;
mod catalogue;
mod lang;

pub use args::Args;
pub use catalogue::{Catalogue, catalogue_problems, catalogues, has_key};
pub use fluent_bundle::FluentValue;
pub use lang::{Lang, UnknownLang};

/// Why a text could not be produced exactly as the catalogue says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// No message with this key in this language.
    #[error("no text \"{key}\" in the {lang} catalogue")]
    MissingKey {
        /// The language asked for.
        lang: Lang,
        /// The key asked for.
        key: String,
    },
    /// The message exists but has no value (only attributes).
    #[error("text \"{key}\" in the {lang} catalogue has no value")]
    NoValue {
        /// The language asked for.
        lang: Lang,
        /// The key asked for.
        key: String,
    },
    /// Formatting went wrong, typically a missing argument; `partial` is the
    /// best Fluent could do (missing arguments shown as `{$name}`).
    #[error("text \"{key}\" in the {lang} catalogue: {problems}")]
    Format {
        /// The language asked for.
        lang: Lang,
        /// The key asked for.
        key: String,
        /// What Fluent reported.
        problems: String,
        /// The text as far as it could be formatted.
        partial: String,
    },
}

/// The text for `key` in `lang`, formatted with `args`.
///
/// Never panics and never returns nothing: a missing key comes back as
/// `{key}` (the way Fluent itself marks unresolved references), so a gap is
/// visible in the output instead of silently filled from another language;
/// a missing argument comes back as `{$name}` inside the text. Use
/// [`try_text`] to treat these as errors.
pub fn text(lang: Lang, key: &str, args: &Args<'_>) -> String {
    match try_text(lang, key, args) {
        Ok(s) => s,
        Err(TextError::Format { partial, .. }) => partial,
        Err(TextError::MissingKey { .. } | TextError::NoValue { .. }) => format!("{{{key}}}"),
    }
}

/// Like [`text`], but reports a missing key, a message without value or a
/// formatting problem as an error.
pub fn try_text(lang: Lang, key: &str, args: &Args<'_>) -> Result<String, TextError> {
    catalogue::format(lang, key, args)
}
