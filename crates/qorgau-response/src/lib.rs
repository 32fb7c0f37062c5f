//! The early-response domain (issue 5): who works in Qorgau and what each
//! may do, and the signals that start a response.
//!
//! No HTTP and no SQL here: the server authorises every request with
//! [`Role::may`], the store persists [`User`], [`Agency`] and signals keyed
//! by [`SignalKeys`].

mod accounts;
mod cases;
mod roles;
mod signals;

pub use accounts::{Agency, User, UsernameError, check_username};
pub use cases::{
    CaseAccess, CaseKind, CaseStatus, CaseTextError, PersonRole, TaskStatus, case_access,
    check_text,
};
pub use roles::{Permission, Role, RoleParseError};
pub use signals::{
    DismissalCategory, Identifier, IdentifierKind, SignalDraft, SignalError, SignalKeys,
    SignalSource, SignalStatus, check_reason, normalise_resource,
};
