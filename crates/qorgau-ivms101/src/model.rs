//! The IVMS101 `IdentityPayload` as serde types, in the JSON shape the
//! standard's element names give (lower camel case).
//!
//! Why every element is optional here, even the standard's `[1..1]` ones: a
//! payload handed to an investigator is evidence to be examined, not input
//! to be trusted. Reading never stops at a missing name or an unknown code;
//! [`crate::validate()`] then reports each one with its path. Only JSON that
//! cannot be read at all (bad syntax, an object where a string belongs) is a
//! [`crate::ParseError`].
//!
//! Why some elements appear twice: IVMS101.2023 renamed five of them. Both
//! spellings are read into separate fields so that the report can say which
//! one was used, a payload mixing them is caught, and writing the payload
//! back gives the names it came with:
//!
//! | 2020 (`101`) | 2023 (`101.2023`) |
//! |---|---|
//! | `originator.originatorPersons` | `originator.originatorPerson` |
//! | `beneficiary.beneficiaryPersons` | `beneficiary.beneficiaryPerson` |
//! | `originator.accountNumber`, `beneficiary.accountNumber` (Max100Text) | `accountNumber` in each `Person` (Max512Text) |
//! | `NaturalPersonNameID.nameIdentifierType` | `NaturalPersonNameID.naturalPersonNameIdentifierType` |
//! | `LegalPerson.customerNumber` | `LegalPerson.customerIdentification` |
//! | — | `payloadMetadata.payloadVersion` (required) |
//!
//! `LocalNaturalPersonNameID` keeps `nameIdentifierType` in both editions.
//! The standard writes the address element both `postcode` (structure
//! table) and `postCode` (element definition); both are read, `postCode` is
//! written.

use serde::{Deserialize, Serialize};

use crate::codes::{
    AddressTypeCode, Code, LegalPersonNameTypeCode, NationalIdentifierTypeCode,
    NaturalPersonNameTypeCode, PayloadVersionCode, TransliterationMethodCode,
};

/// The whole Travel Rule message: who sent value to whom, through which
/// VASPs. This is what `qorgau money ivms101 FILE` reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityPayload {
    /// The account holder who allowed the transfer (`[1..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub originator: Option<Originator>,
    /// The receiver the originator named (`[1..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary: Option<Beneficiary>,
    /// The VASP that initiated the transfer (`[0..1]`).
    #[serde(rename = "originatingVASP", skip_serializing_if = "Option::is_none")]
    pub originating_vasp: Option<OriginatingVasp>,
    /// The VASP that received it for the beneficiary (`[0..1]`).
    #[serde(rename = "beneficiaryVASP", skip_serializing_if = "Option::is_none")]
    pub beneficiary_vasp: Option<BeneficiaryVasp>,
    /// Intermediary VASPs in a serial chain (`[0..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_path: Option<TransferPath>,
    /// Transliteration methods and, since 2023, the payload's edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_metadata: Option<PayloadMetadata>,
    /// Paths of keys the parser did not recognise (not part of the JSON).
    /// Kept so that [`crate::validate()`] reports them: a key we drop silently
    /// may be the one holding what the investigator needs.
    #[serde(skip)]
    pub unknown_fields: Vec<String>,
}

/// The originator: one or more persons and, in 2020 payloads, their
/// accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Originator {
    /// 2023 spelling of the persons (`[1..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub originator_person: Option<Vec<Person>>,
    /// 2020 spelling of the persons (`[1..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub originator_persons: Option<Vec<Person>>,
    /// 2020 placement of the accounts (Max100Text each); 2023 moved them
    /// into each [`Person`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<Vec<String>>,
}

impl Originator {
    /// The persons under whichever spelling was sent (the 2023 one if both
    /// were, which validation reports).
    #[must_use]
    pub fn persons(&self) -> &[Person] {
        self.originator_person
            .as_deref()
            .or(self.originator_persons.as_deref())
            .unwrap_or_default()
    }
}

/// The beneficiary: one or more persons and, in 2020 payloads, their
/// accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Beneficiary {
    /// 2023 spelling of the persons (`[1..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary_person: Option<Vec<Person>>,
    /// 2020 spelling of the persons (`[1..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beneficiary_persons: Option<Vec<Person>>,
    /// 2020 placement of the accounts (Max100Text each).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<Vec<String>>,
}

