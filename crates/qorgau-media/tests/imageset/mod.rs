//! Generated image sets for testing image reuse: innocuous pictures only
//! (gradients, shapes, smooth noise, text-like blocks), never photographs,
//! each with known transformations of the kinds ad sites and re-posters apply.
//!
//! Everything is derived from a seed, so a run is reproducible; the crate's
//! reuse test and the `bench/media-reuse.sh` table use the same generator,
//! and so does the CLI test (`qorgau/tests/media.rs`, through `#[path]`).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test
#![allow(dead_code)]

use std::io::Cursor;

use image::imageops::{self, FilterType};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % u64::from(hi - lo).max(1)) as u32
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub fn colour(&mut self) -> Rgb<u8> {
        Rgb([
            self.range(0, 256) as u8,
            self.range(0, 256) as u8,
            self.range(0, 256) as u8,
        ])
    }
}

/// The kinds of base picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A linear gradient between two colours at an angle, with a few shapes.
    Gradient,
    /// Rectangles and discs of random colours on a plain background.
    Shapes,
    /// Smooth value noise (blobs of light and dark) with fine grain.
    Noise,
    /// A page of text-like dark blocks (words) in lines, like a screenshot.
    TextBlocks,
}

pub const KINDS: [Kind; 4] = [Kind::Gradient, Kind::Shapes, Kind::Noise, Kind::TextBlocks];

/// A base picture of `kind`, 320–640 pixels wide, from `rng`.
pub fn base(kind: Kind, rng: &mut Rng) -> RgbImage {
    let w = rng.range(320, 641);
    let h = rng.range(240, 481);
    match kind {
        Kind::Gradient => {
            let (a, b) = (rng.colour(), rng.colour());
            let angle = rng.unit() * std::f32::consts::TAU;
            let (dx, dy) = (angle.cos(), angle.sin());
            let mut img = RgbImage::from_fn(w, h, |x, y| {
                let t = ((x as f32 / w as f32 - 0.5) * dx + (y as f32 / h as f32 - 0.5) * dy)
                    .mul_add(1.0, 0.5)
                    .clamp(0.0, 1.0);
                mix(a, b, t)
            });
            shapes(&mut img, rng, 2);
            img
        }
        Kind::Shapes => {
            let mut img = RgbImage::from_pixel(w, h, rng.colour());
            let n = rng.range(3, 9);
            shapes(&mut img, rng, n);
            img
        }
        Kind::Noise => {
            // A coarse grid of random values, interpolated (value noise),
            // two octaves, tinted, plus per-pixel grain.
            let grid = |rng: &mut Rng, n: usize| -> Vec<f32> {
                (0..(n + 1) * (n + 1)).map(|_| rng.unit()).collect()
            };
            let (g1, g2) = (grid(rng, 4), grid(rng, 9));
            let tint = rng.colour();
            let seed = rng.next_u64();
            RgbImage::from_fn(w, h, |x, y| {
                let (u, v) = (x as f32 / w as f32, y as f32 / h as f32);
                let value = 0.7 * sample(&g1, 4, u, v) + 0.3 * sample(&g2, 9, u, v);
                let grain = (hash2(seed, x, y) % 21) as f32 - 10.0;
                let l = (value * 255.0 + grain).clamp(0.0, 255.0);
                Rgb([
                    (l * f32::from(tint[0]) / 255.0 * 0.5 + l * 0.5) as u8,
                    (l * f32::from(tint[1]) / 255.0 * 0.5 + l * 0.5) as u8,
                    (l * f32::from(tint[2]) / 255.0 * 0.5 + l * 0.5) as u8,
                ])
            })
        }
        Kind::TextBlocks => {
            let paper = Rgb([
                rng.range(225, 256) as u8,
                rng.range(225, 256) as u8,
                rng.range(215, 256) as u8,
            ]);
            let ink = Rgb([
                rng.range(0, 60) as u8,
                rng.range(0, 60) as u8,
                rng.range(0, 90) as u8,
            ]);
            let mut img = RgbImage::from_pixel(w, h, paper);
            // A heading block, then lines of words with ragged ends and
            // paragraph gaps: the layout is what tells pages apart.
            let margin = rng.range(12, 40);
            let line = rng.range(12, 22);
            let mut y = margin;
            let heading = rng.range(w / 4, w / 2);
            fill_rect(&mut img, margin, y, heading, line, ink);
            y += line * 2;
            while y + line < h - margin {
                let end = if rng.range(0, 5) == 0 {
                    rng.range(w / 5, w - margin)
                } else {
                    w - margin
                };
                let mut x = margin + if rng.range(0, 6) == 0 { 30 } else { 0 };
                while x < end {
                    let word = rng.range(10, 60);
                    fill_rect(&mut img, x, y, word.min(end - x), line * 2 / 3, ink);
                    x += word + rng.range(5, 10);
                }
                y += line + if rng.range(0, 7) == 0 { line } else { 0 };
            }
            img
        }
    }
}

fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f32) -> Rgb<u8> {
    Rgb([0, 1, 2].map(|i| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t) as u8))
}

fn hash2(seed: u64, x: u32, y: u32) -> u64 {
    let mut r = Rng::new(seed ^ (u64::from(x) << 32 | u64::from(y)));
    r.next_u64()
}

fn sample(grid: &[f32], n: usize, u: f32, v: f32) -> f32 {
    let (fx, fy) = (u * n as f32, v * n as f32);
    let (x0, y0) = ((fx as usize).min(n - 1), (fy as usize).min(n - 1));
    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
    let (tx, ty) = (tx * tx * (3.0 - 2.0 * tx), ty * ty * (3.0 - 2.0 * ty));
    let at = |x: usize, y: usize| grid[y * (n + 1) + x];
    let top = at(x0, y0) * (1.0 - tx) + at(x0 + 1, y0) * tx;
    let bottom = at(x0, y0 + 1) * (1.0 - tx) + at(x0 + 1, y0 + 1) * tx;
    top * (1.0 - ty) + bottom * ty
}

fn shapes(img: &mut RgbImage, rng: &mut Rng, n: u32) {
    let (w, h) = img.dimensions();
    for _ in 0..n {
        let colour = rng.colour();
        let (cx, cy) = (rng.range(0, w), rng.range(0, h));
        let (rw, rh) = (rng.range(w / 10, w / 3), rng.range(h / 10, h / 3));
        if rng.range(0, 2) == 0 {
            fill_rect(
                img,
                cx.saturating_sub(rw / 2),
                cy.saturating_sub(rh / 2),
                rw,
                rh,
                colour,
            );
        } else {
            for y in cy.saturating_sub(rh)..(cy + rh).min(h) {
                for x in cx.saturating_sub(rw)..(cx + rw).min(w) {
                    let (dx, dy) = (
                        (x as f32 - cx as f32) / rw as f32,
                        (y as f32 - cy as f32) / rh as f32,
                    );
                    if dx * dx + dy * dy <= 1.0 {
                        img.put_pixel(x, y, colour);
                    }
                }
            }
        }
    }
}

fn fill_rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: Rgb<u8>) {
    let (iw, ih) = img.dimensions();
    for yy in y..(y + h).min(ih) {
        for xx in x..(x + w).min(iw) {
            img.put_pixel(xx, yy, colour);
        }
    }
}

fn blend_rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, colour: Rgb<u8>, alpha: f32) {
    let (iw, ih) = img.dimensions();
    for yy in y..(y + h).min(ih) {
        for xx in x..(x + w).min(iw) {
            let p = *img.get_pixel(xx, yy);
            img.put_pixel(xx, yy, mix(p, colour, alpha));
        }
    }
}

