//! Capture in a real headless Chromium, driven over the DevTools protocol
//! (chromiumoxide).
//!
//! What a person sees is what scripts build, so the page is loaded in a
//! browser: every request and response the page makes is recorded from the
//! Network domain's events (raw headers from the `…ExtraInfo` events where
//! Chromium gives them), the page is scrolled to the bottom so that lazy
//! images load, the network is left to settle, and then the title, visible
//! text, links, rendered DOM, a full-page screenshot and the response bodies
//! are read. A page that never finishes loading is taken as it stands and
//! marked partial; its unfinished body is read from what Chromium has
//! buffered (`Network.streamResourceContent`).
//!
//! One browser serves a whole run (starting Chromium costs about a second);
//! each page gets a fresh tab. Certificate errors are ignored so that a
//! suspect's self-signed site can still be preserved, and the certificate is
//! recorded with its trust verdict.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::network::{
    self, EventLoadingFailed, EventLoadingFinished, EventRequestWillBeSent,
    EventRequestWillBeSentExtraInfo, EventResponseReceived, EventResponseReceivedExtraInfo,
    Headers, RequestId,
};
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams, EventLoadEventFired, NavigateParams,
    Viewport as ClipViewport,
};
use chromiumoxide::cdp::js_protocol::runtime::EvaluateParams;
use chromiumoxide::handler::viewport::Viewport;
use chromiumoxide::page::Page;
use futures_util::StreamExt;
use qorgau_core::Timestamp;
use tokio::time::Instant;

use crate::error::CaptureError;
use crate::http_engine::parse_url;
use crate::model::{
    CaptureOptions, Engine, Exchange, Header, HttpRequest, HttpResponse, PageCapture, TlsFacts,
};

/// Names of Chromium binaries looked for on `PATH`, in order.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
];

/// Finds the browser: the path given, else `QORGAU_CHROMIUM`, else the
/// first of the usual names on `PATH`.
pub fn find_chromium(explicit: Option<&Path>) -> Result<PathBuf, CaptureError> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(CaptureError::NoBrowser {
                reason: format!("{} does not exist", p.display()),
            })
        };
    }
    if let Some(p) = std::env::var_os("QORGAU_CHROMIUM").filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(CaptureError::NoBrowser {
                reason: format!("QORGAU_CHROMIUM={} does not exist", p.display()),
            })
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in CANDIDATES {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(CaptureError::NoBrowser {
        reason: format!("none of {} is on PATH", CANDIDATES.join(", ")),
    })
}

/// A running headless Chromium.
pub struct BrowserEngine {
    browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    product: String,
    user_agent: String,
    options: CaptureOptions,
    sandboxed: bool,
    _profile: tempfile::TempDir,
}

impl BrowserEngine {
    /// Starts `chromium` (see [`find_chromium`]) with a fresh, temporary
    /// profile. The sandbox stays on unless the process runs as root, where
    /// Chromium refuses it; captures then say so.
    pub async fn launch(chromium: &Path, options: CaptureOptions) -> Result<Self, CaptureError> {
        let no_browser = |reason: String| CaptureError::NoBrowser { reason };
        let profile = tempfile::Builder::new()
            .prefix("qorgau-chromium-")
            .tempdir()
            .map_err(|e| no_browser(format!("cannot make a profile directory: {e}")))?;
        let (w, h) = options.viewport;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let root = unsafe { libc_geteuid() } == 0;
        let mut config = BrowserConfig::builder()
            .chrome_executable(chromium)
            .new_headless_mode()
            .user_data_dir(profile.path())
            .window_size(w, h)
            .viewport(Viewport {
                width: w,
                height: h,
                device_scale_factor: Some(1.0),
                emulating_mobile: false,
                is_landscape: false,
                has_touch: false,
            })
            .launch_timeout(Duration::from_secs(30))
            .request_timeout(options.load_timeout + Duration::from_secs(30))
            .args(["--hide-scrollbars", "--mute-audio", "--disable-gpu"]);
        if root {
            config = config.no_sandbox();
        }
        let config = config.build().map_err(no_browser)?;
        let (browser, mut handler) = Browser::launch(config)
            .await
            .map_err(|e| no_browser(format!("{} did not start: {e}", chromium.display())))?;
        let handler = tokio::spawn(async move {
            // Errors here are single undecodable messages; the stream ends
            // when the browser goes away.
            while handler.next().await.is_some() {}
        });
        let version = browser
            .version()
            .await
            .map_err(|e| no_browser(format!("{} does not answer: {e}", chromium.display())))?;
        Ok(Self {
            browser,
            handler,
            product: version.product,
            user_agent: version.user_agent,
            options,
            sandboxed: !root,
            _profile: profile,
        })
    }

