//! What validation reports: one [`Violation`] per problem, each with the
//! JSON path of the element, a machine code and a sentence, and the
//! [`Report`] of a whole payload.
//!
//! Why paths and codes: an analyst must be able to find the element in the
//! file the VASP sent, and the CLI and any later statistics ("how many
//! payloads from exchange X lack a legal name") need a stable code rather
//! than parsing English.

use std::fmt;

use serde::Serialize;

/// The IVMS101 constraints, C1–C12, so a violation can cite the clause of
/// the standard it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Constraint {
    /// C1 OriginatorInformationNaturalPerson.
    C1,
    /// C2 DateInPast.
    C2,
    /// C3 Country.
    C3,
    /// C4 OriginatorInformationLegalPerson.
    C4,
    /// C5 LegalNamePresentLegalPerson.
    C5,
    /// C6 LegalNamePresentNaturalPerson.
    C6,
    /// C7 ValidNationalIdentifierLegalPerson.
    C7,
    /// C8 ValidAddress.
    C8,
    /// C9 CompleteNationalIdentifierLegalPerson.
    C9,
    /// C10 RegistrationAuthority.
    C10,
    /// C11 ValidLEI.
    C11,
    /// C12 sequentialIntegrity.
    C12,
}

impl Constraint {
    /// The constraint's name in the standard.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::C1 => "OriginatorInformationNaturalPerson",
            Self::C2 => "DateInPast",
            Self::C3 => "Country",
            Self::C4 => "OriginatorInformationLegalPerson",
            Self::C5 => "LegalNamePresentLegalPerson",
            Self::C6 => "LegalNamePresentNaturalPerson",
            Self::C7 => "ValidNationalIdentifierLegalPerson",
            Self::C8 => "ValidAddress",
            Self::C9 => "CompleteNationalIdentifierLegalPerson",
            Self::C10 => "RegistrationAuthority",
            Self::C11 => "ValidLEI",
            Self::C12 => "sequentialIntegrity",
        }
    }
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?} {}", self.name())
    }
}

/// The kind of problem, stable across releases: the CLI's `--json` output
/// and any filter an analyst writes depend on these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationCode {
    /// A mandatory element (multiplicity `[1..1]` or `[1..n]`) is missing or blank.
    Required,
    /// An optional text element is present but blank (text datatypes have a
    /// minimum length of 1).
    Empty,
    /// Longer than its datatype allows (Max16Text … Max512Text).
    TooLong,
    /// A Latin-script element (MaxNText) holds characters outside printable
    /// ASCII; other scripts belong in the `local…` elements.
    NotLatin,
    /// A control character (such as a line break) in a local-script element.
    ControlCharacter,
    /// A coded element holds a value not on its code list.
    InvalidCode,
    /// Not an ISO 3166-1 alpha-2 code nor `XX` (C3).
    InvalidCountry,
    /// A date not written `YYYY-MM-DD` or not on the calendar.
    InvalidDate,
    /// A date of birth today or later (C2).
    DateNotInPast,
    /// An originator without the identifying details C1/C4 ask for.
    OriginatorInformation,
    /// No name of type `LEGL` (C5/C6).
    LegalNameMissing,
    /// A legal person's identifier type other than RAID, MISC, LEIX, TXID (C7).
    LegalPersonIdentifierType,
    /// An address with neither address lines nor street and building (C8).
    InvalidAddress,
    /// More than seven address lines.
    TooManyAddressLines,
    /// A legal person's identifier with a country of issue (C9).
    CountryOfIssueNotAllowed,
    /// A legal person's non-LEI identifier without registration authority (C9).
    RegistrationAuthorityRequired,
    /// An LEI with a registration authority (C9).
    RegistrationAuthorityNotAllowed,
    /// A registration authority not of the form `RAnnnnnn` (C10).
    InvalidRegistrationAuthority,
    /// An `LEIX` identifier that is not a valid ISO 17442 LEI (C11).
    InvalidLei,
    /// Transfer-path sequence numbers that do not run 0, 1, 2… (C12).
    SequenceIntegrity,
    /// A `Number` with more than 18 digits.
    NumberTooLarge,
    /// A person that is both natural and legal, or neither.
    OneOf,
    /// Both the 2020 and the 2023 name of the same element.
    ConflictingNames,
    /// An element name of the other edition than the payload's.
    EditionMismatch,
    /// A key that is not an IVMS101 element.
    UnknownField,
}

impl ViolationCode {
    /// The code as written in JSON output, e.g. `"legal_name_missing"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Empty => "empty",
            Self::TooLong => "too_long",
            Self::NotLatin => "not_latin",
            Self::ControlCharacter => "control_character",
            Self::InvalidCode => "invalid_code",
            Self::InvalidCountry => "invalid_country",
            Self::InvalidDate => "invalid_date",
            Self::DateNotInPast => "date_not_in_past",
            Self::OriginatorInformation => "originator_information",
            Self::LegalNameMissing => "legal_name_missing",
            Self::LegalPersonIdentifierType => "legal_person_identifier_type",
            Self::InvalidAddress => "invalid_address",
            Self::TooManyAddressLines => "too_many_address_lines",
            Self::CountryOfIssueNotAllowed => "country_of_issue_not_allowed",
            Self::RegistrationAuthorityRequired => "registration_authority_required",
            Self::RegistrationAuthorityNotAllowed => "registration_authority_not_allowed",
            Self::InvalidRegistrationAuthority => "invalid_registration_authority",
            Self::InvalidLei => "invalid_lei",
            Self::SequenceIntegrity => "sequence_integrity",
            Self::NumberTooLarge => "number_too_large",
            Self::OneOf => "one_of",
            Self::ConflictingNames => "conflicting_names",
            Self::EditionMismatch => "edition_mismatch",
            Self::UnknownField => "unknown_field",
        }
    }
}

impl fmt::Display for ViolationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem in a payload, where it is and why it is one.
///
/// Displays as `path: message`, e.g.
/// `originator.originatorPerson[0].naturalPerson.name.nameIdentifier[0].primaryIdentifier: required`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON path of the element, keys joined by `.`, array indices in `[]`.
    pub path: String,
    /// What kind of problem.
    pub code: ViolationCode,
    /// The IVMS101 constraint broken, if the problem is one of C1–C12.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<Constraint>,
    /// A sentence for the analyst.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(c) = self.constraint {
            write!(f, " ({c})")?;
        }
        Ok(())
    }
}

/// The IVMS101 edition a payload was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Edition {
    /// IVMS 101 (May 2020), `payloadVersion` `101` or absent.
    #[serde(rename = "101")]
    V2020,
    /// IVMS 101.2023 (August 2023), `payloadVersion` `101.2023`.
    #[serde(rename = "101.2023")]
    V2023,
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V2020 => "IVMS 101 (2020)",
            Self::V2023 => "IVMS 101.2023",
        })
    }
}

/// Everything validation found in one payload: what a CLI prints and what
/// a case file keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The edition the payload was checked as.
    pub edition: Edition,
    /// Whether `payloadMetadata.payloadVersion` named the edition (otherwise
    /// it was inferred from the element names).
    pub edition_declared: bool,
    /// Every problem, in document order (unknown keys first).
    pub violations: Vec<Violation>,
}

impl Report {
    /// Whether the payload meets the standard: no violations at all.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = if self.edition_declared {
            "declared"
        } else {
            "inferred"
        };
        if self.violations.is_empty() {
            return write!(f, "valid {} ({how})", self.edition);
        }
        write!(
            f,
            "{} violation(s) of {} ({how}):",
            self.violations.len(),
            self.edition
        )?;
        for v in &self.violations {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}
