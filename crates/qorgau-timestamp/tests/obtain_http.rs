//! `obtain` against loopback HTTP servers: one backed by `openssl ts -reply`,
//! and ones that misbehave in each way a real TSA can.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::post;
use common::{KeyKind, Tsa, anchors, sha256};
use qorgau_timestamp::{
    FailureInfo, ObtainError, PkiStatus, QUERY_CONTENT_TYPE, REPLY_CONTENT_TYPE, VerifyError,
    obtain, request, verify,
};

struct Server {
    tsa: Tsa,
    /// A response to some earlier request, served to anybody (replay).
    stale: Vec<u8>,
    /// An `openssl ts -reply` rejection (unsupported policy).
    rejection: Vec<u8>,
}

async fn answer(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    if headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes())
        != Some(QUERY_CONTENT_TYPE.as_bytes())
    {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, Vec::new()).into_response();
    }
    let server2 = server.clone();
    let reply = tokio::task::spawn_blocking(move || server2.tsa.reply_to(&body))
        .await
        .unwrap();
    ([(header::CONTENT_TYPE, REPLY_CONTENT_TYPE)], reply).into_response()
}

async fn start() -> (String, Arc<Server>) {
    let tsa = Tsa::new(KeyKind::Rsa);
    let stale = tsa.reply_to(request(sha256(b"old")).unwrap().to_der());
    let rejecting = request(sha256(b"x"))
        .unwrap()
        .with_policy("1.2.3.4.99")
        .unwrap();
    let rejection = tsa.reply_to(rejecting.to_der());
    let server = Arc::new(Server {
        tsa,
        stale,
        rejection,
    });
    let app = Router::new()
        .route("/tsa", post(answer))
        .route(
            "/broken",
            post(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "TSA down") }),
        )
        .route(
            "/html",
            post(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html>captive portal</html>",
                )
            }),
        )
        .route(
            "/garbage",
            post(|| async {
                (
                    [(header::CONTENT_TYPE, REPLY_CONTENT_TYPE)],
                    "this is not DER",
                )
            }),
        )
        .route(
            "/reject",
            post(|State(s): State<Arc<Server>>| async move {
                (
                    [(header::CONTENT_TYPE, REPLY_CONTENT_TYPE)],
                    s.rejection.clone(),
                )
            }),
        )
        .route(
            "/replay",
            post(|State(s): State<Arc<Server>>| async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        "application/timestamp-reply; charset=binary",
                    )],
                    s.stale.clone(),
                )
            }),
        )
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), server)
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn obtain_gets_a_verifiable_token_and_reports_each_failure() {
    let (base, server) = start().await;
    let client = client();
    let digest = sha256(b"synthetic capture manifest");

    // A working TSA.
    let url = format!("{base}/tsa");
    let req = request(digest).unwrap();
    let token = obtain(&client, &url, &req).await.unwrap();
    assert_eq!(token.info().message_imprint, digest);
    assert_eq!(token.info().nonce.as_deref(), req.nonce());
    let anchors = anchors(&server.tsa, "ca.pem");
    let verified = verify(token.der(), &digest, Some(&anchors)).unwrap();
    assert!(verified.trusted_by.is_some());
    // Two tokens in a row get distinct serials from the TSA.
    let again = obtain(&client, &url, &request(digest).unwrap())
        .await
        .unwrap();
    assert_ne!(again.info().serial_number, token.info().serial_number);

    // HTTP 500.
    let url = format!("{base}/broken");
    let err = obtain(&client, &url, &req).await.unwrap_err();
    assert!(
        matches!(&err, ObtainError::HttpStatus { status: 500, .. }),
        "{err}"
    );
    assert!(err.to_string().contains(&url), "{err}");

    // Wrong content type.
    let url = format!("{base}/html");
    let err = obtain(&client, &url, &req).await.unwrap_err();
    assert!(
        matches!(&err, ObtainError::ContentType { content_type, .. } if content_type == "text/html"),
        "{err}"
    );
    assert!(err.to_string().contains(&url), "{err}");

    // Garbage body.
    let url = format!("{base}/garbage");
    let err = obtain(&client, &url, &req).await.unwrap_err();
    assert!(matches!(&err, ObtainError::BadResponse { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");

    // A rejection from openssl: unsupported policy.
    let url = format!("{base}/reject");
    let err = obtain(&client, &url, &req).await.unwrap_err();
    match &err {
        ObtainError::Rejected {
            status,
            status_text,
            fail_info,
            ..
        } => {
            assert_eq!(*status, PkiStatus::Rejection);
            assert_eq!(fail_info, &vec![FailureInfo::UnacceptedPolicy]);
            assert!(
                status_text
                    .iter()
                    .any(|t| t.to_lowercase().contains("policy")),
                "{status_text:?}"
            );
        }
        other => panic!("expected a rejection, got {other}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("unacceptedPolicy") && message.contains(&url),
        "{message}"
    );

    // A valid token for someone else's request (replay) is refused.
    let url = format!("{base}/replay");
    let err = obtain(&client, &url, &req).await.unwrap_err();
    assert!(
        matches!(
            &err,
            ObtainError::Token {
                source: VerifyError::ImprintMismatch { .. },
                ..
            }
        ),
        "{err}"
    );

    // Nobody listening.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let url = format!("http://{dead}/tsa");
    let err = obtain(&client, &url, &req).await.unwrap_err();
    assert!(matches!(&err, ObtainError::Transport { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
}
