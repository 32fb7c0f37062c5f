//! Telegram Desktop exports (`result.json`, JSON format).
//!
//! Two shapes are read: a single chat ("Export chat history": top-level
//! `name`, `type`, `id`, `messages`) and a whole account ("Export Telegram
//! data": `chats.list[]` and `left_chats.list[]` of such chats, beside
//! `personal_information`, `contacts`, `sessions`... which are skipped
//! unread and never become documents).
//!
//! Exports run to hundreds of megabytes, so the file is never loaded: a
//! `serde_json` streaming deserializer walks it with seed visitors on a
//! worker thread, builds one message at a time and sends the documents in
//! batches of 64 through a channel bounded to 4 batches, so memory stays at
//! one message plus a few hundred documents. (Only if a chat's `messages`
//! came before its `id`, which Telegram Desktop never writes, are that
//! chat's messages held until the chat ends.) Dropping the iterator stops
//! the worker at its next batch.
//!
//! Choices:
//! * Text: `text` is a string or an array of strings and entity objects
//!   (`{type, text, href?, user_id?...}`); the visible text is the
//!   concatenation of the strings and the entities' `text` (`text_entities`
//!   is used when `text` is absent). A `text_link` shows words and hides its
//!   URL in `href`: such URLs, when the text does not already show them, are
//!   appended at the end of the text, each on its own line (the rule of
//!   `links`), so the contacts they carry are found by the same scan.
//! * Service messages (`type: "service"`: joins, pins, title changes) are
//!   skipped: Telegram generates them, their `text` is empty, and the chat
//!   title they may carry is already in `source`. Every other message is a
//!   document, also one without text (a photo without caption), so that the
//!   record of a chat is complete and its media paths are kept.
//! * id `tg:<chat id>:<message id>`.
//! * source `telegram:@<username>` when the username is known (an export
//!   does not contain it; [`crate::ReadOptions::telegram_username`] gives it
//!   for a single-chat export, and a `username` field is honoured), else
//!   `telegram:private` for personal, bot and saved-messages chats (the name
//!   of a personal chat is a private person's name and stays in `extra`
//!   only), else `telegram:<chat name>`.
//! * author = `from`; published_at = `date_unixtime` as RFC 3339 UTC, else
//!   `date` as given (the exporting computer's local time, no offset);
//!   url = `https://t.me/<username>/<id>` for public channels and groups
//!   with a known username.
//! * extra = every other field of the message as it was (`date`, `from_id`,
//!   `forwarded_from`, `reply_to_message_id`, `photo`, `file`, `edited`,
//!   `reactions`...) plus `chat_name` and `chat_type`.
//! * Pictures: `photo`, and `file` when it is a picture (an image
//!   `mime_type` or extension, not a sticker, animation, video or audio
//!   `media_type`), are read from the export's directory and hashed into
//!   `extra["images"]` (see `images`: a missing file, one the export left out
//!   — "(File not included…)" — or a broken one is a note on the picture,
//!   never an error of the message). A video `file` (`video_file`,
//!   `video_message`, or a video `mime_type`) gives its key frames instead,
//!   each a picture with its `frame_ms` (`qorgau_media::video`: ffmpeg; a
//!   missing ffmpeg is a note). Hashing takes tens of milliseconds a
//!   photo, so each batch's pictures are hashed on up to 8 threads before
//!   the batch is sent; documents keep their order.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{BufRead, Read};
use std::rc::Rc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::Document;
use crate::error::{JsonKind, SourceError, json_message};
use crate::images::{ImageRef, LocalImages, is_telegram_placeholder};
use crate::links::append_hidden;

/// Documents sent to the consumer at once: one wake-up of the consumer
/// per batch instead of per message.
const BATCH: usize = 64;
/// Batches waiting in the channel between the worker and the consumer.
const CHANNEL_CAPACITY: usize = 4;

type Batch = Vec<Result<Document, SourceError>>;

/// The documents of an export, produced by a worker thread.
pub(crate) struct TelegramStream {
    rx: Receiver<Batch>,
    current: std::vec::IntoIter<Result<Document, SourceError>>,
    worker: Option<JoinHandle<()>>,
}

