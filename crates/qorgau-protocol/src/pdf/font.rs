//! The embedded fonts and the little text measuring the layout needs.
//!
//! DejaVu Sans covers Cyrillic including every Kazakh letter (ә ғ қ ң ө ұ ү
//! һ і and capitals). Text here needs no shaping beyond the character map
//! (no ligatures, no right-to-left), so glyphs are placed by their advance
//! widths read with skrifa — the same library krilla reads fonts with —
//! instead of pulling in a shaper; krilla subsets the fonts when writing.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider as _};

use crate::RenderError;

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// One face: the krilla font to draw with and skrifa tables to measure.
pub(crate) struct Face {
    pub font: Font,
    charmap: skrifa::charmap::Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    upem: f32,
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Self, RenderError> {
        let font_ref = FontRef::new(data).map_err(|_| RenderError::Font(name))?;
        let upem = f32::from(
            font_ref
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        let font = Font::new(data.into(), 0).ok_or(RenderError::Font(name))?;
        Ok(Self {
            font,
            charmap: font_ref.charmap(),
            metrics: font_ref.glyph_metrics(Size::unscaled(), LocationRef::default()),
            upem,
        })
    }

    /// Glyph and advance (in em) of one character; control characters are
    /// drawn as spaces, characters the font lacks as its `.notdef` box.
    fn glyph(&self, c: char) -> (u32, f32) {
        let c = if c.is_control() { ' ' } else { c };
        let gid = self.charmap.map(c).unwrap_or_default();
        let adv = self.metrics.advance_width(gid).unwrap_or(0.0) / self.upem;
        (gid.to_u32(), adv)
    }

    /// Width of `s` at `size` points.
    pub fn width(&self, s: &str, size: f32) -> f32 {
        s.chars().map(|c| self.glyph(c).1).sum::<f32>() * size
    }

    /// Glyphs of `s`, each mapped back to its character so the PDF text can
    /// be searched and copied.
    pub fn glyphs(&self, s: &str) -> Vec<KrillaGlyph> {
        s.char_indices()
            .map(|(i, c)| {
                let (gid, adv) = self.glyph(c);
                KrillaGlyph::new(
                    GlyphId::new(gid),
                    adv,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }
}

/// The two faces the protocol uses.
pub(crate) struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Self, RenderError> {
        Ok(Self {
            regular: Face::load("DejaVuSans.ttf", REGULAR)?,
            bold: Face::load("DejaVuSans-Bold.ttf", BOLD)?,
        })
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

/// Breaks `text` into lines no wider than `width` at `size` points: at
/// spaces where possible, inside a word only when the word alone is too wide
/// (URLs, hashes, keys). Explicit newlines are kept.
pub(crate) fn wrap(face: &Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let space = face.width(" ", size);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let ww = face.width(word, size);
            let sep = if line.is_empty() { 0.0 } else { space };
            if line_w + sep + ww <= width {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + ww;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if ww <= width {
                line.push_str(word);
                line_w = ww;
            } else {
                for c in word.chars() {
                    let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
                    if line_w + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_w = 0.0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_letters_have_glyphs() {
        let fonts = Fonts::load().unwrap();
        for face in [&fonts.regular, &fonts.bold] {
            for c in "әғқңөұүһіӘҒҚҢӨҰҮҺІЁё".chars() {
                assert_ne!(face.glyph(c).0, 0, "no glyph for {c}");
            }
        }
    }

    #[test]
    fn wrap_respects_width_and_breaks_long_words() {
        let fonts = Fonts::load().unwrap();
        let f = &fonts.regular;
        let hash = "a".repeat(200);
        let text = format!("Протокол осмотра интернет-ресурса {hash} конец");
        let lines = wrap(f, 10.0, &text, 150.0);
        assert!(lines.len() > 3, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 10.0) <= 150.0, "too wide: {l}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        assert_eq!(wrap(f, 10.0, "a\n\nb", 100.0), vec!["a", "", "b"]);
    }
}
