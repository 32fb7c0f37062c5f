//! A local RFC 3161 time-stamping authority made with the `openssl` CLI
//! (Debian package `openssl`): a CA, a TSA certificate with the critical
//! timeStamping extended key usage, an `openssl ts` configuration, and an
//! HTTP endpoint that answers `application/timestamp-query` requests with
//! `openssl ts -reply`.
//!
//! Tests of time-stamping must not reach a public TSA, and must be checked
//! against an implementation that is not ours: this is both.

// Test fixture: a failure to set it up is a failed test, said loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

/// Runs `openssl` with `args` in `dir`; panics with the tool's output when
/// it fails, and with the package to install when it is missing.
pub fn openssl(dir: &Path, args: &[&str]) -> Output {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run the `openssl` command ({e}); these tests need the OpenSSL CLI: \
                 install the Debian package `openssl` (apt-get install openssl)"
            )
        })
}

/// Like [`openssl`] but insists on success.
pub fn openssl_ok(dir: &Path, args: &[&str]) -> Output {
    let output = openssl(dir, args);
    assert!(
        output.status.success(),
        "openssl {} failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Which key the TSA (and its CA) use.
#[derive(Clone, Copy, Debug)]
pub enum KeyKind {
    /// RSA-2048 TSA signed by an RSA-2048 CA with SHA-256; ESSCertID (v1).
    Rsa,
    /// EC P-256 TSA signed by an EC P-384 CA with SHA-384; ESSCertIDv2.
    EcP256,
}

/// A CA with a TSA under it, living in a temporary directory.
pub struct Tsa {
    /// Holds `ca.pem` (the trust anchor), `tsa.pem`, keys and `ts.cnf`.
    pub dir: tempfile::TempDir,
    /// The key types in use.
    pub kind: KeyKind,
    lock: std::sync::Mutex<()>,
}

/// The policy the TSA issues tokens under unless asked for another.
pub const DEFAULT_POLICY: &str = "1.2.3.4.1";
/// The one other policy it accepts.
pub const OTHER_POLICY: &str = "1.2.3.4.5";

impl Tsa {
    /// Makes the CA, the TSA certificate and the `openssl ts` configuration.
    pub fn new(kind: KeyKind) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (key_args, ca_key_args, ca_digest, ess_alg): (&[&str], &[&str], &str, &str) = match kind
        {
            KeyKind::Rsa => (
                &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                "-sha256",
                "sha1",
            ),
            KeyKind::EcP256 => (
                &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
                &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
                "-sha384",
                "sha256",
            ),
        };
        make_ca(d, "ca", "Qorgau Test Root CA", ca_key_args, ca_digest);
        let mut genkey = vec!["genpkey", "-out", "tsa.key"];
        genkey.extend_from_slice(key_args);
        openssl_ok(d, &genkey);
        openssl_ok(
            d,
            &[
                "req",
                "-new",
                "-key",
                "tsa.key",
                "-subj",
                "/C=KZ/O=Qorgau Tests/CN=Qorgau Test TSA",
                "-out",
                "tsa.csr",
            ],
        );
        std::fs::write(
            d.join("tsa_ext.cnf"),
            "basicConstraints = critical,CA:FALSE\n\
             keyUsage = critical,digitalSignature,nonRepudiation\n\
             extendedKeyUsage = critical,timeStamping\n\
             subjectKeyIdentifier = hash\n\
             authorityKeyIdentifier = keyid\n",
        )
        .unwrap();
        openssl_ok(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "tsa.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                "0x1234",
                "-days",
                "365",
                ca_digest,
                "-extfile",
                "tsa_ext.cnf",
                "-out",
                "tsa.pem",
            ],
        );
        std::fs::write(d.join("tsaserial"), "01\n").unwrap();
        let config = format!(
            "[ tsa ]\n\
             default_tsa = tsa_config1\n\
             [ tsa_config1 ]\n\
             dir = {dir}\n\
             serial = $dir/tsaserial\n\
             crypto_device = builtin\n\
             signer_cert = $dir/tsa.pem\n\
             certs = $dir/ca.pem\n\
             signer_key = $dir/tsa.key\n\
             signer_digest = sha256\n\
             default_policy = {DEFAULT_POLICY}\n\
             other_policies = {OTHER_POLICY}\n\
             digests = sha256, sha384, sha512\n\
             accuracy = secs:1, millisecs:500, microsecs:100\n\
             clock_precision_digits = 0\n\
             ordering = yes\n\
             tsa_name = yes\n\
             ess_cert_id_chain = no\n\
             ess_cert_id_alg = {ess_alg}\n",
            dir = d.display()
        );
        std::fs::write(d.join("ts.cnf"), config).unwrap();
        Self {
            dir,
            kind,
            lock: std::sync::Mutex::new(()),
        }
    }

    /// A file in the TSA's directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Makes another, unrelated CA in the same directory (`NAME.pem`).
    pub fn make_other_ca(&self, name: &str) -> PathBuf {
        make_ca(
            self.dir.path(),
            name,
            "Qorgau Test Root CA",
            &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
            "-sha256",
        );
        self.path(&format!("{name}.pem"))
    }

    /// Answers the request in file `query` with `openssl ts -reply`,
    /// writing `out`; returns the TimeStampResp DER.
    pub fn reply(&self, query: &str, out: &str) -> Vec<u8> {
        // `openssl ts -reply` rewrites the serial file: one at a time.
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        openssl_ok(
            self.dir.path(),
            &[
                "ts",
                "-reply",
                "-queryfile",
                query,
                "-config",
                "ts.cnf",
                "-out",
                out,
            ],
        );
        std::fs::read(self.path(out)).unwrap()
    }

    /// Answers request DER `query` (written to a unique file) and returns the response DER.
    pub fn reply_to(&self, query: &[u8]) -> Vec<u8> {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let unique = format!(
            "{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let q = format!("q-{unique}.tsq");
        std::fs::write(self.path(&q), query).unwrap();
        self.reply(&q, &format!("r-{unique}.tsr"))
    }

    /// `openssl ts -verify` of response file `response` against query file
    /// `query`, trusting `ca_file`; returns whether it printed OK.
    pub fn openssl_verify(&self, response: &str, query: &str, ca_file: &str) -> (bool, String) {
        let output = openssl(
            self.dir.path(),
            &[
                "ts",
                "-verify",
                "-in",
                response,
                "-queryfile",
                query,
                "-CAfile",
                ca_file,
                "-untrusted",
                "tsa.pem",
            ],
        );
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (
            output.status.success() && text.contains("Verification: OK"),
            text,
        )
    }
}

fn make_ca(dir: &Path, name: &str, cn: &str, key_args: &[&str], digest: &str) {
    let key = format!("{name}.key");
    let pem = format!("{name}.pem");
    let mut genkey = vec!["genpkey", "-out", key.as_str()];
    genkey.extend_from_slice(key_args);
    openssl_ok(dir, &genkey);
    let subject = format!("/C=KZ/O=Qorgau Tests/CN={cn}");
    openssl_ok(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-key",
            &key,
            "-subj",
            &subject,
            "-days",
            "3650",
            digest,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
            "-out",
            &pem,
        ],
    );
}

