//! Telegram public channel previews: the `https://t.me/s/<channel>` page.
//!
//! Markup read (as served by t.me; checked against saved pages and public
//! scrapers): each post is a `div.tgme_widget_message` with
//! `data-post="<channel>/<id>"` (`service_message` posts are skipped); the
//! text is `div.tgme_widget_message_text` (a reply's quoted text lives in
//! `a.tgme_widget_message_reply` and is left out); the signature is
//! `.tgme_widget_message_from_author`, else the owner
//! `.tgme_widget_message_owner_name`; the post link and time are
//! `a.tgme_widget_message_date` with `time[datetime]` inside; views are
//! `.tgme_widget_message_views`; a forward header is
//! `.tgme_widget_message_forwarded_from_name` (a link when the origin is
//! public); photos are `.tgme_widget_message_photo_wrap` with the image as a
//! CSS `background-image` (kept in `extra["photos"]`, and as picture
//! references in `extra["images"]`: URLs only, never fetched, see
//! `images`); older posts are behind `a.tme_messages_more` with
//! `data-before` (and `<link rel="prev">`).
//!
//! Every other post becomes a document, also one without text (a photo
//! without caption), so the record of the channel is complete for a monitor
//! that tracks deleted posts. Emoji are the characters inside
//! `<i class="emoji"><b>…</b></i>`; `<br>` is a line break; link targets
//! not shown in the text are appended after it (see `links`).

use scraper::{ElementRef, Node};

use crate::Document;
use crate::decode::decode_html;
use crate::error::SourceError;
use crate::format::is_telegram_web;
use crate::html_text::{flat_text, visible_text};
use crate::images::ImageRef;
use crate::links::{append_hidden, resolve};

/// One channel preview page: its posts and how to reach older ones.
///
/// It exists so that a monitor can page back through a channel
/// (`?before=<id>`) until it reaches posts it has already seen.
#[derive(Debug, Clone, PartialEq)]
pub struct TelegramWebPage {
    /// The channel's username as the page shows it (without `@`).
    pub channel: Option<String>,
    /// The channel's display title.
    pub channel_title: Option<String>,
    /// Posts in page order (oldest first, as t.me lists them).
    pub posts: Vec<Document>,
    /// `data-before` of the "more" link: the id below which older posts are.
    pub before: Option<u64>,
    /// The page of older posts (`<link rel="prev">` or the "more" link), absolute.
    pub prev_url: Option<String>,
    /// The page of newer posts (`<link rel="next">`), absolute, if any.
    pub next_url: Option<String>,
}

/// Reads a `t.me/s/<channel>` page: one [`Document`] per post.
///
/// Document fields: id `tg:@<channel>:<post id>` (channel lower-case);
/// text as described in the module docs; url the post link
/// `https://t.me/<channel>/<id>`; source `telegram:@<channel>`
/// (lower-case); author the signature or the channel name; published_at the
/// `datetime` as given (RFC 3339, UTC); extra: `views`, `forwarded_from`
/// (`{name, url?}`), `reply_to` (post URL), `photos`, `images` (the photos
/// as picture references), `videos`, `link_preview`, `edited`,
/// `channel_title`.
pub fn telegram_web_posts(html: &[u8]) -> Result<Vec<Document>, SourceError> {
    telegram_web_page(html).map(|p| p.posts)
}

