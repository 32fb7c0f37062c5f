//! `qorgau scan` linking documents through the pictures they share, through
//! the built binary: a Telegram export whose photos are one picture
//! re-encoded, resized and captioned (linked, with the distance to the
//! group's first picture in the JSON) beside unrelated pictures (not linked);
//! a stock picture in the ads of many unrelated posters (a hub, reported,
//! linking nothing); a JSON Lines record carrying hashes that links to a
//! Telegram photo; and broken or missing files, which are notes and never stop
//! the scan. Pictures are generated (shapes, smooth noise, text-like blocks,
//! through qorgau-media's test image set), never photographs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

#[path = "../../qorgau-media/tests/imageset/mod.rs"]
mod imageset;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use imageset::{Kind, Rng, Transform};
use qorgau_media::phash::{hamming, hash_bytes};
use serde_json::{Value, json};

fn qorgau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qorgau"))
        .args(args)
        .env("QORGAU_OPERATOR", "test-analyst")
        .output()
        .unwrap()
}

fn records(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "scan failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn by_id<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn hex(h: u64) -> String {
    format!("{h:016x}")
}

/// A Telegram Desktop export of one public channel: `(id, text, photo)`.
fn export(messages: &[(u32, &str, Option<&str>)]) -> String {
    let messages: Vec<Value> = messages
        .iter()
        .map(|(id, text, photo)| {
            let mut m = json!({
                "id": id,
                "type": "message",
                "date": format!("2024-05-{:02}T10:00:00", id),
                "date_unixtime": (1_714_557_600 + u64::from(*id) * 86_400).to_string(),
                "from": "Работа за рубежом",
                "from_id": "channel1234500000",
                "text": text,
            });
            if let Some(p) = photo {
                m["photo"] = json!(p);
                m["width"] = json!(640);
                m["height"] = json!(480);
            }
            m
        })
        .collect();
    serde_json::to_string_pretty(&json!({
        "name": "Работа за рубежом | тест",
        "type": "public_channel",
        "id": 1234500000,
        "messages": messages,
    }))
    .unwrap()
}

/// Texts that share no identifier and no template: only pictures can link them.
const TEXTS: [&str; 6] = [
    "Требуются девушки на работу в кафе Сеула, жильё бесплатно. Звоните +7 701 555 10 01",
    "Кастинг моделей в Стамбуле, перелёт за счёт агентства, пишите +7 702 555 20 02",
    "Хостес в Дубай, оплата ежедневно, документы оформим сами: +7 705 555 30 03",
    "Продаю велосипед, почти новый, самовывоз из Караганды, тел. +7 707 555 40 04",
    "Сдаётся квартира в Астане посуточно, чисто и уютно, +7 708 555 50 05",
    "Курсы английского языка онлайн, первое занятие бесплатно, +7 747 555 60 06",
];

