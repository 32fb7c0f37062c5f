//! A page capture as a WARC 1.1 file.
//!
//! Layout: a `warcinfo` record (tool and version, host, operator, the
//! capture, the user agent); for every exchange a `request` record and its
//! `response` record (concurrent to each other); a `metadata` record with
//! what the capture established (final URL, server IP, certificate, times,
//! browser, viewport, partial, warnings, failed requests); and `resource`
//! records for the screenshot (`urn:view:`), the rendered DOM (`urn:dom:`)
//! and the visible text (`urn:text:`), as browser-based archivers name them.
//!
//! Bodies a browser hands back are decoded; their response records keep
//! the original `Content-Encoding` and `Content-Length` as
//! `X-Archive-Orig-…` headers (as pywb and browsertrix do) and state the
//! length of what is stored. Transfer encoding is never stored, so
//! `Transfer-Encoding` is always renamed the same way.

use std::io;

use qorgau_core::{Id, Timestamp};

use crate::bundle::Provenance;
use crate::model::{Header, HttpResponse, PageCapture};
use crate::warc::{Record, WarcWriter, http_block, record_id};

/// The capture's WARC, gzip per record.
pub(crate) fn warc_bytes(
    capture: &PageCapture,
    who: &Provenance,
    file_name: &str,
) -> io::Result<Vec<u8>> {
    let mut w = WarcWriter::new(Vec::new());
    let info_id = Id::new();
    let mut fields = vec![
        (
            "software",
            format!("{}/{}", who.tool.name, who.tool.version),
        ),
        ("format", "WARC File Format 1.1".to_owned()),
        (
            "conformsTo",
            "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
                .to_owned(),
        ),
        ("hostname", who.operator.host.clone()),
        ("operator", who.operator.user.clone()),
        ("isPartOf", format!("capture-{}", who.capture_id)),
        ("engine", capture.engine.as_str().to_owned()),
        ("http-header-user-agent", capture.user_agent.clone()),
    ];
    if let Some(b) = &capture.browser_version {
        fields.push(("browser", b.clone()));
    }
    if let Some(n) = &who.note {
        fields.push(("description", n.clone()));
    }
    let mut block = String::new();
    for (k, v) in &fields {
        block.push_str(k);
        block.push_str(": ");
        block.push_str(&v.replace(['\r', '\n'], " "));
        block.push_str("\r\n");
    }
    w.write(&Record {
        kind: "warcinfo",
        id: info_id,
        date: capture.started_at,
        target: None,
        content_type: "application/warc-fields".to_owned(),
        headers: vec![("WARC-Filename", file_name.to_owned())],
        block: block.into_bytes(),
        payload_at: None,
    })?;
    let info = record_id(info_id);

    let mut page_response = None;
    for e in &capture.exchanges {
        let request_id = Id::new();
        let response_id = e.response.as_ref().map(|_| Id::new());
        let (req_block, req_at) = http_block(
            &format!(
                "{} {} HTTP/1.1",
                e.request.method,
                request_target(&e.request.url)
            ),
            &request_headers(&e.request.url, &e.request.headers),
            &e.request.body,
        );
        let mut headers = vec![("WARC-Warcinfo-ID", info.clone())];
        if let Some(r) = response_id {
            headers.push(("WARC-Concurrent-To", record_id(r)));
        }
        if let Some(ip) = &e.server_ip {
            headers.push(("WARC-IP-Address", ip.clone()));
        }
        w.write(&Record {
            kind: "request",
            id: request_id,
            date: e.started_at,
            target: Some(e.request.url.clone()),
            content_type: "application/http;msgtype=request".to_owned(),
            headers,
            block: req_block,
            payload_at: (!e.request.body.is_empty()).then_some(req_at),
        })?;
        let (Some(resp), Some(resp_id)) = (&e.response, response_id) else {
            continue;
        };
        let (block, at) = http_block(&status_line(resp), &stored_headers(resp), &resp.body);
        let mut headers = vec![
            ("WARC-Warcinfo-ID", info.clone()),
            ("WARC-Concurrent-To", record_id(request_id)),
        ];
        if let Some(ip) = &e.server_ip {
            headers.push(("WARC-IP-Address", ip.clone()));
        }
        if let Some(t) = &resp.truncated {
            let reason = match t.as_str() {
                "length" | "time" | "disconnect" => t.clone(),
                _ => "unspecified".to_owned(),
            };
            headers.push(("WARC-Truncated", reason));
        }
        w.write(&Record {
            kind: "response",
            id: resp_id,
            date: e.started_at,
            target: Some(e.request.url.clone()),
            content_type: "application/http;msgtype=response".to_owned(),
            headers,
            block,
            payload_at: Some(at),
        })?;
        if e.request.url == capture.final_url && !(300..400).contains(&resp.status) {
            page_response = Some(resp_id);
        }
    }

    let refers = |mut h: Vec<(&'static str, String)>| {
        h.push(("WARC-Warcinfo-ID", info.clone()));
        if let Some(p) = page_response {
            h.push(("WARC-Refers-To", record_id(p)));
        }
        h
    };
    let failed: Vec<serde_json::Value> = capture
        .exchanges
        .iter()
        .filter_map(|e| {
            e.error
                .as_ref()
                .map(|err| serde_json::json!({"url": e.request.url, "error": err}))
        })
        .collect();
    let facts = serde_json::json!({
        "requested_url": capture.requested_url,
        "final_url": capture.final_url,
        "http_status": capture.status,
        "server_ip": capture.server_ip,
        "tls": capture.tls,
        "capture_started": capture.started_at.to_utc_string(),
        "capture_finished": capture.finished_at.to_utc_string(),
        "capture_started_almaty": capture.started_at.to_almaty_string(),
        "engine": capture.engine,
        "browser": capture.browser_version,
        "user_agent": capture.user_agent,
        "viewport": capture.viewport.map(|(w, h)| serde_json::json!({"width": w, "height": h})),
        "partial": capture.partial,
        "screenshot_note": capture.screenshot_note,
        "warnings": capture.warnings,
        "failed_requests": failed,
        "operator": who.operator,
        "capture_id": who.capture_id.to_string(),
    });
    let finished = capture.finished_at;
    w.write(&Record {
        kind: "metadata",
        id: Id::new(),
        date: finished,
        target: Some(capture.final_url.clone()),
        content_type: "application/json".to_owned(),
        headers: refers(Vec::new()),
        block: serde_json::to_vec_pretty(&facts).map_err(io::Error::other)?,
        payload_at: None,
    })?;
    let mut resource = |scheme: &str, content_type: &str, bytes: Vec<u8>, at: Timestamp| {
        w.write(&Record {
            kind: "resource",
            id: Id::new(),
            date: at,
            target: Some(format!("urn:{scheme}:{}", capture.final_url)),
            content_type: content_type.to_owned(),
            headers: refers(Vec::new()),
            block: bytes,
            payload_at: None,
        })
    };
    if let Some(png) = &capture.screenshot_png {
        resource("view", "image/png", png.clone(), finished)?;
    }
    if let Some(dom) = &capture.dom_html {
        resource(
            "dom",
            "text/html; charset=utf-8",
            dom.as_bytes().to_vec(),
            finished,
        )?;
    }
    resource(
        "text",
        "text/plain; charset=utf-8",
        capture.visible_text.as_bytes().to_vec(),
        finished,
    )?;
    Ok(w.into_inner())
}

