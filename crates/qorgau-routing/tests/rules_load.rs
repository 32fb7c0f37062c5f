#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Rule file parsing and every validation error, with file:line:column.

use qorgau_routing::{
    Condition, Directory, Escalation, Fact, LoadErrorKind, LoadErrors, RuleSet, Scope, WorkDuration,
};

fn dir() -> Directory {
    Directory::default_kazakhstan().unwrap()
}

fn load(text: &str) -> Result<RuleSet, LoadErrors> {
    RuleSet::from_toml("test-rules.toml", text, &dir())
}

/// Loads, expects exactly one error, checks its position and returns it.
fn one_error(text: &str, line: usize, column: usize) -> LoadErrorKind {
    let errs = load(text).expect_err("should be refused");
    assert_eq!(errs.0.len(), 1, "{errs}");
    let e = &errs.0[0];
    assert_eq!(e.file, "test-rules.toml");
    assert_eq!((e.line, e.column), (line, column), "{e}");
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!("test-rules.toml:{line}:{column}: ")),
        "{msg}"
    );
    e.kind.clone()
}

const GOOD: &str = r#"
format = 1
version = "t1"

[[rule]]
id = "r1"
description = "minors in Almaty or Astana, not crypto"
when = { all = [ { minor_involved = true }, { region = ["KZ-75", "KZ-71"] } ], not = { crypto_involved = true } }

[[rule.send]]
agency = "child_rights_committee"
scopes = ["victim_support", "operational"]
acknowledge_within = "24h"
act_within = "3 working days"
escalation = "heavy"
requires_consent = true
"#;

#[test]
fn a_good_file_loads_into_conditions_and_sends() {
    let rs = load(GOOD).unwrap();
    assert_eq!(rs.version, "t1");
    let r = rs.rule("r1").unwrap();
    assert_eq!(r.line, 5);
    assert_eq!(
        r.when,
        Condition::All(vec![
            Condition::All(vec![
                Condition::Fact {
                    fact: Fact::MinorInvolved,
                    value: true
                },
                Condition::Region(vec!["KZ-75".into(), "KZ-71".into()]),
            ]),
            Condition::Not(Box::new(Condition::Fact {
                fact: Fact::CryptoInvolved,
                value: true
            })),
        ])
    );
    let s = &r.send[0];
    assert_eq!(s.scopes, vec![Scope::Operational, Scope::VictimSupport]);
    assert_eq!(s.acknowledge_within, WorkDuration::Hours(24));
    assert_eq!(s.act_within, WorkDuration::WorkingDays(3));
    assert_eq!(s.escalation, Escalation::Heavy);
    assert!(s.requires_consent);
}

#[test]
fn the_default_files_load() {
    let rs = RuleSet::default_kazakhstan().unwrap();
    assert!(rs.rules.len() >= 9);
    assert!(rs.rules.iter().all(|r| r.source.is_some()));
}

#[test]
fn syntax_error_has_position() {
    let kind = one_error("format = 1\nversion = \"x\"\n[[rule]\n", 3, 8);
    assert!(matches!(kind, LoadErrorKind::Syntax(_)));
}

#[test]
fn unknown_field_is_refused_with_its_position() {
    let text = GOOD.replace("escalation = \"heavy\"", "escalaton = \"heavy\"");
    let kind = one_error(&text, 15, 1);
    match kind {
        LoadErrorKind::Syntax(m) => assert!(m.contains("escalaton"), "{m}"),
        k => panic!("{k:?}"),
    }
}

#[test]
fn unknown_condition_field_is_refused() {
    let text = GOOD.replace("{ crypto_involved = true }", "{ crypto = true }");
    let kind = one_error(&text, 8, 88);
    assert!(matches!(kind, LoadErrorKind::Syntax(m) if m.contains("crypto")));
}

