//! JSON Lines, plain text, CSV and HTML inputs, and format detection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Cursor;

use common::{assert_items, bytes, items};
use qorgau_sources::{Format, ReadOptions, SNIFF_BYTES, detect_format, html_to_document, read};
use serde_json::json;

#[test]
fn jsonl_good_lines_become_documents_and_bad_lines_errors_with_line_numbers() {
    let got = items("jsonl/ads.jsonl", Format::Auto, &ReadOptions::default());
    assert_items(
        &got,
        &[
            json!({
                "id": "olx-1001",
                "text": "Работа в Польше на складе, 1200€. Визу и билеты оформляем, оплата после приезда. WhatsApp +7 705 555 72 10",
                "url": "https://www.olx.example/d/obyavlenie/rabota-v-polshe-1001.html",
                "source": "olx",
                "author": "Кадровое агентство «Вектор»",
                "published_at": "2024-05-02T08:14:00+05:00"
            }),
            json!({
                "id": "ig-2002",
                "text": "Ищем девушек для фотосессий, оплата сразу 💸 Пиши в директ @model_casting_ast",
                "extra": {"lang": "ru", "likes": 14, "tags": ["модели", "астана"]}
            }),
            // Line 3 is empty and skipped.
            json!({"error": "jsonl/ads.jsonl:4: invalid JSON: EOF while parsing a string at column 61"}),
            json!({"error": "jsonl/ads.jsonl:5: missing field `text` (id no-text-4)"}),
            json!({"error": "jsonl/ads.jsonl:6: `text` must be a string, found a number (id num-text-5)"}),
            json!({"error": "jsonl/ads.jsonl:7: invalid UTF-8 at byte 37 of the line"}),
            json!({"error": "jsonl/ads.jsonl:8: expected a JSON object, found an array"}),
            // An integer id is taken as its decimal text; a CRLF line end is fine.
            json!({
                "id": "8",
                "text": "Сеулге жұмысқа шақырамыз, жалақы 2000$, тұрғын үй тегін. Тел: 8 (777) 555 44 33"
            }),
            json!({
                "id": "tt-9",
                "text": "Онлайн-работа для девушек 18+, от 50 000 ₸ в день, только общение. Подробнее в профиле",
                "source": "tiktok",
                "published_at": "2024-05-03T21:00:00Z"
            }),
            json!({"error": "jsonl/ads.jsonl:11: missing field `id`"}),
            json!({"error": "jsonl/ads.jsonl:12: `author` must be a string or null, found an object (id bad-author-12)"}),
        ],
    );
}