/// A [`Tsa`] answering RFC 3161 requests over HTTP on loopback, from a
/// runtime on a thread of its own (like [`crate::TestSite`]).
pub struct TsaServer {
    /// The authority behind it.
    pub tsa: Arc<Tsa>,
    /// `http://127.0.0.1:PORT/tsr`.
    pub url: String,
}

impl TsaServer {
    /// Makes a TSA and serves it until the process ends.
    pub fn start(kind: KeyKind) -> Self {
        let tsa = Arc::new(Tsa::new(kind));
        let (tx, rx) = std::sync::mpsc::channel();
        let served = tsa.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("tokio runtime for the test TSA");
            rt.block_on(async move {
                let app = Router::new().route("/tsr", post(answer)).with_state(served);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind loopback (TSA)");
                tx.send(listener.local_addr().expect("TSA address"))
                    .expect("test TSA start-up");
                axum::serve(listener, app).await.expect("test TSA");
            });
        });
        let addr = rx.recv().expect("test TSA started");
        Self {
            tsa,
            url: format!("http://{addr}/tsr"),
        }
    }
}

async fn answer(State(tsa): State<Arc<Tsa>>, headers: HeaderMap, body: Bytes) -> Response {
    if headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes())
        != Some(b"application/timestamp-query".as_slice())
    {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected application/timestamp-query",
        )
            .into_response();
    }
    match tokio::task::spawn_blocking(move || tsa.reply_to(&body)).await {
        Ok(reply) => (
            [(header::CONTENT_TYPE, "application/timestamp-reply")],
            reply,
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
