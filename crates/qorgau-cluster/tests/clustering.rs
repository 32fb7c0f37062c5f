#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Clustering of hand-written variant sets (Russian, Kazakh, English).

use std::collections::{BTreeMap, BTreeSet};

use qorgau_cluster::{
    ClusterParams, Clusterer, Clusters, MinHashParams, MinHasher, Signature, agreement, cluster_all,
};
use qorgau_normalize::normalize;

struct Fixture {
    groups: Vec<String>,
    sigs: Vec<Signature>,
}

fn fixture() -> Fixture {
    let hasher = MinHasher::new(MinHashParams::default());
    let mut groups = Vec::new();
    let mut sigs = Vec::new();
    for line in include_str!("fixtures/variants.jsonl").lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        groups.push(v["group"].as_str().unwrap().to_owned());
        sigs.push(hasher.signature(normalize(v["text"].as_str().unwrap()).as_str()));
    }
    Fixture { groups, sigs }
}

/// The partition as sets of group names, one set per cluster.
fn partition(groups: &[String], cluster_of: impl Fn(usize) -> usize) -> BTreeSet<Vec<String>> {
    let mut by: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by.entry(cluster_of(i)).or_default().push(g.clone());
    }
    by.into_values().collect()
}

fn expected(groups: &[String]) -> BTreeSet<Vec<String>> {
    let mut by: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for g in groups {
        by.entry(g).or_default().push(g.clone());
    }
    by.into_values().collect()
}

#[test]
fn bulk_groups_exactly_the_intended_variants() {
    let f = fixture();
    let roots = cluster_all(&f.sigs, &ClusterParams::default());
    let got = partition(&f.groups, |i| roots[i] as usize);
    assert_eq!(got, expected(&f.groups));
    let q = agreement(&roots, &f.groups);
    assert_eq!(q.pair_f1, 1.0);
}

#[test]
fn the_similarity_check_is_what_keeps_a_sibling_template_apart() {
    // ru-ballet shares three lines with ru-abroad (estimated Jaccard ≈ 0.3–0.4):
    // at the default 0.5 they stay apart; accepting 0.3 would merge them.
    let f = fixture();
    let loose = ClusterParams {
        min_similarity: 0.3,
        bands: 32,
        rows: 2,
        ..ClusterParams::default()
    };
    let roots = cluster_all(&f.sigs, &loose);
    let first = |g: &str| f.groups.iter().position(|x| x == g).unwrap();
    assert_eq!(roots[first("ru-abroad")], roots[first("ru-ballet")]);
    let strict = cluster_all(&f.sigs, &ClusterParams::default());
    assert_ne!(strict[first("ru-abroad")], strict[first("ru-ballet")]);
}

#[test]
fn incremental_one_by_one_and_batched_match_bulk() {
    let f = fixture();
    let params = ClusterParams::default();
    let roots = cluster_all(&f.sigs, &params);

    let mut one = Clusterer::new(params);
    for (i, s) in f.sigs.iter().enumerate() {
        let id = one.insert(i, s);
        // The current cluster is named by its earliest member.
        assert!(id.0 <= i);
    }
    let one = one.finish();

    let mut many = Clusterer::new(params);
    many.insert_many(f.sigs.iter().enumerate().take(10));
    many.insert_many(f.sigs.iter().enumerate().skip(10));
    let many = many.finish();

    for i in 0..f.sigs.len() {
        for j in 0..f.sigs.len() {
            let bulk = roots[i] == roots[j];
            assert_eq!(one.cluster_of(i) == one.cluster_of(j), bulk, "{i} {j}");
            assert_eq!(many.cluster_of(i) == many.cluster_of(j), bulk, "{i} {j}");
        }
        assert_eq!(one.label_of(i), many.label_of(i));
    }
}

#[test]
fn current_cluster_follows_merges() {
    let h = MinHasher::new(MinHashParams::default());
    let a = h.signature(
        "Работа для девушек в Дубае\nДоход от 3000$ в месяц\nПерелёт и визу оплачиваем\nПиши в лс",
    );
    let b = h.signature("Работа для девушек в Дубае\nДоход от 2500$ в месяц\nПерелёт и визу оплачиваем\nПиши в лс 🔥");
    let other = h.signature("Продаю диван, почти новый, самовывоз из Караганды");
    let mut c = Clusterer::new(ClusterParams::default());
    assert_eq!(c.insert(10, &a).0, 10);
    assert_eq!(c.insert(3, &other).0, 3);
    assert_eq!(c.insert(7, &b).0, 10);
    // Inserting a known doc id again changes nothing.
    assert_eq!(c.insert(7, &other).0, 10);
    assert_eq!(c.len(), 3);
    let clusters = c.finish();
    assert_eq!(clusters.len(), 2);
    assert_eq!(clusters.cluster_of(10), clusters.cluster_of(7));
    assert_eq!(clusters.members(0).collect::<Vec<_>>(), [10, 7]);
    assert_eq!(clusters.size(1), 1);
}

