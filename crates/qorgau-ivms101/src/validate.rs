//! Checking a payload against IVMS101: multiplicities, datatypes, code
//! lists and constraints C1–C12, every problem reported with its path.
//!
//! How the constraints are read:
//! - C1 and C4 speak of "the originator", so they apply to the persons under
//!   `originator` only, not to beneficiaries or VASPs.
//! - C7 and C9 apply to legal persons, wherever they appear (VASPs too).
//! - C10 is checked as the `RegistrationAuthority` format `RAnnnnnn`; GLEIF's
//!   list of authorities is not shipped.
//! - C11 is the `LEIText` pattern plus the ISO 17442 check digits, and it is
//!   applied to every `LEIX` identifier, a natural person's included (sole
//!   traders can hold LEIs; a wrong one is as useless to them).
//! - C12 asks for sequence numbers 0, 1, 2… without gaps or repeats; the
//!   array's order is not prescribed.
//! - `townName` is `[1..1]` in the standard's Address structure table but
//!   `[0..1]` in its element definition (both editions); it is treated as
//!   optional, as ISO 20022's `PostalAddress6` it is taken from has it.
//!
//! Editions: the payload is checked as the edition its `payloadVersion`
//! declares; without one, as 2023 if it uses any 2023 element name (and
//! then the missing `payloadVersion` is reported), otherwise as 2020.
//! Element names of the other edition are reported as `edition_mismatch`.

use chrono::NaiveDate;

use crate::codes::{
    AddressTypeCode, Code, CodeList, LegalPersonNameTypeCode, NationalIdentifierTypeCode,
    NaturalPersonNameTypeCode, PayloadVersionCode,
};
use crate::country::is_ivms_country;
use crate::datatype::{
    LOCAL_MAX100, MAX_NUMBER, MAX16, MAX35, MAX50, MAX70, MAX100, MAX512, TextType, check_text,
    is_blank, is_registration_authority, parse_date,
};
use crate::lei::check_lei;
use crate::model::{
    Address, DateAndPlaceOfBirth, IdentityPayload, LegalPerson, LegalPersonName, LegalPersonNameId,
    LocalNaturalPersonNameId, NationalIdentification, NaturalPerson, NaturalPersonName,
    NaturalPersonNameId, Person,
};
use crate::violation::{Constraint, Edition, Report, Violation, ViolationCode};

/// Validates `payload` as of today's date (UTC), for constraint C2.
#[must_use]
pub fn validate(payload: &IdentityPayload) -> Report {
    validate_on(payload, chrono::Utc::now().date_naive())
}

/// Validates `payload` as of `today`: dates of birth must fall before it
/// (C2). Lets a report be reproduced later and tests be deterministic.
#[must_use]
pub fn validate_on(payload: &IdentityPayload, today: NaiveDate) -> Report {
    let (edition, edition_declared) = edition_of(payload);
    let mut v = Validator {
        today,
        edition,
        out: Vec::new(),
    };
    for path in &payload.unknown_fields {
        v.push(
            path.clone(),
            ViolationCode::UnknownField,
            None,
            "not an IVMS101 element (ignored when reading)",
        );
    }
    v.payload(payload, edition_declared);
    Report {
        edition,
        edition_declared,
        violations: v.out,
    }
}

/// The edition to check `payload` as, and whether the payload declared it.
fn edition_of(payload: &IdentityPayload) -> (Edition, bool) {
    let declared = payload
        .payload_metadata
        .as_ref()
        .and_then(|m| m.payload_version.as_ref())
        .and_then(Code::known);
    match declared {
        Some(PayloadVersionCode::V101_2023) => (Edition::V2023, true),
        Some(PayloadVersionCode::V101) => (Edition::V2020, true),
        None if uses_2023_names(payload) => (Edition::V2023, false),
        None => (Edition::V2020, false),
    }
}

