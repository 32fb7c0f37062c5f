//! Media type from content, not from the file name.
//!
//! Seized material is often renamed (`photo.txt`, no extension at all), so
//! the magic bytes decide; the name is only a hint for text formats, which
//! have no magic.

/// The media type of a file whose first bytes are `head`.
pub fn detect(head: &[u8], file_name: &str) -> String {
    if let Some(kind) = infer::get(head) {
        return kind.mime_type().to_owned();
    }
    if head.is_empty() {
        return "application/x-empty".to_owned();
    }
    if !looks_like_text(head) {
        return "application/octet-stream".to_owned();
    }
    let lower_name = file_name.to_lowercase();
    let trimmed = trim_text_start(head);
    let starts = |prefix: &[u8]| {
        trimmed.len() >= prefix.len() && trimmed[..prefix.len()].eq_ignore_ascii_case(prefix)
    };
    let kind = if starts(b"<!doctype html") || starts(b"<html") {
        "text/html"
    } else if starts(b"<?xml") {
        "application/xml"
    } else if starts(b"{") || starts(b"[") {
        "application/json"
    } else if lower_name.ends_with(".csv") {
        "text/csv"
    } else if lower_name.ends_with(".jsonl") || lower_name.ends_with(".ndjson") {
        "application/x-ndjson"
    } else if lower_name.ends_with(".html") || lower_name.ends_with(".htm") {
        "text/html"
    } else {
        "text/plain"
    };
    kind.to_owned()
}

fn trim_text_start(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[start..]
}

/// UTF-8 (allowing a character cut at the end of the sample) without NULs.
fn looks_like_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 >= head.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn magic_beats_the_name() {
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
        assert_eq!(detect(&jpeg, "notes.txt"), "image/jpeg");
        assert_eq!(detect(b"%PDF-1.7\n", "x"), "application/pdf");
    }

    #[test]
    fn text_formats_by_shape_then_name() {
        assert_eq!(
            detect(" {\"name\": \"Чат\"}".as_bytes(), "result"),
            "application/json"
        );
        assert_eq!(detect(b"<!DOCTYPE html><p>", "a"), "text/html");
        assert_eq!(detect("a,b\n1,2".as_bytes(), "x.CSV"), "text/csv");
        assert_eq!(detect("Работа в Дубае".as_bytes(), "ad"), "text/plain");
        assert_eq!(detect(b"\x00\x01\x02", "x"), "application/octet-stream");
        assert_eq!(detect(b"", "x"), "application/x-empty");
    }
}
