//! The red flags' thresholds as a file the analyst edits
//! (`<data-dir>/money.toml`), checked on load with line-numbered errors.
//!
//! ```toml
//! [fan_in]
//! window_hours = 24
//! min_senders = 5
//!
//! [pass_through]
//! window_hours = 6
//! share = 0.8
//! min_arrivals = 3
//!
//! [structuring]
//! margin = 0.1
//! min_count = 3
//! window_days = 7
//!
//! [peel_chain]
//! min_hops = 3
//! min_share = 0.7
//!
//! [exposure]
//! max_hops = 2
//!
//! [thresholds]      # per asset, as decimal text
//! KZT = "1000000"
//! USDT = "1000"
//! ```
//!
//! Every key is optional; what is left out keeps its default.

use std::collections::BTreeMap;

use chrono::Duration;
use serde::Deserialize;

use crate::amount::Amount;
use crate::flags::FlagConfig;

/// A configuration that does not load.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}:{line}:{column}: {message}")]
pub struct ConfigError {
    /// The file's name, for the message.
    pub source_name: String,
    /// Line (1-based).
    pub line: usize,
    /// Column (1-based, in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    fan_in: FanIn,
    #[serde(default)]
    pass_through: PassThrough,
    #[serde(default)]
    structuring: Structuring,
    #[serde(default)]
    peel_chain: PeelChain,
    #[serde(default)]
    exposure: Exposure,
    #[serde(default)]
    thresholds: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PeelChain {
    min_hops: Option<usize>,
    min_share: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Exposure {
    max_hops: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FanIn {
    window_hours: Option<u32>,
    min_senders: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PassThrough {
    window_hours: Option<u32>,
    share: Option<f64>,
    min_arrivals: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Structuring {
    margin: Option<f64>,
    min_count: Option<usize>,
    window_days: Option<u32>,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Where a key is written, for errors found after parsing.
fn position_of(text: &str, key: &str) -> usize {
    text.lines()
        .scan(0, |offset, l| {
            let here = *offset;
            *offset += l.len() + 1;
            Some((here, l))
        })
        .find(|(_, l)| {
            l.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |(at, l)| at + (l.len() - l.trim_start().len()))
}

impl FlagConfig {
    /// Reads the thresholds from the text of `money.toml` (named
    /// `source_name` in errors), on top of the defaults.
    pub fn from_toml(text: &str, source_name: &str) -> Result<FlagConfig, ConfigError> {
        let fail = |offset: usize, message: String| {
            let (line, column) = line_col(text, offset);
            ConfigError {
                source_name: source_name.to_owned(),
                line,
                column,
                message,
            }
        };
        let file: File = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            fail(offset, e.message().trim().to_owned())
        })?;
        let mut config = FlagConfig::default();
        let positive = |v: usize, key: &str| {
            if v == 0 {
                Err(fail(
                    position_of(text, key),
                    format!("{key} must be at least 1"),
                ))
            } else {
                Ok(v)
            }
        };
        let share = |v: f64, key: &str| {
            if (0.0..=1.0).contains(&v) && v > 0.0 {
                Ok(v)
            } else {
                Err(fail(
                    position_of(text, key),
                    format!("{key} must be above 0 and at most 1"),
                ))
            }
        };
        if let Some(h) = file.fan_in.window_hours {
            positive(h as usize, "window_hours")?;
            config.fan_in_window = Duration::hours(i64::from(h));
        }
        if let Some(n) = file.fan_in.min_senders {
            config.fan_in_min_senders = positive(n, "min_senders")?;
        }
        if let Some(h) = file.pass_through.window_hours {
            positive(h as usize, "window_hours")?;
            config.pass_through_window = Duration::hours(i64::from(h));
        }
        if let Some(s) = file.pass_through.share {
            config.pass_through_share = share(s, "share")?;
        }
        if let Some(n) = file.pass_through.min_arrivals {
            config.pass_through_min_arrivals = positive(n, "min_arrivals")?;
        }
        if let Some(m) = file.structuring.margin {
            config.structuring_margin = share(m, "margin")?;
        }
        if let Some(n) = file.structuring.min_count {
            config.structuring_min_count = positive(n, "min_count")?;
        }
        if let Some(d) = file.structuring.window_days {
            positive(d as usize, "window_days")?;
            config.structuring_window = Duration::days(i64::from(d));
        }
        if let Some(n) = file.peel_chain.min_hops {
            config.peel_min_hops = positive(n, "min_hops")?;
        }
        if let Some(s) = file.peel_chain.min_share {
            config.peel_min_share = share(s, "min_share")?;
        }
        if let Some(n) = file.exposure.max_hops {
            config.exposure_max_hops = positive(n, "max_hops")?;
        }
        for (asset, text_value) in &file.thresholds {
            let amount = Amount::parse(text_value)
                .ok()
                .filter(|a| !a.is_negative() && *a != Amount::ZERO)
                .ok_or_else(|| {
                    fail(
                        position_of(text, asset),
                        format!("threshold {asset} = {text_value:?} is not a positive amount"),
                    )
                })?;
            config.thresholds.insert(asset.to_uppercase(), amount);
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_overrides_defaults_and_errors_name_their_line() {
        let c = FlagConfig::from_toml(
            "[fan_in]\nmin_senders = 8\n\n[thresholds]\nKZT = \"7 000 000\"\nrub = \"600000\"\n",
            "money.toml",
        )
        .unwrap();
        assert_eq!(c.fan_in_min_senders, 8);
        assert_eq!(c.fan_in_window, Duration::hours(24), "default kept");
        assert_eq!(c.thresholds["KZT"], Amount::from_units(7_000_000));
        assert_eq!(c.thresholds["RUB"], Amount::from_units(600_000));
        assert_eq!(
            c.thresholds["USDT"],
            Amount::from_units(1_000),
            "default kept"
        );
        let err = |t: &str| {
            FlagConfig::from_toml(t, "money.toml")
                .unwrap_err()
                .to_string()
        };
        assert!(
            err("[fan_in]\nmin_sender = 8\n").starts_with("money.toml:2:1:"),
            "{}",
            err("[fan_in]\nmin_sender = 8\n")
        );
        assert!(
            err("[pass_through]\nwindow_hours = 6\nshare = 1.5\n")
                .starts_with("money.toml:3:1: share")
        );
        assert!(
            err("[thresholds]\n\nKZT = \"lots\"\n").starts_with("money.toml:3:1: threshold KZT")
        );
        assert!(err("[structuring]\nmin_count = 0\n").contains("min_count must be at least 1"));
        assert!(err("[fan_in\n").starts_with("money.toml:1:"));
        let c = FlagConfig::from_toml(
            "[peel_chain]\nmin_hops = 4\n[exposure]\nmax_hops = 1\n",
            "m",
        )
        .unwrap();
        assert_eq!((c.peel_min_hops, c.exposure_max_hops), (4, 1));
        assert!(err("[peel_chain]\nmin_share = 0\n").starts_with("money.toml:2:1: min_share"));
    }
}