/// What is done to a picture before it is posted again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// JPEG at this quality.
    Jpeg(u8),
    /// Resized to this per cent of each side (Lanczos), saved as JPEG q85.
    Resize(u32),
    /// This per cent of width and height cut off (unevenly between the two
    /// sides), saved as JPEG q85.
    Crop(u32),
    /// Brighter by 40 of 255, saved as JPEG q85.
    Brighter,
    /// Contrast raised by 30 %, saved as JPEG q85.
    Contrast,
    /// Hue turned by 90°, saved as JPEG q85.
    Hue,
    /// Grey levels only, saved as JPEG q85.
    Greyscale,
    /// A caption band with text-like blocks over the bottom eighth, JPEG q85.
    Caption,
    /// A half-transparent watermark of text-like blocks across the middle,
    /// JPEG q85.
    Watermark,
    /// Saved as GIF (256 colours).
    Gif,
}

pub const TRANSFORMS: [Transform; 16] = [
    Transform::Jpeg(90),
    Transform::Jpeg(70),
    Transform::Jpeg(50),
    Transform::Jpeg(30),
    Transform::Resize(50),
    Transform::Resize(200),
    Transform::Crop(5),
    Transform::Crop(10),
    Transform::Brighter,
    Transform::Contrast,
    Transform::Hue,
    Transform::Greyscale,
    Transform::Caption,
    Transform::Watermark,
    Transform::Gif,
    Transform::Jpeg(95),
];

impl Transform {
    pub fn name(&self) -> String {
        match self {
            Transform::Jpeg(q) => format!("jpeg q{q}"),
            Transform::Resize(p) => format!("resize {p}%"),
            Transform::Crop(p) => format!("crop {p}%"),
            Transform::Brighter => "brightness +40".into(),
            Transform::Contrast => "contrast +30%".into(),
            Transform::Hue => "hue +90°".into(),
            Transform::Greyscale => "greyscale".into(),
            Transform::Caption => "caption band".into(),
            Transform::Watermark => "watermark".into(),
            Transform::Gif => "gif 256 colours".into(),
        }
    }

    /// The transformed picture, encoded as it would be posted.
    pub fn apply(&self, img: &RgbImage, rng: &mut Rng) -> Vec<u8> {
        let (w, h) = img.dimensions();
        match *self {
            Transform::Jpeg(q) => jpeg(img, q),
            Transform::Resize(p) => {
                let resized = imageops::resize(img, w * p / 100, h * p / 100, FilterType::Lanczos3);
                jpeg(&resized, 85)
            }
            Transform::Crop(p) => {
                let (cw, ch) = (w * p / 100, h * p / 100);
                let (left, top) = (rng.range(0, cw + 1), rng.range(0, ch + 1));
                let cropped = imageops::crop_imm(img, left, top, w - cw, h - ch).to_image();
                jpeg(&cropped, 85)
            }
            Transform::Brighter => jpeg(&imageops::brighten(img, 40), 85),
            Transform::Contrast => jpeg(&imageops::contrast(img, 30.0), 85),
            Transform::Hue => jpeg(&imageops::huerotate(img, 90), 85),
            Transform::Greyscale => {
                let grey = DynamicImage::ImageLuma8(imageops::grayscale(img)).to_rgb8();
                jpeg(&grey, 85)
            }
            Transform::Caption => {
                let mut out = img.clone();
                let band = h / 8;
                blend_rect(&mut out, 0, h - band, w, band, Rgb([0, 0, 0]), 0.6);
                let mut x = w / 20;
                while x < w * 3 / 4 {
                    let word = rng.range(w / 30, w / 10);
                    fill_rect(
                        &mut out,
                        x,
                        h - band * 3 / 4,
                        word,
                        band / 2,
                        Rgb([255, 255, 255]),
                    );
                    x += word + w / 60;
                }
                jpeg(&out, 85)
            }
            Transform::Watermark => {
                let mut out = img.clone();
                let (y, height) = (h * 9 / 20, h / 10);
                let mut x = w / 6;
                while x < w * 5 / 6 {
                    let word = rng.range(w / 25, w / 8);
                    blend_rect(&mut out, x, y, word, height, Rgb([255, 255, 255]), 0.45);
                    x += word + w / 40;
                }
                jpeg(&out, 85)
            }
            Transform::Gif => encode(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::Gif),
        }
    }
}

