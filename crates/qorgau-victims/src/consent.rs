//! Consent per disclosure, and the decision whether a disclosure may go out.
//!
//! Each consent names one recipient, the categories of data, the purpose,
//! when and how it was given and who recorded it; it can be withdrawn. A
//! disclosure goes out only if current consent covers every category asked
//! for. Otherwise it is refused, unless a person in a role that the caller's
//! [`OverridePolicy`] allows to override gives a reason; the decision is then
//! returned as an explicit [`Override`] for the audit log. Role names come
//! from the caller: this crate knows no user directory.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::age::MinorStatus;

/// A category of a victim's data that a disclosure may include. Consent and
/// access are granted per category, so an NGO can get a phone number without
/// the passport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    /// Names and birth date.
    Identity,
    /// Phones, e-mail, messenger handles.
    Contacts,
    /// Where the person lives or stays.
    Address,
    /// Identity documents.
    Documents,
    /// The worker's notes on the person's situation.
    Notes,
    /// Screening answers and result.
    Screening,
    /// Health information.
    Health,
    /// Images of the person (including material used for sextortion).
    Images,
}

impl DataCategory {
    /// All categories.
    pub const ALL: [DataCategory; 8] = [
        DataCategory::Identity,
        DataCategory::Contacts,
        DataCategory::Address,
        DataCategory::Documents,
        DataCategory::Notes,
        DataCategory::Screening,
        DataCategory::Health,
        DataCategory::Images,
    ];
}

/// Who receives a disclosure: an agency kind (as in the routing directory,
/// e.g. `social_services`, `ngo`) and optionally one named organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Recipient {
    /// Agency kind.
    pub agency: String,
    /// A specific organisation of that kind (e.g. one crisis centre).
    pub organisation: Option<String>,
}

impl Recipient {
    /// Whether a consent naming `self` covers a disclosure to `to`: the same
    /// agency kind, and either no organisation named in the consent (any body
    /// of that kind) or the same organisation. A consent naming one
    /// organisation never covers a disclosure to the kind in general.
    pub fn covers(&self, to: &Recipient) -> bool {
        self.agency == to.agency
            && match (&self.organisation, &to.organisation) {
                (None, _) => true,
                (Some(a), Some(b)) => a == b,
                (Some(_), None) => false,
            }
    }
}

/// Why data is disclosed; consent is given for one purpose and covers no
/// other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Special social services (Rules of referral, 2024).
    SpecialSocialServices,
    /// Shelter or crisis centre.
    Shelter,
    /// Legal aid.
    LegalAid,
    /// Medical care.
    MedicalCare,
    /// Protection of a child's rights.
    ChildProtection,
    /// Criminal proceedings (as a witness or victim).
    CriminalProceedings,
    /// Return home or to another country.
    Repatriation,
}

/// How consent was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum ConsentMethod {
    /// The person signed a consent form.
    SignedForm {
        /// Reference of the signed form (register number, file id).
        form_reference: String,
    },
    /// The person consented orally, in the presence of a witness.
    OralWithWitness {
        /// Who witnessed it (name or staff id of the witness).
        witness: String,
    },
    /// A parent, guardian or other legal representative consented for a
    /// minor.
    LegalRepresentative {
        /// The representative (name or id).
        representative: String,
        /// Relation to the child (parent, guardian, guardianship body…).
        relation: String,
        /// Reference of the signed form, if signed.
        form_reference: Option<String>,
    },
}

/// What a worker fills in to record consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentDraft {
    /// The victim record it belongs to.
    pub record_id: Uuid,
    /// Who may receive the data.
    pub recipient: Recipient,
    /// Which data.
    pub categories: BTreeSet<DataCategory>,
    /// For what.
    pub purpose: Purpose,
    /// When the person gave it.
    pub given_at: DateTime<Utc>,
    /// How.
    pub method: ConsentMethod,
    /// Who records it (user id).
    pub recorded_by: String,
    /// When it lapses, if the person set a limit.
    pub valid_until: Option<DateTime<Utc>>,
}

/// The withdrawal of a consent: from `at` on, it covers nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// When the person withdrew it.
    pub at: DateTime<Utc>,
    /// Who recorded the withdrawal.
    pub recorded_by: String,
    /// The person's words or the circumstances, if any.
    pub note: Option<String>,
}

