//! The pages: each one exercises something a capture must get right.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use crate::server::App;
use crate::telegram;

/// Pages `/page/1` … `/page/50`, each with a stylesheet, a script and three
/// images: the benchmark set.
pub const BENCH_PAGES: usize = 50;

/// Size of `/huge` in bytes (at least).
pub const HUGE_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Images of `/lazy` that load only once scrolled into view: two with
/// `loading=lazy`, one set by a script from an `IntersectionObserver`.
pub const LAZY_IMAGES: [&str; 3] = [
    "/img/lazy-native-1.png",
    "/img/lazy-native-2.png",
    "/img/lazy-observer.png",
];

/// The part of `/never` that is sent before the server stops sending
/// (the connection stays open).
pub const NEVER_FIRST_CHUNK: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Страница, которая не догружается</title></head><body><h1>Вакансия: официантка в Анталье</h1><p>Начало объявления пришло, конец так и не придёт.</p><img src=\"/img/never.png\" alt=\"фото\">";

/// The text of the advertisement on `/ad` (synthetic; the handle, number
/// and wallet are made up).
pub fn ad_text() -> &'static str {
    "Работа для девушек в Дубае! Хостес в ночной клуб, 18–25 лет, без опыта. \
     Зарплата от 3000$ в месяц, билеты и визу оплачиваем, паспорт оформим сами. \
     Пишите в Telegram @synthetic_dubai_job или WhatsApp +7 700 000 00 17. \
     Дубайда жұмыс, тәжірибе қажет емес, құжаттарды өзіміз рәсімдейміз."
}

/// Resources `/page/N` loads: stylesheet, script and images, as paths.
pub fn bench_page_resources(n: usize) -> Vec<String> {
    vec![
        "/static/site.css".to_owned(),
        "/static/site.js".to_owned(),
        format!("/img/page-{n}-a.png"),
        format!("/img/page-{n}-b.png"),
        format!("/img/page-{n}-c.png"),
    ]
}

pub(crate) fn router() -> App {
    Router::new()
        .route("/", get(index))
        .route("/ad", get(ad))
        .route("/r1", get(|| async { Redirect::to("/r2") }))
        .route("/r2", get(|| async { Redirect::permanent("/ad") }))
        .route("/lazy", get(lazy))
        .route("/never", get(never))
        .route("/gone", get(gone))
        .route("/cp1251", get(cp1251))
        .route("/huge", get(huge))
        .route("/changing", get(changing))
        .route("/page/{n}", get(bench_page))
        .route("/static/site.css", get(css))
        .route("/static/site.js", get(js))
        .route("/img/{name}", get(image))
        .route("/s/{channel}", get(telegram::channel_page))
}

fn html(body: String) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

async fn index() -> Response {
    let mut links = String::new();
    for p in ["/ad", "/r1", "/lazy", "/never", "/gone", "/cp1251", "/huge"] {
        links.push_str(&format!("<li><a href=\"{p}\">{p}</a></li>"));
    }
    for n in 1..=BENCH_PAGES {
        links.push_str(&format!("<li><a href=\"/page/{n}\">Страница {n}</a></li>"));
    }
    html(format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Тестовый сайт Qorgau</title></head><body><h1>Тестовый сайт</h1><ul>{links}</ul></body></html>"
    ))
}

async fn ad() -> Response {
    html(format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\">\
         <title>Работа в Дубае — хостес</title>\
         <link rel=\"stylesheet\" href=\"/static/site.css\"></head>\
         <body><h1>Работа в Дубае</h1><p class=\"ad\">{}</p>\
         <img src=\"/img/ad-photo-1.png\" alt=\"фото 1\"><img src=\"/img/ad-photo-2.png\" alt=\"фото 2\">\
         <p><a href=\"https://t.me/synthetic_dubai_job\">Telegram</a> · \
         <a href=\"https://wa.me/77000000017\">WhatsApp</a> · <a href=\"/page/1\">Другие вакансии</a></p>\
         <script src=\"/static/site.js\"></script></body></html>",
        ad_text()
    ))
}

async fn lazy() -> Response {
    let filler: String = (0..60)
        .map(|i| {
            format!("<p style=\"height:80px\">Абзац {i}: длинная страница, картинки внизу.</p>")
        })
        .collect();
    html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Ленивая загрузка</title></head><body>\
         <h1>Картинки подгружаются при прокрутке</h1>{filler}\
         <img loading=\"lazy\" src=\"{}\" width=\"200\" height=\"150\" alt=\"lazy 1\">\
         <div style=\"height:1500px\"></div>\
         <img loading=\"lazy\" src=\"{}\" width=\"200\" height=\"150\" alt=\"lazy 2\">\
         <div style=\"height:1500px\"></div>\
         <img id=\"observed\" data-src=\"{}\" width=\"200\" height=\"150\" alt=\"observed\">\
         <script>\
         new IntersectionObserver(function (entries, obs) {{\
           entries.forEach(function (e) {{ if (e.isIntersecting) {{ e.target.src = e.target.dataset.src; obs.unobserve(e.target); }} }});\
         }}).observe(document.getElementById('observed'));\
         </script></body></html>",
        LAZY_IMAGES[0], LAZY_IMAGES[1], LAZY_IMAGES[2]
    ))
}

