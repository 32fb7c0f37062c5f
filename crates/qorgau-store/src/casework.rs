//! Cases of the early-response module: case files, what they point to,
//! persons, notes, tasks, referrals and escalations.
//!
//! Every change is one transaction with its ledger entry on the case's
//! chain (kind `changed`, or `case_opened` for a new case), so the timeline
//! a court sees and the rows the server shows cannot disagree. Reads through
//! the server are recorded with [`Store::record_read`].

use qorgau_core::{Actor, CaseName, Id, Timestamp, Tool};
use qorgau_evidence::{CaseRecord, EntryDraft, EventKind, LedgerKey};
use qorgau_response::{CaseKind, CaseStatus, PersonRole, TaskStatus};
use qorgau_routing::{CaseFacts, Referral};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::ledger::append_in;
use crate::rows::{CorruptRow, Reader};

/// Who makes a change and with what: the ledger's actor and tool, and the
/// key that signs the entry.
#[derive(Clone, Copy)]
pub struct ChangeBy<'a> {
    /// The person (user name, host of the request).
    pub actor: &'a Actor,
    /// The tool (Qorgau's server and version).
    pub tool: &'a Tool,
    /// The installation's ledger key.
    pub key: &'a LedgerKey,
}

impl ChangeBy<'_> {
    pub(crate) fn entry(
        &self,
        kind: EventKind,
        case_id: Id,
        details: serde_json::Value,
    ) -> EntryDraft {
        let mut draft = EntryDraft::now(kind, self.actor.clone(), self.tool.clone());
        draft.case_id = Some(case_id);
        draft.details = details.to_string();
        draft
    }
}

/// A case as the response module keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFile {
    /// The vault's case (id, name, who opened it).
    pub case: CaseRecord,
    /// Operational title.
    pub title: String,
    /// Criminal or support.
    pub kind: CaseKind,
    /// Open or closed.
    pub status: CaseStatus,
    /// The agency that owns it.
    pub owner_agency_id: Id,
    /// What routing depends on.
    pub facts: CaseFacts,
    /// The articles (and parts) of the Criminal Code the case is qualified
    /// under, as the investigator confirmed them (`128`, `128.2`).
    pub articles: Vec<String>,
    /// Last change.
    pub updated_at: Timestamp,
    /// Raised by every change, for optimistic concurrency.
    pub version: i64,
}

/// The new state of a case's own fields.
#[derive(Debug, Clone, Copy)]
pub struct CaseUpdate<'a> {
    /// Title.
    pub title: &'a str,
    /// Open or closed.
    pub status: CaseStatus,
    /// Routing facts.
    pub facts: &'a CaseFacts,
    /// Qualification.
    pub articles: &'a [String],
}

/// What a new case starts with.
#[derive(Debug, Clone)]
pub struct NewCaseFile {
    /// The vault name (a registration number, or one made by the server).
    pub name: CaseName,
    /// Operational title.
    pub title: String,
    /// Criminal or support.
    pub kind: CaseKind,
    /// The owning agency.
    pub owner_agency_id: Id,
    /// Initial facts.
    pub facts: CaseFacts,
    /// Signals accepted into it (their keys become the case's).
    pub signals: Vec<Id>,
    /// Resources and identifiers, as (kind, normalised value).
    pub keys: Vec<(String, String)>,
    /// Tasks to attach: (checklist key, title).
    pub tasks: Vec<(Option<String>, String)>,
}

/// A key a case points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseKey {
    /// `resource`, `phone`, `handle`, `wallet`…
    pub kind: String,
    /// Normalised value.
    pub value: String,
    /// When added.
    pub added_at: Timestamp,
    /// By whom.
    pub added_by: String,
}

/// A person in a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRecord {
    /// Id.
    pub id: Id,
    /// The case.
    pub case_id: Id,
    /// Suspect, victim or witness.
    pub role: PersonRole,
    /// How the case refers to the person (a pseudonym for victims).
    pub label: String,
    /// The victim record (sealed personal data) of a victim, if one is kept.
    pub victim_id: Option<Id>,
    /// When added.
    pub added_at: Timestamp,
    /// By whom.
    pub added_by: String,
}

/// A note on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    /// Id.
    pub id: Id,
    /// When written.
    pub written_at: Timestamp,
    /// Who wrote it.
    pub author: String,
    /// The text.
    pub body: String,
}

/// A task on a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    /// Id.
    pub id: Id,
    /// The case.
    pub case_id: Id,
    /// The checklist item it comes from, if any.
    pub checklist_key: Option<String>,
    /// What to do.
    pub title: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// Who does it.
    pub assignee: Option<String>,
    /// Last change.
    pub updated_at: Timestamp,
    /// By whom.
    pub updated_by: String,
}

/// A stored referral.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRecord {
    /// Id.
    pub id: Id,
    /// The case.
    pub case_id: Id,
    /// The receiving agency.
    pub agency_id: Id,
    /// Its kind (what the rules name).
    pub agency_kind: String,
    /// The referral with its history.
    pub referral: Referral,
    /// Last change.
    pub updated_at: Timestamp,
}

