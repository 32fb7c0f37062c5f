//! Victim records: non-identifying facts in the clear, personal data sealed.
//!
//! An operative working the case sees a [`SealedVictim`]: that a victim
//! exists, the age band, minor or not, the screening outcome and the
//! referral status. Personal data (names, birth date, contacts, address,
//! documents, notes) is only ever in the record as a sealed value, and
//! [`VictimRecord::view`] opens it only for a caller that passes an explicit
//! [`PersonalDataAccess`], and only for the categories granted.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::age::{AgeBand, MinorStatus};
use crate::consent::DataCategory;
use crate::keys::{KeyId, KeyRing};
use crate::screening::Outcome;
use crate::seal::{self, Rotation, SealError};

/// Sealed plaintext is padded with spaces to a multiple of this many bytes,
/// so the ciphertext length does not reveal the length of a name or a note
/// within that step.
pub const PADDING_BLOCK: usize = 256;

/// The categories [`PersonalData`] holds; other categories (screening
/// answers, health, images) live elsewhere.
pub const PERSONAL_CATEGORIES: [DataCategory; 5] = [
    DataCategory::Identity,
    DataCategory::Contacts,
    DataCategory::Address,
    DataCategory::Documents,
    DataCategory::Notes,
];

/// A person's names as they give them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Names {
    /// Family name.
    pub family: String,
    /// Given name.
    pub given: String,
    /// Patronymic, if any.
    pub patronymic: Option<String>,
    /// Other names: maiden name, other spellings, nicknames.
    pub other: Vec<String>,
}

/// Kind of a contact, so the interface can offer to call or write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// Phone number.
    Phone,
    /// E-mail address.
    Email,
    /// Messenger handle (Telegram, WhatsApp…).
    Messenger,
    /// Anything else (a relative's phone, a social worker's office…).
    Other,
}

/// One way to reach the person safely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Kind.
    pub kind: ContactKind,
    /// The number, address or handle.
    pub value: String,
    /// Whether it is safe to use (a phone the exploiters control is not).
    pub safe_to_use: bool,
}

/// An identity document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityDocument {
    /// Kind (ID card, passport, birth certificate…).
    pub kind: String,
    /// Number.
    pub number: String,
    /// Where the document is now, if not with the person (it may have been
    /// taken: Criminal Code art. 128 p.2(12)).
    pub whereabouts: Option<String>,
}

/// The victim's personal data. Only ever stored sealed; a partial view has
/// the withheld fields empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PersonalData {
    /// Names ([`DataCategory::Identity`]).
    pub names: Option<Names>,
    /// Birth date ([`DataCategory::Identity`]).
    pub birth_date: Option<NaiveDate>,
    /// Contacts ([`DataCategory::Contacts`]).
    pub contacts: Vec<Contact>,
    /// Address or place of stay ([`DataCategory::Address`]).
    pub address: Option<String>,
    /// Documents ([`DataCategory::Documents`]).
    pub documents: Vec<IdentityDocument>,
    /// The worker's notes ([`DataCategory::Notes`]).
    pub notes: Option<String>,
}

impl PersonalData {
    /// A copy holding only the granted categories.
    pub fn only(&self, granted: &BTreeSet<DataCategory>) -> PersonalData {
        let has = |c: DataCategory| granted.contains(&c);
        PersonalData {
            names: self.names.clone().filter(|_| has(DataCategory::Identity)),
            birth_date: self.birth_date.filter(|_| has(DataCategory::Identity)),
            contacts: if has(DataCategory::Contacts) {
                self.contacts.clone()
            } else {
                Vec::new()
            },
            address: self.address.clone().filter(|_| has(DataCategory::Address)),
            documents: if has(DataCategory::Documents) {
                self.documents.clone()
            } else {
                Vec::new()
            },
            notes: self.notes.clone().filter(|_| has(DataCategory::Notes)),
        }
    }

    fn to_padded_json(&self) -> Result<Zeroizing<Vec<u8>>, SealError> {
        let mut bytes =
            Zeroizing::new(serde_json::to_vec(self).map_err(|e| SealError::Encode(e.to_string()))?);
        let padded = bytes.len().div_ceil(PADDING_BLOCK).max(1) * PADDING_BLOCK;
        bytes.resize(padded, b' ');
        Ok(bytes)
    }
}

/// Where a referral to special social services stands; shown to every role
/// so no one loses the person between agencies (study 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    /// No referral needed or not yet decided.
    #[default]
    None,
    /// Screening asks for one; not sent yet (consent or override pending).
    Pending,
    /// Sent.
    Referred,
    /// Accepted by the service.
    Accepted,
    /// The person declined the services.
    DeclinedByPerson,
    /// Closed.
    Closed,
}

/// Facts about a victim that identify no one and may be shown to any role
/// working the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VictimFacts {
    /// Age band.
    pub age_band: AgeBand,
    /// Minor status.
    pub minor: MinorStatus,
    /// Latest screening outcome, if screened.
    pub screening_outcome: Option<Outcome>,
    /// Referral status.
    pub referral_status: ReferralStatus,
}

/// A victim record as stored: facts in the clear, personal data sealed and
/// bound to the record id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VictimRecord {
    /// Record id (UUIDv7); also bound into the sealed data.
    pub id: Uuid,
    /// The operational case, if there is one; a victim may be screened and
    /// referred with none.
    pub case_id: Option<Uuid>,
    /// Non-identifying facts.
    pub facts: VictimFacts,
    /// Sealed personal data ([`crate::seal`] format).
    pub sealed_personal: Vec<u8>,
}

