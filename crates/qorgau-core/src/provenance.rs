//! Who did something and with which tool: the two facts every custody entry needs.
//!
//! A court asks "who seized this, when, with what" (study section 5.3). The
//! operating-system account is not enough on a shared workstation, so the
//! operator can be named explicitly; the host and tool version are recorded
//! because a protocol must name the software used.

use serde::{Deserialize, Serialize};

/// The person (and machine) behind an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The operator's user name.
    pub user: String,
    /// The host name of the machine the action ran on.
    pub host: String,
}

/// The software that performed an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// Program name, e.g. `qorgau`.
    pub name: String,
    /// Program version, e.g. `0.1.0`.
    pub version: String,
}

impl Tool {
    /// This build of Qorgau.
    pub fn qorgau() -> Self {
        Self {
            name: "qorgau".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}