impl Beneficiary {
    /// The persons under whichever spelling was sent (the 2023 one if both
    /// were, which validation reports).
    #[must_use]
    pub fn persons(&self) -> &[Person] {
        self.beneficiary_person
            .as_deref()
            .or(self.beneficiary_persons.as_deref())
            .unwrap_or_default()
    }
}

/// The originating VASP wrapper (`originatingVASP.originatingVASP`), as the
/// standard nests it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginatingVasp {
    /// The VASP itself (`[0..1]`).
    #[serde(rename = "originatingVASP", skip_serializing_if = "Option::is_none")]
    pub originating_vasp: Option<Person>,
}

/// The beneficiary VASP wrapper (`beneficiaryVASP.beneficiaryVASP`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeneficiaryVasp {
    /// The VASP itself (`[0..1]`).
    #[serde(rename = "beneficiaryVASP", skip_serializing_if = "Option::is_none")]
    pub beneficiary_vasp: Option<Person>,
}

/// The chain of intermediary VASPs (`transferPath.transferPath`): where
/// value passed through other hands, which is where a money trail often
/// goes cold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransferPath {
    /// The intermediaries (`[0..n]`), numbered by `sequence` (C12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_path: Option<Vec<IntermediaryVasp>>,
}

/// One intermediary VASP and its place in the chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntermediaryVasp {
    /// The VASP (`[1..1]`).
    #[serde(rename = "intermediaryVASP", skip_serializing_if = "Option::is_none")]
    pub intermediary_vasp: Option<Person>,
    /// Its position, from 0 without gaps (`[1..1]`, C12; at most 18 digits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sequence: Option<u64>,
}

/// Data about the payload itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayloadMetadata {
    /// Scripts the Latin names were transliterated from (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transliteration_method: Option<Vec<Code<TransliterationMethodCode>>>,
    /// The edition the payload claims (`[1..1]` in 2023, absent in 2020).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payload_version: Option<Code<PayloadVersionCode>>,
}

/// A natural or a legal person (exactly one of the two), and since 2023
/// its accounts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// An individual.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub natural_person: Option<NaturalPerson>,
    /// A company or other entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_person: Option<LegalPerson>,
    /// 2023 placement of the accounts (Max512Text each): wallet addresses or
    /// account numbers that link the payload to a transfer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_number: Option<Vec<String>>,
}

/// An individual: name and the details that identify them (C1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaturalPerson {
    /// The person's names (`[1..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<NaturalPersonName>,
    /// Addresses (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geographic_address: Option<Vec<Address>>,
    /// A government-issued identifier (`[0..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_identification: Option<NationalIdentification>,
    /// The VASP's own customer identifier (Max50Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_identification: Option<String>,
    /// Date and place of birth (`[0..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_and_place_of_birth: Option<DateAndPlaceOfBirth>,
    /// Country of residence (CountryCode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_of_residence: Option<String>,
}

/// A natural person's names in Latin script, local script and phonetics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaturalPersonName {
    /// Latin-script names (`[1..n]`), one of them `LEGL` (C6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_identifier: Option<Vec<NaturalPersonNameId>>,
    /// Names in local characters, e.g. Cyrillic (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_name_identifier: Option<Vec<LocalNaturalPersonNameId>>,
    /// Names as pronounced (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phonetic_name_identifier: Option<Vec<LocalNaturalPersonNameId>>,
}

/// One Latin-script name of a natural person (ICAO 9303 split).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NaturalPersonNameId {
    /// Family or main name (Max100Text, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_identifier: Option<String>,
    /// Forenames and other names (Max100Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_identifier: Option<String>,
    /// 2023 spelling of the name's nature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub natural_person_name_identifier_type: Option<Code<NaturalPersonNameTypeCode>>,
    /// 2020 spelling of the name's nature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_identifier_type: Option<Code<NaturalPersonNameTypeCode>>,
}

impl NaturalPersonNameId {
    /// The name's nature under whichever spelling was sent.
    #[must_use]
    pub fn name_type(&self) -> Option<&Code<NaturalPersonNameTypeCode>> {
        self.natural_person_name_identifier_type
            .as_ref()
            .or(self.name_identifier_type.as_ref())
    }
}

