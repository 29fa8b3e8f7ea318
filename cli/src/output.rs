//! What a command prints: a titled list of fields for people (`--output display`), or ONE JSON
//! object with the same fields for scripts (`--output json|json-compact`).
use std::fmt::Write as _;

use serde_json::{Map, Value};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Display,
    Json,
    JsonCompact,
}

/// A command's result. Field values are JSON so both formats show the same data.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    pub title: String,
    pub fields: Vec<(String, Value)>,
    /// Said to the user after the fields in display mode (warnings, next steps).
    pub notes: Vec<String>,
}

impl Report {
    pub fn new(title: impl Into<String>) -> Self {
        Self { title: title.into(), ..Self::default() }
    }

    pub fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.push(name, value);
        self
    }

    pub fn push(&mut self, name: &str, value: impl Into<Value>) {
        self.fields.push((name.to_string(), value.into()));
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn to_json(&self) -> Value {
        let mut object: Map<String, Value> = self.fields.iter().cloned().collect();
        if !self.notes.is_empty() {
            object.insert("notes".into(), self.notes.clone().into());
        }
        Value::Object(object)
    }

    pub fn render(&self, format: OutputFormat) -> String {
        match format {
            OutputFormat::Json => format!("{:#}\n", self.to_json()),
            OutputFormat::JsonCompact => format!("{}\n", self.to_json()),
            OutputFormat::Display => self.display(),
        }
    }

    fn display(&self) -> String {
        let mut text = format!("{}\n", self.title);
        let width = self.fields.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
        for (name, value) in &self.fields {
            match value {
                Value::Array(rows) if rows.iter().any(Value::is_object) => {
                    let _ = writeln!(text, "  {name}: {}", rows.len());
                    text.push_str(&table(rows));
                }
                _ => {
                    let _ = writeln!(text, "  {name:width$}  {}", plain(value));
                }
            }
        }
        for note in &self.notes {
            let _ = writeln!(text, "{note}");
        }
        text
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "-".into(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Rows of objects as an aligned table, columns in the first row's order.
fn table(rows: &[Value]) -> String {
    let Some(Value::Object(first)) = rows.first() else { return String::new() };
    let columns: Vec<&String> = first.keys().collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|column| row.get(column.as_str()).map_or("-".into(), plain)).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, column)| cells.iter().map(|row| row[i].len()).chain([column.len()]).max().unwrap_or(0))
        .collect();
    let line = |values: Vec<&str>| {
        let padded: Vec<String> =
            values.iter().zip(&widths).map(|(value, w)| format!("{value:w$}")).collect();
        format!("    {}\n", padded.join("  ").trim_end())
    };
    let mut text = line(columns.iter().map(|c| c.as_str()).collect());
    for row in &cells {
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_report_two_formats() {
        let report = Report::new("Task created")
            .field("task", "Task111")
            .field("reward", "0.05")
            .field("rows", json!([{"worker": "W1", "paid": "0.05"}, {"worker": "W2", "paid": "0"}]))
            .note("keep your salt");
        assert_eq!(
            report.render(OutputFormat::JsonCompact),
            "{\"notes\":[\"keep your salt\"],\"reward\":\"0.05\",\"rows\":[{\"paid\":\"0.05\",\"worker\":\"W1\"},{\"paid\":\"0\",\"worker\":\"W2\"}],\"task\":\"Task111\"}\n"
        );
        assert_eq!(
            report.render(OutputFormat::Display),
            "Task created\n  task    Task111\n  reward  0.05\n  rows: 2\n    paid  worker\n    0.05  W1\n    0     W2\nkeep your salt\n"
        );
        assert_eq!(report.to_json()["task"], json!("Task111"));
    }
}
