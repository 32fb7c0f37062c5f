//! Telegram Desktop exports and t.me/s channel pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Cursor;

use common::{assert_items, bytes, items};
use qorgau_sources::{
    Format, ReadOptions, SourceError, read, telegram_web_page, telegram_web_posts,
};
use serde_json::{Value, json};

const CHANNEL: &str = "Работа за рубежом | Вакансии KZ";

fn channel_extra(date: &str, more: Value) -> Value {
    let mut extra = json!({
        "chat_name": CHANNEL,
        "chat_type": "public_channel",
        "date": date,
        "from_id": "channel1876543210"
    });
    for (k, v) in more.as_object().unwrap() {
        extra[k] = v.clone();
    }
    extra
}

fn channel_post(id: u32, text: &str, published: &str, date: &str, more: Value) -> Value {
    json!({
        "id": format!("tg:1876543210:{id}"),
        "text": text,
        "url": format!("https://t.me/rabota_zarubezhom_kz/{id}"),
        "source": "telegram:@rabota_zarubezhom_kz",
        "author": CHANNEL,
        "published_at": published,
        "extra": channel_extra(date, more)
    })
}

#[test]
fn single_chat_export_with_a_known_username() {
    let opts = ReadOptions {
        telegram_username: Some("rabota_zarubezhom_kz".into()),
        ..ReadOptions::default()
    };
    assert_items(
        &items("telegram/single_chat/result.json", Format::Auto, &opts),
        &[
            // Message 1 is a service message (channel created): skipped.
            channel_post(
                2,
                "🇰🇷 Требуются девушки 18-25 лет на работу в Корею (кафе, караоке). Зарплата от 1500$ в неделю, жильё и перелёт за счёт работодателя. Опыт не нужен, знание языка не обязательно. Звоните: 8 701 555 01 23",
                "2024-03-11T05:15:42Z",
                "2024-03-11T10:15:42",
                json!({}),
            ),
            // Entity array; the text_link's hidden URL is appended on its own line.
            channel_post(
                3,
                "СРОЧНО! Дубай, ОАЭ\nХостес в ночной клуб, оплата ежедневно. Документы оформляем сами, паспорт передаёте менеджеру.\nПодробности: написать в WhatsApp или @dubai_hostess_manager\nТел: +7 (747) 555-33-21 #работа_дубай\nhttps://wa.me/77015550145",
                "2024-03-11T13:40:05Z",
                "2024-03-11T18:40:05",
                json!({}),
            ),
            channel_post(
                4,
                "Анкета для кастинга моделей в Стамбуле: https://kasting-model.example/anketa\nПредоплата за портфолио 15 000 тг на карту 4400 4301 2345 6789.",
                "2024-03-12T06:02:19Z",
                "2024-03-12T11:02:19",
                // The photo is not in the fixture: recorded with a note naming it.
                json!({"photo": "photos/photo_1@12-03-2024_11-02-19.jpg", "photo_file_size": 183244, "width": 1080, "height": 1350,
                       "images": [{"path": "photos/photo_1@12-03-2024_11-02-19.jpg", "note": "photos/photo_1@12-03-2024_11-02-19.jpg: not found beside the export"}]}),
            ),
            channel_post(
                5,
                "Түркияға жұмысқа шақырамыз! Қонақ үйде даяшы, айлығы 900$. Тұрғын үй тегін. Жазыңыз: @turkiya_jumys",
                "2024-03-13T03:30:00Z",
                "2024-03-13T08:30:00",
                json!({"forwarded_from": "Визы и работа | Турция"}),
            ),
            // Message 6 (a pin) is a service message.
            channel_post(
                7,
                "Места в Дубай закончились, набор в Сеул продолжается.",
                "2024-03-13T16:07:55Z",
                "2024-03-13T21:07:55",
                json!({"reply_to_message_id": 3, "edited": "2024-03-13T21:09:01", "edited_unixtime": "1710346141"}),
            ),
            // A photo without caption is still a document (empty text).
            channel_post(
                8,
                "",
                "2024-03-14T07:00:00Z",
                "2024-03-14T12:00:00",
                json!({"photo": "photos/photo_2@14-03-2024_12-00-00.jpg", "width": 1280, "height": 960,
                       "images": [{"path": "photos/photo_2@14-03-2024_12-00-00.jpg", "note": "photos/photo_2@14-03-2024_12-00-00.jpg: not found beside the export"}]}),
            ),
            // The text_link's target is already visible: nothing appended.
            channel_post(
                9,
                "Наш сайт: job-seoul.example/vakansii (анкета на русском и казахском)",
                "2024-03-14T07:05:30Z",
                "2024-03-14T12:05:30",
                json!({}),
            ),
        ],
    );
}