/// A recorded consent. Made only by [`Consent::record`], so every consent
/// has passed its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Id, cited in disclosure authorisations.
    pub id: Uuid,
    /// The victim record.
    pub record_id: Uuid,
    /// Who may receive the data.
    pub recipient: Recipient,
    /// Which data.
    pub categories: BTreeSet<DataCategory>,
    /// For what.
    pub purpose: Purpose,
    /// When given.
    pub given_at: DateTime<Utc>,
    /// How.
    pub method: ConsentMethod,
    /// Who recorded it.
    pub recorded_by: String,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// When it lapses.
    pub valid_until: Option<DateTime<Utc>>,
    /// Its withdrawal, once withdrawn.
    pub withdrawal: Option<Withdrawal>,
}

/// Whether a consent is in force at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ConsentState {
    /// Given after the moment asked about.
    NotYetGiven,
    /// In force.
    Active,
    /// Lapsed at `valid_until`.
    Expired {
        /// When.
        at: DateTime<Utc>,
    },
    /// Withdrawn.
    Withdrawn {
        /// When.
        at: DateTime<Utc>,
    },
}

/// Why a consent could not be recorded or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// A required text was empty.
    #[error("`{0}` must not be empty")]
    Empty(&'static str),
    /// No data category was named; such a consent would mean nothing.
    #[error("a consent must name at least one data category")]
    NoCategories,
    /// Recorded before it was given.
    #[error("consent cannot be recorded before it was given")]
    RecordedBeforeGiven,
    /// Lapses before it was given.
    #[error("`valid_until` must be after `given_at`")]
    LapsesBeforeGiven,
    /// Withdrawn twice.
    #[error("consent {0} is already withdrawn")]
    AlreadyWithdrawn(Uuid),
    /// Withdrawal dated before the consent was given.
    #[error("a withdrawal cannot be dated before the consent was given")]
    WithdrawnBeforeGiven,
}

fn non_empty(s: &str, what: &'static str) -> Result<(), ConsentError> {
    if s.trim().is_empty() {
        Err(ConsentError::Empty(what))
    } else {
        Ok(())
    }
}

impl Consent {
    /// Records a consent: checks that the recipient, method details and
    /// recorder are named, at least one category is given, and the dates
    /// are in order.
    pub fn record(
        draft: ConsentDraft,
        recorded_at: DateTime<Utc>,
    ) -> Result<Consent, ConsentError> {
        non_empty(&draft.recipient.agency, "recipient.agency")?;
        if let Some(o) = &draft.recipient.organisation {
            non_empty(o, "recipient.organisation")?;
        }
        non_empty(&draft.recorded_by, "recorded_by")?;
        match &draft.method {
            ConsentMethod::SignedForm { form_reference } => {
                non_empty(form_reference, "method.form_reference")?;
            }
            ConsentMethod::OralWithWitness { witness } => non_empty(witness, "method.witness")?,
            ConsentMethod::LegalRepresentative {
                representative,
                relation,
                form_reference,
            } => {
                non_empty(representative, "method.representative")?;
                non_empty(relation, "method.relation")?;
                if let Some(f) = form_reference {
                    non_empty(f, "method.form_reference")?;
                }
            }
        }
        if draft.categories.is_empty() {
            return Err(ConsentError::NoCategories);
        }
        if recorded_at < draft.given_at {
            return Err(ConsentError::RecordedBeforeGiven);
        }
        if draft.valid_until.is_some_and(|v| v <= draft.given_at) {
            return Err(ConsentError::LapsesBeforeGiven);
        }
        Ok(Consent {
            id: Uuid::now_v7(),
            record_id: draft.record_id,
            recipient: draft.recipient,
            categories: draft.categories,
            purpose: draft.purpose,
            given_at: draft.given_at,
            method: draft.method,
            recorded_by: draft.recorded_by,
            recorded_at,
            valid_until: draft.valid_until,
            withdrawal: None,
        })
    }

    /// Withdraws the consent from `at` on. Disclosures made before `at`
    /// stay covered; none after it.
    pub fn withdraw(
        &mut self,
        at: DateTime<Utc>,
        recorded_by: &str,
        note: Option<String>,
    ) -> Result<(), ConsentError> {
        if self.withdrawal.is_some() {
            return Err(ConsentError::AlreadyWithdrawn(self.id));
        }
        non_empty(recorded_by, "recorded_by")?;
        if at < self.given_at {
            return Err(ConsentError::WithdrawnBeforeGiven);
        }
        self.withdrawal = Some(Withdrawal {
            at,
            recorded_by: recorded_by.to_string(),
            note: note.filter(|n| !n.trim().is_empty()),
        });
        Ok(())
    }

