//! Lays the protocol's blocks out on A4 pages as a list of drawing
//! operations per page. Page numbers ("page 1 of N") need N, so pages are
//! laid out completely first and drawn afterwards (see `emit`).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};

use super::font::{Fonts, wrap};
use crate::RenderError;
use crate::document::{Block, Doc, Files, Shot, Signatures};
use crate::image;

/// A4 in points.
pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;
/// Margins as Kazakh and Russian office documents use them: 25 mm left
/// (binding), 15 mm right, 20 mm top; the bottom leaves room for the footer.
pub(crate) const LEFT: f32 = 70.87;
const RIGHT: f32 = 42.52;
const TOP: f32 = 56.69;
pub(crate) const BOTTOM: f32 = 70.0;
pub(crate) const CONTENT_W: f32 = PAGE_W - LEFT - RIGHT;
const LINE: f32 = 1.3;
/// Screenshots are never enlarged beyond 96 dpi (0.75 pt per pixel).
const MAX_SCALE: f32 = 0.75;
/// Below this much room a screenshot starts on a new page.
const MIN_IMAGE_ROOM: f32 = 160.0;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

const BLACK: Rgb = Rgb(17, 17, 17);
const GREY: Rgb = Rgb(85, 85, 85);
const RULE: Rgb = Rgb(170, 170, 170);
const SHADE: Rgb = Rgb(238, 238, 238);
const RED: Rgb = Rgb(170, 0, 0);

