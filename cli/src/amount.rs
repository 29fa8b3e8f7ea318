//! Token amounts as decimal strings, converted exactly (never through floats).
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    Malformed(String),
    TooManyDecimals { decimals: u8 },
    TooLarge,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Empty => write!(f, "expected an amount like 0.05, got nothing"),
            AmountError::Malformed(s) => write!(f, "expected an amount like 0.05, got {s:?}"),
            AmountError::TooManyDecimals { decimals } => {
                write!(f, "this mint has {decimals} decimals; the amount has more")
            }
            AmountError::TooLarge => write!(f, "amount too large for a 64-bit token balance"),
        }
    }
}

impl std::error::Error for AmountError {}

/// Parses `"1.5"` with 6 decimals into `1_500_000` base units. Rejects signs, exponents, and
/// more fractional digits than the mint has (no silent rounding).
pub fn parse_amount(text: &str, decimals: u8) -> Result<u64, AmountError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits_only(whole) || !digits_only(fraction) {
        return Err(AmountError::Malformed(text.to_string()));
    }
    if fraction.len() > usize::from(decimals) {
        return Err(AmountError::TooManyDecimals { decimals });
    }
    let scale = 10u128.pow(u32::from(decimals));
    let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| AmountError::TooLarge)? };
    let fraction_value: u128 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<u128>().map_err(|_| AmountError::TooLarge)?
            * 10u128.pow(u32::from(decimals) - fraction.len() as u32)
    };
    let total =
        whole.checked_mul(scale).and_then(|w| w.checked_add(fraction_value)).ok_or(AmountError::TooLarge)?;
    u64::try_from(total).map_err(|_| AmountError::TooLarge)
}

/// Formats base units with all of the mint's decimals: `1_500_000` with 6 -> `"1.500000"`.
pub fn format_amount(base_units: u64, decimals: u8) -> String {
    if decimals == 0 {
        return base_units.to_string();
    }
    let scale = 10u64.pow(u32::from(decimals));
    format!("{}.{:0width$}", base_units / scale, base_units % scale, width = usize::from(decimals))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(parse_amount("0.05", 6), Ok(50_000));
        assert_eq!(parse_amount("1", 6), Ok(1_000_000));
        assert_eq!(parse_amount("1.", 6), Ok(1_000_000));
        assert_eq!(parse_amount(".5", 6), Ok(500_000));
        assert_eq!(parse_amount("0.000001", 6), Ok(1));
        assert_eq!(parse_amount("18446744073709.551615", 6), Ok(u64::MAX));
        assert_eq!(parse_amount("7", 0), Ok(7));
    }

    #[test]
    fn rejects_what_it_cannot_represent() {
        assert_eq!(parse_amount("", 6), Err(AmountError::Empty));
        assert_eq!(parse_amount("0.0000001", 6), Err(AmountError::TooManyDecimals { decimals: 6 }));
        assert_eq!(parse_amount("18446744073709.551616", 6), Err(AmountError::TooLarge));
        for bad in ["-1", "+1", "1e6", "1,5", "abc", ".", "1.2.3", " 1 2"] {
            assert!(matches!(parse_amount(bad, 6), Err(AmountError::Malformed(_))), "{bad}");
        }
    }

    #[test]
    fn formats_with_every_decimal() {
        assert_eq!(format_amount(1_500_000, 6), "1.500000");
        assert_eq!(format_amount(1, 6), "0.000001");
        assert_eq!(format_amount(0, 2), "0.00");
        assert_eq!(format_amount(42, 0), "42");
        for value in [0, 1, 999_999, 1_000_000, u64::MAX] {
            assert_eq!(parse_amount(&format_amount(value, 6), 6), Ok(value));
        }
    }
}
