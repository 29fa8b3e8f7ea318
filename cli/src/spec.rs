//! Task specifications (docs/TASK-SPEC.md, schema docs/schemas/task-spec.schema.json) and the
//! canonical form of answers.
//!
//! A spec is a JSON file: what is asked (`prompt`), about what (`item`), and what an answer is
//! (`answer`: a `choice` among labels, free `text`, or a `number`). Its sha256 (of the file's
//! bytes, exactly as published at the task's spec URI) is the task's `spec_hash`.
//!
//! Workers who mean the same answer must commit the same bytes, or quorum never forms: every
//! client turns what a worker typed into the answer's canonical form with [`canonical_answer`]
//! before hashing. The rules are simple enough to re-implement exactly (the web app does, and
//! both run the vectors in docs/schemas/canonical-answers.json):
//! - `choice`: the typed text and each label are *folded* (NFC, whitespace trimmed and runs of
//!   Unicode White_Space collapsed to one space, lowercased); the answer is the label, as written
//!   in the spec, whose fold equals the typed text's. No match: refused.
//! - `text`: `"normalize": "loose"` (the default) is the fold itself; `"exact"` is NFC and
//!   trimmed only. Empty: refused.
//! - `number`: a plain decimal (`-12.5`, `0.125`; no exponent, no grouping), rounded half away
//!   from zero to `precision` decimal places and written with exactly that many (`-0` is `0`).
use serde_json::{Map, Value};
use unicode_normalization::UnicodeNormalization;

/// The only spec version so far.
pub const SPEC_VERSION: u64 = 1;
pub const MAX_PROMPT_CHARS: usize = 2_000;
pub const MAX_INSTRUCTIONS_CHARS: usize = 10_000;
pub const MAX_LABELS: usize = 64;
pub const MAX_LABEL_BYTES: usize = 100;
pub const MAX_TEXT_ANSWER_BYTES: usize = 1_000;
pub const MAX_PRECISION: u8 = 18;
/// Digits a number answer may have in all (before rounding).
pub const MAX_NUMBER_DIGITS: usize = 40;

/// A validated task spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskSpec {
    pub prompt: String,
    pub item: Item,
    pub answer: AnswerKind,
    pub instructions: Option<String>,
}