impl Iterator for TelegramStream {
    type Item = Result<Document, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            match self.rx.recv() {
                Ok(batch) => self.current = batch.into_iter(),
                Err(_) => {
                    // The worker is done. Had it panicked (a bug), the panic
                    // is raised here, as if parsing ran on this thread,
                    // rather than passing for the end of the export.
                    if let Some(Err(panic)) = self.worker.take().map(JoinHandle::join) {
                        std::panic::resume_unwind(panic);
                    }
                    return None;
                }
            }
        }
    }
}

/// Starts reading an export on a worker thread.
pub(crate) fn telegram_stream<R: BufRead + Send + 'static>(
    input: &str,
    reader: R,
    username: Option<String>,
    images: LocalImages,
) -> Result<TelegramStream, SourceError> {
    let (tx, rx) = sync_channel(CHANNEL_CAPACITY);
    let name = input.to_string();
    let worker = std::thread::Builder::new()
        .name("telegram-export".into())
        .spawn(move || run(name, reader, username, images, tx))
        .map_err(|source| SourceError::Io {
            input: input.to_string(),
            source,
        })?;
    Ok(TelegramStream {
        rx,
        current: Vec::new().into_iter(),
        worker: Some(worker),
    })
}

/// A buffer between the input and serde_json that counts the newlines
/// handed out, to report the line of each message. serde_json's reader
/// asks for one byte at a time and never reads ahead more than one byte,
/// so the count is exact; serving those one-byte reads from this buffer
/// (not from the boxed input) keeps the per-byte cost at a copy and a
/// compare.
struct LineCounter<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    lines: Rc<Cell<u64>>,
}

impl<R: Read> LineCounter<R> {
    fn new(inner: R, lines: Rc<Cell<u64>>) -> Self {
        Self {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            filled: 0,
            lines,
        }
    }
}

impl<R: Read> Read for LineCounter<R> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.filled {
            self.filled = self.inner.read(&mut self.buf)?;
            self.pos = 0;
            if self.filled == 0 {
                return Ok(0);
            }
        }
        let n = out.len().min(self.filled - self.pos);
        let chunk = &self.buf[self.pos..self.pos + n];
        out[..n].copy_from_slice(chunk);
        self.pos += n;
        let newlines = if n == 1 {
            u64::from(chunk[0] == b'\n')
        } else {
            memchr::memchr_iter(b'\n', chunk).count() as u64
        };
        if newlines > 0 {
            self.lines.set(self.lines.get() + newlines);
        }
        Ok(n)
    }
}

struct Ctx {
    input: String,
    tx: SyncSender<Batch>,
    batch: RefCell<Batch>,
    lines: Rc<Cell<u64>>,
    username: Option<String>,
    images: LocalImages,
    chats: Cell<usize>,
    stopped: Cell<bool>,
}

impl Ctx {
    /// Queues an item; false (and `stopped`) when the consumer is gone.
    fn send(&self, item: Result<Document, SourceError>) -> bool {
        let full = {
            let mut batch = self.batch.borrow_mut();
            batch.push(item);
            batch.len() >= BATCH
        };
        !full || self.flush()
    }

    /// Sends the queued items; false (and `stopped`) when the consumer is gone.
    fn flush(&self) -> bool {
        let mut batch = std::mem::take(&mut *self.batch.borrow_mut());
        if batch.is_empty() {
            return true;
        }
        add_images(&mut batch, &self.images);
        if self.tx.send(batch).is_err() {
            self.stopped.set(true);
            return false;
        }
        true
    }
}

