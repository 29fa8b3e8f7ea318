//! What a command prints: a titled list of fields for people (`--output display`), or ONE JSON
//! object with the same fields for scripts (`--output json|json-compact`).
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::amount::format_amount;

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
    /// Display mode prints only the first field's value (`pob wallet address`, for `$(...)`).
    pub bare: bool,
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

    /// Prints only the first field's value in display mode.
    pub fn bare(mut self) -> Self {
        self.bare = true;
        self
    }

    fn display(&self) -> String {
        if let (true, Some((_, value))) = (self.bare, self.fields.first()) {
            return format!("{}\n", plain(value));
        }
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
        Value::Object(object) if object.contains_key("base_units") => plain(&object["amount"]),
        Value::Object(object) if object.contains_key("unix") => {
            let unix = object["unix"].as_i64().unwrap_or_default();
            match object.get("relative").and_then(Value::as_str) {
                Some(relative) => format!("{} ({relative})", utc(unix)),
                None => utc(unix),
            }
        }
        Value::Null => "-".into(),
        Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
        // A record: its known fields as `name value`, absent ones left out.
        Value::Object(object) => object
            .iter()
            .filter(|(_, value)| !value.is_null())
            .map(|(name, value)| format!("{name} {}", plain(value)))
            .collect::<Vec<_>>()
            .join("; "),
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

/// A failed command as one JSON object, for scripts that ran `--output json`: the message, and
/// when a program instruction refused, its index, code and name.
pub fn error_json(err: &anyhow::Error) -> Value {
    let program_error = err.chain().find_map(|cause| {
        let failed = cause.downcast_ref::<crate::backend::TransactionFailed>()?;
        match failed.error.as_ref()? {
            solana_sdk::transaction::TransactionError::InstructionError(
                index,
                solana_sdk::instruction::InstructionError::Custom(code),
            ) => {
                let name = crate::program_error::describe_code(*code).map(|(name, _)| name);
                Some(serde_json::json!({"instruction": index, "code": code, "name": name}))
            }
            _ => None,
        }
    });
    serde_json::json!({"error": {"message": format!("{err:#}"), "program_error": program_error}})
}

/// An exact token amount for the JSON contract: the decimal string and the integer base units
/// (both strings: base units can exceed 2^53).
pub fn money(base_units: u64, decimals: u8) -> Value {
    serde_json::json!({"amount": format_amount(base_units, decimals), "base_units": base_units.to_string()})
}

/// A u64 that may exceed 2^53 (task ids, weights, raw amounts), as a string.
pub fn big(value: u64) -> Value {
    Value::String(value.to_string())
}

/// A point in time for the JSON contract: RFC 3339 (UTC), unix seconds, and how far it is from
/// the ledger's clock `now` (for people; display mode prints it beside the date).
pub fn time(timestamp: i64, now: i64) -> Value {
    serde_json::json!({"utc": rfc3339(timestamp), "unix": timestamp, "relative": relative(timestamp, now)})
}

/// Like [`time`] without the relative part (for records whose reading time does not matter).
pub fn instant(timestamp: i64) -> Value {
    serde_json::json!({"utc": rfc3339(timestamp), "unix": timestamp})
}

/// `in 2h 5m` or `3d 1h ago`.
pub fn relative(timestamp: i64, now: i64) -> String {
    if timestamp >= now {
        format!("in {}", approximately(timestamp - now))
    } else {
        format!("{} ago", approximately(now - timestamp))
    }
}

/// A deadline for people: its UTC time and how far it is from the ledger's clock.
pub fn when(timestamp: i64, now: i64) -> String {
    format!("{} ({})", utc(timestamp), relative(timestamp, now))
}

/// Seconds as their two largest units: `1d 2h`, `59m 59s`, `45s`.
pub fn approximately(seconds: i64) -> String {
    let units = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)];
    let Some(first) = units.iter().position(|(_, size)| seconds >= *size) else { return "0s".into() };
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (unit, size) in &units[first..(first + 2).min(units.len())] {
        if rest / size > 0 {
            parts.push(format!("{}{unit}", rest / size));
        }
        rest %= size;
    }
    parts.join(" ")
}

/// Civil date and time of a unix timestamp (proleptic Gregorian, days-from-civil inverted).
fn civil(timestamp: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (days, seconds) = (timestamp.div_euclid(86_400), timestamp.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, seconds / 3_600, seconds % 3_600 / 60, seconds % 60)
}

/// `YYYY-MM-DD hh:mm:ss UTC`.
pub fn utc(timestamp: i64) -> String {
    let (year, month, day, hour, minute, second) = civil(timestamp);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02} UTC")
}

/// `YYYY-MM-DDThh:mm:ssZ`.
pub fn rfc3339(timestamp: i64) -> String {
    let (year, month, day, hour, minute, second) = civil(timestamp);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
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

    #[test]
    fn money_and_times_read_the_same_in_both_formats() {
        let report = Report::new("t")
            .field("paid", money(1_500_000, 6))
            .field("deadline", time(1_000, 400))
            .field("id", big(u64::MAX));
        assert_eq!(
            report.to_json(),
            json!({"paid": {"amount": "1.500000", "base_units": "1500000"},
                   "deadline": {"utc": "1970-01-01T00:16:40Z", "unix": 1000, "relative": "in 10m"},
                   "id": "18446744073709551615"})
        );
        assert_eq!(
            report.render(OutputFormat::Display),
            "t\n  paid      1.500000\n  deadline  1970-01-01 00:16:40 UTC (in 10m)\n  id        18446744073709551615\n"
        );
    }

    #[test]
    fn dates_and_relative_times_read_naturally() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(utc(1_795_618_763), "2026-11-25 14:59:23 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(approximately(0), "0s");
        assert_eq!(approximately(45), "45s");
        assert_eq!(approximately(3_599), "59m 59s");
        assert_eq!(approximately(3_600), "1h");
        assert_eq!(approximately(93_784), "1d 2h");
        assert_eq!(when(1_000, 400), "1970-01-01 00:16:40 UTC (in 10m)");
        assert_eq!(when(400, 1_000), "1970-01-01 00:06:40 UTC (10m ago)");
    }
}
