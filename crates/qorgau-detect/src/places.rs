//! Where in Kazakhstan a document is about: the regions (ISO 3166-2:KZ)
//! whose cities and towns it names, from a gazetteer kept as data
//! (`data/kz-regions.toml`).
//!
//! The dashboard counts flagged ads by region so a regional unit sees its
//! own; ads rarely carry coordinates, but they name the city («работа в
//! Алматы», «Жезқазғанға қыздар керек»). Matching uses the lexicon's
//! folding (case, «ё», Kazakh letters as their plain look-alikes) and its
//! word rules: a word, a stem with `*`, or a phrase of consecutive words;
//! at each word the longest phrase wins, so «Алматинская область» is the
//! region and «Алматы» the city. Written by hand rather than through the
//! lexicon's automaton: a few hundred patterns over short texts, and the
//! answer is a set of regions, not scored hits.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::fold::{fold_str, tokenize};

/// A region of Kazakhstan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// ISO 3166-2:KZ code, e.g. `KZ-75`.
    pub code: String,
    /// Name in Russian.
    pub ru: String,
    /// Name in Kazakh.
    pub kk: String,
    /// Name in English.
    pub en: String,
}

#[derive(Deserialize)]
struct File {
    region: Vec<RegionDoc>,
}

#[derive(Deserialize)]
struct RegionDoc {
    code: String,
    ru: String,
    kk: String,
    en: String,
    places: Vec<String>,
}

/// One word of a place pattern.
#[derive(Debug, Clone)]
enum Word {
    Exact(String),
    Stem(String),
}

impl Word {
    fn matches(&self, token: &str) -> bool {
        match self {
            Word::Exact(w) => token == w,
            Word::Stem(s) => token.starts_with(s.as_str()),
        }
    }
}

/// The regions and their place patterns, indexed by first word.
#[derive(Debug)]
pub struct Gazetteer {
    regions: Vec<Region>,
    /// Patterns by the exact first word: (words, region index).
    by_word: HashMap<String, Vec<(Vec<Word>, usize)>>,
    /// Patterns whose first word is a stem.
    by_stem: Vec<(Vec<Word>, usize)>,
}

/// Why the gazetteer does not load (a broken data file: a build problem).
#[derive(Debug, thiserror::Error)]
#[error("kz-regions.toml: {0}")]
pub struct GazetteerError(String);

const BUILTIN: &str = include_str!("../data/kz-regions.toml");

impl Gazetteer {
    /// The gazetteer shipped with Qorgau, loaded once.
    pub fn builtin() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        // The data file is tested to load (see the tests below); an empty
        // gazetteer keeps a broken build from taking pages down.
        G.get_or_init(|| {
            Gazetteer::parse(BUILTIN).unwrap_or_else(|_| Gazetteer {
                regions: Vec::new(),
                by_word: HashMap::new(),
                by_stem: Vec::new(),
            })
        })
    }

    /// Reads a gazetteer file.
    pub fn parse(text: &str) -> Result<Gazetteer, GazetteerError> {
        let file: File = toml::from_str(text).map_err(|e| GazetteerError(e.to_string()))?;
        let mut g = Gazetteer {
            regions: Vec::new(),
            by_word: HashMap::new(),
            by_stem: Vec::new(),
        };
        for (i, r) in file.region.into_iter().enumerate() {
            for place in &r.places {
                let words: Vec<Word> = place
                    .split_whitespace()
                    .map(|w| match w.strip_suffix('*') {
                        Some(stem) => Word::Stem(fold_str(stem)),
                        None => Word::Exact(fold_str(w)),
                    })
                    .collect();
                match words.first() {
                    Some(Word::Exact(w)) => {
                        g.by_word.entry(w.clone()).or_default().push((words, i))
                    }
                    Some(Word::Stem(s)) if s.chars().count() >= 3 => g.by_stem.push((words, i)),
                    _ => {
                        return Err(GazetteerError(format!(
                            "{}: place {place:?} needs a word or a stem of three letters",
                            r.code
                        )));
                    }
                }
            }
            g.regions.push(Region {
                code: r.code,
                ru: r.ru,
                kk: r.kk,
                en: r.en,
            });
        }
        Ok(g)
    }

    /// Every region, in the file's order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The region with this code.
    pub fn region(&self, code: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The regions `text` names, each once, in order of first mention.
    pub fn regions_of(&self, text: &str) -> Vec<&Region> {
        let folded = fold_str(text);
        let tokens: Vec<&str> = tokenize(&folded).into_iter().map(|r| &folded[r]).collect();
        let mut found: Vec<usize> = Vec::new();
        let mut at = 0;
        while at < tokens.len() {
            let rest = &tokens[at..];
            let candidates = self
                .by_word
                .get(rest[0])
                .into_iter()
                .flatten()
                .chain(self.by_stem.iter());
            let best = candidates
                .filter(|(words, _)| {
                    words.len() <= rest.len() && words.iter().zip(rest).all(|(w, t)| w.matches(t))
                })
                .max_by_key(|(words, _)| words.len());
            match best {
                Some((words, region)) => {
                    if !found.contains(region) {
                        found.push(*region);
                    }
                    at += words.len();
                }
                None => at += 1,
            }
        }
        found.into_iter().map(|i| &self.regions[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        Gazetteer::builtin()
            .regions_of(text)
            .into_iter()
            .map(|r| r.code.as_str())
            .collect()
    }

    #[test]
    fn the_shipped_file_loads_with_every_region() {
        let g = Gazetteer::parse(BUILTIN).unwrap();
        assert_eq!(g.regions().len(), 20);
        let mut seen: Vec<&str> = g.regions().iter().map(|r| r.code.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 20, "codes are unique");
    }

    #[test]
    fn cities_and_regions_are_told_apart_in_three_languages() {
        assert_eq!(codes("Работа в Алматы, жильё рядом"), ["KZ-75"]);
        assert_eq!(codes("Алматинская область, г. Қонаев"), ["KZ-19"]);
        assert_eq!(codes("Алматы облысы бойынша жұмыс"), ["KZ-19"]);
        assert_eq!(codes("Жезқазғанға қыздар керек"), ["KZ-62"]);
        assert_eq!(codes("Өскемен мен Семейде"), ["KZ-63"]);
        assert_eq!(
            codes("Hostess job, Astana and Shymkent"),
            ["KZ-71", "KZ-79"]
        );
        assert_eq!(codes("Западно-Казахстанская область, Уральск"), ["KZ-27"]);
        assert_eq!(codes("ҚАРАҒАНДЫ, Темиртау"), ["KZ-35"]);
    }

    #[test]
    fn common_words_and_foreign_places_name_no_region() {
        assert!(codes("Для семей с детьми, работа в Дубае").is_empty());
        assert!(codes("Oral agreement, Turkey, Korea").is_empty());
        assert!(codes("").is_empty());
    }
}
