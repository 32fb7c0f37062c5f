//! Shared pictures: near-duplicate images grouped across a batch, so that documents
//! showing the same picture are linked through it.
//!
//! The same photos reappear across a network's ads, accounts and mirror sites, re-encoded,
//! resized and captioned each time; investigators lean on image reuse more than on any
//! other link. Every picture the sources could hash is put in one
//! [`qorgau_media::index::ImageIndex`] and matched under the rule `qorgau media similar`
//! uses (pHash within N bits, or dHash within N and pHash within 2N; N = 8 by default).
//! Matches are joined transitively ([`qorgau_media::index::near_duplicate_groups`]), and every group seen in two or more
//! documents becomes an identifier of kind [`qorgau_network::IMAGE_KIND`] on each of
//! them, valued `phash:` and the pHash of the group's first picture in input order. The
//! network builder then links through it like through a phone, under the hub rule for
//! pictures ([`qorgau_network::HubRule::image_hub_docs`] /
//! [`qorgau_network::HubRule::image_hub_sources`]), so a logo or a stock photo seen in
//! many unrelated ads is reported and links nothing, and a transitive chain that grew
//! too wide is cut the same way.
//!
//! Not compared: pictures without both hashes (remote URLs, missing or broken files),
//! pictures smaller than [`ImageLinkOptions::min_side`] on a side (icons, emoji,
//! tracking pixels: too small to tell apart), and featureless ones, whose dHash is all
//! zeros or all ones (flat colour or one smooth gradient: their pHash is then only
//! rounding noise, and blank placeholders of any size match one another). Each says why
//! in its `note`.

use qorgau_media::index::near_duplicate_groups;
use qorgau_media::phash::hamming;

use crate::pipeline::DocAssessment;
use crate::record::{FirstPictureOut, ImageLinkOut};

/// How pictures are compared and which are left out.
///
/// It exists so that a caller can tighten or loosen the image rule for a corpus (the
/// defaults are those of `qorgau media similar`).
#[derive(Debug, Clone)]
pub struct ImageLinkOptions {
    /// The distance N of the rule: pHash within N bits, or dHash within N and pHash
    /// within 2N.
    pub distance: u32,
    /// Pictures narrower or lower than this many pixels (when the size is known) are
    /// not compared.
    pub min_side: u32,
    /// Whether pictures link documents at all.
    pub enabled: bool,
}

/// The distance `qorgau media similar` uses by default, measured in BENCHMARKS.md
/// ("Image reuse"): the copies a re-poster makes, not other pictures.
pub const IMAGE_DISTANCE: u32 = 8;

impl Default for ImageLinkOptions {
    fn default() -> Self {
        ImageLinkOptions {
            distance: IMAGE_DISTANCE,
            min_side: 32,
            enabled: true,
        }
    }
}

/// One picture in the index: which document, which of its pictures, its hashes.
struct Picture {
    doc: usize,
    image: usize,
    phash: u64,
    dhash: u64,
}

/// One group of pictures seen in two or more documents.
pub(crate) struct ImageGroup {
    /// The identifier value: `phash:` and the first picture's pHash.
    pub(crate) value: String,
    /// Per document of the group (in input order): the note that says how close its
    /// closest picture is to the first one.
    pub(crate) notes: Vec<(usize, String)>,
}