fn run<R: BufRead>(
    input: String,
    reader: R,
    username: Option<String>,
    images: LocalImages,
    tx: SyncSender<Batch>,
) {
    let lines = Rc::new(Cell::new(0));
    let counting = LineCounter::new(reader, Rc::clone(&lines));
    let ctx = Ctx {
        input,
        tx,
        batch: RefCell::new(Vec::with_capacity(BATCH)),
        lines,
        username,
        images,
        chats: Cell::new(0),
        stopped: Cell::new(false),
    };
    let mut de = serde_json::Deserializer::from_reader(counting);
    let result = ChatSeed {
        ctx: &ctx,
        top: true,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match result {
        Err(_) if ctx.stopped.get() => {}
        Err(e) if e.is_io() => {
            ctx.send(Err(SourceError::Io {
                input: ctx.input.clone(),
                source: std::io::Error::other(e.to_string()),
            }));
        }
        Err(e) => {
            ctx.send(Err(SourceError::Json {
                input: ctx.input.clone(),
                line: e.line() as u64,
                column: e.column() as u64,
                message: json_message(&e),
            }));
        }
        Ok(()) if ctx.chats.get() == 0 => {
            ctx.send(Err(SourceError::NotTelegramExport {
                input: ctx.input.clone(),
            }));
        }
        Ok(()) => {}
    }
    ctx.flush();
}

/// What a chat says about itself.
#[derive(Debug, Default, Clone)]
struct ChatInfo {
    id: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    username: Option<String>,
}

impl ChatInfo {
    fn label(&self) -> String {
        self.id
            .clone()
            .or_else(|| self.name.clone())
            .unwrap_or_else(|| "?".into())
    }

    fn is_private(&self) -> bool {
        matches!(
            self.kind.as_deref(),
            Some("personal_chat" | "bot_chat" | "saved_messages")
        )
    }

    fn is_public(&self) -> bool {
        match self.kind.as_deref() {
            Some(k) => k.starts_with("public_"),
            None => true,
        }
    }

    fn source(&self) -> String {
        if let Some(u) = &self.username {
            format!("telegram:@{}", u.to_ascii_lowercase())
        } else if self.is_private() {
            "telegram:private".into()
        } else if let Some(n) = &self.name {
            format!("telegram:{n}")
        } else {
            format!("telegram:{}", self.label())
        }
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A chat object; at the top level also a whole-account export.
struct ChatSeed<'c> {
    ctx: &'c Ctx,
    top: bool,
}

impl<'de> DeserializeSeed<'de> for ChatSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ChatSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.top {
            f.write_str("a Telegram Desktop export (an object with `messages` or `chats`)")
        } else {
            f.write_str("a chat object")
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut chat = ChatInfo::default();
        if self.top {
            chat.username = self.ctx.username.clone();
        }
        let mut buffered: Option<Vec<(u64, Value)>> = None;
        let mut had_messages = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "name" => chat.name = scalar_text(&map.next_value::<Value>()?),
                "type" => chat.kind = scalar_text(&map.next_value::<Value>()?),
                "id" => chat.id = scalar_text(&map.next_value::<Value>()?),
                "username" => {
                    if let Some(u) = scalar_text(&map.next_value::<Value>()?) {
                        let u = u.trim().trim_start_matches('@').to_string();
                        if !u.is_empty() {
                            chat.username = Some(u);
                        }
                    }
                }
                "messages" => {
                    had_messages = true;
                    if chat.id.is_some() {
                        map.next_value_seed(MessagesSeed {
                            ctx: self.ctx,
                            chat: Some(&chat),
                            buffer: None,
                        })?;
                    } else {
                        let mut buf = Vec::new();
                        map.next_value_seed(MessagesSeed {
                            ctx: self.ctx,
                            chat: None,
                            buffer: Some(&mut buf),
                        })?;
                        buffered = Some(buf);
                    }
                }
                "chats" | "left_chats" if self.top => {
                    map.next_value_seed(ChatListSeed { ctx: self.ctx })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        for (line, message) in buffered.into_iter().flatten() {
            if !emit(self.ctx, &chat, line, message) {
                return Err(de::Error::custom("reader dropped"));
            }
        }
        if had_messages {
            self.ctx.chats.set(self.ctx.chats.get() + 1);
        }
        Ok(())
    }
}

/// `chats` / `left_chats`: `{ "about": ..., "list": [chat...] }` (a bare
/// array of chats is accepted too).
struct ChatListSeed<'c> {
    ctx: &'c Ctx,
}

impl<'de> DeserializeSeed<'de> for ChatListSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChatListSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a chat list (an object with `list`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "list" {
                map.next_value_seed(ChatListSeed { ctx: self.ctx })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(ChatSeed {
                ctx: self.ctx,
                top: false,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A chat's `messages` array: each message is converted and sent as soon as
/// it is read (or buffered when the chat is not yet known).
struct MessagesSeed<'c, 'b> {
    ctx: &'c Ctx,
    chat: Option<&'c ChatInfo>,
    buffer: Option<&'b mut Vec<(u64, Value)>>,
}

impl<'de> DeserializeSeed<'de> for MessagesSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for MessagesSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        while let Some((line, message)) = seq.next_element_seed(MessageSeed {
            lines: &self.ctx.lines,
        })? {
            match (&mut self.buffer, self.chat) {
                (Some(buf), _) => buf.push((line, message)),
                (None, Some(chat)) => {
                    if !emit(self.ctx, chat, line, message) {
                        return Err(de::Error::custom("reader dropped"));
                    }
                }
                (None, None) => {}
            }
        }
        Ok(())
    }
}

/// One message as a JSON value, with the line where it starts.
struct MessageSeed<'c> {
    lines: &'c Rc<Cell<u64>>,
}

impl<'de> DeserializeSeed<'de> for MessageSeed<'_> {
    type Value = (u64, Value);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(u64, Value), D::Error> {
        // serde_json has skipped the white space before the value already.
        let line = self.lines.get() + 1;
        Ok((line, Value::deserialize(d)?))
    }
}

/// Converts and sends one message; false when the consumer is gone.
fn emit(ctx: &Ctx, chat: &ChatInfo, line: u64, message: Value) -> bool {
    match message_document(chat, message) {
        Ok(Some(doc)) => ctx.send(Ok(doc)),
        Ok(None) => true,
        Err(message) => ctx.send(Err(SourceError::TelegramMessage {
            input: ctx.input.clone(),
            line,
            chat: chat.label(),
            message,
        })),
    }
}

/// `media_type`s whose `file` is not a picture worth comparing: stickers
/// and animations are the same few pictures in every chat, the rest are
/// not still images.
const NOT_PICTURES: [&str; 6] = [
    "sticker",
    "animation",
    "video_file",
    "video_message",
    "voice_message",
    "audio_file",
];

/// Most threads that hash one batch's pictures.
const MAX_IMAGE_THREADS: usize = 8;

/// Reads and hashes the pictures of a batch's messages, on several threads
/// when there are several to hash: decoding a 1280-pixel photo takes tens of
/// milliseconds, and the scan waits for the reader while it does.
fn add_images(batch: &mut [Result<Document, SourceError>], local: &LocalImages) {
    let docs: Vec<&mut Document> = batch
        .iter_mut()
        .filter_map(|d| d.as_mut().ok())
        .filter(|d| d.extra.contains_key("photo") || d.extra.contains_key("file"))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(MAX_IMAGE_THREADS)
        .min(docs.len());
    let slots: Vec<std::sync::Mutex<&mut Document>> =
        docs.into_iter().map(std::sync::Mutex::new).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(slot) = slots.get(i) else {
                break;
            };
            if let Ok(mut doc) = slot.lock() {
                let images = message_images(&doc.extra, local);
                doc.set_images(images);
            }
        }
    };
    std::thread::scope(|scope| {
        // A thread that cannot be started leaves its share to the others and
        // to this one, which always works through the queue too.
        for _ in 1..threads {
            let _ = std::thread::Builder::new()
                .name("telegram-images".into())
                .spawn_scoped(scope, work);
        }
        work();
    });
}

