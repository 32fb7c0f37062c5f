//! The few S3 calls the blob store makes, over reqwest, signed with
//! [`super::sigv4`]. Path-style addresses (`ENDPOINT/BUCKET/KEY`), which
//! every S3-compatible server takes; bodies streamed both ways, so a video
//! of gigabytes is never held in memory.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use md5::Md5;
use qorgau_core::{Md5Digest, Sha256Digest};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::S3Config;
use super::sigv4::{self, EMPTY_SHA256, Request};
use super::xml::{Element, parse as parse_xml};

/// The largest object one PUT may carry (S3's limit).
pub const MAX_SINGLE_PUT: u64 = 5 * 1024 * 1024 * 1024;

/// Why an S3 call failed.
#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    /// The endpoint could not be reached (connection refused, DNS, TLS, time-out).
    #[error("cannot reach the S3 endpoint {endpoint}: {message}")]
    Unreachable {
        /// The endpoint.
        endpoint: String,
        /// What the client said.
        message: String,
    },
    /// The server answered with an error.
    #[error("S3 {endpoint} bucket {bucket}: {doing} failed with HTTP {status} {code}{}", if message.is_empty() { String::new() } else { format!(" ({message})") })]
    Server {
        /// The endpoint.
        endpoint: String,
        /// The bucket.
        bucket: String,
        /// What was asked.
        doing: String,
        /// HTTP status.
        status: u16,
        /// The S3 error code (`AccessDenied`, `NoSuchKey`, …).
        code: String,
        /// The server's message.
        message: String,
    },
    /// The answer could not be understood, or a local file failed.
    #[error("S3 {endpoint} bucket {bucket}: {doing}: {message}")]
    Other {
        /// The endpoint.
        endpoint: String,
        /// The bucket.
        bucket: String,
        /// What was being done.
        doing: String,
        /// What went wrong.
        message: String,
    },
}

impl S3Error {
    /// The S3 error code, when the server gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            S3Error::Server { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            S3Error::Server { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The key or version is not there (404 NoSuchKey / NoSuchVersion).
    pub fn is_not_found(&self) -> bool {
        matches!(self.code(), Some("NoSuchKey" | "NoSuchVersion"))
            || (self.status() == Some(404) && self.code() == Some(""))
    }
}

/// The retention of one object version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retention {
    /// `COMPLIANCE` or `GOVERNANCE`.
    pub mode: String,
    /// Until when.
    pub retain_until: DateTime<Utc>,
}

/// One version of a key, from `?versions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectVersion {
    /// The version id.
    pub version_id: String,
    /// The current version of the key.
    pub is_latest: bool,
    /// A delete marker (no bytes) rather than an object.
    pub delete_marker: bool,
    /// When it was written.
    pub last_modified: String,
    /// Its size (0 for a delete marker).
    pub size: u64,
}

/// What hashing an object's bytes gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectHashes {
    /// SHA-256 of the bytes.
    pub sha256: Sha256Digest,
    /// MD5 of the bytes.
    pub md5: Md5Digest,
    /// Their count.
    pub size: u64,
}

/// Whether the bucket has object lock on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BucketLock {
    /// Object lock is enabled: retention can be set per object.
    Enabled,
    /// The bucket exists without object lock.
    Absent,
}

/// A signed S3 client for one bucket.
#[derive(Debug, Clone)]
pub struct S3Client {
    http: reqwest::Client,
    config: S3Config,
    /// `scheme://authority` without a trailing slash.
    base: String,
    /// The `Host` header as reqwest sends it (port only when not default).
    host: String,
}