    /// The consent's state at a moment.
    pub fn state_at(&self, at: DateTime<Utc>) -> ConsentState {
        if at < self.given_at {
            return ConsentState::NotYetGiven;
        }
        if let Some(w) = &self.withdrawal
            && at >= w.at
        {
            return ConsentState::Withdrawn { at: w.at };
        }
        if let Some(v) = self.valid_until
            && at >= v
        {
            return ConsentState::Expired { at: v };
        }
        ConsentState::Active
    }

    fn given_by_representative(&self) -> bool {
        matches!(self.method, ConsentMethod::LegalRepresentative { .. })
    }
}

/// A disclosure someone wants to make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureRequest {
    /// The victim record.
    pub record_id: Uuid,
    /// To whom.
    pub recipient: Recipient,
    /// Which data.
    pub categories: BTreeSet<DataCategory>,
    /// For what.
    pub purpose: Purpose,
    /// Whether the person is a minor: a minor's consent counts only when a
    /// legal representative gave it.
    pub subject: MinorStatus,
    /// When the disclosure would be made.
    pub at: DateTime<Utc>,
}

/// Why one category of a request is not covered, per consent looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "why")]
pub enum NotCovered {
    /// No consent names this recipient, purpose and category.
    NoConsent,
    /// A matching consent was withdrawn.
    Withdrawn {
        /// The consent.
        consent: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A matching consent has lapsed.
    Expired {
        /// The consent.
        consent: Uuid,
        /// When.
        at: DateTime<Utc>,
    },
    /// A matching consent is dated after the disclosure.
    NotYetGiven {
        /// The consent.
        consent: Uuid,
    },
    /// The person is a minor and the consent was not given by a legal
    /// representative.
    MinorWithoutRepresentative {
        /// The consent.
        consent: Uuid,
    },
}

/// Which categories of a request current consent covers, and why the others
/// are not.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Covered categories and the consent covering each.
    pub covered: BTreeMap<DataCategory, Uuid>,
    /// Categories not covered, with the reasons.
    pub uncovered: BTreeMap<DataCategory, Vec<NotCovered>>,
}

impl Coverage {
    /// Every category is covered.
    pub fn is_complete(&self) -> bool {
        self.uncovered.is_empty()
    }

    /// The consents used, without repeats.
    pub fn consents(&self) -> Vec<Uuid> {
        let set: BTreeSet<Uuid> = self.covered.values().copied().collect();
        set.into_iter().collect()
    }
}

/// Works out, category by category, whether current consent covers a
/// disclosure. Several consents may together cover one request (e.g. one
/// for contacts, a later one for the address).
pub fn coverage(consents: &[Consent], request: &DisclosureRequest) -> Coverage {
    let mut cov = Coverage::default();
    for &cat in &request.categories {
        let mut reasons = Vec::new();
        let mut found = None;
        for c in consents.iter().filter(|c| {
            c.record_id == request.record_id
                && c.purpose == request.purpose
                && c.recipient.covers(&request.recipient)
                && c.categories.contains(&cat)
        }) {
            match c.state_at(request.at) {
                ConsentState::Active => {
                    if request.subject.protections_apply() && !c.given_by_representative() {
                        reasons.push(NotCovered::MinorWithoutRepresentative { consent: c.id });
                    } else {
                        found = Some(c.id);
                        break;
                    }
                }
                ConsentState::NotYetGiven => {
                    reasons.push(NotCovered::NotYetGiven { consent: c.id })
                }
                ConsentState::Expired { at } => {
                    reasons.push(NotCovered::Expired { consent: c.id, at });
                }
                ConsentState::Withdrawn { at } => {
                    reasons.push(NotCovered::Withdrawn { consent: c.id, at });
                }
            }
        }
        match found {
            Some(id) => {
                cov.covered.insert(cat, id);
            }
            None => {
                if reasons.is_empty() {
                    reasons.push(NotCovered::NoConsent);
                }
                cov.uncovered.insert(cat, reasons);
            }
        }
    }
    cov
}

/// Which roles may override missing consent. Built by the caller from its
/// own role model (e.g. a child-rights officer acting for a child whose
/// guardian is implicated, or a prosecutor when a life is at risk), so the
/// rule is explicit and testable rather than hidden in a role check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OverridePolicy {
    roles: BTreeSet<String>,
}