/// Whether any element name or placement only IVMS101.2023 has is used.
fn uses_2023_names(p: &IdentityPayload) -> bool {
    let top = p
        .originator
        .as_ref()
        .is_some_and(|o| o.originator_person.is_some())
        || p.beneficiary
            .as_ref()
            .is_some_and(|b| b.beneficiary_person.is_some());
    top || all_persons(p).into_iter().any(|person| {
        person.account_number.is_some()
            || person
                .legal_person
                .as_ref()
                .is_some_and(|l| l.customer_identification.is_some())
            || person
                .natural_person
                .as_ref()
                .and_then(|n| n.name.as_ref())
                .and_then(|n| n.name_identifier.as_ref())
                .is_some_and(|ids| {
                    ids.iter()
                        .any(|id| id.natural_person_name_identifier_type.is_some())
                })
    })
}

/// Every person in the payload, under either spelling.
fn all_persons(p: &IdentityPayload) -> Vec<&Person> {
    let mut all: Vec<&Person> = Vec::new();
    if let Some(o) = &p.originator {
        all.extend(o.originator_person.iter().flatten());
        all.extend(o.originator_persons.iter().flatten());
    }
    if let Some(b) = &p.beneficiary {
        all.extend(b.beneficiary_person.iter().flatten());
        all.extend(b.beneficiary_persons.iter().flatten());
    }
    all.extend(
        p.originating_vasp
            .as_ref()
            .and_then(|w| w.originating_vasp.as_ref()),
    );
    all.extend(
        p.beneficiary_vasp
            .as_ref()
            .and_then(|w| w.beneficiary_vasp.as_ref()),
    );
    if let Some(list) = p
        .transfer_path
        .as_ref()
        .and_then(|t| t.transfer_path.as_ref())
    {
        all.extend(list.iter().filter_map(|i| i.intermediary_vasp.as_ref()));
    }
    all
}

/// `base.key`, or `key` at the root.
fn key(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_owned()
    } else {
        format!("{base}.{key}")
    }
}

/// `base[index]`.
fn at(base: &str, index: usize) -> String {
    format!("{base}[{index}]")
}

/// The walk over one payload, collecting violations in document order.
struct Validator {
    today: NaiveDate,
    edition: Edition,
    out: Vec<Violation>,
}

impl Validator {
    fn push(
        &mut self,
        path: String,
        code: ViolationCode,
        constraint: Option<Constraint>,
        message: impl Into<String>,
    ) {
        self.out.push(Violation {
            path,
            code,
            constraint,
            message: message.into(),
        });
    }

    fn required(&mut self, path: String) {
        self.push(path, ViolationCode::Required, None, "required");
    }

    /// A text element: present or not as required, and within its datatype.
    fn text(&mut self, path: String, value: Option<&str>, ty: TextType, required: bool) {
        match value {
            None if required => self.required(path),
            None => {}
            Some(s) if is_blank(s) => {
                if required {
                    self.push(path, ViolationCode::Required, None, "required, but blank");
                } else {
                    self.push(
                        path,
                        ViolationCode::Empty,
                        None,
                        format!("blank; {} needs at least one character (leave the element out instead)", ty.name()),
                    );
                }
            }
            Some(s) => {
                if let Some((code, message)) = check_text(s, ty) {
                    self.push(path, code, None, message);
                }
            }
        }
    }

    /// A list of texts, each of datatype `ty`.
    fn texts(&mut self, path: &str, values: Option<&Vec<String>>, ty: TextType) {
        for (i, s) in values.into_iter().flatten().enumerate() {
            self.text(at(path, i), Some(s), ty, true);
        }
    }