/// Sends the first chunk, then keeps the connection open and sends nothing.
async fn never() -> Response {
    let first = futures_util::stream::once(async {
        Ok::<_, std::io::Error>(axum::body::Bytes::from_static(NEVER_FIRST_CHUNK.as_bytes()))
    });
    let stall = futures_util::stream::unfold((), |()| async {
        tokio::time::sleep(Duration::from_secs(3600)).await;
        Some((Ok(axum::body::Bytes::from_static(b" ")), ()))
    });
    let body = Body::from_stream(futures_util::StreamExt::chain(first, stall));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        body,
    )
        .into_response()
}

/// Requests of `/changing` so far.
static CHANGING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// An ad that is edited every time it is fetched: the salary goes up, the
/// contact number changes, the photo is replaced, a link is added — what
/// comparing two captures must show.
async fn changing() -> Response {
    let n = CHANGING.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
    html(format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Работа в Сеуле</title></head><body>\
         <h1>Работа в Сеуле</h1><p>Зарплата {} 000 вон в день.</p><p>Проживание бесплатно.</p>\
         <p>Звоните +7 700 000 01 {n:02}</p><img src=\"/img/changing-{n}.png\" alt=\"фото\">\
         <p><a href=\"https://t.me/synthetic_seoul_{n}\">Telegram</a></p></body></html>",
        100 + n * 10
    ))
}

async fn gone() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 — объявление удалено</title></head><body><h1>Объявление удалено</h1></body></html>",
    )
        .into_response()
}

/// Russian and Kazakh text encoded as windows-1251 (which has no ә ғ қ ң
/// ө ұ ү һ, so the Kazakh line keeps to letters it has, as old sites do),
/// declared only in the `Content-Type` header.
pub const CP1251_TEXT: &str = "Срочно требуются продавцы на рынок в Алматы. Оплата ежедневно, жильё предоставляем. Звонить 8 700 000 00 23.";

async fn cp1251() -> Response {
    let page = format!(
        "<!DOCTYPE html><html><head><title>Вакансии — Алматы</title></head><body><h1>Вакансии</h1><p>{CP1251_TEXT}</p></body></html>"
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=windows-1251"),
        )],
        bytes.into_owned(),
    )
        .into_response()
}

async fn huge() -> Response {
    let mut page = String::with_capacity(HUGE_PAGE_BYTES + 4096);
    page.push_str("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Очень длинная страница</title></head><body><h1>Архив объявлений</h1>");
    let mut i = 0;
    while page.len() < HUGE_PAGE_BYTES {
        page.push_str(&format!(
            "<p>Объявление {i}: сдаётся квартира в Астане, {} комнат, этаж {}. Хабарласыңыз, бағасы келісімді.</p>",
            1 + i % 4,
            1 + i % 12
        ));
        i += 1;
    }
    page.push_str("<p id=\"last\">Конец архива.</p></body></html>");
    html(page)
}

async fn bench_page(Path(n): Path<usize>) -> Response {
    if n == 0 || n > BENCH_PAGES {
        return gone().await;
    }
    let paragraphs: String = (0..12)
        .map(|i| {
            format!(
                "<p>Раздел {i} страницы {n}. Работа за рубежом, официальное трудоустройство, \
                 проверьте работодателя перед поездкой. Шетелде жұмыс — жұмыс берушіні тексеріңіз.</p>"
            )
        })
        .collect();
    let res = bench_page_resources(n);
    html(format!(
        "<!DOCTYPE html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>Страница {n}</title>\
         <link rel=\"stylesheet\" href=\"{}\"><script src=\"{}\" defer></script></head>\
         <body><h1>Страница {n}</h1>{paragraphs}\
         <img src=\"{}\" alt=\"a\"><img src=\"{}\" alt=\"b\"><img src=\"{}\" alt=\"c\">\
         <p><a href=\"/page/{}\">Дальше</a> · <a href=\"/\">Главная</a></p></body></html>",
        res[0],
        res[1],
        res[2],
        res[3],
        res[4],
        n % BENCH_PAGES + 1
    ))
}

async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/css"))],
        "body{font-family:sans-serif;margin:2em;color:#222}img{display:block;margin:1em 0}.ad{font-size:1.2em}",
    )
        .into_response()
}

async fn js() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript"),
        )],
        "document.documentElement.dataset.scripted = 'yes';",
    )
        .into_response()
}

async fn image(Path(name): Path<String>) -> Response {
    let Some(stem) = name.strip_suffix(".png") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match png_image(stem) {
        Some(bytes) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("image/png"))],
            bytes,
        )
            .into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// A 160×120 PNG whose colours come from the name, so every image differs.
pub(crate) fn png_image(name: &str) -> Option<Vec<u8>> {
    let seed = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    let (w, h) = (160u32, 120u32);
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let v = seed.rotate_left((x / 20 + y / 15) % 32);
            data.extend_from_slice(&[(v & 0xff) as u8, ((v >> 8) & 0xff) as u8, (x + y) as u8]);
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().ok()?;
        writer.write_image_data(&data).ok()?;
    }
    Some(out)
}
