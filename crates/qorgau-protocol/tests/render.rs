//! Renders a sample inspection (two targets, one with a very tall
//! screenshot) in every language and checks the output with independent
//! tools: `pdftotext` and `pdftoppm` from Debian's poppler-utils.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use md5::Md5;
use qorgau_protocol::{
    Action, FileRow, Format, Inspection, Lang, Participant, Person, RenderError, Role, Screenshot,
    Step, Target, TimeStamp, Tls, Tool, Verification, render, render_html, render_pdf,
};
use sha2::{Digest as _, Sha256};

const KAZAKH_LETTERS: &str = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";
const HOSTILE: &str = "<script>alert(\"x\")</script> & 'q'";

fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, h, m, s).unwrap()
}

/// A synthetic screenshot: white page with dark "text lines" and a coloured
/// band every 1000 rows, so every slice of a tall one has ink on it.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut data = vec![255_u8; (width * height * 3) as usize];
    for y in 0..height {
        for x in 0..width {
            let i = ((y * width + x) * 3) as usize;
            let line = y % 24 < 10 && x > 40 && x < width - 40 && (x / 37) % 5 != 0;
            let band = y % 1000 < 60;
            if band {
                data[i..i + 3].copy_from_slice(&[30, 60, 140]);
            } else if line {
                data[i..i + 3].copy_from_slice(&[20, 20, 20]);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&data).unwrap();
    }
    out
}

fn sha256(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

fn shot(name: &str, width: u32, height: u32) -> Screenshot {
    let png = png(width, height);
    Screenshot {
        name: name.into(),
        sha256: sha256(&png),
        png,
    }
}

fn file(name: &str, kind: &str, content: &[u8]) -> FileRow {
    FileRow {
        name: name.into(),
        kind: kind.into(),
        size: content.len() as u64,
        md5: hex::encode(Md5::digest(content)),
        sha256: sha256(content),
    }
}

fn sample() -> Inspection {
    let s1 = shot("page-01/screenshot.png", 1280, 720);
    let s2 = shot("page-02/screenshot.png", 900, 6000);
    let mut files = vec![
        file("page-01/capture.warc.gz", "warc", b"warc one"),
        file("page-01/dom.html", "dom", b"<html>one</html>"),
        file("page-01/title.txt", "title", b"title one"),
        file("page-02/capture.warc.gz", "warc", b"warc two"),
        file("page-02/dom.html", "dom", b"<html>two</html>"),
        file("page-02/media/01-photo.jpg", "media", b"jpeg bytes"),
        file("manifest.json", "manifest", b"{}"),
    ];
    files.insert(1, {
        let mut f = file("page-01/screenshot.png", "screenshot", &s1.png);
        f.size = s1.png.len() as u64;
        f
    });
    files.insert(5, file("page-02/screenshot.png", "screenshot", &s2.png));
    Inspection {
        case_id: "2025-0314-KZ-17".into(),
        case_title: "Вербовка под видом модельного агентства".into(),
        place: Some("г. Алматы".into()),
        inspector: Person {
            name: "Әсет Қайратұлы Нұрғалиев".into(),
            position: "старший следователь, капитан полиции".into(),
            agency: "Следственное управление ДП г. Алматы".into(),
        },
        participants: vec![],
        started_at: at(10, 20, 0),
        finished_at: at(10, 41, 30),
        tool: Tool {
            name: "qorgau".into(),
            version: "0.1.0 (abc1234)".into(),
        },
        host_name: "ws-cyber-07".into(),
        source_address: Some("203.0.113.45".into()),
        grounds: Some(
            "Рапорт об обнаружении объявления с признаками вербовки (синтетический пример)".into(),
        ),
        targets: vec![
            Target {
                url: "https://jobs.example.kz/vakansii/model-almaty".into(),
                final_url: Some("https://jobs.example.kz/v/12345".into()),
                server_ip: Some("198.51.100.23".into()),
                title: Some(format!("Работа моделью {KAZAKH_LETTERS}")),
                http_status: Some(200),
                tls: Some(Tls {
                    subject: "CN=jobs.example.kz".into(),
                    issuer: "CN=Example Test CA".into(),
                    valid_from: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
                    valid_to: Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).unwrap(),
                }),
                captured_at: at(10, 21, 5),
                partial: false,
                partial_reason: None,
                steps: vec![
                    Step {
                        at: at(10, 20, 3),
                        action: Action::Open {
                            url: "https://jobs.example.kz/vakansii/model-almaty".into(),
                        },
                    },
                    Step {
                        at: at(10, 20, 4),
                        action: Action::Redirect {
                            from: "https://jobs.example.kz/vakansii/model-almaty".into(),
                            to: "https://jobs.example.kz/v/12345".into(),
                            status: 301,
                        },
                    },
                    Step {
                        at: at(10, 20, 9),
                        action: Action::Loaded,
                    },
                    Step {
                        at: at(10, 20, 15),
                        action: Action::Scrolled,
                    },
                    Step {
                        at: at(10, 20, 20),
                        action: Action::Screenshot {
                            file: "page-01/screenshot.png".into(),
                        },
                    },
                    Step {
                        at: at(10, 20, 21),
                        action: Action::SavedHtml {
                            file: "page-01/dom.html".into(),
                        },
                    },
                    Step {
                        at: at(10, 21, 5),
                        action: Action::Hashed { count: 5 },
                    },
                ],
                screenshots: vec![s1],
            },
            Target {
                url: "https://kyzdar-mirror.example.net/ads/777".into(),
                final_url: None,
                server_ip: Some("192.0.2.80".into()),
                title: Some(HOSTILE.into()),
                http_status: Some(200),
                tls: None,
                captured_at: at(10, 40, 0),
                partial: true,
                partial_reason: Some("страница не загрузилась полностью за 30 с".into()),
                steps: vec![
                    Step {
                        at: at(10, 39, 0),
                        action: Action::Open {
                            url: "https://kyzdar-mirror.example.net/ads/777".into(),
                        },
                    },
                    Step {
                        at: at(10, 39, 30),
                        action: Action::Timeout { seconds: 30 },
                    },
                    Step {
                        at: at(10, 40, 0),
                        action: Action::Note {
                            text: "Осмотр продолжен по загруженной части страницы".into(),
                        },
                    },
                    Step {
                        at: at(10, 41, 0),
                        action: Action::TimeStamped {
                            authority: "tsa.example.kz".into(),
                        },
                    },
                ],
                screenshots: vec![s2],
            },
        ],
        files,
        verification: Verification {
            public_key: "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29".into(),
            manifest_sha256: Some(sha256(b"manifest")),
            signature: None,
        },
        time_stamps: vec![TimeStamp {
            authority: "tsa.example.kz".into(),
            time: at(10, 41, 0),
            serial: "0x5A3F".into(),
            token_sha256: sha256(b"token"),
        }],
    }
}

