//! The key that seals victims' personal data, kept outside the database.
//!
//! A key is 32 random bytes with a key id (a UUIDv7). It lives in a file
//! readable by its owner only; a file that the group or others can read or
//! write is refused, because a key readable by every service account on the
//! host would defeat the point of keeping it out of the database. The file
//! is text:
//!
//! ```text
//! # comments
//! qorgau-victims-key 1
//! id 0193a1b2-…-…
//! secret <64 hex digits>
//! ```
//!
//! Error messages about a key file never quote its contents.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::{Zeroize, Zeroizing};

/// Length of a key in bytes (XChaCha20-Poly1305 uses a 256-bit key).
pub const KEY_LEN: usize = 32;

/// First significant line of a key file, naming the format and its version.
pub const KEY_FILE_HEADER: &str = "qorgau-victims-key 1";

/// Largest key file accepted; a real one is about 300 bytes, so anything
/// larger is not a key file.
pub const MAX_KEY_FILE_LEN: u64 = 4096;

/// Names a key, so a ciphertext says which key sealed it and rotation can
/// find the old key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeyId(Uuid);

impl KeyId {
    /// From the 16 bytes stored in a ciphertext header.
    pub fn from_bytes(bytes: [u8; 16]) -> KeyId {
        KeyId(Uuid::from_bytes(bytes))
    }

    /// The 16 bytes stored in a ciphertext header.
    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    /// The id as a UUID.
    pub fn uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.0)
    }
}

/// A key for victims' personal data. The secret is wiped from memory when
/// the key is dropped and never printed; the type is deliberately not
/// `Clone`, so copies of the secret do not multiply.
pub struct VictimKey {
    id: KeyId,
    secret: [u8; KEY_LEN],
}

impl Drop for VictimKey {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for VictimKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VictimKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Why a key could not be made, read or written.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing the file failed.
    #[error("{op} {path}: {source}")]
    Io {
        /// What was being done.
        op: &'static str,
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// `create_key_file` found a file already there; an existing key is
    /// never overwritten, since data sealed with it would be lost.
    #[error("key file {0} already exists; it is never overwritten")]
    Exists(PathBuf),
    /// The group or others may access the file.
    #[error(
        "key file {path} is accessible by group or others (mode {mode:04o}); it must be 0600 (chmod 600)"
    )]
    Permissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The path is not a regular file.
    #[error("key file {0} is not a regular file")]
    NotAFile(PathBuf),
    /// The file is not a key file; never quotes the contents.
    #[error("key file {file}, line {line}: {reason}")]
    Format {
        /// The file (or `<text>` when parsed from memory).
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// The operating system gave no randomness.
    #[error("no randomness from the operating system: {0}")]
    Random(String),
    /// Two keys in a key ring share an id.
    #[error("two keys share the id {0}")]
    DuplicateId(KeyId),
}

impl VictimKey {
    /// A fresh random key with a new id.
    pub fn generate() -> Result<VictimKey, KeyError> {
        let mut secret = [0u8; KEY_LEN];
        getrandom::fill(&mut secret).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(VictimKey {
            id: KeyId(Uuid::now_v7()),
            secret,
        })
    }

    /// A key from its parts, for keys held elsewhere (a hardware module, a
    /// secrets manager) and for tests.
    pub fn from_parts(id: KeyId, secret: [u8; KEY_LEN]) -> VictimKey {
        VictimKey { id, secret }
    }

    /// The key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    pub(crate) fn secret(&self) -> &[u8; KEY_LEN] {
        &self.secret
    }

    /// The key file's text. Wiped from memory when dropped.
    pub fn to_file_text(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(256));
        s.push_str(
            "# Qorgau: key for victims' personal data (XChaCha20-Poly1305).\n\
             # Keep it outside the database and its backups, mode 0600.\n\
             # Losing it makes the sealed data unreadable.\n",
        );
        s.push_str(KEY_FILE_HEADER);
        s.push('\n');
        s.push_str("id ");
        s.push_str(&self.id.to_string());
        s.push('\n');
        s.push_str("secret ");
        for b in self.secret {
            s.push(hex_digit(b >> 4));
            s.push(hex_digit(b & 0x0f));
        }
        s.push('\n');
        s
    }

    /// Parses a key file's text. `file` names it in errors. Never panics and
    /// never quotes the text in an error.
    pub fn from_file_text(file: &str, text: &str) -> Result<VictimKey, KeyError> {
        let err = |line: usize, reason: &'static str| KeyError::Format {
            file: file.to_string(),
            line,
            reason,
        };
        let mut header_seen = false;
        let mut id: Option<KeyId> = None;
        let mut secret: Option<[u8; KEY_LEN]> = None;
        let mut last_line = 0;
        for (n, raw) in text.lines().enumerate() {
            let line_no = n + 1;
            last_line = line_no;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !header_seen {
                if line != KEY_FILE_HEADER {
                    return Err(err(
                        line_no,
                        "expected the header `qorgau-victims-key 1` (not a key file, or a newer format)",
                    ));
                }
                header_seen = true;
                continue;
            }
            let (word, value) = match line.split_once(char::is_whitespace) {
                Some((w, v)) => (w, v.trim()),
                None => (line, ""),
            };
            match word {
                "id" => {
                    if id.is_some() {
                        return Err(err(line_no, "`id` given twice"));
                    }
                    let u =
                        Uuid::try_parse(value).map_err(|_| err(line_no, "`id` is not a UUID"))?;
                    if u.is_nil() {
                        return Err(err(line_no, "`id` must not be the nil UUID"));
                    }
                    id = Some(KeyId(u));
                }
                "secret" => {
                    if secret.is_some() {
                        return Err(err(line_no, "`secret` given twice"));
                    }
                    secret =
                        Some(decode_hex_32(value).ok_or_else(|| {
                            err(line_no, "`secret` is not 64 hexadecimal digits")
                        })?);
                }
                _ => return Err(err(line_no, "unknown line; expected `id` or `secret`")),
            }
        }
        if !header_seen {
            return Err(err(last_line.max(1), "empty key file"));
        }
        match (id, secret) {
            (Some(id), Some(secret)) => Ok(VictimKey { id, secret }),
            (None, _) => Err(err(last_line, "`id` is missing")),
            (_, None) => Err(err(last_line, "`secret` is missing")),
        }
    }
}

