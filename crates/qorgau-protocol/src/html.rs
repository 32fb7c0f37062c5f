//! The protocol as one self-contained HTML page: inline CSS, screenshots
//! as `data:` URIs, no scripts and no external resources, so it opens the
//! same offline, years later, and prints on A4.
//!
//! Written by hand rather than with a template engine: the page is small,
//! fixed in shape, and every interpolated value goes through [`esc`].

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::document::{Block, Doc};

const CSS: &str = r#"
@page { size: A4; margin: 20mm 15mm 20mm 25mm; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt;
  color: #111; max-width: 180mm; margin: 1em auto; line-height: 1.35; }
header { text-align: center; margin-bottom: 1em; }
header h1 { font-size: 16pt; margin: 0; letter-spacing: .08em; }
header .sub { font-size: 12pt; font-weight: bold; }
header .case { margin-top: .3em; }
.dateline { display: flex; justify-content: space-between; margin: .8em 0 1.2em; }
h2 { font-size: 12pt; margin: 1.4em 0 .5em; border-bottom: 1px solid #999; }
h3 { font-size: 11pt; margin: 1.1em 0 .4em; }
h4 { font-size: 10pt; margin: .9em 0 .3em; color: #333; }
table { border-collapse: collapse; width: 100%; margin: .3em 0 .6em; }
td, th { border: 1px solid #bbb; padding: 2pt 4pt; vertical-align: top; text-align: left; }
th { background: #eee; font-size: 9pt; }
table.fields td.label { width: 32%; color: #333; background: #f6f6f6; }
td, .hash { overflow-wrap: anywhere; }
.hash { font-size: 8.5pt; }
td.num { text-align: right; white-space: nowrap; }
.warning { border: 1.5px solid #b00; color: #800; padding: 4pt 6pt; margin: .5em 0; }
figure { margin: .5em 0 1em; }
figure img { max-width: 100%; border: 1px solid #999; display: block; }
figcaption { font-size: 9pt; margin-bottom: .2em; }
.remarks .line { border-bottom: 1px solid #555; height: 1.6em; }
table.sig td { border: none; padding: 10pt 4pt 0; }
table.sig .line { border-bottom: 1px solid #333; height: 1.4em; text-align: center; }
table.sig .cap { font-size: 7.5pt; color: #555; text-align: center; padding-top: 1pt; }
footer { margin-top: 2em; font-size: 8pt; color: #555; border-top: 1px solid #bbb; }
"#;

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Kept visible in the source (dates and times are joined by it).
            '\u{a0}' => out.push_str("&nbsp;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
fn esc_lines(s: &str) -> String {
    esc(s).replace('\n', "<br>")
}

pub(crate) fn render(doc: &Doc<'_>) -> String {
    let mut h = String::new();
    let lang = doc.lang.code();
    // `write!` into a String cannot fail; results are ignored on purpose.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n\
         <title>{} · {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&doc.title),
        esc(doc.case_id)
    );
    let _ = write!(
        h,
        "<header>\n<h1>{}</h1>\n<div class=\"sub\">{}</div>\n<div class=\"case\">{}</div>\n</header>\n",
        esc(&doc.heading),
        esc(&doc.subheading),
        esc(&doc.case_line)
    );
    let _ = writeln!(
        h,
        "<div class=\"dateline\"><span>{}</span><span>{}</span></div>",
        esc(doc.place.as_deref().unwrap_or("")),
        esc(&doc.date)
    );
    for block in &doc.blocks {
        block_html(&mut h, block);
    }
    let _ = write!(
        h,
        "<footer>{}</footer>\n</body>\n</html>\n",
        esc(&doc.footer)
    );
    h
}

fn block_html(h: &mut String, block: &Block<'_>) {
    match block {
        Block::Section(s) => {
            let _ = writeln!(h, "<h2>{}</h2>", esc(s));
        }
        Block::Subsection(s) => {
            let _ = writeln!(h, "<h3>{}</h3>", esc(s));
        }
        Block::Minor(s) => {
            let _ = writeln!(h, "<h4>{}</h4>", esc(s));
        }
        Block::Para(s) => {
            let _ = writeln!(h, "<p>{}</p>", esc_lines(s));
        }
        Block::Warning(s) => {
            let _ = writeln!(h, "<div class=\"warning\">{}</div>", esc_lines(s));
        }
        Block::Fields(rows) => {
            h.push_str("<table class=\"fields\">\n");
            for (label, value) in rows {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"label\">{}</td><td>{}</td></tr>",
                    esc(label),
                    esc_lines(value)
                );
            }
            h.push_str("</table>\n");
        }
        Block::Steps {
            time_col,
            action_col,
            rows,
        } => {
            let _ = writeln!(
                h,
                "<table class=\"steps\">\n<tr><th>{}</th><th>{}</th></tr>",
                esc(time_col),
                esc(action_col)
            );
            for (at, what) in rows {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"num\">{}</td><td>{}</td></tr>",
                    esc(at),
                    esc_lines(what)
                );
            }
            h.push_str("</table>\n");
        }
        Block::Shot(s) => {
            let _ = writeln!(
                h,
                "<figure>\n<figcaption><b>{}</b><br><span class=\"hash\">{}</span></figcaption>\n\
                 <img alt=\"{}\" width=\"{}\" height=\"{}\" style=\"height:auto\" src=\"data:image/png;base64,{}\">\n</figure>",
                esc(&s.caption),
                esc(&s.sha_line),
                esc(&s.shot.name),
                s.width,
                s.height,
                STANDARD.encode(&s.shot.png)
            );
        }
        Block::Files(f) => {
            let _ = writeln!(
                h,
                "<table class=\"files\">\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
                esc(&f.col_no),
                esc(&f.col_name),
                esc(&f.col_kind),
                esc(&f.col_size),
                esc(&f.col_hashes)
            );
            for r in &f.rows {
                let _ = writeln!(
                    h,
                    "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
                     <td class=\"hash\">{}<br>{}</td></tr>",
                    esc(&r.no),
                    esc(&r.name),
                    esc(&r.kind),
                    esc(&r.size),
                    esc(&r.md5),
                    esc(&r.sha256)
                );
            }
            let _ = writeln!(h, "</table>\n<p>{}</p>", esc(&f.total));
        }
        Block::List(items) => {
            h.push_str("<ol>\n");
            for i in items {
                let _ = writeln!(h, "<li>{}</li>", esc_lines(i));
            }
            h.push_str("</ol>\n");
        }
        Block::Remarks(label) => {
            let _ = writeln!(
                h,
                "<div class=\"remarks\"><p>{}</p><div class=\"line\"></div><div class=\"line\"></div></div>",
                esc(label)
            );
        }
        Block::Signatures(s) => {
            let _ = writeln!(h, "<h3>{}</h3>\n<table class=\"sig\">", esc(&s.heading));
            for (role, name) in &s.rows {
                let _ = writeln!(
                    h,
                    "<tr><td>{}</td><td class=\"line\"></td><td class=\"line\">{}</td></tr>\n\
                     <tr><td></td><td class=\"cap\">{}</td><td class=\"cap\">{}</td></tr>",
                    esc(role),
                    esc(name.as_deref().unwrap_or("")),
                    esc(&s.sign_caption),
                    esc(&s.name_caption)
                );
            }
            h.push_str("</table>\n");
        }
    }
}
