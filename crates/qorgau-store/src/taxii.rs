//! Sharing groups and their TAXII 2.1 collections as rows: the groups and
//! their member agencies, every version of every object posted, and the
//! status of each `POST`.
//!
//! The TAXII semantics (filters, version choice, paging) belong to
//! `qorgau_stix::taxii`; [`Store::taxii_query`] is its SQL form and must
//! return exactly what `ObjectQuery::page` computes in memory (the store's
//! tests compare the two on the same data). Times are stored as fixed-width
//! text (nanoseconds, `Z`) so that text order is time order on SQLite and
//! PostgreSQL alike.

use chrono::{DateTime, Duration, Utc};
use qorgau_core::{Id, Timestamp};
use qorgau_stix::Tlp;
use qorgau_stix::taxii::{
    AddOutcome, NewVersion, ObjectQuery, Page, Paging, Status, StoredObject, StoredStatus,
};
use qorgau_stix::time::parse_timestamp;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::{CorruptRow, Reader};

/// A sharing group: the agencies that exchange indicators through its
/// collection (the collection id is the group id).
#[derive(Debug, Clone, PartialEq)]
pub struct SharingGroupRow {
    /// Id, also the TAXII collection id.
    pub id: Uuid,
    /// Short name of the collection, unique.
    pub alias: Option<String>,
    /// Name shown to partners.
    pub title: String,
    /// Who the group is.
    pub description: Option<String>,
    /// The most restrictive TLP its collection accepts.
    pub max_tlp: Tlp,
    /// The member agencies.
    pub members: Vec<GroupMember>,
}

/// An agency in a sharing group and what it may do there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupMember {
    /// The agency.
    pub agency_id: Id,
    /// May read the collection.
    pub can_read: bool,
    /// May add to it.
    pub can_write: bool,
}

/// `2026-03-01T10:00:05.123456789Z`: one width for every instant of years
/// 1000–9999, so that comparing the text compares the times.
fn fixed(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

fn tlp_name(tlp: Tlp) -> String {
    serde_json::to_value(tlp)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "red".into())
}

fn parse_tlp(text: &str) -> Result<Tlp, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| e.to_string())
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    parse_timestamp(text).ok_or_else(|| "not a UTC timestamp".to_owned())
}