/// One name of a natural person in local characters or phonetics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalNaturalPersonNameId {
    /// Family or main name (LocalMax100Text, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_identifier: Option<String>,
    /// Forenames and other names (LocalMax100Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_identifier: Option<String>,
    /// The name's nature (same element name in both editions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_identifier_type: Option<Code<NaturalPersonNameTypeCode>>,
}

/// A postal or geographic address (after ISO 20022 `PostalAddress6`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// Nature of the address (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_type: Option<Code<AddressTypeCode>>,
    /// Division of an organisation or building (Max50Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Sub-division (Max70Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_department: Option<String>,
    /// Street (Max70Text; C8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
    /// Building number (Max16Text; C8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_number: Option<String>,
    /// Building name (Max35Text; C8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub building_name: Option<String>,
    /// Floor (Max70Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<String>,
    /// Post box (Max16Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_box: Option<String>,
    /// Room (Max70Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
    /// Post code (Max16Text); `postcode` is read too.
    #[serde(alias = "postcode", skip_serializing_if = "Option::is_none")]
    pub post_code: Option<String>,
    /// Town (Max35Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub town_name: Option<String>,
    /// Location within the town (Max35Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub town_location_name: Option<String>,
    /// District (Max35Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district_name: Option<String>,
    /// State, region, oblast (Max35Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_sub_division: Option<String>,
    /// Free-form lines (at most 7, Max70Text each; C8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_line: Option<Vec<String>>,
    /// Country (CountryCode, required; C3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// Date and place of birth.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DateAndPlaceOfBirth {
    /// `YYYY-MM-DD`, in the past (C2). Kept as text so a malformed date is
    /// reported, not a reason to drop the payload.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    /// Town, region or country of birth (Max70Text, required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_birth: Option<String>,
}

/// A government-issued identifier of a natural or legal person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NationalIdentification {
    /// The identifier (Max35Text, required; an LEI for `LEIX`, C11).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_identifier: Option<String>,
    /// Its kind (required; C7 for legal persons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_identifier_type: Option<Code<NationalIdentifierTypeCode>>,
    /// Issuing country (CountryCode); not for legal persons (C9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_of_issue: Option<String>,
    /// GLEIF registration authority code `RAnnnnnn` (C9, C10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_authority: Option<String>,
}

/// A company, VASP or other entity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegalPerson {
    /// The entity's names (`[1..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LegalPersonName>,
    /// Addresses (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geographic_address: Option<Vec<Address>>,
    /// 2023 spelling of the VASP's customer identifier (Max50Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_identification: Option<String>,
    /// 2020 spelling of the VASP's customer identifier (Max50Text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_number: Option<String>,
    /// A registry identifier, tax number or LEI (`[0..1]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_identification: Option<NationalIdentification>,
    /// Country of registration (CountryCode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_of_registration: Option<String>,
}

impl LegalPerson {
    /// The customer identifier under whichever spelling was sent.
    #[must_use]
    pub fn customer_id(&self) -> Option<&str> {
        self.customer_identification
            .as_deref()
            .or(self.customer_number.as_deref())
    }
}

/// A legal person's names in Latin script, local script and phonetics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegalPersonName {
    /// Latin-script names (`[1..n]`), one of them `LEGL` (C5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_identifier: Option<Vec<LegalPersonNameId>>,
    /// Names in local characters (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub local_name_identifier: Option<Vec<LocalLegalPersonNameId>>,
    /// Names as pronounced (`[0..n]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phonetic_name_identifier: Option<Vec<LocalLegalPersonNameId>>,
}

/// One name of a legal person. The local and phonetic forms have the same
/// elements, only a wider character set ([`LocalLegalPersonNameId`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegalPersonNameId {
    /// The name (Max100Text, or LocalMax100Text for local forms; required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_person_name: Option<String>,
    /// Its nature (required).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_person_name_identifier_type: Option<Code<LegalPersonNameTypeCode>>,
}

/// A legal person's name in local characters or phonetics: same elements as
/// [`LegalPersonNameId`], checked as LocalMax100Text.
pub type LocalLegalPersonNameId = LegalPersonNameId;
