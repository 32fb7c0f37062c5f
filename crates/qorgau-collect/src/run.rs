//! One run of a monitoring job.

use std::collections::{HashMap, HashSet};

use qorgau_core::{Actor, Id, Sha256Digest, Timestamp, Tool};
use qorgau_evidence::{EntryDraft, EventKind, LedgerEntry, LedgerKey};
use qorgau_monitor::{
    Change, Coverage, DEFAULT_MAX_PICTURES, Known, Observed, Selector, SourceKind, Verdict,
    reconcile,
};
use qorgau_sources::{Document, ImageRef};
use qorgau_store::{
    DocumentChange, DocumentWrite, JobRecord, PerceptualListEntry, RunRecord, Store,
};
use serde::Serialize;
use sha2::Digest;

use crate::error::CollectError;
use crate::http::{Fetched, HttpClient};

/// What the detection pipeline says of one document; the run needs these
/// to apply the job's filters and to store the assessment with the text.
#[derive(Debug, Clone)]
pub struct Assessed {
    /// The normalised text (keywords are matched against it).
    pub normalized: String,
    /// Language code.
    pub lang: String,
    /// Overall risk.
    pub risk: f32,
    /// Flagged for a person to review.
    pub flagged: bool,
    /// The full scan result, stored as is.
    pub json: serde_json::Value,
}

/// The detection pipeline as the run sees it; the binary passes the real
/// one, so this crate does not depend on the detection crates.
pub trait Assess: Send + Sync {
    /// Assesses one document.
    fn assess(&self, doc: &Document) -> Assessed;
}

/// Everything a run needs besides the job.
pub struct RunContext<'a> {
    /// The archive and the ledger.
    pub store: &'a Store,
    /// The installation's signing key.
    pub key: &'a LedgerKey,
    /// Who runs it.
    pub actor: Actor,
    /// This tool.
    pub tool: Tool,
    /// The HTTP client.
    pub http: &'a HttpClient,
    /// Base of Telegram's web preview (`https://t.me`; a local server in tests).
    pub telegram_base: String,
    /// The detection pipeline.
    pub assess: &'a dyn Assess,
}

/// Counts of a run, as stored and reported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// HTTP requests made.
    pub requests: u64,
    /// Documents read from the answers.
    pub documents: u64,
    /// Documents the keywords and filters kept (or already in the archive).
    pub kept: u64,
    /// Documents not kept.
    pub skipped: u64,
    /// New in the archive.
    pub new: u64,
    /// Changed since last seen.
    pub changed: u64,
    /// Seen again unchanged.
    pub unchanged: u64,
    /// Back after deletion.
    pub restored: u64,
    /// Found deleted.
    pub deleted: u64,
    /// New, changed or restored documents flagged for review.
    pub flagged: u64,
    /// Requests or documents that failed.
    pub errors: u64,
    /// Pictures fetched in this run that the competent authority's hash
    /// lists name (their documents are flagged).
    pub listed_pictures: u64,
}

/// What a run did, for the person who started it.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The run's id.
    pub run_id: Id,
    /// The job's name.
    pub job: String,
    /// `ok`, `partial` or `failed`.
    pub status: String,
    /// Counts.
    pub counts: Counts,
    /// Errors met.
    pub errors: Vec<String>,
    /// Documents flagged in this run: key, risk, URL.
    pub flagged: Vec<FlaggedDoc>,
    /// The OSINT-log entry (`chain#seq`).
    pub log_entry: String,
}

/// A document flagged in a run.
#[derive(Debug, Clone, Serialize)]
pub struct FlaggedDoc {
    /// Key within the job.
    pub key: String,
    /// Risk.
    pub risk: f32,
    /// URL, if any.
    pub url: Option<String>,
}

/// A document read in this run, before reconciliation.
struct Seen {
    key: String,
    doc: Document,
    content: Sha256Digest,
    assessed: Assessed,
    title: Option<String>,
}

/// What fetching one target gave.
#[derive(Default)]
struct Gathered {
    seen: Vec<Seen>,
    gone: Vec<String>,
    coverage: Option<Coverage>,
    /// Only known keys with this prefix are reconciled with `coverage`.
    prefix: String,
}