/// The pictures of a message (`photo`, and `file` when it is a picture).
fn message_images(extra: &Map<String, Value>, local: &LocalImages) -> Vec<ImageRef> {
    let mut out = Vec::new();
    let read = |value: &str, what: &str| {
        if is_telegram_placeholder(value) {
            ImageRef {
                note: Some(format!("{what} not included in the export: {value}")),
                ..ImageRef::default()
            }
        } else {
            local.read_path(value)
        }
    };
    if let Some(Value::String(photo)) = extra.get("photo") {
        out.push(read(photo, "photo"));
    }
    if let Some(Value::String(file)) = extra.get("file") {
        let media_type = extra.get("media_type").and_then(Value::as_str);
        let mime = extra.get("mime_type").and_then(Value::as_str);
        let by_name = || {
            let lower = file.to_ascii_lowercase();
            [".jpg", ".jpeg", ".png", ".gif", ".webp"]
                .iter()
                .any(|e| lower.ends_with(e))
        };
        let picture = match mime {
            Some(m) => qorgau_media::phash::hashable(m),
            None => by_name(),
        };
        let video = match mime {
            Some(m) => qorgau_media::video::hashable_video(m),
            None => {
                let lower = file.to_ascii_lowercase();
                [".mp4", ".mov", ".webm", ".mkv", ".3gp"]
                    .iter()
                    .any(|e| lower.ends_with(e))
            }
        } && matches!(media_type, None | Some("video_file" | "video_message"));
        if picture && !media_type.is_some_and(|t| NOT_PICTURES.contains(&t)) {
            out.push(read(file, "file"));
        } else if video {
            // A video's key frames, each a picture with its time: the same
            // photo reused as a frame links the messages like a photo.
            if is_telegram_placeholder(file) {
                out.push(read(file, "video"));
            } else {
                out.extend(local.read_video(file));
            }
        }
    }
    out
}