fn hex_digit(n: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(n & 0x0f)])
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn decode_hex_32(s: &str) -> Option<[u8; KEY_LEN]> {
    let b = s.as_bytes();
    if b.len() != KEY_LEN * 2 {
        return None;
    }
    let mut out = [0u8; KEY_LEN];
    for (i, pair) in b.chunks_exact(2).enumerate() {
        let hi = hex_value(*pair.first()?)?;
        let lo = hex_value(*pair.get(1)?)?;
        *out.get_mut(i)? = (hi << 4) | lo;
    }
    Some(out)
}

/// Creates a new key file with mode 0600 (its directory, if missing, with
/// 0700) and returns the key. Refuses to overwrite an existing file.
#[cfg(unix)]
pub fn create_key_file(path: &Path) -> Result<VictimKey, KeyError> {
    use std::io::Write;
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};

    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.exists()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| KeyError::Io {
                op: "creating directory",
                path: dir.to_path_buf(),
                source: e,
            })?;
    }
    let key = VictimKey::generate()?;
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(KeyError::Exists(path.to_path_buf()));
        }
        Err(e) => {
            return Err(KeyError::Io {
                op: "creating",
                path: path.to_path_buf(),
                source: e,
            });
        }
    };
    let text = key.to_file_text();
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        // A half-written key file would be refused on load and block a retry.
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(KeyError::Io {
            op: "writing",
            path: path.to_path_buf(),
            source: e,
        });
    }
    Ok(key)
}

/// Loads a key file, refusing one that the group or others may access and
/// anything that is not a regular file. The permission check is made on the
/// opened file, so the file cannot be swapped between check and read.
#[cfg(unix)]
pub fn load_key_file(path: &Path) -> Result<VictimKey, KeyError> {
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;

    let io = |op: &'static str| {
        move |e: std::io::Error| KeyError::Io {
            op,
            path: path.to_path_buf(),
            source: e,
        }
    };
    let file = std::fs::File::open(path).map_err(io("opening"))?;
    let meta = file.metadata().map_err(io("reading metadata of"))?;
    if !meta.is_file() {
        return Err(KeyError::NotAFile(path.to_path_buf()));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Permissions {
            path: path.to_path_buf(),
            mode,
        });
    }
    let mut bytes = Zeroizing::new(Vec::with_capacity(512));
    file.take(MAX_KEY_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(io("reading"))?;
    let name = path.display().to_string();
    if bytes.len() as u64 > MAX_KEY_FILE_LEN {
        return Err(KeyError::Format {
            file: name,
            line: 1,
            reason: "file too large to be a key file",
        });
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| KeyError::Format {
        file: name.clone(),
        line: 1,
        reason: "not UTF-8 text",
    })?;
    VictimKey::from_file_text(&name, text)
}

/// The current key, used to seal, and retired keys, kept only to open data
/// sealed before a rotation until it has been re-sealed.
#[derive(Debug)]
pub struct KeyRing {
    current: VictimKey,
    retired: Vec<VictimKey>,
}

impl KeyRing {
    /// A ring with one key.
    pub fn new(current: VictimKey) -> KeyRing {
        KeyRing {
            current,
            retired: Vec::new(),
        }
    }

    /// A ring with a current key and retired ones; refuses two keys with the
    /// same id, which would make a ciphertext's key ambiguous.
    pub fn with_retired(current: VictimKey, retired: Vec<VictimKey>) -> Result<KeyRing, KeyError> {
        let mut ids = vec![current.id];
        for k in &retired {
            if ids.contains(&k.id) {
                return Err(KeyError::DuplicateId(k.id));
            }
            ids.push(k.id);
        }
        Ok(KeyRing { current, retired })
    }

    /// The key new data is sealed with.
    pub fn current(&self) -> &VictimKey {
        &self.current
    }

    /// A key by id, current or retired.
    pub fn get(&self, id: KeyId) -> Option<&VictimKey> {
        std::iter::once(&self.current)
            .chain(self.retired.iter())
            .find(|k| k.id == id)
    }

    /// Ids of all keys, current first.
    pub fn ids(&self) -> Vec<KeyId> {
        std::iter::once(&self.current)
            .chain(self.retired.iter())
            .map(|k| k.id)
            .collect()
    }
}
