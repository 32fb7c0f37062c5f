//! The two listeners (HTTP and TLS) and the thread that runs them.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

use crate::pages;

/// Requests seen, by path (with query), for tests that check what a
/// capture asked for.
pub(crate) type Hits = Arc<Mutex<BTreeMap<String, usize>>>;

/// A running test site.
///
/// Dropping it leaves the servers running until the process ends; tests
/// are short-lived processes, so nothing is torn down.
pub struct TestSite {
    http: SocketAddr,
    https: SocketAddr,
    cert_pem: String,
    hits: Hits,
}

impl TestSite {
    /// Starts the site on two free loopback ports.
    ///
    /// # Panics
    /// When the loopback interface cannot be bound or the runtime cannot be
    /// built: the site is test equipment, and a test cannot go on without it.
    #[allow(clippy::expect_used)]
    pub fn start() -> Self {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime for the test site");
            rt.block_on(async move {
                let hits: Hits = Arc::default();
                let app = pages::router()
                    .layer(middleware::from_fn_with_state(hits.clone(), count))
                    .with_state(());
                let http = TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind loopback (http)");
                let tcp = TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind loopback (https)");
                let (acceptor, cert_pem) = self_signed().expect("self-signed certificate");
                let addrs = (
                    http.local_addr().expect("http address"),
                    tcp.local_addr().expect("https address"),
                );
                tx.send((addrs, cert_pem, hits.clone()))
                    .expect("test site start-up");
                let tls = TlsListener { tcp, acceptor };
                let plain = axum::serve(http, app.clone());
                let secure = axum::serve(tls, app);
                let _ = tokio::join!(plain, secure);
            });
        });
        let ((http, https), cert_pem, hits) = rx.recv().expect("test site started");
        Self {
            http,
            https,
            cert_pem,
            hits,
        }
    }

    /// `http://127.0.0.1:PORT` + `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.http)
    }

    /// `https://localhost:PORT` + `path`, served with the self-signed
    /// certificate (issued to `localhost` and `127.0.0.1`).
    pub fn tls_url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.https.port())
    }

    /// The HTTP listener's address.
    pub fn http_addr(&self) -> SocketAddr {
        self.http
    }

    /// The self-signed certificate, PEM.
    pub fn certificate_pem(&self) -> &str {
        &self.cert_pem
    }

    /// How many times `path_and_query` was requested.
    pub fn hits(&self, path_and_query: &str) -> usize {
        self.hits
            .lock()
            .map(|h| h.get(path_and_query).copied().unwrap_or(0))
            .unwrap_or(0)
    }
}

/// Counts every request by path and query.
async fn count(State(hits): State<Hits>, request: Request, next: Next) -> Response {
    let key = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    if let Ok(mut h) = hits.lock() {
        *h.entry(key).or_default() += 1;
    }
    next.run(request).await
}

/// A certificate for `localhost` and `127.0.0.1` that no authority signed,
/// as a careless or hostile site serves.
fn self_signed() -> Result<(TlsAcceptor, String), Box<dyn std::error::Error + Send + Sync>> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "localhost");
    params.distinguished_name.push(
        rcgen::DnType::OrganizationName,
        "Qorgau test site (self-signed)",
    );
    let key = rcgen::KeyPair::generate()?;
    let cert = params.self_signed(&key)?;
    let pem = cert.pem();
    let der = cert.der().clone();
    let key_der = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der())?;
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![der], key_der)?;
    Ok((TlsAcceptor::from(Arc::new(config)), pem))
}

/// TCP with a TLS handshake before axum sees the connection.
struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((stream, addr)) = self.tcp.accept().await else {
                continue;
            };
            // A client that rejects the certificate aborts the handshake;
            // that is expected here, and the next connection is taken.
            if let Ok(tls) = self.acceptor.accept(stream).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// The router type the pages build.
pub(crate) type App = Router<()>;
