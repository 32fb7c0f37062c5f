//! An open vault: data directory, database, blob store, key and operator.

use std::path::{Path, PathBuf};

use qorgau_core::{Actor, CaseName, Tool};
use qorgau_evidence::{CaseRecord, LedgerKey, PublicKey};
use qorgau_store::{Store, StoreLocation};

use crate::blobs::BlobStore;
use crate::error::VaultError;
use crate::keys;
use crate::s3::S3Config;

/// How to open a vault; filled from flags and environment by the binary.
#[derive(Debug, Clone)]
pub struct VaultConfig {
    /// The data directory (blobs, keys, and the SQLite database by default).
    pub data_dir: PathBuf,
    /// A `postgres://` URL to use PostgreSQL instead of SQLite.
    pub database_url: Option<String>,
    /// The operator's name; the OS user when not given.
    pub operator: Option<String>,
    /// The S3 bucket that holds the evidence; None keeps it in the data
    /// directory only (the default). See [`crate::s3`].
    pub s3: Option<S3Config>,
}

/// Everything a vault command needs, opened once.
#[derive(Debug)]
pub struct Vault {
    /// The data directory.
    pub data_dir: PathBuf,
    /// The database.
    pub store: Store,
    /// The content-addressed blob store.
    pub blobs: BlobStore,
    /// The installation's ledger key.
    pub key: LedgerKey,
    /// Who is acting, on which host.
    pub actor: Actor,
    /// This program.
    pub tool: Tool,
}

impl Vault {
    /// Opens (creating on first use) the vault described by `config`.
    pub async fn open(config: &VaultConfig) -> Result<Self, VaultError> {
        let data_dir = absolute(&config.data_dir)?;
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            VaultError::io(
                format!("creating the data directory {}", data_dir.display()),
                e,
            )
        })?;
        let key = keys::load_or_create(&data_dir.join("keys"))?;
        let location = StoreLocation::choose(&data_dir, config.database_url.as_deref());
        let store = Store::open(&location).await?;
        let mut blobs = BlobStore::new(data_dir.join("blobs"));
        if let Some(s3) = &config.s3 {
            blobs.attach_s3(s3.clone(), store.clone()).await?;
        }
        let actor = Actor {
            user: config
                .operator
                .clone()
                .filter(|o| !o.trim().is_empty())
                .unwrap_or_else(os_user),
            host: host_name(),
        };
        Ok(Self {
            data_dir,
            store,
            blobs,
            key,
            actor,
            tool: Tool::qorgau(),
        })
    }

    /// The case with this name, or an input error naming it and the vault.
    pub async fn case(&self, name: &CaseName) -> Result<CaseRecord, VaultError> {
        self.store.find_case(name).await?.ok_or_else(|| {
            VaultError::Input(format!(
                "there is no case named {:?} in the vault at {}",
                name.as_str(),
                self.data_dir.display()
            ))
        })
    }

    /// Keys whose signatures `verify` accepts: this installation's and any
    /// placed in `<data-dir>/keys/trusted/`.
    pub fn trusted_keys(&self) -> Result<Vec<PublicKey>, VaultError> {
        let mut keys = vec![self.key.public()];
        keys.extend(keys::trusted(&self.data_dir.join("keys"))?);
        Ok(keys)
    }
}

fn absolute(path: &Path) -> Result<PathBuf, VaultError> {
    std::path::absolute(path)
        .map_err(|e| VaultError::io(format!("resolving {}", path.display()), e))
}

/// The OS account name: `$USER`, else the password database, else the uid.
fn os_user() -> String {
    if let Ok(user) = std::env::var("USER")
        && !user.is_empty()
    {
        return user;
    }
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut buf = vec![0 as libc::c_char; 1024];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: buffers are valid for the given lengths; result is checked.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) };
    if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
        // SAFETY: pw_name points into buf and is NUL-terminated by getpwuid_r.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        return name.to_string_lossy().into_owned();
    }
    format!("uid{uid}")
}

fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc == 0 {
        let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
        return String::from_utf8_lossy(&buf[..end]).into_owned();
    }
    "unknown-host".to_owned()
}
