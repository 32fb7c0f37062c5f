//! Pictures of documents: Telegram photos and picture files read beside the
//! export, a saved page's `<img>` beside the page, JSON Lines `images`, and
//! everything that can go wrong with them (missing, broken, left out of the
//! export, outside the directory, standard input) as notes, never errors.
//! The pictures are generated here (checkerboards and discs as PNG), never
//! photographs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufReader, Cursor, Write};
use std::path::{Path, PathBuf};

use qorgau_sources::{Document, Format, ImageRef, ReadOptions, html_to_document, read};

/// A temporary directory removed when dropped (the crate has no tempfile).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "qorgau-sources-images-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    out.extend(kind);
    out.extend(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend(crc.sum().to_be_bytes());
}

/// An RGB PNG drawn by `pixel`, encoded by hand (zlib through flate2).
fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let mut raw = Vec::new();
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            raw.extend(pixel(x, y));
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).unwrap();
    let idat = z.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend(width.to_be_bytes());
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A checkerboard with a disc: a picture with structure.
fn checkerboard(side: u32, cell: u32) -> Vec<u8> {
    png(side, side, |x, y| {
        let (dx, dy) = (x as i64 - side as i64 / 3, y as i64 - side as i64 / 2);
        if dx * dx + dy * dy < (side as i64 / 5).pow(2) {
            [250, 220, 30]
        } else if (x / cell + y / cell).is_multiple_of(2) {
            [200, 40, 40]
        } else {
            [20, 30, 160]
        }
    })
}

fn docs(name: &Path, bytes: Vec<u8>, format: Format, opts: &ReadOptions) -> Vec<Document> {
    read(
        &name.display().to_string(),
        BufReader::new(Cursor::new(bytes)),
        format,
        opts,
    )
    .unwrap()
    .map(|d| d.unwrap())
    .collect()
}

fn expected_hashes(path: &Path) -> (String, String) {
    let h = qorgau_media::phash::hash_file(path).unwrap();
    (h.phash_hex(), h.dhash_hex())
}

fn hashed(image: &ImageRef) -> (String, String) {
    (
        image.phash.clone().unwrap_or_default(),
        image.dhash.clone().unwrap_or_default(),
    )
}

const EXPORT: &str = r#"{
 "name": "Работа в Корее",
 "type": "public_channel",
 "id": 777,
 "messages": [
  {"id": 1, "type": "message", "date": "2024-05-01T10:00:00", "photo": "photos/photo_1@01-05-2024_10-00-00.jpg", "text": "первое"},
  {"id": 2, "type": "message", "date": "2024-05-01T10:01:00", "photo": "photos/missing.jpg", "text": "второе"},
  {"id": 3, "type": "message", "date": "2024-05-01T10:02:00", "photo": "photos/broken.jpg", "text": "третье"},
  {"id": 4, "type": "message", "date": "2024-05-01T10:03:00", "file": "files/scan.png", "mime_type": "image/png", "text": "файл"},
  {"id": 5, "type": "message", "date": "2024-05-01T10:04:00", "file": "stickers/sticker.webp", "media_type": "sticker", "mime_type": "image/webp", "text": ""},
  {"id": 6, "type": "message", "date": "2024-05-01T10:05:00", "photo": "(File not included. Change data exporting settings to download.)", "text": "нет файла"},
  {"id": 7, "type": "message", "date": "2024-05-01T10:06:00", "photo": "../outside.png", "text": "снаружи"},
  {"id": 8, "type": "message", "date": "2024-05-01T10:07:00", "file": "files/contract.pdf", "mime_type": "application/pdf", "text": "договор"},
  {"id": 9, "type": "message", "date": "2024-05-01T10:08:00", "photo": "photos/link.png", "text": "ссылка"}
 ]
}"#;