#[test]
fn single_chat_export_without_username_uses_the_chat_name() {
    let got = items(
        "telegram/single_chat/result.json",
        Format::Telegram,
        &ReadOptions::default(),
    );
    assert_eq!(got.len(), 7);
    for doc in &got {
        assert_eq!(doc["source"], json!(format!("telegram:{CHANNEL}")));
        assert!(doc.get("url").is_none());
    }
}

#[test]
fn whole_account_export_reads_every_chat_and_no_personal_data() {
    let got = items(
        "telegram/account/result.json",
        Format::Auto,
        &ReadOptions::default(),
    );
    assert_items(
        &got,
        &[
            json!({
                "id": "tg:5550000003:101",
                "text": "Здравствуйте! Работа в Сеуле, массажный салон, 3000$ в месяц. Билет купим, долг вернёте с первой зарплаты. Паспорт заберём на оформление. Пишите сюда: Telegram, почта seoul.job.recruit@mail.example\nhttps://t.me/seoul_massage_job",
                "source": "telegram:private",
                "author": "Менеджер Сеул",
                "published_at": "2024-04-02T14:20:00Z",
                "extra": {"chat_name": "Менеджер Сеул", "chat_type": "personal_chat", "date": "2024-04-02T19:20:00", "from_id": "user5550000003"}
            }),
            json!({
                "id": "tg:5550000003:102",
                "text": "А какие документы нужны?",
                "source": "telegram:private",
                "author": "Тест Тестов",
                "published_at": "2024-04-02T14:25:13Z",
                "extra": {"chat_name": "Менеджер Сеул", "chat_type": "personal_chat", "date": "2024-04-02T19:25:13", "from_id": "user5550000001", "reply_to_message_id": 101}
            }),
            // 103 is a service message (a phone call).
            json!({
                "id": "tg:1700000001:57",
                "text": "Кто ехал через агентство «Сеул Стар»? Говорят, забирают паспорт и держат в квартире-студии.",
                "source": "telegram:Работа в Корее 🇰🇷 чат",
                "author": "Айдос",
                "published_at": "2024-04-05T09:12:40Z",
                "extra": {"chat_name": "Работа в Корее 🇰🇷 чат", "chat_type": "public_supergroup", "date": "2024-04-05T14:12:40", "forwarded_from": "Отзывы о работе за границей", "from_id": "user5550000004"}
            }),
            json!({
                "id": "tg:1700000001:58",
                "text": "",
                "source": "telegram:Работа в Корее 🇰🇷 чат",
                "author": "Админ",
                "published_at": "2024-04-05T09:15:02Z",
                "extra": {"chat_name": "Работа в Корее 🇰🇷 чат", "chat_type": "public_supergroup", "date": "2024-04-05T14:15:02", "file": "stickers/sticker.webp", "from_id": "user5550000005", "height": 512, "media_type": "sticker", "sticker_emoji": "👍", "thumbnail": "stickers/sticker.webp_thumb.jpg", "width": 512}
            }),
            json!({
                "id": "tg:5550000001:7",
                "text": "Проверить номер +82 10 5555 1234 и кошелёк TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE",
                "source": "telegram:private",
                "author": "Тест Тестов",
                "published_at": "2024-04-06T03:00:00Z",
                "extra": {"chat_type": "saved_messages", "date": "2024-04-06T08:00:00", "from_id": "user5550000001"}
            }),
            // From left_chats.
            json!({
                "id": "tg:1600000002:12",
                "text": "Вебкам-студия в Алматы ищет моделей 18+. Доход от 500 000 тг. Квартира-студия предоставляется. Анкета\nhttps://forms.example/webcam-almaty",
                "source": "telegram:Модельное агентство | кастинг",
                "author": "Модельное агентство | кастинг",
                "published_at": "2024-02-20T11:45:00Z",
                "extra": {"chat_name": "Модельное агентство | кастинг", "chat_type": "private_channel", "date": "2024-02-20T16:45:00", "from_id": "channel1600000002"}
            }),
        ],
    );
    let all = serde_json::to_string(&got).unwrap();
    assert!(
        !all.contains("+7 700 555 0000"),
        "personal_information leaked"
    );
    assert!(!all.contains("Вымышленный"), "contacts leaked");
}