/// What the question is about: a media file at a URI, or inline text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Uri { uri: String, media_type: Option<String> },
    Text { text: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerKind {
    Choice { labels: Vec<String> },
    Text { rule: TextRule, max_bytes: usize },
    Number { precision: u8 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextRule {
    Loose,
    Exact,
}

/// Everything wrong with a spec, each with the field it concerns (`answer.labels[2]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<FieldError>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let all: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&all.join("; "))
    }
}

impl std::error::Error for SpecErrors {}

/// Collects field errors while a spec is read.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn error(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError { field: field.into(), message: message.into() });
    }

    /// Flags keys of `object` not in `known`.
    fn unknown_keys(&mut self, path: &str, object: &Map<String, Value>, known: &[&str]) {
        for key in object.keys().filter(|key| !known.contains(&key.as_str())) {
            let field = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
            self.error(field, format!("unknown field (expected one of: {})", known.join(", ")));
        }
    }

    fn string(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        key: &str,
        required: bool,
    ) -> Option<String> {
        let field = if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
        match object.get(key) {
            None | Some(Value::Null) if required => {
                self.error(field, "required");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.clone()),
            Some(other) => {
                self.error(field, format!("expected a string, got {}", kind_of(other)));
                None
            }
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl TaskSpec {
    /// Reads and validates a spec file's bytes; every problem is reported, each with its field.
    pub fn parse(bytes: &[u8]) -> Result<Self, SpecErrors> {
        let value: Value = serde_json::from_slice(bytes).map_err(|err| {
            SpecErrors(vec![FieldError { field: "(file)".into(), message: format!("not JSON: {err}") }])
        })?;
        Self::from_value(&value)
    }

    pub fn from_value(value: &Value) -> Result<Self, SpecErrors> {
        let mut check = Checker::default();
        let Some(root) = value.as_object() else {
            return Err(SpecErrors(vec![FieldError {
                field: "(file)".into(),
                message: format!("expected a JSON object, got {}", kind_of(value)),
            }]));
        };
        check.unknown_keys("", root, &["version", "prompt", "item", "answer", "instructions"]);
        match root.get("version") {
            Some(Value::Number(n)) if n.as_u64() == Some(SPEC_VERSION) => {}
            Some(other) => check.error("version", format!("expected {SPEC_VERSION}, got {other}")),
            None => check.error("version", format!("required (the spec format version, {SPEC_VERSION})")),
        }
        let prompt = check.string(root, "", "prompt", true);
        if let Some(prompt) = &prompt {
            if prompt.trim().is_empty() {
                check.error("prompt", "must not be empty");
            } else if prompt.chars().count() > MAX_PROMPT_CHARS {
                check.error("prompt", format!("at most {MAX_PROMPT_CHARS} characters"));
            }
        }
        let instructions = check.string(root, "", "instructions", false);
        if instructions.as_ref().is_some_and(|text| text.chars().count() > MAX_INSTRUCTIONS_CHARS) {
            check.error("instructions", format!("at most {MAX_INSTRUCTIONS_CHARS} characters"));
        }
        let item = match root.get("item") {
            Some(Value::Object(item)) => read_item(&mut check, item),
            Some(other) => {
                check.error("item", format!("expected an object, got {}", kind_of(other)));
                None
            }
            None => {
                check.error("item", "required: {\"uri\": ..., \"media_type\": ...} or {\"text\": ...}");
                None
            }
        };
        let answer = match root.get("answer") {
            Some(Value::Object(answer)) => read_answer(&mut check, answer),
            Some(other) => {
                check.error("answer", format!("expected an object, got {}", kind_of(other)));
                None
            }
            None => {
                check.error("answer", "required: {\"kind\": \"choice\" | \"text\" | \"number\", ...}");
                None
            }
        };
        match (prompt, item, answer) {
            (Some(prompt), Some(item), Some(answer)) if check.errors.is_empty() => {
                Ok(Self { prompt, item, answer, instructions })
            }
            _ => Err(SpecErrors(check.errors)),
        }
    }

    /// The spec as JSON (field order as documented), e.g. to write a spec from a form.
    pub fn to_json(&self) -> Value {
        let mut root = Map::new();
        root.insert("version".into(), SPEC_VERSION.into());
        root.insert("prompt".into(), self.prompt.clone().into());
        let item = match &self.item {
            Item::Uri { uri, media_type } => {
                let mut item = Map::new();
                item.insert("uri".into(), uri.clone().into());
                if let Some(media_type) = media_type {
                    item.insert("media_type".into(), media_type.clone().into());
                }
                item
            }
            Item::Text { text } => Map::from_iter([("text".to_string(), Value::from(text.clone()))]),
        };
        root.insert("item".into(), item.into());
        let answer = match &self.answer {
            AnswerKind::Choice { labels } => serde_json::json!({"kind": "choice", "labels": labels}),
            AnswerKind::Text { rule, max_bytes } => serde_json::json!({
                "kind": "text",
                "normalize": match rule { TextRule::Loose => "loose", TextRule::Exact => "exact" },
                "max_length": max_bytes,
            }),
            AnswerKind::Number { precision } => serde_json::json!({"kind": "number", "precision": precision}),
        };
        root.insert("answer".into(), answer);
        if let Some(instructions) = &self.instructions {
            root.insert("instructions".into(), instructions.clone().into());
        }
        Value::Object(root)
    }

    /// The canonical form of `typed` under this spec (see the module docs).
    pub fn canonical_answer(&self, typed: &str) -> Result<String, AnswerError> {
        canonical_answer(&self.answer, typed)
    }

    /// The labels of a choice spec (empty for other kinds).
    pub fn labels(&self) -> &[String] {
        match &self.answer {
            AnswerKind::Choice { labels } => labels,
            _ => &[],
        }
    }

    /// The label whose answer hash is `hash`, for a choice spec.
    pub fn label_of(&self, hash: &[u8; 32]) -> Option<&str> {
        self.labels().iter().find(|label| answer_hash(label) == *hash).map(String::as_str)
    }
}

fn read_item(check: &mut Checker, item: &Map<String, Value>) -> Option<Item> {
    check.unknown_keys("item", item, &["uri", "media_type", "text"]);
    let uri = check.string(item, "item", "uri", false);
    let text = check.string(item, "item", "text", false);
    let media_type = check.string(item, "item", "media_type", false);
    if let Some(media_type) = &media_type {
        let valid = media_type.split_once('/').is_some_and(|(kind, sub)| {
            let token = |s: &str| {
                !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
            };
            token(kind) && token(sub.split(';').next().unwrap_or_default().trim())
        });
        if !valid {
            check.error(
                "item.media_type",
                format!("expected a media type like image/jpeg, got {media_type:?}"),
            );
        }
    }
    match (uri, text) {
        (Some(uri), None) => {
            let scheme_ok = uri.split_once(':').is_some_and(|(scheme, rest)| {
                !rest.is_empty()
                    && scheme.len() >= 2
                    && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            });
            if !scheme_ok || uri.chars().any(char::is_whitespace) {
                check.error(
                    "item.uri",
                    format!("expected an absolute URI like https://... or ipfs://..., got {uri:?}"),
                );
                return None;
            }
            Some(Item::Uri { uri, media_type })
        }
        (None, Some(text)) => {
            if text.trim().is_empty() {
                check.error("item.text", "must not be empty");
                return None;
            }
            if media_type.is_some() {
                check.error("item.media_type", "only for an item given by uri (inline text is text/plain)");
            }
            Some(Item::Text { text })
        }
        (Some(_), Some(_)) => {
            check.error("item", "give either uri or text, not both");
            None
        }
        (None, None) => {
            check.error("item", "required: uri (a media file) or text (inline)");
            None
        }
    }
}

fn read_answer(check: &mut Checker, answer: &Map<String, Value>) -> Option<AnswerKind> {
    let kind = check.string(answer, "answer", "kind", true)?;
    match kind.as_str() {
        "choice" => {
            check.unknown_keys("answer", answer, &["kind", "labels"]);
            let labels = match answer.get("labels") {
                Some(Value::Array(labels)) => labels,
                Some(other) => {
                    check.error(
                        "answer.labels",
                        format!("expected an array of strings, got {}", kind_of(other)),
                    );
                    return None;
                }
                None => {
                    check.error("answer.labels", "required for a choice answer");
                    return None;
                }
            };
            if labels.len() < 2 || labels.len() > MAX_LABELS {
                check.error(
                    "answer.labels",
                    format!("expected 2 to {MAX_LABELS} labels, got {}", labels.len()),
                );
            }
            let mut read: Vec<String> = Vec::new();
            let mut folds: Vec<String> = Vec::new();
            let before = check.errors.len();
            for (index, label) in labels.iter().enumerate() {
                let field = format!("answer.labels[{index}]");
                let Some(label) = label.as_str() else {
                    check.error(field, format!("expected a string, got {}", kind_of(label)));
                    continue;
                };
                let folded = fold(label);
                if folded.is_empty() {
                    check.error(field, "must not be empty");
                } else if label.len() > MAX_LABEL_BYTES {
                    check.error(field, format!("at most {MAX_LABEL_BYTES} bytes"));
                } else if label != label.nfc().collect::<String>().trim() {
                    check.error(
                        field,
                        format!("{label:?} has surrounding spaces or is not in Unicode NFC form"),
                    );
                } else if let Some(first) = folds.iter().position(|other| *other == folded) {
                    check.error(
                        field,
                        format!("{label:?} is the same answer as labels[{first}] {:?} (case and spacing are ignored)", read[first]),
                    );
                }
                read.push(label.to_string());
                folds.push(folded);
            }
            (check.errors.len() == before && (2..=MAX_LABELS).contains(&read.len()))
                .then_some(AnswerKind::Choice { labels: read })
        }
        "text" => {
            check.unknown_keys("answer", answer, &["kind", "normalize", "max_length"]);
            let rule = match check.string(answer, "answer", "normalize", false).as_deref() {
                None | Some("loose") => TextRule::Loose,
                Some("exact") => TextRule::Exact,
                Some(other) => {
                    check
                        .error("answer.normalize", format!("expected \"loose\" or \"exact\", got {other:?}"));
                    return None;
                }
            };
            let max_bytes = match answer.get("max_length") {
                None => MAX_TEXT_ANSWER_BYTES,
                Some(value) => match value.as_u64() {
                    Some(n) if (1..=MAX_TEXT_ANSWER_BYTES as u64).contains(&n) => n as usize,
                    _ => {
                        check.error(
                            "answer.max_length",
                            format!("expected a whole number from 1 to {MAX_TEXT_ANSWER_BYTES}, got {value}"),
                        );
                        return None;
                    }
                },
            };
            Some(AnswerKind::Text { rule, max_bytes })
        }
        "number" => {
            check.unknown_keys("answer", answer, &["kind", "precision"]);
            let precision = match answer.get("precision") {
                None => 0,
                Some(value) => match value.as_u64() {
                    Some(n) if n <= u64::from(MAX_PRECISION) => n as u8,
                    _ => {
                        check.error(
                            "answer.precision",
                            format!("expected a whole number from 0 to {MAX_PRECISION}, got {value}"),
                        );
                        return None;
                    }
                },
            };
            Some(AnswerKind::Number { precision })
        }
        other => {
            check.error("answer.kind", format!("expected \"choice\", \"text\" or \"number\", got {other:?}"));
            None
        }
    }
}

/// Why a typed answer has no canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnswerError {
    NotALabel { typed: String, labels: Vec<String> },
    Empty,
    TooLong { max_bytes: usize },
    NotANumber { typed: String },
    TooManyDigits,
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotALabel { typed, labels } => {
                let quoted: Vec<String> = labels.iter().map(|label| format!("{label:?}")).collect();
                write!(f, "{typed:?} is not one of the task's labels: {}", quoted.join(", "))
            }
            Self::Empty => write!(f, "the answer is empty"),
            Self::TooLong { max_bytes } => {
                write!(f, "the answer is longer than the task's {max_bytes} bytes")
            }
            Self::NotANumber { typed } => {
                write!(f, "{typed:?} is not a plain decimal number like 12, -0.5 or 3.25")
            }
            Self::TooManyDigits => write!(f, "the number has more than {MAX_NUMBER_DIGITS} digits"),
        }
    }
}

