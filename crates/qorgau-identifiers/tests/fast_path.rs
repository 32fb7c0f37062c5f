#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The fast path of `Extractor::extract` (only the lines that may matter
//! are read in full) must give exactly what reading every line gives
//! (`Extractor::extract_whole`): same identifiers, values and spans.

use proptest::prelude::*;
use qorgau_identifiers::Extractor;

fn check(ex: &Extractor, text: &str) {
    assert_eq!(ex.extract(text), ex.extract_whole(text), "text: {text:?}");
}

#[test]
fn chat_export_with_a_few_contacts() {
    let ex = Extractor::new();
    let chat = "[05.01.2024 13:55:38] Айгерим: привет, ты где?\n\
        [05.01.2024 13:56:02] Дамир: буду через 10 минут ❤️\n\
        [05.01.2024 13:57:40] Айгерим: мой номер 8 701 234 56 78\n\
        [05.01.2024 13:58:11] Дамир: ок\n\
        [05.01.2024 14:02:09] Айгерим: почта aigerim.k собака mail точка ru\n\
        [05.01.2024 14:03:00] Дамир: тг:\n\
        @damir_astana\n\
        [05.01.2024 14:05:21] Айгерим: спасибо 🙏\n";
    check(&ex, chat);
    let ids = ex.extract(chat);
    let values: Vec<&str> = ids.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(
        values,
        ["+77012345678", "aigerim.k@mail.ru", "damir_astana"],
        "{ids:?}"
    );
    // Dates and times before every message are not phone numbers.
    let plain = "05.01.2024, 13:55 - Дана: сәлем\n12.05.2024, 08:01 - Арман: ок\n";
    assert!(ex.extract(plain).is_empty());
    check(&ex, plain);
}

#[test]
fn lines_that_reach_across_line_breaks() {
    let ex = Extractor::new();
    for text in [
        "восемь семь ноль\nодин два три\nчетыре пять шесть семь восемь",
        "пиши в т е л\nе г у @name_x",
        "job собака\ngmail.com\nтекст",
        "job\nсобака\ngmail точка\ncom",
        "abandon abandon abandon\nabandon abandon abandon\nabandon abandon abandon\nabandon abandon about",
        "1. abandon\n2. abandon\n3. abandon\n4. abandon\n5. abandon\n6. abandon\n7. abandon\n8. abandon\n9. abandon\n10. abandon\n11. abandon\n12. about",
        "Telegram:\n@astana_job\n",
        "инст:\n\n@vika.dobro",
        "тг\n:\n:\n@name_one",
        "звони\n87012345678",
        "text\n\u{0301}more 8 701 234 56 78",
        "Бишкек\n\n\nзвоните 0555 123 456",
    ] {
        check(&ex, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn fast_path_equals_reading_every_line(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("\n"), Just("\n"), Just("\n\n"), Just(" "), Just(" "), Just(", "), Just(": "),
                Just("[05.01.2024 13:55:38] Kate: "), Just("12.05.2024, 08:01 - Арман: "),
                Just("привет"), Just("работа в Дубае"), Just("ok"), Just("I"), Just("в"), Just("а"),
                Just("8 701 234 56 78"), Just("+7 (777) 1234567"), Just("87012345678"), Just("0555 123 456"),
                Just("восемь"), Just("семь"), Just("ноль"), Just("один"), Just("сегіз"), Just("seven"),
                Just("собака"), Just("точка"), Just("at"), Just("dot"), Just("(at)"), Just("gmail"), Just("com"),
                Just("a.b"), Just("site.kz"), Just("https://t.me/job_kz"), Just("wa.me/77011234567"),
                Just("@name_x"), Just("тг"), Just("tg:"), Just("инст"), Just("телега"), Just("tik"), Just("tok"),
                Just("Нaбuрaю"), Just("r4b0ta"), Just("87О1"), Just("\u{200B}"), Just("❤️"), Just("8\u{FE0F}\u{20E3}"),
                Just("\u{0301}"), Just("①"), Just("т"), Just("е"), Just("л"), Just("г"),
                Just("abandon"), Just("about"), Just("1."), Just("4400 4302 1234 5678"), Just("KZ86125KZT5004100100"),
                Just("761011496605"), Just("TQrq9ZCAJMxaP7sQmMQtwGbqBnmH8E4V2Y"), Just("5000 тг"), Just("Бишкек"),
                Just("Дубай"), Just("№"), Just("№12"), Just("№ 5"), Just("5000 тг"), Just("🙅\u{200D}♀\u{FE0F}"),
                Just("-"), Just("("), Just(")"), Just("."), Just("5"), Just("12"), Just("O"), Just("о"),
            ],
            0..40,
        )
    ) {
        let ex = Extractor::new();
        let text: String = parts.concat();
        prop_assert_eq!(ex.extract(&text), ex.extract_whole(&text), "text: {:?}", text);
    }

    #[test]
    fn fast_path_equals_reading_every_line_on_any_text(
        lines in proptest::collection::vec("\\PC{0,40}", 0..8)
    ) {
        let ex = Extractor::new();
        let text = lines.join("\n");
        prop_assert_eq!(ex.extract(&text), ex.extract_whole(&text), "text: {:?}", text);
    }
}
