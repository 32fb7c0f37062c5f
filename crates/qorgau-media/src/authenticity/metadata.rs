//! Consistency of the metadata the crate read ([`MediaMetadata`]): what the
//! file says about the device, the software, the time and the place, checked
//! against itself and against the image.

use super::software::{self, Family, GENERATED_SOURCE_TYPES, GENERATOR_TEXT_KEYS};
use super::time;
use super::{Level, Signal, kind};
use crate::MediaMetadata;

/// Capture times before this year are before consumer digital cameras.
const EARLIEST_YEAR: i64 = 1990;
/// A capture time may be this far ahead of "now" (time zones written
/// without offset, clocks a little fast).
const FUTURE_SLACK: i64 = 36 * 3600;
/// Modification and original times further apart than this differ.
const TIME_SLACK: i64 = 2;

/// Containers that are still images.
fn is_still_image(container: &str) -> bool {
    matches!(
        container,
        "jpeg" | "png" | "tiff" | "webp" | "heif" | "avif"
    )
}

fn camera(m: &MediaMetadata) -> String {
    match (m.make.as_deref(), m.model.as_deref()) {
        (Some(make), Some(model)) if model.starts_with(make) => format!("camera {model}"),
        (Some(make), Some(model)) => format!("camera {make} {model}"),
        (Some(make), None) => format!("camera make {make}, no model"),
        (None, Some(model)) => format!("camera model {model}, no make"),
        (None, None) => "no camera make or model".into(),
    }
}

/// Adds every metadata signal to `out`.
pub(crate) fn check(m: &MediaMetadata, now_unix: i64, out: &mut Vec<Signal>) {
    no_exif(m, out);
    software_signals(m, out);
    camera_incomplete(m, out);
    times(m, now_unix, out);
    gps(m, out);
    dimensions(m, out);
    xmp_history(m, out);
}

fn no_exif(m: &MediaMetadata, out: &mut Vec<Signal>) {
    if !m.exif.is_empty() || !is_still_image(&m.container) {
        return;
    }
    let xmp = if m.xmp.is_empty() {
        "and no XMP either".to_string()
    } else {
        format!("but {} XMP properties", m.xmp.len())
    };
    out.push(Signal::new(
        kind::NO_EXIF,
        Level::Note,
        format!("The {} file has no EXIF block, {xmp}.", m.container),
        "The picture went through software that did not keep the camera's metadata: a \
         messenger, a social network, a web site, a screenshot, an editor's \"export for web\", \
         or a deliberate removal. Where and when it was taken cannot be read from the file.",
        "Missing EXIF cannot show editing: WhatsApp, Telegram, Instagram, Facebook, VK and almost \
         every messenger and social network strip EXIF on upload, and screenshots never had any. \
         It is the normal state of a picture found online.",
    ));
}

/// Where a software name was found, and the name.
fn software_sources(m: &MediaMetadata) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for key in ["Software", "ProcessingSoftware"] {
        if let Some(v) = m.exif.get(key).filter(|v| !v.is_empty()) {
            found.push((format!("EXIF {key}"), v.clone()));
        }
    }
    for (key, v) in &m.xmp {
        if key == "xmp:CreatorTool" || key.ends_with("softwareAgent") {
            found.push((format!("XMP {key}"), v.clone()));
        }
    }
    for key in ["Software", "Comment", "Description", "Source", "Title"] {
        if let Some(v) = m.text.get(key).filter(|v| !v.is_empty()) {
            found.push((format!("text {key}"), v.clone()));
        }
    }
    for (key, v) in &m.quicktime {
        if key.ends_with("©swr") || key.ends_with("©too") || key.ends_with(".software") {
            found.push((format!("QuickTime {key}"), v.clone()));
        }
    }
    found
}

fn clip(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() > MAX {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    } else {
        s.to_string()
    }
}

