//! Roles and permissions: what a person in each position may do.
//!
//! The matrix is code, reviewed like code, because a mistake in it is a
//! leak of a victim's identity or of an operation; agencies (who people work
//! for) are data. A user holds one or more roles; a request is allowed when
//! any of them grants the permission. Agency boundaries (a case is seen by
//! its own agency and by agencies it was referred to) are checked on top of
//! this by the server.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A position in an agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Installs and runs Qorgau: users, agencies, rules. Sees no case data
    /// by this role alone.
    Administrator,
    /// Cyber-police analyst: signals, triage, detection, operational data.
    Analyst,
    /// Investigator: cases, evidence, persons, referrals, takedowns.
    Investigator,
    /// Head of a unit: what investigators do, plus escalations and overrides.
    Supervisor,
    /// Prosecutor: oversight of cases, evidence, qualification.
    Prosecutor,
    /// Social services: victim support, screening, referrals to services.
    SocialWorker,
    /// Victim-support NGO: only the victim-support view, with consent.
    NgoWorker,
    /// A partner system (for example a «Кибернадзор» connector): submits
    /// signals over the API, reads their status.
    PartnerSystem,
}

impl Role {
    /// Every role, for listings and the access-matrix test.
    pub const ALL: [Role; 8] = [
        Role::Administrator,
        Role::Analyst,
        Role::Investigator,
        Role::Supervisor,
        Role::Prosecutor,
        Role::SocialWorker,
        Role::NgoWorker,
        Role::PartnerSystem,
    ];

    /// The name used in files, the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Analyst => "analyst",
            Role::Investigator => "investigator",
            Role::Supervisor => "supervisor",
            Role::Prosecutor => "prosecutor",
            Role::SocialWorker => "social_worker",
            Role::NgoWorker => "ngo_worker",
            Role::PartnerSystem => "partner_system",
        }
    }

    /// Reads a role name.
    pub fn parse(text: &str) -> Result<Role, RoleParseError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim())
            .ok_or_else(|| RoleParseError(text.to_owned()))
    }

    /// Whether this role grants `permission`.
    pub fn may(self, permission: Permission) -> bool {
        use Permission as P;
        use Role as R;
        match permission {
            P::ManageUsers | P::ManageAgencies => self == R::Administrator,
            P::SubmitSignal => matches!(
                self,
                R::Analyst | R::Investigator | R::Supervisor | R::PartnerSystem
            ),
            P::ReadSignals => matches!(self, R::Analyst | R::Investigator | R::Supervisor),
            P::TriageSignals => matches!(self, R::Analyst | R::Investigator | R::Supervisor),
            P::ReadOwnSignalStatus => self == R::PartnerSystem,
            P::ManageComplaints => matches!(self, R::Analyst | R::Supervisor),
            P::ReadDirectory => true,
            P::PreviewRouting => matches!(
                self,
                R::Administrator | R::Analyst | R::Investigator | R::Supervisor | R::Prosecutor
            ),
            P::UseLawAssistant => matches!(
                self,
                R::Analyst | R::Investigator | R::Supervisor | R::Prosecutor
            ),
            P::OpenCases | P::EditCases => {
                matches!(self, R::Analyst | R::Investigator | R::Supervisor)
            }
            P::ReadCases | P::RespondToReferrals => matches!(
                self,
                R::Analyst
                    | R::Investigator
                    | R::Supervisor
                    | R::Prosecutor
                    | R::SocialWorker
                    | R::NgoWorker
            ),
            P::OverrideConsent | P::RunEscalations => {
                matches!(self, R::Supervisor | R::Prosecutor)
            }
            P::ReadVictimIdentity => {
                matches!(self, R::Supervisor | R::SocialWorker | R::NgoWorker)
            }
            P::ManageIdentities => self == R::Supervisor,
            P::UseIdentities => matches!(self, R::Analyst | R::Investigator | R::Supervisor),
            P::ShareIndicators => matches!(
                self,
                R::Analyst | R::Investigator | R::Supervisor | R::Prosecutor | R::PartnerSystem
            ),
            P::ReadMoney => matches!(
                self,
                R::Analyst | R::Investigator | R::Supervisor | R::Prosecutor
            ),
            P::EditLexicon => matches!(self, R::Analyst | R::Supervisor),
            P::ReviewLexicon => self == R::Supervisor,
            P::ViewRestrictedMaterial => {
                matches!(self, R::Investigator | R::Supervisor | R::Prosecutor)
            }
            P::MarkRestrictedMaterial => matches!(
                self,
                R::Analyst | R::Investigator | R::Supervisor | R::Prosecutor
            ),
            P::ReleaseRestrictedMaterial => self == R::Supervisor,
            P::ScreenVictims => matches!(
                self,
                R::Investigator | R::Supervisor | R::SocialWorker | R::NgoWorker
            ),
        }
    }

    /// Every permission this role grants.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.may(*p))
            .collect()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a role (roles: administrator, analyst, investigator, supervisor, prosecutor, social_worker, ngo_worker, partner_system)"
)]
pub struct RoleParseError(pub String);

