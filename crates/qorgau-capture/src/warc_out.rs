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
use std::net::IpAddr;

use qorgau_warc::{
    BodyForm, Compression, HttpBlock, Record, RecordId, Truncated, WarcInfo, WarcWriter,
};

use crate::bundle::Provenance;
use crate::model::{Header, HttpResponse, PageCapture};

fn warc_error(e: qorgau_warc::Error) -> io::Error {
    io::Error::other(e)
}

/// The capture's WARC, gzip per record (written by `qorgau-warc`).
pub(crate) fn warc_bytes(
    capture: &PageCapture,
    who: &Provenance,
    file_name: &str,
) -> io::Result<Vec<u8>> {
    let mut w = WarcWriter::new(Vec::new(), Compression::GzipPerRecord);
    let mut info = WarcInfo::new(format!("{}/{}", who.tool.name, who.tool.version));
    info.hostname = Some(who.operator.host.clone());
    info.operator = Some(who.operator.user.clone());
    info.description = who.note.clone();
    info.filename = Some(file_name.to_owned());
    info.extra = vec![
        ("isPartOf".to_owned(), format!("capture-{}", who.capture_id)),
        ("engine".to_owned(), capture.engine.as_str().to_owned()),
        (
            "http-header-user-agent".to_owned(),
            capture.user_agent.clone(),
        ),
    ];
    if let Some(b) = &capture.browser_version {
        info.extra.push(("browser".to_owned(), b.clone()));
    }
    let info_id = RecordId::new();
    w.write(
        &Record::warcinfo(&info)
            .map_err(warc_error)?
            .with_id(info_id.clone())
            .with_date(capture.started_at.as_datetime()),
    )
    .map_err(warc_error)?;

    let mut page_response = None;
    for e in &capture.exchanges {
        let request_id = RecordId::new();
        let response_id = e.response.as_ref().map(|_| RecordId::new());
        let ip: Option<IpAddr> = e.server_ip.as_deref().and_then(|ip| ip.parse().ok());
        let form = if e.request.body.is_empty() {
            BodyForm::AsTransmitted
        } else {
            BodyForm::Decoded
        };
        let block = HttpBlock::request(
            &e.request.method,
            &e.request.url,
            e.request
                .headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            &e.request.body,
            form,
        )
        .map_err(warc_error)?;
        let mut record = Record::request(e.request.url.clone(), block)
            .with_id(request_id.clone())
            .with_date(e.started_at.as_datetime())
            .warcinfo_id(&info_id);
        if let Some(r) = &response_id {
            record = record.concurrent_to(r);
        }
        if let Some(ip) = ip {
            record = record.ip_address(ip);
        }
        w.write(&record).map_err(warc_error)?;
        let (Some(resp), Some(resp_id)) = (&e.response, response_id) else {
            continue;
        };
        let (headers, form) = response_headers(resp);
        let block = HttpBlock::response(
            resp.status,
            Some(resp.reason.as_str()),
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &resp.body,
            form,
        )
        .map_err(warc_error)?;
        let mut record = Record::response(e.request.url.clone(), block)
            .with_id(resp_id.clone())
            .with_date(e.started_at.as_datetime())
            .warcinfo_id(&info_id)
            .concurrent_to(&request_id);
        if let Some(ip) = ip {
            record = record.ip_address(ip);
        }
        if let Some(t) = &resp.truncated {
            record = record.truncated(match t.as_str() {
                "length" => Truncated::Length,
                "time" => Truncated::Time,
                "disconnect" => Truncated::Disconnect,
                _ => Truncated::Unspecified,
            });
        }
        w.write(&record).map_err(warc_error)?;
        if e.request.url == capture.final_url && !(300..400).contains(&resp.status) {
            page_response = Some(resp_id);
        }
    }

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
    let finished = capture.finished_at.as_datetime();
    let annotate = |r: Record| {
        let r = r.with_date(finished).warcinfo_id(&info_id);
        match &page_response {
            Some(p) => r.refers_to(p),
            None => r,
        }
    };
    w.write(&annotate(Record::metadata(
        capture.final_url.clone(),
        "application/json",
        serde_json::to_vec_pretty(&facts).map_err(io::Error::other)?,
    )))
    .map_err(warc_error)?;
    let urn = |scheme: &str| format!("urn:{scheme}:{}", capture.final_url);
    if let Some(png) = &capture.screenshot_png {
        w.write(&annotate(Record::resource(
            urn("view"),
            "image/png",
            png.clone(),
        )))
        .map_err(warc_error)?;
    }
    if let Some(dom) = &capture.dom_html {
        w.write(&annotate(Record::resource(
            urn("dom"),
            "text/html; charset=utf-8",
            dom.as_bytes().to_vec(),
        )))
        .map_err(warc_error)?;
    }
    w.write(&annotate(Record::resource(
        urn("text"),
        "text/plain; charset=utf-8",
        capture.visible_text.as_bytes().to_vec(),
    )))
    .map_err(warc_error)?;
    Ok(w.into_inner())
}

/// Headers and body form for a response record. A browser's bodies are
/// decoded. Plain HTTP asks for no content coding and keeps the body as
/// sent, except that the HTTP client always removes chunked transfer
/// coding: that header is kept under its archival name and the stored
/// length stated.
fn response_headers(r: &HttpResponse) -> (Vec<Header>, BodyForm) {
    if r.decoded {
        return (r.headers.clone(), BodyForm::Decoded);
    }
    let chunked = r
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"));
    if !chunked && r.truncated.is_none() {
        return (r.headers.clone(), BodyForm::AsTransmitted);
    }
    let mut out: Vec<Header> = Vec::with_capacity(r.headers.len() + 1);
    for (k, v) in &r.headers {
        if k.eq_ignore_ascii_case("transfer-encoding") || k.eq_ignore_ascii_case("content-length") {
            out.push((format!("{}{k}", qorgau_warc::ORIG_HEADER_PREFIX), v.clone()));
        } else {
            out.push((k.clone(), v.clone()));
        }
    }
    out.push(("Content-Length".to_owned(), r.body.len().to_string()));
    (out, BodyForm::AsTransmitted)
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
    fn browser_bodies_are_decoded_and_plain_bodies_as_sent() {
        let (_, form) = response_headers(&response(&[("Content-Encoding", "gzip")], b"x", true));
        assert_eq!(form, BodyForm::Decoded);
        let plain = response(&[("Content-Length", "5")], b"hello", false);
        assert_eq!(
            response_headers(&plain),
            (plain.headers.clone(), BodyForm::AsTransmitted)
        );
    }

    #[test]
    fn dechunked_plain_bodies_state_their_stored_length() {
        let r = response(
            &[
                ("Transfer-Encoding", "chunked"),
                ("Content-Encoding", "gzip"),
            ],
            b"\x1f\x8b rest",
            false,
        );
        let (h, form) = response_headers(&r);
        assert_eq!(form, BodyForm::AsTransmitted);
        assert!(h.contains(&("X-Archive-Orig-Transfer-Encoding".into(), "chunked".into())));
        assert!(
            h.contains(&("Content-Encoding".into(), "gzip".into())),
            "the body is still gzip"
        );
        assert!(h.contains(&("Content-Length".into(), r.body.len().to_string())));
    }
}
