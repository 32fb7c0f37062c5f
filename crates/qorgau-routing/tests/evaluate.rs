#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Evaluation of the default rule set (each study example), merges, diffs
//! and the "which cases would a change affect" helper.

use qorgau_routing::{
    CaseFacts, DEFAULT_RULES, Decision, Directory, Escalation, RuleSet, Scope, WorkDuration,
    affected, diff, evaluate,
};

fn rules() -> RuleSet {
    RuleSet::default_kazakhstan().unwrap()
}

fn agencies(d: &[Decision]) -> Vec<&str> {
    d.iter().map(|x| x.agency.as_str()).collect()
}

fn find<'a>(d: &'a [Decision], agency: &str) -> &'a Decision {
    d.iter()
        .find(|x| x.agency == agency)
        .unwrap_or_else(|| panic!("no referral to {agency}"))
}

fn rule_ids(d: &Decision) -> Vec<&str> {
    d.because.iter().map(|e| e.rule.as_str()).collect()
}

#[test]
fn every_case_goes_to_the_cyber_police_only() {
    let d = evaluate(&rules(), &CaseFacts::default());
    assert_eq!(agencies(&d), ["mvd_cyber"]);
    let cyber = &d[0];
    assert_eq!(cyber.scopes, [Scope::Operational]);
    assert_eq!(rule_ids(cyber), ["every-case-mvd-cyber"]);
    assert_eq!(cyber.because[0].matched[0].field, "always");
    assert_eq!(cyber.supervisor_role, "mvd_cyber_duty_chief");
    assert_eq!(
        cyber.acknowledge_within.durations(),
        [WorkDuration::Hours(8)]
    );
}

#[test]
fn a_minor_goes_to_child_rights_committee_and_prosecutor() {
    let facts = CaseFacts {
        minor_involved: true,
        ..Default::default()
    };
    let d = evaluate(&rules(), &facts);
    assert_eq!(
        agencies(&d),
        ["mvd_cyber", "prosecutor", "child_rights_committee"]
    );
    let kopd = find(&d, "child_rights_committee");
    assert_eq!(kopd.scopes, [Scope::VictimSupport]);
    assert_eq!(rule_ids(kopd), ["minor-child-rights"]);
    let m = &kopd.because[0].matched;
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].field, "minor_involved");
    assert_eq!(m[0].condition, "minor_involved = true");
    assert_eq!(m[0].value, "true");
    let pro = find(&d, "prosecutor");
    assert_eq!(rule_ids(pro), ["minor-prosecutor-oversight"]);
    assert_eq!(pro.scopes, [Scope::Operational, Scope::Evidence]);
    assert_eq!(
        kopd.summary(),
        "sent to child_rights_committee [victim_support] because rule minor-child-rights matched \
         on minor_involved = true (case: true); acknowledge within 24h, act within 3 working days"
    );
}

#[test]
fn an_identified_victim_goes_to_social_services_and_to_an_ngo_only_with_consent() {
    let mut facts = CaseFacts {
        victim_identified: true,
        ..Default::default()
    };
    let d = evaluate(&rules(), &facts);
    assert_eq!(
        agencies(&d),
        ["mvd_cyber", "mvd_investigation", "social_services", "ngo"]
    );
    let social = find(&d, "social_services");
    assert_eq!(social.scopes, [Scope::VictimSupport]);
    assert_eq!(
        social.acknowledge_within.durations(),
        [WorkDuration::Hours(24)]
    );
    assert!(social.may_send());
    let ngo = find(&d, "ngo");
    assert!(ngo.requires_consent);
    assert!(!ngo.consent_recorded);
    assert!(!ngo.may_send());
    assert!(ngo.summary().ends_with("waiting for the person's consent"));

    facts.victim_consent = true;
    let d = evaluate(&rules(), &facts);
    let ngo = find(&d, "ngo");
    assert!(ngo.may_send());
    assert_eq!(ngo.scopes, [Scope::VictimSupport]);
}

#[test]
fn foreign_hosting_and_a_minor_is_heavy_escalation_to_interpol() {
    let facts = CaseFacts {
        minor_involved: true,
        foreign_hosting: true,
        ..Default::default()
    };
    let d = evaluate(&rules(), &facts);
    let ncb = find(&d, "interpol_ncb");
    assert_eq!(ncb.escalation, Escalation::Heavy);
    assert_eq!(rule_ids(ncb), ["heavy-escalation-interpol"]);
    let fields: Vec<(&str, &str)> = ncb.because[0]
        .matched
        .iter()
        .map(|m| (m.field.as_str(), m.value.as_str()))
        .collect();
    assert_eq!(
        fields,
        [("minor_involved", "true"), ("foreign_hosting", "true")]
    );
    assert!(ncb.summary().contains("heavy escalation"));

    // Foreign hosting alone is no heavy escalation.
    let d = evaluate(
        &rules(),
        &CaseFacts {
            foreign_hosting: true,
            ..Default::default()
        },
    );
    assert!(d.iter().all(|x| x.agency != "interpol_ncb"));
}