pub(crate) enum Op {
    Text {
        x: f32,
        baseline: f32,
        bold: bool,
        size: f32,
        color: Rgb,
        text: String,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        color: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Image {
        image: Image,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Rows `y0..y0+h` of a decoded screenshot, as krilla wants a custom image.
#[derive(Clone)]
struct Slice {
    rgb: Arc<Vec<u8>>,
    width: u32,
    height: u32,
    /// Screenshot SHA-256 and first row: identifies the slice cheaply.
    key: (String, u32),
}

impl Hash for Slice {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
        self.width.hash(state);
        self.height.hash(state);
    }
}

impl CustomImage for Slice {
    fn color_channel(&self) -> &[u8] {
        &self.rgb
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        None
    }
    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> ImageColorspace {
        ImageColorspace::Rgb
    }
}

pub(crate) struct Layout<'f> {
    fonts: &'f Fonts,
    pub pages: Vec<Vec<Op>>,
    /// Top of the free space on the current page.
    y: f32,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Self {
            fonts,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn room(&self) -> f32 {
        PAGE_H - BOTTOM - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `h` points fit; returns whether it did.
    fn ensure(&mut self, h: f32) -> bool {
        if h > self.room() && self.y > TOP + 0.5 {
            self.new_page();
            true
        } else {
            false
        }
    }

    fn text(&mut self, x: f32, top: f32, size: f32, bold: bool, color: Rgb, text: &str) {
        if text.is_empty() {
            return;
        }
        self.ops().push(Op::Text {
            x,
            baseline: top + size * 0.95,
            bold,
            size,
            color,
            text: text.to_owned(),
        });
    }

    fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, color: Rgb) {
        self.ops().push(Op::Line {
            x1,
            y1: y,
            x2,
            y2: y,
            width,
            color,
        });
    }

    fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        self.fonts.face(bold).width(s, size)
    }

    fn lines(&self, s: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        wrap(self.fonts.face(bold), size, s, width)
    }

    /// A wrapped paragraph at `x` with `width`, split across pages as needed.
    fn para(&mut self, x: f32, width: f32, size: f32, bold: bool, color: Rgb, s: &str) {
        let lh = size * LINE;
        for line in self.lines(s, size, bold, width) {
            self.ensure(lh);
            let y = self.y;
            self.text(x, y, size, bold, color, &line);
            self.y += lh;
        }
    }

    fn centered(&mut self, size: f32, bold: bool, s: &str) {
        let lh = size * LINE;
        for line in self.lines(s, size, bold, CONTENT_W) {
            self.ensure(lh);
            let x = LEFT + (CONTENT_W - self.width(&line, size, bold)) / 2.0;
            let y = self.y;
            self.text(x, y, size, bold, BLACK, &line);
            self.y += lh;
        }
    }

    /// Two columns of wrapped text, line by line, so that a row taller
    /// than a page continues on the next one; a rule under the row.
    fn two_columns(
        &mut self,
        left: (&str, f32, f32, bool, Rgb),
        right: (&str, f32, bool, Rgb),
        right_x: f32,
        right_w: f32,
    ) {
        let (ltext, lw, lsize, lbold, lcolor) = left;
        let (rtext, rsize, rbold, rcolor) = right;
        // A value with a long token (hash, key, URL) is set smaller, down to
        // 7 pt, so that the token stays on one line where possible: a hash
        // broken over two lines is hard to compare and to search.
        let widest = rtext
            .split(char::is_whitespace)
            .map(|t| self.width(t, rsize, rbold))
            .fold(0.0_f32, f32::max);
        let rsize = if widest > right_w {
            (rsize * right_w / widest * 0.99).max(7.0)
        } else {
            rsize
        };
        let l = self.lines(ltext, lsize, lbold, lw);
        let r = self.lines(rtext, rsize, rbold, right_w);
        let lh = lsize.max(rsize) * LINE;
        let rows = l.len().max(r.len());
        let pad = 3.0;
        // Keep short rows together.
        let total = rows as f32 * lh + 2.0 * pad;
        if total <= PAGE_H - TOP - BOTTOM {
            self.ensure(total);
        }
        self.y += pad;
        for i in 0..rows {
            self.ensure(lh);
            let y = self.y;
            if let Some(s) = l.get(i) {
                self.text(LEFT, y, lsize, lbold, lcolor, s);
            }
            if let Some(s) = r.get(i) {
                self.text(right_x, y, rsize, rbold, rcolor, s);
            }
            self.y += lh;
        }
        self.y += pad;
        let y = self.y;
        self.rule(LEFT, LEFT + CONTENT_W, y, 0.4, RULE);
    }

    /// Starts a new page when `blocks` would fit on a page of their own
    /// but not in the room left: keeps the closing statement and the
    /// signatures together, as a signature page with no text is not
    /// accepted in practice.
    pub fn keep_together(
        &mut self,
        doc: &Doc<'_>,
        blocks: &[Block<'_>],
    ) -> Result<(), RenderError> {
        let mut dry = Layout::new(self.fonts);
        for b in blocks {
            dry.block(doc, b)?;
        }
        if dry.pages.len() == 1 && dry.y - TOP > self.room() {
            self.new_page();
        }
        Ok(())
    }

    pub fn title(&mut self, doc: &Doc<'_>) {
        self.centered(16.0, true, &doc.heading);
        self.centered(12.0, true, &doc.subheading);
        self.y += 2.0;
        self.centered(10.0, false, &doc.case_line);
        self.y += 10.0;
        let y = self.y;
        if let Some(place) = &doc.place {
            let line = self.lines(place, 10.0, false, CONTENT_W / 2.0);
            if let Some(first) = line.first() {
                self.text(LEFT, y, 10.0, false, BLACK, first);
            }
        }
        let dw = self.width(&doc.date, 10.0, false);
        self.text(LEFT + CONTENT_W - dw, y, 10.0, false, BLACK, &doc.date);
        self.y += 10.0 * LINE + 8.0;
    }

    pub fn block(&mut self, doc: &Doc<'_>, block: &Block<'_>) -> Result<(), RenderError> {
        match block {
            Block::Section(s) => {
                self.y += 10.0;
                // No heading alone at the foot of a page.
                self.ensure(12.0 * LINE + 60.0);
                self.para(LEFT, CONTENT_W, 12.0, true, BLACK, s);
                let y = self.y + 1.0;
                self.rule(LEFT, LEFT + CONTENT_W, y, 0.8, GREY);
                self.y += 6.0;
            }
            Block::Subsection(s) => {
                self.y += 8.0;
                self.ensure(11.0 * LINE + 60.0);
                self.para(LEFT, CONTENT_W, 11.0, true, BLACK, s);
                self.y += 2.0;
            }
            Block::Minor(s) => {
                self.y += 6.0;
                self.ensure(9.5 * LINE + 40.0);
                self.para(LEFT, CONTENT_W, 9.5, true, GREY, s);
                self.y += 1.0;
            }
            Block::Para(s) => {
                self.y += 3.0;
                self.para(LEFT, CONTENT_W, 10.0, false, BLACK, s);
                self.y += 3.0;
            }
            Block::Warning(s) => self.warning(s),
            Block::Fields(rows) => {
                let label_w = 150.0;
                let gap = 8.0;
                for (label, value) in rows {
                    self.two_columns(
                        (label, label_w, 8.5, false, GREY),
                        (value, 9.5, false, BLACK),
                        LEFT + label_w + gap,
                        CONTENT_W - label_w - gap,
                    );
                }
            }
            Block::Steps {
                time_col,
                action_col,
                rows,
            } => {
                let time_w = 125.0;
                let gap = 8.0;
                self.two_columns(
                    (time_col, time_w, 8.0, true, GREY),
                    (action_col, 8.0, true, GREY),
                    LEFT + time_w + gap,
                    CONTENT_W - time_w - gap,
                );
                for (at, what) in rows {
                    self.two_columns(
                        (at, time_w, 8.5, false, BLACK),
                        (what, 9.0, false, BLACK),
                        LEFT + time_w + gap,
                        CONTENT_W - time_w - gap,
                    );
                }
            }
            Block::Shot(shot) => self.screenshot(doc, shot)?,
            Block::Files(files) => self.files(files),
            Block::List(items) => {
                let indent = 16.0;
                for (i, item) in items.iter().enumerate() {
                    let lines = self.lines(item, 10.0, false, CONTENT_W - indent);
                    for (j, line) in lines.iter().enumerate() {
                        self.ensure(10.0 * LINE);
                        let y = self.y;
                        if j == 0 {
                            self.text(LEFT, y, 10.0, false, BLACK, &format!("{}.", i + 1));
                        }
                        self.text(LEFT + indent, y, 10.0, false, BLACK, line);
                        self.y += 10.0 * LINE;
                    }
                    self.y += 2.0;
                }
            }
            Block::Remarks(label) => {
                self.y += 4.0;
                self.ensure(10.0 * LINE + 44.0);
                self.para(LEFT, CONTENT_W, 10.0, false, BLACK, label);
                for _ in 0..2 {
                    self.y += 20.0;
                    let y = self.y;
                    self.rule(LEFT, LEFT + CONTENT_W, y, 0.6, GREY);
                }
                self.y += 6.0;
            }
            Block::Signatures(s) => self.signatures(s),
        }
        Ok(())
    }

    fn warning(&mut self, s: &str) {
        let size = 9.5;
        let pad = 5.0;
        let lines = self.lines(s, size, true, CONTENT_W - 2.0 * pad);
        let h = lines.len() as f32 * size * LINE + 2.0 * pad;
        self.y += 3.0;
        self.ensure(h);
        let top = self.y;
        self.ops().push(Op::Frame {
            x: LEFT,
            y: top,
            w: CONTENT_W,
            h,
            width: 1.2,
            color: RED,
        });
        self.y += pad;
        for line in &lines {
            let y = self.y;
            self.text(LEFT + pad, y, size, true, RED, line);
            self.y += size * LINE;
        }
        self.y = top + h + 4.0;
    }

    fn files(&mut self, f: &Files) {
        let no_w = 24.0;
        let kind_w = 120.0;
        let size_w = 80.0;
        let name_w = CONTENT_W - no_w - kind_w - size_w;
        let x_name = LEFT + no_w;
        let x_kind = x_name + name_w;
        let x_size_right = LEFT + CONTENT_W - 3.0;
        let header = |l: &mut Self| {
            let h = 8.0 * LINE + 6.0;
            let y = l.y;
            l.ops().push(Op::Fill {
                x: LEFT,
                y,
                w: CONTENT_W,
                h,
                color: SHADE,
            });
            l.text(LEFT + 3.0, y + 3.0, 8.0, true, BLACK, &f.col_no);
            l.text(
                x_name + 3.0,
                y + 3.0,
                8.0,
                true,
                BLACK,
                &format!("{} / {}", f.col_name, f.col_hashes),
            );
            l.text(x_kind + 3.0, y + 3.0, 8.0, true, BLACK, &f.col_kind);
            let sw = l.width(&f.col_size, 8.0, true);
            l.text(x_size_right - sw, y + 3.0, 8.0, true, BLACK, &f.col_size);
            l.y += h;
        };
        self.ensure(8.0 * LINE + 6.0 + 40.0);
        header(self);
        for r in &f.rows {
            let name = self.lines(&r.name, 9.0, false, name_w - 6.0);
            let kind = self.lines(&r.kind, 8.5, false, kind_w - 6.0);
            let hash_w = CONTENT_W - no_w - 6.0;
            let md5 = self.lines(&r.md5, 7.5, false, hash_w);
            let sha = self.lines(&r.sha256, 7.5, false, hash_w);
            let top_rows = name.len().max(kind.len()).max(1);
            let h =
                top_rows as f32 * 9.0 * LINE + (md5.len() + sha.len()) as f32 * 7.5 * LINE + 6.0;
            if self.ensure(h) {
                header(self);
            }
            let mut y = self.y + 3.0;
            self.text(LEFT + 3.0, y, 9.0, false, BLACK, &r.no);
            let sw = self.width(&r.size, 9.0, false);
            self.text(x_size_right - sw, y, 9.0, false, BLACK, &r.size);
            for (i, line) in name.iter().enumerate() {
                self.text(
                    x_name + 3.0,
                    y + i as f32 * 9.0 * LINE,
                    9.0,
                    false,
                    BLACK,
                    line,
                );
            }
            for (i, line) in kind.iter().enumerate() {
                self.text(
                    x_kind + 3.0,
                    y + i as f32 * 9.0 * LINE,
                    8.5,
                    false,
                    BLACK,
                    line,
                );
            }
            y += top_rows as f32 * 9.0 * LINE;
            for line in md5.iter().chain(sha.iter()) {
                self.text(x_name + 3.0, y, 7.5, false, GREY, line);
                y += 7.5 * LINE;
            }
            self.y = y + 3.0;
            let yy = self.y;
            self.rule(LEFT, LEFT + CONTENT_W, yy, 0.4, RULE);
        }
        self.y += 4.0;
        self.para(LEFT, CONTENT_W, 9.5, true, BLACK, &f.total);
    }

    fn screenshot(&mut self, doc: &Doc<'_>, shot: &Shot<'_>) -> Result<(), RenderError> {
        let rgb = image::decode_rgb(shot.shot)?;
        let (w_px, h_px) = (rgb.width, rgb.height);
        if w_px == 0 || h_px == 0 {
            return Err(RenderError::BadPng {
                name: shot.shot.name.clone(),
                reason: "empty image".into(),
            });
        }
        let scale = (CONTENT_W / w_px as f32).min(MAX_SCALE);
        let img_w = w_px as f32 * scale;
        let caption_h =
            |l: &Self, s: &str| l.lines(s, 9.0, true, CONTENT_W).len() as f32 * 9.0 * LINE + 2.0;
        let head_h = caption_h(self, &shot.caption) + 8.0 * LINE + 3.0;
        self.y += 4.0;
        // Start on a fresh page if there is not enough room for the caption
        // and a useful part of the image.
        let whole = head_h + h_px as f32 * scale;
        if whole > self.room() && self.room() < head_h + MIN_IMAGE_ROOM {
            self.new_page();
        }
        self.para(LEFT, CONTENT_W, 9.0, true, BLACK, &shot.caption);
        self.y += 2.0;
        self.para(LEFT, CONTENT_W, 8.0, false, GREY, &shot.sha_line);
        self.y += 3.0;

        // Split into slices: the first fills the rest of this page, each
        // further one a page under its "continued" caption. Nothing is cut.
        let rows_here = ((self.room() - 2.0) / scale).floor().max(1.0) as u32;
        let cont_caption = shot.continued(doc.lang, 99, 99);
        let rows_per_page = ((PAGE_H - TOP - BOTTOM - caption_h(self, &cont_caption) - 6.0) / scale)
            .floor()
            .max(1.0) as u32;
        let mut slices = vec![(0_u32, rows_here.min(h_px))];
        let mut y0 = rows_here.min(h_px);
        while y0 < h_px {
            let n = rows_per_page.min(h_px - y0);
            slices.push((y0, n));
            y0 += n;
        }
        let parts = slices.len();
        let rgb_data = Arc::new(rgb.data);
        let stride = w_px as usize * 3;
        for (k, &(start, rows)) in slices.iter().enumerate() {
            if k > 0 {
                self.new_page();
                let c = shot.continued(doc.lang, k + 1, parts);
                self.para(LEFT, CONTENT_W, 9.0, true, BLACK, &c);
                self.y += 4.0;
            }
            let bytes = if parts == 1 {
                Arc::clone(&rgb_data)
            } else {
                let a = start as usize * stride;
                let b = (start + rows) as usize * stride;
                Arc::new(rgb_data.get(a..b).unwrap_or_default().to_vec())
            };
            let slice = Slice {
                rgb: bytes,
                width: w_px,
                height: rows,
                key: (shot.shot.sha256.clone(), start),
            };
            let image = Image::from_custom(slice, true).map_err(|e| RenderError::BadPng {
                name: shot.shot.name.clone(),
                reason: e,
            })?;
            let h = rows as f32 * scale;
            let y = self.y;
            self.ops().push(Op::Image {
                image,
                x: LEFT,
                y,
                w: img_w,
                h,
            });
            self.ops().push(Op::Frame {
                x: LEFT,
                y,
                w: img_w,
                h,
                width: 0.5,
                color: GREY,
            });
            self.y += h + 6.0;
        }
        Ok(())
    }

    fn signatures(&mut self, s: &Signatures) {
        self.y += 10.0;
        let row_h = 38.0;
        self.ensure(11.0 * LINE + 4.0 + row_h * s.rows.len().min(2) as f32);
        self.para(LEFT, CONTENT_W, 11.0, true, BLACK, &s.heading);
        let role_w = 165.0;
        let sign_x = LEFT + role_w + 10.0;
        let sign_w = 120.0;
        let name_x = sign_x + sign_w + 15.0;
        let name_w = LEFT + CONTENT_W - name_x;
        for (role, name) in &s.rows {
            self.ensure(row_h);
            let top = self.y + 12.0;
            let line_y = top + 12.0;
            let lines = self.lines(role, 9.5, false, role_w);
            for (i, l) in lines.iter().take(2).enumerate() {
                self.text(LEFT, top + i as f32 * 9.5 * LINE, 9.5, false, BLACK, l);
            }
            self.rule(sign_x, sign_x + sign_w, line_y, 0.6, BLACK);
            self.rule(name_x, name_x + name_w, line_y, 0.6, BLACK);
            if let Some(n) = name {
                let n = self
                    .lines(n, 9.5, false, name_w)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let nw = self.width(&n, 9.5, false);
                self.text(name_x + (name_w - nw) / 2.0, top, 9.5, false, BLACK, &n);
            }
            let cw = self.width(&s.sign_caption, 7.0, false);
            self.text(
                sign_x + (sign_w - cw) / 2.0,
                line_y + 2.0,
                7.0,
                false,
                GREY,
                &s.sign_caption,
            );
            let cw = self.width(&s.name_caption, 7.0, false);
            self.text(
                name_x + (name_w - cw) / 2.0,
                line_y + 2.0,
                7.0,
                false,
                GREY,
                &s.name_caption,
            );
            self.y += row_h;
        }
    }
}
