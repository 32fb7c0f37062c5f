//! Evidence blobs in S3-compatible object storage (issue 9).
//!
//! With S3 configured the bucket is where evidence lives and the local
//! blob directory is a content-addressed cache of it. Each blob is the
//! object `sha256/<hex>`, uploaded once with `x-amz-object-lock-mode:
//! COMPLIANCE` and a retain-until date, so that no one — not the bucket's
//! owner, not an administrator of the store — can delete or overwrite
//! that version before the date. The upload is signed with the blob's own
//! SHA-256 as payload hash and carries its Content-MD5, so the server
//! refuses bytes that are not the blob. The version id the server returns
//! is recorded (`qorgau-store` `s3_objects`): object lock implies bucket
//! versioning, and a later PUT on the same key makes a new version beside
//! the locked one; readers and `verify` read the recorded version, and
//! `verify` reports other versions that hold different bytes.
//!
//! Blobs over 1 GiB go up in parts, each part signed with its own SHA-256
//! and Content-MD5, the whole hashed on the way and completed only when
//! it is the address; the retention is then set on the completed version
//! as well, because radosgw 16 ignores the lock headers of a multipart
//! initiation.
//!
//! The bucket is created with object lock when missing. A bucket that
//! exists without object lock is refused, unless the operator declares
//! the store has none (`QORGAU_S3_NO_OBJECT_LOCK=1`): then nothing is
//! locked and `qorgau` says so loudly on every start.
//!
//! [`sigv4`] signs requests (why by hand is said there); [`client`] makes
//! the calls; the blob store ([`crate::blobs`]) decides when.

pub mod client;
pub mod sigv4;
mod xml;

pub use client::{BucketLock, ObjectHashes, ObjectVersion, Retention, S3Client, S3Error};
pub use sigv4::Credentials;

use qorgau_core::Sha256Digest;

/// The region used when none is given (what most S3-compatible servers
/// expect in the signature's scope).
pub const DEFAULT_REGION: &str = "us-east-1";

/// Where and how blobs go to S3. Filled by the binary from
/// `--blob-store s3://BUCKET` and the environment; `Debug` hides the secret.
#[derive(Debug, Clone)]
pub struct S3Config {
    /// `http(s)://host[:port]` of the S3 API.
    pub endpoint: String,
    /// The signing region.
    pub region: String,
    /// The bucket.
    pub bucket: String,
    /// Access key and secret.
    pub credentials: Credentials,
    /// How long each uploaded version is locked, in days; None only when
    /// the store has no object lock.
    pub retention_days: Option<u32>,
    /// The operator declared a store without object lock.
    pub without_object_lock: bool,
    /// Send `x-amz-checksum-sha256` too (servers that know it check it;
    /// those that do not, like radosgw 16, ignore it — the signed payload
    /// hash and Content-MD5 are checked by every server).
    pub send_checksum_header: bool,
    /// Blobs larger than this go up in parts (multipart upload); one PUT
    /// takes at most 5 GiB, and parts make a large upload restartable per part.
    pub multipart_above: u64,
    /// The size of each part but the last (S3's minimum is 5 MiB).
    pub part_size: u64,
}

/// Default of [`S3Config::multipart_above`]: 1 GiB.
pub const DEFAULT_MULTIPART_ABOVE: u64 = 1 << 30;
/// Default of [`S3Config::part_size`]: 64 MiB (four uploads at once hold
/// at most 256 MiB of parts in memory).
pub const DEFAULT_PART_SIZE: u64 = 64 << 20;
/// S3's smallest part (all parts but the last).
pub const MIN_PART_SIZE: u64 = 5 << 20;

/// The raw settings an S3 blob store is described by, as the binary
/// reads them from flags and environment.
#[derive(Debug, Clone, Default)]
pub struct S3Settings {
    /// `--blob-store`: `local` (or empty) or `s3://BUCKET`.
    pub blob_store: Option<String>,
    /// `QORGAU_S3_ENDPOINT`.
    pub endpoint: Option<String>,
    /// `QORGAU_S3_REGION`.
    pub region: Option<String>,
    /// `AWS_ACCESS_KEY_ID`.
    pub access_key: Option<String>,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub secret_key: Option<String>,
    /// `QORGAU_S3_RETENTION_DAYS`.
    pub retention_days: Option<String>,
    /// `QORGAU_S3_NO_OBJECT_LOCK`.
    pub no_object_lock: Option<String>,
}

