//! RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds, read with `quick-xml`.
//!
//! Entries: RSS `item` (`link`, `guid`, `title`, `description`,
//! `content:encoded`, `pubDate`, `dc:date`, `author`, `dc:creator`) and Atom
//! `entry` (`link[@rel=alternate or none]/@href`, `id`, `title`, `summary`,
//! `content`, `published`, `updated`, `author/name`). HTML in descriptions
//! and content (escaped or CDATA, and Atom `type="xhtml"`) becomes text by
//! the same rules as HTML pages, with hidden link targets appended. RFC 2822
//! dates (`pubDate`) are converted to RFC 3339; other dates are kept as given.
//! Relative links are resolved against `xml:base`-free feed links: the base
//! URL given, else the feed's own link. The XML is decoded first (BOM,
//! `encoding=` declaration, UTF-8, windows-1251 guess). Malformed XML is an
//! error naming the problem and its byte offset; custom entities are never
//! expanded, so entity bombs do nothing; at most [`MAX_FEED_ENTRIES`]
//! entries are kept ([`Feed::truncated`] says when more were skipped).

use quick_xml::events::Event;

use url::Url;

use crate::Document;
use crate::decode::decode_xml;
use crate::error::SourceError;
use crate::html_text::{collapse, visible_text};
use crate::links::{append_hidden, host_of, resolve};
use crate::xml::{attr, attr_local, local, namespace, push_reference, reader, xml_error};

/// Most entries kept from one feed.
pub const MAX_FEED_ENTRIES: usize = 100_000;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Which feed format a document was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    /// RSS 0.9x/2.0 (`<rss>`).
    Rss2,
    /// RSS 1.0 (`<rdf:RDF>`).
    Rss1,
    /// Atom 1.0 (`<feed>`).
    Atom,
}

/// A parsed feed, for a monitor that follows a site's new posts.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    /// The format.
    pub kind: FeedKind,
    /// The feed's title.
    pub title: Option<String>,
    /// The site's link, absolute when it could be resolved.
    pub link: Option<String>,
    /// Entries in document order.
    pub entries: Vec<FeedEntry>,
    /// More than [`MAX_FEED_ENTRIES`] entries were present; the rest were skipped.
    pub truncated: bool,
}

/// One feed entry (an RSS item or an Atom entry).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedEntry {
    /// `guid` / Atom `id` / RSS 1.0 `rdf:about`.
    pub id: Option<String>,
    /// The entry's page, absolute when it could be resolved.
    pub url: Option<String>,
    /// Title, as text.
    pub title: Option<String>,
    /// Content (else summary/description) as text, hidden link targets appended.
    pub text: String,
    /// `pubDate` (as RFC 3339) / `dc:date` / Atom `published`.
    pub published: Option<String>,
    /// Atom `updated`.
    pub updated: Option<String>,
    /// `author`, `dc:creator` or Atom `author/name`.
    pub author: Option<String>,
}

impl FeedEntry {
    /// The entry as a document: id = `id`, else `url`, else `fallback_id`;
    /// text = title, a blank line, text; source given by the caller.
    pub fn to_document(&self, fallback_id: &str, source: Option<&str>) -> Document {
        let mut text = self.title.clone().unwrap_or_default();
        if !self.text.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&self.text);
        }
        let mut extra = serde_json::Map::new();
        if let Some(t) = &self.title {
            extra.insert("title".into(), t.clone().into());
        }
        if let Some(u) = &self.updated {
            extra.insert("updated".into(), u.clone().into());
        }
        Document {
            id: self
                .id
                .clone()
                .or_else(|| self.url.clone())
                .unwrap_or_else(|| fallback_id.to_string()),
            text,
            url: self.url.clone(),
            source: source
                .map(str::to_string)
                .or_else(|| self.url.as_deref().and_then(host_of)),
            author: self.author.clone(),
            published_at: self.published.clone().or_else(|| self.updated.clone()),
            extra,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Title,
    Link,
    Guid { permalink: bool },
    Description,
    Content,
    PubDate,
    DcDate,
    Published,
    Updated,
    Author,
    Id,
    FeedTitle,
    FeedLink,
}