#[test]
fn unknown_agency_kind() {
    let text = GOOD.replace("\"child_rights_committee\"", "\"kopd\"");
    assert_eq!(
        one_error(&text, 11, 10),
        LoadErrorKind::UnknownAgency("kopd".into())
    );
}

#[test]
fn unknown_scope() {
    let text = GOOD.replace("\"operational\"]", "\"everything\"]");
    assert_eq!(
        one_error(&text, 12, 29),
        LoadErrorKind::UnknownScope("everything".into())
    );
}

#[test]
fn scope_not_allowed_for_agency() {
    let text = GOOD.replace("\"operational\"]", "\"evidence\"]");
    assert_eq!(
        one_error(&text, 12, 29),
        LoadErrorKind::ScopeNotAllowed {
            agency: "child_rights_committee".into(),
            scope: "evidence".into()
        }
    );
}

#[test]
fn contradictory_scopes() {
    let text = GOOD.replace("\"operational\"]", "\"statistics\"]");
    assert!(matches!(
        one_error(&text, 12, 10),
        LoadErrorKind::ContradictoryScopes(m) if m.contains("statistics")
    ));
    let text = GOOD.replace("\"operational\"]", "\"victim_support\"]");
    assert!(matches!(
        one_error(&text, 12, 29),
        LoadErrorKind::ContradictoryScopes(m) if m.contains("twice")
    ));
}

#[test]
fn bad_durations() {
    for (bad, col) in [("\"24 weeks\"", 22), ("\"0h\"", 22), ("\"soon\"", 22)] {
        let text = GOOD.replace("\"24h\"", bad);
        let kind = one_error(&text, 13, col);
        assert!(
            matches!(&kind, LoadErrorKind::BadDuration { text, .. } if bad.contains(text.as_str())),
            "{kind:?}"
        );
    }
}

#[test]
fn action_shorter_than_acknowledgement() {
    let text = GOOD.replace("\"3 working days\"", "\"12h\"");
    assert!(matches!(
        one_error(&text, 14, 14),
        LoadErrorKind::Invalid(m) if m.contains("shorter")
    ));
}

#[test]
fn duplicate_rule_ids() {
    let second = GOOD.split_once("[[rule]]").unwrap().1;
    let text = format!("{GOOD}\n[[rule]]{second}");
    let errs = load(&text).unwrap_err();
    assert_eq!(errs.0.len(), 1, "{errs}");
    let e = &errs.0[0];
    assert_eq!(
        e.kind,
        LoadErrorKind::DuplicateRuleId {
            id: "r1".into(),
            first_line: 6
        }
    );
    assert_eq!((e.line, e.column), (19, 6));
    assert!(e.to_string().contains("first defined on line 6"));
}

#[test]
fn unknown_scenario_and_region() {
    let text = GOOD.replace("\"KZ-71\"", "\"KZ-99\"");
    assert_eq!(
        one_error(&text, 8, 66),
        LoadErrorKind::UnknownRegion("KZ-99".into())
    );
    let text = GOOD.replace(
        "{ minor_involved = true }",
        "{ scenario = [\"organ_removal\"] }",
    );
    assert_eq!(
        one_error(&text, 8, 32),
        LoadErrorKind::UnknownScenario("organ_removal".into())
    );
}

#[test]
fn empty_and_meaningless_conditions() {
    let text = GOOD.replace("{ minor_involved = true }", "{ }");
    assert!(
        matches!(one_error(&text, 8, 18), LoadErrorKind::Invalid(m) if m.contains("at least one test"))
    );
    let text = GOOD.replace("{ minor_involved = true }, ", "");
    // still valid: one part left
    assert!(load(&text).is_ok());
    let text = GOOD.replace("{ crypto_involved = true }", "{ always = false }");
    assert!(matches!(one_error(&text, 8, 97), LoadErrorKind::Invalid(m) if m.contains("always")));
}