#[test]
fn bad_messages_are_error_items_with_their_line_and_reading_goes_on() {
    let export = r#"{
 "name": "Тест",
 "type": "private_group",
 "id": 42,
 "messages": [
  {
   "id": 1,
   "type": "message",
   "text": "первое"
  },
  "not a message",
  {
   "type": "message",
   "text": "без id"
  },
  {
   "id": 4,
   "type": "message",
   "text": 12345
  },
  {
   "id": 5,
   "type": "message",
   "date": "2024-01-01T10:00:00",
   "date_unixtime": "not a number",
   "from": null,
   "text_entities": [{"type": "plain", "text": "из text_entities "}, {"type": "text_link", "text": "ссылка", "href": "https://forms.example/x"}]
  }
 ]
}"#;
    let got: Vec<Value> = read(
        "chat.json",
        Cursor::new(export),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|i| match i {
        Ok(d) => serde_json::to_value(d).unwrap(),
        Err(e) => json!({"error": e.to_string()}),
    })
    .collect();
    assert_items(
        &got,
        &[
            json!({"id": "tg:42:1", "text": "первое", "source": "telegram:Тест", "extra": {"chat_name": "Тест", "chat_type": "private_group"}}),
            json!({"error": "chat.json:11: chat 42: a message must be an object, found a string"}),
            json!({"error": "chat.json:12: chat 42: message without `id`"}),
            json!({"error": "chat.json:16: chat 42: message 4: `text` must be a string or an array, found a number"}),
            json!({
                "id": "tg:42:5",
                "text": "из text_entities ссылка\nhttps://forms.example/x",
                "source": "telegram:Тест",
                "published_at": "2024-01-01T10:00:00",
                "extra": {"chat_name": "Тест", "chat_type": "private_group", "date": "2024-01-01T10:00:00", "date_unixtime": "not a number"}
            }),
        ],
    );
}

