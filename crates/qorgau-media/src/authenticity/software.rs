//! The names of editing and generating software, as data in one place.
//!
//! These are looked for in the software tags (EXIF `Software` and
//! `ProcessingSoftware`, XMP `CreatorTool` and history agents, PNG `Software`
//! text, JPEG comments). Matching is case-insensitive on whole words, so
//! that "Canva" does not match "canvas". The list names what is common in
//! the pictures investigators meet (phone editors, beauty apps, desktop
//! editors, AI generators); adding a name is adding a line.

/// What a piece of software does to a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Edits pictures: retouching, compositing, filters, cropping.
    Editor,
    /// Generates pictures (AI image generators and their front-ends).
    Generator,
    /// Converts, resizes or optimises pictures without an editing interface
    /// (servers, command-line tools).
    Processor,
}

/// A known piece of software: a lower-case word or phrase to find, the name
/// to show, and its family.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Known {
    pub needle: &'static str,
    pub name: &'static str,
    pub family: Family,
}

const fn k(needle: &'static str, name: &'static str, family: Family) -> Known {
    Known {
        needle,
        name,
        family,
    }
}

/// Known software, the more specific names first (Lightroom's tag also
/// names Photoshop).
pub(crate) const KNOWN: &[Known] = &[
    // Generators.
    k("stable diffusion", "Stable Diffusion", Family::Generator),
    k("stablediffusion", "Stable Diffusion", Family::Generator),
    k(
        "automatic1111",
        "AUTOMATIC1111 Stable Diffusion web UI",
        Family::Generator,
    ),
    k("comfyui", "ComfyUI", Family::Generator),
    k("invokeai", "InvokeAI", Family::Generator),
    k("novelai", "NovelAI", Family::Generator),
    k("midjourney", "Midjourney", Family::Generator),
    k("dall-e", "DALL·E", Family::Generator),
    k("dall·e", "DALL·E", Family::Generator),
    k("dalle", "DALL·E", Family::Generator),
    k(
        "chatgpt",
        "ChatGPT (OpenAI image generation)",
        Family::Generator,
    ),
    k("openai", "OpenAI", Family::Generator),
    k("firefly", "Adobe Firefly", Family::Generator),
    k("google imagen", "Google Imagen", Family::Generator),
    k("gemini", "Google Gemini", Family::Generator),
    k("ideogram", "Ideogram", Family::Generator),
    k("leonardo.ai", "Leonardo.Ai", Family::Generator),
    k(
        "black forest labs",
        "FLUX (Black Forest Labs)",
        Family::Generator,
    ),
    k("dreamstudio", "DreamStudio", Family::Generator),
    k("nightcafe", "NightCafe", Family::Generator),
    k("craiyon", "Craiyon", Family::Generator),
    k(
        "bing image creator",
        "Bing Image Creator",
        Family::Generator,
    ),
    k("faceapp", "FaceApp", Family::Generator),
    k("reface", "Reface", Family::Generator),
    // Editors.
    k("lightroom", "Adobe Lightroom", Family::Editor),
    k("camera raw", "Adobe Camera Raw", Family::Editor),
    k(
        "photoshop express",
        "Adobe Photoshop Express",
        Family::Editor,
    ),
    k("photoshop", "Adobe Photoshop", Family::Editor),
    k("gimp", "GIMP", Family::Editor),
    k("snapseed", "Snapseed", Family::Editor),
    k("picsart", "Picsart", Family::Editor),
    k("canva", "Canva", Family::Editor),
    k("meitu", "Meitu", Family::Editor),
    k("beautyplus", "BeautyPlus", Family::Editor),
    k("facetune", "Facetune", Family::Editor),
    k("airbrush", "AirBrush", Family::Editor),
    k("vsco", "VSCO", Family::Editor),
    k("remini", "Remini", Family::Editor),
    k("fotor", "Fotor", Family::Editor),
    k("pixlr", "Pixlr", Family::Editor),
    k("photopea", "Photopea", Family::Editor),
    k("affinity photo", "Affinity Photo", Family::Editor),
    k("pixelmator", "Pixelmator", Family::Editor),
    k("paint.net", "Paint.NET", Family::Editor),
    k("paintshop", "Corel PaintShop", Family::Editor),
    k("luminar", "Luminar", Family::Editor),
    k("capture one", "Capture One", Family::Editor),
    k("darktable", "darktable", Family::Editor),
    k("rawtherapee", "RawTherapee", Family::Editor),
    k("photoscape", "PhotoScape", Family::Editor),
    k("acdsee", "ACDSee", Family::Editor),
    k("picasa", "Picasa", Family::Editor),
    k("polarr", "Polarr", Family::Editor),
    k("photodirector", "PhotoDirector", Family::Editor),
    k("inshot", "InShot", Family::Editor),
    k("lensa", "Lensa", Family::Editor),
    // Processors.
    k("imagemagick", "ImageMagick", Family::Processor),
    k("graphicsmagick", "GraphicsMagick", Family::Processor),
    k("libvips", "libvips", Family::Processor),
    k("xnview", "XnView", Family::Processor),
    k("irfanview", "IrfanView", Family::Processor),
];

/// PNG text keywords that image generators write, with the tools known to
/// write them. `parameters` holds the prompt and settings of the
/// AUTOMATIC1111 web UI and the front-ends that copy it.
pub(crate) const GENERATOR_TEXT_KEYS: &[(&str, &str)] = &[
    (
        "parameters",
        "Stable Diffusion web UIs (AUTOMATIC1111, Forge, SD.Next)",
    ),
    ("prompt", "ComfyUI"),
    ("workflow", "ComfyUI"),
    ("Dream", "InvokeAI"),
    ("sd-metadata", "InvokeAI"),
    ("invokeai_metadata", "InvokeAI"),
    ("negative_prompt", "Stable Diffusion front-ends"),
];

/// IPTC digital source types (`Iptc4xmpExt:DigitalSourceType`, also used in
/// C2PA actions) that declare generated or partly generated content.
pub(crate) const GENERATED_SOURCE_TYPES: &[&str] = &[
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
    "compositeSynthetic",
];

/// The first known software named in `text`, matched on whole words.
pub(crate) fn identify(text: &str) -> Option<&'static Known> {
    let lower = text.to_lowercase();
    KNOWN.iter().find(|k| contains_word(&lower, k.needle))
}

fn contains_word(hay: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(needle)) {
        let start = from + i;
        let end = start + needle.len();
        let before = hay.get(..start).and_then(|s| s.chars().next_back());
        let after = hay.get(end..).and_then(|s| s.chars().next());
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        from = start + needle.chars().next().map_or(1, char::len_utf8);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifies_on_word_boundaries() {
        let name = |t: &str| identify(t).map(|k| k.name);
        assert_eq!(
            name("Adobe Photoshop 25.0 (Windows)"),
            Some("Adobe Photoshop")
        );
        assert_eq!(
            name("Adobe Photoshop Lightroom Classic 13.0"),
            Some("Adobe Lightroom")
        );
        assert_eq!(name("GIMP 2.10.36"), Some("GIMP"));
        assert_eq!(name("Canva"), Some("Canva"));
        assert_eq!(name("HTML canvas export"), None);
        assert_eq!(name("Midjourney v6"), Some("Midjourney"));
        assert_eq!(name("Firmware 1.2.0"), None);
        assert_eq!(name("SM-G991B G991BXXU5CVLL"), None);
        assert_eq!(name(""), None);
    }
}