struct Runner<'a, 'b> {
    ctx: &'a RunContext<'b>,
    job: &'a JobRecord,
    selector: Selector,
    known: HashSet<String>,
    requests: Vec<serde_json::Value>,
    errors: Vec<String>,
    counts: Counts,
    max_pages: u32,
    /// Pictures fetched in this run, by URL: a photo shown by several
    /// posts is fetched once.
    pictures: HashMap<String, ImageRef>,
    /// The perceptual entries of the hash lists, read at the first picture.
    perceptual: Option<Vec<PerceptualListEntry>>,
}

/// Runs `job` once: fetch, read, assess, select, reconcile, save.
///
/// Failed requests are recorded and the run goes on (status `partial`);
/// nothing in the archive is changed for a source that could not be read.
pub async fn run_job(ctx: &RunContext<'_>, job: &JobRecord) -> Result<RunReport, CollectError> {
    let started_at = Timestamp::now();
    let known = ctx.store.known_documents(job.id).await?;
    let mut runner = Runner {
        ctx,
        job,
        selector: Selector::new(&job.spec),
        known: known.iter().map(|k| k.key.clone()).collect(),
        requests: Vec::new(),
        errors: Vec::new(),
        counts: Counts::default(),
        max_pages: job.spec.filters.max_pages.unwrap_or(match job.spec.kind {
            SourceKind::Telegram => 1,
            _ => 50,
        }),
        pictures: HashMap::new(),
        perceptual: None,
    };
    let mut groups = Vec::new();
    match job.spec.kind {
        SourceKind::Telegram => {
            for channel in &job.spec.targets {
                groups.push(runner.telegram(channel).await);
            }
        }
        SourceKind::Feed => {
            let mut all = Gathered::default();
            for url in &job.spec.targets {
                runner.feed(url, &mut all).await;
            }
            groups.push(all);
        }
        SourceKind::Urls => {
            let mut all = Gathered::default();
            let targets = job.spec.targets.clone();
            runner.pages(&targets, &mut all).await;
            groups.push(all);
        }
        SourceKind::Sitemap => {
            let mut all = Gathered::default();
            let pages = runner.sitemap_pages(&known).await;
            runner.pages(&pages, &mut all).await;
            groups.push(all);
        }
    }

    let written: HashMap<&str, (Sha256Digest, bool)> = known
        .iter()
        .map(|k| (k.key.as_str(), (k.content, k.deleted_at.is_some())))
        .collect();
    for group in &mut groups {
        runner.pictures(&written, group).await;
    }
    let mut writes = Vec::new();
    let mut flagged = Vec::new();
    for group in groups {
        runner.reconcile_group(&known, group, &mut writes, &mut flagged);
    }
    let finished_at = Timestamp::now();
    let counts = runner.counts.clone();
    let status = if runner.errors.is_empty() {
        "ok"
    } else if counts.documents > 0 || counts.deleted > 0 {
        "partial"
    } else {
        "failed"
    };
    let run_id = Id::new();
    let spec = &job.spec;
    let record = RunRecord {
        id: run_id,
        job_id: job.id,
        started_at,
        finished_at,
        operator: ctx.actor.user.clone(),
        host: ctx.actor.host.clone(),
        status: status.to_owned(),
        counts: serde_json::to_value(&counts).unwrap_or_default(),
        requests: serde_json::Value::Array(runner.requests.clone()),
        errors: serde_json::json!(runner.errors),
    };
    // The OSINT log entry: who (the entry's actor), when, which source,
    // which keywords and filters, which URLs were requested, what came of it.
    let mut draft = EntryDraft::now(
        EventKind::InvestigativeStep,
        ctx.actor.clone(),
        ctx.tool.clone(),
    );
    draft.at = finished_at;
    draft.case_id = job.case_id;
    let urls: Vec<&serde_json::Value> = runner
        .requests
        .iter()
        .filter_map(|r| r.get("url"))
        .collect();
    draft.details = serde_json::json!({
        "action": "monitoring run",
        "job": spec.name,
        "run_id": run_id.to_string(),
        "source_kind": spec.kind.as_str(),
        "sources": spec.targets,
        "keywords": spec.keywords,
        "filters": spec.filters,
        "started_at": started_at.to_utc_string(),
        "requests": urls,
        "status": status,
        "counts": counts,
    })
    .to_string();
    let entry: LedgerEntry = ctx.store.save_run(&record, &writes, draft, ctx.key).await?;
    Ok(RunReport {
        run_id,
        job: spec.name.clone(),
        status: status.to_owned(),
        counts,
        errors: runner.errors,
        flagged,
        log_entry: format!("{}#{}", entry.chain, entry.seq),
    })
}

