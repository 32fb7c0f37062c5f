#![allow(clippy::unwrap_used, clippy::expect_used)]
//! End-to-end tests: synthetic spam, highlighting and map invariants.

use proptest::prelude::*;
use qorgau_normalize::normalize;

fn highlight<'a>(input: &'a str, needle: &str) -> &'a str {
    let n = normalize(input);
    let pos = n.text.find(needle).expect("needle in normalised text");
    &input[n.original_range(pos..pos + needle.len())]
}

#[test]
fn synthetic_spam_examples() {
    let cases = [
        ("Нaбuрaю девушек", "Набираю девушек"),
        ("Зарплата 3000$ в Дубае", "Зарплата 3000$ в Дубае"),
        ("пиши в т е л е г у", "пиши в телегу"),
        (
            "восемь семь ноль один два три четыре пять шесть семь восемь",
            "87012345678",
        ),
        ("job.dubai собака gmail точка com", "job.dubai@gmail.com"),
        ("раб\u{200B}ота", "работа"),
        (
            "Жұмыс бар: t.me/rabota_kz @job_dubai",
            "Жұмыс бар: t.me/rabota_kz @job_dubai",
        ),
        (
            "ＷｈａｔｓＡｐｐ ８\u{FE0F}\u{20E3}7\u{FE0F}\u{20E3} 0 1 2 3 4",
            "WhatsApp 8701234",
        ),
        ("один раз в жизни", "один раз в жизни"),
        ("ᴡᴏʀᴋ in Dub@i, r4b0ta", "work in Dubai, rabota"),
    ];
    for (input, expected) in cases {
        assert_eq!(normalize(input).as_str(), expected, "input: {input:?}");
    }
}

#[test]
fn highlighting_returns_original_words() {
    assert_eq!(highlight("Нaбuрaю девушек", "Набираю"), "Нaбuрaю");
    assert_eq!(
        highlight("срочно раб\u{200B}ота", "работа"),
        "раб\u{200B}ота"
    );
    assert_eq!(highlight("пиши в т е л е г у", "телегу"), "т е л е г у");
    assert_eq!(
        highlight("тел: восемь семь ноль один два три четыре!", "8701234"),
        "восемь семь ноль один два три четыре"
    );
    assert_eq!(
        highlight("job.dubai собака gmail точка com", "@gmail.com"),
        " собака gmail точка com"
    );
    assert_eq!(
        highlight("звони 8 7 0 1 . 2 3 4", "8701234"),
        "8 7 0 1 . 2 3 4"
    );
}

fn check_map(input: &str) {
    let n = normalize(input);
    let bounds: Vec<usize> = (0..=n.text.len())
        .filter(|&i| n.text.is_char_boundary(i))
        .collect();
    let mut prev_start = 0;
    let mut prev_end = 0;
    for (k, &a) in bounds.iter().enumerate() {
        for &b in &bounds[k..] {
            let r = n.original_range(a..b);
            assert!(
                r.start <= r.end && r.end <= input.len(),
                "{r:?} for {a}..{b}"
            );
            assert!(input.is_char_boundary(r.start) && input.is_char_boundary(r.end));
        }
        // Single-character ranges map to non-decreasing original ranges.
        if let Some(&b) = bounds.get(k + 1) {
            let r = n.original_range(a..b);
            assert!(
                r.start >= prev_start && r.end >= prev_end,
                "not monotonic at {a}"
            );
            assert!(r.start < r.end, "char maps to empty range at {a}");
            prev_start = r.start;
            prev_end = r.end;
        }
    }
}