/// Runs a poppler tool; fails with the package to install when it is missing.
fn poppler(tool: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}); install Debian package poppler-utils")
    });
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn pdftotext(pdf: &Path) -> String {
    let txt = pdf.with_extension("txt");
    poppler("pdftotext", &[pdf.to_str().unwrap(), txt.to_str().unwrap()]);
    std::fs::read_to_string(txt).unwrap()
}

/// Share of pixels darker than mid-grey in a PNG page.
fn dark_share(png_path: &Path) -> f64 {
    let mut dec = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut r = dec.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let px = &buf[..info.buffer_size()];
    let dark = px
        .chunks(ch)
        .filter(|p| p.iter().take(3.min(ch)).map(|&c| u32::from(c)).sum::<u32>() < 3 * 100)
        .count();
    dark as f64 / (info.width * info.height) as f64
}

fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("QORGAU_PROTOCOL_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(name), bytes).unwrap();
    }
}

#[test]
fn pdf_in_every_language_has_the_facts_and_renders() {
    let ins = sample();
    let dir = tempfile::tempdir().unwrap();
    for lang in Lang::ALL {
        let pdf = render_pdf(&ins, lang).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        keep(&format!("protocol-{lang}.pdf"), &pdf);
        let path = dir.path().join(format!("protocol-{lang}.pdf"));
        std::fs::write(&path, &pdf).unwrap();

        let text = pdftotext(&path);
        for c in KAZAKH_LETTERS.chars() {
            assert!(
                text.contains(c),
                "{lang}: Kazakh letter {c} missing from the PDF text"
            );
        }
        for t in &ins.targets {
            assert!(text.contains(&t.url), "{lang}: URL {} missing", t.url);
            if let Some(f) = &t.final_url {
                assert!(text.contains(f), "{lang}: final URL {f} missing");
            }
            assert!(
                text.contains(t.server_ip.as_deref().unwrap()),
                "{lang}: server IP"
            );
        }
        for f in &ins.files {
            assert!(
                text.contains(&f.sha256),
                "{lang}: SHA-256 of {} missing",
                f.name
            );
            assert!(text.contains(&f.md5), "{lang}: MD5 of {} missing", f.name);
        }
        for t in &ins.targets {
            for s in &t.screenshots {
                assert!(text.contains(&s.sha256), "{lang}: screenshot hash");
            }
        }
        // 10:20:00 UTC is 15:20:00 in Almaty (UTC+5 since March 2024).
        assert!(
            text.contains("2025-03-14 15:20:00"),
            "{lang}: Almaty start time"
        );
        assert!(
            text.contains("2025-03-14 10:20:00 UTC"),
            "{lang}: UTC start time"
        );
        assert!(text.contains("UTC+05:00"), "{lang}: Almaty offset");
        assert!(text.contains("203.0.113.45"), "{lang}: source address");
        assert!(text.contains("0.1.0 (abc1234)"), "{lang}: tool version");
        assert!(
            text.contains(&ins.verification.public_key),
            "{lang}: public key"
        );
        let manifest = ins.verification.manifest_sha256.as_deref().unwrap();
        assert!(text.contains(manifest), "{lang}: manifest hash");
        assert!(
            text.contains(&ins.time_stamps[0].token_sha256),
            "{lang}: time-stamp token hash"
        );
        assert!(
            text.contains("qorgau verify"),
            "{lang}: verification instructions"
        );
        assert!(
            text.contains(HOSTILE),
            "{lang}: hostile title printed as text"
        );
        let (heading, page1) = match lang {
            Lang::Ru => ("ПРОТОКОЛ", "стр. 1 из "),
            Lang::Kk => ("ХАТТАМА", "1-бет, барлығы "),
            Lang::En => ("RECORD OF INSPECTION", "page 1 of "),
        };
        assert!(text.contains(heading), "{lang}: heading");
        assert!(text.contains(page1), "{lang}: page numbers");

        // Pages: the 6000-pixel screenshot alone needs several.
        let prefix = dir.path().join(format!("page-{lang}"));
        poppler(
            "pdftoppm",
            &[
                "-png",
                "-r",
                "50",
                path.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let mut pages: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with(&format!("page-{lang}"))
            })
            .collect();
        pages.sort();
        assert!(pages.len() >= 6, "{lang}: only {} pages", pages.len());
        let n = pages.len();
        let last = match lang {
            Lang::Ru => format!("стр. {n} из {n}"),
            Lang::Kk => format!("{n}-бет, барлығы {n}"),
            Lang::En => format!("page {n} of {n}"),
        };
        assert!(
            text.contains(&last),
            "{lang}: footer of the last page ({last}) missing"
        );
        for p in &pages {
            let share = dark_share(p);
            assert!(
                share > 0.002,
                "{lang}: page {} looks blank ({share})",
                p.display()
            );
        }
    }
}