/// Visible text and hidden `text_link` targets of a `text` value.
fn message_text(text: &Value) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut hrefs = Vec::new();
    match text {
        Value::String(s) => out.push_str(s),
        Value::Array(parts) => {
            for part in parts {
                match part {
                    Value::String(s) => out.push_str(s),
                    Value::Object(entity) => {
                        if let Some(Value::String(s)) = entity.get("text") {
                            out.push_str(s);
                        }
                        if let Some(Value::String(href)) = entity.get("href") {
                            hrefs.push(href.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    (out, hrefs)
}

/// RFC 3339 UTC from `date_unixtime` (a string or a number of seconds).
fn unix_time(v: &Value) -> Option<String> {
    let secs = match v {
        Value::String(s) => s.trim().parse::<i64>().ok()?,
        Value::Number(n) => n.as_i64()?,
        _ => return None,
    };
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// A message to a document: `Ok(None)` for service messages.
fn message_document(chat: &ChatInfo, message: Value) -> Result<Option<Document>, String> {
    let mut m: Map<String, Value> = match message {
        Value::Object(m) => m,
        other => {
            return Err(format!(
                "a message must be an object, found {}",
                JsonKind(&other)
            ));
        }
    };
    if m.get("type").and_then(Value::as_str) == Some("service") {
        return Ok(None);
    }
    let id = match m.remove("id") {
        Some(v) => scalar_text(&v)
            .ok_or_else(|| format!("message `id` must be a number, found {}", JsonKind(&v)))?,
        None => return Err("message without `id`".into()),
    };
    m.remove("type");
    let text_value = m.remove("text");
    let entities = m.remove("text_entities");
    let (mut text, hrefs) = match (&text_value, &entities) {
        (Some(t @ (Value::String(_) | Value::Array(_))), _) => message_text(t),
        (_, Some(e @ Value::Array(_))) => message_text(e),
        (None | Some(Value::Null), None | Some(Value::Null)) => (String::new(), Vec::new()),
        (Some(other), _) => {
            return Err(format!(
                "message {id}: `text` must be a string or an array, found {}",
                JsonKind(other)
            ));
        }
        (None, Some(other)) => {
            return Err(format!(
                "message {id}: `text_entities` must be an array, found {}",
                JsonKind(other)
            ));
        }
    };
    append_hidden(&mut text, &hrefs);
    let published_at = match m.get("date_unixtime").and_then(unix_time) {
        Some(t) => {
            m.remove("date_unixtime");
            Some(t)
        }
        None => m.get("date").and_then(Value::as_str).map(str::to_string),
    };
    let author = match m.remove("from") {
        Some(Value::String(s)) => Some(s),
        Some(other @ (Value::Number(_) | Value::Bool(_) | Value::Array(_) | Value::Object(_))) => {
            m.insert("from".into(), other);
            None
        }
        _ => None,
    };
    let url = match &chat.username {
        Some(u) if chat.is_public() && !chat.is_private() => Some(format!("https://t.me/{u}/{id}")),
        _ => None,
    };
    if let Some(n) = &chat.name {
        m.insert("chat_name".into(), n.clone().into());
    }
    if let Some(k) = &chat.kind {
        m.insert("chat_type".into(), k.clone().into());
    }
    Ok(Some(Document {
        id: format!("tg:{}:{id}", chat.label()),
        text,
        url,
        source: Some(chat.source()),
        author,
        published_at,
        extra: m,
    }))
}
