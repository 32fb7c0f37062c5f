//! The protocol as a PDF: A4, DejaVu Sans embedded (subset) so Cyrillic and
//! Kazakh letters render and can be searched, screenshots scaled to the page
//! width and split across pages when tall, "page i of N" on every page.

mod font;
mod layout;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use qorgau_i18n::{Args, text};

use self::font::Fonts;
use self::layout::{BOTTOM, CONTENT_W, LEFT, Layout, Op, PAGE_H, PAGE_W, Rgb};
use crate::RenderError;
use crate::document::{Block, Doc};

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn stroke(c: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: rgb::Color::new(c.0, c.1, c.2).into(),
        width,
        ..Default::default()
    }
}

fn draw(s: &mut Surface<'_>, fonts: &Fonts, op: Op) {
    match op {
        Op::Text {
            x,
            baseline,
            bold,
            size,
            color,
            text,
        } => {
            let face = fonts.face(bold);
            // No-break spaces only steer line breaking (see `time`); the
            // reader and text extraction get ordinary spaces.
            let text = text.replace('\u{a0}', " ");
            s.set_stroke(None);
            s.set_fill(Some(fill(color)));
            s.draw_glyphs(
                Point::from_xy(x, baseline),
                &face.glyphs(&text),
                face.font.clone(),
                &text,
                size,
                false,
            );
        }
        Op::Fill { x, y, w, h, color } => {
            let mut pb = PathBuilder::new();
            if let Some(r) = Rect::from_xywh(x, y, w, h) {
                pb.push_rect(r);
            }
            if let Some(path) = pb.finish() {
                s.set_stroke(None);
                s.set_fill(Some(fill(color)));
                s.draw_path(&path);
            }
        }
        Op::Frame {
            x,
            y,
            w,
            h,
            width,
            color,
        } => {
            let mut pb = PathBuilder::new();
            if let Some(r) = Rect::from_xywh(x, y, w, h) {
                pb.push_rect(r);
            }
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(color, width)));
                s.draw_path(&path);
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            color,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(x1, y1);
            pb.line_to(x2, y2);
            if let Some(path) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(color, width)));
                s.draw_path(&path);
            }
        }
        Op::Image { image, x, y, w, h } => {
            if let Some(size) = Size::from_wh(w, h) {
                s.push_transform(&Transform::from_translate(x, y));
                s.draw_image(image, size);
                s.pop();
            }
        }
    }
}

pub(crate) fn render(doc: &Doc<'_>) -> Result<Vec<u8>, RenderError> {
    let fonts = Fonts::load()?;
    let mut layout = Layout::new(&fonts);
    layout.title(doc);
    let last_section = doc
        .blocks
        .iter()
        .rposition(|b| matches!(b, Block::Section(_)))
        .unwrap_or(doc.blocks.len());
    for (i, block) in doc.blocks.iter().enumerate() {
        if i == last_section {
            layout.keep_together(doc, &doc.blocks[i..])?;
        }
        layout.block(doc, block)?;
    }
    let pages = std::mem::take(&mut layout.pages);
    let total = pages.len();

    let mut document = Document::new();
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| RenderError::Pdf("invalid page size".into()))?;
    for (i, ops) in pages.into_iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut s = page.surface();
        for op in ops {
            draw(&mut s, &fonts, op);
        }
        // Footer: case on the left, "page i of N" on the right.
        let fy = PAGE_H - BOTTOM + 22.0;
        draw(
            &mut s,
            &fonts,
            Op::Line {
                x1: LEFT,
                y1: fy,
                x2: LEFT + CONTENT_W,
                y2: fy,
                width: 0.4,
                color: Rgb(170, 170, 170),
            },
        );
        let page_no = text(
            doc.lang,
            "footer-page",
            &Args::new().with("page", i + 1).with("total", total),
        );
        let pw = fonts.regular.width(&page_no, 8.0);
        let footer_w = CONTENT_W - pw - 12.0;
        let footer = font::wrap(&fonts.regular, 7.5, &doc.footer, footer_w)
            .into_iter()
            .next()
            .unwrap_or_default();
        let grey = Rgb(85, 85, 85);
        for (x, size, text) in [(LEFT, 7.5, footer), (LEFT + CONTENT_W - pw, 8.0, page_no)] {
            let op = Op::Text {
                x,
                baseline: fy + 12.0,
                bold: false,
                size,
                color: grey,
                text,
            };
            draw(&mut s, &fonts, op);
        }
        s.finish();
        page.finish();
    }
    document.set_metadata(
        Metadata::new()
            .title(format!("{} · {}", doc.title, doc.case_id))
            .language(doc.lang.code().to_owned())
            .creator("qorgau-protocol".to_owned())
            .producer(format!("qorgau-protocol {}", env!("CARGO_PKG_VERSION"))),
    );
    document
        .finish()
        .map_err(|e| RenderError::Pdf(format!("{e:?}")))
}
