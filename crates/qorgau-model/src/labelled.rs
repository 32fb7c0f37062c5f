//! Reading analysts' labelled decisions (JSON Lines) for `qorgau train` and
//! `qorgau eval`.
//!
//! One object per line: `{"id": "…", "text": "…", "label": "…", "minor": true}`.
//! The label may be given as `label` or as `scenario` (the key of `qorgau
//! scan` output, so an analyst can correct scan output and feed it back);
//! both may be present only if they agree. `id` (string or number) and
//! `minor` (boolean or null) are optional. Blank lines are skipped. Each bad
//! line is an error naming its line number; the caller decides whether to
//! stop or skip it.

use std::io::BufRead;

use serde::Serialize;
use serde_json::Value;

use crate::error::ModelError;
use crate::model::MINOR_HEAD;
use crate::train::Example;

/// One labelled document as read (text not yet normalised).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelledDoc {
    /// 1-based line number in the file.
    pub line: usize,
    /// Document id, if given.
    pub id: Option<String>,
    /// The text as written.
    pub text: String,
    /// The scenario label.
    pub label: String,
    /// Whether a minor is involved, if the analyst said.
    pub minor: Option<bool>,
}

impl LabelledDoc {
    /// A training example, with the text passed through `normalize` (the
    /// same normalisation the scan applies, i.e. `qorgau_normalize`).
    pub fn to_example(&self, normalize: impl FnOnce(&str) -> String) -> Example {
        Example {
            text: normalize(&self.text),
            label: self.label.clone(),
            minor: self.minor,
        }
    }
}

/// Labelled documents of a JSON Lines reader, one item per non-blank line.
pub fn read_labelled_jsonl<R: BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<LabelledDoc, ModelError>> {
    reader.split(b'\n').enumerate().filter_map(|(i, line)| {
        let line_no = i + 1;
        match line {
            Err(e) => Some(Err(ModelError::BadLabelledLine {
                line: line_no,
                message: format!("cannot read: {e}"),
            })),
            Ok(bytes) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    Some(parse_line(&bytes, line_no))
                }
            }
        }
    })
}

fn parse_line(bytes: &[u8], line: usize) -> Result<LabelledDoc, ModelError> {
    let bad = |message: String| ModelError::BadLabelledLine { line, message };
    let text = std::str::from_utf8(bytes).map_err(|_| bad("not UTF-8".into()))?;
    let value: Value = serde_json::from_str(text.trim_end_matches('\r'))
        .map_err(|e| bad(format!("not JSON: {e}")))?;
    let Value::Object(obj) = value else {
        return Err(bad("not a JSON object".into()));
    };
    let id = match obj.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(bad("\"id\" must be a string or a number".into())),
    };
    let doc_text = match obj.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(bad("\"text\" must be a string".into())),
        None => return Err(bad("no \"text\"".into())),
    };
    let field = |key: &str| -> Result<Option<String>, ModelError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => {
                Err(bad(format!("\"{key}\" is empty")))
            }
            Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(bad(format!("\"{key}\" must be a string"))),
        }
    };
    let label = match (field("label")?, field("scenario")?) {
        (Some(a), Some(b)) if a != b => {
            return Err(bad(format!(
                "\"label\" ({a}) and \"scenario\" ({b}) disagree"
            )));
        }
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => return Err(bad("no \"label\" or \"scenario\"".into())),
    };
    if label == MINOR_HEAD {
        return Err(bad(
            "the label \"minor\" is reserved; give the scenario and \"minor\": true".into(),
        ));
    }
    let minor = match obj.get("minor") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(bad("\"minor\" must be true, false or null".into())),
    };
    Ok(LabelledDoc {
        line,
        id,
        text: doc_text,
        label,
        minor,
    })
}
