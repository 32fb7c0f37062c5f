//! `qorgau media similar` and `qorgau media index` through the built binary,
//! on generated images only (gradients, shapes, noise, text-like pages):
//! images acquired with `add` are hashed in the same run, a re-posted copy
//! finds its original across cases and not the unrelated pictures, the
//! backfill restores what is missing, and bad input is named with exit 2.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
#[path = "../../qorgau-media/tests/imageset/mod.rs"]
mod imageset;

use common::{Env, json_lines, stderr};
use imageset::{KINDS, Rng, Transform};
use qorgau_store::Store;
use serde_json::Value;

const ADS: &str = "KUSP-2026-0801";
const OTHER: &str = "KUSP-2026-0802";

/// Adds `paths` to `case`; returns the `add --json` lines.
fn add(env: &Env, case: &str, paths: &[&std::path::Path]) -> Vec<Value> {
    let mut args = vec!["add"];
    let strings: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(strings.iter().map(String::as_str));
    args.extend(["--case", case, "--json"]);
    let out = env.run(&args);
    assert!(out.status.success(), "add: {}", stderr(&out));
    json_lines(&out)
}

fn similar(env: &Env, args: &[&str]) -> Value {
    let mut all = vec!["media", "similar"];
    all.extend(args);
    all.push("--json");
    let out = env.run(&all);
    assert!(out.status.success(), "similar {args:?}: {}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1, "one report object");
    lines.into_iter().next().unwrap()
}

fn matched_paths(report: &Value) -> Vec<String> {
    report["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["original_path"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reposted_images_are_found_across_cases() {
    let env = Env::new().await;
    let ads = env.path("ads");
    std::fs::create_dir_all(&ads).unwrap();
    // Four originals (one of each kind) in the ads case, six unrelated
    // pictures in another case.
    let mut rng = Rng::new(801);
    let mut originals = Vec::new();
    for (i, kind) in KINDS.iter().enumerate() {
        let img = imageset::base(*kind, &mut rng);
        let path = ads.join(format!("ad-{i}.png"));
        std::fs::write(&path, imageset::png(&img)).unwrap();
        originals.push((img, path));
    }
    let others = env.path("others");
    std::fs::create_dir_all(&others).unwrap();
    for i in 0..6 {
        let img = imageset::base(KINDS[i % KINDS.len()], &mut rng);
        std::fs::write(
            others.join(format!("other-{i}.jpg")),
            imageset::jpeg(&img, 85),
        )
        .unwrap();
    }
    let stored = add(&env, ADS, &[ads.as_path()]);
    assert_eq!(stored.len(), 4);
    add(&env, OTHER, &[others.as_path()]);

    // A re-post of the gradient ad: half the size, JPEG quality 50.
    let (gradient, gradient_path) = &originals[0];
    let small = image::imageops::resize(
        gradient,
        gradient.width() / 2,
        gradient.height() / 2,
        image::imageops::FilterType::Lanczos3,
    );
    let repost = env.path("repost.jpg");
    std::fs::write(&repost, imageset::jpeg(&small, 50)).unwrap();

    // FILE: the original is found, and nothing else.
    let report = similar(&env, &[repost.to_str().unwrap()]);
    assert_eq!(report["query"]["kind"], "file");
    assert_eq!(report["images_searched"], 10);
    let found = report["matches"].as_array().unwrap();
    assert_eq!(
        matched_paths(&report),
        vec![gradient_path.display().to_string()],
        "{report}"
    );
    assert_eq!(found[0]["case"], ADS);
    assert!(
        found[0]["phash_distance"].as_u64().unwrap() <= 8,
        "{report}"
    );
    assert!(found[0]["dhash_distance"].as_u64().is_some());
    let gradient_item = stored
        .iter()
        .find(|s| s["path"] == gradient_path.display().to_string())
        .unwrap()["id"]
        .clone();
    assert_eq!(found[0]["item"], gradient_item);

    // Other transformations of other kinds find their own originals.
    for (i, transform) in [
        (1, Transform::Hue),
        (2, Transform::Watermark),
        (3, Transform::Jpeg(30)),
    ] {
        let (img, path) = &originals[i];
        let copy = env.path(&format!("copy-{i}.jpg"));
        std::fs::write(&copy, transform.apply(img, &mut Rng::new(i as u64))).unwrap();
        let report = similar(&env, &[copy.to_str().unwrap()]);
        assert_eq!(
            matched_paths(&report),
            vec![path.display().to_string()],
            "{}: {report}",
            transform.name()
        );
    }

    // The re-post acquired into the other case: asked from the original
    // item, it is found there (and the item itself is not listed).
    let repost_items = add(&env, OTHER, &[repost.as_path()]);
    let report = similar(&env, &[gradient_item.as_str().unwrap()]);
    assert_eq!(report["query"]["kind"], "item");
    assert_eq!(report["query"]["path"], gradient_path.display().to_string());
    let found = report["matches"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["item"], repost_items[0]["id"]);
    assert_eq!(found[0]["case"], OTHER);
    // Limited to the ads case, the re-post is out of scope.
    let report = similar(&env, &[gradient_item.as_str().unwrap(), "--case", ADS]);
    assert!(matched_paths(&report).is_empty(), "{report}");
    assert_eq!(report["images_searched"], 4);
    // A wide distance finds more, nearest first.
    let report = similar(&env, &[repost.to_str().unwrap(), "--distance", "32"]);
    let distances: Vec<u64> = report["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["phash_distance"].as_u64().unwrap())
        .collect();
    assert!(distances.len() > 2);
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");

    // The backfill: hashes lost (as for items acquired before hashing)
    // are computed again from the stored copies.
    let store = Store::open(&env.db.location).await.unwrap();
    store
        .execute_unchecked("DELETE FROM media_hashes".into())
        .await
        .unwrap();
    let report = similar(&env, &[repost.to_str().unwrap()]);
    assert_eq!(report["images_searched"], 0);
    let out = env.run(&["media", "index", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 11, "10 pictures and the re-post");
    assert!(lines.iter().all(|l| l["status"] == "hashed"), "{lines:?}");
    let report = similar(&env, &[repost.to_str().unwrap()]);
    assert_eq!(report["images_searched"], 11);
    let mut paths = matched_paths(&report);
    paths.sort();
    assert_eq!(
        paths,
        vec![
            gradient_path.display().to_string(),
            repost.display().to_string()
        ]
    );
    // Nothing left to do.
    let out = env.run(&["media", "index", "--json"]);
    assert!(out.status.success());
    assert!(json_lines(&out).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_named_and_exits_2() {
    let env = Env::new().await;
    let notes = env.path("notes.txt");
    std::fs::write(&notes, "not a picture, just text").unwrap();
    let damaged = env.path("damaged.png");
    let mut png = imageset::png(&imageset::base(KINDS[1], &mut Rng::new(3)));
    png.truncate(png.len() / 3);
    std::fs::write(&damaged, &png).unwrap();
    let picture = env.path("picture.png");
    std::fs::write(
        &picture,
        imageset::png(&imageset::base(KINDS[0], &mut Rng::new(4))),
    )
    .unwrap();
    // A damaged PNG is still evidence: acquired, its hashing failure kept.
    let stored = add(
        &env,
        ADS,
        &[notes.as_path(), picture.as_path(), damaged.as_path()],
    );
    assert_eq!(stored.len(), 3);
    let damaged_item = stored
        .iter()
        .find(|s| s["path"] == damaged.display().to_string())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let text_item = stored
        .iter()
        .find(|s| s["media_type"] == "text/plain")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let missing = env.path("no-such-photo.jpg");
    let unknown_item = "01890a5d-ac96-774b-bcce-b302099a8057";

    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec![missing.display().to_string()],
            missing.display().to_string(),
        ),
        (
            vec![notes.display().to_string()],
            notes.display().to_string(),
        ),
        (
            vec![damaged.display().to_string()],
            damaged.display().to_string(),
        ),
        (
            vec![env.dir.path().display().to_string()],
            "is a folder".into(),
        ),
        (vec![unknown_item.into()], unknown_item.into()),
        (vec![text_item.clone()], text_item.clone()),
        (vec![damaged_item.clone()], damaged_item.clone()),
        (
            vec![
                picture.display().to_string(),
                "--case".into(),
                "KUSP-2026-9999".into(),
            ],
            "KUSP-2026-9999".into(),
        ),
    ];
    for (args, named) in cases {
        let mut all = vec!["media", "similar"];
        all.extend(args.iter().map(String::as_str));
        let out = env.run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&named),
            "{args:?} should name {named}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // The text item says what it is; the damaged one why it was not hashed
    // at acquisition (the reason kept in its hash row, named by its path).
    let out = env.run(&["media", "similar", &text_item]);
    assert!(stderr(&out).contains("text/plain"), "{}", stderr(&out));
    let out = env.run(&["media", "similar", &damaged_item]);
    let err = stderr(&out);
    assert!(
        err.contains("cannot be decoded") && err.contains(&damaged.display().to_string()),
        "{err}"
    );
    // `media index` has nothing to retry: the failure is remembered.
    let out = env.run(&["media", "index", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json_lines(&out).is_empty());
    // A distance over 32 is refused by the argument parser.
    let out = env.run(&[
        "media",
        "similar",
        picture.to_str().unwrap(),
        "--distance",
        "40",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

/// Suspected abuse material through the command line: a hash list with a
/// bad line is refused with its line and nothing kept; a good one marks the
/// stored picture (exactly, by MD5); exports and working copies then need
/// an authorisation, which the ledger records; a person releases the mark.
/// Innocuous generated pictures only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hash_list_marks_a_picture_and_exports_then_need_an_authorisation() {
    let env = Env::new().await;
    let picture = env.path("photo.png");
    std::fs::write(
        &picture,
        imageset::png(&imageset::base(KINDS[2], &mut Rng::new(11))),
    )
    .unwrap();
    let stored = add(&env, ADS, &[picture.as_path()]);
    let item = stored[0]["id"].as_str().unwrap().to_owned();
    let md5 = stored[0]["md5"].as_str().unwrap().to_owned();

    let bad = env.path("bad-list.txt");
    std::fs::write(&bad, format!("md5:{md5}\nphotodna:00ff\n")).unwrap();
    let out = env.run(&[
        "media",
        "hash-list",
        "import",
        bad.to_str().unwrap(),
        "--name",
        "L",
        "--supplier",
        "S",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad-list.txt") && stderr(&out).contains("line 2"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["media", "hash-list", "list", "--json"]);
    assert!(json_lines(&out).is_empty(), "a refused list is not kept");

    let list = env.path("list.txt");
    std::fs::write(&list, format!("# synthetic\n{md5}\n")).unwrap();
    let out = env.run(&[
        "media",
        "hash-list",
        "import",
        list.to_str().unwrap(),
        "--name",
        "Синтетический список",
        "--supplier",
        "Синтетический орган",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["matches"][0]["newly_marked"], true, "{lines:?}");

    let bag = env.path("bag");
    let out = env.run(&["export", ADS, "--bagit", bag.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--restricted-authorisation"),
        "{}",
        stderr(&out)
    );
    assert!(!bag.exists());
    let copy = env.path("copy.png");
    let out = env.run(&[
        "copy",
        &item,
        copy.to_str().unwrap(),
        "--reason",
        "экспертиза",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = env.run(&[
        "export",
        ADS,
        "--bagit",
        bag.to_str().unwrap(),
        "--restricted-authorisation",
        "Постановление №3 (синтетика)",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.run(&["ledger", "export", "--case", ADS]);
    let restricted: Vec<Value> = json_lines(&out)
        .into_iter()
        .filter(|e| e["kind"] == "restricted")
        .collect();
    assert!(
        restricted.iter().any(|e| {
            let d: Value = serde_json::from_str(e["details"].as_str().unwrap()).unwrap();
            d["action"] == "export_authorised"
                && d["authorisation"] == "Постановление №3 (синтетика)"
        }),
        "{restricted:?}"
    );

    // The examiner's view of the picture, on the command line.
    let out = env.run(&["media", "examine", &item, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ex = &json_lines(&out)[0];
    // A configured trust list that cannot be read is said, not ignored.
    let missing = env.path("no-trust-list.pem");
    let refused = env.run_with(
        &[
            "media",
            "examine",
            &item,
            "--restricted-authorisation",
            "Постановление №3 (синтетика)",
        ],
        &[("QORGAU_C2PA_TRUST_ANCHORS", missing.to_str().unwrap())],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("QORGAU_C2PA_TRUST_ANCHORS")
            && stderr(&refused).contains("no-trust-list.pem"),
        "{}",
        stderr(&refused)
    );
    assert!(
        ex["signals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "no_exif")
    );
    let ela = env.path("ela.png");
    let out = env.run(&[
        "media",
        "examine",
        &item,
        "--error-level",
        ela.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a marked item's image leaves only authorised: {}",
        stderr(&out)
    );
    assert!(!ela.exists());
    let out = env.run(&[
        "media",
        "examine",
        picture.to_str().unwrap(),
        "--error-level",
        ela.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(&std::fs::read(&ela).unwrap()[..4], b"\x89PNG");

    let out = env.run(&[
        "media",
        "release",
        &item,
        "--reason",
        "ошибка списка (синтетика)",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = env.run(&[
        "copy",
        &item,
        copy.to_str().unwrap(),
        "--reason",
        "экспертиза",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_shown_in_a_video_is_found_both_ways() {
    let env = Env::new().await;
    let a = imageset::even_picture(imageset::Kind::Shapes, 21);
    let b = imageset::even_picture(imageset::Kind::Noise, 22);
    let photos = env.path("photos");
    std::fs::create_dir_all(&photos).unwrap();
    let photo = photos.join("ad-photo.jpg");
    std::fs::write(&photo, imageset::jpeg(&a, 80)).unwrap();
    let videos = env.path("videos");
    std::fs::create_dir_all(&videos).unwrap();
    let clip = imageset::two_shot_video(&videos, &a, &b, "clip.mp4", &["-c:v", "libx264"]);
    let photo_item = add(&env, ADS, &[photo.as_path()])[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stored = add(&env, OTHER, &[clip.as_path()]);
    assert_eq!(stored[0]["media_type"], "video/mp4", "{stored:?}");
    let clip_item = stored[0]["id"].as_str().unwrap().to_owned();

    // From the photo: the video, at the frame where the photo is shown.
    let report = similar(&env, &[&photo_item]);
    assert_eq!(
        report["video_frames_searched"], 2,
        "one frame per shot: {report}"
    );
    let m = &report["matches"][0];
    assert_eq!(m["item"], clip_item.as_str(), "{report}");
    assert_eq!(m["case"], OTHER);
    assert_eq!(m["frame_at_ms"], 0);
    assert_eq!(report["matches"].as_array().unwrap().len(), 1);

    // From the video: each key frame is a query; the photo matches the first.
    let report = similar(&env, &[&clip_item]);
    let frames = report["query"]["key_frames"].as_array().unwrap();
    assert_eq!(frames.len(), 2, "{report}");
    assert!(
        (2900..=3100).contains(&frames[1]["at_ms"].as_u64().unwrap()),
        "{report}"
    );
    assert_eq!(
        report["matches"][0]["item"],
        photo_item.as_str(),
        "{report}"
    );
    assert_eq!(report["matches"][0]["query_frame_at_ms"], 0);

    // A file on disk: the second shot, found three seconds in.
    let second = env.path("second.png");
    std::fs::write(&second, imageset::png(&b)).unwrap();
    let report = similar(&env, &[second.to_str().unwrap()]);
    assert_eq!(report["matches"][0]["item"], clip_item.as_str(), "{report}");
    let at = report["matches"][0]["frame_at_ms"].as_u64().unwrap();
    assert!((2900..=3100).contains(&at), "{report}");

    // A video given as a file is hashed on the spot.
    let out = env.run(&["media", "similar", clip.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 key frame(s)"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("(query frame at 0:00.0)"),
        "{}",
        stderr(&out)
    );

    // The authority's list names the second shot's picture: the video that
    // shows it is marked, though no listed file is in the vault.
    let hashed = qorgau_media::phash::hash_bytes(&imageset::png(&b), "b").unwrap();
    let list = env.path("list.txt");
    std::fs::write(&list, format!("phash:{}\n", hashed.phash_hex())).unwrap();
    let out = env.run(&[
        "media",
        "hash-list",
        "import",
        list.to_str().unwrap(),
        "--name",
        "L-video",
        "--supplier",
        "Синтетический орган",
        "--max-distance",
        "10",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let marked: Vec<String> = json_lines(&out)[0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["sha256"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        marked,
        vec![stored[0]["sha256"].as_str().unwrap().to_owned()]
    );
    // A new video showing it is marked as it is stored.
    let later = env.path("later");
    std::fs::create_dir_all(&later).unwrap();
    let reversed = imageset::two_shot_video(&later, &b, &a, "clip.mp4", &["-c:v", "libx264"]);
    let out = env.run(&["add", reversed.to_str().unwrap(), "--case", OTHER]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 item(s) are on a hash list"),
        "{}",
        stderr(&out)
    );

    // The backfill hashes a video whose frames are missing.
    let store = Store::open(&env.db.location).await.unwrap();
    for table in ["media_frames", "media_hashes"] {
        store
            .execute_unchecked(format!("DELETE FROM {table}"))
            .await
            .unwrap();
    }
    let out = env.run(&["media", "index", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "the photo and both videos: {lines:?}");
    assert!(lines.iter().all(|l| l["status"] == "hashed"), "{lines:?}");
    let report = similar(&env, &[&photo_item]);
    assert_eq!(report["matches"][0]["item"], clip_item.as_str());

    // Not a video after all: named, exit 2.
    let fake = env.path("fake.mp4");
    std::fs::write(&fake, b"\x00\x00\x00\x18ftypmp42 but nothing else").unwrap();
    let out = env.run(&["media", "similar", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("fake.mp4"), "{}", stderr(&out));
}