fn digest(text: &str) -> Sha256Digest {
    Sha256Digest::from_bytes(sha2::Sha256::digest(text.as_bytes()).into())
}

impl Runner<'_, '_> {
    async fn fetch(&mut self, url: &str) -> Option<Fetched> {
        match self.request(url, false).await {
            Ok(f) => {
                if !f.is_success() && !f.is_gone() {
                    self.error(format!("{url}: HTTP {}", f.status));
                }
                Some(f)
            }
            Err(e) => {
                self.error(e.to_string());
                None
            }
        }
    }

    /// One GET, after the run's pause, counted and recorded in the run's
    /// requests (marked as a picture's when `picture`), whatever its answer.
    async fn request(&mut self, url: &str, picture: bool) -> Result<Fetched, CollectError> {
        if !self.requests.is_empty() && !self.ctx.http.pause().is_zero() {
            tokio::time::sleep(self.ctx.http.pause()).await;
        }
        self.counts.requests += 1;
        let result = self.ctx.http.get(url).await;
        let mut record = match &result {
            Ok(f) => f.log_record(),
            Err(e) => serde_json::json!({
                "url": url,
                "at": Timestamp::now().to_utc_string(),
                "error": e.to_string(),
            }),
        };
        if picture {
            record["picture"] = true.into();
        }
        self.requests.push(record);
        result
    }

    /// Fetches and hashes the pictures of the documents this run writes as
    /// new, changed or restored (for an unchanged one the archive keeps the
    /// assessment it has), then assesses those documents again with them, so
    /// that the network view links documents showing the same picture. The
    /// bytes are hashed in memory and dropped, never stored; each request is
    /// in the run's log like any other. A picture that cannot be fetched or
    /// read is a note on it, not an error of the run: the document is still
    /// archived.
    async fn pictures(
        &mut self,
        known: &HashMap<&str, (Sha256Digest, bool)>,
        group: &mut Gathered,
    ) {
        let limit = self
            .job
            .spec
            .filters
            .max_pictures
            .unwrap_or(DEFAULT_MAX_PICTURES) as usize;
        if limit == 0 {
            return;
        }
        let mut keys = HashSet::new();
        for s in &mut group.seen {
            // Reconciliation counts the first document seen under a key.
            if !keys.insert(s.key.clone()) {
                continue;
            }
            let written = known
                .get(s.key.as_str())
                .is_none_or(|(content, deleted)| *content != s.content || *deleted);
            let images = s.doc.images();
            if !written || !images.iter().any(|i| remote(i).is_some()) {
                continue;
            }
            let mut fetched = 0;
            let mut out = Vec::with_capacity(images.len());
            for image in images {
                let Some(url) = remote(&image) else {
                    out.push(image);
                    continue;
                };
                if let Some(done) = self.pictures.get(&url) {
                    out.push(done.clone());
                    continue;
                }
                if fetched == limit {
                    out.push(image.with_note(format!(
                        "{url}: not fetched: the job fetches at most {limit} pictures per document"
                    )));
                    continue;
                }
                fetched += 1;
                let done = self.picture(image, &url).await;
                self.pictures.insert(url, done.clone());
                out.push(done);
            }
            let listed = out.iter().any(|i| i.listed.is_some());
            s.doc.set_images(out);
            s.assessed = self.ctx.assess.assess(&s.doc);
            if listed {
                // Known abuse material on the page: for a person to see now,
                // whatever the text scored.
                s.assessed.flagged = true;
                s.assessed.json["flagged"] = true.into();
            }
        }
    }

