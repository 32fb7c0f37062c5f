//! Case counts by article, year and region (study 4.1) with small counts
//! suppressed, so a published table cannot point at a victim in a region
//! where there were one or two cases.
//!
//! The table has one row per (article, year) and one column per region.
//! Cells with `0 < count < k` are suppressed (primary suppression). Because
//! official totals per article and year, or per region, are published
//! elsewhere, a lone suppressed cell in a row or column could be recovered by
//! subtraction; so whenever a row or column has exactly one suppressed cell,
//! its smallest remaining cell is suppressed too (secondary suppression,
//! non-zero cells first), repeated until no row or column has exactly one.
//! The table's own totals are sums of published cells only and are marked
//! partial where anything was suppressed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// One case, as counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    /// Article (and part) of the Criminal Code, e.g. `128` or `309`.
    pub article: String,
    /// Year of registration.
    pub year: i32,
    /// Region code or name.
    pub region: String,
}

/// One published cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Cell {
    /// The count.
    Published {
        /// Number of cases.
        count: u64,
    },
    /// Withheld. Primary and secondary suppression look the same, so the
    /// marker itself does not reveal which cells are small.
    Suppressed,
}

/// A row or column total computed from published cells only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total {
    /// Sum of the published cells.
    pub published: u64,
    /// Some cells of this line were suppressed, so the true total is larger
    /// or equal; shown as `>=N`.
    pub partial: bool,
}

/// One (article, year) row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    /// Article.
    pub article: String,
    /// Year.
    pub year: i32,
    /// One cell per region, in the order of [`StatTable::regions`].
    pub cells: Vec<Cell>,
    /// Row total.
    pub total: Total,
}

/// The suppressed table, safe to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatTable {
    /// The threshold used.
    pub k: u64,
    /// Column headings (regions), sorted.
    pub regions: Vec<String>,
    /// Rows sorted by article (numerically) and year.
    pub rows: Vec<StatRow>,
    /// One total per region.
    pub column_totals: Vec<Total>,
    /// Total of all published cells.
    pub grand_total: Total,
    /// How many cells were below `k`.
    pub primary_suppressed: usize,
    /// How many more were suppressed to protect them.
    pub secondary_suppressed: usize,
}

/// Why a table could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatError {
    /// `k` must be at least 1.
    #[error("k must be at least 1, not {0}")]
    BadK(u64),
    /// An input row has a blank field.
    #[error("input row {row}: {field} is empty")]
    Empty {
        /// 0-based index of the row.
        row: usize,
        /// The field.
        field: &'static str,
    },
}

/// Sort key putting "9" before "128" and "128" before "128-1".
fn article_key(a: &str) -> (u64, String) {
    let digits: String = a.chars().take_while(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), a.to_string())
}

/// The cell to suppress beside a lone suppressed one: smallest non-zero
/// published cell, else a zero cell; ties go to the first.
fn complement(cells: impl Iterator<Item = (usize, u64, bool)>) -> Option<usize> {
    cells
        .filter(|(_, _, suppressed)| !suppressed)
        .min_by_key(|(i, c, _)| (*c == 0, *c, *i))
        .map(|(i, _, _)| i)
}

