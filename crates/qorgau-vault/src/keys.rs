//! The installation key on disk: made on first run, readable by its owner only.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use qorgau_evidence::{LedgerKey, PublicKey};

use crate::error::VaultError;

/// File name of the private key inside `<data-dir>/keys`.
pub const PRIVATE_KEY_FILE: &str = "ledger-ed25519.pem";
/// File name of the public key inside `<data-dir>/keys`.
pub const PUBLIC_KEY_FILE: &str = "ledger-ed25519.pub.pem";
/// Folder of further public keys to trust (other installations' keys).
pub const TRUSTED_DIR: &str = "trusted";

/// Loads the installation key, creating it (mode 0600) on first use.
pub fn load_or_create(keys_dir: &Path) -> Result<LedgerKey, VaultError> {
    let private = keys_dir.join(PRIVATE_KEY_FILE);
    match fs::read_to_string(&private) {
        Ok(text) => LedgerKey::from_pem(&text).map_err(|e| VaultError::Key {
            path: private.clone(),
            reason: e.to_string(),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(keys_dir, &private),
        Err(e) => Err(VaultError::io(format!("reading {}", private.display()), e)),
    }
}

fn create(keys_dir: &Path, private: &PathBuf) -> Result<LedgerKey, VaultError> {
    fs::create_dir_all(keys_dir)
        .map_err(|e| VaultError::io(format!("creating {}", keys_dir.display()), e))?;
    let _ = fs::set_permissions(keys_dir, fs::Permissions::from_mode(0o700));
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| VaultError::Key {
        path: private.clone(),
        reason: format!("no randomness from the operating system: {e}"),
    })?;
    let key = LedgerKey::from_seed(seed);
    // create_new: two first runs at once must not overwrite each other's key.
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(private)
    {
        Ok(mut file) => {
            file.write_all(key.to_pem().as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| VaultError::io(format!("writing {}", private.display()), e))?;
            fs::write(keys_dir.join(PUBLIC_KEY_FILE), key.public().to_pem())
                .map_err(|e| VaultError::io("writing the public key", e))?;
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create(keys_dir),
        Err(e) => Err(VaultError::io(format!("creating {}", private.display()), e)),
    }
}

/// Public keys found in `<keys>/trusted/*.pem`.
pub fn trusted(keys_dir: &Path) -> Result<Vec<PublicKey>, VaultError> {
    let dir = keys_dir.join(TRUSTED_DIR);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut keys = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("pem") {
            continue;
        }
        let text = fs::read_to_string(&path)
            .map_err(|e| VaultError::io(format!("reading {}", path.display()), e))?;
        keys.push(PublicKey::from_pem(&text).map_err(|e| VaultError::Key {
            path: path.clone(),
            reason: e.to_string(),
        })?);
    }
    Ok(keys)
}
