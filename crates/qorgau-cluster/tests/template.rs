#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Templates of known variant sets: fixed parts and slots.

use qorgau_cluster::{Segment, Template, TemplateParams, template, template_with};
use qorgau_normalize::normalize;

fn slot(values: &[&str]) -> Segment {
    Segment::Slot {
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        distinct: values.len(),
    }
}

fn fixed(t: &str) -> Segment {
    Segment::Fixed(t.to_owned())
}

#[test]
fn english_set_yields_fixed_text_and_slots() {
    let texts = [
        "Hostess job in Dubai 🇦🇪\nSalary 2000$ per month\nFree flights and housing\nWrite to WhatsApp +77010000001",
        "Hostess job in Antalya\nSalary 3000$ per month\nFree flights and housing 🏠\nWrite to WhatsApp +77010000002",
        "Hostess job in Dubai\nSalary 2500$ per month\nFree flights and housing\nWrite to WhatsApp +77010000003",
        "Hostess job in Seoul\nSalary 2000$ per month\nFree flights and housing\nWrite to WhatsApp +77010000001",
    ];
    let t = template(&texts);
    assert_eq!(t.members, 4);
    assert_eq!(t.sampled, 4);
    assert_eq!(
        t.segments,
        [
            fixed("Hostess job in"),
            slot(&["Dubai", "Antalya", "Seoul"]),
            fixed("\nSalary"),
            slot(&["2000$", "3000$", "2500$"]),
            fixed("per month\nFree flights and housing\nWrite to WhatsApp"),
            slot(&["+77010000001", "+77010000002", "+77010000003"]),
        ]
    );
    assert_eq!(t.slot_count(), 3);
    assert_eq!(
        t.to_string(),
        "Hostess job in {Dubai|Antalya|Seoul}\nSalary {2000$|3000$|2500$} per month\nFree flights and housing\nWrite to WhatsApp {+77010000001|+77010000002|+77010000003}"
    );
}

#[test]
fn russian_set_with_shuffled_lines_and_obfuscation() {
    let raw = [
        "Работа для девушек в Дубае\nДоход от 3000$ в месяц\nПерелёт и визу оплачиваем\nПиши в лс",
        "Перелёт и визу оплачиваем\nРабота для девушек в Стамбуле 🔥\nДоход от 3000$ в месяц\nПиши в лс",
        "Рaбoта для девушек в Дубае\nДоход от 3000$ в месяц\nПиши в лс\nПерелёт и визу оплачиваем",
    ];
    let normed: Vec<String> = raw.iter().map(|r| normalize(r).text).collect();
    let texts: Vec<&str> = normed.iter().map(String::as_str).collect();
    let t = template(&texts);
    assert_eq!(
        t.segments,
        [
            fixed("Работа для девушек в"),
            slot(&["Дубае", "Стамбуле"]),
            fixed("\nДоход от 3000$ в месяц\nПерелёт и визу оплачиваем\nПиши в лс"),
        ]
    );
}

#[test]
fn kazakh_set_with_an_optional_line() {
    let texts = [
        "Шетелде жұмыс бар\nАйлығы 2000$\nБилет тегін\nWhatsApp +77050000001",
        "Шетелде жұмыс бар\nАйлығы 2000$\nWhatsApp +77050000001",
        "Шетелде жұмыс бар\nАйлығы 2000$\nБилет тегін\nWhatsApp +77050000001",
        "Шетелде жұмыс бар\nАйлығы 2000$\nБилет тегін\nWhatsApp +77050000001",
    ];
    let t = template(&texts);
    // A line one member of four lacks is an optional slot.
    assert_eq!(
        t.segments,
        [
            fixed("Шетелде жұмыс бар\nАйлығы 2000$"),
            slot(&["Билет тегін", ""]),
            fixed("\nWhatsApp +77050000001"),
        ]
    );
    // So is a line only one member of four adds.
    let mut more = texts.to_vec();
    more[1] = "Шетелде жұмыс бар\nАйлығы 2000$\nБилет тегін\nТамақ тегін\nWhatsApp +77050000001";
    let t = template(&more);
    assert_eq!(
        t.segments,
        [
            fixed("Шетелде жұмыс бар\nАйлығы 2000$\nБилет тегін"),
            slot(&["", "Тамақ тегін"]),
            fixed("\nWhatsApp +77050000001"),
        ]
    );
}

#[test]
fn large_clusters_are_sampled_and_values_capped() {
    let owned: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                "Работа в городе Город{i}\nОплата ежедневно\nПиши @handle_{}",
                i % 7
            )
        })
        .collect();
    let texts: Vec<&str> = owned.iter().map(String::as_str).collect();
    let start = std::time::Instant::now();
    let t = template_with(
        &texts,
        &TemplateParams {
            max_values: 5,
            ..TemplateParams::default()
        },
    );
    assert!(start.elapsed().as_secs_f64() < 5.0);
    assert_eq!(t.members, 5000);
    assert_eq!(t.sampled, 200);
    let Segment::Slot { values, distinct } = &t.segments[1] else {
        panic!("expected a slot: {t:?}");
    };
    assert_eq!(values.len(), 5);
    assert_eq!(*distinct, 200);
    assert!(t.to_string().contains("|…}"));
    assert_eq!(t.fixed().next(), Some("Работа в городе"));
}

#[test]
fn degenerate_inputs() {
    assert_eq!(
        template(&[]),
        Template {
            segments: vec![],
            members: 0,
            sampled: 0
        }
    );
    assert!(template(&["🔥🔥", "!!!"]).segments.is_empty());
    assert_eq!(template(&["один"]).segments, [fixed("один")]);
}
