//! HTML pages: one document per page.
//!
//! The parser is `scraper` (html5ever, Servo's implementation of the WHATWG
//! parsing algorithm, plus a DOM and CSS selector matching). It was chosen
//! over `lol_html` and a hand-written tokenizer because spam and job-board
//! pages are often malformed and only the standard algorithm rebuilds the
//! tree a browser shows (misnested tags, unclosed `<p>`, stray `</div>`),
//! because the channel-preview reader and later the captured-page viewer need
//! to look at an element's ancestors and siblings (a reply quote inside a
//! post, a date link around a `<time>`), which a streaming rewriter cannot,
//! and because pages are small enough to hold as a tree. Its default
//! features (a command-line binary, parse-error collection) are turned off.

use std::collections::BTreeMap;

use scraper::{ElementRef, Node};
use url::Url;

use crate::Document;
use crate::decode::decode_html;
use crate::html_text::{collapse, flat_text, visible_text};
use crate::images::{ImageRef, LocalImages, MAX_IMAGES};
use crate::links::{append_hidden, host_of, resolve};

/// What one HTML page says, read once for both scanning and review.
///
/// It exists so that the monitor (which follows `links`), the scanner (which
/// reads `document`) and the evidence view (title, description, publication
/// time) share one reading of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlPage {
    /// `<title>`, white space collapsed.
    pub title: Option<String>,
    /// Visible text of the body (see `html_text` rules), without the title.
    pub text: String,
    /// Every link target of the page, absolute, in order, without repeats
    /// (relative links are dropped when no base URL is known).
    pub links: Vec<String>,
    /// `<meta name=description>`, else `og:description`.
    pub description: Option<String>,
    /// `<meta>` tags by lower-case `name`, `property` or `itemprop`: their
    /// `content` (first one wins).
    pub meta: BTreeMap<String, String>,
    /// `<link rel=canonical>`, resolved.
    pub canonical: Option<String>,
    /// Publication time from `article:published_time` and similar tags, as given.
    pub published_time: Option<String>,
    /// `<html lang>`.
    pub lang: Option<String>,
    /// The base links were resolved against (`<base href>` or the page URL).
    pub base_url: Option<String>,
    /// A note on how the bytes were decoded, when not plain UTF-8.
    pub encoding_warning: Option<String>,
    /// The page as a document: id = the name or URL given; text = title,
    /// a blank line, the visible text, then hidden link targets (links to
    /// other hosts and `mailto:`/`tel:`/`tg:`... links whose target the text
    /// does not show, see `links`); url = the URL given, else the canonical
    /// link; source = the URL's host; author and published time from meta
    /// tags; extra = title, description, links, meta, lang, canonical, and
    /// `images`: the page's `<img>` pictures (`src`, else `data-src`), by
    /// absolute URL, or, for a page read from disk without a base URL, read
    /// from the files beside it (see `images`).
    pub document: Document,
}

/// Reads an HTML page. `url_or_name` is the page's URL when it is an
/// absolute `http(s)` URL (it then resolves relative links and becomes the
/// document's `url`), else just the document id (a file name). No file is
/// read: the page may come from anywhere, so its relative pictures are only
/// recorded (use [`crate::read`] for a page saved to disk).
pub fn html_to_document(url_or_name: &str, html: &[u8]) -> HtmlPage {
    let base = Url::parse(url_or_name)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|_| url_or_name);
    let local = LocalImages::none("the page was not read from a file");
    html_page(url_or_name, base, html, &local)
}