    /// One picture fetched and hashed, or noted with why not.
    async fn picture(&mut self, image: ImageRef, url: &str) -> ImageRef {
        let fetched = match self.request(url, true).await {
            Ok(f) => f,
            Err(e) => return image.with_note(format!("{url}: not fetched: {e}")),
        };
        if !fetched.is_success() {
            return image.with_note(format!("{url}: not fetched: HTTP {}", fetched.status));
        }
        if let Some(kind) = fetched
            .content_type
            .as_deref()
            .filter(|t| !t.trim().to_ascii_lowercase().starts_with("image/"))
        {
            return image.with_note(format!("{url}: not a picture (Content-Type {kind})"));
        }
        let hashed = image.hashed_from(&fetched.body, url);
        match self.listed(&fetched, &hashed).await {
            Ok(Some(listed)) => {
                self.counts.listed_pictures += 1;
                ImageRef {
                    listed: Some(listed),
                    ..hashed
                }
            }
            Ok(None) => hashed,
            Err(e) => {
                self.error(format!("{url}: checking the hash lists: {e}"));
                hashed
            }
        }
    }

    /// Which of the competent authority's hash lists names this picture:
    /// its bytes by SHA-256 or MD5, or its perceptual hashes within the
    /// list's distance. The lists are small (thousands of entries), so the
    /// perceptual entries are compared one by one.
    async fn listed(
        &mut self,
        fetched: &Fetched,
        image: &ImageRef,
    ) -> Result<Option<String>, CollectError> {
        let md5 = qorgau_core::Md5Digest::from_bytes(md5::Md5::digest(&fetched.body).into());
        if let Some((_, name, algorithm)) = self
            .ctx
            .store
            .lists_naming(&fetched.sha256, &md5)
            .await?
            .into_iter()
            .next()
        {
            return Ok(Some(format!("on the hash list {name:?} ({algorithm})")));
        }
        let Some((phash, dhash)) = image.hashes() else {
            return Ok(None);
        };
        if self.perceptual.is_none() {
            self.perceptual = Some(self.ctx.store.perceptual_list_entries(None).await?);
        }
        let entries = self.perceptual.as_deref().unwrap_or_default();
        let version = qorgau_media::phash::ALGORITHM;
        let best = entries
            .iter()
            .filter_map(|e| {
                let (v, kind) = e.algorithm.rsplit_once(':')?;
                let value = match kind {
                    "phash" if v == version => phash,
                    "dhash" if v == version => dhash,
                    _ => return None,
                };
                let distance = (value ^ e.value).count_ones();
                (distance <= e.max_distance).then_some((distance, e, kind))
            })
            .min_by_key(|(d, _, _)| *d);
        Ok(best.map(|(d, e, kind)| {
            format!(
                "on the hash list {:?} ({kind} within {d} bits)",
                e.list_name
            )
        }))
    }

    fn error(&mut self, message: String) {
        tracing::warn!("{message}");
        self.counts.errors += 1;
        self.errors.push(message);
    }

    /// Assesses a document and decides whether it is kept.
    fn consider(&mut self, key: String, doc: Document, title: Option<String>, into: &mut Gathered) {
        self.counts.documents += 1;
        let assessed = self.ctx.assess.assess(&doc);
        let published = doc
            .published_at
            .as_deref()
            .and_then(|t| Timestamp::parse(t).ok());
        let verdict = self.selector.judge(
            &assessed.normalized,
            &assessed.lang,
            assessed.risk,
            assessed.flagged,
            published,
        );
        // A document already in the archive is always followed, so that an
        // edit removing the keyword is recorded rather than lost.
        if matches!(verdict, Verdict::Skip(_)) && !self.known.contains(&key) {
            self.counts.skipped += 1;
            return;
        }
        self.counts.kept += 1;
        into.seen.push(Seen {
            content: digest(&doc.text),
            key,
            doc,
            assessed,
            title,
        });
    }

