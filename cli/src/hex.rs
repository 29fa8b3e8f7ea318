//! Lower-case hex, the one text form of bytes in the ledger file, the secrets file and the output.
use anyhow::{ensure, Context, Result};

pub fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn decode(text: &str) -> Result<Vec<u8>> {
    ensure!(text.len().is_multiple_of(2), "odd-length hex");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).context("invalid hex"))
        .collect()
}

/// 32 bytes written as 64 hex digits, or `None` if `text` is anything else.
pub fn decode32(text: &str) -> Option<[u8; 32]> {
    decode(text.trim()).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        assert_eq!(encode(&[0, 0xab, 255]), "00abff");
        assert_eq!(decode("00abff").unwrap(), [0, 0xab, 255]);
        assert_eq!(decode("abc").unwrap_err().to_string(), "odd-length hex");
        assert_eq!(decode("zz").unwrap_err().to_string(), "invalid hex");
    }
}
