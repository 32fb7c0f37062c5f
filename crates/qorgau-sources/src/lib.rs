//! Input formats for Qorgau: every source of text becomes a stream of
//! [`Document`]s.
//!
//! Investigators bring what they have: JSON Lines from another tool, a
//! Telegram Desktop export of a recruitment chat, a saved `t.me/s/` channel
//! page, a job-board page, a text file, a spreadsheet; the monitor fetches
//! feeds, sitemaps, URL lists and channel previews. This crate turns each of
//! them into one shape, so that normalisation, extraction and scoring read a
//! single stream whatever the source, and keeps what it does not interpret
//! in [`Document::extra`].
//!
//! # Contract
//!
//! * No network I/O: readers take bytes or a [`std::io::BufRead`]; the binary
//!   fetches. Pictures a document shows are recorded as [`ImageRef`]s
//!   ([`Document::images`]); remote ones by URL only, local files beside
//!   the input (a Telegram export's `photos/`, a saved page's `_files/`)
//!   read and perceptually hashed, bounded and never from outside the
//!   input's directory (module `images`, [`ReadOptions::local_images`]).
//! * [`read`] streams. JSON Lines, CSV and Telegram exports are read record
//!   by record and memory does not grow with the input; HTML, text and
//!   channel pages are one document each and are read whole, up to
//!   [`ReadOptions::max_document_bytes`].
//! * A bad record is an error *item* naming the input and the line (or row)
//!   and what is wrong; the stream goes on with the next record and the
//!   caller decides whether to stop. See [`SourceError`].
//! * No input makes a parser panic (property-tested with garbage).
//! * Link targets that the visible text hides (a Telegram `text_link`, an
//!   HTML anchor) are appended to the text, one per line, so the identifiers
//!   they carry are scanned too (module `links`).
//!
//! One module per format: `jsonl`, `telegram_export`, `telegram_web`,
//! `html`, `text`, `csv_rows`; monitoring lists: `feed`, `sitemap`,
//! `url_list`; pictures of documents: `images`. Format detection is in
//! `format`, byte decoding (BOM, declared charsets, windows-1251) in
//! `decode`.

#![warn(missing_docs)]

mod csv_rows;
mod decode;
mod document;
mod error;
mod feed;
mod format;
mod html;
mod html_parse;
mod html_text;
mod images;
mod jsonl;
mod links;
mod options;
mod sitemap;
mod telegram_export;
mod telegram_web;
mod text;
mod url_list;
mod xml;

use std::io::{BufRead, Cursor, Read};

pub use crate::document::Document;
pub use crate::error::SourceError;
pub use crate::feed::{Feed, FeedEntry, FeedKind, MAX_FEED_ENTRIES, parse_feed};
pub use crate::format::{Format, SNIFF_BYTES, detect_format};
pub use crate::html::{HtmlPage, html_to_document};
pub use crate::images::{IMAGES_KEY, ImageRef, MAX_IMAGES};
pub use crate::options::ReadOptions;
pub use crate::sitemap::{MAX_SITEMAP_BYTES, Sitemap, SitemapEntry, SitemapKind, parse_sitemap};
pub use crate::telegram_web::{TelegramWebPage, telegram_web_page, telegram_web_posts};
pub use crate::url_list::{UrlList, parse_url_list, parse_url_list_checked};

/// A stream of documents (or per-record errors) from one input.
pub type Documents = Box<dyn Iterator<Item = Result<Document, SourceError>> + Send>;

/// Reads one input as `format` ([`Format::Auto`]: detected from `name` and
/// the first [`SNIFF_BYTES`] bytes, see [`detect_format`]). `name` is the
/// file name or `-`; it names the input in errors and in ids that need it.
///
/// An `Err` means the input cannot be read at all (its head is unreadable,
/// a CSV header lacks the text column, the worker thread for a Telegram
/// export cannot start); problems met later are items of the stream.
pub fn read(
    name: &str,
    reader: impl BufRead + Send + 'static,
    format: Format,
    opts: &ReadOptions,
) -> Result<Documents, SourceError> {
    let io_error = |source| SourceError::Io {
        input: name.to_string(),
        source,
    };
    let (format, reader): (Format, Box<dyn BufRead + Send>) = match format {
        Format::Auto => {
            let mut reader = reader;
            let mut head = Vec::with_capacity(SNIFF_BYTES.min(8192));
            (&mut reader)
                .take(SNIFF_BYTES as u64)
                .read_to_end(&mut head)
                .map_err(io_error)?;
            let detected = detect_format(name, &head);
            (detected, Box::new(Cursor::new(head).chain(reader)))
        }
        f => (f, Box::new(reader)),
    };
    match format {
        Format::Auto | Format::Jsonl => Ok(Box::new(
            jsonl::JsonLines::new(name, reader, opts.max_line_bytes).with_images(
                images::LocalImages::for_input(name, opts, "the JSON Lines file"),
            ),
        )),
        Format::Telegram => Ok(Box::new(telegram_export::telegram_stream(
            name,
            reader,
            opts.telegram_username.clone(),
            images::LocalImages::for_input(name, opts, "the export"),
        )?)),
        Format::Csv => Ok(Box::new(csv_rows::csv_rows(name, reader, opts)?)),
        Format::Text => {
            let bytes = read_whole(name, reader, opts.max_document_bytes);
            Ok(Box::new(std::iter::once(
                bytes.map(|b| text::text_document(name, &b)),
            )))
        }
        Format::Html => {
            let bytes = read_whole(name, reader, opts.max_document_bytes);
            let base = opts.base_url.clone();
            // A page fetched from its URL names remote pictures; only a page
            // read from disk without one has files beside it.
            let local = if base.is_some() {
                images::LocalImages::none("the page was read with a base URL")
            } else {
                images::LocalImages::for_input(name, opts, "the page")
            };
            Ok(Box::new(std::iter::once(bytes.map(|b| {
                html::html_page(name, base.as_deref(), &b, &local).document
            }))))
        }
        Format::TelegramWeb => {
            let items: Vec<Result<Document, SourceError>> =
                match read_whole(name, reader, opts.max_document_bytes) {
                    Ok(b) => match telegram_web::telegram_web_posts(&b) {
                        Ok(posts) => posts.into_iter().map(Ok).collect(),
                        Err(SourceError::NotTelegramWeb) => {
                            vec![Err(SourceError::WrongFormat {
                                input: name.to_string(),
                                message: format!(
                                    "{}; use --format html for other pages",
                                    SourceError::NotTelegramWeb
                                ),
                            })]
                        }
                        Err(e) => vec![Err(e)],
                    },
                    Err(e) => vec![Err(e)],
                };
            Ok(Box::new(items.into_iter()))
        }
    }
}

/// Reads a whole input, refusing more than `limit` bytes.
fn read_whole(name: &str, reader: impl Read, limit: u64) -> Result<Vec<u8>, SourceError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| SourceError::Io {
            input: name.to_string(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            input: name.to_string(),
            limit,
        });
    }
    Ok(bytes)
}