/// [`telegram_web_posts`] with the page's pagination and channel header.
pub fn telegram_web_page(html: &[u8]) -> Result<TelegramWebPage, SourceError> {
    let decoded = decode_html(html);
    if !is_telegram_web(decoded.text.as_bytes()) {
        return Err(SourceError::NotTelegramWeb);
    }
    let doc = crate::html_parse::parse_document(&decoded.text);
    let root = doc.root_element();
    let base = url::Url::parse("https://t.me/").ok();

    let mut channel_title = None;
    let mut header_username = None;
    let mut og_title = None;
    let mut before = None;
    let mut prev_url = None;
    let mut next_url = None;
    let mut post_elements = Vec::new();
    let mut first_post_channel = None;
    for el in root.descendent_elements() {
        let v = el.value();
        if let (true, Some(data_post)) =
            (has_class(&el, "tgme_widget_message"), v.attr("data-post"))
        {
            if first_post_channel.is_none() {
                first_post_channel = data_post
                    .rsplit_once('/')
                    .map(|(c, _)| c.trim_start_matches('@').to_string())
                    .filter(|c| !c.is_empty());
            }
            post_elements.push(el);
        } else if has_class(&el, "tgme_channel_info_header_title") && channel_title.is_none() {
            channel_title = Some(flat_text(el)).filter(|t| !t.is_empty());
        } else if has_class(&el, "tgme_channel_info_header_username") && header_username.is_none() {
            let t = flat_text(el);
            header_username = Some(t.trim_start_matches('@').to_string()).filter(|t| !t.is_empty());
        } else if has_class(&el, "tme_messages_more") {
            if let Some(b) = v.attr("data-before").and_then(|b| b.trim().parse().ok()) {
                before = Some(b);
                if prev_url.is_none() {
                    prev_url = v.attr("href").and_then(|h| resolve(base.as_ref(), h));
                }
            }
        } else if v.name() == "link" {
            let rel = v.attr("rel").unwrap_or("").to_ascii_lowercase();
            let href = v.attr("href").and_then(|h| resolve(base.as_ref(), h));
            if rel == "prev" {
                prev_url = href.or(prev_url);
            } else if rel == "next" {
                next_url = href;
            }
        } else if v.name() == "meta" && v.attr("property") == Some("og:title") {
            og_title = v.attr("content").map(str::to_string);
        }
    }
    if before.is_none() {
        before = prev_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == "before")
                    .and_then(|(_, v)| v.parse().ok())
            });
    }
    let channel_title = channel_title.or(og_title);

    let mut posts = Vec::with_capacity(post_elements.len());
    for el in post_elements {
        if has_class(&el, "service_message") {
            continue;
        }
        if let Some(doc) = post(el, channel_title.as_deref()) {
            posts.push(doc);
        }
    }
    let channel = header_username.or(first_post_channel);
    Ok(TelegramWebPage {
        channel,
        channel_title,
        posts,
        before,
        prev_url,
        next_url,
    })
}

fn has_class(el: &ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c == class)
}

/// First descendant of `el` with `class`, not inside an element for which
/// `exclude` holds.
fn find_class<'a>(
    el: ElementRef<'a>,
    class: &str,
    exclude: &dyn Fn(&ElementRef<'a>) -> bool,
) -> Option<ElementRef<'a>> {
    let mut stack: Vec<ElementRef<'a>> = el.child_elements().collect();
    stack.reverse();
    while let Some(e) = stack.pop() {
        if exclude(&e) {
            continue;
        }
        if has_class(&e, class) {
            return Some(e);
        }
        let mut children: Vec<ElementRef<'a>> = e.child_elements().collect();
        children.reverse();
        stack.extend(children);
    }
    None
}

fn all_class<'a>(el: ElementRef<'a>, class: &str) -> Vec<ElementRef<'a>> {
    el.descendent_elements()
        .filter(|e| has_class(e, class))
        .collect()
}

/// `background-image:url('…')` → `…`.
fn background_image(style: &str) -> Option<String> {
    let at = style.find("url(")?;
    let rest = style[at + 4..].trim_start();
    let (quote, rest) = match rest.chars().next()? {
        q @ ('\'' | '"') => (Some(q), &rest[1..]),
        _ => (None, rest),
    };
    let end = match quote {
        Some(q) => rest.find(q)?,
        None => rest.find(')')?,
    };
    let url = rest[..end].trim();
    if url.is_empty() {
        return None;
    }
    Some(if url.starts_with("//") {
        format!("https:{url}")
    } else {
        url.to_string()
    })
}

