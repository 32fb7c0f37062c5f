//! One test per article part that the study quotes (Annex 3) or names (section
//! 2.3.1): a typical fact pattern yields that part as a candidate, with the
//! sanction as quoted and the right qualifying features still unproven.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use qorgau_law::{ArticleKind, PunishmentKind, ReconciliationStatus};

const TRAFFICKING: &[&str] = &["recruitment", "purpose_sexual_exploitation"];

fn with(base: &[&'static str], more: &[&'static str]) -> Vec<&'static str> {
    base.iter().chain(more.iter()).copied().collect()
}

// ------------------------------------------------------------------ art. 128

#[test]
fn art_128_part_1_recruitment_for_sexual_exploitation() {
    let a = assess(TRAFFICKING);
    let c = supported(&a, 128, "1");
    assert_eq!(c.kind, ArticleKind::Direct);
    assert_eq!(prison(c), (Some(4), 7));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert!(!c.needs_feature);
    assert_eq!(
        c.corpus
            .ways
            .iter()
            .filter(|w| w.status == qorgau_law::Answer::Yes)
            .count(),
        1
    );
    // Part 2 is open with all thirteen items still to prove.
    let p2 = open(&a, 128, "2");
    assert_eq!(unproven(p2), items(1..=13, &[]));
    assert!(p2.features_proven.is_empty());
}

#[test]
fn art_128_part_1_sale_alone_is_enough() {
    let a = assess(&["sale_or_transaction"]);
    let c = supported(&a, 128, "1");
    assert!(c.corpus.ways[0].status == qorgau_law::Answer::Yes);
}

#[test]
fn art_128_part_1_recruitment_without_purpose_is_to_prove() {
    let a = assess(&["recruitment"]);
    let c = open(&a, 128, "1");
    let purposes: Vec<&str> = c
        .corpus
        .ways
        .iter()
        .flat_map(|w| w.to_prove.iter())
        .flat_map(|n| n.one_of.iter().map(|f| f.id.as_str()))
        .collect();
    assert!(
        purposes.contains(&"purpose_sexual_exploitation"),
        "{purposes:?}"
    );
    assert!(
        c.open_questions
            .iter()
            .any(|f| f.id == "purpose_labour_exploitation")
    );
}

#[test]
fn art_128_part_2_deception() {
    let a = assess(&with(TRAFFICKING, &["deception"]));
    let c = supported(&a, 128, "2");
    assert_eq!(prison(c), (Some(7), 9));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert_eq!(proven(c), vec!["8"]);
    assert_eq!(unproven(c), items(1..=13, &[8]));
    assert_eq!(c.rank, 1, "the most specific supported part comes first");
    assert!(c.also_supported_parts.contains(&"1".to_string()));
}

#[test]
fn art_128_part_2_each_item_is_reachable() {
    let per_item: &[(&str, &str)] = &[
        ("1", "group_prior_agreement"),
        ("2", "repeatedly"),
        ("3", "violence_dangerous_or_threat"),
        ("4", "weapon"),
        ("5", "victim_pregnant"),
        ("6", "several_victims"),
        ("7", "purpose_organ_removal"),
        ("8", "abuse_of_trust"),
        ("9", "official_position"),
        ("10", "victim_dependence"),
        ("11", "victim_helpless"),
        ("11", "victim_mental_disorder"),
        ("12", "identity_documents_taken"),
        ("13", "victim_gave_birth_or_with_child"),
    ];
    for (item, fact) in per_item {
        let a = assess(&with(TRAFFICKING, &[fact]));
        let c = supported(&a, 128, "2");
        assert_eq!(proven(c), vec![*item], "fact {fact}");
    }
}

#[test]
fn art_128_part_3_across_the_border() {
    let a = assess(&with(TRAFFICKING, &["cross_border"]));
    let c = supported(&a, 128, "3");
    assert_eq!(prison(c), (Some(9), 12));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert!(c.features_unproven.is_empty());
    assert_eq!(c.corpus.part, "1");
}

#[test]
fn art_128_part_4_criminal_group() {
    let a = assess(&with(TRAFFICKING, &["criminal_group"]));
    let c = supported(&a, 128, "4");
    assert_eq!(prison(c), (Some(12), 15));
    assert_eq!(proven(c), vec!["1"]);
    assert_eq!(unproven(c), vec!["2"]);
    let a = assess(&with(TRAFFICKING, &["death_or_grave_consequences"]));
    assert_eq!(proven(supported(&a, 128, "4")), vec!["2"]);
}

// ------------------------------------------------------------------ art. 135

const MINOR: &[&str] = &["victim_minor", "recruitment", "purpose_sexual_exploitation"];