    /// `Chrome/156.0.8078.114` or the like.
    pub fn product(&self) -> &str {
        &self.product
    }

    /// Closes the browser.
    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }

    /// Captures one page in a new tab.
    pub async fn capture(&self, url: &str) -> Result<PageCapture, CaptureError> {
        let target = parse_url(url)?;
        let started_at = Timestamp::now();
        let fail = |e: chromiumoxide::error::CdpError| CaptureError::Browser {
            url: url.to_owned(),
            message: e.to_string(),
        };
        let page = self.browser.new_page("about:blank").await.map_err(fail)?;
        let result = self
            .capture_in(&page, url, target.as_str(), started_at)
            .await;
        let _ = page.close().await;
        result
    }

    async fn capture_in(
        &self,
        page: &Page,
        url: &str,
        target: &str,
        started_at: Timestamp,
    ) -> Result<PageCapture, CaptureError> {
        let fail = |e: chromiumoxide::error::CdpError| CaptureError::Browser {
            url: url.to_owned(),
            message: e.to_string(),
        };
        let net = Arc::new(Mutex::new(Net::new()));
        let listeners = listen(page, &net).await.map_err(fail)?;
        let mut loads = page
            .event_listener::<EventLoadEventFired>()
            .await
            .map_err(fail)?;
        page.execute(
            network::EnableParams::builder()
                .max_total_buffer_size(400 * 1024 * 1024)
                .max_resource_buffer_size(
                    i64::try_from(self.options.max_body_bytes).unwrap_or(i64::MAX),
                )
                .build(),
        )
        .await
        .map_err(fail)?;

        let deadline = Instant::now() + self.options.load_timeout;
        let mut warnings = Vec::new();
        if !self.sandboxed {
            warnings.push("Chromium ran without its sandbox (the capture ran as root)".to_owned());
        }
        let navigated = tokio::time::timeout_at(
            deadline,
            page.execute(NavigateParams::new(target.to_owned())),
        )
        .await;
        let mut partial = None;
        match navigated {
            // Chromium answers `navigate` only once the document has
            // arrived; a response that started but never ended is a page
            // that never finished loading, no response at all is another
            // matter.
            Err(_) if net_has_document_response(&net) => {
                partial = Some(format!(
                    "the page never finished loading: the capture gave up after {} s and kept what had arrived",
                    self.options.load_timeout.as_secs()
                ));
            }
            Err(_) => {
                partial = Some(format!(
                    "no response within {} s",
                    self.options.load_timeout.as_secs()
                ));
            }
            Ok(Err(e)) => return Err(fail(e)),
            Ok(Ok(r)) => {
                if let Some(error) = r.result.error_text.clone()
                    && !net_has_document_response(&net)
                {
                    listeners.iter().for_each(|l| l.abort());
                    return Err(CaptureError::Fetch {
                        url: url.to_owned(),
                        message: error,
                    });
                }
            }
        }
        if partial.is_none()
            && tokio::time::timeout_at(deadline, loads.next())
                .await
                .is_err()
        {
            partial = Some(format!(
                "the page never finished loading: the capture gave up after {} s and kept what had arrived",
                self.options.load_timeout.as_secs()
            ));
        }

        // Scroll to the bottom and back so that lazy content loads. Each
        // step waits for two frames (bounded, in case frames are throttled)
        // so that IntersectionObserver callbacks run while their target is
        // in view; at the bottom the script polls until every image with a
        // source has finished and no image has gained or changed its source
        // for four polls in a row, before scrolling back. An observer's
        // callback can run late on a loaded machine and start a request
        // after the network looked idle; a single look at the bottom was not
        // enough in CI (the DOM had the image, the WARC did not).
        let steps = self.options.max_scroll_steps;
        let image_wait_ms = self.options.settle_timeout.as_millis();
        let scroll = format!(
            "(async () => {{ const sleep = ms => new Promise(r => setTimeout(r, ms));\
             const frames = () => Promise.race([new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))), sleep(250)]);\
             const step = Math.max(200, window.innerHeight - 100); let n = 0;\
             while (n < {steps} && window.scrollY + window.innerHeight < document.documentElement.scrollHeight) {{\
               window.scrollBy(0, step); n++; await frames(); await sleep(120); }}\
             const end = Date.now() + {image_wait_ms}; let last = ''; let quiet = 0;\
             while (Date.now() < end) {{ await frames(); await sleep(100);\
               const imgs = Array.from(document.images).filter(i => i.currentSrc || i.getAttribute('src'));\
               const seen = imgs.map(i => i.currentSrc || i.getAttribute('src')).join(' ');\
               if (imgs.every(i => i.complete) && seen === last) {{ if (++quiet >= 4) break; }} else quiet = 0;\
               last = seen; }}\
             window.scrollTo(0, 0); await frames(); return n; }})()"
        );
        let scrolled = tokio::time::timeout(
            self.options.settle_timeout * 2 + Duration::from_millis(400) * steps,
            evaluate(page, &scroll),
        )
        .await;
        if let Ok(Ok(v)) = &scrolled
            && v.as_u64() == Some(u64::from(steps))
        {
            warnings.push(format!(
                "the page is longer than {steps} screens: lazy content further down may not have loaded"
            ));
        }
        let pending = wait_idle(&net, self.options.idle, self.options.settle_timeout).await;
        if pending > 0 {
            warnings.push(format!(
                "{pending} requests were still loading when the page was taken"
            ));
        }

        let facts = evaluate(page, PAGE_FACTS).await.map_err(fail)?;
        let dom = page.content().await.ok();
        let (screenshot_png, screenshot_note) = self.screenshot(page, &facts).await;
        listeners.iter().for_each(|l| l.abort());

        let final_url = facts["url"].as_str().unwrap_or(target).to_owned();
        let exchanges = self.exchanges(page, &net).await;
        let document = exchanges
            .iter()
            .rev()
            .find(|e| e.resource_type == "Document" && e.response.is_some());
        let status = document.and_then(|e| e.response.as_ref().map(|r| r.status));
        let server_ip = document.and_then(|e| e.server_ip.clone());
        let tls = self.tls_facts(page, &net, &final_url).await;
        if let Some(t) = &tls
            && !t.trusted
        {
            warnings.push(format!(
                "the server's certificate is not trusted ({}); captured anyway",
                t.trust_error.as_deref().unwrap_or("unknown reason")
            ));
        }
        if let Some(s) = status.filter(|s| *s >= 400) {
            warnings.push(format!(
                "the server answered {s}: the page may have been removed"
            ));
        }
        let links = facts["links"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        Ok(PageCapture {
            requested_url: url.to_owned(),
            final_url,
            engine: Engine::Browser,
            started_at,
            finished_at: Timestamp::now(),
            status,
            server_ip,
            tls,
            title: facts["title"]
                .as_str()
                .map(str::to_owned)
                .filter(|t| !t.is_empty()),
            visible_text: facts["text"].as_str().unwrap_or_default().to_owned(),
            links,
            dom_html: dom,
            screenshot_png,
            screenshot_note,
            exchanges,
            user_agent: self.user_agent.clone(),
            browser_version: Some(self.product.clone()),
            viewport: Some(self.options.viewport),
            partial,
            warnings,
        })
    }

    async fn screenshot(
        &self,
        page: &Page,
        facts: &serde_json::Value,
    ) -> (Option<Vec<u8>>, Option<String>) {
        let (vw, _) = self.options.viewport;
        let height = facts["height"].as_f64().unwrap_or(0.0).max(1.0);
        let max = f64::from(self.options.max_screenshot_height);
        let clip_height = height.min(max);
        let params = CaptureScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .capture_beyond_viewport(true)
            .clip(ClipViewport {
                x: 0.0,
                y: 0.0,
                width: f64::from(vw),
                height: clip_height,
                scale: 1.0,
            })
            .build();
        match page.execute(params).await {
            Ok(r) => match base64::engine::general_purpose::STANDARD
                .decode(AsRef::<str>::as_ref(&r.result.data))
            {
                Ok(png) => {
                    let note = (height > max).then(|| {
                        format!(
                            "the screenshot covers the first {max:.0} of {height:.0} pixels of the page; the whole page is in the DOM and the WARC"
                        )
                    });
                    (Some(png), note)
                }
                Err(e) => (None, Some(format!("the screenshot could not be read: {e}"))),
            },
            Err(e) => (None, Some(format!("the browser took no screenshot: {e}"))),
        }
    }

    /// Every recorded request with its body, in the order they were sent.
    async fn exchanges(&self, page: &Page, net: &Arc<Mutex<Net>>) -> Vec<Exchange> {
        let requests = match net.lock() {
            Ok(n) => n.requests.clone(),
            Err(_) => return Vec::new(),
        };
        let mut out = Vec::with_capacity(requests.len());
        for r in requests {
            let mut body = Vec::new();
            let mut truncated = None;
            if r.response.is_some() && !r.redirected {
                if r.finished {
                    match page
                        .execute(network::GetResponseBodyParams::new(r.id.clone()))
                        .await
                    {
                        Ok(b) => body = decode_body(&b.result.body, b.result.base64_encoded),
                        Err(_) => truncated = Some("unavailable".to_owned()),
                    }
                } else {
                    // Still loading (or failed half-way): take what Chromium
                    // has buffered so far.
                    if let Ok(b) = page
                        .execute(network::StreamResourceContentParams::new(r.id.clone()))
                        .await
                        && let Ok(bytes) = base64::engine::general_purpose::STANDARD
                            .decode(AsRef::<str>::as_ref(&b.result.buffered_data))
                    {
                        body = bytes;
                    }
                    truncated = Some(if r.failed.is_some() {
                        "disconnect".to_owned()
                    } else {
                        "time".to_owned()
                    });
                }
            }
            out.push(r.into_exchange(body, truncated));
        }
        out
    }

    async fn tls_facts(
        &self,
        page: &Page,
        net: &Arc<Mutex<Net>>,
        final_url: &str,
    ) -> Option<TlsFacts> {
        let url = url::Url::parse(final_url).ok()?;
        if url.scheme() != "https" {
            return None;
        }
        let details = net
            .lock()
            .ok()?
            .requests
            .iter()
            .rev()
            .find(|r| r.resource_type == "Document" && r.security.is_some())
            .and_then(|r| r.security.clone())?;
        let origin = url.origin().ascii_serialization();
        let der = page
            .execute(network::GetCertificateParams::new(origin))
            .await
            .ok()
            .and_then(|c| c.result.table_names.first().cloned())
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok());
        let mut facts = der
            .as_deref()
            .and_then(|d| crate::tls::describe_certificate(d).ok())
            .unwrap_or(TlsFacts {
                protocol: None,
                subject: details.subject.clone(),
                issuer: details.issuer.clone(),
                valid_from: details.valid_from.clone(),
                valid_to: details.valid_to.clone(),
                san: details.san.clone(),
                trusted: false,
                trust_error: None,
                certificate_der: None,
            });
        facts.protocol = Some(details.protocol.clone());
        facts.trusted = details.trusted;
        facts.trust_error =
            (!details.trusted).then(|| format!("Chromium rated the connection {}", details.state));
        Some(facts)
    }
}