impl Store {
    /// Creates a sharing group with its members (one transaction); an alias
    /// already taken is a conflict.
    pub async fn add_sharing_group(
        &self,
        group: &SharingGroupRow,
        created_by: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        if let Some(alias) = &group.alias {
            let taken = sqlx::query("SELECT id FROM sharing_groups WHERE alias = $1")
                .bind(alias)
                .fetch_optional(&mut *tx)
                .await
                .doing("checking a sharing group's alias")?;
            if taken.is_some() {
                return Err(StoreError::Conflict(format!(
                    "a sharing group with the alias {alias:?} exists already"
                )));
            }
        }
        sqlx::query(
            "INSERT INTO sharing_groups (id, alias, title, description, max_tlp, created_at, created_by, writes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0)",
        )
        .bind(group.id.to_string())
        .bind(group.alias.clone())
        .bind(&group.title)
        .bind(group.description.clone())
        .bind(tlp_name(group.max_tlp))
        .bind(Timestamp::now().to_utc_string())
        .bind(created_by)
        .execute(&mut *tx)
        .await
        .doing("storing a sharing group")?;
        for m in &group.members {
            sqlx::query(
                "INSERT INTO sharing_group_members (group_id, agency_id, can_read, can_write) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(group.id.to_string())
            .bind(m.agency_id.to_string())
            .bind(i64::from(m.can_read))
            .bind(i64::from(m.can_write))
            .execute(&mut *tx)
            .await
            .doing("storing a sharing group's member")?;
        }
        tx.commit().await.doing("committing a sharing group")?;
        Ok(())
    }

    /// Every sharing group with its members, oldest first.
    pub async fn sharing_groups(&self) -> Result<Vec<SharingGroupRow>, StoreError> {
        let groups = sqlx::query(
            "SELECT id, alias, title, description, max_tlp FROM sharing_groups ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await
        .doing("reading sharing groups")?;
        let members = sqlx::query(
            "SELECT group_id, agency_id, can_read, can_write FROM sharing_group_members \
             ORDER BY group_id, agency_id",
        )
        .fetch_all(&self.pool)
        .await
        .doing("reading sharing group members")?;
        let mut out = groups
            .iter()
            .map(group_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        for row in &members {
            let r = Reader::new(row, "sharing_group_members", "group_id");
            let group_id = r.parse("group_id", Uuid::parse_str)?;
            let member = GroupMember {
                agency_id: r.parse("agency_id", Id::parse)?,
                can_read: r.int("can_read")? != 0,
                can_write: r.int("can_write")? != 0,
            };
            if let Some(g) = out.iter_mut().find(|g| g.id == group_id) {
                g.members.push(member);
            }
        }
        Ok(out)
    }

    /// Stores one version of an object in a collection, keeping the
    /// contract of `qorgau_stix::taxii::Storage`: the group row is locked
    /// first, so `date_added` is unique and increasing per collection even
    /// with concurrent writers.
    pub async fn taxii_add_version(
        &self,
        collection: Uuid,
        version: &NewVersion,
        now: DateTime<Utc>,
    ) -> Result<AddOutcome, StoreError> {
        let collection_id = collection.to_string();
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        let locked = sqlx::query("UPDATE sharing_groups SET writes = writes + 1 WHERE id = $1")
            .bind(&collection_id)
            .execute(&mut *tx)
            .await
            .doing("locking a TAXII collection")?;
        if locked.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "no TAXII collection {collection_id}"
            )));
        }
        let version_fixed = version.version.map(fixed);
        let present = sqlx::query(
            "SELECT 1 AS one FROM taxii_objects WHERE collection_id = $1 AND object_id = $2 \
             AND COALESCE(version, '') = $3",
        )
        .bind(&collection_id)
        .bind(&version.id)
        .bind(version_fixed.clone().unwrap_or_default())
        .fetch_optional(&mut *tx)
        .await
        .doing("looking for an object version")?;
        if present.is_some() {
            return Ok(AddOutcome::AlreadyPresent);
        }
        let last: Option<String> = sqlx::query_scalar(
            "SELECT MAX(date_added) FROM taxii_objects WHERE collection_id = $1",
        )
        .bind(&collection_id)
        .fetch_one(&mut *tx)
        .await
        .doing("reading a collection's last date_added")?;
        let now = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
        let date_added = match last.as_deref().and_then(parse_timestamp) {
            Some(last) if last >= now => last + Duration::microseconds(1),
            _ => now,
        };
        let effective = version.version.unwrap_or(date_added);
        let body = serde_json::to_string(&version.object).map_err(|e| StoreError::Corrupt {
            table: "taxii_objects",
            column: "body",
            value: version.id.clone(),
            reason: e.to_string(),
        })?;
        sqlx::query(
            "INSERT INTO taxii_objects (collection_id, date_added, object_id, object_type, \
             spec_version, version, version_text, version_key, body) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&collection_id)
        .bind(fixed(date_added))
        .bind(&version.id)
        .bind(&version.object_type)
        .bind(&version.spec_version)
        .bind(version_fixed)
        .bind(version.version_text.clone())
        .bind(format!("{}|{}", fixed(effective), fixed(date_added)))
        .bind(body)
        .execute(&mut *tx)
        .await
        .doing("storing an object version")?;
        tx.commit().await.doing("committing an object version")?;
        Ok(AddOutcome::Added(date_added))
    }