#[derive(Default)]
struct Builder {
    entry: FeedEntry,
    link: Option<String>,
    permalink: Option<String>,
    about: Option<String>,
    atom_links: Vec<(Option<String>, String)>,
    description: Option<(String, Vec<String>)>,
    content: Option<(String, Vec<String>)>,
}

/// Parses a feed. `base_url` resolves relative links (else the feed's link).
pub fn parse_feed(bytes: &[u8], base_url: Option<&str>) -> Result<Feed, SourceError> {
    let decoded = decode_xml(bytes);
    let mut r = reader(&decoded.text);
    let mut kind = None;
    let mut depth = 0usize;
    let mut feed_title = None;
    let mut feed_link = None;
    let mut atom_feed_links: Vec<(Option<String>, String)> = Vec::new();
    let mut raw_entries: Vec<Builder> = Vec::new();
    let mut truncated = false;
    let mut current: Option<(usize, Builder)> = None;
    let mut field: Option<(usize, Field, bool, String)> = None;
    let mut in_author: Option<usize> = None;

    loop {
        let (ns, event) = match r.read_resolved_event() {
            Ok((ns, ev)) => (namespace(&ns), ev),
            Err(e) => return Err(xml_error(&r, e)),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                depth += 1;
                let name = local(e);
                if kind.is_none() {
                    kind = Some(match (name.as_str(), ns.as_deref()) {
                        ("rss", None) => FeedKind::Rss2,
                        ("RDF", Some(RDF)) => FeedKind::Rss1,
                        ("feed", Some(ATOM) | None) => FeedKind::Atom,
                        _ => {
                            return Err(SourceError::WrongXml {
                                expected: "an RSS or Atom feed",
                                root: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                            });
                        }
                    });
                }
                let k = kind.unwrap_or(FeedKind::Rss2);
                if field.is_some() {
                    // Markup inside a field (unescaped XHTML in a description):
                    // keep it as markup for the HTML pass.
                    if let Some((_, _, true, buf)) = &mut field {
                        buf.push('<');
                        buf.push_str(&String::from_utf8_lossy(e.as_ref()));
                        buf.push_str(if empty { "/>" } else { ">" });
                    }
                } else if current.is_none() {
                    let is_entry = match k {
                        FeedKind::Atom => name == "entry",
                        _ => name == "item",
                    };
                    if is_entry {
                        if raw_entries.len() >= MAX_FEED_ENTRIES {
                            truncated = true;
                            if !empty {
                                r.read_to_end(e.name()).map_err(|err| xml_error(&r, err))?;
                            }
                            depth -= 1;
                            continue;
                        }
                        let b = Builder {
                            about: attr_local(e, "about"),
                            ..Builder::default()
                        };
                        if empty {
                            raw_entries.push(b);
                            depth -= 1;
                            continue;
                        }
                        current = Some((depth, b));
                    } else {
                        let feed_level = match k {
                            FeedKind::Atom => depth == 2,
                            _ => depth == 3,
                        };
                        if feed_level && name == "title" {
                            field = Some((depth, Field::FeedTitle, false, String::new()));
                        } else if feed_level && name == "link" {
                            if k == FeedKind::Atom || ns.as_deref() == Some(ATOM) {
                                if let Some(href) = attr(e, "href") {
                                    atom_feed_links.push((attr(e, "rel"), href));
                                }
                            } else {
                                field = Some((depth, Field::FeedLink, false, String::new()));
                            }
                        }
                    }
                } else if let Some((entry_depth, b)) = &mut current {
                    let child = depth == *entry_depth + 1;
                    let atom = k == FeedKind::Atom;
                    let f = if in_author.is_some() {
                        (name == "name").then_some(Field::Author)
                    } else if !child {
                        None
                    } else {
                        match (name.as_str(), atom) {
                            ("title", _) => Some(Field::Title),
                            ("link", true) => {
                                if let Some(href) = attr(e, "href") {
                                    b.atom_links.push((attr(e, "rel"), href));
                                }
                                None
                            }
                            ("link", false) if ns.as_deref() == Some(ATOM) => None,
                            ("link", false) => Some(Field::Link),
                            ("guid", false) => Some(Field::Guid {
                                permalink: attr(e, "isPermaLink")
                                    .is_none_or(|v| !v.trim().eq_ignore_ascii_case("false")),
                            }),
                            ("description", false) | ("summary", true) => Some(Field::Description),
                            ("encoded", false) | ("content", true) => Some(Field::Content),
                            ("pubDate", false) => Some(Field::PubDate),
                            ("date", false) => Some(Field::DcDate),
                            ("published", true) => Some(Field::Published),
                            ("updated", true) => Some(Field::Updated),
                            ("author" | "creator", false) => Some(Field::Author),
                            ("author", true) => {
                                if !empty {
                                    in_author = Some(depth);
                                }
                                None
                            }
                            ("id", true) => Some(Field::Id),
                            _ => None,
                        }
                    };
                    if let Some(f) = f {
                        let kind_attr = attr(e, "type").map(|t| t.to_ascii_lowercase());
                        let html = match f {
                            Field::Description | Field::Content => {
                                !(atom && kind_attr.as_deref().is_none_or(|t| t == "text"))
                            }
                            Field::Title => {
                                atom && kind_attr.as_deref().is_some_and(|t| t != "text")
                            }
                            _ => false,
                        };
                        if empty {
                            depth -= 1;
                            finish_field(b, f, html, String::new());
                        } else if atom && kind_attr.as_deref() == Some("xhtml") {
                            let inner = r.read_text(e.name()).map_err(|err| xml_error(&r, err))?;
                            depth -= 1;
                            finish_field(b, f, true, inner.into_owned());
                        } else {
                            field = Some((depth, f, html, String::new()));
                        }
                        continue;
                    }
                }
                if empty {
                    depth -= 1;
                }
            }
            Event::End(ref e) => {
                if let Some((fd, f, html, buf)) = &mut field {
                    if *fd == depth {
                        let (f, html, buf) = (*f, *html, std::mem::take(buf));
                        field = None;
                        match f {
                            Field::FeedTitle => feed_title = non_empty(collapse(&buf)),
                            Field::FeedLink => feed_link = non_empty(buf.trim().to_string()),
                            _ => {
                                if let Some((_, b)) = &mut current {
                                    finish_field(b, f, html, buf);
                                }
                            }
                        }
                    } else if *html {
                        buf.push_str("</");
                        buf.push_str(&String::from_utf8_lossy(e.name().as_ref()));
                        buf.push('>');
                    }
                } else if in_author == Some(depth) {
                    in_author = None;
                } else if current.as_ref().is_some_and(|(d, _)| *d == depth)
                    && let Some((_, b)) = current.take()
                {
                    raw_entries.push(b);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some((_, _, _, buf)) = &mut field {
                    buf.push_str(&t.xml_content().map_err(|e| xml_error(&r, e))?);
                }
            }
            Event::CData(t) => {
                if let Some((_, _, _, buf)) = &mut field {
                    buf.push_str(&t.decode().map_err(|e| xml_error(&r, e))?);
                }
            }
            Event::GeneralRef(g) => {
                if let Some((_, _, _, buf)) = &mut field {
                    push_reference(buf, &g);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let Some(kind) = kind else {
        return Err(SourceError::WrongXml {
            expected: "an RSS or Atom feed",
            root: String::new(),
        });
    };
    if depth != 0 {
        return Err(SourceError::Xml {
            position: r.buffer_position(),
            message: "unexpected end of document: elements left open".into(),
        });
    }
    if feed_link.is_none() {
        feed_link = pick_atom_link(&atom_feed_links);
    }
    let base = base_url
        .and_then(|b| Url::parse(b).ok())
        .or_else(|| feed_link.as_deref().and_then(|l| Url::parse(l).ok()));
    let feed_link = feed_link.map(|l| resolve(base.as_ref(), &l).unwrap_or(l));
    let entries = raw_entries
        .into_iter()
        .map(|b| build_entry(b, base.as_ref()))
        .collect();
    Ok(Feed {
        kind,
        title: feed_title,
        link: feed_link,
        entries,
        truncated,
    })
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() { None } else { Some(s) }
}

/// `rel="alternate"` or no `rel`, else the first link.
fn pick_atom_link(links: &[(Option<String>, String)]) -> Option<String> {
    links
        .iter()
        .find(|(rel, _)| rel.as_deref().is_none_or(|r| r.trim() == "alternate"))
        .or_else(|| links.first())
        .map(|(_, h)| h.trim().to_string())
}

/// HTML fragment → text and link targets.
fn html_fragment(s: &str) -> (String, Vec<String>) {
    let frag = crate::html_parse::parse_fragment(s);
    visible_text(frag.root_element(), &|_| false)
}

fn finish_field(b: &mut Builder, f: Field, html: bool, buf: String) {
    let text = |buf: &str| {
        if html {
            html_fragment(buf).0
        } else {
            collapse(buf)
        }
    };
    match f {
        Field::Title => b.entry.title = b.entry.title.take().or_else(|| non_empty(text(&buf))),
        Field::Link => b.link = b.link.take().or_else(|| non_empty(buf.trim().to_string())),
        Field::Guid { permalink } => {
            let g = buf.trim().to_string();
            if permalink && b.permalink.is_none() {
                b.permalink = non_empty(g.clone());
            }
            b.entry.id = b.entry.id.take().or_else(|| non_empty(g));
        }
        Field::Id => {
            b.entry.id = b
                .entry
                .id
                .take()
                .or_else(|| non_empty(buf.trim().to_string()))
        }
        Field::Description | Field::Content => {
            let (t, hrefs) = if html {
                html_fragment(&buf)
            } else {
                (collapse(&buf), Vec::new())
            };
            let slot = if f == Field::Content {
                &mut b.content
            } else {
                &mut b.description
            };
            if slot.is_none() && !(t.is_empty() && hrefs.is_empty()) {
                *slot = Some((t, hrefs));
            }
        }
        Field::PubDate => {
            let s = collapse(&buf);
            let converted = chrono::DateTime::parse_from_rfc2822(&s)
                .map(|d| d.to_rfc3339())
                .unwrap_or(s);
            b.entry.published = b.entry.published.take().or_else(|| non_empty(converted));
        }
        Field::DcDate | Field::Published => {
            b.entry.published = b
                .entry
                .published
                .take()
                .or_else(|| non_empty(collapse(&buf)));
        }
        Field::Updated => {
            b.entry.updated = b.entry.updated.take().or_else(|| non_empty(collapse(&buf)))
        }
        Field::Author => {
            b.entry.author = b.entry.author.take().or_else(|| non_empty(collapse(&buf)))
        }
        Field::FeedTitle | Field::FeedLink => {}
    }
}

fn build_entry(b: Builder, base: Option<&Url>) -> FeedEntry {
    let mut entry = b.entry;
    let raw = b
        .link
        .or_else(|| pick_atom_link(&b.atom_links))
        .or(b.permalink)
        .or_else(|| b.about.clone());
    entry.url = raw.map(|l| resolve(base, &l).unwrap_or(l));
    if entry.id.is_none() {
        entry.id = b.about;
    }
    let (mut text, hrefs) = b.content.or(b.description).unwrap_or_default();
    let hidden: Vec<String> = hrefs.iter().filter_map(|h| resolve(base, h)).collect();
    append_hidden(&mut text, &hidden);
    entry.text = text;
    entry
}
