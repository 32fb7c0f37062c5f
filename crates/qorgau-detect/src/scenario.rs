//! The recruitment and exploitation scenarios a document is scored for.

use serde::{Deserialize, Serialize, Serializer};

/// One of the ways the crime shows up online (study, section 3). Every score
/// and every flag names one, so an analyst knows which checklist to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// Jobs abroad (UAE, Turkey, Korea, Russia…) and deceptive relocation
    /// jobs at home.
    EmploymentAbroad,
    /// Model agencies, "portfolio" fees, video chat, webcam studios,
    /// "online earnings".
    ModelingWebcam,
    /// Romantic lures and grooming, mostly in private chats.
    RomanceGrooming,
    /// Client-facing escort and "massage" ads, mirror-domain notices and the
    /// control rules given to the women.
    EscortServices,
    /// Threats to publish intimate images unless the victim pays or sends
    /// more, and the leak channels that carry them out.
    Sextortion,
}

impl Scenario {
    /// All scenarios in output order, so scores are always listed alike.
    pub const ALL: [Scenario; 5] = [
        Scenario::EmploymentAbroad,
        Scenario::ModelingWebcam,
        Scenario::RomanceGrooming,
        Scenario::EscortServices,
        Scenario::Sextortion,
    ];

    /// The identifier used in lexicon files and in `qorgau scan` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::EmploymentAbroad => "employment_abroad",
            Scenario::ModelingWebcam => "modeling_webcam",
            Scenario::RomanceGrooming => "romance_grooming",
            Scenario::EscortServices => "escort_services",
            Scenario::Sextortion => "sextortion",
        }
    }

    /// Position in [`Scenario::ALL`]; indexes per-scenario arrays.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What a lexicon entry speaks to: a scenario, the cross-cutting sign that a
/// minor is involved, or context that only other entries rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Evidence for one scenario.
    Scenario(Scenario),
    /// Evidence that a minor is targeted or involved.
    MinorInvolved,
    /// Context only (e.g. "girls", a contact request): scores nothing by
    /// itself but satisfies `requires` and combinations.
    Context,
    /// A warning, news or licensed-business sign that lowers scores.
    Dampener,
}

impl Target {
    /// Parses the `scenario` value of a lexicon entry.
    pub fn parse(s: &str) -> Option<Target> {
        Some(match s {
            "employment_abroad" => Target::Scenario(Scenario::EmploymentAbroad),
            "modeling_webcam" => Target::Scenario(Scenario::ModelingWebcam),
            "romance_grooming" => Target::Scenario(Scenario::RomanceGrooming),
            "escort_services" => Target::Scenario(Scenario::EscortServices),
            "sextortion" => Target::Scenario(Scenario::Sextortion),
            "minor_involved" => Target::MinorInvolved,
            "context" => Target::Context,
            "dampener" => Target::Dampener,
            _ => return None,
        })
    }

    /// The identifier shown in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Scenario(s) => s.as_str(),
            Target::MinorInvolved => "minor_involved",
            Target::Context => "context",
            Target::Dampener => "dampener",
        }
    }
}

impl Serialize for Target {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Serialises an optional scenario as its id, or `"none"`.
pub(crate) fn serialize_opt_scenario<S: Serializer>(
    v: &Option<Scenario>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.map_or("none", Scenario::as_str))
}