/// Builds the table with cells below `k` suppressed and protected.
pub fn suppressed_table(rows: &[CaseRow], k: u64) -> Result<StatTable, StatError> {
    if k == 0 {
        return Err(StatError::BadK(k));
    }
    let mut counts: BTreeMap<((u64, String), i32), BTreeMap<String, u64>> = BTreeMap::new();
    let mut regions = BTreeSet::new();
    for (i, r) in rows.iter().enumerate() {
        let (article, region) = (r.article.trim(), r.region.trim());
        if article.is_empty() {
            return Err(StatError::Empty {
                row: i,
                field: "article",
            });
        }
        if region.is_empty() {
            return Err(StatError::Empty {
                row: i,
                field: "region",
            });
        }
        regions.insert(region.to_string());
        *counts
            .entry((article_key(article), r.year))
            .or_default()
            .entry(region.to_string())
            .or_default() += 1;
    }
    let regions: Vec<String> = regions.into_iter().collect();
    let keys: Vec<_> = counts.keys().cloned().collect();
    let grid: Vec<Vec<u64>> = counts
        .values()
        .map(|m| {
            regions
                .iter()
                .map(|g| m.get(g).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    let (nr, nc) = (grid.len(), regions.len());
    let mut hidden: Vec<Vec<bool>> = grid
        .iter()
        .map(|row| row.iter().map(|&c| c > 0 && c < k).collect())
        .collect();
    let primary = hidden.iter().flatten().filter(|h| **h).count();
    let mut secondary = 0;
    loop {
        let mut changed = false;
        for r in 0..nr {
            if hidden[r].iter().filter(|h| **h).count() == 1
                && let Some(c) = complement((0..nc).map(|c| (c, grid[r][c], hidden[r][c])))
            {
                hidden[r][c] = true;
                secondary += 1;
                changed = true;
            }
        }
        for c in 0..nc {
            if (0..nr).filter(|&r| hidden[r][c]).count() == 1
                && let Some(r) = complement((0..nr).map(|r| (r, grid[r][c], hidden[r][c])))
            {
                hidden[r][c] = true;
                secondary += 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let total = |cells: &mut dyn Iterator<Item = (u64, bool)>| {
        let mut t = Total {
            published: 0,
            partial: false,
        };
        for (count, h) in cells {
            if h {
                t.partial = true;
            } else {
                t.published += count;
            }
        }
        t
    };
    let out_rows = keys
        .into_iter()
        .enumerate()
        .map(|(r, ((_, article), year))| StatRow {
            article,
            year,
            cells: (0..nc)
                .map(|c| match hidden[r][c] {
                    true => Cell::Suppressed,
                    false => Cell::Published { count: grid[r][c] },
                })
                .collect(),
            total: total(&mut (0..nc).map(|c| (grid[r][c], hidden[r][c]))),
        })
        .collect();
    let column_totals = (0..nc)
        .map(|c| total(&mut (0..nr).map(|r| (grid[r][c], hidden[r][c]))))
        .collect();
    let grand_total = total(
        &mut (0..nr)
            .flat_map(|r| (0..nc).map(move |c| (r, c)))
            .map(|(r, c)| (grid[r][c], hidden[r][c])),
    );
    Ok(StatTable {
        k,
        regions,
        rows: out_rows,
        column_totals,
        grand_total,
        primary_suppressed: primary,
        secondary_suppressed: secondary,
    })
}

/// Quotes a CSV field when needed and defuses spreadsheet formulas.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn total_text(t: &Total) -> String {
    if t.partial {
        format!(">={}", t.published)
    } else {
        t.published.to_string()
    }
}

impl StatTable {
    /// The table as CSV: a header `article,year,<regions…>,total`, one line
    /// per row, then a `total` line. Suppressed cells read `suppressed`;
    /// partial totals read `>=N`.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("article,year");
        for g in &self.regions {
            out.push(',');
            out.push_str(&csv_field(g));
        }
        out.push_str(",total\n");
        for r in &self.rows {
            out.push_str(&format!("{},{}", csv_field(&r.article), r.year));
            for c in &r.cells {
                match c {
                    Cell::Published { count } => out.push_str(&format!(",{count}")),
                    Cell::Suppressed => out.push_str(",suppressed"),
                }
            }
            out.push_str(&format!(",{}\n", total_text(&r.total)));
        }
        out.push_str("total,");
        for t in &self.column_totals {
            out.push(',');
            out.push_str(&total_text(t));
        }
        out.push_str(&format!(",{}\n", total_text(&self.grand_total)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(spec: &[(&str, i32, &str, usize)]) -> Vec<CaseRow> {
        spec.iter()
            .flat_map(|(a, y, g, n)| {
                (0..*n).map(|_| CaseRow {
                    article: a.to_string(),
                    year: *y,
                    region: g.to_string(),
                })
            })
            .collect()
    }

    const P: fn(u64) -> Cell = |count| Cell::Published { count };
    const S: Cell = Cell::Suppressed;

    /// r1: 2 10 8 / r2: 6 9 12 / r3: 15 4 20, k = 3. The 2 is suppressed;
    /// row 1 then hides its smallest other cell (8), column `almaty` hides
    /// 6 and column `shymkent` hides 12: a 2×2 rectangle, each line with two.
    #[test]
    fn secondary_suppression_protects_a_lone_small_cell() {
        let input = rows(&[
            ("128", 2023, "almaty", 2),
            ("128", 2023, "astana", 10),
            ("128", 2023, "shymkent", 8),
            ("128", 2024, "almaty", 6),
            ("128", 2024, "astana", 9),
            ("128", 2024, "shymkent", 12),
            ("309", 2024, "almaty", 15),
            ("309", 2024, "astana", 4),
            ("309", 2024, "shymkent", 20),
        ]);
        let t = suppressed_table(&input, 3).unwrap();
        assert_eq!(t.regions, ["almaty", "astana", "shymkent"]);
        assert_eq!(t.rows[0].cells, [S, P(10), S]);
        assert_eq!(t.rows[1].cells, [S, P(9), S]);
        assert_eq!(t.rows[2].cells, [P(15), P(4), P(20)]);
        assert_eq!((t.primary_suppressed, t.secondary_suppressed), (1, 3));
        assert_eq!(
            t.rows[0].total,
            Total {
                published: 10,
                partial: true
            }
        );
        assert_eq!(
            t.rows[2].total,
            Total {
                published: 39,
                partial: false
            }
        );
        assert_eq!(
            t.column_totals[1],
            Total {
                published: 23,
                partial: false
            }
        );
        assert_eq!(
            t.grand_total,
            Total {
                published: 58,
                partial: true
            }
        );
        assert_eq!(
            t.to_csv(),
            "article,year,almaty,astana,shymkent,total\n\
             128,2023,suppressed,10,suppressed,>=10\n\
             128,2024,suppressed,9,suppressed,>=9\n\
             309,2024,15,4,20,39\n\
             total,,>=15,23,>=20,>=58\n"
        );
        // No row or column is left with exactly one suppressed cell.
        for r in &t.rows {
            assert_ne!(r.cells.iter().filter(|c| **c == S).count(), 1);
        }
        for c in 0..3 {
            assert_ne!(t.rows.iter().filter(|r| r.cells[c] == S).count(), 1);
        }
    }

    #[test]
    fn non_zero_cells_are_preferred_as_complements() {
        // Row: 1, 0, 7 with k = 2: the complement is 7, not the zero.
        let t = suppressed_table(
            &rows(&[
                ("135", 2024, "a", 1),
                ("135", 2024, "c", 7),
                ("309", 2024, "b", 5),
            ]),
            2,
        )
        .unwrap();
        assert_eq!(t.rows[0].cells, [S, P(0), S]);
    }

    #[test]
    fn k_one_publishes_everything_and_zero_is_refused() {
        let t = suppressed_table(&rows(&[("309", 2024, "x", 1)]), 1).unwrap();
        assert_eq!(t.rows[0].cells, [P(1)]);
        assert_eq!(suppressed_table(&[], 0), Err(StatError::BadK(0)));
        let bad = [CaseRow {
            article: " ".into(),
            year: 2024,
            region: "x".into(),
        }];
        assert_eq!(
            suppressed_table(&bad, 3),
            Err(StatError::Empty {
                row: 0,
                field: "article"
            })
        );
    }

    #[test]
    fn articles_sort_numerically_and_csv_is_escaped() {
        let t = suppressed_table(
            &rows(&[("309", 2024, "Алматы, город", 3), ("128", 2024, "=cmd", 3)]),
            1,
        )
        .unwrap();
        assert_eq!(t.rows[0].article, "128");
        let csv = t.to_csv();
        assert!(
            csv.starts_with("article,year,'=cmd,\"Алматы, город\",total\n"),
            "{csv}"
        );
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(
            json["rows"][0]["cells"][0],
            serde_json::json!({"status": "published", "count": 3})
        );
    }
}

/// A published figure: criminal cases under one article in one year, with
/// the words of the source it is taken from, so a chart can cite it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFigure {
    /// Article of the Criminal Code of RK.
    pub article: String,
    /// Year.
    pub year: i32,
    /// Cases.
    pub cases: u64,
    /// The source's words.
    pub quote: String,
}

/// Figures published elsewhere (here: the study's section 4.1), shown
/// beside the platform's own counts: the national picture the regional
/// numbers sit in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFigures {
    /// File format version.
    pub format: u32,
    /// Where the figures come from.
    pub source: String,
    /// The figures.
    #[serde(rename = "figure")]
    pub figures: Vec<PublishedFigure>,
}

impl PublishedFigures {
    /// The figures of study section 4.1 (MIA data 2021–2024), as quoted.
    pub fn study_4_1() -> Result<PublishedFigures, toml::de::Error> {
        toml::from_str(include_str!("../data/statistics-study-4-1.toml"))
    }
}

#[cfg(test)]
mod published_tests {
    use super::*;

    #[test]
    fn the_study_figures_load_and_each_is_in_its_quote() {
        let f = PublishedFigures::study_4_1().expect("the data file loads");
        assert_eq!(f.figures.len(), 4);
        for figure in &f.figures {
            assert!(
                figure.quote.contains(&figure.cases.to_string()),
                "{figure:?}: the number is in the quoted words"
            );
            assert!((2021..=2024).contains(&figure.year));
        }
    }
}