/// What the page says of itself once settled.
const PAGE_FACTS: &str = "(() => { const links = []; const seen = new Set();\
 for (const a of document.querySelectorAll('a[href]')) { const h = a.href;\
   if (/^(https?|mailto|tel|tg|whatsapp|viber):/i.test(h) && !seen.has(h)) { seen.add(h); links.push(h); } }\
 const d = document.documentElement; const b = document.body;\
 return { title: document.title, text: b ? b.innerText : '', links, url: location.href,\
   height: Math.max(d ? d.scrollHeight : 0, b ? b.scrollHeight : 0) }; })()";

async fn evaluate(
    page: &Page,
    js: &str,
) -> Result<serde_json::Value, chromiumoxide::error::CdpError> {
    let params = EvaluateParams::builder()
        .expression(js)
        .await_promise(true)
        .return_by_value(true)
        .build()
        .map_err(chromiumoxide::error::CdpError::msg)?;
    let r = page.evaluate_expression(params).await?;
    Ok(r.value().cloned().unwrap_or(serde_json::Value::Null))
}

fn decode_body(body: &str, base64_encoded: bool) -> Vec<u8> {
    if base64_encoded {
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap_or_default()
    } else {
        body.as_bytes().to_vec()
    }
}

/// The security facts of a response, as Chromium reports them.
#[derive(Debug, Clone)]
struct Security {
    protocol: String,
    subject: String,
    issuer: String,
    valid_from: String,
    valid_to: String,
    san: Vec<String>,
    trusted: bool,
    state: String,
}