/// Groups the batch's pictures, fills in each picture's `link` (hub still false) and
/// notes on pictures not compared, and returns the groups that span documents.
pub(crate) fn group_pictures(
    assessed: &mut [DocAssessment],
    options: &ImageLinkOptions,
) -> Vec<ImageGroup> {
    if !options.enabled {
        return Vec::new();
    }
    let mut pictures: Vec<Picture> = Vec::new();
    for (doc, a) in assessed.iter_mut().enumerate() {
        for (image, out) in a.record.images.iter_mut().enumerate() {
            let Some((phash, dhash)) = out.hashes else {
                continue;
            };
            let small = match (out.width, out.height) {
                (Some(w), Some(h)) => w.min(h) < options.min_side,
                _ => false,
            };
            let why_not = if small {
                Some(format!(
                    "not compared: {}×{} pixels is too small to tell pictures apart",
                    out.width.unwrap_or(0),
                    out.height.unwrap_or(0)
                ))
            } else if dhash == 0 || dhash == u64::MAX {
                Some(
                    "not compared: a featureless picture (flat colour or one smooth gradient), \
                     which every such picture resembles"
                        .to_owned(),
                )
            } else {
                None
            };
            if let Some(why) = why_not {
                let name = out.path.as_deref().or(out.url.as_deref());
                out.note = Some(match name {
                    Some(n) => format!("{n}: {why}"),
                    None => why,
                });
                continue;
            }
            pictures.push(Picture {
                doc,
                image,
                phash,
                dhash,
            });
        }
    }
    let pairs: Vec<(u64, u64)> = pictures.iter().map(|p| (p.phash, p.dhash)).collect();
    // Members in input order; the first one names the group. A group of
    // pictures within one document links nothing.
    let groups: Vec<Vec<usize>> = near_duplicate_groups(&pairs, options.distance)
        .into_iter()
        .filter(|m| m.iter().any(|&i| pictures[i].doc != pictures[m[0]].doc))
        .collect();
    drop(pairs);

    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        let Some(first) = group.first().map(|&f| &pictures[f]) else {
            continue;
        };
        let value = format!("phash:{:016x}", first.phash);
        let first_doc_id = assessed[first.doc].record.id.clone();
        let first_out = FirstPictureOut {
            document: first_doc_id.clone(),
            location: {
                let f = &assessed[first.doc].record.images[first.image];
                f.path.clone().or_else(|| f.url.clone())
            },
            phash: format!("{:016x}", first.phash),
            dhash: format!("{:016x}", first.dhash),
        };
        let mut docs: Vec<usize> = group.iter().map(|&i| pictures[i].doc).collect();
        docs.dedup();
        let documents = docs.len();
        // Per document, its picture closest to the first one.
        let mut closest: Vec<(usize, u32, u32)> = Vec::new();
        for &i in &group {
            let p = &pictures[i];
            let (dp, dd) = (hamming(p.phash, first.phash), hamming(p.dhash, first.dhash));
            if let Some(image) = assessed[p.doc].record.images.get_mut(p.image) {
                image.link = Some(ImageLinkOut {
                    identifier: value.clone(),
                    documents,
                    pictures: group.len(),
                    first: first_out.clone(),
                    phash_distance: dp,
                    dhash_distance: dd,
                    hub: false,
                });
            }
            match closest.last_mut() {
                Some(last) if last.0 == p.doc => {
                    if (dp, dd) < (last.1, last.2) {
                        *last = (p.doc, dp, dd);
                    }
                }
                _ => closest.push((p.doc, dp, dd)),
            }
        }
        let notes = closest
            .into_iter()
            .map(|(doc, dp, dd)| {
                let note = if doc == first.doc {
                    format!(
                        "the group's first picture (pHash {:016x}, dHash {:016x})",
                        first.phash, first.dhash
                    )
                } else {
                    format!(
                        "pHash {dp}, dHash {dd} bits from the group's first picture \
                         (dHash {:016x}, in {first_doc_id})",
                        first.dhash
                    )
                };
                (doc, note)
            })
            .collect();
        out.push(ImageGroup { value, notes });
    }
    out
}

#[cfg(test)]
mod tests {
    use qorgau_network::{IMAGE_KIND, NetworkOptions, Scope};
    use qorgau_sources::{Document, ImageRef};

    use crate::{Pipeline, PipelineOptions, link};

    fn doc(id: &str, source: &str, pictures: &[(u64, u64)]) -> Document {
        let mut d = Document {
            id: id.into(),
            text: format!("объявление {id}"),
            source: Some(source.into()),
            ..Document::default()
        };
        d.set_images(
            pictures
                .iter()
                .map(|(p, h)| ImageRef {
                    phash: Some(format!("{p:016x}")),
                    dhash: Some(format!("{h:016x}")),
                    ..ImageRef::default()
                })
                .collect(),
        );
        d
    }

    const P: u64 = 0x1b66_f0c9_d837_0f0d;
    const D: u64 = 0x8061_6180_c001_0301;

    /// `bits` low bits of `x` flipped.
    fn flip(x: u64, bits: u32) -> u64 {
        x ^ ((1u64 << bits) - 1)
    }

