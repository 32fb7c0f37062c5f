//! Options that change how inputs are read.

use std::path::PathBuf;

/// Choices a user makes on the command line (`--text-column`, `--base-url`...)
/// that the readers cannot guess from the input alone.
///
/// Build it with struct-update syntax from [`ReadOptions::default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// CSV: header of the column holding the text. Default: a column named
    /// `text` (case-insensitive); without one, reading a CSV is an error that
    /// lists the headers.
    pub csv_text_column: Option<String>,
    /// CSV: header of the column holding the id. Default: a column named
    /// `id` if there is one, else `<input>:<row>`.
    pub csv_id_column: Option<String>,
    /// CSV: field delimiter. Default: detected on the header line among
    /// `,` `;` and tab (tab for `.tsv` files).
    pub csv_delimiter: Option<u8>,
    /// HTML: the URL the page was fetched from, used to resolve relative
    /// links and as the document's `url` (before `<link rel=canonical>`).
    pub base_url: Option<String>,
    /// Telegram export: the public username (without `@`) of the chat, which
    /// single-chat exports do not contain. With it, `source` becomes
    /// `telegram:@<username>` and public posts get a `https://t.me/...` URL.
    pub telegram_username: Option<String>,
    /// JSON Lines: the longest line accepted, in bytes; a longer line is an
    /// error item and is skipped without being held in memory.
    pub max_line_bytes: usize,
    /// Whole-file formats (HTML, text, channel pages): the largest input
    /// read into memory, in bytes.
    pub max_document_bytes: u64,
    /// Read and hash the local image files an input names (Telegram photos,
    /// `<img>` of a page saved to disk, JSON Lines `path`), from the input's
    /// own directory (see `images`). On by default, because shared pictures
    /// link networks; off, such pictures are recorded with a note. Files are
    /// never read for standard input, and never from outside the directory.
    pub local_images: bool,
    /// The directory relative image paths are resolved in, instead of the
    /// input's own (an export whose `result.json` was moved away from its
    /// `photos/`).
    pub image_dir: Option<PathBuf>,
    /// The largest image file read, in bytes (larger ones are noted).
    pub max_image_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            csv_text_column: None,
            csv_id_column: None,
            csv_delimiter: None,
            base_url: None,
            telegram_username: None,
            max_line_bytes: 64 << 20,
            max_document_bytes: 256 << 20,
            local_images: true,
            image_dir: None,
            // Telegram sends photos of at most 2560 px (under 1 MB) and keeps
            // files as sent; 32 MiB covers camera originals, and decoding is
            // bounded by pixels anyway (qorgau_media::phash::MAX_PIXELS).
            max_image_bytes: 32 << 20,
        }
    }
}