/// A raised escalation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationRecord {
    /// Id.
    pub id: Id,
    /// The referral that missed a deadline.
    pub referral_id: Id,
    /// Its case.
    pub case_id: Id,
    /// The agency that missed it.
    pub agency_id: Id,
    /// `acknowledgement` or `action`.
    pub missed: String,
    /// When it was due.
    pub due: Timestamp,
    /// Who receives it.
    pub to_role: String,
    /// A heavy-escalation referral.
    pub heavy: bool,
    /// When raised.
    pub raised_at: Timestamp,
}

const FILE_COLUMNS: &str = "c.id AS id, c.name AS name, c.created_at AS created_at, \
     c.created_by AS created_by, c.created_host AS created_host, f.title AS title, f.kind AS kind, \
     f.status AS status, f.owner_agency_id AS owner_agency_id, f.facts AS facts, \
     f.articles AS articles, \
     f.updated_at AS updated_at, f.version AS version";

const REFERRAL_COLUMNS: &str = "id, case_id, agency_id, agency_kind, body, updated_at";

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Conflict(e.to_string()))
}

fn ts(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text).map_err(|e| e.to_string())
}

impl Store {
    /// Opens a case with its file, keys, tasks and accepted signals, in one
    /// transaction with its `case_opened` and `changed` entries. A name in
    /// use, or a signal already in another case, is a conflict.
    pub async fn create_case_file(
        &self,
        new: &NewCaseFile,
        by: ChangeBy<'_>,
    ) -> Result<CaseFile, StoreError> {
        let case = CaseRecord::new(new.name.clone(), by.actor.clone());
        let now = case.created_at;
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let inserted = sqlx::query(
            "INSERT INTO cases (id, name, created_at, created_by, created_host) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO NOTHING",
        )
        .bind(case.id.to_string())
        .bind(case.name.as_str())
        .bind(now.to_utc_string())
        .bind(&case.created_by.user)
        .bind(&case.created_by.host)
        .execute(&mut *tx)
        .await
        .doing(format!("opening case {}", new.name))?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "a case named {:?} exists already",
                new.name.as_str()
            )));
        }
        sqlx::query(
            "INSERT INTO case_files (case_id, title, kind, status, owner_agency_id, facts, \
             articles, created_at, updated_at, version) \
             VALUES ($1, $2, $3, 'open', $4, $5, '[]', $6, $6, 1)",
        )
        .bind(case.id.to_string())
        .bind(&new.title)
        .bind(new.kind.as_str())
        .bind(new.owner_agency_id.to_string())
        .bind(json(&new.facts)?)
        .bind(now.to_utc_string())
        .execute(&mut *tx)
        .await
        .doing("writing the case file")?;
        for signal in &new.signals {
            accept_signal_in(&mut tx, case.id, *signal, &by.actor.user, now).await?;
        }
        insert_keys_in(&mut tx, case.id, &new.keys, &by.actor.user, now).await?;
        for (checklist_key, title) in &new.tasks {
            insert_task_in(
                &mut tx,
                case.id,
                checklist_key.as_deref(),
                title,
                &by.actor.user,
                now,
            )
            .await?;
        }
        let mut opened = EntryDraft::now(EventKind::CaseOpened, by.actor.clone(), by.tool.clone());
        opened.at = now;
        opened.case_id = Some(case.id);
        opened.subject_digest = Some(case.record_digest());
        opened.details = serde_json::json!({ "name": new.name.as_str() }).to_string();
        let mut created = by.entry(
            EventKind::Changed,
            case.id,
            serde_json::json!({
                "action": "case_created",
                "title": new.title,
                "kind": new.kind.as_str(),
                "owner_agency_id": new.owner_agency_id.to_string(),
                "facts": new.facts,
                "signals": new.signals.iter().map(Id::to_string).collect::<Vec<_>>(),
                "keys": new.keys.len(),
                "tasks": new.tasks.len(),
            }),
        );
        created.at = now;
        append_in(&mut tx, vec![opened, created], by.key).await?;
        tx.commit().await.doing("committing the new case")?;
        Ok(CaseFile {
            case,
            title: new.title.clone(),
            kind: new.kind,
            status: CaseStatus::Open,
            owner_agency_id: new.owner_agency_id,
            facts: new.facts.clone(),
            articles: Vec::new(),
            updated_at: now,
            version: 1,
        })
    }

    /// The random seed the case's shared (STIX) object ids derive from,
    /// made on first use and kept, so every export names its objects alike
    /// and nobody outside can compute them.
    pub async fn share_seed(&self, case_id: Id) -> Result<Id, StoreError> {
        sqlx::query(
            "UPDATE case_files SET share_seed = $1 WHERE case_id = $2 AND share_seed IS NULL",
        )
        .bind(Id::new().to_string())
        .bind(case_id.to_string())
        .execute(&self.pool)
        .await
        .doing("making a case's sharing seed")?;
        let row = sqlx::query("SELECT share_seed FROM case_files WHERE case_id = $1")
            .bind(case_id.to_string())
            .fetch_one(&self.pool)
            .await
            .doing("reading a case's sharing seed")?;
        Ok(Reader::new(&row, "case_files", "share_seed").parse("share_seed", Id::parse)?)
    }

    /// Every case file, for statistics (de-identified by the caller).
    pub async fn all_case_files(&self) -> Result<Vec<CaseFile>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM case_files f JOIN cases c ON c.id = f.case_id ORDER BY c.id"
        )))
        .fetch_all(&self.pool)
        .await
        .doing("reading case files")?;
        Ok(rows.iter().map(file_from_row).collect::<Result<_, _>>()?)
    }

    /// One case file.
    pub async fn case_file(&self, case_id: Id) -> Result<Option<CaseFile>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM case_files f JOIN cases c ON c.id = f.case_id \
             WHERE f.case_id = $1"
        )))
        .bind(case_id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a case file")?;
        Ok(row.as_ref().map(file_from_row).transpose()?)
    }

    /// The case files an agency may list: its own, and those referred to it
    /// by a referral it has not rejected; most recently changed first.
    pub async fn case_files_for_agency(
        &self,
        agency_id: Id,
        limit: u32,
    ) -> Result<Vec<CaseFile>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM case_files f JOIN cases c ON c.id = f.case_id \
             WHERE f.owner_agency_id = $1 OR EXISTS (SELECT 1 FROM referrals r \
             WHERE r.case_id = f.case_id AND r.agency_id = $1 AND r.state <> 'rejected') \
             ORDER BY f.updated_at DESC, c.id LIMIT {}",
            limit.clamp(1, 1000)
        )))
        .bind(agency_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("listing case files")?;
        Ok(rows.iter().map(file_from_row).collect::<Result<_, _>>()?)
    }

    /// Changes a case's title, status, facts and articles if nobody changed it since
    /// `expected_version` was read (a stale write is a conflict, never a
    /// silent overwrite). Returns the case as it is now.
    pub async fn update_case_file(
        &self,
        case_id: Id,
        expected_version: i64,
        update: CaseUpdate<'_>,
        by: ChangeBy<'_>,
    ) -> Result<CaseFile, StoreError> {
        let CaseUpdate {
            title,
            status,
            facts,
            articles,
        } = update;
        let before = self
            .case_file(case_id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("no case {case_id}")))?;
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(
            "UPDATE case_files SET title = $1, status = $2, facts = $3, articles = $7, \
             updated_at = $4, version = version + 1 WHERE case_id = $5 AND version = $6",
        )
        .bind(title)
        .bind(status.as_str())
        .bind(json(facts)?)
        .bind(now.to_utc_string())
        .bind(case_id.to_string())
        .bind(expected_version)
        .bind(json(articles)?)
        .execute(&mut *tx)
        .await
        .doing("changing a case file")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "case {case_id} changed since version {expected_version} was read; reload it"
            )));
        }
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "case_updated",
                "before": { "title": before.title, "status": before.status.as_str(),
                            "facts": before.facts, "articles": before.articles },
                "after": { "title": title, "status": status.as_str(), "facts": facts,
                           "articles": articles },
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a case change")?;
        self.case_file(case_id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("case {case_id} vanished")))
    }

    /// Accepts a signal into an existing case (merge): its keys join the
    /// case's. A signal already in another case is a conflict.
    pub async fn merge_signal(
        &self,
        case_id: Id,
        signal_id: Id,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        accept_signal_in(&mut tx, case_id, signal_id, &by.actor.user, now).await?;
        touch_in(&mut tx, case_id, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({ "action": "signal_merged", "signal": signal_id.to_string() }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a merge")?;
        Ok(())
    }

    /// Adds resources or identifiers to a case (already present ones are
    /// kept as they were). Returns how many were new.
    pub async fn add_case_keys(
        &self,
        case_id: Id,
        keys: &[(String, String)],
        by: ChangeBy<'_>,
    ) -> Result<u64, StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let added = insert_keys_in(&mut tx, case_id, keys, &by.actor.user, now).await?;
        touch_in(&mut tx, case_id, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "keys_added",
                "keys": keys.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>(),
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing case keys")?;
        Ok(added)
    }

    /// A case's keys, in the order added.
    pub async fn case_keys(&self, case_id: Id) -> Result<Vec<CaseKey>, StoreError> {
        let rows = sqlx::query(
            "SELECT key_kind, key_value, added_at, added_by FROM case_keys WHERE case_id = $1 \
             ORDER BY added_at, key_kind, key_value",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading case keys")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "case_keys", "key_value");
                Ok(CaseKey {
                    kind: r.text("key_kind")?,
                    value: r.text("key_value")?,
                    added_at: r.parse("added_at", ts)?,
                    added_by: r.text("added_by")?,
                })
            })
            .collect::<Result<_, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Whether a monitored document exists.
    pub async fn document_exists(&self, id: Id) -> Result<bool, StoreError> {
        Ok(self
            .count("SELECT COUNT(*) AS n FROM documents WHERE id = $1", id)
            .await?
            > 0)
    }

    /// Attaches a monitored document to a case.
    pub async fn add_case_document(
        &self,
        case_id: Id,
        document_id: Id,
        by: ChangeBy<'_>,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(
            "INSERT INTO case_documents (case_id, document_id, added_at, added_by) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (case_id, document_id) DO NOTHING",
        )
        .bind(case_id.to_string())
        .bind(document_id.to_string())
        .bind(now.to_utc_string())
        .bind(&by.actor.user)
        .execute(&mut *tx)
        .await
        .doing("attaching a document")?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        touch_in(&mut tx, case_id, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({ "action": "document_attached", "document": document_id.to_string() }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a document")?;
        Ok(true)
    }

    /// A page of a case's documents (id, url, title, deleted), newest first,
    /// and how many there are in all.
    pub async fn case_documents(
        &self,
        case_id: Id,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<CaseDocument>, u64), StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT d.id AS id, d.url AS url, d.title AS title, d.deleted_at AS deleted_at, \
             cd.added_at AS added_at FROM case_documents cd JOIN documents d ON d.id = cd.document_id \
             WHERE cd.case_id = $1 ORDER BY cd.added_at DESC, cd.document_id LIMIT {} OFFSET {}",
            limit.clamp(1, 1000),
            offset
        )))
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading case documents")?;
        let docs = rows
            .iter()
            .map(|row| {
                let r = Reader::new(row, "case_documents", "id");
                Ok(CaseDocument {
                    id: r.parse("id", Id::parse)?,
                    url: r.opt_text("url")?,
                    title: r.opt_text("title")?,
                    deleted_at: r.parse_opt("deleted_at", ts)?,
                    added_at: r.parse("added_at", ts)?,
                })
            })
            .collect::<Result<Vec<_>, CorruptRow>>()?;
        let count = self
            .count(
                "SELECT COUNT(*) AS n FROM case_documents WHERE case_id = $1",
                case_id,
            )
            .await?;
        Ok((docs, count))
    }

    async fn count(&self, sql: &'static str, id: Id) -> Result<u64, StoreError> {
        let row = sqlx::query(sql)
            .bind(id.to_string())
            .fetch_one(&self.pool)
            .await
            .doing("counting")?;
        let n = Reader::new(&row, "count", "n").int("n")?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// How many vault items a case holds.
    pub async fn case_item_count(&self, case_id: Id) -> Result<u64, StoreError> {
        self.count(
            "SELECT COUNT(*) AS n FROM items WHERE case_id = $1",
            case_id,
        )
        .await
    }

    /// Adds a person to a case (a victim with a sealed record goes through
    /// [`Store::add_victim`] instead).
    pub async fn add_person(
        &self,
        case_id: Id,
        role: PersonRole,
        label: &str,
        by: ChangeBy<'_>,
    ) -> Result<PersonRecord, StoreError> {
        let now = Timestamp::now();
        let person = PersonRecord {
            id: Id::new(),
            case_id,
            role,
            label: label.to_owned(),
            victim_id: None,
            added_at: now,
            added_by: by.actor.user.clone(),
        };
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO case_persons (id, case_id, role, label, victim_id, added_at, added_by) \
             VALUES ($1, $2, $3, $4, NULL, $5, $6)",
        )
        .bind(person.id.to_string())
        .bind(case_id.to_string())
        .bind(role.as_str())
        .bind(label)
        .bind(now.to_utc_string())
        .bind(&by.actor.user)
        .execute(&mut *tx)
        .await
        .doing("adding a person")?;
        touch_in(&mut tx, case_id, now).await?;
        // The label only: personal data never goes into the ledger.
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "person_added",
                "person": person.id.to_string(),
                "role": role.as_str(),
                "label": label,
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a person")?;
        Ok(person)
    }

    /// A case's persons, in the order added.
    pub async fn persons(&self, case_id: Id) -> Result<Vec<PersonRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, role, label, victim_id, added_at, added_by \
             FROM case_persons WHERE case_id = $1 ORDER BY added_at, id",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading persons")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "case_persons", "id");
                Ok(PersonRecord {
                    id: r.parse("id", Id::parse)?,
                    case_id: r.parse("case_id", Id::parse)?,
                    role: r.parse("role", |t: &str| {
                        PersonRole::parse(t).ok_or_else(|| format!("unknown role {t:?}"))
                    })?,
                    label: r.text("label")?,
                    victim_id: r.parse_opt("victim_id", Id::parse)?,
                    added_at: r.parse("added_at", ts)?,
                    added_by: r.text("added_by")?,
                })
            })
            .collect::<Result<_, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Writes a note on a case.
    pub async fn add_note(
        &self,
        case_id: Id,
        body: &str,
        by: ChangeBy<'_>,
    ) -> Result<NoteRecord, StoreError> {
        let now = Timestamp::now();
        let note = NoteRecord {
            id: Id::new(),
            written_at: now,
            author: by.actor.user.clone(),
            body: body.to_owned(),
        };
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query(
            "INSERT INTO case_notes (id, case_id, written_at, author, body) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(note.id.to_string())
        .bind(case_id.to_string())
        .bind(now.to_utc_string())
        .bind(&note.author)
        .bind(body)
        .execute(&mut *tx)
        .await
        .doing("writing a note")?;
        touch_in(&mut tx, case_id, now).await?;
        let digest = qorgau_core::Sha256Digest::from_bytes(
            <sha2::Sha256 as sha2::Digest>::digest(body.as_bytes()).into(),
        );
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "note_written",
                "note": note.id.to_string(),
                "sha256": digest.to_hex(),
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a note")?;
        Ok(note)
    }

    /// A case's notes, oldest first.
    pub async fn notes(&self, case_id: Id) -> Result<Vec<NoteRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, written_at, author, body FROM case_notes WHERE case_id = $1 \
             ORDER BY written_at, id",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading notes")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "case_notes", "id");
                Ok(NoteRecord {
                    id: r.parse("id", Id::parse)?,
                    written_at: r.parse("written_at", ts)?,
                    author: r.text("author")?,
                    body: r.text("body")?,
                })
            })
            .collect::<Result<_, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Adds a task to a case.
    pub async fn add_task(
        &self,
        case_id: Id,
        checklist_key: Option<&str>,
        title: &str,
        by: ChangeBy<'_>,
    ) -> Result<Id, StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let id =
            insert_task_in(&mut tx, case_id, checklist_key, title, &by.actor.user, now).await?;
        touch_in(&mut tx, case_id, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({ "action": "task_added", "task": id.to_string(), "title": title }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a task")?;
        Ok(id)
    }

    /// Moves a task of `case_id` to `status` (and assigns it, if given).
    /// `false` when the case has no such task.
    pub async fn set_task(
        &self,
        case_id: Id,
        task_id: Id,
        status: TaskStatus,
        assignee: Option<&str>,
        by: ChangeBy<'_>,
    ) -> Result<bool, StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(
            "UPDATE case_tasks SET status = $1, assignee = COALESCE($2, assignee), updated_at = $3, \
             updated_by = $4 WHERE id = $5 AND case_id = $6",
        )
        .bind(status.as_str())
        .bind(assignee)
        .bind(now.to_utc_string())
        .bind(&by.actor.user)
        .bind(task_id.to_string())
        .bind(case_id.to_string())
        .execute(&mut *tx)
        .await
        .doing("changing a task")?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        touch_in(&mut tx, case_id, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "task_changed",
                "task": task_id.to_string(),
                "status": status.as_str(),
                "assignee": assignee,
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a task change")?;
        Ok(true)
    }

    /// A case's tasks, checklist tasks first in the order they were made.
    pub async fn tasks(&self, case_id: Id) -> Result<Vec<TaskRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, checklist_key, title, status, assignee, updated_at, updated_by \
             FROM case_tasks WHERE case_id = $1 ORDER BY created_at, id",
        )
        .bind(case_id.to_string())
        .fetch_all(&self.pool)
        .await
        .doing("reading tasks")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "case_tasks", "id");
                Ok(TaskRecord {
                    id: r.parse("id", Id::parse)?,
                    case_id: r.parse("case_id", Id::parse)?,
                    checklist_key: r.opt_text("checklist_key")?,
                    title: r.text("title")?,
                    status: r.parse("status", |t: &str| {
                        TaskStatus::parse(t).ok_or_else(|| format!("unknown status {t:?}"))
                    })?,
                    assignee: r.opt_text("assignee")?,
                    updated_at: r.parse("updated_at", ts)?,
                    updated_by: r.text("updated_by")?,
                })
            })
            .collect::<Result<_, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Stores a new referral with its hand-off entry. One referral per case
    /// and agency: a second is a conflict.
    pub async fn add_referral(
        &self,
        case_id: Id,
        agency_id: Id,
        referral: &Referral,
        explanation: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<ReferralRecord, StoreError> {
        let id = Id::new();
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let done = sqlx::query(
            "INSERT INTO referrals (id, case_id, agency_id, agency_kind, state, acknowledge_by, \
             act_by, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (case_id, agency_id) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(case_id.to_string())
        .bind(agency_id.to_string())
        .bind(&referral.agency)
        .bind(referral.state.name())
        .bind(Timestamp::from_datetime(referral.acknowledge_by).to_utc_string())
        .bind(Timestamp::from_datetime(referral.act_by).to_utc_string())
        .bind(json(referral)?)
        .bind(now.to_utc_string())
        .execute(&mut *tx)
        .await
        .doing("storing a referral")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "case {case_id} is already referred to agency {agency_id}"
            )));
        }
        let entry = by.entry(
            EventKind::Changed,
            case_id,
            serde_json::json!({
                "action": "referral_sent",
                "referral": id.to_string(),
                "agency_id": agency_id.to_string(),
                "agency_kind": referral.agency,
                "scopes": referral.scopes,
                "consent": referral.consent,
                "acknowledge_by": Timestamp::from_datetime(referral.acknowledge_by).to_utc_string(),
                "act_by": Timestamp::from_datetime(referral.act_by).to_utc_string(),
                "because": explanation,
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a referral")?;
        Ok(ReferralRecord {
            id,
            case_id,
            agency_id,
            agency_kind: referral.agency.clone(),
            referral: referral.clone(),
            updated_at: now,
        })
    }

    /// Saves a referral after a step (acknowledge, reject, act, close,
    /// escalation), if it is still in `expected_state` (a concurrent step is
    /// a conflict), with the step's ledger entry.
    pub async fn save_referral(
        &self,
        record: &ReferralRecord,
        expected_state: &str,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        save_referral_in(&mut tx, record, expected_state, now).await?;
        let entry = by.entry(EventKind::Changed, record.case_id, details);
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing a referral step")?;
        Ok(())
    }

    /// One referral.
    pub async fn referral(&self, id: Id) -> Result<Option<ReferralRecord>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a referral")?;
        Ok(row.as_ref().map(referral_from_row).transpose()?)
    }

    /// A case's referrals, oldest first.
    pub async fn referrals_of_case(&self, case_id: Id) -> Result<Vec<ReferralRecord>, StoreError> {
        self.referrals_where("case_id = $1", &case_id.to_string())
            .await
    }

    /// The referrals of several cases in one query (a case list shows each
    /// case as its referrals let the viewer see it), oldest first per case.
    pub async fn referrals_of_cases(
        &self,
        case_ids: &[Id],
    ) -> Result<std::collections::HashMap<Id, Vec<ReferralRecord>>, StoreError> {
        let mut out: std::collections::HashMap<Id, Vec<ReferralRecord>> =
            std::collections::HashMap::new();
        for chunk in case_ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let mut query = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE case_id IN ({}) \
                 ORDER BY updated_at, id",
                marks.join(", ")
            )));
            for id in chunk {
                query = query.bind(id.to_string());
            }
            let rows = query
                .fetch_all(&self.pool)
                .await
                .doing("reading the referrals of cases")?;
            for row in &rows {
                let r = referral_from_row(row)?;
                out.entry(r.case_id).or_default().push(r);
            }
        }
        Ok(out)
    }

    /// Referrals made to an agency, oldest first.
    pub async fn referrals_to_agency(
        &self,
        agency_id: Id,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        self.referrals_where("agency_id = $1", &agency_id.to_string())
            .await
    }

    async fn referrals_where(
        &self,
        filter: &'static str,
        value: &str,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE {filter} ORDER BY updated_at, id"
        )))
        .bind(value)
        .fetch_all(&self.pool)
        .await
        .doing("reading referrals")?;
        Ok(rows
            .iter()
            .map(referral_from_row)
            .collect::<Result<_, _>>()?)
    }

    /// Referrals still waiting for a step whose deadline passed before `now`:
    /// what the escalation run looks at.
    pub async fn referrals_past_deadline(
        &self,
        now: Timestamp,
    ) -> Result<Vec<ReferralRecord>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE \
             (state = 'sent' AND (acknowledge_by < $1 OR act_by < $1)) OR \
             (state = 'acknowledged' AND act_by < $1) ORDER BY acknowledge_by, id"
        )))
        .bind(now.to_utc_string())
        .fetch_all(&self.pool)
        .await
        .doing("finding referrals past their deadline")?;
        Ok(rows
            .iter()
            .map(referral_from_row)
            .collect::<Result<_, _>>()?)
    }

    /// Raises escalations of one referral: the rows, the referral with the
    /// escalations recorded, and the ledger entry, in one transaction.
    /// Returns the rows raised now (none when another run raised them first).
    pub async fn raise_escalations(
        &self,
        record: &ReferralRecord,
        expected_state: &str,
        raised: &[EscalationRecord],
        by: ChangeBy<'_>,
    ) -> Result<Vec<EscalationRecord>, StoreError> {
        let now = Timestamp::now();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let mut fresh = Vec::new();
        for e in raised {
            let done = sqlx::query(
                "INSERT INTO escalations (id, referral_id, case_id, agency_id, missed, due, to_role, \
                 heavy, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (referral_id, missed) DO NOTHING",
            )
            .bind(e.id.to_string())
            .bind(e.referral_id.to_string())
            .bind(e.case_id.to_string())
            .bind(e.agency_id.to_string())
            .bind(&e.missed)
            .bind(e.due.to_utc_string())
            .bind(&e.to_role)
            .bind(i64::from(e.heavy))
            .bind(e.raised_at.to_utc_string())
            .execute(&mut *tx)
            .await
            .doing("raising an escalation")?;
            if done.rows_affected() > 0 {
                fresh.push(e.clone());
            }
        }
        if fresh.is_empty() {
            return Ok(fresh);
        }
        save_referral_in(&mut tx, record, expected_state, now).await?;
        let entry = by.entry(
            EventKind::Changed,
            record.case_id,
            serde_json::json!({
                "action": "escalated",
                "referral": record.id.to_string(),
                "agency_kind": record.agency_kind,
                "missed": fresh.iter().map(|e| e.missed.clone()).collect::<Vec<_>>(),
                "due": fresh.iter().map(|e| e.due.to_utc_string()).collect::<Vec<_>>(),
                "to_role": record.referral.supervisor_role,
            }),
        );
        append_in(&mut tx, vec![entry], by.key).await?;
        tx.commit().await.doing("committing escalations")?;
        Ok(fresh)
    }

    /// Escalations of referrals that are still open, newest first: what
    /// every dashboard shows.
    pub async fn open_escalations(&self) -> Result<Vec<EscalationRecord>, StoreError> {
        let rows = sqlx::query(
            "SELECT e.id AS id, e.referral_id AS referral_id, e.case_id AS case_id, \
             e.agency_id AS agency_id, e.missed AS missed, e.due AS due, e.to_role AS to_role, \
             e.heavy AS heavy, e.raised_at AS raised_at FROM escalations e \
             JOIN referrals r ON r.id = e.referral_id \
             WHERE r.state = 'sent' OR (r.state = 'acknowledged' AND e.missed = 'action') \
             ORDER BY e.raised_at DESC, e.id",
        )
        .fetch_all(&self.pool)
        .await
        .doing("reading escalations")?;
        rows.iter()
            .map(|row| {
                let r = Reader::new(row, "escalations", "id");
                Ok(EscalationRecord {
                    id: r.parse("id", Id::parse)?,
                    referral_id: r.parse("referral_id", Id::parse)?,
                    case_id: r.parse("case_id", Id::parse)?,
                    agency_id: r.parse("agency_id", Id::parse)?,
                    missed: r.text("missed")?,
                    due: r.parse("due", ts)?,
                    to_role: r.text("to_role")?,
                    heavy: r.int("heavy")? != 0,
                    raised_at: r.parse("raised_at", ts)?,
                })
            })
            .collect::<Result<_, CorruptRow>>()
            .map_err(StoreError::from)
    }

    /// Records a change that has no row of its own (a drafted request, an
    /// export): one `changed` entry on the case's chain.
    pub async fn record_change(
        &self,
        case_id: Id,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let entry = by.entry(EventKind::Changed, case_id, details);
        self.append(vec![entry], by.key).await?;
        Ok(())
    }

    /// Records that someone read part of a case (the case page, a victim's
    /// identity, a referral): one `read` entry on the case's chain.
    pub async fn record_read(
        &self,
        case_id: Id,
        what: &str,
        details: serde_json::Value,
        by: ChangeBy<'_>,
    ) -> Result<(), StoreError> {
        let mut d = details;
        if let Some(map) = d.as_object_mut() {
            map.insert("read".into(), what.into());
        }
        let entry = by.entry(EventKind::Read, case_id, d);
        self.append(vec![entry], by.key).await?;
        Ok(())
    }
}