    #[test]
    fn near_duplicates_link_transitively_and_say_how_close() {
        let pipeline = Pipeline::new(&PipelineOptions::default()).unwrap();
        let docs = [
            doc("a", "telegram:@a", &[(P, D)]),
            // Two pictures of the same group in one document: the closer one explains it.
            doc("b", "telegram:@b", &[(flip(P, 8), D), (flip(P, 3), D)]),
            // 14 pHash and 20 dHash bits from a, 6 pHash bits from b's first picture:
            // joined only through b.
            doc("c", "telegram:@c", &[(flip(P, 14), flip(D, 20))]),
            // 12 pHash bits from a and farther from the rest, but dHash within 2: the
            // second witness matches it.
            doc("d", "telegram:@d", &[(P ^ (0xFFF << 52), flip(D, 2))]),
            // Unrelated, and a featureless one.
            doc("e", "telegram:@e", &[(!P, !D)]),
            doc("f", "telegram:@f", &[(P, 0)]),
        ];
        let mut assessed: Vec<_> = docs.iter().map(|d| pipeline.assess(d)).collect();
        let linked = link(&mut assessed, NetworkOptions::default());
        let network = |i: usize| assessed[i].record.network.clone().unwrap();
        assert_eq!(network(0), network(1));
        assert_eq!(network(0), network(2));
        assert_eq!(network(0), network(3));
        assert_ne!(network(0), network(4));
        assert_ne!(network(0), network(5));

        let group = format!("phash:{P:016x}");
        let link_of = |i: usize, j: usize| assessed[i].record.images[j].link.clone().unwrap();
        assert_eq!(link_of(0, 0).identifier, group);
        assert_eq!((link_of(0, 0).documents, link_of(0, 0).pictures), (4, 5));
        assert_eq!(link_of(1, 1).phash_distance, 3);
        assert_eq!(
            (link_of(2, 0).phash_distance, link_of(2, 0).dhash_distance),
            (14, 20)
        );
        assert_eq!(
            (link_of(3, 0).phash_distance, link_of(3, 0).dhash_distance),
            (12, 2)
        );
        assert!(assessed[4].record.images[0].link.is_none());
        let f = &assessed[5].record.images[0];
        assert!(f.link.is_none() && f.note.as_deref().unwrap().contains("featureless"));

        // The network shows the picture, and b's edge says its closer copy's distance.
        let graph = linked.networks.graph(&Scope::All);
        let node = format!("i:{IMAGE_KIND}:{group}");
        let edge = graph
            .edges
            .iter()
            .find(|e| e.source == "d:b" && e.target == node)
            .unwrap();
        assert!(
            edge.label
                .contains("pHash 3, dHash 0 bits from the group's first picture"),
            "{}",
            edge.label
        );
        assert!(linked.networks.hubs().is_empty());
    }

    #[test]
    fn hub_pictures_are_marked_in_the_records() {
        let pipeline = Pipeline::new(&PipelineOptions::default()).unwrap();
        let mut assessed: Vec<_> = (0..10)
            .map(|i| {
                pipeline.assess(&doc(
                    &format!("s{i}"),
                    &format!("web:site{i}.kz"),
                    &[(P, D)],
                ))
            })
            .collect();
        let linked = link(&mut assessed, NetworkOptions::default());
        assert!(
            assessed
                .iter()
                .all(|a| a.record.images[0].link.as_ref().unwrap().hub)
        );
        let mut networks: Vec<_> = assessed.iter().map(|a| a.record.network.clone()).collect();
        networks.dedup();
        assert_eq!(networks.len(), 10);
        assert_eq!(linked.networks.hubs()[0].kind, IMAGE_KIND);
        // Nine sources: not a hub, one network.
        let mut assessed: Vec<_> = (0..9)
            .map(|i| {
                pipeline.assess(&doc(
                    &format!("s{i}"),
                    &format!("web:site{i}.kz"),
                    &[(P, D)],
                ))
            })
            .collect();
        link(&mut assessed, NetworkOptions::default());
        assert!(
            assessed
                .iter()
                .all(|a| !a.record.images[0].link.as_ref().unwrap().hub
                    && a.record.network == assessed[0].record.network)
        );
    }
}
