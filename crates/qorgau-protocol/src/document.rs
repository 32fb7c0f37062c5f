//! The protocol as a sequence of blocks with every text already in the
//! target language. HTML and PDF are both rendered from this, so the two
//! formats cannot say different things.

use qorgau_i18n::{Args, Lang, has_key, text};

use crate::RenderError;
use crate::image;
use crate::model::{Action, FileRow, Inspection, Role, Screenshot, Target};
use crate::time;

/// The whole protocol.
pub(crate) struct Doc<'a> {
    pub lang: Lang,
    /// Document title (metadata, `<title>`).
    pub title: String,
    /// «ПРОТОКОЛ».
    pub heading: String,
    /// «осмотра интернет-ресурса».
    pub subheading: String,
    /// «по делу № …».
    pub case_line: String,
    /// Place, left of the date line.
    pub place: Option<String>,
    /// Date, right of the date line.
    pub date: String,
    pub blocks: Vec<Block<'a>>,
    /// Footer text of every page (besides the page number).
    pub footer: String,
    /// Case id, for the page footer.
    pub case_id: &'a str,
}

pub(crate) enum Block<'a> {
    /// Numbered section heading.
    Section(String),
    /// Heading of one target.
    Subsection(String),
    /// Small heading inside a target.
    Minor(String),
    Para(String),
    /// A boxed warning (partial capture).
    Warning(String),
    /// Label/value rows.
    Fields(Vec<(String, String)>),
    /// Steps: column headings and (time, description) rows.
    Steps {
        time_col: String,
        action_col: String,
        rows: Vec<(String, String)>,
    },
    Shot(Shot<'a>),
    Files(Files),
    /// Numbered list.
    List(Vec<String>),
    /// A label followed by blank lines to write on.
    Remarks(String),
    Signatures(Signatures),
}

pub(crate) struct Shot<'a> {
    pub shot: &'a Screenshot,
    pub caption: String,
    pub sha_line: String,
    pub width: u32,
    pub height: u32,
}

impl Shot<'_> {
    /// Caption of part `part` (1-based) of `parts` when a tall screenshot
    /// is split across pages.
    pub fn continued(&self, lang: Lang, part: usize, parts: usize) -> String {
        text(
            lang,
            "screenshot-continued",
            &Args::new()
                .with("name", self.shot.name.as_str())
                .with("part", part)
                .with("parts", parts),
        )
    }
}

pub(crate) struct Files {
    pub col_no: String,
    pub col_name: String,
    pub col_kind: String,
    pub col_size: String,
    pub col_hashes: String,
    pub rows: Vec<FileLine>,
    pub total: String,
}

pub(crate) struct FileLine {
    pub no: String,
    pub name: String,
    pub kind: String,
    pub size: String,
    pub md5: String,
    pub sha256: String,
}

pub(crate) struct Signatures {
    pub heading: String,
    /// (role, name if known).
    pub rows: Vec<(String, Option<String>)>,
    pub sign_caption: String,
    pub name_caption: String,
}

fn t(lang: Lang, key: &str) -> String {
    text(lang, key, &Args::new())
}

fn check_hex(
    name: &str,
    algorithm: &'static str,
    value: &str,
    digits: usize,
) -> Result<(), RenderError> {
    if value.len() == digits && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(RenderError::BadDigest {
            name: name.to_owned(),
            algorithm,
            value: value.to_owned(),
            digits,
        })
    }
}

fn check_file(f: &FileRow) -> Result<(), RenderError> {
    check_hex(&f.name, "MD5", &f.md5, 32)?;
    check_hex(&f.name, "SHA-256", &f.sha256, 64)
}

fn role_label(lang: Lang, role: Role) -> String {
    t(
        lang,
        match role {
            Role::Specialist => "role-specialist",
            Role::Witness => "role-witness",
            Role::Interpreter => "role-interpreter",
            Role::Other => "role-other",
        },
    )
}