/// Something a request may do. Each endpoint names the one it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Create, disable and change users and their tokens.
    ManageUsers,
    /// Create and change agencies.
    ManageAgencies,
    /// Submit a signal (by hand or from a partner system).
    SubmitSignal,
    /// Read the signal queue with its details.
    ReadSignals,
    /// Change a signal's status (dismiss, accept into a case).
    TriageSignals,
    /// Read the status of signals one has submitted oneself.
    ReadOwnSignalStatus,
    /// Move citizen complaints through their statuses.
    ManageComplaints,
    /// Read the list of agencies (names, kinds, regions).
    ReadDirectory,
    /// Ask the legal qualification assistant.
    UseLawAssistant,
    /// See where the routing rules would send a case with given facts.
    PreviewRouting,
    /// Open a case (from a signal or by hand) and merge signals into cases.
    OpenCases,
    /// Read cases: only those of one's agency or referred to it, and only
    /// the parts the referral's scopes and one's role allow (see
    /// [`crate::case_access`]).
    ReadCases,
    /// Change a case one may see operationally: facts, persons, notes,
    /// tasks, resources and identifiers.
    EditCases,
    /// Acknowledge, reject, act on and close referrals made to one's agency.
    RespondToReferrals,
    /// Send a consent-bound referral without recorded consent, with a reason
    /// (for example to protect a minor); audited.
    OverrideConsent,
    /// Run the deadline check now instead of waiting for its timer.
    RunEscalations,
    /// See a victim's personal data (name, contacts), where the case's scopes
    /// include victim support; everyone else sees that a victim exists.
    ReadVictimIdentity,
    /// Screen a person with the identification form, record a victim with
    /// sealed personal data, and record or withdraw consent.
    ScreenVictims,
    /// Register operational virtual identities and their court
    /// authorisations.
    ManageIdentities,
    /// Open operations under a virtual identity (after acknowledging the
    /// provocation safeguards) and log the actions taken through it.
    UseIdentities,
    /// Read and add indicators in the TAXII collections of the sharing
    /// groups one's agency belongs to, and publish a case's indicators there.
    ShareIndicators,
    /// Read the money of a case one may see with its identifiers: red
    /// flags, transfers, accounts and the flow graph (linking an account by
    /// hand is a change of the case, [`Permission::EditCases`]).
    ///
    /// Police (analysts, investigators, supervisors) and prosecutors only.
    /// [`Permission::ReadCases`] does not fit: it also lets social and NGO
    /// workers read the victim-support view of a case, and who paid whom,
    /// from which card to which wallet, is operational detail of a criminal
    /// case that their work does not need and that the access rules never
    /// give them (their roles never get the identifiers or evidence scope,
    /// see [`crate::case_access`]). Refused to them before any case is
    /// looked at, whatever a referral says; administrators and partner
    /// systems see no case data at all. The agency boundary and the
    /// referral's scopes are checked on top of this by the server.
    ReadMoney,
    /// Read the indicator lexicon, its history and how each indicator fared
    /// in triage, and propose an edit. Analysts and supervisors: the people
    /// who triage are the ones who see where it misfires.
    EditLexicon,
    /// Approve or reject another person's proposed lexicon, putting it in
    /// force for every scan. Supervisors: a change to what is flagged is a
    /// decision about whose ads a person is asked to read.
    ReviewLexicon,
    /// See content marked as suspected child sexual abuse material: blurred
    /// by default, the original on an explicit request; every showing is a
    /// `viewed` entry. Investigators, supervisors and prosecutors, who must
    /// assess it for the case; analysts triage the open web and are spared
    /// it, and social and NGO workers never see evidence at all.
    ViewRestrictedMaterial,
    /// Mark an item's content as suspected abuse material. Everyone who
    /// reads evidence: marking protects, so it is never a reason to hold
    /// back.
    MarkRestrictedMaterial,
    /// Clear a mark found to be wrong, with a reason. Supervisors only: a
    /// release makes material visible again to everyone with evidence.
    ReleaseRestrictedMaterial,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 27] = [
        Permission::ManageUsers,
        Permission::ManageAgencies,
        Permission::SubmitSignal,
        Permission::ReadSignals,
        Permission::TriageSignals,
        Permission::ReadOwnSignalStatus,
        Permission::ManageComplaints,
        Permission::ReadDirectory,
        Permission::UseLawAssistant,
        Permission::PreviewRouting,
        Permission::OpenCases,
        Permission::ReadCases,
        Permission::EditCases,
        Permission::RespondToReferrals,
        Permission::OverrideConsent,
        Permission::RunEscalations,
        Permission::ReadVictimIdentity,
        Permission::ScreenVictims,
        Permission::ManageIdentities,
        Permission::UseIdentities,
        Permission::ShareIndicators,
        Permission::ReadMoney,
        Permission::EditLexicon,
        Permission::ReviewLexicon,
        Permission::ViewRestrictedMaterial,
        Permission::MarkRestrictedMaterial,
        Permission::ReleaseRestrictedMaterial,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn an_ngo_worker_reads_no_signal_and_an_administrator_no_case_data() {
        assert!(!Role::NgoWorker.may(Permission::ReadSignals));
        assert!(!Role::Administrator.may(Permission::ReadSignals));
        assert!(Role::Administrator.may(Permission::ManageUsers));
        assert!(!Role::Supervisor.may(Permission::ManageUsers));
        assert!(Role::PartnerSystem.may(Permission::SubmitSignal));
        assert!(!Role::PartnerSystem.may(Permission::ReadSignals));
    }

    #[test]
    fn money_is_for_police_and_prosecutors_only() {
        let readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.may(Permission::ReadMoney))
            .collect();
        assert_eq!(
            readers,
            vec![
                Role::Analyst,
                Role::Investigator,
                Role::Supervisor,
                Role::Prosecutor
            ]
        );
        // Whoever may link an account by hand may also read the money.
        for role in Role::ALL {
            assert!(!role.may(Permission::EditCases) || role.may(Permission::ReadMoney));
        }
    }
}