impl std::error::Error for AnswerError {}

/// NFC, trimmed, White_Space runs collapsed to one space, lowercased.
pub fn fold(text: &str) -> String {
    let nfc: String = text.nfc().collect();
    let spaced = nfc.split(char::is_whitespace).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ");
    spaced.to_lowercase()
}

pub fn canonical_answer(kind: &AnswerKind, typed: &str) -> Result<String, AnswerError> {
    match kind {
        AnswerKind::Choice { labels } => {
            let folded = fold(typed);
            labels
                .iter()
                .find(|label| fold(label) == folded)
                .cloned()
                .ok_or_else(|| AnswerError::NotALabel { typed: typed.to_string(), labels: labels.clone() })
        }
        AnswerKind::Text { rule, max_bytes } => {
            let canonical = match rule {
                TextRule::Loose => fold(typed),
                TextRule::Exact => typed.nfc().collect::<String>().trim().to_string(),
            };
            if canonical.is_empty() {
                return Err(AnswerError::Empty);
            }
            if canonical.len() > *max_bytes {
                return Err(AnswerError::TooLong { max_bytes: *max_bytes });
            }
            Ok(canonical)
        }
        AnswerKind::Number { precision } => canonical_number(typed, *precision),
    }
}

/// A plain decimal rounded half away from zero to `precision` places, e.g. `("2.345", 2)` ->
/// `"2.35"`, `("-0.004", 2)` -> `"0.00"`. Digit strings throughout: no float, no overflow.
pub fn canonical_number(typed: &str, precision: u8) -> Result<String, AnswerError> {
    let text = typed.trim();
    let not_a_number = || AnswerError::NotANumber { typed: typed.to_string() };
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(not_a_number());
    }
    if whole.len() + fraction.len() > MAX_NUMBER_DIGITS {
        return Err(AnswerError::TooManyDigits);
    }
    let places = usize::from(precision);
    // All the digits kept, as one integer in units of 10^-precision, most significant first.
    let mut kept: Vec<u8> = whole.bytes().map(|b| b - b'0').collect();
    kept.extend(fraction.bytes().take(places).map(|b| b - b'0'));
    kept.extend(std::iter::repeat_n(0, places.saturating_sub(fraction.len())));
    let round_up = fraction.as_bytes().get(places).is_some_and(|digit| *digit >= b'5');
    if round_up {
        let mut index = kept.len();
        loop {
            if index == 0 {
                kept.insert(0, 1);
                break;
            }
            index -= 1;
            if kept[index] == 9 {
                kept[index] = 0;
            } else {
                kept[index] += 1;
                break;
            }
        }
    }
    let split = kept.len() - places;
    let whole_digits: String = kept[..split].iter().map(|d| char::from(b'0' + d)).collect();
    let whole_digits = whole_digits.trim_start_matches('0');
    let whole_digits = if whole_digits.is_empty() { "0" } else { whole_digits };
    let fraction_digits: String = kept[split..].iter().map(|d| char::from(b'0' + d)).collect();
    let is_zero = kept.iter().all(|d| *d == 0);
    let sign = if negative && !is_zero { "-" } else { "" };
    Ok(if places == 0 {
        format!("{sign}{whole_digits}")
    } else {
        format!("{sign}{whole_digits}.{fraction_digits}")
    })
}