/// One request as the Network events describe it.
#[derive(Debug, Clone)]
struct Recorded {
    id: RequestId,
    method: String,
    url: String,
    headers: Vec<Header>,
    post_data: Vec<u8>,
    started_at: Timestamp,
    resource_type: String,
    response: Option<RecordedResponse>,
    raw_request_headers: Option<Vec<Header>>,
    /// A later request of the same id followed this one's redirect.
    redirected: bool,
    finished: bool,
    failed: Option<String>,
    security: Option<Security>,
}

#[derive(Debug, Clone)]
struct RecordedResponse {
    protocol: String,
    status: u16,
    reason: String,
    headers: Vec<Header>,
    server_ip: Option<String>,
    /// Raw header text of HTTP/1.x, from `responseReceivedExtraInfo`.
    raw: Option<String>,
}

impl Recorded {
    fn into_exchange(self, body: Vec<u8>, truncated: Option<String>) -> Exchange {
        let server_ip = self.response.as_ref().and_then(|r| r.server_ip.clone());
        let response = self.response.map(|r| {
            let (protocol, status, reason, headers) = match r.raw.as_deref().and_then(parse_raw) {
                Some(parsed) => parsed,
                None => (r.protocol, r.status, r.reason, r.headers),
            };
            HttpResponse {
                protocol,
                status,
                reason,
                headers,
                body,
                decoded: true,
                truncated,
            }
        });
        Exchange {
            request: HttpRequest {
                method: self.method,
                url: self.url,
                headers: self.raw_request_headers.unwrap_or(self.headers),
                body: self.post_data,
            },
            response,
            server_ip,
            started_at: self.started_at,
            error: self.failed,
            resource_type: self.resource_type,
        }
    }
}

