//! Arguments of a text.

use fluent_bundle::{FluentArgs, FluentValue};

/// Named arguments of a text: strings or numbers. Numbers select plural
/// forms (`{ $count -> [one] … [few] … *[many] … }`) by the CLDR rules of the
/// language, so pass counts as numbers, not as formatted strings.
#[derive(Debug, Default)]
pub struct Args<'a>(pub(crate) FluentArgs<'a>);

impl<'a> Args<'a> {
    /// No arguments.
    pub fn new() -> Self {
        Self(FluentArgs::new())
    }

    /// Adds (or replaces) argument `name`; chainable.
    pub fn with(mut self, name: &'a str, value: impl Into<FluentValue<'a>>) -> Self {
        self.0.set(name, value);
        self
    }

    /// Adds (or replaces) argument `name`.
    pub fn set(&mut self, name: &'a str, value: impl Into<FluentValue<'a>>) {
        self.0.set(name, value);
    }
}