/// sha256 of the canonical answer's UTF-8 bytes: what a worker commits to.
pub fn answer_hash(canonical: &str) -> [u8; 32] {
    proof_of_brain::logic::commitment::answer_hash(canonical.as_bytes())
}

/// sha256 of a spec file's bytes: the task's `spec_hash`.
pub fn spec_hash(bytes: &[u8]) -> [u8; 32] {
    proof_of_brain::logic::commitment::answer_hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn choice() -> TaskSpec {
        TaskSpec::from_value(&json!({
            "version": 1,
            "prompt": "What animal is in the picture?",
            "item": {"uri": "https://example.org/1.jpg", "media_type": "image/jpeg"},
            "answer": {"kind": "choice", "labels": ["Cat", "Dog", "Neither"]}
        }))
        .unwrap()
    }

    fn errors_of(value: Value) -> Vec<(String, String)> {
        TaskSpec::from_value(&value).unwrap_err().0.into_iter().map(|e| (e.field, e.message)).collect()
    }

    fn fields_of(value: Value) -> Vec<String> {
        errors_of(value).into_iter().map(|(field, _)| field).collect()
    }

    #[test]
    fn choice_answers_match_labels_ignoring_case_and_spacing() {
        let spec = choice();
        assert_eq!(spec.canonical_answer(" Cat").unwrap(), "Cat");
        assert_eq!(spec.canonical_answer("cat").unwrap(), "Cat");
        assert_eq!(spec.canonical_answer("CAT\n").unwrap(), "Cat");
        assert_eq!(answer_hash(&spec.canonical_answer(" Cat").unwrap()), answer_hash("Cat"));
        let err = spec.canonical_answer("horse").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"horse\" is not one of the task's labels: \"Cat\", \"Dog\", \"Neither\""
        );
        assert_eq!(spec.label_of(&answer_hash("Dog")), Some("Dog"));
        assert_eq!(spec.label_of(&answer_hash("dog")), None);
    }

    #[test]
    fn loose_text_is_nfc_trimmed_collapsed_and_lowercased() {
        let loose = AnswerKind::Text { rule: TextRule::Loose, max_bytes: 1000 };
        assert_eq!(canonical_answer(&loose, "  The  quick\tBrown\nfox ").unwrap(), "the quick brown fox");
        // "é" as e + combining acute (NFD) and as one code point (NFC) agree.
        assert_eq!(
            canonical_answer(&loose, "Cafe\u{301}").unwrap(),
            canonical_answer(&loose, "CAF\u{c9}").unwrap()
        );
        assert_eq!(canonical_answer(&loose, " \u{3000} "), Err(AnswerError::Empty));
        let exact = AnswerKind::Text { rule: TextRule::Exact, max_bytes: 5 };
        assert_eq!(canonical_answer(&exact, " Hello\n").unwrap(), "Hello");
        assert_eq!(canonical_answer(&exact, "Hello!"), Err(AnswerError::TooLong { max_bytes: 5 }));
    }

    #[test]
    fn numbers_round_half_away_from_zero_at_the_precision() {
        let cases = [
            ("2.345", 2, "2.35"),
            ("2.344", 2, "2.34"),
            ("-2.345", 2, "-2.35"),
            ("9.995", 2, "10.00"),
            ("-0.004", 2, "0.00"),
            ("+7", 1, "7.0"),
            ("007.50", 0, "8"),
            (".5", 0, "1"),
            ("12.", 3, "12.000"),
            ("-0", 0, "0"),
            ("99999999999999999999999999999999999999.5", 0, "100000000000000000000000000000000000000"),
        ];
        for (typed, precision, expected) in cases {
            assert_eq!(canonical_number(typed, precision).unwrap(), expected, "{typed} at {precision}");
        }
        for bad in ["", "-", ".", "1e3", "1,000", "0x10", "1.2.3", "--1", " 1 2"] {
            assert!(matches!(canonical_number(bad, 2), Err(AnswerError::NotANumber { .. })), "{bad:?}");
        }
        assert_eq!(canonical_number(&"1".repeat(41), 0), Err(AnswerError::TooManyDigits));
    }

    #[test]
    fn every_bad_field_is_named() {
        assert_eq!(
            fields_of(json!({"prompt": "", "item": {}, "answer": {"kind": "vote"}, "extra": 1})),
            ["extra", "version", "prompt", "item", "answer.kind"]
        );
        assert_eq!(
            fields_of(
                json!({"version": 2, "prompt": 3, "item": {"uri": "no scheme"}, "answer": {"kind": "choice", "labels": ["a"]}})
            ),
            ["version", "prompt", "item.uri", "answer.labels"]
        );
        assert_eq!(
            errors_of(json!({"version": 1, "prompt": "p", "item": {"text": "t"},
                "answer": {"kind": "choice", "labels": ["Yes", "no", " yes", "YES", 4, ""]}})),
            [
                (
                    "answer.labels[2]".to_string(),
                    "\" yes\" has surrounding spaces or is not in Unicode NFC form".to_string()
                ),
                (
                    "answer.labels[3]".to_string(),
                    "\"YES\" is the same answer as labels[0] \"Yes\" (case and spacing are ignored)"
                        .to_string()
                ),
                ("answer.labels[4]".to_string(), "expected a string, got a number".to_string()),
                ("answer.labels[5]".to_string(), "must not be empty".to_string()),
            ]
        );
        assert_eq!(
            fields_of(json!({"version": 1, "prompt": "p", "item": {"uri": "https://x/y", "text": "t"},
                "answer": {"kind": "number", "precision": 40}})),
            ["item", "answer.precision"]
        );
        assert_eq!(
            fields_of(json!({"version": 1, "prompt": "p", "item": {"text": "t", "media_type": "image/png"},
                "answer": {"kind": "text", "normalize": "fuzzy"}})),
            ["item.media_type", "answer.normalize"]
        );
        assert_eq!(
            fields_of(
                json!({"version": 1, "prompt": "p", "item": {"uri": "ipfs://Qm", "media_type": "jpeg"},
                "answer": {"kind": "text", "max_length": 0}})
            ),
            ["item.media_type", "answer.max_length"]
        );
        assert_eq!(TaskSpec::parse(b"not json").unwrap_err().0[0].field, "(file)");
    }

    #[test]
    fn a_spec_round_trips_through_its_json() {
        let spec = choice();
        assert_eq!(TaskSpec::from_value(&spec.to_json()).unwrap(), spec);
    }

    /// The vectors every client (this one and the web app) must agree on.
    #[test]
    fn shared_canonicalisation_vectors() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/schemas/canonical-answers.json");
        let vectors: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut checked = 0;
        for case in vectors["cases"].as_array().unwrap() {
            let spec = TaskSpec::from_value(&case["spec"]).unwrap();
            let typed = case["typed"].as_str().unwrap();
            match (&case["canonical"], spec.canonical_answer(typed)) {
                (Value::String(expected), Ok(canonical)) => {
                    assert_eq!(&canonical, expected, "{case}");
                    let hash: String = answer_hash(&canonical).iter().map(|b| format!("{b:02x}")).collect();
                    assert_eq!(case["answer_hash"].as_str().unwrap(), hash, "{case}");
                }
                (Value::Null, Err(_)) => {}
                (expected, got) => panic!("{case}: expected {expected}, got {got:?}"),
            }
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} vectors");
    }
}