/// The request target of an absolute URL: path and query.
fn request_target(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_owned(),
        },
        Err(_) => url.to_owned(),
    }
}

/// Request headers as an HTTP/1.1 message has them: HTTP/2 pseudo-headers
/// dropped, `Host` first when missing.
fn request_headers(url: &str, headers: &[Header]) -> Vec<Header> {
    let mut out: Vec<Header> = headers
        .iter()
        .filter(|(k, _)| !k.starts_with(':'))
        .cloned()
        .collect();
    if !out.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"))
        && let Ok(u) = url::Url::parse(url)
    {
        let host = match u.port() {
            Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
            None => u.host_str().unwrap_or_default().to_owned(),
        };
        out.insert(0, ("Host".to_owned(), host));
    }
    out
}

/// `HTTP/1.1 200 OK`; HTTP/2 and /3 answers are written in HTTP/1.1 form
/// (the protocol actually used is in the metadata record).
fn status_line(r: &HttpResponse) -> String {
    let protocol = if r.protocol.starts_with("HTTP/1.") {
        r.protocol.as_str()
    } else {
        "HTTP/1.1"
    };
    let reason = if r.reason.is_empty() {
        reqwest::StatusCode::from_u16(r.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    } else {
        r.reason.as_str()
    };
    format!("{protocol} {} {reason}", r.status)
}

/// Response headers as stored: no transfer encoding, content encoding kept
/// under another name when the body was decoded, and a `Content-Length`
/// that matches the stored body.
fn stored_headers(r: &HttpResponse) -> Vec<Header> {
    let mut out = Vec::with_capacity(r.headers.len() + 1);
    let mut length_ok = false;
    for (k, v) in &r.headers {
        if k.starts_with(':') {
            continue;
        }
        let lower = k.to_ascii_lowercase();
        let rename = match lower.as_str() {
            "transfer-encoding" => true,
            "content-encoding" => r.decoded,
            "content-length" => {
                let ok = v.trim().parse::<usize>().ok() == Some(r.body.len()) && !r.decoded;
                length_ok |= ok;
                !ok
            }
            _ => false,
        };
        if rename {
            out.push((format!("X-Archive-Orig-{k}"), v.clone()));
        } else {
            out.push((k.clone(), v.clone()));
        }
    }
    if !length_ok {
        out.push(("Content-Length".to_owned(), r.body.len().to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(headers: &[(&str, &str)], body: &[u8], decoded: bool) -> HttpResponse {
        HttpResponse {
            protocol: "HTTP/1.1".into(),
            status: 200,
            reason: "OK".into(),
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
            decoded,
            truncated: None,
        }
    }

    #[test]
    fn decoded_bodies_keep_their_original_encoding_headers_under_other_names() {
        let r = response(
            &[
                ("Content-Encoding", "gzip"),
                ("Content-Length", "20"),
                ("Transfer-Encoding", "chunked"),
                ("Content-Type", "text/html"),
            ],
            b"hello",
            true,
        );
        let h = stored_headers(&r);
        assert!(h.contains(&("X-Archive-Orig-Content-Encoding".into(), "gzip".into())));
        assert!(h.contains(&("X-Archive-Orig-Content-Length".into(), "20".into())));
        assert!(h.contains(&("X-Archive-Orig-Transfer-Encoding".into(), "chunked".into())));
        assert!(h.contains(&("Content-Length".into(), "5".into())));
        assert!(!h.iter().any(|(k, _)| k == "Content-Encoding"));
    }

    #[test]
    fn raw_bodies_keep_their_headers() {
        let r = response(
            &[("Content-Length", "5"), ("Content-Type", "text/plain")],
            b"hello",
            false,
        );
        let h = stored_headers(&r);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0], ("Content-Length".into(), "5".into()));
    }

    #[test]
    fn http2_is_written_as_http_1_1_and_pseudo_headers_go() {
        let mut r = response(&[(":status", "200")], b"", true);
        r.protocol = "HTTP/2".into();
        r.reason = String::new();
        assert_eq!(status_line(&r), "HTTP/1.1 200 OK");
        assert!(!stored_headers(&r).iter().any(|(k, _)| k.starts_with(':')));
        let h = request_headers(
            "https://x.test:8443/a?b=1",
            &[(":authority".into(), "x".into())],
        );
        assert_eq!(h, vec![("Host".to_owned(), "x.test:8443".to_owned())]);
        assert_eq!(request_target("https://x.test/a/b?c=1&d"), "/a/b?c=1&d");
    }
}
