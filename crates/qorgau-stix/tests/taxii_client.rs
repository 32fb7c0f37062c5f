//! The TAXII logic read and written by `taxii2-client` (the OASIS Python
//! client) over HTTP on loopback. The HTTP here is a minimal test adapter
//! (one request per connection, Basic auth mapped to principals), standing
//! in for the server crate: it shows how little the server has to add.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use common::{out_dir, python, synthetic_case};
use qorgau_stix::taxii::{
    ApiRootConfig, MemoryStorage, Request, Requester, Response, ServerConfig, SharingGroup,
    TaxiiServer,
};
use qorgau_stix::{Tlp, export_bundle};
use serde_json::Value;
use uuid::Uuid;

fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

const USERS: [(&str, &str); 2] = [("police", "police-pw"), ("liaison", "liaison-pw")];

fn serve_one(
    stream: TcpStream,
    server: &Mutex<TaxiiServer<MemoryStorage>>,
    statuses: &Mutex<u128>,
) {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let principal = USERS
        .iter()
        .find(|(u, p)| {
            header("authorization")
                == Some(format!("Basic {}", base64(format!("{u}:{p}").as_bytes())).as_str())
        })
        .map(|(u, _)| *u);
    let response = match principal {
        None => Response {
            status: 401,
            headers: vec![("WWW-Authenticate".into(), "Basic realm=\"taxii\"".into())],
            body: b"{}".to_vec(),
        },
        Some(principal) => {
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            let query: Vec<(String, String)> = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (percent_decode(k), percent_decode(v))
                })
                .collect();
            let requester = Requester::new(principal);
            let status_id = {
                let mut n = statuses.lock().unwrap();
                *n += 1;
                Uuid::from_u128(*n)
            };
            let request = Request {
                method: &method,
                path,
                query: &query,
                accept: header("accept"),
                content_type: header("content-type"),
                body: &body,
                requester: &requester,
                now: Utc::now(),
                status_id,
            };
            server.lock().unwrap().handle(&request)
        }
    };
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        response.body.len()
    );
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes()).unwrap();
    out.write_all(&response.body).unwrap();
}

#[test]
fn taxii2_client_reads_and_writes_collections() {
    assert_eq!(base64(b"police:police-pw"), "cG9saWNlOnBvbGljZS1wdw==");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = ServerConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        title: "Qorgau TAXII (test)".into(),
        description: Some("Synthetic data only".into()),
        contact: None,
        max_page_size: 50,
        api_roots: vec![ApiRootConfig {
            name: "qorgau".into(),
            title: "Qorgau sharing groups".into(),
            description: None,
            max_content_length: 10_000_000,
            groups: vec![
                SharingGroup {
                    id: Uuid::from_u128(0xa1),
                    alias: None,
                    title: "Almaty region (synthetic)".into(),
                    description: None,
                    readers: ["police".to_string()].into(),
                    writers: ["police".to_string()].into(),
                    max_tlp: Tlp::Amber,
                },
                SharingGroup {
                    id: Uuid::from_u128(0xb2),
                    alias: None,
                    title: "International liaison (synthetic)".into(),
                    description: None,
                    readers: ["liaison".to_string()].into(),
                    writers: ["liaison".to_string(), "police".to_string()].into(),
                    max_tlp: Tlp::Red,
                },
            ],
        }],
    };
    let server = Arc::new(Mutex::new(TaxiiServer::new(config, MemoryStorage::new())));
    let statuses = Arc::new(Mutex::new(0u128));
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (server, statuses, stop) = (server.clone(), statuses.clone(), stop.clone());
        std::thread::spawn(move || {
            for (served, stream) in listener.incoming().enumerate() {
                if stop.load(Ordering::SeqCst) || served > 1000 {
                    break;
                }
                if let Ok(stream) = stream {
                    serve_one(stream, &server, &statuses);
                }
            }
        })
    };

    let bundle = export_bundle(&synthetic_case(Tlp::Amber)).unwrap();
    let path = out_dir("taxii").join("bundle.json");
    std::fs::write(&path, serde_json::to_vec(&bundle).unwrap()).unwrap();
    let url = format!("http://127.0.0.1:{port}/taxii2/");
    let result = std::panic::catch_unwind(|| {
        python(&["taxii", &url, "police", "police-pw", path.to_str().unwrap()])
    });
    stop.store(true, Ordering::SeqCst);
    let _ = TcpStream::connect(("127.0.0.1", port));
    thread.join().unwrap();
    let report: Value = serde_json::from_str(&result.unwrap()).unwrap();

    let n = bundle.objects.len() as u64;
    assert_eq!(report["title"], "Qorgau TAXII (test)");
    let root = &report["api_roots"][0];
    assert_eq!(
        root["versions"],
        serde_json::json!(["application/taxii+json;version=2.1"])
    );
    let almaty = &root["collections"][0];
    assert_eq!(
        (almaty["can_read"].as_bool(), almaty["can_write"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(almaty["status"]["status"], "complete");
    assert_eq!(almaty["status"]["total"].as_u64(), Some(n));
    assert_eq!(almaty["status"]["success"].as_u64(), Some(n));
    assert_eq!(almaty["status_again"], "complete");
    let pages: Vec<u64> = almaty["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert_eq!(pages.iter().sum::<u64>(), n);
    assert!(
        pages.len() as u64 == n.div_ceil(5) && pages.iter().all(|p| *p <= 5),
        "{pages:?}"
    );
    let mut paged: Vec<&str> = almaty["paged_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    paged.sort();
    let mut sent: Vec<&str> = bundle
        .objects
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    sent.sort();
    assert_eq!(paged, sent, "every object came back once");
    assert_eq!(almaty["indicators"], 12);
    assert_eq!(
        almaty["manifest"], 50,
        "one page of the manifest (max page size)"
    );
    assert_eq!(
        almaty["report_versions"],
        serde_json::json!(["2026-03-20T12:00:00.000Z"])
    );

    // Police may write to the liaison group but not read it.
    let liaison = &root["collections"][1];
    assert_eq!(
        (
            liaison["can_read"].as_bool(),
            liaison["can_write"].as_bool()
        ),
        (Some(false), Some(true))
    );
    assert_eq!(liaison["status"]["success"].as_u64(), Some(n));
    assert!(liaison.get("pages").is_none());
}
