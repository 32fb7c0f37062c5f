//! Choosing and opening a backend, and keeping its schema current.

use std::borrow::Cow;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, SqlSafeStr};

use crate::error::{QueryContext, StoreError};

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    /// An embedded SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server, by URL.
    Postgres(String),
}

impl StoreLocation {
    /// PostgreSQL when `database_url` is given, otherwise `qorgau.db` in the data directory.
    pub fn choose(data_dir: &Path, database_url: Option<&str>) -> Self {
        match database_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => StoreLocation::Postgres(url.trim().to_owned()),
            None => StoreLocation::Sqlite(data_dir.join("qorgau.db")),
        }
    }

    /// The location with any password removed, for messages and logs.
    pub fn redacted(&self) -> String {
        match self {
            StoreLocation::Sqlite(path) => path.display().to_string(),
            StoreLocation::Postgres(url) => redact_url(url),
        }
    }

    fn backend(&self) -> Backend {
        match self {
            StoreLocation::Sqlite(_) => Backend::Sqlite,
            StoreLocation::Postgres(_) => Backend::Postgres,
        }
    }
}

fn redact_url(url: &str) -> String {
    // postgres://user:secret@host/db -> postgres://user:***@host/db
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The engine behind an open connection: code handed only a connection
    /// (inside a transaction) writes SQL for the engine it talks to.
    pub(crate) fn of_connection(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name() == <sqlx::Sqlite as sqlx::Database>::NAME {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// Human name.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// The database behind every Qorgau command.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    location: String,
}

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "evidence vault",
        include_str!("../migrations/0001_evidence_vault.sql"),
    ),
    (
        2,
        "monitoring",
        include_str!("../migrations/0002_monitoring.sql"),
    ),
    (
        3,
        "captures",
        include_str!("../migrations/0003_captures.sql"),
    ),
    (
        4,
        "accounts and signals",
        include_str!("../migrations/0004_accounts_signals.sql"),
    ),
    (
        5,
        "cases, referrals and escalations",
        include_str!("../migrations/0005_casework.sql"),
    ),
    (
        6,
        "sharing groups and TAXII collections",
        include_str!("../migrations/0006_taxii.sql"),
    ),
    (
        7,
        "signal triage decisions",
        include_str!("../migrations/0007_signal_decisions.sql"),
    ),
    (8, "money", include_str!("../migrations/0008_money.sql")),
    (
        9,
        "bitcoin transactions, label lists and account links",
        include_str!("../migrations/0009_money_chains_labels.sql"),
    ),
    (
        10,
        "money transfers written in bulk",
        include_str!("../migrations/0010_money_transfer_indexes.sql"),
    ),
    (
        11,
        "perceptual hashes of images",
        include_str!("../migrations/0011_media_hashes.sql"),
    ),
    (
        12,
        "the work queue",
        include_str!("../migrations/0012_work_queue.sql"),
    ),
    (
        13,
        "evidence blobs in S3",
        include_str!("../migrations/0013_s3_objects.sql"),
    ),
    (
        14,
        "routing rule sets",
        include_str!("../migrations/0014_routing_rule_sets.sql"),
    ),
    (
        15,
        "lexicon versions and reviews",
        include_str!("../migrations/0015_lexicon_versions.sql"),
    ),
    (
        16,
        "restricted material and hash lists",
        include_str!("../migrations/0016_restricted_material.sql"),
    ),
    (
        17,
        "key frames of videos",
        include_str!("../migrations/0017_media_frames.sql"),
    ),
];