#[test]
fn telegram_photos_are_hashed_beside_the_export_and_problems_are_notes() {
    let tmp = TempDir::new("telegram");
    let export_dir = tmp.0.join("export");
    let photo = tmp.write(
        "export/photos/photo_1@01-05-2024_10-00-00.jpg",
        &checkerboard(96, 12),
    );
    tmp.write(
        "export/photos/broken.jpg",
        b"\xFF\xD8\xFF\xE0 this is not a JPEG",
    );
    let scan = tmp.write("export/files/scan.png", &checkerboard(80, 20));
    tmp.write("export/stickers/sticker.webp", b"RIFF....WEBP");
    tmp.write("outside.png", &checkerboard(64, 8));
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        tmp.0.join("outside.png"),
        export_dir.join("photos/link.png"),
    )
    .unwrap();
    let result = tmp.write("export/result.json", EXPORT.as_bytes());

    let got = docs(
        &result,
        EXPORT.as_bytes().to_vec(),
        Format::Auto,
        &ReadOptions::default(),
    );
    assert_eq!(got.len(), 9, "every message is a document, pictures or not");
    let images: Vec<Vec<ImageRef>> = got.iter().map(Document::images).collect();

    // A photo beside the export: hashed as qorgau-media hashes the file.
    assert_eq!(images[0].len(), 1);
    assert_eq!(hashed(&images[0][0]), expected_hashes(&photo));
    assert_eq!(
        images[0][0].path.as_deref(),
        Some("photos/photo_1@01-05-2024_10-00-00.jpg")
    );
    assert_eq!(
        images[0][0].algorithm.as_deref(),
        Some(qorgau_media::phash::ALGORITHM)
    );
    assert_eq!(
        (images[0][0].width, images[0][0].height),
        (Some(96), Some(96))
    );
    assert!(images[0][0].note.is_none());
    assert!(images[0][0].hashes().is_some());
    // The photo field itself is kept as it was.
    assert_eq!(
        got[0].extra["photo"],
        "photos/photo_1@01-05-2024_10-00-00.jpg"
    );

    // Missing and broken files: a note naming the file, no hashes.
    let note = |i: usize| images[i][0].note.clone().unwrap_or_default();
    assert!(images[1][0].hashes().is_none());
    assert_eq!(note(1), "photos/missing.jpg: not found beside the export");
    assert!(images[2][0].hashes().is_none());
    assert!(note(2).contains("photos/broken.jpg"), "{}", note(2));

    // A picture sent as a file is a picture; a sticker and a PDF are not.
    assert_eq!(hashed(&images[3][0]), expected_hashes(&scan));
    assert!(images[4].is_empty());
    assert!(images[7].is_empty());

    // Left out of the export; outside the export's directory.
    assert!(images[5][0].path.is_none());
    assert!(note(5).starts_with("photo not included in the export"));
    assert!(images[6][0].hashes().is_none());
    assert!(note(6).contains("leaves the directory"), "{}", note(6));
    #[cfg(unix)]
    {
        assert!(images[8][0].hashes().is_none());
        assert!(note(8).contains("links outside"), "{}", note(8));
    }
}