/// Status line and headers of raw HTTP/1.x header text.
fn parse_raw(text: &str) -> Option<(String, u16, String, Vec<Header>)> {
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    let protocol = parts.next()?.to_owned();
    let status = parts.next()?.parse().ok()?;
    let reason = parts.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    Some((protocol, status, reason, headers))
}

/// Headers of a DevTools `Headers` object; values Chromium joined with
/// `\n` become separate headers again.
fn headers_of(h: &Headers) -> Vec<Header> {
    let mut out = Vec::new();
    if let Some(map) = h.inner().as_object() {
        for (k, v) in map {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            for part in v.split('\n') {
                out.push((k.clone(), part.to_owned()));
            }
        }
    }
    out
}

/// `http/1.1` → `HTTP/1.1`, `h2` → `HTTP/2`.
fn protocol_name(p: Option<&str>) -> String {
    match p.unwrap_or("http/1.1").to_ascii_lowercase().as_str() {
        "h2" | "http/2" | "http/2.0" => "HTTP/2".to_owned(),
        "h3" | "http/3" => "HTTP/3".to_owned(),
        "http/1.0" => "HTTP/1.0".to_owned(),
        _ => "HTTP/1.1".to_owned(),
    }
}

/// Everything the Network domain told about one tab.
struct Net {
    requests: Vec<Recorded>,
    /// Index of the current (latest) record of each request id.
    current: HashMap<String, usize>,
    /// Extra-info events that arrived before their request or response.
    early_request: HashMap<String, Vec<Header>>,
    early_response: HashMap<String, String>,
    last_event: Instant,
}

