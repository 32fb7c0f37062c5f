//! Victims in Qorgau: screening with the digital block the study asks for,
//! consent per disclosure, and sealing of victims' personal data.
//!
//! The study (4.3, 5.1, 5.2) finds that the 2023 identification Criteria do
//! not see digital coercion — sextortion, online threats, remote
//! exploitation, control through technology — and asks for a digital block
//! and for referral to special social services even without a criminal
//! case. The domain brief adds that victim data is need-to-know. This crate
//! holds the rules for both; it does no I/O except reading and writing the
//! key file, and knows nothing of HTTP or SQL.
//!
//! * [`ScreeningConfig`] — the form as data (`data/screening.default.toml`),
//!   checked on load with file:line:column errors; [`ScreeningConfig::screen`]
//!   gives a [`ScreeningResult`] that explains itself and, when positive, a
//!   [`ReferralNeed`] that needs no criminal case; a [`ChildRightsFlag`] for
//!   minors.
//! * [`consent`] — [`Consent`] per disclosure, [`coverage`] and
//!   [`authorise`], with [`Override`] records for the audit log.
//! * [`keys`], [`seal`] — the key outside the database (file 0600, key id,
//!   rotation) and the XChaCha20-Poly1305 format bound to the record id.
//! * [`VictimRecord`] — facts in the clear, personal data sealed; the
//!   [`SealedVictim`] view for roles without access.

#![deny(missing_docs)]

mod age;
pub mod consent;
mod error;
pub mod keys;
mod record;
pub mod screening;
pub mod seal;
mod text;

pub use age::{AGE_OF_MAJORITY, AgeBand, MinorStatus, full_years};
pub use consent::{
    Authorisation, Consent, ConsentDraft, ConsentError, ConsentMethod, ConsentState, Coverage,
    DataCategory, DisclosureRefused, DisclosureRequest, NotCovered, Override, OverridePolicy,
    OverrideRequest, Purpose, Recipient, Withdrawal, authorise, coverage,
};
pub use error::{LoadError, LoadErrorKind, LoadErrors};
pub use keys::{KeyError, KeyId, KeyRing, VictimKey};
#[cfg(unix)]
pub use keys::{create_key_file, load_key_file};
pub use record::{
    Contact, ContactKind, IdentityDocument, Names, PERSONAL_CATEGORIES, PersonalData,
    PersonalDataAccess, PersonalView, ReferralStatus, SealedVictim, VictimFacts, VictimRecord,
    VictimView,
};
pub use screening::{
    Answer, Basis, ChildRightsFlag, Contribution, DEFAULT_SCREENING, Group, Indicator, Outcome,
    ReferralNeed, ScreeningConfig, ScreeningError, ScreeningInput, ScreeningResult, Thresholds,
};
pub use seal::{Rotation, SealError};
pub use text::{Lang, Texts};
