//! The exporter trait and the registry of exporters by name.
//!
//! FIUs and partners take reports in different forms (goAML XML at the
//! FIU, JSON for our own tools and archives, tomorrow perhaps a national
//! form); each is one [`StrExporter`] and the command line offers whatever
//! the [`Registry`] holds (`--format json|goaml`), so a new form is one
//! more `register` call, not a change to every caller.

use std::io::Write;

use crate::error::ExportError;
use crate::goaml::{GoamlExporter, GoamlProfile};
use crate::json::JsonExporter;
use crate::report::SuspiciousReport;

/// One way of writing a report.
pub trait StrExporter: Send + Sync {
    /// The name the command line knows it by (`json`, `goaml`).
    fn name(&self) -> &'static str;
    /// The IANA media type of what it writes, for HTTP downloads.
    fn media_type(&self) -> &'static str;
    /// File extension without the dot, for saved files.
    fn file_extension(&self) -> &'static str;
    /// Writes `report` to `out`. Nothing is written when the report cannot
    /// be exported: the error comes before the first byte, so a failed
    /// export never leaves half a file that looks like a report.
    fn export(&self, report: &SuspiciousReport, out: &mut dyn Write) -> Result<(), ExportError>;
}

/// What the built-in exporters need beyond the report: settings of the
/// deployment, not of a case.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSettings {
    /// The FIU's goAML lookup codes.
    pub goaml: GoamlProfile,
}

/// The exporters on offer, by name, in the order registered.
pub struct Registry {
    exporters: Vec<Box<dyn StrExporter>>,
}

impl Registry {
    /// An empty registry.
    pub fn empty() -> Registry {
        Registry {
            exporters: Vec::new(),
        }
    }

    /// The built-in exporters: `json`, then `goaml`.
    pub fn builtin(settings: &ExportSettings) -> Registry {
        let mut r = Registry::empty();
        r.register(Box::new(JsonExporter));
        r.register(Box::new(GoamlExporter::new(settings.goaml.clone())));
        r
    }

    /// Adds an exporter; one of the same name is replaced, so a deployment
    /// can swap a built-in for its own.
    pub fn register(&mut self, exporter: Box<dyn StrExporter>) {
        match self
            .exporters
            .iter_mut()
            .find(|e| e.name() == exporter.name())
        {
            Some(slot) => *slot = exporter,
            None => self.exporters.push(exporter),
        }
    }

    /// The exporter called `name`, or an error listing the names there are.
    pub fn get(&self, name: &str) -> Result<&dyn StrExporter, ExportError> {
        self.exporters
            .iter()
            .find(|e| e.name() == name)
            .map(|e| e.as_ref())
            .ok_or_else(|| ExportError::UnknownFormat {
                name: name.to_owned(),
                known: self.names().join(", "),
            })
    }

    /// The names on offer, for `--format` help and value checks.
    pub fn names(&self) -> Vec<&'static str> {
        self.exporters.iter().map(|e| e.name()).collect()
    }

    /// All exporters.
    pub fn iter(&self) -> impl Iterator<Item = &dyn StrExporter> {
        self.exporters.iter().map(|e| e.as_ref())
    }
}

/// The built-in exporters (see [`Registry::builtin`]).
pub fn exporters(settings: &ExportSettings) -> Vec<Box<dyn StrExporter>> {
    Registry::builtin(settings).exporters
}

/// The built-in exporter called `name`.
pub fn exporter(
    name: &str,
    settings: &ExportSettings,
) -> Result<Box<dyn StrExporter>, ExportError> {
    let registry = Registry::builtin(settings);
    let known = registry.names().join(", ");
    registry
        .exporters
        .into_iter()
        .find(|e| e.name() == name)
        .ok_or_else(|| ExportError::UnknownFormat {
            name: name.to_owned(),
            known,
        })
}