const SQLITE_GUARDS: &str = "
CREATE TRIGGER IF NOT EXISTS ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
CREATE TRIGGER IF NOT EXISTS items_no_update BEFORE UPDATE ON items
BEGIN SELECT RAISE(ABORT, 'evidence items are immutable'); END;
CREATE TRIGGER IF NOT EXISTS items_no_delete BEFORE DELETE ON items
BEGIN SELECT RAISE(ABORT, 'evidence items are immutable'); END;
CREATE TRIGGER IF NOT EXISTS document_versions_no_update BEFORE UPDATE ON document_versions
BEGIN SELECT RAISE(ABORT, 'archived document versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS document_versions_no_delete BEFORE DELETE ON document_versions
BEGIN SELECT RAISE(ABORT, 'archived document versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS captures_no_update BEFORE UPDATE ON captures
BEGIN SELECT RAISE(ABORT, 'captures are immutable'); END;
CREATE TRIGGER IF NOT EXISTS captures_no_delete BEFORE DELETE ON captures
BEGIN SELECT RAISE(ABORT, 'captures are immutable'); END;
";

/// Guards of tables made by migration 13 and later (a test may open a
/// database at an older version, without them).
const SQLITE_GUARDS_13: &str = "
CREATE TRIGGER IF NOT EXISTS s3_objects_no_update BEFORE UPDATE ON s3_objects
BEGIN SELECT RAISE(ABORT, 'recorded S3 object versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS s3_objects_no_delete BEFORE DELETE ON s3_objects
BEGIN SELECT RAISE(ABORT, 'recorded S3 object versions are immutable'); END;
";

/// Guards of tables made by migration 14 and later.
const SQLITE_GUARDS_14: &str = "
CREATE TRIGGER IF NOT EXISTS routing_rule_sets_no_update BEFORE UPDATE ON routing_rule_sets
BEGIN SELECT RAISE(ABORT, 'saved routing rule sets are immutable'); END;
CREATE TRIGGER IF NOT EXISTS routing_rule_sets_no_delete BEFORE DELETE ON routing_rule_sets
BEGIN SELECT RAISE(ABORT, 'saved routing rule sets are immutable'); END;
";

/// Guards of tables made by migration 15 and later.
const SQLITE_GUARDS_15: &str = "
CREATE TRIGGER IF NOT EXISTS lexicon_versions_no_update BEFORE UPDATE ON lexicon_versions
BEGIN SELECT RAISE(ABORT, 'lexicon versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS lexicon_versions_no_delete BEFORE DELETE ON lexicon_versions
BEGIN SELECT RAISE(ABORT, 'lexicon versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS lexicon_reviews_no_update BEFORE UPDATE ON lexicon_reviews
BEGIN SELECT RAISE(ABORT, 'lexicon reviews are immutable'); END;
CREATE TRIGGER IF NOT EXISTS lexicon_reviews_no_delete BEFORE DELETE ON lexicon_reviews
BEGIN SELECT RAISE(ABORT, 'lexicon reviews are immutable'); END;
";

// One multi-statement string runs as one implicit transaction; the advisory
// lock keeps servers and workers that start together from replacing the
// function at the same moment ("tuple concurrently updated").
const POSTGRES_GUARDS: &str = "
SELECT pg_advisory_xact_lock(7220174255);
CREATE OR REPLACE FUNCTION qorgau_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'evidence records in % are append-only', TG_TABLE_NAME; END $$;
DROP TRIGGER IF EXISTS ledger_append_only ON ledger;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
DROP TRIGGER IF EXISTS items_append_only ON items;
CREATE TRIGGER items_append_only BEFORE UPDATE OR DELETE ON items
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
DROP TRIGGER IF EXISTS document_versions_append_only ON document_versions;
CREATE TRIGGER document_versions_append_only BEFORE UPDATE OR DELETE ON document_versions
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
DROP TRIGGER IF EXISTS captures_append_only ON captures;
CREATE TRIGGER captures_append_only BEFORE UPDATE OR DELETE ON captures
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
";

const POSTGRES_GUARDS_13: &str = "
SELECT pg_advisory_xact_lock(7220174255);
DROP TRIGGER IF EXISTS s3_objects_append_only ON s3_objects;
CREATE TRIGGER s3_objects_append_only BEFORE UPDATE OR DELETE ON s3_objects
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
";

const POSTGRES_GUARDS_14: &str = "
SELECT pg_advisory_xact_lock(7220174255);
DROP TRIGGER IF EXISTS routing_rule_sets_append_only ON routing_rule_sets;
CREATE TRIGGER routing_rule_sets_append_only BEFORE UPDATE OR DELETE ON routing_rule_sets
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
";

const SQLITE_GUARDS_16: &str = "
CREATE TRIGGER IF NOT EXISTS restricted_marks_no_update BEFORE UPDATE ON restricted_marks
BEGIN SELECT RAISE(ABORT, 'restriction marks are append-only'); END;
CREATE TRIGGER IF NOT EXISTS restricted_marks_no_delete BEFORE DELETE ON restricted_marks
BEGIN SELECT RAISE(ABORT, 'restriction marks are append-only'); END;
CREATE TRIGGER IF NOT EXISTS hash_lists_no_update BEFORE UPDATE ON hash_lists
BEGIN SELECT RAISE(ABORT, 'hash lists are append-only'); END;
CREATE TRIGGER IF NOT EXISTS hash_lists_no_delete BEFORE DELETE ON hash_lists
BEGIN SELECT RAISE(ABORT, 'hash lists are append-only'); END;
";

const POSTGRES_GUARDS_16: &str = "
SELECT pg_advisory_xact_lock(7220174255);
DROP TRIGGER IF EXISTS restricted_marks_append_only ON restricted_marks;
CREATE TRIGGER restricted_marks_append_only BEFORE UPDATE OR DELETE ON restricted_marks
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
DROP TRIGGER IF EXISTS hash_lists_append_only ON hash_lists;
CREATE TRIGGER hash_lists_append_only BEFORE UPDATE OR DELETE ON hash_lists
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
";

const POSTGRES_GUARDS_15: &str = "
SELECT pg_advisory_xact_lock(7220174255);
DROP TRIGGER IF EXISTS lexicon_versions_append_only ON lexicon_versions;
CREATE TRIGGER lexicon_versions_append_only BEFORE UPDATE OR DELETE ON lexicon_versions
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
DROP TRIGGER IF EXISTS lexicon_reviews_append_only ON lexicon_reviews;
CREATE TRIGGER lexicon_reviews_append_only BEFORE UPDATE OR DELETE ON lexicon_reviews
    FOR EACH ROW EXECUTE FUNCTION qorgau_refuse_change();
";

impl Store {
    /// Opens (creating if needed) the database and brings its schema up to date.
    pub async fn open(location: &StoreLocation) -> Result<Self, StoreError> {
        Self::open_up_to(location, i64::MAX).await
    }

    /// Opens the database with its schema brought only up to migration
    /// `version`. Only for tests that prove a later migration keeps the
    /// rows an older installation holds.
    #[doc(hidden)]
    pub async fn open_at_version(
        location: &StoreLocation,
        version: i64,
    ) -> Result<Self, StoreError> {
        Self::open_up_to(location, version).await
    }

    async fn open_up_to(location: &StoreLocation, version: i64) -> Result<Self, StoreError> {
        install_default_drivers();
        let backend = location.backend();
        let (url, _lock) = match location {
            StoreLocation::Sqlite(path) => {
                let dir = path.parent().unwrap_or(Path::new("."));
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                    doing: format!("creating the data directory {}", dir.display()),
                    source,
                })?;
                // SQLite has no migration lock of its own: two first runs at
                // once would both try to create the tables.
                // Waiting for the lock blocks a thread: keep it off the runtime.
                let lock_path = dir.join(".qorgau-migrate.lock");
                let lock = tokio::task::spawn_blocking(move || lock_file(&lock_path))
                    .await
                    .map_err(|e| StoreError::Io {
                        doing: "waiting for the migration lock".into(),
                        source: std::io::Error::other(e),
                    })??;
                (format!("sqlite://{}?mode=rwc", path.display()), Some(lock))
            }
            StoreLocation::Postgres(url) => (url.clone(), None),
        };
        let mut options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(60));
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    // WAL lets readers run beside a writer; FULL makes a
                    // commit durable before `add` reports the item stored.
                    // Mapping the file lets a connection re-read pages
                    // another connection's commit made stale from memory
                    // instead of copying them in again (bench/response.sh).
                    // A 64 MiB page cache keeps the indexes a large money
                    // import writes into in memory (the default 2 MiB
                    // re-reads them from the OS for every batch).
                    // Temporary storage in memory keeps the statement
                    // journal of a many-row INSERT (what undoes just that
                    // statement if it fails) out of a temporary file: it
                    // was a third of a money import's time in the kernel.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA busy_timeout = 60000; PRAGMA foreign_keys = ON; \
                         PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536; \
                         PRAGMA temp_store = MEMORY;",
                    )
                    .await?;
                    Ok(())
                })
            });
        }
        let pool = options
            .connect(&url)
            .await
            .map_err(|source| StoreError::Open {
                backend: backend.name(),
                location: location.redacted(),
                source,
            })?;
        let store = Self {
            pool,
            backend,
            location: location.redacted(),
        };
        store.migrate(version).await?;
        Ok(store)
    }

    async fn migrate(&self, up_to: i64) -> Result<(), StoreError> {
        let migrations: Vec<Migration> = MIGRATIONS
            .iter()
            .filter(|(version, _, _)| *version <= up_to)
            .map(|(version, description, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    sql.into_sql_str(),
                    false,
                )
            })
            .collect();
        let migrator = Migrator {
            migrations: Cow::Owned(migrations),
            ..Migrator::DEFAULT
        };
        migrator.run(&self.pool).await?;
        let guards = match self.backend {
            Backend::Sqlite => SQLITE_GUARDS,
            Backend::Postgres => POSTGRES_GUARDS,
        };
        sqlx::raw_sql(guards)
            .execute(&self.pool)
            .await
            .doing("installing the append-only guards")?;
        let later = [
            (13, SQLITE_GUARDS_13, POSTGRES_GUARDS_13),
            (14, SQLITE_GUARDS_14, POSTGRES_GUARDS_14),
            (15, SQLITE_GUARDS_15, POSTGRES_GUARDS_15),
            (16, SQLITE_GUARDS_16, POSTGRES_GUARDS_16),
        ];
        for (version, sqlite, postgres) in later {
            if up_to < version {
                break;
            }
            let guards = match self.backend {
                Backend::Sqlite => sqlite,
                Backend::Postgres => postgres,
            };
            sqlx::raw_sql(guards)
                .execute(&self.pool)
                .await
                .doing("installing the append-only guards")?;
        }
        Ok(())
    }

    /// Which engine this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Path or URL (password removed), for messages.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Closes all connections, waiting for them to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs raw SQL. Only for tests that tamper with the database on purpose.
    #[doc(hidden)]
    pub async fn execute_unchecked(&self, sql: String) -> Result<u64, StoreError> {
        let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&self.pool)
            .await
            .doing("running raw SQL")?;
        Ok(result.rows_affected())
    }
}