#[test]
fn art_135_part_1_minor_recruited() {
    let a = assess(MINOR);
    let c = supported(&a, 135, "1");
    assert_eq!(c.kind, ArticleKind::Direct);
    assert_eq!(prison(c), (Some(5), 9));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert_eq!(unproven(open(&a, 135, "2")), items(1..=14, &[]));
}

#[test]
fn art_135_part_2_group_by_prior_agreement() {
    let a = assess(&with(MINOR, &["group_prior_agreement"]));
    let c = supported(&a, 135, "2");
    assert_eq!(prison(c), (Some(9), 12));
    assert_eq!(proven(c), vec!["1"]);
    assert_eq!(unproven(c), items(1..=14, &[1]));
    // Item 9 is specific to minors.
    let a = assess(&with(MINOR, &["purpose_involving_minor_in_crime"]));
    assert_eq!(proven(supported(&a, 135, "2")), vec!["9"]);
}

#[test]
fn art_135_part_3_across_the_border() {
    let a = assess(&with(MINOR, &["cross_border"]));
    let c = supported(&a, 135, "3");
    assert_eq!(prison(c), (Some(10), 15));
}

#[test]
fn art_135_part_4_death() {
    let a = assess(&with(MINOR, &["death_or_grave_consequences"]));
    let c = supported(&a, 135, "4");
    assert_eq!(prison(c), (Some(12), 18));
    assert_eq!(proven(c), vec!["2"]);
    assert_eq!(unproven(c), vec!["1"]);
    assert_eq!(c.rank, 1);
}

// ------------------------------------------------------------------ art. 116

#[test]
fn art_116_part_1_illegal_organ_removal() {
    let a = assess(&["organ_removal_illegal"]);
    let c = supported(&a, 116, "1");
    assert_eq!(c.kind, ArticleKind::Related);
    assert_eq!(prison(c), (None, 5));
    let dep = &c.penalty.as_ref().unwrap().penalty.additional[0];
    assert_eq!(dep.kind, PunishmentKind::DeprivationOfRight);
    assert_eq!((dep.max_years, dep.optional), (Some(3), true));
    assert_eq!(unproven(open(&a, 116, "2")), items(1..=10, &[]));
}

#[test]
fn art_116_part_2_minor() {
    let a = assess(&["organ_transactions", "victim_minor"]);
    let c = supported(&a, 116, "2");
    assert_eq!(prison(c), (Some(6), 10));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert_eq!(proven(c), vec!["2"]);
    assert_eq!(unproven(c), items(1..=10, &[2]));
}

#[test]
fn art_116_part_3_criminal_group() {
    let a = assess(&["organ_removal_coercion", "criminal_group"]);
    let c = supported(&a, 116, "3");
    assert_eq!(prison(c), (Some(8), 12));
    assert_eq!(
        c.features_unproven.len(),
        1,
        "death/grave consequences still open"
    );
    assert_eq!(
        c.features_unproven[0].to_prove[0].one_of[0].id,
        "death_or_grave_consequences"
    );
}

// ------------------------------------------------------------------ arts. 125, 126

#[test]
fn art_125_part_1_abduction() {
    let a = assess(&["abduction"]);
    let c = supported(&a, 125, "1");
    assert_eq!(prison(c), (Some(4), 7));
    assert!(c.penalty.as_ref().unwrap().penalty.additional.is_empty());
    assert_eq!(c.reconciliation.status, ReconciliationStatus::NotDetermined);
    assert!(c.omissions.is_some(), "the Annex abbreviates art. 125");
}

#[test]
fn art_125_part_3_item_2_for_exploitation() {
    let a = assess(&["abduction", "purpose_sexual_exploitation"]);
    let c = supported(&a, 125, "3");
    assert_eq!(proven(c), vec!["2"]);
    assert!(c.abbreviated);
    assert!(
        c.penalty.is_none(),
        "the Annex does not quote the sanction of part 3"
    );
    assert!(c.explanation_en.contains("not quoted"));
    assert_eq!(c.reconciliation.status, ReconciliationStatus::Excluded);
}

#[test]
fn art_126_part_1_deprivation_of_liberty() {
    let a = assess(&["unlawful_deprivation_of_liberty"]);
    let c = supported(&a, 126, "1");
    assert_eq!(prison(c), (None, 3));
    let main = &c.penalty.as_ref().unwrap().penalty.main;
    assert_eq!(main[0].kind, PunishmentKind::RestrictionOfLiberty);
    assert_eq!(main[0].max_years, Some(3));
    assert_eq!(c.reconciliation.status, ReconciliationStatus::NotDetermined);
    assert_eq!(unproven(open(&a, 126, "3")), vec!["2"]);
}