impl S3Client {
    /// A client for `config`; fails on an endpoint that is not an http(s) URL.
    pub fn new(config: S3Config) -> Result<Self, String> {
        let url = reqwest::Url::parse(&config.endpoint).map_err(|e| {
            format!(
                "the S3 endpoint {:?} is not a URL ({e}); give it as http(s)://host[:port]",
                config.endpoint
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!(
                "the S3 endpoint {:?} is not an http(s)://host[:port] URL",
                config.endpoint
            ));
        }
        let host_name = url.host_str().unwrap_or_default();
        let host = match url.port() {
            Some(port) => format!("{host_name}:{port}"),
            None => host_name.to_owned(),
        };
        let base = format!("{}://{host}", url.scheme());
        // reqwest is built without a default crypto provider in this
        // workspace (see qorgau-collect); ring is installed once here.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(120))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot make the HTTP client for S3: {e}"))?;
        Ok(Self {
            http,
            config,
            base,
            host,
        })
    }

    /// The configuration (its secret is redacted in `Debug`).
    pub fn config(&self) -> &S3Config {
        &self.config
    }

    fn endpoint(&self) -> &str {
        &self.config.endpoint
    }

    fn bucket(&self) -> &str {
        &self.config.bucket
    }

    fn other(&self, doing: &str, message: impl ToString) -> S3Error {
        S3Error::Other {
            endpoint: self.endpoint().to_owned(),
            bucket: self.bucket().to_owned(),
            doing: doing.to_owned(),
            message: message.to_string(),
        }
    }

    fn unreachable(&self, e: &reqwest::Error) -> S3Error {
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message = format!("{message}: {s}");
            source = s.source();
        }
        S3Error::Unreachable {
            endpoint: self.endpoint().to_owned(),
            message,
        }
    }

