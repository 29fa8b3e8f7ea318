//! Human durations on the command line: `90s`, `30m`, `1h`, `2d`, or a bare number of seconds.
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(pub String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected a duration like 90s, 30m, 1h or 2d, got {:?}", self.0)
    }
}

impl std::error::Error for DurationError {}

/// Parses a duration into whole seconds.
pub fn parse_duration(text: &str) -> Result<i64, DurationError> {
    let trimmed = text.trim();
    let error = || DurationError(text.to_string());
    let split = trimmed.find(|c: char| !c.is_ascii_digit()).unwrap_or(trimmed.len());
    let (digits, unit) = trimmed.split_at(split);
    if digits.is_empty() {
        return Err(error());
    }
    let value: i64 = digits.parse().map_err(|_| error())?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(error()),
    };
    value.checked_mul(scale).ok_or_else(error)
}

/// Formats seconds the way `parse_duration` reads them, with the largest exact unit.
pub fn format_duration(seconds: i64) -> String {
    for (unit, scale) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if seconds != 0 && seconds % scale == 0 {
            return format!("{}{unit}", seconds / scale);
        }
    }
    format!("{seconds}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_unit() {
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("30m"), Ok(1_800));
        assert_eq!(parse_duration("1h"), Ok(3_600));
        assert_eq!(parse_duration(" 2d "), Ok(172_800));
        assert_eq!(parse_duration("0s"), Ok(0));
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        for bad in ["", "h", "1.5h", "-1h", "1w", "1 h", "1hm", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_duration("1w").unwrap_err().to_string(),
            "expected a duration like 90s, 30m, 1h or 2d, got \"1w\""
        );
    }

    #[test]
    fn formats_round_trip() {
        for seconds in [0, 59, 60, 3_600, 5_400, 86_400, 90_000] {
            assert_eq!(parse_duration(&format_duration(seconds)), Ok(seconds));
        }
        assert_eq!(format_duration(5_400), "90m");
        assert_eq!(format_duration(86_400), "1d");
    }
}
