//! Errors of the storage layer.
//!
//! Policy: every error names what was being done ("opening the SQLite
//! database at …", "registering 12 items") so the binary can print it as is;
//! rows that fail to decode name the table and column, because that means
//! the database was altered outside Qorgau.

/// What went wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or opened.
    #[error("cannot open the {backend} database ({location}): {source}")]
    Open {
        /// `SQLite` or `PostgreSQL`.
        backend: &'static str,
        /// Path or URL without password.
        location: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Migrations failed.
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error while {doing}: {source}")]
    Query {
        /// What was being done.
        doing: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// A stored value does not parse: the row was changed outside Qorgau.
    #[error("stored value {table}.{column} = {value:?} is not valid: {reason}")]
    Corrupt {
        /// Table.
        table: &'static str,
        /// Column.
        column: &'static str,
        /// The value found.
        value: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The request conflicts with what is stored (a name already taken).
    #[error("{0}")]
    Conflict(String),
    /// A file operation around the database failed (data directory, lock file).
    #[error("{doing}: {source}")]
    Io {
        /// What was being done.
        doing: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// Attaches "while …" context to sqlx errors.
pub(crate) trait QueryContext<T> {
    fn doing(self, what: impl Into<String>) -> Result<T, StoreError>;
}

impl<T> QueryContext<T> for Result<T, sqlx::Error> {
    fn doing(self, what: impl Into<String>) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Query {
            doing: what.into(),
            source,
        })
    }
}