pub fn jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

pub fn png(img: &RgbImage) -> Vec<u8> {
    encode(&DynamicImage::ImageRgb8(img.clone()), ImageFormat::Png)
}

pub fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// One generated set: originals (PNG, as first posted), their transformed
/// copies, and unrelated distractors.
pub struct ImageSet {
    /// `originals[i]`: the PNG of base picture `i`.
    pub originals: Vec<Vec<u8>>,
    /// `(base index, transform, encoded copy)`.
    pub copies: Vec<(usize, Transform, Vec<u8>)>,
    /// Pictures of the same kinds that are copies of nothing.
    pub distractors: Vec<Vec<u8>>,
}

/// `bases` base pictures (the kinds in turn), each with every transform in
/// `transforms`, and `distractors` unrelated pictures, all from `seed`.
pub fn generate(seed: u64, bases: usize, distractors: usize, transforms: &[Transform]) -> ImageSet {
    let mut rng = Rng::new(seed);
    let mut set = ImageSet {
        originals: Vec::new(),
        copies: Vec::new(),
        distractors: Vec::new(),
    };
    for i in 0..bases {
        let img = base(KINDS[i % KINDS.len()], &mut rng);
        set.originals.push(png(&img));
        for t in transforms {
            set.copies.push((i, *t, t.apply(&img, &mut rng)));
        }
    }
    for i in 0..distractors {
        let img = base(KINDS[i % KINDS.len()], &mut rng);
        set.distractors.push(jpeg(&img, 85));
    }
    set
}

/// A picture of `kind` from `seed`, cropped to even sides (video in 4:2:0
/// needs them).
pub fn even_picture(kind: Kind, seed: u64) -> RgbImage {
    let img = base(kind, &mut Rng::new(seed));
    let (w, h) = (img.width() & !1, img.height() & !1);
    imageops::crop_imm(&img, 0, 0, w, h).to_image()
}

/// A video `dir/name` made by ffmpeg (installed by
/// `scripts/install-test-tools`): `a` for 3 s, then `b` (at `a`'s size) for
/// 3 s, 25 frames a second, a key frame every second, encoded with `codec`
/// (ffmpeg's arguments, such as `["-c:v", "libx264"]`).
pub fn two_shot_video(
    dir: &std::path::Path,
    a: &RgbImage,
    b: &RgbImage,
    name: &str,
    codec: &[&str],
) -> std::path::PathBuf {
    let (pa, pb) = (
        dir.join(format!("{name}.a.png")),
        dir.join(format!("{name}.b.png")),
    );
    a.save(&pa).unwrap();
    imageops::resize(b, a.width(), a.height(), FilterType::Triangle)
        .save(&pb)
        .unwrap();
    let out = dir.join(name);
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y"])
        .args(["-loop", "1", "-framerate", "25", "-t", "3", "-i"])
        .arg(&pa)
        .args(["-loop", "1", "-framerate", "25", "-t", "3", "-i"])
        .arg(&pb)
        .args([
            "-filter_complex",
            "[0:v][1:v]concat=n=2:v=1[v]",
            "-map",
            "[v]",
        ])
        .args(["-g", "25", "-pix_fmt", "yuv420p"])
        .args(codec)
        .arg(&out)
        .status()
        .expect("ffmpeg is installed by scripts/install-test-tools");
    assert!(status.success(), "ffmpeg made no {name}");
    std::fs::remove_file(pa).unwrap();
    std::fs::remove_file(pb).unwrap();
    out
}