#[test]
fn every_error_is_reported_at_once() {
    let text = GOOD
        .replace("\"child_rights_committee\"", "\"kopd\"")
        .replace("\"24h\"", "\"24 weeks\"");
    let errs = load(&text).unwrap_err();
    assert_eq!(errs.0.len(), 2, "{errs}");
    assert_eq!(errs.0[0].line, 11);
    assert_eq!(errs.0[1].line, 13);
    assert_eq!(errs.to_string().lines().count(), 2);
}

#[test]
fn rule_without_send_and_duplicate_agency_in_one_rule() {
    let text = "format = 1\nversion = \"v\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\nwhen = { always = true }\nsend = []\n";
    assert!(
        matches!(one_error(text, 7, 8), LoadErrorKind::Invalid(m) if m.contains("[[rule.send]]"))
    );
    let send = "[[rule.send]]\nagency = \"mvd_cyber\"\nscopes = [\"operational\"]\nacknowledge_within = \"1h\"\nact_within = \"2h\"\n";
    let text = format!(
        "format = 1\nversion = \"v\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\nwhen = {{ always = true }}\n{send}{send}"
    );
    assert!(matches!(one_error(&text, 13, 10), LoadErrorKind::Invalid(m) if m.contains("twice")));
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = "format = 1\nversion = \"v\"\n[[rule]]\nid = \"a\"\ndescription = \"Несовершеннолетний\"\nwhen = { always = true }\n[[rule.send]]\nagency = \"mvd_cyber\"\nscopes = [\"operational\"]\nacknowledge_within = \"1h\"\nact_within = \"2h\" # шум \nбукв = 1\n";
    let errs = load(text).unwrap_err();
    assert_eq!((errs.0[0].line, errs.0[0].column), (12, 1), "{errs}");
}

#[test]
fn parsers_never_panic_on_garbage() {
    let mut inputs: Vec<String> = vec![
        String::new(),
        "\u{0}".into(),
        "format = \"one\"".into(),
        "[[rule]]\nwhen = 5".into(),
        "format = 1\nversion = \"v\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\nwhen = { not = { not = { not = {} } } }".into(),
    ];
    // Deep nesting is refused, not overflowed.
    let mut deep = String::from(
        "format = 1\nversion = \"v\"\n[[rule]]\nid = \"a\"\ndescription = \"d\"\nwhen = ",
    );
    for _ in 0..40 {
        deep.push_str("{ not = ");
    }
    deep.push_str("{ always = true }");
    for _ in 0..40 {
        deep.push_str(" }");
    }
    inputs.push(deep);
    for text in &inputs {
        assert!(load(text).is_err(), "{text:?}");
    }
    // Every prefix of a good file: refused or accepted, never a panic.
    for (i, _) in GOOD.char_indices() {
        let _ = load(&GOOD[..i]);
    }
}

#[test]
fn agency_file_errors_have_positions() {
    let bad = "format = 1\n[[agency]]\nkind = \"x\"\nname = { ru = \"a\", kk = \"b\", en = \"c\" }\nsupervisor_role = \"s\"\nscopes = [\"operational\", \"all\"]\n[[agency]]\nkind = \"x\"\nname = { ru = \"a\", kk = \"b\", en = \"c\" }\nsupervisor_role = \"s\"\nscopes = [\"statistics\"]\n";
    let errs = Directory::from_toml("agencies.toml", bad).unwrap_err();
    let text = errs.to_string();
    assert!(
        text.contains("agencies.toml:6:26: unknown data scope `all`"),
        "{text}"
    );
    assert!(
        text.contains("agencies.toml:8:8: duplicate agency kind `x` (first defined on line 3)"),
        "{text}"
    );
}

#[test]
fn a_file_without_rules_is_refused() {
    // A truncated file would otherwise silently route nothing.
    assert!(matches!(
        one_error("format = 1\nversion = \"v\"\n", 1, 1),
        LoadErrorKind::Invalid(m) if m.contains("no rules")
    ));
}