fn software_signals(m: &MediaMetadata, out: &mut Vec<Signal>) {
    let mut editors: Vec<String> = Vec::new();
    let mut processors: Vec<String> = Vec::new();
    let mut generators: Vec<String> = Vec::new();
    for (source, value) in software_sources(m) {
        if let Some(k) = software::identify(&value) {
            let line = format!("{source} is '{}' ({})", clip(&value), k.name);
            let list = match k.family {
                Family::Editor => &mut editors,
                Family::Processor => &mut processors,
                Family::Generator => &mut generators,
            };
            if !list.contains(&line) {
                list.push(line);
            }
        }
    }
    for (key, tool) in GENERATOR_TEXT_KEYS {
        if let Some(v) = m.text.get(*key) {
            generators.push(format!(
                "PNG text '{key}' is present ({} characters, written by {tool}): '{}'",
                v.chars().count(),
                clip(v)
            ));
        }
    }
    for (key, v) in &m.xmp {
        if key.ends_with("DigitalSourceType")
            && let Some(t) = GENERATED_SOURCE_TYPES
                .iter()
                .find(|t| v.rsplit('/').next() == Some(**t))
        {
            generators.push(format!("XMP {key} is '{}' ({t})", clip(v)));
        }
    }
    let cam = camera(m);
    if !generators.is_empty() {
        out.push(Signal::new(
            kind::GENERATOR,
            Level::WorthExamining,
            format!("{}; {cam}.", generators.join("; ")),
            "The metadata names or declares an image generator: the picture, or part of it, may \
             have been generated by AI rather than photographed.",
            "Metadata is text anyone can write or remove: a generator's name can be added to a \
             photograph and is stripped from most generated pictures by the first re-save or \
             upload, so its presence is a lead to check and its absence shows nothing. It does \
             not say which part of the picture was generated.",
        ));
    }
    if !editors.is_empty() {
        out.push(Signal::new(
            kind::EDITING_SOFTWARE,
            Level::WorthExamining,
            format!("{}; {cam}.", editors.join("; ")),
            "The file was last written (or once opened and saved) by an image editor. With a \
             camera named alongside, the picture came from that camera and then went through \
             the editor.",
            "Editors are used for ordinary things (cropping, brightness, resizing, conversion, \
             adding a caption); the tag does not say what was done, only which program saved the \
             file. The tag is easy to change or remove, so its absence shows nothing.",
        ));
    }
    if !processors.is_empty() {
        out.push(Signal::new(
            kind::EDITING_SOFTWARE,
            Level::Note,
            format!("{}; {cam}.", processors.join("; ")),
            "The file was converted, resized or optimised by an image-processing tool, as web \
             sites and servers do.",
            "Processing tools rarely change content; the tag does not say what was done, and is \
             easy to change or remove.",
        ));
    }
}

fn camera_incomplete(m: &MediaMetadata, out: &mut Vec<Signal>) {
    if m.make.is_some() == m.model.is_some() {
        return;
    }
    out.push(Signal::new(
        kind::CAMERA_INCOMPLETE,
        Level::Note,
        format!("The metadata has a {}.", camera(m)),
        "Cameras and phones write both make and model; one without the other suggests the \
         metadata was written or rewritten by software rather than by the device.",
        "Some devices, apps and older cameras write only one of the two, and some tools drop \
         one when they copy metadata; this does not show the picture was changed.",
    ));
}

fn times(m: &MediaMetadata, now_unix: i64, out: &mut Vec<Signal>) {
    let original = m.exif.get("DateTimeOriginal").and_then(|s| time::parse(s));
    let modified = m.exif.get("DateTime").and_then(|s| time::parse(s));
    if let (Some(o), Some(d)) = (original, modified) {
        let delta = d.local - o.local;
        if delta.abs() > TIME_SLACK {
            let (when, order) = if delta > 0 {
                (human(delta), "after")
            } else {
                (human(-delta), "before")
            };
            out.push(Signal::new(
                kind::MODIFY_TIME_DIFFERS,
                Level::WorthExamining,
                format!(
                    "EXIF DateTime (last modified) '{}' is {when} {order} DateTimeOriginal '{}'; \
                     {}.",
                    m.exif.get("DateTime").map(String::as_str).unwrap_or(""),
                    m.exif
                        .get("DateTimeOriginal")
                        .map(String::as_str)
                        .unwrap_or(""),
                    camera(m)
                ),
                if delta > 0 {
                    "Cameras and phones write the same time in both fields; a later modification \
                     time means software saved the file again after it was taken, when the \
                     difference says."
                } else {
                    "A modification time before the capture time does not come from a camera: \
                     the times were written or changed by software, or the clock was changed."
                },
                "Re-saving for any reason (rotation, a crop, a format conversion, a photo manager \
                 writing tags) updates the modification time; it does not say what was changed. \
                 Both fields are plain text that any tool can set.",
            ));
        }
    }
    let Some(raw) = m.original_time.as_deref() else {
        return;
    };
    let Some(t) = time::parse(raw) else {
        return;
    };
    let future = t.utc() > now_unix.saturating_add(FUTURE_SLACK);
    let early = t.year < EARLIEST_YEAR;
    if future || early {
        out.push(Signal::new(
            kind::ORIGINAL_TIME_IMPLAUSIBLE,
            Level::WorthExamining,
            format!(
                "The original (capture) time is '{raw}', {}.",
                if future {
                    "later than the time of this examination"
                } else {
                    "before consumer digital cameras (1990)"
                }
            ),
            "The capture time was not written by a device with a correct clock: it was set by \
             software, typed by hand, or the device's clock was wrong.",
            "Cameras whose clock was never set or whose battery ran out write default dates \
             (often 1970, 1980 or 2000); this says the time cannot be trusted, not that the \
             picture was changed.",
        ));
    }
}