#[test]
fn art_126_part_3_item_2_for_exploitation() {
    let a = assess(&[
        "unlawful_deprivation_of_liberty",
        "purpose_labour_exploitation",
    ]);
    let c = supported(&a, 126, "3");
    assert_eq!(proven(c), vec!["2"]);
    assert!(c.penalty.is_none());
    assert_eq!(c.reconciliation.status, ReconciliationStatus::Excluded);
}

// ------------------------------------------------------------------ art. 134

const INVOLVE_MINOR: &[&str] = &["victim_minor", "involvement_in_prostitution"];

#[test]
fn art_134_part_1_involving_a_minor() {
    let a = assess(INVOLVE_MINOR);
    let c = supported(&a, 134, "1");
    assert_eq!(prison(c), (Some(3), 6));
    let add = &c.penalty.as_ref().unwrap().penalty.additional;
    assert!(
        add.iter()
            .any(|p| p.kind == PunishmentKind::DeprivationOfRight && p.lifetime)
    );
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert_eq!(unproven(open(&a, 134, "3")), vec!["1", "1-1", "2"]);
}

#[test]
fn art_134_part_2_blackmail() {
    let a = assess(&with(INVOLVE_MINOR, &["blackmail"]));
    let c = supported(&a, 134, "2");
    assert_eq!(prison(c), (Some(5), 8));
    assert_eq!(c.features_proven.len(), 1);
    assert_eq!(c.features_proven[0].text_ru, "шантажа");
    assert_eq!(c.features_unproven.len(), 5);
}

#[test]
fn art_134_part_3_item_1_1_internet() {
    let a = assess(&with(INVOLVE_MINOR, &["telecom_networks_used"]));
    let c = supported(&a, 134, "3");
    assert_eq!(prison(c), (Some(6), 10));
    assert_eq!(proven(c), vec!["1-1"]);
    assert_eq!(unproven(c), vec!["1", "2"]);
    assert!(c.telecom.applies);
}

#[test]
fn art_134_part_4_parent() {
    let a = assess(&with(INVOLVE_MINOR, &["parent_or_educator"]));
    let c = supported(&a, 134, "4");
    assert_eq!(prison(c), (Some(7), 12));
    assert_eq!(proven(c), vec!["2"]);
    assert_eq!(unproven(c), vec!["1"]);
}

// ------------------------------------------------------------------ art. 308

#[test]
fn art_308_part_1_deception() {
    let a = assess(&["involvement_in_prostitution", "deception"]);
    let c = supported(&a, 308, "1");
    let p = &c.penalty.as_ref().unwrap().penalty;
    let kinds: Vec<PunishmentKind> = p.main.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        vec![
            PunishmentKind::Fine,
            PunishmentKind::CorrectionalWorks,
            PunishmentKind::CommunityWorks,
            PunishmentKind::RestrictionOfLiberty,
            PunishmentKind::Imprisonment
        ]
    );
    assert_eq!(p.main[0].max_mrp, Some(3000));
    assert_eq!(p.main[2].max_hours, Some(800));
    assert_eq!(prison(c), (None, 3));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert!(
        c.penalty
            .as_ref()
            .unwrap()
            .text_ru
            .contains("штраф до 3000 МРП")
    );
    assert_eq!(open(&a, 308, "2").features_unproven.len(), 2);
}

#[test]
fn art_308_part_1_needs_a_method() {
    let a = assess(&["involvement_in_prostitution"]);
    let c = open(&a, 308, "1");
    let need: Vec<&str> = c.corpus.to_prove[0]
        .one_of
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(
        need,
        vec![
            "violence_or_threat",
            "victim_dependence",
            "blackmail",
            "property_destruction",
            "deception",
            "propaganda_or_advertising"
        ]
    );
}

#[test]
fn art_308_part_2_repeatedly() {
    let a = assess(&[
        "involvement_in_prostitution",
        "propaganda_or_advertising",
        "repeatedly",
    ]);
    let c = supported(&a, 308, "2");
    assert_eq!(prison(c), (Some(3), 6));
    assert_eq!(c.features_unproven.len(), 1);
}

#[test]
fn art_308_part_3_criminal_group() {
    let a = assess(&[
        "involvement_in_prostitution",
        "violence_or_threat",
        "criminal_group",
    ]);
    let c = supported(&a, 308, "3");
    assert_eq!(prison(c), (Some(5), 7));
}

// ------------------------------------------------------------------ art. 309