#[test]
fn jsonl_errors_carry_their_line() {
    let input = "{\"id\":\"a\",\"text\":\"x\"}\n\n  \nnot json\n";
    let mut it = read(
        "in.jsonl",
        Cursor::new(input),
        Format::Jsonl,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(it.next().unwrap().unwrap().id, "a");
    match it.next().unwrap() {
        Err(qorgau_sources::SourceError::Line {
            input,
            line,
            message,
        }) => {
            assert_eq!((input.as_str(), line), ("in.jsonl", 4));
            assert!(
                message.starts_with("invalid JSON: expected ident"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(it.next().is_none());
}

#[test]
fn jsonl_bom_and_missing_final_newline() {
    let input = "\u{feff}{\"id\":\"a\",\"text\":\"x\"}\r\n{\"id\":\"b\",\"text\":\"y\"}";
    let ids: Vec<String> = read(
        "-",
        Cursor::new(input),
        Format::Jsonl,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|d| d.unwrap().id)
    .collect();
    assert_eq!(ids, ["a", "b"]);
}

#[test]
fn jsonl_long_lines_are_read_and_overlong_lines_skipped() {
    let long = "Ж".repeat(150_000); // 300 KB of text on one line
    let input = format!(
        "{{\"id\":\"long\",\"text\":\"{long}\"}}\n{{\"id\":\"huge\",\"text\":\"{long}{long}\"}}\n{{\"id\":\"after\",\"text\":\"ok\"}}\n"
    );
    let opts = ReadOptions {
        max_line_bytes: 400_000,
        ..ReadOptions::default()
    };
    let got: Vec<_> = read("big.jsonl", Cursor::new(input), Format::Jsonl, &opts)
        .unwrap()
        .collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].as_ref().unwrap().text.len(), 300_000);
    assert_eq!(
        got[1].as_ref().unwrap_err().to_string(),
        "big.jsonl:2: line longer than 400000 bytes; skipped"
    );
    assert_eq!(got[2].as_ref().unwrap().id, "after");
}

#[test]
fn text_file_drops_bom_and_crlf() {
    assert_items(
        &items("text/ad.txt", Format::Auto, &ReadOptions::default()),
        &[json!({
            "id": "text/ad.txt",
            "text": "ВНИМАНИЕ! Работа в ОАЭ для девушек.\nОфициантки, хостес. Зарплата 3000$.\nПерелёт, виза, жильё — бесплатно.\nТел/WhatsApp: +971 50 555 1234\n"
        })],
    );
}

#[test]
fn text_file_in_windows_1251_is_decoded_with_a_warning() {
    assert_items(
        &items("text/ad-cp1251.txt", Format::Text, &ReadOptions::default()),
        &[json!({
            "id": "text/ad-cp1251.txt",
            "text": "Работа в Москве, вахта 30/30.\nЖильё и питание. Тел: 8 700 555 12 12\n",
            "extra": {"encoding_warning": "not UTF-8 and no charset declared; decoded as windows-1251 (guessed)"}
        })],
    );
}

#[test]
fn csv_with_semicolons_bom_multiline_fields_and_a_bad_row() {
    let opts = ReadOptions {
        csv_text_column: Some("Текст объявления".into()),
        ..ReadOptions::default()
    };
    assert_items(
        &items("csv/ads.csv", Format::Auto, &opts),
        &[
            json!({
                "id": "k-1",
                "text": "Требуются швеи в Турцию.\nЗарплата 700$; жильё бесплатно.",
                "url": "https://board.example/ad/1",
                "author": "ИП \"Мода Текстиль\"",
                "published_at": "2024-05-10",
                "extra": {"city": "Алматы"}
            }),
            json!({
                "id": "k-2",
                "text": "Работа в Корее на заводе, без языка. Тел 8 701 555 99 88",
                "url": "https://board.example/ad/2",
                "published_at": "2024-05-11",
                "extra": {"city": "Шымкент"}
            }),
            json!({"error": "csv/ads.csv: row 3 (line 4): expected 6 fields as in the header, found 7"}),
            json!({
                "id": "csv/ads.csv:4",
                "text": "Ищем моделей для съёмок в Дубае, \"всё включено\".\nПиши: @dubai_models_example",
                "extra": {"city": "Караганда"}
            }),
        ],
    );
}

#[test]
fn csv_without_a_text_column_says_which_columns_exist() {
    let err = read(
        "ads.csv",
        Cursor::new("id,body\n1,x\n"),
        Format::Csv,
        &ReadOptions::default(),
    )
    .err()
    .unwrap();
    assert_eq!(
        err.to_string(),
        "ads.csv: no `text` column; choose the text column with --text-column (the header has `id`, `body`)"
    );
    let err = read(
        "ads.csv",
        Cursor::new("id,body\n1,x\n"),
        Format::Csv,
        &ReadOptions {
            csv_text_column: Some("message".into()),
            ..ReadOptions::default()
        },
    )
    .err()
    .unwrap();
    assert_eq!(
        err.to_string(),
        "ads.csv: no column `message` (delimiter `,`); the header has `id`, `body`"
    );
}

#[test]
fn csv_tab_delimiter_given_or_detected_and_cp1251_fields() {
    let mut data = b"text\tauthor\tviews\n".to_vec();
    data.extend_from_slice(&[0xD0, 0xE0, 0xE1, 0xEE, 0xF2, 0xE0]); // «Работа» in windows-1251
    data.extend_from_slice(b"\tHR\t12\n");
    let docs: Vec<_> = read(
        "a.tsv",
        Cursor::new(data),
        Format::Csv,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|d| serde_json::to_value(d.unwrap()).unwrap())
    .collect();
    assert_eq!(
        docs,
        [json!({
            "id": "a.tsv:1",
            "text": "Работа",
            "author": "HR",
            "extra": {"views": "12", "encoding_warning": "not UTF-8; decoded as windows-1251 (guessed)"}
        })]
    );
    let docs: Vec<_> = read(
        "x",
        Cursor::new("text|id\nпривет|7\n"),
        Format::Csv,
        &ReadOptions {
            csv_delimiter: Some(b'|'),
            ..ReadOptions::default()
        },
    )
    .unwrap()
    .map(|d| d.unwrap())
    .collect();
    assert_eq!(
        (docs[0].id.as_str(), docs[0].text.as_str()),
        ("7", "привет")
    );
}

/// Text hidden by a stylesheet class («скрытый текст для поисковиков») is
/// kept: without applying CSS it cannot be told from visible text; inline
/// `display:none` and `hidden` are honoured.
#[test]
fn html_job_page_gives_visible_text_links_and_meta() {
    assert_items(
        &items("html/jobs.html", Format::Auto, &ReadOptions::default()),
        &[json!({
            "id": "html/jobs.html",
            "text": "Вакансии за рубежом — Работа для девушек | JobAbroad.example\n\n\
                     Главная | Вакансии | Контакты\n\n\
                     Работа для девушек за рубежом\n\n\
                     Хостес в Дубае — от 3000 $\n\n\
                     Требуются девушки 18–28 лет, приятной внешности. Знание английского не обязательно.\n\n\
                     Проживание и перелёт за счёт компании\nОплата ежедневно\n\n\
                     Звоните: 8 701 555 77 88 или напишите в WhatsApp\n\n\
                     Массажистки в Стамбул\n\n\
                     Салон в центре, клиенты — иностранцы. Доход от 100 000 тг в день.\nАнкету отправляйте на почту.\n\n\
                     Город Оплата\nСтамбул ежедневно\n\n\
                     Откликнуться\n\n\
                     скрытый текст для поисковиков\n\
                     © 2024 JobAbroad.example · Наш Telegram\n\
                     https://wa.me/77015557788?text=%D0%94%D1%83%D0%B1%D0%B0%D0%B9\n\
                     mailto:istanbul.salon@mail.example\n\
                     https://t.me/jobabroad_example",
            "url": "https://jobabroad.example/vakansii/devushki",
            "source": "jobabroad.example",
            "author": "JobAbroad",
            "published_at": "2024-05-14T09:30:00+05:00",
            "extra": {
                "canonical": "https://jobabroad.example/vakansii/devushki",
                "description": "Свежие вакансии в ОАЭ, Турции и Корее. Без опыта, проживание бесплатно.",
                "lang": "ru",
                "links": [
                    "https://jobabroad.example/",
                    "https://jobabroad.example/vakansii/devushki",
                    "https://jobabroad.example/kontakty",
                    "tel:+77015557788",
                    "https://wa.me/77015557788?text=%D0%94%D1%83%D0%B1%D0%B0%D0%B9",
                    "mailto:istanbul.salon@mail.example",
                    "https://jobabroad.example/vakansii/apply?id=77",
                    "https://t.me/jobabroad_example"
                ],
                "meta": {
                    "article:published_time": "2024-05-14T09:30:00+05:00",
                    "author": "JobAbroad",
                    "description": "Свежие вакансии в ОАЭ, Турции и Корее. Без опыта, проживание бесплатно.",
                    "og:title": "Вакансии за рубежом",
                    "og:type": "article",
                    "og:url": "https://jobabroad.example/vakansii/devushki"
                },
                "title": "Вакансии за рубежом — Работа для девушек | JobAbroad.example"
            }
        })],
    );
}

#[test]
fn html_page_fields_with_a_page_url() {
    let page = html_to_document(
        "https://mirror.example/x/page.html",
        &bytes("html/jobs.html"),
    );
    assert_eq!(
        page.title.as_deref(),
        Some("Вакансии за рубежом — Работа для девушек | JobAbroad.example")
    );
    // `<base href>` wins over the page URL for resolving links.
    assert_eq!(
        page.base_url.as_deref(),
        Some("https://jobabroad.example/vakansii/")
    );
    assert_eq!(
        page.document.url.as_deref(),
        Some("https://mirror.example/x/page.html")
    );
    assert_eq!(page.document.source.as_deref(), Some("mirror.example"));
    assert_eq!(
        page.published_time.as_deref(),
        Some("2024-05-14T09:30:00+05:00")
    );
    assert_eq!(page.lang.as_deref(), Some("ru"));
    assert!(
        page.text
            .starts_with("Главная | Вакансии | Контакты\n\nРабота для девушек за рубежом")
    );
    assert!(!page.text.contains("Включите JavaScript"));
    assert!(!page.text.contains("ещё скрытый"));
    assert!(!page.text.contains("шаблон"));
    assert!(!page.text.contains("dataLayer"));
    // On another host, the page's own links are hidden links too.
    assert!(page.document.text.ends_with(
        "\nhttps://jobabroad.example/vakansii/apply?id=77\nhttps://t.me/jobabroad_example"
    ));
}

#[test]
fn html_in_windows_1251_declared_by_meta() {
    assert_items(
        &items("html/cp1251.html", Format::Auto, &ReadOptions::default()),
        &[json!({
            "id": "html/cp1251.html",
            "text": "Работа вахтой\n\nВахта на Севере, 60/30. Тел.: 8 700 555 30 30",
            "extra": {"title": "Работа вахтой"}
        })],
    );
}

#[test]
fn html_base_url_option_resolves_relative_links() {
    let opts = ReadOptions {
        base_url: Some("https://site.example/a/".into()),
        ..ReadOptions::default()
    };
    let docs: Vec<_> = read(
        "page.html",
        Cursor::new("<p>Пишите <a href='../contact'>нам</a> или <a href='https://wa.me/77015550000'>в WA</a></p>"),
        Format::Html,
        &opts,
    )
    .unwrap()
    .map(|d| d.unwrap())
    .collect();
    assert_eq!(
        docs[0].text,
        "Пишите нам или в WA\nhttps://wa.me/77015550000"
    );
    assert_eq!(docs[0].url.as_deref(), Some("https://site.example/a/"));
    assert_eq!(
        docs[0].extra["links"],
        json!(["https://site.example/contact", "https://wa.me/77015550000"])
    );
}

#[test]
fn format_names_and_detection() {
    for (name, f) in [
        ("auto", Format::Auto),
        ("jsonl", Format::Jsonl),
        ("telegram", Format::Telegram),
        ("telegram-web", Format::TelegramWeb),
        ("html", Format::Html),
        ("text", Format::Text),
        ("csv", Format::Csv),
    ] {
        assert_eq!(name.parse::<Format>().unwrap(), f);
        assert_eq!(f.to_string(), name);
    }
    assert_eq!(
        "xml".parse::<Format>().unwrap_err().to_string(),
        "unknown format `xml` (expected auto, jsonl, telegram, telegram-web, html, text or csv)"
    );

    let head = |p: &str| {
        let b = bytes(p);
        b[..b.len().min(SNIFF_BYTES)].to_vec()
    };
    assert_eq!(detect_format("ads.jsonl", b""), Format::Jsonl);
    assert_eq!(detect_format("x/ads.NDJSON", b""), Format::Jsonl);
    assert_eq!(
        detect_format("result.json", &head("telegram/single_chat/result.json")),
        Format::Telegram
    );
    assert_eq!(
        detect_format("result.json", &head("telegram/account/result.json")),
        Format::Telegram
    );
    assert_eq!(
        detect_format("ads.json", &head("jsonl/ads.jsonl")),
        Format::Jsonl
    );
    assert_eq!(detect_format("-", &head("jsonl/ads.jsonl")), Format::Jsonl);
    assert_eq!(
        detect_format("-", &head("telegram/account/result.json")),
        Format::Telegram
    );
    assert_eq!(
        detect_format(
            "-",
            b"{\"name\":\"x\",\"type\":\"public_channel\",\"id\":1,\"messages\":[]}"
        ),
        Format::Telegram
    );
    assert_eq!(
        detect_format("page.html", &head("telegram_web/channel.html")),
        Format::TelegramWeb
    );
    assert_eq!(
        detect_format("page.htm", &head("html/jobs.html")),
        Format::Html
    );
    assert_eq!(
        detect_format("-", &head("telegram_web/channel.html")),
        Format::TelegramWeb
    );
    assert_eq!(detect_format("-", &head("html/jobs.html")), Format::Html);
    assert_eq!(detect_format("notes.txt", b"{\"id\":1}"), Format::Text);
    assert_eq!(detect_format("-", &head("text/ad.txt")), Format::Text);
    assert_eq!(detect_format("ads.csv", b""), Format::Csv);
    assert_eq!(detect_format("ads.TSV", b""), Format::Csv);
    assert_eq!(detect_format(".jsonl", b"hello"), Format::Text);
}