#[test]
fn two_rules_to_the_prosecutor_merge_into_one_referral() {
    let facts = CaseFacts {
        minor_involved: true,
        foreign_hosting: true,
        ..Default::default()
    };
    let d = evaluate(&rules(), &facts);
    assert_eq!(d.iter().filter(|x| x.agency == "prosecutor").count(), 1);
    let pro = find(&d, "prosecutor");
    assert_eq!(
        rule_ids(pro),
        ["minor-prosecutor-oversight", "foreign-hosting-kibernadzor"]
    );
    // Widest scope: operational + evidence (the second rule gave operational only).
    assert_eq!(pro.scopes, [Scope::Operational, Scope::Evidence]);
    // Earliest deadlines: 24h vs 24h, 5 vs 3 working days.
    assert_eq!(
        pro.acknowledge_within.durations(),
        [WorkDuration::Hours(24)]
    );
    assert_eq!(pro.act_within.durations(), [WorkDuration::WorkingDays(3)]);
    let s = pro.summary();
    assert!(
        s.contains("rule minor-prosecutor-oversight matched on minor_involved = true"),
        "{s}"
    );
    assert!(
        s.contains("rule foreign-hosting-kibernadzor matched on foreign_hosting = true"),
        "{s}"
    );
}

#[test]
fn heavy_and_normal_interpol_rules_merge_to_heavy_with_both_deadline_kinds() {
    let facts = CaseFacts {
        minor_involved: true,
        foreign_hosting: true,
        foreign_suspects: true,
        scenario: Some("sexual_exploitation".into()),
        ..Default::default()
    };
    let d = evaluate(&rules(), &facts);
    let ncb = find(&d, "interpol_ncb");
    assert_eq!(ncb.escalation, Escalation::Heavy);
    assert_eq!(
        rule_ids(ncb),
        ["heavy-escalation-interpol", "foreign-suspects-interpol"]
    );
    assert_eq!(
        ncb.acknowledge_within.durations(),
        [WorkDuration::Hours(2), WorkDuration::WorkingDays(1)]
    );
    assert_eq!(
        ncb.because[1].matched[0].condition,
        "scenario in [sexual_exploitation]"
    );
}

#[test]
fn crypto_goes_to_the_fiu_with_identifiers_only() {
    let d = evaluate(
        &rules(),
        &CaseFacts {
            crypto_involved: true,
            ..Default::default()
        },
    );
    let fiu = find(&d, "fiu");
    assert_eq!(fiu.scopes, [Scope::Identifiers]);
    assert_eq!(rule_ids(fiu), ["crypto-fiu"]);
}

#[test]
fn output_is_deterministic_and_in_agency_file_order() {
    let facts = CaseFacts {
        minor_involved: true,
        victim_identified: true,
        victim_consent: true,
        crypto_involved: true,
        foreign_hosting: true,
        foreign_suspects: true,
        scenario: Some("sexual_exploitation".into()),
        region: Some("KZ-75".into()),
        tags: ["sextortion".to_string()].into(),
    };
    let a = evaluate(&rules(), &facts);
    let b = evaluate(&rules(), &facts);
    assert_eq!(a, b);
    assert_eq!(
        agencies(&a),
        [
            "mvd_cyber",
            "mvd_investigation",
            "prosecutor",
            "child_rights_committee",
            "social_services",
            "ngo",
            "fiu",
            "interpol_ncb"
        ]
    );
    // Serialisable for the server and the audit trail.
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json[7]["escalation"], "heavy");
    assert_eq!(json[7]["acknowledge_within"][0], "2h");
    let back: Vec<Decision> = serde_json::from_value(json).unwrap();
    assert_eq!(back, a);
}

fn custom(text: &str) -> RuleSet {
    RuleSet::from_toml(
        "custom.toml",
        text,
        &Directory::default_kazakhstan().unwrap(),
    )
    .unwrap()
}

const CUSTOM: &str = r#"
format = 1
version = "c1"

[[rule]]
id = "stats"
description = "statistics for every case"
when = { always = true }
[[rule.send]]
agency = "prosecutor"
scopes = ["statistics"]
acknowledge_within = "3 working days"
act_within = "10 working days"

[[rule]]
id = "almaty-or-tag"
description = "Almaty region or city, or a sextortion tag, and not crypto"
when = { any = [ { region = ["KZ-75", "KZ-19"] }, { tag = "sextortion" } ], not = { any = [ { crypto_involved = true }, { scenario = ["labour_exploitation"] } ] } }
[[rule.send]]
agency = "prosecutor"
scopes = ["operational"]
acknowledge_within = "8 working hours"
act_within = "2 working days"
requires_consent = true
"#;

