//! URL lists: the simplest monitoring source, one URL per line.

/// A URL list with the lines that were not URLs, so that a monitor can tell
/// the user which lines it ignored instead of dropping them silently.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UrlList {
    /// URLs in order of first appearance, without repeats.
    pub urls: Vec<String>,
    /// `(line number, line)` of lines that are neither URLs, comments nor blank.
    pub rejected: Vec<(usize, String)>,
}

/// Parses a URL list; see [`parse_url_list_checked`] for the rules.
pub fn parse_url_list(text: &str) -> Vec<String> {
    parse_url_list_checked(text).urls
}

/// Parses a URL list. Rules: blank lines and lines starting with `#` are
/// skipped; on other lines the first white-space separated word is taken
/// (so `https://a.kz/jobs  # agency` works, while a `#` inside a URL stays a
/// fragment); a word without a scheme but with a dot in its host gets
/// `https://` (`olx.kz/rabota`); only `http` and `https` URLs are kept;
/// repeats are dropped.
pub fn parse_url_list_checked(text: &str) -> UrlList {
    let mut list = UrlList::default();
    let mut seen = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let word = line.split_whitespace().next().unwrap_or(line);
        match normalize(word) {
            Some(u) => {
                if seen.insert(u.clone()) {
                    list.urls.push(u);
                }
            }
            None => list.rejected.push((i + 1, line.to_string())),
        }
    }
    list
}

fn normalize(word: &str) -> Option<String> {
    if let Ok(u) = url::Url::parse(word) {
        return (matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
            .then(|| word.to_string());
    }
    let with_scheme = format!("https://{word}");
    let u = url::Url::parse(&with_scheme).ok()?;
    let host = u.host_str()?;
    (host.contains('.') && !host.starts_with('.') && !host.ends_with('.')).then_some(with_scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_bare_domains() {
        let list = parse_url_list_checked(
            "# agencies\n\nhttps://jobs.example.kz/vakansii  # main\nexample.kg/work\r\nhttps://jobs.example.kz/vakansii\nftp://x.example/\nне ссылка\nhttps://a.example/#frag\n",
        );
        assert_eq!(
            list.urls,
            vec![
                "https://jobs.example.kz/vakansii",
                "https://example.kg/work",
                "https://a.example/#frag"
            ]
        );
        assert_eq!(
            list.rejected,
            vec![
                (6, "ftp://x.example/".to_string()),
                (7, "не ссылка".to_string())
            ]
        );
    }
}