#[test]
fn map_invariants_on_examples() {
    for s in [
        "Нaбuрaю девушек",
        "8\u{FE0F}\u{20E3}🔟 ① е\u{0308} x²",
        "job (at) mail (dot) ru, seven seven zero",
        "\u{200B}\u{FEFF}",
        "",
    ] {
        check_map(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_map_is_valid(s in "\\PC{0,40}") {
        check_map(&s);
    }

    #[test]
    fn spam_alphabet_map_is_valid(
        s in "[a-zA-Z0-9а-яА-Яәғқңөұүһіᴀʙᴄ@.()\\[\\] \u{200B}\u{FE0F}\u{20E3}\u{0308}-]{0,40}"
    ) {
        check_map(&s);
    }

    #[test]
    fn number_words_map_is_valid(
        words in proptest::collection::vec(
            prop_oneof![
                Just("восемь"), Just("семь"), Just("ноль"), Just("сегіз"), Just("seven"),
                Just("собака"), Just("точка"), Just("at"), Just("dot"), Just("a.b"),
                Just("1"), Just("т"), Just(" "), Just(","), Just("\u{200B}"),
            ],
            0..20,
        )
    ) {
        check_map(&words.join(" "));
    }

    #[test]
    fn original_range_never_panics(s in "\\PC{0,20}", a in 0usize..100, b in 0usize..100) {
        let n = normalize(&s);
        let r = n.original_range(a..b);
        prop_assert!(r.start <= r.end && r.end <= s.len());
    }
}

/// `normalize` (fast path + chunks) must equal the pipeline over the whole
/// text, in the text and in every character's original range.
fn check_parity(input: &str) {
    let fast = qorgau_normalize::normalize(input);
    let slow = qorgau_normalize::normalize_reference(input);
    assert_eq!(fast.as_str(), slow.as_str(), "input: {input:?}");
    let t = fast.as_str();
    let bounds: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
    for w in bounds.windows(2) {
        assert_eq!(
            fast.original_range(w[0]..w[1]),
            slow.original_range(w[0]..w[1]),
            "char at {} of {input:?}",
            w[0]
        );
    }
    assert_eq!(
        fast.original_range(t.len()..t.len()),
        slow.original_range(t.len()..t.len())
    );
}

#[test]
fn parity_on_examples() {
    for s in [
        "Работа\nв Дубае",
        "приходи в семь\nвосемь ноль один",
        "семь\n\nвосемь\n ,\nноль",
        "т е л\nе г а",
        "job\nсобака\ngmail.com",
        "job собака\ngmail.com\nтекст",
        "строка\n\u{0301}дальше",
        "Нaбuрaю\nдевушек\nв Дубай\n",
        "a\n\nb\n",
        "\n\n",
        "8 701\n123 45 67",
        "звони 8 701 123 45 67\nок",
        " - \n8 701 123 45 67\n",
        "a1 2b 3 4 5 6 7",
        "(12) 345 67 собака gmail.com",
        "карта 4400-4302-1234-5678, r4 b0ta 12 345 67",
        "8 7О1 123 45 67",
    ] {
        check_parity(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn fast_path_equals_whole_pipeline(
        words in proptest::collection::vec(
            prop_oneof![
                Just("восемь"), Just("семь"), Just("ноль"), Just("один"), Just("сегіз"), Just("seven"),
                Just("собака"), Just("точка"), Just("at"), Just("dot"), Just("(at)"), Just("a.b"),
                Just("gmail.com"), Just("job"), Just("1"), Just("8"), Just("701"), Just("т"), Just("е"),
                Just("л"), Just("a"), Just("Нaбuрaю"), Just("kаk"), Just("r4b0ta"), Just("87О1"),
                Just("работа"), Just("Hello"), Just("\u{200B}"), Just("\u{0301}"), Just("8\u{FE0F}\u{20E3}"),
                Just("ᴛᴇᴧᴇᴦᴀ"), Just("①"), Just("-"), Just(","), Just("."), Just("("), Just(")"),
            ],
            0..24,
        ),
        seps in proptest::collection::vec(
            prop_oneof![Just(" "), Just("\n"), Just("\n\n"), Just(""), Just(" \n "), Just(", "), Just(" 45 67 ")],
            24,
        )
    ) {
        let mut s = String::new();
        for (w, sep) in words.iter().zip(seps.iter()) {
            s.push_str(w);
            s.push_str(sep);
        }
        check_parity(&s);
    }

    #[test]
    fn fast_path_equals_whole_pipeline_on_any_text(s in "\\PC{0,60}") {
        check_parity(&s);
    }

    #[test]
    fn strip_invisible_maps_back(s in "[a-zа-я0-9 \u{200B}\u{200D}\u{FEFF}\u{00AD}]{0,40}") {
        let n = qorgau_normalize::strip_invisible(&s);
        let expected: String = s.chars().filter(|c| !matches!(c, '\u{200B}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}')).collect();
        prop_assert_eq!(n.as_str(), expected.as_str());
        for (i, c) in n.as_str().char_indices() {
            let r = n.original_range(i..i + c.len_utf8());
            let want = c.to_string();
            prop_assert_eq!(&s[r], want.as_str());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Long paragraphs are cut at sentence ends; the cut must never change
    /// the result.
    #[test]
    fn sentence_cuts_equal_whole_pipeline(
        words in proptest::collection::vec(
            prop_oneof![
                Just("работа."), Just("Работа"), Just("девушки!"), Just("Звони"), Just("семь."), Just("Восемь"),
                Just("ноль"), Just("собака."), Just("Собака"), Just("точка."), Just("Точка"), Just("com"),
                Just("gmail"), Just("job"), Just("a."), Just("В"), Just("т"), Just("е"), Just("Нaбuрaю."),
                Just("kаk"), Just("87О1."), Just("8"), Just("701?"), Just("Hello."), Just("World"), Just("at"),
                Just("dot."), Just("\u{200B}"), Just("¹"), Just("Дубай."), Just("Один"), Just("два."), Just("Три"),
            ],
            40..160,
        )
    ) {
        check_parity(&words.join(" "));
    }

    #[test]
    fn long_arbitrary_lines_equal_whole_pipeline(s in "(\\PC{20,60}[.!?] [A-ZА-Я]){4,10}") {
        check_parity(&s);
    }
}