    async fn telegram(&mut self, channel: &str) -> Gathered {
        let mut out = Gathered {
            prefix: format!("{channel}/"),
            ..Gathered::default()
        };
        let base = self.ctx.telegram_base.trim_end_matches('/').to_owned();
        let mut url = format!("{base}/s/{channel}");
        let (mut low, mut high) = (u64::MAX, 0u64);
        for _ in 0..self.max_pages {
            let Some(fetched) = self.fetch(&url).await else {
                break;
            };
            if !fetched.is_success() {
                break;
            }
            let page = match qorgau_sources::telegram_web_page(&fetched.body) {
                Ok(p) => p,
                Err(e) => {
                    self.error(format!("{url}: {e}"));
                    break;
                }
            };
            for post in page.posts {
                // Ids read `tg:@channel:123`.
                let Some(n) = post
                    .id
                    .rsplit(':')
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                else {
                    self.error(format!("{url}: post id {:?} has no number", post.id));
                    continue;
                };
                low = low.min(n);
                high = high.max(n);
                self.consider(format!("{channel}/{n}"), post, None, &mut out);
            }
            match page.before {
                Some(before) => url = format!("{base}/s/{channel}?before={before}"),
                None => {
                    // No older page: this view reaches the channel's first
                    // post, so a known post below the lowest shown is gone.
                    if page.prev_url.is_none() && high > 0 {
                        low = 1;
                    }
                    break;
                }
            }
        }
        if high >= low {
            out.coverage = Some(Coverage::NumberRange {
                prefix: out.prefix.clone(),
                low,
                high,
            });
        }
        out
    }

    async fn feed(&mut self, url: &str, out: &mut Gathered) {
        let Some(fetched) = self.fetch(url).await else {
            return;
        };
        if !fetched.is_success() {
            return;
        }
        let feed = match qorgau_sources::parse_feed(&fetched.body, Some(&fetched.final_url)) {
            Ok(f) => f,
            Err(e) => {
                self.error(format!("{url}: {e}"));
                return;
            }
        };
        let source = host_of(&fetched.final_url);
        for (i, entry) in feed.entries.iter().enumerate() {
            let fallback = format!("{url}#{i}");
            let doc = entry.to_document(&fallback, source.as_deref());
            let key = entry
                .id
                .clone()
                .or_else(|| entry.url.clone())
                .unwrap_or(fallback);
            self.consider(key, doc, entry.title.clone(), out);
        }
    }

    async fn pages(&mut self, urls: &[String], out: &mut Gathered) {
        for url in urls.iter().take(self.max_pages as usize) {
            let Some(fetched) = self.fetch(url).await else {
                continue;
            };
            if fetched.is_gone() {
                out.gone.push(url.clone());
                continue;
            }
            if !fetched.is_success() {
                continue;
            }
            let page = qorgau_sources::html_to_document(&fetched.final_url, &fetched.body);
            let mut doc = page.document;
            doc.url = Some(url.clone());
            self.consider(url.clone(), doc, page.title, out);
        }
    }

    /// The pages a sitemap job visits: those listed now, then the ones in
    /// the archive no longer listed (visited to learn whether they are gone).
    async fn sitemap_pages(&mut self, known: &[Known]) -> Vec<String> {
        let mut pages: Vec<String> = Vec::new();
        let mut queue: Vec<String> = self.job.spec.targets.clone();
        let mut visited = HashSet::new();
        while let Some(url) = queue.pop() {
            if !visited.insert(url.clone()) || visited.len() > 20 {
                continue;
            }
            let Some(fetched) = self.fetch(&url).await else {
                continue;
            };
            if !fetched.is_success() {
                continue;
            }
            match qorgau_sources::parse_sitemap(&fetched.body) {
                Ok(map) => {
                    let locs = map.entries.into_iter().map(|e| e.loc);
                    match map.kind {
                        qorgau_sources::SitemapKind::UrlSet => pages.extend(locs),
                        qorgau_sources::SitemapKind::Index => queue.extend(locs),
                    }
                }
                Err(e) => self.error(format!("{url}: {e}")),
            }
        }
        let listed: HashSet<String> = pages.iter().cloned().collect();
        pages.extend(
            known
                .iter()
                .filter(|k| k.deleted_at.is_none() && !listed.contains(&k.key))
                .map(|k| k.key.clone()),
        );
        let mut seen = HashSet::new();
        pages.retain(|p| seen.insert(p.clone()));
        pages
    }