#[test]
fn without_a_directory_or_when_turned_off_files_are_not_read() {
    let tmp = TempDir::new("off");
    tmp.write(
        "photos/photo_1@01-05-2024_10-00-00.jpg",
        &checkerboard(64, 8),
    );
    let result = tmp.write("result.json", EXPORT.as_bytes());
    // Standard input has no directory.
    let stdin: Vec<Document> = read(
        "-",
        Cursor::new(EXPORT.as_bytes().to_vec()),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap()
    .map(|d| d.unwrap())
    .collect();
    let first = &stdin[0].images()[0];
    assert!(first.hashes().is_none());
    assert!(
        first.note.as_deref().unwrap().contains("standard input"),
        "{first:?}"
    );
    // Turned off.
    let off = docs(
        &result,
        EXPORT.as_bytes().to_vec(),
        Format::Telegram,
        &ReadOptions {
            local_images: false,
            ..ReadOptions::default()
        },
    );
    let first = &off[0].images()[0];
    assert!(first.hashes().is_none());
    assert!(first.note.as_deref().unwrap().contains("turned off"));
    // Another directory given: the export moved away from its photos.
    let elsewhere = TempDir::new("moved");
    let moved = elsewhere.write("result.json", EXPORT.as_bytes());
    let found = docs(
        &moved,
        EXPORT.as_bytes().to_vec(),
        Format::Telegram,
        &ReadOptions {
            image_dir: Some(tmp.0.clone()),
            ..ReadOptions::default()
        },
    );
    assert!(found[0].images()[0].hashes().is_some());
    // Too large to read.
    let small = docs(
        &result,
        EXPORT.as_bytes().to_vec(),
        Format::Telegram,
        &ReadOptions {
            max_image_bytes: 10,
            ..ReadOptions::default()
        },
    );
    let first = &small[0].images()[0];
    assert!(first.hashes().is_none());
    assert!(first.note.as_deref().unwrap().contains("over the limit"));
}

#[test]
fn a_saved_page_reads_its_pictures_beside_it_and_records_remote_ones() {
    let tmp = TempDir::new("html");
    let local = tmp.write("saved/page_files/фото 1.png", &checkerboard(72, 9));
    tmp.write("secret.png", &checkerboard(64, 8));
    let page = r#"<html><head><title>Работа</title></head><body>
        <p>Работа в Дубае, пишите в WhatsApp.</p>
        <img src="page_files/%D1%84%D0%BE%D1%82%D0%BE%201.png" alt="">
        <img src="https://cdn.example/ads/2.jpg">
        <img data-src="//cdn.example/ads/3.jpg">
        <img src="data:image/png;base64,iVBORw0KGgo=">
        <img src="../secret.png">
        <img src="page_files/none.png">
        <img src="https://cdn.example/ads/2.jpg">
    </body></html>"#;
    let path = tmp.write("saved/page.html", page.as_bytes());
    let got = docs(
        &path,
        page.as_bytes().to_vec(),
        Format::Html,
        &ReadOptions::default(),
    );
    let images = got[0].images();
    assert_eq!(images.len(), 5, "{images:#?}");
    assert_eq!(hashed(&images[0]), expected_hashes(&local));
    assert_eq!(
        images[0].path.as_deref(),
        Some("page_files/%D1%84%D0%BE%D1%82%D0%BE%201.png")
    );
    assert_eq!(
        images[1].url.as_deref(),
        Some("https://cdn.example/ads/2.jpg")
    );
    assert!(images[1].hashes().is_none() && images[1].note.is_none());
    assert_eq!(
        images[2].url.as_deref(),
        Some("https://cdn.example/ads/3.jpg")
    );
    assert!(
        images[3]
            .note
            .as_deref()
            .unwrap()
            .contains("leaves the directory")
    );
    assert!(images[4].note.as_deref().unwrap().contains("not found"));

    // With a base URL the page's pictures are remote, and nothing is read.
    let remote = docs(
        &path,
        page.as_bytes().to_vec(),
        Format::Html,
        &ReadOptions {
            base_url: Some("https://jobs.example/ad/1".into()),
            ..ReadOptions::default()
        },
    );
    let images = remote[0].images();
    assert_eq!(
        images[0].url.as_deref(),
        Some("https://jobs.example/ad/page_files/%D1%84%D0%BE%D1%82%D0%BE%201.png")
    );
    assert!(
        images
            .iter()
            .all(|i| i.hashes().is_none() && i.path.is_none())
    );

    // A page handed over as bytes (a fetched page) never reads files.
    let fetched = html_to_document("page.html", page.as_bytes());
    let images = fetched.document.images();
    assert!(images[0].hashes().is_none());
    assert!(images[0].note.as_deref().unwrap().contains("not read"));
}

#[test]
fn json_lines_images_give_hashes_or_paths() {
    let tmp = TempDir::new("jsonl");
    let pic = tmp.write("img/a.png", &checkerboard(64, 16));
    let (p, d) = expected_hashes(&pic);
    let lines = format!(
        concat!(
            r#"{{"id": "1", "text": "хэши", "images": [{{"phash": "{}", "dhash": "{}"}}]}}"#,
            "\n",
            r#"{{"id": "2", "text": "файл", "images": [{{"path": "img/a.png"}}, {{"url": "https://cdn.example/x.jpg"}}]}}"#,
            "\n",
            r#"{{"id": "3", "text": "плохо", "images": "img/a.png"}}"#,
            "\n",
            r#"{{"id": "4", "text": "чужой", "images": [{{"phash": "{}", "dhash": "{}", "algorithm": "other-v9"}}]}}"#,
            "\n",
            r#"{{"id": "5", "text": "без картинок", "images": []}}"#,
            "\n"
        ),
        p.to_uppercase(),
        d,
        p,
        d
    );
    let path = tmp.write("ads.jsonl", lines.as_bytes());
    let got = docs(
        &path,
        lines.into_bytes(),
        Format::Auto,
        &ReadOptions::default(),
    );
    assert_eq!(got.len(), 5, "a bad `images` field never drops the line");
    let given = &got[0].images()[0];
    assert_eq!(
        hashed(given),
        (p.clone(), d.clone()),
        "hex written lower-case"
    );
    assert!(given.note.is_none());
    let read_back = got[1].images();
    assert_eq!(hashed(&read_back[0]), (p.clone(), d.clone()));
    assert_eq!(read_back[0].path.as_deref(), Some("img/a.png"));
    assert_eq!(
        read_back[1].url.as_deref(),
        Some("https://cdn.example/x.jpg")
    );
    assert!(got[2].images()[0].note.as_deref().unwrap().contains("list"));
    let foreign = &got[3].images()[0];
    assert!(foreign.hashes().is_none());
    assert!(foreign.note.as_deref().unwrap().contains("not comparable"));
    assert!(got[4].images().is_empty());
    assert!(!got[4].extra.contains_key("images"));
}

#[test]
fn older_documents_without_pictures_still_read() {
    let old = r#"{"id": "x", "text": "t", "extra": {"photo": "photos/a.jpg"}}"#;
    let doc: Document = serde_json::from_str(old).unwrap();
    assert!(doc.images().is_empty());
    let with =
        r#"{"id": "x", "text": "t", "extra": {"images": [{"url": "https://a.example/1.jpg"}, 3]}}"#;
    let doc: Document = serde_json::from_str(with).unwrap();
    assert_eq!(doc.images().len(), 1);
}

#[test]
fn photos_of_many_batches_are_hashed_in_message_order() {
    let tmp = TempDir::new("batches");
    let pictures: Vec<PathBuf> = (0..3)
        .map(|i| {
            tmp.write(
                &format!("photos/p{i}.png"),
                &checkerboard(64 + 16 * i, 8 + 4 * i),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = pictures.iter().map(|p| expected_hashes(p)).collect();
    let messages: Vec<String> = (1..=200)
        .map(|id| {
            let photo = if id % 7 == 0 {
                "photos/missing.png".to_string()
            } else {
                format!("photos/p{}.png", id % 3)
            };
            format!(r#"{{"id": {id}, "type": "message", "photo": "{photo}", "text": "m{id}"}}"#)
        })
        .collect();
    let export = format!(
        r#"{{"name": "c", "type": "public_channel", "id": 1, "messages": [{}]}}"#,
        messages.join(",")
    );
    let result = tmp.write("result.json", export.as_bytes());
    let got = docs(
        &result,
        export.into_bytes(),
        Format::Telegram,
        &ReadOptions::default(),
    );
    assert_eq!(got.len(), 200);
    for (i, doc) in got.iter().enumerate() {
        let id = i + 1;
        assert_eq!(doc.text, format!("m{id}"));
        let image = &doc.images()[0];
        if id % 7 == 0 {
            assert!(
                image
                    .note
                    .as_deref()
                    .unwrap()
                    .contains("photos/missing.png")
            );
        } else {
            assert_eq!(hashed(image), expected[id % 3], "message {id}");
        }
    }
}

#[test]
fn a_telegram_video_gives_its_key_frames_as_pictures() {
    let tmp = TempDir::new("telegram-video");
    let photo = tmp.write("photos/photo_1.png", &checkerboard(160, 16));
    // The same picture as a 2-second video (a key frame each second), then
    // a video file the export left out, and one that is not a video.
    std::fs::create_dir_all(tmp.0.join("video_files")).unwrap();
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-loop",
            "1",
            "-framerate",
            "25",
        ])
        .args(["-t", "2", "-i"])
        .arg(&photo)
        .args(["-g", "25", "-pix_fmt", "yuv420p", "-c:v", "libx264"])
        .arg(tmp.0.join("video_files/clip.mp4"))
        .status()
        .expect("ffmpeg is installed by scripts/install-test-tools");
    assert!(status.success());
    tmp.write("video_files/fake.mp4", b"not a video");
    let export = r#"{
 "name": "Кастинг", "type": "public_channel", "id": 778,
 "messages": [
  {"id": 1, "type": "message", "date": "2024-05-01T10:00:00", "photo": "photos/photo_1.png", "text": "фото"},
  {"id": 2, "type": "message", "date": "2024-05-01T10:01:00", "file": "video_files/clip.mp4", "media_type": "video_file", "mime_type": "video/mp4", "text": "видео"},
  {"id": 3, "type": "message", "date": "2024-05-01T10:02:00", "file": "(File not included. Change data exporting settings to download.)", "media_type": "video_file", "mime_type": "video/mp4", "text": "нет файла"},
  {"id": 4, "type": "message", "date": "2024-05-01T10:03:00", "file": "video_files/fake.mp4", "media_type": "video_file", "mime_type": "video/mp4", "text": "битое"},
  {"id": 5, "type": "message", "date": "2024-05-01T10:04:00", "file": "video_files/round.mp4", "media_type": "animation", "mime_type": "video/mp4", "text": "гифка"}
 ]
}"#;
    let result = tmp.write("result.json", export.as_bytes());
    let got = docs(
        &result,
        export.as_bytes().to_vec(),
        Format::Auto,
        &ReadOptions::default(),
    );
    let images: Vec<Vec<ImageRef>> = got.iter().map(Document::images).collect();
    // One still shot: its repeated key frames count once, at 0 ms.
    assert_eq!(images[1].len(), 1, "{:?}", images[1]);
    let frame = &images[1][0];
    assert_eq!(frame.path.as_deref(), Some("video_files/clip.mp4"));
    assert_eq!(frame.frame_ms, Some(0));
    let (p, d) = hashed(frame);
    let (pp, pd) = hashed(&images[0][0]);
    let bits = |a: &str, b: &str| {
        (u64::from_str_radix(a, 16).unwrap() ^ u64::from_str_radix(b, 16).unwrap()).count_ones()
    };
    assert!(
        bits(&p, &pp) <= 8 || bits(&d, &pd) <= 8,
        "the frame is the photo: {p}/{pp}, {d}/{pd}"
    );
    assert!(
        images[2][0]
            .note
            .as_deref()
            .unwrap()
            .contains("not included"),
        "{:?}",
        images[2]
    );
    assert!(
        images[3][0]
            .note
            .as_deref()
            .unwrap()
            .contains("ffmpeg could not decode"),
        "{:?}",
        images[3]
    );
    assert!(
        images[4].is_empty(),
        "animations are left out: {:?}",
        images[4]
    );
}
