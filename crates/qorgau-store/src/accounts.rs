//! Agencies, users, sessions and API tokens.
//!
//! Secrets never reach the database: passwords are Argon2id PHC strings made
//! by the server, session and API tokens are stored as their SHA-256, so a
//! copy of the database lets no one sign in.

use qorgau_core::{Id, Timestamp};
use qorgau_response::{Agency, Role, User};
use sqlx::any::AnyRow;

use crate::connect::Store;
use crate::error::{QueryContext, StoreError};
use crate::rows::{CorruptRow, Reader};

const AGENCY_COLUMNS: &str = "id, code, kind, name_ru, name_kk, name_en, region, created_at";
const USER_COLUMNS: &str = "id, username, display_name, agency_id, roles, password_hash, \
     created_at, disabled, failed_logins, locked_until, last_login_at";

/// A signed-in session, found by its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// SHA-256 of the cookie's token, hex.
    pub token_sha256: String,
    /// The user.
    pub user_id: Id,
    /// The token state-changing requests must echo (CSRF).
    pub csrf_token: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it ends.
    pub expires_at: Timestamp,
    /// The client as it said (user agent), for the user's session list.
    pub client: String,
}

/// A machine client's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenRecord {
    /// Its id (shown, never the secret).
    pub id: Id,
    /// SHA-256 of the secret, hex.
    pub token_sha256: String,
    /// The account it acts as.
    pub user_id: Id,
    /// What it is for ("Кибернадзор connector").
    pub label: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it stops working, if ever.
    pub expires_at: Option<Timestamp>,
    /// When it was revoked.
    pub revoked_at: Option<Timestamp>,
}