impl S3Settings {
    /// The settings from the process environment (`blob_store` from
    /// `QORGAU_BLOB_STORE`).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self {
            blob_store: var("QORGAU_BLOB_STORE"),
            endpoint: var("QORGAU_S3_ENDPOINT"),
            region: var("QORGAU_S3_REGION"),
            access_key: var("AWS_ACCESS_KEY_ID"),
            secret_key: var("AWS_SECRET_ACCESS_KEY"),
            retention_days: var("QORGAU_S3_RETENTION_DAYS"),
            no_object_lock: var("QORGAU_S3_NO_OBJECT_LOCK"),
        }
    }

    /// The S3 configuration these settings describe: None for the local
    /// directory (the default); an error naming the setting that is wrong
    /// or missing. Secrets never appear in errors.
    pub fn config(&self) -> Result<Option<S3Config>, String> {
        let spec = self.blob_store.as_deref().map(str::trim).unwrap_or("");
        if spec.is_empty() || spec == "local" {
            return Ok(None);
        }
        let Some(bucket) = spec.strip_prefix("s3://") else {
            return Err(format!(
                "--blob-store {spec:?}: give `local` (the default) or s3://BUCKET"
            ));
        };
        let bucket = bucket.trim_end_matches('/');
        if !valid_bucket(bucket) {
            return Err(format!(
                "--blob-store {spec:?}: {bucket:?} is not a valid bucket name \
                 (3–63 lower-case letters, digits, dots and hyphens)"
            ));
        }
        let region = self
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        let endpoint = self
            .endpoint
            .clone()
            .unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"))
            .trim_end_matches('/')
            .to_owned();
        let access_key = self.access_key.clone().ok_or_else(|| {
            format!("the S3 blob store s3://{bucket} needs AWS_ACCESS_KEY_ID in the environment")
        })?;
        let secret_key = self.secret_key.clone().ok_or_else(|| {
            format!(
                "the S3 blob store s3://{bucket} needs AWS_SECRET_ACCESS_KEY in the environment"
            )
        })?;
        let without_object_lock = match self.no_object_lock.as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => false,
            Some("1" | "true" | "yes") => true,
            Some(other) => {
                return Err(format!(
                    "QORGAU_S3_NO_OBJECT_LOCK={other:?}: give 1 (the store has no object lock) or 0"
                ));
            }
        };
        let retention_days = match self.retention_days.as_deref().map(str::trim) {
            Some(days) => match days.parse::<u32>() {
                Ok(d) if (1..=36_500).contains(&d) => Some(d),
                _ => {
                    return Err(format!(
                        "QORGAU_S3_RETENTION_DAYS={days:?}: give a whole number of days from 1 to 36500"
                    ));
                }
            },
            None if without_object_lock => None,
            // No default: a COMPLIANCE lock can never be shortened, so the
            // period is the operator's decision, not ours.
            None => {
                return Err(format!(
                    "the S3 blob store s3://{bucket} needs QORGAU_S3_RETENTION_DAYS: how many days \
                     each evidence object stays locked (COMPLIANCE mode: it cannot be shortened \
                     or removed by anyone once set)"
                ));
            }
        };
        Ok(Some(S3Config {
            endpoint,
            region,
            bucket: bucket.to_owned(),
            credentials: Credentials {
                access_key,
                secret_key,
            },
            retention_days,
            without_object_lock,
            send_checksum_header: true,
            multipart_above: DEFAULT_MULTIPART_ABOVE,
            part_size: DEFAULT_PART_SIZE,
        }))
    }
}

fn valid_bucket(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric())
        && name
            .bytes()
            .last()
            .is_some_and(|b| b.is_ascii_alphanumeric())
}

/// The object key of a blob.
pub fn object_key(sha256: &Sha256Digest) -> String {
    format!("sha256/{}", sha256.to_hex())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> S3Settings {
        S3Settings {
            blob_store: Some("s3://evidence-kz".into()),
            endpoint: Some("http://127.0.0.1:9000/".into()),
            access_key: Some("AK".into()),
            secret_key: Some("very-secret".into()),
            retention_days: Some("3650".into()),
            ..S3Settings::default()
        }
    }

    #[test]
    fn local_is_the_default() {
        assert!(S3Settings::default().config().unwrap().is_none());
        let mut s = settings();
        s.blob_store = Some("local".into());
        assert!(s.config().unwrap().is_none());
    }

    #[test]
    fn s3_settings_are_read_and_checked() {
        let c = settings().config().unwrap().unwrap();
        assert_eq!(c.bucket, "evidence-kz");
        assert_eq!(c.endpoint, "http://127.0.0.1:9000");
        assert_eq!(c.region, DEFAULT_REGION);
        assert_eq!(c.retention_days, Some(3650));
        assert!(!format!("{c:?}").contains("very-secret"));

        let mut s = settings();
        s.retention_days = None;
        let e = s.config().unwrap_err();
        assert!(e.contains("QORGAU_S3_RETENTION_DAYS"), "{e}");
        s.no_object_lock = Some("1".into());
        assert_eq!(s.config().unwrap().unwrap().retention_days, None);

        let mut s = settings();
        s.secret_key = None;
        assert!(s.config().unwrap_err().contains("AWS_SECRET_ACCESS_KEY"));
        let mut s = settings();
        s.blob_store = Some("s3://Bad_Bucket".into());
        assert!(s.config().unwrap_err().contains("not a valid bucket name"));
        let mut s = settings();
        s.blob_store = Some("gs://x".into());
        assert!(s.config().unwrap_err().contains("s3://BUCKET"));
        let mut s = settings();
        s.retention_days = Some("0".into());
        assert!(s.config().is_err());
    }
}