/// A document of a case, as its page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDocument {
    /// Document id.
    pub id: Id,
    /// Where it was found.
    pub url: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// When it disappeared from its source, if it did.
    pub deleted_at: Option<Timestamp>,
    /// When it was attached.
    pub added_at: Timestamp,
}

/// Marks a case changed (time and version) inside `conn`'s transaction;
/// a conflict when there is no such case.
pub(crate) async fn touch_in(
    conn: &mut AnyConnection,
    case_id: Id,
    now: Timestamp,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE case_files SET updated_at = $1, version = version + 1 WHERE case_id = $2",
    )
    .bind(now.to_utc_string())
    .bind(case_id.to_string())
    .execute(&mut *conn)
    .await
    .doing("marking a case changed")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!("no case {case_id}")));
    }
    Ok(())
}

async fn accept_signal_in(
    conn: &mut AnyConnection,
    case_id: Id,
    signal_id: Id,
    by: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let done = sqlx::query(
        "UPDATE signals SET status = 'accepted', case_id = $1 WHERE id = $2 \
         AND (case_id IS NULL OR case_id = $1)",
    )
    .bind(case_id.to_string())
    .bind(signal_id.to_string())
    .execute(&mut *conn)
    .await
    .doing("accepting a signal")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "signal {signal_id} does not exist or is in another case"
        )));
    }
    sqlx::query(
        "INSERT INTO case_keys (case_id, key_kind, key_value, added_at, added_by) \
         SELECT $1, key_kind, key_value, $2, $3 FROM signal_keys WHERE signal_id = $4 \
         ON CONFLICT (case_id, key_kind, key_value) DO NOTHING",
    )
    .bind(case_id.to_string())
    .bind(now.to_utc_string())
    .bind(by)
    .bind(signal_id.to_string())
    .execute(&mut *conn)
    .await
    .doing("copying a signal's keys")?;
    let rows = sqlx::query("SELECT key_kind, key_value FROM signal_keys WHERE signal_id = $1")
        .bind(signal_id.to_string())
        .fetch_all(&mut *conn)
        .await
        .doing("reading a signal's keys")?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in &rows {
        let r = crate::rows::Reader::new(row, "signal_keys", "key_value");
        keys.push((r.text("key_kind")?, r.text("key_value")?));
    }
    link_key_accounts(conn, case_id, &keys, now).await?;
    Ok(())
}