fn human(seconds: i64) -> String {
    match seconds {
        s if s < 120 => format!("{s} seconds"),
        s if s < 7200 => format!("{} minutes", s / 60),
        s if s < 2 * 86_400 => format!("{} hours", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

fn gps(m: &MediaMetadata, out: &mut Vec<Signal>) {
    let Some(g) = m.gps else { return };
    let (lat, lon) = (g.latitude, g.longitude);
    let invalid = !lat.is_finite() || !lon.is_finite() || lat.abs() > 90.0 || lon.abs() > 180.0;
    let null_island = lat.abs() < 1e-6 && lon.abs() < 1e-6;
    if !invalid && !null_island {
        return;
    }
    out.push(Signal::new(
        kind::GPS_IMPLAUSIBLE,
        Level::WorthExamining,
        format!(
            "The GPS position is latitude {lat}, longitude {lon}: {}.",
            if invalid {
                "outside the valid range (±90°, ±180°)"
            } else {
                "exactly 0, 0, in the Gulf of Guinea"
            }
        ),
        "The position was not fixed by a receiver: software wrote a default or invalid value, \
         or the field was edited.",
        "Some devices write 0, 0 when they have no fix, and some tools write damaged values when \
         they convert metadata; the position cannot be used, but this does not show the picture \
         was changed.",
    ));
}

/// The leading number of an EXIF display value ("4032", "4032 pixels").
fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn dimensions(m: &MediaMetadata, out: &mut Vec<Signal>) {
    if !matches!(m.container.as_str(), "jpeg" | "png" | "webp") {
        return;
    }
    let ex = (
        m.exif
            .get("PixelXDimension")
            .and_then(|v| leading_number(v)),
        m.exif
            .get("PixelYDimension")
            .and_then(|v| leading_number(v)),
    );
    let (Some(ew), Some(eh)) = ex else { return };
    let (Some(w), Some(h)) = (m.width, m.height) else {
        return;
    };
    if (ew, eh) == (w, h) || ew == 0 || eh == 0 {
        return;
    }
    let swapped = (ew, eh) == (h, w);
    out.push(Signal::new(
        kind::DIMENSIONS_DIFFER,
        if swapped {
            Level::Note
        } else {
            Level::WorthExamining
        },
        format!(
            "EXIF says the image is {ew}×{eh} pixels (PixelXDimension × PixelYDimension); the \
             image is {w}×{h}{}.",
            if swapped { " (the same, turned)" } else { "" }
        ),
        if swapped {
            "The pixels were rotated by software that did not update the EXIF dimensions."
        } else {
            "The image was resized or cropped after the EXIF block was written, by software that \
             copied the old EXIF without updating it."
        },
        "Resizing and cropping are ordinary (every upload to a web site resizes), and some \
         cameras write the dimensions of a different rendition; this says the pixels are not \
         those the EXIF was written for, not what was changed.",
    ));
}

fn xmp_history(m: &MediaMetadata, out: &mut Vec<Signal>) {
    let mut found = Vec::new();
    for (key, v) in &m.xmp {
        if key.starts_with("xmpMM:History")
            || key.starts_with("photoshop:History")
            || key.starts_with("xmpMM:DerivedFrom")
        {
            found.push(format!("{key}: '{}'", clip(v)));
        }
    }
    let settings = m.xmp.keys().filter(|k| k.starts_with("crs:")).count();
    if settings > 0 {
        found.push(format!(
            "{settings} Adobe Camera Raw / Lightroom develop settings (crs:)"
        ));
    }
    if found.is_empty() {
        return;
    }
    found.truncate(12);
    out.push(Signal::new(
        kind::XMP_EDIT_HISTORY,
        Level::WorthExamining,
        format!("The XMP records editing: {}.", found.join("; ")),
        "Adobe software and others record each save, conversion and the document the file was \
         derived from; the history lists which programs worked on the file and when, and develop \
         settings show the picture was processed (exposure, colour, crop, retouching) in Camera \
         Raw or Lightroom.",
        "The history records saves and conversions, not what changed in the picture; ordinary \
         corrections leave the same entries, and XMP can be written or removed by any tool.",
    ));
}