impl Net {
    fn new() -> Self {
        Self {
            requests: Vec::new(),
            current: HashMap::new(),
            early_request: HashMap::new(),
            early_response: HashMap::new(),
            last_event: Instant::now(),
        }
    }

    fn by_id(&mut self, id: &RequestId) -> Option<&mut Recorded> {
        let i = *self.current.get(id.inner())?;
        self.requests.get_mut(i)
    }

    fn pending(&self) -> usize {
        self.current
            .values()
            .filter(|&&i| {
                self.requests
                    .get(i)
                    .is_some_and(|r| !r.finished && r.failed.is_none())
            })
            .count()
    }
}

fn net_has_document_response(net: &Arc<Mutex<Net>>) -> bool {
    net.lock().is_ok_and(|n| {
        n.requests
            .iter()
            .any(|r| r.resource_type == "Document" && r.response.is_some())
    })
}

fn record_response(r: &network::Response) -> RecordedResponse {
    RecordedResponse {
        protocol: protocol_name(r.protocol.as_deref()),
        status: u16::try_from(r.status).unwrap_or(0),
        reason: r.status_text.clone(),
        headers: headers_of(&r.headers),
        server_ip: r.remote_ip_address.clone().filter(|ip| !ip.is_empty()),
        raw: None,
    }
}

