//! STIX patterns for indicators.
//!
//! A pattern's string literal is single-quoted and knows exactly two escapes,
//! `\'` and `\\` (STIX 2.1 Patterning, section 9.x "Constants"). URLs may
//! hold `'` and e-mail local parts may too, so every literal goes through
//! [`quote`]; a missed escape would make partners' pattern parsers reject
//! the whole bundle, or match something else.

/// A STIX pattern string literal for `value`: wrapped in `'`, with `\` and
/// `'` escaped by a backslash. No other character needs or allows escaping.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        if ch == '\\' || ch == '\'' {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('\'');
    out
}

/// `[type:prop = 'v' AND type:prop2 = 'w']`: one observation expression
/// comparing properties of one object for equality.
pub fn equality_pattern(object_type: &str, comparisons: &[(&str, &str)]) -> String {
    let parts: Vec<String> = comparisons
        .iter()
        .map(|(property, value)| format!("{object_type}:{property} = {}", quote(value)))
        .collect();
    format!("[{}]", parts.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_are_escaped() {
        assert_eq!(quote("plain"), "'plain'");
        assert_eq!(quote("it's"), r"'it\'s'");
        assert_eq!(quote(r"a\b"), r"'a\\b'");
        assert_eq!(quote(r"\'"), r"'\\\''");
        assert_eq!(quote("кыз"), "'кыз'");
    }

    #[test]
    fn patterns() {
        assert_eq!(
            equality_pattern("domain-name", &[("value", "kyzdar4.example")]),
            "[domain-name:value = 'kyzdar4.example']"
        );
        assert_eq!(
            equality_pattern(
                "user-account",
                &[("account_type", "telegram"), ("account_login", "o'x")]
            ),
            r"[user-account:account_type = 'telegram' AND user-account:account_login = 'o\'x']"
        );
    }
}
