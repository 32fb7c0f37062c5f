//! Parsing HTML with a bound on nesting, so hostile pages cannot stall us.
//!
//! The WHATWG tree builder checks "has an element in scope" by walking the
//! stack of open elements, so a page of N unclosed `<div>`s costs O(N²):
//! measured with html5ever, 20,000 nested `<div>`s (100 KB) take 2.5 s and
//! a megabyte of them minutes. Browsers cap the depth (Blink at 512).
//! Before parsing, a linear scan of the tags estimates the depth of open
//! container elements (start tags minus end tags, leaving out void elements
//! and those the parser closes by itself: `p`, `li`, `td`...); start tags
//! beyond [`MAX_DEPTH`] are removed together with their end tags, so their
//! text stays and only the excess structure is flattened. Ordinary pages
//! are never that deep and are parsed unchanged.

use scraper::Html;

/// Deepest nesting of container elements kept.
pub(crate) const MAX_DEPTH: usize = 512;

/// [`Html::parse_document`] on the input with excess nesting removed.
pub(crate) fn parse_document(text: &str) -> Html {
    Html::parse_document(&flatten_excess_nesting(text))
}

/// [`Html::parse_fragment`] on the input with excess nesting removed.
pub(crate) fn parse_fragment(text: &str) -> Html {
    Html::parse_fragment(&flatten_excess_nesting(text))
}

fn is_void_or_self_closing(name: &[u8]) -> bool {
    matches!(
        name,
        b"area" | b"base" | b"br" | b"col" | b"embed" | b"hr" | b"img" | b"input" | b"link"
            | b"meta" | b"param" | b"source" | b"track" | b"wbr" | b"keygen" | b"frame"
            | b"basefont" | b"bgsound" | b"image"
            // closed implicitly by a sibling: never pile up
            | b"p" | b"li" | b"dt" | b"dd" | b"option" | b"optgroup" | b"tr" | b"td" | b"th"
            | b"thead" | b"tbody" | b"tfoot" | b"rb" | b"rt" | b"rp" | b"rtc" | b"colgroup"
            | b"caption"
    )
}

/// Elements whose content is raw text: tags inside them are not tags.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
            | b"plaintext"
    )
}

/// The text with start tags beyond [`MAX_DEPTH`] and their end tags
/// removed (borrowed unchanged when nothing is that deep).
pub(crate) fn flatten_excess_nesting(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut dropped: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let start = i + p;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = memchr::memmem::find(&b[start + 4..], b"-->")
                .map_or(b.len(), |e| start + 4 + e + 3);
            continue;
        }
        let (is_end, name_at) = match rest.get(1) {
            Some(b'/') => (true, start + 2),
            Some(c) if c.is_ascii_alphabetic() => (false, start + 1),
            _ => {
                i = start + 1;
                continue;
            }
        };
        let name_len = b[name_at..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-' || **c == b':')
            .count();
        let name = b[name_at..name_at + name_len].to_ascii_lowercase();
        let end = tag_end(b, name_at + name_len);
        i = end;
        if name.is_empty() || is_void_or_self_closing(&name) {
            continue;
        }
        if is_end {
            match dropped.get_mut(&name) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    cuts.push((start, end));
                }
                _ => depth = depth.saturating_sub(1),
            }
            continue;
        }
        if b[..end].ends_with(b"/>") {
            continue;
        }
        if is_raw_text(&name) {
            // Skip to the matching end tag (searched case-insensitively).
            let mut close = b"</".to_vec();
            close.extend_from_slice(&name);
            i = find_ascii_ci(&b[end..], &close).map_or(b.len(), |e| end + e);
            continue;
        }
        if depth >= MAX_DEPTH {
            *dropped.entry(name).or_insert(0) += 1;
            cuts.push((start, end));
        } else {
            depth += 1;
        }
    }
    if cuts.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (s, e) in cuts {
        out.push_str(&text[from..s]);
        from = e;
    }
    out.push_str(&text[from..]);
    std::borrow::Cow::Owned(out)
}

/// Index just past the `>` that ends a tag, skipping quoted attribute values.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &c) in b[from..].iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => return from + k + 1,
            _ => {}
        }
    }
    b.len()
}

fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&k| hay[k..k + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<html><body><div><p>a<p>b<ul><li>x<li>y</ul><script>if (a<b) {'<div>'}</script></div></body></html>";
        assert!(matches!(
            flatten_excess_nesting(page),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn excess_nesting_is_flattened_and_text_kept() {
        let page = "<div>".repeat(600) + "deep" + &"</div>".repeat(600) + "after";
        let flat = flatten_excess_nesting(&page);
        assert_eq!(flat.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert!(flat.contains("deep") && flat.ends_with("after"));
    }
}
