//! The web interface as people use it: `qorgau serve --demo` (the README's
//! first command) started as a process, pages asked for over HTTP with a
//! cookie-keeping client, forms posted as a browser posts them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod serving;

use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use reqwest::redirect::Policy;

const PASSWORD: &str = "Demo-Qorgau-2026";

/// A demo server in its own data directory, killed when dropped.
struct Demo {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_demo() -> Demo {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_qorgau"))
        .env("QORGAU_DATA_DIR", dir.path())
        .env("QORGAU_OPERATOR", "test-operator")
        .env_remove("QORGAU_DATABASE_URL")
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{}", serving::address(&mut child));
    Demo { child, base, dir }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A browser that chose `lang` and signed in as `user`.
async fn signed_in(base: &str, user: &str, lang: &str) -> reqwest::Client {
    let c = client();
    let r = c
        .get(format!("{base}/lang/{lang}?next=/"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c
        .post(format!("{base}/login"))
        .form(&[("username", user), ("password", PASSWORD), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{user} signs in");
    c
}

async fn page(c: &reqwest::Client, base: &str, path: &str) -> (StatusCode, String) {
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The catalogue layer renders a missing key as `{key}`.
fn missing_texts(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        if let Some(j) = rest.find('}') {
            let inner = &rest[..j];
            if !inner.is_empty()
                && inner.len() < 60
                && inner
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push(inner.to_owned());
            }
        }
    }
    out
}

/// The job page once the job has ended (queued and running pages show a
/// progress bar and reload themselves); a minute and a half at most.
async fn finished_job(c: &reqwest::Client, base: &str, job: &str) -> String {
    for _ in 0..180 {
        let (status, html) = page(c, base, job).await;
        assert_eq!(status, StatusCode::OK);
        if !html.contains("<progress") {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    panic!("the job at {job} did not finish");
}

fn csrf_of(html: &str) -> String {
    let at = html
        .find(r#"name="csrf" value=""#)
        .expect("a form with its token");
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// Every `href="/cases/<id>"` on a page.
fn case_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .split(r#"href="/cases/"#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_shows_every_text_in_russian_kazakh_and_english() {
    let demo = start_demo();
    let base = &demo.base;
    for (lang, overview) in [("ru", "Обзор"), ("kk", "Шолу"), ("en", "Overview")] {
        for user in ["investigator", "prosecutor", "ngo"] {
            let c = signed_in(base, user, lang).await;
            let (_, cases) = page(&c, base, "/cases").await;
            let mut paths: Vec<String> = [
                "/network",
                "/",
                "/triage",
                "/triage?status=accepted",
                "/cases",
                "/referrals",
            ]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
            paths.extend(case_links(&cases).iter().map(|id| format!("/cases/{id}")));
            if user == "investigator" {
                for id in case_links(&cases) {
                    paths.push(format!("/cases/{id}/money"));
                    paths.push(format!("/cases/{id}/qualify"));
                }
                paths.push("/report".into());
                paths.push("/report/status".into());
            }
            paths.push("/screening".into());
            for path in &paths {
                let (status, html) = page(&c, base, path).await;
                let denied = (user != "investigator"
                    && (path.starts_with("/triage") || path.starts_with("/network")))
                    || (user == "prosecutor" && path == "/screening");
                if denied {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{user} {path}");
                } else {
                    assert_eq!(status, StatusCode::OK, "{user} {lang} {path}: {html}");
                }
                assert!(html.contains(&format!(r#"<html lang="{lang}">"#)), "{path}");
                if status == StatusCode::OK && !path.starts_with("/report") {
                    assert!(html.contains(overview), "{user} {lang} {path}");
                }
                assert_eq!(
                    missing_texts(&html),
                    Vec::<String>::new(),
                    "{user} {lang} {path}"
                );
            }
        }
        let (status, html) = page(&client(), base, &format!("/lang/{lang}?next=/login")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_and_out() {
    let demo = start_demo();
    let base = &demo.base;
    let c = client();
    let r = c.get(format!("{base}/cases")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login?next=%2Fcases");
    let r = c
        .post(format!("{base}/login"))
        .header("accept-language", "ru-RU,ru;q=0.9")
        .form(&[
            ("username", "investigator"),
            ("password", "wrong password 1"),
            ("next", "/cases"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Неверное имя пользователя или пароль")
    );
    // A sign-in posted from another site is refused whatever the password.
    let r = c
        .post(format!("{base}/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("username", "investigator"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(format!("{base}/login"))
        .form(&[
            ("username", "investigator"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/", "no redirect off the site");
    let r = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(
        r.headers()["cache-control"],
        "no-store",
        "case data is not cached"
    );
    let (status, home) = (r.status(), r.text().await.unwrap());
    assert_eq!(status, StatusCode::OK);
    // Signing out needs the session's token: a forged form is refused.
    let r = c
        .post(format!("{base}/logout"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .post(format!("{base}/logout"))
        .form(&[("csrf", csrf_of(&home))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the session has ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn triage_decisions_go_through_the_api_and_are_kept() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, queue) = page(&c, base, "/triage").await;
    // Indicators are marked in the text, with why.
    assert!(
        queue.contains(r#"<mark class="indicator scenario-"#),
        "{queue}"
    );
    let ids: Vec<String> = queue
        .split(r#"id="signal-"#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    assert!(ids.len() >= 3, "the demo queue has signals");
    let csrf = csrf_of(&queue);

    let dismiss = format!("{base}/triage/{}/dismiss", ids[0]);
    let reason = "checked by phone: a real restaurant, contract seen";
    let forged = c
        .post(&dismiss)
        .form(&[
            ("csrf", "nope"),
            ("category", "legitimate"),
            ("reason", reason),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let (_, json) = page(&c, base, &format!("/api/signals/{}", ids[0])).await;
    assert!(
        json.contains(r#""status":"new""#),
        "a refused form changes nothing: {json}"
    );
    let short = c
        .post(&dismiss)
        .form(&[
            ("csrf", csrf.as_str()),
            ("category", "legitimate"),
            ("reason", "no"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        short.status(),
        StatusCode::BAD_REQUEST,
        "a reason of a few words is required"
    );
    let r = c
        .post(&dismiss)
        .form(&[
            ("csrf", csrf.as_str()),
            ("category", "legitimate"),
            ("reason", reason),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, json) = page(&c, base, &format!("/api/signals/{}", ids[0])).await;
    assert!(
        json.contains(r#""status":"dismissed""#) && json.contains(reason),
        "{json}"
    );
    let (_, dismissed) = page(&c, base, "/triage?status=dismissed").await;
    assert!(dismissed.contains(&format!("signal-{}", ids[0])));

    let document = queue
        .split(&format!(r#"action="/triage/{}/accept""#, ids[1]))
        .nth(1)
        .and_then(|s| s.split(r#"name="document" value=""#).nth(1))
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("the signal's document goes with the form");
    let r = c
        .post(format!("{base}/triage/{}/accept", ids[1]))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Synthetic case from triage"),
            ("document", document.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/cases/"), "{location}");
    let (status, case) = page(&c, base, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(case.contains("Synthetic case from triage"));
    assert!(case.contains("Monitored documents (1)"), "{case}");
    assert!(case.contains("Checklist (study section 5.3)"));
    let (_, json) = page(&c, base, &format!("/api/signals/{}", ids[1])).await;
    assert!(json.contains(r#""status":"accepted""#), "{json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ngo_sees_the_victim_support_view_and_nothing_operational() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "ngo", "en").await;
    let (_, home) = page(&c, base, "/").await;
    assert!(
        !home.contains(r#"href="/triage""#),
        "no signal queue for an NGO"
    );
    let (_, board) = page(&c, base, "/referrals").await;
    let cases = case_links(&board);
    assert_eq!(cases.len(), 1, "the one case referred to the NGO: {board}");
    let (status, case) = page(&c, base, &format!("/cases/{}", cases[0])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(case.contains("Пострадавшая А."), "the victim, by pseudonym");
    for operational in [
        "@dubai_hr_demo",
        "Monitored documents",
        "Resources and identifiers",
        "Evidence",
        "Timeline",
        "Notes",
    ] {
        assert!(
            !case.contains(operational),
            "{operational} shown to an NGO:\n{case}"
        );
    }
    // The investigator of the same case sees all of it.
    let i = signed_in(base, "investigator", "en").await;
    let (_, full) = page(&i, base, &format!("/cases/{}", cases[0])).await;
    for part in [
        "@dubai_hr_demo",
        "Monitored documents (1)",
        "Evidence (4)",
        "Timeline",
    ] {
        assert!(full.contains(part), "{part} missing for the investigator");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missed_deadlines_are_red_and_a_referral_can_be_answered() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "prosecutor", "en").await;
    let (_, home) = page(&c, base, "/").await;
    assert!(
        home.contains(r#"<li class="alarm">"#),
        "missed deadlines stand out: {home}"
    );
    let (_, board) = page(&c, base, "/referrals").await;
    assert!(board.contains(r#"class="overdue""#), "{board}");
    let id = board
        .split(r#"action="/referrals/"#)
        .nth(1)
        .map(|s| s[..s.find('/').unwrap()].to_owned())
        .expect("a step form for the incoming referral");
    let r = c
        .post(format!("{base}/referrals/{id}/step"))
        .form(&[
            ("csrf", csrf_of(&board).as_str()),
            ("action", "acknowledge"),
            ("outcome", ""),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, board) = page(&c, base, "/referrals").await;
    let row = board
        .split(&format!(r#"id="referral-{id}""#))
        .nth(1)
        .unwrap();
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("acknowledged"), "{row}");
}

/// The journey in headless Chromium (`e2e/journey.mjs`, playwright-core):
/// sign in, triage, a case opened, qualified and routed, a page preserved
/// and its evidence checked, three languages, a late referral answered,
/// the NGO's view. Screenshots of every page go to
/// `target/e2e-screenshots/`, kept by CI as the run's artifacts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_investigators_journey_in_a_real_browser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let e2e = root.join("e2e");
    assert!(
        e2e.join("node_modules/playwright-core").is_dir(),
        "this test needs playwright-core in e2e/node_modules: run scripts/install-test-tools"
    );
    let chromium = std::env::var("QORGAU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).exists(),
        "this test needs Debian's chromium at {chromium}: run scripts/install-test-tools"
    );
    let site = qorgau_testsite::TestSite::start();
    let demo = start_demo();
    let out = root.join("target/e2e-screenshots");
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new("node")
        .current_dir(&e2e)
        .arg("journey.mjs")
        .arg(&demo.base)
        .arg(&out)
        .arg(site.url("/ad"))
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "the journey failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let shots = std::fs::read_dir(&out).unwrap().count();
    assert!(shots >= 12, "a screenshot of every page ({shots})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_reports_without_signing_in_and_follows_the_report() {
    let demo = start_demo();
    let base = &demo.base;
    let c = client();
    let (status, form) = page(&c, base, "/report").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("102") && !form.contains(r#"name="csrf""#));
    let text = "Подругу зовут танцовщицей в Турцию, просят прислать паспорт и фото";
    let r = c
        .post(format!("{base}/report"))
        .header("accept-language", "ru")
        .form(&[
            ("text", text),
            ("link", ""),
            ("contact", "@turkey_dance_demo, +7 700 555 09 99"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let receipt_page = r.text().await.unwrap();
    let receipt = receipt_page
        .split(r#"<code id="receipt">"#)
        .nth(1)
        .map(|s| s[..s.find('<').unwrap()].to_owned())
        .expect("the receipt is shown");
    assert_eq!(receipt.len(), 24, "{receipt}");
    let (status, lookup) = page(&c, base, &format!("/report/status?receipt={receipt}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(lookup.contains("получено"), "{lookup}");
    let (status, _) = page(&c, base, "/report/status?receipt=0000-0000-0000-0000-0000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The complaint is a signal in the investigator's queue, with its account.
    let i = signed_in(base, "investigator", "en").await;
    let (_, queue) = page(&i, base, "/triage").await;
    assert!(
        queue.contains("Подругу зовут танцовщицей"),
        "the complaint is queued"
    );
    assert!(queue.contains("citizen complaint"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_is_checked_on_request_and_a_changed_blob_is_caught() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, cases) = page(&c, base, "/cases").await;
    let row = cases.split("DEMO-2026-014").next().unwrap();
    let case = row.rsplit(r#"href="/cases/"#).next().unwrap();
    let case = &case[..case.find('"').unwrap()];
    let (_, case_page) = page(&c, base, &format!("/cases/{case}")).await;
    let item = case_page
        .split(&format!(r#"href="/cases/{case}/evidence/"#))
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("the evidence list links its items");
    let path = format!("/cases/{case}/evidence/{item}");
    let (status, before) = page(&c, base, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(before.contains("Not checked on its own yet"), "{before}");
    assert!(
        before.contains("acquired into the vault"),
        "custody starts at acquisition"
    );
    let sha = before
        .split("<dt>SHA-256</dt><dd><code class=\"hash\">")
        .nth(1)
        .map(|s| s[..64].to_owned())
        .unwrap();
    let verify = |csrf: String| {
        let c = c.clone();
        let url = format!("{base}{path}/verify");
        async move {
            let r = c.post(url).form(&[("csrf", csrf)]).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
    };
    verify(csrf_of(&before)).await;
    let (_, after) = page(&c, base, &path).await;
    assert!(after.contains(r#"class="verified ok""#), "{after}");

    // Someone changes the stored file behind the vault's back.
    let blob = demo
        .dir
        .path()
        .join("blobs/sha256")
        .join(&sha[..2])
        .join(&sha[2..4])
        .join(&sha);
    let mut perms = std::fs::metadata(&blob).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)] // the test plays the intruder
    perms.set_readonly(false);
    std::fs::set_permissions(&blob, perms).unwrap();
    let mut bytes = std::fs::read(&blob).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    verify(csrf_of(&after)).await;
    let (_, caught) = page(&c, base, &path).await;
    assert!(caught.contains(r#"class="verified failed""#), "{caught}");
    assert_eq!(
        caught
            .matches("<span class=\"tag\">verified</span>")
            .count(),
        2,
        "both checks are in the custody"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_is_preserved_from_the_case_in_the_background() {
    let site = qorgau_testsite::TestSite::start();
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, cases) = page(&c, base, "/cases").await;
    let row = cases.split("DEMO-2026-021").next().unwrap();
    let case = row.rsplit(r#"href="/cases/"#).next().unwrap();
    let case = case[..case.find('"').unwrap()].to_owned();
    let (_, before) = page(&c, base, &format!("/cases/{case}")).await;
    assert!(before.contains("Evidence (0)"), "{before}");
    let r = c
        .post(format!("{base}/cases/{case}/capture"))
        .form(&[
            ("csrf", csrf_of(&before)),
            ("url", site.url("/ad")),
            ("note", "before it is blocked".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let job = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(job.starts_with(&format!("/cases/{case}/jobs/")), "{job}");
    let done = finished_job(&c, base, &job).await;
    assert!(done.contains("Captured and stored in the vault"), "{done}");
    let (_, after) = page(&c, base, &format!("/cases/{case}")).await;
    assert!(
        !after.contains("Evidence (0)"),
        "the capture's files are evidence now"
    );
    let item = after
        .split(&format!(r#"href="/cases/{case}/evidence/"#))
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .unwrap();
    let (_, custody) = page(&c, base, &format!("/cases/{case}/evidence/{item}")).await;
    assert!(
        custody.contains("acquired into the vault</span> investigator"),
        "the ledger names the person who asked: {custody}"
    );
    // A takedown: refused for a page the case has not preserved, opened and
    // sent for the one it has, with the platform's reply deadline.
    let takedown = |url: String| {
        let c = c.clone();
        let case = case.clone();
        let csrf = csrf_of(&after);
        async move {
            c.post(format!("{base}/cases/{case}/takedowns"))
                .form(&[
                    ("csrf", csrf),
                    ("url", url),
                    ("platform", "website".into()),
                    ("recipient", "abuse desk of the synthetic host".into()),
                    (
                        "legal_basis",
                        "Law of RK on combating trafficking in persons".into(),
                    ),
                    ("send", "on".into()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        takedown(site.url("/never-captured")).await,
        StatusCode::CONFLICT
    );
    assert_eq!(takedown(site.url("/ad")).await, StatusCode::SEE_OTHER);
    let (_, with_takedown) = page(&c, base, &format!("/cases/{case}")).await;
    let section = with_takedown.split(r#"id="takedowns""#).nth(1).unwrap();
    assert!(section.contains("<strong>sent</strong>"), "{section}");
    assert!(section.contains("reply due by"), "{section}");
    // The protocol of inspection and the WACZ package, made in the
    // background and downloaded from the job's page.
    for (kind, magic) in [("protocol", &b"%PDF"[..]), ("wacz", &b"PK"[..])] {
        let r = c
            .post(format!("{base}/cases/{case}/exports"))
            .form(&[
                ("csrf", csrf_of(&after)),
                ("kind", kind.into()),
                ("lang", "kk".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let job = r.headers()["location"].to_str().unwrap().to_owned();
        let finished = finished_job(&c, base, &job).await;
        assert!(finished.contains("/file\""), "{kind}: {finished}");
        let r = c.get(format!("{base}{job}/file")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap();
        assert!(bytes.starts_with(magic), "{kind} is a real file");
    }
    // Only http(s) addresses, and only the owning agency.
    let r = c
        .post(format!("{base}/cases/{case}/capture"))
        .form(&[
            ("csrf", csrf_of(&after)),
            ("url", "file:///etc/passwd".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let p = signed_in(base, "prosecutor", "en").await;
    let (_, home) = page(&p, base, "/").await;
    let r = p
        .post(format!("{base}/cases/{case}/capture"))
        .form(&[("csrf", csrf_of(&home)), ("url", site.url("/ad"))])
        .send()
        .await
        .unwrap();
    assert!(
        matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{}",
        r.status()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_money_page_shows_the_red_flags_and_the_flows() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, cases) = page(&c, base, "/cases").await;
    let row = cases.split("DEMO-2026-021").next().unwrap();
    let case = row.rsplit(r#"href="/cases/"#).next().unwrap();
    let case = case[..case.find('"').unwrap()].to_owned();
    let (status, money) = page(&c, base, &format!("/cases/{case}/money")).await;
    assert_eq!(status, StatusCode::OK);
    for flag in ["fan-in to a dropper", "pass-through", "structuring"] {
        assert!(money.contains(flag), "{flag} missing:\n{money}");
    }
    assert!(money.contains("Transfers (31)"), "{money}");
    // Re-centred on the dropper, one hop: it and the accounts next to it.
    let (_, around) = page(
        &c,
        base,
        &format!("/cases/{case}/money?account=card:4111111111111111&hops=1"),
    )
    .await;
    assert_eq!(
        around.matches("<circle").count(),
        26,
        "the dropper, 24 senders, the collector"
    );
    // An NGO never sees money.
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, &format!("/cases/{case}/money")).await;
    assert!(
        matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
        "{status}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_social_worker_screens_a_person_and_the_support_case_follows() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "social", "en").await;
    let (status, form) = page(&c, base, "/screening").await;
    assert_eq!(status, StatusCode::OK, "{form}");
    let mut ids: Vec<String> = form
        .split(r#"name="q:"#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    ids.dedup();
    assert!(ids.len() > 10, "the form's indicators");
    assert!(form.contains("Digital"), "the digital block");
    // Every indicator absent: negative, nothing stored.
    let csrf = csrf_of(&form);
    let mut fields: Vec<(String, String)> = vec![
        ("csrf".into(), csrf.clone()),
        ("label".into(), "Person K.".into()),
        ("minor".into(), "adult".into()),
        ("case".into(), String::new()),
    ];
    let declined: Vec<(String, String)> = ids
        .iter()
        .map(|i| (format!("q:{i}"), "no".into()))
        .collect();
    let r = c
        .post(format!("{base}/screening"))
        .form(&[fields.clone(), declined].concat())
        .send()
        .await
        .unwrap();
    let status = r.status();
    let negative = r.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{negative}");
    assert!(
        negative.contains("Negative: nothing was stored."),
        "{negative}"
    );
    // Every indicator present, with a name that is sealed.
    fields.push(("family".into(), "Synthetova".into()));
    fields.push(("given".into(), "Aru".into()));
    let yes: Vec<(String, String)> = ids
        .iter()
        .map(|i| (format!("q:{i}"), "yes".into()))
        .collect();
    let r = c
        .post(format!("{base}/screening"))
        .form(&[fields, yes].concat())
        .send()
        .await
        .unwrap();
    let status = r.status();
    let positive = r.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{positive}");
    assert!(
        positive.contains(r#"class="outcome positive""#),
        "{positive}"
    );
    let case = positive
        .split(r#"href="/cases/"#)
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("a support case was opened");
    let (status, case_page) = page(&c, base, &format!("/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(case_page.contains("Person K."), "the pseudonym");
    assert!(
        !case_page.contains("Synthetova"),
        "the sealed name is not on the case page"
    );
    // The record: opened for the agency that made it, and the person's
    // consent recorded and withdrawn.
    let victim = case_page
        .split(r#"href="/victims/"#)
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("the victim's record is linked");
    let (status, record) = page(&c, base, &format!("/victims/{victim}")).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert!(
        record.contains("Synthetova"),
        "the agency that recorded it opens it"
    );
    let r = c
        .post(format!("{base}/victims/{victim}/consents"))
        .form(&[
            ("csrf", csrf_of(&record)),
            ("recipient_kind", "ngo".into()),
            ("purpose", "special_social_services".into()),
            ("method", "signed_form".into()),
            ("reference", "form 17/2026".into()),
            ("c:identity", "on".into()),
            ("c:contacts", "on".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, with_consent) = page(&c, base, &format!("/victims/{victim}")).await;
    assert!(with_consent.contains("form 17/2026"), "{with_consent}");
    let consent = with_consent
        .split("/consents/")
        .nth(1)
        .map(|s| s[..s.find('/').unwrap()].to_owned())
        .expect("a withdraw button");
    let r = c
        .post(format!(
            "{base}/victims/{victim}/consents/{consent}/withdraw"
        ))
        .form(&[
            ("csrf", csrf_of(&with_consent)),
            ("note", "asked by phone".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, withdrawn) = page(&c, base, &format!("/victims/{victim}")).await;
    assert!(
        !withdrawn.contains("/withdraw\""),
        "nothing left to withdraw"
    );
    assert!(withdrawn.contains("asked by phone"), "{withdrawn}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn networks_join_ads_by_the_identifiers_they_share() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (status, list) = page(&c, base, "/network").await;
    assert_eq!(status, StatusCode::OK);
    let first = list
        .split(r#"<table class="networks">"#)
        .nth(1)
        .and_then(|t| t.split(r#"href=""#).nth(1))
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .expect("a network");
    assert!(
        list.contains("telegram:dubai_hr_demo"),
        "the shared handle: {list}"
    );
    let (_, graph) = page(&c, base, &first).await;
    assert!(
        graph.matches("<rect").count() >= 2,
        "documents of the network: {graph}"
    );
    assert!(
        graph.contains(r#"<circle class="ident "#),
        "their identifiers: {graph}"
    );
    // One hop from the handle: the handle and exactly the ads naming it.
    let (_, one) = page(&c, base, "/network?node=telegram%3Adubai_hr_demo&hops=1").await;
    let rects = one.matches("<rect").count();
    assert!(rects >= 3 && one.matches("<circle").count() == 1, "{one}");
    // A cluster's template: the shared text and, in braces, where ads differ.
    let cluster = graph
        .split(r#"href="/network/clusters/"#)
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("the documents link their cluster");
    let (status, template) = page(&c, base, &format!("/network/clusters/{cluster}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(template.contains(r#"id="template""#) && template.contains("flagged document"));
    let (status, _) = page(&c, base, "/network/clusters/c-0000000000000000").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, "/network").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_makes_an_account_and_previews_routing() {
    let demo = start_demo();
    let base = &demo.base;
    let a = signed_in(base, "admin", "en").await;
    let (status, admin) = page(&a, base, "/admin").await;
    assert_eq!(status, StatusCode::OK);
    assert!(admin.contains("<code>investigator</code>") && admin.contains("Victim-support NGOs"));
    let form = |password: &str| {
        vec![
            ("csrf".to_owned(), csrf_of(&admin)),
            ("username".to_owned(), "new.analyst".to_owned()),
            ("display_name".to_owned(), "New Analyst".to_owned()),
            ("agency".to_owned(), "mvd-cyber".to_owned()),
            ("password".to_owned(), password.to_owned()),
            ("r:analyst".to_owned(), "on".to_owned()),
        ]
    };
    let r = a
        .post(format!("{base}/admin/users"))
        .form(&form("short"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::BAD_REQUEST,
        "the password policy holds"
    );
    let r = a
        .post(format!("{base}/admin/users"))
        .form(&form("Synthetic pass 2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = client();
    let r = c
        .post(format!("{base}/login"))
        .form(&[
            ("username", "new.analyst"),
            ("password", "Synthetic pass 2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "the new account signs in"
    );
    let (_, preview) = page(&a, base, "/admin?f%3Aminor_involved=on").await;
    assert!(
        preview.contains("Committee for the Protection of Children"),
        "{preview}"
    );
    assert!(
        preview.contains("minor-child-rights"),
        "with the rule that sends it"
    );
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, "/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_with_a_virtual_identity_needs_every_safeguard() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (status, register) = page(&c, base, "/identities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(register.contains("@aruzhan_demo_op") && register.contains("ДЕМО-2-17/2026"));
    let identity = register
        .split(r#"name="identity" value=""#)
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .unwrap();
    let case = register
        .split(r#"name="case" required>"#)
        .nth(1)
        .and_then(|s| s.split(r#"value=""#).nth(1))
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .expect("an open case to serve");
    let safeguards: Vec<String> = register
        .split(r#"name="s:"#)
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect();
    assert!(safeguards.len() >= 3, "{safeguards:?}");
    let open = |all: bool| {
        let c = c.clone();
        let mut form = vec![
            ("csrf".to_owned(), csrf_of(&register)),
            ("identity".to_owned(), identity.clone()),
            ("case".to_owned(), case.clone()),
            ("platform".to_owned(), "telegram".to_owned()),
        ];
        let take = if all {
            safeguards.len()
        } else {
            safeguards.len() - 1
        };
        form.extend(
            safeguards
                .iter()
                .take(take)
                .map(|s| (format!("s:{s}"), "on".to_owned())),
        );
        async move {
            c.post(format!("{base}/identities/operations"))
                .form(&form)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let refused = open(false).await;
    assert!(
        matches!(refused, StatusCode::FORBIDDEN | StatusCode::BAD_REQUEST),
        "one safeguard not acknowledged: {refused}"
    );
    assert_eq!(open(true).await, StatusCode::SEE_OTHER);
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, "/identities").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