#[test]
fn tall_screenshot_is_split_not_cut() {
    let ins = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.pdf");
    std::fs::write(&path, render_pdf(&ins, Lang::Ru).unwrap()).unwrap();
    let text = pdftotext(&path);
    // 6000 px at ~0.535 pt/px is ~3200 pt: at least 4 A4 pages of image.
    let parts = text.matches("page-02/screenshot.png», продолжение").count();
    assert!(parts >= 3, "continuations: {parts}\n{text}");
    let last = format!("(часть {} из {})", parts + 1, parts + 1);
    assert!(text.contains(&last), "missing {last}");
}

#[test]
fn html_is_self_contained_and_escapes_everything() {
    let mut ins = sample();
    ins.targets[1].screenshots[0].name =
        "x\"><img src=http://evil.example/x onerror=alert(1)>.png".into();
    ins.case_title = HOSTILE.into();
    ins.targets[0].url = "https://jobs.example.kz/?a=1&b=<b>".into();
    for lang in Lang::ALL {
        let html = render_html(&ins, lang).unwrap();
        keep(&format!("protocol-{lang}.html"), html.as_bytes());
        assert!(!html.contains("<script"), "{lang}: unescaped script");
        assert!(!html.contains("<img src=http"), "{lang}: injected image");
        assert!(!html.contains("=<b>"), "{lang}: injected markup");
        assert!(
            html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;")
        );
        assert!(html.contains("https://jobs.example.kz/?a=1&amp;b=&lt;b&gt;"));
        // Nothing is loaded from outside: the only URLs are in text.
        for needle in ["src=\"http", "href=", "url(", "@import", "<link", "<script"] {
            assert!(
                !html.contains(needle),
                "{lang}: external reference {needle}"
            );
        }
        // Screenshots are embedded byte for byte.
        use base64::Engine as _;
        for t in &ins.targets {
            for s in &t.screenshots {
                let b64 = base64::engine::general_purpose::STANDARD.encode(&s.png);
                assert!(html.contains(&format!("src=\"data:image/png;base64,{b64}\"")));
            }
        }
        for f in &ins.files {
            assert!(html.contains(&f.sha256) && html.contains(&f.md5));
        }
        assert!(html.contains("2025-03-14&nbsp;15:20:00"));
        assert!(html.contains(&format!("<html lang=\"{}\">", lang.code())));
    }
}

