//! Sitemaps (sitemaps.org protocol 0.9): `urlset` and `sitemapindex`.
//!
//! Only `loc` and `lastmod` directly inside `url`/`sitemap` are read, so the
//! `image:loc`, `video:*` and `news:*` extensions cannot be mistaken for
//! pages. Gzipped sitemaps (`.xml.gz`, detected by their magic bytes) are
//! inflated with `flate2`, at most [`MAX_SITEMAP_BYTES`] (the protocol's
//! limit is 50 MB uncompressed), so a gzip bomb ends in an error.

use std::io::Read;

use quick_xml::events::Event;

use crate::decode::decode_xml;
use crate::error::SourceError;
use crate::html_text::collapse;
use crate::xml::{local, push_reference, reader, xml_error};

/// Largest uncompressed sitemap accepted, in bytes.
pub const MAX_SITEMAP_BYTES: u64 = 64 << 20;

/// Whether a sitemap lists pages or other sitemaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapKind {
    /// `<urlset>`: pages.
    UrlSet,
    /// `<sitemapindex>`: child sitemaps to fetch in turn.
    Index,
}

/// One `loc` with its `lastmod`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// The URL, trimmed.
    pub loc: String,
    /// `lastmod` as given (W3C datetime).
    pub lastmod: Option<String>,
}

/// A parsed sitemap, for a monitor that walks a site's pages and notices
/// changed ones by `lastmod`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sitemap {
    /// `urlset` or `sitemapindex`.
    pub kind: SitemapKind,
    /// Pages (for `urlset`) or child sitemaps (for `sitemapindex`), in order.
    pub entries: Vec<SitemapEntry>,
}

/// Parses a sitemap or sitemap index, gzipped or not.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, SourceError> {
    let inflated;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_SITEMAP_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| SourceError::Io {
                input: "sitemap (gzip)".into(),
                source: e,
            })?;
        if out.len() as u64 > MAX_SITEMAP_BYTES {
            return Err(SourceError::TooLarge {
                input: "sitemap (gzip)".into(),
                limit: MAX_SITEMAP_BYTES,
            });
        }
        inflated = out;
        inflated.as_slice()
    } else {
        bytes
    };
    let decoded = decode_xml(bytes);
    let mut r = reader(&decoded.text);
    let mut kind = None;
    let mut depth = 0usize;
    let mut entries = Vec::new();
    let mut current: Option<(Option<String>, Option<String>)> = None;
    let mut field: Option<(bool, String)> = None; // (is_loc, text)
    loop {
        let event = r.read_event().map_err(|e| xml_error(&r, e))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                depth += 1;
                let name = local(e);
                if kind.is_none() {
                    kind = Some(match name.as_str() {
                        "urlset" => SitemapKind::UrlSet,
                        "sitemapindex" => SitemapKind::Index,
                        _ => {
                            return Err(SourceError::WrongXml {
                                expected: "a sitemap",
                                root: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                            });
                        }
                    });
                } else if depth == 2 && matches!(name.as_str(), "url" | "sitemap") && !empty {
                    current = Some((None, None));
                } else if depth == 3
                    && current.is_some()
                    && e.name().prefix().is_none()
                    && matches!(name.as_str(), "loc" | "lastmod")
                    && !empty
                {
                    field = Some((name == "loc", String::new()));
                }
                if empty {
                    depth -= 1;
                }
            }
            Event::End(_) => {
                if depth == 3 {
                    if let (Some((is_loc, text)), Some((loc, lastmod))) =
                        (field.take(), &mut current)
                    {
                        let value = collapse(&text);
                        if !value.is_empty() {
                            if is_loc {
                                loc.get_or_insert(value);
                            } else {
                                lastmod.get_or_insert(value);
                            }
                        }
                    }
                } else if depth == 2
                    && let Some((Some(loc), lastmod)) = current.take()
                {
                    entries.push(SitemapEntry { loc, lastmod });
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) => {
                if let Some((_, buf)) = &mut field {
                    buf.push_str(&t.xml_content().map_err(|e| xml_error(&r, e))?);
                }
            }
            Event::CData(t) => {
                if let Some((_, buf)) = &mut field {
                    buf.push_str(&t.decode().map_err(|e| xml_error(&r, e))?);
                }
            }
            Event::GeneralRef(g) => {
                if let Some((_, buf)) = &mut field {
                    push_reference(buf, &g);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let Some(kind) = kind else {
        return Err(SourceError::WrongXml {
            expected: "a sitemap",
            root: String::new(),
        });
    };
    if depth != 0 {
        return Err(SourceError::Xml {
            position: r.buffer_position(),
            message: "unexpected end of document: elements left open".into(),
        });
    }
    Ok(Sitemap { kind, entries })
}
