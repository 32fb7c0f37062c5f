#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Reading labelled JSON Lines: good lines, both label keys, and bad lines
//! reported with their line numbers.

use std::io::Cursor;

use qorgau_model::{ModelError, read_labelled_jsonl};

fn read(text: &str) -> Vec<Result<qorgau_model::LabelledDoc, ModelError>> {
    read_labelled_jsonl(Cursor::new(text.as_bytes().to_vec())).collect()
}

#[test]
fn reads_label_or_scenario_and_optional_fields() {
    let docs = read(concat!(
        "{\"id\": \"a-1\", \"text\": \"Работа в Дубае\", \"label\": \"employment_abroad\", \"minor\": false}\n",
        "\n",
        "{\"id\": 7, \"text\": \"Продам шкаф\", \"scenario\": \"none\"}\r\n",
        "{\"text\": \"x\", \"label\": \"sextortion\", \"scenario\": \"sextortion\", \"minor\": null}\n",
        "   \n",
        "{\"text\": \"y\", \"label\": \" romance_grooming \", \"minor\": true}",
    ));
    let docs: Vec<_> = docs.into_iter().map(Result::unwrap).collect();
    assert_eq!(docs.len(), 4);
    assert_eq!(docs[0].id.as_deref(), Some("a-1"));
    assert_eq!(docs[0].line, 1);
    assert_eq!(docs[0].minor, Some(false));
    assert_eq!(docs[1].id.as_deref(), Some("7"));
    assert_eq!(docs[1].label, "none");
    assert_eq!(docs[1].line, 3);
    assert_eq!(docs[2].minor, None);
    assert_eq!(docs[2].id, None);
    assert_eq!(docs[3].label, "romance_grooming");
    assert_eq!(docs[3].line, 6);
    let ex = docs[0].to_example(|t| t.to_uppercase());
    assert_eq!(ex.text, "РАБОТА В ДУБАЕ");
    assert_eq!(ex.label, "employment_abroad");
}

#[test]
fn bad_lines_are_reported_with_their_number() {
    let input = concat!(
        "{\"text\": \"ok\", \"label\": \"none\"}\n", // 1 ok
        "{\"text\": \"no label\"}\n",                // 2
        "{\"label\": \"none\"}\n",                   // 3
        "not json at all\n",                         // 4
        "[1, 2]\n",                                  // 5
        "{\"text\": \"t\", \"label\": \"a\", \"scenario\": \"b\"}\n", // 6
        "{\"text\": \"t\", \"label\": \"none\", \"minor\": \"yes\"}\n", // 7
        "{\"text\": 5, \"label\": \"none\"}\n",      // 8
        "{\"text\": \"t\", \"label\": \"\"}\n",      // 9
        "{\"text\": \"t\", \"label\": \"minor\"}\n", // 10
        "{\"text\": \"t\", \"label\": \"none\", \"id\": [1]}\n", // 11
    );
    let results = read(input);
    assert_eq!(results.len(), 11);
    assert!(results[0].is_ok());
    let expect = [
        (2, "no \"label\" or \"scenario\""),
        (3, "no \"text\""),
        (4, "not JSON"),
        (5, "not a JSON object"),
        (6, "disagree"),
        (7, "\"minor\" must be"),
        (8, "\"text\" must be a string"),
        (9, "\"label\" is empty"),
        (10, "reserved"),
        (11, "\"id\" must be"),
    ];
    for (r, (line, needle)) in results[1..].iter().zip(expect) {
        let err = r.as_ref().unwrap_err();
        match err {
            ModelError::BadLabelledLine { line: l, message } => {
                assert_eq!(*l, line, "{message}");
                assert!(message.contains(needle), "line {line}: {message}");
            }
            other => panic!("unexpected {other}"),
        }
        assert!(err.to_string().contains(&format!("line {line}:")));
    }
}

#[test]
fn invalid_utf8_is_a_bad_line_not_the_end() {
    let mut bytes = b"{\"text\": \"a\", \"label\": \"none\"}\n".to_vec();
    bytes.extend_from_slice(b"{\"text\": \"\xff\xfe\", \"label\": \"none\"}\n");
    bytes.extend_from_slice(b"{\"text\": \"b\", \"label\": \"none\"}\n");
    let results: Vec<_> = read_labelled_jsonl(Cursor::new(bytes)).collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[2].is_ok());
    assert!(matches!(
        results[1],
        Err(ModelError::BadLabelledLine { line: 2, .. })
    ));
}
