//! Suspicious-transaction reports (STR) from a case's money trail.
//!
//! When the money behind recruitment fraud runs through dropper cards and
//! wallets, the agency that found it tells the financial intelligence unit
//! (in Kazakhstan the AFM) so that banks' and VASPs' records can be joined
//! to it. This crate holds the report an analyst fills from a case
//! ([`SuspiciousReport`], built from `qorgau-money`'s transfers and red
//! flags) and writes it through pluggable [`StrExporter`]s: a versioned
//! JSON form ([`json`]) and goAML XML ([`goaml`]), the UNODC format FIUs
//! take. Exporters invent nothing: what a format needs and the report
//! lacks is an [`ExportError`] naming the field. No I/O beyond the writer
//! it is handed, no network: conversion rates are part of the report.

pub mod convert;
pub mod error;
pub mod exporter;
pub mod goaml;
pub mod json;
pub mod report;

pub use error::ExportError;
pub use exporter::{ExportSettings, Registry, StrExporter, exporter, exporters};
pub use goaml::{GoamlExporter, GoamlProfile};
pub use json::JsonExporter;
pub use report::{
    AccountRole, Address, ContactOfficer, Holder, HolderKind, Indicator, Institution, Rate,
    ReportAccount, ReportTransfer, ReportingEntity, SuspiciousReport, Window,
};