#[test]
fn short_generic_texts_do_not_glue_templates_together() {
    let f = fixture();
    // Many copies of generic short chat lines among the ads.
    let h = MinHasher::new(MinHashParams::default());
    let mut sigs = f.sigs.clone();
    let mut groups = f.groups.clone();
    for i in 0..200 {
        let t = [
            "Пиши в лс",
            "пиши в лс или звони",
            "в лс",
            "Звони",
            "Жду в лс",
        ][i % 5];
        sigs.push(h.signature(t));
        groups.push(format!("generic-{}", i % 5));
    }
    let roots = cluster_all(&sigs, &ClusterParams::default());
    let got = partition(&groups, |i| roots[i] as usize);
    // "Пиши в лс" repeats join the fixture's own "Пиши в лс" group; nothing else merges.
    let mut groups_fixed = groups.clone();
    for g in groups_fixed.iter_mut() {
        if g == "generic-0" {
            *g = "short-pishi".to_owned();
        }
    }
    let got_fixed: BTreeSet<Vec<String>> = got
        .into_iter()
        .map(|mut v| {
            for g in v.iter_mut() {
                if g == "generic-0" {
                    *g = "short-pishi".to_owned();
                }
            }
            v.sort();
            v
        })
        .collect();
    let want: BTreeSet<Vec<String>> = expected(&groups_fixed)
        .into_iter()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect();
    assert_eq!(got_fixed, want);
}

#[test]
fn labels_are_stable_and_independent_of_order() {
    let f = fixture();
    let params = ClusterParams::default();
    let roots = cluster_all(&f.sigs, &params);
    let fwd = Clusters::from_assignment(&roots, &f.sigs);

    let rev_sigs: Vec<Signature> = f.sigs.iter().rev().cloned().collect();
    let rev_roots = cluster_all(&rev_sigs, &params);
    let rev = Clusters::from_assignment(&rev_roots, &rev_sigs);
    let n = f.sigs.len();
    let mut labels = BTreeSet::new();
    for i in 0..n {
        let l = fwd.label_of(i).unwrap();
        let group = &f.groups[i];
        if group.starts_with("short-emoji") {
            assert!(l.starts_with("c-empty-"), "{l}");
        } else {
            assert_eq!(Some(l), rev.label_of(n - 1 - i));
            assert!(l.starts_with("c-") && l.len() == 18, "{l}");
        }
        labels.insert((group.clone(), l.to_owned()));
    }
    // One label per group, distinct between groups.
    let groups: BTreeSet<&String> = f.groups.iter().collect();
    assert_eq!(labels.len(), groups.len());
    assert_eq!(
        labels.iter().map(|(_, l)| l).collect::<BTreeSet<_>>().len(),
        groups.len()
    );
    // The same input gives the same labels run after run (pinned).
    let again = Clusters::from_assignment(&cluster_all(&f.sigs, &params), &f.sigs);
    for i in 0..n {
        assert_eq!(fwd.label_of(i), again.label_of(i));
    }
}

#[test]
fn odd_parameters_do_not_panic() {
    let f = fixture();
    for params in [
        ClusterParams {
            bands: 0,
            ..ClusterParams::default()
        },
        ClusterParams {
            rows: 0,
            ..ClusterParams::default()
        },
        ClusterParams {
            bands: 100,
            rows: 100,
            ..ClusterParams::default()
        },
        ClusterParams {
            min_similarity: -1.0,
            max_representatives: 0,
            threads: 3,
            ..ClusterParams::default()
        },
        ClusterParams {
            min_similarity: f64::NAN,
            ..ClusterParams::default()
        },
    ] {
        let roots = cluster_all(&f.sigs, &params);
        assert_eq!(roots.len(), f.sigs.len());
        let mut c = Clusterer::new(params);
        c.insert_many(f.sigs.iter().enumerate());
        assert_eq!(c.finish().assignments().count(), f.sigs.len());
    }
    // Signatures of different lengths never merge.
    let short = MinHasher::new(MinHashParams {
        hashes: 16,
        ..MinHashParams::default()
    });
    let mut mixed = f.sigs.clone();
    mixed.push(short.signature("Работа для девушек в Дубае"));
    let roots = cluster_all(&mixed, &ClusterParams::default());
    assert_eq!(roots[mixed.len() - 1] as usize, mixed.len() - 1);
    assert!(cluster_all(&[], &ClusterParams::default()).is_empty());
}