/// Capitalises the first letter: role names are lower case inside
/// sentences but start a signature line.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn step_text(lang: Lang, action: &Action) -> String {
    match action {
        Action::Open { url } => text(lang, "step-open", &Args::new().with("url", url.as_str())),
        Action::Redirect { from, to, status } => text(
            lang,
            "step-redirect",
            &Args::new()
                .with("from", from.as_str())
                .with("to", to.as_str())
                .with("status", *status),
        ),
        Action::Loaded => t(lang, "step-loaded"),
        Action::Scrolled => t(lang, "step-scrolled"),
        Action::Screenshot { file } => text(
            lang,
            "step-screenshot",
            &Args::new().with("file", file.as_str()),
        ),
        Action::SavedHtml { file } => {
            text(lang, "step-dom", &Args::new().with("file", file.as_str()))
        }
        Action::SavedWarc { file } => {
            text(lang, "step-warc", &Args::new().with("file", file.as_str()))
        }
        Action::Hashed { count } => text(lang, "step-hashed", &Args::new().with("count", *count)),
        Action::Timeout { seconds } => {
            text(lang, "step-timeout", &Args::new().with("seconds", *seconds))
        }
        Action::TimeStamped { authority } => text(
            lang,
            "step-timestamp",
            &Args::new().with("authority", authority.as_str()),
        ),
        Action::Note { text } => text.clone(),
    }
}

fn target_blocks<'a>(
    lang: Lang,
    n: usize,
    total: usize,
    target: &'a Target,
    out: &mut Vec<Block<'a>>,
) -> Result<(), RenderError> {
    let not_recorded = || t(lang, "not-recorded");
    out.push(Block::Subsection(text(
        lang,
        "target-heading",
        &Args::new().with("n", n).with("total", total),
    )));
    if target.partial {
        out.push(Block::Warning(match &target.partial_reason {
            Some(r) => text(
                lang,
                "target-partial",
                &Args::new().with("reason", r.as_str()),
            ),
            None => t(lang, "target-partial-no-reason"),
        }));
    }
    let mut fields = vec![(t(lang, "field-url"), target.url.clone())];
    fields.push((
        t(lang, "field-final-url"),
        target.final_url.clone().unwrap_or_else(not_recorded),
    ));
    fields.push((
        t(lang, "field-server-ip"),
        target.server_ip.clone().unwrap_or_else(not_recorded),
    ));
    fields.push((
        t(lang, "field-title"),
        target.title.clone().unwrap_or_else(not_recorded),
    ));
    fields.push((
        t(lang, "field-http-status"),
        target
            .http_status
            .map_or_else(not_recorded, |s| s.to_string()),
    ));
    if let Some(tls) = &target.tls {
        fields.push((
            t(lang, "field-tls"),
            text(
                lang,
                "tls-value",
                &Args::new()
                    .with("subject", tls.subject.as_str())
                    .with("issuer", tls.issuer.as_str())
                    .with("from", time::date_utc(tls.valid_from))
                    .with("to", time::date_utc(tls.valid_to)),
            ),
        ));
    }
    fields.push((
        t(lang, "field-captured"),
        time::both(lang, target.captured_at),
    ));
    out.push(Block::Fields(fields));

    if !target.steps.is_empty() {
        out.push(Block::Minor(t(lang, "steps-heading")));
        out.push(Block::Steps {
            time_col: t(lang, "steps-col-time"),
            action_col: t(lang, "steps-col-action"),
            rows: target
                .steps
                .iter()
                .map(|s| (time::step(lang, s.at), step_text(lang, &s.action)))
                .collect(),
        });
    }
    if !target.screenshots.is_empty() {
        out.push(Block::Minor(t(lang, "screenshots-heading")));
        for shot in &target.screenshots {
            image::check_hash(shot)?;
            let (width, height) = image::dimensions(shot)?;
            out.push(Block::Shot(Shot {
                shot,
                caption: text(
                    lang,
                    "screenshot-caption",
                    &Args::new()
                        .with("name", shot.name.as_str())
                        .with("width", width)
                        .with("height", height),
                ),
                sha_line: text(
                    lang,
                    "hash-sha256",
                    &Args::new().with("hash", shot.sha256.to_ascii_lowercase()),
                ),
                width,
                height,
            }));
        }
    }
    Ok(())
}