impl Store {
    /// Runs a query whose first column is read as text. Only for tests that
    /// inspect the database the way an attacker would.
    #[doc(hidden)]
    pub async fn fetch_text_unchecked(
        &self,
        sql: String,
    ) -> Result<Vec<Option<String>>, StoreError> {
        use sqlx::Row;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .doing("running raw SQL")?;
        rows.iter()
            .map(|row| {
                row.try_get::<Option<String>, _>(0)
                    .doing("reading raw SQL result")
            })
            .collect()
    }

    /// Drops the append-only triggers, as an attacker with database access
    /// could. Only for tests that prove `verify` does not rely on them.
    #[doc(hidden)]
    pub async fn drop_guards_unchecked(&self) -> Result<(), StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "DROP TRIGGER IF EXISTS ledger_no_update; DROP TRIGGER IF EXISTS ledger_no_delete; \
                 DROP TRIGGER IF EXISTS items_no_update; DROP TRIGGER IF EXISTS items_no_delete; \
                 DROP TRIGGER IF EXISTS captures_no_update; DROP TRIGGER IF EXISTS captures_no_delete;"
            }
            Backend::Postgres => {
                "DROP TRIGGER IF EXISTS ledger_append_only ON ledger; \
                 DROP TRIGGER IF EXISTS items_append_only ON items; \
                 DROP TRIGGER IF EXISTS captures_append_only ON captures;"
            }
        };
        self.execute_unchecked(sql.to_owned()).await.map(|_| ())
    }
}

fn lock_file(path: &Path) -> Result<File, StoreError> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|source| StoreError::Io {
            doing: format!("opening the lock file {}", path.display()),
            source,
        })?;
    file.lock().map_err(|source| StoreError::Io {
        doing: format!("locking {}", path.display()),
        source,
    })?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://qorgau:s3cret@db:5432/q"),
            "postgres://qorgau:***@db:5432/q"
        );
        assert_eq!(redact_url("postgres://db/q"), "postgres://db/q");
    }

    #[test]
    fn chooses_postgres_only_when_a_url_is_given() {
        let dir = Path::new("/data");
        assert_eq!(
            StoreLocation::choose(dir, None),
            StoreLocation::Sqlite(dir.join("qorgau.db"))
        );
        assert_eq!(
            StoreLocation::choose(dir, Some(" ")),
            StoreLocation::Sqlite(dir.join("qorgau.db"))
        );
        assert!(matches!(
            StoreLocation::choose(dir, Some("postgres://x/y")),
            StoreLocation::Postgres(_)
        ));
    }
}
