//! Charts drawn on the server as SVG: no chart library to vendor, nothing
//! to run in the browser, the same picture on a projector and in a
//! screenshot kept with the CI run. Every chart carries its numbers as a
//! table too, for screen readers and for people who would rather read.

use maud::{Markup, html};

/// Columns of stacked counts: one column per period, one colour per series.
#[derive(Debug, Default)]
pub struct Stacked {
    /// Column labels (periods), left to right.
    pub columns: Vec<String>,
    /// Series names (shown in the legend), in stacking order.
    pub series: Vec<String>,
    /// `counts[column][series]`.
    pub counts: Vec<Vec<u64>>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 8.0;

/// How many colours the stylesheet defines (`.series-0` …).
pub const PALETTE: usize = 8;

impl Stacked {
    /// The chart as SVG with a legend and its data table; `caption`
    /// names it for assistive technology.
    pub fn render(&self, caption: &str, empty: &str) -> Markup {
        let totals: Vec<u64> = self.counts.iter().map(|c| c.iter().sum()).collect();
        let max = totals.iter().copied().max().unwrap_or(0);
        if max == 0 {
            return html! { p.empty { (empty) } };
        }
        let plot_w = WIDTH - LEFT;
        let plot_h = HEIGHT - BOTTOM - TOP;
        let n = self.columns.len().max(1) as f64;
        let slot = plot_w / n;
        let bar = (slot * 0.7).max(2.0);
        let scale = plot_h / max as f64;
        let ticks = nice_ticks(max);
        html! {
            figure.chart {
                svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(caption) {
                    @for t in &ticks {
                        @let y = TOP + plot_h - *t as f64 * scale;
                        line.grid x1=(LEFT) x2=(WIDTH) y1=(fmt(y)) y2=(fmt(y)) {}
                        text.tick x=(LEFT - 4.0) y=(fmt(y + 4.0)) text-anchor="end" { (t) }
                    }
                    @for (i, column) in self.counts.iter().enumerate() {
                        @let x = LEFT + i as f64 * slot + (slot - bar) / 2.0;
                        @let mut y = TOP + plot_h;
                        @for (s, count) in column.iter().enumerate() {
                            @if *count > 0 {
                                @let h = *count as f64 * scale;
                                @let top = { y -= h; y };
                                rect class={ "series-" (s % PALETTE) } x=(fmt(x)) y=(fmt(top)) width=(fmt(bar)) height=(fmt(h)) {
                                    title { (self.columns[i]) " · " (self.series[s]) ": " (count) }
                                }
                            }
                        }
                        @if self.columns.len() <= 16 || i % 2 == 0 {
                            text.label x=(fmt(x + bar / 2.0)) y=(fmt(HEIGHT - 8.0)) text-anchor="middle" { (self.columns[i]) }
                        }
                    }
                }
                figcaption {
                    ul.legend {
                        @for (s, name) in self.series.iter().enumerate() {
                            li { span class={ "swatch series-" (s % PALETTE) } {} (name) }
                        }
                    }
                }
                details {
                    summary { (caption) }
                    table {
                        thead { tr { th {} @for name in &self.series { th { (name) } } } }
                        tbody {
                            @for (i, column) in self.counts.iter().enumerate() {
                                tr { th { (self.columns[i]) } @for c in column { td { (c) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Horizontal bars of labelled counts, largest first.
pub fn ranking(items: &[(String, u64)], caption: &str) -> Markup {
    let max = items.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1);
    html! {
        table.ranking aria-label=(caption) {
            tbody {
                @for (label, count) in items {
                    tr {
                        th scope="row" { (label) }
                        td.bar { span style={ "width:" (count * 100 / max) "%" } {} }
                        td.num { (count) }
                    }
                }
            }
        }
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// Up to five round values from 0 to `max` for grid lines.
fn nice_ticks(max: u64) -> Vec<u64> {
    let raw = (max as f64 / 4.0).max(1.0);
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(raw) as u64;
    let step = step.max(1);
    (0..=max).step_by(step as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(1), vec![0, 1]);
        assert_eq!(nice_ticks(9), vec![0, 5]);
        assert_eq!(nice_ticks(40), vec![0, 10, 20, 30, 40]);
        assert_eq!(nice_ticks(130), vec![0, 50, 100]);
    }

    #[test]
    fn stacked_chart_draws_one_rect_per_nonzero_count_and_a_table() {
        let chart = Stacked {
            columns: vec!["w1".into(), "w2".into()],
            series: vec!["a".into(), "b".into()],
            counts: vec![vec![2, 0], vec![1, 3]],
        };
        let svg = chart.render("Flags", "none").into_string();
        assert_eq!(svg.matches("<rect").count(), 3, "{svg}");
        assert!(svg.contains("w2 · b: 3"), "{svg}");
        assert!(svg.contains("<td>3</td>"), "{svg}");
        let empty = Stacked::default()
            .render("Flags", "nothing yet")
            .into_string();
        assert!(empty.contains("nothing yet") && !empty.contains("<svg"));
    }
}