#[test]
fn broken_json_ends_the_stream_with_line_and_column() {
    let export = "{\n \"name\": \"x\",\n \"id\": 1,\n \"messages\": [\n  {\"id\": 1, \"text\": \"ok\"},\n  {\"id\": 2, \"text\": \"oops}";
    let got: Vec<_> = read(
        "cut.json",
        Cursor::new(export),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap()
    .collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].as_ref().unwrap().id, "tg:1:1");
    match &got[1] {
        Err(SourceError::Json {
            input,
            line,
            message,
            ..
        }) => {
            assert_eq!((input.as_str(), *line), ("cut.json", 6));
            assert_eq!(message, "EOF while parsing a string");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn json_that_is_not_an_export_is_reported() {
    let got: Vec<_> = read(
        "x.json",
        Cursor::new("{\"about\": \"x\", \"contacts\": {\"list\": []}}"),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|i| i.unwrap_err().to_string())
    .collect();
    assert_eq!(
        got,
        [
            "x.json: not a Telegram Desktop export (expected an object with `messages` or `chats.list`); use --format jsonl for JSON Lines"
        ]
    );
    let got: Vec<_> = read(
        "y.json",
        Cursor::new("[1, 2]"),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|i| i.unwrap_err().to_string())
    .collect();
    assert_eq!(
        got,
        [
            "y.json:1:1: invalid JSON: invalid type: sequence, expected a Telegram Desktop export (an object with `messages` or `chats`)"
        ]
    );
}

#[test]
fn dropping_the_stream_early_stops_the_worker() {
    let mut export =
        String::from("{\"name\":\"big\",\"type\":\"public_channel\",\"id\":9,\"messages\":[");
    for i in 0..20_000 {
        if i > 0 {
            export.push(',');
        }
        export.push_str(&format!(
            "{{\"id\":{i},\"type\":\"message\",\"text\":\"m{i}\"}}"
        ));
    }
    export.push_str("]}");
    let mut it = read(
        "big.json",
        Cursor::new(export),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(it.next().unwrap().unwrap().text, "m0");
    drop(it); // must not hang or panic
}

#[test]
fn channel_page_posts() {
    let expected_extra = |more: Value| {
        let mut e = json!({"channel_title": "Работа в Корее | Вакансии 🇰🇷"});
        for (k, v) in more.as_object().unwrap() {
            e[k] = v.clone();
        }
        e
    };
    let post = |id: u32, text: &str, author: &str, time: &str, more: Value| {
        json!({
            "id": format!("tg:@rabota_korea_kz:{id}"),
            "text": text,
            "url": format!("https://t.me/rabota_korea_kz/{id}"),
            "source": "telegram:@rabota_korea_kz",
            "author": author,
            "published_at": time,
            "extra": expected_extra(more)
        })
    };
    let owner = "Работа в Корее | Вакансии 🇰🇷";
    assert_items(
        &items(
            "telegram_web/channel.html",
            Format::Auto,
            &ReadOptions::default(),
        ),
        &[
            // Emoji from <i class="emoji"><b>…</b></i>, <br> as newlines, a
            // mention link not repeated, hashtag search links not appended.
            post(
                1201,
                "🔥 Набор на завод в Ансане!\n\nМужчины и женщины 20–45 лет. Зарплата 2 500 000 вон, общежитие бесплатно.\nВиза Е-9 & С-3 — поможем оформить.\n\nПишите @manager_korea или звоните +7 702 555 18 40\n#корея #работа",
                owner,
                "2024-04-05T09:12:30+00:00",
                json!({"views": "2.3K"}),
            ),
            // A photo; the WhatsApp link's hidden target appended.
            post(
                1202,
                "Девушки, работа в кафе Сеула ☕\nБез опыта, без языка, жильё рядом с работой. Оплата каждый день.\nНаписать в WhatsApp\nhttps://wa.me/77025551841",
                owner,
                "2024-04-05T13:40:02+00:00",
                json!({"views": "1.9K", "photos": ["https://cdn4.telesco.pe/file/synthetic-photo-1202.jpg"],
                       "images": [{"url": "https://cdn4.telesco.pe/file/synthetic-photo-1202.jpg"}]}),
            ),
            // Forwarded, with a signature.
            post(
                1203,
                "Анталья, отель 5*: горничные и официантки.\nАйлық 800$ + тамақ, тұрғын үй тегін.\nАнкета: anketa-turkey.example/form?id=7",
                "Асель",
                "2024-04-06T04:05:59+00:00",
                json!({"views": "845", "forwarded_from": {"name": "Визы и работа | Турция", "url": "https://t.me/vizy_turkey/88"}}),
            ),
            // 1204 is a service message. 1205 replies to 1202: the quote is
            // not part of the text; it was edited.
            post(
                1205,
                "Набор в кафе закрыт. Следующий набор — в мае, анкеты на почту kafe.seoul.hr@mail.example",
                owner,
                "2024-04-07T10:00:00+00:00",
                json!({"views": "1.1K", "edited": true, "reply_to": "https://t.me/rabota_korea_kz/1202"}),
            ),
            // An album without caption.
            post(
                1206,
                "",
                owner,
                "2024-04-07T15:20:45+00:00",
                json!({"views": "3K", "photos": ["https://cdn4.telesco.pe/file/synthetic-photo-1206a.jpg", "https://cdn4.telesco.pe/file/synthetic-photo-1206b.jpg"],
                       "images": [{"url": "https://cdn4.telesco.pe/file/synthetic-photo-1206a.jpg"}, {"url": "https://cdn4.telesco.pe/file/synthetic-photo-1206b.jpg"}]}),
            ),
        ],
    );
}

#[test]
fn channel_page_pagination_and_header() {
    let page = telegram_web_page(&bytes("telegram_web/channel.html")).unwrap();
    assert_eq!(page.channel.as_deref(), Some("rabota_korea_kz"));
    assert_eq!(
        page.channel_title.as_deref(),
        Some("Работа в Корее | Вакансии 🇰🇷")
    );
    assert_eq!(page.before, Some(1201));
    assert_eq!(
        page.prev_url.as_deref(),
        Some("https://t.me/s/rabota_korea_kz?before=1201")
    );
    assert_eq!(page.next_url, None);
    assert_eq!(page.posts.len(), 5);

    // The last page of a channel: no "more" link, a `next` link.
    let html = r#"<html><head><link rel="next" href="/s/kanal_x?after=20"></head><body><section class="tgme_channel_history js-message_history"></section></body></html>"#;
    let page = telegram_web_page(html.as_bytes()).unwrap();
    assert_eq!(
        (page.before, page.prev_url, page.posts.len()),
        (None, None, 0)
    );
    assert_eq!(
        page.next_url.as_deref(),
        Some("https://t.me/s/kanal_x?after=20")
    );
}

#[test]
fn a_page_that_is_not_a_channel_preview_is_refused() {
    assert!(matches!(
        telegram_web_posts(&bytes("html/jobs.html")),
        Err(SourceError::NotTelegramWeb)
    ));
    let got: Vec<_> = read(
        "jobs.html",
        Cursor::new(bytes("html/jobs.html")),
        Format::TelegramWeb,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|i| i.unwrap_err().to_string())
    .collect();
    assert_eq!(
        got,
        [
            "jobs.html: not a Telegram channel preview page (no `tgme_` markup found); use --format html for other pages"
        ]
    );
}