#[test]
fn render_dispatches_on_format() {
    let ins = sample();
    let pdf = render(&ins, Lang::En, Format::Pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let html = render(&ins, Lang::En, "HTML".parse().unwrap()).unwrap();
    assert!(html.starts_with(b"<!DOCTYPE html>"));
    assert_eq!(
        "docx".parse::<Format>().unwrap_err().to_string(),
        "unknown protocol format \"docx\": expected pdf or html"
    );
}

#[test]
fn same_inspection_gives_the_same_pdf() {
    let ins = sample();
    assert_eq!(
        render_pdf(&ins, Lang::Kk).unwrap(),
        render_pdf(&ins, Lang::Kk).unwrap()
    );
}

#[test]
fn participants_get_their_own_signature_lines() {
    let mut ins = sample();
    ins.participants = vec![
        Participant {
            role: Role::Specialist,
            name: "Specialist Synthetic".into(),
            details: Some("инженер".into()),
        },
        Participant {
            role: Role::Witness,
            name: "Witness Synthetic".into(),
            details: None,
        },
    ];
    let html = render_html(&ins, Lang::Ru).unwrap();
    assert!(html.contains("Specialist Synthetic (специалист, инженер)"));
    assert!(html.contains(
        "<td>Понятой</td><td class=\"line\"></td><td class=\"line\">Witness Synthetic</td>"
    ));
    assert!(!html.contains("Понятой 2"));
    let blank = render_html(&sample(), Lang::Ru).unwrap();
    assert!(
        blank.contains("Понятой 1") && blank.contains("Понятой 2") && blank.contains("Специалист")
    );
}

#[test]
fn refuses_inconsistent_inspections() {
    let mut ins = sample();
    ins.targets[0].screenshots[0].sha256 = "00".repeat(32);
    match render_pdf(&ins, Lang::Ru) {
        Err(RenderError::ScreenshotHash { name, .. }) => assert_eq!(name, "page-01/screenshot.png"),
        other => panic!("expected a hash mismatch, got {other:?}"),
    }

    let mut ins = sample();
    ins.targets[0].screenshots[0].png = b"not a png".to_vec();
    ins.targets[0].screenshots[0].sha256 = sha256(b"not a png");
    assert!(matches!(
        render_html(&ins, Lang::En),
        Err(RenderError::BadPng { .. })
    ));

    let mut ins = sample();
    ins.files[0].sha256 = "xyz".into();
    let err = render_html(&ins, Lang::En).unwrap_err();
    assert_eq!(
        err.to_string(),
        "file page-01/capture.warc.gz: SHA-256 \"xyz\" is not 64 hex digits"
    );

    let mut ins = sample();
    ins.finished_at = at(9, 0, 0);
    assert!(matches!(
        render_pdf(&ins, Lang::Kk),
        Err(RenderError::TimeOrder { .. })
    ));
}

#[test]
fn inspection_round_trips_through_json() {
    let ins = sample();
    let json = serde_json::to_string(&ins).unwrap();
    assert!(json.contains("\"action\":\"redirect\""), "steps are tagged");
    assert!(
        json.contains("\"png\":\"iVBORw0KGgo"),
        "screenshots are base64"
    );
    let back: Inspection = serde_json::from_str(&json).unwrap();
    assert_eq!(back, ins);
}