/// [`html_to_document`] with the id and the base URL given separately, and
/// the directory its relative pictures are read from.
pub(crate) fn html_page(
    id: &str,
    page_url: Option<&str>,
    html: &[u8],
    local: &LocalImages,
) -> HtmlPage {
    let decoded = decode_html(html);
    let doc = crate::html_parse::parse_document(&decoded.text);
    let root = doc.root_element();

    let page_url_parsed = page_url.and_then(|u| Url::parse(u).ok());
    let mut base = page_url_parsed.clone();
    let mut title = None;
    let mut meta = BTreeMap::new();
    let mut canonical_raw = None;
    for el in root.descendent_elements() {
        let v = el.value();
        match v.name() {
            "base" => {
                if let Some(href) = v.attr("href") {
                    let joined = match &base {
                        Some(b) => b.join(href.trim()).ok(),
                        None => Url::parse(href.trim()).ok(),
                    };
                    if joined.is_some() {
                        base = joined;
                    }
                }
            }
            "title" if title.is_none() => {
                let t = flat_text(el);
                if !t.is_empty() {
                    title = Some(t);
                }
            }
            "meta" => {
                let key = v
                    .attr("name")
                    .or_else(|| v.attr("property"))
                    .or_else(|| v.attr("itemprop"));
                if let (Some(key), Some(content)) = (key, v.attr("content")) {
                    let key = key.trim().to_ascii_lowercase();
                    let content = collapse(content);
                    if !key.is_empty() && !content.is_empty() {
                        meta.entry(key).or_insert(content);
                    }
                }
            }
            "link" if canonical_raw.is_none() => {
                let is_canonical = v.attr("rel").is_some_and(|r| {
                    r.split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("canonical"))
                });
                if is_canonical {
                    canonical_raw = v.attr("href").map(str::to_string);
                }
            }
            _ => {}
        }
    }

    let links = all_links(root, base.as_ref());
    let (text, visible_hrefs) = visible_text(root, &|_| false);
    let canonical = canonical_raw.and_then(|c| resolve(base.as_ref(), &c));
    let description = meta
        .get("description")
        .or_else(|| meta.get("og:description"))
        .cloned();
    let published_time = [
        "article:published_time",
        "og:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.date",
    ]
    .iter()
    .find_map(|k| meta.get(*k).cloned());
    let lang = root
        .value()
        .attr("lang")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);

    let url = page_url.map(str::to_string).or_else(|| canonical.clone());
    let page_host = url.as_deref().and_then(host_of);
    let hidden: Vec<String> = visible_hrefs
        .iter()
        .filter_map(|h| resolve(base.as_ref(), h))
        .filter(|h| is_outgoing(h, page_host.as_deref()))
        .collect();

    let mut doc_text = String::new();
    if let Some(t) = &title {
        doc_text.push_str(t);
    }
    if !text.is_empty() {
        if !doc_text.is_empty() {
            doc_text.push_str("\n\n");
        }
        doc_text.push_str(&text);
    }
    append_hidden(&mut doc_text, &hidden);

    let mut extra = serde_json::Map::new();
    if let Some(t) = &title {
        extra.insert("title".into(), t.clone().into());
    }
    if let Some(d) = &description {
        extra.insert("description".into(), d.clone().into());
    }
    if !links.is_empty() {
        extra.insert("links".into(), links.clone().into());
    }
    if !meta.is_empty() {
        let m: serde_json::Map<String, serde_json::Value> = meta
            .iter()
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect();
        extra.insert("meta".into(), m.into());
    }
    if let Some(l) = &lang {
        extra.insert("lang".into(), l.clone().into());
    }
    if let Some(c) = &canonical {
        extra.insert("canonical".into(), c.clone().into());
    }
    let encoding_warning = decoded.warning();
    if let Some(w) = &encoding_warning {
        extra.insert("encoding_warning".into(), w.clone().into());
    }
    let author = meta
        .get("author")
        .or_else(|| meta.get("article:author"))
        .cloned();

    let mut document = Document {
        id: id.to_string(),
        text: doc_text,
        source: page_host,
        url,
        author,
        published_at: published_time.clone(),
        extra,
    };
    let (images, omitted) = page_images(root, base.as_ref(), local);
    document.set_images(images);
    if omitted > 0 {
        document
            .extra
            .insert("images_omitted".into(), omitted.into());
    }
    HtmlPage {
        title,
        text,
        links,
        description,
        meta,
        canonical,
        published_time,
        lang,
        base_url: base.map(String::from),
        encoding_warning,
        document,
    }
}

/// The pictures of the page, in order, each once: `<img src>` (else
/// `data-src`, where lazy loading keeps it). Absolute or resolvable URLs are
/// recorded; relative files are read beside the page when `local` allows;
/// `data:` and script URLs are left out (inline data is mostly icons and
/// spacers, and has no place to point an investigator to). Past
/// [`MAX_IMAGES`], pictures are only counted (the second value).
fn page_images(
    root: ElementRef<'_>,
    base: Option<&Url>,
    local: &LocalImages,
) -> (Vec<ImageRef>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut omitted = 0usize;
    for el in root.descendent_elements() {
        let v = el.value();
        if v.name() != "img" {
            continue;
        }
        let Some(src) = ["src", "data-src"]
            .iter()
            .filter_map(|a| v.attr(a))
            .map(str::trim)
            .find(|s| !s.is_empty())
        else {
            continue;
        };
        if !seen.insert(src.to_string()) {
            continue;
        }
        if out.len() >= MAX_IMAGES {
            omitted += 1;
            continue;
        }
        let image = match Url::parse(src) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => ImageRef {
                url: Some(src.to_string()),
                ..ImageRef::default()
            },
            Ok(_) => continue,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                match base.and_then(|b| b.join(src).ok()) {
                    Some(u) if matches!(u.scheme(), "http" | "https") => ImageRef {
                        url: Some(u.into()),
                        ..ImageRef::default()
                    },
                    Some(_) => continue,
                    None if src.starts_with("//") => ImageRef {
                        url: Some(format!("https:{src}")),
                        ..ImageRef::default()
                    },
                    None => local.read_relative_url(src),
                }
            }
            Err(_) => continue,
        };
        out.push(image);
    }
    (out, omitted)
}

/// A link worth appending to the text: another host, or a contact scheme.
fn is_outgoing(href: &str, page_host: Option<&str>) -> bool {
    let Ok(u) = Url::parse(href) else {
        return false;
    };
    match u.scheme() {
        "http" | "https" => match (page_host, host_of(href)) {
            (Some(page), Some(host)) => page != host,
            _ => true,
        },
        "ftp" | "file" => false,
        _ => true,
    }
}

/// Every `a[href]` and `area[href]` of the document, resolved, unique.
fn all_links(root: ElementRef<'_>, base: Option<&Url>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for node in root.descendants() {
        if let Node::Element(el) = node.value()
            && matches!(el.name(), "a" | "area")
            && let Some(abs) = el.attr("href").and_then(|h| resolve(base, h))
            && seen.insert(abs.clone())
        {
            out.push(abs);
        }
    }
    out
}