async fn insert_keys_in(
    conn: &mut AnyConnection,
    case_id: Id,
    keys: &[(String, String)],
    by: &str,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let mut added = 0;
    for (kind, value) in keys {
        let done = sqlx::query(
            "INSERT INTO case_keys (case_id, key_kind, key_value, added_at, added_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id, key_kind, key_value) DO NOTHING",
        )
        .bind(case_id.to_string())
        .bind(kind)
        .bind(value)
        .bind(now.to_utc_string())
        .bind(by)
        .execute(&mut *conn)
        .await
        .doing("adding a case key")?;
        added += done.rows_affected();
    }
    link_key_accounts(conn, case_id, keys, now).await?;
    Ok(added)
}

/// Cards, IBANs and wallets among a case's keys become accounts linked to
/// the case (the money side of the case sees them).
async fn link_key_accounts(
    conn: &mut AnyConnection,
    case_id: Id,
    keys: &[(String, String)],
    now: Timestamp,
) -> Result<(), StoreError> {
    let at = now.to_utc_string();
    let case = case_id.to_string();
    for (kind, value) in keys {
        if let Some(account) = qorgau_money::AccountRef::from_identifier(kind, value) {
            crate::money::link_account(conn, &account, "case", &case, Some(case_id), None, &at)
                .await?;
        }
    }
    Ok(())
}

