//! The page's language: every visible string goes through [`Tr`], which
//! reads the shared Fluent catalogues (`qorgau-i18n`, `web.ftl`), and every
//! time is shown in Asia/Almaty with UTC beside it where evidence needs it.

use chrono::{DateTime, Utc};
use chrono_tz::Asia::Almaty;
use maud::{Markup, html};
use qorgau_i18n::{Args, Lang};

/// The translator of one request. A missing key renders as `{key}` (the
/// catalogue layer's own marker), which the page tests look for in every
/// language, so a gap shows up in review instead of falling back silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    /// The language of the page.
    pub lang: Lang,
}

impl Tr {
    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        qorgau_i18n::text(self.lang, key, &Args::new())
    }

    /// The text of `key` with arguments (counts pick plural forms).
    pub fn t_with(&self, key: &str, args: &Args<'_>) -> String {
        qorgau_i18n::text(self.lang, key, args)
    }

    /// The text of `prefix-value` when the catalogue has it, else the raw
    /// value: for codes (roles, statuses, scenarios) whose list grows with
    /// the data files, so that a new code still shows, as itself.
    pub fn code(&self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}-{}", value.replace('_', "-"));
        qorgau_i18n::try_text(self.lang, &key, &Args::new()).unwrap_or_else(|_| value.to_owned())
    }

    /// The one of three texts (data files keep ru, kk and en side by side)
    /// in the page's language.
    pub fn pick<'a>(&self, ru: &'a str, kk: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Ru => ru,
            Lang::Kk => kk,
            Lang::En => en,
        }
    }

    /// A time as people read it here: Almaty wall-clock time, with the UTC
    /// instant in a `<time>` element and its tooltip. Text that is not a
    /// time is shown as it is.
    pub fn time(&self, utc: &str) -> Markup {
        match DateTime::parse_from_rfc3339(utc) {
            Ok(at) => {
                let at = at.with_timezone(&Utc);
                let local = at.with_timezone(&Almaty).format("%d.%m.%Y %H:%M");
                let exact = at.format("%Y-%m-%d %H:%M:%S UTC").to_string();
                html! { time datetime=(utc) title=(exact) { (local.to_string()) } }
            }
            Err(_) => html! { (utc) },
        }
    }

    /// A time with both clocks written out, for evidence where the UTC
    /// instant is what a court compares.
    pub fn time_both(&self, utc: &str) -> Markup {
        match DateTime::parse_from_rfc3339(utc) {
            Ok(at) => {
                let at = at.with_timezone(&Utc);
                let local = at.with_timezone(&Almaty).format("%d.%m.%Y %H:%M:%S");
                html! {
                    time datetime=(utc) {
                        (local.to_string()) " " (self.t("time-almaty"))
                        " · " (at.format("%Y-%m-%d %H:%M:%S").to_string()) " UTC"
                    }
                }
            }
            Err(_) => html! { (utc) },
        }
    }
}

/// The language asked for by a cookie or `Accept-Language`, Russian when
/// neither names one we have (Russian is the language of procedure).
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(lang) = cookie.and_then(|c| c.parse::<Lang>().ok()) {
        return lang;
    }
    let Some(header) = accept_language else {
        return Lang::Ru;
    };
    let mut best: Option<(f32, Lang)> = None;
    for part in header.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or_default().trim();
        let primary = tag
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Ok(lang) = primary.parse::<Lang>()
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::Ru, |(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_cookie_then_header_then_russian() {
        assert_eq!(negotiate(Some("kk"), Some("en")), Lang::Kk);
        assert_eq!(negotiate(Some("xx"), Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(negotiate(None, Some("de, en;q=0.5, kk;q=0.8")), Lang::Kk);
        assert_eq!(negotiate(None, Some("de")), Lang::Ru);
        assert_eq!(negotiate(None, None), Lang::Ru);
    }

    #[test]
    fn times_are_shown_in_almaty_with_utc_kept() {
        let tr = Tr { lang: Lang::En };
        let html = tr.time("2026-12-07T03:00:00.000000Z").into_string();
        assert!(html.contains("07.12.2026 08:00"), "{html}");
        assert!(html.contains("2026-12-07 03:00:00 UTC"), "{html}");
        assert_eq!(tr.time("not a time").into_string(), "not a time");
    }
}
