//! Memory does not grow with the input: JSON Lines and Telegram exports far
//! larger than the memory ceiling asserted here are streamed through, and
//! the process's peak resident size (Linux `VmHWM`) stays small.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufReader, Read};

use qorgau_sources::{Format, ReadOptions, read};

/// Produces `header`, then `count` copies of `item(i)` separated by
/// `separator`, then `footer`, without ever holding more than one item.
struct Generated<F: FnMut(u64) -> Vec<u8>> {
    header: Vec<u8>,
    footer: Vec<u8>,
    separator: Vec<u8>,
    item: F,
    count: u64,
    next: u64,
    pending: Vec<u8>,
    pos: usize,
    footer_sent: bool,
    produced: u64,
}

impl<F: FnMut(u64) -> Vec<u8>> Generated<F> {
    fn new(header: &str, separator: &str, footer: &str, count: u64, item: F) -> Self {
        Self {
            header: header.as_bytes().to_vec(),
            footer: footer.as_bytes().to_vec(),
            separator: separator.as_bytes().to_vec(),
            item,
            count,
            next: 0,
            pending: Vec::new(),
            pos: 0,
            footer_sent: false,
            produced: 0,
        }
    }
}

impl<F: FnMut(u64) -> Vec<u8>> Read for Generated<F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.pending.len() {
            self.pos = 0;
            self.pending.clear();
            if !self.header.is_empty() {
                self.pending = std::mem::take(&mut self.header);
            } else if self.next < self.count {
                if self.next > 0 {
                    self.pending.extend_from_slice(&self.separator);
                }
                let item = (self.item)(self.next);
                self.pending.extend_from_slice(&item);
                self.next += 1;
            } else if !self.footer_sent {
                self.footer_sent = true;
                self.pending = self.footer.clone();
            } else {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.pending.len() - self.pos);
        buf[..n].copy_from_slice(&self.pending[self.pos..self.pos + n]);
        self.pos += n;
        self.produced += n as u64;
        Ok(n)
    }
}

/// Peak resident set size of this process, in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kb: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

const CEILING: u64 = 40 << 20;

#[test]
fn large_inputs_stream_in_bounded_memory() {
    // JSON Lines: 1,200 lines of ~100 KB each (about 120 MB).
    let text = "Работа в Корее, звоните 8 701 555 01 23. ".repeat(1_900);
    let lines = 1_200u64;
    let source = Generated::new("", "\n", "\n", lines, move |i| {
        format!("{{\"id\":\"ad-{i}\",\"text\":\"{text}\",\"source\":\"gen\"}}").into_bytes()
    });
    let mut count = 0u64;
    let mut bytes = 0u64;
    for item in read(
        "gen.jsonl",
        BufReader::new(source),
        Format::Jsonl,
        &ReadOptions::default(),
    )
    .unwrap()
    {
        let doc = item.unwrap();
        bytes += doc.text.len() as u64;
        count += 1;
    }
    assert_eq!(count, lines);
    assert!(bytes > 120_000_000, "{bytes}");
    let peak = peak_rss();
    assert!(peak < CEILING, "peak RSS {peak} after 120 MB of JSON Lines");

    // Telegram export: one channel of 32,000 messages of ~2.5 KB with entity
    // arrays (about 80 MB).
    let messages = 32_000u64;
    let long = "Требуются девушки на работу в Дубай, оплата ежедневно, жильё бесплатно. ".repeat(8);
    let header = "{\n \"name\": \"Генератор\",\n \"type\": \"public_channel\",\n \"id\": 777,\n \"messages\": [\n";
    let source = Generated::new(header, ",\n", "\n ]\n}\n", messages, move |i| {
        format!(
            "  {{\n   \"id\": {i},\n   \"type\": \"message\",\n   \"date\": \"2024-03-11T10:15:42\",\n   \"date_unixtime\": \"1710134142\",\n   \"from\": \"Генератор\",\n   \"from_id\": \"channel777\",\n   \"text\": [\"{long}\", {{\"type\": \"text_link\", \"text\": \"анкета\", \"href\": \"https://forms.example/{i}\"}}, \" и звоните +7 701 555 01 23\"],\n   \"text_entities\": [{{\"type\": \"plain\", \"text\": \"{long}\"}}, {{\"type\": \"text_link\", \"text\": \"анкета\", \"href\": \"https://forms.example/{i}\"}}, {{\"type\": \"plain\", \"text\": \" и звоните +7 701 555 01 23\"}}]\n  }}"
        )
        .into_bytes()
    });
    let mut count = 0u64;
    let mut last = None;
    let mut total = 0u64;
    for item in read(
        "gen.json",
        BufReader::new(source),
        Format::Telegram,
        &ReadOptions::default(),
    )
    .unwrap()
    {
        let doc = item.unwrap();
        total += doc.text.len() as u64;
        last = Some(doc);
        count += 1;
    }
    assert_eq!(count, messages);
    assert!(total > 30_000_000, "{total}");
    let last = last.unwrap();
    assert_eq!(last.id, format!("tg:777:{}", messages - 1));
    assert!(
        last.text
            .ends_with(&format!("\nhttps://forms.example/{}", messages - 1))
    );
    let peak = peak_rss();
    assert!(
        peak < CEILING,
        "peak RSS {peak} after an 80 MB Telegram export"
    );
}