    fn reconcile_group(
        &mut self,
        known: &[Known],
        group: Gathered,
        writes: &mut Vec<DocumentWrite>,
        flagged: &mut Vec<FlaggedDoc>,
    ) {
        let known: Vec<Known> = known
            .iter()
            .filter(|k| k.key.starts_with(&group.prefix))
            .cloned()
            .collect();
        let mut observed: Vec<Observed> = group
            .seen
            .iter()
            .map(|s| Observed::Present {
                key: s.key.clone(),
                content: s.content,
            })
            .collect();
        observed.extend(group.gone.iter().map(|k| Observed::Gone { key: k.clone() }));
        let coverage = group.coverage.unwrap_or(Coverage::Observed);
        // The first document seen under a key, as `reconcile` counts it.
        let mut by_key: HashMap<&str, &Seen> = HashMap::with_capacity(group.seen.len());
        for s in &group.seen {
            by_key.entry(s.key.as_str()).or_insert(s);
        }
        for change in reconcile(&known, &observed, &coverage) {
            let (kind, key) = match change {
                Change::New(k) => (DocumentChange::New, k),
                Change::Changed(k) => (DocumentChange::Changed, k),
                Change::Unchanged(k) => (DocumentChange::Unchanged, k),
                Change::Restored(k) => (DocumentChange::Restored, k),
                Change::Deleted(k) => (DocumentChange::Deleted, k),
            };
            match kind {
                DocumentChange::New => self.counts.new += 1,
                DocumentChange::Changed => self.counts.changed += 1,
                DocumentChange::Unchanged => self.counts.unchanged += 1,
                DocumentChange::Restored => self.counts.restored += 1,
                DocumentChange::Deleted => self.counts.deleted += 1,
            }
            let seen = by_key.get(key.as_str()).copied();
            let write = match seen {
                Some(s) => {
                    let rescanned = matches!(
                        kind,
                        DocumentChange::New | DocumentChange::Changed | DocumentChange::Restored
                    );
                    if rescanned && s.assessed.flagged {
                        self.counts.flagged += 1;
                        flagged.push(FlaggedDoc {
                            key: key.clone(),
                            risk: s.assessed.risk,
                            url: s.doc.url.clone(),
                        });
                    }
                    DocumentWrite {
                        change: kind,
                        key,
                        url: s.doc.url.clone(),
                        source: s.doc.source.clone(),
                        author: s.doc.author.clone(),
                        title: s.title.clone(),
                        published_at: s.doc.published_at.clone(),
                        body: s.doc.text.clone(),
                        content: s.content,
                        lang: Some(s.assessed.lang.clone()),
                        risk: Some(f64::from(s.assessed.risk)),
                        flagged: s.assessed.flagged,
                        assessment: Some(s.assessed.json.to_string()),
                    }
                }
                None => DocumentWrite {
                    change: kind,
                    key,
                    url: None,
                    source: None,
                    author: None,
                    title: None,
                    published_at: None,
                    body: String::new(),
                    content: digest(""),
                    lang: None,
                    risk: None,
                    flagged: false,
                    assessment: None,
                },
            };
            writes.push(write);
        }
    }
}

/// The URL of a picture to fetch: a remote one (http or https) that has no
/// usable hashes yet.
fn remote(image: &ImageRef) -> Option<String> {
    if image.hashes().is_some() {
        return None;
    }
    let url = image.url.as_deref()?.trim();
    let scheme = url.split_once("://")?.0.to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https").then(|| url.to_owned())
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.rsplit('@').next().unwrap_or(host).to_ascii_lowercase())
}