fn security_of(r: &network::Response) -> Option<Security> {
    let d = r.security_details.as_ref()?;
    let time = |t: &network::TimeSinceEpoch| {
        let secs = *t.inner();
        chrono::DateTime::from_timestamp(secs as i64, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    let state = format!("{:?}", r.security_state).to_ascii_lowercase();
    Some(Security {
        protocol: d.protocol.clone(),
        subject: d.subject_name.clone(),
        issuer: d.issuer.clone(),
        valid_from: time(&d.valid_from),
        valid_to: time(&d.valid_to),
        san: d.san_list.clone(),
        trusted: state == "secure",
        state,
    })
}

/// Starts one task per Network event type; each writes into `net`.
async fn listen(
    page: &Page,
    net: &Arc<Mutex<Net>>,
) -> Result<Vec<tokio::task::JoinHandle<()>>, chromiumoxide::error::CdpError> {
    let mut tasks = Vec::new();

    let mut sent = page.event_listener::<EventRequestWillBeSent>().await?;
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = sent.next().await {
            let Ok(mut net) = n.lock() else { return };
            net.last_event = Instant::now();
            // A redirect: the previous hop of this id ends with this response.
            if let Some(redirect) = &e.redirect_response
                && let Some(prev) = net.by_id(&e.request_id)
            {
                prev.response = Some(record_response(redirect));
                prev.security = security_of(redirect);
                prev.redirected = true;
                prev.finished = true;
            }
            let raw_request_headers = net.early_request.remove(e.request_id.inner());
            let record = Recorded {
                id: e.request_id.clone(),
                method: e.request.method.clone(),
                url: e.request.url.clone() + e.request.url_fragment.as_deref().unwrap_or_default(),
                headers: headers_of(&e.request.headers),
                post_data: e
                    .request
                    .post_data_entries
                    .iter()
                    .flatten()
                    .filter_map(|p| p.bytes.as_ref())
                    .flat_map(|b| {
                        base64::engine::general_purpose::STANDARD
                            .decode(AsRef::<str>::as_ref(b))
                            .unwrap_or_default()
                    })
                    .collect(),
                started_at: Timestamp::now(),
                resource_type: e
                    .r#type
                    .as_ref()
                    .map_or_else(|| "Other".to_owned(), |t| format!("{t:?}")),
                response: None,
                raw_request_headers,
                redirected: false,
                finished: false,
                failed: None,
                security: None,
            };
            let i = net.requests.len();
            net.requests.push(record);
            net.current.insert(e.request_id.inner().clone(), i);
        }
    }));

    let mut extra_sent = page
        .event_listener::<EventRequestWillBeSentExtraInfo>()
        .await?;
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = extra_sent.next().await {
            let Ok(mut net) = n.lock() else { return };
            net.last_event = Instant::now();
            let headers = headers_of(&e.headers);
            match net.by_id(&e.request_id) {
                Some(r) if r.response.is_none() => r.raw_request_headers = Some(headers),
                _ => {
                    net.early_request
                        .insert(e.request_id.inner().clone(), headers);
                }
            }
        }
    }));

    let mut received = page.event_listener::<EventResponseReceived>().await?;
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = received.next().await {
            let Ok(mut net) = n.lock() else { return };
            net.last_event = Instant::now();
            let raw = net.early_response.remove(e.request_id.inner());
            if let Some(r) = net.by_id(&e.request_id) {
                let mut resp = record_response(&e.response);
                resp.raw = raw;
                r.response = Some(resp);
                r.security = security_of(&e.response);
            }
        }
    }));

    let mut extra_received = page
        .event_listener::<EventResponseReceivedExtraInfo>()
        .await?;
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = extra_received.next().await {
            let Ok(mut net) = n.lock() else { return };
            net.last_event = Instant::now();
            let Some(text) = e.headers_text.clone() else {
                continue;
            };
            match net.by_id(&e.request_id) {
                Some(r) if r.response.is_some() => {
                    if let Some(resp) = r.response.as_mut() {
                        resp.raw = Some(text);
                    }
                }
                _ => {
                    net.early_response
                        .insert(e.request_id.inner().clone(), text);
                }
            }
        }
    }));

    let mut finished = page.event_listener::<EventLoadingFinished>().await?;
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = finished.next().await {
            let Ok(mut net) = n.lock() else { return };
            net.last_event = Instant::now();
            if let Some(r) = net.by_id(&e.request_id) {
                r.finished = true;
            }
        }
    }));

    let mut failed = page.event_listener::<EventLoadingFailed>().await?;
    let n = net.clone();
    tasks.push(tokio::spawn(async move {
        while let Some(e) = failed.next().await {
            let Ok(mut net) = n.lock() else { return };
            net.last_event = Instant::now();
            if let Some(r) = net.by_id(&e.request_id) {
                r.failed = Some(if e.canceled == Some(true) {
                    format!("cancelled ({})", e.error_text)
                } else {
                    e.error_text.clone()
                });
            }
        }
    }));
    Ok(tasks)
}

/// Waits until no request has been pending for `idle`, or `limit` passed;
/// returns how many were still pending.
async fn wait_idle(net: &Arc<Mutex<Net>>, idle: Duration, limit: Duration) -> usize {
    let end = Instant::now() + limit;
    loop {
        let (pending, quiet) = match net.lock() {
            Ok(n) => (n.pending(), n.last_event.elapsed()),
            Err(_) => return 0,
        };
        if (pending == 0 && quiet >= idle) || Instant::now() >= end {
            return pending;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

unsafe extern "C" {
    #[link_name = "geteuid"]
    fn libc_geteuid() -> u32;
}