impl Store {
    /// Adds an agency; a taken code is a conflict.
    pub async fn add_agency(&self, agency: &Agency) -> Result<(), StoreError> {
        if self.agency_by_code(&agency.code).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "an agency with code {:?} exists already",
                agency.code
            )));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO agencies ({AGENCY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )))
        .bind(agency.id.to_string())
        .bind(&agency.code)
        .bind(&agency.kind)
        .bind(&agency.name_ru)
        .bind(&agency.name_kk)
        .bind(&agency.name_en)
        .bind(agency.region.clone())
        .bind(agency.created_at.to_utc_string())
        .execute(&self.pool)
        .await
        .doing("adding an agency")?;
        Ok(())
    }

    /// Every agency, by code.
    pub async fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY code"
        )))
        .fetch_all(&self.pool)
        .await
        .doing("reading agencies")?;
        Ok(rows.iter().map(agency_from_row).collect::<Result<_, _>>()?)
    }

    /// One agency by code.
    pub async fn agency_by_code(&self, code: &str) -> Result<Option<Agency>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {AGENCY_COLUMNS} FROM agencies WHERE code = $1"
        )))
        .bind(code)
        .fetch_optional(&self.pool)
        .await
        .doing("reading an agency")?;
        Ok(row.as_ref().map(agency_from_row).transpose()?)
    }

    /// One agency by id.
    pub async fn agency(&self, id: Id) -> Result<Option<Agency>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading an agency")?;
        Ok(row.as_ref().map(agency_from_row).transpose()?)
    }

    /// Adds a user; a taken user name is a conflict.
    pub async fn add_user(&self, user: &User) -> Result<(), StoreError> {
        if self.user_by_name(&user.username).await?.is_some() {
            return Err(StoreError::Conflict(format!(
                "a user named {:?} exists already",
                user.username
            )));
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO users ({USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        )))
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.agency_id.to_string())
        .bind(roles_text(&user.roles))
        .bind(&user.password_hash)
        .bind(user.created_at.to_utc_string())
        .bind(i64::from(user.disabled))
        .bind(i64::from(user.failed_logins))
        .bind(user.locked_until.map(|t| t.to_utc_string()))
        .bind(user.last_login_at.map(|t| t.to_utc_string()))
        .execute(&self.pool)
        .await
        .doing("adding a user")?;
        Ok(())
    }

    /// Every user, by user name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY username"
        )))
        .fetch_all(&self.pool)
        .await
        .doing("reading users")?;
        Ok(rows.iter().map(user_from_row).collect::<Result<_, _>>()?)
    }

    /// How many users there are (a first run has none).
    pub async fn user_count(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await
            .doing("counting users")?;
        let n = Reader::new(&row, "users", "n").int("n")?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// One user by sign-in name.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await
        .doing("reading a user")?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }

    /// One user by id.
    pub async fn user(&self, id: Id) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await
        .doing("reading a user")?;
        Ok(row.as_ref().map(user_from_row).transpose()?)
    }

    /// Counts a failed sign-in; from the `lock_after`-th in a row the
    /// account is locked until `now + lock_for`. Returns the user as now stored.
    pub async fn record_failed_login(
        &self,
        user_id: Id,
        now: Timestamp,
        lock_after: u32,
        lock_for: std::time::Duration,
    ) -> Result<Option<User>, StoreError> {
        let Some(user) = self.user(user_id).await? else {
            return Ok(None);
        };
        let failed = user.failed_logins.saturating_add(1);
        let locked_until = (failed >= lock_after).then(|| now.plus(lock_for));
        sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
            .bind(i64::from(failed))
            .bind(locked_until.map(|t| t.to_utc_string()))
            .bind(user_id.to_string())
            .execute(&self.pool)
            .await
            .doing("recording a failed sign-in")?;
        self.user(user_id).await
    }

    /// Clears the failure count after a successful sign-in.
    pub async fn record_login(&self, user_id: Id, now: Timestamp) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2",
        )
        .bind(now.to_utc_string())
        .bind(user_id.to_string())
        .execute(&self.pool)
        .await
        .doing("recording a sign-in")?;
        Ok(())
    }

    /// Replaces a user's password hash (and unlocks the account).
    pub async fn set_password(&self, user_id: Id, hash: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2",
        )
        .bind(hash)
        .bind(user_id.to_string())
        .execute(&self.pool)
        .await
        .doing("setting a password")?;
        Ok(())
    }

    /// Enables or disables an account; disabling also ends its sessions.
    pub async fn set_disabled(&self, user_id: Id, disabled: bool) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.doing("starting a transaction")?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id.to_string())
            .execute(&mut *tx)
            .await
            .doing("disabling a user")?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id.to_string())
                .execute(&mut *tx)
                .await
                .doing("ending a disabled user's sessions")?;
        }
        tx.commit().await.doing("committing a user change")?;
        Ok(())
    }

    /// Saves a new session.
    pub async fn add_session(&self, session: &SessionRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (token_sha256, user_id, csrf_token, created_at, expires_at, client) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.token_sha256)
        .bind(session.user_id.to_string())
        .bind(&session.csrf_token)
        .bind(session.created_at.to_utc_string())
        .bind(session.expires_at.to_utc_string())
        .bind(&session.client)
        .execute(&self.pool)
        .await
        .doing("saving a session")?;
        Ok(())
    }

    /// A session by its token's hash, if it has not expired at `now`.
    pub async fn session(
        &self,
        token_sha256: &str,
        now: Timestamp,
    ) -> Result<Option<SessionRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT token_sha256, user_id, csrf_token, created_at, expires_at, client \
             FROM sessions WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .doing("reading a session")?;
        let Some(row) = row else { return Ok(None) };
        let r = Reader::new(&row, "sessions", "token_sha256");
        let session = SessionRecord {
            token_sha256: r.text("token_sha256")?,
            user_id: r.parse("user_id", Id::parse)?,
            csrf_token: r.text("csrf_token")?,
            created_at: r.parse("created_at", Timestamp::parse)?,
            expires_at: r.parse("expires_at", Timestamp::parse)?,
            client: r.text("client")?,
        };
        Ok((session.expires_at > now).then_some(session))
    }

    /// Ends a session (sign-out).
    pub async fn delete_session(&self, token_sha256: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_sha256 = $1")
            .bind(token_sha256)
            .execute(&self.pool)
            .await
            .doing("ending a session")?;
        Ok(())
    }

    /// Saves a new API token.
    pub async fn add_api_token(&self, token: &ApiTokenRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO api_tokens (id, token_sha256, user_id, label, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(token.id.to_string())
        .bind(&token.token_sha256)
        .bind(token.user_id.to_string())
        .bind(&token.label)
        .bind(token.created_at.to_utc_string())
        .bind(token.expires_at.map(|t| t.to_utc_string()))
        .bind(token.revoked_at.map(|t| t.to_utc_string()))
        .execute(&self.pool)
        .await
        .doing("saving an API token")?;
        Ok(())
    }

    /// A usable API token by its secret's hash: not revoked, not expired at `now`.
    pub async fn api_token(
        &self,
        token_sha256: &str,
        now: Timestamp,
    ) -> Result<Option<ApiTokenRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT id, token_sha256, user_id, label, created_at, expires_at, revoked_at \
             FROM api_tokens WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await
        .doing("reading an API token")?;
        let Some(row) = row else { return Ok(None) };
        let r = Reader::new(&row, "api_tokens", "id");
        let token = ApiTokenRecord {
            id: r.parse("id", Id::parse)?,
            token_sha256: r.text("token_sha256")?,
            user_id: r.parse("user_id", Id::parse)?,
            label: r.text("label")?,
            created_at: r.parse("created_at", Timestamp::parse)?,
            expires_at: r.parse_opt("expires_at", Timestamp::parse)?,
            revoked_at: r.parse_opt("revoked_at", Timestamp::parse)?,
        };
        let usable = token.revoked_at.is_none() && token.expires_at.is_none_or(|e| e > now);
        Ok(usable.then_some(token))
    }

    /// Revokes an API token by id; false when there is no such token.
    pub async fn revoke_api_token(&self, id: Id, now: Timestamp) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now.to_utc_string())
        .bind(id.to_string())
        .execute(&self.pool)
        .await
        .doing("revoking an API token")?;
        Ok(done.rows_affected() > 0)
    }
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn agency_from_row(row: &AnyRow) -> Result<Agency, CorruptRow> {
    let r = Reader::new(row, "agencies", "id");
    Ok(Agency {
        id: r.parse("id", Id::parse)?,
        code: r.text("code")?,
        kind: r.text("kind")?,
        name_ru: r.text("name_ru")?,
        name_kk: r.text("name_kk")?,
        name_en: r.text("name_en")?,
        region: r.opt_text("region")?,
        created_at: r.parse("created_at", Timestamp::parse)?,
    })
}

fn user_from_row(row: &AnyRow) -> Result<User, CorruptRow> {
    let r = Reader::new(row, "users", "id");
    let failed = r.int("failed_logins")?;
    Ok(User {
        id: r.parse("id", Id::parse)?,
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        agency_id: r.parse("agency_id", Id::parse)?,
        roles: r.parse("roles", |t: &str| {
            t.split(',')
                .filter(|s| !s.is_empty())
                .map(Role::parse)
                .collect::<Result<Vec<_>, _>>()
        })?,
        password_hash: r.text("password_hash")?,
        created_at: r.parse("created_at", Timestamp::parse)?,
        disabled: r.int("disabled")? != 0,
        failed_logins: r.parse_int("failed_logins", failed, u32::try_from)?,
        locked_until: r.parse_opt("locked_until", Timestamp::parse)?,
        last_login_at: r.parse_opt("last_login_at", Timestamp::parse)?,
    })
}