    /// One page of the versions `query` selects in a collection: the SQL
    /// form of `ObjectQuery::page` (filters on every version, then the
    /// version choice per object among the filtered versions, then
    /// `added_after`, ordered by `date_added`, `limit` after the token).
    pub async fn taxii_query(
        &self,
        collection: Uuid,
        query: &ObjectQuery,
        paging: Paging,
    ) -> Result<Page, StoreError> {
        let mut binds: Vec<String> = vec![collection.to_string()];
        let mut bind = |value: String| {
            binds.push(value);
            format!("${}", binds.len())
        };
        // The same filters apply to the row and to the versions the choice
        // is made among; the placeholders are shared.
        let mut filters = Vec::new();
        for (column, values) in [
            ("object_id", &query.ids),
            ("object_type", &query.types),
            ("spec_version", &query.spec_versions),
        ] {
            if let Some(values) = values {
                let marks: Vec<String> = values.iter().map(|v| bind(v.clone())).collect();
                filters.push(if marks.is_empty() {
                    "1 = 0".to_owned()
                } else {
                    format!("{{t}}.{column} IN ({})", marks.join(", "))
                });
            }
        }
        let filtered = |alias: &str| -> String {
            filters
                .iter()
                .map(|f| format!(" AND {}", f.replace("{t}", alias)))
                .collect()
        };
        let mut sql = format!(
            "SELECT date_added, object_id, object_type, spec_version, version, version_text, body \
             FROM taxii_objects o WHERE o.collection_id = $1{}",
            filtered("o")
        );
        let selector = &query.versions;
        if !selector.all {
            let mut choices = Vec::new();
            for (wanted, aggregate) in [(selector.first, "MIN"), (selector.last, "MAX")] {
                if wanted {
                    choices.push(format!(
                        "o.version_key = (SELECT {aggregate}(p.version_key) FROM taxii_objects p \
                         WHERE p.collection_id = o.collection_id AND p.object_id = o.object_id{})",
                        filtered("p")
                    ));
                }
            }
            if !selector.at.is_empty() {
                let marks: Vec<String> = selector.at.iter().map(|t| bind(fixed(*t))).collect();
                choices.push(format!(
                    "COALESCE(o.version, o.date_added) IN ({})",
                    marks.join(", ")
                ));
            }
            if choices.is_empty() {
                choices.push("1 = 0".into());
            }
            sql.push_str(&format!(" AND ({})", choices.join(" OR ")));
        }
        for after in [query.added_after, paging.after].into_iter().flatten() {
            let mark = bind(fixed(after));
            sql.push_str(&format!(" AND o.date_added > {mark}"));
        }
        let limit = paging.limit.max(1);
        sql.push_str(&format!(" ORDER BY o.date_added LIMIT {}", limit + 1));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in binds {
            q = q.bind(value);
        }
        let rows = q
            .fetch_all(&self.pool)
            .await
            .doing("reading a TAXII collection")?;
        let mut items = rows
            .iter()
            .map(object_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let more = items.len() > limit;
        items.truncate(limit);
        Ok(Page { items, more })
    }

    /// Keeps the status of a `POST` (replacing one with the same id).
    pub async fn taxii_save_status(&self, status: &StoredStatus) -> Result<(), StoreError> {
        let body = serde_json::to_string(&status.status).map_err(|e| StoreError::Corrupt {
            table: "taxii_statuses",
            column: "body",
            value: status.status.id.clone(),
            reason: e.to_string(),
        })?;
        sqlx::query(
            "INSERT INTO taxii_statuses (api_root, id, owner, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (api_root, id) DO UPDATE SET \
             owner = excluded.owner, body = excluded.body",
        )
        .bind(&status.api_root)
        .bind(&status.status.id)
        .bind(&status.owner)
        .bind(body)
        .bind(Timestamp::now().to_utc_string())
        .execute(&self.pool)
        .await
        .doing("storing a TAXII status")?;
        Ok(())
    }

    /// A status by API root and id.
    pub async fn taxii_status(
        &self,
        api_root: &str,
        id: &str,
    ) -> Result<Option<StoredStatus>, StoreError> {
        let row = sqlx::query(
            "SELECT api_root, id, owner, body FROM taxii_statuses WHERE api_root = $1 AND id = $2",
        )
        .bind(api_root)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .doing("reading a TAXII status")?;
        let Some(row) = row else { return Ok(None) };
        let r = Reader::new(&row, "taxii_statuses", "id");
        Ok(Some(StoredStatus {
            api_root: r.text("api_root")?,
            owner: r.text("owner")?,
            status: r.parse("body", |t| serde_json::from_str::<Status>(t))?,
        }))
    }
}

fn group_from_row(row: &AnyRow) -> Result<SharingGroupRow, CorruptRow> {
    let r = Reader::new(row, "sharing_groups", "id");
    Ok(SharingGroupRow {
        id: r.parse("id", Uuid::parse_str)?,
        alias: r.opt_text("alias")?,
        title: r.text("title")?,
        description: r.opt_text("description")?,
        max_tlp: r.parse("max_tlp", parse_tlp)?,
        members: Vec::new(),
    })
}

fn object_from_row(row: &AnyRow) -> Result<StoredObject, CorruptRow> {
    let r = Reader::new(row, "taxii_objects", "object_id");
    Ok(StoredObject {
        id: r.text("object_id")?,
        object_type: r.text("object_type")?,
        spec_version: r.text("spec_version")?,
        version: r.parse_opt("version", parse_time)?,
        version_text: r.opt_text("version_text")?,
        date_added: r.parse("date_added", parse_time)?,
        object: r.parse("body", |t| serde_json::from_str::<serde_json::Value>(t))?,
    })
}
