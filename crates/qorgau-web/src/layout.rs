//! The frame around every page: the language, the navigation a person's
//! roles allow, who is signed in, and a skip link for keyboard users.
//! Styles and the little script are served by this crate (`/static/…`),
//! never from a CDN: the interface works on an isolated network.

use maud::{DOCTYPE, Markup, html};
use qorgau_i18n::Lang;
use qorgau_response::Permission;

use crate::text::Tr;
use crate::viewer::Viewer;

/// The sections of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The dashboard.
    Dashboard,
    /// The triage queue.
    Triage,
    /// Cases.
    Cases,
    /// The referrals board.
    Referrals,
    /// Victim screening.
    Screening,
    /// The network view.
    Network,
    /// Administration.
    Admin,
    /// Virtual identities.
    Identities,
}

/// A page for a signed-in person.
pub fn page(v: &Viewer, title: &str, section: Section, body: Markup) -> Markup {
    let tr = v.tr;
    let mut nav: Vec<(Section, &str, &str)> = vec![(Section::Dashboard, "/", "nav-dashboard")];
    if v.may(Permission::ReadSignals) {
        nav.push((Section::Triage, "/triage", "nav-triage"));
        nav.push((Section::Network, "/network", "nav-network"));
    }
    if v.may(Permission::ReadCases) {
        nav.push((Section::Cases, "/cases", "nav-cases"));
        nav.push((Section::Referrals, "/referrals", "nav-referrals"));
    }
    if v.may(Permission::ScreenVictims) {
        nav.push((Section::Screening, "/screening", "nav-screening"));
    }
    if v.may(Permission::UseIdentities) {
        nav.push((Section::Identities, "/identities", "nav-identities"));
    }
    if crate::pages::admin::offered(v) {
        nav.push((Section::Admin, "/admin", "nav-admin"));
    }
    document(
        tr,
        title,
        html! {
            header.top {
                a.brand href="/" { "Qorgau" }
                nav aria-label=(tr.t("nav-label")) {
                    ul {
                        @for (s, href, key) in &nav {
                            li {
                                @if *s == section {
                                    a href=(href) aria-current="page" { (tr.t(key)) }
                                } @else {
                                    a href=(href) { (tr.t(key)) }
                                }
                            }
                        }
                    }
                }
                (languages(tr, &v.path))
                div.account {
                    span.who { (v.principal.user.display_name) }
                    form method="post" action="/logout" {
                        input type="hidden" name="csrf" value=(v.csrf());
                        button type="submit" { (tr.t("sign-out")) }
                    }
                }
            }
            main #main { h1 { (title) } (body) }
        },
    )
}

/// A page without navigation (sign-in, errors); `here` is where the
/// language links come back to.
pub fn bare(tr: Tr, title: &str, here: &str, body: Markup) -> Markup {
    document(
        tr,
        title,
        html! {
            header.top { a.brand href="/" { "Qorgau" } (languages(tr, here)) }
            main #main { (body) }
        },
    )
}

fn languages(tr: Tr, here: &str) -> Markup {
    let next: String = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
    html! {
        ul.languages aria-label=(tr.t("language")) {
            @for lang in Lang::ALL {
                li {
                    @if lang == tr.lang {
                        a href={ "/lang/" (lang.code()) "?" (next) } lang=(lang.code()) aria-current="true" { (lang.native_name()) }
                    } @else {
                        a href={ "/lang/" (lang.code()) "?" (next) } lang=(lang.code()) { (lang.native_name()) }
                    }
                }
            }
        }
    }
}

fn document(tr: Tr, title: &str, inner: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(tr.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Qorgau" }
                link rel="stylesheet" href=(crate::assets::CSS_PATH);
                script src=(crate::assets::JS_PATH) defer {}
            }
            body {
                a.skip href="#main" { (tr.t("skip-to-content")) }
                (inner)
            }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf(v: &Viewer) -> Markup {
    html! { input type="hidden" name="csrf" value=(v.csrf()); }
}