impl OverridePolicy {
    /// A policy letting exactly these roles override.
    pub fn new<I, S>(roles: I) -> OverridePolicy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        OverridePolicy {
            roles: roles
                .into_iter()
                .map(Into::into)
                .filter(|r: &String| !r.trim().is_empty())
                .collect(),
        }
    }

    /// A policy under which nobody may override.
    pub fn nobody() -> OverridePolicy {
        OverridePolicy::default()
    }

    /// Whether a role may override.
    pub fn allows(&self, role: &str) -> bool {
        self.roles.contains(role)
    }
}

/// A request to disclose without (complete) consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideRequest {
    /// Who decides (user id).
    pub user: String,
    /// In which role.
    pub role: String,
    /// Why; required.
    pub reason: String,
}

/// A disclosure made without complete consent by an authorised person's
/// decision. Written to the audit log as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    /// Id of the override.
    pub id: Uuid,
    /// The victim record.
    pub record_id: Uuid,
    /// To whom.
    pub recipient: Recipient,
    /// All categories disclosed.
    pub categories: BTreeSet<DataCategory>,
    /// The categories consent did not cover, with the reasons.
    pub uncovered: BTreeMap<DataCategory, Vec<NotCovered>>,
    /// Consents that covered the other categories.
    pub consents: Vec<Uuid>,
    /// For what.
    pub purpose: Purpose,
    /// Who decided.
    pub user: String,
    /// In which role.
    pub role: String,
    /// Why.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Why a disclosure may go out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "basis")]
pub enum Authorisation {
    /// Current consent covers every category.
    Consented {
        /// The consents relied on.
        consents: Vec<Uuid>,
    },
    /// An authorised person overrode missing consent (boxed: the record is
    /// large and the consented case is the common one).
    Overridden(Box<Override>),
}

/// Why a disclosure was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisclosureRefused {
    /// The request named no category.
    #[error("a disclosure must name at least one data category")]
    NoCategories,
    /// Consent does not cover the request and no override was given.
    #[error("consent does not cover: {}", categories(.0))]
    NotCovered(BTreeMap<DataCategory, Vec<NotCovered>>),
    /// An override was asked by a role the policy does not allow.
    #[error("role `{role}` may not override missing consent")]
    RoleMayNotOverride {
        /// The role given.
        role: String,
        /// What consent did not cover.
        uncovered: BTreeMap<DataCategory, Vec<NotCovered>>,
    },
    /// An override without a reason.
    #[error("an override needs a reason")]
    EmptyReason,
    /// An override without a user.
    #[error("an override needs the deciding user")]
    EmptyUser,
}

fn categories(m: &BTreeMap<DataCategory, Vec<NotCovered>>) -> String {
    m.keys()
        .map(|c| format!("{c:?}").to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Decides whether a disclosure may go out: yes if current consent covers
/// every category; otherwise only with an override by a role the policy
/// allows, with a non-empty reason, returned as an [`Override`] record. When
/// consent covers everything an override given anyway is not used.
pub fn authorise(
    consents: &[Consent],
    request: &DisclosureRequest,
    policy: &OverridePolicy,
    override_request: Option<&OverrideRequest>,
) -> Result<Authorisation, DisclosureRefused> {
    if request.categories.is_empty() {
        return Err(DisclosureRefused::NoCategories);
    }
    let cov = coverage(consents, request);
    if cov.is_complete() {
        return Ok(Authorisation::Consented {
            consents: cov.consents(),
        });
    }
    let Some(o) = override_request else {
        return Err(DisclosureRefused::NotCovered(cov.uncovered));
    };
    if !policy.allows(&o.role) {
        return Err(DisclosureRefused::RoleMayNotOverride {
            role: o.role.clone(),
            uncovered: cov.uncovered,
        });
    }
    if o.user.trim().is_empty() {
        return Err(DisclosureRefused::EmptyUser);
    }
    if o.reason.trim().is_empty() {
        return Err(DisclosureRefused::EmptyReason);
    }
    let consents_used = cov.consents();
    Ok(Authorisation::Overridden(Box::new(Override {
        id: Uuid::now_v7(),
        record_id: request.record_id,
        recipient: request.recipient.clone(),
        categories: request.categories.clone(),
        uncovered: cov.uncovered,
        consents: consents_used,
        purpose: request.purpose,
        user: o.user.trim().to_string(),
        role: o.role.clone(),
        reason: o.reason.trim().to_string(),
        at: request.at,
    })))
}
