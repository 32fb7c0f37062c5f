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
    // The casting account shares no contact with the model agency, only its
    // photo: from the handle, its ad, the picture, the agency's ad, its handle.
    let (_, casting) = page(&c, base, "/network?node=telegram%3Acasting_demo_kz&hops=4").await;
    // Named by the copy published first (the casting ad, six weeks ago).
    let picture = "image%3Aphash%3Ac3a95e1d7b22f460";
    assert!(casting.contains(picture), "{casting}");
    assert!(casting.contains("star_models_demo"), "{casting}");
    let (status, shown) = page(&c, base, &format!("/network?node={picture}&hops=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.contains("https://instagram-demo.example/p/casting-2026.jpg"),
        "{shown}"
    );
    assert!(shown.contains("https://vk-demo.example/photos/agency-star-casting.jpg"));
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
    // The case page lists the identity in use, with its authorisation.
    let (_, case_page) = page(&c, base, &format!("/cases/{case}")).await;
    let at = case_page
        .find(r#"id="identities-in-use""#)
        .expect("the identities in use on the case page");
    let section = &case_page[at..at + case_page[at..].find("</section>").unwrap()];
    assert!(
        section.contains("Virtual identities in use (1)"),
        "{section}"
    );
    assert!(
        section.contains("@aruzhan_demo_op") && section.contains("ДЕМО-2-17/2026"),
        "{section}"
    );
    // Not for a prosecutor, who oversees the case but runs no identity.
    let p = signed_in(base, "prosecutor", "en").await;
    let (_, theirs) = page(&p, base, &format!("/cases/{case}")).await;
    assert!(!theirs.contains(r#"id="identities-in-use""#));
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, "/identities").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_edits_the_routing_rules_after_seeing_what_they_change() {
    let demo = start_demo();
    let base = &demo.base;
    for lang in ["ru", "kk", "en"] {
        let a = signed_in(base, "admin", lang).await;
        let (status, html) = page(&a, base, "/admin/routing").await;
        assert_eq!(status, StatusCode::OK, "{lang}: {html}");
        assert!(html.contains(r#"<textarea id="rules-text""#), "{lang}");
        assert_eq!(missing_texts(&html), Vec::<String>::new(), "{lang}");
    }
    let a = signed_in(base, "admin", "en").await;
    let (_, html) = page(&a, base, "/admin/routing").await;
    let rules: serde_json::Value = a
        .get(format!("{base}/api/routing/rules"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = rules["text"].as_str().unwrap();
    let sha = rules["sha256"].as_str().unwrap();
    let post = |action: &str, text: &str, note: &str| {
        vec![
            ("csrf".to_owned(), csrf_of(&html)),
            ("action".to_owned(), action.to_owned()),
            // As a browser sends a textarea: CR LF line ends.
            ("text".to_owned(), text.replace('\n', "\r\n")),
            ("based_on".to_owned(), sha.to_owned()),
            ("note".to_owned(), note.to_owned()),
        ]
    };
    let send = |form: Vec<(String, String)>| {
        let a = a.clone();
        async move {
            let r = a
                .post(format!("{base}/admin/routing"))
                .form(&form)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };

    // A broken text: its problem with the line, and the edit kept.
    let broken = text.replace("agency = \"fiu\"", "agency = \"fiu_typo\"");
    let (status, shown) = send(post("check", &broken, "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown.contains("The rules are not valid"), "{shown}");
    assert!(shown.contains("fiu_typo"), "{shown}");
    let (_, shown) = send(post("save", &broken, "typo")).await;
    assert!(shown.contains("Not saved"), "{shown}");

    // Every case to the prosecutor too: the check lists what it would
    // change without saving; then it is saved for everyone.
    let edited = text.replace("version = \"2025.1-default\"", "version = \"2026.3-web\"")
        + "\n[[rule]]\nid = \"web-test-every-case-prosecutor\"\ndescription = \"Synthetic: every case to the prosecutor\"\nsource = \"test\"\nwhen = { always = true }\n\n[[rule.send]]\nagency = \"prosecutor\"\nscopes = [\"operational\"]\nacknowledge_within = \"24h\"\nact_within = \"3 working days\"\n";
    let (_, shown) = send(post("check", &edited, "")).await;
    assert!(shown.contains("The rules are valid"), "{shown}");
    assert!(shown.contains("2026.3-web"), "{shown}");
    assert!(
        shown.contains("Would be sent to") || shown.contains("No open case would be routed"),
        "{shown}"
    );
    let (_, still) = page(&a, base, "/admin/routing").await;
    assert!(
        still.contains("have not been changed"),
        "checking saves nothing"
    );

    let (_, shown) = send(post(
        "save",
        &edited,
        "Synthetic test: prosecutor on every case",
    ))
    .await;
    assert!(shown.contains("Saved and in force"), "{shown}");
    let (_, after) = page(&a, base, "/admin/routing").await;
    assert!(after.contains("saved rule set 1"), "{after}");
    assert!(
        after.contains("Synthetic test: prosecutor on every case"),
        "{after}"
    );
    // The same edit again, from the old starting point: refused.
    let (_, shown) = send(post("save", &edited, "again")).await;
    assert!(
        shown.contains("Not saved") && shown.contains("changed since"),
        "{shown}"
    );

    // Investigators read the rules; NGO workers do not see them.
    let i = signed_in(base, "investigator", "en").await;
    let (status, read) = page(&i, base, "/admin/routing").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!read.contains("<textarea") && read.contains("web-test-every-case-prosecutor"));
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, "/admin/routing").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_analyst_proposes_a_lexicon_edit_and_a_supervisor_puts_it_in_force() {
    let demo = start_demo();
    let base = &demo.base;
    for lang in ["ru", "kk", "en"] {
        let c = signed_in(base, "analyst", lang).await;
        for path in [
            "/admin/lexicon",
            "/admin/lexicon/edit?file=employment_abroad.toml",
        ] {
            let (status, html) = page(&c, base, path).await;
            assert_eq!(status, StatusCode::OK, "{lang} {path}: {html}");
            assert_eq!(missing_texts(&html), Vec::<String>::new(), "{lang} {path}");
        }
    }
    let a = signed_in(base, "analyst", "en").await;
    let (_, html) = page(&a, base, "/admin/lexicon/edit?file=employment_abroad.toml").await;
    assert!(html.contains(r#"<textarea id="lexicon-text""#), "{html}");
    let file: serde_json::Value = a
        .get(format!("{base}/api/lexicon/files/employment_abroad.toml"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let text = file["text"].as_str().unwrap();
    let based_on = file["version"].as_str().unwrap();
    let post = |action: &str, text: &str, note: &str| {
        vec![
            ("csrf".to_owned(), csrf_of(&html)),
            ("action".to_owned(), action.to_owned()),
            ("file".to_owned(), "employment_abroad.toml".to_owned()),
            // As a browser sends a textarea: CR LF line ends.
            ("text".to_owned(), text.replace('\n', "\r\n")),
            ("based_on".to_owned(), based_on.to_owned()),
            ("note".to_owned(), note.to_owned()),
        ]
    };
    let send = |form: Vec<(String, String)>| {
        let a = a.clone();
        async move {
            let r = a
                .post(format!("{base}/admin/lexicon/edit"))
                .form(&form)
                .send()
                .await
                .unwrap();
            let location = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            (r.status(), location, r.text().await.unwrap())
        }
    };

    // A broken file: refused with its name, nothing saved.
    let (status, _, shown) =
        send(post("check", &format!("{text}\n[[indicator]]\nid = "), "")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown.contains("The lexicon does not load"), "{shown}");
    assert!(shown.contains("employment_abroad.toml"), "{shown}");

    // A new indicator: the diff and the effect on the archive, then a proposal.
    let edited = format!(
        "{text}\n[[indicator]]\nid = \"emp.web_test_airship\"\nscenario = \"employment_abroad\"\nweight = 0.9\ndescription = \"Synthetic test phrase.\"\n[indicator.patterns]\nru = [\"синий дирижабл*\"]\n"
    );
    let (_, _, shown) = send(post("check", &edited, "")).await;
    assert!(shown.contains("The edited lexicon loads"), "{shown}");
    assert!(shown.contains("emp.web_test_airship"), "{shown}");
    assert!(
        shown.contains("Archived documents scored with both lexicons"),
        "{shown}"
    );
    let (status, location, _) = send(post(
        "propose",
        &edited,
        "Synthetic test: airship ads recruit abroad",
    ))
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let proposal = location.unwrap();
    assert!(
        proposal.starts_with("/admin/lexicon/proposals/"),
        "{proposal}"
    );
    let (_, mine) = page(&a, base, &proposal).await;
    assert!(mine.contains("awaiting review"), "{mine}");
    assert!(
        !mine.contains(r#"id="review-form""#),
        "the author cannot review"
    );
    assert!(
        mine.contains("A supervisor other than the author"),
        "{mine}"
    );

    // The supervisor reads the diff and approves.
    let s = signed_in(base, "supervisor", "ru").await;
    let (status, theirs) = page(&s, base, &proposal).await;
    assert_eq!(status, StatusCode::OK);
    assert!(theirs.contains(r#"id="review-form""#), "{theirs}");
    assert!(theirs.contains("emp.web_test_airship"), "{theirs}");
    assert_eq!(missing_texts(&theirs), Vec::<String>::new());
    let r = s
        .post(format!("{base}{proposal}"))
        .form(&[
            ("csrf", csrf_of(&theirs).as_str()),
            ("decision", "approved"),
            ("note", "Проверено на архиве"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, after) = page(&a, base, "/admin/lexicon").await;
    assert!(after.contains("Approved by supervisor"), "{after}");
    let view: serde_json::Value = a
        .get(format!("{base}/api/lexicon"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = view["version"].as_str().unwrap().to_owned();
    assert_ne!(version, based_on);

    // Scans that feed triage use it from now on; a plain scan does not.
    let ad = demo.dir.path().join("airship.txt");
    std::fs::write(&ad, "Синий дирижабль ждёт пассажиров, пишите в личку\n").unwrap();
    let scan = |approved: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_qorgau"));
        c.env("QORGAU_DATA_DIR", demo.dir.path())
            .env_remove("QORGAU_DATABASE_URL")
            .args(["scan", "--format", "text"]);
        if approved {
            c.arg("--approved-lexicon");
        }
        let out = c.arg(&ad).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(
            out.stdout.split(|b| *b == b'\n').next().unwrap(),
        )
        .unwrap()
    };
    let with = scan(true);
    assert_eq!(with["lexicon_version"], version.as_str());
    assert_eq!(with["flagged"], true, "{with}");
    let without = scan(false);
    assert_eq!(without["flagged"], false, "{without}");

    // Prosecutors do not administer the lexicon.
    let i = signed_in(base, "prosecutor", "en").await;
    let (status, _) = page(&i, base, "/admin/lexicon").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// A `multipart/form-data` body as a browser sends it: (name, file name, bytes).
fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----qorgau-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file, bytes) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_uploaded_to_a_case_is_imported_or_scanned_in_the_background() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, cases) = page(&c, base, "/cases").await;
    let row = cases.split("DEMO-2026-021").next().unwrap();
    let case = row.rsplit(r#"href="/cases/"#).next().unwrap();
    let case = case[..case.find('"').unwrap()].to_owned();
    let (_, case_page) = page(&c, base, &format!("/cases/{case}")).await;
    assert!(case_page.contains(&format!(r#"href="/cases/{case}/import""#)));
    let (status, form) = page(&c, base, &format!("/cases/{case}/import")).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    assert!(form.contains(r#"enctype="multipart/form-data""#));
    assert_eq!(missing_texts(&form), Vec::<String>::new());
    let token = csrf_of(&form);
    let uploads = demo.dir.path().join("uploads");
    let send = |fields: Vec<(&'static str, Option<&'static str>, Vec<u8>)>| {
        let c = c.clone();
        let url = format!("{base}/cases/{case}/import");
        async move {
            let borrowed: Vec<(&str, Option<&str>, &[u8])> = fields
                .iter()
                .map(|(n, f, b)| (*n, *f, b.as_slice()))
                .collect();
            let (content_type, body) = multipart(&borrowed);
            let r = c
                .post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            let location = r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned());
            (r.status(), location)
        }
    };
    let tron = include_bytes!("fixtures/jobs-tronscan.csv").to_vec();

    // A forged form (no token first) writes nothing.
    let (status, _) = send(vec![
        ("kind", None, b"money".to_vec()),
        ("format", None, b"tron-csv".to_vec()),
        ("file", Some("usdt.csv"), tron.clone()),
    ])
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        std::fs::read_dir(&uploads).map_or(true, |d| d.count() == 0),
        "nothing kept from a forged form"
    );
    // A bank statement without its mapping is refused, and not kept.
    let (status, _) = send(vec![
        ("csrf", None, token.clone().into_bytes()),
        ("kind", None, b"money".to_vec()),
        ("format", None, b"bank-csv".to_vec()),
        ("map", None, Vec::new()),
        ("file", Some("statement.csv"), b"a,b\n1,2\n".to_vec()),
    ])
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(std::fs::read_dir(&uploads).map_or(true, |d| d.count() == 0));

    // A TRON export: imported into the case by a job, its page tells the counts.
    let (status, job) = send(vec![
        ("csrf", None, token.clone().into_bytes()),
        ("kind", None, b"money".to_vec()),
        ("format", None, b"tron-csv".to_vec()),
        ("map", None, Vec::new()),
        ("file", Some("usdt export.csv"), tron),
    ])
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let job = job.unwrap();
    assert!(job.starts_with(&format!("/cases/{case}/jobs/")), "{job}");
    let done = finished_job(&c, base, &job).await;
    assert!(done.contains("New transfers"), "{done}");
    assert!(
        done.contains("usdt_export.csv") || done.contains("usdt export.csv"),
        "{done}"
    );
    let (_, money) = page(&c, base, &format!("/cases/{case}/money")).await;
    assert!(
        money.contains("TXGBoRcGP5813epCARkZUawUnDR8ucKCHf"),
        "the dropper's wallet is in the case's money"
    );

    // Ads scanned with the lexicon in force: the results are a file.
    let ads = concat!(
        r#"{"id":"a1","text":"Требуются девушки для работы в Дубае, билеты и визу оплачиваем, зарплата от 3000$"}"#,
        "\n",
        r#"{"id":"a2","text":"Продаю велосипед, почти новый"}"#,
        "\n"
    );
    let (status, job) = send(vec![
        ("csrf", None, token.into_bytes()),
        ("kind", None, b"scan".to_vec()),
        ("format", None, b"jsonl".to_vec()),
        ("text_column", None, Vec::new()),
        ("file", Some("ads.jsonl"), ads.as_bytes().to_vec()),
    ])
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let job = job.unwrap();
    let done = finished_job(&c, base, &job).await;
    assert!(done.contains("2 documents"), "{done}");
    assert!(done.contains("flagged for review: 1"), "{done}");
    let r = c.get(format!("{base}{job}/file")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let results = r.text().await.unwrap();
    let lines: Vec<serde_json::Value> = results
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a1");
    assert_eq!(lines[0]["flagged"], true);
    assert_eq!(lines[1]["flagged"], false);

    // An NGO worker cannot bring files into the police's case.
    let n = signed_in(base, "ngo", "en").await;
    let (status, _) = page(&n, base, &format!("/cases/{case}/import")).await;
    assert!(
        status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
        "{status}"
    );
}

/// `bagit.py --validate DIR` (or the Python module), as installed by
/// `scripts/install-test-tools`.
fn bagit_validate(bag: &std::path::Path) -> std::process::Output {
    match Command::new("bagit.py").arg("--validate").arg(bag).output() {
        Ok(out) => out,
        Err(_) => Command::new("python3")
            .args(["-m", "bagit", "--validate"])
            .arg(bag)
            .output()
            .unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_s_evidence_is_handed_over_as_a_bagit_bag_from_the_page() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, cases) = page(&c, base, "/cases").await;
    let row = cases.split("DEMO-2026-014").next().unwrap();
    let case = row.rsplit(r#"href="/cases/"#).next().unwrap();
    let case = case[..case.find('"').unwrap()].to_owned();
    let (_, case_page) = page(&c, base, &format!("/cases/{case}")).await;
    assert!(case_page.contains(r#"value="bagit""#), "{case_page}");
    let r = c
        .post(format!("{base}/cases/{case}/exports"))
        .form(&[("csrf", csrf_of(&case_page).as_str()), ("kind", "bagit")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let job = r.headers()["location"].to_str().unwrap().to_owned();
    let done = finished_job(&c, base, &job).await;
    assert!(done.contains("/file"), "{done}");
    let r = c.get(format!("{base}{job}/file")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let zip = demo.dir.path().join("handover.zip");
    std::fs::write(&zip, r.bytes().await.unwrap()).unwrap();
    // Unpacked with another tool, it is a bag bagit-python validates.
    let out = demo.dir.path().join("handover");
    let unzip = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
        ])
        .arg(&zip)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        unzip.status.success(),
        "{}",
        String::from_utf8_lossy(&unzip.stderr)
    );
    let bag = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .expect("the bag's directory in the ZIP");
    assert!(bag.join("bagit.txt").is_file());
    assert!(bag.join("custody-ledger.jsonl").is_file());
    let validated = bagit_validate(&bag);
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stderr)
    );
    let hashdeep = bag.with_extension("hashdeep.txt");
    assert!(
        hashdeep.is_file()
            || out.read_dir().unwrap().any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".hashdeep.txt")),
        "the hashdeep audit file travels with the bag"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_flagged_ads_by_the_region_they_name() {
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "analyst", "en").await;
    let (status, html) = page(&c, base, "/").await;
    assert_eq!(status, StatusCode::OK);
    let at = html.find(r#"id="regions""#).expect("a regions section");
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    let names: Vec<&str> = qorgau_detect::Gazetteer::builtin()
        .regions()
        .iter()
        .map(|r| r.en.as_str())
        .filter(|n| section.contains(n))
        .collect();
    assert!(!names.is_empty(), "the demo's ads name places: {section}");
    let c = signed_in(base, "analyst", "kk").await;
    let (_, html) = page(&c, base, "/").await;
    assert!(html.contains("Белгіленген құжаттар өңірлер бойынша"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ad_accepted_from_triage_can_be_preserved_at_once() {
    let site = qorgau_testsite::TestSite::start();
    let demo = start_demo();
    let base = &demo.base;
    let c = signed_in(base, "investigator", "en").await;
    let (_, queue) = page(&c, base, "/triage").await;
    let token = csrf_of(&queue);
    let r = c
        .post(format!("{base}/api/signals"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({
            "resource": site.url("/ad"),
            "summary": "Synthetic: hostess work in Dubai, tickets paid",
            "risk": 0.8,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let taken: serde_json::Value = r.json().await.unwrap();
    let signal = taken["signal"].as_str().unwrap().to_owned();
    let (_, queue) = page(&c, base, "/triage").await;
    let form = queue
        .split(&format!(r#"action="/triage/{signal}/accept""#))
        .nth(1)
        .expect("the new signal in the queue");
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains(r#"name="capture""#), "{form}");
    let r = c
        .post(format!("{base}/triage/{signal}/accept"))
        .form(&[
            ("csrf", token.as_str()),
            ("title", "Hostess ad preserved on acceptance"),
            // The checkbox's value is the ad's address: here the test
            // site's, as an archived document would carry it.
            ("capture", site.url("/ad").as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let job = r.headers()["location"].to_str().unwrap().to_owned();
    assert!(job.contains("/jobs/"), "{job}");
    let done = finished_job(&c, base, &job).await;
    assert!(done.contains("Captured and stored in the vault"), "{done}");
}

/// The demo never holds material marked as suspected child sexual abuse
/// material, nor a hash list: a newcomer's first look must not meet it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_holds_no_restricted_material() {
    let demo = start_demo();
    let base = &demo.base;
    let c = client();
    let r = c
        .post(format!("{base}/api/auth/login"))
        .header("content-type", "application/json")
        .body(serde_json::json!({"username": "supervisor", "password": PASSWORD}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cases: serde_json::Value = serde_json::from_str(
        &c.get(format!("{base}/api/cases"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    let cases = cases.as_array().expect("a list of cases");
    let mut items = 0;
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let r = c
            .get(format!("{base}/api/cases/{id}/evidence?limit=1000"))
            .send()
            .await
            .unwrap();
        if r.status() != StatusCode::OK {
            continue;
        }
        let list: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        for item in list.as_array().unwrap() {
            items += 1;
            assert!(
                item["restricted"].is_null(),
                "demo item {item} is restricted"
            );
        }
    }
    assert!(items > 0, "the demo has evidence to check");
}