async fn insert_task_in(
    conn: &mut AnyConnection,
    case_id: Id,
    checklist_key: Option<&str>,
    title: &str,
    by: &str,
    now: Timestamp,
) -> Result<Id, StoreError> {
    let id = Id::new();
    sqlx::query(
        "INSERT INTO case_tasks (id, case_id, checklist_key, title, status, assignee, created_at, \
         updated_at, updated_by) VALUES ($1, $2, $3, $4, 'open', NULL, $5, $5, $6)",
    )
    .bind(id.to_string())
    .bind(case_id.to_string())
    .bind(checklist_key)
    .bind(title)
    .bind(now.to_utc_string())
    .bind(by)
    .execute(&mut *conn)
    .await
    .doing("adding a task")?;
    Ok(id)
}

async fn save_referral_in(
    conn: &mut AnyConnection,
    record: &ReferralRecord,
    expected_state: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let r = &record.referral;
    let done = sqlx::query(
        "UPDATE referrals SET state = $1, acknowledge_by = $2, act_by = $3, body = $4, \
         updated_at = $5 WHERE id = $6 AND state = $7",
    )
    .bind(r.state.name())
    .bind(Timestamp::from_datetime(r.acknowledge_by).to_utc_string())
    .bind(Timestamp::from_datetime(r.act_by).to_utc_string())
    .bind(json(r)?)
    .bind(now.to_utc_string())
    .bind(record.id.to_string())
    .bind(expected_state)
    .execute(&mut *conn)
    .await
    .doing("saving a referral")?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(format!(
            "referral {} is no longer `{expected_state}`; reload it",
            record.id
        )));
    }
    Ok(())
}

