//! Following the money (issue 6): accounts, transfers and the files they
//! come from.
//!
//! Small "prepayments", "gifts" and "portfolio fees" go to dropper cards and
//! crypto wallets (study sections 2.3.3, 3.5). This crate turns the files an
//! analyst gets — block-explorer exports, bank statements — into
//! [`Transfer`]s between canonical [`AccountRef`]s (the same card or wallet
//! the detection engine extracts from ads, so money links to ads by value),
//! with exact [`Amount`]s. It does no I/O of its own beyond reading what it
//! is handed: storage and the command line sit at the edges.

pub mod amount;
pub mod bins;
pub mod bitcoin;
pub mod config;
pub mod flags;
pub mod flow;
pub mod import;
pub mod labels;
pub mod model;
pub mod scope;

pub use amount::{Amount, AmountError};
pub use bitcoin::{BtcInput, BtcOutput, BtcTx};
pub use config::ConfigError;
pub use flags::{Flag, FlagConfig, FlagKind, fan_in, pass_through, structuring};
pub use import::{ColumnMap, Format, ImportError, MapError, ReadCounts, RowError, read_transfers};
pub use model::{AccountKind, AccountRef, SourceFormat, Transfer, chain_name};
pub use scope::all_flags;