fn file_kind(lang: Lang, kind: &str) -> String {
    let key = format!("file-kind-{kind}");
    if has_key(lang, &key) {
        t(lang, &key)
    } else {
        kind.to_owned()
    }
}

/// Builds the protocol of `ins` in `lang`, checking what can be checked:
/// time order, screenshot hashes, PNG headers, the form of file hashes.
pub(crate) fn build(ins: &Inspection, lang: Lang) -> Result<Doc<'_>, RenderError> {
    if ins.finished_at < ins.started_at {
        return Err(RenderError::TimeOrder {
            case: ins.case_id.clone(),
            started: ins.started_at.to_rfc3339(),
            finished: ins.finished_at.to_rfc3339(),
        });
    }
    for f in &ins.files {
        check_file(f)?;
    }
    let not_recorded = || t(lang, "not-recorded");
    let mut blocks = Vec::new();

    // 1. General information.
    blocks.push(Block::Section(t(lang, "section-general")));
    let mut fields = Vec::new();
    if let Some(place) = &ins.place {
        fields.push((t(lang, "field-place"), place.clone()));
    }
    fields.push((t(lang, "field-started"), time::both(lang, ins.started_at)));
    fields.push((t(lang, "field-finished"), time::both(lang, ins.finished_at)));
    fields.push((
        t(lang, "field-inspector"),
        format!(
            "{}, {}, {}",
            ins.inspector.name, ins.inspector.position, ins.inspector.agency
        ),
    ));
    if !ins.participants.is_empty() {
        let list = ins
            .participants
            .iter()
            .map(|p| match &p.details {
                Some(d) => format!("{} ({}, {d})", p.name, role_label(lang, p.role)),
                None => format!("{} ({})", p.name, role_label(lang, p.role)),
            })
            .collect::<Vec<_>>()
            .join("; ");
        fields.push((t(lang, "field-participants"), list));
    }
    if let Some(g) = &ins.grounds {
        fields.push((t(lang, "field-grounds"), g.clone()));
    }
    fields.push((
        t(lang, "field-tool"),
        text(
            lang,
            "tool-value",
            &Args::new()
                .with("name", ins.tool.name.as_str())
                .with("version", ins.tool.version.as_str()),
        ),
    ));
    fields.push((t(lang, "field-host"), ins.host_name.clone()));
    fields.push((
        t(lang, "field-source-ip"),
        ins.source_address.clone().unwrap_or_else(not_recorded),
    ));
    blocks.push(Block::Fields(fields));
    blocks.push(Block::Para(text(
        lang,
        "protocol-intro",
        &Args::new().with("count", ins.targets.len()),
    )));

    // 2. Findings, per target.
    blocks.push(Block::Section(t(lang, "section-targets")));
    if ins.targets.is_empty() {
        blocks.push(Block::Para(t(lang, "no-targets")));
    }
    for (i, target) in ins.targets.iter().enumerate() {
        target_blocks(lang, i + 1, ins.targets.len(), target, &mut blocks)?;
    }

    // 3. Files.
    blocks.push(Block::Section(t(lang, "section-files")));
    blocks.push(Block::Para(t(lang, "files-intro")));
    let total_bytes: u64 = ins.files.iter().map(|f| f.size).sum();
    blocks.push(Block::Files(Files {
        col_no: t(lang, "files-col-no"),
        col_name: t(lang, "files-col-name"),
        col_kind: t(lang, "files-col-kind"),
        col_size: t(lang, "files-col-size"),
        col_hashes: t(lang, "files-col-hashes"),
        rows: ins
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| FileLine {
                no: (i + 1).to_string(),
                name: f.name.clone(),
                kind: file_kind(lang, &f.kind),
                size: f.size.to_string(),
                md5: text(
                    lang,
                    "hash-md5",
                    &Args::new().with("hash", f.md5.to_ascii_lowercase()),
                ),
                sha256: text(
                    lang,
                    "hash-sha256",
                    &Args::new().with("hash", f.sha256.to_ascii_lowercase()),
                ),
            })
            .collect(),
        total: text(
            lang,
            "files-total",
            &Args::new()
                .with("count", ins.files.len())
                .with("bytes", total_bytes),
        ),
    }));

    // 4. Verification.
    blocks.push(Block::Section(t(lang, "section-verify")));
    let v = &ins.verification;
    let mut fields = vec![(t(lang, "field-public-key"), v.public_key.clone())];
    if let Some(m) = &v.manifest_sha256 {
        fields.push((t(lang, "field-manifest"), m.clone()));
    }
    if let Some(s) = &v.signature {
        fields.push((t(lang, "field-signature"), s.clone()));
    }
    if !ins.time_stamps.is_empty() {
        let stamps = ins
            .time_stamps
            .iter()
            .map(|ts| {
                let stamp = text(
                    lang,
                    "timestamp-value",
                    &Args::new()
                        .with("authority", ts.authority.as_str())
                        .with("time", time::both(lang, ts.time))
                        .with("serial", ts.serial.as_str()),
                );
                let token = text(
                    lang,
                    "timestamp-token",
                    &Args::new().with("hash", ts.token_sha256.to_ascii_lowercase()),
                );
                format!("{stamp}\n{token}")
            })
            .collect::<Vec<_>>()
            .join("\n");
        fields.push((t(lang, "field-timestamps"), stamps));
    }
    blocks.push(Block::Fields(fields));
    blocks.push(Block::Para(t(lang, "verify-intro")));
    let mut steps = vec![
        t(lang, "verify-step-hashes"),
        t(lang, "verify-step-qorgau"),
        t(lang, "verify-step-key"),
    ];
    if !ins.time_stamps.is_empty() {
        steps.push(t(lang, "verify-step-timestamp"));
    }
    blocks.push(Block::List(steps));

    // 5. Closing and signatures.
    blocks.push(Block::Section(t(lang, "section-closing")));
    blocks.push(Block::Para(t(lang, "closing-text")));
    blocks.push(Block::Remarks(t(lang, "closing-remarks")));
    let mut rows = vec![(t(lang, "sig-inspector"), Some(ins.inspector.name.clone()))];
    if ins.participants.is_empty() {
        // Blank lines as Kazakh practice has them: a specialist and two
        // attesting witnesses, filled in by hand when they take part.
        rows.push((capitalised(&role_label(lang, Role::Specialist)), None));
        rows.push((
            format!("{} 1", capitalised(&role_label(lang, Role::Witness))),
            None,
        ));
        rows.push((
            format!("{} 2", capitalised(&role_label(lang, Role::Witness))),
            None,
        ));
    } else {
        for p in &ins.participants {
            rows.push((capitalised(&role_label(lang, p.role)), Some(p.name.clone())));
        }
    }
    blocks.push(Block::Signatures(Signatures {
        heading: t(lang, "signatures-heading"),
        rows,
        sign_caption: t(lang, "sig-signature"),
        name_caption: t(lang, "sig-name"),
    }));

    Ok(Doc {
        lang,
        title: t(lang, "protocol-doc-title"),
        heading: t(lang, "protocol-heading"),
        subheading: t(lang, "protocol-subheading"),
        case_line: text(
            lang,
            "protocol-case-line",
            &Args::new()
                .with("case", ins.case_id.as_str())
                .with("title", ins.case_title.as_str()),
        ),
        place: ins.place.clone(),
        date: time::local_date(ins.started_at),
        blocks,
        footer: text(
            lang,
            "footer-case",
            &Args::new().with("case", ins.case_id.as_str()),
        ),
        case_id: &ins.case_id,
    })
}