#[test]
fn merge_drops_statistics_under_a_personal_scope_and_keeps_consent() {
    let rs = custom(CUSTOM);
    let only_stats = evaluate(&rs, &CaseFacts::default());
    assert_eq!(only_stats[0].scopes, [Scope::Statistics]);
    assert!(!only_stats[0].requires_consent);

    let facts = CaseFacts {
        region: Some("KZ-75".into()),
        tags: ["sextortion".to_string()].into(),
        ..Default::default()
    };
    let d = evaluate(&rs, &facts);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].scopes, [Scope::Operational]);
    assert!(
        d[0].requires_consent,
        "consent required if any rule requires it"
    );
    assert_eq!(
        d[0].acknowledge_within.durations(),
        [WorkDuration::WorkingHours(8), WorkDuration::WorkingDays(3)]
    );
    assert_eq!(d[0].act_within.durations(), [WorkDuration::WorkingDays(2)]);
    // The explanation lists both `any` branches that held and the `not`.
    let m = &d[0].because[1].matched;
    let got: Vec<(&str, &str)> = m
        .iter()
        .map(|x| (x.field.as_str(), x.value.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("region", "KZ-75"),
            ("tags", "sextortion"),
            ("not", "crypto_involved = false, scenario = (none)")
        ]
    );
    assert_eq!(
        m[2].condition,
        "not (crypto_involved = true or scenario in [labour_exploitation])"
    );

    // The `not` blocks it.
    let blocked = CaseFacts {
        crypto_involved: true,
        ..facts
    };
    assert_eq!(evaluate(&rs, &blocked)[0].scopes, [Scope::Statistics]);
}

#[test]
fn diff_tells_new_changed_and_no_longer_required_referrals() {
    let rs = rules();
    let before = CaseFacts::default();
    let after = CaseFacts {
        minor_involved: true,
        victim_identified: true,
        ..Default::default()
    };
    let d = diff(&rs, &before, &after);
    let added: Vec<&str> = d.added.iter().map(|x| x.agency.as_str()).collect();
    assert_eq!(
        added,
        [
            "mvd_investigation",
            "prosecutor",
            "child_rights_committee",
            "social_services",
            "ngo"
        ]
    );
    assert!(d.removed.is_empty() && d.changed.is_empty());

    // Consent recorded: the NGO referral changes (it may now be sent).
    let consented = CaseFacts {
        victim_consent: true,
        ..after.clone()
    };
    let d = diff(&rs, &after, &consented);
    assert!(d.added.is_empty() && d.removed.is_empty());
    assert_eq!(d.changed.len(), 1);
    assert_eq!(d.changed[0].after.agency, "ngo");
    assert!(!d.changed[0].before.may_send() && d.changed[0].after.may_send());

    // The minor turns out to be an adult: KOPD and the prosecutor drop out.
    let adult = CaseFacts {
        minor_involved: false,
        ..consented.clone()
    };
    let d = diff(&rs, &consented, &adult);
    let removed: Vec<&str> = d.removed.iter().map(|x| x.agency.as_str()).collect();
    assert_eq!(removed, ["prosecutor", "child_rights_committee"]);

    // No change, no diff.
    assert!(diff(&rs, &adult, &adult).is_empty());
}

#[test]
fn affected_lists_only_cases_a_rule_change_would_route_differently() {
    let old = rules();
    let new_text = DEFAULT_RULES.replace(
        "acknowledge_within = \"1 working day\"\nact_within = \"10 working days\"",
        "acknowledge_within = \"1 working day\"\nact_within = \"5 working days\"",
    );
    assert_ne!(new_text, DEFAULT_RULES);
    let new = custom(&new_text);
    let cases = [
        ("case-1", CaseFacts::default()),
        (
            "case-2",
            CaseFacts {
                crypto_involved: true,
                ..Default::default()
            },
        ),
        (
            "case-3",
            CaseFacts {
                minor_involved: true,
                ..Default::default()
            },
        ),
        (
            "case-4",
            CaseFacts {
                crypto_involved: true,
                minor_involved: true,
                ..Default::default()
            },
        ),
    ];
    let hit = affected(&old, &new, cases.iter().map(|(k, f)| (*k, f)));
    let keys: Vec<&str> = hit.iter().map(|a| a.case).collect();
    assert_eq!(keys, ["case-2", "case-4"]);
    assert_eq!(hit[0].diff.changed[0].after.agency, "fiu");
    assert_eq!(
        hit[0].diff.changed[0].after.act_within.durations(),
        [WorkDuration::WorkingDays(5)]
    );
    // Same rules: nothing affected.
    assert!(affected(&old, &old, cases.iter().map(|(k, f)| (*k, f))).is_empty());
}