    /// A coded element; returns the code when it is on its list.
    fn code<T: CodeList>(
        &mut self,
        path: String,
        value: Option<&Code<T>>,
        required: bool,
    ) -> Option<T> {
        match value {
            None => {
                if required {
                    self.required(path);
                }
                None
            }
            Some(Code::Known(c)) => Some(*c),
            Some(Code::Unknown(s)) => {
                let list: Vec<&str> = T::ALL.iter().map(|c| c.code()).collect();
                self.push(
                    path,
                    ViolationCode::InvalidCode,
                    None,
                    format!(
                        "{s:?} is not a {}; expected one of {}",
                        T::NAME,
                        list.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// A `CountryCode` element (C3).
    fn country(&mut self, path: String, value: Option<&str>, required: bool) {
        match value {
            None if required => self.required(path),
            None => {}
            Some(c) if is_ivms_country(c) => {}
            Some(c) => self.push(
                path,
                ViolationCode::InvalidCountry,
                Some(Constraint::C3),
                format!("{c:?} is not an ISO 3166-1 alpha-2 country code nor XX"),
            ),
        }
    }

    /// Reports `key` if it belongs to the other edition than the payload's.
    fn edition_name(&mut self, path: &str, key_edition: Edition, key: &str, other: &str) {
        if key_edition != self.edition {
            self.push(
                path.to_owned(),
                ViolationCode::EditionMismatch,
                None,
                format!(
                    "`{key}` is the {key_edition} name; a payload checked as {} calls it `{other}`",
                    self.edition
                ),
            );
        }
    }

    /// An element IVMS101.2023 renamed: reports both-given and
    /// other-edition names, and returns what was sent, with its path.
    fn renamed<'a, T>(
        &mut self,
        base: &str,
        (new_key, new): (&'static str, Option<&'a T>),
        (old_key, old): (&'static str, Option<&'a T>),
    ) -> Vec<(String, &'a T)> {
        let mut found = Vec::new();
        if new.is_some() && old.is_some() {
            self.push(
                base.to_owned(),
                ViolationCode::ConflictingNames,
                None,
                format!("both `{new_key}` (2023) and `{old_key}` (2020) are given; send one"),
            );
        }
        if let Some(value) = new {
            let path = key(base, new_key);
            self.edition_name(&path, Edition::V2023, new_key, old_key);
            found.push((path, value));
        }
        if let Some(value) = old {
            let path = key(base, old_key);
            self.edition_name(&path, Edition::V2020, old_key, new_key);
            found.push((path, value));
        }
        found
    }

    /// The name the payload's edition uses for a renamed element.
    fn name_for(&self, new_key: &'static str, old_key: &'static str) -> &'static str {
        match self.edition {
            Edition::V2023 => new_key,
            Edition::V2020 => old_key,
        }
    }

    fn payload(&mut self, p: &IdentityPayload, declared: bool) {
        match &p.originator {
            None => self.required("originator".into()),
            Some(o) => {
                let base = "originator";
                self.persons(
                    base,
                    ("originatorPerson", o.originator_person.as_ref()),
                    ("originatorPersons", o.originator_persons.as_ref()),
                    true,
                );
                self.legacy_accounts(base, o.account_number.as_ref());
            }
        }
        match &p.beneficiary {
            None => self.required("beneficiary".into()),
            Some(b) => {
                let base = "beneficiary";
                self.persons(
                    base,
                    ("beneficiaryPerson", b.beneficiary_person.as_ref()),
                    ("beneficiaryPersons", b.beneficiary_persons.as_ref()),
                    false,
                );
                self.legacy_accounts(base, b.account_number.as_ref());
            }
        }
        if let Some(person) = p
            .originating_vasp
            .as_ref()
            .and_then(|w| w.originating_vasp.as_ref())
        {
            self.person("originatingVASP.originatingVASP", person, false);
        }
        if let Some(person) = p
            .beneficiary_vasp
            .as_ref()
            .and_then(|w| w.beneficiary_vasp.as_ref())
        {
            self.person("beneficiaryVASP.beneficiaryVASP", person, false);
        }
        if let Some(list) = p
            .transfer_path
            .as_ref()
            .and_then(|t| t.transfer_path.as_ref())
        {
            self.transfer_path("transferPath.transferPath", list);
        }
        let metadata = p.payload_metadata.as_ref();
        if let Some(m) = metadata {
            for (i, code) in m.transliteration_method.iter().flatten().enumerate() {
                self.code(
                    at("payloadMetadata.transliterationMethod", i),
                    Some(code),
                    true,
                );
            }
            self.code(
                "payloadMetadata.payloadVersion".into(),
                m.payload_version.as_ref(),
                false,
            );
        }
        let version_sent = metadata.is_some_and(|m| m.payload_version.is_some());
        if self.edition == Edition::V2023 && !declared && !version_sent {
            self.push(
                "payloadMetadata.payloadVersion".into(),
                ViolationCode::Required,
                None,
                "required in IVMS 101.2023, whose element names this payload uses",
            );
        }
    }

    /// The persons of the originator or beneficiary (`[1..n]`).
    fn persons(
        &mut self,
        base: &str,
        new: (&'static str, Option<&Vec<Person>>),
        old: (&'static str, Option<&Vec<Person>>),
        originator: bool,
    ) {
        let found = self.renamed(base, new, old);
        if found.is_empty() {
            self.required(key(base, self.name_for(new.0, old.0)));
        }
        for (path, list) in found {
            if list.is_empty() {
                self.push(
                    path.clone(),
                    ViolationCode::Required,
                    None,
                    "at least one person is required",
                );
            }
            for (i, person) in list.iter().enumerate() {
                self.person(&at(&path, i), person, originator);
            }
        }
    }

    /// 2020's accounts beside the persons (Max100Text).
    fn legacy_accounts(&mut self, base: &str, accounts: Option<&Vec<String>>) {
        if accounts.is_some() {
            let path = key(base, "accountNumber");
            if self.edition == Edition::V2023 {
                self.push(
                    path.clone(),
                    ViolationCode::EditionMismatch,
                    None,
                    "accounts beside the persons are the 2020 placement; IVMS 101.2023 puts accountNumber in each person",
                );
            }
            self.texts(&path, accounts, MAX100);
        }
    }

    fn person(&mut self, path: &str, p: &Person, originator: bool) {
        match (&p.natural_person, &p.legal_person) {
            (Some(_), Some(_)) => self.push(
                path.to_owned(),
                ViolationCode::OneOf,
                None,
                "a person is either a naturalPerson or a legalPerson, not both",
            ),
            (None, None) => self.push(
                path.to_owned(),
                ViolationCode::OneOf,
                None,
                "a person needs a naturalPerson or a legalPerson",
            ),
            _ => {}
        }
        if let Some(n) = &p.natural_person {
            self.natural_person(&key(path, "naturalPerson"), n, originator);
        }
        if let Some(l) = &p.legal_person {
            self.legal_person(&key(path, "legalPerson"), l, originator);
        }
        if p.account_number.is_some() {
            let accounts = key(path, "accountNumber");
            if self.edition == Edition::V2020 {
                self.push(
                    accounts.clone(),
                    ViolationCode::EditionMismatch,
                    None,
                    "accounts inside a person are the 2023 placement; IVMS 101 (2020) puts accountNumber beside the persons",
                );
            }
            self.texts(&accounts, p.account_number.as_ref(), MAX512);
        }
    }

    fn natural_person(&mut self, path: &str, n: &NaturalPerson, originator: bool) {
        match &n.name {
            None => self.required(key(path, "name")),
            Some(name) => self.natural_person_name(&key(path, "name"), name),
        }
        let addresses = key(path, "geographicAddress");
        for (i, a) in n.geographic_address.iter().flatten().enumerate() {
            self.address(&at(&addresses, i), a);
        }
        if let Some(id) = &n.national_identification {
            self.national_identification(&key(path, "nationalIdentification"), id, false);
        }
        self.text(
            key(path, "customerIdentification"),
            n.customer_identification.as_deref(),
            MAX50,
            false,
        );
        if let Some(d) = &n.date_and_place_of_birth {
            self.date_and_place_of_birth(&key(path, "dateAndPlaceOfBirth"), d);
        }
        self.country(
            key(path, "countryOfResidence"),
            n.country_of_residence.as_deref(),
            false,
        );

        if originator {
            let address = n
                .geographic_address
                .iter()
                .flatten()
                .any(|a| a.address_type.as_ref().and_then(Code::known).is_some());
            let customer = n
                .customer_identification
                .as_deref()
                .is_some_and(|s| !is_blank(s));
            if !(address
                || customer
                || n.national_identification.is_some()
                || n.date_and_place_of_birth.is_some())
            {
                self.push(
                    path.to_owned(),
                    ViolationCode::OriginatorInformation,
                    Some(Constraint::C1),
                    "an originator who is a natural person needs a geographicAddress, \
                     customerIdentification, nationalIdentification or dateAndPlaceOfBirth",
                );
            }
        }
    }

    fn natural_person_name(&mut self, path: &str, name: &NaturalPersonName) {
        let ids_path = key(path, "nameIdentifier");
        match &name.name_identifier {
            None => self.required(ids_path),
            Some(ids) if ids.is_empty() => {
                self.push(
                    ids_path,
                    ViolationCode::Required,
                    None,
                    "at least one nameIdentifier is required",
                );
            }
            Some(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    self.natural_person_name_id(&at(&ids_path, i), id);
                }
                if !ids.iter().any(|id| {
                    id.name_type()
                        .is_some_and(|t| t.is(NaturalPersonNameTypeCode::Legl))
                }) {
                    self.push(
                        ids_path,
                        ViolationCode::LegalNameMissing,
                        Some(Constraint::C6),
                        "no nameIdentifier has type LEGL (the legal name)",
                    );
                }
            }
        }
        for (field, list) in [
            ("localNameIdentifier", &name.local_name_identifier),
            ("phoneticNameIdentifier", &name.phonetic_name_identifier),
        ] {
            let list_path = key(path, field);
            for (i, id) in list.iter().flatten().enumerate() {
                self.local_natural_person_name_id(&at(&list_path, i), id);
            }
        }
    }

    fn natural_person_name_id(&mut self, path: &str, id: &NaturalPersonNameId) {
        self.text(
            key(path, "primaryIdentifier"),
            id.primary_identifier.as_deref(),
            MAX100,
            true,
        );
        self.text(
            key(path, "secondaryIdentifier"),
            id.secondary_identifier.as_deref(),
            MAX100,
            false,
        );
        let new = (
            "naturalPersonNameIdentifierType",
            id.natural_person_name_identifier_type.as_ref(),
        );
        let old = ("nameIdentifierType", id.name_identifier_type.as_ref());
        let found = self.renamed(path, new, old);
        if found.is_empty() {
            self.required(key(path, self.name_for(new.0, old.0)));
        }
        for (type_path, code) in found {
            self.code(type_path, Some(code), true);
        }
    }

    fn local_natural_person_name_id(&mut self, path: &str, id: &LocalNaturalPersonNameId) {
        self.text(
            key(path, "primaryIdentifier"),
            id.primary_identifier.as_deref(),
            LOCAL_MAX100,
            true,
        );
        self.text(
            key(path, "secondaryIdentifier"),
            id.secondary_identifier.as_deref(),
            LOCAL_MAX100,
            false,
        );
        self.code(
            key(path, "nameIdentifierType"),
            id.name_identifier_type.as_ref(),
            true,
        );
    }

    fn address(&mut self, path: &str, a: &Address) {
        self.code::<AddressTypeCode>(key(path, "addressType"), a.address_type.as_ref(), true);
        for (field, value, ty) in [
            ("department", &a.department, MAX50),
            ("subDepartment", &a.sub_department, MAX70),
            ("streetName", &a.street_name, MAX70),
            ("buildingNumber", &a.building_number, MAX16),
            ("buildingName", &a.building_name, MAX35),
            ("floor", &a.floor, MAX70),
            ("postBox", &a.post_box, MAX16),
            ("room", &a.room, MAX70),
            ("postCode", &a.post_code, MAX16),
            ("townName", &a.town_name, MAX35),
            ("townLocationName", &a.town_location_name, MAX35),
            ("districtName", &a.district_name, MAX35),
            ("countrySubDivision", &a.country_sub_division, MAX35),
        ] {
            self.text(key(path, field), value.as_deref(), ty, false);
        }
        let lines_path = key(path, "addressLine");
        let lines = a.address_line.as_deref().unwrap_or_default();
        if lines.len() > 7 {
            self.push(
                lines_path.clone(),
                ViolationCode::TooManyAddressLines,
                None,
                format!("{} address lines; at most 7 are allowed", lines.len()),
            );
        }
        self.texts(&lines_path, a.address_line.as_ref(), MAX70);
        self.country(key(path, "country"), a.country.as_deref(), true);

        let present = |s: &Option<String>| s.as_deref().is_some_and(|s| !is_blank(s));
        let has_lines = lines.iter().any(|l| !is_blank(l));
        let has_street =
            present(&a.street_name) && (present(&a.building_name) || present(&a.building_number));
        if !(has_lines || has_street) {
            self.push(
                path.to_owned(),
                ViolationCode::InvalidAddress,
                Some(Constraint::C8),
                "an address needs an addressLine, or a streetName with a buildingName or buildingNumber",
            );
        }
    }

    fn date_and_place_of_birth(&mut self, path: &str, d: &DateAndPlaceOfBirth) {
        let date_path = key(path, "dateOfBirth");
        match d.date_of_birth.as_deref() {
            None => self.required(date_path),
            Some(text) => match parse_date(text) {
                Err(message) => self.push(date_path, ViolationCode::InvalidDate, None, message),
                Ok(date) if date >= self.today => self.push(
                    date_path,
                    ViolationCode::DateNotInPast,
                    Some(Constraint::C2),
                    format!("{date} is not before today ({})", self.today),
                ),
                Ok(_) => {}
            },
        }
        self.text(
            key(path, "placeOfBirth"),
            d.place_of_birth.as_deref(),
            MAX70,
            true,
        );
    }

    fn national_identification(&mut self, path: &str, n: &NationalIdentification, legal: bool) {
        let id_path = key(path, "nationalIdentifier");
        self.text(
            id_path.clone(),
            n.national_identifier.as_deref(),
            MAX35,
            true,
        );
        let type_path = key(path, "nationalIdentifierType");
        let kind = self.code(type_path.clone(), n.national_identifier_type.as_ref(), true);
        let country_path = key(path, "countryOfIssue");
        self.country(country_path.clone(), n.country_of_issue.as_deref(), false);
        let ra_path = key(path, "registrationAuthority");
        match n.registration_authority.as_deref() {
            Some(ra) if !is_registration_authority(ra) => self.push(
                ra_path.clone(),
                ViolationCode::InvalidRegistrationAuthority,
                Some(Constraint::C10),
                format!("{ra:?} is not a GLEIF registration authority code (RA and six digits)"),
            ),
            _ => {}
        }
        let is_lei = kind == Some(NationalIdentifierTypeCode::Leix);
        if is_lei
            && let Some(lei) = n.national_identifier.as_deref().filter(|s| !is_blank(s))
            && let Err(e) = check_lei(lei)
        {
            self.push(
                id_path,
                ViolationCode::InvalidLei,
                Some(Constraint::C11),
                format!("{lei:?} is not a valid LEI: {e}"),
            );
        }
        if !legal {
            return;
        }
        if let Some(k) = kind {
            use NationalIdentifierTypeCode::{Leix, Misc, Raid, Txid};
            if !matches!(k, Raid | Misc | Leix | Txid) {
                self.push(
                    type_path,
                    ViolationCode::LegalPersonIdentifierType,
                    Some(Constraint::C7),
                    format!("{k} is not for legal persons; use RAID, MISC, LEIX or TXID"),
                );
            }
        }
        if n.country_of_issue.is_some() {
            self.push(
                country_path,
                ViolationCode::CountryOfIssueNotAllowed,
                Some(Constraint::C9),
                "a legal person's identifier has no countryOfIssue (countryOfRegistration says where it is registered)",
            );
        }
        if is_lei {
            if n.registration_authority.is_some() {
                self.push(
                    ra_path,
                    ViolationCode::RegistrationAuthorityNotAllowed,
                    Some(Constraint::C9),
                    "an LEI has no registrationAuthority",
                );
            }
        } else if n.national_identifier_type.is_some()
            && n.registration_authority.as_deref().is_none_or(is_blank)
        {
            self.push(
                ra_path,
                ViolationCode::RegistrationAuthorityRequired,
                Some(Constraint::C9),
                "a legal person's identifier other than an LEI needs its registrationAuthority",
            );
        }
    }

    fn legal_person(&mut self, path: &str, l: &LegalPerson, originator: bool) {
        match &l.name {
            None => self.required(key(path, "name")),
            Some(name) => self.legal_person_name(&key(path, "name"), name),
        }
        let addresses = key(path, "geographicAddress");
        for (i, a) in l.geographic_address.iter().flatten().enumerate() {
            self.address(&at(&addresses, i), a);
        }
        let found = self.renamed(
            path,
            ("customerIdentification", l.customer_identification.as_ref()),
            ("customerNumber", l.customer_number.as_ref()),
        );
        for (customer_path, value) in found {
            self.text(customer_path, Some(value), MAX50, false);
        }
        if let Some(id) = &l.national_identification {
            self.national_identification(&key(path, "nationalIdentification"), id, true);
        }
        self.country(
            key(path, "countryOfRegistration"),
            l.country_of_registration.as_deref(),
            false,
        );

        if originator {
            let geographic = l.geographic_address.iter().flatten().any(|a| {
                a.address_type
                    .as_ref()
                    .is_some_and(|t| t.is(AddressTypeCode::Geog))
            });
            let customer = l.customer_id().is_some_and(|s| !is_blank(s));
            if !(geographic || customer || l.national_identification.is_some()) {
                self.push(
                    path.to_owned(),
                    ViolationCode::OriginatorInformation,
                    Some(Constraint::C4),
                    "an originator that is a legal person needs a geographicAddress of type GEOG, \
                     a customerIdentification or a nationalIdentification",
                );
            }
        }
    }

    fn legal_person_name(&mut self, path: &str, name: &LegalPersonName) {
        let ids_path = key(path, "nameIdentifier");
        match &name.name_identifier {
            None => self.required(ids_path),
            Some(ids) if ids.is_empty() => {
                self.push(
                    ids_path,
                    ViolationCode::Required,
                    None,
                    "at least one nameIdentifier is required",
                );
            }
            Some(ids) => {
                for (i, id) in ids.iter().enumerate() {
                    self.legal_person_name_id(&at(&ids_path, i), id, MAX100);
                }
                if !ids.iter().any(|id| {
                    id.legal_person_name_identifier_type
                        .as_ref()
                        .is_some_and(|t| t.is(LegalPersonNameTypeCode::Legl))
                }) {
                    self.push(
                        ids_path,
                        ViolationCode::LegalNameMissing,
                        Some(Constraint::C5),
                        "no nameIdentifier has type LEGL (the registered name)",
                    );
                }
            }
        }
        for (field, list) in [
            ("localNameIdentifier", &name.local_name_identifier),
            ("phoneticNameIdentifier", &name.phonetic_name_identifier),
        ] {
            let list_path = key(path, field);
            for (i, id) in list.iter().flatten().enumerate() {
                self.legal_person_name_id(&at(&list_path, i), id, LOCAL_MAX100);
            }
        }
    }

    fn legal_person_name_id(&mut self, path: &str, id: &LegalPersonNameId, ty: TextType) {
        self.text(
            key(path, "legalPersonName"),
            id.legal_person_name.as_deref(),
            ty,
            true,
        );
        self.code(
            key(path, "legalPersonNameIdentifierType"),
            id.legal_person_name_identifier_type.as_ref(),
            true,
        );
    }

    fn transfer_path(&mut self, path: &str, list: &[crate::model::IntermediaryVasp]) {
        for (i, step) in list.iter().enumerate() {
            let step_path = at(path, i);
            match &step.intermediary_vasp {
                None => self.required(key(&step_path, "intermediaryVASP")),
                Some(person) => self.person(&key(&step_path, "intermediaryVASP"), person, false),
            }
            match step.sequence {
                None => self.required(key(&step_path, "sequence")),
                Some(n) if n > MAX_NUMBER => self.push(
                    key(&step_path, "sequence"),
                    ViolationCode::NumberTooLarge,
                    None,
                    format!("{n} has more than the 18 digits a Number may have"),
                ),
                Some(_) => {}
            }
        }
        let sent: Vec<u64> = list.iter().filter_map(|s| s.sequence).collect();
        let mut sorted = sent.clone();
        sorted.sort_unstable();
        if sorted
            .iter()
            .zip(0u64..)
            .any(|(s, expected)| *s != expected)
        {
            self.push(
                path.to_owned(),
                ViolationCode::SequenceIntegrity,
                Some(Constraint::C12),
                format!(
                    "sequence numbers must run 0, 1, 2… without gaps or repeats; found {sent:?}"
                ),
            );
        }
    }
}