    /// Builds and signs a request. `key` None addresses the bucket.
    fn request(
        &self,
        method: reqwest::Method,
        key: Option<&str>,
        query: &[(String, String)],
        extra_headers: &[(String, String)],
        payload_sha256: &str,
    ) -> reqwest::RequestBuilder {
        let mut path = format!("/{}", sigv4::uri_encode(self.bucket(), true));
        if let Some(key) = key {
            path.push('/');
            path.push_str(&sigv4::uri_encode(key, false));
        }
        let amz_date = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let mut headers: Vec<(String, String)> = vec![
            ("host".into(), self.host.clone()),
            ("x-amz-date".into(), amz_date.clone()),
            ("x-amz-content-sha256".into(), payload_sha256.to_owned()),
        ];
        headers.extend(extra_headers.iter().cloned());
        let authorization = sigv4::authorization(
            &Request {
                method: method.as_str(),
                path: &path,
                query,
                headers: &headers,
                payload_sha256,
            },
            &self.config.credentials,
            &self.config.region,
            &amz_date,
        );
        let mut url = format!("{}{path}", self.base);
        if !query.is_empty() {
            url.push('?');
            url.push_str(
                &query
                    .iter()
                    .map(|(k, v)| {
                        if v.is_empty() {
                            sigv4::uri_encode(k, true)
                        } else {
                            format!(
                                "{}={}",
                                sigv4::uri_encode(k, true),
                                sigv4::uri_encode(v, true)
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("&"),
            );
        }
        let mut builder = self.http.request(method, url);
        for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.header("authorization", authorization)
    }

    async fn send(
        &self,
        builder: reqwest::RequestBuilder,
        doing: &str,
    ) -> Result<reqwest::Response, S3Error> {
        let response = builder.send().await.map_err(|e| self.unreachable(&e))?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status().as_u16();
        let body = response.text().await.unwrap_or_default();
        let (code, message) = match parse_xml(&body) {
            Ok(root) => (
                root.child_text("Code").unwrap_or_default(),
                root.child_text("Message").unwrap_or_default(),
            ),
            Err(_) => (String::new(), String::new()),
        };
        Err(S3Error::Server {
            endpoint: self.endpoint().to_owned(),
            bucket: self.bucket().to_owned(),
            doing: doing.to_owned(),
            status,
            code,
            message,
        })
    }

    async fn xml(&self, response: reqwest::Response, doing: &str) -> Result<Element, S3Error> {
        let body = response
            .text()
            .await
            .map_err(|e| self.other(doing, format!("reading the answer: {e}")))?;
        parse_xml(&body).map_err(|e| self.other(doing, format!("the answer is not XML: {e}")))
    }

    /// Whether the bucket has object lock; `Ok(None)` when it does not exist.
    pub async fn bucket_lock(&self) -> Result<Option<BucketLock>, S3Error> {
        let doing = "reading the bucket's object-lock configuration";
        let query = [("object-lock".to_owned(), String::new())];
        let builder = self.request(reqwest::Method::GET, None, &query, &[], EMPTY_SHA256);
        match self.send(builder, doing).await {
            Ok(response) => {
                let root = self.xml(response, doing).await?;
                Ok(Some(
                    if root.child_text("ObjectLockEnabled").as_deref() == Some("Enabled") {
                        BucketLock::Enabled
                    } else {
                        BucketLock::Absent
                    },
                ))
            }
            Err(e) if e.code() == Some("NoSuchBucket") => Ok(None),
            Err(e)
                if e.code() == Some("ObjectLockConfigurationNotFoundError")
                    || e.code() == Some("ObjectLockConfigurationNotFound") =>
            {
                Ok(Some(BucketLock::Absent))
            }
            Err(e) => Err(e),
        }
    }

    /// Creates the bucket, with object lock unless told the store has none.
    pub async fn create_bucket(&self, object_lock: bool) -> Result<(), S3Error> {
        let body = if self.config.region == "us-east-1" {
            String::new()
        } else {
            format!(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
                 <LocationConstraint>{}</LocationConstraint></CreateBucketConfiguration>",
                self.config.region
            )
        };
        let payload = hex::encode(Sha256::digest(body.as_bytes()));
        let mut headers = Vec::new();
        if object_lock {
            headers.push((
                "x-amz-bucket-object-lock-enabled".to_owned(),
                "true".to_owned(),
            ));
        }
        let builder = self
            .request(reqwest::Method::PUT, None, &[], &headers, &payload)
            .body(body);
        self.send(builder, "creating the bucket").await?;
        Ok(())
    }

    /// Uploads the file at `path` (whose hashes the caller computed) as
    /// `key`. The payload hash is signed and Content-MD5 sent, so the server
    /// refuses bytes that do not match the blob's address; with `retain_until`
    /// the version is locked in COMPLIANCE mode until then. Returns the
    /// version id the server gave (empty if it gave none).
    pub async fn put_file(
        &self,
        key: &str,
        path: &Path,
        hashes: &ObjectHashes,
        retain_until: Option<DateTime<Utc>>,
    ) -> Result<String, S3Error> {
        let doing = format!("uploading {key}");
        if hashes.size > self.config.multipart_above.min(MAX_SINGLE_PUT) {
            return self.put_multipart(key, path, hashes, retain_until).await;
        }
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| self.other(&doing, format!("opening {}: {e}", path.display())))?;
        let mut headers = vec![
            (
                "content-md5".to_owned(),
                base64_encode(hashes.md5.as_bytes()),
            ),
            ("content-length".to_owned(), hashes.size.to_string()),
            (
                "content-type".to_owned(),
                "application/octet-stream".to_owned(),
            ),
        ];
        if self.config.send_checksum_header {
            headers.push((
                "x-amz-checksum-sha256".to_owned(),
                base64_encode(hashes.sha256.as_bytes()),
            ));
        }
        if let Some(until) = retain_until {
            headers.push(("x-amz-object-lock-mode".to_owned(), "COMPLIANCE".to_owned()));
            headers.push((
                "x-amz-object-lock-retain-until-date".to_owned(),
                until.to_rfc3339_opts(SecondsFormat::Secs, true),
            ));
        }
        let builder = self
            .request(
                reqwest::Method::PUT,
                Some(key),
                &[],
                &headers,
                &hashes.sha256.to_hex(),
            )
            .body(reqwest::Body::from(file));
        let response = self.send(builder, &doing).await?;
        Ok(response
            .headers()
            .get("x-amz-version-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned())
    }

    /// Uploads a large blob in parts. Each part is signed with its own
    /// SHA-256 and carries its Content-MD5, so the server checks every
    /// part; the whole is hashed on the way and the upload completed only
    /// when it is the blob's address (no server checks that for a
    /// multipart object), else aborted. The lock headers go with the
    /// initiation, as S3 wants.
    async fn put_multipart(
        &self,
        key: &str,
        path: &Path,
        hashes: &ObjectHashes,
        retain_until: Option<DateTime<Utc>>,
    ) -> Result<String, S3Error> {
        let doing = format!("uploading {key} in parts");
        let part_size = self.config.part_size.max(super::MIN_PART_SIZE);
        let mut headers = vec![(
            "content-type".to_owned(),
            "application/octet-stream".to_owned(),
        )];
        if let Some(until) = retain_until {
            headers.push(("x-amz-object-lock-mode".to_owned(), "COMPLIANCE".to_owned()));
            headers.push((
                "x-amz-object-lock-retain-until-date".to_owned(),
                until.to_rfc3339_opts(SecondsFormat::Secs, true),
            ));
        }
        let query = [("uploads".to_owned(), String::new())];
        let builder = self.request(
            reqwest::Method::POST,
            Some(key),
            &query,
            &headers,
            EMPTY_SHA256,
        );
        let response = self.send(builder, &doing).await?;
        let upload_id = self
            .xml(response, &doing)
            .await?
            .child_text("UploadId")
            .filter(|id| !id.is_empty())
            .ok_or_else(|| self.other(&doing, "the server gave no UploadId"))?;
        match self
            .upload_parts(key, path, hashes, part_size, &upload_id, &doing)
            .await
        {
            Ok(version) => {
                // radosgw 16 ignores the lock headers of a multipart
                // initiation (the object comes out unlocked); setting the
                // retention on the completed version makes it hold there
                // too, and is a no-op where the headers were honoured.
                if let Some(until) = retain_until {
                    let held = self.retention(key, &version).await?;
                    if held
                        .as_ref()
                        .is_none_or(|r| r.mode != "COMPLIANCE" || r.retain_until < until)
                    {
                        self.put_retention(key, &version, until).await?;
                    }
                }
                Ok(version)
            }
            Err(e) => {
                // Best effort: an upload left open costs space, never evidence.
                let query = [("uploadId".to_owned(), upload_id.clone())];
                let builder = self.request(
                    reqwest::Method::DELETE,
                    Some(key),
                    &query,
                    &[],
                    EMPTY_SHA256,
                );
                let _ = self.send(builder, "aborting the upload").await;
                Err(e)
            }
        }
    }

    async fn upload_parts(
        &self,
        key: &str,
        path: &Path,
        hashes: &ObjectHashes,
        part_size: u64,
        upload_id: &str,
        doing: &str,
    ) -> Result<String, S3Error> {
        use tokio::io::AsyncReadExt;
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| self.other(doing, format!("opening {}: {e}", path.display())))?;
        let mut whole = Sha256::new();
        let mut sent = 0u64;
        let mut parts: Vec<(u32, String)> = Vec::new();
        let mut number = 0u32;
        while sent < hashes.size || number == 0 {
            number += 1;
            let want = part_size.min(hashes.size - sent);
            let mut body = vec![0u8; usize::try_from(want).unwrap_or(usize::MAX)];
            file.read_exact(&mut body)
                .await
                .map_err(|e| self.other(doing, format!("reading {}: {e}", path.display())))?;
            whole.update(&body);
            sent += want;
            let part_sha = hex::encode(Sha256::digest(&body));
            let headers = vec![
                ("content-md5".to_owned(), base64_encode(&Md5::digest(&body))),
                ("content-length".to_owned(), body.len().to_string()),
            ];
            let query = [
                ("partNumber".to_owned(), number.to_string()),
                ("uploadId".to_owned(), upload_id.to_owned()),
            ];
            let builder = self
                .request(reqwest::Method::PUT, Some(key), &query, &headers, &part_sha)
                .body(body);
            let response = self
                .send(builder, &format!("{doing} (part {number})"))
                .await?;
            let etag = response
                .headers()
                .get("etag")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            parts.push((number, etag));
        }
        let sha256 = Sha256Digest::from_bytes(whole.finalize().into());
        if sha256 != hashes.sha256 {
            return Err(self.other(
                doing,
                format!(
                    "{} read as SHA-256 {sha256} while uploading, not the blob's address {}; \
                     the upload was abandoned",
                    path.display(),
                    hashes.sha256
                ),
            ));
        }
        let mut xml = String::from("<CompleteMultipartUpload>");
        for (number, etag) in &parts {
            let etag = etag.replace('&', "&amp;").replace('<', "&lt;");
            xml.push_str(&format!(
                "<Part><PartNumber>{number}</PartNumber><ETag>{etag}</ETag></Part>"
            ));
        }
        xml.push_str("</CompleteMultipartUpload>");
        let payload = hex::encode(Sha256::digest(xml.as_bytes()));
        let query = [("uploadId".to_owned(), upload_id.to_owned())];
        let headers = vec![("content-type".to_owned(), "application/xml".to_owned())];
        let builder = self
            .request(reqwest::Method::POST, Some(key), &query, &headers, &payload)
            .body(xml);
        let response = self.send(builder, doing).await?;
        let version = response
            .headers()
            .get("x-amz-version-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        // S3 may answer 200 and put the error in the body.
        let root = self.xml(response, doing).await?;
        if root.name == "Error" {
            return Err(S3Error::Server {
                endpoint: self.endpoint().to_owned(),
                bucket: self.bucket().to_owned(),
                doing: doing.to_owned(),
                status: 200,
                code: root.child_text("Code").unwrap_or_default(),
                message: root.child_text("Message").unwrap_or_default(),
            });
        }
        Ok(version)
    }

    /// Locks one version in COMPLIANCE mode until `until` (PutObjectRetention).
    pub async fn put_retention(
        &self,
        key: &str,
        version_id: &str,
        until: DateTime<Utc>,
    ) -> Result<(), S3Error> {
        let doing = format!("setting the retention of {key} version {version_id}");
        let body = format!(
            "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>COMPLIANCE</Mode>\
             <RetainUntilDate>{}</RetainUntilDate></Retention>",
            until.to_rfc3339_opts(SecondsFormat::Secs, true)
        );
        let mut query = vec![("retention".to_owned(), String::new())];
        if !version_id.is_empty() {
            query.push(("versionId".to_owned(), version_id.to_owned()));
        }
        let headers = vec![
            (
                "content-md5".to_owned(),
                base64_encode(&Md5::digest(body.as_bytes())),
            ),
            ("content-type".to_owned(), "application/xml".to_owned()),
        ];
        let payload = hex::encode(Sha256::digest(body.as_bytes()));
        let builder = self
            .request(reqwest::Method::PUT, Some(key), &query, &headers, &payload)
            .body(body);
        self.send(builder, &doing).await?;
        Ok(())
    }

    /// Streams `key` (a given version, else the current one) and hashes it;
    /// with `dest` the bytes are also written there (and fsynced).
    pub async fn get_hashed(
        &self,
        key: &str,
        version_id: Option<&str>,
        dest: Option<&Path>,
    ) -> Result<ObjectHashes, S3Error> {
        let doing = match version_id {
            Some(v) => format!("reading {key} version {v}"),
            None => format!("reading {key}"),
        };
        let query: Vec<(String, String)> = version_id
            .filter(|v| !v.is_empty())
            .map(|v| vec![("versionId".to_owned(), v.to_owned())])
            .unwrap_or_default();
        let builder = self.request(reqwest::Method::GET, Some(key), &query, &[], EMPTY_SHA256);
        let mut response = self.send(builder, &doing).await?;
        let mut out =
            match dest {
                Some(path) => Some(tokio::fs::File::create_new(path).await.map_err(|e| {
                    self.other(&doing, format!("creating {}: {e}", path.display()))
                })?),
                None => None,
            };
        let mut sha = Sha256::new();
        let mut md5 = Md5::new();
        let mut size = 0u64;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.other(&doing, format!("reading the body: {e}")))?
        {
            sha.update(&chunk);
            md5.update(&chunk);
            size += chunk.len() as u64;
            if let Some(file) = out.as_mut() {
                file.write_all(&chunk)
                    .await
                    .map_err(|e| self.other(&doing, format!("writing the local copy: {e}")))?;
            }
        }
        if let Some(mut file) = out {
            file.flush()
                .await
                .and(file.sync_all().await)
                .map_err(|e| self.other(&doing, format!("writing the local copy: {e}")))?;
        }
        let sha256 = Sha256Digest::from_bytes(sha.finalize().into());
        let md5 = Md5Digest::from_bytes(md5.finalize().into());
        Ok(ObjectHashes { sha256, md5, size })
    }

    /// The retention of one version; None when it has none.
    pub async fn retention(
        &self,
        key: &str,
        version_id: &str,
    ) -> Result<Option<Retention>, S3Error> {
        let doing = format!("reading the retention of {key} version {version_id}");
        let mut query = vec![("retention".to_owned(), String::new())];
        if !version_id.is_empty() {
            query.push(("versionId".to_owned(), version_id.to_owned()));
        }
        let builder = self.request(reqwest::Method::GET, Some(key), &query, &[], EMPTY_SHA256);
        let response = match self.send(builder, &doing).await {
            Ok(r) => r,
            Err(e)
                if matches!(
                    e.code(),
                    Some("NoSuchObjectLockConfiguration" | "ObjectLockConfigurationNotFoundError")
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let root = self.xml(response, &doing).await?;
        let mode = root.child_text("Mode").unwrap_or_default();
        let until = root.child_text("RetainUntilDate").unwrap_or_default();
        if mode.is_empty() && until.is_empty() {
            return Ok(None);
        }
        let retain_until = DateTime::parse_from_rfc3339(&until)
            .map_err(|e| self.other(&doing, format!("RetainUntilDate {until:?}: {e}")))?
            .with_timezone(&Utc);
        Ok(Some(Retention { mode, retain_until }))
    }

    /// Every version (and delete marker) of exactly `key`, newest first as
    /// the server lists them.
    pub async fn versions(&self, key: &str) -> Result<Vec<ObjectVersion>, S3Error> {
        let doing = format!("listing the versions of {key}");
        let mut out = Vec::new();
        let mut markers: Option<(String, String)> = None;
        loop {
            let mut query = vec![
                ("versions".to_owned(), String::new()),
                ("prefix".to_owned(), key.to_owned()),
            ];
            if let Some((key_marker, version_marker)) = &markers {
                query.push(("key-marker".to_owned(), key_marker.clone()));
                query.push(("version-id-marker".to_owned(), version_marker.clone()));
            }
            let builder = self.request(reqwest::Method::GET, None, &query, &[], EMPTY_SHA256);
            let response = self.send(builder, &doing).await?;
            let root = self.xml(response, &doing).await?;
            for child in &root.children {
                let delete_marker = match child.name.as_str() {
                    "Version" => false,
                    "DeleteMarker" => true,
                    _ => continue,
                };
                if child.child_text("Key").as_deref() != Some(key) {
                    continue;
                }
                out.push(ObjectVersion {
                    version_id: child.child_text("VersionId").unwrap_or_default(),
                    is_latest: child.child_text("IsLatest").as_deref() == Some("true"),
                    delete_marker,
                    last_modified: child.child_text("LastModified").unwrap_or_default(),
                    size: child
                        .child_text("Size")
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0),
                });
            }
            if root.child_text("IsTruncated").as_deref() == Some("true") {
                let next = (
                    root.child_text("NextKeyMarker").unwrap_or_default(),
                    root.child_text("NextVersionIdMarker").unwrap_or_default(),
                );
                if next.0.is_empty() || markers.as_ref() == Some(&next) {
                    break;
                }
                markers = Some(next);
            } else {
                break;
            }
        }
        Ok(out)
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