/// A few hundred ads from eight templates with random slot fillers, made
/// with a fixed linear congruential generator (no data files).
fn generated_corpus() -> Vec<(usize, String)> {
    let templates: [&[&str]; 8] = [
        &[
            "Работа в {city} для девушек",
            "Доход от {n}$ в неделю",
            "Жильё и питание бесплатно",
            "Пиши {contact}",
        ],
        &[
            "Требуются танцовщицы в клуб, {city}",
            "Контракт {n} месяцев",
            "Билеты за наш счёт",
            "Возраст {n}-{n}",
            "Звони {contact}",
        ],
        &[
            "Шетелде жұмыс, {city}",
            "Айлығы {n}$",
            "Тамақ пен тұрақ тегін",
            "Толығырақ {contact}",
        ],
        &[
            "Model casting in {city}",
            "Portfolio fee {n} KZT",
            "Photo shoot for brands",
            "Send photos {contact}",
        ],
        &[
            "Онлайн заработок из дома от {n} тг в день",
            "Нужен только телефон",
            "Обучение бесплатно",
            "{contact}",
        ],
        &[
            "Продаю диван в {city}, почти новый",
            "Цена {n} тг, самовывоз",
            "Звонить {contact}",
        ],
        &[
            "Массаж в {city}, апартаменты",
            "1 час {n} тг, ночь {n} тг",
            "Новенькие каждую неделю",
            "{contact}",
        ],
        &[
            "Вебкам студия {city} набирает моделей",
            "Выплаты каждую неделю от {n}$",
            "Квартира-студия рядом",
            "Пиши {contact}",
        ],
    ];
    let cities = [
        "Алматы",
        "Астане",
        "Шымкенте",
        "Дубае",
        "Сеуле",
        "Стамбуле",
        "Караганде",
    ];
    let contacts = [
        "в тг @job_one",
        "+7 701 000 00 01",
        "wa.me/77010000002",
        "в лс",
        "на почту a@b.kz",
    ];
    let mut state: u64 = 42;
    let mut next = |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    let mut out = Vec::new();
    for _ in 0..400 {
        let t = next(templates.len());
        let mut lines: Vec<String> = templates[t]
            .iter()
            .map(|l| {
                let mut l = l.to_string();
                while l.contains("{city}") {
                    l = l.replacen("{city}", cities[next(cities.len())], 1);
                }
                while l.contains("{n}") {
                    l = l.replacen("{n}", &(100 * (1 + next(90))).to_string(), 1);
                }
                l.replace("{contact}", contacts[next(contacts.len())])
            })
            .collect();
        if next(3) == 0 {
            let (a, b) = (next(lines.len()), next(lines.len()));
            lines.swap(a, b);
        }
        if next(4) == 0 {
            lines[0].push_str(" 🔥");
        }
        out.push((t, lines.join("\n")));
    }
    out
}

#[test]
fn all_paths_and_thread_counts_agree_on_a_generated_corpus() {
    let hasher = MinHasher::new(MinHashParams::default());
    let corpus = generated_corpus();
    let texts: Vec<&str> = corpus.iter().map(|(_, t)| t.as_str()).collect();
    let sigs = hasher.sign_all(&texts);
    let base = cluster_all(
        &sigs,
        &ClusterParams {
            threads: 1,
            ..ClusterParams::default()
        },
    );
    for threads in [2, 3, 7] {
        let p = ClusterParams {
            threads,
            ..ClusterParams::default()
        };
        assert_eq!(cluster_all(&sigs, &p), base, "threads {threads}");
    }
    let mut inc = Clusterer::new(ClusterParams::default());
    for (i, s) in sigs.iter().enumerate() {
        inc.insert(i, s);
    }
    let inc = inc.finish();
    let bulk = Clusters::from_assignment(&base, &sigs);
    for i in 0..sigs.len() {
        assert_eq!(inc.label_of(i), bulk.label_of(i));
        assert_eq!(inc.cluster_of(i), bulk.cluster_of(i));
    }
    // And the clusters are the templates.
    let truth: Vec<usize> = corpus.iter().map(|(t, _)| *t).collect();
    let q = agreement(&base, &truth);
    assert!(q.pair_precision == 1.0 && q.pair_recall > 0.95, "{q:?}");
}
