//! Key frames of generated videos, encoded by ffmpeg (installed by
//! `scripts/install-test-tools`): a photo shown in a video is found by the
//! photo's own hashes, at the time it appears; repeated key frames of a
//! still shot count once; bad input and a missing ffmpeg are clear errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod imageset;

use std::time::Duration;

use imageset::{Kind, even_picture as picture, two_shot_video};
use qorgau_media::index::ImageMatch;
use qorgau_media::phash::{self, hamming};
use qorgau_media::video::{VideoError, VideoOptions, hash_video, hash_video_with};

#[test]
fn a_photo_in_a_video_is_found_at_the_time_it_appears() {
    let dir = tempfile::tempdir().unwrap();
    let a = picture(Kind::Shapes, 11);
    let b = picture(Kind::Noise, 12);
    for (name, codec) in [
        ("clip.mp4", &["-c:v", "libx264"][..]),
        ("clip.webm", &["-c:v", "libvpx-vp9", "-b:v", "400k"][..]),
    ] {
        two_shot_video(dir.path(), &a, &b, name, codec);
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
    let clip = two_shot_video(dir.path(), &a, &a, "clip.mp4", &["-c:v", "libx264"]);
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
