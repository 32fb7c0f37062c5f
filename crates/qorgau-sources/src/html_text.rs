//! Visible text of an HTML tree, as a reader of the page would see it.
//!
//! Rules: `script`, `style`, `noscript`, `template`, `head` and embedded
//! objects (`iframe`, `object`, `embed`, `svg`, `math`, `canvas`, `video`,
//! `audio`, `select`, `datalist`) give no text; neither do elements with the
//! `hidden` attribute or an inline `display:none` / `visibility:hidden`
//! style (what a visitor does not see). Block elements start and end lines;
//! `p` and headings are separated by a blank line; `<br>` is one line break;
//! table cells are separated by a space. Runs of white space (including
//! no-break spaces) collapse to one space as a browser renders them, except
//! inside `pre`/`textarea`, which keep theirs. Entities are already decoded
//! by the parser.

use ego_tree::NodeRef;
use scraper::node::Element;
use scraper::{ElementRef, Node};

/// Builds text while collapsing white space and line breaks.
#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    out: String,
    pending_space: bool,
    pending_newlines: usize,
}

impl TextBuilder {
    /// Flow text: white space collapses.
    pub(crate) fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                self.flush();
                self.out.push(c);
            }
        }
    }

    /// Preformatted text: kept as it is (CRLF becomes LF).
    pub(crate) fn pre(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush();
        self.out.push_str(&s.replace("\r\n", "\n"));
    }

    /// A block boundary: at least `n` line breaks before the next text.
    pub(crate) fn block(&mut self, n: usize) {
        self.pending_newlines = self.pending_newlines.max(n);
    }

    /// `<br>`: one more line break before the next text.
    pub(crate) fn line_break(&mut self) {
        self.pending_newlines += 1;
    }

    /// A separator that is a space unless a line break comes anyway.
    pub(crate) fn space(&mut self) {
        self.pending_space = true;
    }

    fn flush(&mut self) {
        if self.out.is_empty() {
            self.pending_newlines = 0;
            self.pending_space = false;
            return;
        }
        if self.pending_newlines > 0 {
            while self.out.ends_with(' ') {
                self.out.pop();
            }
            for _ in 0..self.pending_newlines {
                self.out.push('\n');
            }
        } else if self.pending_space && !self.out.ends_with(['\n', ' ']) {
            self.out.push(' ');
        }
        self.pending_newlines = 0;
        self.pending_space = false;
    }

    /// The text built so far, without trailing white space.
    pub(crate) fn finish(mut self) -> String {
        let end = self.out.trim_end().len();
        self.out.truncate(end);
        self.out
    }
}

/// Elements whose content is never shown as text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "iframe"
            | "object"
            | "embed"
            | "svg"
            | "math"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "datalist"
    )
}

/// How many line breaks a block element puts around itself (0: inline).
fn block_breaks(name: &str) -> usize {
    match name {
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => 2,
        "address" | "article" | "aside" | "blockquote" | "body" | "caption" | "center" | "dd"
        | "details" | "dialog" | "dir" | "div" | "dl" | "dt" | "fieldset" | "figcaption"
        | "figure" | "footer" | "form" | "header" | "hgroup" | "hr" | "html" | "legend" | "li"
        | "main" | "menu" | "nav" | "ol" | "pre" | "section" | "summary" | "table" | "tbody"
        | "textarea" | "tfoot" | "thead" | "tr" | "ul" | "option" => 1,
        _ => 0,
    }
}

/// The element is hidden from a visitor by markup alone.
pub(crate) fn is_hidden(el: &Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    match el.attr("style") {
        Some(style) => {
            let s: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            s.contains("display:none") || s.contains("visibility:hidden")
        }
        None => false,
    }
}

enum Step<'a> {
    Enter(NodeRef<'a, Node>),
    Leave {
        breaks: usize,
        pre: bool,
        cell: bool,
    },
}

/// Text of `root` and its descendants, and the `href` of every link met in
/// the visible part, in document order. `skip` lets a caller leave out
/// further elements (a reply quote inside a post). Iterative, so deep
/// nesting cannot overflow the stack.
pub(crate) fn visible_text(
    root: ElementRef<'_>,
    skip: &dyn Fn(&Element) -> bool,
) -> (String, Vec<String>) {
    let mut b = TextBuilder::default();
    let mut hrefs = Vec::new();
    let mut pre_depth = 0usize;
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave { breaks, pre, cell } => {
                if breaks > 0 {
                    b.block(breaks);
                }
                if pre {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                if cell {
                    b.space();
                }
            }
            Step::Enter(node) => match node.value() {
                Node::Text(t) => {
                    if pre_depth > 0 {
                        b.pre(t);
                    } else {
                        b.text(t);
                    }
                }
                Node::Element(el) => {
                    let name = el.name();
                    if is_skipped(name) || is_hidden(el) || skip(el) {
                        continue;
                    }
                    if name == "br" {
                        b.line_break();
                        continue;
                    }
                    if matches!(name, "a" | "area")
                        && let Some(href) = el.attr("href")
                    {
                        hrefs.push(href.to_string());
                    }
                    let breaks = block_breaks(name);
                    let pre = matches!(name, "pre" | "textarea" | "listing" | "plaintext");
                    let cell = matches!(name, "td" | "th");
                    if breaks > 0 {
                        b.block(breaks);
                    }
                    if pre {
                        pre_depth += 1;
                    }
                    if cell {
                        b.space();
                    }
                    stack.push(Step::Leave { breaks, pre, cell });
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                Node::Document | Node::Fragment => {
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(Step::Enter));
                }
                _ => {}
            },
        }
    }
    (b.finish(), hrefs)
}

/// All text under `el` with white space collapsed to single spaces, for
/// short fields (a title, a name, a view count).
pub(crate) fn flat_text(el: ElementRef<'_>) -> String {
    let mut b = TextBuilder::default();
    for t in el.text() {
        b.text(t);
    }
    b.finish()
}

/// Collapses white space in an attribute or short string.
pub(crate) fn collapse(s: &str) -> String {
    let mut b = TextBuilder::default();
    b.text(s);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn text_of(html: &str) -> String {
        let doc = Html::parse_document(html);
        visible_text(doc.root_element(), &|_| false).0
    }

    #[test]
    fn blocks_breaks_and_spaces() {
        assert_eq!(
            text_of(
                "<p>Работа  в\n Корее</p><p>Тел:<br>+7&nbsp;701</p><ul><li>a</li><li>b</li></ul>"
            ),
            "Работа в Корее\n\nТел:\n+7 701\n\na\nb"
        );
    }

    #[test]
    fn hidden_and_scripts_are_skipped() {
        assert_eq!(
            text_of(
                "<head><title>T</title><style>p{}</style></head><body>a<script>x()</script><span hidden>h</span><div style='display: none'>n</div> b</body>"
            ),
            "a b"
        );
    }

    #[test]
    fn cells_and_pre() {
        assert_eq!(
            text_of(
                "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table><pre>x  y\n z</pre>"
            ),
            "a b\nc\nx  y\n z"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Spans: html5ever builds a 50,000-deep tree quickly (divs would be
        // quadratic, see `html_parse`), and the walk must not recurse.
        let html = "<span>".repeat(50_000) + "deep";
        assert_eq!(text_of(&html), "deep");
    }
}
