//! A public Telegram channel's web preview (`/s/<channel>`), generated in the
//! markup t.me serves: newest posts first loaded, older ones behind
//! `?before=<id>`.

use std::collections::HashMap;

use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The channel's username.
pub const CHANNEL: &str = "synthetic_vacancies_kz";
/// Posts 1 … 45.
pub const CHANNEL_POSTS: u64 = 45;
/// Posts on one preview page.
pub const PAGE_POSTS: u64 = 20;

/// Seconds since the Unix epoch of 2026-10-01T00:00:00Z; post `id` is
/// dated six hours later per id.
const FIRST_POST_EPOCH: i64 = 1_790_812_800;

/// The text of post `id` (synthetic; the numbers are made up).
pub fn post_text(id: u64) -> String {
    match id % 3 {
        0 => format!(
            "Вакансия №{id}: упаковщицы на склад в Сеул, 20–35 лет, жильё бесплатно. Пишите @synthetic_manager_{id}"
        ),
        1 => format!(
            "Жұмыс №{id}: Астанада кафеге даяшы қажет, жалақы күн сайын. Тел. +7 700 000 {:02} {:02}",
            id % 100,
            (id * 7) % 100
        ),
        _ => format!("Пост №{id}: набор моделей для фотосессий, оплата сразу, без опыта."),
    }
}

/// Date of post `id`, RFC 3339 as t.me writes it.
pub(crate) fn post_datetime(id: u64) -> String {
    let secs = FIRST_POST_EPOCH + i64::try_from(id).unwrap_or(0) * 6 * 3600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Gregorian date of a day number (days since 1970-01-01), after Howard
/// Hinnant's `civil_from_days`; kept here to spare the site a date crate.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) async fn channel_page(
    Path(channel): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if channel != CHANNEL {
        return (StatusCode::NOT_FOUND, "no such channel").into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let before = query
        .get("before")
        .and_then(|b| b.parse::<u64>().ok())
        .unwrap_or(CHANNEL_POSTS + 1)
        .min(CHANNEL_POSTS + 1);
    let last = before.saturating_sub(1);
    let first = last.saturating_sub(PAGE_POSTS - 1).max(1);
    let mut posts = String::new();
    if last >= 1 {
        for id in first..=last {
            posts.push_str(&post_html(host, id));
        }
    }
    let more = if first > 1 && last >= 1 {
        format!(
            "<div class=\"tgme_widget_message_centered js-messages_more_wrap\"><a href=\"/s/{CHANNEL}?before={first}\" class=\"tme_messages_more js-messages_more\" data-before=\"{first}\"></a></div>"
        )
    } else {
        String::new()
    };
    let prev = if first > 1 && last >= 1 {
        format!("<link rel=\"prev\" href=\"/s/{CHANNEL}?before={first}\">")
    } else {
        String::new()
    };
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Вакансии за рубежом (синтетический канал) – Telegram</title>\
         <meta property=\"og:title\" content=\"Вакансии за рубежом (синтетический канал)\">\
         <meta property=\"og:site_name\" content=\"Telegram\">\
         <link rel=\"canonical\" href=\"http://{host}/s/{CHANNEL}\"/>{prev}</head>\
         <body class=\"widget_frame_base tgme_webpreview emoji_image tme_mode\">\
         <header class=\"tgme_header\"><div class=\"tgme_channel_info\">\
         <div class=\"tgme_channel_info_header_title\"><span dir=\"auto\">Вакансии за рубежом (синтетический канал)</span></div>\
         <div class=\"tgme_channel_info_header_username\"><a href=\"https://t.me/{CHANNEL}\">@{CHANNEL}</a></div></div></header>\
         <main class=\"tgme_main\" data-url=\"/{CHANNEL}\"><div class=\"tgme_container\">\
         <section class=\"tgme_channel_history js-message_history\">{more}{posts}</section></div></main></body></html>"
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        page,
    )
        .into_response()
}

fn post_html(host: &str, id: u64) -> String {
    let photo = if id.is_multiple_of(4) {
        format!(
            "<a class=\"tgme_widget_message_photo_wrap\" href=\"https://t.me/{CHANNEL}/{id}\" style=\"width:800px;background-image:url('http://{host}/img/tg-{id}.png')\"><div class=\"tgme_widget_message_photo\"></div></a>"
        )
    } else {
        String::new()
    };
    let author = if id.is_multiple_of(5) {
        "<span class=\"tgme_widget_message_from_author\" dir=\"auto\">Админ Айгерим</span>"
    } else {
        ""
    };
    format!(
        "<div class=\"tgme_widget_message_wrap js-widget_message_wrap\"><div class=\"tgme_widget_message text_not_supported_wrap js-widget_message\" data-post=\"{CHANNEL}/{id}\">\
         <div class=\"tgme_widget_message_bubble\">\
         <div class=\"tgme_widget_message_author accent_color\"><a class=\"tgme_widget_message_owner_name\" href=\"https://t.me/{CHANNEL}\"><span dir=\"auto\">Вакансии за рубежом (синтетический канал)</span></a></div>\
         {photo}<div class=\"tgme_widget_message_text js-message_text\" dir=\"auto\">{}</div>\
         <div class=\"tgme_widget_message_footer compact js-message_footer\"><div class=\"tgme_widget_message_info short js-message_info\">\
         <span class=\"tgme_widget_message_views\">{}.{}K</span><span class=\"copyonly\"> views</span>{author}\
         <span class=\"tgme_widget_message_meta\"><a class=\"tgme_widget_message_date\" href=\"https://t.me/{CHANNEL}/{id}\"><time datetime=\"{}\" class=\"time\">00:00</time></a></span>\
         </div></div></div></div></div>",
        post_text(id),
        1 + id % 9,
        id % 10,
        post_datetime(id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_dates_follow_the_calendar() {
        assert_eq!(post_datetime(0), "2026-10-01T00:00:00+00:00");
        assert_eq!(post_datetime(5), "2026-10-02T06:00:00+00:00");
        assert_eq!(post_datetime(45), "2026-10-12T06:00:00+00:00");
    }
}
