//! The investigator's checklist of study section 5.3, attached to every
//! criminal case as tasks, and its progress.
//!
//! The checklist itself is data in `qorgau-casework`; here it becomes rows:
//! each item one task under its stable key, titled in Russian (the working
//! language of case files; the interface shows the item's title in the
//! reader's language by key).

use std::sync::OnceLock;

use qorgau_casework::checklist::{Checklist, TaskState};
use qorgau_response::{CaseKind, TaskStatus};
use qorgau_store::TaskRecord;

use crate::api::cases::Progress;

/// The built-in checklist, loaded once. It is embedded and checked by its
/// crate's tests, so a failure here is a build defect; it then yields no
/// tasks rather than stopping every case from opening.
pub fn builtin() -> Option<&'static Checklist> {
    static LIST: OnceLock<Option<Checklist>> = OnceLock::new();
    LIST.get_or_init(|| match Checklist::builtin() {
        Ok(list) => Some(list),
        Err(e) => {
            tracing::error!(error = %e, "the built-in checklist does not load");
            None
        }
    })
    .as_ref()
}

/// The tasks a new case starts with: the whole checklist for a criminal
/// case; none for a support case (its work is the victim's services).
pub fn tasks(kind: CaseKind) -> Vec<(Option<String>, String)> {
    match (kind, builtin()) {
        (CaseKind::Criminal, Some(list)) => list
            .items()
            .iter()
            .map(|item| (Some(item.key.clone()), item.title.ru.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

/// Progress over a case's checklist tasks (tasks added by hand do not count).
pub fn progress(tasks: &[TaskRecord]) -> Progress {
    let p = qorgau_casework::checklist::Progress::of(
        tasks
            .iter()
            .filter(|t| t.checklist_key.is_some())
            .map(|t| match t.status {
                TaskStatus::Open => TaskState::Open,
                TaskStatus::Done => TaskState::Done,
                TaskStatus::NotApplicable => TaskState::NotApplicable,
            }),
    );
    Progress {
        done: u32::try_from(p.done).unwrap_or(u32::MAX),
        applicable: u32::try_from(p.applicable).unwrap_or(u32::MAX),
        percent: u32::from(p.percent),
    }
}