fn file_from_row(row: &AnyRow) -> Result<CaseFile, CorruptRow> {
    let case = crate::rows::case_from_row(row)?;
    let r = Reader::new(row, "case_files", "id");
    Ok(CaseFile {
        case,
        title: r.text("title")?,
        kind: r.parse("kind", |t: &str| {
            CaseKind::parse(t).ok_or_else(|| format!("unknown kind {t:?}"))
        })?,
        status: r.parse("status", |t: &str| {
            CaseStatus::parse(t).ok_or_else(|| format!("unknown status {t:?}"))
        })?,
        owner_agency_id: r.parse("owner_agency_id", Id::parse)?,
        facts: r.parse("facts", |t: &str| serde_json::from_str::<CaseFacts>(t))?,
        articles: r.parse("articles", |t: &str| serde_json::from_str::<Vec<String>>(t))?,
        updated_at: r.parse("updated_at", ts)?,
        version: r.int("version")?,
    })
}

fn referral_from_row(row: &AnyRow) -> Result<ReferralRecord, CorruptRow> {
    let r = Reader::new(row, "referrals", "id");
    Ok(ReferralRecord {
        id: r.parse("id", Id::parse)?,
        case_id: r.parse("case_id", Id::parse)?,
        agency_id: r.parse("agency_id", Id::parse)?,
        agency_kind: r.text("agency_kind")?,
        referral: r.parse("body", |t: &str| serde_json::from_str::<Referral>(t))?,
        updated_at: r.parse("updated_at", ts)?,
    })
}
