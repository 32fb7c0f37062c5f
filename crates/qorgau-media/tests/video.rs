//! Key frames of generated videos, encoded by ffmpeg (installed by
//! `scripts/install-test-tools`): a photo shown in a video is found by the
//! photo's own hashes, at the time it appears; repeated key frames of a
//! still shot count once; bad input and a missing ffmpeg are clear errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod imageset;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use imageset::{Kind, Rng};
use qorgau_media::index::ImageMatch;
use qorgau_media::phash::{self, hamming};
use qorgau_media::video::{VideoError, VideoOptions, hash_video, hash_video_with};

/// A picture of `kind`, cropped to even sides (H.264 in 4:2:0 needs them).
fn picture(kind: Kind, seed: u64) -> image::RgbImage {
    let img = imageset::base(kind, &mut Rng::new(seed));
    let (w, h) = (img.width() & !1, img.height() & !1);
    image::imageops::crop_imm(&img, 0, 0, w, h).to_image()
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg is installed by scripts/install-test-tools");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A video showing `a.png` for 3 s and `b.png` for 3 s, 25 frames a second,
/// a key frame every second (so `a` is encoded three times over).
fn two_shots(dir: &Path, a: &image::RgbImage, b: &image::RgbImage, out: &str, codec: &[&str]) {
    let (pa, pb) = (dir.join("a.png"), dir.join("b.png"));
    a.save(&pa).unwrap();
    // Both shots at the first one's size, as a video has one.
    image::imageops::resize(
        b,
        a.width(),
        a.height(),
        image::imageops::FilterType::Triangle,
    )
    .save(&pb)
    .unwrap();
    let mut args: Vec<&str> = vec![
        "-loop",
        "1",
        "-framerate",
        "25",
        "-t",
        "3",
        "-i",
        pa.to_str().unwrap(),
        "-loop",
        "1",
        "-framerate",
        "25",
        "-t",
        "3",
        "-i",
        pb.to_str().unwrap(),
        "-filter_complex",
        "[0:v][1:v]concat=n=2:v=1[v]",
        "-map",
        "[v]",
        "-g",
        "25",
        "-pix_fmt",
        "yuv420p",
    ];
    args.extend_from_slice(codec);
    let path = dir.join(out);
    args.push(path.to_str().unwrap());
    ffmpeg(&args);
}

#[test]
fn a_photo_in_a_video_is_found_at_the_time_it_appears() {
    let dir = tempfile::tempdir().unwrap();
    let a = picture(Kind::Shapes, 11);
    let b = picture(Kind::Noise, 12);
    for (name, codec) in [
        ("clip.mp4", &["-c:v", "libx264"][..]),
        ("clip.webm", &["-c:v", "libvpx-vp9", "-b:v", "400k"][..]),
    ] {
        two_shots(dir.path(), &a, &b, name, codec);
        let video = hash_video(&dir.path().join(name), name).unwrap();
        assert_eq!(
            (video.width, video.height),
            (a.width(), a.height()),
            "{name}"
        );
        assert!(video.key_frames >= 6, "{name}: a key frame every second");
        // Repeats of a still shot are dropped: one frame per shot.
        assert_eq!(video.frames.len(), 2, "{name}: {:?}", video.frames);
        assert_eq!(video.frames[0].time_ms, 0);
        assert!(
            (2900..=3100).contains(&video.frames[1].time_ms),
            "{name}: the second shot starts at 3 s, not {}",
            video.frames[1].time_ms
        );
        for (shot, still) in [(&video.frames[0], &a), (&video.frames[1], &b)] {
            let h = phash::hash_bytes(&imageset::png(still), "still").unwrap();
            let (dp, dd) = (
                hamming(h.phash, shot.hashes.phash),
                hamming(h.dhash, shot.hashes.dhash),
            );
            assert!(
                ImageMatch::is_match(dp, dd, 8),
                "{name}: pHash {dp}, dHash {dd}"
            );
        }
        // And the two shots are not taken for one another.
        let (fa, fb) = (video.frames[0].hashes, video.frames[1].hashes);
        assert!(!ImageMatch::is_match(
            hamming(fa.phash, fb.phash),
            hamming(fa.dhash, fb.dhash),
            8
        ));
    }
}

#[test]
fn bad_input_and_a_missing_ffmpeg_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.mp4");
    std::fs::write(&text, b"this is not a video at all").unwrap();
    match hash_video(&text, "notes.mp4") {
        Err(e @ VideoError::Decode { .. }) => assert!(
            e.to_string()
                .starts_with("notes.mp4: ffmpeg could not decode it")
        ),
        other => panic!("{other:?}"),
    }
    let missing = hash_video(&dir.path().join("nowhere.mp4"), "nowhere.mp4").unwrap_err();
    assert!(matches!(missing, VideoError::Io { .. }), "{missing:?}");

    let a = picture(Kind::Gradient, 3);
    two_shots(dir.path(), &a, &a, "clip.mp4", &["-c:v", "libx264"]);
    let clip = dir.path().join("clip.mp4");
    let options = VideoOptions {
        ffmpeg: "/nonexistent/ffmpeg".into(),
        ..VideoOptions::default()
    };
    let e = hash_video_with(&clip, "clip.mp4", &options).unwrap_err();
    assert!(matches!(e, VideoError::NoFfmpeg { .. }), "{e:?}");
    assert!(e.to_string().contains("apt install ffmpeg"), "{e}");
    let options = VideoOptions {
        timeout: Duration::ZERO,
        ..VideoOptions::default()
    };
    let e = hash_video_with(&clip, "clip.mp4", &options).unwrap_err();
    assert!(matches!(e, VideoError::TimedOut { .. }), "{e:?}");
}