/// What a caller may see of a victim's personal data. Passed explicitly to
/// [`VictimRecord::view`], so the decision is made (and can be audited) by
/// the caller's access policy, not guessed here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "access")]
pub enum PersonalDataAccess {
    /// No personal data: the sealed view only.
    Denied,
    /// These categories of personal data.
    Granted {
        /// The categories.
        categories: BTreeSet<DataCategory>,
    },
}

impl PersonalDataAccess {
    /// Access to every category of personal data.
    pub fn all() -> PersonalDataAccess {
        PersonalDataAccess::Granted {
            categories: PERSONAL_CATEGORIES.into_iter().collect(),
        }
    }
}

/// The view for roles without access to personal data: the victim exists,
/// and nothing that identifies them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedVictim {
    /// Record id, a random identifier to refer to the person.
    pub record_id: Uuid,
    /// The case it is linked to, if any.
    pub case_id: Option<Uuid>,
    /// Age band.
    pub age_band: AgeBand,
    /// Minor or not.
    pub minor: MinorStatus,
    /// Screening outcome.
    pub screening_outcome: Option<Outcome>,
    /// Referral status.
    pub referral_status: ReferralStatus,
}

/// The view for a caller granted some personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalView {
    /// The non-identifying facts.
    pub facts: SealedVictim,
    /// The granted categories of personal data; others are empty.
    pub personal: PersonalData,
    /// Personal-data categories withheld from this caller, so the interface
    /// can say "withheld" rather than "none".
    pub withheld: BTreeSet<DataCategory>,
}

/// Either view of a victim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "view")]
pub enum VictimView {
    /// No personal data.
    Sealed(SealedVictim),
    /// Some personal data (boxed: much larger than the sealed view).
    Personal(Box<PersonalView>),
}

impl VictimRecord {
    /// Makes a record, sealing the personal data with the ring's current key.
    pub fn new(
        id: Uuid,
        case_id: Option<Uuid>,
        facts: VictimFacts,
        personal: &PersonalData,
        keys: &KeyRing,
    ) -> Result<VictimRecord, SealError> {
        let plain = personal.to_padded_json()?;
        let sealed_personal = seal::seal(keys.current(), id, &plain)?;
        Ok(VictimRecord {
            id,
            case_id,
            facts,
            sealed_personal,
        })
    }

    /// The sealed view. Needs no key, so a process serving operatives can
    /// run without one.
    pub fn sealed_view(&self) -> SealedVictim {
        SealedVictim {
            record_id: self.id,
            case_id: self.case_id,
            age_band: self.facts.age_band,
            minor: self.facts.minor,
            screening_outcome: self.facts.screening_outcome,
            referral_status: self.facts.referral_status,
        }
    }

    /// The view a caller is entitled to: the sealed view for
    /// [`PersonalDataAccess::Denied`] (or a grant with no personal-data
    /// category), otherwise the personal data reduced to the granted
    /// categories. Personal data is decrypted only in the second case.
    pub fn view(
        &self,
        access: &PersonalDataAccess,
        keys: &KeyRing,
    ) -> Result<VictimView, SealError> {
        let granted = match access {
            PersonalDataAccess::Denied => return Ok(VictimView::Sealed(self.sealed_view())),
            PersonalDataAccess::Granted { categories } => categories,
        };
        if !PERSONAL_CATEGORIES.iter().any(|c| granted.contains(c)) {
            return Ok(VictimView::Sealed(self.sealed_view()));
        }
        let full = self.open_personal(keys)?;
        Ok(VictimView::Personal(Box::new(PersonalView {
            facts: self.sealed_view(),
            personal: full.only(granted),
            withheld: PERSONAL_CATEGORIES
                .into_iter()
                .filter(|c| !granted.contains(c))
                .collect(),
        })))
    }

    /// Replaces the personal data (re-sealed with the current key, fresh
    /// nonce).
    pub fn replace_personal(
        &mut self,
        personal: &PersonalData,
        keys: &KeyRing,
    ) -> Result<(), SealError> {
        let plain = personal.to_padded_json()?;
        self.sealed_personal = seal::seal(keys.current(), self.id, &plain)?;
        Ok(())
    }

    /// The key that sealed the personal data, read without decrypting.
    pub fn sealed_with(&self) -> Result<KeyId, SealError> {
        seal::read_header(&self.sealed_personal).map(|h| h.key_id)
    }

    /// Re-seals the personal data with the ring's current key if another
    /// key sealed it. Returns whether the record changed and must be saved.
    pub fn rotate(&mut self, keys: &KeyRing) -> Result<bool, SealError> {
        match seal::rotate(keys, self.id, &self.sealed_personal)? {
            Rotation::AlreadyCurrent => Ok(false),
            Rotation::Resealed(bytes) => {
                self.sealed_personal = bytes;
                Ok(true)
            }
        }
    }

    fn open_personal(&self, keys: &KeyRing) -> Result<PersonalData, SealError> {
        let plain = seal::open(keys, self.id, &self.sealed_personal)?;
        serde_json::from_slice(&plain).map_err(|e| SealError::Decode(e.to_string()))
    }
}
