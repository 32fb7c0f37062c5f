//! The fast path's line scan as it was before the scan learnt to skip
//! work (kept for tests only): `fast::scan_line` must give the same
//! verdict and the same tokens for every line (property tests in
//! `fast.rs`).

use super::*;

/// Scans one line; `toks` is scratch space reused between lines.
pub(super) fn scan_line(line: &str, toks: &mut Vec<(usize, usize)>) -> LineInfo {
    let info = scan_line_inner(line, toks);
    if !info.dirty {
        return info;
    }
    // A dirty line reaches its neighbours only through boundary tokens
    // that are not inert.
    let mut words = line.split_whitespace();
    let head = !words.next().is_some_and(inert_token);
    let tail = !line.split_whitespace().next_back().is_some_and(inert_token);
    LineInfo {
        dirty: true,
        blank: false,
        head_any: head,
        tail_any: tail,
        head_force: head,
        tail_force: tail,
        digits_only: info.digits_only,
    }
}

fn scan_line_inner(line: &str, toks: &mut Vec<(usize, usize)>) -> LineInfo {
    let bytes = line.as_bytes();
    if bytes
        .iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' | b',' | b'-'))
    {
        return LineInfo {
            blank: true,
            ..LineInfo::default()
        };
    }
    // Pass 1: characters, words, tokens.
    toks.clear();
    let mut info = LineInfo::default();
    let mut tok_start: Option<usize> = None;
    let mut word_start: Option<usize> = None;
    let (mut w_cyr, mut w_lat) = (false, false);
    let mut num_run = 0usize;
    let mut gap_clean = true; // only gap characters since the last number word
    let mut seen_word = false;
    let mut last_word_num = false;
    let mut first_word_num = false;
    let mut before_first_word_gap = true;
    let mut digit_adjacent_zero = false;
    let mut nbuf = [0u8; 64];

    let mut end_word = |ws: usize,
                        we: usize,
                        cyr: bool,
                        lat: bool,
                        num_run: &mut usize,
                        gap_clean: &mut bool,
                        seen_word: &mut bool,
                        first_word_num: &mut bool,
                        last_word_num: &mut bool,
                        before: bool|
     -> bool {
        if cyr && lat {
            return true;
        }
        let w = &line[ws..we];
        // Number words are 2–12 letters (at most 24 bytes).
        let is_num = (2..=24).contains(&w.len())
            && numwords::may_be_number_word(w)
            && lower(w, &mut nbuf).is_some_and(numwords::is_number_word);
        if is_num {
            *num_run = if *gap_clean && *num_run > 0 {
                *num_run + 1
            } else {
                1
            };
            if *num_run >= 3 {
                return true;
            }
        } else {
            *num_run = 0;
        }
        if !*seen_word {
            *first_word_num = is_num && before;
        }
        *seen_word = true;
        *last_word_num = is_num;
        *gap_clean = true;
        false
    };

    let b = line.as_bytes();
    let n = b.len();
    let mut prev_digit = false;
    let mut prev_zero = false;
    let mut i = 0;
    while i < n {
        let x = b[i];
        // Basic Cyrillic letters (U+0400..U+047F), most of the text: a
        // letter, stable, never whitespace.
        if (x == 0xD0 || x == 0xD1) && i + 1 < n {
            // О (U+041E) and о (U+043E).
            let zero = x == 0xD0 && matches!(b[i + 1], 0x9E | 0xBE);
            if zero && prev_digit {
                digit_adjacent_zero = true;
            }
            prev_digit = false;
            prev_zero = zero;
            if word_start.is_none() {
                word_start = Some(i);
                w_lat = false;
            }
            w_cyr = true;
            if tok_start.is_none() {
                tok_start = Some(i);
            }
            i += 2;
            continue;
        }
        let (c, len) = if x < 0x80 {
            (char::from(x), 1)
        } else {
            match line[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        if x >= 0x80 && !char_is_stable(c) {
            return DIRTY;
        }
        let digit = c.is_ascii_digit();
        let zero = digits::is_zero_like(c);
        if (prev_digit && zero) || (prev_zero && digit) {
            digit_adjacent_zero = true;
        }
        prev_digit = digit;
        prev_zero = zero;
        let alpha = crate::piece::is_alpha(c);
        if alpha {
            if word_start.is_none() {
                word_start = Some(i);
                w_cyr = false;
                w_lat = false;
            }
            w_cyr |= is_cyr(c);
            w_lat |= is_lat(c);
        } else {
            if let Some(ws) = word_start.take() {
                let before = before_first_word_gap;
                if end_word(
                    ws,
                    i,
                    w_cyr,
                    w_lat,
                    &mut num_run,
                    &mut gap_clean,
                    &mut seen_word,
                    &mut first_word_num,
                    &mut last_word_num,
                    before,
                ) {
                    return DIRTY;
                }
            }
            if !is_gap(c) {
                gap_clean = false;
                if !seen_word {
                    before_first_word_gap = false;
                }
            }
        }
        if is_space(c) {
            if let Some(ts) = tok_start.take() {
                toks.push((ts, i));
            }
        } else if tok_start.is_none() {
            tok_start = Some(i);
        }
        i += len;
    }
    if let Some(ws) = word_start.take() {
        let before = before_first_word_gap;
        if end_word(
            ws,
            line.len(),
            w_cyr,
            w_lat,
            &mut num_run,
            &mut gap_clean,
            &mut seen_word,
            &mut first_word_num,
            &mut last_word_num,
            before,
        ) {
            return DIRTY;
        }
    }
    if let Some(ts) = tok_start.take() {
        toks.push((ts, line.len()));
    }
    if digit_adjacent_zero {
        return DIRTY;
    }

    // Pass 2: tokens — letter-spaced words, e-mail markers, leetspeak.
    let single = |t: (usize, usize)| {
        let s = &line[t.0..t.1];
        let mut ch = s.chars();
        ch.next().is_some_and(crate::piece::is_alpha) && ch.next().is_none()
    };
    let mut run = 0usize;
    for k in 0..toks.len() {
        let t = toks[k];
        if single(t) {
            run = if run > 0 && k > 0 && toks[k - 1].1 + 1 == t.0 {
                run + 1
            } else {
                1
            };
            if run >= 4 {
                return DIRTY;
            }
        } else {
            run = 0;
        }
        let text = &line[t.0..t.1];
        if text.bytes().any(|b| b == b'(' || b == b'[') {
            let lower_text = text.to_ascii_lowercase();
            if ["(at)", "[at]", "(dot)", "[dot]"]
                .iter()
                .any(|m| lower_text.contains(m))
            {
                return DIRTY;
            }
        }
        if (2..=16).contains(&text.len()) && may_be_marker(text) && marker_fires(line, toks, k) {
            return DIRTY;
        }
        if text.bytes().any(|b| b.is_ascii_digit() || b == b'@') && leet_fires(text) {
            return DIRTY;
        }
    }

    // Pass 3: digit groups that the digit step would join.
    if digit_chain(line) {
        return LineInfo {
            digits_only: true,
            ..DIRTY
        };
    }

    if let (Some(&first), Some(&last)) = (toks.first(), toks.last()) {
        info.head_any = (first_word_num) || (first.0 == 0 && single(first));
        info.tail_any = (last_word_num && gap_clean) || (last.1 == line.len() && single(last));
        info.head_force = is_marker(line, first);
        info.tail_force = is_marker(line, last);
    }
    info
}

/// Whether the leet step could rewrite something in token `t`.
pub(super) fn leet_fires(t: &str) -> bool {
    let b = t.as_bytes();
    if b.first().is_some_and(|c| matches!(c, b'@' | b'#')) {
        return false;
    }
    let chars: Vec<char> = t.chars().collect();
    let protected = chars.iter().enumerate().any(|(i, &c)| {
        c == '/' || (c == '.' && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()))
    });
    if protected {
        return false;
    }
    let mut i = 0;
    while i < chars.len() {
        let is_w = |c: char| c.is_ascii_alphanumeric() || c == '@';
        if !is_w(chars[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && is_w(chars[i]) {
            i += 1;
        }
        let glued = |k: Option<&char>| k.is_some_and(|c| c.is_alphabetic());
        if glued(s.checked_sub(1).and_then(|k| chars.get(k))) || glued(chars.get(i)) {
            continue;
        }
        let word: Vec<u8> = chars[s..i].iter().map(|&c| c as u8).collect();
        if leet::applies(&word) {
            return true;
        }
    }
    false
}

/// Whether the line holds digit groups the digit step would join: at least
/// two groups, seven digits, separated by at most three separators, and no
/// date among them.
pub(super) fn digit_chain(line: &str) -> bool {
    let b = line.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut groups: Vec<(usize, usize)> = Vec::new();
    while i < n {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        groups.clear();
        loop {
            let s = i;
            while i < n && b[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((s, i));
            let (mut j, mut seps) = (i, 0);
            while j < n && seps < 3 {
                let l = sep_len(&b[j..]);
                if l == 0 {
                    break;
                }
                j += l;
                seps += 1;
            }
            if j > i && j < n && b[j].is_ascii_digit() {
                i = j;
            } else {
                break;
            }
        }
        let total: usize = groups.iter().map(|g| g.1 - g.0).sum();
        if groups.len() > 1 && total >= 7 && !has_date(&groups, b) {
            return true;
        }
    }
    false
}

/// The date exception of the digit step (`12.05.2024`, `2024-05-12`), on
/// byte offsets; separators here are one ASCII byte, as the step requires.
fn has_date(groups: &[(usize, usize)], b: &[u8]) -> bool {
    groups.windows(3).any(|w| {
        let l = |g: (usize, usize)| g.1 - g.0;
        let seps_ok = w
            .windows(2)
            .all(|p| p[1].0 == p[0].1 + 1 && matches!(b[p[0].1], b'.' | b'-' | b'/'));
        let (a, m, c) = (l(w[0]), l(w[1]), l(w[2]));
        seps_ok
            && (((1..=2).contains(&a) && (1..=2).contains(&m) && (c == 2 || c == 4))
                || (a == 4 && (1..=2).contains(&m) && (1..=2).contains(&c)))
    })
}
