-- Key frames of videos (issue 8): the perceptual hashes of each kept key
-- frame, so that a photo reused as a frame of a video, or two cuts of one
-- video, are found like two copies of a picture.
--
-- A video's row in media_hashes (same algorithm) has no hashes and no error:
-- it says the video was hashed, with its size; its frames are here, one row
-- each, with the frame's time from the start in milliseconds. The hashes are
-- of qorgau_media::phash (the same `algorithm` as images'), so frames and
-- images are compared with each other. Derived data, like media_hashes:
-- written in the same transaction as the video's hash row.

CREATE TABLE media_frames (
    sha256 TEXT NOT NULL,
    algorithm TEXT NOT NULL,
    frame BIGINT NOT NULL,
    time_ms BIGINT NOT NULL,
    phash BIGINT NOT NULL,
    dhash BIGINT NOT NULL,
    PRIMARY KEY (sha256, algorithm, frame)
);
