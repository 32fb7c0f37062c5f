//! FATF Travel Rule data in the IVMS101 format: reading it and checking it
//! against the standard.
//!
//! Following the money from an exploitation case through an exchange leads
//! to the Travel Rule message the exchange sent or received with the
//! transfer: who the originator and beneficiary were, which VASPs, which
//! intermediaries. Those messages use the interVASP Messaging Standard
//! IVMS101. An investigator who gets one from a VASP (or in a response to a
//! production order) needs to read it and to know whether it is complete and
//! well formed, because a payload that breaks the standard is itself a lead:
//! a missing legal name, an LEI that does not exist, an originator with no
//! identifying detail.
//!
//! - [`parse()`] reads bytes into an [`IdentityPayload`]; it fails only on
//!   JSON it cannot read at all, with the path of the bad value
//!   ([`ParseError`]).
//! - [`validate()`] reports **every** problem as a [`Violation`]: JSON path,
//!   machine [`ViolationCode`], the IVMS101 [`Constraint`] (C1–C12) where one
//!   applies, and a sentence. Multiplicities, datatypes (lengths, Latin
//!   script), code lists, ISO 3166-1 countries ([`country`]) and ISO 17442
//!   LEIs ([`lei`]) are checked, and the constraints as the [`mod@validate`]
//!   module documents them.
//! - [`check()`] does both; it is what `qorgau money ivms101 FILE` calls.
//!
//! # Editions
//!
//! IVMS 101.2023 (August 2023) is the edition this crate is written for;
//! 2020 payloads are read too, since the 2023 edition keeps them valid by
//! giving them a version code of their own (`payloadVersion` `101`). From
//! the two published texts, the 2023 edition changed: `originatorPersons` →
//! `originatorPerson`, `beneficiaryPersons` → `beneficiaryPerson`;
//! `accountNumber` moved from the originator and beneficiary into each
//! `Person` and grew from Max100Text to Max512Text; a natural person's
//! `nameIdentifierType` → `naturalPersonNameIdentifierType` (not in local
//! names); a legal person's `customerNumber` → `customerIdentification`;
//! `payloadMetadata.payloadVersion` (`101` or `101.2023`) is new and
//! required; text datatypes allow printable ASCII instead of only letters,
//! digits, apostrophe and space; a natural person's `name` went from
//! `[1..n]` to `[1..1]` (read as one object in both, as every implementation
//! found writes it), and two slips in element definitions were aligned with
//! the structure tables (a legal person's `geographicAddress` `[0..n]`, a
//! local legal name `[1..1]`). The constraints C1–C12 kept their meaning. [`model`] lists what is read and
//! how; the [`mod@validate`] module how a payload's edition is decided and how the
//! constraints are read.
//!
//! # Independent check
//!
//! The tests compare verdicts with the `ivms101` npm package 2.0.0
//! (Notabene; Zod schemas for both editions, C1–C12), run with Node on the
//! same fixtures and on our own re-serialisation of them. The crates.io
//! crate `tap-ivms101` 0.7.0 was considered first and rejected: its JSON is
//! not the standard's (codes such as `LEGAL_NAME` instead of `LEGL`,
//! `nameIdentifiers`), it does not check LEI check digits or country codes
//! against ISO 3166-1 (both are `TODO`s in its source), and it pulls in
//! `tap-msg` with `rand`, `uuid`, `tracing` and proc macros. Where the npm
//! package and this crate disagree, the test names the fixture and the
//! reason (the package checks neither LEI check digits, text lengths nor
//! character sets; it requires `townName`; it applies C1 and C4 to every
//! person; it forbids RAID and LEIX for natural persons and allows FIIN for
//! legal ones, none of which the standard says; it reads `originatingVASP`
//! as a `Person` without the standard's nesting, so it never looks inside
//! the VASPs).
//!
//! TRISA's published samples (`pkg/ivms101/testdata` of trisacrypto/trisa)
//! are checked by `tests/trisa.rs` from a checkout named by
//! `QORGAU_IVMS101_TRISA_DIR`, against the expectations of TRISA's own Go
//! tests; the npm package agrees with us on its three identity payloads.

pub mod codes;
pub mod country;
pub mod datatype;
pub mod lei;
pub mod model;
pub mod parse;
pub mod validate;
pub mod violation;

pub use codes::{Code, CodeList};
pub use model::IdentityPayload;
pub use parse::{ParseError, ParseErrorKind, parse};
pub use validate::{validate, validate_on};
pub use violation::{Constraint, Edition, Report, Violation, ViolationCode};

/// Reads and validates a payload in one step: the CLI's entry point.
///
/// # Errors
/// [`ParseError`] when the bytes cannot be read as a payload at all; a
/// payload that can be read but breaks the standard is an `Ok` [`Report`]
/// with violations.
pub fn check(bytes: &[u8]) -> Result<Report, ParseError> {
    parse(bytes).map(|payload| validate(&payload))
}