#[test]
fn the_same_picture_links_telegram_posts_and_unrelated_pictures_do_not() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new(0x5EED_0008);
    let base = imageset::base(Kind::Shapes, &mut rng);
    let copies = [
        Transform::Jpeg(90).apply(&base, &mut rng),
        Transform::Resize(50).apply(&base, &mut rng),
        Transform::Caption.apply(&base, &mut rng),
    ];
    let unrelated = [
        imageset::jpeg(&imageset::base(Kind::Noise, &mut rng), 85),
        imageset::jpeg(&imageset::base(Kind::TextBlocks, &mut rng), 85),
    ];
    let names = [
        "photos/photo_1@01-05-2024_10-00-00.jpg",
        "photos/photo_2@02-05-2024_10-00-00.jpg",
        "photos/photo_3@03-05-2024_10-00-00.jpg",
        "photos/photo_4@04-05-2024_10-00-00.jpg",
        "photos/photo_5@05-05-2024_10-00-00.jpg",
    ];
    let pictures: Vec<&Vec<u8>> = copies.iter().chain(&unrelated).collect();
    for (name, bytes) in names.iter().zip(&pictures) {
        write(dir, name, bytes);
    }
    let hashes: Vec<_> = pictures
        .iter()
        .map(|b| hash_bytes(b, "generated").unwrap())
        .collect();
    let result = write(
        dir,
        "result.json",
        export(&[
            (1, TEXTS[0], Some(names[0])),
            (2, TEXTS[1], Some(names[1])),
            (3, TEXTS[2], Some(names[2])),
            (4, TEXTS[3], Some(names[3])),
            (5, TEXTS[4], Some(names[4])),
        ])
        .as_bytes(),
    );
    let networks_file = dir.join("networks.jsonl");
    let graph_file = dir.join("graph.graphml");
    let ftm_file = dir.join("graph.ftm.json");
    let out = qorgau(&[
        "scan",
        result.to_str().unwrap(),
        "--networks",
        networks_file.to_str().unwrap(),
        "--graph",
        graph_file.to_str().unwrap(),
        "--graph",
        ftm_file.to_str().unwrap(),
    ]);
    let recs = records(&out);
    assert_eq!(recs.len(), 5);
    let ids: Vec<String> = (1..=5).map(|i| format!("tg:1234500000:{i}")).collect();
    let net = |i: usize| {
        by_id(&recs, &ids[i])["network"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // The three copies are one network, through the picture alone.
    assert_eq!(net(0), net(1));
    assert_eq!(net(0), net(2));
    // The unrelated pictures are not linked, to them or to each other.
    assert_ne!(net(3), net(0));
    assert_ne!(net(4), net(0));
    assert_ne!(net(3), net(4));

    // The reason is in each record: the group, its first picture and the distance.
    let group = format!("phash:{}", hex(hashes[0].phash));
    for i in 0..3 {
        let r = by_id(&recs, &ids[i]);
        let image = &r["images"][0];
        assert_eq!(image["path"], names[i]);
        assert_eq!(image["phash"], hex(hashes[i].phash));
        assert_eq!(image["dhash"], hex(hashes[i].dhash));
        let link = &image["link"];
        assert_eq!(link["identifier"], group.as_str(), "{r}");
        assert_eq!(link["documents"], 3);
        assert_eq!(link["hub"], false);
        assert_eq!(link["first"]["document"], ids[0].as_str());
        assert_eq!(link["first"]["location"], names[0]);
        assert_eq!(link["first"]["phash"], hex(hashes[0].phash));
        assert_eq!(link["first"]["dhash"], hex(hashes[0].dhash));
        assert_eq!(
            link["phash_distance"],
            hamming(hashes[i].phash, hashes[0].phash)
        );
        assert_eq!(
            link["dhash_distance"],
            hamming(hashes[i].dhash, hashes[0].dhash)
        );
    }
    assert_eq!(
        by_id(&recs, &ids[0])["images"][0]["link"]["phash_distance"],
        0
    );
    for id in &ids[3..5] {
        let image = &by_id(&recs, id)["images"][0];
        assert!(
            image["phash"].is_string() && image.get("link").is_none(),
            "{image}"
        );
    }

    // The network summary names the picture as the identifier that holds it.
    let networks: Vec<Value> = std::fs::read_to_string(&networks_file)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let network = networks
        .iter()
        .find(|n| n["id"] == net(0).as_str())
        .unwrap();
    assert_eq!(network["size"], 3);
    assert!(
        network["identifiers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["kind"] == "image" && i["value"] == group.as_str() && i["documents"] == 3),
        "{network}"
    );
    // The graph: an image node, and edges that say how close each copy is.
    let graphml = std::fs::read_to_string(&graph_file).unwrap();
    assert!(graphml.contains(&format!("<node id=\"i:image:{group}\">")));
    assert!(graphml.contains("<data key=\"n_type\">image</data>"));
    let d2 = hamming(hashes[1].phash, hashes[0].phash);
    let dd2 = hamming(hashes[1].dhash, hashes[0].dhash);
    assert!(
        graphml.contains(&format!(
            "shares image {group}: pHash {d2}, dHash {dd2} bits from the group&apos;s first picture"
        )) || graphml.contains(&format!(
            "shares image {group}: pHash {d2}, dHash {dd2} bits from the group's first picture"
        )),
        "no image edge with its distance in the GraphML"
    );
    // FollowTheMoney: the picture is an Image entity.
    let ftm = std::fs::read_to_string(&ftm_file).unwrap();
    let image_entities: Vec<Value> = ftm
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["schema"] == "Image")
        .collect();
    assert_eq!(image_entities.len(), 1);
    assert_eq!(
        image_entities[0]["properties"]["fileName"][0],
        group.as_str()
    );
}

#[test]
fn a_picture_in_many_unrelated_ads_is_a_hub_and_merges_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(0x5EED_0011);
    let stock = imageset::base(Kind::Shapes, &mut rng);
    let mut lines = String::new();
    // Fourteen posters in fourteen channels, each with their own phone, all
    // showing re-encoded copies of one stock picture.
    for i in 0..14u32 {
        let copy = Transform::Jpeg(60 + 2 * i as u8).apply(&stock, &mut rng);
        let h = hash_bytes(&copy, "stock copy").unwrap();
        let line = json!({
            "id": format!("ad-{i}"),
            "text": format!("Объявление {i}: работа, звоните +7 701 {:03} {:02} {:02}", 100 + i, i, i),
            "source": format!("telegram:@city_channel_{i}"),
            "images": [{"phash": hex(h.phash), "dhash": hex(h.dhash)}],
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    let input = write(tmp.path(), "ads.jsonl", lines.as_bytes());
    let networks_file = tmp.path().join("networks.jsonl");
    let recs = records(&qorgau(&[
        "scan",
        input.to_str().unwrap(),
        "--networks",
        networks_file.to_str().unwrap(),
    ]));
    assert_eq!(recs.len(), 14);
    let mut networks: Vec<&str> = recs
        .iter()
        .map(|r| r["network"].as_str().unwrap())
        .collect();
    networks.sort_unstable();
    networks.dedup();
    assert_eq!(networks.len(), 14, "a hub picture merged unrelated ads");
    let identifier = recs[0]["images"][0]["link"]["identifier"].as_str().unwrap();
    for r in &recs {
        let link = &r["images"][0]["link"];
        assert_eq!(link["hub"], true, "{r}");
        assert_eq!(link["documents"], 14);
        assert_eq!(link["identifier"], identifier);
    }
    // No network of more than one document was written, and the record of the
    // scan's networks is empty of the picture.
    let written = std::fs::read_to_string(&networks_file).unwrap();
    assert!(
        written.lines().all(|l| !l.contains("\"type\":\"network\"")),
        "{written}"
    );
}

#[test]
fn json_lines_hashes_link_to_a_telegram_photo_of_the_same_picture() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new(0x5EED_0012);
    let picture = imageset::base(Kind::Noise, &mut rng);
    let photo = Transform::Jpeg(85).apply(&picture, &mut rng);
    let elsewhere = Transform::Resize(200).apply(&picture, &mut rng);
    let other = imageset::jpeg(&imageset::base(Kind::Shapes, &mut rng), 85);
    write(dir, "export/photos/photo_1@01-05-2024_10-00-00.jpg", &photo);
    let result = write(
        dir,
        "export/result.json",
        export(&[(1, TEXTS[0], Some("photos/photo_1@01-05-2024_10-00-00.jpg"))]).as_bytes(),
    );
    let (seen, unrelated) = (
        hash_bytes(&elsewhere, "copy").unwrap(),
        hash_bytes(&other, "other").unwrap(),
    );
    let jsonl = [
        json!({"id": "site-1", "text": TEXTS[3], "source": "web:site.example",
               "images": [{"phash": hex(seen.phash), "dhash": hex(seen.dhash)}]}),
        json!({"id": "site-2", "text": TEXTS[4], "source": "web:other.example",
               "images": [{"phash": hex(unrelated.phash), "dhash": hex(unrelated.dhash)}]}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let input = write(dir, "ads.jsonl", jsonl.as_bytes());
    let recs = records(&qorgau(&[
        "scan",
        result.to_str().unwrap(),
        input.to_str().unwrap(),
    ]));
    let telegram = by_id(&recs, "tg:1234500000:1");
    let site = by_id(&recs, "site-1");
    assert_eq!(telegram["network"], site["network"]);
    assert_ne!(by_id(&recs, "site-2")["network"], site["network"]);
    let link = &site["images"][0]["link"];
    assert_eq!(link["first"]["document"], "tg:1234500000:1");
    let ph = hash_bytes(&photo, "photo").unwrap();
    assert_eq!(link["phash_distance"], hamming(seen.phash, ph.phash));
    assert_eq!(link["identifier"], format!("phash:{}", hex(ph.phash)));
}

#[test]
fn broken_or_missing_pictures_are_notes_and_the_scan_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut rng = Rng::new(0x5EED_0013);
    // A PNG cut short (a JPEG cut in its last scan still decodes what it
    // has, and is hashed as such: qorgau-media's rule).
    let good = imageset::png(&imageset::base(Kind::Shapes, &mut rng));
    write(dir, "photos/truncated.png", &good[..good.len() / 3]);
    write(
        dir,
        "photos/garbage.jpg",
        b"\xFF\xD8\xFF this is not a picture at all",
    );
    write(dir, "photos/empty.jpg", b"");
    write(
        dir,
        "photos/tiny.png",
        &imageset::png(&image::RgbImage::from_pixel(16, 16, image::Rgb([9, 9, 9]))),
    );
    write(
        dir,
        "photos/flat.png",
        &imageset::png(&image::RgbImage::from_pixel(
            400,
            300,
            image::Rgb([255, 255, 255]),
        )),
    );
    write(
        dir,
        "photos/flat2.png",
        &imageset::png(&image::RgbImage::from_pixel(
            200,
            100,
            image::Rgb([250, 250, 250]),
        )),
    );
    let result = write(
        dir,
        "result.json",
        export(&[
            (1, TEXTS[0], Some("photos/truncated.png")),
            (2, TEXTS[1], Some("photos/garbage.jpg")),
            (3, TEXTS[2], Some("photos/missing.jpg")),
            (4, TEXTS[3], Some("photos/empty.jpg")),
            (5, TEXTS[4], Some("photos/tiny.png")),
            (6, TEXTS[5], Some("photos/flat.png")),
            (7, TEXTS[0], Some("photos/flat2.png")),
        ])
        .as_bytes(),
    );
    let out = qorgau(&["scan", result.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out);
    assert_eq!(recs.len(), 7, "every message is scanned");
    let image = |i: u32| by_id(&recs, &format!("tg:1234500000:{i}"))["images"][0].clone();
    for (i, name) in [
        (1, "photos/truncated.png"),
        (2, "photos/garbage.jpg"),
        (3, "photos/missing.jpg"),
        (4, "photos/empty.jpg"),
        (5, "photos/tiny.png"),
        (6, "photos/flat.png"),
        (7, "photos/flat2.png"),
    ] {
        let image = image(i);
        let note = image["note"].as_str().unwrap_or_default();
        assert!(
            note.contains(name),
            "message {i}: the note {note:?} does not name {name}"
        );
        assert!(image.get("link").is_none(), "{image}");
        // Unreadable files have no hashes; readable ones that are not compared do.
        assert_eq!(image.get("phash").is_some(), i >= 5, "{image}");
    }
    let note = |i: u32| image(i)["note"].as_str().unwrap_or_default().to_owned();
    assert!(note(3).contains("not found"));
    assert!(note(5).contains("too small"));
    assert!(note(6).contains("featureless"));
    // Two blank pictures of different sizes look alike to the hashes; they
    // must not link two unrelated posts.
    assert_ne!(
        by_id(&recs, "tg:1234500000:6")["network"],
        by_id(&recs, "tg:1234500000:7")["network"]
    );
}