#[test]
fn art_309_part_1_brothel() {
    let a = assess(&["brothel_organisation"]);
    let c = supported(&a, 309, "1");
    assert_eq!(prison(c), (None, 5));
    assert!(has_additional(c, PunishmentKind::Confiscation));
    assert_eq!(unproven(open(&a, 309, "2")), items(1..=5, &[]));
}

#[test]
fn art_309_part_2_item_3_internet() {
    let a = assess(&["pimping_for_profit", "telecom_networks_used"]);
    let c = supported(&a, 309, "2");
    assert_eq!(prison(c), (Some(3), 7));
    assert_eq!(proven(c), vec!["3"]);
    assert_eq!(unproven(c), vec!["1", "2", "4", "5"]);
    assert_eq!(c.telecom.item_in_this_part.as_deref(), Some("3"));
}

#[test]
fn art_309_part_2_item_5_needs_minor_and_involvement() {
    let a = assess(&["brothel_organisation", "victim_minor"]);
    let c = open(&a, 309, "2");
    let item5 = c.features_unproven.iter().find(|f| f.item == "5").unwrap();
    assert_eq!(
        item5.to_prove[0].one_of[0].id,
        "involvement_in_prostitution"
    );
    let a = assess(&[
        "brothel_organisation",
        "victim_minor",
        "involvement_in_prostitution",
    ]);
    assert_eq!(proven(supported(&a, 309, "2")), vec!["5"]);
}

#[test]
fn art_309_part_3_criminal_group() {
    let a = assess(&["brothel_organisation", "criminal_group"]);
    let c = supported(&a, 309, "3");
    assert_eq!(prison(c), (Some(5), 10));
}

// ------------------------------------------------------------------ arts. 120–124 (named, not quoted)

#[test]
fn art_120_under_14_intercourse() {
    let a = assess(&["victim_under_14", "sexual_intercourse_with_victim"]);
    let c = supported(&a, 120, "");
    assert_eq!(c.kind, ArticleKind::Referenced);
    assert!(!c.text_quoted);
    assert!(c.penalty.is_none());
    assert_eq!(c.reference_ru, "ст. 120 УК РК");
    assert!(c.explanation_ru.contains("не приведён"));
    assert!(
        a.candidate(121, "")
            .is_none_or(|c| c.status != qorgau_law::CandidateStatus::AllElementsAnswered)
    );
}

#[test]
fn art_121_under_14_other_sexual_acts() {
    let a = assess(&["victim_under_14", "other_sexual_acts_with_victim"]);
    let c = supported(&a, 121, "");
    assert!(c.penalty.is_none());
    assert_eq!(c.reconciliation.status, ReconciliationStatus::NotDetermined);
}

#[test]
fn art_122_part_2_paid_service_from_minor() {
    let a = assess(&["victim_minor", "paid_sexual_service_from_minor"]);
    let c = supported(&a, 122, "2");
    assert!(!c.text_quoted);
    assert!(c.penalty.is_none());
    assert_eq!(c.reference_en, "art. 122 part 2 of the Criminal Code of RK");
}

#[test]
fn art_124_remote_acts_under_16() {
    let a = assess(&["victim_under_16", "remote_sexual_acts_real_time"]);
    let c = supported(&a, 124, "");
    assert!(c.penalty.is_none());
    // Remote acts imply telecom use, which is derived and shown.
    assert!(
        a.derived
            .iter()
            .any(|d| d.fact == "telecom_networks_used" && d.from == "remote_sexual_acts_real_time")
    );
}

// ------------------------------------------------------------------ coverage of the data

#[test]
fn the_data_holds_every_part_the_study_quotes_and_no_other() {
    let law = law();
    let mut parts: Vec<String> = law
        .articles()
        .iter()
        .flat_map(|a| {
            a.parts
                .iter()
                .map(move |p| format!("{}/{}", a.number, p.number))
        })
        .collect();
    parts.sort();
    let expected = [
        "116/1", "116/2", "116/3", "120/", "121/", "122/2", "124/", "125/1", "125/3", "126/1",
        "126/3", "128/1", "128/2", "128/3", "128/4", "134/1", "134/2", "134/3", "134/4", "135/1",
        "135/2", "135/3", "135/4", "308/1", "308/2", "308/3", "309/1", "309/2", "309/3",
    ];
    assert_eq!(parts, expected);
    // Every quoted, unabbreviated part has a penalty; referenced ones have none.
    for a in law.articles() {
        for p in &a.parts {
            assert_eq!(
                p.penalty.is_some(),
                p.quoted && !p.abbreviated,
                "{}/{}",
                a.number,
                p.number
            );
            assert_eq!(
                p.penalty.is_some(),
                p.penalty_text_ru.is_some(),
                "{}/{}",
                a.number,
                p.number
            );
        }
    }
}