fn post(el: ElementRef<'_>, channel_title: Option<&str>) -> Option<Document> {
    let data_post = el.value().attr("data-post")?.trim();
    let (channel, number) = data_post.rsplit_once('/')?;
    let channel = channel.trim_start_matches('@');
    if channel.is_empty() || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let channel_lower = channel.to_ascii_lowercase();
    let not_quoted = |e: &ElementRef<'_>| {
        has_class(e, "tgme_widget_message_reply")
            || has_class(e, "tgme_widget_message_link_preview")
    };

    let (mut text, hrefs) = match find_class(el, "tgme_widget_message_text", &not_quoted) {
        Some(t) => visible_text(t, &|_| false),
        None => (String::new(), Vec::new()),
    };
    // Relative links (hashtag searches `?q=%23…`) are the page's own UI.
    let hidden: Vec<String> = hrefs.iter().filter_map(|h| resolve(None, h)).collect();
    append_hidden(&mut text, &hidden);

    let author = find_class(el, "tgme_widget_message_from_author", &not_quoted)
        .or_else(|| find_class(el, "tgme_widget_message_owner_name", &not_quoted))
        .map(flat_text)
        .filter(|a| !a.is_empty());

    let date = find_class(el, "tgme_widget_message_date", &not_quoted);
    let url = date
        .and_then(|d| d.value().attr("href"))
        .and_then(|h| resolve(url::Url::parse("https://t.me/").ok().as_ref(), h))
        .unwrap_or_else(|| format!("https://t.me/{channel}/{number}"));
    let published_at = date.and_then(|d| {
        d.descendent_elements()
            .find(|e| e.value().name() == "time")
            .and_then(|t| t.value().attr("datetime"))
            .map(|s| s.trim().to_string())
    });

    let mut extra = serde_json::Map::new();
    if let Some(v) = find_class(el, "tgme_widget_message_views", &not_quoted).map(flat_text) {
        extra.insert("views".into(), v.into());
    }
    if let Some(f) = find_class(el, "tgme_widget_message_forwarded_from_name", &not_quoted) {
        let mut fwd = serde_json::Map::new();
        fwd.insert("name".into(), flat_text(f).into());
        if let Some(h) = f.value().attr("href").and_then(|h| resolve(None, h)) {
            fwd.insert("url".into(), h.into());
        }
        extra.insert("forwarded_from".into(), fwd.into());
    }
    if let Some(r) = find_class(el, "tgme_widget_message_reply", &|_| false)
        .and_then(|r| r.value().attr("href"))
        .and_then(|h| resolve(None, h))
    {
        extra.insert("reply_to".into(), r.into());
    }
    let photos: Vec<String> = all_class(el, "tgme_widget_message_photo_wrap")
        .into_iter()
        .filter_map(|p| p.value().attr("style").and_then(background_image))
        .collect();
    let images: Vec<ImageRef> = photos
        .iter()
        .map(|url| ImageRef {
            url: Some(url.clone()),
            ..ImageRef::default()
        })
        .collect();
    if !photos.is_empty() {
        extra.insert("photos".into(), photos.into());
    }
    let videos: Vec<String> = el
        .descendent_elements()
        .filter(|e| e.value().name() == "video")
        .filter_map(|v| v.value().attr("src").map(str::to_string))
        .collect();
    if !videos.is_empty() {
        extra.insert("videos".into(), videos.into());
    }
    if let Some(l) = find_class(el, "tgme_widget_message_link_preview", &|_| false)
        .and_then(|l| l.value().attr("href"))
        .and_then(|h| resolve(None, h))
    {
        extra.insert("link_preview".into(), l.into());
    }
    let edited = find_class(el, "tgme_widget_message_meta", &not_quoted).is_some_and(|m| {
        m.children()
            .any(|c| matches!(c.value(), Node::Text(t) if t.contains("edited")))
    });
    if edited {
        extra.insert("edited".into(), true.into());
    }
    if let Some(t) = channel_title {
        extra.insert("channel_title".into(), t.into());
    }

    let mut doc = Document {
        id: format!("tg:@{channel_lower}:{number}"),
        text,
        url: Some(url),
        source: Some(format!("telegram:@{channel_lower}")),
        author,
        published_at,
        extra,
    };
    doc.set_images(images);
    Some(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_images() {
        assert_eq!(
            background_image("width:800px;background-image:url('https://cdn4.example/file/a.jpg')")
                .as_deref(),
            Some("https://cdn4.example/file/a.jpg")
        );
        assert_eq!(
            background_image("background-image:url(//x.example/b.png)").as_deref(),
            Some("https://x.example/b.png")
        );
        assert_eq!(background_image("color:red"), None);
    }
}
